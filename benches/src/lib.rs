//! Benchmarks of stepmacro's local runs: executions per second on one core, the embedded ASL
//! interpreter against the native Rust run of the same workflow.
//!
//! ```text
//! cargo bench -p stepmacro-bench                      # every workload, 5 rounds of 1 s each
//! cargo bench -p stepmacro-bench -- sequence          # workloads whose name contains "sequence"
//! STEPMACRO_BENCH_ROUNDS=10 STEPMACRO_BENCH_SECONDS=2 cargo bench -p stepmacro-bench
//! ```
//!
//! * [`sequence_if_map`]: workload (b), 20 sequential tasks, an `if` and a Map over 100 items,
//!   with its definition written by hand (the compiler has no `map!` yet) and its native twin.
//! * [`measure`]: the timing loop (warm-up, rounds, median).
//!
//! Workload (a), call-external-api, comes from the example crate itself (see
//! `benches/executions.rs`).

pub mod compiled;
pub mod measure;
pub mod sequence_if_map;
