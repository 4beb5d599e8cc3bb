//! `retry!(policies => body)` natively: the body re-run under the same retriers its ASL carries.
//!
//! * A single task call, `retry!(.. => task(a))`: `run_task_with` applies the `retry!` policies followed
//!   by the task's own, exactly the Task's `Retry` list in the definition.
//! * A block: re-run in a loop. Like the single-branch Parallel it becomes in ASL, a failed attempt
//!   leaves no trace: the enclosing variables the block assigns are snapshotted before each attempt and
//!   restored after a failure, so only a successful attempt's changes flow out.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use super::rewrite::Rewriter;
use super::task::policies_tokens;
use crate::front::diagnostics::Diagnostics;
use crate::front::retry_macro::{RetryMacro, parse_retry_macro};

/// The native expression for a `retry!` invocation (a `Result<T, Failure>`), or `None` when it does not
/// parse (the compiler reports why, with spans).
pub(crate) fn expand_retry(mac: &syn::Macro, rewriter: &mut Rewriter) -> Option<Expr> {
    // The compiler reports any problem (it parses with the same function); here it only means no
    // expansion.
    let diag = Diagnostics::new();
    let parsed = parse_retry_macro(mac, &diag);
    diag.check().ok()?;
    let RetryMacro { retriers, mut body } = parsed?;
    let defs: Vec<_> = retriers.iter().map(|r| r.def.clone()).collect();
    let paths: Vec<_> = retriers.into_iter().map(|r| r.paths).collect();
    let policies = policies_tokens(&defs, &paths);
    let span = mac.span();

    // One task — `task(a)`, `task(a).await` or `task(a).await?` — its Task carries the policies.
    body = match body {
        Expr::Try(t) => match *t.expr {
            Expr::Await(a) if matches!(&*a.base, Expr::Call(_)) => *a.base,
            other => Expr::Try(syn::ExprTry {
                expr: Box::new(other),
                ..t
            }),
        },
        Expr::Await(a) if matches!(&*a.base, Expr::Call(_)) => *a.base,
        other => other,
    };
    if let Expr::Call(call) = &mut body
        && let Expr::Path(p) = &*call.func
    {
        let path = p.path.clone();
        rewriter.task_call_args(&path, &mut call.args);
        let args = call.args.iter();
        return Some(syn::parse_quote_spanned! {span=>
            ::stepmacro::__private::run_task_with::<#path>((#(#args,)*), #policies).await
        });
    }

    // A block: snapshot what it assigns, re-run it while a retrier allows.
    let mut assigned = Assigned::default();
    assigned.visit_expr(&body);
    let vars: Vec<syn::Ident> = assigned
        .assigned
        .difference(&assigned.declared)
        .map(|n| format_ident!("{}", n, span = span))
        .collect();
    rewriter.visit_expr_mut(&mut body);
    let snapshot =
        quote_spanned!(span=> let __sm_snapshot = (#(::core::clone::Clone::clone(&#vars),)*););
    let restore = quote_spanned!(span=> (#(#vars,)*) = __sm_snapshot;);
    let expanded: TokenStream = quote! {
        {
            let __sm_policies: ::std::vec::Vec<::stepmacro::RetryPolicy> = #policies;
            let mut __sm_attempts = ::std::vec::Vec::new();
            loop {
                #snapshot
                let __sm_result: ::core::result::Result<_, ::stepmacro::Failure> = async { ::core::result::Result::Ok(#body) }.await;
                match __sm_result {
                    ::core::result::Result::Ok(v) => break ::core::result::Result::<_, ::stepmacro::Failure>::Ok(v),
                    ::core::result::Result::Err(f) => {
                        #[allow(unused_assignments)]
                        { #restore }
                        if !::stepmacro::__private::retry_decision(&__sm_policies, &mut __sm_attempts, &f) {
                            break ::core::result::Result::Err(f);
                        }
                    }
                }
            }
        }
    };
    syn::parse2(expanded).ok()
}

/// Names assigned in a block (`x = ..`, `x += ..`, `x.push(..)`) and names it declares itself.
#[derive(Default)]
struct Assigned {
    assigned: BTreeSet<String>,
    declared: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Assigned {
    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        if let Expr::Path(p) = &*a.left
            && let Some(i) = p.path.get_ident()
        {
            self.assigned.insert(i.to_string());
        }
        syn::visit::visit_expr_assign(self, a);
    }
    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        use syn::BinOp::*;
        if matches!(
            b.op,
            AddAssign(_) | SubAssign(_) | MulAssign(_) | DivAssign(_) | RemAssign(_)
        ) && let Expr::Path(p) = &*b.left
            && let Some(i) = p.path.get_ident()
        {
            self.assigned.insert(i.to_string());
        }
        syn::visit::visit_expr_binary(self, b);
    }
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        if m.method == "push"
            && let Expr::Path(p) = &*m.receiver
            && let Some(i) = p.path.get_ident()
        {
            self.assigned.insert(i.to_string());
        }
        syn::visit::visit_expr_method_call(self, m);
    }
    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        self.declared.insert(p.ident.to_string());
    }
}
