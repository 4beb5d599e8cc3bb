//! `workflow!`'s compile-time check of the error names the compiler assumed.
//!
//! The build driver reads only the crate's own sources, so for `Err(Type::Variant)`, `return
//! Err(Type::Variant)` or `retry!(errors = [Type::Variant] ..)` on an enum of another crate it writes the
//! default `Type.Variant` into the definition, while the native run asks the enum itself. If that crate
//! renamed the variant (`#[task_error(name = "..")]` or `prefix`), the two would silently disagree. For
//! each assumed name the macro emits a `const` that compares it with `<Type as TaskError>::ERROR_NAMES`
//! and panics — a compile error at the pattern — when they differ.

use proc_macro2::{Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};

use crate::context::{AssumedErrorName, CrateContext};

/// The checks for the names `ctx` recorded while compiling `body` (the workflow fn). Only paths written
/// in the body itself are checked: a task's own `retry(errors = [..])` also goes through the same
/// lookup, but its path is only meaningful in the task's module.
pub(crate) fn assumed_error_name_checks(ctx: &CrateContext, body: &impl ToTokens) -> TokenStream {
    let tokens = flatten(body.to_token_stream());
    let mut seen: Vec<&AssumedErrorName> = Vec::new();
    let assumed = ctx.assumed_error_names.borrow();
    let mut out = TokenStream::new();
    for a in assumed.iter() {
        if seen.iter().any(|s| s.path == a.path) {
            continue;
        }
        seen.push(a);
        let Some(span) = find_path(&tokens, &a.path) else {
            continue;
        };
        out.extend(check(a, span));
    }
    out
}

/// `const _: () = { if !error_name_is(..) { panic!(..) } };` for one assumed name.
fn check(a: &AssumedErrorName, span: Span) -> TokenStream {
    let Some((variant, ty)) = a.path.split_last() else {
        return TokenStream::new();
    };
    let Ok(ty_path) = syn::parse_str::<syn::Path>(&ty.join("::")) else {
        return TokenStream::new();
    };
    let ty_name = ty.join("::");
    let message = format!(
        "stepmacro assumed the error name `{name}` for `{ty_name}::{variant}`, but `{ty_name}`'s TaskError \
         impl names that variant differently, so the ASL definition would not catch what the native run \
         catches\n  = note: `{ty_name}` is not defined in this crate's sources, so the build driver could \
         not read its #[task_error] attributes and assumed the default `Type.Variant` name\n  = help: define \
         (or copy) the enum in this crate, or have build.rs read the file that defines it: \
         `stepmacro_core::build::Builder::new().extra_source(\"path/to/errors.rs\").run()`",
        name = a.name,
    )
    .replace('{', "{{")
    .replace('}', "}}");
    let message = Literal::string(&message);
    let variant = Literal::string(variant);
    let name = Literal::string(&a.name);
    let ty_path = quote_spanned!(span=> #ty_path);
    quote_spanned! {span=>
        const _: () = {
            if !::stepmacro::__private::error_name_is(
                <#ty_path as ::stepmacro::TaskError>::ERROR_NAMES,
                #variant,
                #name,
            ) {
                ::core::panic!(#message)
            }
        };
    }
}

/// A token of a flattened stream: an identifier (with its span) or a punctuation character.
enum Flat {
    Ident(String, Span),
    Punct(char),
    Other,
}

/// Every token of `tokens`, groups (macro bodies included) opened in place.
fn flatten(tokens: TokenStream) -> Vec<Flat> {
    let mut out = Vec::new();
    for t in tokens {
        match t {
            TokenTree::Group(g) => {
                out.push(Flat::Other);
                out.extend(flatten(g.stream()));
                out.push(Flat::Other);
            }
            TokenTree::Ident(i) => out.push(Flat::Ident(i.to_string(), i.span())),
            TokenTree::Punct(p) => out.push(Flat::Punct(p.as_char())),
            TokenTree::Literal(_) => out.push(Flat::Other),
        }
    }
    out
}

/// Where `a::b::c` is first written in `tokens` (the span of its first segment).
fn find_path(tokens: &[Flat], path: &[String]) -> Option<Span> {
    let len = path.len() * 3 - 2;
    'start: for start in 0..tokens.len().saturating_sub(len - 1) {
        // Not the tail of a longer path.
        if start >= 1 && matches!(tokens[start - 1], Flat::Punct(':')) {
            continue;
        }
        for (i, seg) in path.iter().enumerate() {
            let at = start + i * 3;
            if !matches!(&tokens[at], Flat::Ident(s, _) if s == seg) {
                continue 'start;
            }
            if i + 1 < path.len()
                && !(matches!(tokens[at + 1], Flat::Punct(':'))
                    && matches!(tokens[at + 2], Flat::Punct(':')))
            {
                continue 'start;
            }
        }
        if let Flat::Ident(_, span) = &tokens[start] {
            return Some(*span);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn ctx(paths: &[&[&str]]) -> CrateContext {
        let ctx = CrateContext::default();
        for p in paths {
            let path: Vec<String> = p.iter().map(|s| (*s).to_owned()).collect();
            let (v, ty) = path.split_last().unwrap();
            ctx.assumed_error_names.borrow_mut().push(AssumedErrorName {
                name: format!("{}.{v}", ty.last().unwrap()),
                path: path.clone(),
            });
        }
        ctx
    }

    #[test]
    fn checks_paths_written_in_the_body_once() {
        let ctx = ctx(&[
            &["other", "ApiError", "Timeout"],
            &["ApiError", "Timeout"],
            &["other", "ApiError", "Timeout"],
            &["TaskOnly", "Gone"],
        ]);
        let body = quote! {
            async fn w() -> Result<(), Failure> {
                match t().await { Err(other::ApiError::Timeout) => Ok(()), Err(e) => Err(e), Ok(v) => Ok(v) }
            }
        };
        let out = assumed_error_name_checks(&ctx, &body).to_string();
        assert_eq!(out.matches("const _").count(), 1, "{out}");
        assert!(out.contains("< other :: ApiError as :: stepmacro :: TaskError > :: ERROR_NAMES , \"Timeout\" , \"ApiError.Timeout\""), "{out}");
        assert!(out.contains(
            "stepmacro assumed the error name `ApiError.Timeout` for `other::ApiError::Timeout`"
        ));
        assert!(out.contains("extra_source"));
    }

    #[test]
    fn finds_paths_inside_macros_and_not_as_tails() {
        let ctx = ctx(&[&["ApiError", "Timeout"]]);
        let tail = quote!(
            fn w() {
                let _ = x::ApiError::Timeout;
            }
        );
        assert!(assumed_error_name_checks(&ctx, &tail).is_empty());
        let in_macro = quote!(
            fn w() {
                retry!(errors = [ApiError::Timeout] => t())
            }
        );
        assert!(!assumed_error_name_checks(&ctx, &in_macro).is_empty());
    }
}
