//! The compiler's entry point: one workflow in, one ASL definition out.
//!
//! front end (syn → IR, `front`) → lowering (IR → state graph, `lower`) → ASL model (`asl`) →
//! [JSONPath rewrite, for `query_language = "JSONPath"` (`lower::jsonpath`)] → validation (the same
//! static checks the ASL validators apply) → rendering (deterministic JSON).

use crate::asl::{self, StateMachine};
use crate::context::CrateContext;
use crate::front::diagnostics::Diagnostics;
use crate::front::workflow::{QueryLanguageChoice, WorkflowItem, WorkflowKind};

/// Express state machines run at most five minutes.
pub const EXPRESS_MAX_SECONDS: u64 = 300;
use crate::front::diagnostics::MOVE_TO_TASK;
use crate::front::types::Ty;
use crate::lower::edges::Edge;
use crate::lower::jsonata::string_literal;
use crate::lower::jsonpath;
use crate::lower::lowerer::Lowerer;

/// A compiled workflow.
#[derive(Clone, Debug)]
pub struct CompiledWorkflow {
    /// The workflow function's name.
    pub name: String,
    /// The state machine.
    pub machine: StateMachine,
    /// The definition as written to disk and embedded in the program (pretty, deterministic).
    pub json: String,
    /// Rust names of the tasks it calls, in first-call order.
    pub task_idents: Vec<String>,
    /// Lambda function names of the tasks it calls, in first-call order.
    pub task_functions: Vec<String>,
    /// Number of states, nested ones included.
    pub state_count: usize,
}

/// Compiles a workflow against what is known about its crate. All errors of the workflow come back
/// together in one `syn::Error` (iterate it for each span).
pub fn compile_workflow(
    item: &WorkflowItem,
    ctx: &CrateContext,
) -> Result<CompiledWorkflow, syn::Error> {
    let diag = Diagnostics::new();
    if let (WorkflowKind::Express, Some(t)) = (item.attrs.kind, item.attrs.timeout_seconds)
        && t > EXPRESS_MAX_SECONDS
    {
        diag.error(
            item.ident().span(),
            format!(
                "an EXPRESS workflow runs at most {EXPRESS_MAX_SECONDS} seconds; timeout_seconds is {t}\n  = help: use kind = \"STANDARD\" for longer runs"
            ),
        );
    }
    let Some(workflow) = crate::front::parse_workflow(item, &diag) else {
        return Err(diag
            .check()
            .expect_err("the front end reports why it returns no workflow"));
    };
    let mut lowerer = Lowerer::new(ctx, &diag, item.attrs.kind);
    // The execution input: one parameter is the value itself, several are an object keyed by name.
    let mut start = Edge::start();
    let single = workflow.params.len() == 1;
    for (ident, ty) in &workflow.params {
        let code = if single {
            "$states.input".to_owned()
        } else {
            format!(
                "$lookup($states.input, {})",
                string_literal(&ident.to_string())
            )
        };
        lowerer.declare_param(&mut start, ident, ty, code);
    }
    let open = lowerer.body(&workflow.body, start);
    if !open.is_empty() {
        diag.error(
            item.func.block.brace_token.span.close(),
            "the workflow can reach its end without returning\n  = help: end every path with `Ok(value)` or `Err(failure)`",
        );
    }
    let task_idents = lowerer.tasks_called.clone();
    let task_functions = task_idents
        .iter()
        .map(|t| match ctx.tasks.get(t) {
            Some(def) => def.function_name(&ctx.options),
            None => format!("{}{t}", ctx.options.function_prefix),
        })
        .collect();
    let mut machine = lowerer
        .graph
        .into_machine(item.attrs.comment.clone(), item.attrs.timeout_seconds);
    crate::lower::prune::prune_dead_assignments(&mut machine);
    let start_at = machine.start_at.clone();
    crate::lower::merge_choices::merge_chained_choices(&start_at, &mut machine.states);
    crate::lower::portable_choices::make_choices_portable(&mut machine.states);
    diag.check()?;

    // The state machine is complete; what remains are the JSONPath rewrite and the static checks.
    let diag = Diagnostics::new();
    if item.attrs.query_language == QueryLanguageChoice::JSONPath {
        match jsonpath::convert(&machine, &jsonpath_signature(&workflow.params, ctx)) {
            Ok(converted) => machine = converted,
            Err(problems) => {
                let span = item
                    .attrs
                    .query_language_lit
                    .as_ref()
                    .map(|l| l.span())
                    .unwrap_or_else(|| item.ident().span());
                for p in problems {
                    diag.error(
                        span,
                        format!(
                            "query_language = \"JSONPath\" cannot express this workflow: {p}\n  = help: use JSONata (the default query language: remove `query_language`), or {MOVE_TO_TASK}"
                        ),
                    );
                }
                return Err(diag
                    .check()
                    .expect_err("the JSONPath conversion names at least one problem"));
            }
        }
    }
    // Every definition we emit passes the static checks; a failure here is a compiler bug, reported
    // as an error rather than a definition AWS would reject.
    for problem in asl::validate(&machine)
        .into_iter()
        .filter(|d| d.severity == asl::Severity::Error)
    {
        diag.error(
            item.ident().span(),
            format!("internal compiler error: the generated definition is invalid: {problem}\n  = note: please report this"),
        );
    }
    let json = machine.to_json_pretty();
    let state_count = asl::stats(&machine).states;
    diag.check()?;
    Ok(CompiledWorkflow {
        name: item.ident().to_string(),
        machine,
        json,
        task_idents,
        task_functions,
        state_count,
    })
}

/// What the JSONPath conversion needs from the Rust side: the serde types, each task's output type
/// (by the Lambda function name the definition calls) and the execution input's shape (the one
/// parameter, or an object keyed by the parameters' names, as the lowering reads it).
fn jsonpath_signature<'a>(
    params: &[(syn::Ident, syn::Type)],
    ctx: &'a CrateContext,
) -> jsonpath::Signature<'a> {
    let input = match params {
        [(_, ty)] => jsonpath::Shape::Of(Ty::from_syn(ty)),
        _ => jsonpath::Shape::Params(std::rc::Rc::new(
            params
                .iter()
                .map(|(ident, ty)| (ident.to_string(), Ty::from_syn(ty)))
                .collect(),
        )),
    };
    jsonpath::Signature {
        types: &ctx.types,
        task_outputs: ctx
            .tasks
            .values()
            .map(|def| (def.function_name(&ctx.options), Ty::from_syn(&def.output)))
            .collect(),
        input,
    }
}
