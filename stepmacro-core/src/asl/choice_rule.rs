//! [`ChoiceRule`]: one rule of a Choice state, in either query language.
//!
//! The model is one flat struct with every field a rule may carry, not an enum of rule shapes: that keeps
//! parsing lossless and lets the validator report *why* a rule is malformed (two operators, a nested
//! `Next`, `Condition` mixed with `Variable`) instead of failing with an opaque "no variant matched".
//! [`ChoiceRule::kind`] gives the typed view an interpreter wants.

use serde::{Deserialize, Serialize};

use super::dynamic::BoolOrExpr;
use super::json::Json;
use super::payload::Assign;
use super::serde_util::present;

/// What a comparison operator expects as its operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperandKind {
    /// A string literal.
    String,
    /// A number literal.
    Number,
    /// A boolean literal.
    Boolean,
    /// An RFC 3339 timestamp string.
    Timestamp,
    /// A `StringMatches` pattern (string with `*` wildcards).
    Pattern,
    /// A boolean flag of a type test (`IsNull`, `IsPresent`, ...).
    TypeTest,
    /// A Path (the `...Path` twins): compare with the value at that path.
    Path,
}

macro_rules! choice_rule {
    ($( $(#[$meta:meta])* $op:ident / $field:ident : $kind:ident ),* $(,)?) => {
        /// A JSONPath comparison operator (`StringEquals`, `NumericLessThanPath`, `IsPresent`, ...).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ComparisonOperator {
            $( $(#[$meta])* $op, )*
        }

        impl ComparisonOperator {
            /// Every operator, in the order of the model's fields.
            pub const ALL: &'static [ComparisonOperator] = &[$(ComparisonOperator::$op),*];

            /// The field name as written in ASL.
            pub fn name(self) -> &'static str {
                match self {
                    $( ComparisonOperator::$op => stringify!($op), )*
                }
            }

            /// What the operand must be.
            pub fn operand_kind(self) -> OperandKind {
                match self {
                    $( ComparisonOperator::$op => OperandKind::$kind, )*
                }
            }
        }

        /// One Choice rule. JSONPath rules: a Boolean (`And`/`Or`/`Not`) or a data test (`Variable` + one
        /// operator); JSONata rules: `Condition`. Only top-level rules carry `Next` (plus `Assign`,
        /// `Output`, `Comment`).
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase", deny_unknown_fields)]
        pub struct ChoiceRule {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub comment: Option<String>,
            /// JSONata: `true`/`false` or a `{% %}` boolean expression.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub condition: Option<BoolOrExpr>,
            /// JSONPath: the Path tested by the operator.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub variable: Option<String>,
            $(
                #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
                pub $field: Option<Json>,
            )*
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub and: Option<Vec<ChoiceRule>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub or: Option<Vec<ChoiceRule>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub not: Option<Box<ChoiceRule>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub assign: Option<Assign>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            pub output: Option<Json>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub next: Option<String>,
        }

        impl ChoiceRule {
            /// The comparison operators present on this rule, with their operands, in field order.
            /// A well-formed data test has exactly one.
            pub fn operators(&self) -> Vec<(ComparisonOperator, &Json)> {
                let mut out = Vec::new();
                $( if let Some(v) = &self.$field { out.push((ComparisonOperator::$op, v)); } )*
                out
            }

            /// The operand of one operator, if present.
            pub fn operand(&self, op: ComparisonOperator) -> Option<&Json> {
                match op {
                    $( ComparisonOperator::$op => self.$field.as_ref(), )*
                }
            }

            /// Sets (or clears) one operator's operand.
            pub fn set_operand(&mut self, op: ComparisonOperator, value: Option<Json>) {
                match op {
                    $( ComparisonOperator::$op => self.$field = value, )*
                }
            }
        }
    };
}

choice_rule! {
    StringEquals / string_equals: String,
    StringEqualsPath / string_equals_path: Path,
    StringLessThan / string_less_than: String,
    StringLessThanPath / string_less_than_path: Path,
    StringGreaterThan / string_greater_than: String,
    StringGreaterThanPath / string_greater_than_path: Path,
    StringLessThanEquals / string_less_than_equals: String,
    StringLessThanEqualsPath / string_less_than_equals_path: Path,
    StringGreaterThanEquals / string_greater_than_equals: String,
    StringGreaterThanEqualsPath / string_greater_than_equals_path: Path,
    StringMatches / string_matches: Pattern,
    NumericEquals / numeric_equals: Number,
    NumericEqualsPath / numeric_equals_path: Path,
    NumericLessThan / numeric_less_than: Number,
    NumericLessThanPath / numeric_less_than_path: Path,
    NumericGreaterThan / numeric_greater_than: Number,
    NumericGreaterThanPath / numeric_greater_than_path: Path,
    NumericLessThanEquals / numeric_less_than_equals: Number,
    NumericLessThanEqualsPath / numeric_less_than_equals_path: Path,
    NumericGreaterThanEquals / numeric_greater_than_equals: Number,
    NumericGreaterThanEqualsPath / numeric_greater_than_equals_path: Path,
    BooleanEquals / boolean_equals: Boolean,
    BooleanEqualsPath / boolean_equals_path: Path,
    TimestampEquals / timestamp_equals: Timestamp,
    TimestampEqualsPath / timestamp_equals_path: Path,
    TimestampLessThan / timestamp_less_than: Timestamp,
    TimestampLessThanPath / timestamp_less_than_path: Path,
    TimestampGreaterThan / timestamp_greater_than: Timestamp,
    TimestampGreaterThanPath / timestamp_greater_than_path: Path,
    TimestampLessThanEquals / timestamp_less_than_equals: Timestamp,
    TimestampLessThanEqualsPath / timestamp_less_than_equals_path: Path,
    TimestampGreaterThanEquals / timestamp_greater_than_equals: Timestamp,
    TimestampGreaterThanEqualsPath / timestamp_greater_than_equals_path: Path,
    IsNull / is_null: TypeTest,
    IsPresent / is_present: TypeTest,
    IsNumeric / is_numeric: TypeTest,
    IsString / is_string: TypeTest,
    IsBoolean / is_boolean: TypeTest,
    IsTimestamp / is_timestamp: TypeTest,
}

/// The typed view of a [`ChoiceRule`], for evaluation. Malformed rules (which the validator reports) map
/// to [`RuleKind::Malformed`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RuleKind<'a> {
    /// JSONata `Condition`.
    Condition(&'a BoolOrExpr),
    /// `And`: all must match.
    And(&'a [ChoiceRule]),
    /// `Or`: any must match.
    Or(&'a [ChoiceRule]),
    /// `Not`: the inner rule must not match.
    Not(&'a ChoiceRule),
    /// `Variable` + one operator.
    Test {
        variable: &'a str,
        operator: ComparisonOperator,
        operand: &'a Json,
    },
    /// Not exactly one of the shapes above.
    Malformed,
}

impl ChoiceRule {
    /// Classifies the rule. Exactly one of `Condition`, `And`, `Or`, `Not`, or `Variable` + one
    /// operator must be present; anything else is [`RuleKind::Malformed`].
    pub fn kind(&self) -> RuleKind<'_> {
        let ops = self.operators();
        let shapes = usize::from(self.condition.is_some())
            + usize::from(self.and.is_some())
            + usize::from(self.or.is_some())
            + usize::from(self.not.is_some())
            + usize::from(self.variable.is_some() || !ops.is_empty());
        if shapes != 1 {
            return RuleKind::Malformed;
        }
        if let Some(c) = &self.condition {
            return RuleKind::Condition(c);
        }
        if let Some(rules) = &self.and {
            return RuleKind::And(rules);
        }
        if let Some(rules) = &self.or {
            return RuleKind::Or(rules);
        }
        if let Some(rule) = &self.not {
            return RuleKind::Not(rule);
        }
        match (&self.variable, ops.as_slice()) {
            (Some(variable), [(operator, operand)]) => RuleKind::Test {
                variable,
                operator: *operator,
                operand,
            },
            _ => RuleKind::Malformed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_match_field_names() {
        for &op in ComparisonOperator::ALL {
            let json = format!(r#"{{"Variable": "$.x", "{}": 1, "Next": "A"}}"#, op.name());
            let rule: ChoiceRule = serde_json::from_str(&json).unwrap();
            assert_eq!(rule.operators().len(), 1, "{}", op.name());
            assert!(matches!(rule.kind(), RuleKind::Test { operator, .. } if operator == op));
        }
        assert_eq!(ComparisonOperator::ALL.len(), 39);
    }

    #[test]
    fn malformed_rules_are_classified() {
        let rule: ChoiceRule =
            serde_json::from_str(r#"{"Variable": "$.x", "IsNull": true, "StringEquals": "a"}"#)
                .unwrap();
        assert_eq!(rule.kind(), RuleKind::Malformed);
        let rule: ChoiceRule =
            serde_json::from_str(r#"{"Condition": true, "Variable": "$.x"}"#).unwrap();
        assert_eq!(rule.kind(), RuleKind::Malformed);
    }
}
