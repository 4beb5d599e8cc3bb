//! Interpreter throughput: `cargo bench -p stepmacro-runtime --bench interp`.
//!
//! Plain timing loops (no criterion, to keep the dependency tree small): each workload runs a few
//! times and the best time per execution and per state transition is printed.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use stepmacro_runtime::interpreter::Interpreter;
use stepmacro_runtime::mock::{Mocks, Response};

fn bench(name: &str, interpreter: &Interpreter, input: Value) {
    let mut best = Duration::MAX;
    let mut states = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let e = black_box(interpreter.run_blocking(input.clone()));
        best = best.min(t.elapsed());
        assert!(e.output().is_some(), "{name} failed:\n{}", e.trace());
        states = e.states_entered().len();
    }
    println!(
        "{name:<36} {:>9.2} ms/execution  {:>7.1} µs/state  ({states} states)",
        best.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e6 / states.max(1) as f64
    );
}

fn main() {
    // A JSONPath polling loop: Task + intrinsic + Choice back edge, 1,000 rounds.
    let poll = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Parameters": {"count": 0, "job.$": "$.job"}, "Next": "Poll"},
        "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "poll", "Payload": {"n.$": "$.count"}},
                 "ResultSelector": {"state.$": "$.Payload.state"}, "ResultPath": "$.status", "Next": "Count"},
        "Count": {"Type": "Pass", "Parameters": {"count.$": "States.MathAdd($.count, 1)", "job.$": "$.job", "status.$": "$.status"}, "Next": "Done?"},
        "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.count", "NumericGreaterThanEquals": 1000, "Next": "End"}], "Default": "Poll"},
        "End": {"Type": "Succeed"}}});
    let i = Interpreter::new(&poll)
        .unwrap()
        .tasks(Mocks::new().always("poll", Response::Return(json!({"state": "RUNNING"}))))
        .seed(1);
    bench(
        "jsonpath polling loop (1000 rounds)",
        &i,
        json!({"job": "j-1"}),
    );

    // A JSONata Map over 1,000 items with variables, a task per item.
    let map = json!({"QueryLanguage": "JSONata", "StartAt": "Setup", "States": {
        "Setup": {"Type": "Pass", "Assign": {"rate": 1.2}, "Next": "Price"},
        "Price": {"Type": "Map", "Items": "{% $states.input.items %}", "MaxConcurrency": 10,
                  "ItemSelector": {"item": "{% $states.context.Map.Item.Value %}", "i": "{% $states.context.Map.Item.Index %}"},
                  "ItemProcessor": {"StartAt": "Quote", "States": {
                      "Quote": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                "Arguments": {"FunctionName": "quote", "Payload": "{% $states.input.item %}"},
                                "Output": "{% $states.result.Payload.price * $rate %}", "End": true}}},
                  "Output": "{% $sum($states.result) %}", "End": true}}});
    let items: Vec<Value> = (0..1000)
        .map(|i| json!({"sku": format!("s{i}"), "qty": i % 7}))
        .collect();
    let i = Interpreter::new(&map)
        .unwrap()
        .tasks(Mocks::new().always("quote", Response::Return(json!({"price": 10}))))
        .seed(1);
    bench(
        "jsonata map (1000 items, 10 at once)",
        &i,
        json!({"items": items}),
    );

    // A Parallel fan-out with waits on the virtual clock.
    let branches: Vec<Value> = (0..20)
        .map(|b| {
            json!({"StartAt": format!("W{b}"), "States": {
            format!("W{b}"): {"Type": "Wait", "Seconds": 3600 * b, "Next": format!("P{b}")},
            format!("P{b}"): {"Type": "Pass", "Result": b, "End": true}}})
        })
        .collect();
    let par = json!({"StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "Branches": branches, "End": true}}});
    let i = Interpreter::new(&par).unwrap().seed(1);
    bench("parallel fan-out (20 branches, waits)", &i, json!({}));
}
