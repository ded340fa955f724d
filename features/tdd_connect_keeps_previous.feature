@tdd_bug @tdd_bug_17
Feature: connect and use replace the connection and keep the one they replace (#17)
  `server connect` and `server use` replace the current connection whether or not a profile
  holds it, without --force. The connection they replace is kept, in the same transaction, as
  the previous connection ([previous-server]); the output says what was replaced and how to get
  it back, and `server use -` swaps the current and the previous connection.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://hand-made.example:8080"
      namespace = "team-a"

      [profiles.staging]
      url = "https://staging.example"
      namespace = "qa"
      """

  Scenario: server connect replaces an unsaved connection and keeps it as the previous one
    When I run `cleveragents server connect http://new.example --no-check`
    Then the exit code is 0
    And the config value "server.url" is "http://new.example"
    And the config value "previous-server.url" is "http://hand-made.example:8080"
    And the config value "previous-server.namespace" is "team-a"
    And stdout contains "replaced http://hand-made.example:8080 (namespace team-a)"
    And stdout contains "cleveragents server use -"

  Scenario: server use replaces an unsaved connection and keeps it as the previous one
    When I run `cleveragents server use staging`
    Then the exit code is 0
    And the config value "server.url" is "https://staging.example"
    And the config value "server.profile" is "staging"
    And the config value "previous-server.url" is "http://hand-made.example:8080"
    And stdout contains "cleveragents server use -"

  Scenario: server use - swaps the current and the previous connection, from any later shell
    When I run `cleveragents server use staging`
    Then the exit code is 0
    When I run `cleveragents server use -`
    Then the exit code is 0
    And the config value "server.url" is "http://hand-made.example:8080"
    And the config value "server.namespace" is "team-a"
    And the config value "server.profile" is not set
    And the config value "previous-server.url" is "https://staging.example"
    And the config value "previous-server.profile" is "staging"
    When I run `cleveragents server use -`
    Then the exit code is 0
    And the config value "server.url" is "https://staging.example"
    And the config value "server.profile" is "staging"
    And the config value "previous-server.url" is "http://hand-made.example:8080"

  Scenario: server status and server profiles show the previous connection
    Given a health server on a loopback port
    When I run `cleveragents server connect $HEALTH_URL --no-check`
    Then the exit code is 0
    When I run `cleveragents server status`
    Then the exit code is 0
    And stdout contains "previous:    http://hand-made.example:8080 (namespace team-a); `cleveragents server use -` returns to it"
    When I run `cleveragents server status --json`
    Then stdout contains "\"previous\":{"
    When I run `cleveragents server profiles`
    Then the exit code is 0
    And stdout contains "previous connection: http://hand-made.example:8080 (namespace team-a)"

  Scenario: with no previous connection, server use - says so and writes nothing
    Given the configuration file contains:
      """
      [server]
      url = "http://a.example"
      """
    When I run `cleveragents server use -`
    Then the exit code is 1
    And the configuration file is unchanged
    And stderr contains "no previous connection"
