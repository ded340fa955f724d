@tdd_bug @tdd_bug_9
Feature: config edit never throws away an edit, and opens a file that does not parse (#9)
  An edit that fails validation, when the user declines to edit again (or there is no
  terminal to ask), is kept and its path printed, as an edit that lost a race already is.
  A file that does not parse is when an editor is needed most: it is opened, and only a
  version that parses and validates is committed.

  Background:
    Given a fresh home directory

  Scenario: a rejected edit without a terminal is kept and its path printed
    Given the configuration file contains:
      """
      [server]
      url = "http://a.example"
      """
    And the editor is a script that runs:
      """
      sed -i 's|http://a.example|ftp://b.example|' "$1"
      """
    When I run `cleveragents config edit`
    Then the exit code is 2
    And the configuration file is unchanged
    And stderr names a kept copy that contains "ftp://b.example"

  Scenario: a file that does not parse is opened and a fixed version is committed
    Given the configuration file contains:
      """
      [server
      url = "http://a.example"
      """
    And the editor is a script that runs:
      """
      sed -i 's|^\[server$|[server]|' "$1"
      """
    When I run `cleveragents config edit`
    Then the exit code is 0
    And the config value "server.url" is "http://a.example"

  Scenario: a file that still does not parse after the edit is left as it was, the edit kept
    Given the configuration file contains:
      """
      [server
      url = "http://a.example"
      """
    And the editor is a script that runs:
      """
      sed -i 's|http://a.example|http://b.example|' "$1"
      """
    When I run `cleveragents config edit`
    Then the exit code is not 0
    And the configuration file is unchanged
    And stderr names a kept copy that contains "http://b.example"
