Feature: Locking

  # reason: a writer that crashes while holding the lock leaves the lock file behind
  # expect: the lock is still held
  @tdd_bug @tdd_bug_12 @tdd_expected_fail
  Scenario: a crashed writer does not leave the lock behind
    Given a writer that crashed while holding the lock
    When another writer saves
    Then the save succeeds

  @tdd_bug @tdd_bug_7
  Scenario: a save is all or nothing
    Given a writer that saves
    When another writer saves
    Then the save succeeds
