//! The conversion of whole machines, one state type (and one interplay between states) per test.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{Value, json};

use super::{Shape, Signature, Unsupported, convert};
use crate::asl::StateMachine;
use crate::front::types::{Ty, TypeRegistry};

fn registry() -> TypeRegistry {
    let mut r = TypeRegistry::new();
    r.add_file(
        &syn::parse_file(
            r#"#[derive(Serialize)] #[serde(rename_all = "camelCase")]
               struct Order { order_id: String, total: i64, items: Vec<String>, note: Option<String> }"#,
        )
        .unwrap(),
    );
    r
}

fn tasks() -> BTreeMap<String, Ty> {
    [
        ("fetch", Ty::Named("Order".into())),
        ("count", Ty::Int),
        ("price", Ty::Float),
        ("name", Ty::String),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_owned(), t))
    .collect()
}

/// A JSONata machine around `states` (the first one starts), converted; the input is one `Order`.
fn convert_states(states: Value) -> Result<Value, Vec<Unsupported>> {
    convert_with(states, Shape::Of(Ty::Named("Order".into())))
}

fn convert_with(states: Value, input: Shape) -> Result<Value, Vec<Unsupported>> {
    let start = states
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .unwrap();
    let def = json!({"QueryLanguage": "JSONata", "StartAt": start, "States": states});
    let machine = StateMachine::from_json(&def.to_string()).unwrap();
    let types = registry();
    let sig = Signature {
        types: &types,
        task_outputs: tasks(),
        input,
    };
    let out = convert(&machine, &sig)?;
    let problems: Vec<String> = crate::asl::validate(&out)
        .into_iter()
        .filter(|d| d.severity == crate::asl::Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(
        problems.is_empty(),
        "{problems:#?}\n{}",
        out.to_json_pretty()
    );
    Ok(serde_json::from_str(&out.to_json_pretty()).unwrap())
}

fn ok(states: Value) -> Value {
    convert_states(states).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn errors(states: Value) -> Vec<String> {
    match convert_states(states) {
        Ok(v) => panic!("converted:\n{v:#}"),
        Err(e) => e.iter().map(ToString::to_string).collect(),
    }
}

fn task(function: &str, payload: &str) -> Value {
    json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
           "Arguments": {"FunctionName": function, "Payload": payload}})
}

fn with(mut state: Value, fields: Value) -> Value {
    for (k, v) in fields.as_object().unwrap() {
        state[k] = v.clone();
    }
    state
}

#[test]
fn task_arguments_assign_and_output() {
    let m = ok(json!({
        "Fetch": with(task("fetch", "{% $states.input.orderId %}"), json!({
            "Assign": {"order": "{% $states.result.Payload %}", "id": "{% $states.input.orderId %}"},
            "Next": "Count"})),
        "Count": with(task("count", "{% {'order': $order, 'tag': 'x', 'n': $order.total + 1} %}"), json!({
            "Output": "{% 'count: ' & $formatInteger($states.result.Payload, '0') %}", "End": true})),
    }));
    assert!(m.get("QueryLanguage").is_none(), "JSONPath is the default");
    let fetch = &m["States"]["Fetch"];
    assert_eq!(
        fetch["Parameters"],
        json!({"FunctionName": "fetch", "Payload.$": "$.orderId"})
    );
    // The first state reads its input after the work through the context object.
    assert_eq!(
        fetch["Assign"],
        json!({"order.$": "$.Payload", "id.$": "$$.Execution.Input.orderId"})
    );
    let count = &m["States"]["Count"];
    assert_eq!(
        count["Parameters"]["Payload"],
        json!({"order.$": "$order", "tag": "x", "n.$": "States.MathAdd($order.total, 1)"})
    );
    assert_eq!(
        count["ResultSelector"],
        json!({"value.$": "States.Format('count: {}', $.Payload)"})
    );
    assert_eq!(count["OutputPath"], json!("$.value"));
    assert!(count.get("Arguments").is_none() && count.get("Output").is_none());
}

#[test]
fn outputs_that_are_paths_or_objects() {
    let m = ok(json!({
        "A": with(task("fetch", "{% $states.input %}"), json!({"Output": "{% $states.result.Payload.items %}", "End": true})),
    }));
    assert_eq!(m["States"]["A"]["OutputPath"], json!("$.Payload.items"));
    let m = ok(json!({
        "A": with(task("fetch", "{% $states.input %}"), json!({
            "Output": "{% {'Ok': $states.result.Payload} %}", "End": true})),
    }));
    assert_eq!(
        m["States"]["A"]["ResultSelector"],
        json!({"Ok.$": "$.Payload"})
    );
    assert!(m["States"]["A"].get("OutputPath").is_none());
}

#[test]
fn pass_succeed_and_wait() {
    let m = ok(json!({
        "Start": {"Type": "Pass", "Assign": {"o": "{% $states.input %}", "n": "{% 0 %}"}, "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": "{% $o.total %}", "Next": "Until"},
        "Until": {"Type": "Wait", "Timestamp": "{% '2030-01-01T00:00:00Z' %}", "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Condition": "{% $o.total > 100 %}", "Next": "Big"},
            {"Condition": "{% $o.total = 0 %}", "Next": "Zero"}], "Default": "Small"},
        "Big": {"Type": "Succeed", "Output": "{% $o.orderId %}"},
        "Zero": {"Type": "Succeed", "Output": "{% $states.input %}"},
        "Small": {"Type": "Succeed", "Output": "{% 'small' %}"},
    }));
    let s = &m["States"];
    assert_eq!(s["Start"]["Assign"], json!({"o.$": "$", "n": 0}));
    assert_eq!(s["Nap"]["SecondsPath"], json!("$o.total"));
    assert_eq!(s["Until"]["Timestamp"], json!("2030-01-01T00:00:00Z"));
    assert_eq!(s["Pause"]["Seconds"], json!(5));
    // A Succeed cannot build a value: a Pass that ends the machine does.
    assert_eq!(
        s["Big"],
        json!({"Type": "Pass", "Parameters": {"value.$": "$o.orderId"}, "OutputPath": "$.value", "End": true})
    );
    assert_eq!(s["Zero"], json!({"Type": "Succeed"}));
    assert_eq!(
        s["Small"],
        json!({"Type": "Pass", "Result": "small", "End": true})
    );
}

#[test]
fn choice_rules_and_their_assign() {
    let m = ok(json!({
        "Route": {"Type": "Choice", "Choices": [
            {"Condition": "{% ($exists($states.input.note) ? $states.input.note : null) != null %}",
             "Assign": {"note": "{% ($exists($states.input.note) ? $states.input.note : null) %}"}, "Next": "Done"},
            {"Condition": "{% true %}", "Assign": {"note": "{% 'none' %}"}, "Next": "Done"}]},
        "Done": {"Type": "Succeed", "Output": "{% $note %}"},
    }));
    let rules = &m["States"]["Route"]["Choices"];
    assert_eq!(
        rules[0]["And"],
        json!([{"Variable": "$.note", "IsPresent": true}, {"Not": {"Variable": "$.note", "IsNull": true}}])
    );
    // The rule proved the field present; the rule's Assign reads the input as moto does too.
    assert_eq!(
        rules[0]["Assign"],
        json!({"note.$": "$$.Execution.Input.note"})
    );
    // An assigning data test is a one-rule `And` (the emulators drop a data test's Assign).
    assert_eq!(
        rules[1]["And"],
        json!([{"Variable": "$", "IsPresent": true}])
    );
    assert_eq!(rules[1]["Assign"], json!({"note": "none"}));
}

#[test]
fn loops_over_a_list_keep_a_derived_difference() {
    let m = ok(json!({
        "Start": {"Type": "Pass", "Assign": {"xs": "{% $states.input.items %}", "i": "{% 0 %}"}, "Next": "Loop"},
        "Loop": {"Type": "Choice", "Choices": [
            {"Condition": "{% $i < $count($xs) %}", "Assign": {"x": "{% $xs[$i] %}"}, "Next": "Step"}],
            "Default": "Done"},
        "Step": with(task("name", "{% $x %}"), json!({"Assign": {"i": "{% $i + 1 %}"}, "Next": "Loop"})),
        "Done": {"Type": "Succeed"},
    }));
    let s = &m["States"];
    // `i < len` is `len - i > 0`: set where the loop starts, decremented with the counter.
    assert_eq!(
        s["Start"]["Assign"],
        json!({"xs.$": "$.items", "i": 0, "i_left.$": "States.ArrayLength($.items)"})
    );
    assert_eq!(
        s["Loop"]["Choices"][0]["And"],
        json!([{"Variable": "$i_left", "NumericGreaterThan": 0}])
    );
    assert_eq!(
        s["Loop"]["Choices"][0]["Assign"],
        json!({"x.$": "States.ArrayGetItem($xs, $i)"})
    );
    // `i` is an integer (0, then `$i + 1`), so the increment is `States.MathAdd`.
    assert_eq!(
        s["Step"]["Assign"],
        json!({"i.$": "States.MathAdd($i, 1)", "i_left.$": "States.MathAdd($i_left, -1)"})
    );
}

#[test]
fn fail_states() {
    let m = ok(json!({
        "Go": with(task("fetch", "{% $states.input %}"), json!({
            "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"e": "{% $states.errorOutput %}"}, "Next": "Oops"}],
            "Next": "Bad"})),
        "Bad": {"Type": "Fail", "Error": "Order.Bad", "Cause": "{% 'order ' & $states.input.Payload.orderId %}"},
        "Oops": {"Type": "Fail", "Error": "{% ($e).Error %}", "Cause": "{% ($e).Cause %}"},
    }));
    let s = &m["States"];
    assert_eq!(s["Go"]["Catch"][0]["Assign"], json!({"e.$": "$"}));
    assert_eq!(s["Bad"]["Error"], json!("Order.Bad"));
    assert_eq!(
        s["Bad"]["CausePath"],
        json!("States.Format('order {}', $.Payload.orderId)")
    );
    assert_eq!(s["Oops"]["ErrorPath"], json!("$e.Error"));
    assert_eq!(s["Oops"]["CausePath"], json!("$e.Cause"));
}

#[test]
fn parallel_branches_and_catch_outputs() {
    let m = ok(json!({
        "Both": {"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": with(task("count", "{% $states.input.orderId %}"), json!({
                "Output": "{% {'Ok': $states.result.Payload} %}", "End": true,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% {'Err': $states.errorOutput} %}", "Next": "A Err"}]})),
                "A Err": {"Type": "Pass", "End": true}}},
            {"StartAt": "B", "States": {"B": with(task("name", "{% $states.input.orderId %}"), json!({
                "Output": "{% $states.result.Payload %}", "End": true}))}}],
         "Assign": {"pair": "{% $states.result %}", "label": "{% $string($states.result[1]) %}"}, "Next": "Done"},
        "Done": {"Type": "Succeed", "Output": "{% $pair[1] %}"},
    }));
    let both = &m["States"]["Both"];
    let a = &both["Branches"][0]["States"];
    assert_eq!(a["A"]["ResultSelector"], json!({"Ok.$": "$.Payload"}));
    // The Catcher hands on the error output; the Pass it leads to builds `{'Err': ..}`.
    assert!(a["A"]["Catch"][0].get("Output").is_none());
    assert_eq!(a["A Err"]["Parameters"], json!({"Err.$": "$"}));
    assert_eq!(
        both["Branches"][1]["States"]["B"]["OutputPath"],
        json!("$.Payload")
    );
    // The branch outputs' types carry over: the second is `name`'s output, a string.
    assert_eq!(both["Assign"], json!({"pair.$": "$", "label.$": "$[1]"}));
}

#[test]
fn map_items_and_the_saved_item() {
    let m = ok(json!({
        "Each": {"Type": "Map", "Items": "{% $states.input.items %}", "MaxConcurrency": 2,
            "ItemProcessor": {"StartAt": "Look", "States": {
                "Look": with(task("name", "{% $states.input %}"), json!({
                    "Assign": {"item": "{% $states.input %}", "got": "{% $states.result.Payload %}"}, "Next": "Say"})),
                "Say": {"Type": "Succeed", "Output": "{% $item & ': ' & $got %}"}}},
            "End": true},
    }));
    let each = &m["States"]["Each"];
    assert_eq!(each["ItemsPath"], json!("$.items"));
    assert_eq!(each["MaxConcurrency"], json!(2));
    let p = &each["ItemProcessor"];
    // The iteration's first state reads its input after its work: a Pass saves it first.
    assert_eq!(p["StartAt"], json!("Look input"));
    assert_eq!(
        p["States"]["Look input"],
        json!({"Type": "Pass", "Assign": {"input.$": "$"}, "Next": "Look"})
    );
    assert_eq!(
        p["States"]["Look"]["Assign"],
        json!({"item.$": "$input", "got.$": "$.Payload"})
    );
    assert_eq!(
        p["States"]["Say"]["Parameters"],
        json!({"value.$": "States.Format('{}: {}', $item, $got)"})
    );
}

#[test]
fn several_parameters_are_read_by_name() {
    let params = Shape::Params(Rc::new(vec![
        ("n".to_owned(), Ty::Int),
        ("label".to_owned(), Ty::String),
    ]));
    let m = convert_with(
        json!({"Go": with(task("name", "{% $lookup($states.input, 'label') %}"), json!({
            "Assign": {"n": "{% $lookup($states.input, 'n') + 2 %}"}, "End": true}))}),
        params,
    )
    .unwrap();
    assert_eq!(
        m["States"]["Go"]["Parameters"]["Payload.$"],
        json!("$.label")
    );
    assert_eq!(
        m["States"]["Go"]["Assign"],
        json!({"n.$": "States.MathAdd($$.Execution.Input.n, 2)"})
    );
}

#[test]
fn errors_name_the_state_field_and_construct() {
    let e = errors(json!({
        "Start": {"Type": "Pass", "Assign": {"x": "{% $states.input.total * 2 %}", "p": "{% $states.input.total + 0.5 %}"}, "Next": "Go"},
        "Go": with(task("price", "{% $x %}"), json!({"Assign": {"y": "{% $states.result.Payload + 1 %}"}, "End": true})),
    }));
    assert_eq!(
        e,
        [
            "state `Go` (Assign.y): `+` on numbers not known to be integers (`States.MathAdd` rounds \
             non-integers) has no exact JSONPath equivalent",
            "state `Start` (Assign.p): `+` on numbers not known to be integers (`States.MathAdd` rounds \
             non-integers) has no exact JSONPath equivalent",
            "state `Start` (Assign.x): multiplication (`*`) has no exact JSONPath equivalent",
        ]
    );
    let e = errors(json!({
        "Each": {"Type": "Map", "Items": "{% [1, 2] %}",
            "ItemProcessor": {"StartAt": "S", "States": {"S": {"Type": "Succeed",
                "Output": "{% $length($states.input) %}"}}}, "End": true},
    }));
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(
        e[0].starts_with("state `Each` (Items): computed Map items"),
        "{e:#?}"
    );
    assert!(
        e[1].starts_with("state `S` (Output): the length of a string"),
        "{e:#?}"
    );
}
