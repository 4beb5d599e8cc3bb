//! Task resources: Lambda (optimized and direct), service integrations and callbacks through the
//! mocks, in-process task handles, mock files, and definition errors.

#![cfg(feature = "interpreter")]

mod interp_common;

use std::future::Future;
use std::pin::Pin;

use interp_common::{failure, interp, output, run, single};
use serde_json::{Value, json};
use stepmacro_runtime::interpreter::{EventType, Interpreter};
use stepmacro_runtime::mock::{Mocks, Response};
use stepmacro_runtime::{Failure, TaskHandle, mock_file};

fn invoke(function: &str) -> Value {
    single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": function, "Payload.$": "$"}}),
    )
}

#[test]
fn lambda_invoke_wraps_the_result_and_resolves_function_names() {
    let mocks = || {
        Mocks::new()
            .handler("f", |p| Ok(json!({"got": p})))
            .always("g:live", Response::Return(json!("live")))
    };
    let e = run(invoke("f"), json!({"x": 1}), mocks());
    assert_eq!(
        output(&e),
        json!({"ExecutedVersion": "$LATEST", "Payload": {"got": {"x": 1}}, "StatusCode": 200})
    );
    for name in [
        "arn:aws:lambda:us-east-1:123456789012:function:f",
        "f:PROD",
        "123456789012:function:f",
    ] {
        let e = run(invoke(name), json!({}), mocks());
        assert_eq!(output(&e)["Payload"], json!({"got": {}}), "{name}");
        assert_eq!(&*e.calls[0].key, name);
        assert_eq!(e.calls[0].mock.as_deref(), Some("f"));
    }
    let e = run(
        invoke("arn:aws:lambda:us-east-1:123456789012:function:g:live"),
        json!({}),
        mocks(),
    );
    assert_eq!(e.calls[0].mock.as_deref(), Some("g:live"));
}

#[test]
fn lambda_invoke_payload_forms() {
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"FunctionName": "f", "Payload": "{\"from\": \"text\"}"}}),
    );
    let e = run(def, json!({}), Mocks::new().handler("f", Ok));
    assert_eq!(e.calls[0].input, json!({"from": "text"}));
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "InvocationType": "Event"}}),
    );
    let e = run(def, json!({}), Mocks::new().handler("f", Ok));
    assert_eq!(
        output(&e),
        json!({"ExecutedVersion": "$LATEST", "Payload": "", "StatusCode": 202})
    );
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload": {}}}),
    );
    assert_eq!(
        failure(&run(def, json!({}), Mocks::new())).0,
        "States.Runtime"
    );
}

#[test]
fn service_integrations_resolve_by_resource() {
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "q", "MessageBody.$": "$"}}),
    );
    let e = run(
        def,
        json!({"m": 1}),
        Mocks::new().always(
            "arn:aws:states:::sqs:sendMessage",
            Response::Return(json!({"MessageId": "m-1"})),
        ),
    );
    assert_eq!(output(&e), json!({"MessageId": "m-1"}));
    let scheduled = serde_json::to_value(
        e.history
            .iter()
            .find(|ev| ev.event_type == EventType::TaskScheduled)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        scheduled["taskScheduledEventDetails"]["resourceType"],
        "sqs"
    );
    assert_eq!(
        scheduled["taskScheduledEventDetails"]["resource"],
        "sendMessage"
    );

    // `.sync` falls back to the plain resource, then to "*".
    let def = single(json!({"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync"}));
    let e = run(
        def.clone(),
        json!({}),
        Mocks::new().always(
            "arn:aws:states:::ecs:runTask",
            Response::Return(json!("ran")),
        ),
    );
    assert_eq!(output(&e), json!("ran"));
    let e = run(
        def.clone(),
        json!({}),
        Mocks::new().always("*", Response::Return(json!("any"))),
    );
    assert_eq!(output(&e), json!("any"));
    let (error, cause) = failure(&run(def, json!({}), Mocks::new()));
    assert_eq!(error, "Harness.NoMock");
    assert!(
        cause.contains("arn:aws:states:::ecs:runTask.sync"),
        "{cause}"
    );
}

#[test]
fn callback_tasks_get_a_token() {
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                            "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}}}),
    );
    let e = run(
        def,
        json!({}),
        Mocks::new().handler("f", |p| Ok(json!({"echo": p["token"]}))),
    );
    let token = e.calls[0].input["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 36);
    // The callback output is the result itself (not wrapped).
    assert_eq!(output(&e), json!({"echo": token}));
}

fn double(v: Value) -> Pin<Box<dyn Future<Output = Result<Value, Failure>> + Send>> {
    Box::pin(async move {
        match v.as_i64() {
            Some(n) => Ok(json!(n * 2)),
            None => Err(Failure::new("Double.NotANumber", v.to_string())),
        }
    })
}

#[test]
fn in_process_task_handles() {
    let handle = TaskHandle {
        name: "double",
        function_name: "double-fn",
        invoke: double,
    };
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "double-fn", "Payload.$": "$.n"},
              "OutputPath": "$.Payload", "Catch": [{"ErrorEquals": ["Double.NotANumber"], "Next": "Bad"}], "End": true},
        "Bad": {"Type": "Pass", "Result": "bad", "End": true}}});
    let i = Interpreter::new(&def).unwrap().task(handle);
    assert_eq!(output(&i.run_blocking(json!({"n": 21}))), json!(42));
    assert_eq!(output(&i.run_blocking(json!({"n": "x"}))), json!("bad"));
}

#[test]
fn async_run_in_a_tokio_runtime() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let i = interp(invoke("f"), Mocks::new().handler("f", Ok));
    // The run future is Send: it can be spawned.
    let e = rt.block_on(async move {
        tokio::spawn(async move { i.run(json!(5)).await })
            .await
            .unwrap()
    });
    assert_eq!(output(&e)["Payload"], json!(5));
}

#[test]
fn mock_files_drive_runs() {
    let mocks = mock_file::from_json(
        r#"{"f": [{"throw": {"error": "T", "cause": "again"}}, {"jsonata": "{'n': n + 1}"}], "*": {"return": "fallback"}}"#,
    )
    .unwrap();
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["T"]}], "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:other", "ResultPath": "$.b", "End": true}}});
    let e = run(def, json!({"n": 1}), mocks);
    assert_eq!(output(&e), json!({"n": 2, "b": "fallback"}));
    assert_eq!(
        e.calls
            .iter()
            .map(|c| c.mock.as_deref().unwrap())
            .collect::<Vec<_>>(),
        ["f", "f", "*"]
    );
}

#[test]
fn definition_errors() {
    let bad = [
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}"#,
            "Next",
        ),
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Nope"}}}"#,
            "Nope",
        ),
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Bogus()"}, "End": true}}}"#,
            "Bogus",
        ),
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": 1, "Next": "A"}]}}}"#,
            "StringEquals",
        ),
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x", "Retry": [{"ErrorEquals": ["E"], "BackoffRate": 0.5}], "End": true}}}"#,
            "BackoffRate",
        ),
        (
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$", "End": true}}}"#,
            "InputPath",
        ),
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "End": true}}}"#,
            "Seconds",
        ),
        (
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}"#,
            "terminal",
        ),
        ("not json", "JSON"),
    ];
    for (def, needle) in bad {
        let err = Interpreter::new(def).unwrap_err().to_string();
        assert!(err.contains(needle), "{def}: {err}");
    }
    // The typed model is accepted directly.
    let machine = stepmacro_runtime::asl::StateMachine::from_json(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#,
    )
    .unwrap();
    assert_eq!(
        output(&Interpreter::new(&machine).unwrap().run_blocking(json!(1))),
        json!(1)
    );
}

/// A hand-written `Workflow` (what `workflow!` generates), run through `for_workflow`.
#[allow(non_camel_case_types)]
struct doubler;

impl stepmacro_runtime::Workflow for doubler {
    const NAME: &'static str = "doubler";
    const DEFINITION: &'static str = r#"{"StartAt": "Double", "States": {
        "Double": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Arguments": {"FunctionName": "double-fn", "Payload": "{% $states.input %}"},
                   "Output": "{% $states.result.Payload %}", "QueryLanguage": "JSONata", "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "notify", "Payload.$": "$"}, "ResultPath": null, "End": true}}}"#;

    fn tasks() -> Vec<TaskHandle> {
        vec![TaskHandle {
            name: "double",
            function_name: "double-fn",
            invoke: double,
        }]
    }

    fn run_native(input: Value) -> Pin<Box<dyn Future<Output = Result<Value, Failure>> + Send>> {
        double(input)
    }
}

#[test]
fn for_workflow_registers_its_tasks() {
    let i = Interpreter::for_workflow::<doubler>()
        .unwrap()
        .map_tasks(|m| m.always("notify", Response::Return(json!(null))));
    let e = i.run_blocking(json!(4));
    assert_eq!(output(&e), json!(8));
    assert_eq!(e.calls[0].mock.as_deref(), Some("double-fn"));
    assert!(e.history.iter().any(|ev| {
        serde_json::to_value(ev).unwrap()["executionStartedEventDetails"].is_object()
    }));
    let native = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(<doubler as stepmacro_runtime::Workflow>::run_native(json!(
            4
        )));
    assert_eq!(
        native.unwrap(),
        output(&e),
        "native and interpreted runs agree"
    );
}
