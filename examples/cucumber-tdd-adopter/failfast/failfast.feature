Feature: A capture followed by a regression

  Background:
    Given an empty store

  @tdd_bug @tdd_bug_1 @tdd_expected_fail
  Scenario: a failed save changes nothing
    Given write 2 of a save fails
    When a and b are saved as "1" and "2"
    Then the store is unchanged

  Scenario: a regression that --fail-fast must not hide
    When a and b are saved as "1" and "2"
    Then this step is wrong on purpose
