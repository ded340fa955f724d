Feature: Read only through --input

  Background:
    Given an empty store

  Scenario: another save succeeds
    When a and b are saved as "3" and "4"
    Then a reads back as "3"

  @tdd_bug @tdd_bug_1 @tdd_expected_fail
  Scenario: a failed save leaves the store as it was
    Given write 2 of a save fails
    When a and b are saved as "5" and "6"
    Then the store is unchanged
