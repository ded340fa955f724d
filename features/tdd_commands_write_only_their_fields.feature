@tdd_bug @tdd_bug_17
Feature: a command writes only the fields it owns (#17)
  Keys and comments that no command owns, inside [server] and inside [profiles.NAME], survive
  connect, use, disconnect, forget and every other command. A table is removed only when
  nothing a user wrote is left in it.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://current.example"
      # do not remove: the wrapper reads it
      wrapper-proxy = "socks5://127.0.0.1:1080"
      timeout = "5s"

      [profiles.other]
      url = "http://other.example"
      # ours
      owner = "ops"
      """

  Scenario: server use keeps the keys and comments it does not own in [server]
    When I run `cleveragents server use other`
    Then the exit code is 0
    And the config value "server.url" is "http://other.example"
    And the config value "server.wrapper-proxy" is "socks5://127.0.0.1:1080"
    And the configuration file still contains "# do not remove: the wrapper reads it"
    And the config value "server.timeout" is not set

  Scenario: server connect keeps the keys and comments it does not own in [server]
    When I run `cleveragents server connect http://new.example --no-check`
    Then the exit code is 0
    And the config value "server.wrapper-proxy" is "socks5://127.0.0.1:1080"
    And the configuration file still contains "# do not remove: the wrapper reads it"

  Scenario: server disconnect removes the connection but keeps what it does not own
    When I run `cleveragents server disconnect`
    Then the exit code is 0
    And the config value "server.url" is not set
    And the config value "server.timeout" is not set
    And the config value "server.wrapper-proxy" is "socks5://127.0.0.1:1080"
    And the configuration file still contains "# do not remove: the wrapper reads it"

  Scenario: --save-as over a profile keeps the keys it does not own in the profile
    When I run `cleveragents server connect http://other.example --namespace b --no-check --save-as other --force`
    Then the exit code is 0
    And the config value "profiles.other.namespace" is "b"
    And the config value "profiles.other.owner" is "ops"
    And the configuration file still contains "# ours"

  Scenario: server forget removes the profile's fields and keeps what it does not own
    When I run `cleveragents server forget other`
    Then the exit code is 0
    And the config value "profiles.other.url" is not set
    And the config value "profiles.other.owner" is "ops"
