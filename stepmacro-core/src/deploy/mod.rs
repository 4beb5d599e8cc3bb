//! Deploy artifacts derived from a definition: the IAM policy of the state machine's role and an AWS
//! SAM template wiring the state machine, that role and one Lambda function per task.
//!
//! Both come from the definition alone (its Task states name the functions), so they cannot drift from
//! it: the role may invoke exactly the functions the definition calls (`lambda:InvokeFunction`, nothing
//! else), and the template creates each function under exactly the name the definition invokes, from
//! the `bootstrap` `cargo lambda build` writes for the binary of that name.
//!
//! Output is deterministic (typed structs, no `serde_json::Map` ordering): the same definition and
//! options give byte-identical files, so the build can write them beside the definition and only when
//! they change. Needs only serde, serde_json and the [`asl`](crate::asl) model (no `compiler` feature).
//!
//! ```
//! use stepmacro_core::asl::StateMachine;
//! use stepmacro_core::deploy::{DeployArtifacts, DeployOptions};
//!
//! let machine = StateMachine::from_json(r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task",
//!     "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "callExternalApi"},
//!     "End": true}}, "QueryLanguage": "JSONata"}"#).unwrap();
//! let artifacts = DeployArtifacts::new("call_api", &machine, &DeployOptions::default()).unwrap();
//! assert!(artifacts.policy.to_json_pretty().contains(":function:callExternalApi:*"));
//! assert!(artifacts.template.to_json_pretty().contains(r#""CodeUri": "target/lambda/callExternalApi/""#));
//! ```

mod cfn;
mod error;
mod functions;
mod options;
mod policy;
mod sam;

pub use cfn::{CfnString, Ordered, logical_id};
pub use error::DeployError;
pub use functions::{Location, TaskFunction, task_functions};
pub use options::{Architecture, DefinitionSource, DeployOptions, StateMachineType};
pub use policy::{INVOKE_ACTION, POLICY_VERSION, PolicyDocument, Statement};
pub use sam::{FunctionProperties, Resource, SamTemplate, StateMachineProperties};

use crate::asl::StateMachine;

/// Everything derived from one workflow's definition.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployArtifacts {
    /// The functions the definition invokes, sorted by name.
    pub functions: Vec<TaskFunction>,
    /// The state machine role's policy (with `${AWS::..}` placeholders; see [`PolicyDocument`]).
    pub policy: PolicyDocument,
    pub template: SamTemplate,
}

impl DeployArtifacts {
    /// The artifacts of workflow `workflow` (the state machine's name) with definition `machine`.
    ///
    /// # Errors
    ///
    /// A [`DeployError`] when the policy could not be exact: a computed `FunctionName`, a Task that is
    /// not a Lambda call, or a name AWS would reject.
    pub fn new(
        workflow: &str,
        machine: &StateMachine,
        options: &DeployOptions,
    ) -> Result<Self, DeployError> {
        let valid_name = (1..=80).contains(&workflow.len())
            && workflow
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_name {
            return Err(DeployError::InvalidWorkflowName {
                name: workflow.to_owned(),
            });
        }
        let functions = task_functions(machine)?;
        let policy = PolicyDocument::invoke_functions(&functions);
        let template = SamTemplate::new(workflow, machine, &functions, &policy, options);
        Ok(DeployArtifacts {
            functions,
            policy,
            template,
        })
    }
}

/// The recommended file names beside a definition file `<stem>.json`: `<stem>.policy.json` and
/// `<stem>.template.json` (so `state_machine.json` → `state_machine.policy.json`,
/// `state_machine.template.json`, and the template's `DefinitionUri` is the definition's file name).
pub fn artifact_file_names(definition_file_name: &str) -> (String, String) {
    let stem = definition_file_name
        .strip_suffix(".json")
        .unwrap_or(definition_file_name);
    (
        format!("{stem}.policy.json"),
        format!("{stem}.template.json"),
    )
}

#[cfg(test)]
mod tests;
