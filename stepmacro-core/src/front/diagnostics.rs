//! Accumulated, spanned compile errors (serde_derive's `Ctxt` pattern): the front end and the lowering
//! keep going after an error so that a workflow's mistakes are all reported at once.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::Span;

/// Collects errors; `finish` turns them into one `syn::Error` (rustc shows each with its span).
#[derive(Default)]
pub struct Diagnostics {
    errors: RefCell<Vec<syn::Error>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `span`.
    pub fn error(&self, span: Span, msg: impl Display) {
        self.errors.borrow_mut().push(syn::Error::new(span, msg));
    }

    /// Records an already-built error (its every span is kept).
    pub fn push(&self, err: syn::Error) {
        self.errors.borrow_mut().push(err);
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.borrow().is_empty()
    }

    /// All errors as one, or `Ok(value)` when there were none.
    pub fn finish<T>(self, value: T) -> Result<T, syn::Error> {
        let mut errors = self.errors.into_inner().into_iter();
        match errors.next() {
            None => Ok(value),
            Some(mut first) => {
                for e in errors {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }
}

/// The hint every "cannot express this in ASL" error ends with.
pub const MOVE_TO_TASK: &str = "move it into a #[task]";
