//! `cargo bench -p stepmacro-bench [-- FILTER...]`: executions per second on one core (a
//! current-thread tokio runtime), interpreter vs native, for
//!
//! * (a) `call-external-api`: the example's compiled definition and its real `#[task]`s resolved in
//!   process (their bodies are trivial: a simulated API), on the success path;
//! * (b) `sequence-if-map`: 20 sequential tasks, an `if`, a Map over 100 items, twice: compiled by
//!   `workflow!` (`stepmacro_bench::compiled`, what users get) and as the hand-written definition
//!   with its native twin (`stepmacro_bench::sequence_if_map`).
//!
//! Each run's result is checked against the other kind of run before timing. Targets (issue 3):
//! at least 10,000 interpreted executions/s on (a); the interpreter within 10x of native on (b).

use call_external_api::ApiRequest;
use call_external_api::call_external_api as CallExternalApi;
use serde_json::Value;
use stepmacro::Workflow;
use stepmacro::interpreter::Interpreter;
use stepmacro_bench::compiled::sequence_if_map_compiled as SequenceIfMapCompiled;
use stepmacro_bench::measure::{Plan, Rate, measure, thousands};
use stepmacro_bench::sequence_if_map::{self, SequenceIfMap};

/// What a workload must reach to meet the target.
enum Target {
    /// Interpreted executions per second.
    InterpretedPerSecond(f64),
    /// Native / interpreted rate at most this.
    WithinFactorOfNative(f64),
}

struct Workload {
    name: &'static str,
    input: Value,
    target: Target,
    run: fn(&Plan, Value) -> (Rate, Rate),
}

fn interpreter_for<W: Workflow>() -> Interpreter {
    let mut interpreter = Interpreter::new(W::DEFINITION).expect("the definition loads");
    for task in W::tasks() {
        interpreter = interpreter.task(task);
    }
    interpreter
}

/// Runs once each way, checks that both give the same result, then times both.
fn interpreted_and_native<W: Workflow>(plan: &Plan, input: Value) -> (Rate, Rate) {
    let interpreter = interpreter_for::<W>();
    let check = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let interpreted = check.block_on(interpreter.run(input.clone())).into_result();
    let native = check.block_on(W::run_native(input.clone()));
    assert_eq!(
        interpreted,
        native,
        "{}: the interpreter and the native run disagree",
        W::NAME
    );
    assert!(
        native.is_ok(),
        "{}: the benchmark input should succeed: {native:?}",
        W::NAME
    );

    // STEPMACRO_BENCH_SIDE=interpreter|native times one side only (for a profiler); the other
    // side's figure is then NaN.
    let side = std::env::var("STEPMACRO_BENCH_SIDE").unwrap_or_default();
    let skipped = || Rate {
        rounds: vec![f64::NAN],
    };
    let interpreted = if side == "native" {
        skipped()
    } else {
        measure(plan, || {
            let run = interpreter.run(input.clone());
            async move {
                std::hint::black_box(run.await);
            }
        })
    };
    let native = if side == "interpreter" {
        skipped()
    } else {
        measure(plan, || {
            let run = W::run_native(input.clone());
            async move {
                std::hint::black_box(run.await.ok());
            }
        })
    };
    (interpreted, native)
}

fn workloads() -> Vec<Workload> {
    let request = ApiRequest {
        endpoint: "/stations/42/readings".to_owned(),
        request_id: 1,
    };
    vec![
        Workload {
            name: "(a) call-external-api",
            input: serde_json::to_value(request).expect("a request serialises"),
            target: Target::InterpretedPerSecond(10_000.0),
            run: interpreted_and_native::<CallExternalApi>,
        },
        Workload {
            name: "(b) sequence-if-map, compiled by workflow! (20 tasks, if, map! x100)",
            input: sequence_if_map::input(),
            target: Target::WithinFactorOfNative(10.0),
            run: interpreted_and_native::<SequenceIfMapCompiled>,
        },
        Workload {
            name: "(b) sequence-if-map, hand-written ASL (20 tasks, if, Map x100)",
            input: sequence_if_map::input(),
            target: Target::WithinFactorOfNative(10.0),
            run: interpreted_and_native::<SequenceIfMap>,
        },
    ]
}

fn main() {
    // `cargo bench` passes `--bench`; anything else not starting with `-` filters workloads by name.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let plan = Plan::from_env();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "stepmacro executions/s, one core (current-thread runtime; machine has {cores} cores); \
         {} rounds of {:.1} s after {:.1} s warm-up, median [min..max]",
        plan.rounds,
        plan.round.as_secs_f64(),
        plan.warm_up.as_secs_f64()
    );
    let mut missed = 0;
    for w in workloads() {
        if !filters.is_empty() && !filters.iter().any(|f| w.name.contains(f.as_str())) {
            continue;
        }
        let (interpreted, native) = (w.run)(&plan, w.input.clone());
        let factor = native.median() / interpreted.median();
        println!("\n{}", w.name);
        println!("  interpreter {}", show(&interpreted));
        println!("  native      {}", show(&native));
        if factor.is_nan() {
            continue; // one side skipped (STEPMACRO_BENCH_SIDE)
        }
        println!(
            "  native is {factor:.1}x faster; interpreter: {:.1} µs per execution",
            1e6 / interpreted.median()
        );
        let (met, text) = match w.target {
            Target::InterpretedPerSecond(min) => (
                interpreted.median() >= min,
                format!("interpreter >= {} executions/s", thousands(min)),
            ),
            Target::WithinFactorOfNative(max) => (
                factor <= max,
                format!("interpreter within {max:.0}x of native"),
            ),
        };
        println!("  target: {text}: {}", if met { "met" } else { "MISSED" });
        if !met {
            missed += 1;
        }
    }
    if missed > 0 {
        println!("\n{missed} target(s) missed");
    }
}

/// `12,345/s  [12,001..12,600]`, or `skipped`.
fn show(rate: &Rate) -> String {
    if rate.median().is_nan() {
        return "skipped".to_owned();
    }
    format!(
        "{:>12}/s  [{}..{}]",
        thousands(rate.median()),
        thousands(rate.min()),
        thousands(rate.max())
    )
}
