//! The `cleveragents` binary: parse, dispatch, map errors to exit codes (see the library).

use std::io::{self, IsTerminal};
use std::process::ExitCode;

fn main() -> ExitCode {
    let env = cleveragents::env::Env::from_process();
    let stdin = io::stdin();
    let interactive = stdin.is_terminal() && io::stderr().is_terminal();
    let mut input = stdin.lock();
    let streams = cleveragents::Streams {
        stdout: &mut io::stdout().lock(),
        stderr: &mut io::stderr().lock(),
        stdin: if interactive { Some(&mut input) } else { None },
        stderr_is_terminal: io::stderr().is_terminal(),
    };
    ExitCode::from(cleveragents::run(std::env::args_os(), &env, streams))
}
