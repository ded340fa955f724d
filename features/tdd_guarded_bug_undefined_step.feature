@tdd_bug @tdd_bug_4
Feature: a guarded bug's regression scenario cannot silently stop checking (cucumber-tdd)
  A scenario tagged `@tdd_bug_<N>` without `@tdd_expected_fail` guards a fixed bug. If one of
  its steps has no definition (renamed, deleted), cucumber skips the rest of the scenario and
  the guard no longer checks anything; the bug register already calls that a failure, so the
  run must fail too.

  Scenario: an undefined step in a guarded regression scenario fails the run
    Given a fixture suite with a guarded bug scenario whose Then step has no definition
    When the fixture suite runs with cucumber-tdd
    Then the fixture run is reported as failed

  Scenario: the same suite with every step defined passes
    Given a fixture suite with a guarded bug scenario whose steps are all defined
    When the fixture suite runs with cucumber-tdd
    Then the fixture run is reported as passed
