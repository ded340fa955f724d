@tdd_bug @tdd_bug_17
Feature: server forget says how to get the profile back (#17)
  A command keeps what it replaces or says how to get it back. `server forget` deletes a saved
  profile; it says the command that saves it again, with its values, so a profile forgotten by
  mistake is one paste away.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://lab.example"
      namespace = "lab"
      tls-verify = false
      profile = "lab"

      [profiles.lab]
      url = "http://lab.example"
      namespace = "lab"
      tls-verify = false
      timeout = "5s"

      [profiles."a&b"]
      url = "http://ab.example/x?y=1&z=2"
      """

  Scenario: the profile's values, and the connection's name for it, are in the command
    When I run `cleveragents server forget lab`
    Then the exit code is 0
    And stderr contains "to restore it: cleveragents config set profiles.lab.url http://lab.example profiles.lab.namespace lab profiles.lab.tls-verify false profiles.lab.timeout 5s server.profile lab"

  Scenario: names and values a shell would split are quoted
    When I run `cleveragents server forget a&b`
    Then the exit code is 0
    And stderr contains "to restore it: cleveragents config set 'profiles.\"a&b\".url' 'http://ab.example/x?y=1&z=2'"
