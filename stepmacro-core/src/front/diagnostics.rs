//! Accumulated, spanned compile errors: the one error context of the attribute parsers, the workflow
//! front end, the lowering and the macros (serde_derive's `internals::Ctxt`).
//!
//! Parsing and lowering keep going after an error so that a user sees every mistake of a task or a
//! workflow at once. The errors are checked once, at the end, and come back as one `syn::Error` whose
//! parts keep their own spans and their order (rustc shows each where it belongs).

use std::cell::RefCell;
use std::fmt::Display;
use std::thread;

use proc_macro2::Span;
use quote::ToTokens;

/// Collects errors through a shared reference, so that the body parser, the lowerer and the closures of
/// `syn::meta::parser` can all hold it at once.
///
/// Consume it with [`check`](Self::check): dropping it unchecked panics (outside a panic), as serde's
/// `Ctxt` does, so that no early return can lose an error it holds.
pub struct Diagnostics {
    /// `None` once checked.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Default for Diagnostics {
    fn default() -> Self {
        Self::new()
    }
}

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records an error at `span`.
    pub fn error(&self, span: Span, msg: impl Display) {
        self.push(syn::Error::new(span, msg));
    }

    /// Records an error spanned over all of `tokens` (`syn::Error::new_spanned`).
    pub fn error_spanned_by(&self, tokens: impl ToTokens, msg: impl Display) {
        self.push(syn::Error::new_spanned(tokens, msg));
    }

    /// Records an already-built error (a parse error, or several combined: every part is kept).
    pub fn push(&self, err: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("Diagnostics used after check")
            .push(err);
    }

    pub fn has_errors(&self) -> bool {
        self.count() > 0
    }

    /// How many errors were recorded so far (a combined error counts once).
    pub fn count(&self) -> usize {
        self.errors.borrow().as_ref().map_or(0, Vec::len)
    }

    /// `Ok(())` when nothing was recorded, otherwise every error, in recording order, as one.
    pub fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut errors = errors.into_iter();
        match errors.next() {
            None => Ok(()),
            Some(mut first) => {
                first.extend(errors);
                Err(first)
            }
        }
    }
}

impl Drop for Diagnostics {
    fn drop(&mut self) {
        if !thread::panicking() && self.errors.get_mut().is_some() {
            panic!("Diagnostics dropped without `check`: its errors would be lost");
        }
    }
}

/// The hint every "cannot express this in ASL" error ends with.
pub const MOVE_TO_TASK: &str = "move it into a #[task]";

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(e: syn::Error) -> Vec<String> {
        e.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn nothing_recorded_checks_ok() {
        let diag = Diagnostics::new();
        assert!(!diag.has_errors());
        assert!(diag.check().is_ok());
    }

    #[test]
    fn errors_come_back_as_one_in_order() {
        let diag = Diagnostics::new();
        diag.error(Span::call_site(), "first");
        let mut combined = syn::Error::new(Span::call_site(), "second");
        combined.combine(syn::Error::new(Span::call_site(), "third"));
        diag.push(combined);
        diag.error_spanned_by(quote::quote!(a + b), "fourth");
        assert_eq!(diag.count(), 3);
        assert!(diag.has_errors());
        let e = diag.check().unwrap_err();
        assert_eq!(messages(e), ["first", "second", "third", "fourth"]);
    }

    #[test]
    #[should_panic(expected = "dropped without `check`")]
    fn dropping_unchecked_panics() {
        let diag = Diagnostics::new();
        diag.error(Span::call_site(), "lost");
    }
}
