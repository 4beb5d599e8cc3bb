//! Why serving could not start or stopped, and the startup check of the Lambda environment.

use std::fmt;

/// Why [`run`](super::run) / [`serve_task`](super::serve_task) returned.
///
/// `Debug` prints the same text as `Display`, so `fn main() -> Result<(), ServeError>` shows a readable
/// message in the function's log rather than a struct dump.
pub enum ServeError {
    /// `run(&[])`.
    NoTasks,
    /// Several tasks and none is deployed under this function name.
    UnknownFunction {
        /// `AWS_LAMBDA_FUNCTION_NAME`, or `None` when unset.
        function_name: Option<String>,
        /// The function names this binary can serve.
        available: Vec<String>,
    },
    /// Two different tasks claim the same function name.
    Ambiguous {
        function_name: String,
        tasks: Vec<String>,
    },
    /// A variable lambda_runtime needs is missing or malformed (it would panic on it).
    Environment {
        variable: &'static str,
        problem: String,
    },
    /// The Runtime API loop failed (connection lost, malformed Runtime API response).
    Runtime(lambda_runtime::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::NoTasks => {
                f.write_str("no task to serve: `serve::run` was given an empty list")
            }
            ServeError::UnknownFunction {
                function_name,
                available,
            } => {
                match function_name {
                    Some(name) => write!(
                        f,
                        "this binary has no task deployed as Lambda function `{name}`"
                    )?,
                    None => f.write_str(
                        "AWS_LAMBDA_FUNCTION_NAME is not set, so the task to serve is unknown",
                    )?,
                }
                write!(
                    f,
                    "; it serves {}. Deploy it under one of those names (`cargo lambda deploy <name>`), or \
                     give the task a matching `#[task(function = \"...\")]`",
                    available
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            ServeError::Ambiguous {
                function_name,
                tasks,
            } => write!(
                f,
                "tasks {} are all deployed as Lambda function `{function_name}`; give them distinct \
                 `#[task(function = \"...\")]` names",
                tasks
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ServeError::Environment { variable, problem } => write!(
                f,
                "{variable} {problem}: this binary is an AWS Lambda function; run it on Lambda, under \
                 `cargo lambda watch`, or set the Lambda runtime environment variables"
            ),
            ServeError::Runtime(e) => write!(f, "the Lambda runtime loop stopped: {e}"),
        }
    }
}

impl fmt::Debug for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Runtime(e) => Some(&**e),
            _ => None,
        }
    }
}

/// The variables lambda_runtime 1.5 reads at startup (`Config::from_env` and the Runtime API client),
/// checked up front: lambda_runtime panics on a missing one, and a panic at startup is a worse message
/// than a [`ServeError::Environment`].
pub(super) struct LambdaEnv {
    /// `AWS_LAMBDA_FUNCTION_NAME`: the deployed function's bare name.
    pub function_name: String,
}

impl LambdaEnv {
    pub fn read() -> Result<LambdaEnv, ServeError> {
        Self::read_from(|name| std::env::var(name).ok())
    }

    pub fn read_from(var: impl Fn(&str) -> Option<String>) -> Result<LambdaEnv, ServeError> {
        let require = |variable: &'static str| {
            var(variable).ok_or(ServeError::Environment {
                variable,
                problem: "is not set".into(),
            })
        };
        require("AWS_LAMBDA_RUNTIME_API")?;
        let function_name = require("AWS_LAMBDA_FUNCTION_NAME")?;
        require("AWS_LAMBDA_FUNCTION_VERSION")?;
        let memory = require("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")?;
        if memory.parse::<i32>().is_err() {
            return Err(ServeError::Environment {
                variable: "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                problem: format!("is `{memory}`, not a number of megabytes"),
            });
        }
        Ok(LambdaEnv { function_name })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    const FULL: &[(&str, &str)] = &[
        ("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"),
        ("AWS_LAMBDA_FUNCTION_NAME", "callExternalApi"),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
    ];

    #[test]
    fn complete_environment_yields_the_function_name() {
        let e = LambdaEnv::read_from(env(FULL)).unwrap();
        assert_eq!(e.function_name, "callExternalApi");
    }

    #[test]
    fn each_missing_variable_is_named() {
        for (missing, _) in FULL {
            let vars: Vec<_> = FULL.iter().filter(|(k, _)| k != missing).copied().collect();
            let err = LambdaEnv::read_from(env(&vars)).err().expect("must fail");
            let text = err.to_string();
            assert!(text.starts_with(missing), "{text}");
            assert!(text.contains("is not set"), "{text}");
        }
    }

    #[test]
    fn malformed_memory_size_is_reported() {
        let mut vars = FULL.to_vec();
        vars[3].1 = "lots";
        let err = LambdaEnv::read_from(env(&vars)).err().unwrap();
        assert!(err.to_string().contains("`lots`, not a number"), "{err}");
    }

    #[test]
    fn debug_is_the_readable_message() {
        let err = ServeError::UnknownFunction {
            function_name: Some("other".into()),
            available: vec!["a".into(), "b".into()],
        };
        assert_eq!(format!("{err:?}"), err.to_string());
        assert!(err.to_string().contains("`other`") && err.to_string().contains("`a`, `b`"));
    }
}
