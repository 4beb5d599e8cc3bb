//! `format!` and `Display`: string building with Rust's output, exactly.
//!
//! Only `{}` (Display) placeholders are translated, for the types whose Display JSONata reproduces
//! exactly: strings and chars (as is), integers (`$formatInteger(n, '0')`, which unlike `$string` never
//! switches to exponent notation in jsonata-python), bools and `Failure`. Floats are rejected: Rust
//! prints the shortest decimal that reads back to the same double and never an exponent, JSONata rounds to
//! 15 significant digits (`0.1 + 0.2` → `"0.3"`) and uses exponents from 1e21. Debug (`{:?}`), width,
//! precision, fill and alignment have no JSONata equivalent and are rejected with a hint.

use quote::ToTokens;
use syn::punctuated::Punctuated;

use super::{Translator, Typed};
use crate::front::diagnostics::MOVE_TO_TASK;
use crate::front::types::Ty;
use crate::lower::jsonata::string_literal;

/// A piece of a format string.
#[derive(Debug, PartialEq)]
enum Piece {
    Lit(String),
    Arg { arg: ArgRef, spec: String },
}

#[derive(Debug, PartialEq)]
enum ArgRef {
    Next,
    Index(usize),
    Name(String),
}

/// Splits a format string into literal text and placeholders (`{{`/`}}` unescaped).
fn parse_format(s: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '}' => return Err("unmatched `}` in format string".to_owned()),
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err("unterminated `{` in format string".to_owned()),
                    }
                }
                if !lit.is_empty() {
                    pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                let (arg, spec) = match inner.split_once(':') {
                    Some((a, s)) => (a.trim().to_owned(), s.to_owned()),
                    None => (inner.trim().to_owned(), String::new()),
                };
                let arg = if arg.is_empty() {
                    ArgRef::Next
                } else if let Ok(i) = arg.parse::<usize>() {
                    ArgRef::Index(i)
                } else {
                    ArgRef::Name(arg.trim_start_matches("r#").to_owned())
                };
                pieces.push(Piece::Arg { arg, spec });
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Lit(lit));
    }
    Ok(pieces)
}

impl Translator<'_> {
    /// `format!("..", args)`.
    pub fn format_macro(&mut self, m: &syn::ExprMacro) -> Typed {
        let args = match m
            .mac
            .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        {
            Ok(a) => a,
            Err(e) => return self.error_at(e.span(), e.to_string()),
        };
        let mut args = args.into_iter();
        let fmt = match args.next() {
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            })) => s,
            Some(other) => {
                return self.error(
                    &other,
                    "the first argument of `format!` must be a string literal",
                );
            }
            None => return self.error(m, "`format!` needs a format string"),
        };
        let mut positional = Vec::new();
        let mut named: Vec<(String, syn::Expr)> = Vec::new();
        for a in args {
            match a {
                syn::Expr::Assign(assign) => match &*assign.left {
                    syn::Expr::Path(p) if p.path.get_ident().is_some() => {
                        let name = p
                            .path
                            .get_ident()
                            .map(|i| i.to_string())
                            .unwrap_or_default();
                        named.push((name, *assign.right));
                    }
                    other => {
                        self.error(other, "expected `name = value`");
                    }
                },
                e => positional.push(e),
            }
        }
        let pieces = match parse_format(&fmt.value()) {
            Ok(p) => p,
            Err(msg) => return self.error(&fmt, msg),
        };
        let mut next = 0usize;
        let mut codes = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Lit(s) => codes.push(string_literal(&s)),
                Piece::Arg { arg, spec } => {
                    if !spec.is_empty() {
                        let what = if spec.ends_with('?') {
                            "Debug formatting (`{:?}`)".to_owned()
                        } else {
                            format!(
                                "the format spec `{{:{spec}}}` (width, precision, fill, sign, radix)"
                            )
                        };
                        self.error(&fmt, format!("{what} has no exact JSONata equivalent; use `{{}}` or {MOVE_TO_TASK}"));
                        continue;
                    }
                    let value = match arg {
                        ArgRef::Next => {
                            next += 1;
                            match positional.get(next - 1) {
                                Some(e) => self.expr(e),
                                None => self.error(&fmt, "more `{}` placeholders than arguments"),
                            }
                        }
                        ArgRef::Index(i) => match positional.get(i) {
                            Some(e) => self.expr(e),
                            None => self.error(&fmt, format!("no argument {i} for `{{{i}}}`")),
                        },
                        ArgRef::Name(n) => match named.iter().find(|(k, _)| *k == n) {
                            Some((_, e)) => self.expr(e),
                            None => match self.scope.lookup(&n) {
                                Some(t) => Typed::new(crate::lower::jsonata::atom(&t.code), t.ty),
                                None => self.error(
                                    &fmt,
                                    format!(
                                        "`{n}` in the format string is not a workflow variable here"
                                    ),
                                ),
                            },
                        },
                    };
                    let shown = self.display(&fmt, value);
                    codes.push(shown.code);
                }
            }
        }
        let code = match codes.len() {
            0 => "''".to_owned(),
            1 => codes.pop().unwrap_or_default(),
            _ => format!("({})", codes.join(" & ")),
        };
        Typed::new(code, Ty::String)
    }

    /// The string Rust's `Display` prints for `v`.
    pub fn display(&mut self, at: &dyn ToTokens, v: Typed) -> Typed {
        let code = match &v.ty {
            Ty::String => v.code,
            Ty::Int => format!("$formatInteger({}, '0')", v.code),
            Ty::Bool => format!("({} ? 'true' : 'false')", v.code),
            Ty::Failure => self.reuse(&v.code, |_, f| {
                format!("({f}.Cause = '' ? {f}.Error : {f}.Error & ': ' & {f}.Cause)")
            }),
            // Strings, integers and bools print alike in both; see the module docs for floats.
            Ty::Unknown => format!("$string({})", v.code),
            Ty::Float => {
                return self.unsupported(
                    at,
                    "Display of a float (Rust prints the shortest round-trip decimal, JSONata 15 significant digits \
                     and exponents)",
                );
            }
            Ty::Json => {
                return self.unsupported(at, "Display of a `serde_json::Value` (JSON text)");
            }
            t => return self.unsupported(at, format!("Display of `{t}`")),
        };
        Typed::new(code, Ty::String)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_format_strings() {
        assert_eq!(
            parse_format("a{{b}}{}{0}{x:?}").unwrap(),
            vec![
                Piece::Lit("a{b}".into()),
                Piece::Arg {
                    arg: ArgRef::Next,
                    spec: String::new()
                },
                Piece::Arg {
                    arg: ArgRef::Index(0),
                    spec: String::new()
                },
                Piece::Arg {
                    arg: ArgRef::Name("x".into()),
                    spec: "?".into()
                },
            ]
        );
        assert!(parse_format("a}").is_err());
        assert!(parse_format("{").is_err());
    }
}
