//! The artifacts of a whole workflow, byte for byte, and a template written for `.ci/cfn-lint`.

use std::path::PathBuf;

use super::*;

/// The design's order workflow, as the compiler emits it (JSONata, `lambda:invoke`, Retry/Catch), plus
/// a Map whose processor calls a task, so nested scopes count.
const CREATE_ORDER: &str = r#"{
  "Comment": "Creates an order.",
  "QueryLanguage": "JSONata",
  "StartAt": "Validate order",
  "States": {
    "Validate order": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "validate_order", "Payload": "{% $states.input %}"},
      "Output": "{% $states.result.Payload %}",
      "TimeoutSeconds": 20,
      "Next": "Call external API"
    },
    "Call external API": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "callExternalApi", "Payload": "{% $states.input %}"},
      "Output": "{% $states.result.Payload %}",
      "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 4, "BackoffRate": 2}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Log error", "Output": "{% $states.errorOutput %}"}],
      "Next": "Notify lines"
    },
    "Notify lines": {
      "Type": "Map",
      "Items": "{% $states.input.lines %}",
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Notify",
        "States": {"Notify": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {"FunctionName": "notify-line:live", "Payload": "{% $states.input %}"}, "End": true}}
      },
      "End": true
    },
    "Log error": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "logError", "Payload": "{% $states.input %}"},
      "Next": "Failed"
    },
    "Failed": {"Type": "Fail", "Error": "{% $states.input.Error %}", "Cause": "{% $states.input.Cause %}"}
  }
}"#;

fn artifacts(options: &DeployOptions) -> DeployArtifacts {
    let machine = StateMachine::from_json(CREATE_ORDER).unwrap();
    DeployArtifacts::new("create_order", &machine, options).unwrap()
}

#[test]
fn policy_allows_exactly_invoke_on_the_four_functions() {
    let a = artifacts(&DeployOptions::default());
    let names: Vec<&str> = a.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "callExternalApi",
            "logError",
            "notify-line",
            "validate_order"
        ]
    );
    let doc: serde_json::Value = serde_json::from_str(&a.policy.to_json_pretty()).unwrap();
    let statements = doc["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["Effect"], "Allow");
    assert_eq!(statements[0]["Action"], "lambda:InvokeFunction");
    let resources: Vec<&str> = statements[0]["Resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let prefix = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:";
    let expected: Vec<String> = names
        .iter()
        .flat_map(|n| [format!("{prefix}{n}"), format!("{prefix}{n}:*")])
        .collect();
    assert_eq!(resources, expected);
}

#[test]
fn template_snapshot() {
    let text = artifacts(&DeployOptions::default())
        .template
        .to_json_pretty();
    let expected = include_str!("testdata/create_order.template.json");
    if text != expected {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src/deploy/testdata/create_order.template.json.new");
        std::fs::write(&path, &text).unwrap();
        panic!(
            "template changed; new version written to {}",
            path.display()
        );
    }
}

#[test]
fn functions_match_the_definition_and_cargo_lambda_layout() {
    let options = DeployOptions {
        lambda_dir: "../../lambda/".into(),
        architecture: Architecture::Arm64,
        binaries: [("logError".to_owned(), "call-external-api".to_owned())].into(),
        ..DeployOptions::default()
    };
    let t = artifacts(&options).template;
    let functions: Vec<&FunctionProperties> = t
        .resources
        .0
        .iter()
        .filter_map(|(_, r)| match r {
            Resource::Function(f) => Some(f),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = functions.iter().map(|f| f.function_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "callExternalApi",
            "logError",
            "notify-line",
            "validate_order"
        ]
    );
    let f = |name: &str| *functions.iter().find(|f| f.function_name == name).unwrap();
    assert_eq!(
        f("callExternalApi").code_uri,
        "../../lambda/callExternalApi/"
    );
    assert_eq!(f("logError").code_uri, "../../lambda/call-external-api/");
    assert_eq!(f("validate_order").timeout, 20);
    assert_eq!(f("notify-line").timeout, 30);
    assert!(functions.iter().all(|f| f.runtime == "provided.al2023"
        && f.handler == "bootstrap"
        && f.architectures == ["arm64"]));
}

#[test]
fn inline_definition_embeds_the_model() {
    let a = artifacts(&DeployOptions {
        definition: DefinitionSource::Inline,
        ..DeployOptions::default()
    });
    let template: serde_json::Value = serde_json::from_str(&a.template.to_json_pretty()).unwrap();
    let props = &template["Resources"]["CreateOrderStateMachine"]["Properties"];
    assert!(props.get("DefinitionUri").is_none());
    let embedded = StateMachine::from_json(&props["Definition"].to_string()).unwrap();
    assert_eq!(embedded, StateMachine::from_json(CREATE_ORDER).unwrap());
}

#[test]
fn output_is_byte_identical_across_runs() {
    for options in [
        DeployOptions::default(),
        DeployOptions {
            definition: DefinitionSource::Inline,
            ..Default::default()
        },
    ] {
        let (a, b) = (artifacts(&options), artifacts(&options));
        assert_eq!(a.template.to_json_pretty(), b.template.to_json_pretty());
        assert_eq!(a.policy.to_json_pretty(), b.policy.to_json_pretty());
    }
}

#[test]
fn functions_in_other_accounts_are_invoked_not_created() {
    let machine = StateMachine::from_json(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Task",
          "Resource": "arn:aws:lambda:us-east-1:123456789012:function:shared", "End": true}}}"#,
    )
    .unwrap();
    let a = DeployArtifacts::new("uses_shared", &machine, &DeployOptions::default()).unwrap();
    assert!(
        a.policy
            .to_json_pretty()
            .contains("arn:aws:lambda:us-east-1:123456789012:function:shared:*")
    );
    assert!(
        !a.template
            .resources
            .0
            .iter()
            .any(|(_, r)| matches!(r, Resource::Function(_)))
    );
}

#[test]
fn a_workflow_without_tasks_gets_a_role_without_permissions() {
    let machine =
        StateMachine::from_json(r#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#)
            .unwrap();
    let a = DeployArtifacts::new("noop", &machine, &DeployOptions::default()).unwrap();
    assert!(a.policy.statement.is_empty());
    assert!(!a.template.to_json_pretty().contains("Policies"));
}

#[test]
fn invalid_workflow_names_are_rejected() {
    let machine = StateMachine::from_json(CREATE_ORDER).unwrap();
    for name in ["", "has space", &"x".repeat(81)] {
        assert!(matches!(
            DeployArtifacts::new(name, &machine, &DeployOptions::default()),
            Err(DeployError::InvalidWorkflowName { .. })
        ));
    }
}

#[test]
fn file_names_beside_the_definition() {
    assert_eq!(
        artifact_file_names("state_machine.json"),
        (
            "state_machine.policy.json".to_owned(),
            "state_machine.template.json".to_owned()
        )
    );
}

/// Writes both template forms, with the definition beside them, under `target/stepmacro-deploy/` for
/// `.ci/cfn-lint target/stepmacro-deploy/*.template.json` to check.
#[test]
fn write_templates_for_cfn_lint() {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("stepmacro-deploy");
    std::fs::create_dir_all(&dir).unwrap();
    let by_uri = artifacts(&DeployOptions::default());
    let inline = artifacts(&DeployOptions {
        definition: DefinitionSource::Inline,
        ..DeployOptions::default()
    });
    std::fs::write(
        dir.join("state_machine.json"),
        StateMachine::from_json(CREATE_ORDER)
            .unwrap()
            .to_json_pretty(),
    )
    .unwrap();
    std::fs::write(
        dir.join("state_machine.template.json"),
        by_uri.template.to_json_pretty(),
    )
    .unwrap();
    std::fs::write(
        dir.join("state_machine.policy.json"),
        by_uri.policy.to_json_pretty(),
    )
    .unwrap();
    std::fs::write(
        dir.join("inline.template.json"),
        inline.template.to_json_pretty(),
    )
    .unwrap();
}
