//! Shared harness of the `expr_*` tests: translate a Rust expression, evaluate the JSONata with
//! jsonata-core against variable bindings, and compare with what the same Rust expression computes.
//!
//! `same!(env, <expr>)` writes the expression once: it is compiled by rustc (the expected value, using
//! the test's local variables) and translated by `stepmacro_core` (using `env`'s bindings of the same
//! names). `types! { .. }` likewise declares real serde types and registers the same items.
//!
//! Every evaluation is also appended to the file named by `STEPMACRO_JSONATA_RECORD` (JSON lines) when
//! that variable is set; `tests/expr_support/xcheck.sh` replays the file on jsonata-js and
//! jsonata-python (the engines of AWS and of the independent checker) and reports disagreements.

#![allow(dead_code, unused_macros)]

use std::io::Write as _;

use jsonata_core::evaluator::{Context, Evaluator};
use jsonata_core::value::JValue;
use serde::Serialize;
use serde_json::Value;
use stepmacro_core::front::types::{Ty, TypeRegistry};
use stepmacro_core::lower::expr::{Scope, Typed, translate};

/// The evaluation input: an array, so any accidental dependence on the context (`$`) shows up.
pub const CONTEXT: &str = r#"[{"ctx": 1}, {"ctx": 2}]"#;

/// Variables visible to the translated expression, each `name` → `$name`.
#[derive(Default, Clone)]
pub struct Env {
    vars: Vec<(String, Typed)>,
    pub bindings: serde_json::Map<String, Value>,
    pub types: TypeRegistry,
}

impl Scope for Env {
    fn lookup(&self, ident: &str) -> Option<Typed> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == ident)
            .map(|(_, t)| t.clone())
    }
}

impl Env {
    pub fn new() -> Env {
        Env::default()
    }

    pub fn with_types(mut self, types: TypeRegistry) -> Env {
        self.types = types;
        self
    }

    /// Binds the Rust local `name` of type `ty` (Rust syntax) to `value`'s serde form.
    pub fn var<T: Serialize + ?Sized>(mut self, name: &str, ty: &str, value: &T) -> Env {
        let ty = Ty::from_syn(&syn::parse_str::<syn::Type>(ty).expect("a type"));
        self.vars
            .push((name.to_owned(), Typed::new(format!("${name}"), ty)));
        self.bindings.insert(
            name.to_owned(),
            serde_json::to_value(value).expect("serialisable"),
        );
        self
    }

    /// Binds `name` with an explicit `Ty` (e.g. `Ty::Unknown`).
    pub fn var_ty<T: Serialize + ?Sized>(mut self, name: &str, ty: Ty, value: &T) -> Env {
        self.vars
            .push((name.to_owned(), Typed::new(format!("${name}"), ty)));
        self.bindings.insert(
            name.to_owned(),
            serde_json::to_value(value).expect("serialisable"),
        );
        self
    }

    /// A raw JSON binding (for data that Rust would not produce, like a missing key).
    pub fn json(mut self, name: &str, ty: Ty, value: Value) -> Env {
        self.vars
            .push((name.to_owned(), Typed::new(format!("${name}"), ty)));
        self.bindings.insert(name.to_owned(), value);
        self
    }

    pub fn translate(&self, e: &syn::Expr) -> Result<Typed, syn::Error> {
        translate(e, self, &self.types)
    }

    /// The translation of `e` (panics with the errors if it fails).
    pub fn code(&self, e: &syn::Expr) -> Typed {
        match self.translate(e) {
            Ok(t) => t,
            Err(err) => panic!(
                "`{}` did not translate: {}",
                quote::quote!(#e),
                all_messages(&err).join(" | ")
            ),
        }
    }

    /// Evaluates JSONata `code` with this env's bindings; `None` = undefined.
    pub fn eval_code(&self, code: &str) -> Result<Option<Value>, String> {
        let out = eval(code, &self.bindings);
        record(code, &self.bindings, &out);
        out
    }

    /// Translates and evaluates `e`.
    pub fn eval(&self, e: &syn::Expr) -> Option<Value> {
        let t = self.code(e);
        match self.eval_code(&t.code) {
            Ok(v) => v,
            Err(err) => panic!("`{}` → `{}` failed: {err}", quote::quote!(#e), t.code),
        }
    }

    /// Asserts that `e` translates and evaluates to `expected`'s serde form.
    pub fn check<T: Serialize + ?Sized>(&self, e: &syn::Expr, expected: &T) {
        let want = serde_json::to_value(expected).expect("serialisable");
        let t = self.code(e);
        let got = match self.eval_code(&t.code) {
            Ok(v) => v,
            Err(err) => panic!("`{}` → `{}` failed: {err}", quote::quote!(#e), t.code),
        };
        let got = got.unwrap_or_else(|| {
            panic!(
                "`{}` → `{}` is undefined; expected {want}",
                quote::quote!(#e),
                t.code
            )
        });
        assert!(
            json_eq(&got, &want),
            "`{}`\n  JSONata: {}\n  bindings: {}\n  got:      {got}\n  expected: {want}",
            quote::quote!(#e),
            t.code,
            Value::Object(self.bindings.clone())
        );
    }

    /// The translation error of `e` (panics if it translates).
    pub fn error(&self, e: &syn::Expr) -> syn::Error {
        match self.translate(e) {
            Ok(t) => panic!(
                "`{}` translated to `{}`; expected an error",
                quote::quote!(#e),
                t.code
            ),
            Err(err) => err,
        }
    }
}

/// Every message of a (combined) error.
pub fn all_messages(e: &syn::Error) -> Vec<String> {
    e.clone().into_iter().map(|e| e.to_string()).collect()
}

/// Evaluates `code` with jsonata-core, `bindings` as variables, against [`CONTEXT`].
pub fn eval(
    code: &str,
    bindings: &serde_json::Map<String, Value>,
) -> Result<Option<Value>, String> {
    let ast = jsonata_core::parser::parse(code).map_err(|e| format!("parse error: {e}"))?;
    let mut ctx = Context::new();
    for (k, v) in bindings {
        ctx.bind(k.clone(), JValue::from(v.clone()));
    }
    let mut ev = Evaluator::with_context(ctx);
    let input = JValue::from_json_str(CONTEXT).map_err(|e| e.to_string())?;
    let out = ev
        .evaluate(&ast, &input)
        .map_err(|e| format!("evaluation error: {e}"))?;
    if out.is_undefined() {
        return Ok(None);
    }
    Ok(Some(Value::from(&out)))
}

/// Appends one evaluation to `$STEPMACRO_JSONATA_RECORD` (for the cross-engine replay).
fn record(
    code: &str,
    bindings: &serde_json::Map<String, Value>,
    out: &Result<Option<Value>, String>,
) {
    let Ok(path) = std::env::var("STEPMACRO_JSONATA_RECORD") else {
        return;
    };
    let result = match out {
        Ok(Some(v)) => serde_json::json!({ "value": v }),
        Ok(None) => serde_json::json!({ "undefined": true }),
        Err(e) => serde_json::json!({ "error": e }),
    };
    let line = serde_json::json!({ "code": code, "bindings": bindings, "result": result })
        .to_string()
        + "\n";
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

/// JSON equality with numbers compared as doubles (JSONata has no integer type).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// The 1-based (line, column) span start and end of an error, for span assertions.
pub fn span_text(e: &syn::Error, src: &str) -> String {
    let span = e.span();
    let (start, end) = (span.start(), span.end());
    let lines: Vec<&str> = src.lines().collect();
    if start.line == 0 || start.line != end.line || start.line > lines.len() {
        return format!("{start:?}..{end:?}");
    }
    let line = lines[start.line - 1];
    line.chars()
        .skip(start.column)
        .take(end.column - start.column)
        .collect()
}

/// Evaluates the expression twice: by rustc (with the test's locals) and by translation to JSONata
/// (with `env`'s bindings of the same names), and asserts both give the same JSON.
macro_rules! same {
    ($env:expr, $($e:tt)+) => {{
        let rust_value = { $($e)+ };
        let e: syn::Expr = syn::parse_quote!($($e)+);
        $env.check(&e, &rust_value);
    }};
}

/// Declares serde types and a `registry()` holding exactly those items.
macro_rules! types {
    ($($item:item)*) => {
        $($item)*
        fn registry() -> stepmacro_core::front::types::TypeRegistry {
            let file: syn::File = syn::parse_quote!($($item)*);
            let mut r = stepmacro_core::front::types::TypeRegistry::new();
            r.add_file(&file);
            r
        }
    };
}

/// stepmacro's `Failure` (the runtime's type, reproduced: stepmacro-core does not depend on the runtime).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Failure {
    #[serde(rename = "Error")]
    pub error: String,
    #[serde(rename = "Cause")]
    pub cause: String,
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: cause.into(),
        }
    }
    pub fn is(&self, name: &str) -> bool {
        self.error == name
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.cause.is_empty() {
            f.write_str(&self.error)
        } else {
            write!(f, "{}: {}", self.error, self.cause)
        }
    }
}
