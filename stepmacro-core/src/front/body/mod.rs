//! Workflow bodies: syn statements → IR statements.
//!
//! This is where unsupported Rust is rejected, each time with a span on the construct and a hint, and
//! where the shapes the lowering understands are recognised: task calls (`f(..).await`), catches
//! (`match f(..).await { Ok(..) => .., Err(..) => .. }`), returns, loops, waits.

use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{BinOp, Expr, Pat};

mod catch;
mod concurrency;
mod hoist;

use hoist::Place;
pub use hoist::{is_reported, reported};

use super::diagnostics::{Diagnostics, MOVE_TO_TASK};
use super::syntax::{last_segment, segment_names, strip};
use crate::ir::{
    Arm, Binding, Block, BranchBody, Cond, FailValue, ForIter, Stmt, StmtKind, Target, TaskCall,
    Value, WaitFor,
};

/// Does a statement of this kind create a state of its own? (A push or a pure binding does not: it is
/// folded into a neighbouring transition.)
fn creates_state(kind: &StmtKind) -> bool {
    !matches!(
        kind,
        StmtKind::Push { .. }
            | StmtKind::Bind {
                value: Value::Pure(_),
                ..
            }
    )
}

/// An assignment, a compound assignment or a push: an expression of type `()` that is only ever a
/// statement.
fn is_unit_statement(expr: &Expr) -> bool {
    match expr {
        Expr::Assign(_) => true,
        Expr::Binary(b) => compound_op(&b.op).is_some(),
        Expr::MethodCall(m) => m.method == "push" && m.args.len() == 1,
        _ => false,
    }
}

/// Whether a block's tail value is the workflow's result (`Ok(..)`/`Err(..)`) or a plain value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    /// The block ends the workflow: its tail must be `Ok(..)`, `Err(..)`, or something ending so.
    Return,
    /// The block's tail is a value (of a `let x = if ..`, or discarded).
    Value,
}

/// Functions of the prelude that are not tasks.
const PRELUDE_ASYNC: &[&str] = &["sleep", "sleep_until"];
/// Concurrency macros, lowered to Parallel/Map.
const CONCURRENCY_MACROS: &[&str] = &["try_join", "map", "retry"];

pub struct BodyParser<'a> {
    pub diag: &'a Diagnostics,
    /// Task calls hoisted out of the expression being parsed, to run just before its statement.
    hoisted: std::cell::RefCell<Vec<Stmt>>,
    /// Per task, how many of its calls the current statement has hoisted (for their variables' names).
    hoist_counts: std::cell::RefCell<std::collections::BTreeMap<String, usize>>,
}

impl<'a> BodyParser<'a> {
    pub fn new(diag: &'a Diagnostics) -> Self {
        BodyParser {
            diag,
            hoisted: Default::default(),
            hoist_counts: Default::default(),
        }
    }
}

impl BodyParser<'_> {
    /// Parses a block. `tail` says what its last expression means.
    pub fn block(&self, block: &syn::Block, tail: Tail) -> Block {
        let mut out = Block::default();
        let n = block.stmts.len();
        for (i, stmt) in block.stmts.iter().enumerate() {
            let last = i + 1 == n;
            self.stmt(stmt, last, tail, &mut out);
        }
        out
    }

    fn stmt(&self, stmt: &syn::Stmt, last: bool, tail: Tail, out: &mut Block) {
        // Hoisted calls of this statement go right before it (nested statements keep their own).
        let (mut hoisted, mut mine) = self.hoisting_apart(|| {
            let mut mine = Block::default();
            self.stmt_inner(stmt, last, tail, &mut mine);
            mine
        });
        // A `#[state("..")]` label names the state the statement creates. A push or a pure assignment
        // creates none: the label goes to the task call hoisted out of it (the outermost, hoisted last).
        if let [only] = mine.stmts.as_mut_slice()
            && only.label.is_some()
            && !creates_state(&only.kind)
            && let Some(last) = hoisted.last_mut()
        {
            last.label = only.label.take();
        }
        out.stmts.extend(hoisted);
        out.stmts.extend(mine.stmts);
    }

    fn stmt_inner(&self, stmt: &syn::Stmt, last: bool, tail: Tail, out: &mut Block) {
        match stmt {
            syn::Stmt::Local(local) => {
                let label = self.state_label(&local.attrs);
                if let Some(init) = &local.init
                    && let Some((else_token, _)) = &init.diverge {
                        self.diag.error(
                            else_token.span,
                            "`let .. else` is not supported in a workflow\n  = help: use `match` or `if let` instead",
                        );
                        return;
                    }
                let (pat, ty) = match &local.pat {
                    Pat::Type(pt) => (&*pt.pat, Some((*pt.ty).clone())),
                    p => (p, None),
                };
                let Some(binding) = self.binding(pat, ty) else { return };
                let Some(init) = &local.init else {
                    self.diag.error(
                        local.span(),
                        "a variable must be initialised where it is declared in a workflow\n  = help: write `let x = if .. { a } else { b };`",
                    );
                    return;
                };
                // A value that failed (its error is reported) still declares the names, so their
                // later uses add no errors of their own.
                let value = self.value(&init.expr).unwrap_or_else(|| Value::Pure(syn::parse_quote!(())));
                out.stmts.push(Stmt {
                    kind: StmtKind::Bind { target: Target::Let(binding), value },
                    label,
                    span: local.span(),
                });
            }
            syn::Stmt::Item(item) => self.diag.error(
                item.span(),
                "items cannot be declared inside a workflow body\n  = help: declare them next to the workflow! block",
            ),
            syn::Stmt::Macro(m) => {
                let label = self.state_label(&m.attrs);
                self.macro_stmt(&m.mac, label, out);
            }
            syn::Stmt::Expr(expr, semi) => {
                // `return`/`break`/`continue` diverge: a statement even without `;` (e.g. a match arm).
                // Loops are statements too: their value is `()`.
                let diverges = matches!(
                    expr,
                    Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) | Expr::While(_) | Expr::Loop(_) | Expr::ForLoop(_)
                ) && !(tail == Tail::Return && matches!(expr, Expr::While(_) | Expr::Loop(_) | Expr::ForLoop(_)));
                // `Ok(v) => total = v,` / `Ok(v) => out.push(v),`: a unit-valued statement as a tail is
                // a statement (its value, `()`, is never read).
                let unit = tail == Tail::Value && is_unit_statement(expr);
                let is_tail = last && semi.is_none() && !diverges && !unit;
                let label = expr_attrs(expr).and_then(|a| self.state_label(a));
                if is_tail {
                    match tail {
                        Tail::Return => self.return_tail(expr, label, out),
                        Tail::Value => {
                            if let Some(value) = self.value(expr) {
                                out.stmts.push(Stmt { kind: StmtKind::Value(value), label, span: expr.span() });
                            }
                        }
                    }
                } else {
                    self.expr_stmt(expr, label, out);
                }
            }
        }
    }

    /// `#[state("Readable name")]` on a statement.
    fn state_label(&self, attrs: &[syn::Attribute]) -> Option<String> {
        let mut label = None;
        for a in attrs {
            if a.path().is_ident("state") {
                match a.parse_args::<syn::LitStr>() {
                    Ok(s) => {
                        let v = s.value();
                        if v.is_empty() || v.chars().count() > 80 {
                            self.diag
                                .error(s.span(), "a state name has 1 to 80 characters");
                        } else {
                            label = Some(v);
                        }
                    }
                    Err(_) => self.diag.error(
                        a.span(),
                        "write the state name as `#[state(\"Readable name\")]`",
                    ),
                }
            } else {
                self.diag.error(
                    a.span(),
                    "only `#[state(\"..\")]` attributes are understood on workflow statements",
                );
            }
        }
        label
    }

    fn binding(&self, pat: &Pat, ty: Option<syn::Type>) -> Option<Binding> {
        match pat {
            Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                Some(Binding::Ident(pi.ident.clone(), ty))
            }
            Pat::Wild(_) => Some(Binding::Wild),
            Pat::Type(pt) => self.binding(&pt.pat, Some((*pt.ty).clone())),
            Pat::Tuple(t) => {
                let elem_tys: Vec<Option<syn::Type>> = match &ty {
                    Some(syn::Type::Tuple(tt)) => {
                        tt.elems.iter().map(|t| Some(t.clone())).collect()
                    }
                    _ => vec![None; t.elems.len()],
                };
                let mut parts = Vec::new();
                for (p, t) in t.elems.iter().zip(elem_tys) {
                    parts.push(self.binding(p, t)?);
                }
                Some(Binding::Tuple(parts))
            }
            other => {
                self.diag.error(
                    other.span(),
                    "this pattern cannot be bound in a workflow `let`\n  = help: bind a name, `_` or a tuple of names, then use `match` to inspect the value",
                );
                None
            }
        }
    }

    /// A statement-position macro: `join!`, `println!`, ...
    fn macro_stmt(&self, mac: &syn::Macro, label: Option<String>, out: &mut Block) {
        let name = last_segment(&mac.path);
        if name == "join" {
            if let Some(value) = self.macro_value(mac, false) {
                out.stmts.push(Stmt {
                    kind: StmtKind::Bind {
                        target: Target::Discard,
                        value,
                    },
                    label,
                    span: mac.span(),
                });
            }
            return;
        }
        self.macro_stmt_unsupported(mac);
    }

    fn macro_stmt_unsupported(&self, mac: &syn::Macro) {
        let name = last_segment(&mac.path);
        if CONCURRENCY_MACROS.contains(&name.as_str()) {
            self.diag.error(
                mac.path.span(),
                format!("`{name}!(..)` gives a `Result`: handle its error\n  = help: write `{name}!(..)?;`"),
            );
        } else {
            self.diag.error(
                mac.path.span(),
                format!(
                    "the macro `{name}!` cannot run in a state machine\n  = help: {MOVE_TO_TASK}"
                ),
            );
        }
    }

    /// An expression in statement position (not a tail value).
    fn expr_stmt(&self, expr: &Expr, label: Option<String>, out: &mut Block) {
        let span = expr.span();
        let push = |out: &mut Block, kind| {
            out.stmts.push(Stmt {
                kind,
                label: label.clone(),
                span,
            })
        };
        match expr {
            Expr::Assign(a) => {
                if let Some(var) = self.assign_target(&a.left)
                    && let Some(value) = self.value(&a.right) {
                        push(out, StmtKind::Bind { target: Target::Assign(var), value });
                    }
            }
            Expr::Binary(b) if compound_op(&b.op).is_some() => {
                let Some(var) = self.assign_target(&b.left) else { return };
                let right = self.pure(&b.right);
                let op = compound_op(&b.op).expect("checked above");
                let left = &b.left;
                let combined: Expr = syn::parse_quote_spanned!(b.span()=> #left #op (#right));
                push(out, StmtKind::Bind { target: Target::Assign(var), value: Value::Pure(combined) });
            }
            Expr::MethodCall(m) if m.method == "push" && m.args.len() == 1 => {
                // The receiver is a variable (evaluated first, but it has no effect); the argument's task
                // calls are hoisted: `out.push(check(x).await?)` appends the Task's result.
                if let Some(var) = self.assign_target(&m.receiver) {
                    let value = self.pure(&m.args[0]);
                    push(out, StmtKind::Push { var, value });
                }
            }
            Expr::While(w) => {
                let label = w.label.as_ref().map(|l| l.name.ident.to_string());
                // Not hoisted: a task call in a `while` condition must run on every iteration.
                let cond = match &*w.cond {
                    Expr::Let(l) => Cond::Let((*l.pat).clone(), self.checked(&l.expr, Place::WhileCond)),
                    other => Cond::Expr(self.checked(other, Place::WhileCond)),
                };
                let body = self.block(&w.body, Tail::Value);
                push(out, StmtKind::While { cond, body, label });
            }
            Expr::Loop(l) => {
                let label = l.label.as_ref().map(|l| l.name.ident.to_string());
                let body = self.block(&l.body, Tail::Value);
                push(out, StmtKind::Loop { body, label });
            }
            Expr::ForLoop(f) => {
                let label = f.label.as_ref().map(|l| l.name.ident.to_string());
                let var = match &*f.pat {
                    Pat::Ident(pi) if pi.subpat.is_none() => pi.ident.clone(),
                    Pat::Wild(w) => syn::Ident::new("_item", w.span()),
                    other => {
                        self.diag.error(other.span(), "a workflow `for` loop binds one name\n  = help: write `for item in items { .. }` and destructure inside");
                        return;
                    }
                };
                let iter = self.for_iter(&f.expr);
                let body = self.block(&f.body, Tail::Value);
                if let Some(iter) = iter {
                    push(out, StmtKind::For { var, iter, body, label });
                }
            }
            Expr::Break(b) => {
                if let Some(e) = &b.expr {
                    self.diag.error(e.span(), "`break` with a value is not supported in a workflow\n  = help: assign the value to a variable declared before the loop, then `break`");
                }
                push(out, StmtKind::Break { label: b.label.as_ref().map(|l| l.ident.to_string()) });
            }
            Expr::Continue(c) => {
                push(out, StmtKind::Continue { label: c.label.as_ref().map(|l| l.ident.to_string()) });
            }
            Expr::Return(r) => self.return_expr(r, label, out),
            Expr::Try(t) => {
                if let Some(fail) = self.err_value(&t.expr) {
                    push(out, StmtKind::ReturnErr(fail));
                } else if let Some(value) = self.value(expr) {
                    push(out, StmtKind::Bind { target: Target::Discard, value });
                }
            }
            Expr::Await(a) => {
                if let Some(wait) = self.wait(a) {
                    push(out, StmtKind::Wait(wait));
                } else if let Some(value) = self.value(expr) {
                    push(out, StmtKind::Bind { target: Target::Discard, value });
                }
            }
            Expr::If(_) | Expr::Match(_) | Expr::Block(_) => {
                if let Some(value) = self.value(expr) {
                    push(out, StmtKind::Bind { target: Target::Discard, value });
                }
            }
            Expr::Macro(m) => self.macro_stmt(&m.mac, label, out),
            Expr::Unsafe(u) => self.diag.error(
                u.unsafe_token.span,
                format!("`unsafe` code cannot run in a state machine\n  = help: {MOVE_TO_TASK}"),
            ),
            Expr::MethodCall(m) => self.diag.error(
                m.method.span(),
                format!(
                    "`.{}(..)` cannot run as a workflow statement: only task calls have effects in a state machine\n  = help: {MOVE_TO_TASK}",
                    m.method
                ),
            ),
            Expr::Call(c) => self.diag.error(
                c.span(),
                format!(
                    "a plain function call cannot run as a workflow statement: only task calls (`task(..).await?`) have effects\n  = help: {MOVE_TO_TASK}, or mark the function #[task] and add `.await?`"
                ),
            ),
            other => self.diag.error(
                other.span(),
                "this expression has no effect in a workflow\n  = help: bind it with `let`, or remove it",
            ),
        }
    }

    fn assign_target(&self, left: &Expr) -> Option<syn::Ident> {
        match left {
            Expr::Path(p) if p.path.get_ident().is_some() && p.qself.is_none() => {
                p.path.get_ident().cloned()
            }
            other => {
                self.diag.error(
                    other.span(),
                    "only whole variables can be assigned in a workflow\n  = help: rebuild the value: `order = Order { total: 0, ..order };`",
                );
                None
            }
        }
    }

    fn for_iter(&self, expr: &Expr) -> Option<ForIter> {
        match strip(expr) {
            Expr::Range(r) => {
                let (Some(start), Some(end)) = (&r.start, &r.end) else {
                    self.diag
                        .error(r.span(), "a workflow `for` over a range needs both bounds");
                    return None;
                };
                // Both bounds are evaluated once, before the loop: their task calls are hoisted.
                Some(ForIter::Range {
                    start: self.pure(start),
                    end: self.pure(end),
                    inclusive: matches!(r.limits, syn::RangeLimits::Closed(_)),
                })
            }
            Expr::MethodCall(m)
                if (m.method == "iter" || m.method == "into_iter") && m.args.is_empty() =>
            {
                Some(ForIter::Vec(self.pure(&m.receiver)))
            }
            Expr::Reference(r) => Some(ForIter::Vec(self.pure(&r.expr))),
            other => Some(ForIter::Vec(self.pure(other))),
        }
    }

    fn cond(&self, expr: &Expr) -> Cond {
        match expr {
            Expr::Let(l) => Cond::Let((*l.pat).clone(), self.pure(&l.expr)),
            other => Cond::Expr(self.pure(other)),
        }
    }

    /// `sleep(..).await` / `sleep_until(..).await`.
    fn wait(&self, a: &syn::ExprAwait) -> Option<WaitFor> {
        let Expr::Call(call) = strip(&a.base) else {
            return None;
        };
        let Expr::Path(p) = &*call.func else {
            return None;
        };
        let name = p.path.segments.last()?.ident.to_string();
        if !PRELUDE_ASYNC.contains(&name.as_str()) {
            return None;
        }
        if call.args.len() != 1 {
            self.diag
                .error(call.span(), format!("`{name}` takes one argument"));
            return None;
        }
        let arg = &call.args[0];
        if name == "sleep_until" {
            return Some(WaitFor::Timestamp(self.pure(arg)));
        }
        // Duration::from_secs(n) (also from_mins / from_hours, scaled).
        if let Expr::Call(d) = strip(arg)
            && let Expr::Path(dp) = &*d.func
        {
            let scale = match last_segment(&dp.path).as_str() {
                "from_secs" => Some(1u64),
                "from_mins" => Some(60),
                "from_hours" => Some(3600),
                "from_days" => Some(86_400),
                _ => None,
            };
            if let (Some(scale), 1) = (scale, d.args.len()) {
                let n = self.pure(&d.args[0]);
                let secs: Expr = if scale == 1 {
                    n
                } else {
                    syn::parse_quote_spanned!(n.span()=> (#n) * #scale)
                };
                return Some(WaitFor::Seconds(secs));
            }
        }
        self.diag.error(
            arg.span(),
            "a workflow sleeps for whole seconds\n  = help: write `sleep(Duration::from_secs(n)).await` (or from_mins / from_hours / from_days)",
        );
        None
    }

    /// `Err(x)` in `Err(x)?` or `return Err(x)`.
    fn err_value(&self, expr: &Expr) -> Option<FailValue> {
        let Expr::Call(call) = strip(expr) else {
            return None;
        };
        let Expr::Path(p) = &*call.func else {
            return None;
        };
        if !p.path.is_ident("Err") || call.args.len() != 1 {
            return None;
        }
        Some(self.fail_value(&call.args[0]))
    }

    fn fail_value(&self, expr: &Expr) -> FailValue {
        match strip(expr) {
            Expr::Call(c) => {
                if let Expr::Path(p) = &*c.func {
                    let segs = segment_names(&p.path);
                    if segs.len() >= 2
                        && segs[segs.len() - 2] == "Failure"
                        && segs.last().unwrap() == "new"
                    {
                        if c.args.len() == 2 {
                            let error = self.pure(&c.args[0]);
                            let cause = self.pure(&c.args[1]);
                            return FailValue::New { error, cause };
                        }
                    } else if is_variant_path(&segs) {
                        return FailValue::Variant {
                            path: segs,
                            span: c.span(),
                        };
                    }
                }
                FailValue::Failure(self.pure(expr))
            }
            // `Type::Variant` / `Type::Variant { .. }`.
            e @ (Expr::Path(syn::ExprPath { path, .. })
            | Expr::Struct(syn::ExprStruct { path, .. }))
                if path.segments.len() >= 2 =>
            {
                FailValue::Variant {
                    path: segment_names(path),
                    span: e.span(),
                }
            }
            other => FailValue::Failure(self.pure(other)),
        }
    }

    fn return_expr(&self, r: &syn::ExprReturn, label: Option<String>, out: &mut Block) {
        let span = r.span();
        let Some(e) = &r.expr else {
            self.diag
                .error(span, "a workflow returns `Ok(value)` or `Err(failure)`");
            return;
        };
        self.return_value(e, label, out);
    }

    /// `Ok(v)` / `Err(e)` (in `return` or in tail position).
    fn return_value(&self, e: &Expr, label: Option<String>, out: &mut Block) {
        let span = e.span();
        if let Expr::Call(call) = strip(e)
            && let Expr::Path(p) = &*call.func
        {
            if p.path.is_ident("Ok") && call.args.len() == 1 {
                let arg = &call.args[0];
                // `Ok(task(..).await?)`: bind, then return.
                if is_task_value(arg) {
                    if let Some(value) = self.value(arg) {
                        let tmp = syn::Ident::new("__result", arg.span());
                        out.stmts.push(Stmt {
                            kind: StmtKind::Bind {
                                target: Target::Let(Binding::Ident(tmp.clone(), None)),
                                value,
                            },
                            label: label.clone(),
                            span,
                        });
                        out.stmts.push(Stmt {
                            kind: StmtKind::ReturnOk(syn::parse_quote!(#tmp)),
                            label: None,
                            span,
                        });
                    }
                    return;
                }
                let arg = self.pure(arg);
                out.stmts.push(Stmt {
                    kind: StmtKind::ReturnOk(arg),
                    label,
                    span,
                });
                return;
            }
            if p.path.is_ident("Err") && call.args.len() == 1 {
                let fail = self.fail_value(&call.args[0]);
                out.stmts.push(Stmt {
                    kind: StmtKind::ReturnErr(fail),
                    label,
                    span,
                });
                return;
            }
        }
        self.diag.error(
            span,
            "a workflow ends with `Ok(value)` or `Err(failure)`\n  = help: wrap the value: `Ok(value)`",
        );
    }

    /// The tail of a block in return position.
    fn return_tail(&self, expr: &Expr, label: Option<String>, out: &mut Block) {
        let span = expr.span();
        match expr {
            Expr::If(_) | Expr::Match(_) | Expr::Block(_) => {
                if let Some(value) = self.value_in(expr, Tail::Return) {
                    out.stmts.push(Stmt {
                        kind: StmtKind::Value(value),
                        label,
                        span,
                    });
                }
            }
            Expr::Return(r) => self.return_expr(r, label, out),
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => {
                // A loop whose every exit is a `return`.
                self.expr_stmt(expr, label, out);
            }
            Expr::Await(_) if is_task_value(expr) => {
                // `task(..).await` as the tail: its `Result` is the workflow's.
                if let Some(value) = self.value(expr) {
                    let tmp = syn::Ident::new("__result", span);
                    out.stmts.push(Stmt {
                        kind: StmtKind::Bind {
                            target: Target::Let(Binding::Ident(tmp.clone(), None)),
                            value,
                        },
                        label,
                        span,
                    });
                    out.stmts.push(Stmt {
                        kind: StmtKind::ReturnOk(syn::parse_quote!(#tmp)),
                        label: None,
                        span,
                    });
                }
            }
            other => self.return_value(other, label, out),
        }
    }

    /// A value-producing expression (right side of `let`, a tail value).
    pub fn value(&self, expr: &Expr) -> Option<Value> {
        self.value_in(expr, Tail::Value)
    }

    fn value_in(&self, expr: &Expr, tail: Tail) -> Option<Value> {
        match expr {
            Expr::Paren(p) => self.value_in(&p.expr, tail),
            Expr::Try(t) => match strip(&t.expr) {
                Expr::Macro(m) => self.macro_value(&m.mac, true),
                Expr::Await(a) if concurrency::join_all_call(&a.base).is_some_and(|(_, ff)| ff) => {
                    let (call, _) = concurrency::join_all_call(&a.base).expect("checked");
                    self.join_all(call, true)
                }
                Expr::Await(a) => self.task_call(a).map(Value::Task),
                other => {
                    self.diag.error(
                        t.question_token.span,
                        "`?` in a workflow applies to a task call: `task(..).await?`\n  = help: handle other results with `match`",
                    );
                    let _ = other;
                    None
                }
            },
            Expr::Macro(m) => self.macro_value(&m.mac, false),
            Expr::Await(a) if concurrency::join_all_call(&a.base).is_some() => {
                let (call, fail_fast) = concurrency::join_all_call(&a.base).expect("checked");
                if fail_fast {
                    self.diag
                        .error(a.span(), "`try_join_all(..)` gives a `Result`: add `?`");
                    return None;
                }
                self.join_all(call, false)
            }
            Expr::Await(a) => {
                if self.wait(a).is_some() {
                    self.diag.error(a.span(), "a sleep has no value\n  = help: write it as a statement: `sleep(..).await;`");
                    return None;
                }
                // An infallible task (its errors propagate); a fallible one must be `?`'d or matched,
                // which the lowering checks against the task's signature.
                self.task_call(a).map(Value::Task)
            }
            Expr::If(i) => {
                if let Expr::Let(l) = &*i.cond
                    && let Some(catch) = self.if_let_catch(l, i, tail)
                {
                    return Some(Value::Catch(Box::new(catch)));
                }
                let cond = self.cond(&i.cond);
                let then = self.block(&i.then_branch, tail);
                let otherwise = match &i.else_branch {
                    None => None,
                    Some((_, e)) => match &**e {
                        Expr::Block(b) => Some(self.block(&b.block, tail)),
                        nested @ Expr::If(_) => {
                            // The task calls hoisted from an `else if` condition run only when the
                            // earlier conditions failed: they go into the `else`, not before the `if`.
                            let (mut stmts, v) =
                                self.hoisting_apart(|| self.value_in(nested, tail));
                            stmts.push(Stmt {
                                kind: StmtKind::Value(v?),
                                label: None,
                                span: nested.span(),
                            });
                            Some(Block { stmts })
                        }
                        other => {
                            self.diag.error(other.span(), "unexpected `else` form");
                            None
                        }
                    },
                };
                Some(Value::If {
                    cond,
                    then,
                    otherwise,
                })
            }
            Expr::Match(m) => {
                // Errors caught from a Parallel or a Map.
                let nested = match strip(&m.expr) {
                    Expr::Macro(mac)
                        if matches!(last_segment(&mac.mac.path).as_str(), "try_join" | "map") =>
                    {
                        Some(self.macro_value(&mac.mac, true))
                    }
                    Expr::Await(a)
                        if concurrency::join_all_call(&a.base).is_some_and(|(_, ff)| ff) =>
                    {
                        let (call, _) = concurrency::join_all_call(&a.base).expect("checked");
                        Some(self.join_all(call, true))
                    }
                    _ => None,
                };
                if let Some(value) = nested {
                    let body = BranchBody::Nested(Box::new(value?));
                    return self
                        .catch_match(m, body, tail)
                        .map(|c| Value::Catch(Box::new(c)));
                }
                if let Expr::Await(a) = strip(&m.expr)
                    && self.wait(a).is_none()
                {
                    let body = self.catch_target(a)?;
                    return self
                        .catch_match(m, body, tail)
                        .map(|c| Value::Catch(Box::new(c)));
                }
                // The scrutinee is evaluated once, before any arm: its task calls are hoisted
                // (`match classify(x).await? { .. }`). A guard runs only when its pattern matches.
                let scrutinee = self.pure(&m.expr);
                let arms = m
                    .arms
                    .iter()
                    .map(|arm| {
                        let (pat, guard) = split_guard(&arm.pat);
                        Arm {
                            pat: pat.clone(),
                            guard: guard.map(|g| self.checked(g, Place::Guard)),
                            body: self.arm_body(&arm.body, tail),
                            span: arm.span(),
                        }
                    })
                    .collect();
                Some(Value::Match { scrutinee, arms })
            }
            Expr::Block(b) if b.label.is_none() => Some(Value::Block(self.block(&b.block, tail))),
            Expr::Async(a) => {
                self.diag.error(
                    a.async_token.span,
                    "an async block runs only as a branch\n  = help: use it inside `join!`/`try_join!`/`map!`, or await it in a `match` to catch its errors",
                );
                None
            }
            other => {
                if tail == Tail::Return {
                    let mut b = Block::default();
                    self.return_value(other, None, &mut b);
                    return Some(Value::Block(b));
                }
                Some(Value::Pure(self.pure(other)))
            }
        }
    }

    fn arm_body(&self, body: &Expr, tail: Tail) -> Block {
        match body {
            Expr::Block(b) if b.label.is_none() => self.block(&b.block, tail),
            other => self.expr_block(other, tail),
        }
    }

    /// `expr` read as the block `{ expr }`.
    fn expr_block(&self, expr: &Expr, tail: Tail) -> Block {
        let block = syn::Block {
            brace_token: Default::default(),
            stmts: vec![syn::Stmt::Expr(expr.clone(), None)],
        };
        self.block(&block, tail)
    }

    /// `f(args).await` where `f` is a task.
    fn task_call(&self, a: &syn::ExprAwait) -> Option<TaskCall> {
        match strip(&a.base) {
            Expr::Call(call) => match &*call.func {
                Expr::Path(p) if p.qself.is_none() => {
                    // Task calls among the arguments run first, as in Rust.
                    let args: Vec<Expr> = call.args.iter().map(|a| self.pure(a)).collect();
                    Some(TaskCall {
                        path: p.path.clone(),
                        args,
                        span: call.span(),
                    })
                }
                other => {
                    self.diag.error(
                        other.span(),
                        "a task is called by its name: `task_name(args).await`",
                    );
                    None
                }
            },
            Expr::MethodCall(m) => {
                self.diag.error(
                    m.method.span(),
                    format!("`.{}(..).await` is not a task call\n  = help: tasks are `#[task]` functions called as `task_name(args).await`", m.method),
                );
                None
            }
            other => {
                self.diag.error(
                    other.span(),
                    "only task calls can be awaited in a workflow: `task_name(args).await`",
                );
                None
            }
        }
    }
}

fn expr_attrs(expr: &Expr) -> Option<&Vec<syn::Attribute>> {
    Some(match expr {
        Expr::Assign(e) => &e.attrs,
        Expr::Binary(e) => &e.attrs,
        Expr::MethodCall(e) => &e.attrs,
        Expr::While(e) => &e.attrs,
        Expr::Loop(e) => &e.attrs,
        Expr::ForLoop(e) => &e.attrs,
        Expr::Try(e) => &e.attrs,
        Expr::Await(e) => &e.attrs,
        Expr::If(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::Call(e) => &e.attrs,
        _ => return None,
    })
}

/// A match arm's pattern and guard (syn 3 keeps the guard inside the pattern, `Pat::Guard`).
pub fn split_guard(pat: &Pat) -> (&Pat, Option<&Expr>) {
    match pat {
        Pat::Guard(g) => (&g.pat, Some(&g.guard)),
        other => (other, None),
    }
}

/// `Ok(p)` / `Err(p)` → ("Ok"|"Err", p).
fn result_arm(pat: &Pat) -> Option<(&'static str, &Pat)> {
    let Pat::TupleStruct(t) = pat else {
        return None;
    };
    if t.elems.len() != 1 {
        return None;
    }
    if t.path.is_ident("Ok") {
        Some(("Ok", &t.elems[0]))
    } else if t.path.is_ident("Err") {
        Some(("Err", &t.elems[0]))
    } else {
        None
    }
}

/// `x op= e` → the binary operator `op`.
fn compound_op(op: &BinOp) -> Option<proc_macro2::TokenStream> {
    let t = match op {
        BinOp::AddAssign(_) => quote::quote!(+),
        BinOp::SubAssign(_) => quote::quote!(-),
        BinOp::MulAssign(_) => quote::quote!(*),
        BinOp::DivAssign(_) => quote::quote!(/),
        BinOp::RemAssign(_) => quote::quote!(%),
        _ => return None,
    };
    Some(t)
}

fn is_task_value(expr: &Expr) -> bool {
    match strip(expr) {
        Expr::Try(t) => matches!(strip(&t.expr), Expr::Await(_)),
        Expr::Await(a) => awaited_callee(a).is_some_and(|p| !is_prelude(p)),
        _ => false,
    }
}

/// The callee of `path(..).await`.
fn awaited_callee(a: &syn::ExprAwait) -> Option<&syn::Path> {
    let Expr::Call(c) = strip(&a.base) else {
        return None;
    };
    let Expr::Path(p) = &*c.func else {
        return None;
    };
    Some(&p.path)
}

/// `sleep` / `sleep_until`: the prelude's waits, which are awaited like tasks but are not tasks.
fn is_prelude(callee: &syn::Path) -> bool {
    PRELUDE_ASYNC.contains(&last_segment(callee).as_str())
}

/// `sleep(..).await` / `sleep_until(..).await`.
fn is_prelude_call(a: &syn::ExprAwait) -> bool {
    awaited_callee(a).is_some_and(is_prelude)
}

/// `Type::Variant` (an uppercase last-but-one segment).
fn is_variant_path(segs: &[String]) -> bool {
    segs.len() >= 2
        && segs[segs.len() - 2]
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase())
}

/// Text of an expression, for state names and messages.
pub fn expr_text(expr: &Expr) -> String {
    expr.to_token_stream().to_string()
}
