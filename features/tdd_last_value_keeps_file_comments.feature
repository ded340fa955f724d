@tdd_bug @tdd_bug_17
Feature: removing a table's last value keeps the file's own comments (#17)
  A comment at the top of the file belongs to the file, whichever way the table under it goes:
  `config unset TABLE` keeps it, and so must `config unset TABLE.KEY` of the table's last value
  and `server disconnect` of a file that holds only the connection.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      # managed by ops: do not edit by hand
      [server]
      url = "http://a.example"
      """

  Scenario: config unset of a table's last value keeps the comment at the top of the file where it was
    When I run `cleveragents config unset server.url`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the configuration file starts with "# managed by ops: do not edit by hand\n"

  Scenario: server disconnect of the only table keeps the comment at the top of the file where it was
    When I run `cleveragents server disconnect`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the config value "previous-server.url" is "http://a.example"
    And the configuration file starts with "# managed by ops: do not edit by hand\n"
