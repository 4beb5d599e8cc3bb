//! JSONata Choice conditions → JSONPath Choice rules (`And`/`Or`/`Not`, `Variable` + one operator).
//!
//! | JSONata | JSONPath rule |
//! |---|---|
//! | `a and b`, `a or b`, `$not(a)` | `And`, `Or`, `Not` (both short-circuit) |
//! | `p = 3`, `p < 'm'`, `p = true`, `p = null` | `NumericEquals`, `StringLessThan`, `BooleanEquals`, `IsNull` |
//! | `p != v` | `Not` of the equality (JSONata's `!=` is true for operands of different types, as is this) |
//! | `p < q` (two values) | `NumericLessThanPath`, `StringLessThanPath`, `BooleanEqualsPath` by their type |
//! | `$exists(p)` | `IsPresent` |
//! | `($exists(p) ? p : d) op v` (an `Option` field with a default) | `IsPresent` combined with `p op v` |
//! | `v in [l1, l2]` | `Or` of equalities |
//! | `c ? a : b` | `(c and a) or (not c and b)` |
//! | `p` (a bool) | `BooleanEquals: true` |
//! | `true`, `false` | `$` `IsPresent: true` / `false` |
//!
//! A comparison operand that is not a path (`$count(xs)`, `$i + 1`) is computed into a *derived
//! variable* that the caller keeps up to date (see `derived.rs`) and compared through it.
//!
//! Why this is exact for what the lowering emits: the operands are well-typed Rust values, so a
//! numeric comparison meets numbers (JSONata would raise an error on mixed types, JSONPath answers
//! false; neither happens), a compared field is present (serde writes every field that the lowering
//! reads without a `$exists` guard), and strings are only ordered against literals below U+E000,
//! where JSONata's UTF-16 order and JSONPath's code-point order agree.

use jsonata_core::ast::{AstNode, BinaryOp};
use serde_json::Value;

use super::derived::Request;
use super::expr::{self, Conv, Cx};
use super::path;
use super::value::Val;
use crate::asl::{ChoiceRule, ComparisonOperator as Op, Json};
use crate::front::types::Ty;

/// Turns a computed comparison operand into a variable path (see `derived.rs`).
pub type Derive<'d> = dyn FnMut(Request<'_>) -> Result<String, String> + 'd;

/// Converts a condition into a rule (without `Next`/`Assign`).
pub fn rule(ast: &AstNode, cx: &Cx<'_>, derive: &mut Derive<'_>) -> Result<ChoiceRule, String> {
    match ast {
        AstNode::Block(items) if items.len() == 1 => rule(&items[0], cx, derive),
        AstNode::Boolean(b) => Ok(constant(*b)),
        AstNode::Binary {
            op: op @ (BinaryOp::And | BinaryOp::Or),
            ..
        } => {
            let mut parts = Vec::new();
            flatten(ast, *op, &mut parts);
            let rules = parts
                .into_iter()
                .map(|p| rule(p, cx, derive))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if *op == BinaryOp::And {
                ChoiceRule {
                    and: Some(rules),
                    ..Default::default()
                }
            } else {
                ChoiceRule {
                    or: Some(rules),
                    ..Default::default()
                }
            })
        }
        AstNode::Function { name, args, .. } if name == "not" && args.len() == 1 => {
            Ok(not(rule(&args[0], cx, derive)?))
        }
        AstNode::Function { name, args, .. } if name == "exists" && args.len() == 1 => {
            let p = operand_path(&args[0], cx, derive)?;
            Ok(test(p, Op::IsPresent, Value::Bool(true)))
        }
        AstNode::Binary { op, lhs, rhs } if comparison(*op).is_some() => {
            compare(*op, lhs, rhs, cx, derive)
        }
        AstNode::Binary {
            op: BinaryOp::In,
            lhs,
            rhs,
        } => {
            let AstNode::Array(items) = &**rhs else {
                return Err("`in` a computed list (`contains` on a list variable)".to_owned());
            };
            let rules = items
                .iter()
                .map(|item| compare(BinaryOp::Equal, lhs, item, cx, derive))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ChoiceRule {
                or: Some(rules),
                ..Default::default()
            })
        }
        AstNode::Conditional {
            condition,
            then_branch,
            else_branch: Some(else_branch),
        } => {
            let c = rule(condition, cx, derive)?;
            let a = rule(then_branch, cx, derive)?;
            let b = rule(else_branch, cx, derive)?;
            Ok(ChoiceRule {
                or: Some(vec![
                    ChoiceRule {
                        and: Some(vec![c.clone(), a]),
                        ..Default::default()
                    },
                    ChoiceRule {
                        and: Some(vec![not(c), b]),
                        ..Default::default()
                    },
                ]),
                ..Default::default()
            })
        }
        other => {
            // A bool-valued expression.
            let c = expr::value(other, cx)?;
            if let Val::Lit(Value::Bool(b)) = c.val {
                return Ok(constant(b));
            }
            if !matches!(c.shape.ty(), Ty::Bool | Ty::Unknown) {
                return Err(format!("a condition of type `{}`", c.shape.ty()));
            }
            let p = as_path(other, &c, derive)?;
            Ok(test(p, Op::BooleanEquals, Value::Bool(true)))
        }
    }
}

/// The paths a JSONata condition proves present (as [`present`] of its rule; none when it does not
/// convert).
pub fn present_in(code: &str, cx: &Cx<'_>) -> std::collections::BTreeSet<String> {
    let mut placeholder = |_: Request<'_>| Ok("$".to_owned());
    expr::parse(code)
        .and_then(|ast| rule(&ast, cx, &mut placeholder))
        .map(|r| present(&r))
        .unwrap_or_default()
}

/// The paths a rule proves present when it matches: its `IsPresent: true` tests, also inside `And`.
pub fn present(rule: &ChoiceRule) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    if let Some(all) = &rule.and {
        for r in all {
            out.extend(present(r));
        }
    }
    if let (Some(v), Some(Json(Value::Bool(true)))) = (&rule.variable, &rule.is_present) {
        out.insert(v.clone());
    }
    out
}

/// A rule that always (or never) matches: `$` (the state's input) is always present.
pub fn constant(b: bool) -> ChoiceRule {
    test("$".to_owned(), Op::IsPresent, Value::Bool(b))
}

fn test(variable: String, op: Op, operand: Value) -> ChoiceRule {
    let mut r = ChoiceRule {
        variable: Some(variable),
        ..Default::default()
    };
    r.set_operand(op, Some(Json(operand)));
    r
}

fn not(r: ChoiceRule) -> ChoiceRule {
    ChoiceRule {
        not: Some(Box::new(r)),
        ..Default::default()
    }
}

fn flatten<'a>(ast: &'a AstNode, op: BinaryOp, out: &mut Vec<&'a AstNode>) {
    match ast {
        AstNode::Binary { op: o, lhs, rhs } if *o == op => {
            flatten(lhs, op, out);
            flatten(rhs, op, out);
        }
        AstNode::Block(items)
            if items.len() == 1
                && matches!(&items[0], AstNode::Binary { op: o, .. } if *o == op) =>
        {
            flatten(&items[0], op, out)
        }
        other => out.push(other),
    }
}

/// A comparison operator: the operator with the operand on the right, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// The same test with the operands swapped (`3 < p` is `p > 3`).
    fn flipped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            same => same,
        }
    }
}

fn comparison(op: BinaryOp) -> Option<Cmp> {
    Some(match op {
        BinaryOp::Equal => Cmp::Eq,
        BinaryOp::NotEqual => Cmp::Ne,
        BinaryOp::LessThan => Cmp::Lt,
        BinaryOp::LessThanOrEqual => Cmp::Le,
        BinaryOp::GreaterThan => Cmp::Gt,
        BinaryOp::GreaterThanOrEqual => Cmp::Ge,
        _ => return None,
    })
}

/// `l op r`.
fn compare(
    op: BinaryOp,
    lhs: &AstNode,
    rhs: &AstNode,
    cx: &Cx<'_>,
    derive: &mut Derive<'_>,
) -> Result<ChoiceRule, String> {
    let cmp = comparison(op).ok_or_else(|| format!("the operator {op:?}"))?;
    // An `Option` field with a default, compared with a literal.
    if let Some((p, default)) = defaulted(lhs) {
        return defaulted_compare(cmp, p, default, rhs, cx, derive);
    }
    if let Some((p, default)) = defaulted(rhs) {
        return defaulted_compare(cmp.flipped(), p, default, lhs, cx, derive);
    }
    let l = expr::value(lhs, cx)?;
    let r = expr::value(rhs, cx)?;
    match (literal(&l), literal(&r)) {
        (Some(a), Some(b)) => Ok(constant(eval(cmp, &a, &b)?)),
        (None, Some(b)) => with_literal(cmp, as_path(lhs, &l, derive)?, b),
        (Some(a), None) => with_literal(cmp.flipped(), as_path(rhs, &r, derive)?, a),
        (None, None) => two_values(cmp, lhs, &l, rhs, &r, derive),
    }
}

/// `l op r`, neither a literal. A `…Path` operator compares with a path on the input; a path naming a
/// variable there is neither documented by AWS nor read as a variable by moto, LocalStack or
/// statelint. Two integers otherwise compare through their difference (`derived.rs`).
fn two_values(
    cmp: Cmp,
    lhs: &AstNode,
    l: &Conv,
    rhs: &AstNode,
    r: &Conv,
    derive: &mut Derive<'_>,
) -> Result<ChoiceRule, String> {
    let data = |c: &Conv| match &c.val {
        Val::Path(p) if path::is_data_path(p) => Some(p.clone()),
        _ => None,
    };
    let (variable_side, variable_conv, cmp, operand) = match (data(l), data(r)) {
        (_, Some(rp)) => (lhs, l, cmp, rp),
        (Some(lp), None) => (rhs, r, cmp.flipped(), lp),
        (None, None) => {
            if l.shape.is_int() && r.shape.is_int() {
                let d = derive(Request::Difference(lhs, rhs))?;
                return with_literal(cmp.flipped(), d, Value::from(0));
            }
            return Err(format!(
                "comparing two computed values of types `{}` and `{}` (JSONPath compares a variable with a literal \
                 or a path on the input; two integers compare through their difference)",
                l.shape.ty(),
                r.shape.ty()
            ));
        }
    };
    // Rust compares values of one type: a side of unknown type has the other side's.
    let ty = match (l.shape.ty(), r.shape.ty()) {
        (Ty::Int | Ty::Float, Ty::Int | Ty::Float | Ty::Unknown)
        | (Ty::Unknown, Ty::Int | Ty::Float) => Ty::Float,
        (Ty::String, Ty::String | Ty::Unknown) | (Ty::Unknown, Ty::String) => Ty::String,
        (Ty::Bool, Ty::Bool | Ty::Unknown) | (Ty::Unknown, Ty::Bool) => Ty::Bool,
        (a, b) => {
            return Err(format!(
                "comparing two computed values of types `{a}` and `{b}` (JSONPath compares two values only when \
                 both are numbers, both strings or both bools)"
            ));
        }
    };
    let lp = as_path(variable_side, variable_conv, derive)?;
    let (eq, lt, le, gt, ge) = match ty {
        Ty::String => (
            Op::StringEqualsPath,
            Op::StringLessThanPath,
            Op::StringLessThanEqualsPath,
            Op::StringGreaterThanPath,
            Op::StringGreaterThanEqualsPath,
        ),
        Ty::Bool => {
            let eq = test(lp, Op::BooleanEqualsPath, Value::String(operand));
            return match cmp {
                Cmp::Eq => Ok(eq),
                Cmp::Ne => Ok(not(eq)),
                _ => Err("ordering bools".to_owned()),
            };
        }
        _ => (
            Op::NumericEqualsPath,
            Op::NumericLessThanPath,
            Op::NumericLessThanEqualsPath,
            Op::NumericGreaterThanPath,
            Op::NumericGreaterThanEqualsPath,
        ),
    };
    let operand = Value::String(operand);
    Ok(match cmp {
        Cmp::Eq => test(lp, eq, operand),
        Cmp::Ne => not(test(lp, eq, operand)),
        Cmp::Lt => test(lp, lt, operand),
        Cmp::Le => test(lp, le, operand),
        Cmp::Gt => test(lp, gt, operand),
        Cmp::Ge => test(lp, ge, operand),
    })
}

/// `path op literal`.
fn with_literal(cmp: Cmp, p: String, lit: Value) -> Result<ChoiceRule, String> {
    let ops = match &lit {
        Value::Number(_) => [
            Op::NumericEquals,
            Op::NumericLessThan,
            Op::NumericLessThanEquals,
            Op::NumericGreaterThan,
            Op::NumericGreaterThanEquals,
        ],
        Value::String(_) => [
            Op::StringEquals,
            Op::StringLessThan,
            Op::StringLessThanEquals,
            Op::StringGreaterThan,
            Op::StringGreaterThanEquals,
        ],
        Value::Bool(_) | Value::Null => {
            let eq = match lit {
                Value::Null => test(p, Op::IsNull, Value::Bool(true)),
                b => test(p, Op::BooleanEquals, b),
            };
            return match cmp {
                Cmp::Eq => Ok(eq),
                Cmp::Ne => Ok(not(eq)),
                _ => Err("ordering against a bool or null".to_owned()),
            };
        }
        Value::Array(_) | Value::Object(_) => {
            return Err("comparing with a list or an object (deep equality)".to_owned());
        }
    };
    let [eq, lt, le, gt, ge] = ops;
    Ok(match cmp {
        Cmp::Eq => test(p, eq, lit),
        Cmp::Ne => not(test(p, eq, lit)),
        Cmp::Lt => test(p, lt, lit),
        Cmp::Le => test(p, le, lit),
        Cmp::Gt => test(p, gt, lit),
        Cmp::Ge => test(p, ge, lit),
    })
}

/// `$exists(p) ? p : d` with a literal `d`: the lowering's read of an `Option` field (or a field with
/// a serde default), which serde may leave out of the JSON.
fn defaulted(ast: &AstNode) -> Option<(&AstNode, &AstNode)> {
    let ast = match ast {
        AstNode::Block(items) if items.len() == 1 => &items[0],
        other => other,
    };
    let AstNode::Conditional {
        condition,
        then_branch,
        else_branch: Some(default),
    } = ast
    else {
        return None;
    };
    let AstNode::Function { name, args, .. } = &**condition else {
        return None;
    };
    let literal = matches!(
        &**default,
        AstNode::Null | AstNode::Number(_) | AstNode::String(_) | AstNode::Boolean(_)
    );
    (name == "exists" && args.len() == 1 && args[0] == **then_branch && literal)
        .then_some((&**then_branch, &**default))
}

/// `($exists(p) ? p : d) op other`: when the default satisfies the test, "absent or `p op other`",
/// otherwise "present and `p op other`" (JSONPath's `And`/`Or` short-circuit, so `p` is only read when
/// it is there).
fn defaulted_compare(
    cmp: Cmp,
    p: &AstNode,
    default: &AstNode,
    other: &AstNode,
    cx: &Cx<'_>,
    derive: &mut Derive<'_>,
) -> Result<ChoiceRule, String> {
    let o = expr::value(other, cx)?;
    let Some(o_lit) = literal(&o) else {
        return Err("comparing an `Option` field with a computed value".to_owned());
    };
    let d = literal(&expr::value(default, cx)?).ok_or_else(|| "a computed default".to_owned())?;
    let pc = expr::value(p, cx)?;
    let path = as_path(p, &pc, derive)?;
    let present = test(path.clone(), Op::IsPresent, Value::Bool(true));
    let when_present = with_literal(cmp, path, o_lit.clone())?;
    // `null > 1000` is an error in JSONata; the lowering only orders an `Option` after testing that
    // it is `Some` (a guard `Some(l) if l > 1000`), so the absent case never gets here and is false.
    Ok(if eval(cmp, &d, &o_lit).unwrap_or(false) {
        ChoiceRule {
            or: Some(vec![not(present), when_present]),
            ..Default::default()
        }
    } else {
        ChoiceRule {
            and: Some(vec![present, when_present]),
            ..Default::default()
        }
    })
}

fn literal(c: &Conv) -> Option<Value> {
    c.val.literal()
}

/// A Path for a comparison operand: the path itself, or a derived variable for a computed one.
fn as_path(ast: &AstNode, c: &Conv, derive: &mut Derive<'_>) -> Result<String, String> {
    match &c.val {
        Val::Path(p) => Ok(p.clone()),
        Val::Call(_) => derive(Request::Value(ast)),
        Val::Lit(_) => Err("a literal where a value was expected".to_owned()),
        Val::Object(_) | Val::Array(_) => {
            Err("comparing lists or objects (deep equality)".to_owned())
        }
    }
}

fn operand_path(ast: &AstNode, cx: &Cx<'_>, derive: &mut Derive<'_>) -> Result<String, String> {
    let c = expr::value(ast, cx)?;
    as_path(ast, &c, derive)
}

/// `a op b` on two literals, as JSONata evaluates it.
fn eval(cmp: Cmp, a: &Value, b: &Value) -> Result<bool, String> {
    use std::cmp::Ordering;
    let equal = |a: &Value, b: &Value| match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    };
    let order = match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
        // JSONata orders strings by UTF-16 code units.
        (Value::String(x), Value::String(y)) => Some(x.encode_utf16().cmp(y.encode_utf16())),
        _ => None,
    };
    match cmp {
        Cmp::Eq => Ok(equal(a, b)),
        Cmp::Ne => Ok(!equal(a, b)),
        _ => {
            let o = order.ok_or_else(|| "ordering values of different types".to_owned())?;
            Ok(match cmp {
                Cmp::Lt => o == Ordering::Less,
                Cmp::Le => o != Ordering::Greater,
                Cmp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::front::types::TypeRegistry;
    use crate::lower::jsonpath::expr::Roots;
    use crate::lower::jsonpath::shape::Shape;
    use serde_json::json;

    fn convert(code: &str) -> Result<Value, String> {
        let types = TypeRegistry::new();
        let vars: BTreeMap<String, Ty> = [
            ("n", Ty::Int),
            ("m", Ty::Int),
            ("s", Ty::String),
            ("t", Ty::String),
            ("b", Ty::Bool),
            ("u", Ty::Unknown),
            ("xs", Ty::Vec(Box::new(Ty::Int))),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let roots = Roots::input(Shape::unknown());
        let cx = Cx {
            types: &types,
            vars: &vars,
            roots: &roots,
        };
        let mut derived = Vec::new();
        let mut derive = |req: Request<'_>| -> Result<String, String> {
            derived.push(format!("{req:?}"));
            Ok(format!("$d{}", derived.len()))
        };
        let r = rule(&expr::parse(code)?, &cx, &mut derive)?;
        Ok(serde_json::to_value(r).unwrap())
    }

    fn ok(code: &str) -> Value {
        convert(code).unwrap_or_else(|e| panic!("{code}: {e}"))
    }

    #[test]
    fn comparisons_with_literals() {
        assert_eq!(
            ok("($n = 0)"),
            json!({"Variable": "$n", "NumericEquals": 0})
        );
        assert_eq!(
            ok("(3 < $n)"),
            json!({"Variable": "$n", "NumericGreaterThan": 3})
        );
        assert_eq!(
            ok("$s >= 'm'"),
            json!({"Variable": "$s", "StringGreaterThanEquals": "m"})
        );
        assert_eq!(
            ok("$states.input != 'x'"),
            json!({"Not": {"Variable": "$", "StringEquals": "x"}})
        );
        assert_eq!(
            ok("$b = false"),
            json!({"Variable": "$b", "BooleanEquals": false})
        );
        assert_eq!(
            ok("$u != null"),
            json!({"Not": {"Variable": "$u", "IsNull": true}})
        );
        assert_eq!(ok("$b"), json!({"Variable": "$b", "BooleanEquals": true}));
        assert_eq!(ok("2 < 3"), json!({"Variable": "$", "IsPresent": true}));
        assert_eq!(ok("false"), json!({"Variable": "$", "IsPresent": false}));
    }

    #[test]
    fn two_values() {
        // Two integer variables: through their (derived) difference.
        assert_eq!(
            ok("$n < $m"),
            json!({"Variable": "$d1", "NumericGreaterThan": 0})
        );
        assert_eq!(
            ok("$n >= $m"),
            json!({"Variable": "$d1", "NumericLessThanEquals": 0})
        );
        // A path on the input is a `…Path` operand.
        assert_eq!(
            ok("$states.input.limit < $n"),
            json!({"Variable": "$n", "NumericGreaterThanPath": "$.limit"})
        );
        assert_eq!(
            ok("$s = $states.input.name"),
            json!({"Variable": "$s", "StringEqualsPath": "$.name"})
        );
        assert!(convert("$s = $t").unwrap_err().contains("difference"));
        assert!(convert("$u = $n").unwrap_err().contains("types"));
    }

    #[test]
    fn logic() {
        assert_eq!(
            ok("(($n >= 1) and ($n <= 9)) or $not($b)"),
            json!({"Or": [
                {"And": [{"Variable": "$n", "NumericGreaterThanEquals": 1}, {"Variable": "$n", "NumericLessThanEquals": 9}]},
                {"Not": {"Variable": "$b", "BooleanEquals": true}}
            ]})
        );
        assert_eq!(
            ok("$n = 1 or $n = 2 or $n = 3")["Or"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            ok("$s in ['a', 'b']"),
            json!({"Or": [{"Variable": "$s", "StringEquals": "a"}, {"Variable": "$s", "StringEquals": "b"}]})
        );
        assert_eq!(
            ok("$b ? $n = 1 : $n = 2"),
            json!({"Or": [
                {"And": [{"Variable": "$b", "BooleanEquals": true}, {"Variable": "$n", "NumericEquals": 1}]},
                {"And": [{"Not": {"Variable": "$b", "BooleanEquals": true}}, {"Variable": "$n", "NumericEquals": 2}]}
            ]})
        );
    }

    #[test]
    fn presence() {
        assert_eq!(
            ok("$exists($u.ok)"),
            json!({"Variable": "$u.ok", "IsPresent": true})
        );
        assert_eq!(
            ok("(($exists($u.limit) ? $u.limit : null) != null)"),
            json!({"And": [{"Variable": "$u.limit", "IsPresent": true}, {"Not": {"Variable": "$u.limit", "IsNull": true}}]})
        );
        assert_eq!(
            ok("(($exists($u.limit) ? $u.limit : null) = null)"),
            json!({"Or": [{"Not": {"Variable": "$u.limit", "IsPresent": true}}, {"Variable": "$u.limit", "IsNull": true}]})
        );
        assert_eq!(
            ok("(($exists($states.input.count) ? $states.input.count : 0) > 2)"),
            json!({"And": [{"Variable": "$.count", "IsPresent": true}, {"Variable": "$.count", "NumericGreaterThan": 2}]})
        );
    }

    #[test]
    fn presence_carries_into_the_rule() {
        let rule: ChoiceRule = serde_json::from_value(ok(
            "(($exists($u.a) ? $u.a : null) != null) and ($exists($u.b) or $exists($u.c))",
        ))
        .unwrap();
        assert_eq!(present(&rule).into_iter().collect::<Vec<_>>(), ["$u.a"]);
    }

    #[test]
    fn computed_operands_are_derived() {
        assert_eq!(
            ok("$n < $count($xs)"),
            json!({"Variable": "$d1", "NumericGreaterThan": 0})
        );
        assert_eq!(
            ok("($n + 1) > 10"),
            json!({"Variable": "$d1", "NumericGreaterThan": 10})
        );
        assert!(convert("($n % 2) = 0").unwrap_err().contains("remainder"));
        assert!(convert("$xs = [1]").unwrap_err().contains("deep equality"));
    }
}
