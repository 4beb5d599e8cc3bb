//! [`Failure`] → lambda_runtime [`Diagnostic`], so that Step Functions' `Cause` equals the native one.

use lambda_runtime::Diagnostic;

use crate::{Failure, lambda_cause};

/// The Lambda error a [`Failure`] is reported as: `errorType` is the ASL error name, `errorMessage` the
/// task error's `Display` text.
///
/// [`Failure::from_task_error`] stores the cause as the Lambda error payload Step Functions would
/// record (`{"errorType":..,"errorMessage":..}`). Posting that cause as `errorMessage` would wrap it a
/// second time on AWS, so the original message is recovered with [`lambda_error_message`]. A cause of
/// any other shape (a `Failure::new("Name", "plain text")` returned by a task, a decoding error) is the
/// message as it is; on AWS it then arrives wrapped, as Lambda wraps every function error.
pub fn failure_to_diagnostic(failure: Failure) -> Diagnostic {
    let error_message =
        lambda_error_message(&failure.error, &failure.cause).unwrap_or(failure.cause);
    Diagnostic {
        error_type: failure.error,
        error_message,
    }
}

/// The inverse of [`lambda_cause`]: the `errorMessage` of a cause that `lambda_cause(error_type, m)`
/// produced, byte for byte; `None` for any other text (so a user's cause that merely looks like a Lambda
/// payload, with other keys, spacing or error type, is never rewritten).
pub fn lambda_error_message(error_type: &str, cause: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct LambdaError {
        #[serde(rename = "errorType")]
        error_type: String,
        #[serde(rename = "errorMessage")]
        error_message: String,
    }
    let parsed: LambdaError = serde_json::from_str(cause).ok()?;
    (parsed.error_type == error_type && lambda_cause(error_type, &parsed.error_message) == cause)
        .then_some(parsed.error_message)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::fmt;

    use super::*;
    use crate::TaskError;

    struct ApiError(&'static str);
    impl fmt::Display for ApiError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }
    impl TaskError for ApiError {
        fn error_name(&self) -> Cow<'static, str> {
            Cow::Borrowed("ApiError.Timeout")
        }
    }

    #[test]
    fn task_errors_post_their_display_text_and_aws_rebuilds_the_native_cause() {
        for msg in [
            "upstream timed out",
            "",
            "quotes \" and \\ and\nnewlines and {\"json\":1} and ünïcode",
        ] {
            let native = Failure::from_task_error(&ApiError(msg));
            let d = failure_to_diagnostic(native.clone());
            assert_eq!(d.error_type, "ApiError.Timeout");
            assert_eq!(d.error_message, msg);
            // What lambda_runtime posts is the Diagnostic as JSON; Step Functions puts that text in Cause.
            assert_eq!(serde_json::to_string(&d).unwrap(), native.cause);
        }
    }

    #[test]
    fn plain_causes_are_the_message() {
        let d = failure_to_diagnostic(Failure::new(
            "stepmacro.InvalidInput",
            "at `n`: invalid type",
        ));
        assert_eq!(d.error_type, "stepmacro.InvalidInput");
        assert_eq!(d.error_message, "at `n`: invalid type");
    }

    #[test]
    fn lookalike_causes_are_not_rewritten() {
        for cause in [
            r#"{"errorType":"Other","errorMessage":"m"}"#,
            r#"{"errorType": "X", "errorMessage": "m"}"#,
            r#"{"errorMessage":"m","errorType":"X"}"#,
            r#"{"errorType":"X","errorMessage":"m","stackTrace":[]}"#,
        ] {
            assert_eq!(lambda_error_message("X", cause), None, "{cause}");
            assert_eq!(
                failure_to_diagnostic(Failure::new("X", cause)).error_message,
                cause
            );
        }
        assert_eq!(
            lambda_error_message("X", r#"{"errorType":"X","errorMessage":"m"}"#).as_deref(),
            Some("m")
        );
    }
}
