Feature: Server status, disconnect, profiles and switching

  Background:
    Given a fresh home directory
    And a health server on a loopback port

  Scenario: status of a reachable server
    Given I have run `cleveragents server connect $HEALTH_URL --namespace team-a`
    When I run `cleveragents server status --json`
    Then the exit code is 0
    And stdout contains "\"probe\":{\"reachable\":true"

  Scenario: status with nothing configured says how to connect
    When I run `cleveragents server status`
    Then the exit code is not 0
    And stderr contains "server connect"

  Scenario: disconnect removes the connection and is idempotent
    Given I have run `cleveragents server connect $HEALTH_URL --save-as keep`
    When I run `cleveragents server disconnect`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the config value "profiles.keep.url" is "$HEALTH_URL"
    When I run `cleveragents server disconnect`
    Then the exit code is 0

  Scenario: use copies a profile into [server] in one transaction
    Given the configuration file contains:
      """
      [server]
      url = "http://current.example"
      timeout = "30s"

      [profiles.current]
      url = "http://current.example"
      timeout = "30s"

      [profiles.staging]
      url = "https://staging.example"
      namespace = "qa"
      tls-verify = false
      """
    When I run `cleveragents server use staging`
    Then the exit code is 0
    And the config value "server.url" is "https://staging.example"
    And the config value "server.namespace" is "qa"
    And the config value "server.tls-verify" is "false"
    And the config value "server.timeout" is not set

  Scenario: using an unknown profile fails and changes nothing
    Given the configuration file contains:
      """
      [profiles.staging]
      url = "https://staging.example"
      """
    When I run `cleveragents server use prod`
    Then the exit code is not 0
    And stderr contains "prod"
    And the configuration file is unchanged

  Scenario: profiles are listed and forgotten
    Given I have run `cleveragents server connect $HEALTH_URL --save-as one`
    And I have run `cleveragents server connect $HEALTH_URL --save-as two`
    When I run `cleveragents server profiles`
    Then the exit code is 0
    And stdout contains "one"
    And stdout contains "two"
    When I run `cleveragents server forget one`
    Then the exit code is 0
    And the config value "profiles.one.url" is not set
    And the config value "profiles.two.url" is "$HEALTH_URL"
