@tdd_bug @tdd_bug_17
Feature: a usage error under --json says all that the text says (#17)
  A script reading `--json` gets the one error object on stdout. For an argument error found
  while parsing the command line, that object names what is missing or unexpected, and carries
  the usage line and clap's tip as hints, as the text on stderr does; it is never just the
  first line of that text.

  Background:
    Given a fresh home directory

  Scenario: a missing argument is named in the JSON error
    When I run `cleveragents --json server connect`
    Then the exit code is 2
    And stdout contains "required arguments were not provided: <URL>"
    And stdout contains "Usage: cleveragents server connect <URL>"

  Scenario: an unexpected argument's tip is a hint of the JSON error
    When I run `cleveragents --json config list --bogus`
    Then the exit code is 2
    And stdout contains "unexpected argument '--bogus' found"
    And stdout contains "to pass '--bogus' as a value, use '-- --bogus'"
