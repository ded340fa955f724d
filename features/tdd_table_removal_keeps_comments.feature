@tdd_bug @tdd_bug_9
Feature: removing a table keeps the comments that are not its own (#9)
  `server disconnect`, `server forget` and `config unset TABLE` remove a table. A comment at the
  top of the file, or one separated from the table by a blank line, belongs to the file, not to
  the table, and must survive; a file is never left empty because a table was removed.

  Background:
    Given a fresh home directory

  Scenario: server disconnect keeps the comment at the top of the file
    Given the configuration file contains:
      """
      # managed by ops: do not edit by hand
      [server]
      url = "http://a.example"

      [profiles.keep]
      url = "http://k.example"
      """
    When I run `cleveragents server disconnect`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the configuration file still contains "# managed by ops: do not edit by hand"
    And the config value "profiles.keep.url" is "http://k.example"

  Scenario: config unset of the only table keeps the header and leaves no empty file
    Given the configuration file contains:
      """
      # header

      [server]
      url = "http://a.example"
      """
    When I run `cleveragents config unset server`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the configuration file still contains "# header"

  Scenario: server forget keeps a comment separated from the profile by a blank line
    Given the configuration file contains:
      """
      [server]
      url = "http://a.example"

      # profiles below are shared with the team

      # staging, until March
      [profiles.staging]
      url = "http://s.example"

      [profiles.prod]
      url = "http://p.example"
      """
    When I run `cleveragents server forget staging`
    Then the exit code is 0
    And the config value "profiles.staging.url" is not set
    And the configuration file still contains "# profiles below are shared with the team"
    And the config value "profiles.prod.url" is "http://p.example"
