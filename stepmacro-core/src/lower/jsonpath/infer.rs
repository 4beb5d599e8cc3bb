//! The types of the workflow's ASL variables, from what the machine assigns to them.
//!
//! Each variable is one Rust binding (the lowering names every `let` apart), so all its assignments
//! have one Rust type. The type is found by an optimistic fixpoint, then checked:
//!
//! 1. *Optimistic*: starting from no knowledge, each round types every assignment under the types found
//!    so far (`$i + 1` is an integer once `$i` is), ignoring assignments it cannot type yet.
//! 2. *Checked*: a variable keeps its type only if every one of its assignments has that type under the
//!    final types; otherwise it is forgotten (and the check repeats, since others may depend on it).
//!
//! What survives is inductive: if every variable holds a value of its type when a state is entered,
//! every assignment gives its variable a value of that type. The evidence is the Rust side (task
//! outputs, parameters, serde field types) and literals. An integral literal counts as an integer: a
//! variable all of whose assignments are integral literals and integer expressions only ever holds
//! integral numbers, which is all `States.MathAdd` needs to add exactly, whatever its Rust type.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Signature;
use super::condition;
use super::expr::{self, Cx, Roots};
use super::scope::{self, Scope};
use super::shape::join;
use crate::asl::{Assign, State, StateMachine};
use crate::front::types::Ty;

/// Rounds of the optimistic phase (a chain of variables each typed from the previous one needs one
/// round per link; longer chains stay unknown, which is safe).
const ROUNDS: usize = 16;

/// The known variable types (a variable absent from the map is of unknown type).
pub fn infer(machine: &StateMachine, sig: &Signature<'_>) -> BTreeMap<String, Ty> {
    let top = Scope {
        states: &machine.states,
        start_at: &machine.start_at,
        nested: false,
        input: sig.input.clone(),
        input_var: None,
    };
    let mut vars = BTreeMap::new();
    for _ in 0..ROUNDS {
        let mut acc: BTreeMap<String, Option<Ty>> = BTreeMap::new();
        for (v, ty) in assignments(&top, sig, &vars) {
            if ty == Ty::Unknown {
                continue;
            }
            let slot = acc.entry(v).or_insert_with(|| Some(ty.clone()));
            *slot = slot.as_ref().and_then(|t| join(t, &ty));
        }
        let next: BTreeMap<String, Ty> = acc
            .into_iter()
            .filter_map(|(k, t)| t.map(|t| (k, t)))
            .collect();
        if next == vars {
            break;
        }
        vars = next;
    }
    loop {
        let mut bad = BTreeSet::new();
        for (v, ty) in assignments(&top, sig, &vars) {
            if let Some(t) = vars.get(&v)
                && (ty == Ty::Unknown || join(t, &ty).as_ref() != Some(t))
            {
                bad.insert(v);
            }
        }
        if bad.is_empty() {
            return vars;
        }
        for v in bad {
            vars.remove(&v);
        }
    }
}

/// Every assignment of the machine (nested machines included) with the type of its value under `vars`.
fn assignments(
    scope: &Scope<'_>,
    sig: &Signature<'_>,
    vars: &BTreeMap<String, Ty>,
) -> Vec<(String, Ty)> {
    let mut out = Vec::new();
    collect(scope, sig, vars, &mut out);
    out
}

fn collect(
    scope: &Scope<'_>,
    sig: &Signature<'_>,
    vars: &BTreeMap<String, Ty>,
    out: &mut Vec<(String, Ty)>,
) {
    for (name, state) in scope.states.iter() {
        let at = scope.at(name);
        let input = at.input_roots();
        match state {
            State::Task(_) | State::Parallel(_) | State::Map(_) => {
                let result = at.result_roots(scope::result_shape(state, &at, sig, vars));
                block(state.assign(), &result, sig, vars, out);
                let error = at.error_roots();
                for c in state.catch() {
                    block(c.assign.as_ref(), &error, sig, vars, out);
                }
            }
            State::Choice(c) => {
                for rule in &c.choices {
                    let mut when = at.rule_roots();
                    if let Some(code) = rule.condition.as_ref().and_then(|c| c.expression()) {
                        let cx = Cx {
                            types: sig.types,
                            vars,
                            roots: &input,
                        };
                        when.present = condition::present_in(code, &cx);
                    }
                    block(rule.assign.as_ref(), &when, sig, vars, out);
                }
                block(c.assign.as_ref(), &input, sig, vars, out);
            }
            State::Pass(_) | State::Wait(_) => block(state.assign(), &input, sig, vars, out),
            State::Succeed(_) | State::Fail(_) => {}
        }
        match state {
            State::Parallel(p) => {
                for b in &p.branches {
                    let inner = Scope {
                        states: &b.states,
                        start_at: &b.start_at,
                        nested: true,
                        input: at.input.clone(),
                        input_var: Some(scope::INPUT_PLACEHOLDER.to_owned()),
                    };
                    collect(&inner, sig, vars, out);
                }
            }
            State::Map(m) => {
                if let Some(p) = m.processor() {
                    let inner = Scope {
                        states: &p.states,
                        start_at: &p.start_at,
                        nested: true,
                        input: scope::items_shape(state, &at, sig, vars).element(),
                        input_var: Some(scope::INPUT_PLACEHOLDER.to_owned()),
                    };
                    collect(&inner, sig, vars, out);
                }
            }
            _ => {}
        }
    }
}

fn block(
    assign: Option<&Assign>,
    roots: &Roots,
    sig: &Signature<'_>,
    vars: &BTreeMap<String, Ty>,
    out: &mut Vec<(String, Ty)>,
) {
    let Some(assign) = assign else { return };
    let cx = Cx {
        types: sig.types,
        vars,
        roots,
    };
    for (k, v) in assign {
        let ty = match scope::body(v) {
            Some(code) => expr::parse(code)
                .map(|ast| expr::ty(&ast, &cx))
                .unwrap_or(Ty::Unknown),
            None => literal_ty(v),
        };
        out.push((k.clone(), ty));
    }
}

fn literal_ty(v: &Value) -> Ty {
    match v {
        Value::Null => Ty::Unit,
        Value::Bool(_) => Ty::Bool,
        Value::Number(n) if n.is_i64() || n.is_u64() => Ty::Int,
        Value::Number(_) => Ty::Float,
        Value::String(_) => Ty::String,
        Value::Array(_) | Value::Object(_) => Ty::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::types::TypeRegistry;
    use crate::lower::jsonpath::shape::Shape;

    fn types_of(def: &str, input: Ty, tasks: &[(&str, Ty)]) -> BTreeMap<String, Ty> {
        let machine = StateMachine::from_json(def).unwrap();
        let registry = TypeRegistry::new();
        let sig = Signature {
            types: &registry,
            task_outputs: tasks
                .iter()
                .map(|(f, t)| (f.to_string(), t.clone()))
                .collect(),
            input: Shape::Of(input),
        };
        infer(&machine, &sig)
    }

    #[test]
    fn loop_counters_and_task_outputs() {
        let def = r#"{"QueryLanguage": "JSONata", "StartAt": "Fetch", "States": {
            "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "fetch", "Payload": "{% $states.input %}"},
                "Assign": {"total": "{% $states.result.Payload %}", "i": "{% 0 %}", "label": "{% $states.input %}"},
                "Next": "Loop"},
            "Loop": {"Type": "Choice", "Choices": [{"Condition": "{% $i < 3 %}",
                "Assign": {"i": "{% $i + 1 %}", "sum": "{% $total + $i %}", "maybe": "{% null %}"}, "Next": "Loop"}],
                "Default": "Done", "Assign": {"maybe": "{% $i %}"}},
            "Done": {"Type": "Succeed"}}}"#;
        let vars = types_of(def, Ty::String, &[("fetch", Ty::Int)]);
        assert_eq!(vars.get("total"), Some(&Ty::Int));
        assert_eq!(vars.get("i"), Some(&Ty::Int));
        assert_eq!(vars.get("sum"), Some(&Ty::Int));
        assert_eq!(vars.get("label"), Some(&Ty::String));
        assert_eq!(vars.get("maybe"), Some(&Ty::Option(Box::new(Ty::Int))));
    }

    #[test]
    fn unknown_or_conflicting_assignments_forget_the_type() {
        let def = r#"{"QueryLanguage": "JSONata", "StartAt": "Fetch", "States": {
            "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "fetch", "Payload": "{% $states.input %}"},
                "Assign": {"x": "{% 0 %}", "y": "{% 0 %}", "z": "{% 1 %}"},
                "Next": "Again"},
            "Again": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "other", "Payload": "{% $x %}"},
                "Assign": {"x": "{% $states.result.Payload %}", "y": "{% 1.5 %}", "z": "{% $y + 1 %}"},
                "End": true}}}"#;
        let vars = types_of(def, Ty::Unknown, &[("fetch", Ty::Int)]);
        // `other`'s output type is unknown: `x` could be a float.
        assert_eq!(vars.get("x"), None);
        // 0 and 1.5: an integer and a float.
        assert_eq!(vars.get("y"), None);
        // `$y + 1` is not an integer once `y` is not.
        assert_eq!(vars.get("z"), None);
    }
}
