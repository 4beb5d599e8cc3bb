//! What `#[derive(TaskError)]` emits: `impl TaskError` (each variant's ASL name) and
//! `impl From<Type> for Failure` (so `Err(Type::Variant)?` works in a workflow body).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::{Data, DeriveInput};

use crate::front::task_error::ErrorTypeDef;

/// Expands `#[derive(TaskError)]`. Never panics: problems become `compile_error!`s.
pub fn expand_task_error(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let def = match ErrorTypeDef::parse(&input) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error(),
    };
    // ErrorTypeDef::parse has rejected everything but enums.
    let Data::Enum(data) = &input.data else {
        return TokenStream::new();
    };
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();

    let arms = data
        .variants
        .iter()
        .zip(&def.variants)
        .map(|(v, (_, name))| {
            let vi = &v.ident;
            quote!(Self::#vi { .. } => #name,)
        });
    let error_name = if data.variants.is_empty() {
        quote!(match *self {})
    } else {
        quote!(::std::borrow::Cow::Borrowed(match self { #(#arms)* }))
    };
    let by_variant = def.variants.iter().map(|(v, name)| {
        let v = Literal::string(v);
        quote!(#v => ::core::option::Option::Some(#name),)
    });
    // The same pairs again, as data: `workflow!` checks in a `const` the names it had to assume for an
    // enum of another crate (see `TaskError::ERROR_NAMES`).
    let pairs = def.variants.iter().map(|(v, name)| {
        let v = Literal::string(v);
        quote!((#v, #name),)
    });
    let e = format_ident!("__sm_e");
    quote! {
        impl #impl_generics ::stepmacro::TaskError for #ident #ty_generics #where_clause {
            const ERROR_NAMES: &'static [(&'static str, &'static str)] = &[#(#pairs)*];

            fn error_name(&self) -> ::std::borrow::Cow<'static, str> {
                #error_name
            }

            fn variant_error_name(variant: &str) -> ::core::option::Option<&'static str>
            where
                Self: ::core::marker::Sized,
            {
                match variant {
                    #(#by_variant)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl #impl_generics ::core::convert::From<#ident #ty_generics> for ::stepmacro::Failure #where_clause {
            fn from(#e: #ident #ty_generics) -> Self {
                ::stepmacro::Failure::from_task_error(&#e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_per_variant() {
        let out = expand_task_error(quote! {
            enum ApiError { Timeout, #[task_error(name = "RateLimited")] TooMany { after: u64 }, Http(u16) }
        })
        .to_string();
        assert!(
            out.contains("Self :: Timeout { .. } => \"ApiError.Timeout\""),
            "{out}"
        );
        assert!(out.contains("Self :: TooMany { .. } => \"RateLimited\""));
        assert!(
            out.contains("\"Http\" => :: core :: option :: Option :: Some (\"ApiError.Http\")")
        );
        assert!(out.contains("From < ApiError > for :: stepmacro :: Failure"));
        assert!(
            out.contains("= & [(\"Timeout\" , \"ApiError.Timeout\") , (\"TooMany\" , \"RateLimited\") , (\"Http\" , \"ApiError.Http\") ,]"),
            "{out}"
        );
    }

    #[test]
    fn empty_enum_and_errors() {
        let out = expand_task_error(quote!(
            enum Never {}
        ))
        .to_string();
        assert!(out.contains("match * self { }"), "{out}");
        let out = expand_task_error(quote!(
            struct S;
        ))
        .to_string();
        assert!(out.contains("compile_error"), "{out}");
    }
}
