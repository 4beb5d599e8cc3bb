//! Names of states and variables: readable, unique across the whole machine (nested scopes included),
//! ≤ 80 characters, and stable — a name depends only on what came before it in the source, so adding a
//! statement at the end of a workflow renames nothing earlier.

use std::collections::{BTreeMap, BTreeSet};

/// ASL's limit for state and variable names.
pub const MAX_NAME: usize = 80;

/// Hands out unique names from readable bases.
#[derive(Default)]
pub struct Names {
    used: BTreeSet<String>,
    next_suffix: BTreeMap<String, usize>,
}

impl Names {
    /// A state name from free text (a task name, a condition): runs of characters outside
    /// `[A-Za-z0-9_-]` become `_`, then it is made unique.
    pub fn state(&mut self, text: &str) -> String {
        self.unique(&sanitize(text))
    }

    /// A `#[state("..")]` label, kept as written when free, suffixed otherwise.
    pub fn label(&mut self, label: &str) -> String {
        self.unique(label)
    }

    /// A variable name: an identifier (ASL variables follow UAX #31 and may not be `states`).
    pub fn variable(&mut self, rust_ident: &str) -> String {
        let trimmed = rust_ident.trim_start_matches('_').trim_start_matches("r#");
        let mut base = if trimmed.is_empty() {
            "v".to_owned()
        } else {
            trimmed.to_owned()
        };
        if base == "states" {
            base = "states_".to_owned();
        }
        self.unique(&base)
    }

    fn unique(&mut self, base: &str) -> String {
        let base: String = base.chars().take(MAX_NAME - 4).collect();
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}_{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Free text → `[A-Za-z0-9_-]+`, readable operators spelled out.
pub fn sanitize(text: &str) -> String {
    let spelled = text
        .replace(">=", " ge ")
        .replace("<=", " le ")
        .replace("==", " eq ")
        .replace("!=", " ne ")
        .replace("&&", " and ")
        .replace("||", " or ")
        .replace('>', " gt ")
        .replace('<', " lt ")
        .replace('!', " not ");
    let mut out = String::new();
    let mut gap = false;
    for c in spelled.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    if out.is_empty() {
        out.push_str("State");
    }
    out.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_unique_and_readable() {
        let mut n = Names::default();
        assert_eq!(n.state("If order.total > 100"), "If_order_total_gt_100");
        assert_eq!(n.state("callExternalApi"), "callExternalApi");
        assert_eq!(n.state("callExternalApi"), "callExternalApi_2");
        assert_eq!(n.state("callExternalApi_2"), "callExternalApi_2_2");
        assert!(n.state(&"x".repeat(200)).len() <= MAX_NAME);
    }

    #[test]
    fn variables_are_identifiers() {
        let mut n = Names::default();
        assert_eq!(n.variable("states"), "states_");
        assert_eq!(n.variable("_tmp"), "tmp");
        assert_eq!(n.variable("x"), "x");
        assert_eq!(n.variable("x"), "x_2");
        assert_eq!(n.variable("__"), "v");
    }
}
