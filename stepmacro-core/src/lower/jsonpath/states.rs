//! Each JSONata state → its JSONPath twin, field by field.
//!
//! | JSONata | JSONPath |
//! |---|---|
//! | Task/Parallel `Arguments` | `Parameters` (a template: `"k.$"` for computed values) |
//! | Task/Parallel/Map `Assign` (on `$states.result`) | `Assign` (`$` = the result) |
//! | `Output` on a Task/Parallel/Map | `OutputPath` for a path of the result, else `ResultSelector` (+ `OutputPath: $.value` for a non-object) |
//! | `Output` on a Pass | `OutputPath`, `Result` (a literal) or `Parameters` (+ `OutputPath`) |
//! | Succeed `Output` | `OutputPath` for a path of the input, else a `Pass` with `"End": true` that builds it |
//! | Choice `Condition` | a rule tree (`condition.rs`), rule and default `Assign` with `$` = the input |
//! | Wait `Seconds`/`Timestamp` expression | `SecondsPath`/`TimestampPath` (or the literal) |
//! | Fail `Error`/`Cause` expression | `ErrorPath`/`CausePath` (a path or `States.Format`), or the literal |
//! | Map `Items`, `ItemSelector` | `ItemsPath`, `ItemSelector` (`$` = the Map's input, `$$.Map.Item.*`) |
//! | Catcher `Assign` | `Assign` (`$` = the error output) |
//! | Catcher `Output` (`{'Err': $states.errorOutput}`) | moved into the Pass the Catcher leads to, which builds it with `Parameters` |
//!
//! Every state keeps the output it had (a Task without `Output` hands on its result, as JSONPath's
//! default `ResultPath: "$"` does), so `$states.input` of the next state is `$` there too. `Assign` and
//! `ResultSelector` never meet on one state: the engines disagree on whether `Assign` sees the result
//! before or after the selector (the lowering puts `Output` only on states that end their machine,
//! which assign nothing).

use std::collections::BTreeMap;

use jsonata_core::ast::AstNode;
use serde_json::{Map, Value};

use super::Signature;
use super::condition;
use super::derived::DerivedVars;
use super::error::Unsupported;
use super::expr::{self, Conv, Cx, Roots};
use super::path;
use super::scope::{self, At, Scope};
use super::value::{self, Val};
use crate::asl::{
    Assign, BoolOrExpr, Branch, Catcher, ChoiceRule, ChoiceState, FailState, ItemProcessor, Json,
    MapState, NumberOrExpr, ParallelState, PassState, State, States, SucceedState, TaskState,
    WaitState,
};
use crate::front::types::Ty;

/// The conversion of one machine.
pub struct Converter<'a> {
    pub sig: &'a Signature<'a>,
    pub vars: BTreeMap<String, Ty>,
    pub derived: DerivedVars,
    pub errors: Vec<Unsupported>,
    /// Every state name (new states get names apart from these).
    state_names: std::collections::BTreeSet<String>,
    /// Per nested machine (by its first state): the variable and the Pass that save its input.
    savers: BTreeMap<String, (String, String)>,
}

/// A Catcher's `Output` to be built by the Pass it leads to.
struct CatchMove {
    state: String,
    index: usize,
    target: String,
    code: String,
    /// Variables the Catcher's own `Assign` sets (the Pass would see their new values).
    assigned: Vec<String>,
}

/// How a state's output is made from a value.
enum Placement {
    /// The value is what the state outputs anyway.
    Same,
    /// `OutputPath`.
    Path(String),
    /// A template (`ResultSelector` / Pass `Parameters`), then `OutputPath` when the template wraps a
    /// non-object value as `{"value": ..}`.
    Template(Value, Option<String>),
    /// A literal (a Pass's `Result`).
    Literal(Value),
}

/// The key under which a non-object value is built before `OutputPath` unwraps it.
const WRAP: &str = "value";

impl<'a> Converter<'a> {
    pub fn new(
        sig: &'a Signature<'a>,
        vars: BTreeMap<String, Ty>,
        derived: DerivedVars,
        state_names: std::collections::BTreeSet<String>,
    ) -> Self {
        Converter {
            sig,
            vars,
            derived,
            errors: Vec::new(),
            state_names,
            savers: BTreeMap::new(),
        }
    }

    fn fail(&mut self, at: &At, field: &str, construct: impl Into<String>) {
        self.errors.push(Unsupported {
            state: at.name.clone(),
            field: field.to_owned(),
            construct: construct.into(),
        });
    }

    /// Converts every state of a scope (nested machines included); returns its `StartAt` too.
    ///
    /// The first state of a Parallel branch or a Map iteration absorbs the workflow's bindings from
    /// its input (`$states.input`), also in fields evaluated after its work, where JSONPath's `$` is
    /// the result. Then a Pass before it saves the input in a variable (`"input.$": "$"`) and those
    /// fields read the variable: the Pass passes its input on, so the first state sees the same
    /// input, and nothing else reads the new variable.
    pub fn scope(&mut self, scope: &Scope<'_>) -> (String, States) {
        let mut out: Vec<(String, State)> = Vec::with_capacity(scope.states.len() + 1);
        let mut moves = Vec::new();
        let mut start_at = scope.start_at.to_owned();
        let mut scope = scope.clone();
        if scope.nested
            && scope
                .states
                .get(scope.start_at)
                .is_some_and(scope::reads_input_after_work)
        {
            let (var, pass) = self.saver(scope.start_at);
            let mut assign = Assign::new();
            assign.insert(format!("{var}.$"), Json(Value::String("$".to_owned())));
            out.push((
                pass.clone(),
                State::Pass(PassState {
                    assign: Some(assign),
                    next: Some(start_at),
                    ..Default::default()
                }),
            ));
            start_at = pass;
            scope.input_var = Some(var);
        }
        for (name, state) in scope.states.iter() {
            let at = scope.at(name);
            let converted = self.state(&at, state, &mut moves);
            out.push((name.to_owned(), converted));
        }
        for m in moves {
            self.move_catch_output(&scope, &mut out, m);
        }
        (start_at, out.into_iter().collect())
    }

    /// The variable and the Pass that save the input of the nested machine starting at `start`.
    fn saver(&mut self, start: &str) -> (String, String) {
        if let Some(s) = self.savers.get(start) {
            return s.clone();
        }
        let var = self.derived.fresh(scope::INPUT_PLACEHOLDER);
        let base: String = format!("{start} input").chars().take(70).collect();
        let mut pass = base.clone();
        let mut n = 2;
        while self.state_names.contains(&pass) {
            pass = format!("{base} {n}");
            n += 1;
        }
        self.state_names.insert(pass.clone());
        self.savers
            .insert(start.to_owned(), (var.clone(), pass.clone()));
        (var, pass)
    }

    fn state(&mut self, at: &At, state: &State, moves: &mut Vec<CatchMove>) -> State {
        if state.query_language().is_some() {
            self.fail(at, "QueryLanguage", "a state with its own QueryLanguage");
        }
        match state {
            State::Task(t) => State::Task(self.task(at, state, t, moves)),
            State::Pass(p) => self.pass(at, p),
            State::Choice(c) => State::Choice(self.choice(at, c)),
            State::Wait(w) => State::Wait(self.wait(at, w)),
            State::Succeed(s) => self.succeed(at, s),
            State::Fail(f) => State::Fail(self.fail_state(at, f)),
            State::Parallel(p) => State::Parallel(self.parallel(at, state, p, moves)),
            State::Map(m) => State::Map(self.map(at, state, m, moves)),
        }
    }

    // ------------------------------------------------------------------------------- expressions

    fn cx<'r>(&'r self, roots: &'r Roots) -> Cx<'r> {
        Cx {
            types: self.sig.types,
            vars: &self.vars,
            roots,
        }
    }

    /// Converts the expression of a `{% %}` field.
    fn expr(&mut self, at: &At, field: &str, code: &str, roots: &Roots) -> Option<Conv> {
        let r = expr::parse(code).and_then(|ast| expr::value(&ast, &self.cx(roots)));
        match r {
            Ok(c) => Some(c),
            Err(e) => {
                self.fail(at, field, e);
                None
            }
        }
    }

    /// A JSONata field value (JSON with `{% %}` strings at any depth) as a [`Val`].
    fn json_val(&mut self, at: &At, field: &str, v: &Value, roots: &Roots) -> Option<Val> {
        match v {
            Value::String(s) => match crate::asl::jsonata_body(s) {
                Some(code) => self.expr(at, field, code, roots).map(|c| c.val),
                None => Some(Val::Lit(v.clone())),
            },
            Value::Object(m) => {
                let mut fields = Vec::with_capacity(m.len());
                let mut ok = true;
                for (k, item) in m {
                    match self.json_val(at, &format!("{field}.{k}"), item, roots) {
                        Some(val) => fields.push((k.clone(), val)),
                        None => ok = false,
                    }
                }
                ok.then_some(Val::Object(fields))
            }
            Value::Array(items) => {
                let vals: Vec<Option<Val>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.json_val(at, &format!("{field}[{i}]"), item, roots))
                    .collect();
                vals.into_iter().collect::<Option<Vec<_>>>().map(Val::Array)
            }
            other => Some(Val::Lit(other.clone())),
        }
    }

    /// A JSONata object field (`Arguments`, `ItemSelector`) as a JSONPath payload template.
    fn template(&mut self, at: &At, field: &str, v: &Json, roots: &Roots) -> Option<Json> {
        match self.json_val(at, field, v, roots)? {
            Val::Object(fields) => match value::template(&fields) {
                Ok(t) => Some(Json(t)),
                Err(e) => {
                    self.fail(at, field, e);
                    None
                }
            },
            Val::Lit(lit @ Value::Object(_)) => Some(Json(lit)),
            _ => {
                self.fail(
                    at,
                    field,
                    "a computed value that is not an object (JSONPath templates are objects)",
                );
                None
            }
        }
    }

    /// An `Assign` block; the derived variables (see `derived.rs`) it must keep up to date join it.
    fn assign(
        &mut self,
        at: &At,
        field: &str,
        assign: Option<&Assign>,
        roots: &Roots,
    ) -> Option<Assign> {
        let assign = assign?;
        let mut out = Assign::new();
        let mut asts: BTreeMap<String, AstNode> = BTreeMap::new();
        for (k, v) in assign {
            let f = format!("{field}.{k}");
            if let Some(code) = scope::body(v) {
                match expr::parse(code) {
                    Ok(ast) => {
                        asts.insert(k.clone(), ast);
                    }
                    Err(e) => self.fail(at, &f, e),
                }
            } else if let Some(ast) = literal_ast(v) {
                asts.insert(k.clone(), ast);
            }
            let Some(val) = self.json_val(at, &f, v, roots) else {
                continue;
            };
            self.put(at, &f, &mut out, k, &val);
        }
        if !self.derived.is_empty() {
            let r = self.derived.assignments(&asts, &self.cx(roots));
            match r {
                Ok(entries) => {
                    for (k, val) in entries {
                        self.put(at, field, &mut out, &k, &val);
                    }
                }
                Err(e) => self.fail(at, field, e),
            }
        }
        (!out.is_empty()).then_some(out)
    }

    fn put(&mut self, at: &At, field: &str, out: &mut Assign, key: &str, val: &Val) {
        match val.entry(key) {
            Ok((k, json)) => {
                out.insert(k, Json(json));
            }
            Err(e) => self.fail(at, field, e),
        }
    }

    /// How a Task/Parallel/Map outputs `c` (`$` = its result).
    fn place_result(&mut self, at: &At, field: &str, c: Conv) -> Option<Placement> {
        self.place(at, field, c, true)
    }

    /// How a Pass outputs `c` (`$` = its input).
    fn place_input(&mut self, at: &At, field: &str, c: Conv) -> Option<Placement> {
        self.place(at, field, c, false)
    }

    fn place(&mut self, at: &At, field: &str, c: Conv, on_result: bool) -> Option<Placement> {
        let wrapped = |this: &mut Self, val: &Val| -> Option<Placement> {
            match val.entry(WRAP) {
                Ok((k, json)) => {
                    let mut m = Map::new();
                    m.insert(k, json);
                    Some(Placement::Template(
                        Value::Object(m),
                        Some(format!("$.{WRAP}")),
                    ))
                }
                Err(e) => {
                    this.fail(at, field, e);
                    None
                }
            }
        };
        match &c.val {
            Val::Path(p) if p == "$" => Some(Placement::Same),
            Val::Path(p) if path::is_data_path(p) => Some(Placement::Path(p.clone())),
            Val::Object(fields) => match value::template(fields) {
                Ok(t) => Some(Placement::Template(t, None)),
                Err(e) => {
                    self.fail(at, field, e);
                    None
                }
            },
            Val::Lit(v) if !on_result => Some(Placement::Literal(v.clone())),
            other => wrapped(self, other),
        }
    }

    /// A number field that JSONata may compute: the literal, or the `…Path` field for a path.
    fn number_field(
        &mut self,
        at: &At,
        field: &str,
        v: &Option<NumberOrExpr>,
        roots: &Roots,
    ) -> (Option<NumberOrExpr>, Option<String>) {
        match v {
            None => (None, None),
            Some(NumberOrExpr::Number(n)) => (Some(NumberOrExpr::Number(n.clone())), None),
            Some(NumberOrExpr::Expression(s)) => {
                let Some(code) = crate::asl::jsonata_body(s) else {
                    self.fail(at, field, "a string where a number belongs");
                    return (None, None);
                };
                match self.expr(at, field, code, roots).map(|c| c.val) {
                    Some(Val::Lit(Value::Number(n))) => (Some(NumberOrExpr::Number(n)), None),
                    Some(Val::Path(p)) => (None, Some(p)),
                    Some(_) => {
                        self.fail(
                            at,
                            field,
                            format!(
                                "a computed {field} (the `{field}Path` field takes a path only)"
                            ),
                        );
                        (None, None)
                    }
                    None => (None, None),
                }
            }
        }
    }

    fn catchers(&mut self, at: &At, catch: &[Catcher], moves: &mut Vec<CatchMove>) -> Vec<Catcher> {
        let roots = at.error_roots();
        catch
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let assign =
                    self.assign(at, &format!("Catch[{i}].Assign"), c.assign.as_ref(), &roots);
                if let Some(code) = c.output.as_ref().and_then(|o| scope::body(o)) {
                    if code.trim() != "$states.errorOutput" {
                        moves.push(CatchMove {
                            state: at.name.clone(),
                            index: i,
                            target: c.next.clone(),
                            code: code.to_owned(),
                            assigned: c.assign.iter().flat_map(|a| a.keys().cloned()).collect(),
                        });
                    }
                } else if c.output.is_some() {
                    self.fail(
                        at,
                        &format!("Catch[{i}].Output"),
                        "a literal Catcher output",
                    );
                }
                Catcher {
                    error_equals: c.error_equals.clone(),
                    comment: c.comment.clone(),
                    result_path: None,
                    output: None,
                    assign,
                    next: c.next.clone(),
                }
            })
            .collect()
    }

    /// A Catcher's `Output` becomes the `Parameters` of the Pass it leads to, when that Pass only
    /// passes its input on and nothing else leads there: a Catcher's JSONPath output is the error
    /// output (placed by `ResultPath` into the failed state's input, which is not what JSONata's
    /// `Output` builds).
    fn move_catch_output(&mut self, scope: &Scope<'_>, out: &mut [(String, State)], m: CatchMove) {
        let at = scope.at(&m.state);
        let field = format!("Catch[{}].Output", m.index);
        let incoming = scope
            .states
            .iter()
            .flat_map(|(_, s)| s.edges())
            .filter(|e| e.target == m.target)
            .count();
        let plain_pass = matches!(
            scope.states.get(&m.target),
            Some(State::Pass(p)) if p.output.is_none() && p.assign.is_none() && p.result.is_none() && p.parameters.is_none()
        );
        if incoming != 1 || !plain_pass {
            self.fail(
                &at,
                &field,
                "a Catcher output (JSONPath places the error output into the state's input instead)",
            );
            return;
        }
        let roots = Roots {
            input: expr::Root::Missing(
                "the failed state's input (a Catcher's output is built by the next state)",
            ),
            result: expr::Root::Missing("the result (a Catcher runs because there is none)"),
            error: expr::Root::At("$".to_owned(), super::shape::Shape::Of(Ty::Failure)),
            present: Default::default(),
        };
        if let Ok(ast) = expr::parse(&m.code) {
            let reads = super::derived::variables(&ast);
            if let Some(v) = m.assigned.iter().find(|v| reads.contains(*v)) {
                self.fail(
                    &at,
                    &field,
                    format!("a Catcher output reading `${v}`, which the Catcher also assigns"),
                );
                return;
            }
        }
        let Some(c) = self.expr(&at, &field, &m.code, &roots) else {
            return;
        };
        let Some(placement) = self.place_input(&at, &field, c) else {
            return;
        };
        if let Some((_, State::Pass(p))) = out.iter_mut().find(|(n, _)| *n == m.target) {
            apply_to_pass(p, placement);
        }
    }

    // ------------------------------------------------------------------------------------ states

    fn task(
        &mut self,
        at: &At,
        state: &State,
        t: &TaskState,
        moves: &mut Vec<CatchMove>,
    ) -> TaskState {
        for (set, name) in [
            (t.input_path.is_some(), "InputPath"),
            (t.parameters.is_some(), "Parameters"),
            (t.result_selector.is_some(), "ResultSelector"),
            (t.result_path.is_some(), "ResultPath"),
            (t.output_path.is_some(), "OutputPath"),
            (t.credentials.is_some(), "Credentials"),
        ] {
            if set {
                self.fail(at, name, format!("the field {name}"));
            }
        }
        let input = at.input_roots();
        let parameters = t
            .arguments
            .as_ref()
            .and_then(|a| self.template(at, "Arguments", a, &input));
        let (timeout_seconds, timeout_seconds_path) =
            self.number_field(at, "TimeoutSeconds", &t.timeout_seconds, &input);
        let (heartbeat_seconds, heartbeat_seconds_path) =
            self.number_field(at, "HeartbeatSeconds", &t.heartbeat_seconds, &input);
        let result = at.result_roots(scope::result_shape(state, at, self.sig, &self.vars));
        let assign = self.assign(at, "Assign", t.assign.as_ref(), &result);
        let mut out = TaskState {
            comment: t.comment.clone(),
            resource: t.resource.clone(),
            parameters,
            timeout_seconds,
            timeout_seconds_path: timeout_seconds_path.or_else(|| t.timeout_seconds_path.clone()),
            heartbeat_seconds,
            heartbeat_seconds_path: heartbeat_seconds_path
                .or_else(|| t.heartbeat_seconds_path.clone()),
            assign,
            retry: t.retry.clone(),
            catch: self.catchers(at, &t.catch, moves),
            next: t.next.clone(),
            end: t.end,
            ..Default::default()
        };
        if let Some(p) = self.output_on_result(at, t.output.as_ref(), &result, out.assign.is_some())
        {
            (out.result_selector, out.output_path) = selector_fields(p);
        }
        out
    }

    /// The `Output` of a Task/Parallel/Map.
    fn output_on_result(
        &mut self,
        at: &At,
        output: Option<&Json>,
        roots: &Roots,
        assigns: bool,
    ) -> Option<Placement> {
        let o = output?;
        let val = self.json_val(at, "Output", o, roots)?;
        let placement = self.place_result(
            at,
            "Output",
            Conv {
                val,
                shape: super::shape::Shape::unknown(),
            },
        )?;
        if assigns && matches!(placement, Placement::Template(..)) {
            self.fail(
                at,
                "Output",
                "a computed Output on a state that also assigns variables (engines disagree on whether \
                 Assign sees the result before or after ResultSelector)",
            );
            return None;
        }
        Some(placement)
    }

    fn pass(&mut self, at: &At, p: &PassState) -> State {
        let input = at.input_roots();
        let assign = self.assign(at, "Assign", p.assign.as_ref(), &input);
        let mut out = PassState {
            comment: p.comment.clone(),
            assign,
            next: p.next.clone(),
            end: p.end,
            ..Default::default()
        };
        if let Some(o) = &p.output
            && let Some(val) = self.json_val(at, "Output", o, &input)
            && let Some(placement) = self.place_input(
                at,
                "Output",
                Conv {
                    val,
                    shape: super::shape::Shape::unknown(),
                },
            )
        {
            if out.assign.is_some()
                && matches!(placement, Placement::Template(..) | Placement::Literal(_))
            {
                self.fail(
                    at,
                    "Output",
                    "a computed Output on a Pass that also assigns variables (its Assign would read the new output)",
                );
            } else {
                apply_to_pass(&mut out, placement);
            }
        }
        State::Pass(out)
    }

    fn choice(&mut self, at: &At, c: &ChoiceState) -> ChoiceState {
        let input = at.input_roots();
        let mut choices = Vec::with_capacity(c.choices.len());
        for (i, r) in c.choices.iter().enumerate() {
            let field = format!("Choices[{i}]");
            let mut rule = match &r.condition {
                Some(BoolOrExpr::Bool(b)) => condition::constant(*b),
                Some(BoolOrExpr::Expression(s)) => {
                    match crate::asl::jsonata_body(s).map(expr::parse) {
                        Some(Ok(ast)) => {
                            let cx = Cx {
                                types: self.sig.types,
                                vars: &self.vars,
                                roots: &input,
                            };
                            let derived = &mut self.derived;
                            let r = condition::rule(&ast, &cx, &mut |req| derived.request(req));
                            match r {
                                Ok(rule) => rule,
                                Err(e) => {
                                    self.fail(at, &format!("{field}.Condition"), e);
                                    ChoiceRule::default()
                                }
                            }
                        }
                        Some(Err(e)) => {
                            self.fail(at, &format!("{field}.Condition"), e);
                            ChoiceRule::default()
                        }
                        None => {
                            self.fail(
                                at,
                                &format!("{field}.Condition"),
                                "a string that is not an expression",
                            );
                            ChoiceRule::default()
                        }
                    }
                }
                None => {
                    self.fail(at, &field, "a rule without a Condition");
                    ChoiceRule::default()
                }
            };
            if r.output.is_some() {
                self.fail(at, &format!("{field}.Output"), "a Choice rule's Output");
            }
            let mut when = at.rule_roots();
            when.present = present_at(condition::present(&rule), &when);
            let assign = self.assign(at, &format!("{field}.Assign"), r.assign.as_ref(), &when);
            if assign.is_some() && rule.variable.is_some() {
                // moto and LocalStack drop the `Assign` of a data-test rule (they keep a Boolean
                // rule's): the same test as a one-rule `And` means the same everywhere.
                rule = ChoiceRule {
                    and: Some(vec![rule]),
                    ..Default::default()
                };
            }
            rule.comment = r.comment.clone();
            rule.assign = assign;
            rule.next = r.next.clone();
            choices.push(rule);
        }
        if c.output.is_some() {
            self.fail(at, "Output", "a Choice's Output");
        }
        ChoiceState {
            comment: c.comment.clone(),
            choices,
            default: c.default.clone(),
            assign: self.assign(at, "Assign", c.assign.as_ref(), &input),
            ..Default::default()
        }
    }

    fn wait(&mut self, at: &At, w: &WaitState) -> WaitState {
        let input = at.input_roots();
        let (seconds, seconds_path) = self.number_field(at, "Seconds", &w.seconds, &input);
        let mut out = WaitState {
            comment: w.comment.clone(),
            seconds,
            seconds_path: seconds_path.or_else(|| w.seconds_path.clone()),
            timestamp_path: w.timestamp_path.clone(),
            assign: self.assign(at, "Assign", w.assign.as_ref(), &input),
            next: w.next.clone(),
            end: w.end,
            ..Default::default()
        };
        match w
            .timestamp
            .as_deref()
            .map(|t| (t, crate::asl::jsonata_body(t)))
        {
            None => {}
            Some((t, None)) => out.timestamp = Some(t.to_owned()),
            Some((_, Some(code))) => {
                match self.expr(at, "Timestamp", code, &input).map(|c| c.val) {
                    Some(Val::Lit(Value::String(s))) if crate::asl::is_timestamp(&s) => {
                        out.timestamp = Some(s)
                    }
                    Some(Val::Path(p)) => out.timestamp_path = Some(p),
                    Some(_) => self.fail(
                        at,
                        "Timestamp",
                        "a computed timestamp (TimestampPath takes a path only)",
                    ),
                    None => {}
                }
            }
        }
        if let Some(o) = &w.output {
            match self.json_val(at, "Output", o, &input) {
                Some(Val::Path(p)) if p == "$" => {}
                Some(Val::Path(p)) if path::is_data_path(&p) => out.output_path = Some(Some(p)),
                Some(_) => self.fail(at, "Output", "a computed Output on a Wait"),
                None => {}
            }
        }
        out
    }

    fn succeed(&mut self, at: &At, s: &SucceedState) -> State {
        let Some(o) = &s.output else {
            return State::Succeed(SucceedState {
                comment: s.comment.clone(),
                ..Default::default()
            });
        };
        let input = at.input_roots();
        let Some(val) = self.json_val(at, "Output", o, &input) else {
            return State::Succeed(SucceedState::default());
        };
        let conv = Conv {
            val,
            shape: super::shape::Shape::unknown(),
        };
        match self.place_input(at, "Output", conv) {
            Some(Placement::Same) | None => State::Succeed(SucceedState {
                comment: s.comment.clone(),
                ..Default::default()
            }),
            Some(Placement::Path(p)) => State::Succeed(SucceedState {
                comment: s.comment.clone(),
                output_path: Some(Some(p)),
                ..Default::default()
            }),
            // A Succeed has no template field: a Pass that ends its machine builds the output.
            Some(placement) => {
                let mut pass = PassState {
                    comment: s.comment.clone(),
                    end: Some(true),
                    ..Default::default()
                };
                apply_to_pass(&mut pass, placement);
                State::Pass(pass)
            }
        }
    }

    fn fail_state(&mut self, at: &At, f: &FailState) -> FailState {
        let input = at.input_roots();
        let (error, error_path) = self.fail_field(at, "Error", f.error.as_deref(), &input);
        let (cause, cause_path) = self.fail_field(at, "Cause", f.cause.as_deref(), &input);
        FailState {
            comment: f.comment.clone(),
            error,
            error_path: error_path.or_else(|| f.error_path.clone()),
            cause,
            cause_path: cause_path.or_else(|| f.cause_path.clone()),
            ..Default::default()
        }
    }

    /// A Fail state's `Error` or `Cause`: the literal, or the `…Path` field (a reference path or a
    /// string-returning intrinsic).
    fn fail_field(
        &mut self,
        at: &At,
        field: &str,
        text: Option<&str>,
        roots: &Roots,
    ) -> (Option<String>, Option<String>) {
        let Some(text) = text else {
            return (None, None);
        };
        let Some(code) = crate::asl::jsonata_body(text) else {
            return (Some(text.to_owned()), None);
        };
        match self.expr(at, field, code, roots).map(|c| c.val) {
            Some(Val::Lit(Value::String(s))) => (Some(s), None),
            Some(Val::Path(p)) => (None, Some(p)),
            Some(Val::Call(c))
                if c.starts_with("States.Format(") || c.starts_with("States.ArrayGetItem(") =>
            {
                (None, Some(c))
            }
            Some(_) => {
                self.fail(
                    at,
                    field,
                    format!("a computed {field} that is neither a path nor `States.Format`"),
                );
                (None, None)
            }
            None => (None, None),
        }
    }

    fn parallel(
        &mut self,
        at: &At,
        state: &State,
        p: &ParallelState,
        moves: &mut Vec<CatchMove>,
    ) -> ParallelState {
        for (set, name) in [
            (p.input_path.is_some(), "InputPath"),
            (p.parameters.is_some(), "Parameters"),
            (p.result_selector.is_some(), "ResultSelector"),
            (p.result_path.is_some(), "ResultPath"),
            (p.output_path.is_some(), "OutputPath"),
        ] {
            if set {
                self.fail(at, name, format!("the field {name}"));
            }
        }
        let input = at.input_roots();
        let parameters = p
            .arguments
            .as_ref()
            .and_then(|a| self.template(at, "Arguments", a, &input));
        let branches = p
            .branches
            .iter()
            .map(|b| {
                let inner = Scope {
                    states: &b.states,
                    start_at: &b.start_at,
                    nested: true,
                    // With `Arguments`, the branches get the computed input.
                    input: if p.arguments.is_some() {
                        super::shape::Shape::unknown()
                    } else {
                        at.input.clone()
                    },
                    input_var: None,
                };
                let (start_at, states) = self.scope(&inner);
                Branch {
                    comment: b.comment.clone(),
                    start_at,
                    states,
                }
            })
            .collect();
        let result = at.result_roots(scope::result_shape(state, at, self.sig, &self.vars));
        let assign = self.assign(at, "Assign", p.assign.as_ref(), &result);
        let mut out = ParallelState {
            comment: p.comment.clone(),
            parameters,
            branches,
            assign,
            retry: p.retry.clone(),
            catch: self.catchers(at, &p.catch, moves),
            next: p.next.clone(),
            end: p.end,
            ..Default::default()
        };
        if let Some(pl) =
            self.output_on_result(at, p.output.as_ref(), &result, out.assign.is_some())
        {
            (out.result_selector, out.output_path) = selector_fields(pl);
        }
        out
    }

    fn map(
        &mut self,
        at: &At,
        state: &State,
        m: &MapState,
        moves: &mut Vec<CatchMove>,
    ) -> MapState {
        for (set, name) in [
            (m.input_path.is_some(), "InputPath"),
            (m.items_path.is_some(), "ItemsPath"),
            (m.parameters.is_some(), "Parameters"),
            (m.item_reader.is_some(), "ItemReader"),
            (m.item_batcher.is_some(), "ItemBatcher"),
            (m.result_writer.is_some(), "ResultWriter"),
            (m.iterator.is_some(), "Iterator"),
            (m.result_selector.is_some(), "ResultSelector"),
            (m.result_path.is_some(), "ResultPath"),
            (m.output_path.is_some(), "OutputPath"),
        ] {
            if set {
                self.fail(at, name, format!("the field {name}"));
            }
        }
        let input = at.input_roots();
        let items_path = match &m.items {
            None => None,
            Some(v) => match scope::body(v) {
                Some(code) => match self.expr(at, "Items", code, &input).map(|c| c.val) {
                    Some(Val::Path(p)) if p == "$" => None,
                    Some(Val::Path(p)) => Some(p),
                    Some(_) => {
                        self.fail(
                            at,
                            "Items",
                            "computed Map items (ItemsPath takes a path only)",
                        );
                        None
                    }
                    None => None,
                },
                None => {
                    self.fail(
                        at,
                        "Items",
                        "a literal list as the Map's items (ItemsPath takes a path only)",
                    );
                    None
                }
            },
        };
        let item_selector = m
            .item_selector
            .as_ref()
            .and_then(|s| self.template(at, "ItemSelector", s, &input));
        let (max_concurrency, max_concurrency_path) =
            self.number_field(at, "MaxConcurrency", &m.max_concurrency, &input);
        let (tolerated_failure_percentage, tolerated_failure_percentage_path) = self.number_field(
            at,
            "ToleratedFailurePercentage",
            &m.tolerated_failure_percentage,
            &input,
        );
        let (tolerated_failure_count, tolerated_failure_count_path) = self.number_field(
            at,
            "ToleratedFailureCount",
            &m.tolerated_failure_count,
            &input,
        );
        let item_processor = m.item_processor.as_ref().map(|p| {
            let inner = Scope {
                states: &p.states,
                start_at: &p.start_at,
                nested: true,
                input: if m.item_selector.is_some() {
                    super::shape::Shape::unknown()
                } else {
                    scope::items_shape(state, at, self.sig, &self.vars).element()
                },
                input_var: None,
            };
            let (start_at, states) = self.scope(&inner);
            ItemProcessor {
                comment: p.comment.clone(),
                processor_config: p.processor_config.clone(),
                start_at,
                states,
            }
        });
        let result = at.result_roots(scope::result_shape(state, at, self.sig, &self.vars));
        let assign = self.assign(at, "Assign", m.assign.as_ref(), &result);
        let mut out = MapState {
            comment: m.comment.clone(),
            items_path,
            item_selector,
            item_processor,
            max_concurrency,
            max_concurrency_path,
            tolerated_failure_percentage,
            tolerated_failure_percentage_path,
            tolerated_failure_count,
            tolerated_failure_count_path,
            label: m.label.clone(),
            assign,
            retry: m.retry.clone(),
            catch: self.catchers(at, &m.catch, moves),
            next: m.next.clone(),
            end: m.end,
            ..Default::default()
        };
        if let Some(pl) =
            self.output_on_result(at, m.output.as_ref(), &result, out.assign.is_some())
        {
            (out.result_selector, out.output_path) = selector_fields(pl);
        }
        out
    }
}

/// Paths a rule proved present (written on `$`, the input), as the rule's `Assign` reads the input
/// (see [`At::rule_roots`]).
fn present_at(
    present: std::collections::BTreeSet<String>,
    roots: &Roots,
) -> std::collections::BTreeSet<String> {
    let expr::Root::At(input, _) = &roots.input else {
        return present;
    };
    present
        .into_iter()
        .map(|p| match p.strip_prefix('$') {
            Some(rest) if path::is_data_path(&p) => format!("{input}{rest}"),
            _ => p,
        })
        .collect()
}

/// `ResultSelector` and `OutputPath` for a placement on a result.
fn selector_fields(p: Placement) -> (Option<Json>, Option<Option<String>>) {
    match p {
        Placement::Same => (None, None),
        Placement::Path(path) => (None, Some(Some(path))),
        Placement::Template(t, unwrap) => (Some(Json(t)), unwrap.map(Some)),
        Placement::Literal(v) => {
            let mut m = Map::new();
            m.insert(WRAP.to_owned(), v);
            (
                Some(Json(Value::Object(m))),
                Some(Some(format!("$.{WRAP}"))),
            )
        }
    }
}

/// Makes a Pass output a placement (its `$` is its input).
fn apply_to_pass(p: &mut PassState, placement: Placement) {
    match placement {
        Placement::Same => {}
        Placement::Path(path) => p.output_path = Some(Some(path)),
        Placement::Template(t, unwrap) => {
            p.parameters = Some(Json(t));
            p.output_path = unwrap.map(Some);
        }
        Placement::Literal(v) => p.result = Some(Json(v)),
    }
}

/// A scalar JSON literal as the JSONata expression that yields it (for derived variables).
fn literal_ast(v: &Value) -> Option<AstNode> {
    Some(match v {
        Value::Null => AstNode::Null,
        Value::Bool(b) => AstNode::Boolean(*b),
        Value::Number(n) => AstNode::Number(n.as_f64()?),
        Value::String(s) => AstNode::String(s.clone()),
        Value::Array(_) | Value::Object(_) => return None,
    })
}
