@tdd_bug @tdd_bug_17
Feature: removing the file's first top-level value keeps the comment at the top of the file (#17)
  A comment at the top of the file belongs to the file. When the file starts with a top-level
  value rather than a table (`server = { url = "..." }`, as a hand-written file may), removing
  that value, or the inline table it holds, keeps the comment, at the top.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      # managed by ops: do not edit by hand
      server = { url = "http://a.example" }

      [profiles.keep]
      url = "http://k.example"
      """

  Scenario: config unset of an inline table's last value keeps the comment at the top of the file
    When I run `cleveragents config unset server.url`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the configuration file starts with "# managed by ops: do not edit by hand\n"

  Scenario: server disconnect of an inline connection keeps the comment at the top of the file
    When I run `cleveragents server disconnect`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the configuration file starts with "# managed by ops: do not edit by hand\n"
