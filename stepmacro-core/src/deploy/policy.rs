//! The IAM policy of the state machine's role: `lambda:InvokeFunction` on the task functions, nothing else.

use serde::Serialize;

use super::functions::TaskFunction;

/// The IAM policy language version (the only current one).
pub const POLICY_VERSION: &str = "2012-10-17";
/// The only action the role is granted.
pub const INVOKE_ACTION: &str = "lambda:InvokeFunction";

/// An IAM policy document, typed so its JSON has a fixed field order.
///
/// Resource ARNs name the stack's own partition, region and account with CloudFormation pseudo
/// parameters (`arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:NAME`) unless the
/// definition fixes them: the same document then deploys to any account, and the SAM template passes
/// each through `Fn::Sub`. `${AWS::Partition}` rather than a literal `aws` keeps it valid in the China
/// and GovCloud partitions. [`PolicyDocument::resolved`] fills the placeholders in for use outside
/// CloudFormation (`aws iam put-role-policy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument<R = String> {
    pub version: &'static str,
    pub statement: Vec<Statement<R>>,
}

/// One `Allow` statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement<R = String> {
    pub sid: &'static str,
    pub effect: &'static str,
    pub action: &'static str,
    pub resource: Vec<R>,
}

impl PolicyDocument {
    /// Allows [`INVOKE_ACTION`] on each function, unqualified (`function:NAME`) and with any
    /// version or alias (`function:NAME:*`, for `name:alias` calls and a `Qualifier`). No functions, no
    /// statement.
    pub fn invoke_functions(functions: &[TaskFunction]) -> PolicyDocument {
        let mut resource: Vec<String> = functions.iter().flat_map(function_arns).collect();
        resource.sort();
        resource.dedup();
        let statement = if resource.is_empty() {
            Vec::new()
        } else {
            vec![Statement {
                sid: "InvokeTaskFunctions",
                effect: "Allow",
                action: INVOKE_ACTION,
                resource,
            }]
        };
        PolicyDocument {
            version: POLICY_VERSION,
            statement,
        }
    }

    /// The same policy with the placeholders filled in, for a given partition (`aws`), region and account.
    pub fn resolved(&self, partition: &str, region: &str, account: &str) -> PolicyDocument {
        self.map_resources(|r| {
            r.replace("${AWS::Partition}", partition)
                .replace("${AWS::Region}", region)
                .replace("${AWS::AccountId}", account)
        })
    }

    /// Pretty JSON with a trailing newline; byte-identical for the same functions.
    pub fn to_json_pretty(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("a policy document always serialises");
        text.push('\n');
        text
    }
}

impl<R> PolicyDocument<R> {
    /// The same document with each resource converted (e.g. into a CloudFormation `Fn::Sub`).
    pub fn map_resources<S>(&self, mut f: impl FnMut(&R) -> S) -> PolicyDocument<S> {
        PolicyDocument {
            version: self.version,
            statement: self
                .statement
                .iter()
                .map(|s| Statement {
                    sid: s.sid,
                    effect: s.effect,
                    action: s.action,
                    resource: s.resource.iter().map(&mut f).collect(),
                })
                .collect(),
        }
    }
}

/// `arn:..:function:NAME` and `arn:..:function:NAME:*`.
fn function_arns(function: &TaskFunction) -> [String; 2] {
    let l = &function.location;
    let arn = format!(
        "arn:{}:lambda:{}:{}:function:{}",
        l.partition.as_deref().unwrap_or("${AWS::Partition}"),
        l.region.as_deref().unwrap_or("${AWS::Region}"),
        l.account.as_deref().unwrap_or("${AWS::AccountId}"),
        function.name
    );
    let qualified = format!("{arn}:*");
    [arn, qualified]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::functions::Location;

    fn local(name: &str) -> TaskFunction {
        TaskFunction {
            name: name.into(),
            location: Location::default(),
            states: vec![],
            timeout_seconds: None,
        }
    }

    #[test]
    fn exactly_invoke_on_each_function_and_its_qualifiers() {
        let external = TaskFunction {
            location: Location {
                partition: Some("aws".into()),
                region: Some("eu-west-1".into()),
                account: Some("123456789012".into()),
            },
            ..local("logError")
        };
        let doc = PolicyDocument::invoke_functions(&[local("callExternalApi"), external]);
        assert_eq!(
            doc.to_json_pretty(),
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "InvokeTaskFunctions",
      "Effect": "Allow",
      "Action": "lambda:InvokeFunction",
      "Resource": [
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:callExternalApi",
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:callExternalApi:*",
        "arn:aws:lambda:eu-west-1:123456789012:function:logError",
        "arn:aws:lambda:eu-west-1:123456789012:function:logError:*"
      ]
    }
  ]
}
"#
        );
    }

    #[test]
    fn resolved_fills_in_the_placeholders() {
        let doc = PolicyDocument::invoke_functions(&[local("f")]).resolved(
            "aws",
            "us-east-1",
            "111122223333",
        );
        assert_eq!(
            doc.statement[0].resource,
            [
                "arn:aws:lambda:us-east-1:111122223333:function:f",
                "arn:aws:lambda:us-east-1:111122223333:function:f:*"
            ]
        );
    }

    #[test]
    fn no_functions_no_statement() {
        let doc = PolicyDocument::invoke_functions(&[]);
        assert!(doc.statement.is_empty());
    }
}
