//! Rule 15: the definition is at most 1 MB and no literal payload reaches the 256 KiB payload limit.

use super::super::json::Json;
use super::super::machine::StateMachine;
use super::super::walk::ScopePath;
use super::diagnostic::{Diagnostic, Severity};
use super::inventory::{assigns, payloads};
use super::{Ctx, Rule};

/// AWS's hard limit on a definition.
pub(crate) const MAX_DEFINITION_BYTES: usize = 1_048_576;
/// AWS's limit on any payload (state input/output, task result, variable).
pub(crate) const MAX_PAYLOAD_BYTES: usize = 262_144;

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    let bytes = machine.to_json_compact().len();
    if bytes > MAX_DEFINITION_BYTES {
        ctx.scope_error(&ScopePath::default(), Rule::Size, too_big(bytes));
    }
    for at in machine.walk() {
        let mut fields: Vec<(String, usize)> = payloads(at.state)
            .into_iter()
            .map(|(label, json, _)| (label, compact_len(json)))
            .collect();
        for (label, assign) in assigns(at.state) {
            let total = assign.iter().map(|(k, v)| k.len() + compact_len(v)).sum();
            fields.push((label, total));
        }
        for (label, len) in fields {
            if len > MAX_PAYLOAD_BYTES {
                ctx.error(
                    &at,
                    Rule::Size,
                    format!(
                        "{label} is {len} bytes; payloads are limited to {MAX_PAYLOAD_BYTES} bytes"
                    ),
                );
            }
        }
    }
}

/// The size check for the definition text as given (it may be larger than the compact print).
pub(super) fn text_size(bytes: usize) -> Option<Diagnostic> {
    (bytes > MAX_DEFINITION_BYTES).then(|| Diagnostic {
        rule: Rule::Size,
        severity: Severity::Error,
        state: None,
        scope: String::new(),
        message: too_big(bytes),
    })
}

fn too_big(bytes: usize) -> String {
    format!("the definition is {bytes} bytes; the limit is {MAX_DEFINITION_BYTES} bytes (1 MB)")
}

fn compact_len(json: &Json) -> usize {
    serde_json::to_string(json).map_or(0, |s| s.len())
}
