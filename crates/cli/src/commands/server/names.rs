//! Profile names as the `server` commands take them: the rule a new name follows, and finding
//! the profile a name means among those the file holds.

use cleveragents_config::{Key, Value};

use crate::error::CommandError;

/// Checks the name of a new profile: the schema's one rule.
pub(crate) fn check_profile_name(name: &str) -> Result<(), CommandError> {
    cleveragents_config::schema::check_profile_name(name).map_err(CommandError::from)
}

/// True when the file has a profile of this name (whatever its name looks like).
pub(crate) fn profile_exists(entries: &[(Key, Value)], name: &str) -> bool {
    entries
        .iter()
        .any(|(key, _)| crate::connection::is_profile_key(key, name))
}

/// "no profile named NAME", with the closest existing name when it looks like a typo of one.
pub(crate) fn no_such_profile(name: &str, entries: &[(Key, Value)]) -> CommandError {
    let names = crate::connection::profile_names(entries)
        .into_iter()
        .map(str::to_string);
    let error = CommandError::failure(format!("no profile named {}", crate::error::quote(name)));
    match cleveragents_config::schema::closest(name, names) {
        Some(close) => error.with_hint(format!("did you mean `{close}`?")),
        None => error,
    }
}
