//! [`Builder`]: the driver's options and its one pass over a crate.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use syn::ext::IdentExt;

use crate::asl;
use crate::build::collect::CrateSource;
use crate::build::diagnostic::{Diagnostic, Level};
use crate::build::output::{OwnedFiles, target_dir, write_if_changed};
use crate::build::paths::{
    OUT_SUBDIR, SINGLE_WORKFLOW_FILE, SOURCES_LIST, definition_env_var, definition_file_name, env,
};

/// AWS's hard limit on a definition's size, for the summary line.
const DEFINITION_LIMIT_BYTES: usize = 1_048_576;

/// The build driver. `Builder::new().run()` is what [`run`](super::run) does; the setters are for
/// crates that want another layout.
///
/// Where the stable copy goes, first match wins:
/// 1. `STEPMACRO_OUT_DIR` (so CI or a deploy script can redirect any crate's output);
/// 2. [`Builder::out_dir`];
/// 3. `<target dir>/stepmacro/<package name>/`.
///
/// Relative paths are relative to the package root (`CARGO_MANIFEST_DIR`). In that directory: a crate
/// with one workflow gets `state_machine.json`; with several, `<workflow>.asl.json` each; plus a Mermaid
/// rendering beside each (`.mmd`), and `stepmacro-summary.txt`.
#[derive(Clone, Debug)]
pub struct Builder {
    manifest_dir: Option<PathBuf>,
    build_out_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    package_name: Option<String>,
    src_dir: PathBuf,
    /// Generated files compiled as if they were under `src/` (see [`Builder::extra_source`]).
    extra_sources: Vec<PathBuf>,
    mermaid: bool,
    cargo_instructions: bool,
    /// Reads the environment; replaced in tests so they do not depend on the caller's.
    env: fn(&str) -> Option<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            manifest_dir: None,
            build_out_dir: None,
            out_dir: None,
            package_name: None,
            src_dir: PathBuf::from("src"),
            extra_sources: Vec::new(),
            mermaid: true,
            cargo_instructions: true,
            env: |k| std::env::var(k).ok(),
        }
    }
}

/// One workflow the driver wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenWorkflow {
    /// The workflow function's name.
    pub name: String,
    /// The file it is defined in, relative to the package root.
    pub source: PathBuf,
    /// `$OUT_DIR/stepmacro/<name>.asl.json`, which `workflow!` embeds.
    pub embedded: PathBuf,
    /// The stable copy (same bytes).
    pub stable: PathBuf,
    /// The Mermaid rendering beside the stable copy.
    pub mermaid: Option<PathBuf>,
    /// States, nested ones included.
    pub states: usize,
    /// Size of the definition in bytes.
    pub bytes: usize,
}

/// What a successful run did.
#[derive(Clone, Debug)]
pub struct BuildReport {
    pub stable_dir: PathBuf,
    pub workflows: Vec<WrittenWorkflow>,
    /// Files of earlier builds that this one deleted (renamed or removed workflows).
    pub removed: Vec<PathBuf>,
    /// Non-fatal findings (a file that does not parse, a task name defined twice).
    pub warnings: Vec<Diagnostic>,
    /// `stepmacro-summary.txt`.
    pub summary: PathBuf,
    /// The `cargo:` instructions of this run (printed when enabled).
    pub instructions: Vec<String>,
}

/// Why a run failed.
#[derive(Debug)]
pub enum BuildError {
    /// Errors in the crate's workflows, tasks or error enums, with their locations.
    Compile(Vec<Diagnostic>),
    /// Reading the source or writing an output failed.
    Io { path: PathBuf, error: io::Error },
    /// The driver was run outside a build script and not told where things are.
    Environment(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Compile(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            BuildError::Io { path, error } => write!(f, "stepmacro: {}: {error}", path.display()),
            BuildError::Environment(msg) => write!(f, "stepmacro: {msg}"),
        }
    }
}

impl std::error::Error for BuildError {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> BuildError + '_ {
    move |error| BuildError::Io {
        path: path.to_path_buf(),
        error,
    }
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The stable output directory (`STEPMACRO_OUT_DIR` still wins when set).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The package root (default: `CARGO_MANIFEST_DIR`).
    pub fn manifest_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.manifest_dir = Some(dir.into());
        self
    }

    /// Where the embedded copies go (default: `OUT_DIR`); `workflow!` reads `$OUT_DIR/stepmacro/`.
    pub fn build_out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.build_out_dir = Some(dir.into());
        self
    }

    /// The package name used in the default output path (default: `CARGO_PKG_NAME`).
    pub fn package_name(mut self, name: impl Into<String>) -> Self {
        self.package_name = Some(name.into());
        self
    }

    /// The source directory, relative to the package root (default `src`).
    pub fn src_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.src_dir = dir.into();
        self
    }

    /// Also reads this file, as if it were one more file under `src/`: for a build script that
    /// generates workflows into `OUT_DIR` and `include!`s them, so the driver compiles them alongside
    /// the crate's own (same tasks, error enums and serde types). Relative paths are relative to the
    /// package root; messages name the path as given. May be called several times.
    pub fn extra_source(mut self, path: impl Into<PathBuf>) -> Self {
        self.extra_sources.push(path.into());
        self
    }

    /// Write a Mermaid rendering beside each definition (default on).
    pub fn mermaid(mut self, on: bool) -> Self {
        self.mermaid = on;
        self
    }

    /// Print `cargo:` instructions (default on; off to use the driver outside a build script).
    pub fn cargo_instructions(mut self, on: bool) -> Self {
        self.cargo_instructions = on;
        self
    }

    #[cfg(test)]
    pub(crate) fn env_lookup(mut self, f: fn(&str) -> Option<String>) -> Self {
        self.env = f;
        self
    }

    fn var(&self, key: &str) -> Option<String> {
        (self.env)(key).filter(|v| !v.is_empty())
    }

    /// Compiles every workflow of the crate and writes the files. Prints the `cargo:` instructions
    /// (when enabled) whether or not it succeeds, so cargo reruns it on the next edit either way.
    pub fn run(&self) -> Result<BuildReport, BuildError> {
        let mut instructions = vec![format!("cargo:rerun-if-changed={}", self.src_dir.display())];
        for key in [env::OUT_DIR, env::FUNCTION_PREFIX, env::VERBOSE] {
            instructions.push(format!("cargo:rerun-if-env-changed={key}"));
        }
        let result = self.run_inner(&mut instructions);
        if self.cargo_instructions {
            for line in &instructions {
                println!("{line}");
            }
            if let Err(BuildError::Compile(diags)) = &result {
                for d in diags {
                    for line in d.cargo_lines() {
                        println!("{line}");
                    }
                }
            }
        }
        result.map(|mut r| {
            r.instructions = instructions;
            r
        })
    }

    fn run_inner(&self, instructions: &mut Vec<String>) -> Result<BuildReport, BuildError> {
        let manifest_dir = self
            .manifest_dir
            .clone()
            .or_else(|| self.var("CARGO_MANIFEST_DIR").map(PathBuf::from));
        let Some(manifest_dir) = manifest_dir else {
            return Err(BuildError::Environment(
                "CARGO_MANIFEST_DIR is not set: run the driver from build.rs (`fn main() { \
                 stepmacro_core::build::run(); }`), or give Builder::manifest_dir"
                    .into(),
            ));
        };
        let build_out = self
            .build_out_dir
            .clone()
            .or_else(|| self.var("OUT_DIR").map(PathBuf::from));
        let Some(build_out) = build_out else {
            return Err(BuildError::Environment(
                "OUT_DIR is not set: run the driver from build.rs, or give Builder::build_out_dir"
                    .into(),
            ));
        };
        let package = self
            .package_name
            .clone()
            .or_else(|| self.var("CARGO_PKG_NAME"))
            .or_else(|| {
                manifest_dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "crate".to_owned());
        let stable_dir = match self
            .var(env::OUT_DIR)
            .map(PathBuf::from)
            .or_else(|| self.out_dir.clone())
        {
            Some(d) => manifest_dir.join(d),
            None => target_dir(
                Some(&build_out),
                self.var("CARGO_TARGET_DIR").as_deref().map(Path::new),
                &manifest_dir,
            )
            .join("stepmacro")
            .join(&package),
        };
        let prefix = self.var(env::FUNCTION_PREFIX).unwrap_or_default();

        let mut src = CrateSource::read(&manifest_dir, &self.src_dir, &prefix)
            .map_err(io_err(&manifest_dir.join(&self.src_dir)))?;
        for extra in &self.extra_sources {
            let path = manifest_dir.join(extra);
            let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
            src.add_source(extra, &text);
        }
        for w in &src.warnings {
            instructions.extend(w.cargo_lines());
        }
        // Malformed `#[task]`s, `TaskError` enums and `workflow!`s are reported by their own macros,
        // with spans; only what no macro can see fails the build here.
        let mut errors = Vec::new();
        let mut compiled = Vec::new();
        let mut names: Vec<(String, PathBuf)> = Vec::new();
        for found in &src.workflows {
            let name = found.item.ident().unraw().to_string();
            if let Some((_, first)) = names.iter().find(|(n, _)| *n == name) {
                errors.extend(Diagnostic::all_from_syn(
                    &found.file,
                    &syn::Error::new(
                        found.item.ident().span(),
                        format!(
                            "another workflow is also named `{name}` (in {})\n  = help: workflow names name their \
                             definition files; rename one",
                            first.display()
                        ),
                    ),
                ));
                continue;
            }
            names.push((name.clone(), found.file.clone()));
            // A workflow that does not compile gets no file; its `workflow!` macro, compiling against
            // the same sources (see `sources.list`), reports the errors where rustc and IDEs show them
            // best: on the code, with spans.
            if let Ok(c) = crate::compile_workflow(&found.item, &src.context) {
                compiled.push((name, found, c));
            }
        }
        if !errors.is_empty() {
            return Err(BuildError::Compile(errors));
        }

        let embedded_dir = build_out.join(OUT_SUBDIR);
        // The files this context came from, for the `workflow!` macro to read the same crate.
        let list: String = src
            .files
            .iter()
            .map(|f| format!("{}\n", manifest_dir.join(f).display()))
            .collect();
        write_if_changed(&embedded_dir.join(SOURCES_LIST), list.as_bytes())
            .map_err(io_err(&embedded_dir))?;
        let mut embedded = OwnedFiles::new(&embedded_dir, ".stepmacro-manifest");
        let mut stable = OwnedFiles::new(&stable_dir, &format!(".stepmacro-{package}.manifest"));
        let single = compiled.len() == 1;
        // Where `cargo lambda build` puts the bootstraps, as the templates beside the definitions see it.
        let target = target_dir(
            Some(&build_out),
            self.var("CARGO_TARGET_DIR").as_deref().map(Path::new),
            &manifest_dir,
        );
        let lambda_dir = match stable_dir.strip_prefix(&target) {
            Ok(rel) => format!("{}lambda", "../".repeat(rel.components().count())),
            Err(_) => target.join("lambda").display().to_string(),
        };
        let mut workflows = Vec::new();
        for (name, found, c) in &compiled {
            let file = definition_file_name(name);
            let embedded_path = embedded
                .write(&file, c.json.as_bytes())
                .map_err(io_err(&embedded_dir.join(&file)))?;
            let stable_name = if single {
                SINGLE_WORKFLOW_FILE.to_owned()
            } else {
                file
            };
            let stable_path = stable
                .write(&stable_name, c.json.as_bytes())
                .map_err(io_err(&stable_dir.join(&stable_name)))?;
            let mermaid = if self.mermaid {
                let mmd = format!(
                    "{}.mmd",
                    stable_name
                        .trim_end_matches(".json")
                        .trim_end_matches(".asl")
                );
                let text = asl::render::mermaid(&c.machine);
                Some(
                    stable
                        .write(&mmd, text.as_bytes())
                        .map_err(io_err(&stable_dir.join(&mmd)))?,
                )
            } else {
                None
            };
            if self.mermaid {
                let dot = format!(
                    "{}.dot",
                    stable_name
                        .trim_end_matches(".json")
                        .trim_end_matches(".asl")
                );
                stable
                    .write(&dot, asl::render::dot(&c.machine).as_bytes())
                    .map_err(io_err(&stable_dir.join(&dot)))?;
            }
            // Deploy artifacts beside the definition: the role's policy and a SAM template.
            let mut options = crate::deploy::DeployOptions {
                definition: crate::deploy::DefinitionSource::Uri(stable_name.clone()),
                lambda_dir: lambda_dir.clone(),
                ..Default::default()
            };
            if found.item.attrs.kind == crate::front::workflow::WorkflowKind::Express {
                options.state_machine_type = crate::deploy::StateMachineType::Express;
            }
            match crate::deploy::DeployArtifacts::new(name, &c.machine, &options) {
                Ok(artifacts) => {
                    let stem = stable_name
                        .trim_end_matches(".json")
                        .trim_end_matches(".asl");
                    let (policy, template) =
                        crate::deploy::artifact_file_names(&format!("{stem}.json"));
                    stable
                        .write(&policy, artifacts.policy.to_json_pretty().as_bytes())
                        .map_err(io_err(&stable_dir.join(&policy)))?;
                    stable
                        .write(&template, artifacts.template.to_json_pretty().as_bytes())
                        .map_err(io_err(&stable_dir.join(&template)))?;
                }
                Err(e) => instructions.push(format!(
                    "cargo:warning=stepmacro: {name}: no deploy artifacts: {e}"
                )),
            }
            instructions.push(format!(
                "cargo:rustc-env={}={}",
                definition_env_var(name),
                stable_path.display()
            ));
            workflows.push(WrittenWorkflow {
                name: name.clone(),
                source: found.file.clone(),
                embedded: embedded_path,
                stable: stable_path,
                mermaid,
                states: c.state_count,
                bytes: c.json.len(),
            });
        }
        let mut removed = embedded.finish().map_err(io_err(&embedded_dir))?;
        removed.extend(stable.finish().map_err(io_err(&stable_dir))?);

        let summary_text = summary(&package, &workflows);
        let summary = stable_dir.join("stepmacro-summary.txt");
        write_if_changed(&summary, summary_text.as_bytes()).map_err(io_err(&summary))?;
        // One line per workflow on every build that recompiles them (states, bytes against the 1 MB
        // limit); `STEPMACRO_VERBOSE=0` silences it.
        if self.var(env::VERBOSE).is_none_or(|v| v != "0") {
            for line in summary_text.lines() {
                instructions.push(format!("cargo:warning={line}"));
            }
        }
        Ok(BuildReport {
            stable_dir,
            workflows,
            removed,
            warnings: src
                .warnings
                .into_iter()
                .filter(|d| d.level == Level::Warning)
                .collect(),
            summary,
            instructions: Vec::new(),
        })
    }
}

/// `stepmacro: <name>: N states, B bytes of 1 MB -> <path>`, one line per workflow.
fn summary(package: &str, workflows: &[WrittenWorkflow]) -> String {
    if workflows.is_empty() {
        return format!("stepmacro: {package}: no workflows\n");
    }
    let mut out = String::new();
    for w in workflows {
        out.push_str(&format!(
            "stepmacro: {}: {} states, {} bytes of 1 MB ({:.1}%) -> {}\n",
            w.name,
            w.states,
            w.bytes,
            w.bytes as f64 * 100.0 / DEFINITION_LIMIT_BYTES as f64,
            w.stable.display()
        ));
    }
    out
}
