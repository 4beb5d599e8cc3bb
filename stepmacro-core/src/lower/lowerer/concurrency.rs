//! Nested state machines: Parallel (`join!`, `try_join!`, block catches, `retry!` blocks) and inline
//! Map (`map!`, `join_all`, `try_join_all`).
//!
//! A branch or iteration is lowered like a small workflow of its own: a fresh `States` object, the
//! enclosing variables readable but not assignable (the `barrier`), loops of the enclosing machine out of
//! reach, and its result handed out as the branch's `Output`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as JsonValue;

use super::{Dest, Lowerer, VarInfo};
use crate::asl::{
    self, Branch, ItemProcessor, Json, MapState, NumberOrExpr, ParallelState, State, States,
};
use crate::front::types::Ty;
use crate::ir::{Block, BranchBody, MapValue, Parallel, RetryValue, Stmt, StmtKind, Target, Value};
use crate::lower::edges::{Edge, Slot};
use crate::lower::jsonata::{embed, string_literal};
use crate::lower::states::{self, StateGraph};

/// How a nested machine produces its output.
enum Output {
    /// An async block: its `Ok(v)` tails end the branch with `v`, its `Err`s and `?`s fail it.
    Returns,
    /// A `retry!` block: its value, and the enclosing variables it changed, as
    /// `{"value": v, "vars": {..}}`.
    ValueAndVars,
}

impl Lowerer<'_> {
    /// Lowers `body` as a nested machine. `item` binds the iteration item (`$states.input`) for Map;
    /// `shadows` are enclosing variables the body may change (retry blocks): each gets a local copy.
    fn nested(
        &mut self,
        body: &Block,
        item: Option<(&syn::Ident, Ty)>,
        shadows: &[(String, VarInfo)],
        inherit: &BTreeMap<String, String>,
        output: Output,
    ) -> (String, States) {
        let saved_graph = std::mem::take(&mut self.graph);
        let saved_loops = std::mem::take(&mut self.loops);
        let saved_barrier = self.barrier;
        self.barrier = self.scopes.len();
        self.scopes.push(BTreeMap::new());
        let mut start = Edge::start();
        if let Some((var, ty)) = item {
            let asl = self.declare(&var.to_string(), ty);
            start.assign.insert(asl, "$states.input".to_owned());
        }
        self.inherit_start(inherit, &mut start);
        let mut copies = Vec::new();
        for (rust, outer) in shadows {
            let local = self.declare(rust, outer.ty.clone());
            start
                .assign
                .insert(local.clone(), format!("${}", outer.asl));
            copies.push((outer.asl.clone(), local));
        }
        match output {
            Output::Returns => {
                let open = self.block(body, vec![start], &Dest::Discard);
                if !open.is_empty() {
                    self.diag.error(
                        body.stmts.last().map(|s| s.span).unwrap_or_else(proc_macro2::Span::call_site),
                        "this block can reach its end without a result\n  = help: end it with `Ok(value)`",
                    );
                }
            }
            Output::ValueAndVars => {
                let value = self.var_names.variable("value");
                let open = self.block(body, vec![start], &Dest::Var(value.clone()));
                let has_value = block_has_value(body);
                self.end_edges(open, "Done", |_, e| {
                    let v = if has_value {
                        e.value_of(&value)
                    } else {
                        "null".to_owned()
                    };
                    let vars: Vec<String> = copies
                        .iter()
                        .map(|(outer, local)| {
                            format!("{}: {}", string_literal(outer), e.value_of(local))
                        })
                        .collect();
                    format!("{{'value': {v}, 'vars': {{{}}}}}", vars.join(", "))
                });
            }
        }
        self.scopes.pop();
        self.barrier = saved_barrier;
        self.loops = saved_loops;
        let graph = std::mem::replace(&mut self.graph, saved_graph);
        graph.into_parts()
    }

    /// A Parallel that is the machine's first state passes the execution input to its branches: the
    /// workflow parameters it absorbed are bound again at each branch's start, under branch-local names
    /// (ASL forbids an inner scope assigning an outer name). Unread ones are pruned later.
    fn inherit_start(&mut self, inherit: &BTreeMap<String, String>, start: &mut Edge) {
        for (asl, code) in inherit {
            let found = self
                .scopes
                .iter()
                .flat_map(|s| s.iter())
                .find(|(_, v)| &v.asl == asl)
                .map(|(rust, v)| (rust.clone(), v.ty.clone()));
            if let Some((rust, ty)) = found {
                let local = self.declare(&rust, ty);
                start.assign.insert(local, code.clone());
            }
        }
    }

    /// Ends every open edge with `Output = code(edge)`: on its state when it can end there, else in a
    /// shared Succeed named from `base`.
    pub(super) fn end_edges(
        &mut self,
        edges: Vec<Edge>,
        base: &str,
        code: impl Fn(&Self, &Edge) -> String,
    ) {
        let mut rest = Vec::new();
        for e in edges {
            if e.slot == Slot::Next && self.graph.can_end(&e.from) {
                let c = code(self, &e);
                self.graph.end_with_output(&e.from, &embed(&c));
            } else {
                rest.push(e);
            }
        }
        if rest.is_empty() {
            return;
        }
        // Edges into a Succeed apply their Assign first; its Output then reads plain variables.
        let plain = Edge::new("", Slot::Next);
        let c = code(self, &plain);
        let (rest, _) = self.absorb_start(rest, false);
        let name = self.names.state(base);
        self.graph.add(&name, states::succeed(&embed(&c)));
        for e in rest {
            self.graph.connect(&e, &name);
        }
    }

    /// The state a catch or retry applies to: the Task of a call, or a single-branch Parallel around an
    /// async block. Returns its name, the absorbed start edge, and the JSONata code and type of its
    /// result on success.
    pub(super) fn target_state(
        &mut self,
        stmt: &Stmt,
        body: &BranchBody,
        edges: Vec<Edge>,
    ) -> (String, Option<Edge>, String, Ty) {
        match body {
            BranchBody::Task(call) => {
                let ty = self.task_output_ty(call);
                let (name, absorbed) = self.task_state(stmt, call, edges);
                (name, absorbed, "$states.result.Payload".to_owned(), ty)
            }
            BranchBody::Nested(value) => {
                // The Catch goes on the Parallel/Map itself. A pending start edge is assigned first
                // (a Pass), so that the catchers' transitions see the workflow's input too.
                let (edges, _) = self.absorb_start(edges, false);
                let out = self.value(stmt, value, edges, &Dest::Discard);
                let name = out.first().map(|e| e.from.clone()).unwrap_or_default();
                (name, None, "$states.result".to_owned(), Ty::Unknown)
            }
            BranchBody::Block(block) => {
                let (edges, absorbed) = self.absorb_start(edges, true);
                let inherit = absorbed
                    .as_ref()
                    .map(|a| a.assign.clone())
                    .unwrap_or_default();
                let branch = self.nested(block, None, &[], &inherit, Output::Returns);
                let name = self.state_name(&stmt.label, "Try");
                self.graph.add(&name, parallel_state(vec![branch]));
                for e in edges {
                    self.graph.connect(&e, &name);
                }
                (name, absorbed, "$states.result[0]".to_owned(), Ty::Unknown)
            }
        }
    }

    /// One branch of `join!`/`try_join!` or the processor of a Map: a nested machine whose output is the
    /// branch's value (`fail_fast`), or its `Result` as `{"Ok": v}` / `{"Err": failure}`.
    fn branch_machine(
        &mut self,
        body: &BranchBody,
        item: Option<(&syn::Ident, Ty)>,
        inherit: &BTreeMap<String, String>,
        fail_fast: bool,
        span_stmt: &Stmt,
    ) -> (String, States) {
        match (body, fail_fast) {
            (BranchBody::Block(block), true) => {
                self.nested(block, item, &[], inherit, Output::Returns)
            }
            (body, _) => {
                // A task (or a wrapped block): lowered in a fresh machine with its own start edge.
                let saved_graph = std::mem::take(&mut self.graph);
                let saved_loops = std::mem::take(&mut self.loops);
                let saved_barrier = self.barrier;
                self.barrier = self.scopes.len();
                self.scopes.push(BTreeMap::new());
                let mut start = Edge::start();
                if let Some((var, ty)) = item {
                    let asl = self.declare(&var.to_string(), ty);
                    start.assign.insert(asl, "$states.input".to_owned());
                }
                self.inherit_start(inherit, &mut start);
                let unlabelled = Stmt {
                    kind: span_stmt.kind.clone(),
                    label: None,
                    span: span_stmt.span,
                };
                let (name, _, result, _) = self.target_state(&unlabelled, body, vec![start]);
                if fail_fast {
                    self.graph.end_with_output(&name, &embed(&result));
                } else {
                    states::set_catchers(
                        self.graph.get_mut(&name),
                        &[vec![asl::STATES_ALL.to_owned()]],
                    );
                    self.graph
                        .end_with_output(&name, &embed(&format!("{{'Ok': {result}}}")));
                    // `$states.errorOutput` exists only in the Catcher itself: it shapes the value,
                    // and a Pass (output = its input) ends the branch with it.
                    states::set_catch_output(
                        self.graph.get_mut(&name),
                        0,
                        &embed("{'Err': $states.errorOutput}"),
                    );
                    let err = self.names.state(&format!("{name} Err"));
                    let mut pass = states::pass();
                    if let State::Pass(p) = &mut pass {
                        p.end = Some(true);
                    }
                    self.graph.add(&err, pass);
                    self.graph.connect(&Edge::new(&name, Slot::Catch(0)), &err);
                }
                self.scopes.pop();
                self.barrier = saved_barrier;
                self.loops = saved_loops;
                let graph = std::mem::replace(&mut self.graph, saved_graph);
                graph.into_parts()
            }
        }
    }

    /// `join!` / `try_join!`: a Parallel state; its result (an array, one element per branch) goes to
    /// `dest`.
    pub(super) fn parallel(
        &mut self,
        stmt: &Stmt,
        p: &Parallel,
        edges: Vec<Edge>,
        dest: &Dest,
    ) -> Vec<Edge> {
        let name = self.state_name(&stmt.label, "Parallel");
        let (edges, absorbed) = self.absorb_start(edges, true);
        let inherit = absorbed
            .as_ref()
            .map(|a| a.assign.clone())
            .unwrap_or_default();
        let branches: Vec<(String, States)> = p
            .branches
            .iter()
            .map(|b| self.branch_machine(b, None, &inherit, p.fail_fast, stmt))
            .collect();
        self.graph.add(&name, parallel_state(branches));
        for e in edges {
            self.graph.connect(&e, &name);
        }
        let mut out = Edge::new(&name, Slot::Next);
        if let Some(a) = absorbed {
            out.assign = a.assign;
        }
        if let Dest::Var(v) = dest {
            out.assign.insert(v.clone(), "$states.result".to_owned());
        }
        vec![out]
    }

    /// `map!` / `join_all` / `try_join_all`: an inline Map over the items, results in order.
    pub(super) fn map(
        &mut self,
        stmt: &Stmt,
        m: &MapValue,
        edges: Vec<Edge>,
        dest: &Dest,
    ) -> Vec<Edge> {
        let item_ty = match self.expr_on(&m.items, None, &[], true).ty {
            Ty::Vec(t) => *t,
            _ => Ty::Unknown,
        };
        let name = self.state_name(
            &stmt.label,
            &format!("Map {}", crate::front::body::expr_text(&m.items)),
        );
        let (start_at, states) = self.branch_machine(
            &m.body,
            Some((&m.var, item_ty)),
            &BTreeMap::new(),
            m.fail_fast,
            stmt,
        );
        // The Map's own fields can read a pending start assignment; its iterations cannot.
        let reads_start = reads_any(&states, &edges);
        let (edges, absorbed) = self.absorb_start(edges, !reads_start);
        let items = self.expr_on(&m.items, absorbed.as_ref(), &[], false);
        let state = State::Map(MapState {
            items: Some(Json(JsonValue::String(embed(&items.code)))),
            max_concurrency: m.max_concurrency.map(|n| NumberOrExpr::Number(n.into())),
            item_processor: Some(ItemProcessor {
                comment: None,
                processor_config: None,
                start_at,
                states,
            }),
            ..Default::default()
        });
        self.graph.add(&name, state);
        for e in edges {
            self.graph.connect(&e, &name);
        }
        let mut out = Edge::new(&name, Slot::Next);
        if let Some(a) = absorbed {
            out.assign = a.assign;
        }
        if let Dest::Var(v) = dest {
            out.assign.insert(v.clone(), "$states.result".to_owned());
        }
        vec![out]
    }

    /// `retry!(.. => body)?`: one task gets the retriers on its Task; a block becomes a single-branch
    /// Parallel carrying them, whose value and changed variables flow out through its output.
    pub(super) fn retry(
        &mut self,
        stmt: &Stmt,
        r: &RetryValue,
        edges: Vec<Edge>,
        dest: &Dest,
    ) -> Vec<Edge> {
        let retriers: Vec<asl::Retrier> = r
            .retriers
            .iter()
            .map(|d| crate::lower::task::retrier(d, self.ctx, self.diag))
            .collect();
        match &r.body {
            BranchBody::Task(call) => {
                let (name, absorbed) = self.task_state(stmt, call, edges);
                if let State::Task(t) = self.graph.get_mut(&name) {
                    // The retry! policies come first, then the task's own (natively: `run_task_with`).
                    // A catch-all among them leaves the task's own unconsulted (and must stay last).
                    let own = std::mem::take(&mut t.retry);
                    let catches_all = retriers
                        .iter()
                        .any(|r| r.error_equals.iter().any(|e| e == asl::STATES_ALL));
                    t.retry = retriers;
                    if !catches_all {
                        t.retry.extend(own);
                    }
                }
                let mut out = Edge::new(&name, Slot::Next);
                if let Some(a) = absorbed {
                    out.assign = a.assign;
                }
                if let Dest::Var(v) = dest {
                    out.assign
                        .insert(v.clone(), "$states.result.Payload".to_owned());
                }
                vec![out]
            }
            BranchBody::Nested(_) => {
                // The front end gives `retry!` a task or a block only.
                self.diag
                    .error(r.span, "retry! takes a task call or a block");
                edges
            }
            BranchBody::Block(block) => {
                let (edges, absorbed) = self.absorb_start(edges, true);
                let inherit = absorbed
                    .as_ref()
                    .map(|a| a.assign.clone())
                    .unwrap_or_default();
                // Enclosing variables the block assigns: copied in, handed back out.
                let mut assigned = BTreeSet::new();
                assigned_names(block, &mut assigned);
                let shadows: Vec<(String, VarInfo)> = assigned
                    .into_iter()
                    .filter_map(|n| self.lookup_var(&n).map(|v| (n, v)))
                    .collect();
                let branch = self.nested(block, None, &shadows, &inherit, Output::ValueAndVars);
                let name = self.state_name(&stmt.label, "Retry");
                let mut state = parallel_state(vec![branch]);
                if let State::Parallel(p) = &mut state {
                    p.retry = retriers;
                }
                self.graph.add(&name, state);
                for e in edges {
                    self.graph.connect(&e, &name);
                }
                let mut out = Edge::new(&name, Slot::Next);
                if let Some(a) = absorbed {
                    out.assign = a.assign;
                }
                for (_, info) in &shadows {
                    out.assign.insert(
                        info.asl.clone(),
                        format!("$states.result[0].vars.{}", info.asl),
                    );
                }
                if let Dest::Var(v) = dest {
                    out.assign
                        .insert(v.clone(), "$states.result[0].value".to_owned());
                }
                vec![out]
            }
        }
    }
}

/// Does the block end in a value (its last statement a value statement)?
fn block_has_value(block: &Block) -> bool {
    matches!(
        block.stmts.last().map(|s| &s.kind),
        Some(StmtKind::Value(_))
    )
}

/// Rust names assigned (`x = ..`, `x += ..`, `v.push(..)`) anywhere in the block.
fn assigned_names(block: &Block, out: &mut BTreeSet<String>) {
    for stmt in &block.stmts {
        match &stmt.kind {
            StmtKind::Bind { target, value } => {
                if let Target::Assign(id) = target {
                    out.insert(id.to_string());
                }
                assigned_in_value(value, out);
            }
            StmtKind::Push { var, .. } => {
                out.insert(var.to_string());
            }
            StmtKind::While { body, .. }
            | StmtKind::Loop { body, .. }
            | StmtKind::For { body, .. } => assigned_names(body, out),
            StmtKind::Value(v) => assigned_in_value(v, out),
            _ => {}
        }
    }
}

fn assigned_in_value(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::If {
            then, otherwise, ..
        } => {
            assigned_names(then, out);
            if let Some(o) = otherwise {
                assigned_names(o, out);
            }
        }
        Value::Match { arms, .. } => arms.iter().for_each(|a| assigned_names(&a.body, out)),
        Value::Catch(c) => {
            c.arms.iter().for_each(|a| assigned_names(&a.body, out));
        }
        Value::Block(b) => assigned_names(b, out),
        _ => {}
    }
}

fn parallel_state(branches: Vec<(String, States)>) -> State {
    State::Parallel(ParallelState {
        branches: branches
            .into_iter()
            .map(|(start_at, states)| Branch {
                comment: None,
                start_at,
                states,
            })
            .collect(),
        ..Default::default()
    })
}

impl StateGraph {
    /// `StartAt` and the states of a finished nested machine.
    pub fn into_parts(self) -> (String, States) {
        let m = self.into_machine(None, None);
        (m.start_at, m.states)
    }
}

/// Does a nested machine read a variable that a pending start edge among `edges` assigns?
fn reads_any(states: &States, edges: &[Edge]) -> bool {
    let Some(start) = edges.iter().find(|e| e.slot == Slot::Start) else {
        return false;
    };
    if start.assign.is_empty() {
        return false;
    }
    let text = serde_json::to_string(states).expect("states serialise");
    start.assign.keys().any(|var| mentions(&text, var))
}

/// `$var` appears in `text` as a whole variable name.
fn mentions(text: &str, var: &str) -> bool {
    let needle = format!("${var}");
    text.match_indices(&needle).any(|(i, _)| {
        !text[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}
