//! How a command stops early: a few lines for the user (each printed as `stepmacro: ...` on
//! stderr) and an exit code. Every error the user can cause ends up here, so none surfaces as a
//! backtrace or a Rust type name.

use std::fmt::Display;
use std::process::ExitCode;

/// The exit codes shared by every command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// Succeeded / everything valid.
    Ok = 0,
    /// The execution failed or timed out / some definition is invalid (`validate`).
    Failed = 1,
    /// Could not do the job: unreadable file, bad JSON, invalid definition, missing mock.
    Invalid = 2,
}

impl From<Code> for ExitCode {
    fn from(c: Code) -> Self {
        ExitCode::from(c as u8)
    }
}

/// A command that could not go on.
#[derive(Debug)]
pub struct Fail {
    pub lines: Vec<String>,
    pub code: Code,
}

impl Fail {
    /// One line, exit 2.
    pub fn invalid(line: impl Into<String>) -> Self {
        Fail {
            lines: vec![line.into()],
            code: Code::Invalid,
        }
    }

    /// Prints the lines to stderr.
    pub fn report(&self) {
        for line in &self.lines {
            eprintln!("stepmacro: {line}");
        }
    }
}

/// An I/O or parse error's text without the `(os error N)` suffix, which says nothing to a user.
pub fn plain(err: &impl Display) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_owned(),
        _ => text,
    }
}
