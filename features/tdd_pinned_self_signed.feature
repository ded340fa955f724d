@tdd_bug @tdd_bug_10
Feature: a self-signed server certificate given as --ca-cert is trusted (#10)
  `openssl req -x509 -newkey rsa:2048 ... -addext subjectAltName=...` makes a certificate that
  is its own CA (CA:TRUE). curl, Python and Go accept it when it is passed as the CA file; the
  client must too, still checking the name it holds and its validity dates, rather than leave
  the user only `--no-tls-verify`.

  Scenario: the very certificate the server presents is accepted as --ca-cert
    Given a fresh home directory
    And an HTTPS health server whose self-signed certificate is its own CA
    When I run `cleveragents server connect $HTTPS_URL --ca-cert $CA_CERT --namespace lab`
    Then the exit code is 0
    And the config value "server.tls-verify" is "true"
    And the config value "server.namespace" is "lab"

  Scenario: without --ca-cert the refusal says the certificate is self-signed, not its debug form
    Given a fresh home directory
    And an HTTPS health server whose self-signed certificate is its own CA
    When I run `cleveragents server connect $HTTPS_URL`
    Then the exit code is 1
    And stderr contains "the certificate is self-signed"
    And stderr contains "--ca-cert"
    And the config file does not exist
