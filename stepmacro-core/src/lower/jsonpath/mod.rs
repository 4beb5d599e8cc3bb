//! `#[workflow(query_language = "JSONPath")]`: the lowered JSONata machine, rewritten as JSONPath.
//!
//! # Why a pass over the finished JSONata machine
//!
//! The lowering (statements → states, folding `let`s into `Assign`s, naming, pruning, merging and
//! portable Choices) is the same for both languages, and it already keeps the workflow's state in
//! variables. JSONPath states have variables too (`Assign` with `"name.$"` values, `$name` in paths),
//! so the rewrite is local: each state keeps its name, its transitions and its variables, and each
//! JSONata expression becomes the JSONPath path, intrinsic call or Choice rule that computes exactly
//! the same value — or the workflow is rejected, naming the state and the construct. A second
//! lowering would duplicate every control-flow decision; a pass keeps one source of truth, and the
//! JSONata definition (checked against the native run by the equivalence tests) is the specification
//! the JSONPath one must match.
//!
//! # Supported subset
//!
//! Everything a workflow *does* carries over: tasks (with retries and catches), `if`/`match`/loops
//! (Choice), `join!`/`try_join!`/`retry!` blocks (Parallel), `map!`/`join_all` (Map), `sleep`
//! (Wait), `return Err(..)` (Fail), and the variables between them. The expressions that carry over
//! (see `expr.rs` and `condition.rs` for the exact table):
//!
//! * literals; variables and their fields and tuple/vector elements at literal indices
//!   (`order.items[0].sku`); `xs[i]` with an integer `i` (`States.ArrayGetItem`); `xs.len()` of a
//!   vector (`States.ArrayLength`);
//! * struct, tuple and `vec![..]` literals of those (payload templates, `States.Array`);
//! * `format!("..{}..", ..)`, `a + b` and `.to_string()` on strings, integers and bools
//!   (`States.Format`);
//! * integer `a + b` and `a - 3` (`States.MathAdd`; it rounds non-integers, so the operands must be
//!   Rust integers — their types come from the task signatures, parameters, serde types, and the
//!   variables' assignments, see `infer.rs`); arithmetic on literals only;
//! * conditions: `== != < <= > >=` between a value and a literal, between a value and a path of the
//!   input, or between two integers (through their difference); `&&`, `||`, `!`,
//!   `is_some()`/`is_none()`, `Option` fields (and, in a rule's `Assign`, the fields its condition
//!   proved present), `matches!`/`match` on literals, unit enum variants and ranges; a computed operand
//!   (`i < xs.len()`, `a + b > 10`) is kept in a derived variable (`derived.rs`).
//!
//! Rejected, because JSONPath has no exact equivalent: `*`, `/`, `%`, negation and the difference of
//! two computed values, float `+`, string length and case, `contains`/`starts_with` on strings,
//! `push`/`extend` on vectors, `if`/`match`/`unwrap_or` used as values, displaying floats, comparing
//! structs or vectors, comparing two computed strings, booleans used as values, a backslash in the
//! literal text of a computed string (asl-validator rejects its escape). Such a workflow fails
//! to compile with an error that names the state, the field and the construct, and suggests JSONata
//! (the default) or a `#[task]`.
//!
//! # States added, and forms chosen for portability
//!
//! * The first state of a Parallel branch or a Map iteration that reads its input after its work
//!   (where JSONPath's `$` is the result) gets a Pass before it that saves the input in a variable
//!   (`scope.rs`, `Converter::scope`); a Succeed that must build its output becomes a Pass with
//!   `"End": true`. No other state is added or removed.
//! * Variables are read in `.$` template values, intrinsic arguments and Choice `Variable`s (documented
//!   by AWS), and in `ItemsPath`, `SecondsPath`, `TimestampPath` and `ErrorPath`/`CausePath` when the
//!   Rust code computes those from variables (moto, LocalStack and asl-validator accept it; AWS
//!   documents no list of the fields, asl-reference §12). A `…Path` Choice operand is only ever a path
//!   of the input: moto, LocalStack and statelint do not read a variable there.
//! * An assigning Choice rule is a Boolean rule (a data test becomes a one-rule `And`) and reads the
//!   input through `$$.Execution.Input` or the saved input, not `$`: moto and LocalStack drop the
//!   `Assign` of a data-test rule and evaluate `$` in a rule's `Assign` as the rule's boolean.
//! * `States.MathAdd` sums are exact for the integers JSONata represents exactly (below 2^53); whether
//!   AWS's implementation narrows them further is not documented.

mod condition;
mod derived;
mod error;
mod expr;
mod infer;
mod intrinsic;
mod path;
mod scope;
mod shape;
mod states;
mod value;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

pub use error::Unsupported;
pub use shape::Shape;

use crate::asl::{State, StateMachine, States};
use crate::front::types::{Ty, TypeRegistry};

/// What the conversion needs to know from the Rust side.
pub struct Signature<'a> {
    /// The crate's serde types (field names and types).
    pub types: &'a TypeRegistry,
    /// Lambda function name → the task's output type (`T` of `Result<T, E>`).
    pub task_outputs: BTreeMap<String, Ty>,
    /// The execution input: the one parameter's type, or the parameters by name.
    pub input: Shape,
}

/// Rewrites a JSONata machine (as `compile.rs` lowers it) as a JSONPath machine with the same
/// behaviour, or lists everything that stands in the way.
pub fn convert(
    machine: &StateMachine,
    sig: &Signature<'_>,
) -> Result<StateMachine, Vec<Unsupported>> {
    let vars = infer::infer(machine, sig);
    let derived = derived::DerivedVars::new(variable_names(&machine.states));
    let mut converter = states::Converter::new(sig, vars, derived, state_names(&machine.states));
    let top = scope::Scope {
        states: &machine.states,
        start_at: &machine.start_at,
        nested: false,
        input: sig.input.clone(),
        input_var: None,
    };
    // A first sweep finds the Choice operands that need derived variables, so that the real sweep
    // can keep them up to date in every `Assign`, including those before the Choice.
    let _ = converter.scope(&top);
    converter.errors.clear();
    let (start_at, states) = converter.scope(&top);
    if !converter.errors.is_empty() {
        let mut errors = converter.errors;
        errors.sort();
        errors.dedup();
        return Err(errors);
    }
    Ok(StateMachine {
        comment: machine.comment.clone(),
        // JSONPath is the default; leaving the field out keeps older validators (statelint) content.
        query_language: None,
        version: machine.version.clone(),
        timeout_seconds: machine.timeout_seconds,
        start_at,
        states,
    })
}

/// Every state name of the machine (nested machines included).
fn state_names(states: &States) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (name, state) in states.iter() {
        out.insert(name.to_owned());
        for child in state.children() {
            out.extend(state_names(child.states));
        }
    }
    out
}

/// Every variable the machine assigns (nested machines included).
fn variable_names(states: &States) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, state) in states.iter() {
        let mut blocks: Vec<&crate::asl::Assign> = state.assign().into_iter().collect();
        blocks.extend(state.catch().iter().filter_map(|c| c.assign.as_ref()));
        if let State::Choice(c) = state {
            blocks.extend(c.choices.iter().filter_map(|r| r.assign.as_ref()));
        }
        for b in blocks {
            out.extend(b.keys().map(|k| crate::asl::assigned_name(k).to_owned()));
        }
        for child in state.children() {
            out.extend(variable_names(child.states));
        }
    }
    out
}
