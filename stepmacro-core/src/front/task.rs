//! `#[task(..)]`: what the compiler and the macro need to know about a task.
//!
//! Parsed from the attribute and the `async fn` signature by [`TaskDef::parse`] (one parser for the proc
//! macro, which generates the `Task` impl, and for the build driver, which lowers calls to Task states).
//! Every problem is a spanned error with a hint; all problems of one task are reported together.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{FnArg, GenericArgument, ItemFn, LitStr, Pat, PathArguments, ReturnType, Type};

use super::diagnostics::Diagnostics;
use super::syntax::{option_key, segment_names};
use crate::context::CompileOptions;

/// An error named in `retry(errors = [..])`: a path to a `TaskError` variant, or a literal ASL name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorRef {
    /// `ApiError::Timeout` (segments as written).
    Path(Vec<String>),
    /// `"States.Timeout"`.
    Name(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    Full,
    None,
}

/// One `retry(..)` of a task or a `retry!` block. `None` fields take the ASL defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetryDef {
    /// Empty = every error (`States.ALL`).
    pub errors: Vec<ErrorRef>,
    pub interval_seconds: Option<u64>,
    pub max_attempts: Option<u32>,
    pub backoff_rate: Option<f64>,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Option<Jitter>,
}

/// A `#[task]` function as the compiler sees it.
#[derive(Clone, Debug)]
pub struct TaskDef {
    /// The Rust function name.
    pub ident: String,
    /// `name = ".."`: the Task state's name.
    pub state_name: Option<String>,
    /// `function = ".."`: Lambda function name or ARN (default: the fn name with the crate-wide prefix).
    pub function: Option<String>,
    pub retry: Vec<RetryDef>,
    pub timeout_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u64>,
    /// Add AWS's recommended Retry for Lambda's transient service errors (default true;
    /// `#[task(no_lambda_retry)]` opts out).
    pub lambda_retry: bool,
    /// Parameter names and types, in order.
    pub params: Vec<(String, syn::Type)>,
    /// The success type (`T` of `Result<T, E>`, or the plain return type).
    pub output: syn::Type,
    /// The error type, `None` for an infallible task.
    pub error: Option<syn::Type>,
}

/// A parsed task plus the spans the proc macro needs to point generated code at the user's tokens.
/// (Kept out of [`TaskDef`], which the compiler compares and clones, so that it stays plain data.)
#[derive(Clone, Debug)]
pub struct ParsedTask {
    pub def: TaskDef,
    /// The parameter names as written (same order as `def.params`).
    pub param_idents: Vec<syn::Ident>,
    /// For each retrier of `def.retry`, for each entry of its `errors`: the path as written for an
    /// [`ErrorRef::Path`], `None` for an [`ErrorRef::Name`].
    pub retry_error_paths: Vec<Vec<Option<syn::Path>>>,
    /// Span of the return type (or of the fn name when there is none).
    pub output_span: Span,
}

/// Largest value ASL accepts for `TimeoutSeconds`, `HeartbeatSeconds`, `IntervalSeconds`, `MaxAttempts`
/// (asl-reference §9: "< 99,999,999").
pub const MAX_SECONDS: u64 = 99_999_998;
/// `MaxDelaySeconds` range (asl-reference §6.2).
pub const MAX_DELAY_SECONDS: u64 = 31_622_400;
/// State names are at most 80 characters (asl-reference §9).
pub const MAX_STATE_NAME: usize = 80;

/// `States.*` names a retrier or catcher may match (asl-reference §6.1, the catchable ones).
pub const CATCHABLE_STATES_ERRORS: &[&str] = &[
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.BranchFailed",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.QueryEvaluationError",
    "States.Http.Socket",
];

impl TaskDef {
    /// Parses `#[task(<attr>)]` on `item`. All problems come back together in one error.
    pub fn parse(attr: TokenStream, item: &ItemFn) -> syn::Result<TaskDef> {
        ParsedTask::parse(attr, item).map(|p| p.def)
    }

    /// The Lambda function name (or ARN) the definition invokes and the mocks are keyed by: the explicit
    /// `function = ".."`, or the crate-wide prefix followed by the fn name. The one place this is decided,
    /// used by the `#[task]` macro (`Task::FUNCTION_NAME`) and by the build driver (the definition).
    pub fn function_name(&self, options: &CompileOptions) -> String {
        match &self.function {
            Some(f) => f.clone(),
            None => format!(
                "{}{}",
                options.function_prefix,
                self.ident.strip_prefix("r#").unwrap_or(&self.ident)
            ),
        }
    }
}

impl ParsedTask {
    /// Like [`TaskDef::parse`], keeping the spans the proc macro needs.
    pub fn parse(attr: TokenStream, item: &ItemFn) -> syn::Result<ParsedTask> {
        let diag = Diagnostics::new();
        let mut attrs = TaskAttrs::default();
        let parser = syn::meta::parser(|meta| parse_task_option(meta, &mut attrs, &diag));
        if let Err(e) = parser.parse2(attr) {
            diag.push(e);
        }
        attrs.check(&diag);

        let sig = &item.sig;
        if sig.asyncness.is_none() {
            diag.error(
                sig.fn_token.span,
                "a #[task] must be an `async fn`\n  = help: write `async fn` — a task runs as an async AWS Lambda handler",
            );
        }
        check_signature_shape(sig, "#[task]", &diag);
        let params = simple_params(sig, "task", &diag);
        let (output, error, output_span) = split_output(&sig.output, sig.ident.span(), &diag);

        diag.check()?;
        let def = TaskDef {
            ident: sig.ident.to_string(),
            state_name: attrs.name.map(|n| n.0),
            function: attrs.function.map(|f| f.0),
            retry: attrs.retry.iter().map(|r| r.def.clone()).collect(),
            timeout_seconds: attrs.timeout.map(|t| t.0),
            heartbeat_seconds: attrs.heartbeat.map(|h| h.0),
            lambda_retry: attrs.no_lambda_retry.is_none(),
            params: params
                .iter()
                .map(|(i, t)| (i.unraw().to_string(), t.clone()))
                .collect(),
            output,
            error,
        };
        Ok(ParsedTask {
            def,
            param_idents: params.into_iter().map(|(i, _)| i).collect(),
            retry_error_paths: attrs.retry.into_iter().map(|r| r.paths).collect(),
            output_span,
        })
    }
}

/// Checks a Lambda function name as `function = ".."` or the derived name: 1–64 of `[A-Za-z0-9_-]`, or
/// an ARN / `name:qualifier` form (anything with a `:` and no whitespace), which Lambda resolves itself.
pub fn validate_function_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the Lambda function name is empty".to_owned());
    }
    if name.contains(':') {
        if name.chars().any(char::is_whitespace) {
            return Err(format!(
                "`{name}` is not a valid Lambda function ARN: it contains whitespace"
            ));
        }
        return Ok(());
    }
    if name.len() > 64 {
        return Err(format!(
            "the Lambda function name `{name}` is longer than 64 characters"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "the Lambda function name `{name}` contains `{c}`; Lambda allows letters, digits, `-` and `_`"
        ));
    }
    Ok(())
}

/// The parameters of a task or workflow as plain `name: Type` pairs. Each parameter that is not one (a
/// `self` receiver, a destructuring pattern, a borrowed type) adds a spanned error to `errors` and is
/// left out. `what` names the item in messages ("task", "workflow").
pub fn simple_params(
    sig: &syn::Signature,
    what: &str,
    diag: &Diagnostics,
) -> Vec<(syn::Ident, Type)> {
    let mut out = Vec::new();
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(r) => diag.error(
                r.self_token.span,
                format!(
                    "a {what} cannot take `self`\n  = help: make it a free `async fn`; its parameters are the \
                     state's input"
                ),
            ),
            FnArg::Typed(pt) => {
                let ident = match &*pt.pat {
                    Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => Some(pi.ident.clone()),
                    other => {
                        diag.error_spanned_by(
                            other,
                            format!(
                                "a {what} parameter must be a plain name, like `order: Order`\n  = help: the \
                                 name is the parameter's key in the state's JSON input; destructure inside the body"
                            ),
                        );
                        None
                    }
                };
                let owned = check_owned(&pt.ty, what, diag);
                if let (Some(ident), true) = (ident, owned) {
                    out.push((ident, (*pt.ty).clone()));
                }
            }
        }
    }
    if let Some(v) = &sig.variadic {
        diag.error(v.dots.spans[0], format!("a {what} cannot be variadic"));
    }
    out
}

/// Rejects what a `#[task]`/workflow signature cannot have besides its parameters: generics, `const`,
/// `unsafe`, `extern`.
pub fn check_signature_shape(sig: &syn::Signature, what: &str, diag: &Diagnostics) {
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        diag.error_spanned_by(
            &sig.generics,
            format!(
                "a {what} cannot be generic\n  = help: its input and output are JSON documents of one concrete \
                 type; use concrete serde types"
            ),
        );
    }
    if let Some(c) = &sig.constness {
        diag.error(c.span, format!("a {what} cannot be `const`"));
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        diag.error(
            u.span,
            format!("a {what} cannot be `unsafe`\n  = help: put the unsafe code in a safe helper the body calls"),
        );
    }
    if let Some(abi) = &sig.abi {
        diag.error(
            abi.extern_token.span,
            format!("a {what} cannot have an `extern` ABI"),
        );
    }
}

/// A parameter or output type must be owned: it is decoded from JSON (`DeserializeOwned`) and moved into
/// a `'static` future. Returns false (after pushing an error) when it is not.
fn check_owned(ty: &Type, what: &str, diag: &Diagnostics) -> bool {
    /// The first borrowed part of a type, as tokens (so the error underlines all of it).
    struct Borrowed(Option<(TokenStream, &'static str)>);
    impl<'ast> Visit<'ast> for Borrowed {
        fn visit_type(&mut self, ty: &'ast Type) {
            if self.0.is_some() {
                return;
            }
            let kind = match ty {
                Type::Reference(_) => Some("a reference"),
                Type::Ptr(_) => Some("a raw pointer"),
                Type::ImplTrait(_) => Some("an `impl Trait` type"),
                Type::TraitObject(_) => Some("a trait object"),
                Type::Infer(_) => Some("an inferred type `_`"),
                _ => None,
            };
            match kind {
                Some(k) => self.0 = Some((quote::ToTokens::to_token_stream(ty), k)),
                None => syn::visit::visit_type(self, ty),
            }
        }
        fn visit_lifetime(&mut self, lt: &'ast syn::Lifetime) {
            if self.0.is_none() && lt.ident != "static" {
                self.0 = Some((quote::ToTokens::to_token_stream(lt), "a borrowed lifetime"));
            }
        }
    }
    let mut v = Borrowed(None);
    v.visit_type(ty);
    match v.0 {
        None => true,
        Some((tokens, kind)) => {
            diag.error_spanned_by(
                tokens,
                format!(
                    "a {what} parameter or output cannot contain {kind}\n  = help: use an owned serde type \
                     (`String` for `&str`, `Vec<T>` for `&[T]`): values travel as JSON between states"
                ),
            );
            false
        }
    }
}

/// Splits `-> Result<T, E>` into `(T, Some(E))`, `-> T` into `(T, None)`, no return type into `((), None)`.
fn split_output(
    output: &ReturnType,
    name_span: Span,
    diag: &Diagnostics,
) -> (Type, Option<Type>, Span) {
    let ty = match output {
        ReturnType::Default => return (syn::parse_quote!(()), None, name_span),
        ReturnType::Type(_, ty) => &**ty,
    };
    let span = ty.span();
    if let Type::Path(tp) = ty
        && tp.qself.is_none()
        && let Some(last) = tp.path.segments.last()
        && last.ident == "Result"
    {
        let types: Vec<&Type> = match &last.arguments {
            PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|g| match g {
                    GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        if let [ok, err] = types[..] {
            let ok_owned = check_owned(ok, "task", diag);
            let err_owned = check_owned(err, "task", diag);
            if ok_owned && err_owned {
                return (ok.clone(), Some(err.clone()), span);
            }
            return (ok.clone(), None, span);
        }
        diag.error_spanned_by(
            last,
            "write the error type out: `Result<T, E>` where `E: TaskError`\n  = help: a `Result` alias with a \
             hidden error type cannot be named in Retry/Catch; `#[derive(TaskError)]` on an enum names its errors",
        );
        return (ty.clone(), None, span);
    }
    check_owned(ty, "task", diag);
    (ty.clone(), None, span)
}

/// A value with the span it was written at.
type At<T> = (T, Span);

#[derive(Default)]
struct TaskAttrs {
    name: Option<At<String>>,
    function: Option<At<String>>,
    timeout: Option<At<u64>>,
    heartbeat: Option<At<u64>>,
    no_lambda_retry: Option<Span>,
    retry: Vec<RetryAttr>,
}

#[derive(Default)]
pub(crate) struct RetryAttr {
    pub(crate) def: RetryDef,
    pub(crate) paths: Vec<Option<syn::Path>>,
    /// Span of the `errors` entry matching every error (`"States.ALL"`), or of `retry` itself when
    /// `errors` is absent.
    pub(crate) catch_all: Option<Span>,
}

/// A retrier that matches every error, followed by others (`#[task(retry(..))]` and `retry!`).
pub(crate) const CATCH_ALL_NOT_LAST: &str = "this retrier matches every error, so the retriers after it \
     would never run\n  = help: put it last, or list its `errors = [..]`";

const TASK_OPTIONS: &str =
    "name, function, timeout_seconds, heartbeat_seconds, no_lambda_retry, retry(..)";
const RETRY_OPTIONS: &str =
    "errors, interval_seconds, max_attempts, backoff_rate, max_delay_seconds, jitter";

fn parse_task_option(
    meta: syn::meta::ParseNestedMeta,
    out: &mut TaskAttrs,
    diag: &Diagnostics,
) -> syn::Result<()> {
    let key = option_key(&meta.path);
    let span = meta.path.span();
    let dup = |set: bool| {
        if set {
            diag.error(span, format!("duplicate `{key}` option"));
        }
    };
    match key.as_str() {
        "name" => {
            let lit: LitStr = meta.value()?.parse()?;
            dup(out.name.is_some());
            let v = lit.value();
            if v.is_empty() || v.chars().count() > MAX_STATE_NAME {
                diag.error(
                    lit.span(),
                    format!(
                        "a state name has 1 to {MAX_STATE_NAME} characters (this one has {})",
                        v.chars().count()
                    ),
                );
            }
            out.name = Some((v, lit.span()));
        }
        "function" => {
            let lit: LitStr = meta.value()?.parse()?;
            dup(out.function.is_some());
            if let Err(msg) = validate_function_name(&lit.value()) {
                diag.error(
                    lit.span(),
                    format!("{msg}\n  = help: give a function name (`my-function`) or an ARN"),
                );
            }
            out.function = Some((lit.value(), lit.span()));
        }
        "timeout_seconds" | "heartbeat_seconds" => {
            let (v, vspan) = parse_uint(meta.value()?, &key)?;
            if v == 0 || v > MAX_SECONDS {
                diag.error(
                    vspan,
                    format!("`{key}` must be between 1 and {MAX_SECONDS}"),
                );
            }
            let slot = if key == "timeout_seconds" {
                &mut out.timeout
            } else {
                &mut out.heartbeat
            };
            dup(slot.is_some());
            *slot = Some((v, vspan));
        }
        "no_lambda_retry" => {
            if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                return Err(meta.error("`no_lambda_retry` is a flag: write it without a value"));
            }
            dup(out.no_lambda_retry.is_some());
            out.no_lambda_retry = Some(span);
        }
        "retry" => {
            let mut r = RetryAttr::default();
            let mut seen: Vec<String> = Vec::new();
            meta.parse_nested_meta(|m| parse_retry_option(m, &mut r, &mut seen, diag))?;
            if !seen.iter().any(|s| s == "errors") {
                r.catch_all = Some(span);
            }
            out.retry.push(r);
        }
        _ => {
            return Err(meta.error(format!(
                "unknown #[task] option `{key}`\n  = help: expected one of: {TASK_OPTIONS}"
            )));
        }
    }
    Ok(())
}

pub(crate) fn parse_retry_option(
    meta: syn::meta::ParseNestedMeta,
    r: &mut RetryAttr,
    seen: &mut Vec<String>,
    diag: &Diagnostics,
) -> syn::Result<()> {
    let key = option_key(&meta.path);
    if seen.contains(&key) {
        diag.error(meta.path.span(), format!("duplicate `{key}` in retry(..)"));
    }
    seen.push(key.clone());
    match key.as_str() {
        "errors" => {
            let value = meta.value()?;
            let content;
            syn::bracketed!(content in value);
            parse_error_list(&content, r, diag)?;
        }
        "interval_seconds" => {
            let (v, s) = parse_uint(meta.value()?, &key)?;
            if v == 0 || v > MAX_SECONDS {
                diag.error(
                    s,
                    format!("`interval_seconds` must be between 1 and {MAX_SECONDS}"),
                );
            }
            r.def.interval_seconds = Some(v);
        }
        "max_attempts" => {
            let (v, s) = parse_uint(meta.value()?, &key)?;
            if v > MAX_SECONDS {
                diag.error(
                    s,
                    format!("`max_attempts` must be between 0 and {MAX_SECONDS} (0 = never retry)"),
                );
            }
            r.def.max_attempts = Some(v.min(u64::from(u32::MAX)) as u32);
        }
        "backoff_rate" => {
            let (v, s) = parse_float(meta.value()?, &key)?;
            if !(v >= 1.0 && v.is_finite()) {
                diag.error(
                    s,
                    "`backoff_rate` must be at least 1.0\n  = help: 1.0 waits the same interval every time, 2.0 \
                     doubles it",
                );
            }
            r.def.backoff_rate = Some(v);
        }
        "max_delay_seconds" => {
            let (v, s) = parse_uint(meta.value()?, &key)?;
            if v == 0 || v > MAX_DELAY_SECONDS {
                diag.error(
                    s,
                    format!(
                        "`max_delay_seconds` must be between 1 and {MAX_DELAY_SECONDS} (366 days)"
                    ),
                );
            }
            r.def.max_delay_seconds = Some(v);
        }
        "jitter" => {
            let lit: LitStr = meta.value()?.parse()?;
            r.def.jitter = match lit.value().as_str() {
                "FULL" => Some(Jitter::Full),
                "NONE" => Some(Jitter::None),
                other => {
                    diag.error(
                        lit.span(),
                        format!("unknown jitter strategy `{other}`\n  = help: write \"FULL\" or \"NONE\""),
                    );
                    None
                }
            };
        }
        _ => {
            return Err(meta.error(format!(
                "unknown retry option `{key}`\n  = help: expected one of: {RETRY_OPTIONS}"
            )));
        }
    }
    Ok(())
}

/// `[ApiError::Timeout, "States.Timeout", ..]`.
fn parse_error_list(
    content: ParseStream,
    r: &mut RetryAttr,
    diag: &Diagnostics,
) -> syn::Result<()> {
    let start = content.span();
    let mut all: Option<Span> = None;
    let mut count = 0usize;
    while !content.is_empty() {
        count += 1;
        if content.peek(LitStr) {
            let lit: LitStr = content.parse()?;
            let name = lit.value();
            if name.is_empty() {
                diag.error(lit.span(), "an error name cannot be empty");
            } else if name.starts_with("States.")
                && !CATCHABLE_STATES_ERRORS.contains(&name.as_str())
            {
                diag.error(
                    lit.span(),
                    format!(
                        "`{name}` is not an error a retrier can match\n  = help: the `States.` names a Retry can \
                         match are: {}",
                        CATCHABLE_STATES_ERRORS.join(", ")
                    ),
                );
            }
            if name == "States.ALL" {
                all = Some(lit.span());
            }
            r.def.errors.push(ErrorRef::Name(name));
            r.paths.push(None);
        } else {
            let path: syn::Path = content.call(syn::Path::parse_mod_style).map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected an error variant (`ApiError::Timeout`) or an error name (\"States.Timeout\")",
                )
            })?;
            if path.segments.len() < 2 {
                diag.error_spanned_by(
                    &path,
                    "name the variant with its type, like `ApiError::Timeout`\n  = help: or write the ASL error \
                     name as a string: \"Timeout\"",
                );
            }
            r.def.errors.push(ErrorRef::Path(segment_names(&path)));
            r.paths.push(Some(path));
        }
        if content.is_empty() {
            break;
        }
        content.parse::<syn::Token![,]>()?;
    }
    if count == 0 {
        diag.error(
            start,
            "`errors = []` matches nothing\n  = help: leave `errors` out to retry on every error",
        );
    }
    if let Some(s) = all {
        if count > 1 {
            diag.error(s, "\"States.ALL\" must be the only error of its retrier");
        }
        r.catch_all = Some(s);
    }
    Ok(())
}

fn parse_uint(input: ParseStream, key: &str) -> syn::Result<At<u64>> {
    let neg = input.parse::<Option<syn::Token![-]>>()?;
    let lit: syn::LitInt = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{key}` takes a whole number, like `{key} = 2`"),
        )
    })?;
    if let Some(n) = neg {
        return Err(syn::Error::new(
            n.span,
            format!("`{key}` cannot be negative"),
        ));
    }
    let v = lit.base10_parse::<u64>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!("`{key}` takes a whole number, like `{key} = 2`"),
        )
    })?;
    Ok((v, lit.span()))
}

fn parse_float(input: ParseStream, key: &str) -> syn::Result<At<f64>> {
    let neg = input.parse::<Option<syn::Token![-]>>()?;
    let lit: syn::Lit = input.parse()?;
    let v = match &lit {
        syn::Lit::Float(f) => f.base10_parse::<f64>()?,
        syn::Lit::Int(i) => i.base10_parse::<u64>()? as f64,
        other => {
            return Err(syn::Error::new(
                other.span(),
                format!("`{key}` takes a number, like `{key} = 2.0`"),
            ));
        }
    };
    Ok((if neg.is_some() { -v } else { v }, lit.span()))
}

impl TaskAttrs {
    /// Checks between options: heartbeat below timeout, catch-all retrier last.
    fn check(&self, diag: &Diagnostics) {
        if let (Some((hb, hspan)), Some((to, _))) = (self.heartbeat, self.timeout)
            && hb >= to
        {
            diag.error(
                hspan,
                format!(
                    "`heartbeat_seconds` ({hb}) must be less than `timeout_seconds` ({to})\n  = help: the heartbeat \
                     is how often a running task reports in; it has to fit within the timeout"
                ),
            );
        }
        let n = self.retry.len();
        for (i, r) in self.retry.iter().enumerate() {
            if i + 1 < n
                && let Some(s) = r.catch_all
            {
                diag.error(s, CATCH_ALL_NOT_LAST);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(attr: TokenStream, item: TokenStream) -> syn::Result<TaskDef> {
        let item: ItemFn = syn::parse2(item).unwrap();
        TaskDef::parse(attr, &item)
    }

    fn messages(e: syn::Error) -> Vec<String> {
        e.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn full_attribute() {
        let def = parse(
            quote!(
                name = "Call the API",
                function = "api-caller",
                timeout_seconds = 30,
                heartbeat_seconds = 10,
                no_lambda_retry,
                retry(
                    errors = [ApiError::Timeout, "States.Timeout"],
                    interval_seconds = 2,
                    max_attempts = 4,
                    backoff_rate = 2.0,
                    max_delay_seconds = 60,
                    jitter = "FULL"
                ),
                retry(max_attempts = 1, backoff_rate = 1)
            ),
            quote!(
                async fn call(req: ApiRequest, n: u32) -> Result<ApiResponse, ApiError> {
                    unreachable!("only parsed")
                }
            ),
        )
        .unwrap();
        assert_eq!(def.ident, "call");
        assert_eq!(def.state_name.as_deref(), Some("Call the API"));
        assert_eq!(def.function.as_deref(), Some("api-caller"));
        assert_eq!(
            (def.timeout_seconds, def.heartbeat_seconds),
            (Some(30), Some(10))
        );
        assert!(!def.lambda_retry);
        assert_eq!(def.retry.len(), 2);
        assert_eq!(
            def.retry[0],
            RetryDef {
                errors: vec![
                    ErrorRef::Path(vec!["ApiError".into(), "Timeout".into()]),
                    ErrorRef::Name("States.Timeout".into())
                ],
                interval_seconds: Some(2),
                max_attempts: Some(4),
                backoff_rate: Some(2.0),
                max_delay_seconds: Some(60),
                jitter: Some(Jitter::Full),
            }
        );
        assert_eq!(def.retry[1].backoff_rate, Some(1.0));
        assert!(def.retry[1].errors.is_empty());
        let names: Vec<_> = def.params.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["req", "n"]);
        let (out, err) = (&def.output, def.error.as_ref().unwrap());
        assert_eq!(quote!(#out).to_string(), "ApiResponse");
        assert_eq!(quote!(#err).to_string(), "ApiError");
    }

    #[test]
    fn defaults_and_infallible() {
        let def = parse(
            quote!(),
            quote!(
                async fn ping() -> String {
                    String::new()
                }
            ),
        )
        .unwrap();
        assert!(
            def.lambda_retry
                && def.retry.is_empty()
                && def.params.is_empty()
                && def.error.is_none()
        );
        let def = parse(
            quote!(),
            quote!(
                async fn nothing(x: u8) {}
            ),
        )
        .unwrap();
        let out = &def.output;
        assert_eq!(quote!(#out).to_string(), "()");
    }

    #[test]
    fn function_name_uses_prefix_only_when_derived() {
        let mut def = parse(
            quote!(),
            quote!(
                async fn r#type(x: u8) {}
            ),
        )
        .unwrap();
        let opts = CompileOptions {
            function_prefix: "prod-".into(),
        };
        assert_eq!(def.function_name(&opts), "prod-type");
        assert_eq!(def.function_name(&CompileOptions::default()), "type");
        def.function = Some("arn:aws:lambda:eu-west-1:123456789012:function:x".into());
        assert_eq!(
            def.function_name(&opts),
            "arn:aws:lambda:eu-west-1:123456789012:function:x"
        );
    }

    #[test]
    fn range_errors_are_all_reported() {
        let e = parse(
            quote!(
                timeout_seconds = 0,
                retry(
                    interval_seconds = 0,
                    backoff_rate = 0.5,
                    max_delay_seconds = 40000000,
                    jitter = "SOME"
                )
            ),
            quote!(
                async fn f(x: u8) {}
            ),
        )
        .unwrap_err();
        let m = messages(e);
        assert_eq!(m.len(), 5, "{m:#?}");
        assert!(m[0].contains("`timeout_seconds` must be between 1 and 99999998"));
        assert!(m[1].contains("`interval_seconds` must be between 1"));
        assert!(m[2].contains("`backoff_rate` must be at least 1.0"));
        assert!(m[3].contains("`max_delay_seconds` must be between 1 and 31622400"));
        assert!(m[4].contains("unknown jitter strategy `SOME`"));
    }

    #[test]
    fn heartbeat_must_be_below_timeout() {
        let e = parse(
            quote!(timeout_seconds = 10, heartbeat_seconds = 10),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("must be less than `timeout_seconds`"));
        parse(
            quote!(heartbeat_seconds = 10),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap();
    }

    #[test]
    fn catch_all_retrier_must_be_last() {
        let e = parse(
            quote!(retry(max_attempts = 2), retry(errors = ["X"])),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("matches every error"));
        let e = parse(
            quote!(retry(errors = ["States.ALL", "X"])),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("must be the only error"));
        let e = parse(
            quote!(retry(errors = ["States.Runtime"])),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("is not an error a retrier can match"));
        let e = parse(
            quote!(retry(errors = [Timeout])),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("name the variant with its type"));
    }

    #[test]
    fn signature_errors_are_all_reported() {
        let e = parse(
            quote!(),
            quote!(
                fn f<T>(
                    &self,
                    (a, b): (u8, u8),
                    s: &str,
                    v: Vec<&'a str>,
                    ok: String,
                ) -> Result<&str, E> {
                }
            ),
        )
        .unwrap_err();
        let m = messages(e);
        assert!(m[0].contains("must be an `async fn`"), "{m:#?}");
        assert!(m[1].contains("cannot be generic"));
        assert!(m[2].contains("cannot take `self`"));
        assert!(m[3].contains("must be a plain name"));
        assert!(m[4].contains("cannot contain a reference"));
        assert!(m[5].contains("cannot contain a reference"));
        assert!(m[6].contains("cannot contain a reference"));
        assert_eq!(m.len(), 7);
    }

    #[test]
    fn unknown_options_and_syntax() {
        let e = parse(
            quote!(retries = 3),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("unknown #[task] option `retries`"));
        let e = parse(
            quote!(retry(attempts = 3)),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("unknown retry option `attempts`"));
        let e = parse(
            quote!(timeout_seconds = "30"),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("takes a whole number"));
        let e = parse(
            quote!(function = "bad name"),
            quote!(
                async fn f() {}
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("contains ` `"));
        let e = parse(
            quote!(),
            quote!(
                async fn f() -> anyhow::Result<u8> {
                    Ok(1)
                }
            ),
        )
        .unwrap_err();
        assert!(messages(e)[0].contains("write the error type out"));
    }

    #[test]
    fn function_names() {
        assert!(validate_function_name("callExternalApi").is_ok());
        assert!(validate_function_name("a-b_c9").is_ok());
        assert!(
            validate_function_name("arn:aws:lambda:us-east-1:123456789012:function:f:prod").is_ok()
        );
        assert!(validate_function_name("").is_err());
        assert!(validate_function_name(&"x".repeat(65)).is_err());
        assert!(validate_function_name("héllo").is_err());
    }
}
