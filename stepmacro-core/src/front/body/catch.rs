//! Catches: `match <task call> { .. }` and `if let Ok(..)/Err(..) = <task call> { .. } else { .. }`.
//!
//! The arms are kept in source order, each with its guard, because Rust tries them in that order and
//! the lowering must too. An arm takes:
//!
//! * `Ok(pattern)`: a success value the pattern matches (any pattern a plain `match` accepts);
//! * `Err(Type::Variant)`, `Err(Type::A | Type::B)`, `Err(Type::A) | Err(Type::B)`: those errors, by
//!   their ASL names; `Err(e @ Type::Variant)` also binds the caught `Failure`;
//! * `Err(e)`, `Err(_)`, `Err(Failure { .. })`, `Err(e @ Failure { .. })`: every error;
//! * `_`: any outcome.
//!
//! Any arm may have a guard. The data of an error variant is not available (a caught error is a
//! `Failure`: its name and cause), and neither are the fields of a `Failure` pattern: both are
//! rejected with a hint to bind the whole error and read `e.error` / `e.cause`.

use syn::spanned::Spanned;
use syn::{Expr, Pat};

use super::hoist::Place;
use super::{BodyParser, Tail, result_arm, split_guard};
use crate::front::syntax::{segment_names, strip};
use crate::ir::{Block, BranchBody, Catch, CatchArm, CatchPat, ErrorMatch};

/// What an `Err(..)` pattern takes: the errors it names (empty = every error) and the binding.
type ErrPattern = (Vec<ErrorMatch>, Option<syn::Ident>);

impl BodyParser<'_> {
    /// `match task(..).await { Ok(..) => .., Err(..) => .. }`.
    pub(super) fn catch_match(
        &self,
        m: &syn::ExprMatch,
        call: BranchBody,
        tail: Tail,
    ) -> Option<Catch> {
        let mut arms = Vec::new();
        let mut arm_rejected = false;
        for arm in &m.arms {
            let (pat, guard) = split_guard(&arm.pat);
            let guard = guard.map(|g| self.checked(g, Place::Guard));
            let body = self.arm_body(&arm.body, tail);
            match self.catch_pat(pat) {
                Some(pat) => arms.push(CatchArm {
                    pat,
                    guard,
                    body,
                    span: arm.span(),
                }),
                None => arm_rejected = true,
            }
        }
        if !arms
            .iter()
            .any(|a| matches!(a.pat, CatchPat::Ok(_) | CatchPat::Any))
        {
            self.diag
                .error(m.span(), "a task `match` needs an `Ok(value) => ..` arm");
        }
        Some(Catch {
            call,
            arms,
            arm_rejected,
        })
    }

    /// `if let Err(e) = task(..).await { .. } [else { .. }]` and `if let Ok(v) = task(..).await { .. } else { .. }`.
    pub(super) fn if_let_catch(
        &self,
        l: &syn::ExprLet,
        i: &syn::ExprIf,
        tail: Tail,
    ) -> Option<Catch> {
        let Expr::Await(a) = strip(&l.expr) else {
            return None;
        };
        if self.wait(a).is_some() {
            return None;
        }
        let (which, inner) = result_arm(&l.pat)?;
        let call = self.catch_target(a)?;
        let then = self.block(&i.then_branch, tail);
        let otherwise = match &i.else_branch {
            Some((_, e)) => match &**e {
                Expr::Block(b) => self.block(&b.block, tail),
                other => {
                    self.diag
                        .error(other.span(), "use a block after `else` here");
                    Block::default()
                }
            },
            None => Block::default(),
        };
        let arm = |pat, body, span| CatchArm {
            pat,
            guard: None,
            body,
            span,
        };
        let wild = || {
            Pat::Wild(syn::PatWild {
                attrs: Vec::new(),
                underscore_token: Default::default(),
            })
        };
        let arms = if which == "Err" {
            let (errors, binding) = self.err_pat(inner)?;
            if errors.is_empty() {
                // Every error: success takes the `else`.
                vec![
                    arm(CatchPat::Ok(wild()), otherwise, i.span()),
                    arm(CatchPat::Err { errors, binding }, then, l.span()),
                ]
            } else {
                // Some errors: as in Rust, the `else` takes success and every other error.
                vec![
                    arm(CatchPat::Err { errors, binding }, then, l.span()),
                    arm(CatchPat::Any, otherwise, i.span()),
                ]
            }
        } else {
            vec![
                arm(CatchPat::Ok(inner.clone()), then, l.span()),
                arm(CatchPat::Any, otherwise, i.span()),
            ]
        };
        Some(Catch {
            call,
            arms,
            arm_rejected: false,
        })
    }

    /// The pattern of a catch arm (its guard split off).
    fn catch_pat(&self, pat: &Pat) -> Option<CatchPat> {
        match pat {
            Pat::Wild(_) => Some(CatchPat::Any),
            Pat::Paren(p) => self.catch_pat(&p.pat),
            Pat::Or(o)
                if o.cases
                    .iter()
                    .all(|c| matches!(result_arm(c), Some(("Err", _)))) =>
            {
                // `Err(A) | Err(B)`: the union of the names; Rust makes every case bind the same names.
                let mut errors = Vec::new();
                let mut binding = None;
                for case in &o.cases {
                    let (_, inner) = result_arm(case).expect("checked");
                    let (mut names, b) = self.err_pat(inner)?;
                    if names.is_empty() {
                        return Some(CatchPat::Err {
                            errors: Vec::new(),
                            binding: b,
                        });
                    }
                    errors.append(&mut names);
                    binding = binding.or(b);
                }
                Some(CatchPat::Err { errors, binding })
            }
            _ => match result_arm(pat) {
                Some(("Ok", inner)) => Some(CatchPat::Ok(inner.clone())),
                Some(("Err", inner)) => {
                    let (errors, binding) = self.err_pat(inner)?;
                    Some(CatchPat::Err { errors, binding })
                }
                _ => {
                    self.diag.error(
                        pat.span(),
                        "the arms of a task `match` are `Ok(pattern) => ..`, `Err(Error::Variant) => ..`, `Err(e @ Error::Variant) => ..`, `Err(e) => ..` and `_ => ..`",
                    );
                    None
                }
            },
        }
    }

    /// The pattern inside `Err(..)`.
    pub(super) fn err_pat(&self, pat: &Pat) -> Option<ErrPattern> {
        match pat {
            Pat::Ident(pi) => {
                let names = match &pi.subpat {
                    None => Vec::new(),
                    Some((_, sub)) => self.error_names(sub)?,
                };
                Some((names, Some(pi.ident.clone())))
            }
            other => Some((self.error_names(other)?, None)),
        }
    }

    /// The errors a pattern names (empty = every error).
    fn error_names(&self, pat: &Pat) -> Option<Vec<ErrorMatch>> {
        match pat {
            Pat::Wild(_) => Some(Vec::new()),
            Pat::Paren(p) => self.error_names(&p.pat),
            Pat::Struct(s) if is_failure(&s.path) => {
                if let Some(f) = s.fields.iter().find(|f| !matches!(&*f.pat, Pat::Wild(_))) {
                    self.diag.error(
                        f.span(),
                        "the fields of a caught `Failure` cannot be bound in its pattern\n  = help: bind the whole error, `Err(e) => ..` (or `Err(e) if e.error == \"..\"`), and read `e.error` / `e.cause`",
                    );
                    return None;
                }
                Some(Vec::new())
            }
            Pat::Or(o) => {
                let mut errors = Vec::new();
                for case in &o.cases {
                    let mut names = self.error_names(case)?;
                    if names.is_empty() {
                        return Some(Vec::new());
                    }
                    errors.append(&mut names);
                }
                Some(errors)
            }
            other => Some(vec![self.error_match(other)?]),
        }
    }

    fn error_match(&self, pat: &Pat) -> Option<ErrorMatch> {
        let path = match pat {
            Pat::Path(p) => &p.path,
            Pat::TupleStruct(t)
                if t.elems
                    .iter()
                    .all(|e| matches!(e, Pat::Rest(_) | Pat::Wild(_))) =>
            {
                &t.path
            }
            Pat::Struct(s) if s.fields.is_empty() => &s.path,
            other => {
                self.diag.error(
                    other.span(),
                    "an error is caught by name: `Err(Error::Variant)`, `Err(Error::A | Error::B)`, or `Err(e)` for any error\n  = help: the data of an error variant is not available to a Catch; read `e.cause` instead",
                );
                return None;
            }
        };
        if path.segments.len() < 2 {
            self.diag.error(
                path.span(),
                "name the error with its type: `Err(Error::Variant)`",
            );
            return None;
        }
        Some(ErrorMatch {
            path: segment_names(path),
            span: path.span(),
        })
    }
}

/// `Failure` / `stepmacro::Failure`: the type of every caught error.
fn is_failure(path: &syn::Path) -> bool {
    path.segments.last().is_some_and(|s| s.ident == "Failure")
}
