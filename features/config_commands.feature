Feature: Reading and changing configuration values

  Background:
    Given a fresh home directory

  Scenario: set several keys in one transaction, then get them
    When I run `cleveragents config set server.url https://a.example/ server.namespace team-a server.tls-verify off`
    Then the exit code is 0
    And the config value "server.url" is "https://a.example"
    And the config value "server.tls-verify" is "false"
    When I run `cleveragents config get server.namespace`
    Then the exit code is 0
    And stdout is exactly "team-a"

  Scenario: one bad pair applies none of them
    Given the configuration file contains:
      """
      [server]
      url = "http://old.example"
      """
    When I run `cleveragents config set server.url https://new.example server.namespace NOT_VALID`
    Then the exit code is 2
    And stderr contains "server.namespace"
    And stderr contains "NOT_VALID"
    And the configuration file is unchanged

  Scenario: a missing key exits 1 with nothing on stdout, like git config
    When I run `cleveragents config get server.url`
    Then the exit code is 1
    And stdout is empty

  Scenario: an unknown key is refused with a suggestion
    When I run `cleveragents config set server.ulr https://a.example`
    Then the exit code is 2
    And stderr contains "server.url"
    And the config file does not exist

  Scenario: unset removes keys
    Given the configuration file contains:
      """
      [server]
      url = "http://old.example"
      namespace = "ns"
      """
    When I run `cleveragents config unset server.namespace`
    Then the exit code is 0
    And the config value "server.namespace" is not set
    And the config value "server.url" is "http://old.example"

  Scenario: an unparsable file is reported with its line and column, and kept
    Given the configuration file contains:
      """
      [server]
      url = = "x"
      """
    When I run `cleveragents config set server.namespace ns`
    Then the exit code is 1
    And stderr contains "config.toml:2:"
    And the configuration file is unchanged
