//! Reading a crate's source: every `#[task]`, `#[derive(TaskError)]` enum, serde type and `workflow!`
//! under `src/`, as the compiler's [`CrateContext`] plus the workflows to compile.

use std::collections::btree_map::Entry;
use std::fs;
use std::path::{Path, PathBuf};

use syn::{Attribute, Item, Meta};

use crate::build::diagnostic::Diagnostic;
use crate::context::CrateContext;
use crate::front::syntax::{derives, last_segment};
use crate::front::task::TaskDef;
use crate::front::task_error::ErrorTypeDef;
use crate::front::workflow::WorkflowItem;

/// A workflow found in the source, with the file it is in (relative to the crate root).
#[derive(Debug)]
pub struct FoundWorkflow {
    pub file: PathBuf,
    pub item: WorkflowItem,
}

/// What the driver found in a crate.
#[derive(Debug, Default)]
pub struct CrateSource {
    /// Tasks, error enums and serde types; `complete` is set.
    pub context: CrateContext,
    /// Workflows in file order (files sorted by path), then source order.
    pub workflows: Vec<FoundWorkflow>,
    /// Problems: unparsable files, malformed `#[task]`s, `TaskError` enums and `workflow!`s.
    pub errors: Vec<Diagnostic>,
    /// Things worth saying that do not stop the build (a task name defined twice, ..).
    pub warnings: Vec<Diagnostic>,
    /// Every file read (relative to the crate root), sorted.
    pub files: Vec<PathBuf>,
}

/// Every `.rs` file under `dir`, recursively, sorted by path (so that the output does not depend on
/// the order the file system lists directories in).
pub fn rust_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

impl CrateSource {
    /// Reads every `.rs` file under `root/src_dir`.
    pub fn read(
        root: &Path,
        src_dir: &Path,
        function_prefix: &str,
    ) -> std::io::Result<CrateSource> {
        let mut src = CrateSource::default();
        src.context.complete = true;
        src.context.options.function_prefix = function_prefix.to_owned();
        let dir = root.join(src_dir);
        if !dir.is_dir() {
            return Ok(src);
        }
        for path in rust_files(&dir)? {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let text = fs::read_to_string(&path)?;
            src.add_source(&rel, &text);
        }
        Ok(src)
    }

    /// Adds one file's items (`file` names it in messages).
    pub fn add_source(&mut self, file: &Path, text: &str) {
        self.files.push(file.to_path_buf());
        let parsed = match syn::parse_file(text) {
            Ok(f) => f,
            Err(e) => {
                // rustc reports syntax errors better than we can; say why the file was skipped.
                self.warnings.push(Diagnostic::from_syn(
                    file,
                    &syn::Error::new(e.span(), format!("skipped (does not parse: {e})")),
                ));
                return;
            }
        };
        self.context.types.add_file(&parsed);
        self.add_items(file, &parsed.items);
    }

    fn add_items(&mut self, file: &Path, items: &[Item]) {
        for item in items {
            match item {
                Item::Fn(f) => {
                    if let Some(attr) = f.attrs.iter().find(|a| last_segment(a.path()) == "task") {
                        self.add_task(file, attr, f);
                    }
                }
                Item::Enum(e) if derives(&e.attrs, "TaskError") => {
                    let input = syn::DeriveInput {
                        attrs: e.attrs.clone(),
                        vis: e.vis.clone(),
                        ident: e.ident.clone(),
                        generics: e.generics.clone(),
                        data: syn::Data::Enum(syn::DataEnum {
                            enum_token: e.enum_token,
                            brace_token: e.brace_token,
                            variants: e.variants.clone(),
                        }),
                    };
                    match ErrorTypeDef::parse(&input) {
                        Ok(def) => self.insert_error(file, &e.ident, def),
                        Err(err) => self.errors.extend(Diagnostic::all_from_syn(file, &err)),
                    }
                }
                Item::Macro(m) if last_segment(&m.mac.path) == "workflow" => {
                    match syn::parse2::<WorkflowItem>(m.mac.tokens.clone()) {
                        Ok(item) => self.workflows.push(FoundWorkflow {
                            file: file.to_path_buf(),
                            item,
                        }),
                        Err(err) => self.errors.extend(Diagnostic::all_from_syn(file, &err)),
                    }
                }
                Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        self.add_items(file, items);
                    }
                }
                _ => {}
            }
        }
    }

    fn add_task(&mut self, file: &Path, attr: &Attribute, f: &syn::ItemFn) {
        let tokens = match &attr.meta {
            Meta::Path(_) => proc_macro2::TokenStream::new(),
            Meta::List(l) => l.tokens.clone(),
            Meta::NameValue(nv) => {
                let e = syn::Error::new_spanned(nv, "write `#[task]` or `#[task(..)]`");
                self.errors.extend(Diagnostic::all_from_syn(file, &e));
                return;
            }
        };
        match TaskDef::parse(tokens, f) {
            Ok(def) => match self.context.tasks.entry(def.ident.clone()) {
                Entry::Vacant(v) => {
                    v.insert(def);
                }
                Entry::Occupied(_) => self.warnings.push(Diagnostic::from_syn(
                    file,
                    &syn::Error::new(
                        f.sig.ident.span(),
                        format!(
                            "another #[task] is also named `{}`; workflows that call it use the first one found",
                            f.sig.ident
                        ),
                    ),
                )),
            },
            Err(err) => self.errors.extend(Diagnostic::all_from_syn(file, &err)),
        }
    }

    fn insert_error(&mut self, file: &Path, ident: &syn::Ident, def: ErrorTypeDef) {
        match self.context.errors.entry(def.ident.clone()) {
            Entry::Vacant(v) => {
                v.insert(def);
            }
            Entry::Occupied(_) => self.warnings.push(Diagnostic::from_syn(
                file,
                &syn::Error::new(
                    ident.span(),
                    format!("another TaskError enum is also named `{ident}`; workflows use the first one found"),
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_tasks_errors_and_workflows_in_modules() {
        let mut src = CrateSource::default();
        src.add_source(
            Path::new("src/lib.rs"),
            r#"
            use stepmacro::prelude::*;
            #[task(retry(max_attempts = 2))]
            async fn a(x: u8) -> Result<u8, E> { Ok(x) }
            #[derive(Debug, stepmacro::TaskError)]
            enum E { X, #[task_error(name = "Why")] Y }
            mod inner {
                #[stepmacro::task(function = "b-fn")]
                async fn b(x: u8) -> u8 { x }
                workflow! { async fn w(x: u8) -> Result<u8, Failure> { Ok(b(a(x).await?).await) } }
            }
            "#,
        );
        assert!(src.errors.is_empty(), "{:?}", src.errors);
        assert_eq!(src.context.tasks.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(src.context.tasks["a"].retry[0].max_attempts, Some(2));
        assert_eq!(src.context.tasks["b"].function.as_deref(), Some("b-fn"));
        assert_eq!(src.context.errors["E"].error_name("Y"), Some("Why"));
        assert_eq!(src.workflows.len(), 1);
        assert_eq!(src.workflows[0].item.ident().to_string(), "w");
    }

    #[test]
    fn errors_carry_file_and_position() {
        let mut src = CrateSource::default();
        src.add_source(
            Path::new("src/tasks.rs"),
            "// a task\n\n#[task(timeout_seconds = 0)]\nasync fn a(x: u8) {}\n",
        );
        assert_eq!(src.errors.len(), 1);
        let d = &src.errors[0];
        assert_eq!((d.line, d.column), (3, 26));
        assert!(
            d.to_string()
                .starts_with("src/tasks.rs:3:26: error: `timeout_seconds` must be between 1"),
            "{d}"
        );
    }

    #[test]
    fn unparsable_file_is_skipped_with_a_warning() {
        let mut src = CrateSource::default();
        src.add_source(Path::new("src/broken.rs"), "fn (");
        assert!(src.errors.is_empty());
        assert_eq!(src.warnings.len(), 1);
    }

    #[test]
    fn duplicate_task_names_warn() {
        let mut src = CrateSource::default();
        src.add_source(Path::new("src/a.rs"), "#[task] async fn t() {}");
        src.add_source(Path::new("src/b.rs"), "#[task] async fn t() {}");
        assert_eq!(src.warnings.len(), 1);
        assert!(
            src.warnings[0]
                .to_string()
                .starts_with("src/b.rs:1:18: warning: another #[task]")
        );
    }
}
