//! The `stepmacro` binary, run as a user runs it: every asl-check sample (when `../shared` is
//! there) and the committed fixtures reach their expected result; exit codes and one-line errors
//! for every way the inputs can be wrong; `validate` and `graph` output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_stepmacro");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(rel: &str) -> String {
    fixtures().join(rel).display().to_string()
}

/// Runs the binary with `args` and `stdin` (empty when `None`).
fn stepmacro_with_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the stepmacro binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    pipe.write_all(stdin.unwrap_or("").as_bytes())
        .expect("stdin is writable");
    drop(pipe);
    let out = child.wait_with_output().expect("stepmacro finishes");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Whatever happened, never a panic message, a backtrace hint or a Rust type name.
    for bad in ["panicked", "RUST_BACKTRACE", "Error {", "Os {", "kind:"] {
        assert!(
            !stderr.contains(bad),
            "stderr of {args:?} contains {bad:?}:\n{stderr}"
        );
    }
    out
}

fn stepmacro(args: &[&str]) -> Output {
    stepmacro_with_stdin(args, None)
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// The one JSON line `run` prints.
fn result(out: &Output) -> Value {
    serde_json::from_str(stdout(out).trim())
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(out)))
}

/// A file in this test binary's scratch directory.
fn scratch(name: &str, contents: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stepmacro-cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// Numeric-aware JSON equality (`42` equals `42.0`), as the interpreters may differ there.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Runs a sample-shaped directory (definition.asl.json, input.json, mocks.json, expected.json)
/// and returns the differences from expected.json's status/output/error/cause, and from the exit
/// code the status implies.
fn check_case(dir: &Path) -> Vec<String> {
    let def = dir.join("definition.asl.json").display().to_string();
    let input = dir.join("input.json").display().to_string();
    let mocks = dir.join("mocks.json").display().to_string();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let out = stepmacro(&[
        "run", &def, "--input", &input, "--mocks", &mocks, "--seed", "7",
    ]);
    let Ok(actual) = serde_json::from_str::<Value>(stdout(&out).trim()) else {
        return vec![format!(
            "no JSON result (exit {}):\n{}",
            code(&out),
            stderr(&out)
        )];
    };
    let mut diffs = Vec::new();
    for key in ["status", "output", "error", "cause"] {
        if let Some(want) = expected.get(key) {
            let got = actual.get(key).unwrap_or(&Value::Null);
            if !same(want, got) {
                diffs.push(format!("{key}: expected {want}, got {got}"));
            }
        }
    }
    let want_code = match expected["status"].as_str() {
        Some("SUCCEEDED") => 0,
        _ => 1,
    };
    if code(&out) != want_code {
        diffs.push(format!(
            "exit code: expected {want_code}, got {}",
            code(&out)
        ));
    }
    // The trace went to stderr and shows how the run ended.
    let end = if want_code == 0 {
        "ExecutionSucceeded"
    } else {
        "ExecutionFailed"
    };
    if !stderr(&out).contains(end) {
        diffs.push(format!("trace on stderr lacks {end}:\n{}", stderr(&out)));
    }
    diffs
}

/// Every directory under `root` that holds a sample.
fn cases(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("definition.asl.json").is_file() && p.join("expected.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn check_all(root: &Path) {
    let dirs = cases(root);
    assert!(!dirs.is_empty(), "no cases in {}", root.display());
    let mut failed = Vec::new();
    for dir in &dirs {
        let diffs = check_case(dir);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if diffs.is_empty() {
            eprintln!("ok   {name}");
        } else {
            failed.push(format!("{name}:\n  {}", diffs.join("\n  ")));
        }
    }
    eprintln!(
        "{}: {} passed, {} failed",
        root.display(),
        dirs.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn asl_check_samples_reach_their_expected_results() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/asl-check/samples");
    if !root.is_dir() {
        eprintln!("skipped: {} not found", root.display());
        return;
    }
    check_all(&root);
}

#[test]
fn committed_fixtures_reach_their_expected_results() {
    let dirs = cases(&fixtures());
    assert!(dirs.len() >= 3, "fixtures missing: {dirs:?}");
    check_all(&fixtures());
}

#[test]
fn success_prints_status_and_output_only() {
    let out = stepmacro(&[
        "run",
        &fixture("retry-then-success/definition.asl.json"),
        "--input",
        &fixture("retry-then-success/input.json"),
        "--mocks",
        &fixture("retry-then-success/mocks.json"),
        "--no-trace",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let r = result(&out);
    assert_eq!(r["status"], "SUCCEEDED");
    assert_eq!(
        r["output"]["payment"]["charge"],
        json!({"chargeId": "ch-9", "ok": true})
    );
    assert_eq!(
        r.as_object().unwrap().len(),
        2,
        "only status and output: {r}"
    );
    // Fixed key order: status first.
    assert!(
        stdout(&out).starts_with(r#"{"status":"SUCCEEDED","output":"#),
        "{}",
        stdout(&out)
    );
    assert_eq!(stderr(&out), "", "--no-trace prints nothing else");
}

#[test]
fn trace_goes_to_stderr_with_the_virtual_clock() {
    let out = stepmacro(&[
        "run",
        &fixture("retry-then-success/definition.asl.json"),
        "--input",
        &fixture("retry-then-success/input.json"),
        "--mocks",
        &fixture("retry-then-success/mocks.json"),
        "--seed",
        "1",
    ]);
    assert_eq!(code(&out), 0);
    let trace = stderr(&out);
    for event in [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskFailed",
        "TaskSucceeded",
        "ExecutionSucceeded",
    ] {
        assert!(trace.contains(event), "trace lacks {event}:\n{trace}");
    }
    assert_eq!(
        trace.matches("TaskFailed").count(),
        2,
        "two failed attempts before success:\n{trace}"
    );
    assert!(
        !stdout(&out).contains("ExecutionStarted"),
        "the trace is not on stdout"
    );
}

#[test]
fn a_failed_execution_exits_1_with_error_and_cause() {
    let out = stepmacro(&[
        "run",
        &fixture("fail-state/definition.asl.json"),
        "--input",
        &fixture("fail-state/input.json"),
        "--no-trace",
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        result(&out),
        json!({"status": "FAILED", "error": "InvalidAmount", "cause": "amount must not be negative"})
    );
}

#[test]
fn input_from_stdin_and_default_input() {
    let def = fixture("fail-state/definition.asl.json");
    let out = stepmacro_with_stdin(
        &["run", &def, "--input", "-", "--no-trace"],
        Some(r#"{"amount": 0, "orderId": "o-0"}"#),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        result(&out),
        json!({"status": "SUCCEEDED", "output": "o-0"})
    );

    // No --input: `{}`, on which the Choice's `$.amount` is a runtime error (an execution failure).
    let out = stepmacro(&["run", &def, "--no-trace"]);
    assert_eq!(code(&out), 1);
    assert_eq!(result(&out)["error"], "States.Runtime");
}

#[test]
fn a_timed_out_execution_exits_1() {
    let def = scratch(
        "timeout.asl.json",
        r#"{"StartAt": "W", "TimeoutSeconds": 60, "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}"#,
    );
    let out = stepmacro(&["run", &def]);
    assert_eq!(code(&out), 1);
    let r = result(&out);
    assert_eq!(r["status"], "TIMED_OUT");
    assert_eq!(r["error"], "States.Timeout");
    assert!(
        stderr(&out).contains("ExecutionTimedOut"),
        "{}",
        stderr(&out)
    );
}

/// Asserts exit 2, nothing on stdout, and exactly one stderr line equal to / containing `line`.
fn assert_one_line_error(out: &Output, expected: impl Fn(&str) -> bool) {
    assert_eq!(code(out), 2, "stderr: {}", stderr(out));
    assert_eq!(stdout(out), "", "nothing on stdout");
    let err = stderr(out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{err}");
    assert!(lines[0].starts_with("stepmacro: "), "{err}");
    assert!(expected(lines[0]), "unexpected message: {err}");
}

#[test]
fn a_missing_definition_is_one_clear_line() {
    let out = stepmacro(&["run", "no-such-file.json"]);
    assert_one_line_error(&out, |l| {
        l == "stepmacro: cannot read `no-such-file.json`: No such file or directory"
    });
}

#[test]
fn a_missing_input_or_mocks_file_is_one_clear_line() {
    let def = fixture("fail-state/definition.asl.json");
    let out = stepmacro(&["run", &def, "--input", "missing-input.json"]);
    assert_one_line_error(&out, |l| {
        l == "stepmacro: cannot read `missing-input.json`: No such file or directory"
    });
    let out = stepmacro(&["run", &def, "--mocks", "missing-mocks.json"]);
    assert_one_line_error(&out, |l| {
        l == "stepmacro: cannot read `missing-mocks.json`: No such file or directory"
    });
    let out = stepmacro(&["run", env!("CARGO_MANIFEST_DIR")]);
    assert_one_line_error(&out, |l| l.ends_with(": it is a directory"));
}

#[test]
fn bad_json_is_one_clear_line() {
    let bad = scratch("bad.json", "{\"StartAt\": ");
    let out = stepmacro(&["run", &bad]);
    assert_one_line_error(&out, |l| {
        l.contains("bad.json` is not valid JSON: EOF while parsing")
    });
    let def = fixture("fail-state/definition.asl.json");
    let out = stepmacro(&["run", &def, "--input", &bad]);
    assert_one_line_error(&out, |l| l.contains("bad.json` is not valid JSON"));
    let out = stepmacro(&["run", &def, "--mocks", &bad]);
    assert_one_line_error(&out, |l| l.contains("bad.json`: invalid mocks file"));
}

#[test]
fn an_unusable_mocks_file_is_one_clear_line() {
    let mocks = scratch("py-mocks.json", r#"{"chargeCard": {"py": "{'ok': True}"}}"#);
    let out = stepmacro(&[
        "run",
        &fixture("retry-then-success/definition.asl.json"),
        "--mocks",
        &mocks,
    ]);
    assert_one_line_error(&out, |l| {
        l.contains(r#"invalid mock "chargeCard""#) && l.contains("use \"jsonata\"")
    });
}

#[test]
fn an_invalid_definition_exits_2_naming_state_and_rule() {
    let out = stepmacro(&["run", &fixture("invalid/missing-next.asl.json")]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains("is not a valid state machine (2 errors)"),
        "{err}"
    );
    assert!(
        err.contains(r#"state "A": Next "B" does not name a state in this scope (rule 4"#),
        "{err}"
    );
    assert!(err.lines().all(|l| l.starts_with("stepmacro: ")), "{err}");

    let out = stepmacro(&["run", &fixture("invalid/unknown-field.asl.json")]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown field `Foo`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_mock_exits_2_with_a_hint() {
    let out = stepmacro(&[
        "run",
        &fixture("retry-then-success/definition.asl.json"),
        "--input",
        &fixture("retry-then-success/input.json"),
    ]);
    assert_eq!(code(&out), 2);
    let r = result(&out);
    assert_eq!(r["error"], "Harness.NoMock");
    let err = stderr(&out);
    assert!(err.contains("test-harness error"), "{err}");
    assert!(err.contains("pass --mocks FILE"), "{err}");
}

#[test]
fn an_exhausted_mock_list_exits_2() {
    // Retried on PaymentError.Transient, but the list has a single answer.
    let mocks = scratch(
        "short-mocks.json",
        r#"{"chargeCard": [{"throw": {"error": "PaymentError.Transient", "cause": "gateway timeout"}}]}"#,
    );
    let out = stepmacro(&[
        "run",
        &fixture("retry-then-success/definition.asl.json"),
        "--input",
        &fixture("retry-then-success/input.json"),
        "--mocks",
        &mocks,
        "--no-trace",
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(result(&out)["error"], "Harness.MockExhausted");
    assert!(
        !stderr(&out).contains("--mocks FILE"),
        "no hint when mocks were given"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(code(&stepmacro(&[])), 2);
    assert_eq!(code(&stepmacro(&["run"])), 2);
    assert_eq!(
        code(&stepmacro(&["run", "x.json", "--seed", "minus-one"])),
        2
    );
    assert_eq!(code(&stepmacro(&["validate"])), 2);
    assert_eq!(code(&stepmacro(&["frobnicate"])), 2);
    let help = stepmacro(&["run", "--help"]);
    assert_eq!(code(&help), 0);
    for flag in ["--input", "--mocks", "--real-time", "--seed", "--no-trace"] {
        assert!(stdout(&help).contains(flag), "help lacks {flag}");
    }
}

#[test]
fn real_time_runs_a_short_definition() {
    let def = scratch(
        "short-wait.asl.json",
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "P"}, "P": {"Type": "Pass", "Result": 1, "End": true}}}"#,
    );
    let started = std::time::Instant::now();
    let out = stepmacro(&["run", &def, "--real-time", "--no-trace"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(result(&out), json!({"status": "SUCCEEDED", "output": 1}));
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "the Wait slept for real"
    );
}

#[test]
fn validate_reports_each_finding_and_exits_1() {
    let out = stepmacro(&[
        "validate",
        &fixture("invalid/missing-next.asl.json"),
        &fixture("fail-state/definition.asl.json"),
    ]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("FAIL ") && lines[0].ends_with("missing-next.asl.json"),
        "{text}"
    );
    assert!(
        lines[1].contains(r#"state "A": Next "B" does not name a state in this scope (rule 4:"#),
        "{text}"
    );
    assert!(
        lines[2].contains("no terminal state") && lines[2].contains("(rule 6:"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("PASS ") && lines[3].ends_with("definition.asl.json"),
        "{text}"
    );
    assert_eq!(lines.last().unwrap(), &"validate: 1 valid, 1 invalid");
}

#[test]
fn validate_all_valid_exits_0() {
    let defs: Vec<String> = ["retry-then-success", "fail-state", "jsonata-map-catch"]
        .iter()
        .map(|d| fixture(&format!("{d}/definition.asl.json")))
        .collect();
    let mut args = vec!["validate"];
    args.extend(defs.iter().map(String::as_str));
    let out = stepmacro(&args);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(stdout(&out).matches("PASS ").count(), 3);
    assert!(stdout(&out).ends_with("validate: 3 valid, 0 invalid\n"));
}

#[test]
fn validate_with_an_unreadable_file_exits_2_and_checks_the_rest() {
    let out = stepmacro(&[
        "validate",
        "gone.json",
        &fixture("invalid/unknown-field.asl.json"),
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "stepmacro: cannot read `gone.json`: No such file or directory\n"
    );
    let text = stdout(&out);
    assert!(
        text.contains("FAIL ") && text.contains("unknown field `Foo`") && text.contains("(rule 2:"),
        "{text}"
    );
    assert!(
        text.ends_with("validate: 0 valid, 1 invalid, 1 unreadable\n"),
        "{text}"
    );
}

#[test]
fn graph_prints_mermaid_by_default_and_dot_on_request() {
    let def = fixture("jsonata-map-catch/definition.asl.json");
    let machine: Value = serde_json::from_str(&std::fs::read_to_string(&def).unwrap()).unwrap();
    let top_states: Vec<&String> = machine["States"].as_object().unwrap().keys().collect();

    let out = stepmacro(&["graph", &def]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mermaid = stdout(&out);
    assert!(mermaid.starts_with("flowchart TD\n"), "{mermaid}");
    assert!(
        mermaid.contains("subgraph"),
        "the Map's processor is a subgraph:\n{mermaid}"
    );
    for name in &top_states {
        assert!(
            mermaid.contains(&format!("\"{name}\"")),
            "no box for {name}:\n{mermaid}"
        );
    }

    let out = stepmacro(&["graph", &def, "--dot"]);
    assert_eq!(code(&out), 0);
    let dot = stdout(&out);
    assert!(dot.starts_with("digraph "), "{dot}");
    assert!(dot.trim_end().ends_with('}'), "{dot}");
    assert!(dot.contains("subgraph cluster"), "{dot}");
}

#[test]
fn graph_of_a_bad_file_is_one_clear_line() {
    assert_one_line_error(&stepmacro(&["graph", "absent.json"]), |l| {
        l == "stepmacro: cannot read `absent.json`: No such file or directory"
    });
    let bad = scratch("not-a-machine.json", r#"{"States": {}}"#);
    assert_one_line_error(&stepmacro(&["graph", &bad]), |l| {
        l.contains("not-a-machine.json` is not a state machine: ")
    });
}
