//! The concurrency and resilience forms of a workflow body: `join!`, `try_join!`, `map!`,
//! `join_all`/`try_join_all`, `retry!`, and `async { .. }` blocks as branches or catch targets.

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Token};

use super::{BodyParser, Tail};
use crate::front::retry_macro::{RetryMacro, parse_retry_macro};
use crate::front::syntax::{last_segment, strip};
use crate::ir::{BranchBody, MapValue, Parallel, RetryValue, Value};

impl BodyParser<'_> {
    /// A macro in value position: `join!(..)` (each branch's `Result` kept), or with `?` (`fail_fast`)
    /// `try_join!(..)?`, `map!(..)?`, `retry!(..)?`.
    pub(super) fn macro_value(&self, mac: &syn::Macro, fail_fast: bool) -> Option<Value> {
        let name = last_segment(&mac.path);
        match (name.as_str(), fail_fast) {
            ("join", false) | ("try_join", true) => {
                let elems =
                    match mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
                        Ok(e) => e,
                        Err(e) => {
                            self.diag.push(e);
                            return None;
                        }
                    };
                if elems.len() < 2 {
                    self.diag
                        .error(mac.span(), format!("`{name}!` needs at least two branches"));
                }
                let branches = elems.iter().filter_map(|e| self.branch(e)).collect();
                Some(Value::Parallel(Parallel {
                    branches,
                    fail_fast,
                    span: mac.span(),
                }))
            }
            ("map", true) => self.map_macro(mac),
            ("retry", true) => self.retry_macro(mac),
            ("try_join", false) | ("map", false) | ("retry", false) => {
                self.diag.error(
                    mac.span(),
                    format!("`{name}!(..)` gives a `Result`: handle its error with `?`\n  = help: `let v = {name}!(..)?;`"),
                );
                None
            }
            ("join", true) => {
                self.diag.error(
                    mac.span(),
                    "`join!` keeps each branch's `Result`; for the first error to fail the whole, use `try_join!(..)?`",
                );
                None
            }
            // `format!`, `vec!`, ...: expressions; the translator takes what it can express.
            _ => {
                let expr = Expr::Macro(syn::ExprMacro {
                    attrs: Vec::new(),
                    mac: mac.clone(),
                });
                Some(Value::Pure(self.pure(&expr)))
            }
        }
    }

    /// A Parallel branch or Map body: a task call `f(x)` (not awaited: `join!` awaits it) or an async
    /// block whose `Ok(..)`/`Err(..)` tail is the branch's result.
    pub(super) fn branch(&self, e: &Expr) -> Option<BranchBody> {
        match strip(e) {
            Expr::Async(a) => Some(BranchBody::Block(self.block(&a.block, Tail::Return))),
            Expr::Call(c) if matches!(&*c.func, Expr::Path(_)) => {
                let awaited = syn::ExprAwait {
                    attrs: Vec::new(),
                    base: Box::new(Expr::Call(c.clone())),
                    dot_token: Default::default(),
                    await_token: Default::default(),
                };
                self.task_call(&awaited).map(BranchBody::Task)
            }
            other => {
                self.diag.error(
                    other.span(),
                    "a branch is a task call `task(args)` or an `async { .. }` block ending in `Ok(value)`",
                );
                None
            }
        }
    }

    /// `map!(xs, max_concurrency = n, |x| async move { .. })`.
    fn map_macro(&self, mac: &syn::Macro) -> Option<Value> {
        let parsed = mac.parse_body_with(|input: syn::parse::ParseStream| {
            let items: Expr = input.parse()?;
            input.parse::<Token![,]>()?;
            let mut max = None;
            if input.peek(syn::Ident) && input.peek2(Token![=]) {
                let key: syn::Ident = input.parse()?;
                if key != "max_concurrency" {
                    return Err(syn::Error::new(
                        key.span(),
                        "the only option of `map!` is `max_concurrency = N`",
                    ));
                }
                input.parse::<Token![=]>()?;
                let n: syn::LitInt = input.parse()?;
                max = Some(n.base10_parse::<u32>()?);
                input.parse::<Token![,]>()?;
            }
            let closure: syn::ExprClosure = input.parse()?;
            let _ = input.parse::<Option<Token![,]>>()?;
            Ok((items, max, closure))
        });
        let (items, max, closure) = match parsed {
            Ok(p) => p,
            Err(e) => {
                self.diag.error(
                    e.span(),
                    format!("{e}\n  = help: write `map!(items, max_concurrency = 4, |item| async move {{ .. Ok(value) }})`"),
                );
                return None;
            }
        };
        self.map_value(&items, &closure, max, true, mac.span())
    }

    /// `join_all(xs.iter().map(|x| f(x)))` (each item's `Result` kept) / `try_join_all(..)` (fail fast).
    pub(super) fn join_all(&self, call: &syn::ExprCall, fail_fast: bool) -> Option<Value> {
        let arg = match call.args.first() {
            Some(a) if call.args.len() == 1 => a,
            _ => {
                self.diag.error(call.span(), "`join_all` takes one iterator: `join_all(items.iter().map(|item| task(item.clone())))`");
                return None;
            }
        };
        let Expr::MethodCall(map) = strip(arg) else {
            self.diag
                .error(arg.span(), "write `items.iter().map(|item| ..)` here");
            return None;
        };
        let iter = match strip(&map.receiver) {
            Expr::MethodCall(m)
                if (m.method == "iter" || m.method == "into_iter") && m.args.is_empty() =>
            {
                (*m.receiver).clone()
            }
            other => other.clone(),
        };
        let closure = match (map.method == "map", map.args.first()) {
            (true, Some(Expr::Closure(c))) => c,
            _ => {
                self.diag
                    .error(map.span(), "write `items.iter().map(|item| ..)` here");
                return None;
            }
        };
        self.map_value(&iter, closure, None, fail_fast, call.span())
    }

    fn map_value(
        &self,
        items: &Expr,
        closure: &syn::ExprClosure,
        max_concurrency: Option<u32>,
        fail_fast: bool,
        span: proc_macro2::Span,
    ) -> Option<Value> {
        // The items are evaluated once, before the Map: their task calls are hoisted.
        let items = self.pure(items);
        let var = match closure.inputs.first() {
            Some(syn::Pat::Ident(pi)) if closure.inputs.len() == 1 => pi.ident.clone(),
            Some(syn::Pat::Type(pt)) if closure.inputs.len() == 1 => match &*pt.pat {
                syn::Pat::Ident(pi) => pi.ident.clone(),
                other => {
                    self.diag
                        .error(other.span(), "the closure takes one item: `|item| ..`");
                    return None;
                }
            },
            _ => {
                self.diag.error(
                    closure.inputs.span(),
                    "the closure takes one item: `|item| ..`",
                );
                return None;
            }
        };
        let body = self.branch(&closure.body)?;
        Some(Value::Map(Box::new(MapValue {
            items,
            var,
            body,
            max_concurrency,
            fail_fast,
            span,
        })))
    }

    /// `retry!(max_attempts = 3, interval_seconds = 2; errors = [E::V], max_attempts = 5 => body)`.
    fn retry_macro(&self, mac: &syn::Macro) -> Option<Value> {
        let RetryMacro { retriers, body } = parse_retry_macro(mac, self.diag)?;
        let retriers: Vec<_> = retriers.into_iter().map(|r| r.def).collect();
        let body = match strip(&body) {
            Expr::Call(c) if matches!(&*c.func, Expr::Path(_)) => self.branch(&body)?,
            Expr::Try(t) if matches!(strip(&t.expr), Expr::Await(_)) => match strip(&t.expr) {
                Expr::Await(a) => BranchBody::Task(self.task_call(a)?),
                _ => unreachable!(),
            },
            Expr::Await(a) if matches!(strip(&a.base), Expr::Call(_)) => {
                BranchBody::Task(self.task_call(a)?)
            }
            Expr::Block(b) => BranchBody::Block(self.block(&b.block, Tail::Value)),
            other => BranchBody::Block(self.expr_block(other, Tail::Value)),
        };
        Some(Value::Retry(Box::new(RetryValue {
            retriers,
            body,
            span: mac.span(),
        })))
    }

    /// The target of a catch: `task(..).await` or `async { .. }.await`.
    pub(super) fn catch_target(&self, a: &syn::ExprAwait) -> Option<BranchBody> {
        match strip(&a.base) {
            Expr::Async(b) => Some(BranchBody::Block(self.block(&b.block, Tail::Return))),
            _ => self.task_call(a).map(BranchBody::Task),
        }
    }
}

/// `join_all(..)` / `try_join_all(..)` by name.
pub(super) fn join_all_call(e: &Expr) -> Option<(&syn::ExprCall, bool)> {
    let Expr::Call(c) = strip(e) else { return None };
    let Expr::Path(p) = &*c.func else { return None };
    match p.path.segments.last()?.ident.to_string().as_str() {
        "join_all" => Some((c, false)),
        "try_join_all" => Some((c, true)),
        _ => None,
    }
}
