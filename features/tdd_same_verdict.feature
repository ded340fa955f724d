@tdd_bug @tdd_bug_9
Feature: the same value gets the same verdict from every command (#9)
  What the project knows about a key lives in the schema; `config set`, `server connect`,
  environment overrides, `config get` and `server status` all ask it. A value one of them
  refuses, none accepts.

  Background:
    Given a fresh home directory

  Scenario: config set refuses a URL whose host has a label over 63 characters, as server connect does
    When I run `cleveragents config set server.url http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example`
    Then the exit code is 2
    And stderr contains "longer than 63 characters"

  Scenario: config set refuses a CA file that does not exist, as server connect --ca-cert does
    When I run `cleveragents config set server.ca-cert /nonexistent/ca.pem`
    Then the exit code is 2
    And stderr contains "cannot be read"

  Scenario: config get refuses an invalid value in the file, as server status does
    Given the configuration file contains:
      """
      [server]
      url = "http://a.example"
      tls-verify = "yes"
      """
    When I run `cleveragents config get server.tls-verify`
    Then the exit code is 1
    And stderr contains "server.tls-verify"

  Scenario: every server key can be overridden from the environment, checked like config set
    Given the environment variable "CLEVERAGENTS_SERVER_TIMEOUT" is "10"
    When I run `cleveragents config get server.timeout`
    Then the exit code is 2
    And stderr contains "CLEVERAGENTS_SERVER_TIMEOUT"
