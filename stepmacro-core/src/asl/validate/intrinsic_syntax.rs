//! Syntax check for JSONPath intrinsic function calls (asl-reference §8.1):
//! `States.Name(arg, ...)` with arguments that are `'strings'`, numbers, `null`, booleans, Paths or
//! nested calls (≤ 10 deep). Escapes in strings: `\'`, `\{`, `\}`, `\\`.

use super::path_syntax::parse_path;

/// Every intrinsic function.
pub(crate) const INTRINSICS: &[&str] = &[
    "States.Format",
    "States.StringToJson",
    "States.JsonToString",
    "States.Array",
    "States.ArrayPartition",
    "States.ArrayContains",
    "States.ArrayRange",
    "States.ArrayGetItem",
    "States.ArrayLength",
    "States.ArrayUnique",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.JsonMerge",
    "States.MathRandom",
    "States.MathAdd",
    "States.StringSplit",
    "States.UUID",
];

/// The intrinsics that return a string (allowed as Fail `ErrorPath`/`CausePath`).
pub(crate) const STRING_INTRINSICS: &[&str] = &[
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
];

const MAX_DEPTH: usize = 10;

/// Whether `text` looks like an intrinsic call at all (so the error should be about the call).
pub(crate) fn looks_like_intrinsic(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// Parses a whole intrinsic call; returns the outer function's name.
pub(crate) fn parse_intrinsic(text: &str) -> Result<String, String> {
    let mut parser = Parser { text, pos: 0 };
    parser.skip_ws();
    let name = parser.call(1)?;
    parser.skip_ws();
    if parser.pos != text.len() {
        return Err(format!(
            "unexpected text after the call: {:?}",
            &text[parser.pos..]
        ));
    }
    Ok(name)
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn call(&mut self, depth: usize) -> Result<String, String> {
        if depth > MAX_DEPTH {
            return Err(format!("intrinsic calls nest at most {MAX_DEPTH} deep"));
        }
        let rest = self.rest();
        let end = rest
            .find('(')
            .ok_or_else(|| "expected `States.Name(`".to_owned())?;
        let name = rest[..end].trim_end().to_owned();
        if !INTRINSICS.contains(&name.as_str()) {
            return Err(format!("unknown intrinsic function {name:?}"));
        }
        self.pos += end + 1;
        self.skip_ws();
        if let Some(after) = self.rest().strip_prefix(')') {
            self.pos = self.text.len() - after.len();
            return Ok(name);
        }
        loop {
            self.skip_ws();
            self.argument(depth)?;
            self.skip_ws();
            let rest = self.rest();
            if let Some(after) = rest.strip_prefix(',') {
                self.pos = self.text.len() - after.len();
            } else if let Some(after) = rest.strip_prefix(')') {
                self.pos = self.text.len() - after.len();
                return Ok(name);
            } else {
                return Err(format!("expected `,` or `)` in the arguments of {name}"));
            }
        }
    }

    fn argument(&mut self, depth: usize) -> Result<(), String> {
        let rest = self.rest();
        if rest.starts_with('\'') {
            return self.string();
        }
        if rest.starts_with("States.") {
            return self.call(depth + 1).map(|_| ());
        }
        // Paths, numbers, null, booleans: up to the next top-level `,` or `)`.
        let end = argument_end(rest);
        let token = rest[..end].trim();
        if token.is_empty() {
            return Err("empty argument".to_owned());
        }
        if token.starts_with('$') {
            parse_path(token)
                .map_err(|e| format!("argument {token:?} is not a valid path: {e}"))?;
        } else if !(token == "null"
            || token == "true"
            || token == "false"
            || token.parse::<f64>().is_ok())
        {
            return Err(format!(
                "argument {token:?} is not a 'string', number, null, path or intrinsic call"
            ));
        }
        self.pos += end;
        Ok(())
    }

    fn string(&mut self) -> Result<(), String> {
        let mut escaped = false;
        for (i, c) in self.rest().char_indices().skip(1) {
            if escaped {
                if !matches!(c, '\'' | '{' | '}' | '\\') {
                    return Err(format!(
                        "`\\{c}` is not an intrinsic string escape (use \\' \\{{ \\}} \\\\)"
                    ));
                }
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '\'' {
                self.pos += i + 1;
                return Ok(());
            }
        }
        Err("unterminated 'string'".to_owned())
    }
}

/// End of a non-string argument: the first `,` or `)` outside brackets and quotes.
fn argument_end(text: &str) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' | '(' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ')' if depth == 0 => return i,
            ')' => depth -= 1,
            ',' if depth == 0 => return i,
            _ => {}
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_calls() {
        for ok in [
            "States.UUID()",
            "States.Format('order {} failed: {}', $.order.id, $.error.Cause)",
            "States.MathAdd($.n, -1.5)",
            "States.Array(1, 'a', null, true, $$.Execution.Name, $var)",
            "States.JsonToString(States.Array($.a[0,1], States.ArrayLength($.xs)))",
            "States.Format('\\{\\} \\' \\\\ {}', $.x)",
        ] {
            parse_intrinsic(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        assert_eq!(
            parse_intrinsic("States.Hash($.x, 'SHA-256')").unwrap(),
            "States.Hash"
        );
    }

    #[test]
    fn rejects_malformed_calls() {
        for bad in [
            "States.Nope()",
            "States.Format('x'",
            "States.Format('x') extra",
            "States.Format(x)",
            "States.Format('\\n')",
            "States.Array(,)",
            "States.Array($.)",
        ] {
            assert!(parse_intrinsic(bad).is_err(), "{bad:?} should be rejected");
        }
        let deep = format!("{}1{}", "States.Array(".repeat(11), ")".repeat(11));
        assert!(parse_intrinsic(&deep).unwrap_err().contains("nest"));
    }
}
