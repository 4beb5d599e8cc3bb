//! Where a state sits, and what `$states.input` / `.result` / `.errorOutput` mean in its fields.
//!
//! In JSONata every field can name `$states.input`; in JSONPath, `$` is the input only in the fields
//! evaluated before the work (`Parameters`, Choice rules, the `Assign` of Pass/Choice/Wait, Fail
//! paths). In the fields evaluated on a result (`ResultSelector`, the `Assign` of Task/Parallel/Map)
//! `$` is the result, and in a Catcher's `Assign` it is the error output. The lowering reads
//! `$states.input` only in the first state of a machine (which absorbs the parameters), so at top level
//! the input is still reachable there as `$$.Execution.Input`; inside a Parallel branch or a Map
//! iteration it is not.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Signature;
use super::expr::{self, Cx, Root, Roots};
use super::shape::Shape;
use crate::asl::{State, States};
use crate::front::types::Ty;

/// A `States` object being converted.
#[derive(Clone, Debug)]
pub struct Scope<'m> {
    pub states: &'m States,
    pub start_at: &'m str,
    /// Inside a Parallel branch or a Map iteration.
    pub nested: bool,
    /// The shape of the first state's input (the execution input, a branch's input, a Map item).
    pub input: Shape,
    /// In a nested machine, the variable that a Pass before the first state saves its input in (see
    /// `Converter::scope`), so that the first state can read its input where `$` is its result.
    pub input_var: Option<String>,
}

/// One state of a scope, as its fields see it.
#[derive(Clone, Debug)]
pub struct At {
    pub name: String,
    /// The shape of `$states.input` here (known for the first state of a scope only).
    pub input: Shape,
    /// The first state of the top-level machine: its input is the execution input.
    pub top_start: bool,
    /// The variable holding this state's input (the first state of a nested machine, see [`Scope`]).
    pub input_var: Option<String>,
}

impl Scope<'_> {
    pub fn at(&self, name: &str) -> At {
        let start = name == self.start_at;
        At {
            name: name.to_owned(),
            input: if start {
                self.input.clone()
            } else {
                Shape::unknown()
            },
            top_start: start && !self.nested,
            input_var: if start { self.input_var.clone() } else { None },
        }
    }
}

const INPUT_AFTER_WORK: &str = "JSONPath's `$` is the result or error here, and the lowering reads the \
     input only in the first state of a machine";

impl At {
    /// Fields whose `$` is the state's input.
    pub fn input_roots(&self) -> Roots {
        Roots::input(self.input.clone())
    }

    fn input_after_work(&self) -> Root {
        if self.top_start {
            Root::At("$$.Execution.Input".to_owned(), self.input.clone())
        } else if let Some(v) = &self.input_var {
            Root::At(super::path::variable(v), self.input.clone())
        } else {
            Root::Missing(INPUT_AFTER_WORK)
        }
    }

    /// A Choice rule's `Assign`. Its `$` is the state's input on AWS, but moto's and LocalStack's
    /// engines evaluate it against their evaluation stack (the rule's boolean), so the input is read
    /// where it also is on AWS: `$$.Execution.Input` in the first state, the saved input in a nested
    /// machine's first state (and `$` elsewhere, where the lowering never reads the input).
    pub fn rule_roots(&self) -> Roots {
        let mut roots = self.input_roots();
        if self.top_start || self.input_var.is_some() {
            roots.input = self.input_after_work();
        }
        roots
    }

    /// Fields whose `$` is the result of the state's work.
    pub fn result_roots(&self, result: Shape) -> Roots {
        Roots {
            input: self.input_after_work(),
            result: Root::At("$".to_owned(), result),
            error: Root::Missing("the error output (only a Catcher has one)"),
            present: Default::default(),
        }
    }

    /// A Catcher's fields: `$` is the error output.
    pub fn error_roots(&self) -> Roots {
        Roots {
            input: self.input_after_work(),
            result: Root::Missing("the result (a Catcher runs because there is none)"),
            error: Root::At("$".to_owned(), Shape::Of(Ty::Failure)),
            present: Default::default(),
        }
    }
}

/// The input variable's name where only types matter (inference): the conversion picks the real one.
pub const INPUT_PLACEHOLDER: &str = "input";

/// Whether a state reads `$states.input` in a field evaluated after its work (`Assign`, `Output`,
/// a Catcher's): JSONPath's `$` is the result or the error output there. A Choice rule's `Assign`
/// counts too (see [`At::rule_roots`]).
pub fn reads_input_after_work(state: &State) -> bool {
    if let State::Choice(c) = state {
        return c.choices.iter().any(|r| {
            r.assign.as_ref().is_some_and(|a| {
                serde_json::to_string(a)
                    .unwrap_or_default()
                    .contains("$states.input")
            })
        });
    }
    if !matches!(state, State::Task(_) | State::Parallel(_) | State::Map(_)) {
        return false;
    }
    let mut fields: Vec<Value> = Vec::new();
    if let Some(a) = state.assign() {
        fields.push(serde_json::to_value(a).unwrap_or_default());
    }
    if let Some(o) = state.output() {
        fields.push(o.as_value().clone());
    }
    for c in state.catch() {
        fields.push(serde_json::to_value(c).unwrap_or_default());
    }
    fields
        .iter()
        .any(|f| f.to_string().contains("$states.input"))
}

/// The Lambda function a Task calls, from its `Arguments`/`Parameters`.
pub fn function_name(state: &State) -> Option<&str> {
    let State::Task(t) = state else { return None };
    let args = t.arguments.as_ref().or(t.parameters.as_ref())?;
    args.get("FunctionName").and_then(Value::as_str)
}

/// The JSONata body of a `{% %}` string value.
pub fn body(v: &Value) -> Option<&str> {
    v.as_str().and_then(crate::asl::jsonata_body)
}

/// The shape of a state's result (what a Task/Parallel/Map hands to its `Assign` and `Output`).
pub fn result_shape(
    state: &State,
    at: &At,
    sig: &Signature<'_>,
    vars: &BTreeMap<String, Ty>,
) -> Shape {
    match state {
        State::Task(_) => Shape::Invoke(
            function_name(state)
                .and_then(|f| sig.task_outputs.get(f))
                .cloned()
                .unwrap_or(Ty::Unknown),
        ),
        State::Parallel(p) => Shape::Of(Ty::Tuple(
            p.branches
                .iter()
                .map(|b| {
                    let scope = Scope {
                        states: &b.states,
                        start_at: &b.start_at,
                        nested: true,
                        input: at.input.clone(),
                        input_var: Some(INPUT_PLACEHOLDER.to_owned()),
                    };
                    output_ty(&scope, sig, vars)
                })
                .collect(),
        )),
        State::Map(m) => match (m.processor(), items_shape(state, at, sig, vars)) {
            (Some(p), items) => {
                let scope = Scope {
                    states: &p.states,
                    start_at: &p.start_at,
                    nested: true,
                    input: items.element(),
                    input_var: Some(INPUT_PLACEHOLDER.to_owned()),
                };
                Shape::Of(Ty::Vec(Box::new(output_ty(&scope, sig, vars))))
            }
            (None, _) => Shape::unknown(),
        },
        _ => Shape::unknown(),
    }
}

/// The shape of a Map's `Items`.
pub fn items_shape(
    state: &State,
    at: &At,
    sig: &Signature<'_>,
    vars: &BTreeMap<String, Ty>,
) -> Shape {
    let State::Map(m) = state else {
        return Shape::unknown();
    };
    let Some(code) = m.items.as_ref().and_then(|v| body(v)) else {
        return Shape::unknown();
    };
    shape_of(code, sig, vars, &at.input_roots())
}

/// The shape of the JSONata `code` read with these roots and variables (`Unknown` when it does not
/// convert).
fn shape_of(code: &str, sig: &Signature<'_>, vars: &BTreeMap<String, Ty>, roots: &Roots) -> Shape {
    let cx = Cx {
        types: sig.types,
        vars,
        roots,
    };
    expr::parse(code)
        .and_then(|ast| expr::value(&ast, &cx))
        .map(|c| c.shape)
        .unwrap_or_else(|_| Shape::unknown())
}

/// The type of a nested machine's output: what its terminal states' `Output`s yield, when they all
/// agree (`Unknown` otherwise).
pub fn output_ty(scope: &Scope<'_>, sig: &Signature<'_>, vars: &BTreeMap<String, Ty>) -> Ty {
    let mut out: Option<Ty> = None;
    for (name, state) in scope.states.iter() {
        if !state.is_terminal() || matches!(state, State::Fail(_)) {
            continue;
        }
        let at = scope.at(name);
        let roots = match state {
            State::Task(_) | State::Parallel(_) | State::Map(_) => {
                at.result_roots(result_shape(state, &at, sig, vars))
            }
            _ => at.input_roots(),
        };
        let ty = match state.output().and_then(|o| body(o)) {
            Some(code) => shape_of(code, sig, vars, &roots).ty(),
            None => Ty::Unknown,
        };
        if ty == Ty::Unknown {
            return Ty::Unknown;
        }
        out = match out {
            None => Some(ty),
            Some(prev) => match super::shape::join(&prev, &ty) {
                Some(t) => Some(t),
                None => return Ty::Unknown,
            },
        };
    }
    out.unwrap_or(Ty::Unknown)
}
