//! JSONata source-text helpers: string literals, names, numbers and the `{% %}` wrapper.
//!
//! Every expression the compiler emits ends up inside an ASL string of the form `"{% code %}"`. The
//! helpers here produce text that is valid, plain JSONata 2.x for the three engines our definitions meet:
//! jsonata-js (AWS), jsonata-python (moto and LocalStack in the independent checker) and jsonata-core (the
//! embedded interpreter). Where those engines disagree, the helpers pick the form all of them read alike:
//!
//! * string literals use single quotes (the ASL convention, and no `\"` noise in the JSON file); a `'`
//!   inside is written `\u0027` because jsonata-js rejects the escape `\'`;
//! * characters outside ASCII are written raw, never as `\uD83D\uDE00` surrogate pairs, which
//!   jsonata-python keeps as two lone surrogates;
//! * the two-character sequence `%}` never appears in a literal (the `}` becomes `\u007d`), so no ASL
//!   engine can take it for the end of the `{% … %}` wrapper.

use std::fmt::Write as _;

/// A JSONata string literal whose value is exactly `s`.
///
/// The result is single-quoted. Escaped: `'` (as `\u0027`), `\` (as `\\`), the C0 controls and DEL
/// (`\n`, `\t`, … or `\u00XX`), and a `}` that follows `%` (as `\u007d`). Everything else, including
/// non-ASCII text, emoji and U+2028/U+2029, is written as is.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    let mut prev = '\0';
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\u0027"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '}' if prev == '%' => out.push_str("\\u007d"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
        prev = c;
    }
    out.push('\'');
    out
}

/// The expression wrapped for an ASL JSONata field: `{% code %}`.
///
/// The spaces keep a trailing `%` operator or a leading `}` of `code` from forming `%}`/`{%` with the
/// delimiters; [`string_literal`] guarantees that literals inside `code` contain no `%}`.
pub fn embed(code: &str) -> String {
    debug_assert!(
        !code.contains("%}"),
        "JSONata code must not contain `%}}`: {code}"
    );
    format!("{{% {code} %}}")
}

/// JSONata words that cannot be used as a bare field name in a path.
const KEYWORDS: &[&str] = &["and", "or", "in", "true", "false", "null", "function"];

/// True when `name` can follow a `.` in a path without quoting.
pub fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// `base.name`: the value of field `name` of the object `base` (an atom).
///
/// Plain names are written bare, others in backquotes; a name containing a backquote (which JSONata
/// cannot escape there) falls back to `$lookup`.
pub fn field(base: &str, name: &str) -> String {
    if is_plain_name(name) {
        format!("{base}.{name}")
    } else if !name.contains('`') && !name.is_empty() {
        format!("{base}.`{name}`")
    } else {
        format!("$lookup({base}, {})", string_literal(name))
    }
}

/// An object-constructor key for `name`.
pub fn key(name: &str) -> String {
    string_literal(name)
}

/// The JSONata literal for a finite `f64` that reads back as exactly the same double.
///
/// Rust's `Display` gives the shortest decimal that round-trips, which every conforming number parser
/// (JavaScript's, Python's, Rust's) reads back to the same value; very long forms use exponent
/// notation, which JSONata also accepts. Returns `None` for NaN and infinities (no JSON/JSONata form).
pub fn float_literal(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    let plain = format!("{v}");
    let text = if plain.len() <= 21 {
        plain
    } else {
        format!("{v:e}")
    };
    // `-0` would print as `-0`; JSON has no negative zero in practice and JSONata reads it as 0.
    Some(if text == "-0" { "0".to_owned() } else { text })
}

/// True when `code` is cheap and side-effect free to repeat: a variable, a path of plain names from a
/// variable, or a number, boolean, null or short string literal.
pub fn is_simple(code: &str) -> bool {
    if let Some(rest) = code.strip_prefix('$') {
        return !rest.is_empty()
            && rest.split('.').all(|seg| {
                !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
    }
    if matches!(code, "true" | "false" | "null") {
        return true;
    }
    if code.starts_with('\'') && code.ends_with('\'') && code.len() <= 40 {
        return code[1..code.len() - 1].chars().all(|c| c != '\'');
    }
    let num = code.strip_prefix('-').unwrap_or(code);
    num.starts_with(|c: char| c.is_ascii_digit())
        && num
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

/// True when `code` can be used as an operand anywhere without parentheses: simple codes, function calls
/// `$f(..)`, and codes already wrapped in one pair of matching brackets.
pub fn is_atom(code: &str) -> bool {
    if is_simple(code) {
        return true;
    }
    let bytes = code.as_bytes();
    let (open, close) = match bytes.first() {
        Some(b'(') => (b'(', b')'),
        Some(b'[') => (b'[', b']'),
        Some(b'{') => (b'{', b'}'),
        Some(b'$') => {
            // `$name(` … `)` covering the whole code.
            let name_len = code[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map(|i| i + 1);
            return match name_len {
                Some(n) if bytes.get(n) == Some(&b'(') => encloses(&code[n..], b'(', b')'),
                _ => false,
            };
        }
        _ => return false,
    };
    encloses(code, open, close)
}

/// True when the bracket opening `code` is closed by its last character (strings skipped).
fn encloses(code: &str, open: u8, close: u8) -> bool {
    let bytes = code.as_bytes();
    if bytes.first() != Some(&open) || bytes.last() != Some(&close) {
        return false;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'\'' | b'"' | b'`' => quote = Some(b),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i != bytes.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// `code` as an atom: unchanged when it already is one, parenthesised otherwise.
pub fn atom(code: &str) -> String {
    if is_atom(code) {
        code.to_owned()
    } else {
        format!("({code})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_what_they_must() {
        assert_eq!(string_literal("it's"), r"'it\u0027s'");
        assert_eq!(string_literal("a\\b"), r"'a\\b'");
        assert_eq!(string_literal("100%}"), r"'100%\u007d'");
        assert_eq!(string_literal("}%"), "'}%'");
        assert_eq!(string_literal("\u{1}\n"), r"'\u0001\n'");
        assert_eq!(string_literal("é😀\"{"), "'é😀\"{'");
    }

    #[test]
    fn atoms() {
        assert!(is_atom("$a.b"));
        assert!(is_atom("($a + 1)"));
        assert!(!is_atom("($a) + ($b)"));
        assert!(is_atom("$count($a)"));
        assert!(!is_atom("$count($a) + 1"));
        assert!(is_atom("[1, ')']"));
        assert!(!is_atom("$a + 1"));
        assert!(is_atom("-1.5e3"));
    }

    #[test]
    fn floats() {
        assert_eq!(float_literal(1.0).unwrap(), "1");
        assert_eq!(float_literal(0.1).unwrap(), "0.1");
        assert_eq!(float_literal(1e300).unwrap(), "1e300");
        assert_eq!(float_literal(f64::NAN), None);
    }
}
