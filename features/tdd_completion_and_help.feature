@tdd_bug @tdd_bug_16
Feature: completion reads the file the command would read, and --help lists every override (#16)

  Background:
    Given a fresh home directory

  Scenario Outline: completion of profiles reads the file given with <flag>
    Given the file "other.toml" contains:
      """
      [profiles.prod]
      url = "http://prod.example"
      """
    And the environment variable "COMPLETE" is "fish"
    When I run `cleveragents -- cleveragents <flag> server use p`
    Then stdout contains "prod"

    Examples:
      | flag                |
      | --config other.toml |
      | --config=other.toml |

  Scenario: the top-level help lists all five environment overrides
    When I run `cleveragents --help`
    Then the exit code is 0
    And stdout contains "CLEVERAGENTS_SERVER_URL"
    And stdout contains "CLEVERAGENTS_SERVER_NAMESPACE"
    And stdout contains "CLEVERAGENTS_SERVER_TLS_VERIFY"
    And stdout contains "CLEVERAGENTS_SERVER_CA_CERT"
    And stdout contains "CLEVERAGENTS_SERVER_TIMEOUT"
