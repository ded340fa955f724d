@tdd_bug @tdd_bug_17
Feature: removing a dotted first value keeps the comment at the top of the file (#17)
  A comment at the top of the file belongs to the file. When the file starts with dotted keys
  (`ui.theme = "dark"`, as a hand-written file may) rather than a table, removing the first of
  them, or the whole table they make, keeps the comment, at the top, above what now starts the
  file.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      # managed by ops: do not edit by hand
      ui.theme = "dark"
      ui.lines = 40

      [server]
      url = "http://a.example"
      """

  Scenario: config unset of the first dotted value keeps the comment above the next one
    When I run `cleveragents config unset ui.theme`
    Then the exit code is 0
    And the config value "ui.theme" is not set
    And the configuration file starts with "# managed by ops: do not edit by hand\nui.lines = 40\n"

  Scenario: config unset of the table the dotted values make keeps the comment above the next table
    When I run `cleveragents config unset ui`
    Then the exit code is 0
    And the config value "ui.lines" is not set
    And the configuration file starts with "# managed by ops: do not edit by hand\n"
