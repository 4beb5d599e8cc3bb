//! One invocation: payload in, response or named Lambda error out, whatever the task does.

use std::any::Any;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use lambda_runtime::Diagnostic;
use serde_json::Value;

use crate::Failure;
use crate::task::TaskHandle;

use super::diagnostic::failure_to_diagnostic;
use super::event::Payload;
use super::{INVALID_INPUT, PANIC};

/// Runs one invocation of `handle`: the response value, or the Lambda error to report.
///
/// Never panics and never returns lambda_runtime's default error names: a task error keeps its ASL
/// name, a malformed payload is [`INVALID_INPUT`], a panic (while building the future or while polling
/// it) is [`PANIC`] with the panic message. Catching the panic here rather than in lambda_runtime's own
/// panic layer is what gives it a name a `Catch` can match.
pub async fn invoke(handle: TaskHandle, payload: impl Into<Payload>) -> Result<Value, Diagnostic> {
    let value = match payload.into() {
        Payload::Json(value) => value,
        Payload::NotJson(msg) => {
            return Err(failure_to_diagnostic(Failure::new(
                INVALID_INPUT,
                format!("the payload is not JSON: {msg}"),
            )));
        }
    };
    let future = match std::panic::catch_unwind(AssertUnwindSafe(|| (handle.invoke)(value))) {
        Ok(future) => future,
        Err(panic) => return Err(panic_diagnostic(handle, &*panic)),
    };
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(failure)) => Err(failure_to_diagnostic(failure)),
        Err(panic) => Err(panic_diagnostic(handle, &*panic)),
    }
}

fn panic_diagnostic(handle: TaskHandle, panic: &(dyn Any + Send)) -> Diagnostic {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(the panic payload is not a string)");
    Diagnostic {
        error_type: PANIC.to_owned(),
        error_message: format!("task `{}` panicked: {message}", handle.name),
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;
    use crate::TaskError;
    use crate::task::{BoxFuture, Task, decode_payload};

    /// `add(a: i64, b: i64)`: two parameters, so the payload is an object keyed by their names.
    struct Add;

    #[derive(Serialize, Deserialize)]
    struct AddPayload {
        a: i64,
        b: i64,
    }

    #[derive(Debug)]
    struct Overflow;
    impl std::fmt::Display for Overflow {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the sum does not fit in an i64")
        }
    }
    impl TaskError for Overflow {
        fn error_name(&self) -> std::borrow::Cow<'static, str> {
            "AddError.Overflow".into()
        }
    }

    impl Task for Add {
        const NAME: &'static str = "add";
        const FUNCTION_NAME: &'static str = "add";
        type Args = (i64, i64);
        type Output = i64;
        type Returned = Result<i64, Failure>;

        fn call((a, b): (i64, i64)) -> BoxFuture<'static, Result<i64, Failure>> {
            Box::pin(async move {
                if a == 0 && b == 0 {
                    panic!("deliberate: zero plus zero");
                }
                a.checked_add(b)
                    .ok_or_else(|| Failure::from_task_error(&Overflow))
            })
        }
        fn payload((a, b): &(i64, i64)) -> Result<Value, Failure> {
            serde_json::to_value(AddPayload { a: *a, b: *b })
                .map_err(|e| Failure::new(INVALID_INPUT, e.to_string()))
        }
        fn args_from_payload(payload: Value) -> Result<(i64, i64), Failure> {
            decode_payload::<AddPayload>(payload).map(|p| (p.a, p.b))
        }
        fn adapt(result: Result<i64, Failure>) -> Result<Result<i64, Failure>, Failure> {
            Ok(result)
        }
    }

    /// Silences the panics these tests cause on purpose (their messages say "deliberate"); any other
    /// panic, such as a failed assertion, still reaches the previous hook.
    fn quiet<T>(f: impl FnOnce() -> T) -> T {
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let msg = info.payload().downcast_ref::<String>().map(String::as_str);
                let msg = msg
                    .or_else(|| info.payload().downcast_ref::<&str>().copied())
                    .unwrap_or("");
                if !msg.contains("deliberate") {
                    previous(info);
                }
            }));
        });
        f()
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn success_is_the_output() {
        assert_eq!(
            block_on(invoke(Add::handle(), json!({"a": 2, "b": 3}))).unwrap(),
            json!(5)
        );
    }

    #[test]
    fn task_error_keeps_its_asl_name_and_display_text() {
        let d = block_on(invoke(Add::handle(), json!({"a": i64::MAX, "b": 1}))).unwrap_err();
        assert_eq!(d.error_type, "AddError.Overflow");
        assert_eq!(d.error_message, "the sum does not fit in an i64");
    }

    #[test]
    fn malformed_payload_names_the_field_and_type() {
        let d = block_on(invoke(Add::handle(), json!({"a": 1, "b": "two"}))).unwrap_err();
        assert_eq!(d.error_type, INVALID_INPUT);
        assert!(
            d.error_message.contains("`b`") && d.error_message.contains("expected i64"),
            "{}",
            d.error_message
        );
        let d = block_on(invoke(Add::handle(), json!({"a": 1}))).unwrap_err();
        assert_eq!(d.error_type, INVALID_INPUT);
        assert!(
            d.error_message.contains("missing field `b`"),
            "{}",
            d.error_message
        );
        let d = block_on(invoke(
            Add::handle(),
            Payload::NotJson("expected value at line 1 column 1".into()),
        ))
        .unwrap_err();
        assert_eq!(d.error_type, INVALID_INPUT);
        assert_eq!(
            d.error_message,
            "the payload is not JSON: expected value at line 1 column 1"
        );
    }

    #[test]
    fn panic_while_polling_is_named() {
        let d = quiet(|| block_on(invoke(Add::handle(), json!({"a": 0, "b": 0})))).unwrap_err();
        assert_eq!(d.error_type, PANIC);
        assert_eq!(
            d.error_message,
            "task `add` panicked: deliberate: zero plus zero"
        );
    }

    #[test]
    fn panic_while_building_the_future_is_named() {
        let handle = TaskHandle {
            name: "eager",
            function_name: "eager",
            invoke: |v| panic!("deliberate: refusing {v}"),
        };
        let d = quiet(|| block_on(invoke(handle, json!(7)))).unwrap_err();
        assert_eq!(d.error_type, PANIC);
        assert_eq!(
            d.error_message,
            "task `eager` panicked: deliberate: refusing 7"
        );
    }

    /// `logError(failure: Failure)`: what a Step Functions Catch hands over is `{"Error", "Cause"}` with
    /// a Lambda error's Cause being JSON text; the native value serialises to the same shape.
    struct LogError;
    impl Task for LogError {
        const NAME: &'static str = "logError";
        const FUNCTION_NAME: &'static str = "logError";
        type Args = (Failure,);
        type Output = String;
        type Returned = String;
        fn call((f,): (Failure,)) -> BoxFuture<'static, Result<String, Failure>> {
            Box::pin(async move { Ok(format!("{} / {}", f.error, f.cause)) })
        }
        fn payload((f,): &(Failure,)) -> Result<Value, Failure> {
            serde_json::to_value(f).map_err(|e| Failure::new(INVALID_INPUT, e.to_string()))
        }
        fn args_from_payload(payload: Value) -> Result<(Failure,), Failure> {
            decode_payload(payload).map(|f| (f,))
        }
        fn adapt(result: Result<String, Failure>) -> Result<String, Failure> {
            result
        }
    }

    #[test]
    fn failure_parameter_accepts_a_catch_output() {
        let cause = r#"{"errorType":"ApiError.Timeout","errorMessage":"upstream timed out"}"#;
        let catch_output = json!({"Error": "ApiError.Timeout", "Cause": cause});
        let out = block_on(invoke(LogError::handle(), catch_output)).unwrap();
        assert_eq!(out, json!(format!("ApiError.Timeout / {cause}")));

        // The native value (what a workflow passes in a native run) has the same serde form.
        let native = Failure::from_task_error(&Overflow);
        let payload = LogError::payload(&(native.clone(),)).unwrap();
        assert_eq!(
            payload,
            json!({"Error": "AddError.Overflow", "Cause": native.cause})
        );
        let out = block_on(invoke(LogError::handle(), payload)).unwrap();
        assert_eq!(out, json!(format!("AddError.Overflow / {}", native.cause)));

        // States.* errors from the platform may come without a Cause.
        let out = block_on(invoke(
            LogError::handle(),
            json!({"Error": "States.Timeout"}),
        ))
        .unwrap();
        assert_eq!(out, json!("States.Timeout / "));

        let d = block_on(invoke(LogError::handle(), json!({"Cause": "no name"}))).unwrap_err();
        assert_eq!(d.error_type, INVALID_INPUT);
        assert!(
            d.error_message.contains("missing field `Error`"),
            "{}",
            d.error_message
        );
    }
}
