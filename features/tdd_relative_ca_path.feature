@tdd_bug @tdd_bug_17
Feature: a relative CA path gets one verdict, from config set as from server connect (#17)
  A CA path given on the command line is taken as curl takes it: relative to the current
  directory, and stored as the absolute path it names, so that it means the same file from
  any directory later. `config set` and `server connect --ca-cert` do the same.

  Background:
    Given a fresh home directory
    And an HTTPS health server with a self-signed certificate

  Scenario: config set stores a relative CA path as the absolute path it names
    When I run `cleveragents config set server.ca-cert ./ca.pem`
    Then the exit code is 0
    And the config value "server.ca-cert" is "$CA_CERT"

  Scenario: config set of a profile's relative CA path does the same
    When I run `cleveragents config set profiles.lab.url $HTTPS_URL profiles.lab.ca-cert ca.pem`
    Then the exit code is 0
    And the config value "profiles.lab.ca-cert" is "$CA_CERT"

  Scenario: server connect --ca-cert stores the same absolute path
    When I run `cleveragents server connect $HTTPS_URL --ca-cert ./ca.pem`
    Then the exit code is 0
    And the config value "server.ca-cert" is "$CA_CERT"

  Scenario: a relative path to a file that is not there is refused by both alike
    When I run `cleveragents config set server.ca-cert ./missing.pem`
    Then the exit code is 2
    And stderr contains "missing.pem"
