//! Task calls nested in expressions, and what must stay pure.
//!
//! A task call inside an expression (`v.push(check(x).await?)`, `a + count(b).await?`,
//! `Ok(Wrap(task(x).await?))`) becomes a statement of its own that runs just before the expression's
//! statement, its result bound to a fresh variable that the expression then reads. Calls are hoisted in
//! Rust's evaluation order (a method's receiver before its arguments, operands and arguments left to
//! right, a call's arguments before the call), which is exact because nothing else in a pure expression
//! has an effect: task calls cannot change the workflow's variables.
//!
//! Hoisting is only sound where the call runs exactly once, when its statement runs. A call that Rust
//! may skip or repeat stays where it is and is reported, with a hint saying how to write it:
//! the right operand of `&&`/`||` (short-circuit), a closure body, a branch of an `if`/`match` that is
//! part of a larger expression, a `while` condition (evaluated on every iteration), a match guard.
//!
//! Every expression that ends up in the IR as pure goes through [`BodyParser::pure`] (hoist, then check)
//! or [`BodyParser::checked`] (check only). The check reports what remains impure and replaces each
//! reported task call with a placeholder (see [`reported`]) that the expression translator accepts
//! silently, so one mistake gives one error.

use proc_macro2::Span;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{BinOp, Expr, Token};

use super::{BodyParser, is_prelude_call};
use crate::front::syntax::{last_segment, strip};
use crate::ir::{Binding, Stmt, StmtKind, Target, Value};

/// The identifier of the placeholder that stands for an expression already reported as an error.
const REPORTED: &str = "__stepmacro_reported";

/// A placeholder for an expression whose error is already reported: the translator reads it as an
/// unknown value without a second error.
pub fn reported(span: Span) -> Expr {
    let ident = syn::Ident::new(REPORTED, span);
    Expr::Verbatim(ident.into_token_stream())
}

/// Is `expr` a [`reported`] placeholder?
pub fn is_reported(expr: &Expr) -> bool {
    match expr {
        Expr::Verbatim(tokens) => {
            let mut it = tokens.clone().into_iter();
            matches!((it.next(), it.next()), (Some(proc_macro2::TokenTree::Ident(i)), None) if i == REPORTED)
        }
        _ => false,
    }
}

/// Where an expression that is checked but not hoisted is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// A `while` condition: evaluated before every iteration.
    WhileCond,
    /// A match guard: evaluated only when its pattern matches.
    Guard,
}

/// Why a task call could not be hoisted: the innermost construct that may skip or repeat it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    /// Not hoisted for another reason (a sleep, a task call the front end could not read).
    None,
    ShortCircuit(&'static str),
    Closure,
    Branch,
    Block,
    Place(Place),
}

impl BodyParser<'_> {
    /// An expression evaluated once, where its statement runs: its task calls are hoisted (see the
    /// module documentation), what remains is checked.
    pub(super) fn pure(&self, expr: &Expr) -> Expr {
        let hoisted = self.hoist(expr);
        self.check(&hoisted, Reason::None)
    }

    /// An expression evaluated at `place`: nothing is hoisted, task calls in it are reported.
    pub(super) fn checked(&self, expr: &Expr, place: Place) -> Expr {
        self.check(expr, Reason::Place(place))
    }

    /// Moves the task calls of `expr` that always run into statements of their own (see the module
    /// documentation); returns the expression reading their results.
    fn hoist(&self, expr: &Expr) -> Expr {
        let mut e = expr.clone();
        let mut h = Hoister { parser: self };
        h.visit_expr_mut(&mut e);
        e
    }

    /// Runs `f` with its own list of hoisted statements, returned beside its result (for the parts of a
    /// statement that run on their own path, like the condition of an `else if`).
    pub(super) fn hoisting_apart<T>(&self, f: impl FnOnce() -> T) -> (Vec<Stmt>, T) {
        let outer = self.hoisted.take();
        let outer_counts = self.hoist_counts.take();
        let out = f();
        let mine = self.hoisted.replace(outer);
        self.hoist_counts.replace(outer_counts);
        (mine, out)
    }

    fn check(&self, expr: &Expr, place: Reason) -> Expr {
        let mut e = expr.clone();
        let mut c = Checker {
            parser: self,
            place,
            region: Reason::None,
        };
        c.visit_expr_mut(&mut e);
        e
    }

    /// Binds a hoisted task call to a fresh variable (`__fetch_result`, `__fetch_result_2` for a
    /// statement's second call of `fetch`); returns the expression that reads it.
    ///
    /// The name is unique within its statement, which is all it needs: the statement's expression reads
    /// the latest binding of each name, and a later statement's calls shadow these. Counting per
    /// statement keeps the names (and the state names made from them, `If_fetch_result_gt_2`) stable
    /// when calls are added elsewhere in the workflow.
    fn hoisted_call(&self, call: crate::ir::TaskCall, span: Span) -> Expr {
        let task = call.ident();
        let n = {
            let mut counts = self.hoist_counts.borrow_mut();
            let n = counts.entry(task.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let name = if n == 1 {
            format!("__{task}_result")
        } else {
            format!("__{task}_result_{n}")
        };
        let ident = syn::Ident::new(&name, span);
        self.hoisted.borrow_mut().push(Stmt {
            kind: StmtKind::Bind {
                target: Target::Let(Binding::Ident(ident.clone(), None)),
                value: Value::Task(call),
            },
            label: None,
            span,
        });
        syn::parse_quote_spanned!(span=> #ident)
    }
}

/// The hoisting walk: stops where a call might not run exactly once.
struct Hoister<'p, 'a> {
    parser: &'p BodyParser<'a>,
}

impl VisitMut for Hoister<'_, '_> {
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
            Expr::Macro(m) => {
                for_macro_args(&mut m.mac, |arg| self.visit_expr_mut(arg));
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
        let span = e.span();
        *e = match self.parser.task_call(&a) {
            Some(call) => self.parser.hoisted_call(call, span),
            // Reported by `task_call`.
            None => reported(span),
        };
    }
}

/// The arguments of the macros whose arguments are expressions the translator reads (`vec![a, b]`,
/// `format!("..", a, b)`), each given to `f`, then written back.
fn for_macro_args(mac: &mut syn::Macro, mut f: impl FnMut(&mut Expr)) {
    if !matches!(last_segment(&mac.path).as_str(), "vec" | "format") {
        return;
    }
    let Ok(mut args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) else {
        return;
    };
    for arg in args.iter_mut() {
        f(arg);
    }
    mac.tokens = args.to_token_stream();
}

/// The check of what must be pure: reports task calls left after hoisting (saying why they could not
/// be hoisted), `?`, async blocks, loops, assignments and `return`s. Closures and `unsafe` are left to
/// the expression translator, which reports them once.
struct Checker<'p, 'a> {
    parser: &'p BodyParser<'a>,
    /// Where the whole expression is evaluated ([`Reason::None`]: once, its calls hoisted).
    place: Reason,
    /// The innermost construct being walked that may skip or repeat a call.
    region: Reason,
}

impl Checker<'_, '_> {
    fn within(&mut self, region: Reason, f: impl FnOnce(&mut Self)) {
        let saved = self.region;
        self.region = region;
        f(self);
        self.region = saved;
    }

    fn report_call(&self, span: Span, a: &syn::ExprAwait) {
        let reason = match self.place {
            Reason::None => self.region,
            place => place,
        };
        let msg = match reason {
            _ if is_prelude_call(a) => {
                "a sleep has no value\n  = help: write it as a statement of its own: `sleep(..).await;`"
                    .to_owned()
            }
            Reason::ShortCircuit(op) => {
                let when = if op == "&&" { "true" } else { "false" };
                format!(
                    "this task call runs only when the left operand of `{op}` is {when} (`{op}` short-circuits), so it cannot be called before the expression\n  = help: test the left operand first: `if .. {{ let v = task(..).await?; .. }}`"
                )
            }
            Reason::Closure => "a task call inside a closure cannot run in a state machine (a closure may run any number of times)\n  = help: call the task in a `for` loop, or per item with `map!(items, |item| async move { .. })`".to_owned(),
            Reason::Branch => "a task call inside an `if`/`match` that is part of a larger expression runs only on its branch, so it cannot be called before the expression\n  = help: bind the `if`/`match` first: `let v = if .. { task(..).await? } else { .. };`".to_owned(),
            Reason::Block => "a task call inside a block that is part of an expression cannot be hoisted\n  = help: bind its result first: `let value = task(..).await?;`".to_owned(),
            Reason::Place(Place::WhileCond) => "a task call in a `while` condition runs before every iteration, so it cannot be called once before the loop\n  = help: write `loop { let go = task(..).await?; if !go { break; } .. }`".to_owned(),
            Reason::Place(Place::Guard) => "a task call in a match guard runs only when its pattern matches, so it cannot be called before the `match`\n  = help: call the task inside the arm's body, or before the `match`".to_owned(),
            Reason::None => "a task call cannot be nested inside this expression\n  = help: bind its result first: `let value = task(..).await?;`".to_owned(),
        };
        self.parser.diag.error(span, msg);
    }
}

impl VisitMut for Checker<'_, '_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if is_reported(e) {
            return;
        }
        let span = e.span();
        match e {
            Expr::Await(a) => {
                self.report_call(span, a);
                *e = reported(span);
            }
            Expr::Try(t) => {
                if let Expr::Await(a) = strip(&t.expr) {
                    self.report_call(span, a);
                } else {
                    self.parser.diag.error(
                        t.question_token.span,
                        "`?` is only supported on a task call: `let v = task(..).await?;`",
                    );
                }
                *e = reported(span);
            }
            Expr::Binary(b) if matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
                self.visit_expr_mut(&mut b.left);
                let op = if matches!(b.op, BinOp::And(_)) {
                    "&&"
                } else {
                    "||"
                };
                self.within(Reason::ShortCircuit(op), |c| c.visit_expr_mut(&mut b.right));
            }
            Expr::Closure(c) => self.within(Reason::Closure, |v| v.visit_expr_mut(&mut c.body)),
            Expr::If(_) | Expr::Match(_) => self.within(Reason::Branch, |v| {
                syn::visit_mut::visit_expr_mut(v, e);
            }),
            Expr::Block(_) => self.within(Reason::Block, |v| syn::visit_mut::visit_expr_mut(v, e)),
            Expr::Macro(m) => for_macro_args(&mut m.mac, |arg| self.visit_expr_mut(arg)),
            Expr::Async(a) => self.parser.diag.error(
                a.span(),
                "async blocks are not supported inside an expression\n  = help: call the tasks as statements",
            ),
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => self.parser.diag.error(
                e.span(),
                "a loop cannot be part of an expression\n  = help: write the loop as a statement",
            ),
            Expr::Assign(a) => self.parser.diag.error(
                a.span(),
                "an assignment cannot be part of an expression\n  = help: write it as a statement",
            ),
            Expr::Return(r) => self
                .parser
                .diag
                .error(r.span(), "`return` cannot be part of an expression"),
            _ => syn::visit_mut::visit_expr_mut(self, e),
        }
    }
}
