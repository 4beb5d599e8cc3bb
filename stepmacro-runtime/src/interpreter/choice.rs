//! Choice rule evaluation: JSONPath data tests (`Variable` + operator, `And`/`Or`/`Not`) and
//! JSONata `Condition`s.
//!
//! AWS semantics: operands of the wrong type make a test false (no error); any operator but
//! `IsPresent` on a missing `Variable` is `States.Runtime`; `StringMatches` knows only `*` (with
//! `\*` and `\\` escapes); strings compare code point by code point.

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use crate::asl::{BoolOrExpr, ChoiceRule, ComparisonOperator, OperandKind, RuleKind};

use super::error::StateError;
use super::jsonata::{self, States};
use super::jsonpath::{Path, PathError};
use super::template::EvalCtx;

/// A compiled rule condition.
#[derive(Clone, Debug)]
pub enum Cond {
    /// JSONata `Condition`: a literal or an expression (text inside `{% %}`).
    Literal(bool),
    Expr(String),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Test(Box<DataTest>),
}

/// `Variable` + one comparison operator.
#[derive(Clone, Debug)]
pub struct DataTest {
    pub variable: Path,
    pub op: ComparisonOperator,
    pub operand: Operand,
}

/// The right-hand side of a data test.
#[derive(Clone, Debug)]
pub enum Operand {
    Value(Value),
    Path(Path),
    Timestamp(DateTime<FixedOffset>),
    Pattern(Vec<PatternPart>),
    Flag(bool),
}

/// A `StringMatches` pattern: literal text and `*` wildcards.
#[derive(Clone, Debug, PartialEq)]
pub enum PatternPart {
    Text(String),
    Star,
}

/// Parses an RFC 3339 timestamp as ASL wants it.
pub fn parse_timestamp(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

impl Cond {
    /// Compiles a rule's condition (not its `Next`/`Assign`/`Output`).
    pub fn compile(rule: &ChoiceRule) -> Result<Cond, String> {
        match rule.kind() {
            RuleKind::Condition(BoolOrExpr::Bool(b)) => Ok(Cond::Literal(*b)),
            RuleKind::Condition(c @ BoolOrExpr::Expression(s)) => {
                let expr = c.expression().ok_or_else(|| format!("Condition must be a boolean or a {{% %}} expression, found {s:?}"))?;
                jsonata::check(expr).map_err(|e| format!("invalid JSONata in Condition: {e}"))?;
                Ok(Cond::Expr(expr.to_owned()))
            }
            RuleKind::And(rules) | RuleKind::Or(rules) => {
                if rules.is_empty() {
                    return Err("And/Or need at least one rule".to_owned());
                }
                let conds = rules.iter().map(Cond::compile).collect::<Result<Vec<_>, _>>()?;
                Ok(if rule.and.is_some() { Cond::And(conds) } else { Cond::Or(conds) })
            }
            RuleKind::Not(inner) => Ok(Cond::Not(Box::new(Cond::compile(inner)?))),
            RuleKind::Test { variable, operator, operand } => {
                let variable = Path::parse(variable).map_err(|e| format!("Variable: {e}"))?;
                let name = operator.name();
                let operand = match operator.operand_kind() {
                    OperandKind::String if operand.is_string() => Operand::Value(operand.0.clone()),
                    OperandKind::Number if operand.is_number() => Operand::Value(operand.0.clone()),
                    OperandKind::Boolean if operand.is_boolean() => Operand::Value(operand.0.clone()),
                    OperandKind::TypeTest => Operand::Flag(operand.as_bool().ok_or_else(|| format!("{name} takes true or false"))?),
                    OperandKind::Timestamp => {
                        let s = operand.as_str().ok_or_else(|| format!("{name} takes an RFC 3339 timestamp string"))?;
                        Operand::Timestamp(parse_timestamp(s).ok_or_else(|| format!("{name}: {s:?} is not an RFC 3339 timestamp"))?)
                    }
                    OperandKind::Pattern => {
                        let s = operand.as_str().ok_or_else(|| format!("{name} takes a string pattern"))?;
                        Operand::Pattern(parse_pattern(s)?)
                    }
                    OperandKind::Path => {
                        let s = operand.as_str().ok_or_else(|| format!("{name} takes a path string"))?;
                        Operand::Path(Path::parse(s).map_err(|e| format!("{name}: {e}"))?)
                    }
                    _ => return Err(format!("{name} has an operand of the wrong type: {}", operand.0)),
                };
                Ok(Cond::Test(Box::new(DataTest { variable, op: operator, operand })))
            }
            RuleKind::Malformed => Err(
                "a Choice rule needs exactly one of: Condition, And, Or, Not, or Variable with one comparison operator"
                    .to_owned(),
            ),
        }
    }

    /// Evaluates the condition. JSONPath tests read `input` (the effective input); JSONata
    /// conditions read the `$states` object.
    pub fn eval(
        &self,
        input: &Value,
        states: &States<'_>,
        ctx: &mut EvalCtx<'_>,
    ) -> Result<bool, StateError> {
        match self {
            Cond::Literal(b) => Ok(*b),
            Cond::Expr(e) => match ctx.jsonata(e, "Condition", states)? {
                Value::Bool(b) => Ok(b),
                other => Err(StateError::query(format!(
                    "The Condition expression '{}' returned {}, not a boolean",
                    e.trim(),
                    other
                ))),
            },
            Cond::And(cs) => {
                for c in cs {
                    if !c.eval(input, states, ctx)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Cond::Or(cs) => {
                for c in cs {
                    if c.eval(input, states, ctx)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Cond::Not(c) => Ok(!c.eval(input, states, ctx)?),
            Cond::Test(t) => test(&t.variable, t.op, &t.operand, input, ctx),
        }
    }
}

fn invalid_path(path: &Path) -> StateError {
    StateError::runtime(format!(
        "Invalid path '{}': The choice state's condition path references an invalid value.",
        path.as_str()
    ))
}

fn test(
    variable: &Path,
    op: ComparisonOperator,
    operand: &Operand,
    input: &Value,
    ctx: &EvalCtx<'_>,
) -> Result<bool, StateError> {
    use ComparisonOperator as O;
    let value = match variable.eval(&ctx.sources(input)) {
        Ok(v) => Some(v),
        Err(PathError::NotFound | PathError::UnknownVariable(_)) => None,
        Err(PathError::Function(m)) => return Err(StateError::runtime(m)),
    };
    if op == O::IsPresent {
        let Operand::Flag(want) = operand else {
            return Ok(false);
        };
        return Ok(value.is_some() == *want);
    }
    let Some(value) = value else {
        return Err(invalid_path(variable));
    };
    let rhs: Value = match operand {
        Operand::Path(p) => match p.eval(&ctx.sources(input)) {
            Ok(v) => v,
            Err(_) => return Err(invalid_path(p)),
        },
        Operand::Value(v) => v.clone(),
        Operand::Timestamp(_) | Operand::Pattern(_) | Operand::Flag(_) => Value::Null,
    };
    let strings = || match (&value, &rhs) {
        (Value::String(a), Value::String(b)) => Some(a.as_str().cmp(b.as_str())),
        _ => None,
    };
    let numbers = || match (value.as_f64(), rhs.as_f64()) {
        (Some(a), Some(b)) if value.is_number() && rhs.is_number() => a.partial_cmp(&b),
        _ => None,
    };
    let timestamps = || {
        let a = value.as_str().and_then(parse_timestamp)?;
        let b = match operand {
            Operand::Timestamp(t) => *t,
            _ => rhs.as_str().and_then(parse_timestamp)?,
        };
        Some(a.cmp(&b))
    };
    use std::cmp::Ordering::{Equal, Greater, Less};
    let r = match op {
        O::StringEquals | O::StringEqualsPath => strings() == Some(Equal),
        O::StringLessThan | O::StringLessThanPath => strings() == Some(Less),
        O::StringGreaterThan | O::StringGreaterThanPath => strings() == Some(Greater),
        O::StringLessThanEquals | O::StringLessThanEqualsPath => {
            matches!(strings(), Some(Less | Equal))
        }
        O::StringGreaterThanEquals | O::StringGreaterThanEqualsPath => {
            matches!(strings(), Some(Greater | Equal))
        }
        O::NumericEquals | O::NumericEqualsPath => numbers() == Some(Equal),
        O::NumericLessThan | O::NumericLessThanPath => numbers() == Some(Less),
        O::NumericGreaterThan | O::NumericGreaterThanPath => numbers() == Some(Greater),
        O::NumericLessThanEquals | O::NumericLessThanEqualsPath => {
            matches!(numbers(), Some(Less | Equal))
        }
        O::NumericGreaterThanEquals | O::NumericGreaterThanEqualsPath => {
            matches!(numbers(), Some(Greater | Equal))
        }
        O::BooleanEquals | O::BooleanEqualsPath => match (&value, &rhs) {
            (Value::Bool(a), Value::Bool(b)) => a == b,
            _ => false,
        },
        O::TimestampEquals | O::TimestampEqualsPath => timestamps() == Some(Equal),
        O::TimestampLessThan | O::TimestampLessThanPath => timestamps() == Some(Less),
        O::TimestampGreaterThan | O::TimestampGreaterThanPath => timestamps() == Some(Greater),
        O::TimestampLessThanEquals | O::TimestampLessThanEqualsPath => {
            matches!(timestamps(), Some(Less | Equal))
        }
        O::TimestampGreaterThanEquals | O::TimestampGreaterThanEqualsPath => {
            matches!(timestamps(), Some(Greater | Equal))
        }
        O::StringMatches => match (&value, operand) {
            (Value::String(s), Operand::Pattern(p)) => glob_match(p, s),
            _ => false,
        },
        O::IsNull | O::IsNumeric | O::IsString | O::IsBoolean | O::IsTimestamp => {
            let is = match op {
                O::IsNull => value.is_null(),
                O::IsNumeric => value.is_number(),
                O::IsString => value.is_string(),
                O::IsBoolean => value.is_boolean(),
                _ => value.as_str().and_then(parse_timestamp).is_some(),
            };
            let Operand::Flag(want) = operand else {
                return Ok(false);
            };
            is == *want
        }
        O::IsPresent => unreachable!("handled above"),
    };
    Ok(r)
}

/// Parses a `StringMatches` pattern: `*` is a wildcard, `\*` a literal star, `\\` a backslash.
pub fn parse_pattern(s: &str) -> Result<Vec<PatternPart>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('*' | '\\')) => text.push(e),
                Some(e) => return Err(format!("StringMatches: invalid escape \\{e} in {s:?}")),
                None => return Err(format!("StringMatches: dangling backslash in {s:?}")),
            },
            '*' => {
                if !text.is_empty() {
                    parts.push(PatternPart::Text(std::mem::take(&mut text)));
                }
                if parts.last() != Some(&PatternPart::Star) {
                    parts.push(PatternPart::Star);
                }
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        parts.push(PatternPart::Text(text));
    }
    Ok(parts)
}

/// Matches a whole string against a pattern (greedy-free backtracking over the star positions).
pub fn glob_match(pattern: &[PatternPart], s: &str) -> bool {
    match pattern.split_first() {
        None => s.is_empty(),
        Some((PatternPart::Text(t), rest)) => s
            .strip_prefix(t.as_str())
            .is_some_and(|r| glob_match(rest, r)),
        Some((PatternPart::Star, rest)) => {
            if rest.is_empty() {
                return true;
            }
            s.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(s.len()))
                .any(|i| glob_match(rest, &s[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpreter::rng::Rng;
    use serde_json::json;

    fn eval_rule(rule: Value, input: Value) -> Result<bool, StateError> {
        let rule: ChoiceRule = serde_json::from_value(rule).unwrap();
        let cond = Cond::compile(&rule).unwrap();
        let context =
            crate::interpreter::context::ContextObject::from_value(json!({"State": {"Name": "C"}}));
        let vars = |n: &str| if n == "v" { Some(json!(5)) } else { None };
        let mut rng = Rng::new(0);
        let mut ctx = EvalCtx {
            context: &context,
            vars: &vars,
            rng: &mut rng,
            now: chrono::Utc::now(),
        };
        cond.eval(&input, &States::input(&input), &mut ctx)
    }

    #[test]
    fn operators() {
        let i = json!({"s": "b", "n": 3, "t": "2024-01-02T00:00:00Z", "b": true, "z": null, "other": 3});
        let cases = [
            (json!({"Variable": "$.s", "StringEquals": "b"}), true),
            (json!({"Variable": "$.s", "StringLessThan": "c"}), true),
            (
                json!({"Variable": "$.s", "StringGreaterThanEquals": "b"}),
                true,
            ),
            (json!({"Variable": "$.n", "NumericEquals": 3.0}), true),
            (
                json!({"Variable": "$.n", "NumericLessThanEquals": 2}),
                false,
            ),
            (
                json!({"Variable": "$.n", "NumericGreaterThanPath": "$.other"}),
                false,
            ),
            (
                json!({"Variable": "$.n", "NumericEqualsPath": "$.other"}),
                true,
            ),
            (json!({"Variable": "$.s", "NumericEquals": 3}), false),
            (json!({"Variable": "$.b", "BooleanEquals": true}), true),
            (
                json!({"Variable": "$.t", "TimestampLessThan": "2024-01-03T00:00:00Z"}),
                true,
            ),
            (
                json!({"Variable": "$.t", "TimestampEquals": "2024-01-02T01:00:00+01:00"}),
                true,
            ),
            (json!({"Variable": "$.z", "IsNull": true}), true),
            (json!({"Variable": "$.n", "IsNumeric": false}), false),
            (json!({"Variable": "$.t", "IsTimestamp": true}), true),
            (json!({"Variable": "$.s", "IsString": true}), true),
            (json!({"Variable": "$.b", "IsBoolean": true}), true),
            (json!({"Variable": "$.nope", "IsPresent": false}), true),
            (json!({"Variable": "$.n", "IsPresent": true}), true),
            (json!({"Variable": "$v", "NumericEquals": 5}), true),
            (
                json!({"Variable": "$$.State.Name", "StringEquals": "C"}),
                true,
            ),
            (
                json!({"And": [{"Variable": "$.n", "NumericEquals": 3}, {"Not": {"Variable": "$.b", "BooleanEquals": false}}]}),
                true,
            ),
            (
                json!({"Or": [{"Variable": "$.n", "NumericEquals": 4}, {"Variable": "$.s", "StringMatches": "?"}]}),
                false,
            ),
            (json!({"Condition": "{% $states.input.n > 2 %}"}), true),
            (json!({"Condition": false}), false),
        ];
        for (rule, want) in cases {
            assert_eq!(eval_rule(rule.clone(), i.clone()).unwrap(), want, "{rule}");
        }
    }

    #[test]
    fn missing_variable_is_a_runtime_error() {
        let e = eval_rule(
            json!({"Variable": "$.nope", "StringEquals": "x"}),
            json!({}),
        )
        .unwrap_err();
        assert_eq!(e.error, "States.Runtime");
        assert!(e.cause.starts_with("Invalid path '$.nope'"));
        let e = eval_rule(json!({"Condition": "{% 1 %}"}), json!({})).unwrap_err();
        assert_eq!(e.error, "States.QueryEvaluationError");
    }

    #[test]
    fn string_matches() {
        let m = |p: &str, s: &str| glob_match(&parse_pattern(p).unwrap(), s);
        assert!(m("foo*.log", "foo23.log"));
        assert!(m("foo*.log", "foo.log"));
        assert!(!m("foo*.log", "foo.txt"));
        assert!(m("*", ""));
        assert!(m("a*b*c", "aXbYbc"));
        assert!(m(r"a\*", "a*"));
        assert!(!m(r"a\*", "ab"));
        assert!(m(r"a\\b", r"a\b"));
        assert!(parse_pattern("a\\").is_err());
        assert!(m("F*", "FR"));
    }
}
