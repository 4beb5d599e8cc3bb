//! Recognising JSONata expressions (`"{% ... %}"` strings) in JSONata-mode fields.

/// The body of a JSONata expression string, if `text` is one.
///
/// ASL treats a string as an expression exactly when it starts with `{%` and ends with `%}` (nothing
/// outside, not even whitespace); every other string is a literal. The body is returned untrimmed.
pub fn jsonata_body(text: &str) -> Option<&str> {
    text.strip_prefix("{%")
        .and_then(|rest| rest.strip_suffix("%}"))
}

/// Whether `text` is a JSONata expression string (`"{% ... %}"`).
pub fn is_jsonata(text: &str) -> bool {
    jsonata_body(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_expressions() {
        assert_eq!(jsonata_body("{% $x + 1 %}"), Some(" $x + 1 "));
        assert_eq!(jsonata_body("{%%}"), Some(""));
        assert_eq!(jsonata_body(" {% 1 %}"), None);
        assert_eq!(jsonata_body("{%"), None);
        assert!(!is_jsonata("$.x"));
    }
}
