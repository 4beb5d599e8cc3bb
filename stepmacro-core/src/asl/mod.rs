//! The typed Amazon States Language model.
//!
//! * Parse with [`StateMachine::from_json`], print with [`StateMachine::to_json_pretty`] (deterministic:
//!   typed fields in a fixed order, `States` in document/insertion order, payload keys sorted, whatever
//!   serde_json features the build enables).
//! * [`State`] is an enum over the eight `"Type"`s; each variant struct carries every field of both query
//!   languages and rejects unknown fields. Which fields a state may *use* (the field matrix, the query
//!   language) is checked by the validator, not the parser, so that the messages can name the rule.
//! * [`StateMachine::walk`] / [`StateMachine::scopes`] traverse nested Parallel/Map machines.
//!
//! This module builds without the `compiler` feature: the runtime's interpreter depends on it.

mod choice;
mod choice_rule;
mod distributed;
mod doc;
mod dynamic;
mod error;
mod expression;
mod fail;
mod item_processor;
mod json;
mod machine;
mod map;
mod parallel;
mod pass;
mod payload;
mod query_language;
pub mod render;
mod retry;
mod serde_util;
mod state;
mod states;
mod stats;
mod succeed;
mod task;
mod validate;
mod wait;
mod walk;

pub use choice::ChoiceState;
pub use choice_rule::{ChoiceRule, ComparisonOperator, OperandKind, RuleKind};
pub use distributed::{ItemBatcher, ItemReader, ReaderConfig, ResultWriter, WriterConfig};
pub use dynamic::{BoolOrExpr, NumberOrExpr};
pub use error::AslError;
pub use expression::{is_jsonata, jsonata_body};
pub use fail::FailState;
pub use item_processor::{ExecutionType, ItemProcessor, ProcessorConfig, ProcessorMode};
pub use json::{Json, Sorted};
pub use machine::StateMachine;
pub use map::MapState;
pub use parallel::{Branch, ParallelState};
pub use pass::PassState;
pub use payload::{Assign, assigned_name};
pub use query_language::QueryLanguage;
pub use retry::{Catcher, JitterStrategy, Retrier, STATES_ALL, error_matches};
pub use state::{Child, ChildField, Edge, EdgeKind, STATE_TYPES, State};
pub use states::States;
pub use stats::{Stats, stats};
pub use succeed::SucceedState;
pub use task::TaskState;
pub use validate::timestamp::is_timestamp;
pub use validate::{Diagnostic, Rule, Severity, is_valid, validate, validate_json};
pub use wait::WaitState;
pub use walk::{ScopePath, ScopeRef, ScopeSegment, WalkEntry};
