@tdd_bug @tdd_bug_17
Feature: returning to a previous connection whose CA file is gone is a runtime failure (#17)
  A file that disappeared is not bad input: `server use -` fails with exit 1, names the key
  `previous-server.ca-cert` and the command that fixes it, as `server use NAME` does for
  `profiles.NAME.ca-cert`, and writes nothing.

  Scenario: server use - with the previous connection's CA file deleted
    Given a fresh home directory
    And an HTTPS health server with a self-signed certificate
    And I have run `cleveragents server connect $HTTPS_URL --ca-cert $CA_CERT --no-check`
    And I have run `cleveragents server connect http://127.0.0.1:9 --namespace b --no-check`
    And the CA file is deleted
    When I run `cleveragents server use -`
    Then the exit code is 1
    And stderr contains "previous-server.ca-cert"
    And stderr contains "cleveragents config set previous-server.ca-cert PEM"
    And the configuration file is unchanged
