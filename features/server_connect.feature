Feature: Connecting to a CleverAgents server
  `cleveragents server connect URL` checks the server, then stores url, namespace and
  tls-verify in `[server]` with one transaction.

  Background:
    Given a fresh home directory
    And a health server on a loopback port

  Scenario: connecting to a reachable server stores all three values
    When I run `cleveragents server connect $HEALTH_URL --namespace team-a`
    Then the exit code is 0
    And stdout contains "connected to $HEALTH_URL"
    And the config value "server.url" is "$HEALTH_URL"
    And the config value "server.namespace" is "team-a"
    And the config value "server.tls-verify" is "true"

  Scenario: the namespace defaults to "default" and a trailing slash is dropped
    When I run `cleveragents server connect $HEALTH_URL/`
    Then the exit code is 0
    And the config value "server.url" is "$HEALTH_URL"
    And the config value "server.namespace" is "default"

  Scenario: connecting replaces the whole previous connection
    Given the configuration file contains:
      """
      # my settings
      [server]
      url = "http://old.example:8080"
      namespace = "old"
      ca-cert = "/etc/old-ca.pem"
      timeout = "30s"

      [ui]
      theme = "dark"

      [profiles.old]
      url = "http://old.example:8080"
      namespace = "old"
      ca-cert = "/etc/old-ca.pem"
      timeout = "30s"
      """
    When I run `cleveragents server connect $HEALTH_URL --namespace new`
    Then the exit code is 0
    And the config value "server.url" is "$HEALTH_URL"
    And the config value "server.ca-cert" is not set
    And the config value "server.timeout" is not set
    And the configuration file still contains "# my settings"
    And the configuration file still contains "theme = \"dark\""

  Scenario: --save-as stores the same values as a profile in the same transaction
    When I run `cleveragents server connect $HEALTH_URL --namespace team-a --save-as prod`
    Then the exit code is 0
    And the config value "profiles.prod.url" is "$HEALTH_URL"
    And the config value "profiles.prod.namespace" is "team-a"

  Scenario: --no-tls-verify warns on stderr
    When I run `cleveragents server connect $HEALTH_URL --no-tls-verify`
    Then the exit code is 0
    And stderr contains "warning"
    And the config value "server.tls-verify" is "false"

  Scenario: --json prints a machine-readable result
    When I run `cleveragents server connect $HEALTH_URL --json`
    Then the exit code is 0
    And stdout is a JSON object with "url" equal to "$HEALTH_URL"

  Scenario Outline: invalid input is refused with exit code 2 and nothing is written
    Given the configuration file contains:
      """
      [server]
      url = "http://old.example:8080"
      """
    When I run `cleveragents server connect <arguments>`
    Then the exit code is 2
    And stderr contains "<message>"
    And the configuration file is unchanged

    Examples:
      | arguments                                         | message        |
      | ftp://example.com                                 | error:         |
      | not-a-url                                         | error:         |
      | https://user:secret@example.com                   | user:password  |
      | $HEALTH_URL --namespace Bad_Namespace             | namespace      |
      | $HEALTH_URL --namespace -leading-dash             | error:         |
      | $HEALTH_URL --timeout forever                     | timeout        |
      | $HEALTH_URL --ca-cert /nonexistent/ca.pem         | ca.pem         |
      | $HEALTH_URL --save-as Not_A_Name                  | error:         |

  Scenario: an unreachable server is refused with exit code 1 and nothing is written
    Given a closed loopback port
    And the configuration file contains:
      """
      [server]
      url = "http://old.example:8080"
      """
    When I run `cleveragents server connect $CLOSED_URL`
    Then the exit code is 1
    And stderr contains "error:"
    And stderr contains "hint:"
    And stderr contains "--no-check"
    And the configuration file is unchanged

  Scenario: --no-check stores an unreachable server without probing it
    Given a closed loopback port
    When I run `cleveragents server connect $CLOSED_URL --no-check`
    Then the exit code is 0
    And the config value "server.url" is "$CLOSED_URL"

  Scenario: a self-signed certificate is refused while verifying
    Given an HTTPS health server with a self-signed certificate
    When I run `cleveragents server connect $HTTPS_URL`
    Then the exit code is 1
    And stderr contains "--ca-cert"
    And the config file does not exist

  Scenario: a self-signed certificate is accepted with its CA given by --ca-cert
    Given an HTTPS health server with a self-signed certificate
    When I run `cleveragents server connect $HTTPS_URL --ca-cert $CA_CERT`
    Then the exit code is 0
    And the config value "server.ca-cert" is "$CA_CERT"
    And the config value "server.tls-verify" is "true"

  Scenario: a self-signed certificate is accepted without verification, with a warning
    Given an HTTPS health server with a self-signed certificate
    When I run `cleveragents server connect $HTTPS_URL --no-tls-verify`
    Then the exit code is 0
    And stderr contains "warning"
    And the config value "server.tls-verify" is "false"
