@tdd_bug @tdd_bug_17
Feature: JSON reports give the timeout in effect, with its origin, never null (#17)
  A connection without a timeout in its table probes with the default: every command's JSON
  says which (`"timeout": "10s", "timeout-origin": "default"`), the previous connection in
  `server status --json` included.

  Background:
    Given a fresh home directory
    And I have run `cleveragents server connect http://127.0.0.1:9 --namespace a --no-check`

  Scenario: server connect --json gives the timeout in effect and the one it replaced
    When I run `cleveragents server connect http://127.0.0.1:9 --namespace b --no-check --json`
    Then the exit code is 0
    And stdout does not contain "\"timeout\":null"
    And stdout contains "\"timeout\":\"10s\",\"timeout-origin\":\"default\""

  Scenario: server status --json gives the previous connection's timeout in effect
    Given I have run `cleveragents server connect http://127.0.0.1:9 --namespace b --timeout 3s --no-check`
    When I run `cleveragents server status --no-check --json`
    Then the exit code is 0
    And stdout does not contain "\"timeout\":null"
    And stdout contains "\"timeout\":\"10s\",\"timeout-origin\":\"default\""

  Scenario: server use - --json gives the timeout in effect of both connections
    Given I have run `cleveragents server connect http://127.0.0.1:9 --namespace b --timeout 3s --no-check`
    When I run `cleveragents server use - --json`
    Then the exit code is 0
    And stdout contains "\"timeout\":\"3s\",\"timeout-origin\":\"file\""
    And stdout contains "\"timeout\":\"10s\",\"timeout-origin\":\"default\""
