//! Loops: `while`, `loop` with `break`, `for` over a vector and a range, `continue`, labelled loops.
//! Every loop here is bounded by its input or a counter. Task results pushed straight into a vector
//! (`out.push(task(x).await?)`), and a guarded task `match` deciding `continue`/`break`/`return` per item.

use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, Case, ret, throw};

/// Errors of the loop tasks.
#[derive(Debug, TaskError)]
pub enum LpError {
    Flaky,
}

impl std::fmt::Display for LpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("flaky step")
    }
}

/// One step of an accumulation (mocked in the tests).
#[task]
pub async fn lp_step(acc: i64, x: i64) -> Result<i64, LpError> {
    Ok(acc + x)
}

/// A job's status as `lp_poll` reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobStatus {
    pub done: bool,
    pub progress: i64,
}

/// Polls a job (mocked in the tests).
#[task]
pub async fn lp_poll(job: String) -> Result<JobStatus, LpError> {
    let _ = job;
    Ok(JobStatus {
        done: true,
        progress: 100,
    })
}

workflow! {
    /// `while` with `continue` and `break`.
    pub async fn lp_while(n: i64) -> Result<i64, Failure> {
        let mut i = 0;
        let mut acc = 0;
        while i < n {
            i += 1;
            if i % 3 == 0 {
                continue;
            }
            acc = lp_step(acc, i).await?;
            if acc > 50 {
                break;
            }
        }
        Ok(acc * 10 + i)
    }
}

workflow! {
    /// A polling `loop` that ends with `break`, or with a Fail after too many rounds.
    pub async fn lp_poll_until_done(job: String) -> Result<i64, Failure> {
        let mut rounds = 0;
        let mut last = 0;
        loop {
            let status = lp_poll(job.clone()).await?;
            rounds += 1;
            last = status.progress.max(last);
            if status.done {
                break;
            }
            if rounds >= 5 {
                return Err(Failure::new("Poll.TooManyRounds", format!("still at {} after {} rounds", last, rounds)));
            }
            sleep(Duration::from_secs(30)).await;
        }
        Ok(rounds * 1000 + last)
    }
}

workflow! {
    /// `for` over a vector (with `continue`/`break`) and over a range.
    pub async fn lp_for(items: Vec<i64>) -> Result<Vec<i64>, Failure> {
        let mut out = Vec::new();
        let mut total = 0;
        for x in items.iter() {
            if *x < 0 {
                continue;
            }
            total = lp_step(total, *x).await?;
            out.push(total);
            if total > 100 {
                break;
            }
        }
        for k in 0..3 {
            out.push(k * total);
        }
        Ok(out)
    }
}

workflow! {
    /// Nested loops: `continue` and `break` of the inner loop, and a flag that ends the outer one;
    /// the inner loop is the outer body's last statement (its unit tail).
    pub async fn lp_nested(limit: i64) -> Result<Vec<i64>, Failure> {
        let mut pairs = Vec::new();
        let mut i = 0;
        let mut stop = false;
        while i < 5 && !stop {
            i += 1;
            let mut j = 0;
            while j < 5 {
                j += 1;
                if j > i {
                    break;
                }
                if (i + j) % 4 == 0 {
                    continue;
                }
                if i * j > limit {
                    stop = true;
                    break;
                }
                let s = lp_step(i * 10, j).await?;
                pairs.push(s);
            }
        }
        Ok(pairs)
    }
}

workflow! {
    /// Labelled nested loops: `continue 'outer` and `break 'outer`.
    pub async fn lp_labels(limit: i64) -> Result<Vec<i64>, Failure> {
        let mut pairs = Vec::new();
        let mut i = 0;
        'outer: while i < 5 {
            i += 1;
            let mut j = 0;
            while j < 5 {
                j += 1;
                if j > i {
                    continue 'outer;
                }
                if i * j > limit {
                    break 'outer;
                }
                pairs.push(i * 10 + j);
            }
        }
        pairs.push(i);
        Ok(pairs)
    }
}

workflow! {
    /// `out.push(task(x).await?)` in loops: each push is folded into the Task's `Assign`.
    pub async fn lp_push_results(items: Vec<i64>) -> Result<Vec<i64>, Failure> {
        let mut out = Vec::new();
        for x in items.iter() {
            out.push(lp_step(100, *x).await?);
        }
        let mut i = 0;
        while i < 2 {
            out.push(lp_step(i, out.len() as i64).await? * 2);
            i += 1;
        }
        Ok(out)
    }
}

workflow! {
    /// A task `match` per item whose guarded arms push, skip (`continue`), stop (`break`) or fail.
    pub async fn lp_guarded_catch(items: Vec<i64>) -> Result<Vec<i64>, Failure> {
        let mut kept = Vec::new();
        for x in items.iter() {
            match lp_step(*x, 0).await {
                Ok(v) if v % 2 == 0 => kept.push(v),
                Ok(v) if v > 100 => break,
                Ok(v) => kept.push(-v),
                Err(e) if e.cause == "skip" => continue,
                Err(e @ LpError::Flaky) if kept.is_empty() => return Err(Failure::new("Lp.FirstFailed", e.cause)),
                Err(e) => return Err(e),
            }
        }
        Ok(kept)
    }
}

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let step = || Behaviours::new().on::<lp_step>(Behaviour::jsonata("acc + x"));
    let mut cases = Vec::new();
    for n in [-1, 0, 1, 2, 3, 5, 10, 30] {
        cases.push(Case::new::<lp_while>(
            &format!("while {n}"),
            json!(n),
            step(),
        ));
    }
    cases.push(Case::new::<lp_while>("while 4, pinned", json!(4), step()).returns(json!(74)));
    cases.push(
        Case::new::<lp_while>(
            "while, third step fails",
            json!(10),
            Behaviours::new().responses::<lp_step>([ret(1), ret(3), throw("LpError.Flaky", "3rd")]),
        )
        .fails("LpError.Flaky"),
    );
    cases.push(Case::new::<lp_while>(
        "while, mocks run out",
        json!(10),
        Behaviours::new().responses::<lp_step>([ret(1), ret(3)]),
    ));
    let status = |done: bool, progress: i64| ret(json!({"done": done, "progress": progress}));
    cases.push(
        Case::new::<lp_poll_until_done>(
            "poll, done on the third round",
            json!("job-1"),
            Behaviours::new().responses::<lp_poll>([
                status(false, 10),
                status(false, 50),
                status(true, 100),
            ]),
        )
        .returns(json!(3100)),
    );
    cases.push(
        Case::new::<lp_poll_until_done>(
            "poll, never done",
            json!("job-2"),
            Behaviours::new().always::<lp_poll>(status(false, 7)),
        )
        .fails("Poll.TooManyRounds"),
    );
    cases.push(
        Case::new::<lp_poll_until_done>(
            "poll, fails midway",
            json!("job-3"),
            Behaviours::new()
                .responses::<lp_poll>([status(false, 1), throw("LpError.Flaky", "poll")]),
        )
        .fails("LpError.Flaky"),
    );
    cases.push(Case::new::<lp_poll_until_done>(
        "poll, done at once",
        json!("job-4"),
        Behaviours::new().always::<lp_poll>(status(true, 100)),
    ));
    for items in [
        json!([]),
        json!([1, -2, 3]),
        json!([50, 60, 70]),
        json!([-1, -1]),
        json!([0, 0, 101, 5]),
    ] {
        cases.push(Case::new::<lp_for>(&format!("for {items}"), items, step()));
    }
    cases.push(
        Case::new::<lp_for>("for, pinned", json!([1, -2, 3]), step())
            .returns(json!([1, 4, 0, 4, 8])),
    );
    cases.push(
        Case::new::<lp_for>(
            "for, step fails",
            json!([1, 2, 3]),
            Behaviours::new().responses::<lp_step>([ret(1), throw("LpError.Flaky", "2nd")]),
        )
        .fails("LpError.Flaky"),
    );
    for limit in [0, 1, 3, 6, 100] {
        cases.push(Case::new::<lp_nested>(
            &format!("nested {limit}"),
            json!(limit),
            step(),
        ));
        cases.push(Case::new::<lp_labels>(
            &format!("labels {limit}"),
            json!(limit),
            Behaviours::new(),
        ));
    }
    cases.push(
        Case::new::<lp_labels>("labels 6, pinned", json!(6), Behaviours::new())
            .returns(json!([11, 21, 22, 31, 32, 3])),
    );
    cases.extend(push_and_catch_cases());
    cases
}

/// The cases of `lp_push_results` and `lp_guarded_catch`.
fn push_and_catch_cases() -> Vec<Case> {
    let step = || Behaviours::new().on::<lp_step>(Behaviour::jsonata("acc + x"));
    let mut cases = vec![
        Case::new::<lp_push_results>("push results", json!([1, 2]), step())
            .returns(json!([101, 102, 4, 8])),
        Case::new::<lp_push_results>("push results, none", json!([]), step())
            .returns(json!([0, 4])),
        Case::new::<lp_push_results>(
            "push results, second fails",
            json!([1, 2, 3]),
            Behaviours::new().responses::<lp_step>([ret(1), throw("LpError.Flaky", "2nd")]),
        )
        .fails("LpError.Flaky"),
    ];
    for (name, items, expected) in [
        (
            "guards, even and odd",
            json!([2, 3, 4]),
            Ok(json!([2, -3, 4])),
        ),
        ("guards, break over 100", json!([2, 101, 4]), Ok(json!([2]))),
        (
            "guards, even over 100 is kept",
            json!([102, 1]),
            Ok(json!([102, -1])),
        ),
        ("guards, empty", json!([]), Ok(json!([]))),
    ] {
        let case = Case::new::<lp_guarded_catch>(name, items, step());
        cases.push(match expected {
            Ok(v) => case.returns(v),
            Err(e) => case.fails(e),
        });
    }
    let flaky = |cause: &str| throw("LpError.Flaky", cause);
    for (name, answers, expected) in [
        (
            "guards, a skipped error",
            vec![ret(2), flaky("skip"), ret(4)],
            Ok(json!([2, 4])),
        ),
        (
            "guards, the first item fails",
            vec![flaky("boom"), ret(2)],
            Err("Lp.FirstFailed"),
        ),
        (
            "guards, a later item fails: the guard fails, the error propagates",
            vec![ret(2), flaky("boom")],
            Err("LpError.Flaky"),
        ),
        (
            "guards, another error propagates",
            vec![throw("Other.Error", "x")],
            Err("Other.Error"),
        ),
        (
            "guards, another error with the skip cause is skipped",
            vec![throw("Other.Error", "skip"), ret(5), ret(6)],
            Ok(json!([-5, 6])),
        ),
    ] {
        let case = Case::new::<lp_guarded_catch>(
            name,
            json!([1, 2, 3]),
            Behaviours::new().responses::<lp_step>(answers),
        );
        cases.push(match expected {
            Ok(v) => case.returns(v),
            Err(e) => case.fails(e),
        });
    }
    cases
}
