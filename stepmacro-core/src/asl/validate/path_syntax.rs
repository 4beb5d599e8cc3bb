//! Syntax checks for JSONPath-mode paths (asl-reference §3.2): *Paths* (Jayway-style, may use filters,
//! wildcards, slices, unions, deep scan, functions) and *reference paths* (one node: `.name`,
//! `['name']`, `[index]` only).
//!
//! This is a recogniser, not an evaluator (the interpreter owns evaluation): it accepts exactly the
//! shapes above and reports the first problem.

/// What a path starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Root {
    /// `$`: the state's input (or the template's input).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable.
    Variable(String),
}

/// A recognised path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedPath {
    pub root: Root,
    /// Whether every step is `.name`, `['name']` or `[index]` (a reference path).
    pub reference: bool,
}

/// Characters that make a dotted name step non-definite (or are invalid in a reference path).
const SPECIAL: &[char] = &['@', ',', ':', '?', '*', '(', ')', '\'', '"'];

/// Recognises a Path; `reference` in the result tells whether it is also a reference path.
pub(crate) fn parse_path(text: &str) -> Result<ParsedPath, String> {
    let Some(after_dollar) = text.strip_prefix('$') else {
        return Err("must start with `$`".to_owned());
    };
    let (root, rest) = if let Some(rest) = after_dollar.strip_prefix('$') {
        (Root::Context, rest)
    } else if after_dollar.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        let end = after_dollar
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after_dollar.len());
        (
            Root::Variable(after_dollar[..end].to_owned()),
            &after_dollar[end..],
        )
    } else {
        (Root::Input, after_dollar)
    };
    let reference = parse_steps(rest)?;
    Ok(ParsedPath { root, reference })
}

/// Parses the steps after the root; returns whether they are all definite.
fn parse_steps(mut rest: &str) -> Result<bool, String> {
    let mut definite = true;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("..") {
            definite = false;
            rest = after;
            if rest.starts_with('[') {
                continue;
            }
            rest = name_step(rest, &mut definite)?;
        } else if let Some(after) = rest.strip_prefix('.') {
            rest = name_step(after, &mut definite)?;
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = closing_bracket(after)?;
            let inner = after[..end].trim();
            if inner.is_empty() {
                return Err("empty `[]` step".to_owned());
            }
            if !(is_index(inner) || is_single_quoted_name(inner)) {
                definite = false;
            }
            rest = &after[end + 1..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            return Err(format!(
                "unexpected {c:?}; steps are `.name`, `[...]` or `..name`"
            ));
        }
    }
    Ok(definite)
}

/// One `.name` / `.*` / `.fn()` step (the leading dot already consumed).
fn name_step<'t>(text: &'t str, definite: &mut bool) -> Result<&'t str, String> {
    let end = text.find(['.', '[']).unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() {
        return Err("empty name after `.`".to_owned());
    }
    if name.contains(']') {
        return Err(format!("unexpected `]` in {name:?}"));
    }
    if name.chars().any(char::is_whitespace) {
        return Err(format!("name {name:?} contains whitespace; use ['{name}']"));
    }
    if name.contains(SPECIAL) {
        *definite = false;
    }
    Ok(&text[end..])
}

/// Index of the `]` closing a bracket step, skipping quoted strings and nested brackets/parentheses.
fn closing_bracket(text: &str) -> Result<usize, String> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' | '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ']' if depth == 0 => return Ok(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    Err("unclosed `[`".to_owned())
}

fn is_index(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// `'name'` or `"name"`, one quoted string with no unescaped quote inside.
fn is_single_quoted_name(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(q @ ('\'' | '"')) = chars.next() else {
        return false;
    };
    let body = &text[1..];
    let Some(inner) = body.strip_suffix(q) else {
        return false;
    };
    let mut escaped = false;
    for c in inner.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == q {
            return false;
        }
    }
    !escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(text: &str) -> bool {
        parse_path(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .reference
    }

    #[test]
    fn recognises_paths() {
        assert!(reference("$"));
        assert!(reference("$.a.b[0]['c d']"));
        assert!(reference("$$.Map.Item.Value"));
        assert!(reference("$var.x[2]"));
        assert!(!reference("$.a[?(@.p < 2)].sku"));
        assert!(!reference("$..x"));
        assert!(!reference("$.a[*]"));
        assert!(!reference("$.a[0,2]"));
        assert!(!reference("$.a[1:3]"));
        assert!(!reference("$.a.length()"));
        assert_eq!(parse_path("$$.x").unwrap().root, Root::Context);
        assert_eq!(parse_path("$v").unwrap().root, Root::Variable("v".into()));
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in [
            "x", "", "$.", "$.a[", "$.a[]", "$ .a", "$.a b", "$a..", "$.a]",
        ] {
            assert!(parse_path(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
