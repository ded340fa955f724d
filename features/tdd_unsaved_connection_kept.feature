@tdd_bug @tdd_bug_9
Feature: a connection saved in no profile is never replaced silently (#9)
  `server connect` and `server use` replace the whole [server] table. When the connection there
  exists in no profile, replacing it would lose it: the command refuses, says how to keep it,
  and changes nothing unless --force is given. `--save-as NAME` does not overwrite a different
  profile NAME either.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://hand-made.example:8080"
      namespace = "team-a"

      [profiles.staging]
      url = "https://staging.example"
      namespace = "qa"
      """

  Scenario: server connect refuses to drop an unsaved connection
    When I run `cleveragents server connect http://new.example --no-check`
    Then the exit code is 1
    And the configuration file is unchanged
    And stderr contains "http://hand-made.example:8080"
    And stderr contains "--save-as"

  Scenario: server use refuses to drop an unsaved connection
    When I run `cleveragents server use staging`
    Then the exit code is 1
    And the configuration file is unchanged
    And stderr contains "--force"

  Scenario: --save-as refuses to overwrite a different profile
    Given I have run `cleveragents server connect http://hand-made.example:8080 --namespace team-a --save-as mine --no-check`
    When I run `cleveragents server connect http://other.example --no-check --save-as staging`
    Then the exit code is 1
    And the configuration file is unchanged
    And the config value "profiles.staging.url" is "https://staging.example"

  Scenario: --force replaces an unsaved connection
    When I run `cleveragents server use staging --force`
    Then the exit code is 0
    And the config value "server.url" is "https://staging.example"

  Scenario: the refusal shows the command that saves the connection first, and it works
    When I run `cleveragents server connect http://hand-made.example:8080 --namespace team-a --no-check --save-as mine`
    Then the exit code is 0
    When I run `cleveragents server use staging`
    Then the exit code is 0
    And the config value "profiles.mine.url" is "http://hand-made.example:8080"
