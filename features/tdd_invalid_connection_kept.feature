@tdd_bug @tdd_bug_17
Feature: a connection with an invalid value is kept as written, and named wherever it is read (#17)
  A hand-written `[server]` table may hold a value that breaks its rule. The command that
  replaces it (`server connect`, `server use`, `server disconnect`) keeps it, as it was, in
  `[previous-server]`, and says how to fix it; it is never dropped. A previous connection or a
  profile with an invalid value is named, with its file and line, by every command that reads
  it: `server use -` and `server use NAME` fail on it (exit 1, the file is not the user's typo),
  and `server status` and `server profiles` warn about it rather than pretend it is not there.

  Background:
    Given a fresh home directory

  Scenario: server connect over an invalid connection keeps it as the previous one
    Given the configuration file contains:
      """
      [server]
      url = "https://old.example"
      namespace = "Bad_NS"
      """
    When I run `cleveragents server connect https://new.example --namespace ok --no-check`
    Then the exit code is 0
    And the config value "server.url" is "https://new.example"
    And the config value "previous-server.url" is "https://old.example"
    And the config value "previous-server.namespace" is "Bad_NS"
    And stderr contains "config set previous-server.namespace"

  Scenario: server use over an invalid connection keeps it as the previous one
    Given the configuration file contains:
      """
      [server]
      url = "https://old.example"
      tls-verify = "yes"

      [profiles.lab]
      url = "https://lab.example"
      """
    When I run `cleveragents server use lab`
    Then the exit code is 0
    And the config value "previous-server.url" is "https://old.example"
    And the config value "previous-server.tls-verify" is "yes"

  Scenario: server disconnect keeps an invalid connection as the previous one
    Given the configuration file contains:
      """
      [server]
      url = "https://old.example"
      namespace = "Bad_NS"
      """
    When I run `cleveragents server disconnect`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the config value "previous-server.url" is "https://old.example"
    And the config value "previous-server.namespace" is "Bad_NS"

  Scenario: returning to an invalid previous connection names its value and line
    Given the configuration file contains:
      """
      [server]
      url = "https://new.example"

      [previous-server]
      url = "https://old.example"
      namespace = "Bad_NS"
      """
    When I run `cleveragents server use -`
    Then the exit code is 1
    And stderr contains "config.toml:6: invalid value \"Bad_NS\" for `previous-server.namespace`"
    And stderr does not contain "no previous connection"
    And the configuration file is unchanged

  Scenario: server status and server profiles warn about an invalid previous connection
    Given the configuration file contains:
      """
      [server]
      url = "https://new.example"

      [previous-server]
      url = "https://old.example"
      namespace = "Bad_NS"
      """
    When I run `cleveragents server status --no-check`
    Then the exit code is 0
    And stderr contains "config.toml:6: invalid value \"Bad_NS\" for `previous-server.namespace`"
    When I run `cleveragents server profiles`
    Then the exit code is 0
    And stderr contains "config.toml:6: invalid value \"Bad_NS\" for `previous-server.namespace`"

  Scenario: using a profile with an invalid value names its value and line, as server profiles does
    Given the configuration file contains:
      """
      [profiles.bad]
      url = "https://x.example"
      namespace = "Bad_NS"
      """
    When I run `cleveragents server profiles`
    Then stderr contains "config.toml:3: invalid value \"Bad_NS\" for `profiles.bad.namespace`"
    And stderr does not contain "no saved profiles"
    When I run `cleveragents server use bad`
    Then the exit code is 1
    And stderr contains "config.toml:3: invalid value \"Bad_NS\" for `profiles.bad.namespace`"
    And the configuration file is unchanged
