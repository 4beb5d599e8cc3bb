//! `join!` keeps each branch's `Result` as a value (`{"Ok": v}` / `{"Err": failure}` in ASL): native and
//! interpreted runs agree whichever branch fails.

use reference_flows::*;
use serde_json::{Value, json};
use stepmacro::interpreter::Interpreter;
use stepmacro::mock::{Mocks, Response};
use stepmacro::{Failure, Task, Workflow};

fn mocks(failing: &[&str]) -> Mocks {
    let mut m = Mocks::new()
        .task(loadProfile::handle())
        .task(loadOrders::handle());
    for f in failing {
        m = m.always(f, Response::Throw(Failure::new("Load.Failed", "down")));
    }
    m
}

async fn both(failing: &[&str]) -> (Result<Value, Failure>, Result<Value, Failure>) {
    let input = json!("ana");
    let interpreted = Interpreter::new(profile_or_default::DEFINITION)
        .unwrap()
        .tasks(mocks(failing))
        .run(input.clone())
        .await
        .into_result();
    let native = mocks(failing)
        .scope(profile_or_default::run_native(input))
        .await;
    (interpreted, native)
}

#[tokio::test]
async fn each_branch_keeps_its_result() {
    for (failing, expected) in [
        (&[][..], json!("profile of ana: 3 orders")),
        (&["loadOrders"][..], json!("profile of ana")),
        (
            &["loadProfile"][..],
            json!("no profile (Load.Failed): 3 orders"),
        ),
        (
            &["loadProfile", "loadOrders"][..],
            json!("no profile (Load.Failed)"),
        ),
    ] {
        let (interpreted, native) = both(failing).await;
        assert_eq!(interpreted, native, "{failing:?}");
        assert_eq!(interpreted.unwrap(), expected, "{failing:?}");
    }
}
