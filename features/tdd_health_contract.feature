@tdd_bug @tdd_bug_10
Feature: the health check means what it says (#10)
  `server connect` and `server status` send GET URL/health. A 2xx answer is a healthy server.
  401 and 403 are a server that is reachable but does not let us in: saved, and said so. 404 is
  a server that may not be a CleverAgents server: saved with a warning. A 5xx answer is a server
  that is there but unhealthy: `server connect` fails and writes nothing (unless --no-check),
  and `server status` exits 1.

  Background:
    Given a fresh home directory

  Scenario: a server answering 503 is not connected to
    Given a health server answering HTTP 503
    When I run `cleveragents server connect $HEALTH_URL`
    Then the exit code is 1
    And stderr contains "HTTP 503"
    And stderr contains "--no-check"
    And the config file does not exist

  Scenario: a server answering 500 fails server status
    Given a health server answering HTTP 500
    And I have run `cleveragents server connect $HEALTH_URL --no-check`
    When I run `cleveragents server status`
    Then the exit code is 1
    And stderr contains "HTTP 500"

  Scenario: a server answering 401 is saved as reachable but not authorised
    Given a health server answering HTTP 401
    When I run `cleveragents server connect $HEALTH_URL`
    Then the exit code is 0
    And stderr contains "not authorised"
    And the config value "server.url" is "$HEALTH_URL"

  Scenario: a server answering 404 is saved with a warning that it may be something else
    Given a health server answering HTTP 404
    When I run `cleveragents server connect $HEALTH_URL`
    Then the exit code is 0
    And stderr contains "may not be a CleverAgents server"
