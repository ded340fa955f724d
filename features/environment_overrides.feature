Feature: Environment overrides for reads
  CLEVERAGENTS_SERVER_URL, CLEVERAGENTS_SERVER_NAMESPACE and CLEVERAGENTS_SERVER_TLS_VERIFY win
  over the file and are never written to it.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://file.example"
      namespace = "from-file"
      """

  Scenario: an override wins over the file when reading
    Given the environment variable "CLEVERAGENTS_SERVER_NAMESPACE" is "from-env"
    When I run `cleveragents config get server.namespace`
    Then the exit code is 0
    And stdout is exactly "from-env"
    And the configuration file is unchanged

  Scenario: list --show-origin shows where each value comes from
    Given the environment variable "CLEVERAGENTS_SERVER_URL" is "http://env.example"
    When I run `cleveragents config list --show-origin`
    Then the exit code is 0
    And stdout contains "CLEVERAGENTS_SERVER_URL"
    And stdout contains "http://env.example"
    And stdout contains "config.toml"

  Scenario: overrides are never written to the file
    Given the environment variable "CLEVERAGENTS_SERVER_TLS_VERIFY" is "false"
    When I run `cleveragents config set server.timeout 20s`
    Then the exit code is 0
    And the config value "server.tls-verify" is not set
    And the config value "server.namespace" is "from-file"
