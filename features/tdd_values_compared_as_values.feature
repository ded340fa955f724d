@tdd_bug @tdd_bug_17
Feature: connection values are compared as values, not as text (#17)
  `timeout = "10000ms"` equals `"10s"` equals the 10 s default: "changed since", "which profile
  is this connection" and every other comparison use typed values.

  Background:
    Given a fresh home directory
    And a health server on a loopback port
    And the configuration file contains:
      """
      [server]
      url = "$HEALTH_URL"
      timeout = "10s"
      profile = "lab"

      [profiles.lab]
      url = "$HEALTH_URL"
      timeout = "10000ms"
      """

  Scenario: status does not call a timeout written differently a change
    When I run `cleveragents server status`
    Then the exit code is 0
    And stdout contains "profile:     lab"
    And stdout does not contain "changed since"

  Scenario: --save-as over a profile with the same values written differently is no overwrite
    When I run `cleveragents server connect $HEALTH_URL --no-check --save-as lab`
    Then the exit code is 0
    And stdout contains "also as profile lab"

  Scenario: the default timeout equals a timeout of 10s
    When I run `cleveragents config unset server.timeout`
    And I run `cleveragents server profiles --json`
    Then stdout does not contain "\"changed-since\":[\"timeout\"]"
