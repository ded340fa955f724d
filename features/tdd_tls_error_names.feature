@tdd_bug @tdd_bug_10
Feature: a certificate for another host is reported with the names it holds (#10)
  When the server's certificate does not name the host connected to, the error lists the names
  it does hold, as a person writes them, so the user can connect with one of them.

  Scenario: the names of the certificate are printed, not their debug form
    Given a fresh home directory
    And an HTTPS health server whose certificate names only "wrong.example.com"
    When I run `cleveragents server connect $HTTPS_URL --ca-cert $CA_CERT`
    Then the exit code is 1
    And stderr contains "it names wrong.example.com)"
    And the config file does not exist
