//! No wasted states: each flow's emitted definition against the ASL an expert writes by hand
//! (`refs/`). On every tested path both run on the interpreter (and the workflow natively) with the same
//! task behaviours; all three must agree, and the emitted definition may have no more states and take
//! no more state transitions than the reference.

use reference_flows::*;
use serde_json::{Value, json};
use stepmacro::interpreter::{Execution, Interpreter, Status};
use stepmacro::mock::{Mocks, Response};
use stepmacro::{Failure, Task, Workflow, asl};

/// Every task of both crates, called in process.
fn real_tasks() -> Mocks {
    Mocks::new()
        .task(startJob::handle())
        .task(jobStatus::handle())
        .task(chargeCard::handle())
        .task(ship::handle())
        .task(emailCode::handle())
        .task(transform::handle())
        .task(loadProfile::handle())
        .task(loadOrders::handle())
        .task(reserve::handle())
        .task(pay::handle())
        .task(confirm::handle())
        .task(call_external_api::callExternalApi::handle())
        .task(call_external_api::logError::handle())
}

fn reference(name: &str) -> String {
    let path = format!("{}/refs/{name}.asl.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn outcome(e: &Execution) -> Result<Value, String> {
    match &e.status {
        Status::Succeeded { output } => Ok(output.clone()),
        Status::Failed { error, .. } => Err(error.clone()),
        Status::TimedOut => Err("TIMED_OUT".into()),
    }
}

fn states(definition: &str) -> usize {
    asl::stats(&asl::StateMachine::from_json(definition).expect("parses")).states
}

/// Runs one path three ways and checks the counts; returns the result.
async fn path<W: Workflow>(
    reference_name: &str,
    label: &str,
    input: Value,
    mocks: impl Fn() -> Mocks,
) -> Result<Value, String> {
    let reference_text = reference(reference_name);
    let emitted = Interpreter::new(W::DEFINITION)
        .unwrap()
        .tasks(mocks())
        .run(input.clone())
        .await;
    let by_hand = Interpreter::new(reference_text.as_str())
        .unwrap()
        .tasks(mocks())
        .run(input.clone())
        .await;
    let native = mocks()
        .scope(W::run_native(input))
        .await
        .map_err(|f: Failure| f.error);
    let (ours, theirs) = (outcome(&emitted), outcome(&by_hand));
    assert_eq!(
        ours,
        theirs,
        "{}/{label}: emitted vs reference\n{}",
        W::NAME,
        emitted.trace()
    );
    assert_eq!(ours, native, "{}/{label}: interpreted vs native", W::NAME);
    let (t_ours, t_ref) = (
        emitted.states_entered().len(),
        by_hand.states_entered().len(),
    );
    let (s_ours, s_ref) = (states(W::DEFINITION), states(&reference_text));
    println!(
        "{:<18} {:<28} states {s_ours}/{s_ref}  transitions {t_ours}/{t_ref}",
        W::NAME,
        label
    );
    assert!(
        s_ours <= s_ref,
        "{}: {s_ours} states, the reference has {s_ref}",
        W::NAME
    );
    assert!(
        t_ours <= t_ref,
        "{}/{label}: {t_ours} transitions, the reference takes {t_ref}\n{}",
        W::NAME,
        emitted.trace()
    );
    ours
}

fn throw(error: &str) -> Response {
    Response::Throw(Failure::new(error, "injected"))
}

#[tokio::test]
async fn call_external_api_flow() {
    use call_external_api::call_external_api as W;
    let req = json!({"endpoint": "/stations/42/readings", "request_id": 1});
    let ok = path::<W>("call_external_api", "success", req.clone(), real_tasks)
        .await
        .unwrap();
    assert!(ok.get("Response").is_some());
    let retried = path::<W>(
        "call_external_api",
        "retry then success",
        req.clone(),
        || {
            real_tasks().sequence(
                "callExternalApi",
                [
                    throw("ApiError.Timeout"),
                    throw("ApiError.Unavailable"),
                    Response::Return(json!({"status": 200, "request_id": 1, "body": "ok"})),
                ],
            )
        },
    )
    .await
    .unwrap();
    assert_eq!(retried["Response"]["body"], "ok");
    let timeout = json!({"endpoint": "/stations/42/readings", "request_id": 3});
    let logged = path::<W>(
        "call_external_api",
        "retries exhausted, caught",
        timeout,
        real_tasks,
    )
    .await
    .unwrap();
    assert_eq!(logged["Logged"]["error"], "ApiError.Timeout");
}

#[tokio::test]
async fn job_poller_flow() {
    let done = path::<job_poller>("job_poller", "done at once", json!(7), real_tasks)
        .await
        .unwrap();
    assert_eq!(done, json!(5));
    let status = |done: bool, failed: bool| {
        Response::Return(json!({"done": done, "failed": failed, "result": 42}))
    };
    let polled = path::<job_poller>("job_poller", "three polls", json!(7), || {
        real_tasks().sequence(
            "jobStatus",
            [
                status(false, false),
                status(false, false),
                status(true, false),
            ],
        )
    })
    .await;
    assert_eq!(polled, Ok(json!(42)));
    let failed = path::<job_poller>("job_poller", "job fails", json!(7), || {
        real_tasks().sequence("jobStatus", [status(false, false), status(false, true)])
    })
    .await;
    assert_eq!(failed, Err("JobFailed".into()));
}

#[tokio::test]
async fn order_flow_paths() {
    let order = |kind: &str, total: i64| json!({"orderId": "o-1", "total": total, "kind": kind});
    assert_eq!(
        path::<order_flow>("order_flow", "digital", order("digital", 10), real_tasks).await,
        Ok(json!("code-o-1"))
    );
    assert_eq!(
        path::<order_flow>("order_flow", "gift", order("gift", 10), real_tasks).await,
        Ok(json!("code-o-1"))
    );
    assert_eq!(
        path::<order_flow>("order_flow", "physical", order("physical", 10), real_tasks).await,
        Ok(json!("parcel-o-1"))
    );
    assert_eq!(
        path::<order_flow>(
            "order_flow",
            "declined",
            order("physical", 20_000),
            real_tasks
        )
        .await,
        Err("OrderRejected".into())
    );
    assert_eq!(
        path::<order_flow>(
            "order_flow",
            "payment unavailable",
            order("physical", 10),
            || { real_tasks().always("chargeCard", throw("PaymentError.Unavailable")) }
        )
        .await,
        Err("PaymentError.Unavailable".into())
    );
}

#[tokio::test]
async fn fan_out_flow() {
    assert_eq!(
        path::<fan_out>(
            "fan_out",
            "five records",
            json!([1, 2, 3, 4, 5]),
            real_tasks
        )
        .await,
        Ok(json!([2, 4, 6, 8, 10]))
    );
    assert_eq!(
        path::<fan_out>("fan_out", "no records", json!([]), real_tasks).await,
        Ok(json!([]))
    );
}

#[tokio::test]
async fn two_branches_flow() {
    assert_eq!(
        path::<two_branches>("two_branches", "both load", json!("ana"), real_tasks).await,
        Ok(json!("profile of ana: 3 orders"))
    );
}

#[tokio::test]
async fn retry_block_flow() {
    assert_eq!(
        path::<retry_block>("retry_block", "first attempt", json!(7), real_tasks).await,
        Ok(json!(79))
    );
    let flaky_pay = || {
        real_tasks().sequence(
            "pay",
            [
                throw("PaymentError.Unavailable"),
                Response::Return(json!(80)),
            ],
        )
    };
    assert_eq!(
        path::<retry_block>("retry_block", "pay fails once", json!(7), flaky_pay).await,
        Ok(json!(79))
    );
    let down = || real_tasks().always("pay", throw("PaymentError.Unavailable"));
    assert_eq!(
        path::<retry_block>("retry_block", "pay keeps failing", json!(7), down).await,
        Err("PaymentError.Unavailable".into())
    );
}
