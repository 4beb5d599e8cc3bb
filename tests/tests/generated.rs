//! The property test: every generated workflow (see `gen/`), several random cases each (inputs and
//! task behaviours drawn from a fixed seed), native run vs embedded interpreter. 0 mismatches.
//!
//! `STEPMACRO_GEN_CASES` sets the cases per workflow (default 8: with the 240 generated workflows,
//! 1,920 cases); `STEPMACRO_GEN_CASE_SEED` draws another set of cases.

use std::collections::BTreeMap;

use stepmacro_tests::generated::{self, draw_behaviours, draw_input};
use stepmacro_tests::harness::{CauseRule, NativeResult, Subject, runtime};
use stepmacro_tests::rng::Rng;

const CASE_SEED: u64 = 0xca5e_5eed;

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
#[cfg_attr(
    not(feature = "generated"),
    ignore = "the corpus is built with the `generated` feature"
)]
fn generated_workflows_agree() {
    let per_workflow: usize = env_or("STEPMACRO_GEN_CASES", 8);
    let seed: u64 = env_or("STEPMACRO_GEN_CASE_SEED", CASE_SEED);
    let workflows = generated::all();
    let rt = runtime();
    let root = Rng::new(seed);
    let mut cases = 0usize;
    let mut mismatches = Vec::new();
    // How the cases ended (native result), to show that errors and catches are exercised.
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut calls = 0usize;
    for (i, w) in workflows.iter().enumerate() {
        let subject = Subject::new(w.workflow);
        for j in 0..per_workflow {
            let mut rng = root.fork((i * 10_000 + j) as u64);
            let input = draw_input(&mut rng, w);
            let behaviours = draw_behaviours(&mut rng);
            let c = rt.block_on(subject.compare(&input, &behaviours, CauseRule::Strict));
            cases += 1;
            calls += c.native_calls.len();
            let outcome = match &c.native {
                NativeResult::Returned(Ok(_)) => "Ok".to_owned(),
                NativeResult::Returned(Err(f)) => format!("Err({})", f.error),
                NativeResult::Panicked(_) => "panic".to_owned(),
            };
            *outcomes.entry(outcome).or_default() += 1;
            if !c.is_match() {
                mismatches.push(c);
            }
        }
    }
    println!(
        "generated: {} workflows, {cases} cases, {calls} task calls, {} mismatches",
        workflows.len(),
        mismatches.len()
    );
    println!("outcomes (native): {outcomes:?}");
    let mut by_workflow: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for m in &mismatches {
        by_workflow
            .entry(m.workflow)
            .or_default()
            .push(m.differences.join("; "));
    }
    for (w, ds) in &by_workflow {
        println!("  {w}: {} mismatching cases, first: {}", ds.len(), ds[0]);
    }
    if let Some(first) = mismatches.first() {
        panic!(
            "{} of {cases} generated cases mismatch (in {} workflows); the first:\n\n{first}",
            mismatches.len(),
            by_workflow.len()
        );
    }
    assert!(
        cases >= 1000 || per_workflow < 8,
        "the property test must run at least 1,000 cases"
    );
}
