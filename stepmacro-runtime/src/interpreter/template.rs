//! Payload templates, compiled once per definition.
//!
//! * [`Template`] (JSONPath states: `Parameters`, `ResultSelector`, `ItemSelector`, JSONPath
//!   `Assign`...): a key ending in `.$` takes the value of a Path (`$.x`, `$$.x`, `$var`) or of an
//!   intrinsic call and loses its suffix; every other value is copied literally.
//! * [`JTemplate`] (JSONata states: `Arguments`, `Output`, `Assign`, `ItemSelector`...): every
//!   string that is a whole `{% ... %}` is replaced by the expression's value, at any depth.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::context::ContextObject;
use super::error::StateError;
use super::intrinsics::{self, Call};
use super::jsonata::{self, Reference, States};
use super::jsonpath::{Path, PathError, Sources};
use super::rng::Rng;
use super::value::abbreviate;

/// What templates, paths and expressions can read besides their input.
pub struct EvalCtx<'a> {
    /// The context object (`$$` / `$states.context`).
    pub context: &'a ContextObject<'a>,
    /// Workflow variables visible from the current scope.
    pub vars: &'a dyn Fn(&str) -> Option<Value>,
    /// The run's random generator.
    pub rng: &'a mut Rng,
    /// The run's current time.
    pub now: DateTime<Utc>,
}

impl EvalCtx<'_> {
    pub fn sources<'s>(&'s self, input: &'s Value) -> Sources<'s> {
        Sources {
            input,
            context: self.context,
            vars: self.vars,
        }
    }

    /// Evaluates a Path for a field, with AWS-like messages (`States.Runtime`) on failure.
    pub fn path(&self, path: &Path, input: &Value, field: &str) -> Result<Value, StateError> {
        path.eval(&self.sources(input))
            .map_err(|e| path_error(path, field, input, e))
    }

    /// Evaluates a JSONata expression (the text inside `{% %}`) for a field.
    pub fn jsonata(
        &mut self,
        expr: &str,
        field: &str,
        states: &States<'_>,
    ) -> Result<Value, StateError> {
        let mut env = self.jsonata_env(states);
        jsonata::eval(expr, field, &mut env)
    }

    /// [`EvalCtx::jsonata`] with the expression's [`Reference`] parsed in advance.
    pub fn jsonata_prepared(
        &mut self,
        expr: &str,
        reference: Option<&Reference>,
        field: &str,
        states: &States<'_>,
    ) -> Result<Value, StateError> {
        let mut env = self.jsonata_env(states);
        jsonata::eval_prepared(expr, reference, field, &mut env)
    }

    fn jsonata_env<'e>(&'e mut self, states: &'e States<'e>) -> jsonata::Env<'e> {
        jsonata::Env {
            states,
            context: self.context,
            vars: self.vars,
            rng: self.rng,
            now: self.now,
        }
    }
}

/// The `States.Runtime` error for a Path that could not be evaluated.
pub fn path_error(path: &Path, field: &str, input: &Value, e: PathError) -> StateError {
    match e {
        PathError::NotFound => StateError::runtime(format!(
            "The JSONPath '{}' specified for the field '{field}' could not be found in the input '{}'",
            path.as_str(),
            abbreviate(input, 2000)
        )),
        PathError::UnknownVariable(v) => StateError::runtime(format!(
            "The JSONPath '{}' specified for the field '{field}' references the undefined variable '${v}'",
            path.as_str()
        )),
        PathError::Function(m) => StateError::runtime(format!(
            "The JSONPath '{}' specified for the field '{field}' could not be evaluated: {m}",
            path.as_str()
        )),
    }
}

/// A compiled JSONPath payload template.
#[derive(Clone, Debug)]
pub enum Template {
    Literal(Value),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    /// `"key.$": "$..."`; the string is the original key (for messages).
    Path(Path, String),
    /// `"key.$": "States.X(...)"`.
    Call(Call),
}

impl Template {
    /// Compiles a template. Errors name the offending key.
    pub fn compile(v: &Value) -> Result<Template, String> {
        match v {
            Value::Object(m) => {
                let mut fields: Vec<(String, Template)> = Vec::with_capacity(m.len());
                let mut dynamic = false;
                for (k, v) in m {
                    let (name, t) = match k.strip_suffix(".$") {
                        Some(name) => {
                            let Value::String(s) = v else {
                                return Err(format!(
                                    "the value of \"{k}\" must be a string (a path or an intrinsic function)"
                                ));
                            };
                            dynamic = true;
                            let t = if intrinsics::looks_like_call(s) {
                                Template::Call(Call::parse(s)?)
                            } else if s.trim_start().starts_with('$') {
                                Template::Path(Path::parse(s)?, k.clone())
                            } else {
                                return Err(format!(
                                    "the value of \"{k}\" must be a path or an intrinsic function, found {s:?}"
                                ));
                            };
                            (name.to_owned(), t)
                        }
                        None => {
                            let t = Template::compile(v)?;
                            dynamic |= !matches!(t, Template::Literal(_));
                            (k.clone(), t)
                        }
                    };
                    if fields.iter().any(|(n, _)| *n == name) {
                        return Err(format!(
                            "the key \"{name}\" appears twice (once with \".$\")"
                        ));
                    }
                    fields.push((name, t));
                }
                if dynamic {
                    Ok(Template::Object(fields))
                } else {
                    Ok(Template::Literal(v.clone()))
                }
            }
            Value::Array(items) => {
                let ts: Vec<Template> = items
                    .iter()
                    .map(Template::compile)
                    .collect::<Result<_, _>>()?;
                if ts.iter().all(|t| matches!(t, Template::Literal(_))) {
                    Ok(Template::Literal(v.clone()))
                } else {
                    Ok(Template::Array(ts))
                }
            }
            other => Ok(Template::Literal(other.clone())),
        }
    }

    /// Instantiates the template over `input`.
    pub fn eval(&self, input: &Value, ctx: &mut EvalCtx<'_>) -> Result<Value, StateError> {
        match self {
            Template::Literal(v) => Ok(v.clone()),
            Template::Object(fields) => {
                let mut out = Map::with_capacity(fields.len());
                for (k, t) in fields {
                    out.insert(k.clone(), t.eval(input, ctx)?);
                }
                Ok(Value::Object(out))
            }
            Template::Array(items) => Ok(Value::Array(
                items
                    .iter()
                    .map(|t| t.eval(input, ctx))
                    .collect::<Result<_, _>>()?,
            )),
            Template::Path(p, key) => ctx.path(p, input, key),
            Template::Call(c) => {
                let src = Sources {
                    input,
                    context: ctx.context,
                    vars: ctx.vars,
                };
                c.eval(&src, ctx.rng)
            }
        }
    }
}

/// A compiled JSONata template (`{% %}` strings anywhere inside).
#[derive(Clone, Debug)]
pub enum JTemplate {
    Literal(Value),
    /// An expression; `reference` is set when it is a plain reference (evaluated without JSONata).
    Expr {
        text: String,
        reference: Option<Reference>,
    },
    Object(Vec<(String, JTemplate)>),
    Array(Vec<JTemplate>),
}

impl JTemplate {
    /// Compiles a template; every expression must parse.
    pub fn compile(v: &Value) -> Result<JTemplate, String> {
        match v {
            Value::String(s) => match jsonata::expression_text(s) {
                Some(expr) => {
                    jsonata::check(expr)
                        .map_err(|e| format!("invalid JSONata expression {s:?}: {e}"))?;
                    Ok(JTemplate::Expr {
                        text: expr.to_owned(),
                        reference: Reference::parse(expr),
                    })
                }
                None => Ok(JTemplate::Literal(v.clone())),
            },
            Value::Object(m) => {
                let fields: Vec<(String, JTemplate)> = m
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), JTemplate::compile(v)?)))
                    .collect::<Result<_, String>>()?;
                if fields
                    .iter()
                    .all(|(_, t)| matches!(t, JTemplate::Literal(_)))
                {
                    Ok(JTemplate::Literal(v.clone()))
                } else {
                    Ok(JTemplate::Object(fields))
                }
            }
            Value::Array(items) => {
                let ts: Vec<JTemplate> = items
                    .iter()
                    .map(JTemplate::compile)
                    .collect::<Result<_, _>>()?;
                if ts.iter().all(|t| matches!(t, JTemplate::Literal(_))) {
                    Ok(JTemplate::Literal(v.clone()))
                } else {
                    Ok(JTemplate::Array(ts))
                }
            }
            other => Ok(JTemplate::Literal(other.clone())),
        }
    }

    /// [`JTemplate::eval`], borrowing a literal instead of copying it.
    pub fn eval_cow(
        &self,
        states: &States<'_>,
        field: &str,
        ctx: &mut EvalCtx<'_>,
    ) -> Result<std::borrow::Cow<'_, Value>, StateError> {
        match self {
            JTemplate::Literal(v) => Ok(std::borrow::Cow::Borrowed(v)),
            other => other.eval(states, field, ctx).map(std::borrow::Cow::Owned),
        }
    }

    /// Instantiates the template; `states` is the `$states` object, `field` names the field.
    pub fn eval(
        &self,
        states: &States<'_>,
        field: &str,
        ctx: &mut EvalCtx<'_>,
    ) -> Result<Value, StateError> {
        match self {
            JTemplate::Literal(v) => Ok(v.clone()),
            JTemplate::Expr { text, reference } => {
                ctx.jsonata_prepared(text, reference.as_ref(), field, states)
            }
            JTemplate::Object(fields) => {
                let mut out = Map::with_capacity(fields.len());
                for (k, t) in fields {
                    out.insert(k.clone(), t.eval(states, field, ctx)?);
                }
                Ok(Value::Object(out))
            }
            JTemplate::Array(items) => Ok(Value::Array(
                items
                    .iter()
                    .map(|t| t.eval(states, field, ctx))
                    .collect::<Result<_, _>>()?,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn with_ctx<R>(f: impl FnOnce(&mut EvalCtx<'_>) -> R) -> R {
        let context =
            ContextObject::from_value(json!({"Execution": {"Id": "arn:x", "Input": {"id": 7}}}));
        let vars = |n: &str| if n == "limit" { Some(json!(10)) } else { None };
        let mut rng = Rng::new(1);
        let mut ctx = EvalCtx {
            context: &context,
            vars: &vars,
            rng: &mut rng,
            now: Utc::now(),
        };
        f(&mut ctx)
    }

    #[test]
    fn jsonpath_template() {
        let t = Template::compile(&json!({
            "a.$": "$.x",
            "lit": "$.x",
            "nested": {"b.$": "$$.Execution.Input.id", "c": [1, {"d.$": "$limit"}]},
            "n.$": "States.ArrayLength($.l)",
            "all.$": "$"
        }))
        .unwrap();
        let input = json!({"x": 1, "l": [1, 2]});
        let out = with_ctx(|c| t.eval(&input, c)).unwrap();
        assert_eq!(
            out,
            json!({"a": 1, "lit": "$.x", "nested": {"b": 7, "c": [1, {"d": 10}]}, "n": 2, "all": {"x": 1, "l": [1, 2]}})
        );
    }

    #[test]
    fn jsonpath_template_errors() {
        assert!(Template::compile(&json!({"a.$": 1})).is_err());
        assert!(Template::compile(&json!({"a.$": "x"})).is_err());
        assert!(Template::compile(&json!({"a.$": "$.x", "a": 1})).is_err());
        assert!(Template::compile(&json!({"a.$": "States.Nope()"})).is_err());
        let t = Template::compile(&json!({"a.$": "$.missing"})).unwrap();
        let e = with_ctx(|c| t.eval(&json!({}), c)).unwrap_err();
        assert_eq!(e.error, "States.Runtime");
        assert!(
            e.cause.contains("'$.missing'") && e.cause.contains("'a.$'"),
            "{}",
            e.cause
        );
    }

    #[test]
    fn jsonata_template() {
        let t = JTemplate::compile(&json!({"a": "{% $states.input.x + $limit %}", "b": ["{% 1 %}", "lit"], "c": "x {% 1 %}"}))
            .unwrap();
        let input = json!({"x": 1});
        let states = States::input(&input);
        assert_eq!(
            with_ctx(|c| t.eval(&states, "Output", c)).unwrap(),
            json!({"a": 11, "b": [1, "lit"], "c": "x {% 1 %}"})
        );
        assert!(JTemplate::compile(&json!("{% 1 + %}")).is_err());
        assert!(matches!(
            JTemplate::compile(&json!({"a": [1]})).unwrap(),
            JTemplate::Literal(_)
        ));
    }
}
