//! [`States`]: a `States` object, an ordered map from state name to [`State`].
//!
//! Order matters for output stability: the map keeps document order on parse and insertion order when
//! built in code, and serialises in that order. It is a `Vec` underneath (machines have tens of states,
//! so linear lookup is fine) and does not depend on serde_json's `preserve_order` feature.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::doc::Doc;
use super::error::state_prefix;
use super::state::State;

/// An ordered `States` object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct States {
    entries: Vec<(String, State)>,
}

impl States {
    /// An empty map.
    pub fn new() -> Self {
        States::default()
    }

    /// Inserts a state. An existing state of the same name is replaced in place (keeping its position)
    /// and returned; a new name goes to the end.
    pub fn insert(&mut self, name: impl Into<String>, state: State) -> Option<State> {
        let name = name.into();
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some((_, slot)) => Some(std::mem::replace(slot, state)),
            None => {
                self.entries.push((name, state));
                None
            }
        }
    }

    /// Removes a state, keeping the order of the others.
    pub fn remove(&mut self, name: &str) -> Option<State> {
        let index = self.entries.iter().position(|(n, _)| n == name)?;
        Some(self.entries.remove(index).1)
    }

    /// The state called `name`.
    pub fn get(&self, name: &str) -> Option<&State> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }

    /// The state called `name`, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut State> {
        self.entries
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// Whether a state called `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The position of `name` in document order.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|(n, _)| n == name)
    }

    /// Number of states (this scope only).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no states.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `(name, state)` in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &State)> {
        self.entries.iter().map(|(n, s)| (n.as_str(), s))
    }

    /// `(name, state)` in order, mutably (names are fixed).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut State)> {
        self.entries.iter_mut().map(|(n, s)| (n.as_str(), s))
    }

    /// Names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(n, _)| n.as_str())
    }
}

impl FromIterator<(String, State)> for States {
    fn from_iter<I: IntoIterator<Item = (String, State)>>(iter: I) -> Self {
        let mut states = States::new();
        for (name, state) in iter {
            states.insert(name, state);
        }
        states
    }
}

impl IntoIterator for States {
    type Item = (String, State);
    type IntoIter = std::vec::IntoIter<(String, State)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl Serialize for States {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (name, state) in &self.entries {
            map.serialize_entry(name, state)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for States {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(StatesVisitor)
    }
}

struct StatesVisitor;

impl<'de> Visitor<'de> for StatesVisitor {
    type Value = States;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a States object (state name → state)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<States, A::Error> {
        let mut entries: Vec<(String, State)> = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            // Buffer the state as an order-preserving Doc, then type it, so that every error (however
            // deeply nested) is prefixed with this state's name.
            let doc: Doc = map.next_value()?;
            if entries.iter().any(|(n, _)| *n == name) {
                return Err(de::Error::custom(state_prefix(
                    &name,
                    "duplicate state name in this States object",
                )));
            }
            let state = State::from_doc(doc)
                .map_err(|e| <A::Error as de::Error>::custom(state_prefix(&name, e)))?;
            entries.push((name, state));
        }
        Ok(States { entries })
    }
}
