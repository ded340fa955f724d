@tdd_bug @tdd_bug_16
Feature: messages that tell the truth (#16)
  What a failure says is what happened, and its hint is one the user can follow with the
  command at hand.

  Background:
    Given a fresh home directory

  Scenario: a proxy that refuses is named, with the variable that set it
    Given a health server on a loopback port
    And the environment variable "HTTP_PROXY" is "http://127.0.0.1:1"
    When I run `cleveragents server connect $HEALTH_URL`
    Then stderr contains "connection refused by the proxy 127.0.0.1:1 (set by HTTP_PROXY)"
    And stderr contains "unset HTTP_PROXY"
    And the exit code is 1
    And the config file does not exist

  Scenario: http:// against a TLS port says the port speaks TLS and gives the https:// URL
    Given an HTTPS health server with a self-signed certificate
    When I run `cleveragents server connect http://$HTTPS_ADDR`
    Then stderr contains "$HTTPS_ADDR speaks TLS, not plain HTTP"
    And stderr contains "hint: use the https:// URL: https://$HTTPS_ADDR"
    And the exit code is 1
    And the config file does not exist

  Scenario: a redirect loop is not a healthy server
    Given a health server that redirects to itself
    When I run `cleveragents server connect $HEALTH_URL`
    Then stderr contains "redirects to itself"
    And the exit code is 1
    And the config file does not exist

  Scenario: a deleted CA file is a runtime failure naming the profile's key and the fix
    Given an HTTPS health server with a self-signed certificate
    And I have run `cleveragents server connect $HTTPS_URL --ca-cert $CA_CERT --save-as sec`
    And I have run `cleveragents server disconnect`
    And the CA file is deleted
    When I run `cleveragents server use sec`
    Then stderr contains "`profiles.sec.ca-cert`"
    And stderr contains "cleveragents config set profiles.sec.ca-cert PEM"
    And the exit code is 1
    And the configuration file is unchanged

  Scenario: server status with a deleted CA file hints at the key, not at a flag it lacks
    Given an HTTPS health server with a self-signed certificate
    And I have run `cleveragents server connect $HTTPS_URL --ca-cert $CA_CERT`
    And the CA file is deleted
    When I run `cleveragents server status`
    Then stderr contains "cleveragents config set server.ca-cert PEM"
    And stderr does not contain "--ca-cert"
    And the exit code is 1

  Scenario: server status on a certificate problem gives a hint status can act on
    Given an HTTPS health server with a self-signed certificate
    And the configuration file contains:
      """
      [server]
      url = "$HTTPS_URL"
      """
    When I run `cleveragents server status`
    Then stderr contains "cleveragents config set server.ca-cert PEM"
    And stderr does not contain "server connect"
    And the exit code is 1

  Scenario: an empty URL is called empty
    When I run `cleveragents config set server.url` with an empty last argument
    Then stderr contains "the URL is empty"
    And stderr does not contain "did you mean"
    And the exit code is 2

  Scenario: config get of an unset key says why under --json
    When I run `cleveragents config get server.ca-cert --json`
    Then stdout contains "is not set: it is not in the file"
    And the exit code is 1

  Scenario: config get of an array prints the value, and --json a JSON array
    Given the configuration file contains:
      """
      [other-tool]
      arr = [1, 2, 3]   # numbers
      """
    When I run `cleveragents config get other-tool.arr`
    Then stdout is exactly "[1, 2, 3]"
    When I run `cleveragents config get other-tool.arr --json`
    Then stdout is a JSON object with "value" equal to "[1,2,3]"
