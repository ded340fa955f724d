@tdd_bug @tdd_bug_10
Feature: server connect's edges behave as kubectl and gh users expect (#10)
  A URL without a scheme is a usage error that shows the corrected command, wherever the URL
  comes from. Flags that contradict each other are a usage error, and a flag that has no
  effect is said so.

  Background:
    Given a fresh home directory

  Scenario: a URL without http:// or https:// shows the corrected command
    When I run `cleveragents server connect localhost:8080 --namespace team-a --no-check`
    Then the exit code is 2
    And stderr contains "lacks http:// or https://"
    And stderr contains "cleveragents server connect http://localhost:8080 --namespace team-a --no-check"
    And the config file does not exist

  Scenario: the environment override gets the same correction
    Given the environment variable "CLEVERAGENTS_SERVER_URL" is "127.0.0.1:8080"
    When I run `cleveragents config get server.url`
    Then the exit code is 2
    And stderr contains "did you mean http://127.0.0.1:8080?"

  Scenario: contradicting TLS flags are a usage error
    When I run `cleveragents server connect http://127.0.0.1:9 --tls-verify --no-tls-verify --no-check`
    Then the exit code is 2
    And stderr contains "cannot be used with"
    And the config file does not exist

  Scenario: a CA file with verification off is said to be unused
    Given an HTTPS health server with a self-signed certificate
    When I run `cleveragents server connect $HTTPS_URL --ca-cert $CA_CERT --no-tls-verify --no-check`
    Then the exit code is 0
    And stderr contains "--ca-cert is not used while --no-tls-verify is given"
