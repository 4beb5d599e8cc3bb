//! JSONata evaluation as Step Functions does it, on `jsonata-core`.
//!
//! * There is no input document: an expression reads `$states.input`, `$states.context`,
//!   `$states.result`, `$states.errorOutput` and workflow variables (`$name`).
//! * Step Functions' additions are registered as host functions: `$partition`, `$range`
//!   (inclusive), `$hash`, `$uuid`, `$parse`; `$random([seed])` draws from the run's seedable
//!   generator; `$now()`/`$millis()` read the run's (possibly virtual) clock; `$eval` is not
//!   offered (AWS replaces it by `$parse`).
//! * Any evaluation error, and an expression that yields nothing (undefined), is
//!   `States.QueryEvaluationError`.
//!
//! jsonata-core values are `Rc`-based (not `Send`): everything here is synchronous and converts
//! back to `serde_json::Value` before returning, so no JSONata value lives across an `.await`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::{DateTime, SecondsFormat, Utc};
use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use serde_json::Value;

use super::context::{ContextObject, SECTIONS};
use super::error::StateError;
use super::intrinsics;
use super::rng::Rng;
use super::state_result::StateResult;

/// Is this string a JSONata expression (`{% ... %}`, nothing outside)?
pub fn expression_text(s: &str) -> Option<&str> {
    let t = s.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(t)
}

/// Checks that an expression parses (definition loading).
pub fn check(expr: &str) -> Result<(), String> {
    parse(expr).map(|_| ())
}

thread_local! {
    /// Parsed expressions by source text: a definition's few expressions are parsed once per
    /// thread rather than at every evaluation.
    static CACHE: RefCell<HashMap<String, Rc<AstNode>>> = RefCell::new(HashMap::new());
}

const CACHE_CAP: usize = 4096;

fn parse(expr: &str) -> Result<Rc<AstNode>, String> {
    if let Some(ast) = CACHE.with(|c| c.borrow().get(expr).cloned()) {
        return Ok(ast);
    }
    let ast = Rc::new(jsonata_core::parser::parse(expr).map_err(|e| e.to_string())?);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_CAP {
            c.clear();
        }
        c.insert(expr.to_owned(), ast.clone());
    });
    Ok(ast)
}

/// The members of `$states` besides `context`: `input` always, `result` and `errorOutput` in the
/// fields that have them.
#[derive(Clone, Copy, Debug)]
pub struct States<'a> {
    pub input: &'a Value,
    pub result: Option<&'a StateResult>,
    pub error_output: Option<&'a Value>,
}

impl<'a> States<'a> {
    pub fn input(input: &'a Value) -> Self {
        States {
            input,
            result: None,
            error_output: None,
        }
    }
}

/// What an expression can see.
pub struct Env<'a> {
    /// `$states` (without `context`).
    pub states: &'a States<'a>,
    /// `$states.context`.
    pub context: &'a ContextObject<'a>,
    /// Workflow variables visible from the current scope.
    pub vars: &'a dyn Fn(&str) -> Option<Value>,
    /// The run's random generator.
    pub rng: &'a mut Rng,
    /// The run's current time.
    pub now: DateTime<Utc>,
}

/// The names `$name` that occur in the expression text. Only those variables are converted to
/// JSONata values, so a run with large variables does not pay for them in every expression.
fn referenced_names(expr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let start = i + 1;
            let mut j = start;
            while j < expr.len() {
                let c = expr[j..].chars().next().unwrap_or(' ');
                if c.is_alphanumeric() || c == '_' {
                    j += c.len_utf8();
                } else {
                    break;
                }
            }
            if j > start && !out.contains(&&expr[start..j]) {
                out.push(&expr[start..j]);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Which parts of `$states` an expression reads, from its text: `$states.input`,
/// `$states.context.Map...`; any other use of `$states` (a bare `$states`, `$states['input']`)
/// takes everything.
#[derive(Debug, Default, PartialEq)]
struct StatesUse<'e> {
    input: bool,
    result: bool,
    error_output: bool,
    all_context: bool,
    context_sections: Vec<&'e str>,
}

fn ident_len(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map(|(i, _)| i)
        .unwrap_or(s.len())
}

fn states_use(expr: &str) -> StatesUse<'_> {
    let mut u = StatesUse::default();
    let mut rest = expr;
    while let Some(i) = rest.find("$states") {
        let after = &rest[i + "$states".len()..];
        rest = after;
        if ident_len(after) > 0 {
            continue; // `$statesX` is another variable
        }
        let member = after.strip_prefix('.').map(|m| &m[..ident_len(m)]);
        match member {
            Some("input") => u.input = true,
            Some("result") => u.result = true,
            Some("errorOutput") => u.error_output = true,
            Some("context") => {
                let after_ctx = &after[".context".len()..];
                match after_ctx.strip_prefix('.').map(|m| &m[..ident_len(m)]) {
                    Some(section) if SECTIONS.contains(&section) => {
                        if !u.context_sections.contains(&section) {
                            u.context_sections.push(section);
                        }
                    }
                    _ => u.all_context = true,
                }
            }
            _ => {
                u.input = true;
                u.result = true;
                u.error_output = true;
                u.all_context = true;
            }
        }
    }
    u
}

/// `$states` with only the members (and context sections) the expression reads.
fn states_value(expr: &str, env: &Env<'_>) -> Value {
    let u = states_use(expr);
    let mut m = serde_json::Map::new();
    if u.input {
        m.insert("input".to_owned(), env.states.input.clone());
    }
    if u.result
        && let Some(r) = env.states.result
    {
        m.insert("result".to_owned(), r.value().clone());
    }
    if u.error_output
        && let Some(e) = env.states.error_output
    {
        m.insert("errorOutput".to_owned(), e.clone());
    }
    if u.all_context {
        m.insert("context".to_owned(), env.context.full().clone());
    } else if !u.context_sections.is_empty() {
        m.insert("context".to_owned(), env.context.only(&u.context_sections));
    }
    Value::Object(m)
}

/// Evaluates `expr` (the text between `{%` and `%}`). `field` names the field for messages.
pub fn eval(expr: &str, field: &str, env: &mut Env<'_>) -> Result<Value, StateError> {
    if let Some(v) = simple_reference(expr, env) {
        return Ok(v);
    }
    eval_full(expr, field, env)
}

/// [`eval`] of an expression whose [`Reference`] (if it is one) was parsed in advance.
pub fn eval_prepared(
    expr: &str,
    reference: Option<&Reference>,
    field: &str,
    env: &mut Env<'_>,
) -> Result<Value, StateError> {
    if let Some(v) = reference.and_then(|r| r.get(env)) {
        return Ok(v);
    }
    eval_full(expr, field, env)
}

/// [`eval`] without the fast path: the JSONata evaluator.
fn eval_full(expr: &str, field: &str, env: &mut Env<'_>) -> Result<Value, StateError> {
    let fail = |msg: String| {
        StateError::query(format!(
            "An error occurred while evaluating the JSONata expression '{}' specified for the field '{field}': {msg}",
            expr.trim()
        ))
    };
    let ast = parse(expr).map_err(fail)?;
    let mut ctx = Context::new();
    let names = referenced_names(expr);
    for &name in &names {
        if name == "states" {
            ctx.bind("states".to_owned(), JValue::from(states_value(expr, env)));
        } else if let Some(v) = (env.vars)(name) {
            ctx.bind(name.to_owned(), JValue::from(v));
        }
    }
    let rng = Rc::new(RefCell::new(env.rng.clone()));
    let mut ev = Evaluator::with_context(ctx);
    // Registering the host functions costs more than evaluating a typical expression (a String,
    // an Rc closure and a SipHash insert each): only when the text names one of them.
    if names.iter().any(|n| HOST_FUNCTIONS.contains(n)) {
        register_functions(&mut ev, rng.clone(), env.now).map_err(|e| fail(e.to_string()))?;
    }
    let result = ev.evaluate(&ast, &JValue::Undefined);
    *env.rng = rng.borrow().clone();
    let result = result.map_err(|e| fail(e.message().to_owned()))?;
    if result.is_undefined() {
        return Err(StateError::query(format!(
            "The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
            expr.trim()
        )));
    }
    if result.is_function() {
        return Err(fail(
            "the expression evaluates to a function, which is not JSON".to_owned(),
        ));
    }
    serde_json::to_value(&result).map_err(|e| fail(e.to_string()))
}

/// The names [`register_functions`] registers.
const HOST_FUNCTIONS: [&str; 9] = [
    "partition",
    "range",
    "hash",
    "uuid",
    "parse",
    "random",
    "eval",
    "millis",
    "now",
];

/// Fast path for the expressions generated code is made of: `$states.input`,
/// `$states.result.Payload`, `$var`, `$var.field`: a variable followed by object fields. Gives
/// what JSONata gives (numbers pass through f64 as in JSONata) or `None` to take the full
/// evaluator: a missing field, a non-object on the way, an array result (JSONata's sequence
/// rules), `$states.context`, or anything else in the text.
fn simple_reference(expr: &str, env: &Env<'_>) -> Option<Value> {
    Reference::parse(expr)?.get(env)
}

/// An expression that is a plain reference (see [`simple_reference`]), split into its parts once
/// when the definition is loaded, so that evaluating it is only the lookups.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    root: Root,
    fields: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Root {
    Input,
    Result,
    ErrorOutput,
    Var(String),
}

impl Reference {
    /// The reference `expr` is, or `None` when it is anything else.
    pub fn parse(expr: &str) -> Option<Reference> {
        let text = expr.trim().strip_prefix('$')?;
        let mut segments = text.split('.');
        let root = segments
            .next()
            .filter(|s| plain_name(s) && !HOST_FUNCTIONS.contains(s))?;
        let root = if root == "states" {
            match segments.next()? {
                "input" => Root::Input,
                "result" => Root::Result,
                "errorOutput" => Root::ErrorOutput,
                _ => return None,
            }
        } else {
            Root::Var(root.to_owned())
        };
        let fields = segments
            .map(|s| plain_name(s).then(|| s.to_owned()))
            .collect::<Option<Vec<_>>>()?;
        Some(Reference { root, fields })
    }

    /// Its value, or `None` where the full evaluator must decide (see [`simple_reference`]).
    pub fn get(&self, env: &Env<'_>) -> Option<Value> {
        let owned;
        let (mut cur, fields): (&Value, &[String]) = match &self.root {
            Root::Input => (env.states.input, &self.fields),
            // A `lambda:invoke` response answers `Payload...` without being built.
            Root::Result => (env.states.result?.at(&self.fields)?, &[]),
            Root::ErrorOutput => (env.states.error_output?, &self.fields),
            Root::Var(name) => {
                owned = (env.vars)(name)?;
                (&owned, &self.fields)
            }
        };
        for field in fields {
            cur = super::value::field(cur.as_object()?, field)?;
        }
        if cur.is_array() {
            return None;
        }
        Some(jsonata_numbers(cur))
    }
}

/// Words JSONata reads as something other than a field name after a `.` (`$x.true` is the
/// literal `true`, `$x.and` an operator).
const JSONATA_WORDS: [&str; 7] = ["and", "or", "in", "true", "false", "null", "function"];

/// A name the fast path may treat as a plain field or variable name: ASCII, not starting with a
/// digit (`$x.0` is the number 0 in JSONata, not the field "0"), not a JSONata word.
fn plain_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !JSONATA_WORDS.contains(&s)
}

/// A copy of `v` with numbers as a JSONata round trip leaves them (f64; integral ones as integers).
fn jsonata_numbers(v: &Value) -> Value {
    match v {
        Value::Number(n) => {
            // Through f64, as JSONata holds numbers (integers exact up to 2^53).
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && f >= i64::MIN as f64 && f <= i64::MAX as f64 {
                Value::from(f as i64)
            } else {
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(jsonata_numbers).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), jsonata_numbers(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn err(msg: impl Into<String>) -> EvaluatorError {
    EvaluatorError::EvaluationError(msg.into())
}

fn to_jvalue(v: Value) -> JValue {
    JValue::from(v)
}

fn int_arg(args: &[JValue], i: usize, f: &str) -> Result<Option<i64>, EvaluatorError> {
    match args.get(i) {
        None | Some(JValue::Undefined) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.fract() == 0.0 => Ok(Some(n as i64)),
            _ => Err(err(format!("${f}: argument {} must be an integer", i + 1))),
        },
    }
}

fn register_functions(
    ev: &mut Evaluator,
    rng: Rc<RefCell<Rng>>,
    now: DateTime<Utc>,
) -> Result<(), EvaluatorError> {
    ev.register_fn("partition", |args: &[JValue]| {
        let Some(arr) = args.first().and_then(|a| a.as_array()) else {
            return Err(err("$partition: the first argument must be an array"));
        };
        let size = int_arg(args, 1, "partition")?
            .filter(|n| *n > 0)
            .ok_or_else(|| err("$partition: the size must be a positive integer"))?;
        let chunks: Vec<JValue> = arr
            .chunks(size as usize)
            .map(|c| JValue::array(c.to_vec()))
            .collect();
        Ok(JValue::array(chunks))
    })?;
    ev.register_fn("range", |args: &[JValue]| {
        let start = int_arg(args, 0, "range")?.ok_or_else(|| err("$range: start is required"))?;
        let end = int_arg(args, 1, "range")?.ok_or_else(|| err("$range: end is required"))?;
        let step = int_arg(args, 2, "range")?.unwrap_or(1);
        if step == 0 {
            return Err(err("$range: the step must not be 0"));
        }
        let mut out = Vec::new();
        let mut x = start;
        while (step > 0 && x <= end) || (step < 0 && x >= end) {
            if out.len() >= 1000 {
                return Err(err("$range: the range has more than 1000 items"));
            }
            out.push(JValue::from(x));
            x += step;
        }
        Ok(JValue::array(out))
    })?;
    ev.register_fn("hash", |args: &[JValue]| {
        let data = match args.first() {
            Some(JValue::String(s)) => s.to_string(),
            Some(v) if !v.is_undefined() => v.to_json_string().map_err(|e| err(e.to_string()))?,
            _ => return Err(err("$hash: a value to hash is required")),
        };
        let alg = args
            .get(1)
            .and_then(|a| a.as_str())
            .ok_or_else(|| err("$hash: the algorithm must be a string"))?;
        intrinsics::hash(&data, alg)
            .map(JValue::from)
            .map_err(|e| err(format!("$hash: {e}")))
    })?;
    let r = rng.clone();
    ev.register_fn("uuid", move |_args: &[JValue]| {
        Ok(JValue::from(r.borrow_mut().uuid_v4()))
    })?;
    ev.register_fn("parse", |args: &[JValue]| {
        let s = args
            .first()
            .and_then(|a| a.as_str())
            .ok_or_else(|| err("$parse: the argument must be a string"))?;
        let v: Value =
            serde_json::from_str(s).map_err(|e| err(format!("$parse: invalid JSON text: {e}")))?;
        Ok(to_jvalue(v))
    })?;
    let r = rng;
    ev.register_fn_override("random", move |args: &[JValue]| {
        let x = match int_arg(args, 0, "random")? {
            Some(seed) => Rng::new(seed as u64).next_f64(),
            None => r.borrow_mut().next_f64(),
        };
        Ok(JValue::from(x))
    })?;
    ev.register_fn_override("eval", |_args: &[JValue]| {
        Err(err(
            "$eval is not supported by Step Functions; use $parse to read JSON text",
        ))
    })?;
    let ms = now.timestamp_millis();
    ev.register_fn_override("millis", move |_args: &[JValue]| Ok(JValue::from(ms)))?;
    ev.register_fn_override("now", move |args: &[JValue]| {
        let picture = args.first().filter(|a| !a.is_undefined()).cloned();
        let tz = args.get(1).filter(|a| !a.is_undefined()).cloned();
        if picture.is_none() && tz.is_none() {
            return Ok(JValue::from(
                now.to_rfc3339_opts(SecondsFormat::Millis, true),
            ));
        }
        // Formatted: delegate to the built-in $fromMillis in a separate evaluator.
        let mut ctx = Context::new();
        ctx.bind("m".to_owned(), JValue::from(ms));
        ctx.bind("p".to_owned(), picture.unwrap_or(JValue::Undefined));
        ctx.bind("t".to_owned(), tz.unwrap_or(JValue::Undefined));
        let ast = jsonata_core::parser::parse("$fromMillis($m, $p, $t)")
            .map_err(|e| err(e.to_string()))?;
        Evaluator::with_context(ctx).evaluate(&ast, &JValue::Undefined)
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str) -> Result<Value, StateError> {
        let input = json!({"a": 2, "items": [{"p": 5}, {"p": 7}]});
        let context = ContextObject::from_value(json!({"State": {"Name": "S"}}));
        let vars = |n: &str| match n {
            "x" => Some(json!(40)),
            "s" => Some(json!("say \"hi\" \\ bye")),
            _ => None,
        };
        let mut rng = Rng::new(5);
        let now = DateTime::parse_from_rfc3339("2024-05-06T07:08:09Z")
            .unwrap()
            .with_timezone(&Utc);
        let states = States::input(&input);
        eval(
            expr,
            "Output",
            &mut Env {
                states: &states,
                context: &context,
                vars: &vars,
                rng: &mut rng,
                now,
            },
        )
    }

    /// Only plain references are parsed in advance; everything else goes to the evaluator.
    #[test]
    fn references_are_parsed_once() {
        for yes in [
            "$states.input",
            " $states.result.Payload ",
            "$n_2",
            "$input.items",
        ] {
            assert!(Reference::parse(yes).is_some(), "{yes}");
        }
        for no in [
            "$states.context.State.Name",
            "$states",
            "$x + 1",
            "$now",
            "$x.0",
            "$x.true",
            "$x[0]",
            "'many'",
            "$x.",
        ] {
            assert_eq!(Reference::parse(no), None, "{no}");
        }
    }

    /// The fast path gives exactly what the evaluator gives, and declines what it cannot do.
    #[test]
    fn simple_references_match_the_evaluator() {
        let input = json!({"n": 1.0, "big": 9007199254740993u64, "o": {"k": [1, [2]], "z": null},
                           "list": [1, [2, 3]], "s": "t", "0": "zero", "true": 7, "null": 8,
                           "and": 9, "function": 10, "neg": -0.0, "huge": 1e300});
        let result = json!({"Payload": {"v": 2.5}});
        let context = ContextObject::from_value(json!({"State": {"Name": "S"}}));
        let vars = |n: &str| match n {
            "v" => Some(json!({"a": {"b": 3}})),
            "arr" => Some(json!([1])),
            _ => None,
        };
        let now = Utc::now();
        let result = StateResult::Value(result);
        let states = States {
            input: &input,
            result: Some(&result),
            error_output: None,
        };
        let cases = [
            "$states.input",
            " $states.input.o ",
            "$states.input.n",
            "$states.input.big",
            "$states.input.s",
            "$states.input.o.z",
            "$states.result.Payload",
            "$states.result.Payload.v",
            "$v",
            "$v.a.b",
            "$states.input.list",
            "$arr",
            "$states.input.missing",
            "$nope",
            "$states.errorOutput",
            "$states.context.State.Name",
            "$now",
            "$states.input.o.k",
            "$states.input.neg",
            "$states.input.huge",
            "$states.input.0",
            "$states.input.true",
            "$states.input.null",
            "$states.input.and",
            "$states.input.function",
        ];
        for expr in cases {
            let env = |rng: &mut Rng| -> Result<Value, StateError> {
                let mut env = Env {
                    states: &states,
                    context: &context,
                    vars: &vars,
                    rng,
                    now,
                };
                eval(expr, "Output", &mut env)
            };
            let fast = simple_reference(
                expr,
                &Env {
                    states: &states,
                    context: &context,
                    vars: &vars,
                    rng: &mut Rng::new(1),
                    now,
                },
            );
            // The full evaluator, bypassing the fast path: the same text wrapped in parentheses.
            let wrapped = format!("({expr})");
            let full = {
                let mut rng = Rng::new(1);
                let mut env = Env {
                    states: &states,
                    context: &context,
                    vars: &vars,
                    rng: &mut rng,
                    now,
                };
                eval(&wrapped, "Output", &mut env)
            };
            if let Some(v) = &fast {
                assert_eq!(Ok(v.clone()), full, "{expr}");
            }
            assert_eq!(env(&mut Rng::new(1)).ok(), full.ok(), "{expr}");
        }
        // Digits and JSONata words after a `.` are not field names: the evaluator decides.
        for word in ["0", "true", "null", "and", "function"] {
            let expr = format!("$states.input.{word}");
            let env = Env {
                states: &states,
                context: &context,
                vars: &vars,
                rng: &mut Rng::new(1),
                now,
            };
            assert_eq!(simple_reference(&expr, &env), None, "{expr}");
        }
        assert_eq!(
            simple_reference(
                "$states.input.list",
                &Env {
                    states: &states,
                    context: &context,
                    vars: &vars,
                    rng: &mut Rng::new(1),
                    now
                }
            ),
            None
        );
        assert!(
            simple_reference(
                "$states.input",
                &Env {
                    states: &states,
                    context: &context,
                    vars: &vars,
                    rng: &mut Rng::new(1),
                    now
                }
            )
            .is_some()
        );
    }

    #[test]
    fn only_referenced_members_are_bound() {
        let u = states_use(
            "$states.input.a + $count($states.context.Map.Item) + $states.context.Map.x",
        );
        assert_eq!(
            u,
            StatesUse {
                input: true,
                context_sections: vec!["Map"],
                ..StatesUse::default()
            }
        );
        let u = states_use("$states.context.Execution.Input and $states.result");
        assert_eq!(
            u,
            StatesUse {
                result: true,
                context_sections: vec!["Execution"],
                ..StatesUse::default()
            }
        );
        assert!(states_use("$keys($states)").all_context);
        assert!(states_use("$states.context").all_context);
        assert_eq!(states_use("$statesX + $x"), StatesUse::default());
        assert_eq!(run("$keys($states)").unwrap(), json!(["input", "context"]));
    }

    #[test]
    fn reads_states_and_variables() {
        assert_eq!(run("$states.input.a + $x").unwrap(), json!(42));
        assert_eq!(run("$sum($states.input.items.p)").unwrap(), json!(12));
        assert_eq!(run("$states.context.State.Name").unwrap(), json!("S"));
        assert_eq!(run("$s").unwrap(), json!("say \"hi\" \\ bye"));
        assert_eq!(
            run("{'k': $states.input.items[p > 6].p}").unwrap(),
            json!({"k": 7})
        );
    }

    #[test]
    fn undefined_and_errors_are_query_errors() {
        for e in [
            "$states.input.missing",
            "$nope",
            "$number('x') + 1",
            "$eval('1')",
            "foo",
        ] {
            let err = run(e).unwrap_err();
            assert_eq!(err.error, "States.QueryEvaluationError", "{e}");
        }
        assert_eq!(run("$exists($nope)").unwrap(), json!(false));
    }

    #[test]
    fn step_functions_additions() {
        assert_eq!(
            run("$partition([1,2,3,4,5], 2)").unwrap(),
            json!([[1, 2], [3, 4], [5]])
        );
        assert_eq!(run("$range(0, 10, 2)").unwrap(), json!([0, 2, 4, 6, 8, 10]));
        assert_eq!(run("$range(1, 3)").unwrap(), json!([1, 2, 3]));
        assert_eq!(
            run("$hash('abc', 'MD5')").unwrap(),
            json!("900150983cd24fb0d6963f7d28e17f72")
        );
        assert_eq!(run("$parse('{\"a\": [1]}')").unwrap(), json!({"a": [1]}));
        assert_eq!(run("$uuid()").unwrap().as_str().unwrap().len(), 36);
        assert_eq!(run("$random(7)").unwrap(), run("$random(7)").unwrap());
        let r = run("$random()").unwrap().as_f64().unwrap();
        assert!((0.0..1.0).contains(&r));
        assert_eq!(run("$now()").unwrap(), json!("2024-05-06T07:08:09.000Z"));
        assert_eq!(run("$millis()").unwrap(), json!(1714979289000i64));
        assert_eq!(run("$now('[Y0001]-[M01]')").unwrap(), json!("2024-05"));
    }

    #[test]
    fn expression_syntax() {
        assert_eq!(expression_text("{% 1 %}"), Some(" 1 "));
        assert_eq!(expression_text("x {% 1 %}"), None);
        assert!(check("1 +").is_err());
        assert_eq!(
            referenced_names("$a + $states.b + $count($a)"),
            vec!["a", "states", "count"]
        );
    }
}
