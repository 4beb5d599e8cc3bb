//! Hand-written workflows, one test per theme: every case runs natively and on the embedded
//! interpreter with the same task behaviours and must agree (design §3). A failure prints both
//! results, both call sequences, the interpreter's trace and the definition.

use stepmacro_tests::harness::assert_cases;
use stepmacro_tests::{branching, catches, edges, expressions, fails, loops, sequences, waits};

#[test]
fn sequences_agree() {
    assert_cases("sequences", &sequences::cases());
}

#[test]
fn branching_agrees() {
    assert_cases("branching", &branching::cases());
}

#[test]
fn loops_agree() {
    assert_cases("loops", &loops::cases());
}

#[test]
fn catches_and_retries_agree() {
    assert_cases("catches", &catches::cases());
}

#[test]
fn waits_agree() {
    assert_cases("waits", &waits::cases());
}

#[test]
fn fails_agree() {
    assert_cases("fails", &fails::cases());
}

#[test]
fn expressions_agree() {
    assert_cases("expressions", &expressions::cases());
}

#[test]
fn edges_agree() {
    assert_cases("edges", &edges::cases());
}
