//! Readings of syn trees that the workflow front end, the lowering and the native rewrite all make, so
//! that they recognise a construct by the same rule.

use syn::punctuated::Punctuated;
use syn::{Expr, Token};

/// Parentheses and groups are transparent.
pub fn strip(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        other => other,
    }
}

/// The name of a path's last segment (`join` for `futures::join`), empty for an empty path: how macros
/// and prelude functions are recognised wherever they are imported from.
pub fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// The name of a one-identifier path (an attribute option's key: `retry` in `#[task(retry(..))]`), empty
/// for any other path, so that it falls to the "unknown option" case.
pub fn option_key(path: &syn::Path) -> String {
    path.get_ident().map(|i| i.to_string()).unwrap_or_default()
}

/// Does `#[derive(.., name, ..)]` (or `#[derive(path::name)]`) appear among `attrs`? How the build
/// driver finds `TaskError` enums and the type registry finds serde types.
pub fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .is_ok_and(|paths| paths.iter().any(|p| last_segment(p) == name))
        })
}

/// Every segment's name, generic arguments left out (`["ApiError", "Timeout"]`).
pub fn segment_names(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_sees_through_parentheses() {
        let e: Expr = syn::parse_quote!((a + b));
        assert!(matches!(strip(&e), Expr::Binary(_)));
    }

    #[test]
    fn segments() {
        let p: syn::Path = syn::parse_quote!(futures::join);
        assert_eq!(last_segment(&p), "join");
        let p: syn::Path = syn::parse_quote!(api::ApiError::<u8>::Timeout);
        assert_eq!(segment_names(&p), ["api", "ApiError", "Timeout"]);
        assert_eq!(option_key(&p), "");
        assert_eq!(option_key(&syn::parse_quote!(retry)), "retry");
    }

    #[test]
    fn derive_lists() {
        let item: syn::ItemStruct = syn::parse_quote! {
            #[serde(rename_all = "camelCase")]
            #[derive(Debug, serde::Deserialize)]
            struct S;
        };
        assert!(derives(&item.attrs, "Deserialize"));
        assert!(!derives(&item.attrs, "Serialize"));
        assert!(!derives(&item.attrs, "serde"));
    }
}
