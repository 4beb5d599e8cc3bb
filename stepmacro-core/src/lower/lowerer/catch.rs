//! Catches: a task call (or a Parallel, a Map, an async block) whose outcome a `match` inspects.
//!
//! Rust tries the arms in source order. The Task's success (`Next`) can only reach `Ok(..)` and `_`
//! arms, its errors (`Catch`) only `Err(..)` and `_` arms, so each side is dispatched on its own, in
//! that order:
//!
//! * Errors. Unguarded arms before the first guarded one become one Catcher each (`ErrorEquals` from
//!   their names, `States.ALL` for a catch-all), exactly as ASL's first-match Catch list tries them.
//!   From the first guarded arm on, one last Catcher takes every remaining error into a Choice whose
//!   rules test, arm by arm, the error's name and the guard (with the arm's binding standing for the
//!   caught `Failure`): a failing guard falls to the next arm, as in Rust. Rust makes a `match` on a
//!   task's `Result` exhaustive through an arm that takes every error (`Err(e)`, `_`), which is the
//!   Choice's Default; without one the error could not propagate the way Rust's would, so it is a
//!   compile error.
//! * Success. A first arm that takes every value without a guard (`Ok(v)`, `Ok((a, b))`, `Ok(_)`, `_`)
//!   binds straight from the Task's result. Otherwise the result is assigned to a variable and a Choice
//!   tests each `Ok(pattern) if guard` in order (patterns as in a plain `match`); the last arm without
//!   a guard is the Default.
//!
//! Every arm's body is lowered once, whichever side (or both, for `_`) reaches it.

use std::collections::BTreeMap;

use super::{Dest, EdgeScope, Lowerer, VarInfo};
use crate::asl;
use crate::front::types::Ty;
use crate::ir::{Binding, Catch, CatchArm, CatchPat, Stmt};
use crate::lower::edges::{Edge, Slot};
use crate::lower::expr::Typed;
use crate::lower::jsonata::string_literal;
use crate::lower::pattern::pattern_condition;
use crate::lower::states;

/// The ways into one arm's body, and the variables its bindings live in.
#[derive(Default)]
struct ArmEntry {
    edges: Vec<Edge>,
    /// Rust name → ASL variable and type, declared for the body.
    vars: Vec<(String, VarInfo)>,
}

/// The errors an arm takes: `None` = every error, else their ASL names.
type Takes = Option<Vec<String>>;

/// An arm tested against a value: its condition (`None`: it takes every value) and its bindings.
type ArmTest = (Option<String>, Vec<(String, Typed)>);

impl Lowerer<'_> {
    /// `match task(..).await { .. }` / `if let Err(e) = task(..).await { .. }`.
    pub(super) fn catch(
        &mut self,
        stmt: &Stmt,
        catch: &Catch,
        edges: Vec<Edge>,
        dest: &Dest,
    ) -> Vec<Edge> {
        let (name, absorbed, result_code, result_ty) = self.target_state(stmt, &catch.call, edges);
        let base = absorbed.map(|a| a.assign).unwrap_or_default();
        let mut entries: Vec<ArmEntry> = catch.arms.iter().map(|_| ArmEntry::default()).collect();
        self.catch_success(&name, catch, &base, &result_code, &result_ty, &mut entries);
        self.catch_errors(&name, catch, &base, &mut entries);
        let mut out = Vec::new();
        for (arm, entry) in catch.arms.iter().zip(entries) {
            if entry.edges.is_empty() {
                if catch.arm_rejected {
                    continue;
                }
                self.diag.error(
                    arm.span,
                    "this arm is unreachable: earlier arms take every outcome it matches",
                );
                continue;
            }
            self.scopes.push(BTreeMap::new());
            let scope = self.scopes.last_mut().expect("scope");
            for (rust, info) in entry.vars {
                scope.insert(rust, info);
            }
            out.extend(self.block(&arm.body, entry.edges, dest));
            self.scopes.pop();
        }
        out
    }

    /// The success side: the Task's `Next` into the `Ok(..)`/`_` arms.
    fn catch_success(
        &mut self,
        name: &str,
        catch: &Catch,
        base: &BTreeMap<String, String>,
        result_code: &str,
        result_ty: &Ty,
        entries: &mut [ArmEntry],
    ) {
        let ok_arms: Vec<usize> = (0..catch.arms.len())
            .filter(|&i| matches!(catch.arms[i].pat, CatchPat::Ok(_) | CatchPat::Any))
            .collect();
        let Some(&first) = ok_arms.first() else {
            // The front end reported the missing `Ok(..)` arm.
            return;
        };
        let mut next = Edge::new(name, Slot::Next);
        next.assign = base.clone();
        let direct = match &catch.arms[first] {
            CatchArm { guard: Some(_), .. } => None,
            CatchArm {
                pat: CatchPat::Ok(p),
                ..
            } => irrefutable(p),
            _ => Some(Binding::Wild),
        };
        if let Some(binding) = direct {
            // Straight from the result, no Choice.
            let vars = self.bind_result(&binding, result_code, result_ty, &mut next);
            entries[first].edges.push(next);
            entries[first].vars = vars;
            return;
        }
        let result = self.var_names.variable("result");
        let scrutinee = Typed {
            code: format!("${result}"),
            ty: result_ty.clone(),
        };
        let mut rules = Vec::new();
        let mut default = None;
        for (n, &i) in ok_arms.iter().enumerate() {
            let arm = &catch.arms[i];
            let Some((mut cond, bindings)) = self.ok_test(arm, &scrutinee) else {
                continue;
            };
            // Rust checks exhaustiveness: the last arm without a guard takes whatever reaches it.
            if n + 1 == ok_arms.len() && arm.guard.is_none() {
                cond = None;
            }
            match cond {
                Some(c) => rules.push((c, i, bindings)),
                None => {
                    default = Some((i, bindings));
                    break;
                }
            }
        }
        if rules.is_empty() {
            // The first arm takes every value (`Ok(Item { id, .. })`): no Choice, its bindings read
            // the result itself.
            if let Some((i, _)) = default {
                let direct = Typed {
                    code: result_code.to_owned(),
                    ty: result_ty.clone(),
                };
                if let Some((_, bindings)) = self.ok_test(&catch.arms[i], &direct) {
                    entries[i].vars = self.bind_all(bindings, &mut next);
                }
                entries[i].edges.push(next);
            }
            return;
        }
        next.assign.insert(result.clone(), result_code.to_owned());
        if default.is_none() && !catch.arm_rejected {
            self.diag.error(
                catch.arms[*ok_arms.last().expect("one")].span,
                "the arms of this task `match` do not take every success value\n  = help: end them with an arm without a guard: `Ok(v) => ..` or `_ => ..`",
            );
        }
        let conditions = rules.iter().map(|(c, _, _)| c.clone()).collect();
        let choice = self.names.state(&format!("Match {name} result"));
        self.graph.add(&choice, states::choice(conditions));
        self.graph.connect(&next, &choice);
        let targets = rules
            .into_iter()
            .enumerate()
            .map(|(r, (_, i, b))| (Slot::Rule(r), i, b))
            .chain(default.map(|(i, b)| (Slot::Default, i, b)));
        for (slot, i, bindings) in targets {
            let mut edge = Edge::new(&choice, slot);
            entries[i].vars = self.bind_all(bindings, &mut edge);
            entries[i].edges.push(edge);
        }
    }

    /// An `Ok(..)`/`_` arm tested against the result `scrutinee`: its condition (pattern and guard;
    /// `None` when it takes every value) and its bindings. `None` when the pattern is in error.
    fn ok_test(&mut self, arm: &CatchArm, scrutinee: &Typed) -> Option<ArmTest> {
        let (mut cond, bindings) = match &arm.pat {
            CatchPat::Ok(p) => {
                let scope = EdgeScope {
                    scopes: &self.scopes,
                    edge: None,
                    extra: &[],
                };
                match pattern_condition(p, scrutinee, &scope, &self.ctx.types) {
                    Ok(test) => (
                        test.condition,
                        test.bindings
                            .into_iter()
                            .map(|(id, t)| (id.to_string(), t))
                            .collect::<Vec<_>>(),
                    ),
                    Err(e) => {
                        self.diag.push(e);
                        return None;
                    }
                }
            }
            _ => (None, Vec::new()),
        };
        if let Some(g) = &arm.guard {
            let g = self.guard(g, &bindings);
            cond = Some(match cond {
                Some(c) => format!("({c}) and ({g})"),
                None => g,
            });
        }
        Some((cond, bindings))
    }

    /// Assigns each binding on `edge` to a fresh variable; returns them for the arm's scope.
    fn bind_all(
        &mut self,
        bindings: Vec<(String, Typed)>,
        edge: &mut Edge,
    ) -> Vec<(String, VarInfo)> {
        let mut vars = Vec::new();
        for (rust, t) in bindings {
            let asl = self.var_names.variable(&rust);
            edge.assign.insert(asl.clone(), t.code);
            vars.push((rust, VarInfo { asl, ty: t.ty }));
        }
        vars
    }

    /// Binds an irrefutable `Ok(..)` pattern on `edge` from the result.
    fn bind_result(
        &mut self,
        binding: &Binding,
        result_code: &str,
        result_ty: &Ty,
        edge: &mut Edge,
    ) -> Vec<(String, VarInfo)> {
        match binding {
            Binding::Ident(id, ty) => {
                let ty = ty
                    .as_ref()
                    .map(Ty::from_syn)
                    .unwrap_or_else(|| result_ty.clone());
                let asl = self.var_names.variable(&id.to_string());
                edge.assign.insert(asl.clone(), result_code.to_owned());
                vec![(id.to_string(), VarInfo { asl, ty })]
            }
            Binding::Wild => Vec::new(),
            Binding::Tuple(parts) => {
                let tmp = self.var_names.variable("result");
                edge.assign.insert(tmp.clone(), result_code.to_owned());
                // `bind_tuple_from` declares into the innermost scope: collect from a scratch one.
                self.scopes.push(BTreeMap::new());
                self.bind_tuple_from(parts, &tmp, "", std::slice::from_mut(edge));
                let scope = self.scopes.pop().expect("scope");
                scope.into_iter().collect()
            }
        }
    }

    /// The error side: Catchers into the `Err(..)`/`_` arms.
    fn catch_errors(
        &mut self,
        name: &str,
        catch: &Catch,
        base: &BTreeMap<String, String>,
        entries: &mut [ArmEntry],
    ) {
        let mut catchers: Vec<Vec<String>> = Vec::new();
        let mut direct: Vec<usize> = Vec::new();
        let mut chosen: Vec<(usize, Takes)> = Vec::new();
        let mut caught_all = false;
        for (i, arm) in catch.arms.iter().enumerate() {
            let takes = match &arm.pat {
                CatchPat::Ok(_) => continue,
                CatchPat::Any => None,
                CatchPat::Err { errors, .. } if errors.is_empty() => None,
                CatchPat::Err { errors, .. } => {
                    let names: Vec<String> = errors
                        .iter()
                        .map(|m| {
                            crate::lower::task::error_name(&m.path, m.span, self.ctx, self.diag)
                        })
                        .collect();
                    if names.iter().any(|n| n == asl::STATES_ALL) {
                        None
                    } else {
                        Some(names)
                    }
                }
            };
            if caught_all {
                // Unreachable for errors; a `_` may still take success values.
                continue;
            }
            let all = takes.is_none() && arm.guard.is_none();
            if chosen.is_empty() && arm.guard.is_none() {
                catchers.push(takes.unwrap_or_else(|| vec![asl::STATES_ALL.to_owned()]));
                direct.push(i);
            } else {
                chosen.push((i, takes));
            }
            caught_all = all;
        }
        if !chosen.is_empty() && !caught_all && !catch.arm_rejected {
            let (last, _) = chosen.last().expect("one");
            self.diag.error(
                catch.arms[*last].span,
                "the arms of this task `match` do not take every error: an error that no arm takes could not propagate as it does in Rust\n  = help: end them with an arm without a guard that takes every error: `Err(e) => ..` or `_ => ..`",
            );
        }
        if !chosen.is_empty() {
            catchers.push(vec![asl::STATES_ALL.to_owned()]);
        }
        states::set_catchers(self.graph.get_mut(name), &catchers);
        for (slot, &i) in direct.iter().enumerate() {
            let mut edge = Edge::new(name, Slot::Catch(slot));
            edge.assign = base.clone();
            if let CatchPat::Err {
                binding: Some(b), ..
            } = &catch.arms[i].pat
            {
                let asl = self.var_names.variable(&b.to_string());
                edge.assign
                    .insert(asl.clone(), "$states.errorOutput".to_owned());
                entries[i].vars = vec![(
                    b.to_string(),
                    VarInfo {
                        asl,
                        ty: Ty::Failure,
                    },
                )];
            }
            entries[i].edges.push(edge);
        }
        if chosen.is_empty() {
            return;
        }
        // The guarded part: one Catcher for the rest into a Choice over the remaining arms.
        let first_binding = chosen.iter().find_map(|(i, _)| match &catch.arms[*i].pat {
            CatchPat::Err {
                binding: Some(b), ..
            } => Some(b.to_string()),
            _ => None,
        });
        let caught = self
            .var_names
            .variable(first_binding.as_deref().unwrap_or("error"));
        let mut edge = Edge::new(name, Slot::Catch(direct.len()));
        edge.assign = base.clone();
        edge.assign
            .insert(caught.clone(), "$states.errorOutput".to_owned());
        let failure = Typed {
            code: format!("${caught}"),
            ty: Ty::Failure,
        };
        let mut rules = Vec::new();
        let mut default = None;
        for (i, takes) in &chosen {
            let arm = &catch.arms[*i];
            // Every binding of these arms is the caught error itself: they share its variable.
            let bound: Vec<(String, Typed)> = match &arm.pat {
                CatchPat::Err {
                    binding: Some(b), ..
                } => vec![(b.to_string(), failure.clone())],
                _ => Vec::new(),
            };
            let mut parts = Vec::new();
            if let Some(names) = takes {
                parts.push(error_test(&failure.code, names));
            }
            if let Some(g) = &arm.guard {
                parts.push(self.guard(g, &bound));
            }
            entries[*i].vars = bound
                .into_iter()
                .map(|(rust, _)| {
                    let info = VarInfo {
                        asl: caught.clone(),
                        ty: Ty::Failure,
                    };
                    (rust, info)
                })
                .collect();
            match parts.len() {
                0 => {
                    default = Some(*i);
                    break;
                }
                1 => rules.push((parts.pop().expect("one"), *i)),
                _ => rules.push((format!("({}) and ({})", parts[0], parts[1]), *i)),
            }
        }
        let conditions = rules.iter().map(|(c, _)| c.clone()).collect();
        let choice = self.names.state(&format!("Match {name} error"));
        self.graph.add(&choice, states::choice(conditions));
        self.graph.connect(&edge, &choice);
        for (r, (_, i)) in rules.into_iter().enumerate() {
            entries[i].edges.push(Edge::new(&choice, Slot::Rule(r)));
        }
        if let Some(i) = default {
            entries[i].edges.push(Edge::new(&choice, Slot::Default));
        }
    }

    /// A guard's JSONata condition, `bound` standing for the arm's bindings.
    fn guard(&mut self, guard: &syn::Expr, bound: &[(String, Typed)]) -> String {
        let t = self.expr_on(guard, None, bound, true);
        if !matches!(t.ty, Ty::Bool | Ty::Unknown | Ty::Json) {
            self.diag.error(
                syn::spanned::Spanned::span(guard),
                format!("a guard must be a bool, this is `{}`", t.ty),
            );
        }
        t.code
    }
}

/// Does the caught error (`failure`, a `{Error, Cause}` code) have one of these names? ASL's
/// `States.TaskFailed` matcher takes every error but `States.Timeout`; the test does the same.
fn error_test(failure: &str, names: &[String]) -> String {
    let mut plain = Vec::new();
    let mut tests = Vec::new();
    for n in names {
        if n == "States.TaskFailed" {
            tests.push(format!("{failure}.Error != 'States.Timeout'"));
        } else if !plain.contains(n) {
            plain.push(n.clone());
        }
    }
    match plain.as_slice() {
        [] => {}
        [one] => tests.insert(0, format!("{failure}.Error = {}", string_literal(one))),
        many => {
            let list: Vec<String> = many.iter().map(|n| string_literal(n)).collect();
            tests.insert(0, format!("{failure}.Error in [{}]", list.join(", ")));
        }
    }
    if tests.len() == 1 {
        tests.pop().expect("one")
    } else {
        format!("({})", tests.join(" or "))
    }
}

/// An `Ok(..)` pattern that takes every value (a name, `_`, a tuple of those) as a `let` binding.
fn irrefutable(pat: &syn::Pat) -> Option<Binding> {
    match pat {
        syn::Pat::Ident(pi)
            if pi.subpat.is_none()
                && pi.by_ref.is_none()
                && !pi.ident.to_string().starts_with(char::is_uppercase) =>
        {
            Some(Binding::Ident(pi.ident.clone(), None))
        }
        syn::Pat::Wild(_) => Some(Binding::Wild),
        syn::Pat::Paren(p) => irrefutable(&p.pat),
        syn::Pat::Tuple(t) => t
            .elems
            .iter()
            .map(irrefutable)
            .collect::<Option<Vec<_>>>()
            .map(Binding::Tuple),
        _ => None,
    }
}
