//! Native expansion: the Rust the macros emit so that tasks and workflows run as ordinary async Rust.
//!
//! * [`expand`]: a workflow body made native (task calls through `run_task`, caught errors as
//!   `Failure`s) — see [`rewrite`](self) for the rules.
//! * [`expand_task`], [`expand_task_error`], [`expand_workflow`]: what `#[task]`, `#[derive(TaskError)]`
//!   and `workflow!` emit. The proc-macro crate only reads its environment and calls these, so every
//!   expansion is unit-tested here.

mod error_names;
mod payload;
mod retry;
mod rewrite;
mod task;
mod task_error;
mod workflow;

use syn::ItemFn;
use syn::visit_mut::VisitMut;

pub use task::expand_task;
pub use task_error::expand_task_error;
pub use workflow::{WorkflowEnv, expand_workflow};

/// A workflow function made native.
#[derive(Debug)]
pub struct NativeFn {
    /// The function with its body rewritten; signature, attributes and visibility as written.
    pub func: ItemFn,
    /// Every task the body calls, as written at its first call, in first-call order.
    pub tasks: Vec<syn::Path>,
    /// Constructs the rewrite cannot honour natively (e.g. binding a variant's fields in a caught
    /// `Err(..)` pattern), all of them combined.
    pub error: Option<syn::Error>,
}

/// Rewrites a workflow function's body for native runs. See the `rewrite` module for the rules.
pub fn expand(func: &ItemFn) -> NativeFn {
    let mut func = func.clone();
    let mut r = rewrite::Rewriter::default();
    r.visit_block_mut(&mut func.block);
    NativeFn {
        func,
        tasks: r.tasks,
        error: r.diag.check().err(),
    }
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    use super::*;

    /// Rewrites `body` (the statements of a workflow fn) and returns the new body's tokens as a string,
    /// with the tasks found.
    fn rewrite(body: proc_macro2::TokenStream) -> (String, Vec<String>) {
        let func: ItemFn =
            syn::parse2(quote!(async fn w() -> Result<(), Failure> { #body })).unwrap();
        let out = expand(&func);
        if let Some(e) = out.error {
            panic!("unexpected error: {e}");
        }
        let stmts = &out.func.block.stmts;
        (
            quote!(#(#stmts)*).to_string(),
            out.tasks
                .iter()
                .map(|p| p.to_token_stream().to_string())
                .collect(),
        )
    }

    /// The arm every rewritten catch starts with.
    fn uncatchable() -> proc_macro2::TokenStream {
        quote! {
            ::core::result::Result::Err(__sm_uncatchable) if __sm_uncatchable.is_uncatchable() => {
                return ::core::result::Result::Err(__sm_uncatchable)
            }
        }
    }

    fn expect(body: proc_macro2::TokenStream, expected: proc_macro2::TokenStream) -> Vec<String> {
        let (got, tasks) = rewrite(body);
        assert_eq!(got, expected.to_string());
        tasks
    }

    fn call(
        f: proc_macro2::TokenStream,
        args: proc_macro2::TokenStream,
    ) -> proc_macro2::TokenStream {
        quote!(<#f as ::stepmacro::Task>::adapt(::stepmacro::run_task::<#f>((#args)).await)?)
    }

    fn is(binding: &str, ty: proc_macro2::TokenStream, variant: &str) -> proc_macro2::TokenStream {
        let b = syn::Ident::new(binding, proc_macro2::Span::call_site());
        let last = syn::Ident::new(variant, proc_macro2::Span::call_site());
        quote!({
            let _ = |__v: #ty| ::core::matches!(__v, #ty::#last { .. });
            #b.is(<#ty as ::stepmacro::TaskError>::variant_error_name(#variant).unwrap_or("\u{0}"))
        })
    }

    #[test]
    fn task_calls_are_adapted_and_listed_in_first_call_order() {
        let v = call(quote!(validate), quote!(order,));
        let inner = call(quote!(price), quote!(x,));
        let outer = call(quote!(tasks::quote), quote!(#inner, 2,));
        let tasks = expect(
            quote! {
                let order = validate(order).await?;
                let q = tasks::quote(price(x).await, 2).await?;
                validate(order).await?;
                sleep(Duration::from_secs(5)).await;
                std::future::ready(1).await;
                order.save().await;
                Ok(q)
            },
            quote! {
                let order = #v?;
                let q = #outer?;
                #v?;
                sleep(Duration::from_secs(5)).await;
                std::future::ready(1).await;
                order.save().await;
                Ok(q)
            },
        );
        assert_eq!(tasks, ["validate", "price", "tasks :: quote"]);
    }

    #[test]
    fn match_arms_test_error_names() {
        let c = call(quote!(callExternalApi), quote!(req,));
        let timeout = is("__sm_err", quote!(ApiError), "Timeout");
        let a = is("__sm_err", quote!(ApiError), "A");
        let b = is("__sm_err", quote!(api::ApiError), "B");
        let http = is("e", quote!(ApiError), "Http");
        let (got, _) = rewrite(quote! {
            match callExternalApi(req).await {
                Ok(resp) => Ok(resp),
                Err(ApiError::Timeout) if attempts > 2 => Err(Failure::new("x", "y")),
                Err(ApiError::A | api::ApiError::B { .. }) => Ok(1),
                Err(e @ ApiError::Http(..)) => Err(e),
                Err(e) => Err(e),
            }
        });
        let u = uncatchable();
        let expected = quote! {
            match #c {
                #u
                Ok(resp) => Ok(resp),
                Err(ref __sm_err) if #timeout && (attempts > 2) => Err(Failure::new("x", "y")),
                Err(ref __sm_err) if #a || #b => Ok(1),
                Err(e) if #http => Err(e),
                Err(e) => Err(e),
            }
        };
        assert_eq!(got, expected.to_string());
    }

    #[test]
    fn if_let_becomes_a_match() {
        let c = call(quote!(charge), quote!(card,));
        let declined = is("__sm_err", quote!(PayError), "Declined");
        expect(
            quote! {
                if let Err(PayError::Declined) = charge(card).await { notify(x).await?; } else { done() }
                if let Err(e) = charge(card).await { return Err(e); }
            },
            {
                let n = call(quote!(notify), quote!(x,));
                let u = uncatchable();
                quote! {
                    match #c { #u Err(ref __sm_err) if #declined => { #n?; }, _ => { done() }, }
                    if let Err(e) = #c { return Err(e); }
                }
            },
        );
    }

    #[test]
    fn async_block_scrutinee_is_pinned_to_failure() {
        let a = call(quote!(a), quote!());
        let x = is("__sm_err", quote!(E), "X");
        let u = uncatchable();
        expect(
            quote! {
                match async { a().await?; Ok(1) }.await { Ok(v) => v, Err(E::X) => 0, Err(_) => 1 }
            },
            quote! {
                match {
                    let __sm_caught: ::core::result::Result<_, ::stepmacro::Failure> = async { #a?; Ok(1) }.await;
                    __sm_caught
                } { #u Ok(v) => v, Err(ref __sm_err) if #x => 0, Err(_) => 1 }
            },
        );
    }

    #[test]
    fn other_code_is_left_alone() {
        let src = quote! {
            match status { Status::Done => 1, _ => 2 }
            match helper(x) { Err(E::X) => 1, _ => 2 }
            let v = vec![1, 2, 3];
            println!("{}", v.len());
            fn helper(x: u8) -> Result<u8, E> { Ok(x) }
            Ok(())
        };
        expect(src.clone(), src);
    }

    #[test]
    /// (`retry!` has its own expansion, tested in `retry`.)
    fn future_positions_and_macros() {
        let a = call(quote!(a), quote!(x,));
        let (got, tasks) = rewrite(quote! {
            let (p, q) = try_join!(left(x), async { a(x).await? });
            let all = join_all(xs.iter().map(|x| each(x.clone()))).await;
            #[state("Cool down")]
            sleep(Duration::from_secs(1)).await;
            Ok(())
        });
        let expected = quote! {
            let (p, q) = try_join!(::stepmacro::run_task::<left>((x,)), async { #a? });
            let all = join_all(xs.iter().map(|x| ::stepmacro::run_task::<each>((x.clone(),)))).await;
            sleep(Duration::from_secs(1)).await;
            Ok(())
        };
        assert_eq!(got, expected.to_string());
        assert_eq!(tasks, ["left", "a", "each"]);
    }

    #[test]
    fn field_bindings_in_caught_variants_are_errors() {
        let func: ItemFn = syn::parse2(quote!(
            async fn w() -> Result<(), Failure> {
                match t().await {
                    Err(E::Http(code)) => 1,
                    Err(E::A | other) => 2,
                    Ok(_) | Err(E::B) => 3,
                    _ => 4,
                }
            }
        ))
        .unwrap();
        let e = expand(&func).error.expect("errors");
        let m: Vec<String> = e.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(m.len(), 3, "{m:#?}");
        assert!(m[0].contains("fields are not available"));
        assert!(m[1].contains("can only list error variants"));
        assert!(m[2].contains("mixes error variants with other patterns"));
    }
}
