//! A parameter list as a JSON payload, one rule for tasks (Lambda payload) and workflows (execution
//! input): no parameter = `{}`, one = the value itself, several = an object keyed by parameter names.
//!
//! Several parameters go through a private `#[derive(Serialize/Deserialize)]` struct (serde's derive via
//! `::stepmacro::__private::serde`, so the user's crate needs no serde dependency of its own); its field
//! types carry the user's spans, so a type that is not serde points at the parameter.

use proc_macro2::TokenStream;
use quote::quote;

/// Encodes the tuple behind `args` (an expression of type `&(A, B, ..)`) as a
/// `Result<serde_json::Value, Failure>` expression.
pub(crate) fn encode(idents: &[syn::Ident], types: &[syn::Type], args: TokenStream) -> TokenStream {
    let err =
        quote!(|__sm_e| ::stepmacro::Failure::new("stepmacro.InvalidInput", __sm_e.to_string()));
    match idents.len() {
        0 => quote! {{
            let _ = #args;
            ::core::result::Result::Ok(::stepmacro::__private::serde_json::Value::Object(
                ::core::default::Default::default(),
            ))
        }},
        1 => quote!(::stepmacro::__private::serde_json::to_value(&(#args).0).map_err(#err)),
        _ => quote! {{
            #[derive(::stepmacro::__private::serde::Serialize)]
            #[serde(crate = "::stepmacro::__private::serde")]
            struct __StepmacroPayload<'__sm> { #(#idents: &'__sm #types,)* }
            let (#(#idents,)*) = #args;
            ::stepmacro::__private::serde_json::to_value(&__StepmacroPayload { #(#idents,)* }).map_err(#err)
        }},
    }
}

/// Decodes `payload` (an expression of type `serde_json::Value`) into the tuple `(A, B, ..)`, as a
/// `Result<(A, B, ..), Failure>` expression (`stepmacro.InvalidInput` naming the bad field).
pub(crate) fn decode(
    idents: &[syn::Ident],
    types: &[syn::Type],
    payload: TokenStream,
) -> TokenStream {
    match types {
        [] => quote! {{
            let _ = #payload;
            ::core::result::Result::<(), ::stepmacro::Failure>::Ok(())
        }},
        [ty] => quote!(::stepmacro::__private::decode_payload::<#ty>(#payload).map(|__sm| (__sm,))),
        _ => quote! {{
            #[derive(::stepmacro::__private::serde::Deserialize)]
            #[serde(crate = "::stepmacro::__private::serde")]
            struct __StepmacroArgs { #(#idents: #types,)* }
            ::stepmacro::__private::decode_payload::<__StepmacroArgs>(#payload).map(|__sm| (#(__sm.#idents,)*))
        }},
    }
}
