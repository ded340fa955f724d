@tdd_bug @tdd_bug_17
Feature: --save-as over a different profile names every value --force would overwrite (#17)
  `--save-as NAME` over a different existing profile NAME still needs --force. The refusal
  names every value --force would overwrite, and --force overwrites nothing it did not name.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [profiles.staging]
      url = "https://staging.example"
      namespace = "qa"
      timeout = "3s"
      # who to ask
      owner = "ops"
      """

  Scenario: the refusal names each value that would be overwritten, and nothing else
    When I run `cleveragents server connect http://other.example --no-check --save-as staging`
    Then the exit code is 1
    And the configuration file is unchanged
    And stderr contains "profiles.staging.url = \"https://staging.example\" (new: \"http://other.example\")"
    And stderr contains "profiles.staging.namespace = \"qa\" (new: \"default\")"
    And stderr contains "profiles.staging.timeout = \"3s\" (removed)"
    And stderr does not contain "tls-verify"
    And stderr does not contain "owner"

  Scenario: --force overwrites only the values the refusal named
    When I run `cleveragents server connect http://other.example --no-check --save-as staging --force`
    Then the exit code is 0
    And the config value "profiles.staging.url" is "http://other.example"
    And the config value "profiles.staging.timeout" is not set
    And the config value "profiles.staging.owner" is "ops"
    And the configuration file still contains "# who to ask"
