//! [`ItemProcessor`]: the nested state machine a Map state runs per item, with its [`ProcessorConfig`].

use serde::{Deserialize, Serialize};

use super::states::States;

/// A Map state's `ItemProcessor` (or deprecated `Iterator`, which has the same shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ItemProcessor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_config: Option<ProcessorConfig>,
    pub start_at: String,
    pub states: States,
}

impl ItemProcessor {
    /// `ProcessorConfig.Mode`, default INLINE.
    pub fn mode(&self) -> ProcessorMode {
        self.processor_config
            .as_ref()
            .and_then(|c| c.mode)
            .unwrap_or_default()
    }
}

/// `ProcessorConfig`: how iterations run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ProcessorConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ProcessorMode>,
    /// Distributed only: the child executions' type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_type: Option<ExecutionType>,
}

/// `ProcessorConfig.Mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ProcessorMode {
    /// Iterations run inside the parent execution (≤ 40 concurrently).
    #[default]
    Inline,
    /// Each item or batch is a child execution.
    Distributed,
}

/// `ProcessorConfig.ExecutionType` (Distributed Map).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ExecutionType {
    Standard,
    Express,
}
