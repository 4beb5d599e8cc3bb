//! Writes the generated property-test workflows (`gen/`) into `$OUT_DIR`, then runs the stepmacro build
//! driver over `src/` plus that file, so every workflow (hand-written and generated) is compiled to
//! ASL and embedded by its `workflow!`.

use std::path::PathBuf;

#[path = "gen/mod.rs"]
mod generator;

/// The corpus seed: change it to explore another corpus (`STEPMACRO_GEN_SEED` overrides it).
const SEED: u64 = 0x5732_2024;
/// Workflows in the corpus (`STEPMACRO_GEN_COUNT` overrides it).
const COUNT: usize = 240;

fn main() {
    println!("cargo:rerun-if-changed=gen");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=STEPMACRO_GEN_SEED");
    println!("cargo:rerun-if-env-changed=STEPMACRO_GEN_COUNT");
    let seed = std::env::var("STEPMACRO_GEN_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    // Without the `generated` feature (trybuild's build of this crate) the corpus is empty.
    let count = if std::env::var_os("CARGO_FEATURE_GENERATED").is_none() {
        0
    } else {
        std::env::var("STEPMACRO_GEN_COUNT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(COUNT)
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set for build scripts"));
    let file = out.join("generated_workflows.rs");
    let text = generator::file(generator::Config { seed, count });
    if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&file, text).expect("write the generated workflows");
    }
    if let Err(e) = stepmacro_core::build::Builder::new()
        .extra_source(&file)
        .run()
    {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
