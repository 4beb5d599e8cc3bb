//! The definition `cargo build` wrote: two Task states, the Retry and Catch the task and the `match`
//! ask for, and byte-identical to what the program embeds.

use call_external_api::call_external_api as CallExternalApi;
use call_external_api::{callExternalApi, logError};
use serde_json::{Value, json};
use stepmacro::{Task, Workflow};

// Function names come from the tasks' `FUNCTION_NAME`, so these tests also hold with a
// `STEPMACRO_FUNCTION_PREFIX`: the macro and the build driver must agree on every name.
const API: &str = <callExternalApi as Task>::FUNCTION_NAME;
const LOG: &str = <logError as Task>::FUNCTION_NAME;

fn definition() -> Value {
    serde_json::from_str(CallExternalApi::DEFINITION).expect("the definition is JSON")
}

/// The state whose Lambda `FunctionName` is `function`.
fn state_calling<'a>(def: &'a Value, function: &str) -> (&'a String, &'a Value) {
    def["States"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, s)| s["Arguments"]["FunctionName"] == function)
        .unwrap_or_else(|| panic!("no state calls {function}"))
}

#[test]
fn exactly_two_task_states() {
    let def = definition();
    let states = def["States"].as_object().unwrap();
    assert_eq!(states.len(), 2, "{def:#}");
    assert!(
        states
            .values()
            .all(|s| s["Type"] == "Task" && s["Resource"] == "arn:aws:states:::lambda:invoke")
    );
    let (start, _) = state_calling(&def, API);
    assert_eq!(def["StartAt"], json!(start));
    assert_eq!(
        def["Comment"],
        "Calls the external API; on any failure (after retries) logs the error."
    );
}

#[test]
fn the_api_call_retries_every_error_then_catches_everything_into_log_error() {
    let def = definition();
    let (_, call) = state_calling(&def, API);
    let (log_name, _) = state_calling(&def, LOG);
    assert_eq!(
        call["Retry"],
        json!([{ "ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 2.0, "MaxAttempts": 4 }])
    );
    let catch = call["Catch"].as_array().expect("a Catch");
    assert_eq!(catch.len(), 1, "{catch:#?}");
    assert_eq!(catch[0]["ErrorEquals"], json!(["States.ALL"]));
    assert_eq!(catch[0]["Next"], json!(log_name));
}

#[test]
fn embedded_definition_is_the_file_the_build_wrote() {
    let path = CallExternalApi::DEFINITION_FILE.expect("the build driver reports the stable file");
    assert!(path.ends_with("state_machine.json"), "{path}");
    let on_disk = std::fs::read_to_string(path).expect("the stable file exists");
    assert_eq!(on_disk, CallExternalApi::DEFINITION);
    // The typed model reads it back.
    let machine = CallExternalApi::state_machine().expect("a valid state machine");
    assert_eq!(machine.to_json_pretty(), CallExternalApi::DEFINITION);
}

#[test]
fn tasks_are_listed_in_call_order_with_their_function_names() {
    let names: Vec<(&str, &str)> = CallExternalApi::tasks()
        .iter()
        .map(|t| (t.name, t.function_name))
        .collect();
    assert_eq!(names, [("callExternalApi", API), ("logError", LOG)]);
    let prefix = std::env::var("STEPMACRO_FUNCTION_PREFIX").unwrap_or_default();
    assert_eq!(API, format!("{prefix}callExternalApi"));
    assert_eq!(LOG, format!("{prefix}logError"));
}
