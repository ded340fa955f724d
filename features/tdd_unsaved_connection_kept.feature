@tdd_bug @tdd_bug_9
Feature: a connection saved in no profile is never lost (#9)
  `server connect` and `server use` replace the connection. When the connection there exists in
  no profile, it is kept as the previous connection and the output says how to return to it
  (#17 replaced the refusal of #9 by this). `--save-as NAME` does not overwrite a different
  profile NAME without --force.

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

  Scenario: server connect keeps an unsaved connection as the previous one
    When I run `cleveragents server connect http://new.example --no-check`
    Then the exit code is 0
    And the config value "previous-server.url" is "http://hand-made.example:8080"
    And stdout contains "replaced http://hand-made.example:8080"

  Scenario: server use keeps an unsaved connection as the previous one
    When I run `cleveragents server use staging`
    Then the exit code is 0
    And the config value "previous-server.namespace" is "team-a"

  Scenario: --save-as refuses to overwrite a different profile
    Given I have run `cleveragents server connect http://hand-made.example:8080 --namespace team-a --save-as mine --no-check`
    When I run `cleveragents server connect http://other.example --no-check --save-as staging`
    Then the exit code is 1
    And the configuration file is unchanged
    And the config value "profiles.staging.url" is "https://staging.example"

  Scenario: --force is still accepted by server use
    When I run `cleveragents server use staging --force`
    Then the exit code is 0
    And the config value "server.url" is "https://staging.example"

  Scenario: a connection saved first is used again by name
    When I run `cleveragents server connect http://hand-made.example:8080 --namespace team-a --no-check --save-as mine`
    Then the exit code is 0
    When I run `cleveragents server use staging`
    Then the exit code is 0
    And the config value "profiles.mine.url" is "http://hand-made.example:8080"
