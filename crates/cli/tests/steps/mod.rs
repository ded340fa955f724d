//! Step definitions: the world of one scenario, and the steps that drive the real binary
//! ([`cli`]) or the library with the store's fault-injection seam ([`atomic`]).

mod atomic;
mod cli;
mod tdd_workflow;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::{Outcome, Server};

/// One scenario's world: its own HOME, its servers, and what the last command did.
#[derive(Debug, Default, cucumber::World)]
pub struct CliWorld {
    home: Option<tempfile::TempDir>,
    /// `$NAME` placeholders usable in steps (`$HEALTH_URL`, `$HTTPS_URL`, `$CA_CERT`, ...).
    vars: BTreeMap<String, String>,
    /// Extra environment variables for the binary.
    env: Vec<(String, String)>,
    servers: Vec<Server>,
    /// The configuration file's bytes just before the last command (`None`: no file).
    before: Option<Option<Vec<u8>>>,
    last: Option<Outcome>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Server({})", self.url())
    }
}

impl CliWorld {
    fn home(&mut self) -> PathBuf {
        self.home
            .get_or_insert_with(|| tempfile::tempdir().expect("temp HOME"))
            .path()
            .to_path_buf()
    }

    /// Where the CLI looks with no `--config`, no `CLEVERAGENTS_CONFIG` and no
    /// `XDG_CONFIG_HOME`: `~/.config/cleveragents/config.toml`.
    fn config_path(&mut self) -> PathBuf {
        self.home().join(".config/cleveragents/config.toml")
    }

    fn config_bytes(&mut self) -> Option<Vec<u8>> {
        std::fs::read(self.config_path()).ok()
    }

    fn write_config(&mut self, text: &str) {
        let path = self.config_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Replaces `$NAME` placeholders, longest names first.
    fn expand(&self, text: &str) -> String {
        let mut names: Vec<_> = self.vars.keys().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let mut out = text.to_string();
        for name in names {
            out = out.replace(&format!("${name}"), &self.vars[name]);
        }
        out
    }

    fn last(&self) -> &Outcome {
        self.last
            .as_ref()
            .expect("no command has run in this scenario")
    }

    /// Every leaf of the configuration file, read with an independent TOML parser.
    fn values(&mut self) -> BTreeMap<String, String> {
        let Some(bytes) = self.config_bytes() else {
            return BTreeMap::new();
        };
        let text = String::from_utf8(bytes).expect("config is UTF-8");
        let table: toml::Table = text
            .parse()
            .unwrap_or_else(|e| panic!("config does not parse: {e}\n{text}"));
        crate::support::leaves(&table)
            .into_iter()
            .map(|(key, value)| match value {
                toml::Value::String(s) => (key, s),
                other => (key, other.to_string()),
            })
            .collect()
    }
}
