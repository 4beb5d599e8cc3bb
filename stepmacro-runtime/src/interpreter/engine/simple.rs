//! The states that do no work: Pass, Choice, Wait, Succeed, Fail.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::super::choice::parse_timestamp;
use super::super::error::StateError;
use super::super::jsonata::States;
use super::super::jsonpath::Sources;
use super::super::plan::{FailField, RulePlan, StatePlan, TimestampField, WaitPlan};
use super::super::template::EvalCtx;
use super::Run;
use super::flow::Exit;
use super::io::{self, Extra, StateInfo};
use super::vars::Vars;
use crate::asl::QueryLanguage;

impl Run<'_> {
    pub(super) fn pass<'p>(
        &self,
        st: &'p StatePlan,
        result: Option<&Value>,
        raw: &Value,
        vars: &Vars,
        info: &StateInfo<'_>,
    ) -> Result<Exit<'p>, StateError> {
        let states = States::input(raw);
        self.eval(info, &Extra::None, vars, |ctx| match st.lang {
            QueryLanguage::JsonPath => {
                let eff = io::input_path(&st.input_path, raw, ctx)?;
                let eff = match &st.parameters {
                    Some(t) => t.eval(&eff, ctx)?,
                    None => eff,
                };
                let res = result.cloned().unwrap_or(eff);
                let assigned = assign_opt(st, &res, &states, ctx)?;
                let out = io::result_path(&st.result_path, raw, res)?;
                let out = io::output_path(&st.output_path, out, ctx)?;
                Ok(Exit {
                    next: st.next.as_deref(),
                    output: out,
                    assigned,
                })
            }
            QueryLanguage::Jsonata => {
                let output = match &st.output {
                    Some(t) => t.eval(&states, "Output", ctx)?,
                    None => raw.clone(),
                };
                let assigned = assign_opt(st, &Value::Null, &states, ctx)?;
                Ok(Exit {
                    next: st.next.as_deref(),
                    output,
                    assigned,
                })
            }
        })
    }

    pub(super) fn choice<'p>(
        &self,
        st: &'p StatePlan,
        rules: &'p [RulePlan],
        default: Option<&'p str>,
        raw: &Value,
        vars: &Vars,
        info: &StateInfo<'_>,
    ) -> Result<Exit<'p>, StateError> {
        let states = States::input(raw);
        self.eval(info, &Extra::None, vars, |ctx| {
            let eff = match st.lang {
                QueryLanguage::JsonPath => io::input_path(&st.input_path, raw, ctx)?,
                QueryLanguage::Jsonata => raw.clone(),
            };
            let mut matched = None;
            for rule in rules {
                if rule.cond.eval(&eff, &states, ctx)? {
                    matched = Some(rule);
                    break;
                }
            }
            let (next, assign, output) = match (matched, default) {
                (Some(rule), _) => (rule.next.as_str(), rule.assign.as_ref(), rule.output.as_ref()),
                (None, Some(d)) => (d, st.assign.as_ref(), st.output.as_ref()),
                (None, None) => {
                    return Err(StateError::runtime(format!(
                        "An error occurred while executing the state '{}'. No Choice rule matched and no Default is specified.",
                        st.name
                    )));
                }
            };
            let assigned = match assign {
                Some(a) => io::assign(a, &eff, &states, ctx)?,
                None => BTreeMap::new(),
            };
            let output = match st.lang {
                QueryLanguage::JsonPath => io::output_path(&st.output_path, eff, ctx)?,
                QueryLanguage::Jsonata => match output {
                    Some(t) => t.eval(&states, "Output", ctx)?,
                    None => raw.clone(),
                },
            };
            Ok(Exit { next: Some(next), output, assigned })
        })
    }

    pub(super) async fn wait<'p>(
        &self,
        st: &'p StatePlan,
        plan: &WaitPlan,
        raw: &Value,
        vars: &Vars,
        info: &StateInfo<'_>,
    ) -> Result<Exit<'p>, StateError> {
        let states = States::input(raw);
        let now = self.clock.now();
        let (eff, until) = self.eval(info, &Extra::None, vars, |ctx| -> Result<(Value, DateTime<Utc>), StateError> {
            let eff = match st.lang {
                QueryLanguage::JsonPath => io::input_path(&st.input_path, raw, ctx)?,
                QueryLanguage::Jsonata => raw.clone(),
            };
            let until = match plan {
                WaitPlan::Seconds(d) => {
                    let secs = io::dyn_int(d, "Seconds", &eff, &states, ctx)?.unwrap_or(0);
                    let secs = i64::try_from(secs).unwrap_or(i64::MAX);
                    now.checked_add_signed(chrono::Duration::try_seconds(secs).unwrap_or(chrono::Duration::MAX))
                        .unwrap_or(DateTime::<Utc>::MAX_UTC)
                }
                WaitPlan::Timestamp(TimestampField::Literal(t)) => t.with_timezone(&Utc),
                WaitPlan::Timestamp(TimestampField::Path(p)) => {
                    let v = ctx.path(p, &eff, "TimestampPath")?;
                    v.as_str().and_then(parse_timestamp).map(|t| t.with_timezone(&Utc)).ok_or_else(|| {
                        StateError::runtime(format!("The TimestampPath '{}' did not resolve to an RFC 3339 timestamp: {v}", p.as_str()))
                    })?
                }
                WaitPlan::Timestamp(TimestampField::Expr(e)) => {
                    let v = ctx.jsonata(e, "Timestamp", &states)?;
                    v.as_str().and_then(parse_timestamp).map(|t| t.with_timezone(&Utc)).ok_or_else(|| {
                        StateError::query(format!("The Timestamp expression returned {v}, not an RFC 3339 timestamp"))
                    })?
                }
            };
            Ok((eff, until))
        })?;
        self.clock.sleep_until(until).await;
        self.eval(info, &Extra::None, vars, |ctx| {
            let assigned = assign_opt(st, &eff, &states, ctx)?;
            let output = match st.lang {
                QueryLanguage::JsonPath => io::output_path(&st.output_path, eff.clone(), ctx)?,
                QueryLanguage::Jsonata => match &st.output {
                    Some(t) => t.eval(&states, "Output", ctx)?,
                    None => raw.clone(),
                },
            };
            Ok(Exit {
                next: st.next.as_deref(),
                output,
                assigned,
            })
        })
    }

    pub(super) fn succeed<'p>(
        &self,
        st: &'p StatePlan,
        raw: &Value,
        vars: &Vars,
        info: &StateInfo<'_>,
    ) -> Result<Exit<'p>, StateError> {
        let states = States::input(raw);
        self.eval(info, &Extra::None, vars, |ctx| {
            let output = match st.lang {
                QueryLanguage::JsonPath => {
                    let eff = io::input_path(&st.input_path, raw, ctx)?;
                    io::output_path(&st.output_path, eff, ctx)?
                }
                QueryLanguage::Jsonata => match &st.output {
                    Some(t) => t.eval(&states, "Output", ctx)?,
                    None => raw.clone(),
                },
            };
            Ok(Exit {
                next: None,
                output,
                assigned: BTreeMap::new(),
            })
        })
    }

    /// The error a Fail state raises (or the error met while computing it).
    pub(super) fn fail(
        &self,
        st: &StatePlan,
        error: &FailField,
        cause: &FailField,
        raw: &Value,
        vars: &Vars,
        info: &StateInfo<'_>,
    ) -> StateError {
        let states = States::input(raw);
        let r = self.eval(
            info,
            &Extra::None,
            vars,
            |ctx| -> Result<StateError, StateError> {
                let error = fail_field(error, "Error", raw, &states, ctx)?;
                let cause = fail_field(cause, "Cause", raw, &states, ctx)?;
                Ok(StateError::new(error, cause))
            },
        );
        let _ = st;
        match r {
            Ok(e) | Err(e) => e,
        }
    }
}

fn assign_opt(
    st: &StatePlan,
    jp_input: &Value,
    states: &States<'_>,
    ctx: &mut EvalCtx<'_>,
) -> Result<BTreeMap<String, Value>, StateError> {
    match &st.assign {
        Some(a) => io::assign(a, jp_input, states, ctx),
        None => Ok(BTreeMap::new()),
    }
}

fn fail_field(
    f: &FailField,
    field: &str,
    raw: &Value,
    states: &States<'_>,
    ctx: &mut EvalCtx<'_>,
) -> Result<String, StateError> {
    let (v, jsonata) = match f {
        FailField::Absent => return Ok(String::new()),
        FailField::Literal(s) => return Ok(s.clone()),
        FailField::Path(p) => (ctx.path(p, raw, &format!("{field}Path"))?, false),
        FailField::Call(c) => {
            let src = Sources {
                input: raw,
                context: ctx.context,
                vars: ctx.vars,
            };
            (c.eval(&src, ctx.rng)?, false)
        }
        FailField::Expr(e) => (ctx.jsonata(e, field, states)?, true),
    };
    match v {
        Value::String(s) => Ok(s),
        other => {
            let msg = format!("The {field} of a Fail state must be a string, found {other}");
            Err(if jsonata {
                StateError::query(msg)
            } else {
                StateError::runtime(msg)
            })
        }
    }
}
