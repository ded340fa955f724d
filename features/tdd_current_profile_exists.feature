@tdd_bug @tdd_bug_17
Feature: server.profile names a profile that exists (#17)
  `server.profile` records which saved profile the connection was copied from. A name of no
  profile is refused by `config set` (invalid input, nothing written) and reported by
  `config validate` with its line (a bad file, exit 1).

  Background:
    Given a fresh home directory

  Scenario: config set refuses server.profile naming no profile
    Given the configuration file contains:
      """
      [server]
      url = "http://127.0.0.1:9"
      [profiles.a]
      url = "http://a.example"
      """
    When I run `cleveragents config set server.profile nope`
    Then the exit code is 2
    And stderr contains "server.profile"
    And stderr contains "nope"
    And the configuration file is unchanged

  Scenario: config set accepts server.profile naming a profile, set in the same command too
    When I run `cleveragents config set profiles.b.url http://b.example server.profile b`
    Then the exit code is 0
    And the config value "server.profile" is "b"

  Scenario: config validate reports server.profile naming no profile, with its line
    Given the configuration file contains:
      """
      [server]
      url = "http://127.0.0.1:9"
      profile = "nope"
      """
    When I run `cleveragents config validate`
    Then the exit code is 1
    And stdout contains "config.toml:3:"
    And stdout contains "nope"
