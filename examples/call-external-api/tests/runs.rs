//! Running the workflow: natively (the Rust body, mocks through `Mocks::scope`) and on the embedded
//! interpreter (the definition), with the same task behaviours, giving the same results.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use call_external_api::call_external_api as CallExternalApi;
use call_external_api::{ApiRequest, ApiResponse, ErrorLogged, Outcome, callExternalApi, logError};
use serde_json::{Value, json};
use stepmacro::interpreter::Interpreter;
use stepmacro::mock::{Mocks, Response};
use stepmacro::{Failure, Task, Workflow};

const API: &str = <callExternalApi as Task>::FUNCTION_NAME;

fn request(request_id: u64) -> ApiRequest {
    ApiRequest {
        endpoint: "/stations/42/readings".into(),
        request_id,
    }
}

fn response() -> ApiResponse {
    ApiResponse {
        status: 200,
        request_id: 1,
        body: "{}".into(),
    }
}

async fn interpreted(mocks: Mocks, input: Value) -> Result<Value, Failure> {
    Interpreter::new(CallExternalApi::DEFINITION)
        .unwrap()
        .tasks(mocks)
        .run(input)
        .await
        .into_result()
}

#[tokio::test]
async fn success_returns_the_response() {
    let mocks = Mocks::new().always(API, Response::Return(json!(response())));
    let out = mocks
        .clone()
        .scope(call_external_api::call_external_api(request(1)))
        .await;
    assert_eq!(out, Ok(Outcome::Response(response())));
    let interp = interpreted(mocks, json!(request(1))).await;
    assert_eq!(interp, Ok(json!({ "Response": response() })));
}

#[tokio::test]
async fn a_failure_is_retried_four_times_then_logged() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let mocks = Mocks::new()
        .handler(API, move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            Err(Failure::new(
                "ApiError.Timeout",
                "{\"errorType\":\"ApiError.Timeout\",\"errorMessage\":\"slow\"}",
            ))
        })
        .task(logError::handle());
    let out = mocks
        .clone()
        .scope(call_external_api::call_external_api(request(1)))
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 5, "one call and four retries");
    let expected = ErrorLogged {
        error: "ApiError.Timeout".into(),
        message: "external API call failed: ApiError.Timeout: slow".into(),
    };
    assert_eq!(out, Outcome::Logged(expected.clone()));

    calls.store(0, Ordering::SeqCst);
    let interp = interpreted(mocks, json!(request(1))).await;
    assert_eq!(calls.load(Ordering::SeqCst), 5);
    assert_eq!(interp, Ok(json!({ "Logged": expected })));
}

#[tokio::test]
async fn real_tasks_agree_natively_and_interpreted() {
    // No mocks: the simulated API itself, for a success and each way it fails.
    for (endpoint, id) in [
        ("/stations/7", 1),
        ("/stations/7", 13),
        ("/stations/7", 17),
        ("/stations/7", 19),
        ("/x", 2),
    ] {
        let input = json!(ApiRequest {
            endpoint: endpoint.into(),
            request_id: id
        });
        let native = CallExternalApi::run_native(input.clone()).await;
        let mut interpreter = Interpreter::new(CallExternalApi::DEFINITION).unwrap();
        for t in CallExternalApi::tasks() {
            interpreter = interpreter.task(t);
        }
        let interp = interpreter.run(input).await.into_result();
        assert_eq!(native, interp, "{endpoint} {id}");
        let outcome: Outcome = serde_json::from_value(native.unwrap()).unwrap();
        assert_eq!(
            matches!(outcome, Outcome::Response(_)),
            id == 1,
            "{endpoint} {id}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn bad_input_is_a_named_failure() {
    let err = CallExternalApi::run_native(json!({ "endpoint": 5 }))
        .await
        .unwrap_err();
    assert_eq!(err.error, "stepmacro.InvalidInput");
    assert!(err.cause.contains("endpoint"), "{}", err.cause);
}

#[test]
fn task_contract() {
    let retry = <callExternalApi as Task>::retry_policies();
    assert_eq!(retry.len(), 1);
    assert!(retry[0].errors.is_empty() && retry[0].matches("anything"));
    assert_eq!(
        (
            retry[0].interval_seconds,
            retry[0].max_attempts,
            retry[0].backoff_rate
        ),
        (2, 4, 2.0)
    );
    let args = (request(3),);
    let payload = <callExternalApi as Task>::payload(&args).unwrap();
    assert_eq!(
        payload,
        json!({ "endpoint": "/stations/42/readings", "request_id": 3 })
    );
    assert_eq!(
        <callExternalApi as Task>::args_from_payload(payload).unwrap(),
        args
    );
    let bad = <logError as Task>::args_from_payload(json!({ "Cause": "x" })).unwrap_err();
    assert_eq!(bad.error, "stepmacro.InvalidInput");
}
