//! `#[derive(TaskError)]`: the ASL error names of an error enum's variants.
//!
//! One parser ([`ErrorTypeDef::parse`]) for the derive macro, which implements `TaskError`, and for the
//! build driver, which needs the same names to write `ErrorEquals` for `Err(Type::Variant)` arms and
//! `retry(errors = [Type::Variant])`.
//!
//! Naming: `Type.Variant` by default. `#[task_error(prefix = "..")]` on the enum replaces the `Type.`
//! part (so `prefix = "Payments."` gives `Payments.Declined`, and `prefix = ""` gives the bare variant
//! name, handy to match names another service raises), and `#[task_error(name = "..")]` on a variant sets
//! its whole name.

use syn::ext::IdentExt;
use syn::{Attribute, Data, DeriveInput, LitStr};

use crate::front::diagnostics::Diagnostics;

/// An error enum's variants and their ASL names (`Type.Variant` unless `#[task_error(name = "..")]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorTypeDef {
    pub ident: String,
    /// (variant ident, ASL error name), in declaration order.
    pub variants: Vec<(String, String)>,
}

impl ErrorTypeDef {
    /// Parses the `#[derive(TaskError)]` input. All problems come back together in one error.
    pub fn parse(input: &DeriveInput) -> syn::Result<ErrorTypeDef> {
        let Data::Enum(data) = &input.data else {
            let kw = match &input.data {
                Data::Struct(s) => s.struct_token.span,
                Data::Union(u) => u.union_token.span,
                Data::Enum(_) => unreachable!("matched above"),
            };
            return Err(syn::Error::new(
                kw,
                "#[derive(TaskError)] is for enums: each variant is one named error\n  = help: implement \
                 `stepmacro::TaskError` by hand for a struct, or wrap it in an enum variant",
            ));
        };
        let diag = Diagnostics::new();
        let ident = input.ident.unraw().to_string();
        let mut prefix = format!("{ident}.");
        for attr in task_error_attrs(&input.attrs) {
            let r = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("prefix") {
                    prefix = meta.value()?.parse::<LitStr>()?.value();
                    Ok(())
                } else if meta.path.is_ident("name") {
                    Err(meta.error(
                        "`name` goes on a variant\n  = help: on the enum, `#[task_error(prefix = \"..\")]` replaces \
                         the `Type.` part of every variant's name",
                    ))
                } else {
                    Err(meta.error("unknown task_error option on the enum\n  = help: expected `prefix = \"..\"`"))
                }
            });
            if let Err(e) = r {
                diag.push(e);
            }
        }

        let mut variants: Vec<(String, String)> = Vec::new();
        for v in &data.variants {
            let vname = v.ident.unraw().to_string();
            let mut name = format!("{prefix}{vname}");
            let mut name_span = v.ident.span();
            for attr in task_error_attrs(&v.attrs) {
                let r = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("name") {
                        let lit: LitStr = meta.value()?.parse()?;
                        name = lit.value();
                        name_span = lit.span();
                        Ok(())
                    } else {
                        Err(meta.error("unknown task_error option on a variant\n  = help: expected `name = \"..\"`"))
                    }
                });
                if let Err(e) = r {
                    diag.push(e);
                }
            }
            if name.is_empty() {
                diag.error(name_span, "an error name cannot be empty");
            } else if name.starts_with("States.") {
                diag.error(
                    name_span,
                    format!(
                        "`{name}`: the `States.` prefix is reserved for Step Functions' own errors\n  = help: \
                         choose another name; to react to `States.Timeout`, match it in retry(errors = [..])"
                    ),
                );
            }
            if let Some((other, _)) = variants.iter().find(|(_, n)| *n == name) {
                diag.error(
                    name_span,
                    format!(
                        "variants `{other}` and `{vname}` both have the error name `{name}`\n  = help: a Catch could \
                         not tell them apart; give one of them another `#[task_error(name = \"..\")]`"
                    ),
                );
            }
            variants.push((vname, name));
        }
        diag.check()?;
        Ok(ErrorTypeDef { ident, variants })
    }

    /// The ASL name of `variant`, if the enum has it.
    pub fn error_name(&self, variant: &str) -> Option<&str> {
        self.variants
            .iter()
            .find(|(v, _)| v == variant)
            .map(|(_, n)| n.as_str())
    }
}

fn task_error_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("task_error"))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(tokens: proc_macro2::TokenStream) -> syn::Result<ErrorTypeDef> {
        ErrorTypeDef::parse(&syn::parse2(tokens).unwrap())
    }

    #[test]
    fn default_and_overridden_names() {
        let def = parse(quote! {
            enum ApiError {
                Timeout,
                #[task_error(name = "RateLimited")]
                TooMany { retry_after: u64 },
                Http(u16),
            }
        })
        .unwrap();
        assert_eq!(def.ident, "ApiError");
        assert_eq!(
            def.variants,
            [
                ("Timeout".to_owned(), "ApiError.Timeout".to_owned()),
                ("TooMany".to_owned(), "RateLimited".to_owned()),
                ("Http".to_owned(), "ApiError.Http".to_owned()),
            ]
        );
        assert_eq!(def.error_name("TooMany"), Some("RateLimited"));
        assert_eq!(def.error_name("Nope"), None);
    }

    #[test]
    fn prefix_replaces_type_part() {
        let def = parse(quote! {
            #[task_error(prefix = "")]
            enum E { CustomError, #[task_error(name = "X.Y")] Other }
        })
        .unwrap();
        assert_eq!(def.error_name("CustomError"), Some("CustomError"));
        assert_eq!(def.error_name("Other"), Some("X.Y"));
    }

    #[test]
    fn errors_are_accumulated() {
        let e = parse(quote! {
            #[task_error(name = "x")]
            enum E {
                #[task_error(name = "States.Timeout")] A,
                #[task_error(name = "E.C")] B,
                C,
                #[task_error(nme = "x")] D,
            }
        })
        .unwrap_err();
        let m: Vec<String> = e.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(m.len(), 4, "{m:#?}");
        assert!(m[0].contains("`name` goes on a variant"));
        assert!(m[1].contains("reserved"));
        assert!(m[2].contains("both have the error name `E.C`"));
        assert!(m[3].contains("unknown task_error option on a variant"));
    }

    #[test]
    fn structs_are_rejected() {
        let e = parse(quote!(
            struct E;
        ))
        .unwrap_err();
        assert!(e.to_string().contains("is for enums"));
    }
}
