//! [`AslError`]: why a definition could not be parsed into the typed model.

use std::fmt;

/// A definition that is not valid JSON, or whose JSON does not fit the ASL model (unknown field, missing
/// required field, wrong type, unknown `Type`, duplicate state name).
///
/// Shape errors name the state they occur in: [`AslError::states`] is the chain of state names from the
/// top level down to the offending state (a state inside a Parallel branch gives `["Parallel", "Inner"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AslError {
    /// State names from the outermost to the offending state; empty for top-level or syntax errors.
    pub states: Vec<String>,
    /// The problem, without the state prefix.
    pub message: String,
    /// 1-based line of a JSON syntax error; 0 when the error is about the shape of valid JSON.
    pub line: usize,
    /// 1-based column of a JSON syntax error; 0 otherwise.
    pub column: usize,
}

/// Prefix used while an error bubbles up through nested `States` objects; see [`AslError::from_shape`].
pub(crate) fn state_prefix(name: &str, message: impl fmt::Display) -> String {
    format!("state {name:?}: {message}")
}

impl AslError {
    /// A JSON syntax (or I/O) error from serde_json.
    pub(crate) fn from_syntax(err: &serde_json::Error) -> Self {
        let text = err.to_string();
        let suffix = format!(" at line {} column {}", err.line(), err.column());
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
        AslError {
            states: Vec::new(),
            message: format!("invalid JSON: {message}"),
            line: err.line(),
            column: err.column(),
        }
    }

    /// A shape error whose message may start with a chain of `state "NAME": ` prefixes (added by each
    /// enclosing `States` object on the way up); the chain becomes [`AslError::states`].
    pub(crate) fn from_shape(text: &str) -> Self {
        let mut states = Vec::new();
        let mut rest = text;
        while let Some((name, after)) = strip_state_prefix(rest) {
            states.push(name);
            rest = after;
        }
        AslError {
            states,
            message: rest.to_owned(),
            line: 0,
            column: 0,
        }
    }

    /// The offending state's own name, if the error is inside a state.
    pub fn state(&self) -> Option<&str> {
        self.states.last().map(String::as_str)
    }
}

/// Parses one `state "NAME": ` prefix, with `NAME` in Rust `Debug` string escaping.
fn strip_state_prefix(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix("state \"")?;
    let mut name = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let rest = body[i + 1..].strip_prefix(": ")?;
                return Some((name, rest));
            }
            '\\' => {
                let (_, esc) = chars.next()?;
                match esc {
                    'n' => name.push('\n'),
                    'r' => name.push('\r'),
                    't' => name.push('\t'),
                    '0' => name.push('\0'),
                    'u' => {
                        // \u{XXXX}
                        let (_, open) = chars.next()?;
                        if open != '{' {
                            return None;
                        }
                        let mut hex = String::new();
                        for (_, h) in chars.by_ref() {
                            if h == '}' {
                                break;
                            }
                            hex.push(h);
                        }
                        name.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    other => name.push(other),
                }
            }
            other => name.push(other),
        }
    }
    None
}

impl fmt::Display for AslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((last, outer)) = self.states.split_last() {
            write!(f, "state {last:?}")?;
            if !outer.is_empty() {
                let path: Vec<String> = outer.iter().map(|s| format!("{s:?}")).collect();
                write!(f, " (inside {})", path.join(" > "))?;
            }
            write!(f, ": ")?;
        }
        f.write_str(&self.message)?;
        if self.line > 0 {
            write!(f, " at line {} column {}", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for AslError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_prefixes_become_a_state_path() {
        let text = state_prefix("Outer", state_prefix("In \"ner\"\n", "unknown field `Foo`"));
        let err = AslError::from_shape(&text);
        assert_eq!(err.states, ["Outer", "In \"ner\"\n"]);
        assert_eq!(err.message, "unknown field `Foo`");
        assert_eq!(
            err.to_string(),
            "state \"In \\\"ner\\\"\\n\" (inside \"Outer\"): unknown field `Foo`"
        );
    }

    #[test]
    fn unicode_escapes_are_decoded() {
        let text = state_prefix("a\u{301}\u{1}", "x");
        assert_eq!(AslError::from_shape(&text).states, ["a\u{301}\u{1}"]);
    }
}
