@tdd_bug @tdd_bug_17
Feature: the probe report has one shape and one place, and its error the one error shape (#17)
  `server connect --json` and `server status --json` give the probe under `"probe"`; a probe
  that fails says how in `failure` and why in `error`, an object of the shape every `--json`
  failure has: `{"message", "caused-by", "hints", "kind", "exit-code"}`.

  Scenario: server status --json of an unreachable server
    Given a fresh home directory
    And a closed loopback port
    And I have run `cleveragents server connect $CLOSED_URL --no-check`
    When I run `cleveragents server status --json --timeout 2s`
    Then the exit code is 1
    And stdout contains "\"probe\":{\"reachable\":false"
    And stdout contains "\"failure\":\"refused\""
    And stdout contains "\"error\":{\"caused-by\":[],\"exit-code\":1,\"hints\":[\"check that"
    And stdout contains "\"kind\":\"failure\",\"message\":\"cannot reach http://127.0.0.1:"
