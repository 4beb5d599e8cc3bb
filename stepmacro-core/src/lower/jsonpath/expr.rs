//! JSONata expressions (as the lowering emits them) → [`Val`]s, exactly or not at all.
//!
//! The input is parsed with jsonata-core, so the conversion works on the expression's structure, not
//! its spelling. Each shape below has an exact JSONPath equivalent; anything else is an error naming
//! the construct (the caller adds the state and the hint).
//!
//! | JSONata | JSONPath | condition |
//! |---|---|---|
//! | `'s'`, `12`, `true`, `null` | literal | |
//! | `$x`, `$x.a.b[0]`, `$lookup($x, 'k')` | `$x`, `$x.a.b[0]`, `$x.k` | literal indices ≥ 0 |
//! | `$states.input…` / `.result…` / `.errorOutput…` | `$…` (or `$$.Execution.Input…`) | where the field can read it |
//! | `$states.context…` | `$$…` | |
//! | `$a[$i]` | `States.ArrayGetItem($a, $i)` | `$i` an integer |
//! | `{'k': e}` | nested template | |
//! | `[e, …]` | literal, `States.Array(…)`, or `e` itself for `[e]` with `e` an array | items known array or not |
//! | `a & b`, `$string(s)`, `$formatInteger(n, '0')` | `States.Format('…{}…', …)` | pieces strings, integers or bools |
//! | `a + b`, `a - 3` | `States.MathAdd(a, b)`, `States.MathAdd(a, -3)` | integers |
//! | `$count(xs)` | `States.ArrayLength(xs)` | |
//! | arithmetic on literals only | its value (IEEE doubles, as JSONata computes it) | |
//!
//! Why the conditions: `States.MathAdd` rounds non-integers; `States.Format` prints what JSONata's
//! `&` prints only for strings, integers and bools; JSONata's array constructor splices array values
//! while `States.Array` nests them. Conditions (`=`, `<`, `and`, `$exists`, ...) are `condition.rs`'s.

use std::collections::{BTreeMap, BTreeSet};

use jsonata_core::ast::{AstNode, BinaryOp, PathStep, Stage, UnaryOp};
use serde_json::Value;

use super::intrinsic::{self, Format};
use super::path;
use super::shape::Shape;
use super::value::Val;
use crate::front::types::{Ty, TypeRegistry};

/// What `$states.input` (or `.result`, `.errorOutput`) is in one field: a path and its shape, or why
/// the field cannot read it.
#[derive(Clone, Debug)]
pub enum Root {
    At(String, Shape),
    Missing(&'static str),
}

/// The `$states` members a field can read, and what is known to hold where it is evaluated.
#[derive(Clone, Debug)]
pub struct Roots {
    pub input: Root,
    pub result: Root,
    pub error: Root,
    /// Paths known to be present here (a Choice rule's `Assign` runs only when its condition held,
    /// and `IsPresent` tests in it carry over): an `Option` field's read `$exists(p) ? p : null` is
    /// then just `p`.
    pub present: BTreeSet<String>,
}

impl Roots {
    /// A field whose `$` is the state's input (`Parameters`, Choice rules, a Pass's `Assign`, ...).
    pub fn input(shape: Shape) -> Roots {
        Roots {
            input: Root::At("$".to_owned(), shape),
            result: Root::Missing("the result (there is none here)"),
            error: Root::Missing("the error output (there is none here)"),
            present: BTreeSet::new(),
        }
    }
}

/// Everything an expression may refer to.
pub struct Cx<'a> {
    pub types: &'a TypeRegistry,
    /// The variables' types (see `infer`).
    pub vars: &'a BTreeMap<String, Ty>,
    pub roots: &'a Roots,
}

/// A converted expression: its JSONPath value and what is known about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Conv {
    pub val: Val,
    pub shape: Shape,
}

impl Conv {
    fn new(val: Val, shape: Shape) -> Conv {
        Conv { val, shape }
    }

    fn of(val: Val, ty: Ty) -> Conv {
        Conv::new(val, Shape::Of(ty))
    }

    /// The number, if this is a number literal.
    fn number(&self) -> Option<f64> {
        match &self.val {
            Val::Lit(Value::Number(n)) => n.as_f64(),
            _ => None,
        }
    }
}

/// Parses the body of a `{% … %}` string.
pub fn parse(code: &str) -> Result<AstNode, String> {
    jsonata_core::parser::parse(code).map_err(|e| {
        format!(
            "the JSONata expression `{}` (it does not parse: {e})",
            code.trim()
        )
    })
}

/// The JSON number for a JSONata number literal: integral values as integers (JSONata prints them
/// so), others as the same double.
pub fn number(n: f64) -> Result<Value, String> {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        Ok(Value::from(n as i64))
    } else {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| "a number that is not finite".to_owned())
    }
}

fn number_conv(n: f64) -> Result<Conv, String> {
    let v = number(n)?;
    let ty = if v.is_i64() { Ty::Int } else { Ty::Float };
    Ok(Conv::of(Val::Lit(v), ty))
}

/// Converts a value expression.
pub fn value(ast: &AstNode, cx: &Cx<'_>) -> Result<Conv, String> {
    match ast {
        AstNode::String(s) => Ok(Conv::of(Val::Lit(Value::String(s.clone())), Ty::String)),
        AstNode::Number(n) => number_conv(*n),
        AstNode::Boolean(b) => Ok(Conv::of(Val::Lit(Value::Bool(*b)), Ty::Bool)),
        AstNode::Null => Ok(Conv::of(Val::Lit(Value::Null), Ty::Unit)),
        AstNode::Variable(name) => variable(name, cx),
        AstNode::Path { steps } => path_steps(steps, cx),
        AstNode::Block(items) => match items.as_slice() {
            [one] => value(one, cx),
            _ => Err("a block with local bindings (`(x := ..; ..)`)".to_owned()),
        },
        AstNode::Unary {
            op: UnaryOp::Negate,
            operand,
        } => match &**operand {
            AstNode::Number(n) => number_conv(-n),
            _ => {
                let inner = value(operand, cx)?;
                match inner.number() {
                    Some(n) => number_conv(-n),
                    None => Err("the negation of a computed number".to_owned()),
                }
            }
        },
        AstNode::Function { name, args, .. } => function(name, args, cx),
        AstNode::Binary { op, lhs, rhs } => binary(*op, lhs, rhs, cx),
        AstNode::Array(items) => array(items, cx),
        AstNode::Object(pairs) => object(pairs, cx),
        AstNode::Conditional {
            condition,
            then_branch,
            else_branch: Some(else_branch),
        } => match (&**then_branch, &**else_branch) {
            // Display of a bool: `(b ? 'true' : 'false')` prints what `States.Format` prints.
            (AstNode::String(t), AstNode::String(f)) if t == "true" && f == "false" => {
                let b = value(condition, cx)?;
                if let Val::Lit(Value::Bool(b)) = b.val {
                    return Ok(Conv::of(Val::Lit(Value::String(b.to_string())), Ty::String));
                }
                let mut fmt = Format::default();
                fmt.arg(b.val.arg()?);
                Ok(Conv::of(Val::Call(fmt.finish()?), Ty::String))
            }
            // An `Option` field read where its presence is established.
            (then, AstNode::Null) if is_exists_of(condition, then) => {
                let c = value(then, cx)?;
                match &c.val {
                    Val::Path(p) if cx.roots.present.contains(p) => {
                        let shape = match c.shape {
                            Shape::Of(Ty::Option(inner)) => Shape::Of(*inner),
                            other => other,
                        };
                        Ok(Conv::new(c.val, shape))
                    }
                    _ => Err(CONDITIONAL.to_owned()),
                }
            }
            _ => Err(CONDITIONAL.to_owned()),
        },
        AstNode::Conditional { .. } => Err(CONDITIONAL.to_owned()),
        other => Err(describe(other)),
    }
}

/// The Rust type of an expression's value, also for the expressions that have no JSONPath form
/// (`$y * 100` is an integer when `$y` is): variable types are inferred from every assignment, and a
/// variable assigned one unconvertible value must still get its type, or each of its uses would be
/// reported along with the one real problem.
///
/// Integer `/` and `%` are integers: the lowering writes Rust's integer division as the exact
/// `(a - a % b) / b`.
pub fn ty(ast: &AstNode, cx: &Cx<'_>) -> Ty {
    let num = |l: Ty, r: Ty| match (l, r) {
        (Ty::Int, Ty::Int) => Ty::Int,
        (Ty::Float, Ty::Int | Ty::Float) | (Ty::Int, Ty::Float) => Ty::Float,
        _ => Ty::Unknown,
    };
    if let Ok(c) = value(ast, cx)
        && c.shape.ty() != Ty::Unknown
    {
        return c.shape.ty();
    }
    match ast {
        AstNode::Block(items) if items.len() == 1 => ty(&items[0], cx),
        AstNode::Binary { op, lhs, rhs } => match op {
            BinaryOp::Add
            | BinaryOp::Subtract
            | BinaryOp::Multiply
            | BinaryOp::Divide
            | BinaryOp::Modulo => num(ty(lhs, cx), ty(rhs, cx)),
            BinaryOp::Concatenate => Ty::String,
            BinaryOp::Equal
            | BinaryOp::NotEqual
            | BinaryOp::LessThan
            | BinaryOp::LessThanOrEqual
            | BinaryOp::GreaterThan
            | BinaryOp::GreaterThanOrEqual
            | BinaryOp::And
            | BinaryOp::Or
            | BinaryOp::In => Ty::Bool,
            _ => Ty::Unknown,
        },
        AstNode::Unary {
            op: UnaryOp::Negate,
            operand,
        } => num(ty(operand, cx), Ty::Int),
        AstNode::Function { name, .. } => match name.as_str() {
            "count" | "length" => Ty::Int,
            "string" | "formatInteger" | "substring" | "uppercase" | "lowercase" | "join"
            | "replace" => Ty::String,
            "exists" | "not" | "contains" | "boolean" => Ty::Bool,
            _ => value(ast, cx).map(|c| c.shape.ty()).unwrap_or(Ty::Unknown),
        },
        AstNode::Conditional {
            then_branch,
            else_branch: Some(else_branch),
            ..
        } => super::shape::join(&ty(then_branch, cx), &ty(else_branch, cx)).unwrap_or(Ty::Unknown),
        _ => value(ast, cx).map(|c| c.shape.ty()).unwrap_or(Ty::Unknown),
    }
}

/// `$exists(p)` for this `p`.
fn is_exists_of(condition: &AstNode, p: &AstNode) -> bool {
    matches!(condition, AstNode::Function { name, args, .. } if name == "exists" && args.len() == 1 && args[0] == *p)
}

const CONDITIONAL: &str = "a conditional value (an `if`/`match` used as a value, an `Option` field's default, `unwrap_or`)";

/// `$name`.
fn variable(name: &str, cx: &Cx<'_>) -> Result<Conv, String> {
    match name {
        "" => Err("`$` (JSONata's context value)".to_owned()),
        "states" => Err("`$states` as a whole".to_owned()),
        _ => Ok(Conv::of(
            Val::Path(path::variable(name)),
            cx.vars.get(name).cloned().unwrap_or(Ty::Unknown),
        )),
    }
}

/// `$states.<member>`.
fn states_member(member: &str, cx: &Cx<'_>) -> Result<Conv, String> {
    let root = match member {
        "input" => &cx.roots.input,
        "result" => &cx.roots.result,
        "errorOutput" => &cx.roots.error,
        "context" => return Ok(Conv::new(Val::Path("$$".to_owned()), Shape::unknown())),
        other => return Err(format!("`$states.{other}`")),
    };
    match root {
        Root::At(p, shape) => Ok(Conv::new(Val::Path(p.clone()), shape.clone())),
        Root::Missing(why) => Err(format!("`$states.{member}` in this field: {why}")),
    }
}

/// A path: a root (variable, `$states.*`, or a parenthesised expression) and field/index steps.
fn path_steps(steps: &[PathStep], cx: &Cx<'_>) -> Result<Conv, String> {
    let (first, rest) = steps
        .split_first()
        .ok_or_else(|| "an empty path".to_owned())?;
    let (mut cur, rest) = match (&first.node, rest) {
        (AstNode::Variable(v), [member, rest @ ..]) if v == "states" => {
            if !first.stages.is_empty() || !plain(first) {
                return Err("`$states` with a predicate".to_owned());
            }
            let AstNode::Name(m) = &member.node else {
                return Err("`$states` followed by a computed step".to_owned());
            };
            let root = states_member(m, cx)?;
            (stages(root, member, cx)?, rest)
        }
        (AstNode::Variable(v), rest) => {
            check_plain(first)?;
            (stages(variable(v, cx)?, first, cx)?, rest)
        }
        (AstNode::Name(_), _) => {
            return Err("a field of JSONata's context value (a bare field name)".to_owned());
        }
        (node, rest) => {
            check_plain(first)?;
            (stages(value(node, cx)?, first, cx)?, rest)
        }
    };
    for step in rest {
        check_plain(step)?;
        let AstNode::Name(name) = &step.node else {
            return Err(describe(&step.node));
        };
        let Val::Path(base) = &cur.val else {
            return Err("a field of a computed value".to_owned());
        };
        let Some(p) = path::member(base, name) else {
            return Err(format!(
                "the field name {name:?} (quotes and backslashes have no portable JSONPath spelling)"
            ));
        };
        let shape = cur.shape.member(name, cx.types);
        cur = stages(Conv::new(Val::Path(p), shape), step, cx)?;
    }
    Ok(cur)
}

fn plain(step: &PathStep) -> bool {
    step.focus.is_none() && step.index_var.is_none() && step.ancestor_label.is_none()
}

fn check_plain(step: &PathStep) -> Result<(), String> {
    if plain(step) {
        Ok(())
    } else {
        Err("a JSONata positional or focus binding (`#$i`, `@$v`)".to_owned())
    }
}

/// Applies a step's stages (`[0]`, `[$i]`) to `base`.
fn stages(mut cur: Conv, step: &PathStep, cx: &Cx<'_>) -> Result<Conv, String> {
    for stage in &step.stages {
        let Stage::Filter(index) = stage else {
            return Err("`[]` (JSONata's keep-array marker)".to_owned());
        };
        let idx = match &**index {
            AstNode::Number(n) => Some(*n),
            AstNode::Unary { .. }
            | AstNode::Block(_)
            | AstNode::Variable(_)
            | AstNode::Path { .. } => None,
            _ => return Err("a filter predicate (`xs[cond]`)".to_owned()),
        };
        cur = match (idx, &cur.val) {
            (Some(n), Val::Path(base)) if n >= 0.0 && n.fract() == 0.0 => {
                let shape = cur.shape.index(n as usize);
                Conv::new(Val::Path(path::index(base, n as u64)), shape)
            }
            (Some(_), _) => {
                return Err("a negative or fractional index (indexing from the end)".to_owned());
            }
            (None, Val::Path(base)) => {
                let i = value(index, cx)?;
                if !i.shape.is_int() || i.number().is_some_and(|n| n < 0.0) {
                    return Err(
                        "indexing with a value that is not known to be a non-negative integer"
                            .to_owned(),
                    );
                }
                let call = intrinsic::call("ArrayGetItem", &[base.clone(), i.val.arg()?]);
                Conv::new(Val::Call(call), cur.shape.element())
            }
            (None, _) => return Err("indexing a computed value".to_owned()),
        };
    }
    Ok(cur)
}

/// `$name(args)`.
fn function(name: &str, args: &[AstNode], cx: &Cx<'_>) -> Result<Conv, String> {
    match (name, args) {
        ("lookup", [base, AstNode::String(key)]) => {
            let base = value(base, cx)?;
            let Val::Path(p) = &base.val else {
                return Err("a field of a computed value".to_owned());
            };
            let Some(p) = path::member(p, key) else {
                return Err(format!(
                    "the key {key:?} (quotes and backslashes have no portable JSONPath spelling)"
                ));
            };
            Ok(Conv::new(Val::Path(p), base.shape.member(key, cx.types)))
        }
        ("count", [xs]) => {
            let xs = value(xs, cx)?;
            if !(xs.shape.is_array() || xs.shape == Shape::unknown()) {
                return Err("`$count` of a value that is not a list".to_owned());
            }
            match &xs.val {
                Val::Array(items) => Ok(Conv::of(Val::Lit(Value::from(items.len())), Ty::Int)),
                _ => Ok(Conv::of(
                    Val::Call(intrinsic::call("ArrayLength", &[xs.val.arg()?])),
                    Ty::Int,
                )),
            }
        }
        ("string", [x]) => {
            let x = value(x, cx)?;
            match x.shape.ty() {
                Ty::String => Ok(x),
                Ty::Int | Ty::Bool => {
                    let mut f = Format::default();
                    f.arg(x.val.arg()?);
                    Ok(Conv::of(Val::Call(f.finish()?), Ty::String))
                }
                t => Err(format!(
                    "showing a value of type `{t}` with `{{}}` (`States.Format` prints only strings, integers and \
                     bools as JSONata does)"
                )),
            }
        }
        ("formatInteger", [n, AstNode::String(picture)]) if picture == "0" => {
            let n = value(n, cx)?;
            if let Some(v) = n.number() {
                return Ok(Conv::of(
                    Val::Lit(Value::String(format!("{v}"))),
                    Ty::String,
                ));
            }
            let mut f = Format::default();
            f.arg(n.val.arg()?);
            Ok(Conv::of(Val::Call(f.finish()?), Ty::String))
        }
        ("append", _) => Err("appending to a list (`push`, `extend`, `concat`)".to_owned()),
        ("length", _) => Err("the length of a string (JSONPath has no string length)".to_owned()),
        ("exists", _) => {
            Err("a presence test (`is_some`, an `Option` field) used as a value".to_owned())
        }
        ("not", _) => Err("a boolean computed outside a condition".to_owned()),
        (other, _) => Err(format!("the JSONata function `${other}`")),
    }
}

/// A binary operator in a value.
fn binary(op: BinaryOp, lhs: &AstNode, rhs: &AstNode, cx: &Cx<'_>) -> Result<Conv, String> {
    match op {
        BinaryOp::Concatenate => concat(lhs, rhs, cx),
        BinaryOp::Add
        | BinaryOp::Subtract
        | BinaryOp::Multiply
        | BinaryOp::Divide
        | BinaryOp::Modulo => arithmetic(op, value(lhs, cx)?, value(rhs, cx)?),
        BinaryOp::Equal
        | BinaryOp::NotEqual
        | BinaryOp::LessThan
        | BinaryOp::LessThanOrEqual
        | BinaryOp::GreaterThan
        | BinaryOp::GreaterThanOrEqual
        | BinaryOp::And
        | BinaryOp::Or
        | BinaryOp::In => Err(
            "a boolean computed outside a condition (a comparison or `&&`/`||` used as a value)"
                .to_owned(),
        ),
        other => Err(format!("the JSONata operator {other:?}")),
    }
}

/// `+ - * / %`: literals fold (the same IEEE double operations JSONata performs); integer `+`, and
/// `-` of a literal, become `States.MathAdd`.
fn arithmetic(op: BinaryOp, l: Conv, r: Conv) -> Result<Conv, String> {
    if let (Some(a), Some(b)) = (l.number(), r.number()) {
        let v = match op {
            BinaryOp::Add => a + b,
            BinaryOp::Subtract => a - b,
            BinaryOp::Multiply => a * b,
            BinaryOp::Divide => a / b,
            _ => a % b,
        };
        return number_conv(v);
    }
    let ints = l.shape.is_int() && r.shape.is_int();
    match op {
        BinaryOp::Add if ints => Ok(Conv::of(
            Val::Call(intrinsic::call("MathAdd", &[l.val.arg()?, r.val.arg()?])),
            Ty::Int,
        )),
        BinaryOp::Subtract if ints => match r.number() {
            Some(b) => Ok(Conv::of(
                Val::Call(intrinsic::call(
                    "MathAdd",
                    &[l.val.arg()?, Val::Lit(number(-b)?).arg()?],
                )),
                Ty::Int,
            )),
            None => Err(
                "the difference of two computed integers (`States.MathAdd` cannot negate)"
                    .to_owned(),
            ),
        },
        BinaryOp::Add | BinaryOp::Subtract => Err(format!(
            "`{}` on numbers not known to be integers (`States.MathAdd` rounds non-integers)",
            if op == BinaryOp::Add { "+" } else { "-" }
        )),
        BinaryOp::Multiply => Err("multiplication (`*`)".to_owned()),
        BinaryOp::Divide => Err("division (`/`)".to_owned()),
        _ => Err("the remainder (`%`)".to_owned()),
    }
}

/// `a & b & …` as one `States.Format` (or a literal, or the one string it is).
fn concat(lhs: &AstNode, rhs: &AstNode, cx: &Cx<'_>) -> Result<Conv, String> {
    let mut pieces = Vec::new();
    flatten_concat(lhs, &mut pieces);
    flatten_concat(rhs, &mut pieces);
    let mut fmt = Format::default();
    let mut args = Vec::new();
    let mut text_only = String::new();
    for piece in pieces {
        match piece {
            AstNode::String(s) => {
                fmt.text(s);
                text_only.push_str(s);
                continue;
            }
            AstNode::Boolean(b) => {
                let s = if *b { "true" } else { "false" };
                fmt.text(s);
                text_only.push_str(s);
                continue;
            }
            _ => {}
        }
        // `&` shows its operands as `$string` does: strings as they are, integers and bools as
        // `States.Format` prints them. A bare operand is a string in lowered code (the lowering
        // wraps every non-string operand in `$string`/`$formatInteger`); a literal number prints as is.
        let c = match piece {
            AstNode::Function { name, args, .. } if name == "formatInteger" || name == "string" => {
                let inner = match (name.as_str(), args.as_slice()) {
                    ("formatInteger", [n, AstNode::String(p)]) if p == "0" => value(n, cx)?,
                    ("string", [x]) => {
                        let x = value(x, cx)?;
                        match x.shape.ty() {
                            Ty::String | Ty::Int | Ty::Bool => x,
                            t => {
                                return Err(format!(
                                    "showing a value of type `{t}` with `{{}}` (`States.Format` prints only strings, \
                                 integers and bools as JSONata does)"
                                ));
                            }
                        }
                    }
                    _ => value(piece, cx)?,
                };
                if inner.val.literal().is_some() {
                    value(piece, cx)?
                } else {
                    Conv::new(inner.val, Shape::Of(Ty::String))
                }
            }
            _ => value(piece, cx)?,
        };
        if let Val::Lit(v) = &c.val {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) if n.is_i64() => n.to_string(),
                _ => {
                    return Err(
                        "a non-integer number or a bool literal joined into a string".to_owned(),
                    );
                }
            };
            fmt.text(&s);
            text_only.push_str(&s);
            continue;
        }
        match c.shape.ty() {
            Ty::String | Ty::Int | Ty::Bool | Ty::Unknown => {}
            t => {
                return Err(format!(
                    "joining a value of type `{t}` into a string (`States.Format` prints only strings, integers \
                     and bools as JSONata does)"
                ));
            }
        }
        args.push(c.clone());
        fmt.arg(c.val.arg()?);
    }
    match args.as_slice() {
        [] => Ok(Conv::of(Val::Lit(Value::String(text_only)), Ty::String)),
        [only] if text_only.is_empty() && only.shape.ty() == Ty::String => Ok(only.clone()),
        _ => Ok(Conv::of(Val::Call(fmt.finish()?), Ty::String)),
    }
}

fn flatten_concat<'a>(ast: &'a AstNode, out: &mut Vec<&'a AstNode>) {
    match ast {
        AstNode::Binary {
            op: BinaryOp::Concatenate,
            lhs,
            rhs,
        } => {
            flatten_concat(lhs, out);
            flatten_concat(rhs, out);
        }
        AstNode::Block(items) if items.len() == 1 => flatten_concat(&items[0], out),
        other => out.push(other),
    }
}

/// `[a, b, …]`. JSONata splices an item whose value is an array (an item written as an array
/// constructor is kept whole); `States.Array` never splices, so every item must be known to be an
/// array or not, and an array can only stand alone (`[xs]` is `xs`).
fn array(items: &[AstNode], cx: &Cx<'_>) -> Result<Conv, String> {
    let mut vals = Vec::with_capacity(items.len());
    let mut elem = Ty::Unknown;
    for (i, item) in items.iter().enumerate() {
        let c = value(item, cx)?;
        let kept_whole = matches!(item, AstNode::Array(_));
        if !kept_whole && c.shape.is_array() {
            if items.len() == 1 {
                return Ok(c);
            }
            return Err(
                "joining lists into one (JSONata splices a list item into the list)".to_owned(),
            );
        }
        if !kept_whole && !c.shape.is_non_array() && c.val.literal().is_none() {
            return Err(
                "a list item whose type is not known (JSONata splices it when it is a list)"
                    .to_owned(),
            );
        }
        let ty = c.shape.ty();
        elem = if i == 0 {
            ty
        } else {
            super::shape::join(&elem, &ty).unwrap_or(Ty::Unknown)
        };
        vals.push(c.val);
    }
    Ok(Conv::of(Val::Array(vals), Ty::Vec(Box::new(elem))))
}

/// `{'k': v, …}` with literal keys.
fn object(pairs: &[(AstNode, AstNode)], cx: &Cx<'_>) -> Result<Conv, String> {
    let mut fields = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        let AstNode::String(key) = k else {
            return Err("an object with a computed key".to_owned());
        };
        fields.push((key.clone(), value(v, cx)?.val));
    }
    Ok(Conv::new(Val::Object(fields), Shape::unknown()))
}

/// A short name for a JSONata construct the conversion does not handle.
pub fn describe(ast: &AstNode) -> String {
    match ast {
        AstNode::Lambda { .. } => "a JSONata function (closure)".to_owned(),
        AstNode::Regex { .. } => "a regular expression".to_owned(),
        AstNode::Wildcard | AstNode::Descendant => "a wildcard path".to_owned(),
        AstNode::Sort { .. } => "sorting".to_owned(),
        AstNode::Transform { .. } | AstNode::ObjectTransform { .. } => {
            "a JSONata object transform".to_owned()
        }
        AstNode::FunctionApplication(_) | AstNode::Call { .. } => {
            "a function application".to_owned()
        }
        other => format!("the JSONata construct {}", variant_name(other)),
    }
}

fn variant_name(ast: &AstNode) -> String {
    let debug = format!("{ast:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("?")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn registry() -> TypeRegistry {
        let mut r = TypeRegistry::new();
        r.add_file(
            &syn::parse_file(
                r#"#[derive(Serialize)] #[serde(rename_all = "camelCase")]
                   struct Stock { sku: String, item_count: i64, price: f64, tags: Vec<String> }"#,
            )
            .unwrap(),
        );
        r
    }

    fn vars() -> BTreeMap<String, Ty> {
        [
            ("n", Ty::Int),
            ("f", Ty::Float),
            ("s", Ty::String),
            ("b", Ty::Bool),
            ("u", Ty::Unknown),
            ("xs", Ty::Vec(Box::new(Ty::Int))),
            ("stock", Ty::Named("Stock".into())),
            ("e", Ty::Failure),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Converts `code` in a Task's result fields (top-level start state: the input is the execution's).
    fn conv(code: &str) -> Result<Conv, String> {
        let types = registry();
        let vars = vars();
        let roots = Roots {
            input: Root::At("$$.Execution.Input".into(), Shape::Of(Ty::String)),
            result: Root::At("$".into(), Shape::Invoke(Ty::Named("Stock".into()))),
            error: Root::Missing("no error here"),
            present: ["$stock.sku".to_owned()].into_iter().collect(),
        };
        let cx = Cx {
            types: &types,
            vars: &vars,
            roots: &roots,
        };
        value(&parse(code)?, &cx)
    }

    fn val(code: &str) -> Val {
        conv(code).unwrap_or_else(|e| panic!("{code}: {e}")).val
    }

    fn err(code: &str) -> String {
        match conv(code) {
            Ok(c) => panic!("{code} converted to {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn literals() {
        assert_eq!(val("'a'"), Val::Lit(json!("a")));
        assert_eq!(val("-1"), Val::Lit(json!(-1)));
        assert_eq!(val("2.5"), Val::Lit(json!(2.5)));
        assert_eq!(val("null"), Val::Lit(json!(null)));
        assert_eq!(val("true"), Val::Lit(json!(true)));
        assert_eq!(val("(2 * 3) - 1"), Val::Lit(json!(5)));
        assert_eq!(val("((7 - 7 % 2) / 2)"), Val::Lit(json!(3)));
    }

    #[test]
    fn paths_and_roots() {
        assert_eq!(val("$n"), Val::Path("$n".into()));
        assert_eq!(
            val("$stock.itemCount"),
            Val::Path("$stock.itemCount".into())
        );
        assert_eq!(val("$xs[0]"), Val::Path("$xs[0]".into()));
        assert_eq!(
            val("$states.result.Payload.tags[1]"),
            Val::Path("$.Payload.tags[1]".into())
        );
        assert_eq!(val("$states.input"), Val::Path("$$.Execution.Input".into()));
        assert_eq!(
            val("$states.context.Execution.Name"),
            Val::Path("$$.Execution.Name".into())
        );
        assert_eq!(val("($e).Cause"), Val::Path("$e.Cause".into()));
        assert_eq!(
            val("$lookup($stock, 'sku')"),
            Val::Path("$stock.sku".into())
        );
        assert_eq!(
            val("$stock.`odd-name`"),
            Val::Path("$stock['odd-name']".into())
        );
        assert_eq!(
            val("$xs[$n]"),
            Val::Call("States.ArrayGetItem($xs, $n)".into())
        );
        assert_eq!(
            conv("$states.result.Payload.itemCount").unwrap().shape,
            Shape::Of(Ty::Int)
        );
        assert!(err("$states.errorOutput").contains("no error here"));
        assert!(err("$xs[-1]").contains("negative"));
        assert!(err("$xs[$u]").contains("integer"));
        assert!(err("$xs[$ > 2]").contains("predicate"));
    }

    #[test]
    fn arithmetic() {
        assert_eq!(val("$n + 1"), Val::Call("States.MathAdd($n, 1)".into()));
        assert_eq!(val("($n - 3)"), Val::Call("States.MathAdd($n, -3)".into()));
        assert_eq!(
            val("$states.result.Payload.itemCount + $n"),
            Val::Call("States.MathAdd($.Payload.itemCount, $n)".into())
        );
        assert!(err("$f + 1").contains("not known to be integers"));
        assert!(err("$u + 1").contains("not known to be integers"));
        assert!(err("$n - $n").contains("cannot negate"));
        assert!(err("$n * 2").contains("multiplication"));
        assert!(err("(($n - $n % 2) / 2)").contains("remainder"));
    }

    #[test]
    fn strings() {
        assert_eq!(
            val("('n = ' & $formatInteger($n, '0') & ' {ok}')"),
            Val::Call(r"States.Format('n = {} \{ok\}', $n)".into())
        );
        assert_eq!(val("$string($s)"), Val::Path("$s".into()));
        assert_eq!(
            val("$string($b)"),
            Val::Call("States.Format('{}', $b)".into())
        );
        assert_eq!(val("'a' & 'b' & 3"), Val::Lit(json!("ab3")));
        // A string joined with nothing is the string itself; anything else is formatted.
        assert_eq!(val("($s & '')"), Val::Path("$s".into()));
        assert_eq!(
            val("($u & '')"),
            Val::Call("States.Format('{}', $u)".into())
        );
        assert_eq!(
            val("($b ? 'true' : 'false')"),
            Val::Call("States.Format('{}', $b)".into())
        );
        assert_eq!(
            val("'x' & (true ? 'true' : 'false')"),
            Val::Lit(json!("xtrue"))
        );
        assert!(err("$string($f)").contains("f64"));
        assert!(err("$string($u)").contains("`_`"));
        assert!(err("'x' & $stock").contains("Stock"));
        assert!(err("$length($s)").contains("length of a string"));
        // A backslash has no escape asl-validator accepts; a wholly literal string needs none.
        assert!(err("'a\\\\b' & $s").contains("backslash"));
        assert_eq!(val("'a\\\\b' & 'c'"), Val::Lit(json!("a\\bc")));
    }

    #[test]
    fn lists_and_objects() {
        assert_eq!(
            val("$count($xs)"),
            Val::Call("States.ArrayLength($xs)".into())
        );
        assert_eq!(
            val("[$n, 2]"),
            Val::Array(vec![Val::Path("$n".into()), Val::Lit(json!(2))])
        );
        assert_eq!(val("[$xs]"), Val::Path("$xs".into()));
        assert_eq!(
            val("[[$xs], 1]"),
            Val::Array(vec![Val::Path("$xs".into()), Val::Lit(json!(1))])
        );
        assert!(err("[$xs, 1]").contains("joining lists"));
        assert!(err("[$u]").contains("not known"));
        assert_eq!(
            val("{'a': $n, 'b': {'c': 'x'}}"),
            Val::Object(vec![
                ("a".into(), Val::Path("$n".into())),
                (
                    "b".into(),
                    Val::Object(vec![("c".into(), Val::Lit(json!("x")))])
                ),
            ])
        );
        assert!(err("$append($xs, [1])").contains("appending"));
    }

    #[test]
    fn refused_shapes() {
        // Known present (a Choice rule established it): the field itself.
        assert_eq!(
            val("($exists($stock.sku) ? $stock.sku : null)"),
            Val::Path("$stock.sku".into())
        );
        assert!(err("($exists($stock.tags) ? $stock.tags : null)").contains("conditional"));
        assert!(err("($exists($stock.sku) ? $stock.sku : 0)").contains("conditional"));
        assert!(err("($t := $n; $t)").contains("block"));
        assert!(err("$n = 1").contains("boolean"));
        assert!(err("$map($xs, function($v) { $v })").contains("$map"));
        assert!(err("$states").contains("`$states`"));
    }
}
