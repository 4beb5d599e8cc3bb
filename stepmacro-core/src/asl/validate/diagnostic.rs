//! [`Diagnostic`]: one finding of the validator, naming the state and the rule it breaks.

use std::fmt;

/// The static-validation rules, numbered as in asl-reference.md §10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// 1. Every machine/branch/processor has a `StartAt` naming a state of its own non-empty `States`.
    StartAt,
    /// 2. Valid JSON, valid `Type`, no unknown fields, well-typed values.
    Shape,
    /// 3. State names ≤ 80 characters, unique across all scopes.
    StateNames,
    /// 4. `Next`/`Default`/rule `Next`/Catcher `Next` target the same `States` object.
    TransitionScope,
    /// 5. Exactly one of `Next`/`"End": true` where required, neither on Choice/Succeed/Fail.
    NextOrEnd,
    /// 6. Each `States` object has a terminal state.
    Terminal,
    /// 7. Every state is reachable from its `StartAt`.
    Reachable,
    /// 8. Choice rule shape.
    ChoiceRules,
    /// 9. Retry/Catch shape, `States.ALL` placement, retrier bounds.
    RetryCatch,
    /// 10. Exclusive field pairs, one Wait timing field, Map processor/selector, numeric bounds.
    FieldConstraints,
    /// 11. Fields follow the state-type matrix.
    FieldMatrix,
    /// 12. Fields follow the query language; every `{% %}` parses.
    QueryLanguage,
    /// 13. Paths, reference paths, `.$` templates, intrinsic calls.
    Paths,
    /// 14. Variable names and scopes.
    Variables,
    /// 15. Definition and payload size limits.
    Size,
}

impl Rule {
    /// Every rule, in checklist order.
    pub const ALL: [Rule; 15] = [
        Rule::StartAt,
        Rule::Shape,
        Rule::StateNames,
        Rule::TransitionScope,
        Rule::NextOrEnd,
        Rule::Terminal,
        Rule::Reachable,
        Rule::ChoiceRules,
        Rule::RetryCatch,
        Rule::FieldConstraints,
        Rule::FieldMatrix,
        Rule::QueryLanguage,
        Rule::Paths,
        Rule::Variables,
        Rule::Size,
    ];

    /// The item number in asl-reference.md §10.
    pub fn number(self) -> u8 {
        Rule::ALL
            .iter()
            .position(|r| *r == self)
            .map_or(0, |i| i as u8 + 1)
    }

    /// A one-line statement of the rule, used at the end of every message.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::StartAt => "StartAt names a state of its own non-empty States object",
            Rule::Shape => "states have a valid Type, known fields and well-typed values",
            Rule::StateNames => "state names are 1-80 characters and unique across all scopes",
            Rule::TransitionScope => "transitions stay in their States object",
            Rule::NextOrEnd => {
                "Task/Pass/Wait/Parallel/Map have exactly one of Next and \"End\": true; Choice/Succeed/Fail have neither"
            }
            Rule::Terminal => "every States object has a terminal state",
            Rule::Reachable => "every state is reachable from its StartAt",
            Rule::ChoiceRules => "Choice rules are well-formed",
            Rule::RetryCatch => "Retry/Catch entries are well-formed and within bounds",
            Rule::FieldConstraints => "exclusive fields, required alternatives and numeric bounds",
            Rule::FieldMatrix => "fields follow the state-type field matrix",
            Rule::QueryLanguage => {
                "fields follow the state's query language and every {% %} expression parses"
            }
            Rule::Paths => {
                "paths, reference paths, .$ templates and intrinsic calls are well-formed"
            }
            Rule::Variables => {
                "variable names are identifiers other than `states`, not shadowing outer scopes"
            }
            Rule::Size => "definition ≤ 1 MB and literal payloads ≤ 256 KiB",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rule {}: {}", self.number(), self.summary())
    }
}

/// How bad a finding is. Only errors make a definition invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// AWS (or the spec) rejects the definition.
    Error,
    /// Probably a mistake, but AWS's behaviour is unconfirmed (see asl-reference.md §12).
    Warning,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// The offending state's name; `None` for machine- or scope-level findings.
    pub state: Option<String>,
    /// Where the state (or scope) is: empty for the top level, else e.g.
    /// `Enrich.ItemProcessor > Lookups.Branches[0]` (or `inside "P"` for parse errors).
    pub scope: String,
    /// What is wrong, without location or rule.
    pub message: String,
}

impl Diagnostic {
    /// Whether this finding makes the definition invalid.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `state "A" (in P.Branches[0]): Next "B" does not name a state in this scope (rule 4: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        match (&self.state, self.scope.is_empty()) {
            (Some(state), true) => write!(f, "state {state:?}: ")?,
            (Some(state), false) => write!(f, "state {state:?} (in {}): ", self.scope)?,
            (None, true) => f.write_str("top level: ")?,
            (None, false) => write!(f, "{}: ", self.scope)?,
        }
        write!(f, "{} ({})", self.message, self.rule)
    }
}

/// Whether no diagnostic is an error.
pub fn is_valid(diagnostics: &[Diagnostic]) -> bool {
    !diagnostics.iter().any(Diagnostic::is_error)
}
