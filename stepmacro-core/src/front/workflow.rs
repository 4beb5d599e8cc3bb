//! The `workflow!` item: an `async fn` with `#[workflow(..)]` options and doc comments.

use syn::parse::{Parse, ParseStream};
use syn::{Attribute, ItemFn, LitInt, LitStr};

use super::diagnostics::Diagnostics;
use super::syntax::option_key;

/// `#[workflow(name = "...", comment = "...", timeout_seconds = N, query_language = "JSONata" | "JSONPath",
/// kind = "STANDARD" | "EXPRESS")]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkflowAttrs {
    /// State machine name (default: the fn name).
    pub name: Option<String>,
    /// `Comment`; defaults to the doc comment.
    pub comment: Option<String>,
    pub timeout_seconds: Option<u64>,
    pub query_language: QueryLanguageChoice,
    /// The `query_language = ".."` value as written, for errors about the choice.
    pub query_language_lit: Option<LitStr>,
    pub kind: WorkflowKind,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueryLanguageChoice {
    #[default]
    JSONata,
    JSONPath,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WorkflowKind {
    #[default]
    Standard,
    Express,
}

/// What `workflow! { .. }` contains: one `async fn`, its options parsed out of its attributes.
#[derive(Clone, Debug)]
pub struct WorkflowItem {
    pub attrs: WorkflowAttrs,
    /// The function with the `#[workflow]` attribute removed (doc comments kept).
    pub func: ItemFn,
}

impl WorkflowItem {
    /// The workflow's Rust name.
    pub fn ident(&self) -> &syn::Ident {
        &self.func.sig.ident
    }
}

impl Parse for WorkflowItem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut func: ItemFn = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("workflow! takes exactly one `async fn`; put each workflow in its own workflow! { .. }"));
        }
        if func.sig.asyncness.is_none() {
            return Err(syn::Error::new(
                func.sig.fn_token.span,
                "a workflow must be an `async fn`\n  = help: write `async fn` — the workflow also runs natively as async Rust",
            ));
        }
        let mut attrs = WorkflowAttrs::default();
        let diag = Diagnostics::new();
        let mut doc = Vec::new();
        func.attrs.retain(|a| {
            if a.path().is_ident("workflow") {
                if let Err(e) = parse_workflow_attr(a, &mut attrs) {
                    diag.push(e);
                }
                false
            } else {
                if let Some(line) = doc_line(a) {
                    doc.push(line);
                }
                true
            }
        });
        diag.check()?;
        if attrs.comment.is_none() && !doc.is_empty() {
            attrs.comment = Some(doc.join("\n").trim().to_owned());
        }
        Ok(WorkflowItem { attrs, func })
    }
}

fn doc_line(attr: &Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = &nv.value
    else {
        return None;
    };
    let v = s.value();
    Some(v.strip_prefix(' ').unwrap_or(&v).to_owned())
}

fn parse_workflow_attr(attr: &Attribute, out: &mut WorkflowAttrs) -> syn::Result<()> {
    attr.parse_nested_meta(|meta| {
        let key = option_key(&meta.path);
        match key.as_str() {
            "name" => out.name = Some(meta.value()?.parse::<LitStr>()?.value()),
            "comment" => out.comment = Some(meta.value()?.parse::<LitStr>()?.value()),
            "timeout_seconds" => {
                let lit: LitInt = meta.value()?.parse()?;
                let v: u64 = lit.base10_parse()?;
                if v == 0 || v >= 99_999_999 {
                    return Err(syn::Error::new(lit.span(), "timeout_seconds must be between 1 and 99999998"));
                }
                out.timeout_seconds = Some(v);
            }
            "query_language" => {
                let lit: LitStr = meta.value()?.parse()?;
                out.query_language = match lit.value().as_str() {
                    "JSONata" => QueryLanguageChoice::JSONata,
                    "JSONPath" => QueryLanguageChoice::JSONPath,
                    _ => return Err(syn::Error::new(lit.span(), "query_language is \"JSONata\" or \"JSONPath\"")),
                };
                out.query_language_lit = Some(lit);
            }
            "kind" => {
                let lit: LitStr = meta.value()?.parse()?;
                out.kind = match lit.value().as_str() {
                    "STANDARD" => WorkflowKind::Standard,
                    "EXPRESS" => WorkflowKind::Express,
                    _ => return Err(syn::Error::new(lit.span(), "kind is \"STANDARD\" or \"EXPRESS\"")),
                };
            }
            _ => {
                return Err(meta.error(
                    "unknown workflow option\n  = help: expected one of: name, comment, timeout_seconds, query_language, kind",
                ));
            }
        }
        Ok(())
    })
}
