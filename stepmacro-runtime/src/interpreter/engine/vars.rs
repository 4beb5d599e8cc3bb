//! Workflow variables and their scopes.
//!
//! Each `States` object is a scope; every Parallel branch and Map iteration runs in a fresh child
//! scope that can read (not see siblings of) its ancestors. A state's `Assign` writes into the scope
//! the state belongs to, so a Catcher or `Assign` on a Parallel/Map writes the outer scope. A
//! Distributed Map's children start from an empty root: they see no outer variables.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

#[derive(Clone, Debug, Default)]
pub(crate) struct Vars(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    values: Mutex<BTreeMap<String, Value>>,
    parent: Option<Vars>,
}

impl Vars {
    /// An empty top-level scope.
    pub fn root() -> Vars {
        Vars::default()
    }

    /// A nested scope that reads through to this one.
    pub fn child(&self) -> Vars {
        Vars(Arc::new(Inner {
            values: Mutex::new(BTreeMap::new()),
            parent: Some(self.clone()),
        }))
    }

    /// The value of `name` in the nearest scope that has it.
    pub fn get(&self, name: &str) -> Option<Value> {
        let mut scope = Some(self);
        while let Some(s) = scope {
            if let Some(v) =
                s.0.values
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(name)
            {
                return Some(v.clone());
            }
            scope = s.0.parent.as_ref();
        }
        None
    }

    /// Assigns all values at once (they were all computed from the values before this call).
    pub fn assign(&self, values: BTreeMap<String, Value>) {
        let mut own = self.0.values.lock().unwrap_or_else(|e| e.into_inner());
        own.extend(values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inner_reads_outer_and_siblings_are_isolated() {
        let outer = Vars::root();
        outer.assign(BTreeMap::from([("a".to_owned(), json!(1))]));
        let b1 = outer.child();
        let b2 = outer.child();
        b1.assign(BTreeMap::from([("x".to_owned(), json!("one"))]));
        assert_eq!(b1.get("a"), Some(json!(1)));
        assert_eq!(b1.get("x"), Some(json!("one")));
        assert_eq!(b2.get("x"), None);
        assert_eq!(outer.get("x"), None);
    }
}
