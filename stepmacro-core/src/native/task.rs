//! What `#[task]` emits: the function unchanged, plus a type of the same name (type namespace only)
//! implementing `::stepmacro::Task`.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ItemFn;
use syn::spanned::Spanned;

use crate::context::CompileOptions;
use crate::front::task::{ErrorRef, Jitter, ParsedTask, RetryDef, validate_function_name};
use crate::native::payload;

/// Expands `#[task(<attr>)] <item>`. `options.function_prefix` is the crate-wide Lambda name prefix
/// (`STEPMACRO_FUNCTION_PREFIX`, read by the proc macro as the build driver reads it). Never panics:
/// problems become `compile_error!`s next to the unchanged function.
pub fn expand_task(attr: TokenStream, item: TokenStream, options: &CompileOptions) -> TokenStream {
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let e = syn::Error::new(e.span(), "#[task] goes on an `async fn`");
            let ce = e.to_compile_error();
            return quote!(#ce #item);
        }
    };
    let parsed = match ParsedTask::parse(attr, &func) {
        Ok(p) => p,
        Err(e) => return fallback(&func, e),
    };
    let function_name = parsed.def.function_name(options);
    if parsed.def.function.is_none()
        && let Err(msg) = validate_function_name(&function_name)
    {
        let e = syn::Error::new(
            func.sig.ident.span(),
            format!(
                "{msg}\n  = help: name the Lambda function explicitly: #[task(function = \"..\")]"
            ),
        );
        return fallback(&func, e);
    }
    let imp = task_impl(&func, &parsed, &function_name);
    quote!(#func #imp)
}

/// On error: the function, a bare type of its name (so uses elsewhere do not cascade into "cannot find
/// type"), and the errors.
fn fallback(func: &ItemFn, e: syn::Error) -> TokenStream {
    let errors = e.to_compile_error();
    let ty = handle_type(func);
    quote!(#func #ty #errors)
}

fn handle_type(func: &ItemFn) -> TokenStream {
    let vis = &func.vis;
    let ident = &func.sig.ident;
    let doc = format!(
        "The `Task` type of the `#[task]` fn [`{ident}()`]({ident}()): name, Lambda function, retries."
    );
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ident {}
    }
}

fn task_impl(func: &ItemFn, parsed: &ParsedTask, function_name: &str) -> TokenStream {
    let def = &parsed.def;
    let ident = &func.sig.ident;
    let name = Literal::string(&syn::ext::IdentExt::unraw(ident).to_string());
    let function_name = Literal::string(function_name);
    let idents = &parsed.param_idents;
    let types: Vec<&syn::Type> = def.params.iter().map(|(_, t)| t).collect();
    let types_owned: Vec<syn::Type> = types.iter().map(|t| (*t).clone()).collect();
    let output = &def.output;
    let sig_span = func.sig.span();
    let out_span = parsed.output_span;

    let (returned, call, adapt) = match &def.error {
        Some(err) => {
            let err_span = err.span();
            let to_failure =
                quote_spanned!(err_span=> ::stepmacro::Failure::from_task_error(&__sm_e));
            (
                quote_spanned!(out_span=> ::core::result::Result<#output, ::stepmacro::Failure>),
                quote_spanned! {sig_span=>
                    match #ident(#(#idents),*).await {
                        ::core::result::Result::Ok(__sm_v) => ::core::result::Result::Ok(__sm_v),
                        ::core::result::Result::Err(__sm_e) => ::core::result::Result::Err(#to_failure),
                    }
                },
                quote!(::core::result::Result::Ok(result)),
            )
        }
        None => (
            quote_spanned!(out_span=> #output),
            quote_spanned!(sig_span=> ::core::result::Result::Ok(#ident(#(#idents),*).await)),
            quote!(result),
        ),
    };
    let retries = retry_policies(parsed);
    let encode = payload::encode(idents, &types_owned, quote!(args));
    let decode = payload::decode(idents, &types_owned, quote!(payload));
    let args_ty = types.iter().map(|t| quote_spanned!(t.span()=> #t));
    let boxed = quote_spanned! {sig_span=>
        ::std::boxed::Box::pin(async move {
            let (#(#idents,)*) = args;
            #call
        })
    };
    let handle = handle_type(func);
    let output_ty = quote_spanned!(out_span=> #output);
    quote! {
        #handle

        impl ::stepmacro::Task for #ident {
            const NAME: &'static str = #name;
            const FUNCTION_NAME: &'static str = #function_name;
            type Args = (#(#args_ty,)*);
            type Output = #output_ty;
            type Returned = #returned;

            fn retry_policies() -> ::std::vec::Vec<::stepmacro::RetryPolicy> {
                #retries
            }

            fn call(
                args: Self::Args,
            ) -> ::stepmacro::__private::BoxFuture<'static, ::core::result::Result<Self::Output, ::stepmacro::Failure>>
            {
                #boxed
            }

            fn payload(
                args: &Self::Args,
            ) -> ::core::result::Result<::stepmacro::__private::serde_json::Value, ::stepmacro::Failure> {
                #encode
            }

            fn args_from_payload(
                payload: ::stepmacro::__private::serde_json::Value,
            ) -> ::core::result::Result<Self::Args, ::stepmacro::Failure> {
                #decode
            }

            fn adapt(
                result: ::core::result::Result<Self::Output, ::stepmacro::Failure>,
            ) -> ::core::result::Result<Self::Returned, ::stepmacro::Failure> {
                #adapt
            }
        }
    }
}

/// `vec![RetryPolicy { .. }, ..]`. A `Type::Variant` error is resolved through the type's `TaskError`
/// impl (so a `#[task_error(name = "..")]` rename is honoured), after a check, spanned at the path, that
/// the variant exists.
fn retry_policies(parsed: &ParsedTask) -> TokenStream {
    // The same list the definition's Retry is made from (the Lambda transient retrier included), so a
    // mocked `Lambda.TooManyRequestsException` is retried natively as on AWS.
    let effective = crate::lower::task::effective_retry(&parsed.def);
    let extra = effective.len() - parsed.def.retry.len();
    let mut paths = vec![Vec::new(); extra];
    paths.extend(parsed.retry_error_paths.iter().cloned());
    policies_tokens(&effective, &paths)
}

/// `vec![RetryPolicy { .. }, ..]` for retriers and the paths their `errors` were written as (shared by
/// `#[task(retry(..))]` and `retry!`).
pub(crate) fn policies_tokens(
    defs: &[RetryDef],
    error_paths: &[Vec<Option<syn::Path>>],
) -> TokenStream {
    let policies =
        defs.iter().zip(error_paths).map(|(r, paths)| {
            let RetryDef {
                errors,
                interval_seconds,
                max_attempts,
                backoff_rate,
                max_delay_seconds,
                jitter,
            } = r;
            // `paths` may be shorter than `errors` (a retrier the compiler adds has no written paths).
            let names = errors.iter().enumerate().map(|(i, e)| {
                match (e, paths.get(i).cloned().flatten()) {
                    (ErrorRef::Name(n), _) => quote!(#n),
                    (ErrorRef::Path(segs), Some(path)) => variant_name(&path, segs),
                    (ErrorRef::Path(segs), None) => {
                        let n = segs.join(".");
                        quote!(#n)
                    }
                }
            });
            let interval = interval_seconds.unwrap_or(1);
            let attempts = max_attempts.unwrap_or(3);
            let backoff = Literal::f64_unsuffixed(backoff_rate.unwrap_or(2.0));
            let max_delay = match max_delay_seconds {
                Some(d) => quote!(::core::option::Option::Some(#d)),
                None => quote!(::core::option::Option::None),
            };
            let jitter_full = *jitter == Some(Jitter::Full);
            quote! {
                ::stepmacro::RetryPolicy {
                    errors: ::std::vec![#(#names),*],
                    interval_seconds: #interval,
                    max_attempts: #attempts,
                    backoff_rate: #backoff,
                    max_delay_seconds: #max_delay,
                    jitter_full: #jitter_full,
                }
            }
        });
    quote!(::std::vec![#(#policies),*])
}

/// `<Type as TaskError>::variant_error_name("Variant")`, defaulting to `"Type.Variant"` for a hand-written
/// `TaskError` impl that does not list its variants.
fn variant_name(path: &syn::Path, segs: &[String]) -> TokenStream {
    let span = path
        .segments
        .last()
        .map(|s| s.ident.span())
        .unwrap_or_else(Span::call_site);
    let mut ty = path.clone();
    ty.segments.pop();
    let lead = &ty.leading_colon;
    let ty_segs = ty.segments.iter();
    let ty = quote!(#lead #(#ty_segs)::*);
    let variant = segs
        .last()
        .map(|s| s.strip_prefix("r#").unwrap_or(s))
        .unwrap_or_default();
    let default = format!("{}.{variant}", segs[segs.len().saturating_sub(2)]);
    quote_spanned! {span=>
        {
            let _ = |__v: #ty| ::core::matches!(__v, #path { .. });
            <#ty as ::stepmacro::TaskError>::variant_error_name(#variant).unwrap_or(#default)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(attr: TokenStream, item: TokenStream) -> String {
        expand_task(
            attr,
            item,
            &CompileOptions {
                function_prefix: "dev-".into(),
            },
        )
        .to_string()
    }

    #[test]
    fn emits_fn_and_task_impl() {
        let out = expand(
            quote!(retry(
                errors = [ApiError::Timeout, "States.Timeout"],
                max_attempts = 4
            )),
            quote!(
                pub async fn callExternalApi(req: ApiRequest) -> Result<ApiResponse, ApiError> {
                    unreachable!("only expanded")
                }
            ),
        );
        assert!(out.starts_with("pub async fn callExternalApi"), "{out}");
        assert!(out.contains("pub struct callExternalApi { }"));
        assert!(out.contains("impl :: stepmacro :: Task for callExternalApi"));
        assert!(out.contains("const FUNCTION_NAME : & 'static str = \"dev-callExternalApi\""));
        assert!(out.contains("type Args = (ApiRequest ,)"));
        assert!(out.contains(
            "type Returned = :: core :: result :: Result < ApiResponse , :: stepmacro :: Failure >"
        ));
        assert!(out.contains(
            "< ApiError as :: stepmacro :: TaskError > :: variant_error_name (\"Timeout\") . unwrap_or (\"ApiError.Timeout\")"
        ));
        assert!(out.contains("\"States.Timeout\""));
        assert!(out.contains("max_attempts : 4u32") || out.contains("max_attempts : 4"));
        assert!(out.contains("Failure :: from_task_error (& __sm_e)"));
    }

    #[test]
    fn infallible_task_returns_its_output() {
        let out = expand(
            quote!(function = "arn:aws:lambda:us-east-1:1:function:f"),
            quote!(
                async fn f(a: u8, b: String) -> u8 {
                    a
                }
            ),
        );
        assert!(out.contains("type Returned = u8"), "{out}");
        assert!(out.contains("\"arn:aws:lambda:us-east-1:1:function:f\""));
        assert!(out.contains("struct __StepmacroPayload"));
        assert!(out.contains("struct __StepmacroArgs"));
    }

    #[test]
    fn errors_keep_the_function() {
        let out = expand(
            quote!(timeout_seconds = 0),
            quote!(
                fn f(x: &str) {}
            ),
        );
        assert!(out.contains("fn f (x : & str) { }"), "{out}");
        assert!(out.contains("struct f { }"));
        assert_eq!(out.matches("compile_error").count(), 3, "{out}");
        assert!(!out.contains("impl :: stepmacro :: Task"));
    }

    #[test]
    fn derived_function_name_is_checked() {
        let out = expand_task(
            quote!(),
            quote!(
                async fn größe() {}
            ),
            &CompileOptions::default(),
        )
        .to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("#[task(function"));
    }
}
