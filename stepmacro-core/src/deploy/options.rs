//! Choices the definition does not make: how the template refers to the definition and the binaries,
//! and the functions' runtime settings.

use std::collections::BTreeMap;

/// How the state machine resource gets its definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionSource {
    /// `DefinitionUri`: a path relative to the template (SAM uploads the file on `sam deploy`), so the
    /// definition file stays the single source and the template does not repeat it.
    Uri(String),
    /// `Definition`: the definition inlined into the template (one self-contained file).
    Inline,
}

/// `STANDARD` or `EXPRESS` (the workflow's `kind`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StateMachineType {
    #[default]
    Standard,
    Express,
}

impl StateMachineType {
    pub fn as_str(self) -> &'static str {
        match self {
            StateMachineType::Standard => "STANDARD",
            StateMachineType::Express => "EXPRESS",
        }
    }
}

/// The instruction set the bootstraps are built for (`cargo lambda build` defaults to the host's;
/// `--arm64` builds for Graviton).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Architecture {
    #[default]
    X86_64,
    Arm64,
}

impl Architecture {
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

/// Options of [`DeployArtifacts::new`](super::DeployArtifacts::new).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployOptions {
    /// Default: `DefinitionUri` = `state_machine.json` (the definition file beside the template).
    pub definition: DefinitionSource,
    pub state_machine_type: StateMachineType,
    /// Where `cargo lambda build` writes `<binary>/bootstrap`, relative to the template's directory.
    /// Default `target/lambda` (a template at the crate root); a template written under `target/`
    /// needs the matching relative path, e.g. `../../lambda`.
    pub lambda_dir: String,
    pub architecture: Architecture,
    /// Default 128.
    pub memory_size_mb: u32,
    /// The Lambda timeout of a task whose state has no literal `TimeoutSeconds` (which otherwise sets
    /// it, so Lambda does not cut off a call Step Functions still waits for). Default 30.
    pub default_timeout_seconds: u64,
    /// Function name → cargo binary, for binaries not named like their function. Default: the
    /// binary is the function name (what `cargo lambda deploy <name>` and `cargo lambda watch` expect).
    pub binaries: BTreeMap<String, String>,
}

impl Default for DeployOptions {
    fn default() -> Self {
        DeployOptions {
            definition: DefinitionSource::Uri("state_machine.json".to_owned()),
            state_machine_type: StateMachineType::Standard,
            lambda_dir: "target/lambda".to_owned(),
            architecture: Architecture::X86_64,
            memory_size_mb: 128,
            default_timeout_seconds: 30,
            binaries: BTreeMap::new(),
        }
    }
}
