//! The local ASL interpreter: runs any valid Amazon States Language definition in process, with
//! mocked or in-process tasks, a virtual clock and a Step Functions-shaped execution history.
//!
//! ```text
//! Interpreter::new(definition)?      // JSON text, serde_json::Value or asl::StateMachine
//!     .tasks(mocks)                  // crate::mock::Mocks: canned answers, closures, #[task] handles
//!     .clock(Clock::Virtual)         // default: waits and back-offs take no real time
//!     .seed(42)                      // repeatable jitter, UUIDs, $random()
//!     .run(input).await              // -> Execution { status, history, calls }
//! ```
//!
//! What it implements: both query languages (JSONPath with Jayway semantics, intrinsic functions,
//! payload templates, the context object; JSONata with Step Functions' `$states` and functions),
//! all eight state types, variables and their scopes, Retry/Catch, concurrent Parallel and Map
//! (with `MaxConcurrency`, tolerated failures, batching, mocked ItemReader/ResultWriter), task and
//! execution timeouts, the 256 KiB payload limit and the 25,000-event history limit.
//!
//! Files: `api` (Interpreter), `execution` (results), `plan` (definition → executable form),
//! `engine/` (running it), `jsonpath`, `jsonata`, `intrinsics`, `template`, `choice`, `retry`,
//! `clock`, `history`, `rng`, `value`, `json_text`, `state_result`, `scanner`, `error`.

mod api;
pub(crate) mod choice;
pub mod clock;
pub(crate) mod context;
mod engine;
pub(crate) mod error;
mod execution;
pub mod history;
pub(crate) mod intrinsics;
pub(crate) mod json_text;
pub(crate) mod jsonata;
pub(crate) mod jsonpath;
pub(crate) mod plan;
pub(crate) mod retry;
pub(crate) mod rng;
pub(crate) mod scanner;
pub(crate) mod state_result;
pub(crate) mod template;
pub(crate) mod value;

pub use api::{Definition, Interpreter};
pub use clock::{Clock, sleep};
pub use error::{DefinitionError, error_matches};
pub use execution::{Execution, Status, TaskCall};
pub use history::{EventDetails, EventType, HistoryEvent, trace};
