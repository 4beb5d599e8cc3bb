//! `query_language = "JSONPath"` on the whole test corpus: every workflow of `src/` (hand-written and
//! generated) is compiled again with JSONPath, exactly as the build driver compiles it (its
//! `CrateSource`, `compile_workflow`), and each one that converts runs every case of its workflow on
//! the embedded interpreter with the same task behaviours. The JSONPath run must agree with the native
//! run (result, error name, cause, and the sequence of task calls) — which the JSONata definition
//! already does, so the three agree.
//!
//! Workflows whose body JSONPath cannot express are rejected at compile time; the tests print how
//! many convert and why the others are rejected (`cargo test -p stepmacro-tests --test jsonpath --
//! --nocapture`). The converted definitions are written to `target/stepmacro/jsonpath/` for the
//! independent validators (`.ci/run` validates every `target/stepmacro/**/*.asl.json`), and with
//! `STEPMACRO_JSONPATH_MOTO_DIR` set, a sample of cases is exported for `scripts/jsonpath-moto.sh`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};
use stepmacro::Workflow;
use stepmacro_core::build::CrateSource;
use stepmacro_core::compile_workflow;
use stepmacro_core::front::workflow::QueryLanguageChoice;
use stepmacro_tests::generated::{self, draw_behaviours, draw_input};
use stepmacro_tests::harness::{
    Behaviours, Case, CauseRule, NativeResult, Subject, WorkflowRef, assert_cases, run_cases,
    runtime,
};
use stepmacro_tests::jsonpath::{jp_checkout, jp_fanout};
use stepmacro_tests::rng::Rng;
use stepmacro_tests::{
    branching, catches, edges, expressions, fails, jsonpath, loops, sequences, waits,
};

/// One workflow of the crate, compiled both ways.
struct Compiled {
    /// The JSONata definition (must be the one the build driver embedded).
    jsonata: String,
    /// The JSONPath definition, or the construct of each error.
    jsonpath: Result<&'static str, Vec<String>>,
}

/// Every workflow of the crate (`src/` and the generated corpus), by name, compiled in both languages.
fn compiled() -> &'static BTreeMap<String, Compiled> {
    static ALL: OnceLock<BTreeMap<String, Compiled>> = OnceLock::new();
    ALL.get_or_init(|| {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut src =
            CrateSource::read(manifest, Path::new("src"), "").expect("read the crate's sources");
        // The generated corpus, as build.rs hands it to the driver.
        let generated = Path::new(env!("OUT_DIR")).join("generated_workflows.rs");
        if let Ok(text) = std::fs::read_to_string(&generated) {
            src.add_source(&generated, &text);
        }
        assert!(src.errors.is_empty(), "{:#?}", src.errors);
        src.workflows
            .iter()
            .map(|w| {
                let name = w.item.ident().to_string();
                let jsonata = compile_workflow(&w.item, &src.context)
                    .unwrap_or_else(|e| panic!("{name} does not compile as JSONata: {e}"))
                    .json;
                let mut item = w.item.clone();
                item.attrs.query_language = QueryLanguageChoice::JSONPath;
                let jsonpath = match compile_workflow(&item, &src.context) {
                    Ok(c) => Ok(&*Box::leak(c.json.into_boxed_str())),
                    Err(e) => Err(e.into_iter().map(|e| construct(&e.to_string())).collect()),
                };
                (name, Compiled { jsonata, jsonpath })
            })
            .collect()
    })
}

/// The construct named by a JSONPath conversion error ("state `X` (F): <construct> has no exact
/// JSONPath equivalent"), or the whole first line for any other error.
fn construct(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    line.split_once("): ")
        .and_then(|(_, rest)| rest.split_once(" has no exact JSONPath equivalent"))
        .map(|(c, _)| c.to_owned())
        .unwrap_or_else(|| line.to_owned())
}

/// The JSONPath twin of a workflow, checking first that the crate context is the driver's (the
/// JSONata recompile is byte-identical to the embedded definition).
fn jsonpath_of(w: &WorkflowRef) -> Option<WorkflowRef> {
    let c = compiled()
        .get(w.name)
        .unwrap_or_else(|| panic!("workflow {} not found in src/", w.name));
    assert_eq!(
        c.jsonata, w.definition,
        "recompiling {} does not reproduce the embedded definition: the test's crate context differs from \
         the build driver's",
        w.name
    );
    c.jsonpath.as_ref().ok().map(|json| WorkflowRef {
        definition: json,
        ..*w
    })
}

fn hand_written_cases() -> Vec<Case> {
    [
        sequences::cases(),
        branching::cases(),
        loops::cases(),
        catches::cases(),
        waits::cases(),
        fails::cases(),
        expressions::cases(),
        edges::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Prints how many workflows converted and why the others did not; returns (converted, rejected).
fn report(title: &str, names: impl IntoIterator<Item = &'static str>) -> (usize, usize) {
    let mut converted = 0;
    let mut rejected = 0;
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            continue;
        }
        match &compiled()[name].jsonpath {
            Ok(_) => converted += 1,
            Err(constructs) => {
                rejected += 1;
                let unique: std::collections::BTreeSet<&str> =
                    constructs.iter().map(String::as_str).collect();
                for c in unique {
                    *reasons.entry(c).or_default() += 1;
                }
            }
        }
    }
    println!("{title}: {converted} workflows convert to JSONPath, {rejected} are rejected");
    let mut by_count: Vec<_> = reasons.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (reason, n) in by_count {
        println!("  {n:3} workflow(s): {reason}");
    }
    (converted, rejected)
}

#[test]
fn hand_written_workflows_agree_in_jsonpath() {
    let cases = hand_written_cases();
    let (converted, _) = report("hand-written", cases.iter().map(|c| c.workflow.name));
    let jsonpath_cases: Vec<Case> = cases
        .iter()
        .filter_map(|c| {
            jsonpath_of(&c.workflow).map(|w| Case {
                workflow: w,
                ..c.clone()
            })
        })
        .collect();
    let summary = run_cases(&jsonpath_cases);
    println!(
        "hand-written: {} JSONPath cases run, {} failing",
        summary.cases,
        summary.failures.len()
    );
    assert!(
        summary.failures.is_empty(),
        "{} of {} JSONPath cases disagree with the native run\n\n{}",
        summary.failures.len(),
        summary.cases,
        summary.failures.join("\n\n")
    );
    // The subset that converts today (tasks, catches, retries, Choices on literals, string building):
    // a regression in the conversion shows here.
    assert!(
        converted >= 8 && summary.cases >= 40,
        "only {converted} hand-written workflows ({} cases) convert",
        summary.cases
    );
}

#[test]
#[cfg_attr(
    not(feature = "generated"),
    ignore = "the corpus is built with the `generated` feature"
)]
fn generated_workflows_agree_in_jsonpath() {
    let workflows = generated::all();
    let (converted, rejected) = report("generated", workflows.iter().map(|w| w.workflow.name));
    let rt = runtime();
    let root = Rng::new(0x4a50_a7a5);
    let mut cases = 0;
    let mut mismatches = Vec::new();
    for (i, w) in workflows.iter().enumerate() {
        let Some(jp) = jsonpath_of(&w.workflow) else {
            continue;
        };
        let subject = Subject::new(jp);
        for j in 0..4u64 {
            let mut rng = root.fork(i as u64 * 100 + j);
            let input = draw_input(&mut rng, w);
            let behaviours = draw_behaviours(&mut rng);
            let c = rt.block_on(subject.compare(&input, &behaviours, CauseRule::Strict));
            cases += 1;
            if !c.is_match() {
                mismatches.push(c.to_string());
            }
        }
    }
    println!(
        "generated: {cases} JSONPath cases run, {} mismatches",
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {cases} generated JSONPath cases disagree with the native run:\n\n{}",
        mismatches.len(),
        mismatches.join("\n\n")
    );
    // The generator stresses arithmetic (`%`, `*`, the difference of two variables), which JSONPath
    // cannot compute; the few that convert must agree.
    assert!(
        converted >= 1 && cases >= 4,
        "none of the {} generated workflows converts",
        converted + rejected
    );
}

/// The states of a definition, nested ones included, by name.
fn all_states(def: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut stack = vec![def.clone()];
    while let Some(machine) = stack.pop() {
        for (name, state) in machine["States"].as_object().into_iter().flatten() {
            out.insert(name.clone(), state.clone());
            stack.extend(state["Branches"].as_array().into_iter().flatten().cloned());
            if state.get("ItemProcessor").is_some() {
                stack.push(state["ItemProcessor"].clone());
            }
        }
    }
    out
}

/// `#[workflow(query_language = "JSONPath")]` through the real macro and build driver: the embedded
/// definition is JSONPath (pinned where the conversion decides something), and every case agrees
/// natively and on the interpreter.
#[test]
fn workflows_written_for_jsonpath() {
    let checkout: Value = serde_json::from_str(jp_checkout::DEFINITION).unwrap();
    assert!(checkout.get("QueryLanguage").is_none(), "{checkout:#}");
    assert!(!jp_checkout::DEFINITION.contains("{%"), "{checkout:#}");
    let states = all_states(&checkout);
    // The loop: its list, the counter, and `len - index` kept beside them for the Choice.
    assert_eq!(
        states["Start"]["Assign"],
        json!({"item_index": 0, "item_index_left.$": "States.ArrayLength($.items)",
               "item_items.$": "$.items", "order.$": "$", "units": 0})
    );
    assert_eq!(
        states["For_item_in_order_items_clone"]["Choices"][0]["And"],
        json!([{"Variable": "$item_index_left", "NumericGreaterThan": 0}])
    );
    let reserve = &states["jp_reserve"];
    assert_eq!(
        reserve["Parameters"],
        json!({"FunctionName": "jp_reserve", "Payload.$": "$item"})
    );
    assert_eq!(
        reserve["Assign"],
        json!({"item_index.$": "States.MathAdd($item_index, 1)",
               "item_index_left.$": "States.MathAdd($item_index_left, -1)",
               "units.$": "States.MathAdd($units, $.Payload)"})
    );
    assert_eq!(reserve["Catch"][1]["Assign"], json!({"e.$": "$"}));
    assert_eq!(
        states["jp_notify"]["Parameters"]["Payload.$"],
        json!("States.Format('{} is busy, skipped', $item)")
    );
    assert_eq!(
        states["Fail"],
        json!({"Type": "Fail", "ErrorPath": "$e.Error", "CausePath": "$e.Cause"})
    );
    assert_eq!(
        states["Done"],
        json!({"Type": "Pass", "Parameters": {"id.$": "$order.id", "note.$": "$note", "units.$": "$units"}, "End": true})
    );

    let fanout: Value = serde_json::from_str(jp_fanout::DEFINITION).unwrap();
    let states = all_states(&fanout);
    assert_eq!(
        states["jp_reserve input"],
        json!({"Type": "Pass", "Assign": {"input.$": "$"}, "Next": "jp_reserve"})
    );
    assert_eq!(
        states["jp_reserve"]["ResultSelector"],
        json!({"value.$": "States.Format('{}: {}', $input, $.Payload)"})
    );
    assert_eq!(
        states["Parallel"]["ResultSelector"],
        json!({"lines.$": "$lines", "total.$": "States.MathAdd($[0], $[1])"})
    );

    // The same bytes as this test's own JSONPath compile of the source.
    for w in [
        WorkflowRef::of::<jp_checkout>(),
        WorkflowRef::of::<jp_fanout>(),
    ] {
        assert_eq!(jsonpath_of(&w).map(|j| j.definition), Some(w.definition));
    }
    assert_eq!(jp_checkout::NAME, "jp_checkout");
    assert_cases("jsonpath", &jsonpath::cases());
}

/// The workspace's `target/` (this crate's manifest is one level down).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

#[test]
fn converted_definitions_are_plain_jsonpath() {
    let dir = target_dir().join("stepmacro").join("jsonpath");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create target/stepmacro/jsonpath");
    let mut written = 0;
    for (name, c) in compiled() {
        let Ok(json) = &c.jsonpath else { continue };
        let machine = stepmacro_core::asl::StateMachine::from_json(json)
            .unwrap_or_else(|e| panic!("{name}: the JSONPath definition does not parse: {e}"));
        assert_eq!(
            machine.query_language(),
            stepmacro_core::asl::QueryLanguage::JsonPath,
            "{name}"
        );
        assert!(
            !json.contains("{%") && !json.contains("\"Arguments\"") && !json.contains("\"Output\""),
            "{name}: JSONata left in the JSONPath definition:\n{json}"
        );
        let problems: Vec<String> = stepmacro_core::asl::validate(&machine)
            .into_iter()
            .filter(|d| d.severity == stepmacro_core::asl::Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        std::fs::write(dir.join(format!("{name}.asl.json")), json).expect("write a definition");
        written += 1;
    }
    println!("wrote {written} JSONPath definitions to {}", dir.display());
    assert!(written > 0);
}

/// A sample of cases for `scripts/jsonpath-moto.sh` (only with `STEPMACRO_JSONPATH_MOTO_DIR`): each
/// case's JSONPath definition, input, `MOCKS.json` and the native result, after the embedded
/// interpreter agreed with it.
#[test]
fn export_jsonpath_sample_for_moto() {
    let Some(dir) = std::env::var_os("STEPMACRO_JSONPATH_MOTO_DIR") else {
        println!("STEPMACRO_JSONPATH_MOTO_DIR is not set: nothing written");
        return;
    };
    let size: usize = std::env::var("STEPMACRO_JSONPATH_MOTO_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let mut sample: Vec<(String, WorkflowRef, Value, Behaviours)> = Vec::new();
    let mut per_workflow: BTreeMap<&str, usize> = BTreeMap::new();
    let cases = jsonpath::cases().into_iter().chain(hand_written_cases());
    for (i, case) in cases.enumerate() {
        let Some(w) = jsonpath_of(&case.workflow) else {
            continue;
        };
        // Cases runnable on moto: MOCKS.json behaviours, no thrown `States.*` error (moto refuses
        // those names from a Lambda); at most two per workflow, to cover more of them.
        let expressible = case
            .behaviours
            .mocks_json()
            .is_some_and(|m| !m.to_string().contains("\"error\":\"States."));
        // moto and LocalStack lex an intrinsic's string literal from the raw JSON text, where the
        // escaping backslash is doubled, so `\'`, `\{`, `\}` and `\\` (ASL's escapes) come out wrong
        // there; the embedded interpreter reads them as the spec says (`jp_text` checks it).
        let escapes = w.definition.contains("\\\\");
        let n = per_workflow.entry(w.name).or_default();
        if expressible && !escapes && *n < 2 {
            *n += 1;
            sample.push((format!("{}-{i:03}", w.name), w, case.input, case.behaviours));
        }
    }
    sample.truncate(size);
    let dir = Path::new(&dir);
    let rt = runtime();
    for (name, w, input, behaviours) in &sample {
        let c = rt.block_on(Subject::new(*w).compare(input, behaviours, CauseRule::Strict));
        assert!(c.is_match(), "{name}:\n{c}");
        let expected = match &c.native {
            NativeResult::Returned(Ok(v)) => {
                json!({"workflow": w.name, "status": "SUCCEEDED", "output": v})
            }
            NativeResult::Returned(Err(f)) => {
                json!({"workflow": w.name, "status": "FAILED", "error": f.error, "cause": f.cause})
            }
            NativeResult::Panicked(m) => panic!("{name}: the native run panicked: {m}"),
        };
        let d = dir.join(name);
        std::fs::create_dir_all(&d).expect("create the case directory");
        let write = |file: &str, v: &Value| {
            let text = serde_json::to_string_pretty(v).expect("serialises") + "\n";
            std::fs::write(d.join(file), text).expect("write a case file");
        };
        std::fs::write(d.join("definition.asl.json"), w.definition).expect("write the definition");
        write("input.json", input);
        write("mocks.json", &behaviours.mocks_json().expect("expressible"));
        write("expected.json", &expected);
    }
    println!("wrote {} JSONPath cases to {}", sample.len(), dir.display());
}
