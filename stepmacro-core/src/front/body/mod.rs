//! Workflow bodies: syn statements → IR statements.
//!
//! This is where unsupported Rust is rejected, each time with a span on the construct and a hint, and
//! where the shapes the lowering understands are recognised: task calls (`f(..).await`), catches
//! (`match f(..).await { Ok(..) => .., Err(..) => .. }`), returns, loops, waits.

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{BinOp, Expr, Pat};

mod concurrency;

use super::diagnostics::{Diagnostics, MOVE_TO_TASK};
use crate::ir::{
    Arm, Binding, Block, BranchBody, Catch, Cond, ErrArm, ErrorMatch, FailValue, ForIter, Stmt,
    StmtKind, Target, TaskCall, Value, WaitFor,
};

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
/// Concurrency macros, lowered to Parallel/Map (not yet).
const CONCURRENCY_MACROS: &[&str] = &["try_join", "map", "retry"];

pub struct BodyParser<'a> {
    pub diag: &'a Diagnostics,
    /// Task calls hoisted out of the expression being parsed, to run just before its statement.
    hoisted: std::cell::RefCell<Vec<Stmt>>,
    counter: std::cell::Cell<usize>,
}

impl<'a> BodyParser<'a> {
    pub fn new(diag: &'a Diagnostics) -> Self {
        BodyParser {
            diag,
            hoisted: Default::default(),
            counter: Default::default(),
        }
    }

    /// Moves task calls nested in an expression (`Ok(Wrap(task(x).await?))`, `a + task(b).await?`) into
    /// statements of their own, in Rust's evaluation order, binding each to a fresh variable. Calls under
    /// `&&`, `||`, closures or branches stay (they would not always run); `check_pure` reports them.
    fn hoist(&self, expr: &Expr) -> Expr {
        let mut e = expr.clone();
        let mut h = Hoister { parser: self };
        syn::visit_mut::VisitMut::visit_expr_mut(&mut h, &mut e);
        e
    }
}

struct Hoister<'p, 'a> {
    parser: &'p BodyParser<'a>,
}

impl syn::visit_mut::VisitMut for Hoister<'_, '_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        match e {
            Expr::Closure(_)
            | Expr::If(_)
            | Expr::Match(_)
            | Expr::Block(_)
            | Expr::Async(_)
            | Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_) => return,
            Expr::Binary(b) if matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
                self.visit_expr_mut(&mut b.left);
                return;
            }
            _ => {}
        }
        let awaited = match e {
            Expr::Try(t) => match strip(&t.expr) {
                Expr::Await(a) => Some(a.clone()),
                _ => None,
            },
            Expr::Await(a) => Some(a.clone()),
            _ => None,
        };
        let Some(mut a) = awaited else {
            syn::visit_mut::visit_expr_mut(self, e);
            return;
        };
        // Arguments first (Rust evaluates them before the call).
        if let Expr::Call(c) = &mut *a.base {
            for arg in c.args.iter_mut() {
                self.visit_expr_mut(arg);
            }
        }
        if is_prelude_call(&a) {
            return;
        }
        let Some(call) = self.parser.task_call(&a) else {
            return;
        };
        let n = self.parser.counter.get() + 1;
        self.parser.counter.set(n);
        let span = e.span();
        let ident = syn::Ident::new(&format!("__{}_result_{n}", call.ident()), span);
        self.parser.hoisted.borrow_mut().push(Stmt {
            kind: StmtKind::Bind {
                target: Target::Let(Binding::Ident(ident.clone(), None)),
                value: Value::Task(call),
            },
            label: None,
            span,
        });
        *e = syn::parse_quote_spanned!(span=> #ident);
    }
}

fn is_prelude_call(a: &syn::ExprAwait) -> bool {
    match strip(&a.base) {
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => p
                .path
                .segments
                .last()
                .is_some_and(|s| PRELUDE_ASYNC.contains(&s.ident.to_string().as_str())),
            _ => false,
        },
        _ => false,
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
        let outer = self.hoisted.take();
        let mut mine = Block::default();
        self.stmt_inner(stmt, last, tail, &mut mine);
        let hoisted = self.hoisted.replace(outer);
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
                let is_tail = last && semi.is_none() && !diverges;
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
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
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
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
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
                self.check_pure(&b.right);
                let op = compound_op(&b.op).expect("checked above");
                let left = &b.left;
                let right = &b.right;
                let combined: Expr = syn::parse_quote_spanned!(b.span()=> #left #op (#right));
                push(out, StmtKind::Bind { target: Target::Assign(var), value: Value::Pure(combined) });
            }
            Expr::MethodCall(m) if m.method == "push" && m.args.len() == 1 => {
                if let Some(var) = self.assign_target(&m.receiver) {
                    self.check_pure(&m.args[0]);
                    push(out, StmtKind::Push { var, value: m.args[0].clone() });
                }
            }
            Expr::While(w) => {
                let label = w.label.as_ref().map(|l| l.name.ident.to_string());
                // Not hoisted: a task call in a `while` condition must run on every iteration.
                self.check_pure(&w.cond);
                let cond = match &*w.cond {
                    Expr::Let(l) => Cond::Let((*l.pat).clone(), (*l.expr).clone()),
                    other => Cond::Expr(other.clone()),
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
                self.check_pure(start);
                self.check_pure(end);
                Some(ForIter::Range {
                    start: (**start).clone(),
                    end: (**end).clone(),
                    inclusive: matches!(r.limits, syn::RangeLimits::Closed(_)),
                })
            }
            Expr::MethodCall(m)
                if (m.method == "iter" || m.method == "into_iter") && m.args.is_empty() =>
            {
                self.check_pure(&m.receiver);
                Some(ForIter::Vec((*m.receiver).clone()))
            }
            Expr::Reference(r) => {
                self.check_pure(&r.expr);
                Some(ForIter::Vec((*r.expr).clone()))
            }
            other => {
                self.check_pure(other);
                Some(ForIter::Vec(other.clone()))
            }
        }
    }

    fn cond(&self, expr: &Expr) -> Cond {
        match expr {
            Expr::Let(l) => {
                self.check_pure(&l.expr);
                Cond::Let((*l.pat).clone(), (*l.expr).clone())
            }
            other => {
                let hoisted = self.hoist(other);
                self.check_pure(&hoisted);
                Cond::Expr(hoisted)
            }
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
            self.check_pure(arg);
            return Some(WaitFor::Timestamp(arg.clone()));
        }
        // Duration::from_secs(n) (also from_mins / from_hours, scaled).
        if let Expr::Call(d) = strip(arg)
            && let Expr::Path(dp) = &*d.func
        {
            let f = dp
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            let scale = match f.as_str() {
                "from_secs" => Some(1u64),
                "from_mins" => Some(60),
                "from_hours" => Some(3600),
                "from_days" => Some(86_400),
                _ => None,
            };
            if let (Some(scale), 1) = (scale, d.args.len()) {
                let n = &d.args[0];
                self.check_pure(n);
                let secs: Expr = if scale == 1 {
                    n.clone()
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
                    let segs: Vec<String> = p
                        .path
                        .segments
                        .iter()
                        .map(|s| s.ident.to_string())
                        .collect();
                    if segs.len() >= 2
                        && segs[segs.len() - 2] == "Failure"
                        && segs.last().unwrap() == "new"
                    {
                        if c.args.len() == 2 {
                            self.check_pure(&c.args[0]);
                            self.check_pure(&c.args[1]);
                            return FailValue::New {
                                error: c.args[0].clone(),
                                cause: c.args[1].clone(),
                            };
                        }
                    } else if is_variant_path(&segs) {
                        return FailValue::Variant {
                            path: segs,
                            span: c.span(),
                        };
                    }
                }
                self.check_pure(expr);
                FailValue::Failure(expr.clone())
            }
            Expr::Path(p) if p.path.segments.len() >= 2 => {
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                FailValue::Variant {
                    path: segs,
                    span: p.span(),
                }
            }
            Expr::Struct(s) if s.path.segments.len() >= 2 => {
                let segs: Vec<String> = s
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                FailValue::Variant {
                    path: segs,
                    span: s.span(),
                }
            }
            other => {
                self.check_pure(other);
                FailValue::Failure(other.clone())
            }
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
                let arg = self.hoist(arg);
                self.check_pure(&arg);
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
                            let v = self.value_in(nested, tail)?;
                            Some(Block {
                                stmts: vec![Stmt {
                                    kind: StmtKind::Value(v),
                                    label: None,
                                    span: nested.span(),
                                }],
                            })
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
                        if mac
                            .mac
                            .path
                            .segments
                            .last()
                            .is_some_and(|s| s.ident == "try_join" || s.ident == "map") =>
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
                self.check_pure(&m.expr);
                let arms = m
                    .arms
                    .iter()
                    .map(|arm| {
                        let (pat, guard) = split_guard(&arm.pat);
                        if let Some(g) = guard {
                            self.check_pure(g);
                        }
                        Arm {
                            pat: pat.clone(),
                            guard: guard.cloned(),
                            body: self.arm_body(&arm.body, tail),
                            span: arm.span(),
                        }
                    })
                    .collect();
                Some(Value::Match {
                    scrutinee: (*m.expr).clone(),
                    arms,
                })
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
                let hoisted = self.hoist(other);
                self.check_pure(&hoisted);
                Some(Value::Pure(hoisted))
            }
        }
    }

    fn arm_body(&self, body: &Expr, tail: Tail) -> Block {
        match body {
            Expr::Block(b) if b.label.is_none() => self.block(&b.block, tail),
            other => {
                let stmt = syn::Stmt::Expr(other.clone(), None);
                let block = syn::Block {
                    brace_token: Default::default(),
                    stmts: vec![stmt],
                };
                self.block(&block, tail)
            }
        }
    }

    /// `f(args).await` where `f` is a task.
    fn task_call(&self, a: &syn::ExprAwait) -> Option<TaskCall> {
        match strip(&a.base) {
            Expr::Call(call) => match &*call.func {
                Expr::Path(p) if p.qself.is_none() => {
                    // Task calls among the arguments run first, as in Rust.
                    let args: Vec<Expr> = call.args.iter().map(|a| self.hoist(a)).collect();
                    for arg in &args {
                        self.check_pure(arg);
                    }
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

    /// `match task(..).await { Ok(..) => .., Err(..) => .. }`.
    fn catch_match(&self, m: &syn::ExprMatch, call: BranchBody, tail: Tail) -> Option<Catch> {
        let mut ok = None;
        let mut errs = Vec::new();
        for arm in &m.arms {
            if let Pat::Guard(g) = &arm.pat {
                self.diag.error(
                    g.if_token.span,
                    "guards are not supported on the arms of a task `match`\n  = help: match the error by name (`Err(Error::Variant)`), or test inside the arm",
                );
                continue;
            }
            let body = self.arm_body(&arm.body, tail);
            match result_arm(&arm.pat) {
                Some(("Ok", inner)) => {
                    if ok.is_some() {
                        self.diag.error(arm.pat.span(), "only one `Ok(..)` arm is supported");
                        continue;
                    }
                    if let Some(b) = self.binding(inner, None) {
                        ok = Some((b, body));
                    }
                }
                Some(("Err", inner)) => {
                    if let Some(arm) = self.err_arm(inner, body, arm.span()) {
                        errs.push(arm);
                    }
                }
                _ => self.diag.error(
                    arm.pat.span(),
                    "the arms of a task `match` are `Ok(value) => ..` and `Err(Error::Variant) => ..` / `Err(e) => ..`",
                ),
            }
        }
        if ok.is_none() {
            self.diag
                .error(m.span(), "a task `match` needs an `Ok(value) => ..` arm");
        }
        Some(Catch { call, ok, errs })
    }

    /// `if let Err(e) = task(..).await { .. } [else { .. }]` and `if let Ok(v) = task(..).await { .. } else { .. }`.
    fn if_let_catch(&self, l: &syn::ExprLet, i: &syn::ExprIf, tail: Tail) -> Option<Catch> {
        let Expr::Await(a) = strip(&l.expr) else {
            return None;
        };
        if self.wait(a).is_some() {
            return None;
        }
        let (which, inner) = result_arm(&l.pat)?;
        let call = self.catch_target(a)?;
        let then = self.block(&i.then_branch, tail);
        let otherwise = match &i.else_branch {
            Some((_, e)) => match &**e {
                Expr::Block(b) => self.block(&b.block, tail),
                other => {
                    self.diag
                        .error(other.span(), "use a block after `else` here");
                    Block::default()
                }
            },
            None => Block::default(),
        };
        if which == "Err" {
            let err = self.err_arm(inner, then, l.span())?;
            Some(Catch {
                call,
                ok: Some((Binding::Wild, otherwise)),
                errs: vec![err],
            })
        } else {
            let binding = self.binding(inner, None)?;
            let err = ErrArm {
                errors: Vec::new(),
                binding: None,
                body: otherwise,
                span: i.span(),
            };
            Some(Catch {
                call,
                ok: Some((binding, then)),
                errs: vec![err],
            })
        }
    }

    fn err_arm(&self, pat: &Pat, body: Block, span: Span) -> Option<ErrArm> {
        match pat {
            Pat::Ident(pi) if pi.subpat.is_none() => Some(ErrArm {
                errors: Vec::new(),
                binding: Some(pi.ident.clone()),
                body,
                span,
            }),
            Pat::Wild(_) => Some(ErrArm {
                errors: Vec::new(),
                binding: None,
                body,
                span,
            }),
            Pat::Or(o) => {
                let mut errors = Vec::new();
                for case in &o.cases {
                    errors.push(self.error_match(case)?);
                }
                Some(ErrArm {
                    errors,
                    binding: None,
                    body,
                    span,
                })
            }
            other => Some(ErrArm {
                errors: vec![self.error_match(other)?],
                binding: None,
                body,
                span,
            }),
        }
    }

    fn error_match(&self, pat: &Pat) -> Option<ErrorMatch> {
        let path = match pat {
            Pat::Path(p) => &p.path,
            Pat::TupleStruct(t)
                if t.elems
                    .iter()
                    .all(|e| matches!(e, Pat::Rest(_) | Pat::Wild(_))) =>
            {
                &t.path
            }
            Pat::Struct(s) if s.fields.is_empty() => &s.path,
            other => {
                self.diag.error(
                    other.span(),
                    "an error is caught by name: `Err(Error::Variant)`, `Err(Error::A | Error::B)`, or `Err(e)` for any error\n  = help: the data of an error variant is not available to a Catch; read `e.cause` instead",
                );
                return None;
            }
        };
        if path.segments.len() < 2 {
            self.diag.error(
                path.span(),
                "name the error with its type: `Err(Error::Variant)`",
            );
            return None;
        }
        Some(ErrorMatch {
            path: path.segments.iter().map(|s| s.ident.to_string()).collect(),
            span: path.span(),
        })
    }

    /// Rejects task calls, awaits, `?`, closures, blocks and macros other than the pure ones inside an
    /// expression that must be pure (its translation gives the finer errors).
    pub fn check_pure(&self, expr: &Expr) {
        let mut v = Impure { diag: self.diag };
        v.visit_expr(expr);
    }
}

struct Impure<'a> {
    diag: &'a Diagnostics,
}

impl<'ast> Visit<'ast> for Impure<'_> {
    fn visit_expr_await(&mut self, a: &'ast syn::ExprAwait) {
        self.diag.error(
            a.span(),
            "a task call cannot be nested inside an expression\n  = help: bind its result first: `let value = task(..).await?;`",
        );
    }
    fn visit_expr_try(&mut self, t: &'ast syn::ExprTry) {
        self.diag.error(
            t.question_token.span,
            "`?` is only supported on a task call: `let v = task(..).await?;`",
        );
    }
    fn visit_expr_async(&mut self, a: &'ast syn::ExprAsync) {
        self.diag.error(a.span(), "async blocks are not supported inside an expression\n  = help: call the tasks as statements");
    }
    // Closures and `unsafe` are reported by the expression translator, once.
    fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
        self.diag.error(
            l.span(),
            "a loop cannot be part of an expression\n  = help: write the loop as a statement",
        );
    }
    fn visit_expr_while(&mut self, l: &'ast syn::ExprWhile) {
        self.diag.error(
            l.span(),
            "a loop cannot be part of an expression\n  = help: write the loop as a statement",
        );
    }
    fn visit_expr_for_loop(&mut self, l: &'ast syn::ExprForLoop) {
        self.diag.error(
            l.span(),
            "a loop cannot be part of an expression\n  = help: write the loop as a statement",
        );
    }
    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        self.diag.error(
            a.span(),
            "an assignment cannot be part of an expression\n  = help: write it as a statement",
        );
    }
    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        self.diag
            .error(r.span(), "`return` cannot be part of an expression");
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

/// Parentheses and groups are transparent.
pub fn strip(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        other => other,
    }
}

fn is_task_value(expr: &Expr) -> bool {
    match strip(expr) {
        Expr::Try(t) => matches!(strip(&t.expr), Expr::Await(_)),
        Expr::Await(a) => match strip(&a.base) {
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => !p
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| PRELUDE_ASYNC.contains(&s.ident.to_string().as_str())),
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
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
