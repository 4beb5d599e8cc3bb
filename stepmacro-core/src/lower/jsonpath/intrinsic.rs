//! Intrinsic function calls (`States.Format(..)`, `States.MathAdd(..)`, ...) as text.
//!
//! Inside a call, string literals are single-quoted and the four characters `'`, `{`, `}` and `\` are
//! escaped with a backslash (asl-reference §8.1); in a `States.Format` template an unescaped `{}` is a
//! placeholder, so literal text must escape its braces. A backslash is refused: its escape `\\` is
//! what the spec says, but asl-validator rejects it, and every emitted definition passes asl-validator.

/// `States.<name>(args…)`.
pub fn call(name: &str, args: &[String]) -> String {
    format!("States.{name}({})", args.join(", "))
}

/// Why literal text with a backslash is refused.
pub const BACKSLASH: &str = "a backslash in the literal text of a computed string (asl-validator rejects the intrinsic escape `\\\\`)";

/// A string literal argument whose value is exactly `s`.
pub fn string_literal(s: &str) -> Result<String, String> {
    Ok(format!("'{}'", escape(s)?))
}

/// Why literal text with a line break is refused.
pub const LINE_BREAK: &str = "a line break or control character in the literal text of a computed string (statelint rejects it in an intrinsic)";

/// `s` with the intrinsic escapes applied (no quotes).
pub fn escape(s: &str) -> Result<String, String> {
    if s.contains('\\') {
        return Err(BACKSLASH.to_owned());
    }
    if s.chars().any(|c| c.is_control() && c != '\t') {
        return Err(LINE_BREAK.to_owned());
    }
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '\'' | '{' | '}') {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(out)
}

/// A `States.Format` call from literal text and argument pieces, in order.
#[derive(Debug, Default)]
pub struct Format {
    template: String,
    args: Vec<String>,
    /// Literal text that cannot be written in a template.
    error: Option<String>,
}

impl Format {
    /// Literal text.
    pub fn text(&mut self, s: &str) {
        match escape(s) {
            Ok(e) => self.template.push_str(&e),
            Err(e) => self.error = Some(e),
        }
    }

    /// A placeholder for one argument (its text as an intrinsic argument).
    pub fn arg(&mut self, arg: String) {
        self.template.push_str("{}");
        self.args.push(arg);
    }

    /// The call.
    pub fn finish(self) -> Result<String, String> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut args = vec![format!("'{}'", self.template)];
        args.extend(self.args);
        Ok(call("Format", &args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_three_characters_and_refuse_a_backslash() {
        assert_eq!(string_literal("a'b{c}d").unwrap(), r"'a\'b\{c\}d'");
        assert_eq!(string_literal("é 😀").unwrap(), "'é 😀'");
        assert_eq!(string_literal(r"a\b").unwrap_err(), BACKSLASH);
        assert_eq!(string_literal("a\nb").unwrap_err(), LINE_BREAK);
        assert_eq!(string_literal("a\tb").unwrap(), "'a\tb'");
        let mut f = Format::default();
        f.text(r"c:\");
        assert_eq!(f.finish().unwrap_err(), BACKSLASH);
    }

    #[test]
    fn format_calls() {
        let mut f = Format::default();
        f.text("n = {");
        f.arg("$n".into());
        f.text("}");
        assert_eq!(f.finish().unwrap(), r"States.Format('n = \{{}\}', $n)");
        assert_eq!(
            call("MathAdd", &["$i".into(), "1".into()]),
            "States.MathAdd($i, 1)"
        );
    }
}
