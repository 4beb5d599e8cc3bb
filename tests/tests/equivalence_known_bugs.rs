//! Cases where the native run and the embedded interpreter disagreed: each is the minimal
//! reproduction of a bug the harness found, kept as a regression test now that it is fixed.

use serde_json::json;
use stepmacro_tests::catches::{ct_by_variant, ct_charge};
use stepmacro_tests::edges::{ed_id, ed_special_errors, ed_task_failed_retry};
use stepmacro_tests::harness::{Behaviour, Behaviours, check, ret, throw};
use stepmacro_tests::waits::{wt_remind, wt_send};

/// The definition gives a task without an all-errors retrier the Retry AWS recommends for
/// `lambda:invoke` (`Lambda.ServiceException`, `Lambda.TooManyRequestsException`, ..). Native runs
/// used not to apply it (a mocked task can raise `Lambda.*` errors): Rust failed with
/// `Lambda.TooManyRequestsException` after one call, the ASL retried and returned `"charged ok"`.
/// Fixed in 519852d (the retrier is shared with the definition).
#[test]
fn lambda_transient_errors_are_retried_natively_too() {
    let b = Behaviours::new().responses::<ct_charge>([
        throw("Lambda.TooManyRequestsException", "slow down"),
        ret("ok"),
    ]);
    assert_eq!(
        check::<ct_by_variant>(json!(1), &b),
        Ok(json!("charged ok"))
    );
}

/// `sleep_until(ts)` natively accepted any string, while the Wait state fails the execution with
/// `States.QueryEvaluationError` when the timestamp is not RFC 3339 (also without a zone,
/// `2030-01-01T00:00:00`): Rust returned the three sends, the ASL failed before the third. Fixed in
/// 800b874 (native runs reject what the Wait state rejects).
#[test]
fn sleep_until_rejects_what_the_wait_state_rejects() {
    let b = Behaviours::new().on::<wt_send>(Behaviour::jsonata("$"));
    for at in ["not a date", "2030-01-01T00:00:00"] {
        let result = check::<wt_remind>(json!({"delay_seconds": 1, "at": at, "text": "x"}), &b);
        assert!(result.is_err(), "{at:?} was accepted: {result:?}");
    }
}

/// ASL's `States.ALL` does not catch `States.Runtime` (nor `States.DataLimitExceeded`), so the Catch
/// built from `Err(e) =>` lets a task's `States.Runtime` through; the native `match` used to catch
/// it (Rust: `Ok("caught States.Runtime")`, ASL: fails with `States.Runtime`). Fixed in 519852d.
#[test]
fn catch_all_and_states_runtime() {
    let b = Behaviours::new()
        .responses::<ed_task_failed_retry>([ret(5)])
        .always::<ed_id>(throw("States.Runtime", "r"));
    let result = check::<ed_special_errors>(json!(1), &b);
    assert_eq!(
        result.map_err(|f| f.error),
        Err("States.Runtime".to_owned())
    );
}
