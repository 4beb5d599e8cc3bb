//! Benchmarks of stepmacro's local runs: executions per second on one core, the embedded ASL
//! interpreter against the native Rust run of the same workflow.
//!
//! ```text
//! cargo bench -p stepmacro-bench                      # every workload, 5 rounds of 1 s each
//! cargo bench -p stepmacro-bench -- sequence          # workloads whose name contains "sequence"
//! STEPMACRO_BENCH_ROUNDS=10 STEPMACRO_BENCH_SECONDS=2 cargo bench -p stepmacro-bench
//! ```
//!
//! * [`compiled`]: workload (b), 20 sequential tasks, an `if` and a `map!` over 100 items, as a
//!   `workflow!` compiled by the build script (what users get).
//! * [`sequence_if_map`]: the same workload with its definition written by hand (it predates
//!   `map!`) and its native twin, kept for comparison.
//! * [`measure`]: the timing loop (warm-up, rounds, median).
//!
//! Workload (a), call-external-api, comes from the example crate itself (see
//! `benches/executions.rs`).

pub mod compiled;
pub mod measure;
pub mod sequence_if_map;
