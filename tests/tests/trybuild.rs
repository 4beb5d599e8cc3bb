//! Compile-fail cases: every mistake the macros and the compiler catch is a spanned error with a
//! hint, never a panic. Regenerate the expected output with `TRYBUILD=overwrite cargo test -p
//! stepmacro-tests --test trybuild` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
