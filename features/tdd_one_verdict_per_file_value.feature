@tdd_bug @tdd_bug_17
Feature: an invalid value in the file gets one verdict from every command that reads it (#17)
  A value in the file that breaks its key's rule makes the file bad: that is a runtime failure
  (exit 1) naming the file and the value's line, from `config get`, `config list` (which still
  lists every value first, so that the bad one can be seen), `config validate` and
  `server status` alike.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://127.0.0.1:9"
      namespace = "Bad_NS"
      tls-verify = "yes"
      """

  Scenario: config get names the line of an invalid namespace
    When I run `cleveragents config get server.namespace`
    Then the exit code is 1
    And stderr contains "config.toml:3: invalid value \"Bad_NS\""

  Scenario: config list lists every value, then fails on the invalid one with its line
    When I run `cleveragents config list`
    Then stdout contains "server.namespace = \"Bad_NS\""
    And the exit code is 1
    And stderr contains "config.toml:3: invalid value \"Bad_NS\""

  Scenario: config validate fails as a bad file does, naming each line
    When I run `cleveragents config validate`
    Then the exit code is 1
    And stdout contains "config.toml:3: invalid value \"Bad_NS\""
    And stdout contains "config.toml:4: invalid value \"yes\""

  Scenario: server status names the line of an invalid namespace
    When I run `cleveragents server status --timeout 1s`
    Then the exit code is 1
    And stderr contains "config.toml:3: invalid value \"Bad_NS\""
