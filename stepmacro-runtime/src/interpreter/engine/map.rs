//! Map states: items from `ItemsPath`/`Items` (or an `ItemReader`), optionally batched, each
//! shaped by `ItemSelector` and run through the `ItemProcessor` in its own variable scope, at
//! most `MaxConcurrency` at a time (0 = unbounded; an inline Map never runs more than 40 at once,
//! as on AWS). Results keep item order. An iteration failure fails the Map and stops the others.
//! In a Distributed Map, `ToleratedFailureCount`/`Percentage` let failures through up to the
//! threshold (each leaves its Error Output in the result array) and a breach fails the Map with
//! `States.ExceedToleratedFailureThreshold`; AWS documents them for Distributed mode only, and an
//! inline Map ignores them, as moto's interpreter does.
//!
//! Distributed Map is run like an inline Map whose iterations see no outer variables; the
//! `ItemReader` and `ResultWriter` resources are answered by the mocks (the reader's mock returns
//! the object's content: a JSON array, or JSONL/CSV text), so no S3 is involved.

use std::collections::BTreeSet;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::{Map, Value, json};

use crate::asl::QueryLanguage;

use super::super::error::{StateError, names};
use super::super::execution::TaskCall;
use super::super::history::{EventDetails, EventType, MapIterationDetails, MapStateStartedDetails};
use super::super::jsonata::States;
use super::super::plan::{MapPlan, StatePlan};
use super::super::state_result::StateResult;
use super::super::template::EvalCtx;
use super::flow::Exit;
use super::io::{self, Extra, StateInfo};
use super::items::batches;
use super::vars::Vars;
use super::{Cursor, Run};

/// Concurrency of a Distributed Map when `MaxConcurrency` is 0 (AWS default).
const DISTRIBUTED_CONCURRENCY: usize = 10_000;

struct Prepared {
    /// The Map's effective input (`$` of a JSONPath `ItemSelector`).
    eff: Value,
    items: Vec<Value>,
    concurrency: usize,
    tolerated_count: Option<u64>,
    tolerated_percentage: Option<f64>,
    batch: Option<(Option<u64>, Option<u64>, Option<Value>)>,
}

impl Run<'_> {
    pub(super) async fn map<'p>(
        &self,
        st: &'p StatePlan,
        m: &'p MapPlan,
        raw: &Value,
        vars: &Vars,
        cur: &mut Cursor,
        info: &StateInfo<'_>,
    ) -> Result<Exit<'p>, StateError> {
        let states = States::input(raw);
        let mut prep = self.eval(info, &Extra::None, vars, |ctx| {
            self.prepare(st, m, raw, &states, ctx)
        })?;
        if let Some(reader) = &m.item_reader {
            prep.items = self
                .read_items(st, reader, &prep.eff, &states, vars, info)
                .await?;
        }
        let items = match &prep.batch {
            Some((max_items, max_bytes, batch_input)) => {
                batches(prep.items, *max_items, *max_bytes, batch_input.as_ref())
            }
            None => prep.items,
        };
        let n = items.len();
        let started = self.event(
            cur,
            EventType::MapStateStarted,
            Some(EventDetails::MapStateStarted(MapStateStartedDetails {
                length: n as u64,
            })),
        )?;

        let iteration = |index: usize, item: Value| {
            let eff = &prep.eff;
            let scope = if m.distributed {
                Vars::root()
            } else if m.processor.assigns {
                vars.child()
            } else {
                // Nothing in the iteration assigns: it reads the outer scope directly.
                vars.clone()
            };
            let name = &st.name;
            async move {
                let mut icur = Cursor { last: started };
                let details = || {
                    Some(MapIterationDetails {
                        name: name.clone(),
                        index: index as u64,
                    })
                };
                let r = async {
                    self.event(
                        &mut icur,
                        EventType::MapIterationStarted,
                        details().map(EventDetails::MapIterationStarted),
                    )?;
                    let input = match &m.selector {
                        None => item,
                        Some(sel) => {
                            let extra = Extra::MapItem { index, value: item };
                            self.eval(info, &extra, vars, |ctx| {
                                io::payload(sel, eff, &states, "ItemSelector", ctx)
                            })?
                        }
                    };
                    self.check_size(&input, "iteration input")?;
                    self.run_scope(&m.processor, input, &scope, &mut icur).await
                }
                .await;
                let ty = if r.is_ok() {
                    EventType::MapIterationSucceeded
                } else {
                    EventType::MapIterationFailed
                };
                let done = self.event(
                    &mut icur,
                    ty,
                    details().map(if r.is_ok() {
                        EventDetails::MapIterationSucceeded
                    } else {
                        EventDetails::MapIterationFailed
                    }),
                );
                (index, done.and(r))
            }
        };

        let mut pending = items.into_iter().enumerate();
        let mut running = FuturesUnordered::new();
        let mut in_flight: BTreeSet<usize> = BTreeSet::new();
        let mut results: Vec<Value> = vec![Value::Null; n];
        let mut failures: u64 = 0;
        let tolerant = m.distributed
            && (prep.tolerated_count.is_some() || prep.tolerated_percentage.is_some());
        let failure: Option<StateError> = loop {
            while running.len() < prep.concurrency {
                let Some((i, item)) = pending.next() else {
                    break;
                };
                in_flight.insert(i);
                running.push(iteration(i, item));
            }
            let Some((i, r)) = running.next().await else {
                break None;
            };
            in_flight.remove(&i);
            match r {
                Ok(v) => results[i] = v,
                Err(e) if !tolerant || e.is_terminal() => break Some(e),
                Err(e) => {
                    failures += 1;
                    results[i] = e.error_output();
                    let over_count = prep.tolerated_count.is_some_and(|c| failures > c);
                    let over_pct = prep
                        .tolerated_percentage
                        .is_some_and(|p| (failures as f64) * 100.0 / (n.max(1) as f64) > p);
                    let over = match (prep.tolerated_count, prep.tolerated_percentage) {
                        (Some(_), Some(_)) => over_count && over_pct,
                        _ => over_count || over_pct,
                    };
                    if over {
                        break Some(StateError::new(
                            names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                            format!(
                                "The Map state '{}' failed: {failures} of {n} iterations failed, more than tolerated.",
                                st.name
                            ),
                        ));
                    }
                }
            }
        };
        drop(running);
        if let Some(e) = failure {
            cur.last = self.last_event_id();
            for i in in_flight {
                self.event(
                    cur,
                    EventType::MapIterationAborted,
                    Some(EventDetails::MapIterationAborted(MapIterationDetails {
                        name: st.name.clone(),
                        index: i as u64,
                    })),
                )?;
            }
            self.event(cur, EventType::MapStateFailed, None)?;
            return Err(e);
        }
        cur.last = self.last_event_id();
        self.event(cur, EventType::MapStateSucceeded, None)?;
        let mut result = Value::Array(results);
        if let Some(w) = &m.result_writer {
            result = self
                .write_results(st, w, &prep.eff, &states, vars, info, result)
                .await?;
        }
        self.check_size(&result, "state result")?;
        self.finish_work(st, raw, vars, info, StateResult::Value(result))
    }

    /// Effective input, items and the numeric settings.
    fn prepare(
        &self,
        st: &StatePlan,
        m: &MapPlan,
        raw: &Value,
        states: &States<'_>,
        ctx: &mut EvalCtx<'_>,
    ) -> Result<Prepared, StateError> {
        let (eff, items) = match st.lang {
            QueryLanguage::JsonPath => {
                let eff = io::input_path(&st.input_path, raw, ctx)?;
                let items = match &m.items_path {
                    Some(p) => ctx.path(p, &eff, "ItemsPath")?,
                    None => eff.clone(),
                };
                (eff, items)
            }
            QueryLanguage::Jsonata => {
                let items = match &m.items {
                    Some(t) => t.eval(states, "Items", ctx)?,
                    None => raw.clone(),
                };
                (raw.clone(), items)
            }
        };
        let items = match items {
            Value::Array(a) => a,
            _ if m.item_reader.is_some() => Vec::new(),
            other => {
                let msg = format!(
                    "The Map state '{}' needs an array of items, found {}",
                    st.name,
                    super::super::value::abbreviate(&other, 200)
                );
                return Err(match st.lang {
                    QueryLanguage::JsonPath => StateError::runtime(msg),
                    QueryLanguage::Jsonata => StateError::query(msg),
                });
            }
        };
        let max = io::dyn_int(&m.max_concurrency, "MaxConcurrency", &eff, states, ctx)?.unwrap_or(0)
            as usize;
        let cap = if m.distributed {
            DISTRIBUTED_CONCURRENCY
        } else {
            self.limits.inline_map_concurrency
        };
        let concurrency = if max == 0 { cap } else { max.min(cap) }.max(1);
        let tolerated_count = io::dyn_int(
            &m.tolerated_failure_count,
            "ToleratedFailureCount",
            &eff,
            states,
            ctx,
        )?;
        let tolerated_percentage = io::dyn_number(
            &m.tolerated_failure_percentage,
            "ToleratedFailurePercentage",
            &eff,
            states,
            ctx,
        )?;
        if tolerated_percentage.is_some_and(|p| p > 100.0) {
            return Err(StateError::runtime(
                "ToleratedFailurePercentage must be between 0 and 100",
            ));
        }
        let batch = match &m.item_batcher {
            None => None,
            Some(b) => {
                let max_items = io::dyn_int(
                    &b.max_items_per_batch,
                    "MaxItemsPerBatch",
                    &eff,
                    states,
                    ctx,
                )?;
                let max_bytes = io::dyn_int(
                    &b.max_input_bytes_per_batch,
                    "MaxInputBytesPerBatch",
                    &eff,
                    states,
                    ctx,
                )?;
                let input = b
                    .batch_input
                    .as_ref()
                    .map(|p| io::payload(p, &eff, states, "BatchInput", ctx))
                    .transpose()?;
                Some((max_items, max_bytes, input))
            }
        };
        Ok(Prepared {
            eff,
            items,
            concurrency,
            tolerated_count,
            tolerated_percentage,
            batch,
        })
    }

    /// `ResultWriter`: hands the results to the writer's mock (if any) and returns the descriptor
    /// AWS returns instead of the result array.
    #[allow(clippy::too_many_arguments)]
    async fn write_results(
        &self,
        st: &StatePlan,
        w: &super::super::plan::WriterPlan,
        eff: &Value,
        states: &States<'_>,
        vars: &Vars,
        info: &StateInfo<'_>,
        results: Value,
    ) -> Result<Value, StateError> {
        let params = self.eval(info, &Extra::None, vars, |ctx| {
            w.parameters
                .as_ref()
                .map(|p| io::payload(p, eff, states, "ResultWriter", ctx))
                .transpose()
        })?;
        let params = params.unwrap_or(json!({}));
        let run_id = self.rng.with(|r| r.uuid_v4());
        let map_run_arn = format!(
            "arn:aws:states:{}:{}:mapRun:{}/{}:{run_id}",
            self.id.region, self.id.account, self.id.state_machine_name, st.name
        );
        if let Some(resource) = &w.resource {
            let key = [resource.as_str(), "*"]
                .into_iter()
                .find_map(|k| self.mocks.exact_key(k))
                .cloned();
            let mut input = params.clone();
            if let Value::Object(o) = &mut input {
                o.insert("Results".to_owned(), results);
            }
            self.record_call(TaskCall {
                state: st.name.clone(),
                resource: resource.as_str().into(),
                key: resource.as_str().into(),
                mock: key.clone(),
                input: input.clone(),
            });
            if let Some(key) = key {
                self.clock
                    .attempt(self.mocks.call(&key, input))
                    .await
                    .map_err(|f| {
                        StateError::new(
                            names::RESULT_WRITER_FAILED,
                            format!("{}: {}", f.error, f.cause),
                        )
                    })?;
            }
        }
        let prefix = params.get("Prefix").and_then(Value::as_str).unwrap_or("");
        let mut details = Map::new();
        if let Some(b) = params.get("Bucket") {
            details.insert("Bucket".to_owned(), b.clone());
        }
        details.insert(
            "Key".to_owned(),
            json!(format!(
                "{}{run_id}/manifest.json",
                if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{}/", prefix.trim_end_matches('/'))
                }
            )),
        );
        Ok(json!({"MapRunArn": map_run_arn, "ResultWriterDetails": details}))
    }
}
