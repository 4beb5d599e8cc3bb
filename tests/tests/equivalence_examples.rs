//! The examples through the equivalence harness: each workflow with its real tasks (in process, both
//! runs) and with mocked behaviours (values, errors, failures that exhaust the retries).

use serde_json::{Value, json};
use stepmacro_tests::harness::{Behaviour, Behaviours, Case, assert_cases, ret, throw};

use ::call_external_api::call_external_api as CallExternalApi;
use ::call_external_api::{callExternalApi, logError};

fn request(endpoint: &str, request_id: u64) -> Value {
    json!({"endpoint": endpoint, "request_id": request_id})
}

#[test]
fn call_external_api_agrees() {
    let mut cases = Vec::new();
    // Real tasks: the simulated API fails by request id (3, 7, 9) or endpoint, every failure is
    // retried four times, then caught and logged by the real logError.
    for id in 0..10 {
        cases.push(Case::new::<CallExternalApi>(
            &format!("real tasks, request {id}"),
            request("/stations/42/readings", id),
            Behaviours::new(),
        ));
    }
    cases.push(Case::new::<CallExternalApi>(
        "real tasks, bad endpoint",
        request("/elsewhere", 1),
        Behaviours::new(),
    ));
    let response = json!({"status": 200, "request_id": 5, "body": "{}"});
    let log = || Behaviour::jsonata("{'error': Error, 'message': 'logged ' & Error}");
    let timeout = || throw("ApiError.Timeout", "slow");
    for (name, answers, expected) in [
        ("ok", vec![ret(&response)], json!({"Response": response})),
        (
            "four failures, then ok",
            vec![
                timeout(),
                timeout(),
                throw("ApiError.RateLimited", "wait"),
                timeout(),
                ret(&response),
            ],
            json!({"Response": response}),
        ),
        (
            "five failures: retries exhausted, logged",
            vec![
                timeout(),
                timeout(),
                timeout(),
                timeout(),
                throw("ApiError.Unavailable", "503"),
            ],
            json!({"Logged": {"error": "ApiError.Unavailable", "message": "logged ApiError.Unavailable"}}),
        ),
        (
            "States.Timeout, retried like any error",
            vec![throw("States.Timeout", ""), ret(&response)],
            json!({"Response": response}),
        ),
    ] {
        cases.push(
            Case::new::<CallExternalApi>(
                &format!("mocked, {name}"),
                request("/stations/1", 5),
                Behaviours::new()
                    .responses::<callExternalApi>(answers)
                    .on::<logError>(log()),
            )
            .returns(expected),
        );
    }
    cases.push(
        Case::new::<CallExternalApi>(
            "mocked, the logger fails too",
            request("/stations/1", 5),
            Behaviours::new()
                .always::<callExternalApi>(throw("ApiError.BadRequest", "no"))
                .always::<logError>(throw("Log.Down", "disk")),
        )
        .fails("Log.Down"),
    );
    assert_cases("call-external-api", &cases);
}
