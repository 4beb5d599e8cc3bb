//! Intrinsic function calls (`States.Format(..)`, `States.MathAdd(..)`, ...) as text.
//!
//! Inside a call, string literals are single-quoted and the four characters `'`, `{`, `}` and `\` are
//! escaped with a backslash (asl-reference §8.1); in a `States.Format` template an unescaped `{}` is a
//! placeholder, so literal text must escape its braces.

/// `States.<name>(args…)`.
pub fn call(name: &str, args: &[String]) -> String {
    format!("States.{name}({})", args.join(", "))
}

/// A string literal argument whose value is exactly `s`.
pub fn string_literal(s: &str) -> String {
    format!("'{}'", escape(s))
}

/// `s` with the intrinsic escapes applied (no quotes).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '\'' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A `States.Format` call from literal text and argument pieces, in order.
#[derive(Debug, Default)]
pub struct Format {
    template: String,
    args: Vec<String>,
}

impl Format {
    /// Literal text.
    pub fn text(&mut self, s: &str) {
        self.template.push_str(&escape(s));
    }

    /// A placeholder for one argument (its text as an intrinsic argument).
    pub fn arg(&mut self, arg: String) {
        self.template.push_str("{}");
        self.args.push(arg);
    }

    /// The call.
    pub fn finish(self) -> String {
        let mut args = vec![format!("'{}'", self.template)];
        args.extend(self.args);
        call("Format", &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_the_four_characters() {
        assert_eq!(string_literal(r"a'b{c}d\e"), r"'a\'b\{c\}d\\e'");
        assert_eq!(string_literal("é 😀"), "'é 😀'");
    }

    #[test]
    fn format_calls() {
        let mut f = Format::default();
        f.text("n = {");
        f.arg("$n".into());
        f.text("}");
        assert_eq!(f.finish(), r"States.Format('n = \{{}\}', $n)");
        assert_eq!(
            call("MathAdd", &["$i".into(), "1".into()]),
            "States.MathAdd($i, 1)"
        );
    }
}
