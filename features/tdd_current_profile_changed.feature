@tdd_bug @tdd_bug_10
Feature: a connection changed since its profile was used says so (#10)
  `server use lab` records lab as the current profile; `config set server.namespace ...` then
  changes the connection but not the profile. `server status` and `server profiles` must not
  present the connection as profile lab unchanged: `server use lab` would bring back lab's
  namespace, and a user reading "profile: lab" expects the connection to be lab's.

  Background:
    Given a fresh home directory
    And a health server on a loopback port
    And I have run `cleveragents server connect $HEALTH_URL --namespace team-a --save-as lab`

  Scenario: status names what changed since the profile was used
    Given I have run `cleveragents config set server.namespace team-b`
    When I run `cleveragents server status`
    Then the exit code is 0
    And stdout contains "profile:     lab (changed since: namespace)"

  Scenario: profiles marks the current profile as changed
    Given I have run `cleveragents config set server.namespace team-b server.timeout 30s`
    When I run `cleveragents server profiles`
    Then the exit code is 0
    And stdout contains "* lab  $HEALTH_URL  (namespace team-a; current connection changed: namespace, timeout)"

  Scenario: a change undone leaves the profile as it was
    Given I have run `cleveragents config set server.timeout 10s`
    And I have run `cleveragents config unset server.timeout`
    When I run `cleveragents server status`
    Then the exit code is 0
    And stdout contains "profile:     lab"
    And stdout does not contain "changed since"
