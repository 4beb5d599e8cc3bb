//! Builds a `CrateContext` from a source file, as the build driver does, for compiler tests.

use quote::ToTokens;
use stepmacro_core::CrateContext;
use stepmacro_core::front::task::TaskDef;
use stepmacro_core::front::task_error::ErrorTypeDef;
use stepmacro_core::front::workflow::WorkflowItem;

pub fn ctx_from(src: &str) -> (CrateContext, Vec<WorkflowItem>) {
    let file: syn::File = syn::parse_str(src).unwrap();
    let mut ctx = CrateContext {
        complete: true,
        ..Default::default()
    };
    ctx.types.add_file(&file);
    let mut wfs = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Fn(f) => {
                if let Some(a) = f.attrs.iter().find(|a| a.path().is_ident("task")) {
                    let tokens = match &a.meta {
                        syn::Meta::List(l) => l.tokens.clone(),
                        _ => Default::default(),
                    };
                    let def = TaskDef::parse(tokens, f).unwrap();
                    ctx.tasks.insert(def.ident.clone(), def);
                }
            }
            syn::Item::Enum(e)
                if e.attrs
                    .iter()
                    .any(|a| a.to_token_stream().to_string().contains("TaskError")) =>
            {
                let input: syn::DeriveInput = syn::parse2(e.to_token_stream()).unwrap();
                let def = ErrorTypeDef::parse(&input).unwrap();
                ctx.errors.insert(def.ident.clone(), def);
            }
            syn::Item::Macro(m) if m.mac.path.is_ident("workflow") => {
                wfs.push(syn::parse2::<WorkflowItem>(m.mac.tokens.clone()).unwrap());
            }
            _ => {}
        }
    }
    (ctx, wfs)
}
