@tdd_bug @tdd_bug_17
Feature: config unset reports the values it removes, as config set does (#17)
  `config set` prints `set KEY = NEW (was OLD)`; `config unset` printed only `unset KEY`, so
  the value a user removed by mistake was gone from the screen too.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://old.example"
      namespace = "team-a"

      [profiles.a]
      url = "http://a.example"

      [profiles.b]
      url = "http://b.example"
      namespace = "b"
      """

  Scenario: unsetting a key prints the value it held
    When I run `cleveragents config unset server.namespace`
    Then the exit code is 0
    And stdout contains "unset server.namespace (was \"team-a\")"
    And stdout does not contain "profiles"

  Scenario: unsetting a table prints every key it held with its value
    When I run `cleveragents config unset profiles`
    Then the exit code is 0
    And stdout contains "unset profiles.a.url (was \"http://a.example\")"
    And stdout contains "unset profiles.b.url (was \"http://b.example\")"
    And stdout contains "unset profiles.b.namespace (was \"b\")"
