//! Compile-fail cases: every mistake the macros and the compiler catch is a spanned error with a
//! hint, never a panic. Regenerate the expected output with `TRYBUILD=overwrite cargo test -p
//! stepmacro-tests --test trybuild` and review the diff.

#[test]
fn ui() {
    // Cargo hands this package's `OUT_DIR` (it has a build script) to its test processes, and trybuild's
    // rustc would inherit it; the ui cases are binaries without a build script, so they must not see it
    // (the expected output would otherwise depend on this package's build.rs).
    // SAFETY: this is the only test of this binary, and it has not started any other thread yet.
    unsafe { std::env::remove_var("OUT_DIR") };
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
