//! Which task a dispatcher binary serves: the one deployed under this function's name.

use crate::task::TaskHandle;

use super::error::ServeError;

/// The bare function name of a `FunctionName` as a definition may spell it: `name`, `name:alias`,
/// `123456789012:function:name[:qualifier]` or `arn:aws:lambda:region:account:function:name[:qualifier]`.
/// `AWS_LAMBDA_FUNCTION_NAME` is always the bare name, whichever form the definition invokes.
pub fn bare_function_name(function_name: &str) -> &str {
    let after = function_name
        .rsplit_once(":function:")
        .map_or(function_name, |(_, rest)| rest);
    after.split(':').next().unwrap_or(after)
}

/// Picks the handle whose function name is `function_name` (compared as bare names); when none
/// matches and there is exactly one handle, that one (a one-task binary serves whatever name it is
/// deployed under).
///
/// # Errors
///
/// [`ServeError::NoTasks`] for an empty list, [`ServeError::UnknownFunction`] when several tasks and no
/// match, [`ServeError::Ambiguous`] when two different tasks match.
pub fn select_handle(
    handles: &[TaskHandle],
    function_name: Option<&str>,
) -> Result<TaskHandle, ServeError> {
    if handles.is_empty() {
        return Err(ServeError::NoTasks);
    }
    let matching: Vec<&TaskHandle> = match function_name {
        Some(name) => handles
            .iter()
            .filter(|h| bare_function_name(h.function_name) == name)
            .collect(),
        None => Vec::new(),
    };
    match matching.as_slice() {
        [one] => Ok(**one),
        [first, rest @ ..] => {
            // The same task listed twice (e.g. shared by two workflows) is not ambiguous.
            if rest.iter().all(|h| h.name == first.name) {
                Ok(**first)
            } else {
                let mut tasks: Vec<String> = matching.iter().map(|h| h.name.to_owned()).collect();
                tasks.dedup();
                Err(ServeError::Ambiguous {
                    function_name: function_name.unwrap_or_default().to_owned(),
                    tasks,
                })
            }
        }
        [] if handles.iter().all(|h| h.name == handles[0].name) => Ok(handles[0]),
        [] => {
            let mut available: Vec<String> = handles
                .iter()
                .map(|h| bare_function_name(h.function_name).to_owned())
                .collect();
            available.sort();
            available.dedup();
            Err(ServeError::UnknownFunction {
                function_name: function_name.map(str::to_owned),
                available,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Failure;

    fn handle(name: &'static str, function_name: &'static str) -> TaskHandle {
        TaskHandle {
            name,
            function_name,
            invoke: |_| Box::pin(async { Err(Failure::new("Test.Unused", "")) }),
        }
    }

    #[test]
    fn bare_names_of_every_function_name_form() {
        for (input, bare) in [
            ("callExternalApi", "callExternalApi"),
            ("callExternalApi:prod", "callExternalApi"),
            ("123456789012:function:callExternalApi", "callExternalApi"),
            (
                "arn:aws:lambda:eu-west-1:123456789012:function:callExternalApi",
                "callExternalApi",
            ),
            (
                "arn:aws:lambda:eu-west-1:123456789012:function:callExternalApi:$LATEST",
                "callExternalApi",
            ),
        ] {
            assert_eq!(bare_function_name(input), bare, "{input}");
        }
    }

    #[test]
    fn selects_by_deployed_name_whatever_form_the_handle_uses() {
        let hs = [
            handle(
                "callExternalApi",
                "arn:aws:lambda:us-east-1:123456789012:function:callExternalApi",
            ),
            handle("logError", "logError:live"),
        ];
        assert_eq!(
            select_handle(&hs, Some("logError")).unwrap().name,
            "logError"
        );
        assert_eq!(
            select_handle(&hs, Some("callExternalApi")).unwrap().name,
            "callExternalApi"
        );
    }

    #[test]
    fn single_handle_serves_any_name() {
        let hs = [handle("logError", "logError")];
        assert_eq!(
            select_handle(&hs, Some("renamed-by-sam")).unwrap().name,
            "logError"
        );
        assert_eq!(select_handle(&hs, None).unwrap().name, "logError");
    }

    #[test]
    fn unknown_name_among_several_lists_what_is_served() {
        let hs = [handle("b", "b"), handle("a", "a"), handle("a", "a")];
        match select_handle(&hs, Some("c")) {
            Err(ServeError::UnknownFunction {
                function_name,
                available,
            }) => {
                assert_eq!(function_name.as_deref(), Some("c"));
                assert_eq!(available, ["a", "b"]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn duplicates_of_one_task_are_fine_two_tasks_under_one_name_are_not() {
        let same = [handle("a", "fn"), handle("a", "fn")];
        assert_eq!(select_handle(&same, Some("fn")).unwrap().name, "a");
        let clash = [handle("a", "fn"), handle("b", "fn")];
        assert!(matches!(
            select_handle(&clash, Some("fn")),
            Err(ServeError::Ambiguous { .. })
        ));
    }

    #[test]
    fn empty_list_is_an_error() {
        assert!(matches!(
            select_handle(&[], Some("x")),
            Err(ServeError::NoTasks)
        ));
    }
}
