//! The AWS SAM template: the state machine, its role, and one function per task.

use serde::Serialize;

use crate::asl::StateMachine;

use super::cfn::{CfnString, Ordered, logical_id};
use super::functions::TaskFunction;
use super::options::{DefinitionSource, DeployOptions};
use super::policy::PolicyDocument;

/// An AWS SAM template (CloudFormation with the `AWS::Serverless-2016-10-31` transform), typed so that
/// the JSON is byte-identical for the same definition and options.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SamTemplate {
    #[serde(rename = "AWSTemplateFormatVersion")]
    pub format_version: &'static str,
    #[serde(rename = "Transform")]
    pub transform: &'static str,
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(rename = "Resources")]
    pub resources: Ordered<Resource>,
    #[serde(rename = "Outputs")]
    pub outputs: Ordered<Output>,
}

/// One resource: `{"Type": .., "Properties": {..}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "Type", content = "Properties")]
pub enum Resource {
    #[serde(rename = "AWS::Serverless::StateMachine")]
    StateMachine(StateMachineProperties),
    #[serde(rename = "AWS::IAM::Role")]
    Role(RoleProperties),
    #[serde(rename = "AWS::Serverless::Function")]
    Function(FunctionProperties),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateMachineProperties {
    pub name: String,
    /// `STANDARD` or `EXPRESS`.
    #[serde(rename = "Type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<StateMachine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition_uri: Option<String>,
    pub role: CfnString,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleProperties {
    pub description: String,
    pub assume_role_policy_document: TrustPolicy,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<InlinePolicy>,
}

/// Lets Step Functions assume the role.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrustPolicy {
    pub version: &'static str,
    pub statement: Vec<TrustStatement>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TrustStatement {
    pub effect: &'static str,
    pub principal: ServicePrincipal,
    pub action: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServicePrincipal {
    pub service: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InlinePolicy {
    pub policy_name: &'static str,
    pub policy_document: PolicyDocument<CfnString>,
}

/// A function built by `cargo lambda build`: a `bootstrap` executable for the OS-only runtime.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FunctionProperties {
    /// Exactly the name the definition invokes.
    pub function_name: String,
    pub description: String,
    /// `<lambda_dir>/<binary>/`, the directory `cargo lambda build` writes `bootstrap` into.
    pub code_uri: String,
    pub handler: &'static str,
    pub runtime: &'static str,
    pub architectures: Vec<&'static str>,
    pub memory_size: u32,
    pub timeout: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    pub description: &'static str,
    pub value: CfnString,
}

/// Lambda's maximum function timeout.
const MAX_LAMBDA_TIMEOUT: u64 = 900;

impl SamTemplate {
    /// The template for `workflow` whose definition is `machine`, invoking `functions` (from
    /// [`task_functions`](super::task_functions)) under `policy`.
    ///
    /// Functions the definition fixes in another account are invoked but not created.
    pub fn new(
        workflow: &str,
        machine: &StateMachine,
        functions: &[TaskFunction],
        policy: &PolicyDocument,
        options: &DeployOptions,
    ) -> SamTemplate {
        let mut taken: Vec<String> = Vec::new();
        let mut next_id = |name: &str, suffix: &str| {
            let id = logical_id(name, suffix, &taken);
            taken.push(id.clone());
            id
        };
        let machine_id = next_id(workflow, "StateMachine");
        let role_id = next_id(workflow, "StateMachineRole");

        let (definition, definition_uri) = match &options.definition {
            DefinitionSource::Uri(uri) => (None, Some(uri.clone())),
            DefinitionSource::Inline => (Some(machine.clone()), None),
        };
        let mut resources = vec![(
            machine_id.clone(),
            Resource::StateMachine(StateMachineProperties {
                name: workflow.to_owned(),
                kind: options.state_machine_type.as_str(),
                definition,
                definition_uri,
                role: CfnString::GetAtt(role_id.clone(), "Arn"),
            }),
        )];
        let policies = if policy.statement.is_empty() {
            Vec::new()
        } else {
            vec![InlinePolicy {
                policy_name: "InvokeTaskFunctions",
                policy_document: policy.map_resources(|r| CfnString::sub_if_needed(r)),
            }]
        };
        resources.push((
            role_id,
            Resource::Role(RoleProperties {
                description: format!(
                    "Role of state machine {workflow}: lambda:InvokeFunction on its task functions, nothing else"
                ),
                assume_role_policy_document: TrustPolicy {
                    version: super::policy::POLICY_VERSION,
                    statement: vec![TrustStatement {
                        effect: "Allow",
                        principal: ServicePrincipal { service: "states.amazonaws.com" },
                        action: "sts:AssumeRole",
                    }],
                },
                policies,
            }),
        ));
        for function in functions.iter().filter(|f| f.is_local()) {
            let binary = options
                .binaries
                .get(&function.name)
                .map_or(function.name.as_str(), String::as_str);
            let timeout = function
                .timeout_seconds
                .map_or(options.default_timeout_seconds, |t| {
                    t.clamp(1, MAX_LAMBDA_TIMEOUT)
                });
            let states = function
                .states
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut description = format!("Task of workflow {workflow}, invoked by {states}");
            truncate_chars(&mut description, 256);
            resources.push((
                next_id(&function.name, "Function"),
                Resource::Function(FunctionProperties {
                    function_name: function.name.clone(),
                    description,
                    code_uri: format!("{}/{binary}/", options.lambda_dir.trim_end_matches('/')),
                    handler: "bootstrap",
                    runtime: "provided.al2023",
                    architectures: vec![options.architecture.as_str()],
                    memory_size: options.memory_size_mb,
                    timeout,
                }),
            ));
        }
        SamTemplate {
            format_version: "2010-09-09",
            transform: "AWS::Serverless-2016-10-31",
            description: format!(
                "stepmacro workflow {workflow}: its state machine, the state machine's role and one Lambda \
                 function per task"
            ),
            resources: Ordered(resources),
            outputs: Ordered(vec![(
                "StateMachineArn".to_owned(),
                Output {
                    description: "The state machine's ARN",
                    value: CfnString::Ref(machine_id),
                },
            )]),
        }
    }

    /// Pretty JSON with a trailing newline; byte-identical for the same inputs.
    pub fn to_json_pretty(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("a SAM template always serialises");
        text.push('\n');
        text
    }
}

fn truncate_chars(s: &mut String, max: usize) {
    if let Some((i, _)) = s.char_indices().nth(max) {
        s.truncate(i);
    }
}
