//! The Lambda functions a definition invokes, read from its Task states.

use crate::asl::{State, StateMachine, TaskState};

use super::error::DeployError;

/// One Lambda function the state machine invokes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFunction {
    /// The bare function name: what `AWS_LAMBDA_FUNCTION_NAME` is, what `cargo lambda deploy` creates.
    pub name: String,
    /// Where the function lives when the definition says so (an ARN or partial ARN); `None` parts are
    /// the deploying stack's own partition, region and account.
    pub location: Location,
    /// The states that invoke it, in document order.
    pub states: Vec<String>,
    /// The largest literal `TimeoutSeconds` among those states, if any.
    pub timeout_seconds: Option<u64>,
}

/// Partition, region and account of a function, as far as its `FunctionName` fixes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub partition: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
}

impl TaskFunction {
    /// Whether the function lives in the deploying stack's account (then the template creates it);
    /// a function in a fixed other account is only invoked, never created.
    pub fn is_local(&self) -> bool {
        self.location.account.is_none()
    }
}

/// Every Lambda function the machine invokes (nested Parallel branches and Map processors included),
/// sorted by name, one entry per distinct function.
///
/// # Errors
///
/// A [`DeployError`] for a Task that is not a Lambda call or whose function is not a literal.
pub fn task_functions(machine: &StateMachine) -> Result<Vec<TaskFunction>, DeployError> {
    let mut out: Vec<TaskFunction> = Vec::new();
    for entry in machine.walk() {
        let State::Task(task) = entry.state else {
            continue;
        };
        let function_name = function_name_of(entry.name, task)?;
        let (name, location) = parse_function_name(entry.name, &function_name)?;
        let timeout = task.timeout_seconds.as_ref().and_then(|t| t.as_u64());
        match out
            .iter_mut()
            .find(|f| f.name == name && f.location == location)
        {
            Some(f) => {
                f.states.push(entry.name.to_owned());
                f.timeout_seconds = f.timeout_seconds.max(timeout);
            }
            None => out.push(TaskFunction {
                name,
                location,
                states: vec![entry.name.to_owned()],
                timeout_seconds: timeout,
            }),
        }
    }
    out.sort_by(|a, b| (&a.name, &a.location).cmp(&(&b.name, &b.location)));
    Ok(out)
}

/// The `FunctionName` a Task state calls: from `Arguments` (JSONata) or `Parameters` (JSONPath) of an
/// optimized `lambda:invoke` integration, or the legacy direct function ARN in `Resource`.
fn function_name_of(state: &str, task: &TaskState) -> Result<String, DeployError> {
    let resource = task.resource.as_str();
    if is_lambda_function_arn(resource) {
        return Ok(resource.to_owned());
    }
    if !is_lambda_invoke_integration(resource) {
        return Err(DeployError::UnsupportedResource {
            state: state.to_owned(),
            resource: resource.to_owned(),
        });
    }
    let dynamic = || DeployError::DynamicFunctionName {
        state: state.to_owned(),
    };
    for payload in [&task.arguments, &task.parameters].into_iter().flatten() {
        let Some(object) = payload.as_object() else {
            return Err(dynamic()); // `"Arguments": "{% .. %}"`
        };
        if object.contains_key("FunctionName.$") {
            return Err(dynamic());
        }
        match object.get("FunctionName") {
            Some(serde_json::Value::String(s)) if s.trim_start().starts_with("{%") => {
                return Err(dynamic());
            }
            Some(serde_json::Value::String(s)) => return Ok(s.clone()),
            Some(_) => return Err(dynamic()),
            None => {}
        }
    }
    Err(DeployError::MissingFunctionName {
        state: state.to_owned(),
    })
}

/// `arn:<partition>:states:::lambda:invoke` with or without `.waitForTaskToken`.
fn is_lambda_invoke_integration(resource: &str) -> bool {
    let mut parts = resource.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("states"), Some(""), Some(""), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    matches!(rest, "lambda:invoke" | "lambda:invoke.waitForTaskToken")
}

/// `arn:<partition>:lambda:<region>:<account>:function:<name>[:qualifier]`.
fn is_lambda_function_arn(resource: &str) -> bool {
    let parts: Vec<&str> = resource.split(':').collect();
    parts.len() >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function"
}

/// Splits a `FunctionName` (name, `name:qualifier`, `account:function:name[:q]`, or a full ARN) into
/// the bare name and the location it fixes. `${...}` placeholders (an ARN template filled in by
/// CloudFormation) count as "the stack's own".
fn parse_function_name(
    state: &str,
    function_name: &str,
) -> Result<(String, Location), DeployError> {
    let invalid = |reason: &str| DeployError::InvalidFunctionName {
        state: state.to_owned(),
        function_name: function_name.to_owned(),
        reason: reason.to_owned(),
    };
    let fixed = |part: &str| (!part.starts_with("${")).then(|| part.to_owned());
    let masked = mask_placeholders(function_name);
    let parts: Vec<&str> = masked.split(':').collect();
    let (name, location) = match parts.as_slice() {
        [name] | [name, _] => (*name, Location::default()),
        [account, "function", name] | [account, "function", name, _] => (
            *name,
            Location {
                account: fixed(account),
                ..Location::default()
            },
        ),
        [
            "arn",
            partition,
            "lambda",
            region,
            account,
            "function",
            name,
        ]
        | [
            "arn",
            partition,
            "lambda",
            region,
            account,
            "function",
            name,
            _,
        ] => (
            *name,
            Location {
                partition: fixed(partition),
                region: fixed(region),
                account: fixed(account),
            },
        ),
        _ => {
            return Err(invalid(
                "is not a function name, `name:qualifier`, partial ARN or Lambda function ARN",
            ));
        }
    };
    if name.is_empty() || name.len() > 64 {
        return Err(invalid("must have a function name of 1 to 64 characters"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(invalid(
            "has a function name with characters other than A-Z, a-z, 0-9, `-` and `_`",
        ));
    }
    Ok((name.to_owned(), location))
}

/// `${AWS::Region}` → `${}`: placeholders hold `::`, which would split like ARN separators.
fn mask_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str("${}");
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(text: &str) -> StateMachine {
        StateMachine::from_json(text).unwrap()
    }

    fn names(fs: &[TaskFunction]) -> Vec<&str> {
        fs.iter().map(|f| f.name.as_str()).collect()
    }

    const NESTED: &str = r#"{
      "QueryLanguage": "JSONata",
      "StartAt": "Validate",
      "States": {
        "Validate": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Arguments": {"FunctionName": "validateOrder", "Payload": "{% $states.input %}"},
                     "TimeoutSeconds": 30, "Next": "Fan"},
        "Fan": {"Type": "Parallel", "Next": "Each", "Branches": [
          {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Arguments": {"FunctionName": "callExternalApi:live"}, "TimeoutSeconds": 60, "End": true}}},
          {"StartAt": "Again", "States": {"Again": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Arguments": {"FunctionName": "validateOrder"}, "TimeoutSeconds": 45, "End": true}}}
        ]},
        "Each": {"Type": "Map", "End": true, "Items": "{% [1,2] %}",
          "ItemProcessor": {"StartAt": "Log", "States": {"Log": {"Type": "Task",
             "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
             "Arguments": {"FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:logError",
                           "Payload": {"token": "{% $states.context.Task.Token %}"}}, "End": true}}}}
      }
    }"#;

    #[test]
    fn finds_functions_in_nested_machines_sorted_and_merged() {
        let fs = task_functions(&machine(NESTED)).unwrap();
        assert_eq!(names(&fs), ["callExternalApi", "logError", "validateOrder"]);
        let validate = &fs[2];
        assert_eq!(validate.states, ["Validate", "Again"]);
        assert_eq!(validate.timeout_seconds, Some(45));
        assert!(validate.is_local());
        let log = &fs[1];
        assert_eq!(
            log.location,
            Location {
                partition: Some("aws".into()),
                region: Some("eu-west-1".into()),
                account: Some("123456789012".into())
            }
        );
        assert!(!log.is_local());
    }

    #[test]
    fn jsonpath_parameters_and_legacy_resource_arns() {
        let fs = task_functions(&machine(
            r#"{"StartAt": "A", "States": {
              "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "123456789012:function:charge:2", "Payload.$": "$"}, "Next": "B"},
              "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:refund", "End": true}
            }}"#,
        ))
        .unwrap();
        assert_eq!(names(&fs), ["charge", "refund"]);
        assert_eq!(fs[0].location.account.as_deref(), Some("123456789012"));
        assert_eq!(fs[0].location.region, None);
    }

    #[test]
    fn placeholders_are_the_stacks_own() {
        let fs = task_functions(&machine(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:f"},
              "End": true}}}"#,
        ))
        .unwrap();
        assert_eq!(fs[0].location, Location::default());
    }

    #[test]
    fn dynamic_missing_and_invalid_function_names_are_errors() {
        let one = |task: &str| {
            let text = format!(
                r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", {task}, "End": true}}}}}}"#
            );
            task_functions(&machine(&text)).unwrap_err()
        };
        let lambda = r#""Resource": "arn:aws:states:::lambda:invoke""#;
        assert_eq!(
            one(&format!(
                r#"{lambda}, "Arguments": {{"FunctionName": "{{% $f %}}"}}"#
            )),
            DeployError::DynamicFunctionName { state: "T".into() }
        );
        assert_eq!(
            one(&format!(
                r#"{lambda}, "Parameters": {{"FunctionName.$": "$.f"}}"#
            )),
            DeployError::DynamicFunctionName { state: "T".into() }
        );
        assert_eq!(
            one(&format!(r#"{lambda}, "Arguments": "{{% $x %}}""#)),
            DeployError::DynamicFunctionName { state: "T".into() }
        );
        assert_eq!(
            one(&format!(r#"{lambda}, "Arguments": {{"Payload": 1}}"#)),
            DeployError::MissingFunctionName { state: "T".into() }
        );
        assert!(matches!(
            one(&format!(
                r#"{lambda}, "Arguments": {{"FunctionName": "has space"}}"#
            )),
            DeployError::InvalidFunctionName { .. }
        ));
        assert!(matches!(
            one(&format!(
                r#"{lambda}, "Arguments": {{"FunctionName": "a:b:c:d:e"}}"#
            )),
            DeployError::InvalidFunctionName { .. }
        ));
        let err = one(r#""Resource": "arn:aws:states:::sqs:sendMessage", "Arguments": {}"#);
        assert!(matches!(err, DeployError::UnsupportedResource { .. }));
        assert!(
            err.to_string()
                .contains("only allows lambda:InvokeFunction"),
            "{err}"
        );
    }

    #[test]
    fn integration_resource_forms() {
        assert!(is_lambda_invoke_integration(
            "arn:aws:states:::lambda:invoke"
        ));
        assert!(is_lambda_invoke_integration(
            "arn:aws-cn:states:::lambda:invoke.waitForTaskToken"
        ));
        assert!(!is_lambda_invoke_integration(
            "arn:aws:states:::lambda:invoke.sync"
        ));
        assert!(!is_lambda_invoke_integration(
            "arn:aws:states:::aws-sdk:lambda:invoke"
        ));
    }
}
