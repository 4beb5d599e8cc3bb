//! ui cases that need the build driver (`tests/driver-ui/`): the driver compiles their workflows into
//! a temporary `OUT_DIR` first, which their `workflow!`s then read, as in a crate with a build.rs.
//! Today they check the error names assumed for enums of another crate (`stepmacro-foreign-errors`).
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test -p stepmacro-tests --test
//! driver_ui` and review the diff.

use std::path::PathBuf;

#[test]
fn ui() {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("driver-ui");
    stepmacro_core::build::Builder::new()
        .manifest_dir(&manifest_dir)
        .src_dir("tests/driver-ui")
        .build_out_dir(&out_dir)
        .out_dir(out_dir.join("stable"))
        .package_name("driver-ui")
        .cargo_instructions(false)
        .mermaid(false)
        .run()
        .expect("the build driver compiles the driver ui cases");
    // The cases' rustc inherits it, as from a build script.
    // SAFETY: this is the only test of this binary, and it has not started any other thread yet.
    unsafe { std::env::set_var("OUT_DIR", &out_dir) };
    let t = trybuild::TestCases::new();
    t.pass("tests/driver-ui/pass/*.rs");
    t.compile_fail("tests/driver-ui/fail/*.rs");
}
