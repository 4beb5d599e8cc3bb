//! `stepmacro run DEF.json [--input FILE|-] [--mocks FILE] [--real-time] [--seed N] [--no-trace]`:
//! one execution on the embedded interpreter.
//!
//! Everything that can be wrong with the files is checked before the run starts (readable, JSON,
//! the static validator, the interpreter's own load checks, the mocks file), so exit code 2 always
//! means "fix the inputs" and 1 always means "the workflow failed".

use std::path::Path;

use serde_json::Value;
use stepmacro_core::asl::{Severity, validate_json};
use stepmacro_runtime::interpreter::{Clock, Interpreter, trace};
use stepmacro_runtime::mock::Mocks;
use stepmacro_runtime::mock_file;

use crate::args::RunArgs;
use crate::fail::{Code, Fail, plain};
use crate::files::{read_json, read_text, shown};
use crate::outcome::Outcome;

pub fn run(args: &RunArgs) -> Result<Code, Fail> {
    if args.input.as_deref().is_some_and(is_stdin) && is_stdin(&args.definition) {
        return Err(Fail::invalid(
            "the definition and the input cannot both come from standard input",
        ));
    }
    let interpreter = load_definition(&args.definition)?;
    let input = match &args.input {
        Some(path) => read_json(path)?,
        None => Value::Object(Default::default()),
    };
    let mocks = match &args.mocks {
        Some(path) => load_mocks(path)?,
        None => Mocks::new(),
    };
    let mut interpreter = interpreter.tasks(mocks).clock(if args.real_time {
        Clock::Real
    } else {
        Clock::Virtual
    });
    if let Some(seed) = args.seed {
        interpreter = interpreter.seed(seed);
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| Fail::invalid(format!("cannot start the async runtime: {}", plain(&e))))?;
    let execution = runtime.block_on(interpreter.run(input));

    if !args.no_trace {
        eprint!("{}", trace(&execution.history));
    }
    let outcome = Outcome::of(&execution);
    let json = if args.pretty {
        serde_json::to_string_pretty(&outcome)
    } else {
        serde_json::to_string(&outcome)
    };
    println!(
        "{}",
        json.map_err(|e| Fail::invalid(format!("cannot print the result: {e}")))?
    );

    if let Some((error, cause)) = outcome.harness_error() {
        let mut lines = vec![format!(
            "the run stopped on a test-harness error, not a workflow error: {error}: {cause}"
        )];
        if error == "Harness.NoMock" && args.mocks.is_none() {
            lines.push(
                "tasks are answered by mocks: pass --mocks FILE (asl-check MOCKS.json format)"
                    .to_owned(),
            );
        }
        return Err(Fail {
            lines,
            code: Code::Invalid,
        });
    }
    Ok(if execution.output().is_some() {
        Code::Ok
    } else {
        Code::Failed
    })
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads, validates and loads a definition. Validator warnings are printed and do not stop the
/// run; errors do, each on its own line.
fn load_definition(path: &Path) -> Result<Interpreter, Fail> {
    let text = read_text(path)?;
    let name = shown(path);
    // Not JSON at all: one line, rather than the validator's rule-2 finding.
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
        return Err(Fail::invalid(format!("{name} is not valid JSON: {e}")));
    }
    let diagnostics = validate_json(&text);
    let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .iter()
        .partition(|d| d.severity == Severity::Error);
    for w in &warnings {
        eprintln!("stepmacro: {name}: {w}");
    }
    if !errors.is_empty() {
        let mut lines = vec![format!(
            "{name} is not a valid state machine ({}):",
            count(errors.len(), "error")
        )];
        lines.extend(errors.iter().map(|d| format!("{name}: {d}")));
        return Err(Fail {
            lines,
            code: Code::Invalid,
        });
    }
    Interpreter::new(text.as_str()).map_err(|e| Fail::invalid(format!("{name}: {e}")))
}

fn load_mocks(path: &Path) -> Result<Mocks, Fail> {
    let text = read_text(path)?;
    mock_file::from_json(&text).map_err(|e| Fail::invalid(format!("{}: {e}", shown(path))))
}

/// `1 error`, `2 errors`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
