//! A Catch on a Map state (`match map!(..) { Ok(..) => .., Err(..) => .. }`): native and interpreted
//! runs agree on the success path and on each caught error.

use reference_flows::*;
use serde_json::{Value, json};
use stepmacro::interpreter::Interpreter;
use stepmacro::mock::{Mocks, Response};
use stepmacro::{Failure, Task, Workflow};

fn mocks(transform_fails_with: Option<&str>) -> Mocks {
    let m = Mocks::new().task(transform::handle());
    match transform_fails_with {
        Some(e) => m.always("transform", Response::Throw(Failure::new(e, "x"))),
        None => m,
    }
}

async fn both(
    input: Value,
    fails: Option<&str>,
) -> (Result<Value, Failure>, Result<Value, Failure>) {
    let interpreted = Interpreter::new(guarded_fan_out::DEFINITION)
        .unwrap()
        .tasks(mocks(fails))
        .run(input.clone())
        .await
        .into_result();
    let native = mocks(fails).scope(guarded_fan_out::run_native(input)).await;
    (interpreted, native)
}

#[tokio::test]
async fn catch_on_a_map_state() {
    let definition: Value = serde_json::from_str(guarded_fan_out::DEFINITION).unwrap();
    let map = definition["States"]
        .as_object()
        .unwrap()
        .values()
        .find(|s| s["Type"] == "Map")
        .unwrap();
    assert_eq!(
        map["Catch"][0]["ErrorEquals"],
        json!(["PaymentError.Unavailable"])
    );
    for (fails, expected) in [
        (None, json!([2, 4, 6])),
        (Some("PaymentError.Unavailable"), json!([])),
        (Some("Other.Error"), json!([1, 2, 3])),
    ] {
        let (interpreted, native) = both(json!([1, 2, 3]), fails).await;
        assert_eq!(interpreted, native, "{fails:?}");
        assert_eq!(interpreted.unwrap(), expected, "{fails:?}");
    }
}
