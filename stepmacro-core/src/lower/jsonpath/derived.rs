//! Derived variables: Choice operands that JSONPath must read from a variable.
//!
//! A JSONPath Choice rule compares a *Path* with a literal or another Path; it cannot call an
//! intrinsic. A JSONata condition such as `$x_index < $count($x_items)` (every `for x in xs` loop) or
//! `$i + $j > 10` has a computed operand. Such an operand gets a variable of its own, `x_items_count`,
//! and the conversion maintains the invariant *the variable equals the operand*: every `Assign` that
//! assigns one of the operand's variables also assigns the derived variable, computed from the values
//! that block assigns (ASL evaluates all values of an `Assign` with the variables as they were on
//! entry, so the operand is rebuilt with each assigned variable replaced by its new value). Blocks
//! that assign none of them leave both unchanged. The rule then compares the derived variable.
//!
//! The operand may only read variables: one reading `$states.input` has no block to live in.

use std::collections::{BTreeMap, BTreeSet};

use jsonata_core::ast::{AstNode, PathStep, Stage};

use super::expr::{self, Conv, Cx};
use super::value::Val;

/// One derived variable.
#[derive(Clone, Debug)]
pub struct Derived {
    pub var: String,
    pub operand: AstNode,
    pub reads: BTreeSet<String>,
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

    /// The variable path for `operand` (the same variable for the same operand).
    pub fn request(&mut self, operand: &AstNode, _conv: &Conv) -> Result<String, String> {
        if let Some(d) = self.list.iter().find(|d| d.operand == *operand) {
            return Ok(format!("${}", d.var));
        }
        let reads = variables(operand);
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
        let base = format!(
            "{}_{}",
            reads.iter().next().map(String::as_str).unwrap_or("v"),
            hint(operand)
        );
        let base: String = base.chars().take(60).collect();
        let var = self.fresh(&base);
        self.list.push(Derived {
            var: var.clone(),
            operand: operand.clone(),
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
            let rebuilt = substitute(&d.operand, block);
            let c = expr::value(&rebuilt, cx).map_err(|e| {
                format!(
                    "keeping the Choice operand `{}` up to date here: {e}",
                    d.var
                )
            })?;
            out.push((d.var.clone(), c.val));
        }
        Ok(out)
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

    #[test]
    fn operands_get_fresh_names_and_follow_their_variables() {
        let types = TypeRegistry::new();
        let vars: BTreeMap<String, Ty> = [
            ("xs".to_owned(), Ty::Vec(Box::new(Ty::Int))),
            ("i".to_owned(), Ty::Int),
        ]
        .into_iter()
        .collect();
        let roots = Roots::input(Shape::Of(Ty::Vec(Box::new(Ty::Int))));
        let cx = Cx {
            types: &types,
            vars: &vars,
            roots: &roots,
        };
        let taken: BTreeSet<String> = ["xs_count".to_owned()].into_iter().collect();
        let mut d = DerivedVars::new(taken);
        let count = ast("$count($xs)");
        let conv = expr::value(&count, &cx).unwrap();
        assert_eq!(d.request(&count, &conv).unwrap(), "$xs_count_2");
        assert_eq!(d.request(&count, &conv).unwrap(), "$xs_count_2");
        assert!(d.request(&ast("$count($states.input)"), &conv).is_err());

        // A block assigning `xs` from the state input keeps the count in step.
        let block: BTreeMap<String, AstNode> = [("xs".to_owned(), ast("$states.input"))]
            .into_iter()
            .collect();
        assert_eq!(
            d.assignments(&block, &cx).unwrap(),
            vec![(
                "xs_count_2".to_owned(),
                Val::Call("States.ArrayLength($)".into())
            )]
        );
        // A block assigning neither leaves it alone.
        let other: BTreeMap<String, AstNode> =
            [("i".to_owned(), ast("$i + 1"))].into_iter().collect();
        assert!(d.assignments(&other, &cx).unwrap().is_empty());

        let sum = ast("$i + $xs[0]");
        let conv = expr::value(&sum, &cx).unwrap();
        assert_eq!(d.request(&sum, &conv).unwrap(), "$i_sum");
        assert_eq!(
            d.assignments(&other, &cx).unwrap(),
            vec![(
                "i_sum".to_owned(),
                Val::Call("States.MathAdd(States.MathAdd($i, 1), $xs[0])".into())
            )]
        );
    }
}
