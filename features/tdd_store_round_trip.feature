@tdd_bug @tdd_bug_2
Feature: the file's own bytes survive a change (found by fuzzing the store)
  The store promises that everything a change does not touch stays byte-identical, and that a
  change that changes nothing writes nothing. Files the format-preserving document does not
  round-trip exactly broke both promises.

  Background:
    Given a fresh home directory

  Scenario: a comment-only file without a final newline keeps the new table out of the comment
    Given the configuration file contains the bytes "# my servers"
    When I run `cleveragents config set server.url http://a.example`
    Then the exit code is 0
    And the config value "server.url" is "http://a.example"
    And the configuration file still contains "# my servers"

  Scenario: a command that changes nothing leaves a CRLF file alone
    Given the configuration file contains the bytes "[server]\r\nurl = \"http://a.example\"\r\n"
    When I run `cleveragents config set server.url http://a.example`
    Then the exit code is 0
    And the configuration file is unchanged

  Scenario: a command that changes nothing leaves a byte-order mark alone
    Given the configuration file contains the bytes "\u{feff}[server]\nurl = \"http://a.example\"\n"
    When I run `cleveragents config set server.url http://a.example`
    Then the exit code is 0
    And the configuration file is unchanged

  Scenario: a change to a CRLF file with a byte-order mark keeps both
    Given the configuration file contains the bytes "\u{feff}# mine\r\n[server]\r\nurl = \"http://a.example\"\r\n"
    When I run `cleveragents config set server.namespace team-a`
    Then the exit code is 0
    And the config value "server.namespace" is "team-a"
    And the configuration file starts with a byte-order mark and has only CRLF line ends
