//! `serve::run` driven through lambda_runtime's real loop against a Runtime API server in this process:
//! success, a task error, a panic, malformed payloads, and 1,000 invocations with 10% faults, every one
//! answered exactly once with the right body or `errorType`.
//!
//! One test per binary: lambda_runtime reads its configuration from the process environment, which is
//! set once, before any thread starts.

mod serve_support;

use std::borrow::Cow;
use std::fmt;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use serve_support::{Answer, RuntimeApi};
use stepmacro_runtime::__private::decode_payload;
use stepmacro_runtime::serve::{self, INVALID_INPUT, PANIC};
use stepmacro_runtime::{Failure, Task, TaskError, TaskHandle};

const FUNCTION_NAME: &str = "stepmacro-test-worker";

/// `worker(job: Job) -> Result<Done, WorkerError>`, written out as `#[task]` would generate it.
struct Worker;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Ok,
    Fail,
    Panic,
}

#[derive(Serialize, Deserialize)]
struct Job {
    n: u64,
    mode: Mode,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Done {
    n: u64,
    doubled: u64,
}

enum WorkerError {
    Rejected { n: u64 },
}

impl fmt::Display for WorkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkerError::Rejected { n } => write!(f, "job {n} rejected: \"quotes\" and \\ survive"),
        }
    }
}

impl TaskError for WorkerError {
    fn error_name(&self) -> Cow<'static, str> {
        match self {
            WorkerError::Rejected { .. } => "WorkerError.Rejected".into(),
        }
    }
}

async fn worker(job: Job) -> Result<Done, WorkerError> {
    match job.mode {
        Mode::Ok => Ok(Done {
            n: job.n,
            doubled: job.n * 2,
        }),
        Mode::Fail => Err(WorkerError::Rejected { n: job.n }),
        Mode::Panic => panic!("deliberate panic on job {}", job.n),
    }
}

impl Task for Worker {
    const NAME: &'static str = "worker";
    const FUNCTION_NAME: &'static str = FUNCTION_NAME;
    type Args = (Job,);
    type Output = Done;
    type Returned = Result<Done, Failure>;

    fn call(
        (job,): (Job,),
    ) -> stepmacro_runtime::__private::BoxFuture<'static, Result<Done, Failure>> {
        Box::pin(async move { worker(job).await.map_err(|e| Failure::from_task_error(&e)) })
    }
    fn payload((job,): &(Job,)) -> Result<Value, Failure> {
        serde_json::to_value(job).map_err(|e| Failure::new(INVALID_INPUT, e.to_string()))
    }
    fn args_from_payload(payload: Value) -> Result<(Job,), Failure> {
        decode_payload(payload).map(|job| (job,))
    }
    fn adapt(result: Result<Done, Failure>) -> Result<Self::Returned, Failure> {
        Ok(result)
    }
}

/// Another task in the same binary, deployed under another name: must not be the one served.
fn other_task() -> TaskHandle {
    TaskHandle {
        name: "other",
        function_name: "arn:aws:lambda:us-east-1:123456789012:function:stepmacro-test-other",
        invoke: |_| Box::pin(async { Ok(json!("wrong task")) }),
    }
}

fn expect_error(answer: &Answer, error_type: &str) -> (String, String) {
    match answer {
        Answer::Error {
            error_type: t,
            error_message,
            body,
            header,
        } => {
            assert_eq!(t, error_type, "{body}");
            assert_eq!(header.as_deref(), Some("unhandled"));
            (error_message.clone(), body.clone())
        }
        Answer::Response(v) => panic!("expected {error_type}, got the response {v}"),
    }
}

#[test]
fn lambda_runtime_loop_serves_worker() {
    serve_support::quiet_deliberate_panics();
    let listener = serve_support::bind();
    serve_support::set_lambda_env(&listener, FUNCTION_NAME);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let api = RuntimeApi::start(listener, FUNCTION_NAME);
        let server = tokio::spawn(async { serve::run(&[other_task(), Worker::handle()]).await });

        // Success: the output, serialised.
        let answer = api.call(r#"{"n": 21, "mode": "ok"}"#).await;
        assert_eq!(answer, Answer::Response(json!({"n": 21, "doubled": 42})));

        // A task error: errorType is the ASL name, and the posted body (Step Functions' Cause) is
        // byte-identical to the native Failure's cause.
        let answer = api.call(r#"{"n": 5, "mode": "fail"}"#).await;
        let (message, body) = expect_error(&answer, "WorkerError.Rejected");
        let native = Failure::from_task_error(&WorkerError::Rejected { n: 5 });
        assert_eq!(message, WorkerError::Rejected { n: 5 }.to_string());
        assert_eq!(body, native.cause);
        println!("task error   -> {body}");

        // A panic: a named error, and the loop goes on.
        let answer = api.call(r#"{"n": 9, "mode": "panic"}"#).await;
        let (message, body) = expect_error(&answer, PANIC);
        assert_eq!(message, "task `worker` panicked: deliberate panic on job 9");
        println!("panic        -> {body}");

        // Malformed payloads: stepmacro.InvalidInput naming the field and the type.
        let (message, body) = expect_error(&api.call(r#"{"n": "nine", "mode": "ok"}"#).await, INVALID_INPUT);
        assert!(message.contains("`n`") && message.contains("expected u64"), "{message}");
        println!("wrong type   -> {body}");
        let (message, _) = expect_error(&api.call(r#"{"n": 1, "mode": "explode"}"#).await, INVALID_INPUT);
        assert!(message.contains("`mode`") && message.contains("unknown variant `explode`"), "{message}");
        let (message, _) = expect_error(&api.call(r#"{"mode": "ok"}"#).await, INVALID_INPUT);
        assert!(message.contains("missing field `n`"), "{message}");
        let (message, body) = expect_error(&api.call("not json at all").await, INVALID_INPUT);
        assert!(message.starts_with("the payload is not JSON: expected"), "{message}");
        println!("not JSON     -> {body}");

        // Still serving after all of that.
        assert_eq!(api.call(r#"{"n": 1, "mode": "ok"}"#).await, Answer::Response(json!({"n": 1, "doubled": 2})));

        // 1,000 invocations, 10% faults in a fixed pattern (a task error, a panic, a malformed payload in
        // every 30), all queued at once; each must be answered exactly once with its own result.
        const N: u64 = 1_000;
        let started = Instant::now();
        let pending: Vec<_> = (0..N)
            .map(|i| {
                let body = match i % 30 {
                    3 => json!({"n": i, "mode": "fail"}),
                    13 => json!({"n": i, "mode": "panic"}),
                    23 => json!({"n": format!("#{i}"), "mode": "ok"}),
                    _ => json!({"n": i, "mode": "ok"}),
                };
                let (id, rx) = api.invoke(body.to_string());
                (i, id, rx)
            })
            .collect();
        let (mut ok, mut failed, mut panicked, mut invalid) = (0, 0, 0, 0);
        let mut ids = Vec::new();
        for (i, id, rx) in pending {
            let answer = tokio::time::timeout(std::time::Duration::from_secs(120), rx)
                .await
                .unwrap_or_else(|_| panic!("invocation {i} ({id}) lost"))
                .unwrap_or_else(|_| panic!("invocation {i} ({id}) dropped"));
            match i % 30 {
                3 => {
                    let (_, body) = expect_error(&answer, "WorkerError.Rejected");
                    assert_eq!(body, Failure::from_task_error(&WorkerError::Rejected { n: i }).cause);
                    failed += 1;
                }
                13 => {
                    let (message, _) = expect_error(&answer, PANIC);
                    assert_eq!(message, format!("task `worker` panicked: deliberate panic on job {i}"));
                    panicked += 1;
                }
                23 => {
                    let (message, _) = expect_error(&answer, INVALID_INPUT);
                    assert!(message.contains("`n`"), "{message}");
                    invalid += 1;
                }
                _ => {
                    assert_eq!(answer, Answer::Response(json!({"n": i, "doubled": 2 * i})), "invocation {i}");
                    ok += 1;
                }
            }
            ids.push(id);
        }
        let elapsed = started.elapsed();

        // Exactly once, over the whole test: every id issued was answered once, nothing else was.
        let counts = api.answer_counts();
        let issued = api.issued();
        for id in &issued {
            assert_eq!(counts.get(id), Some(&1), "{id} answered {:?} times", counts.get(id));
        }
        assert_eq!(counts.len(), issued.len(), "answers for request ids never issued");
        assert_eq!(ids.len() as u64, N);
        assert!(!server.is_finished(), "serve::run stopped");

        let faults = failed + panicked + invalid;
        println!(
            "1,000 invocations through lambda_runtime: {ok} ok, {failed} task errors, {panicked} panics, \
             {invalid} invalid payloads ({faults} faults = {:.1}%), 0 lost, 0 duplicated; \
             {:.0} ms, {:.0} invocations/s, {} `next` polls",
            100.0 * faults as f64 / N as f64,
            elapsed.as_secs_f64() * 1e3,
            N as f64 / elapsed.as_secs_f64(),
            api.next_calls(),
        );
        assert_eq!((ok, failed, panicked, invalid), (900, 34, 33, 33));
        server.abort();
    });
}
