//! End-to-end tests: the real `cleveragents` binary against real servers on loopback ports
//! and real configuration files in temp dirs. Run with
//! `cargo nextest run -p cleveragents -E 'binary(e2e)'`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "e2e/binary.rs"]
mod binary;
#[path = "e2e/completion.rs"]
mod completion;
#[path = "e2e/config_cmds.rs"]
mod config_cmds;
#[path = "e2e/config_edit.rs"]
mod config_edit;
#[path = "e2e/dry_run.rs"]
mod dry_run;
#[path = "e2e/json_schemas.rs"]
mod json_schemas;
#[path = "e2e/module_graph.rs"]
mod module_graph;
#[path = "e2e/readme.rs"]
mod readme;
#[path = "e2e/robustness.rs"]
mod robustness;
#[path = "e2e/server_connect.rs"]
mod server_connect;
#[path = "e2e/server_profiles.rs"]
mod server_profiles;
#[path = "e2e/server_status.rs"]
mod server_status;
#[path = "e2e/tls.rs"]
mod tls;
#[path = "e2e/verdicts.rs"]
mod verdicts;
