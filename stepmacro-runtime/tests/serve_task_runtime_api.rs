//! `serve::serve_task::<T>()` (one binary per task) through lambda_runtime's real loop, with a task
//! that takes a `Failure`: it must accept what a Step Functions `Catch` hands over. Also the startup
//! error of a dispatcher binary deployed under a name it does not serve.
//!
//! One test per binary: lambda_runtime reads its configuration from the process environment, which is
//! set once, before any thread starts.

mod serve_support;

use serde_json::{Value, json};
use serve_support::{Answer, RuntimeApi};
use stepmacro_runtime::__private::{BoxFuture, decode_payload};
use stepmacro_runtime::serve::{self, INVALID_INPUT, ServeError};
use stepmacro_runtime::{Failure, Task, TaskHandle, lambda_cause};

/// `logError(failure: Failure) -> String`, as `#[task]` would generate it.
#[allow(non_camel_case_types)]
struct logError;

impl Task for logError {
    const NAME: &'static str = "logError";
    const FUNCTION_NAME: &'static str = "logError";
    type Args = (Failure,);
    type Output = String;
    type Returned = String;

    fn call((failure,): (Failure,)) -> BoxFuture<'static, Result<String, Failure>> {
        Box::pin(async move { Ok(format!("logged {}: {}", failure.error, failure.cause)) })
    }
    fn payload((failure,): &(Failure,)) -> Result<Value, Failure> {
        serde_json::to_value(failure).map_err(|e| Failure::new(INVALID_INPUT, e.to_string()))
    }
    fn args_from_payload(payload: Value) -> Result<(Failure,), Failure> {
        decode_payload(payload).map(|f| (f,))
    }
    fn adapt(result: Result<String, Failure>) -> Result<String, Failure> {
        result
    }
}

fn unrelated(name: &'static str) -> TaskHandle {
    TaskHandle {
        name,
        function_name: name,
        invoke: |_| Box::pin(async { Ok(Value::Null) }),
    }
}

#[test]
fn serve_task_accepts_catch_output() {
    let listener = serve_support::bind();
    serve_support::set_lambda_env(&listener, "logError");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        // A dispatcher without a task for this function name refuses to start, and says why.
        let err = serve::run(&[unrelated("callExternalApi"), unrelated("validateOrder")])
            .await
            .unwrap_err();
        assert!(matches!(err, ServeError::UnknownFunction { .. }));
        let text = err.to_string();
        assert!(
            text.contains("`logError`") && text.contains("`callExternalApi`, `validateOrder`"),
            "{text}"
        );
        println!("startup error -> {text}");

        let api = RuntimeApi::start(listener, "logError");
        let server = tokio::spawn(serve::serve_task::<logError>());

        // What a Catch passes on AWS after a Lambda task error: Cause is the error payload as JSON text.
        let cause = lambda_cause("ApiError.Timeout", "upstream timed out after 3 attempts");
        let catch_output = json!({"Error": "ApiError.Timeout", "Cause": cause});
        let answer = api.call(catch_output.to_string()).await;
        assert_eq!(
            answer,
            Answer::Response(json!(format!("logged ApiError.Timeout: {cause}")))
        );

        // The native value serialises to the same shape.
        let native = Failure::new("Order.Invalid", "total is negative");
        let payload = logError::payload(&(native,)).unwrap();
        assert_eq!(
            payload,
            json!({"Error": "Order.Invalid", "Cause": "total is negative"})
        );
        let answer = api.call(payload.to_string()).await;
        assert_eq!(
            answer,
            Answer::Response(json!("logged Order.Invalid: total is negative"))
        );

        // A platform error may come without a Cause.
        let answer = api.call(r#"{"Error": "States.Timeout"}"#).await;
        assert_eq!(answer, Answer::Response(json!("logged States.Timeout: ")));

        // Not a Failure: stepmacro.InvalidInput naming the field.
        match api.call(r#"{"Cause": "no name"}"#).await {
            Answer::Error {
                error_type,
                error_message,
                ..
            } => {
                assert_eq!(error_type, INVALID_INPUT);
                assert!(
                    error_message.contains("missing field `Error`"),
                    "{error_message}"
                );
            }
            other => panic!("{other:?}"),
        }
        match api.call(r#"{"Error": 42, "Cause": ""}"#).await {
            Answer::Error {
                error_type,
                error_message,
                ..
            } => {
                assert_eq!(error_type, INVALID_INPUT);
                assert!(
                    error_message.contains("`Error`")
                        && error_message.contains("expected a string"),
                    "{error_message}"
                );
            }
            other => panic!("{other:?}"),
        }

        let counts = api.answer_counts();
        assert!(
            api.issued().iter().all(|id| counts.get(id) == Some(&1)),
            "{counts:?}"
        );
        assert!(!server.is_finished(), "serve_task stopped");
        server.abort();
    });
}
