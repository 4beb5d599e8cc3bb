//! Statements → states: the control-flow half of the lowering.
//!
//! The lowering walks the IR with a set of open [`Edge`]s (where control currently is) and returns the
//! edges that leave each statement. A statement that needs a state creates it and connects the incoming
//! edges to it; a pure statement only extends the edges' pending `Assign`. See `edges.rs` for why.

mod catch;
mod concurrency;

use std::collections::BTreeMap;

use proc_macro2::Span;
use syn::spanned::Spanned;

use super::edges::{Edge, Slot};
use super::expr::{Scope, Typed, translate};
use super::jsonata::{embed, string_literal};
use super::naming::Names;
use super::pattern::pattern_condition;
use super::states::{self, StateGraph};
use crate::asl;
use crate::context::CrateContext;
use crate::front::diagnostics::Diagnostics;
use crate::front::types::Ty;
use crate::front::workflow::WorkflowKind;
use crate::ir::{
    Binding, Block, Cond, FailValue, ForIter, Stmt, StmtKind, Target, TaskCall, Value, WaitFor,
};

/// A `match` arm as a Choice rule: its condition (`None` = the Default), its bindings, the arm.
type ArmRule<'a> = (Option<String>, Vec<(String, Typed)>, &'a crate::ir::Arm);

/// Where a value-producing construct puts its value.
#[derive(Clone, Debug)]
enum Dest {
    /// Into this ASL variable (of this type).
    Var(String),
    /// Nowhere (tasks still run).
    Discard,
}

#[derive(Clone, Debug)]
struct VarInfo {
    asl: String,
    ty: Ty,
}

/// A loop being lowered: where `break`/`continue` edges collect.
struct LoopFrame {
    label: Option<String>,
    breaks: Vec<Edge>,
    continues: Vec<Edge>,
}

pub struct Lowerer<'a> {
    pub ctx: &'a CrateContext,
    pub diag: &'a Diagnostics,
    pub graph: StateGraph,
    pub names: Names,
    pub var_names: Names,
    pub kind: WorkflowKind,
    scopes: Vec<BTreeMap<String, VarInfo>>,
    /// Scopes below this index belong to an enclosing state machine (we are inside a Parallel branch
    /// or a Map iteration): readable, never assignable (ASL forbids assigning outer variables).
    barrier: usize,
    loops: Vec<LoopFrame>,
    /// Rust names of the tasks called, in first-call order.
    pub tasks_called: Vec<String>,
}

/// Resolves Rust locals against the variable scopes, as seen after an edge (pending values inlined),
/// plus extra bindings (pattern bindings in a guard, `$states.*` names).
struct EdgeScope<'s> {
    scopes: &'s [BTreeMap<String, VarInfo>],
    edge: Option<&'s Edge>,
    extra: &'s [(String, Typed)],
}

impl Scope for EdgeScope<'_> {
    fn lookup(&self, ident: &str) -> Option<Typed> {
        if let Some((_, t)) = self.extra.iter().rev().find(|(n, _)| n == ident) {
            return Some(t.clone());
        }
        let info = self.scopes.iter().rev().find_map(|s| s.get(ident))?;
        let code = match self.edge {
            Some(e) => e.value_of(&info.asl),
            None => format!("${}", info.asl),
        };
        Some(Typed {
            code,
            ty: info.ty.clone(),
        })
    }
}

impl<'a> Lowerer<'a> {
    pub fn new(ctx: &'a CrateContext, diag: &'a Diagnostics, kind: WorkflowKind) -> Self {
        Lowerer {
            ctx,
            diag,
            graph: StateGraph::default(),
            names: Names::default(),
            var_names: Names::default(),
            kind,
            scopes: vec![BTreeMap::new()],
            barrier: 0,
            loops: Vec::new(),
            tasks_called: Vec::new(),
        }
    }

    /// Declares a workflow parameter whose value is `code` on the start edge.
    pub fn declare_param(
        &mut self,
        start: &mut Edge,
        ident: &syn::Ident,
        ty: &syn::Type,
        code: String,
    ) {
        let asl = self.declare(&ident.to_string(), Ty::from_syn(ty));
        start.assign.insert(asl, code);
    }

    fn declare(&mut self, rust: &str, ty: Ty) -> String {
        let asl = self.var_names.variable(rust);
        self.scopes.last_mut().expect("a scope").insert(
            rust.to_owned(),
            VarInfo {
                asl: asl.clone(),
                ty,
            },
        );
        asl
    }

    fn lookup_var(&self, rust: &str) -> Option<VarInfo> {
        self.scopes.iter().rev().find_map(|s| s.get(rust)).cloned()
    }

    /// The variable an assignment writes, reporting a missing one, and one of an enclosing state
    /// machine (ASL lets a branch or iteration read outer variables, never assign them).
    fn assignable_var(&self, ident: &syn::Ident) -> Option<VarInfo> {
        let rust = ident.to_string();
        let Some(depth) = self.scopes.iter().rposition(|s| s.contains_key(&rust)) else {
            self.diag.error(
                ident.span(),
                format!("cannot find variable `{ident}` in this workflow"),
            );
            return None;
        };
        if depth < self.barrier {
            self.diag.error(
                ident.span(),
                format!(
                    "a branch or iteration cannot assign `{ident}` of the enclosing workflow (ASL gives each its own variables)\n  = help: return the value from the branch instead, and assign it after `join!`/`map!`"
                ),
            );
            return None;
        }
        self.scopes[depth].get(&rust).cloned()
    }

    // ---------------------------------------------------------------- expressions

    /// Translates `expr` as seen after `edge` (or at a state's entry when `edge` is None). Errors are
    /// reported once: pass `report = false` for the re-translations of the same expression on other
    /// edges.
    fn expr_on(
        &self,
        expr: &syn::Expr,
        edge: Option<&Edge>,
        extra: &[(String, Typed)],
        report: bool,
    ) -> Typed {
        let scope = EdgeScope {
            scopes: &self.scopes,
            edge,
            extra,
        };
        match translate(expr, &scope, &self.ctx.types) {
            Ok(t) => t,
            Err(e) => {
                if report {
                    self.diag.push(e);
                }
                Typed {
                    code: "null".to_owned(),
                    ty: Ty::Unknown,
                }
            }
        }
    }

    /// Extends every edge with `var := expr` (composed with what each edge already assigns).
    fn assign_pure(&mut self, edges: &mut [Edge], var: &str, expr: &syn::Expr) -> Ty {
        let mut ty = Ty::Unknown;
        for (i, e) in edges.iter_mut().enumerate() {
            let t = self.expr_on(expr, Some(e), &[], i == 0);
            if i == 0 {
                ty = t.ty.clone();
            }
            e.assign.insert(var.to_owned(), t.code);
        }
        if edges.is_empty() {
            // Unreachable code still gets its errors reported.
            let t = self.expr_on(expr, None, &[], true);
            ty = t.ty;
        }
        ty
    }

    /// Prepares the incoming edges of a new state. A start edge whose assignments the state can absorb
    /// (it is the state's only incoming edge and the state is entered once, so its `$states.input` is
    /// the execution input) is returned separately, its assignments to be resolved in the state's own
    /// fields and carried on its outgoing edges; the edge list keeps an emptied start edge, which sets
    /// `StartAt` when connected. A start edge that cannot be absorbed is materialised as a Pass.
    fn absorb_start(&mut self, mut edges: Vec<Edge>, absorbing: bool) -> (Vec<Edge>, Option<Edge>) {
        let Some(pos) = edges.iter().position(|e| e.slot == Slot::Start) else {
            return (edges, None);
        };
        if edges[pos].assign.is_empty() {
            return (edges, None);
        }
        if absorbing && edges.len() == 1 {
            let absorbed = edges[pos].clone();
            edges[pos].assign.clear();
            return (edges, Some(absorbed));
        }
        let start = edges.remove(pos);
        let name = self.names.state("Start");
        self.graph.add(&name, states::pass());
        let mut entry = start.clone();
        entry.assign.clear();
        self.graph.connect(&entry, &name);
        let mut out = Edge::new(&name, Slot::Next);
        out.assign = start.assign;
        edges.push(out);
        (edges, None)
    }

    /// Puts absorbed start assignments back when no state was created after all.
    fn unabsorb(edges: &mut [Edge], absorbed: BTreeMap<String, String>) {
        if let Some(e) = edges.iter_mut().find(|e| e.slot == Slot::Start) {
            e.assign = absorbed;
        }
    }

    /// The name for a statement's state: its `#[state]` label, else from `base`.
    fn state_name(&mut self, label: &Option<String>, base: &str) -> String {
        match label {
            Some(l) => self.names.label(l),
            None => self.names.state(base),
        }
    }

    // ---------------------------------------------------------------- statements

    /// Lowers the workflow body from the start edge; returns the edges left open (none when every path
    /// returns).
    pub fn body(&mut self, block: &Block, start: Edge) -> Vec<Edge> {
        self.block(block, vec![start], &Dest::Discard)
    }

    fn block(&mut self, block: &Block, edges: Vec<Edge>, dest: &Dest) -> Vec<Edge> {
        self.scopes.push(BTreeMap::new());
        let mut edges = edges;
        for stmt in &block.stmts {
            if edges.is_empty() {
                // After a return/break/continue: unreachable (rustc warns); still check it.
                let saved = self.graph.clone();
                let _ = self.stmt(stmt, Vec::new(), dest);
                self.graph = saved;
                continue;
            }
            edges = self.stmt(stmt, edges, dest);
        }
        self.scopes.pop();
        edges
    }

    fn stmt(&mut self, stmt: &Stmt, mut edges: Vec<Edge>, dest: &Dest) -> Vec<Edge> {
        match &stmt.kind {
            StmtKind::Bind { target, value } => self.bind(stmt, target, value, edges),
            StmtKind::Push { var, value } => {
                let Some(info) = self.assignable_var(var) else {
                    return edges;
                };
                for (i, e) in edges.iter_mut().enumerate() {
                    let item = self.expr_on(value, Some(e), &[], i == 0);
                    let code = format!("$append({}, [{}])", e.value_of(&info.asl), item.code);
                    e.assign.insert(info.asl.clone(), code);
                }
                edges
            }
            StmtKind::While { cond, body, label } => {
                self.while_loop(stmt, cond, body, label.clone(), edges)
            }
            StmtKind::Loop { body, label } => self.loop_(stmt, body, label.clone(), edges),
            StmtKind::For {
                var,
                iter,
                body,
                label,
            } => self.for_loop(stmt, var, iter, body, label.clone(), edges),
            StmtKind::Break { label } => {
                if let Some(i) = self.find_loop(label, stmt.span) {
                    self.loops[i].breaks.append(&mut edges);
                }
                Vec::new()
            }
            StmtKind::Continue { label } => {
                if let Some(i) = self.find_loop(label, stmt.span) {
                    self.loops[i].continues.append(&mut edges);
                }
                Vec::new()
            }
            StmtKind::ReturnOk(expr) => {
                self.return_ok(stmt, expr, edges);
                Vec::new()
            }
            StmtKind::ReturnErr(fail) => {
                self.return_err(stmt, fail, edges);
                Vec::new()
            }
            StmtKind::Wait(w) => self.wait(stmt, w, edges),
            StmtKind::Value(value) => self.value(stmt, value, edges, dest),
        }
    }

    fn find_loop(&self, label: &Option<String>, span: Span) -> Option<usize> {
        let found = match label {
            None => self.loops.len().checked_sub(1),
            Some(l) => self
                .loops
                .iter()
                .rposition(|f| f.label.as_deref() == Some(l.as_str())),
        };
        if found.is_none() {
            if self.barrier > 0 {
                self.diag.error(
                    span,
                    "`break`/`continue` cannot leave a branch or iteration: it is a state machine of its own\n  = help: return a value from the branch (`Ok(..)`) and decide after it",
                );
            } else {
                self.diag
                    .error(span, "`break`/`continue` outside of a loop");
            }
        }
        found
    }

    fn bind(&mut self, stmt: &Stmt, target: &Target, value: &Value, edges: Vec<Edge>) -> Vec<Edge> {
        match (target, value) {
            (Target::Let(Binding::Ident(ident, ty)), Value::Pure(expr)) => {
                let mut edges = edges;
                // Translate before declaring: `let x = x + 1` reads the outer `x`.
                let rust = ident.to_string();
                let fresh = self.var_names.variable(&rust);
                let t = self.assign_pure(&mut edges, &fresh, expr);
                let ty = ty.as_ref().map(Ty::from_syn).unwrap_or(t);
                self.scopes
                    .last_mut()
                    .expect("scope")
                    .insert(rust, VarInfo { asl: fresh, ty });
                edges
            }
            (Target::Assign(ident), Value::Pure(expr)) => {
                let mut edges = edges;
                if let Some(info) = self.assignable_var(ident) {
                    self.assign_pure(&mut edges, &info.asl, expr);
                }
                edges
            }
            (Target::Let(Binding::Wild), Value::Pure(expr))
            | (Target::Discard, Value::Pure(expr)) => {
                let _ = self.expr_on(expr, None, &[], true);
                edges
            }
            (Target::Let(Binding::Tuple(parts)), Value::Pure(expr)) => {
                let mut edges = edges;
                let tmp = self.var_names.variable("tuple");
                let t = self.assign_pure(&mut edges, &tmp, expr);
                let _ = t;
                self.bind_tuple_from(parts, &tmp, "", &mut edges);
                edges
            }
            (target, value) => {
                let dest = self.dest_for(target);
                let mut edges = self.value(stmt, value, edges, &dest);
                self.finish_dest(target, &dest, value);
                if let (Target::Let(Binding::Tuple(parts)), Dest::Var(tmp)) = (target, &dest) {
                    self.bind_tuple_from(parts, tmp, "", &mut edges);
                }
                edges
            }
        }
    }

    /// `let (a, b) = ..`: each part from the tuple variable `tuple` (pending on each edge), at `path`.
    fn bind_tuple_from(&mut self, parts: &[Binding], tuple: &str, path: &str, edges: &mut [Edge]) {
        for (i, part) in parts.iter().enumerate() {
            let here = format!("{path}[{i}]");
            match part {
                Binding::Ident(id, ty) => {
                    let asl = self.declare(
                        &id.to_string(),
                        ty.as_ref().map(Ty::from_syn).unwrap_or(Ty::Unknown),
                    );
                    for e in edges.iter_mut() {
                        let code = format!("{}{here}", e.value_of(tuple));
                        e.assign.insert(asl.clone(), code);
                    }
                }
                Binding::Wild => {}
                Binding::Tuple(inner) => self.bind_tuple_from(inner, tuple, &here, edges),
            }
        }
    }

    /// The destination variable for a construct's value.
    fn dest_for(&mut self, target: &Target) -> Dest {
        match target {
            Target::Let(Binding::Ident(id, _)) => {
                Dest::Var(self.var_names.variable(&id.to_string()))
            }
            Target::Let(Binding::Tuple(_)) => Dest::Var(self.var_names.variable("tuple")),
            Target::Assign(id) => match self.assignable_var(id) {
                Some(info) => Dest::Var(info.asl),
                None => Dest::Discard,
            },
            Target::Let(Binding::Wild) | Target::Discard => Dest::Discard,
        }
    }

    /// After a construct assigned its value to `dest`: bring the new binding into scope.
    fn finish_dest(&mut self, target: &Target, dest: &Dest, value: &Value) {
        let ty = match value {
            Value::Task(call) => self.task_output_ty(call),
            _ => Ty::Unknown,
        };
        if let (Target::Let(Binding::Ident(id, annotated)), Dest::Var(asl)) = (target, dest) {
            let ty = annotated.as_ref().map(Ty::from_syn).unwrap_or(ty);
            self.scopes.last_mut().expect("scope").insert(
                id.to_string(),
                VarInfo {
                    asl: asl.clone(),
                    ty,
                },
            );
        }
    }
}

impl Lowerer<'_> {
    // ---------------------------------------------------------------- value constructs

    fn value(&mut self, stmt: &Stmt, value: &Value, edges: Vec<Edge>, dest: &Dest) -> Vec<Edge> {
        match value {
            Value::Pure(expr) => {
                let mut edges = edges;
                match dest {
                    Dest::Var(var) => {
                        self.assign_pure(&mut edges, var, expr);
                    }
                    Dest::Discard => {
                        let _ = self.expr_on(expr, None, &[], true);
                    }
                }
                edges
            }
            Value::Task(call) => self.task(stmt, call, edges, dest),
            Value::Catch(catch) => self.catch(stmt, catch, edges, dest),
            Value::If {
                cond,
                then,
                otherwise,
            } => self.if_(stmt, cond, then, otherwise.as_ref(), edges, dest),
            Value::Match { scrutinee, arms } => self.match_(stmt, scrutinee, arms, edges, dest),
            Value::Block(b) => self.block(b, edges, dest),
            Value::Parallel(p) => self.parallel(stmt, p, edges, dest),
            Value::Map(m) => self.map(stmt, m, edges, dest),
            Value::Retry(r) => self.retry(stmt, r, edges, dest),
        }
    }

    fn task_output_ty(&self, call: &TaskCall) -> Ty {
        self.ctx
            .tasks
            .get(&call.ident())
            .map(|t| Ty::from_syn(&t.output))
            .unwrap_or(Ty::Unknown)
    }

    /// The Task state for a call, its arguments translated as seen at its entry.
    fn task_state(
        &mut self,
        stmt: &Stmt,
        call: &TaskCall,
        edges: Vec<Edge>,
    ) -> (String, Option<Edge>) {
        let ident = call.ident();
        if !self.tasks_called.contains(&ident) {
            self.tasks_called.push(ident.clone());
        }
        let def = self.ctx.tasks.get(&ident);
        if def.is_none() && self.ctx.complete {
            self.diag.error(
                call.path.span(),
                format!("`{ident}` is not a #[task] of this crate\n  = help: mark the function with #[task], or call it from inside a task"),
            );
        }
        if let Some(def) = def
            && def.params.len() != call.args.len()
        {
            self.diag.error(
                call.span,
                format!(
                    "task `{ident}` takes {} argument(s), {} given",
                    def.params.len(),
                    call.args.len()
                ),
            );
        }
        // `#[state("..")]` on the statement, else the task's `name = ".."` (both verbatim), else the fn name.
        let label = stmt
            .label
            .clone()
            .or_else(|| def.and_then(|d| d.state_name.clone()));
        let name = self.state_name(&label, &ident);
        let (edges, absorbed) = self.absorb_start(edges, true);
        let payload = {
            let args: Vec<Typed> = call
                .args
                .iter()
                .map(|a| self.expr_on(a, absorbed.as_ref(), &[], true))
                .collect();
            match (def, args.len()) {
                (_, 1) => args[0].code.clone(),
                (Some(d), _) => {
                    let fields: Vec<String> = d
                        .params
                        .iter()
                        .zip(&args)
                        .map(|((n, _), a)| format!("{}: {}", string_literal(n), a.code))
                        .collect();
                    format!("{{{}}}", fields.join(", "))
                }
                (None, 0) => "null".to_owned(),
                (None, _) => {
                    let fields: Vec<String> = args
                        .iter()
                        .enumerate()
                        .map(|(i, a)| format!("{}: {}", string_literal(&format!("arg{i}")), a.code))
                        .collect();
                    format!("{{{}}}", fields.join(", "))
                }
            }
        };
        let function = def
            .map(|d| super::task::function_name(d, &self.ctx.options))
            .unwrap_or_else(|| format!("{}{ident}", self.ctx.options.function_prefix));
        let state = super::task::task_state(def, &function, &embed(&payload), self.ctx, self.diag);
        self.graph.add(&name, state);
        for e in edges {
            self.graph.connect(&e, &name);
        }
        (name, absorbed)
    }

    /// `let x = task(..).await?;` and friends: a Task whose errors propagate.
    fn task(&mut self, stmt: &Stmt, call: &TaskCall, edges: Vec<Edge>, dest: &Dest) -> Vec<Edge> {
        let (name, absorbed) = self.task_state(stmt, call, edges);
        let mut out = Edge::new(&name, Slot::Next);
        if let Some(a) = absorbed {
            out.assign = a.assign;
        }
        if let Dest::Var(var) = dest {
            out.assign
                .insert(var.clone(), "$states.result.Payload".to_owned());
        }
        vec![out]
    }

    /// `if`: a Choice with one rule (the condition) and a Default (the `else`).
    fn if_(
        &mut self,
        stmt: &Stmt,
        cond: &Cond,
        then: &Block,
        otherwise: Option<&Block>,
        edges: Vec<Edge>,
        dest: &Dest,
    ) -> Vec<Edge> {
        let (edges, absorbed) = self.absorb_start(edges, true);
        let scrut;
        let (condition, bindings, text) = match cond {
            Cond::Expr(e) => {
                let t = self.expr_on(e, absorbed.as_ref(), &[], true);
                (
                    Some(t.code),
                    Vec::new(),
                    format!("If {}", crate::front::body::expr_text(e)),
                )
            }
            Cond::Let(pat, e) => {
                scrut = self.expr_on(e, absorbed.as_ref(), &[], true);
                let scope = EdgeScope {
                    scopes: &self.scopes,
                    edge: absorbed.as_ref(),
                    extra: &[],
                };
                match pattern_condition(pat, &scrut, &scope, &self.ctx.types) {
                    Ok(test) => (
                        test.condition,
                        test.bindings
                            .into_iter()
                            .map(|(i, t)| (i.to_string(), t))
                            .collect(),
                        format!("If let {}", crate::front::body::expr_text(e)),
                    ),
                    Err(err) => {
                        self.diag.push(err);
                        (Some("false".to_owned()), Vec::new(), "If let".to_owned())
                    }
                }
            }
        };
        let base = absorbed.map(|a| a.assign).unwrap_or_default();
        let Some(condition) = condition else {
            // Irrefutable `if let`: no Choice.
            let mut edges = edges;
            Self::unabsorb(&mut edges, base);
            self.scopes.push(BTreeMap::new());
            if let Cond::Let(pat, e) = cond {
                self.bind_on_edges(pat, e, &bindings, &mut edges);
            }
            let out = self.block(then, edges, dest);
            self.scopes.pop();
            return out;
        };
        let name = self.state_name(&stmt.label, &text);
        self.graph.add(&name, states::choice(vec![condition]));
        for e in edges {
            self.graph.connect(&e, &name);
        }
        let mut out = Vec::new();
        let mut rule = Edge::new(&name, Slot::Rule(0));
        rule.assign = base.clone();
        self.scopes.push(BTreeMap::new());
        for (rust, t) in &bindings {
            let asl = self.declare(rust, t.ty.clone());
            rule.assign.insert(asl, t.code.clone());
        }
        out.extend(self.block(then, vec![rule], dest));
        self.scopes.pop();
        let mut default = Edge::new(&name, Slot::Default);
        default.assign = base;
        match otherwise {
            Some(b) => out.extend(self.block(b, vec![default], dest)),
            None => out.push(default),
        }
        out
    }

    /// Declares the `bindings` of an irrefutable pattern (no Choice tests it) and assigns them on each
    /// edge, recomputed from the scrutinee as seen after that edge: the scrutinee's variables may be
    /// pending there (`let x = task(..).await?; match x { n => .. }` binds `n` from the Task's result,
    /// not from the `$x` that the same `Assign` is still writing).
    fn bind_on_edges(
        &mut self,
        pat: &syn::Pat,
        scrutinee: &syn::Expr,
        bindings: &[(String, Typed)],
        edges: &mut [Edge],
    ) {
        let mut per_edge = Vec::new();
        for e in edges.iter() {
            let scrut = self.expr_on(scrutinee, Some(e), &[], false);
            let scope = EdgeScope {
                scopes: &self.scopes,
                edge: Some(e),
                extra: &[],
            };
            let codes: BTreeMap<String, String> =
                pattern_condition(pat, &scrut, &scope, &self.ctx.types)
                    .map(|t| {
                        t.bindings
                            .into_iter()
                            .map(|(i, t)| (i.to_string(), t.code))
                            .collect()
                    })
                    .unwrap_or_default();
            per_edge.push(codes);
        }
        for (rust, t) in bindings {
            let asl = self.declare(rust, t.ty.clone());
            for (e, codes) in edges.iter_mut().zip(&per_edge) {
                let code = codes.get(rust).unwrap_or(&t.code).clone();
                e.assign.insert(asl.clone(), code);
            }
        }
    }

    /// `match` on a pure value: a Choice, one rule per arm; the last arm (or a catch-all) is the Default.
    fn match_(
        &mut self,
        stmt: &Stmt,
        scrutinee: &syn::Expr,
        arms: &[crate::ir::Arm],
        edges: Vec<Edge>,
        dest: &Dest,
    ) -> Vec<Edge> {
        let (edges, absorbed) = self.absorb_start(edges, true);
        let scrut = self.expr_on(scrutinee, absorbed.as_ref(), &[], true);
        let base = absorbed.map(|a| a.assign).unwrap_or_default();
        // Conditions and bindings per arm.
        let mut rules: Vec<ArmRule<'_>> = Vec::new();
        for (i, arm) in arms.iter().enumerate() {
            let scope = EdgeScope {
                scopes: &self.scopes,
                edge: None,
                extra: &[],
            };
            let test = match pattern_condition(&arm.pat, &scrut, &scope, &self.ctx.types) {
                Ok(t) => t,
                Err(e) => {
                    self.diag.push(e);
                    continue;
                }
            };
            let bindings: Vec<(String, Typed)> = test
                .bindings
                .into_iter()
                .map(|(i, t)| (i.to_string(), t))
                .collect();
            let mut cond = test.condition;
            if let Some(g) = &arm.guard {
                let gt = self.expr_on(g, None, &bindings, true);
                cond = Some(match cond {
                    Some(c) => format!("({c}) and ({})", gt.code),
                    None => gt.code,
                });
            }
            // Rust checks exhaustiveness: the last arm matches whatever reaches it.
            let last = i + 1 == arms.len();
            if last && arm.guard.is_none() {
                cond = None;
            }
            let catch_all = cond.is_none();
            rules.push((cond, bindings, arm));
            if catch_all {
                break;
            }
        }
        let conditions: Vec<String> = rules.iter().filter_map(|(c, _, _)| c.clone()).collect();
        let mut out = Vec::new();
        if conditions.is_empty() {
            // `match x { _ => .. }`: no Choice needed.
            let mut edges = edges;
            Self::unabsorb(&mut edges, base);
            if let Some((_, bindings, arm)) = rules.first() {
                self.scopes.push(BTreeMap::new());
                self.bind_on_edges(&arm.pat, scrutinee, bindings, &mut edges);
                out = self.block(&arm.body, edges, dest);
                self.scopes.pop();
            }
            return out;
        }
        let text = format!("Match {}", crate::front::body::expr_text(scrutinee));
        let name = self.state_name(&stmt.label, &text);
        self.graph.add(&name, states::choice(conditions));
        for e in edges {
            self.graph.connect(&e, &name);
        }
        let mut rule_index = 0;
        let mut has_default = false;
        for (cond, bindings, arm) in &rules {
            let slot = if cond.is_some() {
                rule_index += 1;
                Slot::Rule(rule_index - 1)
            } else {
                has_default = true;
                Slot::Default
            };
            let mut edge = Edge::new(&name, slot);
            edge.assign = base.clone();
            self.scopes.push(BTreeMap::new());
            for (rust, t) in bindings {
                let asl = self.declare(rust, t.ty.clone());
                edge.assign.insert(asl, t.code.clone());
            }
            out.extend(self.block(&arm.body, vec![edge], dest));
            self.scopes.pop();
        }
        if !has_default {
            // Guards on every arm: Rust would not compile a non-exhaustive match, but if every arm is
            // guarded the last one's guard may fail; ASL reports that as States.Runtime like a panic.
            self.diag.error(stmt.span, "the last arm of a workflow `match` must not have a guard\n  = help: add a final `_ => ..` arm");
        }
        out
    }

    // ---------------------------------------------------------------- loops

    fn while_loop(
        &mut self,
        stmt: &Stmt,
        cond: &Cond,
        body: &Block,
        label: Option<String>,
        edges: Vec<Edge>,
    ) -> Vec<Edge> {
        let (edges, _) = self.absorb_start(edges, false);
        let (condition, bindings, text) = match cond {
            Cond::Expr(e) => {
                let t = self.expr_on(e, None, &[], true);
                (
                    t.code,
                    Vec::new(),
                    format!("While {}", crate::front::body::expr_text(e)),
                )
            }
            Cond::Let(pat, e) => {
                let scrut = self.expr_on(e, None, &[], true);
                let scope = EdgeScope {
                    scopes: &self.scopes,
                    edge: None,
                    extra: &[],
                };
                match pattern_condition(pat, &scrut, &scope, &self.ctx.types) {
                    Ok(test) => (
                        test.condition.unwrap_or_else(|| "true".to_owned()),
                        test.bindings
                            .into_iter()
                            .map(|(i, t)| (i.to_string(), t))
                            .collect(),
                        format!("While let {}", crate::front::body::expr_text(e)),
                    ),
                    Err(err) => {
                        self.diag.push(err);
                        ("false".to_owned(), Vec::new(), "While let".to_owned())
                    }
                }
            }
        };
        let name = self.state_name(&stmt.label, &text);
        self.graph.add(&name, states::choice(vec![condition]));
        for e in edges {
            self.graph.connect(&e, &name);
        }
        let mut rule = Edge::new(&name, Slot::Rule(0));
        self.scopes.push(BTreeMap::new());
        for (rust, t) in &bindings {
            let asl = self.declare(rust, t.ty.clone());
            rule.assign.insert(asl, t.code.clone());
        }
        self.loops.push(LoopFrame {
            label,
            breaks: Vec::new(),
            continues: Vec::new(),
        });
        let end = self.block(body, vec![rule], &Dest::Discard);
        let frame = self.loops.pop().expect("loop frame");
        self.scopes.pop();
        for e in end.into_iter().chain(frame.continues) {
            self.graph.connect(&e, &name);
        }
        let mut out = frame.breaks;
        out.push(Edge::new(&name, Slot::Default));
        out
    }

    /// `loop { .. }`: no state of its own when the body starts with one (the back edge targets it).
    fn loop_(
        &mut self,
        stmt: &Stmt,
        body: &Block,
        label: Option<String>,
        edges: Vec<Edge>,
    ) -> Vec<Edge> {
        let (mut edges, _) = self.absorb_start(edges, false);
        let mut head = None;
        if !starts_with_state(body) {
            let name = self.state_name(&stmt.label, "Loop");
            self.graph.add(&name, states::pass());
            for e in edges {
                self.graph.connect(&e, &name);
            }
            edges = vec![Edge::new(&name, Slot::Next)];
            head = Some(name);
        }
        let marker = self.graph.len();
        self.loops.push(LoopFrame {
            label,
            breaks: Vec::new(),
            continues: Vec::new(),
        });
        let end = self.block(body, edges, &Dest::Discard);
        let frame = self.loops.pop().expect("loop frame");
        let Some(head) = head.or_else(|| self.graph.name_at(marker).map(str::to_owned)) else {
            self.diag
                .error(stmt.span, "a `loop` without any state never ends");
            return frame.breaks;
        };
        for e in end.into_iter().chain(frame.continues) {
            self.graph.connect(&e, &head);
        }
        frame.breaks
    }

    /// `for x in xs` / `for i in a..b`: a counter, a Choice on it, the body, the increment on the back edges.
    fn for_loop(
        &mut self,
        stmt: &Stmt,
        var: &syn::Ident,
        iter: &ForIter,
        body: &Block,
        label: Option<String>,
        edges: Vec<Edge>,
    ) -> Vec<Edge> {
        let mut edges = edges;
        let counter = self.var_names.variable(&format!("{var}_index"));
        let (condition, item, item_ty, text) = match iter {
            ForIter::Range {
                start,
                end,
                inclusive,
            } => {
                let limit = self.var_names.variable(&format!("{var}_end"));
                self.assign_pure(&mut edges, &counter, start);
                self.assign_pure(&mut edges, &limit, end);
                let op = if *inclusive { "<=" } else { "<" };
                let text = format!("For {var} in {}", crate::front::body::expr_text(end));
                (
                    format!("${counter} {op} ${limit}"),
                    format!("${counter}"),
                    Ty::Int,
                    text,
                )
            }
            ForIter::Vec(xs) => {
                let items = self.var_names.variable(&format!("{var}_items"));
                let t = self.assign_pure(&mut edges, &items, xs);
                for e in edges.iter_mut() {
                    e.assign.insert(counter.clone(), "0".to_owned());
                }
                let elem = match t {
                    Ty::Vec(inner) => *inner,
                    _ => Ty::Unknown,
                };
                let text = format!("For {var} in {}", crate::front::body::expr_text(xs));
                (
                    format!("${counter} < $count(${items})"),
                    format!("${items}[${counter}]"),
                    elem,
                    text,
                )
            }
        };
        let (edges, _) = self.absorb_start(edges, false);
        let name = self.state_name(&stmt.label, &text);
        self.graph.add(&name, states::choice(vec![condition]));
        for e in edges {
            self.graph.connect(&e, &name);
        }
        self.scopes.push(BTreeMap::new());
        let asl = self.declare(&var.to_string(), item_ty);
        let mut rule = Edge::new(&name, Slot::Rule(0));
        rule.assign.insert(asl, item);
        self.loops.push(LoopFrame {
            label,
            breaks: Vec::new(),
            continues: Vec::new(),
        });
        let end = self.block(body, vec![rule], &Dest::Discard);
        let frame = self.loops.pop().expect("loop frame");
        self.scopes.pop();
        for mut e in end.into_iter().chain(frame.continues) {
            let next = format!("{} + 1", e.value_of(&counter));
            e.assign.insert(counter.clone(), next);
            self.graph.connect(&e, &name);
        }
        let mut out = frame.breaks;
        out.push(Edge::new(&name, Slot::Default));
        out
    }

    // ---------------------------------------------------------------- ends

    fn return_ok(&mut self, stmt: &Stmt, expr: &syn::Expr, edges: Vec<Edge>) {
        let mut need_succeed = Vec::new();
        for (i, e) in edges.into_iter().enumerate() {
            let endable = e.slot == Slot::Next && self.graph.can_end(&e.from);
            if endable {
                let t = self.expr_on(expr, Some(&e), &[], i == 0);
                self.graph.end_with_output(&e.from, &embed(&t.code));
            } else {
                need_succeed.push(e);
            }
        }
        if need_succeed.is_empty() {
            return;
        }
        let absorbable = need_succeed.len() == 1 && need_succeed[0].slot == Slot::Start;
        let (edges, absorbed) = self.absorb_start(need_succeed, absorbable);
        let t = self.expr_on(expr, absorbed.as_ref(), &[], true);
        let name = self.state_name(&stmt.label, "Done");
        self.graph.add(&name, states::succeed(&embed(&t.code)));
        for e in edges {
            self.graph.connect(&e, &name);
        }
    }

    fn return_err(&mut self, stmt: &Stmt, fail: &FailValue, edges: Vec<Edge>) {
        let (edges, absorbed) = self.absorb_start(edges, true);
        let scope_edge = absorbed.as_ref();
        let (error, cause, base) = match fail {
            FailValue::New { error, cause } => {
                let e = literal_or_expr(error)
                    .unwrap_or_else(|| embed(&self.expr_on(error, scope_edge, &[], true).code));
                let c = literal_or_expr(cause)
                    .unwrap_or_else(|| embed(&self.expr_on(cause, scope_edge, &[], true).code));
                let base = literal_or_expr(error).unwrap_or_default();
                (e, Some(c), base)
            }
            FailValue::Variant { path, span } => {
                let name = super::task::error_name(path, *span, self.ctx, self.diag);
                (name.clone(), None, name)
            }
            FailValue::Failure(expr) => {
                let t = self.expr_on(expr, scope_edge, &[], true);
                (
                    embed(&format!("({}).Error", t.code)),
                    Some(embed(&format!("({}).Cause", t.code))),
                    String::new(),
                )
            }
        };
        let name = self.state_name(&stmt.label, format!("Fail {base}").trim_end());
        self.graph.add(&name, states::fail(error, cause));
        for e in edges {
            self.graph.connect(&e, &name);
        }
    }

    fn wait(&mut self, stmt: &Stmt, w: &WaitFor, edges: Vec<Edge>) -> Vec<Edge> {
        let (edges, absorbed) = self.absorb_start(edges, true);
        let (state, text) = match w {
            WaitFor::Seconds(e) => {
                let literal = literal_u64(e);
                if let (WorkflowKind::Express, Some(n)) = (self.kind, literal)
                    && n > 300
                {
                    self.diag.error(e.span(), "an EXPRESS workflow runs at most 5 minutes; this sleep is longer\n  = help: use kind = \"STANDARD\"");
                }
                match literal {
                    Some(n) => (states::wait_seconds_literal(n), format!("Wait {n}s")),
                    None => {
                        let t = self.expr_on(e, absorbed.as_ref(), &[], true);
                        (
                            states::wait_seconds_expr(&embed(&t.code)),
                            "Wait".to_owned(),
                        )
                    }
                }
            }
            WaitFor::Timestamp(e) => match literal_or_expr(e) {
                // A literal timestamp stays literal (every validator reads it; an expression is
                // opaque to statelint).
                Some(ts) => {
                    if !asl::is_timestamp(&ts) {
                        self.diag.error(
                            e.span(),
                            "not an ASL timestamp\n  = help: write RFC 3339 with an uppercase `T` and a zone: \"2030-01-01T00:00:00Z\"",
                        );
                    }
                    (states::wait_timestamp(&ts), format!("Wait until {ts}"))
                }
                None => {
                    let t = self.expr_on(e, absorbed.as_ref(), &[], true);
                    (
                        states::wait_timestamp(&embed(&t.code)),
                        "Wait until".to_owned(),
                    )
                }
            },
        };
        let name = self.state_name(&stmt.label, &text);
        self.graph.add(&name, state);
        for e in edges {
            self.graph.connect(&e, &name);
        }
        let mut out = Edge::new(&name, Slot::Next);
        if let Some(a) = absorbed {
            out.assign = a.assign;
        }
        vec![out]
    }
}

/// A string literal's value, for Fail fields that can stay plain text.
fn literal_or_expr(expr: &syn::Expr) -> Option<String> {
    match crate::front::syntax::strip(expr) {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

fn literal_u64(expr: &syn::Expr) -> Option<u64> {
    match crate::front::syntax::strip(expr) {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse().ok(),
        syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::Mul(_)) => {
            Some(literal_u64(&b.left)? * literal_u64(&b.right)?)
        }
        _ => None,
    }
}

/// Does the block's first statement create a state (so a loop can jump straight back to it)?
fn starts_with_state(block: &Block) -> bool {
    let Some(first) = block.stmts.first() else {
        return false;
    };
    match &first.kind {
        StmtKind::Bind { value, .. } | StmtKind::Value(value) => match value {
            Value::Task(_)
            | Value::Catch(_)
            | Value::Parallel(_)
            | Value::Map(_)
            | Value::Retry(_) => true,
            Value::If { .. } | Value::Match { .. } => true,
            Value::Block(b) => starts_with_state(b),
            Value::Pure(_) => false,
        },
        StmtKind::Wait(_) | StmtKind::While { .. } | StmtKind::ReturnErr(_) => true,
        _ => false,
    }
}
