@tdd_bug @tdd_bug_16
Feature: a rewrite keeps the file's owner and respects its protection (#16)
  Run as root on another user's file (`sudo cleveragents config set ...`), a rewrite gives the
  new file, and the lock file, that user and group again: the owner can still read and write
  it. A file made read-only (`chmod 444`) is refused with a message that says so and how to
  allow the change; nothing is written.

  Background:
    Given a fresh home directory

  Scenario: root rewriting another user's file leaves it that user's
    Given the configuration file contains:
      """
      [server]
      url = "http://a.example"
      """
    And the configuration file belongs to user 65534 and group 65534 with mode 0600
    When I run `cleveragents config set server.namespace team-b`
    Then the exit code is 0
    And the config value "server.namespace" is "team-b"
    And the configuration file belongs to user 65534 and group 65534 with mode 0600
    And the lock file belongs to user 65534 and group 65534

  Scenario: a read-only file is refused and left as it is
    Given the configuration file contains:
      """
      [server]
      url = "http://a.example"
      """
    And the configuration file has mode 0444
    When I run `cleveragents config set server.namespace team-b`
    Then stderr contains "is read-only (mode 0444)"
    And stderr contains "hint: to allow the change, make it writable: chmod u+w "
    And the exit code is 1
    And the configuration file is unchanged
