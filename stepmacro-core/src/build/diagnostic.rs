//! A build-script diagnostic: `src/file.rs:LINE:COL: error: message`, the shape editors and terminals
//! turn into a link, printed as `cargo:warning=` lines and on stderr.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

/// One located message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// The file, relative to the crate root.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// The message; may span lines (`\n  = help: ..`).
    pub message: String,
}

impl Diagnostic {
    /// The first message of `err`, as a warning (used for things that do not stop the build).
    pub fn from_syn(file: &Path, err: &syn::Error) -> Diagnostic {
        let mut d = located(file, err, Level::Warning);
        d.message = err.to_string();
        d
    }

    /// Every message of `err` (a combined error holds several), as errors.
    pub fn all_from_syn(file: &Path, err: &syn::Error) -> Vec<Diagnostic> {
        err.clone()
            .into_iter()
            .map(|e| located(file, &e, Level::Error))
            .collect()
    }

    /// The `cargo:warning=` lines for this diagnostic (cargo takes one line per instruction).
    pub fn cargo_lines(&self) -> Vec<String> {
        self.to_string()
            .lines()
            .map(|l| format!("cargo:warning={l}"))
            .collect()
    }
}

fn located(file: &Path, err: &syn::Error, level: Level) -> Diagnostic {
    // proc-macro2's `span-locations` (enabled in this crate) gives real positions when the source was
    // parsed outside a proc macro, as the driver does.
    let start = err.span().start();
    Diagnostic {
        level,
        file: file.to_path_buf(),
        line: start.line,
        column: start.column + 1,
        message: err.to_string(),
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        // Forward slashes on every platform, so messages (and tests) read the same everywhere.
        let file = self.file.to_string_lossy().replace('\\', "/");
        write!(
            f,
            "{file}:{}:{}: {level}: {}",
            self.line, self.column, self.message
        )
    }
}
