//! The input/output pipelines and the evaluation environment of one state.
//!
//! JSONPath: `InputPath` → `Parameters` → (work) → `ResultSelector` → `ResultPath` →
//! `OutputPath`. JSONata: `Arguments` → (work) → `Output`, with `$states.input`, `$states.result`,
//! `$states.errorOutput` and `$states.context`. `Assign` values are computed from the variables as
//! they were when the state was entered and applied together when the state leaves.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::super::error::{StateError, names};
use super::super::plan::{AssignPlan, Dyn, PathSpec, Payload};
use super::super::template::EvalCtx;
use super::super::value::{as_integer, json_size};
use super::vars::Vars;
use super::{Run, iso, lock};

/// Per-state facts for the context object.
#[derive(Clone, Debug)]
pub(crate) struct StateInfo<'s> {
    pub name: &'s str,
    pub entered: String,
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
    /// The context object for a state.
    pub fn context(&self, st: &StateInfo<'_>, extra: &Extra) -> Value {
        let mut ctx = json!({
            "Execution": self.execution_context(),
            "State": {"Name": st.name, "EnteredTime": st.entered, "RetryCount": st.retry_count},
            "StateMachine": {"Id": self.id.state_machine_arn(), "Name": self.id.state_machine_name},
        });
        let obj = ctx.as_object_mut().expect("object");
        match extra {
            Extra::None => {}
            Extra::Token(t) => {
                obj.insert("Task".to_owned(), json!({"Token": t}));
            }
            Extra::MapItem { index, value } => {
                obj.insert(
                    "Map".to_owned(),
                    json!({"Item": {"Index": index, "Value": value}}),
                );
            }
        }
        ctx
    }

    pub fn state_info<'s>(&self, name: &'s str) -> StateInfo<'s> {
        StateInfo {
            name,
            entered: iso(self.clock.now()),
            retry_count: 0,
        }
    }

    /// Runs `f` with an evaluation environment (context, variables, the run's generator, now).
    /// Synchronous on purpose: no lock or JSONata value outlives it.
    pub fn eval<R>(
        &self,
        context: &Value,
        vars: &Vars,
        f: impl FnOnce(&mut EvalCtx<'_>) -> R,
    ) -> R {
        let now = self.clock.now();
        let mut rng = lock(&self.rng);
        let lookup = |n: &str| vars.get(n);
        let mut ctx = EvalCtx {
            context,
            vars: &lookup,
            rng: &mut rng,
            now,
        };
        f(&mut ctx)
    }

    /// `$states` for a JSONata field.
    pub fn states_object(
        &self,
        input: &Value,
        context: &Value,
        result: Option<&Value>,
        error_output: Option<&Value>,
    ) -> Value {
        let mut m = Map::new();
        m.insert("input".to_owned(), input.clone());
        m.insert("context".to_owned(), context.clone());
        if let Some(r) = result {
            m.insert("result".to_owned(), r.clone());
        }
        if let Some(e) = error_output {
            m.insert("errorOutput".to_owned(), e.clone());
        }
        Value::Object(m)
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
    states: &Value,
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
    states: &Value,
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
    states: &Value,
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
    states: &Value,
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
