@tdd_bug @tdd_bug_16
Feature: server rename moves the whole profile (#16)
  Renaming a profile renames its table, as `git remote rename` moves a whole section: the keys
  a user added to it and its comments go with it, and nothing is left under the old name.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://a.example"
      profile = "lab"

      # the lab bench, shared with the ops team
      [profiles.lab]
      url = "http://a.example"
      owner = "ops"   # who to call

      [profiles.other]
      url = "http://b.example"
      """

  Scenario: a renamed profile keeps its own keys and comments, and the old name is gone
    When I run `cleveragents server rename lab bench`
    Then the exit code is 0
    And the config value "profiles.bench.owner" is "ops"
    And the config value "profiles.lab.owner" is not set
    And the config value "server.profile" is "bench"
    And the configuration file still contains "# the lab bench, shared with the ops team"
    And the configuration file still contains "[profiles.bench]"
    And the configuration file still contains "owner = \"ops\"   # who to call"

  Scenario: the new name may not hide keys of the same name left by hand
    Given the configuration file contains:
      """
      [profiles.lab]
      url = "http://a.example"

      [profiles.bench]
      note = "kept"
      """
    When I run `cleveragents server rename lab bench`
    Then the exit code is 1
    And stderr contains "profiles.bench.note"
    And the configuration file is unchanged
