//! Static validation of a state machine: every rule of asl-reference.md §10, each finding naming the
//! state (with its scope) and the rule.
//!
//! * [`validate`] checks a parsed [`StateMachine`]. Rules the typed model already enforces while
//!   parsing (unknown fields, fields a state type cannot have, `Type`) cannot fail here.
//! * [`validate_json`] also turns parse errors into diagnostics, so it is the entry point for files.
//!
//! One file per rule family; `inventory` lists each state's fields by kind for the rules that care
//! about payloads, paths and expressions.

mod choice;
mod constraints;
mod diagnostic;
mod graph;
mod intrinsic_syntax;
mod inventory;
mod jsonata_scope;
mod language;
mod names;
mod parse_error;
mod path_syntax;
mod paths;
mod retry;
mod size;
pub(crate) mod timestamp;
mod variables;

pub use diagnostic::{Diagnostic, Rule, Severity, is_valid};

use super::machine::StateMachine;
use super::walk::{ScopePath, WalkEntry};

/// Checks every rule of §10 on a parsed machine. Findings come in rule order, then document order.
pub fn validate(machine: &StateMachine) -> Vec<Diagnostic> {
    let mut ctx = Ctx { out: Vec::new() };
    graph::check(machine, &mut ctx);
    names::check(machine, &mut ctx);
    choice::check(machine, &mut ctx);
    retry::check(machine, &mut ctx);
    constraints::check(machine, &mut ctx);
    language::check(machine, &mut ctx);
    paths::check(machine, &mut ctx);
    variables::check(machine, &mut ctx);
    size::check(machine, &mut ctx);
    // Stable: rule order, then the order the checks found them in (document order).
    ctx.out.sort_by_key(|d| d.rule);
    ctx.out
}

/// Parses and validates a definition text. A parse error becomes a single diagnostic (naming the state
/// when the error is inside one); otherwise the result is [`validate`]'s plus the size of `text` itself.
pub fn validate_json(text: &str) -> Vec<Diagnostic> {
    match StateMachine::from_json(text) {
        Err(err) => vec![parse_error::diagnostic(&err)],
        Ok(machine) => {
            let mut out = validate(&machine);
            if !out
                .iter()
                .any(|d| d.rule == Rule::Size && d.state.is_none())
                && let Some(d) = size::text_size(text.len())
            {
                out.push(d);
                out.sort_by_key(|d| d.rule);
            }
            out
        }
    }
}

/// Collects findings.
pub(crate) struct Ctx {
    out: Vec<Diagnostic>,
}

impl Ctx {
    fn push(
        &mut self,
        rule: Rule,
        severity: Severity,
        state: Option<&str>,
        scope: &ScopePath,
        message: String,
    ) {
        let scope = if scope.is_root() {
            String::new()
        } else {
            scope.to_string()
        };
        self.out.push(Diagnostic {
            rule,
            severity,
            state: state.map(str::to_owned),
            scope,
            message,
        });
    }

    /// An error about a state.
    pub(crate) fn error(&mut self, at: &WalkEntry<'_>, rule: Rule, message: impl Into<String>) {
        self.push(
            rule,
            Severity::Error,
            Some(at.name),
            &at.scope,
            message.into(),
        );
    }

    /// A warning about a state.
    pub(crate) fn warn(&mut self, at: &WalkEntry<'_>, rule: Rule, message: impl Into<String>) {
        self.push(
            rule,
            Severity::Warning,
            Some(at.name),
            &at.scope,
            message.into(),
        );
    }

    /// An error about a whole `States` object (the top level when `scope` is the root).
    pub(crate) fn scope_error(
        &mut self,
        scope: &ScopePath,
        rule: Rule,
        message: impl Into<String>,
    ) {
        self.push(rule, Severity::Error, None, scope, message.into());
    }
}

/// Integer value of a JSON number, accepting integral floats (`5.0`), rejecting fractions.
pub(crate) fn integer(n: &serde_json::Number) -> Option<i128> {
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    let f = n.as_f64()?;
    (f.fract() == 0.0 && f.abs() < 1e30).then_some(f as i128)
}
