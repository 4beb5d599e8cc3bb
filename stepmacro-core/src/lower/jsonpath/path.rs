//! JSONPath path text: `$.name`, `$['odd name']`, `$var[0]`, `$$.Execution.Input`.
//!
//! Paths are built step by step from a root (`$`, `$$`, `$name`), so every path the conversion emits
//! is a *reference path* (only `.name`, `['name']` and `[index]` steps): it names exactly one node,
//! which is what JSONata's plain field access names, and it is accepted by every field that takes a
//! reference path (`ItemsPath`, `SecondsPath`, `ErrorPath`, the `…Path` Choice operators).

/// `base.name`, or `base['name']` when `name` is not a plain identifier.
///
/// Step Functions (Jayway) requires bracket notation for names outside the shorthand characters.
/// A name holding a quote or a backslash has no spelling that every engine reads alike, so it is
/// refused (`None`).
pub fn member(base: &str, name: &str) -> Option<String> {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        Some(format!("{base}.{name}"))
    } else if name.is_empty() || name.contains(['\'', '\\']) || name.chars().any(char::is_control) {
        None
    } else {
        Some(format!("{base}['{name}']"))
    }
}

/// `base[i]`.
pub fn index(base: &str, i: u64) -> String {
    format!("{base}[{i}]")
}

/// The path of workflow variable `name`.
pub fn variable(name: &str) -> String {
    format!("${name}")
}

/// True when `path` reads the state's input or result (`$` or `$.…`/`$[…]`), rather than a variable
/// (`$name`) or the context object (`$$`).
pub fn is_data_path(path: &str) -> bool {
    path == "$" || path.starts_with("$.") || path.starts_with("$[")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps() {
        assert_eq!(member("$", "a").as_deref(), Some("$.a"));
        assert_eq!(member("$x", "has-big").as_deref(), Some("$x['has-big']"));
        assert_eq!(member("$", "it's"), None);
        assert_eq!(member("$", ""), None);
        assert_eq!(index("$x.a", 2), "$x.a[2]");
        assert_eq!(variable("n"), "$n");
        assert!(is_data_path("$") && is_data_path("$.a") && is_data_path("$[0]"));
        assert!(!is_data_path("$x") && !is_data_path("$$.Execution.Input"));
    }
}
