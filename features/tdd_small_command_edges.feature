@tdd_bug @tdd_bug_16
Feature: the edges of the small commands (#16)
  A key given twice is a usage error, a value that looks like a flag is shown attached, edits
  keep the file's spacing and leave no blank first line or orphaned comment, and each manual
  page has its preamble once.

  Background:
    Given a fresh home directory

  Scenario: config set with the same key twice is refused
    When I run `cleveragents config set server.url http://a.example server.url http://b.example`
    Then stderr contains "`server.url` is given more than once"
    And the exit code is 2
    And the config file does not exist

  Scenario: config unset with the same key twice is refused
    Given the configuration file contains:
      """
      [server]
      url = "http://a.example"
      """
    When I run `cleveragents config unset server.url server.url`
    Then stderr contains "`server.url` is given more than once"
    And the exit code is 2
    And the configuration file is unchanged

  Scenario: a namespace that looks like a flag is shown attached
    When I run `cleveragents server connect http://a.example --namespace -x`
    Then stderr contains "looks like a flag"
    And stderr contains "--namespace=-x"
    And stderr does not contain "'-- -x'"
    And the exit code is 2

  Scenario: adding a key to an inline table keeps its spacing
    Given the configuration file contains:
      """
      server = { url = "http://a.example" }
      """
    When I run `cleveragents config set server.timeout 3s`
    Then the exit code is 0
    And the configuration file is exactly "server = { url = \"http://a.example\", timeout = \"3s\" }\n"

  Scenario: removing the first key of a compact inline table keeps it compact
    Given the configuration file contains:
      """
      server = {url="http://a.example", namespace="x"}
      """
    When I run `cleveragents config unset server.url`
    Then the exit code is 0
    And the configuration file is exactly "server = {namespace=\"x\"}\n"

  # `server disconnect` keeps the connection it removes as [previous-server], at the end.
  Scenario: removing the first table leaves no blank first line
    Given the configuration file contains:
      """
      [server]
      url = "http://a.example"

      # the lab
      [profiles.lab]
      url = "http://lab.example"
      """
    When I run `cleveragents server disconnect`
    Then the exit code is 0
    And the configuration file is exactly "# the lab\n[profiles.lab]\nurl = \"http://lab.example\"\n\n[previous-server]\nurl = \"http://a.example\"\nnamespace = \"default\"\ntls-verify = true\n"

  Scenario: removing a table takes its trailing comment and leaves one blank line after the header
    Given the configuration file contains:
      """
      # my servers

      [server]
      url = "http://a.example"
      # end of the server table

      [profiles.lab]
      url = "http://lab.example"
      """
    When I run `cleveragents server disconnect`
    Then the exit code is 0
    And the configuration file is exactly "# my servers\n\n[profiles.lab]\nurl = \"http://lab.example\"\n\n[previous-server]\nurl = \"http://a.example\"\nnamespace = \"default\"\ntls-verify = true\n"

  Scenario: each manual page has its preamble once
    When I run `cleveragents man config set`
    Then the exit code is 0
    And stdout contains ".el .ds Aq" exactly once
