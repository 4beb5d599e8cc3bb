//! The context object (`$$` in JSONPath, `$states.context` in JSONata), built lazily.
//!
//! Its `Execution.Input` is the whole execution input, so building the object for every state
//! (and converting it into JSONata values for every expression) would make a Map over a large
//! input quadratic. Instead each top-level section (`Execution`, `State`, `StateMachine`, `Task`,
//! `Map`) is produced on demand: `$$.Map.Item.Value` builds only `Map`, and the full object is
//! built at most once per evaluation scope, only when a path or expression needs all of it.

use std::cell::OnceCell;

use serde_json::{Map, Value};

/// The context object's top-level members.
pub const SECTIONS: [&str; 5] = ["Execution", "State", "StateMachine", "Task", "Map"];

/// Builds one section of the context object (`None` when it is absent).
pub type SectionBuilder<'a> = &'a dyn Fn(&str) -> Option<Value>;

/// A lazily built context object.
pub struct ContextObject<'a> {
    /// Builds one section (`None` when the section is absent here, e.g. `Map` outside an
    /// `ItemSelector`).
    build: Option<SectionBuilder<'a>>,
    full: OnceCell<Value>,
}

impl<'a> ContextObject<'a> {
    /// A context whose sections come from `build`.
    pub fn new(build: SectionBuilder<'a>) -> Self {
        ContextObject {
            build: Some(build),
            full: OnceCell::new(),
        }
    }

    /// A context given as a whole value (unit tests).
    #[cfg(test)]
    pub fn from_value(v: Value) -> Self {
        let full = OnceCell::new();
        let _ = full.set(v);
        ContextObject { build: None, full }
    }

    /// One section, built alone when the full object has not been needed yet.
    pub fn section(&self, name: &str) -> Option<Value> {
        if let Some(full) = self.full.get() {
            return full.get(name).cloned();
        }
        self.build.and_then(|b| b(name))
    }

    /// The whole object (built once).
    pub fn full(&self) -> &Value {
        self.full.get_or_init(|| {
            let mut m = Map::new();
            if let Some(b) = self.build {
                for s in SECTIONS {
                    if let Some(v) = b(s) {
                        m.insert(s.to_owned(), v);
                    }
                }
            }
            Value::Object(m)
        })
    }

    /// An object holding only the named sections (those that exist).
    pub fn only(&self, sections: &[&str]) -> Value {
        let mut m = Map::new();
        for s in sections {
            if let Some(v) = self.section(s) {
                m.insert((*s).to_owned(), v);
            }
        }
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::cell::Cell;

    #[test]
    fn sections_are_built_on_demand() {
        let calls = Cell::new(0);
        let build = |s: &str| {
            calls.set(calls.get() + 1);
            (s != "Task").then(|| json!({"name": s}))
        };
        let ctx = ContextObject::new(&build);
        assert_eq!(ctx.section("Map"), Some(json!({"name": "Map"})));
        assert_eq!(calls.get(), 1);
        assert_eq!(
            ctx.only(&["State", "Task"]),
            json!({"State": {"name": "State"}})
        );
        let full = ctx.full().clone();
        assert_eq!(full.as_object().unwrap().len(), 4);
        let before = calls.get();
        assert_eq!(ctx.section("Execution"), Some(json!({"name": "Execution"})));
        assert_eq!(calls.get(), before, "served from the full object");
    }

    #[test]
    fn from_a_value() {
        let ctx = ContextObject::from_value(json!({"State": {"Name": "S"}}));
        assert_eq!(ctx.section("State"), Some(json!({"Name": "S"})));
        assert_eq!(ctx.section("Map"), None);
    }
}
