//! The workflow's signature: parameters (the execution input) and `Result<T, Failure>`.

use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, Pat, PathArguments, ReturnType, Type};

use super::diagnostics::Diagnostics;

/// Parameters as (name, type), and `T` of `Result<T, Failure>`.
pub fn check(sig: &syn::Signature, diag: &Diagnostics) -> (Vec<(syn::Ident, Type)>, Option<Type>) {
    if !sig.generics.params.is_empty() {
        diag.error(sig.generics.span(), "a workflow cannot be generic\n  = help: its definition is fixed at build time; use concrete types");
    }
    let mut params = Vec::new();
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(r) => {
                diag.error(r.span(), "a workflow is a free function, not a method")
            }
            FnArg::Typed(pt) => match &*pt.pat {
                Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                    if matches!(&*pt.ty, Type::Reference(_)) {
                        diag.error(pt.ty.span(), "workflow parameters are owned values (they are the execution input)\n  = help: take `T` instead of `&T`");
                    }
                    params.push((pi.ident.clone(), (*pt.ty).clone()));
                }
                other => diag.error(
                    other.span(),
                    "write each workflow parameter as `name: Type`",
                ),
            },
        }
    }
    let output = match &sig.output {
        ReturnType::Type(_, ty) => result_ok_type(ty),
        ReturnType::Default => None,
    };
    if output.is_none() {
        diag.error(
            sig.output.span().join(sig.ident.span()).unwrap_or_else(|| sig.ident.span()),
            "a workflow returns `Result<T, Failure>`\n  = help: the error type is `stepmacro::Failure`, the shape of a Step Functions error",
        );
    }
    (params, output)
}

/// `T` of `Result<T, Failure>` (the error type must be named `Failure`).
fn result_ok_type(ty: &Type) -> Option<Type> {
    let Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let ok = types.next()?.clone();
    let err = types.next()?;
    match err {
        Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Failure") => Some(ok),
        _ => None,
    }
}
