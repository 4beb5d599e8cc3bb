//! The compile-time check behind `workflow!`'s assumed error names.
//!
//! The build driver learns `#[derive(TaskError)]` names from the crate's own sources only. For an enum
//! of another crate it writes the default `Type.Variant` into `ErrorEquals`, while the native run asks
//! the enum itself ([`TaskError::variant_error_name`](crate::TaskError::variant_error_name)). `workflow!`
//! emits, for each such assumption, `const _: () = if !error_name_is(<T as TaskError>::ERROR_NAMES, ..)
//! { panic!(..) };`, so a renamed variant stops the build instead of silently catching the wrong name.

/// Whether `names` (a [`TaskError::ERROR_NAMES`](crate::TaskError::ERROR_NAMES) list) gives `variant`
/// the error name `expected`. An empty list (a hand-written impl: nothing is known) passes, and so does
/// a variant the list lacks (rustc already rejects the `Type::Variant` path itself).
pub const fn error_name_is(names: &[(&str, &str)], variant: &str, expected: &str) -> bool {
    let mut i = 0;
    while i < names.len() {
        let (v, name) = names[i];
        if str_eq(v, variant) {
            return str_eq(name, expected);
        }
        i += 1;
    }
    true
}

/// `a == b` in a `const fn` (`PartialEq` for `str` is not const).
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[(&str, &str)] = &[("Timeout", "Api.Timeout"), ("TooMany", "RateLimited")];

    #[test]
    fn compares_the_variants_name() {
        assert!(error_name_is(NAMES, "Timeout", "Api.Timeout"));
        assert!(!error_name_is(NAMES, "TooMany", "Api.TooMany"));
        assert!(error_name_is(NAMES, "TooMany", "RateLimited"));
        assert!(!error_name_is(NAMES, "Timeout", "Api.Timeou"));
    }

    #[test]
    fn nothing_known_passes() {
        assert!(error_name_is(&[], "Timeout", "Anything"));
        assert!(error_name_is(NAMES, "Missing", "Anything"));
    }

    /// It is usable where the check needs it: in a `const`.
    const _: () = assert!(!error_name_is(NAMES, "TooMany", "Api.TooMany"));
}
