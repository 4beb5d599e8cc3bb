//! What `workflow! { async fn name(..) -> Result<T, Failure> { .. } }` emits:
//!
//! * the native `async fn name(..)`, its body rewritten by [`expand`](super::expand);
//! * a type `name` (type namespace only) implementing `::stepmacro::Workflow`: `NAME`, `DEFINITION`
//!   (`include_str!` of the file the build driver wrote into `OUT_DIR`, so the embedded bytes are the
//!   build's), `tasks()`, `run_native`;
//! * inherent items on that type: `DEFINITION_FILE` (the stable copy's path) and `state_machine()`.
//!
//! The macro also compiles the workflow (against an incomplete crate context) only to report spanned
//! errors; on errors it still emits the function and the type, thiserror-style, so that rustc and
//! rust-analyzer do not cascade.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::ItemFn;
use syn::spanned::Spanned;

use crate::build::paths::{definition_env_var, definition_file_name};
use crate::context::{CompileOptions, CrateContext};
use crate::front::diagnostics::Diagnostics;
use crate::front::task::{check_signature_shape, simple_params};
use crate::front::workflow::WorkflowItem;
use crate::native::{error_names, expand, payload};

/// What the proc macro reads from its environment.
#[derive(Clone, Debug, Default)]
pub struct WorkflowEnv {
    /// `OUT_DIR` at expansion time; `None` when the crate has no build script.
    pub out_dir: Option<String>,
}

/// Expands `workflow! { .. }`. Never panics: problems become `compile_error!`s next to the emitted items.
pub fn expand_workflow(input: TokenStream, env: &WorkflowEnv) -> TokenStream {
    let item: WorkflowItem = match syn::parse2(input.clone()) {
        Ok(i) => i,
        Err(e) => return fallback(input, e),
    };
    // Compiled for its spanned errors, against the crate the build driver read (its `sources.list`), so
    // the macro reports exactly what the driver found; without a build script, against the workflow
    // alone (`complete: false`). The definition itself always comes from the driver.
    let context = env.out_dir.as_deref().and_then(crate_context);
    let driver_context = context.is_some();
    let context = context.unwrap_or_default();
    let compiled = crate::compile_workflow(&item, &context);
    // The macro's own checks (signature, native rewrite) overlap the compiler's front end; report them
    // only when the compiler found nothing, so one mistake gives one message.
    let own = Diagnostics::new();
    let sig = &item.func.sig;
    check_signature_shape(sig, "workflow", &own);
    let params = simple_params(sig, "workflow", &own);
    let native = expand(&item.func);
    if let Some(e) = native.error {
        own.push(e);
    }
    let errors = Diagnostics::new();
    if let Err(e) = compiled.and(own.check()) {
        errors.push(e);
    }

    let ident = &sig.ident;
    let name = syn::ext::IdentExt::unraw(ident).to_string();
    let definition = if errors.has_errors() {
        // The definition does not matter when the crate does not compile.
        quote!("")
    } else if let Some(out_dir) = &env.out_dir {
        let file = format!("/stepmacro/{}", definition_file_name(&name));
        if std::path::Path::new(&format!("{out_dir}{file}")).is_file() {
            quote!(::core::include_str!(
                ::core::concat!(::core::env!("OUT_DIR"), #file)
            ))
        } else {
            // Say why, instead of letting `include_str!` report a missing file.
            errors.error(
                ident.span(),
                format!(
                    "the build driver wrote no definition for `{name}`\n  = help: the driver compiles the \
                     workflows in `src/**/*.rs` at item level (modules included); put this workflow! there, and \
                     check that build.rs runs `stepmacro_core::build::run()`"
                ),
            );
            quote!("")
        }
    } else {
        errors.error(
            ident.span(),
            "workflow! needs the build driver, which writes the definition this macro embeds\n  = help: add a \
             build.rs: `fn main() { stepmacro_core::build::run(); }` and `stepmacro-core` under \
             [build-dependencies]",
        );
        quote!("")
    };

    // The rewrite turns `task(..).await?` into an adapted call with `?` of its own, so the user's
    // `Ok(task(..).await?)` and a unit-valued `let` read to clippy like needless code they did not write.
    let mut func = native.func.clone();
    func.attrs.insert(
        0,
        syn::parse_quote!(#[allow(clippy::needless_question_mark, clippy::let_unit_value)]),
    );
    let func = &func;
    let vis = &func.vis;
    let idents: Vec<syn::Ident> = params.iter().map(|(i, _)| i.clone()).collect();
    let types: Vec<syn::Type> = params.iter().map(|(_, t)| t.clone()).collect();
    let decode = payload::decode(&idents, &types, quote!(input));
    let tasks = native
        .tasks
        .iter()
        .map(|p| quote_spanned!(p.span()=> <#p as ::stepmacro::Task>::handle()));
    let out_span = match &sig.output {
        syn::ReturnType::Type(_, t) => t.span(),
        syn::ReturnType::Default => ident.span(),
    };
    let call = quote_spanned!(out_span=> #ident(#(#idents),*).await?);
    let boxed = if !errors.has_errors() {
        quote_spanned! {sig.span()=>
            ::std::boxed::Box::pin(async move {
                let (#(#idents,)*) = #decode?;
                let __sm_out = #call;
                ::stepmacro::__private::serde_json::to_value(__sm_out)
                    .map_err(|__sm_e| ::stepmacro::Failure::new("stepmacro.InvalidOutput", __sm_e.to_string()))
            })
        }
    } else {
        // The crate does not compile; a body that cannot itself fail to type-check keeps rustc from
        // adding errors about the call (a rejected parameter would be "missing" from it).
        quote! {
            ::std::boxed::Box::pin(async move {
                let _ = input;
                ::core::result::Result::Err(::stepmacro::Failure::new("stepmacro.CompileError", "the workflow did not compile"))
            })
        }
    };
    let name_lit = Literal::string(&name);
    let env_var = Literal::string(&definition_env_var(&name));
    let doc = format!(
        "The `Workflow` type of [`{name}()`]({name}()): its ASL definition (as `cargo build` wrote it), its \
         tasks, and a native runner."
    );
    // The error names assumed for enums outside the crate's sources, checked against the enums'
    // `TaskError::ERROR_NAMES` (only against the driver's context: without it every enum is unseen, and
    // the crate does not compile anyway when there are errors).
    let name_checks = if driver_context && !errors.has_errors() {
        error_names::assumed_error_name_checks(&context, &item.func)
    } else {
        TokenStream::new()
    };
    let errors = errors.check().err().map(|e| e.to_compile_error());
    quote! {
        #errors
        #name_checks
        #func

        #[doc = #doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ident {}

        impl ::stepmacro::Workflow for #ident {
            const NAME: &'static str = #name_lit;
            const DEFINITION: &'static str = #definition;

            fn tasks() -> ::std::vec::Vec<::stepmacro::TaskHandle> {
                ::std::vec![#(#tasks),*]
            }

            fn run_native(
                input: ::stepmacro::__private::serde_json::Value,
            ) -> ::stepmacro::__private::BoxFuture<
                'static,
                ::core::result::Result<::stepmacro::__private::serde_json::Value, ::stepmacro::Failure>,
            > {
                #boxed
            }
        }

        #[allow(dead_code)]
        impl #ident {
            /// Where the build driver put the stable copy of the definition (`None` when this crate was
            /// built without it).
            pub const DEFINITION_FILE: ::core::option::Option<&'static str> = ::core::option_env!(#env_var);

            /// The definition as a typed ASL state machine.
            pub fn state_machine() -> ::core::result::Result<::stepmacro::asl::StateMachine, ::stepmacro::asl::AslError> {
                ::stepmacro::asl::StateMachine::from_json(<Self as ::stepmacro::Workflow>::DEFINITION)
            }
        }
    }
}

/// The input did not parse as a workflow: emit the function as far as it parses (native, without
/// `#[workflow]` attributes), a bare type of its name, and the error.
fn fallback(input: TokenStream, e: syn::Error) -> TokenStream {
    let errors = e.to_compile_error();
    let Ok(mut func) = syn::parse2::<ItemFn>(input) else {
        return errors;
    };
    func.attrs.retain(|a| !a.path().is_ident("workflow"));
    let func = expand(&func).func;
    let ident = &func.sig.ident;
    let vis = &func.vis;
    quote! {
        #errors
        #func
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ident {}
    }
}

/// The crate context the build driver compiled from, read anew by every `workflow!` expansion: the
/// syn trees hold `proc_macro` handles that are only valid within one expansion, so nothing can be
/// cached across them (parsing a crate's sources takes milliseconds). `None` when the driver left no
/// `sources.list`.
fn crate_context(out_dir: &str) -> Option<CrateContext> {
    let list_path = std::path::Path::new(out_dir)
        .join(crate::build::paths::OUT_SUBDIR)
        .join(crate::build::paths::SOURCES_LIST);
    let list = std::fs::read_to_string(list_path).ok()?;
    let mut src = crate::build::CrateSource::default();
    src.context.complete = true;
    src.context.options = CompileOptions::from_env();
    for path in list.lines().filter(|l| !l.is_empty()) {
        let text = std::fs::read_to_string(path).ok()?;
        src.add_source(std::path::Path::new(path), &text);
    }
    Some(src.context)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `OUT_DIR` where the driver wrote `call_api`'s definition.
    fn env() -> WorkflowEnv {
        let dir =
            std::env::temp_dir().join(format!("stepmacro-native-workflow-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("stepmacro")).unwrap();
        std::fs::write(dir.join("stepmacro/call_api.asl.json"), "{}").unwrap();
        WorkflowEnv {
            out_dir: Some(dir.to_string_lossy().into_owned()),
        }
    }

    #[test]
    fn missing_definition_is_explained() {
        let out = expand_workflow(
            quote!(
                async fn elsewhere() -> Result<(), Failure> {
                    Ok(())
                }
            ),
            &env(),
        )
        .to_string();
        assert!(
            out.contains("the build driver wrote no definition for `elsewhere`"),
            "{out}"
        );
        assert!(!out.contains("include_str"));
    }

    #[test]
    fn emits_native_fn_and_workflow_impl() {
        let out = expand_workflow(
            quote! {
                /// Calls the API.
                pub async fn call_api(req: ApiRequest) -> Result<ApiResponse, Failure> {
                    match callExternalApi(req).await {
                        Ok(resp) => Ok(resp),
                        Err(failure) => { logError(failure.clone()).await?; Err(failure) }
                    }
                }
            },
            &env(),
        )
        .to_string();
        assert!(!out.contains("compile_error"), "{out}");
        assert!(
            out.contains("# [doc = r\" Calls the API.\"] pub async fn call_api"),
            "{out}"
        );
        assert!(out.contains("pub struct call_api { }"));
        assert!(out.contains("const DEFINITION : & 'static str = :: core :: include_str ! (:: core :: concat ! (:: core :: env ! (\"OUT_DIR\") , \"/stepmacro/call_api.asl.json\"))"));
        assert!(out.contains(
            "< callExternalApi as :: stepmacro :: Task > :: handle () , < logError as :: stepmacro :: Task > :: handle ()"
        ));
        assert!(
            out.contains(":: stepmacro :: __private :: decode_payload :: < ApiRequest > (input)")
        );
        assert!(out.contains("option_env ! (\"STEPMACRO_DEFINITION_FILE_call_api\")"));
    }

    #[test]
    fn missing_build_script_is_an_error_with_a_hint() {
        let out = expand_workflow(
            quote!(
                async fn w() -> Result<(), Failure> {
                    Ok(())
                }
            ),
            &WorkflowEnv::default(),
        )
        .to_string();
        assert!(out.contains("add a build.rs"), "{out}");
        assert!(out.contains("async fn w ()"));
    }

    #[test]
    fn errors_still_emit_the_items() {
        let out = expand_workflow(
            quote!(
                #[workflow(color = "red")]
                async fn w(&self) -> Result<(), Failure> {
                    Ok(())
                }
            ),
            &env(),
        )
        .to_string();
        assert!(out.contains("unknown workflow option"), "{out}");
        assert!(out.contains("async fn w (& self)"));
        assert!(out.contains("struct w { }"));

        let out = expand_workflow(
            quote!(
                async fn w(x: &str) -> Result<(), Failure> {
                    Ok(())
                }
            ),
            &env(),
        )
        .to_string();
        // The compiler's message only (the macro's own parameter check would say the same again),
        // and no call of the fn with the rejected parameter missing.
        assert!(
            out.contains("workflow parameters are owned values"),
            "{out}"
        );
        assert!(!out.contains("cannot contain a reference"), "{out}");
        assert!(out.contains("const DEFINITION : & 'static str = \"\""));
        assert!(out.contains("stepmacro.CompileError"));
        assert!(!out.contains("w () . await"));
        assert!(!out.contains("add a build.rs"));
    }
}
