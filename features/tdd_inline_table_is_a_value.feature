@tdd_bug @tdd_bug_16
Feature: an inline table is a value (#16)
  `t = { a = 1, b = "x" }` is one value on one line: `config get` prints it as written, without
  the comment after it, and `--json` gives it as a JSON object. A table with a header
  (`[other-tool]`) and the tables the connection owns (`server`, `profiles.NAME`), however they
  are written, list their values as `config list TABLE` does. `config list` shows every value by
  its full key, an inline table's values included.

  Background:
    Given a fresh home directory

  Scenario: config get of an inline table prints the value, and --json a JSON object
    Given the configuration file contains:
      """
      [other-tool]
      t = { a = 1, b = "x" }   # note
      """
    When I run `cleveragents config get other-tool.t`
    Then stdout is exactly "{ a = 1, b = "x" }"
    And the exit code is 0
    When I run `cleveragents config get other-tool.t --json`
    Then stdout is a JSON object with "value" equal to "{"a":1,"b":"x"}"
    And stdout is a JSON object with "key" equal to "other-tool.t"
    When I run `cleveragents config get other-tool.t.b`
    Then stdout is exactly "x"

  Scenario: a table with a header still lists its values, an inline table's by their full keys
    Given the configuration file contains:
      """
      [other-tool]
      n = 2
      t = { a = 1, b = "x" }   # note
      """
    When I run `cleveragents config get other-tool`
    Then stdout contains "other-tool.n = 2"
    And stdout contains "other-tool.t.a = 1"
    And stdout contains "other-tool.t.b = "x""
    When I run `cleveragents config list other-tool.t`
    Then stdout contains "other-tool.t.a = 1"
    And stdout does not contain "# note"

  Scenario: a connection written as an inline table lists its values in effect
    Given the configuration file contains:
      """
      server = { url = "https://file.example", namespace = "team" }
      """
    And the environment variable "CLEVERAGENTS_SERVER_URL" is "https://env.example"
    When I run `cleveragents config get server`
    Then stdout contains "server.url = "https://env.example""
    And stdout contains "server.namespace = "team""
    And stdout does not contain "file.example"
