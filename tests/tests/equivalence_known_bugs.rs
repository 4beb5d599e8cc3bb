//! Cases where the native run and the embedded interpreter disagree today: each is a minimal
//! reproduction of a reported bug, `#[ignore]`d so the suite stays green until it is fixed. Run them
//! with `cargo test -p stepmacro-tests --test equivalence_known_bugs -- --ignored`; when one passes,
//! drop its `#[ignore]` (or move it into its theme's `cases()`).

use serde_json::json;
use stepmacro_tests::catches::{ct_by_variant, ct_charge};
use stepmacro_tests::edges::{ed_id, ed_special_errors, ed_task_failed_retry};
use stepmacro_tests::harness::{Behaviour, Behaviours, check, ret, throw};
use stepmacro_tests::waits::{wt_remind, wt_send};

/// The definition gives every task without an all-errors retrier the Retry AWS recommends for
/// `lambda:invoke` (`Lambda.ServiceException`, `Lambda.TooManyRequestsException`, ..). The native run
/// does not apply it (`Task::retry_policies` leaves it out, on the grounds that a native run never
/// produces `Lambda.*` errors; a mocked task does). Rust: fails with
/// `Lambda.TooManyRequestsException` after one call. ASL: retries, and returns `"charged ok"`.
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

/// `sleep_until(ts)` natively accepts any string; the Wait state fails the execution with
/// `States.QueryEvaluationError` when the timestamp is not RFC 3339 (also for a timestamp without a
/// zone, `2030-01-01T00:00:00`). Rust: returns the three sends. ASL: fails before the third send.
#[test]

fn sleep_until_rejects_what_the_wait_state_rejects() {
    let b = Behaviours::new().on::<wt_send>(Behaviour::jsonata("$"));
    for at in ["not a date", "2030-01-01T00:00:00"] {
        check::<wt_remind>(json!({"delay_seconds": 1, "at": at, "text": "x"}), &b);
    }
}

/// ASL's `States.ALL` does not catch `States.Runtime` (nor `States.DataLimitExceeded`), so a Catch
/// built from `Err(e) =>` lets a task's `States.Runtime` through; the native `match` catches it.
/// Rust: `Ok("caught States.Runtime")`. ASL: fails with `States.Runtime`.
#[test]

fn catch_all_and_states_runtime() {
    let b = Behaviours::new()
        .responses::<ed_task_failed_retry>([ret(5)])
        .always::<ed_id>(throw("States.Runtime", "r"));
    check::<ed_special_errors>(json!(1), &b);
}
