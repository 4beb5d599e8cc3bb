//! Parallel states: every branch gets the same input and runs concurrently in its own variable
//! scope; the result is the branch outputs in `Branches` order. The first failing branch fails
//! the state (with that branch's Error/Cause, as AWS-parity emulators report it) and its siblings
//! are dropped, which stops them.

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::Value;

use crate::asl::QueryLanguage;

use super::super::error::StateError;
use super::super::history::EventType;
use super::super::jsonata::States;
use super::super::plan::{Scope, StatePlan};
use super::super::state_result::StateResult;
use super::flow::Exit;
use super::io::{self, Extra, StateInfo};
use super::vars::Vars;
use super::{Cursor, Run};

impl Run<'_> {
    pub(super) async fn parallel<'p>(
        &self,
        st: &'p StatePlan,
        branches: &'p [Scope],
        raw: &Value,
        vars: &Vars,
        cur: &mut Cursor,
        info: &StateInfo<'_>,
    ) -> Result<Exit<'p>, StateError> {
        let states = States::input(raw);
        let input = self.eval(info, &Extra::None, vars, |ctx| match st.lang {
            QueryLanguage::JsonPath => {
                let eff = io::input_path(&st.input_path, raw, ctx)?;
                match &st.parameters {
                    Some(t) => t.eval(&eff, ctx),
                    None => Ok(eff),
                }
            }
            QueryLanguage::Jsonata => match &st.arguments {
                Some(t) => t.eval(&states, "Arguments", ctx),
                None => Ok(raw.clone()),
            },
        })?;
        self.check_size(&input, "state input")?;
        let started = self.event(cur, EventType::ParallelStateStarted, None)?;

        let mut running: FuturesUnordered<_> = branches
            .iter()
            .enumerate()
            .map(|(i, branch)| {
                let input = input.clone();
                let scope = vars.child();
                async move {
                    let mut bcur = Cursor { last: started };
                    let r = self.run_scope(branch, input, &scope, &mut bcur).await;
                    (i, r)
                }
            })
            .collect();
        let mut results = vec![Value::Null; branches.len()];
        while let Some((i, r)) = running.next().await {
            match r {
                Ok(v) => results[i] = v,
                Err(e) => {
                    drop(running);
                    cur.last = self.last_event_id();
                    self.event(cur, EventType::ParallelStateFailed, None)?;
                    return Err(e);
                }
            }
        }
        cur.last = self.last_event_id();
        self.event(cur, EventType::ParallelStateSucceeded, None)?;
        let result = Value::Array(results);
        self.check_size(&result, "state result")?;
        self.finish_work(st, raw, vars, info, StateResult::Value(result))
    }
}
