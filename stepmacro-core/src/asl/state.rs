//! [`State`]: one state of a `States` object, tagged by its `"Type"`.
//!
//! (De)serialisation is hand-written rather than `#[serde(tag = "Type")]`: the derived form cannot
//! combine with `deny_unknown_fields` reliably, cannot say *which* state type rejected a field, and
//! would buffer through serde's private content type. Here the state is buffered as an ordered
//! [`Doc`], `Type` is taken out, and the rest is typed by the variant's struct (which denies unknown
//! fields). Serialisation writes `Type` first, then the struct's fields in their declared order.

use serde::de::{self, value::Error as DeError};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::choice::ChoiceState;
use super::choice_rule::ChoiceRule;
use super::doc::Doc;
use super::fail::FailState;
use super::json::Json;
use super::map::MapState;
use super::parallel::ParallelState;
use super::pass::PassState;
use super::payload::Assign;
use super::query_language::QueryLanguage;
use super::retry::{Catcher, Retrier};
use super::states::States;
use super::succeed::SucceedState;
use super::task::TaskState;
use super::wait::WaitState;

/// A state, by `"Type"`.
///
/// Variants are unboxed on purpose: states live in a `Vec` per scope (tens of them), so the size spread
/// between `Map` and `Succeed` costs nothing measurable, while boxing would make every construction and
/// pattern in the compiler and interpreter noisier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Task(TaskState),
    Pass(PassState),
    Choice(ChoiceState),
    Wait(WaitState),
    Succeed(SucceedState),
    Fail(FailState),
    Parallel(ParallelState),
    Map(MapState),
}

/// Every valid `"Type"` value.
pub const STATE_TYPES: [&str; 8] = [
    "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

/// Why control leaves a state for another state of the same scope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EdgeKind<'a> {
    /// The state's `Next`.
    Next,
    /// A Choice rule's `Next` (index into `Choices`).
    Rule(usize, &'a ChoiceRule),
    /// A Choice state's `Default`.
    Default,
    /// A Catcher's `Next` (index into `Catch`).
    Catch(usize, &'a Catcher),
}

/// A transition to another state of the same `States` object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge<'a> {
    /// The target state's name (may not exist: the validator reports that).
    pub target: &'a str,
    pub kind: EdgeKind<'a>,
}

/// A nested state machine of a Parallel (`Branches[i]`) or Map (`ItemProcessor` / `Iterator`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Child<'a> {
    /// `Branches[i]`, `ItemProcessor` or `Iterator`.
    pub field: ChildField,
    pub start_at: &'a str,
    pub states: &'a States,
}

/// Which field of its parent a [`Child`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChildField {
    Branch(usize),
    ItemProcessor,
    Iterator,
}

impl std::fmt::Display for ChildField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChildField::Branch(i) => write!(f, "Branches[{i}]"),
            ChildField::ItemProcessor => f.write_str("ItemProcessor"),
            ChildField::Iterator => f.write_str("Iterator"),
        }
    }
}

/// Applies `$body` to the struct inside any variant, bound as `$s`.
macro_rules! each {
    ($self:expr, $s:ident => $body:expr) => {
        match $self {
            State::Task($s) => $body,
            State::Pass($s) => $body,
            State::Choice($s) => $body,
            State::Wait($s) => $body,
            State::Succeed($s) => $body,
            State::Fail($s) => $body,
            State::Parallel($s) => $body,
            State::Map($s) => $body,
        }
    };
}

impl State {
    /// The `"Type"` value.
    pub fn type_name(&self) -> &'static str {
        match self {
            State::Task(_) => "Task",
            State::Pass(_) => "Pass",
            State::Choice(_) => "Choice",
            State::Wait(_) => "Wait",
            State::Succeed(_) => "Succeed",
            State::Fail(_) => "Fail",
            State::Parallel(_) => "Parallel",
            State::Map(_) => "Map",
        }
    }

    /// `Comment`.
    pub fn comment(&self) -> Option<&str> {
        each!(self, s => s.comment.as_deref())
    }

    /// The state's own `QueryLanguage` (not the effective one; see [`State::effective_query_language`]).
    pub fn query_language(&self) -> Option<QueryLanguage> {
        each!(self, s => s.query_language)
    }

    /// The language this state's fields are in: its own `QueryLanguage`, else the machine's top-level
    /// one (`machine_default`), never the enclosing Parallel/Map's.
    pub fn effective_query_language(&self, machine_default: QueryLanguage) -> QueryLanguage {
        self.query_language().unwrap_or(machine_default)
    }

    /// `Next`, for the states that have one.
    pub fn next(&self) -> Option<&str> {
        match self {
            State::Task(s) => s.next.as_deref(),
            State::Pass(s) => s.next.as_deref(),
            State::Wait(s) => s.next.as_deref(),
            State::Parallel(s) => s.next.as_deref(),
            State::Map(s) => s.next.as_deref(),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// The raw `End` field, for the states that have one.
    pub fn end_field(&self) -> Option<bool> {
        match self {
            State::Task(s) => s.end,
            State::Pass(s) => s.end,
            State::Wait(s) => s.end,
            State::Parallel(s) => s.end,
            State::Map(s) => s.end,
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// Whether reaching this state's end ends its scope: `"End": true`, Succeed or Fail.
    pub fn is_terminal(&self) -> bool {
        matches!(self, State::Succeed(_) | State::Fail(_)) || self.end_field() == Some(true)
    }

    /// Top-level `Assign`.
    pub fn assign(&self) -> Option<&Assign> {
        match self {
            State::Task(s) => s.assign.as_ref(),
            State::Pass(s) => s.assign.as_ref(),
            State::Choice(s) => s.assign.as_ref(),
            State::Wait(s) => s.assign.as_ref(),
            State::Parallel(s) => s.assign.as_ref(),
            State::Map(s) => s.assign.as_ref(),
            State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// Top-level `Output` (JSONata).
    pub fn output(&self) -> Option<&Json> {
        match self {
            State::Task(s) => s.output.as_ref(),
            State::Pass(s) => s.output.as_ref(),
            State::Choice(s) => s.output.as_ref(),
            State::Wait(s) => s.output.as_ref(),
            State::Succeed(s) => s.output.as_ref(),
            State::Parallel(s) => s.output.as_ref(),
            State::Map(s) => s.output.as_ref(),
            State::Fail(_) => None,
        }
    }

    /// `Retry` (empty for states without one).
    pub fn retry(&self) -> &[Retrier] {
        match self {
            State::Task(s) => &s.retry,
            State::Parallel(s) => &s.retry,
            State::Map(s) => &s.retry,
            _ => &[],
        }
    }

    /// `Catch` (empty for states without one).
    pub fn catch(&self) -> &[Catcher] {
        match self {
            State::Task(s) => &s.catch,
            State::Parallel(s) => &s.catch,
            State::Map(s) => &s.catch,
            _ => &[],
        }
    }

    /// Every transition out of this state, in field order: `Next`, Choice rules' `Next` and
    /// `Default`, then Catchers' `Next`.
    pub fn edges(&self) -> Vec<Edge<'_>> {
        let mut edges = Vec::new();
        if let Some(target) = self.next() {
            edges.push(Edge {
                target,
                kind: EdgeKind::Next,
            });
        }
        if let State::Choice(choice) = self {
            for (i, rule) in choice.choices.iter().enumerate() {
                if let Some(target) = rule.next.as_deref() {
                    edges.push(Edge {
                        target,
                        kind: EdgeKind::Rule(i, rule),
                    });
                }
            }
            if let Some(target) = choice.default.as_deref() {
                edges.push(Edge {
                    target,
                    kind: EdgeKind::Default,
                });
            }
        }
        for (i, catcher) in self.catch().iter().enumerate() {
            edges.push(Edge {
                target: &catcher.next,
                kind: EdgeKind::Catch(i, catcher),
            });
        }
        edges
    }

    /// The nested machines of a Parallel or Map, in field order.
    pub fn children(&self) -> Vec<Child<'_>> {
        match self {
            State::Parallel(p) => p
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| Child {
                    field: ChildField::Branch(i),
                    start_at: &b.start_at,
                    states: &b.states,
                })
                .collect(),
            State::Map(m) => {
                let mut out = Vec::new();
                if let Some(p) = &m.item_processor {
                    out.push(Child {
                        field: ChildField::ItemProcessor,
                        start_at: &p.start_at,
                        states: &p.states,
                    });
                }
                if let Some(p) = &m.iterator {
                    out.push(Child {
                        field: ChildField::Iterator,
                        start_at: &p.start_at,
                        states: &p.states,
                    });
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// Types a state from its buffered JSON: takes `Type` out and lets the variant's struct (which
    /// denies unknown fields) take the rest.
    pub(crate) fn from_doc(doc: Doc) -> Result<State, DeError> {
        let Doc::Object(fields) = doc else {
            return Err(de::Error::custom(format!(
                "a state must be a JSON object, found {}",
                doc.kind()
            )));
        };
        let mut type_name = None;
        let mut rest = Vec::with_capacity(fields.len());
        for (key, value) in fields {
            if key == "Type" {
                if type_name.is_some() {
                    return Err(de::Error::custom("duplicate field `Type`"));
                }
                match value {
                    Doc::String(t) => type_name = Some(t),
                    other => {
                        return Err(de::Error::custom(format!(
                            "`Type` must be a string, found {}",
                            other.kind()
                        )));
                    }
                }
            } else {
                rest.push((key, value));
            }
        }
        let Some(type_name) = type_name else {
            return Err(de::Error::custom("missing field `Type`"));
        };
        let typed = match type_name.as_str() {
            "Task" => typed::<TaskState>(rest).map(State::Task),
            "Pass" => typed::<PassState>(rest).map(State::Pass),
            "Choice" => typed::<ChoiceState>(rest).map(State::Choice),
            "Wait" => typed::<WaitState>(rest).map(State::Wait),
            "Succeed" => typed::<SucceedState>(rest).map(State::Succeed),
            "Fail" => typed::<FailState>(rest).map(State::Fail),
            "Parallel" => typed::<ParallelState>(rest).map(State::Parallel),
            "Map" => typed::<MapState>(rest).map(State::Map),
            other => {
                return Err(de::Error::custom(format!(
                    "unknown `Type` {other:?}, expected one of {}",
                    STATE_TYPES.join(", ")
                )));
            }
        };
        typed.map_err(|text| {
            // Nested-state errors already carry their `state "X": ` chain; keep them as they are.
            if text.starts_with("state \"") {
                de::Error::custom(text)
            } else {
                de::Error::custom(format!("{type_name} state: {text}"))
            }
        })
    }
}

/// Types a state's fields; on a type error, names the field at fault.
///
/// serde's "invalid type: boolean `true`, expected ..." does not say which field it was. On that (rare,
/// error-only) path the offending field is found by elimination: serde reports the first bad field it
/// meets, so the culprit is the one field whose removal changes the error.
fn typed<T: for<'de> Deserialize<'de>>(fields: Vec<(String, Doc)>) -> Result<T, String> {
    let err = match T::deserialize(Doc::Object(fields.clone())) {
        Ok(value) => return Ok(value),
        Err(e) => e.to_string(),
    };
    let is_value_error = [
        "invalid type",
        "invalid value",
        "invalid length",
        "JitterStrategy must be",
    ]
    .iter()
    .any(|p| err.starts_with(p));
    if !is_value_error {
        return Err(err);
    }
    for (i, (key, _)) in fields.iter().enumerate() {
        let mut without = fields.clone();
        without.remove(i);
        let changed = match T::deserialize(Doc::Object(without)) {
            Ok(_) => true,
            Err(e) => e.to_string() != err,
        };
        if changed {
            return Err(format!("{key}: {err}"));
        }
    }
    Err(err)
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Tagged<'a, T> {
            #[serde(rename = "Type")]
            type_name: &'static str,
            #[serde(flatten)]
            inner: &'a T,
        }
        let type_name = self.type_name();
        each!(self, s => Tagged { type_name, inner: s }.serialize(serializer))
    }
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = Doc::deserialize(deserializer)?;
        State::from_doc(doc).map_err(<D::Error as de::Error>::custom)
    }
}

macro_rules! from_variant {
    ($($variant:ident($ty:ty)),*) => {
        $(impl From<$ty> for State {
            fn from(s: $ty) -> State {
                State::$variant(s)
            }
        })*
    };
}

from_variant!(
    Task(TaskState),
    Pass(PassState),
    Choice(ChoiceState),
    Wait(WaitState),
    Succeed(SucceedState),
    Fail(FailState),
    Parallel(ParallelState),
    Map(MapState)
);
