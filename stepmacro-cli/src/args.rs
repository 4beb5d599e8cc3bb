//! The command line, as clap parses it. Usage errors (unknown flag, missing file argument) are
//! clap's own and exit with code 2, like an invalid definition.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Run, validate and draw Amazon States Language definitions locally, without AWS.
#[derive(Debug, Parser)]
#[command(name = "stepmacro", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a definition on the embedded interpreter and print its result as JSON.
    ///
    /// The readable trace goes to stderr, the result to stdout:
    /// `{"status": "SUCCEEDED", "output": ..}` or `{"status": "FAILED", "error": .., "cause": ..}`.
    /// Exit code: 0 succeeded, 1 failed or timed out, 2 invalid definition, input or mocks
    /// (including a task with no mock, or a mock list that ran out).
    Run(RunArgs),
    /// Check definitions with stepmacro's static validator; print PASS/FAIL and each finding.
    ///
    /// Exit code: 0 all valid, 1 some invalid, 2 some file could not be read.
    Validate(ValidateArgs),
    /// Draw a definition: Mermaid flowchart (default) or Graphviz DOT, to stdout.
    Graph(GraphArgs),
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The state machine definition (ASL JSON).
    #[arg(value_name = "DEF.json")]
    pub definition: PathBuf,
    /// The execution input (JSON); `-` reads stdin. Default: `{}`, as Step Functions uses.
    #[arg(long, value_name = "FILE|-")]
    pub input: Option<PathBuf>,
    /// Task behaviours in asl-check's MOCKS.json format. Without it every Task fails to run.
    #[arg(long, value_name = "FILE")]
    pub mocks: Option<PathBuf>,
    /// Sleep for real through Wait states, retry back-offs and timeouts (default: a virtual
    /// clock, on which they take no time but still show in the trace).
    #[arg(long)]
    pub real_time: bool,
    /// Seed for retry jitter, UUIDs, `$random()` and the execution name: repeatable runs.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Do not print the execution trace.
    #[arg(long)]
    pub no_trace: bool,
    /// Pretty-print the result JSON.
    #[arg(long)]
    pub pretty: bool,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Definitions to check.
    #[arg(value_name = "DEF.json", required = true)]
    pub definitions: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The definition to draw.
    #[arg(value_name = "DEF.json")]
    pub definition: PathBuf,
    /// Graphviz DOT instead of Mermaid.
    #[arg(long)]
    pub dot: bool,
}
