//! The `cleveragents` binary: parse, dispatch, map errors to exit codes (see the library).

use std::io::{self, IsTerminal};
use std::process::ExitCode;

fn main() -> ExitCode {
    // `COMPLETE=SHELL cleveragents -- WORDS...`: the shell asking for candidates (set up by
    // `cleveragents completions SHELL`); answers and exits.
    clap_complete::CompleteEnv::with_factory(cleveragents::command).complete();
    let env = cleveragents::Env::from_process();
    let stdin = io::stdin();
    let interactive = stdin.is_terminal() && io::stderr().is_terminal();
    let mut input = stdin.lock();
    let streams = cleveragents::Streams {
        // Buffered: a listing of 100,000 values is one write, not 100,000. Output flushes it
        // before anything goes to stderr, and at the end.
        stdout: &mut io::BufWriter::new(io::stdout().lock()),
        stderr: &mut io::stderr().lock(),
        stdin: if interactive { Some(&mut input) } else { None },
        stderr_is_terminal: io::stderr().is_terminal(),
    };
    ExitCode::from(cleveragents::run(std::env::args_os(), &env, streams))
}
