//! The input/output pipelines and the evaluation environment of one state.
//!
//! JSONPath: `InputPath` → `Parameters` → (work) → `ResultSelector` → `ResultPath` →
//! `OutputPath`. JSONata: `Arguments` → (work) → `Output`, with `$states.input`, `$states.result`,
//! `$states.errorOutput` and `$states.context`. `Assign` values are computed from the variables as
//! they were when the state was entered and applied together when the state leaves.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::super::context::ContextObject;
use super::super::jsonata::States;

use super::super::error::{StateError, names};
use super::super::plan::{AssignPlan, Dyn, PathSpec, Payload};
use super::super::template::EvalCtx;
use super::super::value::{as_integer, json_size};
use super::vars::Vars;
use super::{Run, iso};

/// Per-state facts for the context object.
#[derive(Clone, Debug)]
pub(crate) struct StateInfo<'s> {
    pub name: &'s str,
    /// Formatted only if an expression reads `$$.State.EnteredTime`: most states never do.
    pub entered: DateTime<Utc>,
    pub retry_count: u32,
}

/// Extra members of the context object in particular fields.
#[derive(Clone, Debug, Default)]
pub(crate) enum Extra {
    #[default]
    None,
    /// `Task.Token` while a callback task's input is built.
    Token(String),
    /// `Map.Item` while a Map's `ItemSelector` runs.
    MapItem { index: usize, value: Value },
}

/// Variables are limited to 256 KiB each and 256 KiB per `Assign`.
const MAX_VARIABLE_BYTES: usize = 262_144;

impl Run<'_> {
    /// One top-level section of a state's context object (see [`ContextObject`]).
    fn context_section(&self, st: &StateInfo<'_>, extra: &Extra, name: &str) -> Option<Value> {
        match (name, extra) {
            ("Execution", _) => Some(self.execution_context()),
            ("State", _) => Some(
                json!({"Name": st.name, "EnteredTime": iso(st.entered), "RetryCount": st.retry_count}),
            ),
            ("StateMachine", _) => {
                Some(json!({"Id": self.id.state_machine_arn(), "Name": self.id.state_machine_name}))
            }
            ("Task", Extra::Token(t)) => Some(json!({"Token": t})),
            ("Map", Extra::MapItem { index, value }) => {
                Some(json!({"Item": {"Index": index, "Value": value}}))
            }
            _ => None,
        }
    }

    pub fn state_info<'s>(&self, name: &'s str) -> StateInfo<'s> {
        StateInfo {
            name,
            entered: self.clock.now(),
            retry_count: 0,
        }
    }

    /// Runs `f` with an evaluation environment: the state's (lazily built) context object, the
    /// variables, the run's generator and the current time. Synchronous on purpose: no lock,
    /// context or JSONata value outlives it.
    pub fn eval<R>(
        &self,
        st: &StateInfo<'_>,
        extra: &Extra,
        vars: &Vars,
        f: impl FnOnce(&mut EvalCtx<'_>) -> R,
    ) -> R {
        let now = self.clock.now();
        let build = |name: &str| self.context_section(st, extra, name);
        let context = ContextObject::new(&build);
        let lookup = |n: &str| vars.get(n);
        self.rng.with(|rng| {
            let mut ctx = EvalCtx {
                context: &context,
                vars: &lookup,
                rng,
                now,
            };
            f(&mut ctx)
        })
    }
}

/// `InputPath` (JSONPath): `$` by default, `{}` for `null`.
pub(crate) fn input_path(
    spec: &PathSpec,
    raw: &Value,
    ctx: &EvalCtx<'_>,
) -> Result<Value, StateError> {
    match spec {
        PathSpec::Default => Ok(raw.clone()),
        PathSpec::Null => Ok(Value::Object(Map::new())),
        PathSpec::Path(p) => ctx.path(p, raw, "InputPath"),
    }
}

/// `OutputPath` (JSONPath): `$` by default, `{}` for `null`.
pub(crate) fn output_path(
    spec: &PathSpec,
    v: Value,
    ctx: &EvalCtx<'_>,
) -> Result<Value, StateError> {
    match spec {
        PathSpec::Default => Ok(v),
        PathSpec::Null => Ok(Value::Object(Map::new())),
        PathSpec::Path(p) => ctx.path(p, &v, "OutputPath"),
    }
}

/// `ResultPath` (JSONPath): replace the input by default, keep it for `null`, else place the result
/// inside the raw input.
pub(crate) fn result_path(
    spec: &PathSpec,
    raw: &Value,
    result: Value,
) -> Result<Value, StateError> {
    match spec {
        PathSpec::Default => Ok(result),
        PathSpec::Null => Ok(raw.clone()),
        PathSpec::Path(p) => p
            .set(raw.clone(), result)
            .map_err(|why| StateError::new(names::RESULT_PATH_MATCH_FAILURE, why)),
    }
}

/// Computes an `Assign` block: JSONPath values read `jp_input` as `$`; JSONata values read
/// `states`. Returns the new values (not yet applied).
pub(crate) fn assign(
    plan: &AssignPlan,
    jp_input: &Value,
    states: &States<'_>,
    ctx: &mut EvalCtx<'_>,
) -> Result<BTreeMap<String, Value>, StateError> {
    let v = match plan {
        AssignPlan::JsonPath(t) => t.eval(jp_input, ctx)?,
        AssignPlan::Jsonata(t) => t.eval(states, "Assign", ctx)?,
    };
    let Value::Object(m) = v else {
        return Ok(BTreeMap::new());
    };
    let mut total = 0;
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let size = json_size(&v);
        total += size;
        if size > MAX_VARIABLE_BYTES {
            return Err(StateError::data_limit(format!(
                "The value assigned to the variable '{k}' has a size of {size} bytes, which exceeds the maximum of {MAX_VARIABLE_BYTES} bytes."
            )));
        }
        out.insert(k, v);
    }
    if total > MAX_VARIABLE_BYTES {
        return Err(StateError::data_limit(format!(
            "The values of one Assign have a size of {total} bytes, which exceeds the maximum of {MAX_VARIABLE_BYTES} bytes."
        )));
    }
    Ok(out)
}

/// Instantiates a per-language payload: JSONPath templates read `jp_input`, JSONata ones `states`.
pub(crate) fn payload(
    p: &Payload,
    jp_input: &Value,
    states: &States<'_>,
    field: &str,
    ctx: &mut EvalCtx<'_>,
) -> Result<Value, StateError> {
    match p {
        Payload::JsonPath(t) => t.eval(jp_input, ctx),
        Payload::Jsonata(t) => t.eval(states, field, ctx),
    }
}

/// Evaluates a number field: literal, JSONPath `...Path` on `jp_input`, or JSONata on `states`.
/// `None` when absent. Must be a non-negative integer.
pub(crate) fn dyn_int(
    d: &Dyn,
    field: &str,
    jp_input: &Value,
    states: &States<'_>,
    ctx: &mut EvalCtx<'_>,
) -> Result<Option<u64>, StateError> {
    let (v, jsonata) = match d {
        Dyn::Absent => return Ok(None),
        Dyn::Literal(v) => (v.clone(), false),
        Dyn::Path(p) => (ctx.path(p, jp_input, &format!("{field}Path"))?, false),
        Dyn::Expr(e) => (ctx.jsonata(e, field, states)?, true),
    };
    match as_integer(&v) {
        Some(n) if n >= 0 => Ok(Some(n as u64)),
        _ => {
            let msg = format!("The value of {field} must be a non-negative integer, found {v}");
            Err(if jsonata {
                StateError::query(msg)
            } else {
                StateError::runtime(msg)
            })
        }
    }
}

/// Evaluates a number field that may be fractional (tolerated failure percentage).
pub(crate) fn dyn_number(
    d: &Dyn,
    field: &str,
    jp_input: &Value,
    states: &States<'_>,
    ctx: &mut EvalCtx<'_>,
) -> Result<Option<f64>, StateError> {
    let (v, jsonata) = match d {
        Dyn::Absent => return Ok(None),
        Dyn::Literal(v) => (v.clone(), false),
        Dyn::Path(p) => (ctx.path(p, jp_input, &format!("{field}Path"))?, false),
        Dyn::Expr(e) => (ctx.jsonata(e, field, states)?, true),
    };
    match v.as_f64() {
        Some(n) if n >= 0.0 => Ok(Some(n)),
        _ => {
            let msg = format!("The value of {field} must be a non-negative number, found {v}");
            Err(if jsonata {
                StateError::query(msg)
            } else {
                StateError::runtime(msg)
            })
        }
    }
}
