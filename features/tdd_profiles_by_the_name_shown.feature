@tdd_bug @tdd_bug_17
Feature: every listed profile is usable by exactly the name shown (#17)
  A profile written by hand under any name (`[profiles."a.b"]`, `[profiles."prød"]`) is listed by
  `server profiles`, and used, renamed and forgotten by exactly the name it is listed under; no
  command lists a name another refuses.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [profiles."a.b"]
      url = "http://ab.example"

      [profiles."prød"]
      url = "http://p.example"
      """

  Scenario: a profile whose name holds a dot is used and forgotten by that name
    When I run `cleveragents server profiles`
    Then stdout contains "  a.b   http://ab.example"
    And stdout contains "  prød  http://p.example"
    And stderr does not contain "left out"
    When I run `cleveragents server use a.b`
    Then the exit code is 0
    And the config value "server.url" is "http://ab.example"
    And stdout contains "using profile a.b"
    When I run `cleveragents server forget a.b`
    Then the exit code is 0
    And stdout contains "forgot profile a.b"

  Scenario: a profile with a non-ASCII name is used and renamed by that name
    When I run `cleveragents server use prød`
    Then the exit code is 0
    And the config value "server.url" is "http://p.example"
    When I run `cleveragents server rename prød prod`
    Then the exit code is 0
    And the config value "profiles.prod.url" is "http://p.example"
    And the config value "server.profile" is "prod"
