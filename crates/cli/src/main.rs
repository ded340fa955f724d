//! The `cleveragents` command-line client.

fn main() {}
