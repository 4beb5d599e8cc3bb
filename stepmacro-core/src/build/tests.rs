//! End-to-end tests of the driver on scratch crates.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let root =
            std::env::temp_dir().join(format!("stepmacro-build-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("src")).unwrap();
        fs::create_dir_all(root.join("target/debug/build/demo-1/out")).unwrap();
        fs::write(
            root.join("target/CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55",
        )
        .unwrap();
        Scratch { root }
    }

    fn file(&self, rel: &str, text: &str) -> &Self {
        let p = self.root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
        self
    }

    fn builder(&self) -> Builder {
        Builder::new()
            .env_lookup(|_| None)
            .cargo_instructions(false)
            .manifest_dir(&self.root)
            .build_out_dir(self.root.join("target/debug/build/demo-1/out"))
            .package_name("demo")
    }

    fn stable(&self) -> PathBuf {
        self.root.join("target/stepmacro/demo")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

const TASKS: &str = r#"
use stepmacro::prelude::*;

#[task(retry(max_attempts = 2))]
pub async fn fetch(id: u64) -> Result<String, Failure> { Ok(id.to_string()) }
"#;

fn workflow(name: &str) -> String {
    format!(
        "use stepmacro::prelude::*;\nworkflow! {{\n    pub async fn {name}(id: u64) -> Result<String, Failure> {{\n        \
         let s = fetch(id).await?;\n        Ok(s)\n    }}\n}}\n"
    )
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn one_workflow_writes_state_machine_json_and_the_embedded_copy() {
    let s = Scratch::new("one");
    s.file("src/tasks.rs", TASKS)
        .file("src/lib.rs", &workflow("fetcher"));
    let report = s.builder().run().unwrap();
    assert_eq!(report.stable_dir, s.stable());
    assert_eq!(report.workflows.len(), 1);
    let w = &report.workflows[0];
    assert_eq!(
        (w.name.as_str(), w.source.as_path()),
        ("fetcher", Path::new("src/lib.rs"))
    );
    assert_eq!(w.stable, s.stable().join("state_machine.json"));
    assert_eq!(
        w.embedded,
        s.root
            .join("target/debug/build/demo-1/out/stepmacro/fetcher.asl.json")
    );
    let bytes = fs::read(&w.stable).unwrap();
    assert_eq!(bytes, fs::read(&w.embedded).unwrap());
    assert_eq!(bytes.len(), w.bytes);
    let def: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(def["States"].as_object().unwrap().len(), w.states);
    assert!(
        report
            .instructions
            .iter()
            .any(|l| l.starts_with("cargo:rustc-env=STEPMACRO_DEFINITION_FILE_fetcher="))
    );
    assert_eq!(
        listing(&s.stable()),
        [
            ".stepmacro-demo.manifest",
            "state_machine.dot",
            "state_machine.json",
            "state_machine.mmd",
            "state_machine.policy.json",
            "state_machine.template.json",
            "stepmacro-summary.txt"
        ]
    );
    let summary = fs::read_to_string(&report.summary).unwrap();
    assert!(summary.starts_with(&format!(
        "stepmacro: fetcher: {} states, {} bytes of 1 MB",
        w.states, w.bytes
    )));
}

#[test]
fn output_is_deterministic_and_written_only_on_change() {
    let s = Scratch::new("determinism");
    s.file("src/tasks.rs", TASKS)
        .file("src/lib.rs", &workflow("fetcher"));
    let first = s.builder().run().unwrap();
    let path = &first.workflows[0].stable;
    let (bytes, mtime) = (
        fs::read(path).unwrap(),
        fs::metadata(path).unwrap().modified().unwrap(),
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    s.builder().run().unwrap();
    assert_eq!(fs::read(path).unwrap(), bytes);
    assert_eq!(fs::metadata(path).unwrap().modified().unwrap(), mtime);
}

#[test]
fn several_workflows_get_a_file_each_and_renames_leave_nothing_stale() {
    let s = Scratch::new("several");
    s.file("src/tasks.rs", TASKS)
        .file("src/a.rs", &workflow("alpha"))
        .file(
            "src/b/mod.rs",
            &format!("mod inner {{ {} }}", workflow("beta")),
        );
    let report = s.builder().run().unwrap();
    let names: Vec<_> = report.workflows.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["alpha", "beta"]);
    assert!(
        s.stable().join("alpha.asl.json").is_file() && s.stable().join("beta.asl.json").is_file()
    );
    assert!(s.stable().join("alpha.mmd").is_file());

    // Rename beta, delete alpha: one workflow left, so `state_machine.json`; nothing else remains.
    fs::remove_file(s.root.join("src/a.rs")).unwrap();
    s.file("src/b/mod.rs", &workflow("gamma"));
    let report = s.builder().run().unwrap();
    // Per workflow: definition, Mermaid, DOT, policy, template (stable) and the embedded copy.
    assert_eq!(report.removed.len(), 12, "{:#?}", report.removed);
    assert_eq!(
        listing(&s.stable()),
        [
            ".stepmacro-demo.manifest",
            "state_machine.dot",
            "state_machine.json",
            "state_machine.mmd",
            "state_machine.policy.json",
            "state_machine.template.json",
            "stepmacro-summary.txt"
        ]
    );
    assert_eq!(
        listing(&s.root.join("target/debug/build/demo-1/out/stepmacro")),
        [".stepmacro-manifest", "gamma.asl.json", "sources.list"]
    );
}

#[test]
fn a_workflow_with_errors_gets_no_file_and_its_macro_reports_them() {
    let s = Scratch::new("errors");
    s.file("src/tasks.rs", TASKS).file(
        "src/lib.rs",
        "use stepmacro::prelude::*;\n\n#[task(retry(backoff_rate = 0.5))]\nasync fn t() {}\n\nworkflow! {\n    #[workflow(colour = \"red\")]\n    async fn w() -> Result<(), Failure> { Ok(()) }\n}\n",
    );
    // The `#[task]` and `workflow!` macros report these with spans; the driver writes nothing for them
    // and says where the crate's sources are, for the macro to compile against the same context.
    let report = s.builder().run().unwrap();
    assert!(report.workflows.is_empty());
    assert!(!s.stable().join("state_machine.json").exists());
    let list = fs::read_to_string(
        s.root
            .join("target/debug/build/demo-1/out/stepmacro/sources.list"),
    )
    .unwrap();
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(
        list.lines()
            .all(|l| l.ends_with(".rs") && std::path::Path::new(l).is_absolute()),
        "{list}"
    );
}

#[test]
fn a_workflow_name_used_twice_is_a_located_build_error() {
    let s = Scratch::new("twice");
    s.file("src/tasks.rs", TASKS)
        .file("src/a.rs", &workflow("same"))
        .file("src/b.rs", &workflow("same"));
    let Err(BuildError::Compile(diags)) = s.builder().run() else {
        panic!("expected errors")
    };
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(text.len(), 1, "{text:#?}");
    assert!(text[0].starts_with("src/b.rs:"), "{}", text[0]);
    assert!(
        text[0].contains("another workflow is also named `same`"),
        "{}",
        text[0]
    );
    let lines = diags[0].cargo_lines();
    assert!(
        lines.len() > 1
            && lines
                .iter()
                .all(|l| l.starts_with("cargo:warning=") && !l[14..].contains('\n'))
    );
}

#[test]
fn out_dir_override_and_missing_environment() {
    let s = Scratch::new("override");
    s.file("src/tasks.rs", TASKS)
        .file("src/lib.rs", &workflow("fetcher"));
    let report = s.builder().out_dir("deploy/definitions").run().unwrap();
    assert_eq!(
        report.workflows[0].stable,
        s.root.join("deploy/definitions/state_machine.json")
    );
    let err = Builder::new()
        .env_lookup(|_| None)
        .cargo_instructions(false)
        .run()
        .unwrap_err();
    assert!(err.to_string().contains("CARGO_MANIFEST_DIR is not set"));
}

#[test]
fn crate_without_workflows_writes_only_a_summary() {
    let s = Scratch::new("none");
    s.file("src/lib.rs", TASKS);
    let report = s.builder().run().unwrap();
    assert!(report.workflows.is_empty());
    assert_eq!(
        fs::read_to_string(report.summary).unwrap(),
        "stepmacro: demo: no workflows\n"
    );
}
