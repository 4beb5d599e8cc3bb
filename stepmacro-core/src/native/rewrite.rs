//! The native body rewrite: a workflow body made into plain async Rust that behaves like its ASL.
//!
//! * `task(a, b).await` → `<task as Task>::adapt(run_task::<task>((a, b,)).await)?`: the call goes
//!   through [`run_task`](../../stepmacro_runtime/fn.run_task.html) (mocks of the current scope, the task's
//!   Retry policies), and every task error is a `Failure` as it is in ASL.
//! * `match <task call> { Err(Type::Variant) => .. }` (and `if let`): the caught value is a `Failure`, so
//!   variant patterns become guards on its error name — the same test a Catch's `ErrorEquals` makes.
//! * In future position (the arguments of `join!`/`try_join!`, the closures of `map!` and
//!   `join_all(xs.iter().map(..))`), a bare `task(a)` becomes `run_task::<task>((a,))`, a future of
//!   `Result<T, Failure>`.
//! * `#[state("..")]` labels are removed (they only name ASL states).
//!
//! Everything else is left as written, so the native run is the user's own code.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Arm, Attribute, Expr, ExprIf, ExprMatch, Pat, Token};

use crate::front::diagnostics::Diagnostics;
use crate::front::syntax::{last_segment, strip};

/// Names of prelude/library functions that are awaited in a workflow body without being tasks.
const NOT_TASKS: &[&str] = &["sleep", "sleep_until", "join_all", "try_join_all"];
/// A path starting with one of these crates is never a task.
const LIBRARY_CRATES: &[&str] = &["std", "core", "alloc", "futures", "tokio", "stepmacro"];
/// Attribute labels that only name ASL states.
const STATE_ATTRS: &[&str] = &["state"];

/// The rewriting pass. See the module documentation.
#[derive(Default)]
pub(crate) struct Rewriter {
    /// Callee paths of task calls, in first-call order (arguments before the call they feed).
    pub(crate) tasks: Vec<syn::Path>,
    seen: Vec<String>,
    /// What the rewrite cannot honour natively; [`expand`](super::expand) checks it.
    pub(crate) diag: Diagnostics,
}

impl Rewriter {
    /// The arguments of a call of the task `path` rewritten (a task call among them runs first, so it is
    /// listed first), then the task listed. Also for the task call another module rewrites (`retry!`).
    pub(crate) fn task_call_args(
        &mut self,
        path: &syn::Path,
        args: &mut Punctuated<Expr, Token![,]>,
    ) {
        for a in args.iter_mut() {
            self.visit_expr_mut(a);
        }
        self.note_task(path);
    }

    fn note_task(&mut self, path: &syn::Path) {
        let key = path.to_token_stream().to_string();
        if !self.seen.contains(&key) {
            self.seen.push(key);
            self.tasks.push(path.clone());
        }
    }

    /// `task(args)` → `run_task::<task>((args,))` (a future of `Result<T, Failure>`), spanned on the
    /// callee, with the task's path; `None` when `e` calls no task.
    fn run_task_call(&mut self, e: &mut Expr) -> Option<(syn::Path, Expr)> {
        let (path, args) = bare_task_call_mut(e)?;
        let path = path.clone();
        self.task_call_args(&path, args);
        let args = args.iter();
        let span = callee_span(&path);
        let run = syn::parse_quote_spanned! {span=> ::stepmacro::run_task::<#path>((#(#args,)*)) };
        Some((path, run))
    }

    /// `task(args).await` → adapted `run_task` call, with the arguments rewritten first.
    fn rewrite_awaited_call(&mut self, e: &mut Expr) {
        let Expr::Await(aw) = e else { return };
        let Some((path, run)) = self.run_task_call(&mut aw.base) else {
            return;
        };
        let span = callee_span(&path);
        *e = syn::parse_quote_spanned! {span=> <#path as ::stepmacro::Task>::adapt(#run.await)? };
    }

    /// A future-position expression: a bare task call becomes `run_task::<task>((args,))`; a closure is
    /// looked into. Everything is then rewritten as usual.
    fn rewrite_future_position(&mut self, e: &mut Expr) {
        if let Some((_, run)) = self.run_task_call(e) {
            *e = run;
            return;
        }
        match e {
            Expr::Closure(c) => self.rewrite_future_position(&mut c.body),
            Expr::Paren(p) => self.rewrite_future_position(&mut p.expr),
            _ => self.visit_expr_mut(e),
        }
    }

    /// `join!`, `try_join!`, `map!`, `retry!` and any macro whose arguments contain `.await`: rewrite the
    /// arguments when they parse as expressions (`a, b, ..` or `options => body`). Other macros are
    /// left alone.
    fn rewrite_macro(&mut self, mac: &mut syn::Macro) {
        let name = last_segment(&mac.path);
        let joins = name == "join" || name == "try_join";
        let maps = name == "map";
        if !(joins || maps || contains_await(mac.tokens.clone())) {
            return;
        }
        if let Some((head, tail)) = split_fat_arrow(mac.tokens.clone()) {
            if let Ok(mut body) = syn::parse2::<Expr>(tail) {
                self.visit_expr_mut(&mut body);
                mac.tokens = quote!(#head => #body);
            }
            return;
        }
        let Ok(mut args) =
            Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone())
        else {
            return;
        };
        for a in args.iter_mut() {
            if joins || (maps && matches!(a, Expr::Closure(_))) {
                self.rewrite_future_position(a);
            } else {
                self.visit_expr_mut(a);
            }
        }
        mac.tokens = args.to_token_stream();
    }

    /// `match` on a task call (or on `async { .. }.await`): `Err(Type::Variant)` arms test the name.
    fn rewrite_match(&mut self, m: &mut ExprMatch) {
        let scrutinee = catch_scope(&m.expr);
        visit_mut::visit_expr_match_mut(self, m);
        let Some(scope) = scrutinee else { return };
        // A guard reads the caught error (`Err(e) if e.error == ".."`), so its type must be known
        // before the arm's body could tell it.
        if scope == CatchScope::AsyncBlock
            && m.arms
                .iter()
                .any(|a| arm_tests_errors(&a.pat) || matches!(a.pat, Pat::Guard(_)))
        {
            pin_failure_type(&mut m.expr);
        }
        for arm in &mut m.arms {
            self.rewrite_arm_pattern(&mut arm.pat);
        }
        m.arms.insert(0, propagate_uncatchable(m.match_token.span));
    }

    /// `if let Err(Type::Variant) = <task call> { a } else { b }` → `match <call> { Err(..) if .. => a, _ => b }`
    /// (`if let` cannot carry a guard without let-chains, which older editions lack).
    fn rewrite_if_let(&mut self, e: &mut Expr) -> bool {
        let Expr::If(ExprIf {
            attrs,
            if_token,
            cond,
            then_branch,
            else_branch,
        }) = e
        else {
            return false;
        };
        let Expr::Let(l) = &mut **cond else {
            return false;
        };
        let Some(scope) = catch_scope(&l.expr) else {
            return false;
        };
        if !arm_tests_errors(&l.pat) {
            return false;
        }
        self.visit_expr_mut(&mut l.expr);
        self.visit_block_mut(then_branch);
        if let Some((_, els)) = else_branch {
            self.visit_expr_mut(els);
        }
        let mut scrutinee = (*l.expr).clone();
        if scope == CatchScope::AsyncBlock {
            pin_failure_type(&mut scrutinee);
        }
        let mut pat = (*l.pat).clone();
        self.rewrite_arm_pattern(&mut pat);
        let otherwise: Expr = match else_branch.take() {
            Some((_, els)) => *els,
            None => syn::parse_quote!({}),
        };
        let span = if_token.span;
        let then_branch = then_branch.clone();
        let attrs = std::mem::take(attrs);
        let arms: Vec<Arm> = vec![
            propagate_uncatchable(span),
            syn::parse_quote_spanned!(span=> #pat => #then_branch,),
            syn::parse_quote_spanned!(span=> _ => #otherwise,),
        ];
        *e = syn::parse_quote_spanned!(span=> #(#attrs)* match #scrutinee { #(#arms)* });
        true
    }

    /// `Err(Type::A)` / `Err(Type::A | Type::B) if g` / `Err(e @ Type::A)` / `Err(Type::A) | Err(Type::B)`
    /// → `Err(ref __sm_err) if __sm_err.is(..) && (g)`.
    fn rewrite_arm_pattern(&mut self, pat: &mut Pat) {
        let (inner, guard) = match &*pat {
            Pat::Guard(g) => (&*g.pat, Some((*g.guard).clone())),
            other => (other, None),
        };
        let Some(test) = self.error_test(inner) else {
            return;
        };
        let ErrorTest {
            err_path,
            binding,
            conditions,
        } = test;
        let binding = binding.unwrap_or_else(|| syn::Ident::new("__sm_err", Span::mixed_site()));
        let mut tests = conditions.iter().map(|c| c.tokens(&binding));
        let first = tests.next().unwrap_or_else(|| quote!(false));
        let any = tests.fold(first, |acc, t| quote!(#acc || #t));
        let cond: Expr = match guard {
            None => syn::parse_quote!(#any),
            Some(g) if conditions.len() > 1 => syn::parse_quote!((#any) && (#g)),
            Some(g) => syn::parse_quote!(#any && (#g)),
        };
        let by_ref: Option<Token![ref]> = if binding == "__sm_err" {
            Some(Default::default())
        } else {
            None
        };
        let new_pat: Pat = Pat::parse_single
            .parse2(quote!(#err_path(#by_ref #binding)))
            .expect("valid pattern");
        *pat = Pat::Guard(syn::PatGuard {
            attrs: Vec::new(),
            pat: Box::new(new_pat),
            if_token: Default::default(),
            guard: Box::new(cond),
        });
    }

    /// What an `Err(..)` arm (or an or-pattern of them) tests, if it names variants.
    fn error_test(&mut self, pat: &Pat) -> Option<ErrorTest> {
        match pat {
            Pat::TupleStruct(ts) if is_err_path(&ts.path) && ts.elems.len() == 1 => {
                let mut conditions = Vec::new();
                let mut binding = None;
                let inner = ts.elems.first()?;
                let inner = match inner {
                    Pat::Ident(pi) if pi.subpat.is_some() => {
                        if pi.by_ref.is_some() || pi.mutability.is_some() {
                            self.diag.error_spanned_by(
                                pi,
                                "write the binding as `e @ Type::Variant` (no `ref`/`mut`)",
                            );
                        }
                        binding = Some(pi.ident.clone());
                        &*pi.subpat.as_ref()?.1
                    }
                    other => other,
                };
                if !self.variant_conditions(inner, &mut conditions) {
                    return None;
                }
                Some(ErrorTest {
                    err_path: ts.path.clone(),
                    binding,
                    conditions,
                })
            }
            Pat::Or(or) => {
                let tests: Vec<Option<ErrorTest>> =
                    or.cases.iter().map(|c| self.error_test(c)).collect();
                if tests.iter().all(Option::is_none) {
                    return None;
                }
                if tests.iter().any(Option::is_none) {
                    self.diag.error_spanned_by(
                        or,
                        "this arm mixes error variants with other patterns\n  = help: give the \
                         `Err(Type::Variant)` patterns an arm of their own",
                    );
                    return None;
                }
                let mut tests = tests.into_iter().flatten();
                let mut first = tests.next()?;
                for t in tests {
                    if t.binding.is_some() {
                        self.diag.error(
                            t.err_path.span(),
                            "bind the error once: `Err(e @ (Type::A | Type::B))`",
                        );
                    }
                    first.conditions.extend(t.conditions);
                }
                Some(first)
            }
            Pat::Paren(p) => self.error_test(&p.pat),
            _ => None,
        }
    }

    /// Collects the variant tests of the pattern inside `Err(..)`. False when it is not a variant pattern
    /// (a binding, `_`, a literal, ..), which is left as written.
    fn variant_conditions(&mut self, pat: &Pat, out: &mut Vec<VariantTest>) -> bool {
        match pat {
            Pat::Path(p) if p.qself.is_none() && p.path.segments.len() >= 2 => {
                out.push(VariantTest::new(&p.path));
                true
            }
            Pat::TupleStruct(ts) if ts.qself.is_none() && ts.path.segments.len() >= 2 => {
                if let Some(b) = ts
                    .elems
                    .iter()
                    .find(|e| !matches!(e, Pat::Wild(_) | Pat::Rest(_)))
                {
                    self.diag.push(field_binding_error(b));
                }
                out.push(VariantTest::new(&ts.path));
                true
            }
            Pat::Struct(s) if s.qself.is_none() && s.path.segments.len() >= 2 => {
                if let Some(f) = s.fields.iter().find(|f| !matches!(&*f.pat, Pat::Wild(_))) {
                    self.diag.push(field_binding_error(&f.pat));
                }
                out.push(VariantTest::new(&s.path));
                true
            }
            Pat::Or(or) => {
                let before = out.len();
                let mut all = true;
                for c in &or.cases {
                    all &= self.variant_conditions(c, out);
                }
                if !all && out.len() > before {
                    self.diag.error_spanned_by(
                        or,
                        "an or-pattern inside `Err(..)` can only list error variants (`Type::A | Type::B`)",
                    );
                }
                all
            }
            Pat::Paren(p) => self.variant_conditions(&p.pat, out),
            _ => false,
        }
    }
}

fn field_binding_error(p: &impl ToTokens) -> syn::Error {
    syn::Error::new_spanned(
        p,
        "a caught error is a `Failure` (its name and cause), so the variant's fields are not available here\n  \
         = help: match the variant with `(..)` or `{ .. }`, or bind the whole error with `Err(e)` and read \
         `e.cause`",
    )
}

/// One `Type::Variant` an arm tests.
struct VariantTest {
    ty: TokenStream,
    variant: String,
    path: syn::Path,
}

impl VariantTest {
    fn new(path: &syn::Path) -> Self {
        let mut ty = path.clone();
        let last = ty.segments.pop().expect("two segments");
        // Drop the trailing `::` left by `pop`.
        let ty_tokens = {
            let segs = ty.segments.iter();
            let lead = &ty.leading_colon;
            quote!(#lead #(#segs)::*)
        };
        VariantTest {
            ty: ty_tokens,
            variant: syn::ext::IdentExt::unraw(&last.ident).to_string(),
            path: path.clone(),
        }
    }

    /// `{ <check that the variant exists>; err.is(<its name>) }`, spanned at the user's path so that a
    /// misspelt variant is reported there.
    fn tokens(&self, binding: &syn::Ident) -> TokenStream {
        let VariantTest { ty, variant, path } = self;
        let span = callee_span(path);
        quote_spanned! {span=>
            {
                let _ = |__v: #ty| ::core::matches!(__v, #path { .. });
                #binding.is(<#ty as ::stepmacro::TaskError>::variant_error_name(#variant).unwrap_or("\u{0}"))
            }
        }
    }
}

struct ErrorTest {
    err_path: syn::Path,
    binding: Option<syn::Ident>,
    conditions: Vec<VariantTest>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CatchScope {
    TaskCall,
    AsyncBlock,
}

/// Is this scrutinee a place errors are caught from: a task call, or `async { .. }.await`?
fn catch_scope(e: &Expr) -> Option<CatchScope> {
    match e {
        Expr::Paren(p) => catch_scope(&p.expr),
        Expr::Await(aw) if bare_task_call(&aw.base).is_some() => Some(CatchScope::TaskCall),
        Expr::Await(aw) if matches!(strip(&aw.base), Expr::Async(_)) => {
            Some(CatchScope::AsyncBlock)
        }
        // `try_join!(..)`, `map!(..)`, `try_join_all(..).await`: a `Result<_, Failure>` like a task call's.
        Expr::Macro(m) if matches!(last_segment(&m.mac.path).as_str(), "try_join" | "map") => {
            Some(CatchScope::TaskCall)
        }
        Expr::Await(aw) if matches!(strip(&aw.base), Expr::Call(c) if matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "try_join_all"))) => {
            Some(CatchScope::TaskCall)
        }
        _ => None,
    }
}

/// Does this arm pattern name error variants (so it needs rewriting)?
fn arm_tests_errors(pat: &Pat) -> bool {
    fn variant_like(p: &Pat) -> bool {
        match p {
            Pat::Path(p) => p.path.segments.len() >= 2,
            Pat::TupleStruct(p) => p.path.segments.len() >= 2,
            Pat::Struct(p) => p.path.segments.len() >= 2,
            Pat::Or(o) => o.cases.iter().any(variant_like),
            Pat::Paren(p) => variant_like(&p.pat),
            Pat::Ident(pi) => pi.subpat.as_ref().is_some_and(|(_, s)| variant_like(s)),
            _ => false,
        }
    }
    match pat {
        Pat::Guard(g) => arm_tests_errors(&g.pat),
        Pat::TupleStruct(ts) if is_err_path(&ts.path) => ts.elems.iter().any(variant_like),
        Pat::Or(o) => o.cases.iter().any(arm_tests_errors),
        Pat::Paren(p) => arm_tests_errors(&p.pat),
        _ => false,
    }
}

/// `async { .. }.await` whose arms test a `Failure` (by name or in a guard): state the type, so `?` inside the block converts to
/// `Failure` and the arms' `.is(..)` resolve.
fn pin_failure_type(scrutinee: &mut Expr) {
    let inner = scrutinee.clone();
    *scrutinee = syn::parse_quote! {
        {
            let __sm_caught: ::core::result::Result<_, ::stepmacro::Failure> = #inner;
            __sm_caught
        }
    };
}

fn is_err_path(path: &syn::Path) -> bool {
    path.segments.last().is_some_and(|s| s.ident == "Err")
}

/// The callee path and arguments when `e` is `path(args)` calling something that may be a task.
fn bare_task_call(e: &Expr) -> Option<(&syn::Path, &Punctuated<Expr, Token![,]>)> {
    let Expr::Call(call) = strip(e) else {
        return None;
    };
    let Expr::Path(p) = &*call.func else {
        return None;
    };
    (p.qself.is_none() && may_be_task(&p.path)).then_some((&p.path, &call.args))
}

fn bare_task_call_mut(e: &mut Expr) -> Option<(&mut syn::Path, &mut Punctuated<Expr, Token![,]>)> {
    bare_task_call(e)?;
    let mut e = e;
    loop {
        match e {
            Expr::Paren(p) => e = &mut p.expr,
            Expr::Group(g) => e = &mut g.expr,
            Expr::Call(call) => {
                let Expr::Path(p) = &mut *call.func else {
                    return None;
                };
                return Some((&mut p.path, &mut call.args));
            }
            _ => return None,
        }
    }
}

fn may_be_task(path: &syn::Path) -> bool {
    let Some(last) = path.segments.last() else {
        return false;
    };
    if !last.arguments.is_none() || NOT_TASKS.iter().any(|n| last.ident == n) {
        return false;
    }
    let first = &path.segments[0].ident;
    !(path.segments.len() > 1 && LIBRARY_CRATES.iter().any(|c| first == c))
}

fn callee_span(path: &syn::Path) -> Span {
    path.segments
        .last()
        .map(|s| s.ident.span())
        .unwrap_or_else(Span::call_site)
}

fn contains_await(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == "await",
        TokenTree::Group(g) => contains_await(g.stream()),
        _ => false,
    })
}

/// Splits `head => tail` at the first top-level `=>`.
fn split_fat_arrow(tokens: TokenStream) -> Option<(TokenStream, TokenStream)> {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let at = tts.windows(2).position(|w| match (&w[0], &w[1]) {
        (TokenTree::Punct(a), TokenTree::Punct(b)) => {
            a.as_char() == '=' && a.spacing() == proc_macro2::Spacing::Joint && b.as_char() == '>'
        }
        _ => false,
    })?;
    Some((
        tts[..at].iter().cloned().collect(),
        tts[at + 2..].iter().cloned().collect(),
    ))
}

fn strip_state_attrs(attrs: &mut Vec<Attribute>) {
    attrs.retain(|a| !STATE_ATTRS.iter().any(|s| a.path().is_ident(s)));
}

fn expr_attrs_mut(e: &mut Expr) -> Option<&mut Vec<Attribute>> {
    Some(match e {
        Expr::Array(x) => &mut x.attrs,
        Expr::Assign(x) => &mut x.attrs,
        Expr::Async(x) => &mut x.attrs,
        Expr::Await(x) => &mut x.attrs,
        Expr::Binary(x) => &mut x.attrs,
        Expr::Block(x) => &mut x.attrs,
        Expr::Break(x) => &mut x.attrs,
        Expr::Call(x) => &mut x.attrs,
        Expr::Cast(x) => &mut x.attrs,
        Expr::Closure(x) => &mut x.attrs,
        Expr::Const(x) => &mut x.attrs,
        Expr::Continue(x) => &mut x.attrs,
        Expr::Field(x) => &mut x.attrs,
        Expr::ForLoop(x) => &mut x.attrs,
        Expr::Group(x) => &mut x.attrs,
        Expr::If(x) => &mut x.attrs,
        Expr::Index(x) => &mut x.attrs,
        Expr::Let(x) => &mut x.attrs,
        Expr::Lit(x) => &mut x.attrs,
        Expr::Loop(x) => &mut x.attrs,
        Expr::Macro(x) => &mut x.attrs,
        Expr::Match(x) => &mut x.attrs,
        Expr::MethodCall(x) => &mut x.attrs,
        Expr::Paren(x) => &mut x.attrs,
        Expr::Path(x) => &mut x.attrs,
        Expr::Range(x) => &mut x.attrs,
        Expr::Reference(x) => &mut x.attrs,
        Expr::Repeat(x) => &mut x.attrs,
        Expr::Return(x) => &mut x.attrs,
        Expr::Struct(x) => &mut x.attrs,
        Expr::Try(x) => &mut x.attrs,
        Expr::TryBlock(x) => &mut x.attrs,
        Expr::Tuple(x) => &mut x.attrs,
        Expr::Unary(x) => &mut x.attrs,
        Expr::Unsafe(x) => &mut x.attrs,
        Expr::While(x) => &mut x.attrs,
        _ => return None,
    })
}

impl VisitMut for Rewriter {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if let Some(attrs) = expr_attrs_mut(e) {
            strip_state_attrs(attrs);
        }
        if matches!(e, Expr::Await(aw) if bare_task_call(&aw.base).is_some()) {
            self.rewrite_awaited_call(e);
            return;
        }
        if self.rewrite_if_let(e) {
            return;
        }
        // `sleep_until(ts).await`: a timestamp the Wait state would reject fails natively too.
        if let Expr::Await(aw) = e
            && let Expr::Call(call) = &mut *aw.base
            && matches!(&*call.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "sleep_until") && call.args.len() == 1)
        {
            self.visit_expr_mut(&mut call.args[0]);
            let arg = &call.args[0];
            let span = call.func.span();
            *e = syn::parse_quote_spanned!(span=> ::stepmacro::__private::sleep_until_checked(#arg).await?);
            return;
        }
        if let Expr::Macro(m) = e
            && last_segment(&m.mac.path) == "retry"
        {
            // The compiler reports why a `retry!` does not parse; keep rustc from adding "cannot find
            // macro `retry`" to that.
            *e = super::retry::expand_retry(&m.mac, self)
                .unwrap_or_else(|| syn::parse_quote!(::stepmacro::__private::reported_error()));
            return;
        }
        match e {
            Expr::Match(m) => self.rewrite_match(m),
            Expr::Call(call) if is_join_all(&call.func) => {
                for a in call.args.iter_mut() {
                    match a {
                        Expr::MethodCall(mc) if mc.method == "map" => {
                            self.visit_expr_mut(&mut mc.receiver);
                            for c in mc.args.iter_mut() {
                                self.rewrite_future_position(c);
                            }
                        }
                        other => self.visit_expr_mut(other),
                    }
                }
            }
            _ => visit_mut::visit_expr_mut(self, e),
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        self.rewrite_macro(mac);
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        strip_state_attrs(&mut local.attrs);
        visit_mut::visit_local_mut(self, local);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        // `retry!(..);` in statement position is the same expression as `let _ = retry!(..);`: make it
        // an expression statement so that it is expanded like one.
        if let syn::Stmt::Macro(m) = stmt
            && last_segment(&m.mac.path) == "retry"
        {
            let semi = m.semi_token;
            let expr = Expr::Macro(syn::ExprMacro {
                attrs: std::mem::take(&mut m.attrs),
                mac: m.mac.clone(),
            });
            *stmt = syn::Stmt::Expr(expr, semi);
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_stmt_macro_mut(&mut self, m: &mut syn::StmtMacro) {
        strip_state_attrs(&mut m.attrs);
        visit_mut::visit_stmt_macro_mut(self, m);
    }

    fn visit_arm_mut(&mut self, arm: &mut Arm) {
        strip_state_attrs(&mut arm.attrs);
        visit_mut::visit_arm_mut(self, arm);
    }

    /// Items nested in a body (helper fns, consts) are not workflow code.
    fn visit_item_mut(&mut self, _item: &mut syn::Item) {}
}

fn is_join_all(func: &Expr) -> bool {
    matches!(func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "join_all" || s.ident == "try_join_all"))
}

/// First arm of every rewritten catch: `States.Runtime` and `States.DataLimitExceeded` pass through, as
/// no ASL Catch (not even `States.ALL`) takes them.
fn propagate_uncatchable(span: Span) -> Arm {
    syn::parse_quote_spanned! {span=>
        ::core::result::Result::Err(__sm_uncatchable) if __sm_uncatchable.is_uncatchable() => {
            return ::core::result::Result::Err(__sm_uncatchable)
        }
    }
}
