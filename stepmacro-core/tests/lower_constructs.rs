//! One workflow per construct: compiled from source (as the build driver would), then checked for the
//! ASL shape the construct must produce. Every compiled definition also passes the static validator
//! (compile_workflow runs it). Snapshots pin the full output.

mod common;

use serde_json::Value;
use stepmacro_core::compile_workflow;

const TASKS: &str = r#"
    #[task] async fn fetch(id: String) -> Result<Item, FetchError> { unreachable!("only parsed") }
    #[task] async fn store(item: Item) -> Result<i64, StoreError> { unreachable!("only parsed") }
    #[task] async fn notify(msg: String, to: String) -> Result<(), Infallible> { unreachable!("only parsed") }
    #[task] async fn store_missing_ok(id: String) -> Result<bool, StoreError> { unreachable!("only parsed") }
    #[task(name = "Charge the card", function = "billing-charge", timeout_seconds = 30, heartbeat_seconds = 10,
           retry(errors = [PayError::Busy, "States.Timeout"], interval_seconds = 1, max_attempts = 5, backoff_rate = 1.5, max_delay_seconds = 20, jitter = "FULL"),
           retry(max_attempts = 1))]
    async fn charge(amount: i64) -> Result<String, PayError> { unreachable!("only parsed") }
    #[derive(Serialize, Deserialize, Clone)]
    #[serde(rename_all = "camelCase")]
    struct Item { item_id: String, price: i64, tags: Vec<String>, status: Status }
    #[derive(Serialize, Deserialize, Clone, PartialEq)]
    enum Status { Active, #[serde(rename = "gone")] Deleted }
    #[derive(TaskError)]
    enum PayError { Busy, #[task_error(name = "Pay.Declined")] Declined }
    #[derive(TaskError)]
    enum FetchError { NotFound }
"#;

fn compile(name: &str, body: &str) -> Value {
    let src = format!("{TASKS}\nworkflow! {{ {body} }}");
    let (ctx, wfs) = common::ctx_from(&src);
    let out = compile_workflow(&wfs[0], &ctx).unwrap_or_else(|e| {
        let all: Vec<String> = e.into_iter().map(|e| e.to_string()).collect();
        panic!("compile errors:\n{}", all.join("\n"))
    });
    let v: Value = serde_json::from_str(&out.json).unwrap();
    insta::assert_snapshot!(name, out.json);
    v
}

fn compile_err(body: &str) -> String {
    let src = format!("{TASKS}\nworkflow! {{ {body} }}");
    let (ctx, wfs) = common::ctx_from(&src);
    match compile_workflow(&wfs[0], &ctx) {
        Ok(out) => panic!("expected errors, got\n{}", out.json),
        Err(e) => e
            .into_iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn states(v: &Value) -> &serde_json::Map<String, Value> {
    v["States"].as_object().unwrap()
}

fn count_type(v: &Value, ty: &str) -> usize {
    states(v).values().filter(|s| s["Type"] == ty).count()
}

#[test]
fn task_call_with_question_mark() {
    let v = compile(
        "task_call_with_question_mark",
        "async fn w(id: String) -> Result<i64, Failure> { let item = fetch(id).await?; let n = store(item).await?; Ok(n) }",
    );
    assert_eq!(states(&v).len(), 2, "no Pass per let");
    assert_eq!(v["StartAt"], "fetch");
    assert_eq!(
        v["States"]["fetch"]["Arguments"]["Payload"],
        "{% $states.input %}"
    );
    assert_eq!(
        v["States"]["fetch"]["Assign"]["item"],
        "{% $states.result.Payload %}"
    );
    assert_eq!(
        v["States"]["store"]["Output"],
        "{% $states.result.Payload %}"
    );
    assert_eq!(v["States"]["store"]["End"], true);
}

#[test]
fn several_params_and_payload_object() {
    let v = compile(
        "several_params_and_payload_object",
        r#"async fn w(msg: String, to: String) -> Result<(), Failure> { notify(msg, to).await; Ok(()) }"#,
    );
    let payload = v["States"]["notify"]["Arguments"]["Payload"]
        .as_str()
        .unwrap();
    assert!(
        payload.contains("'msg'") && payload.contains("'to'"),
        "{payload}"
    );
}

#[test]
fn lets_fold_into_assign() {
    let v = compile(
        "lets_fold_into_assign",
        "async fn w(id: String) -> Result<i64, Failure> { let item = fetch(id).await?; let total = item.price * 2; let half = total / 4; let n = store(item).await?; Ok(n + half) }",
    );
    assert_eq!(states(&v).len(), 2);
    let out = v["States"]["store"]["Output"].as_str().unwrap();
    assert!(out.contains("$half") || out.contains("price"), "{out}");
}

#[test]
fn if_else_if_else() {
    let v = compile(
        "if_else_if_else",
        r#"async fn w(id: String) -> Result<i64, Failure> {
        let item = fetch(id).await?;
        let n = if item.price > 100 { 1 } else if item.price > 10 { 2 } else { 3 };
        Ok(n)
    }"#,
    );
    // else-if chains merge into one Choice with a rule per condition; the `else` (which assigns and
    // goes where the rules go) is a final always-true rule, portable to moto/LocalStack.
    assert_eq!(count_type(&v, "Choice"), 1);
    let choice = states(&v).values().find(|s| s["Type"] == "Choice").unwrap();
    assert_eq!(choice["Choices"].as_array().unwrap().len(), 3);
    assert_eq!(choice["Choices"][2]["Condition"], "{% true %}");
    assert!(choice.get("Default").is_none() && choice.get("Assign").is_none());
}

#[test]
fn match_on_enum_and_ranges() {
    let v = compile(
        "match_on_enum_and_ranges",
        r#"async fn w(id: String) -> Result<String, Failure> {
        let item = fetch(id).await?;
        let size = match item.price { 0 => "free", 1..=9 => "small", p if p > 1000 => "huge", _ => "normal" };
        match item.status {
            Status::Deleted => Err(Failure::new("Gone", "deleted")),
            Status::Active => Ok(format!("{} {}", size, item.item_id)),
        }
    }"#,
    );
    assert_eq!(count_type(&v, "Choice"), 2);
    assert_eq!(count_type(&v, "Fail"), 1);
    let json = v.to_string();
    assert!(
        json.contains("'gone'"),
        "serde rename used in the match: {json}"
    );
}

#[test]
fn while_loop_with_break_and_continue() {
    let v = compile(
        "while_loop_with_break_and_continue",
        r#"async fn w(id: String) -> Result<i64, Failure> {
        let mut total = 0;
        let mut i = 0;
        while i < 10 {
            i += 1;
            if i % 2 == 0 { continue; }
            let n = store(fetch(id.clone()).await?).await?;
            total += n;
            if total > 100 { break; }
        }
        Ok(total)
    }"#,
    );
    assert!(count_type(&v, "Choice") >= 3);
}

#[test]
fn for_loops_over_vec_and_range() {
    let v = compile(
        "for_loops_over_vec_and_range",
        r#"async fn w(ids: Vec<String>) -> Result<Vec<i64>, Failure> {
        let mut out = Vec::new();
        for id in ids.iter() {
            let item = fetch(id.clone()).await?;
            out.push(item.price);
        }
        for k in 0..3 { out.push(k); }
        Ok(out)
    }"#,
    );
    assert_eq!(count_type(&v, "Choice"), 2);
}

#[test]
fn catch_by_variant_and_catch_all() {
    let v = compile(
        "catch_by_variant_and_catch_all",
        r#"async fn w(amount: i64) -> Result<String, Failure> {
        match charge(amount).await {
            Ok(id) => Ok(id),
            Err(PayError::Declined) => Ok("declined".to_string()),
            Err(e) => Err(e),
        }
    }"#,
    );
    let task = &v["States"]["Charge the card"];
    assert_eq!(task["Arguments"]["FunctionName"], "billing-charge");
    assert_eq!(task["TimeoutSeconds"], 30);
    assert_eq!(task["HeartbeatSeconds"], 10);
    assert_eq!(task["Catch"][0]["ErrorEquals"][0], "Pay.Declined");
    assert_eq!(task["Catch"][1]["ErrorEquals"][0], "States.ALL");
    // Its own retry(max_attempts = 1) covers every error, so the Lambda transient retrier is left out
    // (it would take those errors' attempts first).
    let retry = task["Retry"].as_array().unwrap();
    assert_eq!(retry.len(), 2);
    assert_eq!(
        retry[0]["ErrorEquals"],
        serde_json::json!(["PayError.Busy", "States.Timeout"])
    );
    assert_eq!(retry[0]["MaxDelaySeconds"], 20);
    assert_eq!(retry[0]["JitterStrategy"], "FULL");
    assert_eq!(retry[0]["BackoffRate"], 1.5);
    assert_eq!(retry[1]["ErrorEquals"][0], "States.ALL");
    assert_eq!(retry[1]["MaxAttempts"], 1);
}

#[test]
fn lambda_transient_retrier_by_default() {
    let v = compile(
        "lambda_transient_retrier_by_default",
        "async fn w(id: String) -> Result<Item, Failure> { Ok(fetch(id).await?) }",
    );
    assert_eq!(
        v["States"]["fetch"]["Retry"][0]["ErrorEquals"],
        serde_json::json!([
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException"
        ])
    );
}

#[test]
fn if_let_err_catch() {
    let v = compile(
        "if_let_err_catch",
        r#"async fn w(id: String) -> Result<String, Failure> {
        if let Err(e) = fetch(id.clone()).await {
            notify(e.cause.clone(), "ops".to_string()).await;
            return Err(e);
        }
        Ok(id)
    }"#,
    );
    assert_eq!(
        v["States"]["fetch"]["Catch"][0]["ErrorEquals"][0],
        "States.ALL"
    );
}

#[test]
fn sleeps_become_waits() {
    let v = compile(
        "sleeps_become_waits",
        r#"async fn w(id: String) -> Result<String, Failure> {
        sleep(Duration::from_secs(3600)).await;
        let item = fetch(id).await?;
        sleep(Duration::from_secs(item.price as u64)).await;
        sleep_until("2030-01-01T00:00:00Z").await;
        Ok(item.item_id)
    }"#,
    );
    assert_eq!(count_type(&v, "Wait"), 3);
    assert_eq!(v["States"]["Wait_3600s"]["Seconds"], 3600);
}

#[test]
fn err_variant_question_mark_is_fail() {
    let v = compile(
        "err_variant_question_mark_is_fail",
        r#"async fn w(amount: i64) -> Result<String, Failure> {
        if amount < 0 { Err(PayError::Declined)?; }
        Ok(charge(amount).await?)
    }"#,
    );
    let fail = states(&v).values().find(|s| s["Type"] == "Fail").unwrap();
    assert_eq!(fail["Error"], "Pay.Declined");
}

#[test]
fn state_labels() {
    let v = compile(
        "state_labels",
        r#"async fn w(id: String) -> Result<Item, Failure> {
        #[state("Load the item")]
        let item = fetch(id).await?;
        Ok(item)
    }"#,
    );
    assert!(v["States"]["Load the item"].is_object());
}

#[test]
fn adding_a_statement_at_the_end_renames_nothing() {
    let a = compile(
        "adding_a_statement_at_the_end_renames_nothing",
        r#"async fn w(id: String) -> Result<i64, Failure> { let item = fetch(id).await?; if item.price > 3 { store(item.clone()).await?; } Ok(1) }"#,
    );
    let b = compile(
        "adding_a_statement_at_the_end_renames_nothing_2",
        r#"async fn w(id: String) -> Result<i64, Failure> { let item = fetch(id).await?; if item.price > 3 { store(item.clone()).await?; } let n = store(item).await?; Ok(n) }"#,
    );
    for (name, state) in states(&a) {
        if state["Type"] == "Succeed" {
            continue; // the old end, replaced by the new statement
        }
        assert!(states(&b).contains_key(name), "state {name} was renamed");
    }
}

#[test]
fn errors_are_spanned_and_accumulated() {
    let msg = compile_err(
        r#"async fn w(id: String) -> Result<i64, Failure> {
        let f = |x: i64| x + 1;
        unsafe { println!("hi"); }
        let n = missing_task(id).await?;
        Ok(n)
    }"#,
    );
    assert!(
        msg.contains("a closure has no exact JSONata equivalent"),
        "{msg}"
    );
    assert!(
        msg.contains("`unsafe` code cannot run in a state machine"),
        "{msg}"
    );
    assert!(msg.contains("move it into a #[task]"), "{msg}");
    assert!(msg.contains("`missing_task` is not a #[task]"), "{msg}");
}

#[test]
fn deterministic_output() {
    let body = r#"async fn w(id: String) -> Result<i64, Failure> { let item = fetch(id).await?; let n = store(item).await?; Ok(n) }"#;
    let src = format!("{TASKS}\nworkflow! {{ {body} }}");
    let (ctx, wfs) = common::ctx_from(&src);
    let a = compile_workflow(&wfs[0], &ctx).unwrap().json;
    let b = compile_workflow(&wfs[0], &ctx).unwrap().json;
    assert_eq!(a, b);
}

#[test]
fn try_join_is_a_parallel() {
    let v = compile(
        "try_join_is_a_parallel",
        r#"async fn w(id: String) -> Result<i64, Failure> {
        let (item, n) = try_join!(fetch(id.clone()), async { let i = fetch(id.clone()).await?; Ok(store(i).await? + 1) })?;
        Ok(item.price + n)
    }"#,
    );
    let p = &v["States"]["Parallel"];
    assert_eq!(p["Type"], "Parallel");
    assert_eq!(p["Branches"].as_array().unwrap().len(), 2);
    assert_eq!(
        states(&v).len(),
        1,
        "the branches rebind the input themselves; the Parallel ends the machine"
    );
    let out = p["Output"].as_str().unwrap();
    assert!(
        out.contains("$states.result[0]") && out.contains("$states.result[1]"),
        "{out}"
    );
}

#[test]
fn join_keeps_each_result() {
    let v = compile(
        "join_keeps_each_result",
        r#"async fn w(id: String) -> Result<bool, Failure> {
        let (a, b) = join!(fetch(id.clone()), store_missing_ok(id));
        Ok(true)
    }"#,
    );
    let b0 = &v["States"]["Parallel"]["Branches"][0];
    let json = b0.to_string();
    assert!(json.contains("'Ok'") && json.contains("'Err'"), "{json}");
}

#[test]
fn map_macro_is_an_inline_map() {
    let v = compile(
        "map_macro_is_an_inline_map",
        r#"async fn w(ids: Vec<String>) -> Result<Vec<i64>, Failure> {
        let prices = map!(ids, max_concurrency = 4, |id| async move {
            let item = fetch(id).await?;
            if item.price > 10 { Ok(item.price) } else { Ok(0) }
        })?;
        Ok(prices)
    }"#,
    );
    let m = states(&v).values().find(|s| s["Type"] == "Map").unwrap();
    assert_eq!(m["MaxConcurrency"], 4);
    assert_eq!(m["Items"], "{% $states.input %}");
    assert!(m["ItemProcessor"]["States"].as_object().unwrap().len() >= 2);
}

#[test]
fn join_all_is_a_map() {
    let v = compile(
        "join_all_is_a_map",
        r#"async fn w(ids: Vec<String>) -> Result<Vec<Item>, Failure> {
        let items = try_join_all(ids.iter().map(|id| fetch(id.clone()))).await?;
        Ok(items)
    }"#,
    );
    assert_eq!(count_type(&v, "Map"), 1);
}

#[test]
fn branch_cannot_assign_outer_variables() {
    let msg = compile_err(
        r#"async fn w(ids: Vec<String>) -> Result<i64, Failure> {
        let mut total = 0;
        let prices = map!(ids, |id| async move { total += 1; Ok(fetch(id).await?.price) })?;
        Ok(total)
    }"#,
    );
    assert!(msg.contains("cannot assign `total`"), "{msg}");
    assert!(msg.contains("return the value"), "{msg}");
}

#[test]
fn retry_one_task_sets_its_retry() {
    let v = compile(
        "retry_one_task_sets_its_retry",
        r#"async fn w(id: String) -> Result<Item, Failure> {
        let item = retry!(errors = [FetchError::NotFound], max_attempts = 2; max_attempts = 5, interval_seconds = 3 => fetch(id))?;
        Ok(item)
    }"#,
    );
    let r = &v["States"]["fetch"]["Retry"];
    assert_eq!(r[0]["ErrorEquals"][0], "FetchError.NotFound");
    assert_eq!(r[1]["MaxAttempts"], 5);
    assert_eq!(
        r.as_array().unwrap().len(),
        2,
        "the catch-all retrier is last; the task's own would never be consulted"
    );
}

#[test]
fn retry_block_is_a_parallel_whose_changes_flow_out() {
    let v = compile(
        "retry_block_is_a_parallel_whose_changes_flow_out",
        r#"async fn w(id: String) -> Result<i64, Failure> {
        let mut attempts = 0;
        let n = retry!(max_attempts = 3 => {
            attempts += 1;
            let item = fetch(id.clone()).await?;
            store(item).await?
        })?;
        Ok(n + attempts)
    }"#,
    );
    let p = states(&v)
        .values()
        .find(|s| s["Type"] == "Parallel")
        .unwrap();
    assert_eq!(p["Retry"][0]["MaxAttempts"], 3);
    let json = v.to_string();
    assert!(json.contains("vars.attempts"), "{json}");
}

#[test]
fn catch_on_a_block() {
    let v = compile(
        "catch_on_a_block",
        r#"async fn w(id: String) -> Result<i64, Failure> {
        match async { let item = fetch(id.clone()).await?; Ok(store(item).await?) }.await {
            Ok(n) => Ok(n),
            Err(FetchError::NotFound) => Ok(-1),
            Err(e) => Err(e),
        }
    }"#,
    );
    let p = states(&v)
        .values()
        .find(|s| s["Type"] == "Parallel")
        .unwrap();
    assert_eq!(p["Catch"][0]["ErrorEquals"][0], "FetchError.NotFound");
    assert_eq!(p["Catch"][1]["ErrorEquals"][0], "States.ALL");
}

#[test]
fn express_workflows_reject_what_express_cannot_run() {
    let msg = compile_err(
        r#"#[workflow(kind = "EXPRESS", timeout_seconds = 600)]
        async fn w(id: String) -> Result<String, Failure> {
            sleep(Duration::from_secs(3600)).await;
            Ok(id)
        }"#,
    );
    assert!(
        msg.contains("EXPRESS workflow runs at most 300 seconds; timeout_seconds is 600"),
        "{msg}"
    );
    assert!(
        msg.contains("an EXPRESS workflow runs at most 5 minutes; this sleep is longer"),
        "{msg}"
    );
}

#[test]
fn labels_trailing_loops_and_macro_values() {
    let v = compile(
        "labels_trailing_loops_and_macro_values",
        r#"async fn w(id: String) -> Result<String, Failure> {
        let mut n = 0;
        let mut log = vec![id.clone()];
        'outer: while n < 5 {
            n += 1;
            let mut k = 0;
            loop {
                k += 1;
                if k > n { continue 'outer; }
                if k == 3 { break 'outer; }
                let item = fetch(id.clone()).await?;
                log.push(item.item_id);
            }
        }
        let summary = format!("{} after {}", id, n);
        let label = match n { 0 => format!("none"), _ => format!("{} rounds", n) };
        if n > 1 {
            for i in 0..2 { log.push(format!("{}", i)); }
        }
        Ok(format!("{} {} {}", summary, label, log.len()))
    }"#,
    );
    assert!(count_type(&v, "Choice") >= 3);
}

#[test]
fn each_mistake_is_reported_once() {
    let msg = compile_err(
        r#"async fn w(id: String) -> Result<i64, Failure> {
        let f = |x: i64| x + 1;
        let g = unsafe { 1 };
        let h = async { 2 };
        let k = fetch(id.clone()).await?.price + fetch(id).await?.price;
        Ok(k)
    }"#,
    );
    for needle in ["closure", "unsafe", "async block"] {
        let n = msg.matches(needle).count();
        assert_eq!(n, 1, "`{needle}` reported {n} times:\n{msg}");
    }
}

#[test]
fn catch_on_parallel_and_map() {
    let v = compile(
        "catch_on_parallel_and_map",
        r#"async fn w(ids: Vec<String>) -> Result<i64, Failure> {
        let total = match map!(ids, max_concurrency = 2, |id| async move { Ok(fetch(id).await?.price) }) {
            Ok(prices) => prices.len() as i64,
            Err(FetchError::NotFound) => -1,
            Err(e) => return Err(e),
        };
        match try_join!(fetch("a".to_string()), fetch("b".to_string())) {
            Ok((a, b)) => Ok(total + a.price + b.price),
            Err(_) => Ok(total),
        }
    }"#,
    );
    let map = states(&v).values().find(|s| s["Type"] == "Map").unwrap();
    assert_eq!(map["Catch"][0]["ErrorEquals"][0], "FetchError.NotFound");
    assert_eq!(map["Catch"][1]["ErrorEquals"][0], "States.ALL");
    let par = states(&v)
        .values()
        .find(|s| s["Type"] == "Parallel")
        .unwrap();
    assert_eq!(par["Catch"][0]["ErrorEquals"][0], "States.ALL");
    assert_eq!(
        count_type(&v, "Parallel"),
        1,
        "the Catch is on the Parallel itself, not a wrapper"
    );
}

#[test]
fn push_of_a_task_result_folds_into_its_assign() {
    let v = compile(
        "push_of_a_task_result_folds_into_its_assign",
        r#"async fn w(id: String) -> Result<Vec<i64>, Failure> {
        let mut out = Vec::new();
        out.push(fetch(id.clone()).await?.price);
        out.push(store(fetch(id).await?).await? * 2);
        Ok(out)
    }"#,
    );
    assert_eq!(states(&v).len(), 3, "three Tasks, no Pass per push");
    assert_eq!(
        v["States"]["fetch"]["Assign"]["out"],
        "{% $append(([]), [$states.result.Payload.price]) %}"
    );
    assert_eq!(
        v["States"]["store"]["Output"],
        "{% ($append($out, [($states.result.Payload * 2)])) %}"
    );
}

#[test]
fn push_in_a_loop_is_the_tasks_assign() {
    let v = compile(
        "push_in_a_loop_is_the_tasks_assign",
        r#"async fn w(ids: Vec<String>) -> Result<Vec<i64>, Failure> {
        let mut out = Vec::new();
        for id in ids {
            out.push(store(fetch(id).await?).await?);
        }
        Ok(out)
    }"#,
    );
    // The loop's start (a Pass: the loop head has a back edge), its Choice, the two Tasks, the end.
    assert_eq!(count_type(&v, "Task"), 2);
    assert_eq!(count_type(&v, "Pass"), 1);
    let store = &v["States"]["store"];
    assert_eq!(
        store["Assign"]["out"],
        "{% $append($out, [$states.result.Payload]) %}"
    );
    assert_eq!(store["Assign"]["id_index"], "{% $id_index + 1 %}");
    assert_eq!(store["Next"], "For_id_in_ids");
    assert_eq!(
        v["States"]["store"]["Arguments"]["Payload"],
        "{% $fetch_result %}"
    );
}

#[test]
fn nested_calls_run_in_evaluation_order() {
    let v = compile(
        "nested_calls_run_in_evaluation_order",
        r#"async fn w(a: String, b: String) -> Result<i64, Failure> {
        let mut total = a.len() as i64 + store(fetch(a.clone()).await?).await?;
        total += fetch(b.clone()).await?.price;
        let found = fetch(a).await?.tags.contains(&fetch(b).await?.item_id);
        Ok(if found { total } else { 0 })
    }"#,
    );
    let names: Vec<&str> = ["fetch", "store", "fetch_2", "fetch_3", "fetch_4"].to_vec();
    assert_eq!(v["StartAt"], names[0]);
    for pair in names.windows(2) {
        assert_eq!(v["States"][pair[0]]["Next"], pair[1], "{pair:?}");
    }
    assert_eq!(
        v["States"]["fetch_3"]["Arguments"]["Payload"], "{% $a %}",
        "the receiver's call runs before the argument's"
    );
    assert_eq!(
        v["States"]["fetch_2"]["Assign"]["total"],
        "{% ($total + $states.result.Payload.price) %}"
    );
}

#[test]
fn nested_calls_in_a_scrutinee_an_iterable_and_an_else_if() {
    let v = compile(
        "nested_calls_in_a_scrutinee_an_iterable_and_an_else_if",
        r#"async fn w(id: String, n: i64) -> Result<String, Failure> {
        let mut seen = 0;
        for t in fetch(id.clone()).await?.tags { seen += t.len(); }
        let size = match fetch(id.clone()).await?.price { 0 => "free", _ => "paid" };
        let level = if n > 5 { "high" } else if store(fetch(id).await?).await? > 2 { "middle" } else { "low" };
        Ok(format!("{} {} {}", seen, size, level))
    }"#,
    );
    // The `else if` condition's Tasks run on the first Choice's default, not before it.
    let choice = states(&v)
        .iter()
        .find(|(n, _)| n.starts_with("If_n_gt_5"))
        .map(|(_, s)| s)
        .unwrap();
    let default = choice["Default"].as_str().unwrap();
    assert!(default.starts_with("fetch"), "{default}");
    assert_eq!(v["States"][default]["Next"], "store");
    assert_eq!(v["StartAt"], "fetch");
}

#[test]
fn labelled_push_names_its_task() {
    let v = compile(
        "labelled_push_names_its_task",
        r#"async fn w(id: String) -> Result<Vec<i64>, Failure> {
        let mut out = Vec::new();
        #[state("Store the item")]
        out.push(store(fetch(id).await?).await?);
        Ok(out)
    }"#,
    );
    assert!(v["States"]["Store the item"].is_object(), "{v}");
    assert!(v["States"]["fetch"].is_object());
}

#[test]
fn irrefutable_match_binds_from_a_pending_value() {
    let v = compile(
        "irrefutable_match_binds_from_a_pending_value",
        r#"async fn w(id: String) -> Result<i64, Failure> {
        let x = store(fetch(id).await?).await?;
        match x { n => Ok(n + 1) }
    }"#,
    );
    assert_eq!(
        v["States"]["store"]["Output"], "{% ($states.result.Payload + 1) %}",
        "`n` is the Task's result, not the `$x` its own Assign is writing"
    );
}

#[test]
fn guarded_catch_arms_fall_through_in_order() {
    let v = compile(
        "guarded_catch_arms_fall_through_in_order",
        r#"async fn w(amount: i64) -> Result<String, Failure> {
        match charge(amount).await {
            Ok(id) if id.len() > 3 => Ok(id),
            Ok(id) => Ok(format!("short {}", id)),
            Err(e @ PayError::Declined) if e.cause == "soft" => Ok("soft".to_string()),
            Err(e) if e.error == "Other" && amount > 10 => Ok(e.cause),
            Err(PayError::Declined) => Ok("declined".to_string()),
            Err(e) => Err(e),
        }
    }"#,
    );
    let task = &v["States"]["Charge the card"];
    // One Catcher takes every error into the Choice that tries the arms in order.
    assert_eq!(task["Catch"].as_array().unwrap().len(), 1);
    assert_eq!(task["Catch"][0]["ErrorEquals"][0], "States.ALL");
    assert_eq!(task["Catch"][0]["Assign"]["e"], "{% $states.errorOutput %}");
    let errors = &v["States"][task["Catch"][0]["Next"].as_str().unwrap()];
    let rules = errors["Choices"].as_array().unwrap();
    assert_eq!(rules.len(), 3);
    assert_eq!(
        rules[0]["Condition"],
        "{% ($e.Error = 'Pay.Declined') and (($e.Cause = 'soft')) %}"
    );
    assert_eq!(
        rules[1]["Condition"],
        "{% (($e.Error = 'Other') and ($amount > 10)) %}"
    );
    assert_eq!(rules[2]["Condition"], "{% $e.Error = 'Pay.Declined' %}");
    let fail = &v["States"][errors["Default"].as_str().unwrap()];
    assert_eq!(fail["Type"], "Fail", "the last arm re-raises: {fail}");
    // Success: a Choice on the result.
    let ok = &v["States"][task["Next"].as_str().unwrap()];
    assert_eq!(ok["Type"], "Choice");
    assert_eq!(ok["Choices"].as_array().unwrap().len(), 1);
    assert_eq!(task["Assign"]["result"], "{% $states.result.Payload %}");
}

#[test]
fn unguarded_arms_before_a_guard_keep_their_catchers() {
    let v = compile(
        "unguarded_arms_before_a_guard_keep_their_catchers",
        r#"async fn w(amount: i64) -> Result<String, Failure> {
        match charge(amount).await {
            Ok(id) => Ok(id),
            Err(PayError::Busy) => Ok("busy".to_string()),
            Err(e @ (PayError::Declined | FetchError::NotFound)) if amount > 5 => Ok(e.error),
            Err(PayError::Declined) | Err(FetchError::NotFound) => Ok("declined".to_string()),
            _ if amount < 0 => Ok("negative".to_string()),
            Err(e @ Failure { .. }) => Err(e),
        }
    }"#,
    );
    let task = &v["States"]["Charge the card"];
    assert_eq!(
        task["Catch"][0]["ErrorEquals"],
        serde_json::json!(["PayError.Busy"])
    );
    assert_eq!(task["Catch"][1]["ErrorEquals"][0], "States.ALL");
    assert!(
        task.get("Assign").is_none(),
        "success binds straight from the result"
    );
    let errors = &v["States"][task["Catch"][1]["Next"].as_str().unwrap()];
    let rules = errors["Choices"].as_array().unwrap();
    assert_eq!(
        rules[0]["Condition"],
        "{% ($e.Error in ['Pay.Declined', 'FetchError.NotFound']) and (($amount > 5)) %}"
    );
    assert_eq!(
        rules[1]["Condition"],
        "{% $e.Error in ['Pay.Declined', 'FetchError.NotFound'] %}"
    );
    assert_eq!(rules[2]["Condition"], "{% ($amount < 0) %}");
    assert_eq!(count_type(&v, "Choice"), 1);
}

#[test]
fn refutable_ok_patterns() {
    let v = compile(
        "refutable_ok_patterns",
        r#"async fn w(id: String) -> Result<String, Failure> {
        let label = match fetch(id.clone()).await {
            Ok(Item { status: Status::Deleted, .. }) => "gone".to_string(),
            Ok(Item { price: 0, .. }) => "free".to_string(),
            Ok(item) if item.tags.is_empty() => item.item_id,
            _ => "other".to_string(),
        };
        let price = match fetch(id).await { Ok(Item { price, .. }) => price, Err(_) => -1 };
        Ok(format!("{} {}", label, price))
    }"#,
    );
    let ok = &v["States"]["Match_fetch_result"];
    let rules = ok["Choices"].as_array().unwrap();
    // Three patterns, then `_` (a portable always-true rule: the Default shares its target).
    assert_eq!(rules.len(), 4);
    assert_eq!(rules[0]["Condition"], "{% ($result.status = 'gone') %}");
    assert_eq!(rules[2]["Condition"], "{% ($count($result.tags) = 0) %}");
    assert_eq!(rules[2]["Assign"]["label"], "{% $result.itemId %}");
    assert_eq!(
        v["States"]["fetch"]["Catch"][0]["Next"], rules[3]["Next"],
        "`_` takes the errors too"
    );
    // An irrefutable struct pattern binds from the result: no Choice.
    assert_eq!(count_type(&v, "Choice"), 1);
    let out = v["States"]["fetch_2"]["Output"].as_str().unwrap();
    assert!(
        out.contains("$string($states.result.Payload.price)"),
        "{out}"
    );
}

#[test]
fn if_let_err_variant_else_takes_other_errors() {
    let v = compile(
        "if_let_err_variant_else_takes_other_errors",
        r#"async fn w(amount: i64) -> Result<String, Failure> {
        if let Err(PayError::Declined) = charge(amount).await {
            return Ok("declined".to_string());
        } else {
            notify("ok or other".to_string(), "ops".to_string()).await;
        }
        Ok("done".to_string())
    }"#,
    );
    let task = &v["States"]["Charge the card"];
    // As in Rust, the `else` takes success and every error but the named one.
    assert_eq!(task["Catch"][0]["ErrorEquals"][0], "Pay.Declined");
    assert_eq!(task["Catch"][1]["ErrorEquals"][0], "States.ALL");
    assert_eq!(task["Catch"][1]["Next"], task["Next"]);
}

#[test]
fn task_calls_that_cannot_be_hoisted_are_errors() {
    let msg = compile_err(
        r#"async fn w(id: String, ids: Vec<String>) -> Result<bool, Failure> {
        let a = id.len() > 3 && store_missing_ok(id.clone()).await?;
        let b = a || store_missing_ok(id.clone()).await?;
        let mut n = 0;
        while store(fetch(id.clone()).await?).await? > n { n += 1; }
        let c = match n { k if store_missing_ok(id.clone()).await? => k, _ => 0 };
        let d = 1 + if a { store(fetch(id.clone()).await?).await? } else { 0 };
        Ok(a && b && c > d)
    }"#,
    );
    for needle in [
        "runs only when the left operand of `&&` is true",
        "runs only when the left operand of `||` is false",
        "a task call in a `while` condition runs before every iteration",
        "a task call in a match guard runs only when its pattern matches",
        "a task call inside an `if`/`match` that is part of a larger expression",
    ] {
        assert_eq!(msg.matches(needle).count(), 1, "`{needle}`:\n{msg}");
    }
    assert!(
        !msg.contains("`?` is only supported"),
        "reported once:\n{msg}"
    );
}

#[test]
fn catch_forms_that_stay_errors() {
    let msg = compile_err(
        r#"async fn w(amount: i64) -> Result<String, Failure> {
        let a = match charge(amount).await {
            Ok(id) => id,
            Err(e) if e.error == "X" => e.cause,
            Err(PayError::Busy) => "busy".to_string(),
        };
        let b = match charge(amount).await {
            Ok(id) if id.len() > 2 => id,
            Err(e) => e.cause,
        };
        let c = match charge(amount).await {
            Ok(id) => id,
            Err(Failure { error, .. }) => error,
        };
        Ok(format!("{} {} {}", a, b, c))
    }"#,
    );
    assert!(msg.contains("do not take every error"), "{msg}");
    assert!(msg.contains("do not take every success value"), "{msg}");
    assert!(
        msg.contains("the fields of a caught `Failure` cannot be bound"),
        "{msg}"
    );
}
