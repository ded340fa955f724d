@tdd_bug @tdd_bug_993
Feature: server connect writes url, namespace and tls-verify atomically (upstream bug #993)
  The original client wrote the three values with three read-modify-write cycles; when the
  second or third failed, the file was left half-written. Here the three values are one
  transaction, so a failed commit leaves every key as it was. The failures are injected with
  the store's file system seam, on the first write whose bytes carry a key's NEW value: with
  one transaction that is the only write; with the old three writes, in whatever order, a write
  before it has already been committed. `scripts/tdd-mutation-check` puts the three writes back
  in each of their six orders and proves that the feature then fails.

  Scenario: the commit fails at the write of the 2nd key's change
    Given a configuration with server url "http://old.example:8080", namespace "old" and tls-verify true
    When server connect "http://new.example:9090" with namespace "new" and no TLS verification runs while the first write carrying the new namespace fails with ENOSPC
    Then an error was reported
    And the config value "server.url" is "http://old.example:8080"
    And the config value "server.namespace" is "old"
    And the config value "server.tls-verify" is "true"

  Scenario: the commit fails at the write of the 3rd key's change
    Given a configuration with server url "http://old.example:8080", namespace "old" and tls-verify true
    When server connect "http://new.example:9090" with namespace "new" and no TLS verification runs while the first write carrying the new tls-verify fails with EIO
    Then an error was reported
    And the config value "server.url" is "http://old.example:8080"
    And the config value "server.namespace" is "old"
    And the config value "server.tls-verify" is "true"

  Scenario: from an empty configuration, a failed connect leaves no server.url
    Given an empty configuration
    When server connect "http://new.example:9090" with namespace "new" and no TLS verification runs while the first write carrying the new namespace fails with ENOSPC
    Then an error was reported
    And the config value "server.url" is not set
    And the config value "server.namespace" is not set
    And the config value "server.tls-verify" is not set
    And the config file does not exist
