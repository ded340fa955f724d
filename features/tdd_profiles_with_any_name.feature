@tdd_bug @tdd_bug_9
Feature: every profile in the file can be listed, used and forgotten (#9)
  New profile names follow one rule: 1 to 63 characters of a-z, 0-9 and '-', not starting or
  ending with '-'. A profile written by hand under another name (`[profiles.Prod]`) still
  exists: it is listed, can be used and can be forgotten. One broken profile is a warning,
  not a failure of the whole list.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [profiles.Prod]
      url = "https://prod.example"

      [profiles.broken]
      url = "ftp://nope.example"

      [profiles.lab]
      url = "https://lab.example"
      """

  Scenario: server profiles lists every profile and warns about a broken one
    When I run `cleveragents server profiles`
    Then the exit code is 0
    And stdout contains "Prod"
    And stdout contains "lab"
    And stderr contains "warning:"
    And stderr contains "profiles.broken.url"

  Scenario: server use takes a name that exists in the file
    When I run `cleveragents server use Prod`
    Then the exit code is 0
    And the config value "server.url" is "https://prod.example"

  Scenario: server forget takes a name that exists in the file
    When I run `cleveragents server forget Prod`
    Then the exit code is 0
    And the config value "profiles.Prod.url" is not set
    And the config value "profiles.lab.url" is "https://lab.example"

  Scenario: a new profile name that breaks the rule gets the rule, wherever it is given
    When I run `cleveragents config set profiles.my_lab.url https://x.example`
    Then the exit code is 2
    And stderr contains "1 to 63 characters of a-z, 0-9 and '-', not starting or ending with '-'"
    And the configuration file is unchanged
