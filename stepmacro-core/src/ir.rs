//! The workflow IR: a workflow body classified into the constructs the lowering knows, each keeping
//! the syn nodes it needs (pure expressions stay `syn::Expr`, translated to JSONata during lowering)
//! and the span to blame.
//!
//! Enums here are unboxed on purpose (`clippy::large_enum_variant` is allowed): a node is built once
//! per statement and walked a few times, so the size spread costs nothing measurable, while boxing
//! would clutter every construction and pattern in the front end and the lowering.
#![allow(clippy::large_enum_variant)]

use proc_macro2::Span;
use syn::{Expr, Ident, Pat, Type};

/// A workflow after the front end.
#[derive(Clone, Debug)]
pub struct Workflow {
    pub name: Ident,
    pub params: Vec<(Ident, Type)>,
    /// `T` of the `Result<T, Failure>` return type.
    pub output: Type,
    pub body: Block,
}

/// A sequence of statements; its value (if any) is the tail statement's.
#[derive(Clone, Debug, Default)]
pub struct Block {
    pub stmts: Vec<Stmt>,
}

/// One statement. `label` is a `#[state("..")]` name for the state the statement creates.
#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub label: Option<String>,
    pub span: Span,
}

/// Where a value goes.
#[derive(Clone, Debug)]
pub enum Target {
    /// `let x` / `let (a, b)` / `let _`: new bindings.
    Let(Binding),
    /// `x = ..` to an existing variable.
    Assign(Ident),
    /// Evaluated for effect (`task(..).await?;`).
    Discard,
}

/// A binding pattern of `let`: a name, `_`, or a tuple of those.
#[derive(Clone, Debug)]
pub enum Binding {
    Ident(Ident, Option<Type>),
    Wild,
    Tuple(Vec<Binding>),
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    /// `target = value` where value is pure or a construct producing one.
    Bind {
        target: Target,
        value: Value,
    },
    /// `x += e` etc.: `x = x <op> e`, already desugared into `Bind` by the front end.
    /// `v.push(e)`: appends to a vector variable.
    Push {
        var: Ident,
        value: Expr,
    },
    /// `while cond { .. }` (also `while let`).
    While {
        cond: Cond,
        body: Block,
        label: Option<String>,
    },
    /// `loop { .. }`.
    Loop {
        body: Block,
        label: Option<String>,
    },
    /// `for pat in iter { .. }`: sequential.
    For {
        var: Ident,
        iter: ForIter,
        body: Block,
        label: Option<String>,
    },
    Break {
        label: Option<String>,
    },
    Continue {
        label: Option<String>,
    },
    /// `return Ok(e)` / tail `Ok(e)`.
    ReturnOk(Expr),
    /// `return Err(e)` / tail `Err(e)` / `Err(e)?`: a Fail state.
    ReturnErr(FailValue),
    /// `sleep(Duration::from_secs(e)).await` / `sleep_until(ts).await`.
    Wait(WaitFor),
    /// A value in statement position that is neither bound nor returned (a block's tail value that
    /// flows to the enclosing destination).
    Value(Value),
}

/// What a `for` iterates.
#[derive(Clone, Debug)]
pub enum ForIter {
    /// `a..b` / `a..=b`.
    Range {
        start: Expr,
        end: Expr,
        inclusive: bool,
    },
    /// A vector expression (`xs`, `xs.iter()`, `&xs`).
    Vec(Expr),
}

#[derive(Clone, Debug)]
pub enum WaitFor {
    Seconds(Expr),
    Timestamp(Expr),
}

/// The error of a Fail state.
#[derive(Clone, Debug)]
pub enum FailValue {
    /// `Failure::new(error, cause)`.
    New { error: Expr, cause: Expr },
    /// `Err(Type::Variant)`: a task error value; its ASL name is looked up.
    Variant { path: Vec<String>, span: Span },
    /// Any other expression of type `Failure` (e.g. a caught error `e`).
    Failure(Expr),
}

/// A condition of `if`/`while`.
#[derive(Clone, Debug)]
pub enum Cond {
    Expr(Expr),
    /// `if let pat = expr`.
    Let(Pat, Expr),
}

/// Something that produces a value.
#[derive(Clone, Debug)]
pub enum Value {
    /// A pure expression, translated to JSONata.
    Pure(Expr),
    /// `task(args).await?` (`propagate`), or the bare call inside a catch.
    Task(TaskCall),
    /// `if c { a } else { b }` with value.
    If {
        cond: Cond,
        then: Block,
        otherwise: Option<Block>,
    },
    /// `match e { .. }` on a pure scrutinee.
    Match { scrutinee: Expr, arms: Vec<Arm> },
    /// `match task(..).await { Ok(..) => .., Err(..) => .. }` / `if let Err(e) = task(..).await`.
    Catch(Box<Catch>),
    /// `{ .. }`.
    Block(Block),
    /// `join!(..)` / `try_join!(..)?`: a Parallel state, one branch per element.
    Parallel(Parallel),
    /// `map!(xs, max_concurrency = n, |x| async move { .. })?`, `join_all(xs.iter().map(|x| ..)).await`,
    /// `try_join_all(..).await?`: an inline Map state.
    Map(Box<MapValue>),
    /// `retry!(.. => body)?`: the task's `Retry`, or a single-branch Parallel carrying it.
    Retry(Box<RetryValue>),
}

/// One branch of a Parallel: a task call or an async block (whose `Ok`/`Err` tail is the branch's
/// result).
#[derive(Clone, Debug)]
pub enum BranchBody {
    Task(TaskCall),
    Block(Block),
    /// A Parallel or Map (`match try_join!(..) { .. }`): the Catch goes on that state.
    Nested(Box<Value>),
}

#[derive(Clone, Debug)]
pub struct Parallel {
    pub branches: Vec<BranchBody>,
    /// `try_join!`: the first branch error fails the whole (as ASL does). `join!`: each branch keeps
    /// its `Ok`/`Err` as a value (`{"Ok": v}` / `{"Err": failure}`, serde's form of `Result`).
    pub fail_fast: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct MapValue {
    pub items: Expr,
    pub var: Ident,
    pub body: BranchBody,
    pub max_concurrency: Option<u32>,
    /// As for [`Parallel::fail_fast`].
    pub fail_fast: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct RetryValue {
    pub retriers: Vec<crate::front::task::RetryDef>,
    pub body: BranchBody,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Arm {
    pub pat: Pat,
    pub guard: Option<Expr>,
    pub body: Block,
    pub span: Span,
}

/// A task call.
#[derive(Clone, Debug)]
pub struct TaskCall {
    /// The callee as written (`callExternalApi`, `tasks::charge`); the last segment names the task.
    pub path: syn::Path,
    pub args: Vec<Expr>,
    pub span: Span,
}

impl TaskCall {
    pub fn ident(&self) -> String {
        self.path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default()
    }
}

/// One arm of a catch, in source order: which outcomes it takes, its guard, its body.
///
/// Rust tries the arms in order; so does the lowering: the Task's success (`Next`) goes through the
/// `Ok`/`_` arms, its errors (`Catch`) through the `Err`/`_` arms, a guard or a refutable `Ok` pattern
/// adding a Choice after the Task.
#[derive(Clone, Debug)]
pub struct CatchArm {
    pub pat: CatchPat,
    /// `if ..` after the pattern: the arm takes the outcome only when it holds.
    pub guard: Option<Expr>,
    pub body: Block,
    pub span: Span,
}

/// What a catch arm's pattern takes.
#[derive(Clone, Debug)]
pub enum CatchPat {
    /// `Ok(pat)`: a success value that `pat` matches (any pattern a `match` arm accepts).
    Ok(Pat),
    /// `Err(..)`: the errors it names (empty = every error) and the name bound to the `Failure`.
    Err {
        errors: Vec<ErrorMatch>,
        binding: Option<Ident>,
    },
    /// `_`: any outcome.
    Any,
}

/// An error named by a catch pattern.
#[derive(Clone, Debug)]
pub struct ErrorMatch {
    pub path: Vec<String>,
    pub span: Span,
}

/// A task call (or an async block, a Parallel, a Map) whose outcome is matched.
#[derive(Clone, Debug)]
pub struct Catch {
    pub call: BranchBody,
    /// The arms in source order (`if let Err(e) = ..` without `else`: an `Ok(_)` arm with an empty body,
    /// so success continues after the statement).
    pub arms: Vec<CatchArm>,
    /// An arm's pattern was rejected (and reported): the arms left may not cover every outcome, which
    /// the lowering then does not report again.
    pub arm_rejected: bool,
}
