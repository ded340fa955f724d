@tdd_bug @tdd_bug_17
Feature: config edit keeps server.profile naming a profile that exists (#17)
  `server.profile` must name a saved profile: `config set` refuses a name of no profile and
  `config validate` reports it. `config edit` treats such an edit as any other invalid edit:
  the configuration file stays as it was, and the edit is kept with its path printed (from
  the editor), or left where it is (with --from), so nothing the user typed is lost.

  Background:
    Given a fresh home directory
    And the configuration file contains:
      """
      [server]
      url = "http://127.0.0.1:9"
      [profiles.a]
      url = "http://a.example"
      """

  Scenario: an edit naming no profile in server.profile is refused and kept
    Given the editor is a script that runs:
      """
      sed -i 's|^url = "http://127.0.0.1:9"$|url = "http://127.0.0.1:9"\nprofile = "nope"|' "$1"
      """
    When I run `cleveragents config edit`
    Then the exit code is 2
    And the configuration file is unchanged
    And stderr contains "server.profile"
    And stderr names a kept copy that contains "nope"

  Scenario: a file naming no profile in server.profile is refused by config edit --from
    Given the file "edited.toml" contains:
      """
      [server]
      url = "http://127.0.0.1:9"
      profile = "nope"
      [profiles.a]
      url = "http://a.example"
      """
    When I run `cleveragents config edit --from edited.toml`
    Then the exit code is 2
    And the configuration file is unchanged
    And stderr contains "server.profile"
    And stderr contains "nope"

  Scenario: an edit naming a profile it saves in the same edit is committed
    Given the editor is a script that runs:
      """
      printf '[server]\nurl = "http://b.example"\nprofile = "b"\n[profiles.b]\nurl = "http://b.example"\n' > "$1"
      """
    When I run `cleveragents config edit`
    Then the exit code is 0
    And the config value "server.profile" is "b"
