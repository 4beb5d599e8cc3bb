//! The `stepmacro` command: run, validate and draw Amazon States Language definitions locally.
//!
//! ```text
//! stepmacro run DEF.json [--input FILE|-] [--mocks FILE] [--real-time] [--seed N] [--no-trace]
//! stepmacro validate DEF.json...
//! stepmacro graph DEF.json [--dot]
//! ```
//!
//! Files: `args` (the command line), `run`, `validate`, `graph` (one per command), `outcome` (the
//! JSON result of a run), `files` (reading inputs), `fail` (errors and exit codes).

mod args;
mod fail;
mod files;
mod graph;
mod outcome;
mod run;
mod validate;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    // A panic is a bug in stepmacro, never the user's doing: say so in one line, no backtrace.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        eprintln!("stepmacro: internal error (a bug in stepmacro, please report it): {what}");
    }));

    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::validate(a),
        Command::Graph(a) => graph::graph(a),
    };
    match result {
        Ok(code) => code.into(),
        Err(fail) => {
            fail.report();
            fail.code.into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use fail::Code;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn os_error_suffix_is_dropped() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(fail::plain(&e), "No such file or directory");
        assert_eq!(fail::plain(&"bad (thing)"), "bad (thing)");
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Code::Ok as u8, 0);
        assert_eq!(Code::Failed as u8, 1);
        assert_eq!(Code::Invalid as u8, 2);
    }
}
