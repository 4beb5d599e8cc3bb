//! Derived variables: Choice operands that JSONPath must read from a variable.
//!
//! A JSONPath Choice rule compares a *Path* with a literal (or with another Path, but a `…Path`
//! operand naming a variable is neither documented by AWS nor read as one by moto, LocalStack and
//! statelint, so the conversion only uses `…Path` operands on the input). A JSONata condition has
//! richer operands, and each gets a variable that the conversion keeps up to date — every `Assign`
//! that assigns one of the operand's variables also assigns the derived variable, computed from the
//! values that block assigns (ASL evaluates all values of an `Assign` with the variables as they were
//! on entry, so the operand is rebuilt with each assigned variable replaced by its new value):
//!
//! * a **value**, for a computed operand compared with a literal (`$count($xs) = 0`, `$i + 1 > 10`):
//!   the derived variable equals the operand, recomputed wherever its variables change;
//! * a **difference**, for two integer operands compared with each other (`$x_index < $count($x_items)`
//!   in every `for x in xs` loop, `$i < $n`): the variable holds `right - left` and the rule compares it
//!   with 0. JSONPath cannot subtract two computed integers, so the difference is kept incrementally:
//!   a block that adds a literal to one side (`$i := $i + 1`) adds it to the difference
//!   (`States.MathAdd($d, -1)`), and a block that sets the left side to a literal (`$i := 0`) computes
//!   `right - literal` afresh. Any other change to the sides is an error.
//!
//! The operands may only read variables: one reading `$states.input` has no block to live in.

use std::collections::{BTreeMap, BTreeSet};

use jsonata_core::ast::{AstNode, BinaryOp, PathStep, Stage};
use serde_json::Value;

use super::expr::{self, Cx};
use super::intrinsic;
use super::value::Val;

/// What a derived variable holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// The operand's value.
    Value(AstNode),
    /// `right - left`, both integers.
    Difference { left: AstNode, right: AstNode },
}

/// One derived variable.
#[derive(Clone, Debug)]
pub struct Derived {
    pub var: String,
    pub kind: Kind,
    pub reads: BTreeSet<String>,
}

/// A request for a derived variable (see [`DerivedVars::request`]).
#[derive(Clone, Copy, Debug)]
pub enum Request<'a> {
    Value(&'a AstNode),
    Difference(&'a AstNode, &'a AstNode),
}

/// The derived variables of a machine.
#[derive(Debug, Default)]
pub struct DerivedVars {
    list: Vec<Derived>,
    /// Every variable name of the machine (to keep new names apart).
    taken: BTreeSet<String>,
}

impl DerivedVars {
    pub fn new(taken: BTreeSet<String>) -> Self {
        DerivedVars {
            list: Vec::new(),
            taken,
        }
    }

    /// A variable name no one uses yet, from `base`.
    pub fn fresh(&mut self, base: &str) -> String {
        let mut var = base.to_owned();
        let mut n = 2;
        while self.taken.contains(&var) {
            var = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(var.clone());
        var
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The variable path for a request (the same variable for the same request).
    pub fn request(&mut self, request: Request<'_>) -> Result<String, String> {
        let kind = match request {
            Request::Value(a) => Kind::Value(a.clone()),
            Request::Difference(l, r) => Kind::Difference {
                left: l.clone(),
                right: r.clone(),
            },
        };
        if let Some(d) = self.list.iter().find(|d| d.kind == kind) {
            return Ok(format!("${}", d.var));
        }
        let (reads, base) = match &kind {
            Kind::Value(a) => {
                let reads = variables(a);
                let first = reads.iter().next().cloned().unwrap_or_default();
                (reads, format!("{first}_{}", hint(a)))
            }
            Kind::Difference { left, right } => {
                let mut reads = variables(left);
                let first = reads.iter().next().cloned().unwrap_or_default();
                reads.extend(variables(right));
                (reads, format!("{first}_left"))
            }
        };
        if reads.contains("states") {
            return Err(
                "a computed comparison operand that reads `$states` (a JSONPath rule compares paths, and no \
                 Assign could keep this value in a variable)"
                    .to_owned(),
            );
        }
        if reads.is_empty() {
            return Err("a computed comparison operand that reads no variable".to_owned());
        }
        let base: String = base.chars().take(60).collect();
        let var = self.fresh(&base);
        self.list.push(Derived {
            var: var.clone(),
            kind,
            reads,
        });
        Ok(format!("${var}"))
    }

    /// The derived assignments an `Assign` block adds, given the JSONata values it assigns.
    pub fn assignments(
        &self,
        block: &BTreeMap<String, AstNode>,
        cx: &Cx<'_>,
    ) -> Result<Vec<(String, Val)>, String> {
        let mut out = Vec::new();
        for d in &self.list {
            if !d.reads.iter().any(|v| block.contains_key(v)) {
                continue;
            }
            let val = match &d.kind {
                Kind::Value(operand) => expr::value(&substitute(operand, block), cx).map(|c| c.val),
                Kind::Difference { left, right } => difference(&d.var, left, right, block, cx),
            }
            .map_err(|e| {
                format!(
                    "keeping the Choice operand `{}` up to date here: {e}",
                    d.var
                )
            })?;
            out.push((d.var.clone(), val));
        }
        Ok(out)
    }
}

/// How a block changes one side of a difference.
enum Change {
    /// Not at all.
    None,
    /// By adding this integer (`$i := $i + 1`).
    Add(i64),
    /// To a new value.
    Set(AstNode),
}

/// The new `right - left` after `block`.
fn difference(
    var: &str,
    left: &AstNode,
    right: &AstNode,
    block: &BTreeMap<String, AstNode>,
    cx: &Cx<'_>,
) -> Result<Val, String> {
    let current = Val::Path(format!("${var}"));
    let add = |base: Val, n: i64| -> Result<Val, String> {
        if n == 0 {
            return Ok(base);
        }
        Ok(Val::Call(intrinsic::call(
            "MathAdd",
            &[base.arg()?, n.to_string()],
        )))
    };
    match (change(left, block), change(right, block)) {
        (Change::None | Change::Add(_), Change::None | Change::Add(_)) => {
            let dl = match change(left, block) {
                Change::Add(n) => n,
                _ => 0,
            };
            let dr = match change(right, block) {
                Change::Add(n) => n,
                _ => 0,
            };
            add(current, dr - dl)
        }
        (Change::Set(l), r) => {
            let l = expr::value(&l, cx)?;
            let Some(Value::Number(n)) = l.val.literal() else {
                return Err("a loop bound compared with a value that is set to a computed value".to_owned());
            };
            let Some(n) = n.as_i64() else {
                return Err("a loop bound compared with a non-integer".to_owned());
            };
            let r = match r {
                Change::Set(r) => r,
                _ => substitute(right, block),
            };
            let r = expr::value(&r, cx)?;
            if !r.shape.is_int() {
                return Err("comparing with a value not known to be an integer".to_owned());
            }
            add(r.val, -n)
        }
        (_, Change::Set(_)) => Err(
            "a comparison of two values whose right side is set while the left one counts (JSONPath cannot \
             subtract)"
                .to_owned(),
        ),
    }
}

/// How `block` changes `side` (a variable, or an operand of variables).
fn change(side: &AstNode, block: &BTreeMap<String, AstNode>) -> Change {
    let reads = variables(side);
    if !reads.iter().any(|v| block.contains_key(v)) {
        return Change::None;
    }
    if let AstNode::Variable(v) = unblock(side)
        && let Some(new) = block.get(v)
        && let Some(n) = increment(v, new)
    {
        return Change::Add(n);
    }
    Change::Set(substitute(side, block))
}

/// `n` when `value` is `$v + n`, `n + $v` or `$v - n` for an integer literal `n`.
fn increment(v: &str, value: &AstNode) -> Option<i64> {
    let AstNode::Binary { op, lhs, rhs } = unblock(value) else {
        return None;
    };
    let int = |a: &AstNode| match unblock(a) {
        AstNode::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(*n as i64),
        _ => None,
    };
    let is_v = |a: &AstNode| matches!(unblock(a), AstNode::Variable(x) if x == v);
    match op {
        BinaryOp::Add if is_v(lhs) => int(rhs),
        BinaryOp::Add if is_v(rhs) => int(lhs),
        BinaryOp::Subtract if is_v(lhs) => int(rhs).map(|n| -n),
        _ => None,
    }
}

fn unblock(a: &AstNode) -> &AstNode {
    match a {
        AstNode::Block(items) if items.len() == 1 => unblock(&items[0]),
        other => other,
    }
}

/// A readable suffix for the variable holding `operand`.
fn hint(operand: &AstNode) -> &'static str {
    match operand {
        AstNode::Function { name, .. } if name == "count" => "count",
        AstNode::Binary { .. } => "sum",
        AstNode::Block(items) if items.len() == 1 => hint(&items[0]),
        _ => "value",
    }
}

/// The variables `ast` reads (`states` included when it reads `$states`).
pub fn variables(ast: &AstNode) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect(ast, &mut out);
    out
}

fn collect(ast: &AstNode, out: &mut BTreeSet<String>) {
    match ast {
        AstNode::Variable(v) => {
            out.insert(v.clone());
        }
        AstNode::Path { steps } => {
            for step in steps {
                collect(&step.node, out);
                for stage in &step.stages {
                    if let Stage::Filter(f) = stage {
                        collect(f, out);
                    }
                }
            }
        }
        AstNode::Binary { lhs, rhs, .. } => {
            collect(lhs, out);
            collect(rhs, out);
        }
        AstNode::Unary { operand, .. } => collect(operand, out),
        AstNode::Function { args, .. } => args.iter().for_each(|a| collect(a, out)),
        AstNode::Array(items) | AstNode::Block(items) => items.iter().for_each(|i| collect(i, out)),
        AstNode::Object(pairs) => pairs.iter().for_each(|(k, v)| {
            collect(k, out);
            collect(v, out);
        }),
        AstNode::Conditional {
            condition,
            then_branch,
            else_branch,
        } => {
            collect(condition, out);
            collect(then_branch, out);
            if let Some(e) = else_branch {
                collect(e, out);
            }
        }
        _ => {}
    }
}

/// `ast` with each variable in `values` replaced by (a parenthesised copy of) its value.
fn substitute(ast: &AstNode, values: &BTreeMap<String, AstNode>) -> AstNode {
    let sub = |a: &AstNode| substitute(a, values);
    match ast {
        AstNode::Variable(v) => match values.get(v) {
            Some(value) => AstNode::Block(vec![value.clone()]),
            None => ast.clone(),
        },
        AstNode::Path { steps } => AstNode::Path {
            steps: steps
                .iter()
                .map(|s| PathStep {
                    node: sub(&s.node),
                    stages: s
                        .stages
                        .iter()
                        .map(|st| match st {
                            Stage::Filter(f) => Stage::Filter(Box::new(sub(f))),
                            other => other.clone(),
                        })
                        .collect(),
                    ..s.clone()
                })
                .collect(),
        },
        AstNode::Binary { op, lhs, rhs } => AstNode::Binary {
            op: *op,
            lhs: Box::new(sub(lhs)),
            rhs: Box::new(sub(rhs)),
        },
        AstNode::Unary { op, operand } => AstNode::Unary {
            op: *op,
            operand: Box::new(sub(operand)),
        },
        AstNode::Function {
            name,
            args,
            is_builtin,
        } => AstNode::Function {
            name: name.clone(),
            args: args.iter().map(sub).collect(),
            is_builtin: *is_builtin,
        },
        AstNode::Array(items) => AstNode::Array(items.iter().map(sub).collect()),
        AstNode::Block(items) => AstNode::Block(items.iter().map(sub).collect()),
        AstNode::Object(pairs) => {
            AstNode::Object(pairs.iter().map(|(k, v)| (sub(k), sub(v))).collect())
        }
        AstNode::Conditional {
            condition,
            then_branch,
            else_branch,
        } => AstNode::Conditional {
            condition: Box::new(sub(condition)),
            then_branch: Box::new(sub(then_branch)),
            else_branch: else_branch.as_ref().map(|e| Box::new(sub(e))),
        },
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::types::{Ty, TypeRegistry};
    use crate::lower::jsonpath::expr::Roots;
    use crate::lower::jsonpath::shape::Shape;

    fn ast(code: &str) -> AstNode {
        expr::parse(code).unwrap()
    }

    fn block(entries: &[(&str, &str)]) -> BTreeMap<String, AstNode> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), ast(v)))
            .collect()
    }

    fn with_cx<R>(f: impl FnOnce(&Cx<'_>) -> R) -> R {
        let types = TypeRegistry::new();
        let vars: BTreeMap<String, Ty> = [
            ("xs".to_owned(), Ty::Vec(Box::new(Ty::Int))),
            ("i".to_owned(), Ty::Int),
            ("n".to_owned(), Ty::Int),
        ]
        .into_iter()
        .collect();
        let roots = Roots::input(Shape::Of(Ty::Vec(Box::new(Ty::Int))));
        f(&Cx {
            types: &types,
            vars: &vars,
            roots: &roots,
        })
    }

    #[test]
    fn values_get_fresh_names_and_follow_their_variables() {
        with_cx(|cx| {
            let taken: BTreeSet<String> = ["xs_count".to_owned()].into_iter().collect();
            let mut d = DerivedVars::new(taken);
            let count = ast("$count($xs)");
            assert_eq!(d.request(Request::Value(&count)).unwrap(), "$xs_count_2");
            assert_eq!(d.request(Request::Value(&count)).unwrap(), "$xs_count_2");
            assert!(
                d.request(Request::Value(&ast("$count($states.input)")))
                    .is_err()
            );
            // A block assigning `xs` from the state input keeps the count in step.
            assert_eq!(
                d.assignments(&block(&[("xs", "$states.input")]), cx)
                    .unwrap(),
                vec![(
                    "xs_count_2".to_owned(),
                    Val::Call("States.ArrayLength($)".into())
                )]
            );
            // A block assigning neither leaves it alone.
            assert!(
                d.assignments(&block(&[("i", "$i + 1")]), cx)
                    .unwrap()
                    .is_empty()
            );
        });
    }

    #[test]
    fn differences_follow_counters_and_resets() {
        with_cx(|cx| {
            let mut d = DerivedVars::new(BTreeSet::new());
            let (i, count) = (ast("$i"), ast("$count($xs)"));
            assert_eq!(
                d.request(Request::Difference(&i, &count)).unwrap(),
                "$i_left"
            );
            let run = |entries: &[(&str, &str)]| d.assignments(&block(entries), cx);
            // The loop starts: `right - 0`.
            assert_eq!(
                run(&[("i", "0"), ("xs", "$states.input")]).unwrap(),
                vec![(
                    "i_left".to_owned(),
                    Val::Call("States.ArrayLength($)".into())
                )]
            );
            // The counter steps: the difference shrinks.
            assert_eq!(
                run(&[("i", "$i + 1")]).unwrap(),
                vec![(
                    "i_left".to_owned(),
                    Val::Call("States.MathAdd($i_left, -1)".into())
                )]
            );
            // A restart at 2 against the same list.
            assert_eq!(
                run(&[("i", "2")]).unwrap(),
                vec![(
                    "i_left".to_owned(),
                    Val::Call("States.MathAdd(States.ArrayLength($xs), -2)".into())
                )]
            );
            // A counter set to a computed value cannot be followed.
            assert!(run(&[("i", "$n")]).is_err());
        });
    }
}
