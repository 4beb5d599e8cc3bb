//! Method calls with an exact JSONata form, chosen by the receiver's type.
//!
//! A receiver of unknown type gets a run-time dispatch on `$type(..)` where the methods of different
//! types share a name (`len`, `is_empty`, `contains`), so the result is still Rust's.

use super::{Translator, Typed, literal_string};
use crate::front::types::{JsonKinds, Ty};
use crate::lower::jsonata::string_literal;

/// The receiver's type family, for choosing a method's translation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Recv {
    Str,
    Vec,
    Map,
    Opt,
    Num,
    Bool,
    Failure,
    Unknown,
    Other,
}

fn family(t: &Ty) -> Recv {
    match t {
        Ty::String => Recv::Str,
        Ty::Vec(_) | Ty::Tuple(_) => Recv::Vec,
        Ty::Map(_) => Recv::Map,
        Ty::Option(_) => Recv::Opt,
        Ty::Int | Ty::Float => Recv::Num,
        Ty::Bool => Recv::Bool,
        Ty::Failure => Recv::Failure,
        Ty::Unknown | Ty::Json => Recv::Unknown,
        _ => Recv::Other,
    }
}

/// JSONata for the UTF-8 length of the string `x` (a simple code): `$encodeUrlComponent` writes each
/// UTF-8 byte as one character (unreserved ASCII) or as `%XX`, so bytes = length − 2 × (number of `%`).
fn utf8_len(t: &mut Translator<'_>, x: &str) -> String {
    let e = t.temp();
    format!("({e} := $encodeUrlComponent({x}); 2 * $length($replace({e}, '%', '')) - $length({e}))")
}

impl Translator<'_> {
    pub fn method(&mut self, m: &syn::ExprMethodCall) -> Typed {
        let name = m.method.to_string();
        let args: Vec<&syn::Expr> = m.args.iter().collect();
        // `s.chars().count()`: the number of Unicode scalar values, which `$length` counts.
        if name == "count"
            && args.is_empty()
            && let syn::Expr::MethodCall(inner) = &*m.receiver
            && inner.method == "chars"
            && inner.args.is_empty()
        {
            let s = self.expr(&inner.receiver);
            if !matches!(s.ty, Ty::String | Ty::Unknown) {
                return self.error(
                    &inner.receiver,
                    format!("`.chars()` needs a string, this is `{}`", s.ty),
                );
            }
            return Typed::new(format!("$length({})", s.code), Ty::Int);
        }
        if m.turbofish.is_some() {
            return self.unsupported(m, format!("method `.{name}::<..>()`"));
        }
        if !KNOWN.contains(&name.as_str()) && !NO_OPS.contains(&name.as_str()) {
            // Reported on the whole call, before its receiver: an iterator chain is one error.
            return self.unsupported(m, format!("method `.{name}()`"));
        }
        let recv = self.expr(&m.receiver);
        let fam = family(&recv.ty);
        let x = recv.code.clone();
        let a: Vec<Typed> = args.iter().map(|e| self.expr(e)).collect();
        let unsupported =
            |t: &mut Self| t.unsupported(m, format!("method `.{name}()` on `{}`", recv.ty));
        use Recv as R;
        match (name.as_str(), fam, a.as_slice()) {
            // ------------------------------------------------------------------ no-ops
            (
                "clone" | "to_owned" | "borrow" | "as_ref" | "as_deref" | "cloned" | "copied"
                | "into_owned",
                _,
                [],
            ) => recv,
            ("as_str" | "as_mut_str", R::Str | R::Unknown, []) => Typed::new(x, Ty::String),
            ("to_vec" | "as_slice" | "into_vec", R::Vec | R::Unknown, []) => recv,
            ("into", R::Str, []) => recv,
            ("into", _, []) => self.unsupported(
                m,
                "`.into()` here (the target type's JSON form is not known)",
            ),
            ("to_string", _, []) => self.display(m, recv),

            // ------------------------------------------------------------------ sizes
            ("len", R::Str, []) => Typed::new(self.reuse(&x, utf8_len), Ty::Int),
            ("len", R::Vec, []) => Typed::new(format!("$count({x})"), Ty::Int),
            ("len", R::Map, []) => Typed::new(format!("$count($keys({x}))"), Ty::Int),
            ("len", R::Unknown, []) => {
                let code = self.reuse(&x, |t, v| {
                    let bytes = utf8_len(t, v);
                    format!("($type({v}) = 'string' ? {bytes} : $type({v}) = 'object' ? $count($keys({v})) : $count({v}))")
                });
                Typed::new(code, Ty::Int)
            }
            ("is_empty", R::Str, []) => Typed::new(format!("({x} = '')"), Ty::Bool),
            ("is_empty", R::Vec, []) => Typed::new(format!("($count({x}) = 0)"), Ty::Bool),
            ("is_empty", R::Map, []) => Typed::new(format!("($count($keys({x})) = 0)"), Ty::Bool),
            ("is_empty", R::Unknown, []) => {
                let code = self.reuse(&x, |_, v| {
                    format!(
                        "($type({v}) = 'string' ? {v} = '' : $type({v}) = 'object' ? $count($keys({v})) = 0 : $count({v}) = 0)"
                    )
                });
                Typed::new(code, Ty::Bool)
            }

            // ------------------------------------------------------------------ searching
            ("contains", R::Str, [p]) => match p.ty {
                Ty::String | Ty::Unknown => {
                    Typed::new(format!("$contains({x}, {})", p.code), Ty::Bool)
                }
                _ => self.unsupported(m, "`.contains()` with this pattern"),
            },
            ("contains", R::Vec, [v]) => {
                let code = self.member(&x, &recv.ty.elem(), v);
                Typed::new(code, Ty::Bool)
            }
            ("contains", R::Unknown, [v]) => {
                let code = self.reuse(&x, |t, r| {
                    let member = t.member(r, &Ty::Unknown, v);
                    format!(
                        "($type({r}) = 'string' ? $contains({r}, {}) : {member})",
                        v.code
                    )
                });
                Typed::new(code, Ty::Bool)
            }
            ("contains_key", R::Map | R::Unknown, [k]) => {
                Typed::new(format!("$exists($lookup({x}, {}))", k.code), Ty::Bool)
            }
            ("get", R::Map, [k]) => {
                let r = self.temp();
                Typed::new(
                    format!(
                        "({r} := $lookup({x}, {}); $exists({r}) ? {r} : null)",
                        k.code
                    ),
                    Ty::Option(Box::new(recv.ty.elem())),
                )
            }
            ("get", R::Vec, [i]) => {
                let code = self.reuse(&x, |t, v| {
                    t.reuse(&i.code, |_, n| {
                        format!("({n} < $count({v}) ? {v}[{n}] : null)")
                    })
                });
                Typed::new(code, Ty::Option(Box::new(recv.ty.elem())))
            }
            ("first", R::Vec, []) => {
                let code = self.reuse(&x, |_, v| format!("($count({v}) > 0 ? {v}[0] : null)"));
                Typed::new(code, Ty::Option(Box::new(recv.ty.elem())))
            }
            ("last", R::Vec, []) => {
                let code = self.reuse(&x, |_, v| format!("($count({v}) > 0 ? {v}[-1] : null)"));
                Typed::new(code, Ty::Option(Box::new(recv.ty.elem())))
            }
            ("starts_with", R::Str | R::Unknown, [p])
                if matches!(p.ty, Ty::String | Ty::Unknown) =>
            {
                // Prefixes in characters are prefixes in bytes; `$substring`/`$length` count characters.
                let code = self.reuse(&p.code, |_, p| {
                    format!("($substring({x}, 0, $length({p})) = {p})")
                });
                Typed::new(code, Ty::Bool)
            }
            ("ends_with", R::Str | R::Unknown, [p]) if matches!(p.ty, Ty::String | Ty::Unknown) => {
                let code = self.reuse(&x, |t, s| {
                    t.reuse(&p.code, |_, p| {
                        format!("($length({s}) >= $length({p}) and $substring({s}, $length({s}) - $length({p})) = {p})")
                    })
                });
                Typed::new(code, Ty::Bool)
            }

            // ------------------------------------------------------------------ strings
            ("to_uppercase", R::Str | R::Unknown, []) => {
                Typed::new(format!("$uppercase({x})"), Ty::String)
            }
            ("to_lowercase", R::Str | R::Unknown, []) => {
                Typed::new(format!("$lowercase({x})"), Ty::String)
            }
            ("replace", R::Str | R::Unknown, [_, _]) => {
                let pat = literal_string(args[0]);
                let rep = literal_string(args[1]);
                match (pat, rep) {
                    (Some(p), Some(r)) if !p.is_empty() && !r.contains('$') => Typed::new(
                        format!("$replace({x}, {}, {})", string_literal(&p), string_literal(&r)),
                        Ty::String,
                    ),
                    _ => self.unsupported(
                        m,
                        "`.replace()` unless both arguments are string literals, the pattern non-empty and the \
                         replacement without `$` (engines treat `$` differently)",
                    ),
                }
            }
            ("join", R::Vec, [sep]) if matches!(recv.ty.elem(), Ty::String | Ty::Unknown) => {
                Typed::new(format!("$join({x}, {})", sep.code), Ty::String)
            }
            ("concat", R::Vec, []) if matches!(recv.ty.elem(), Ty::String) => {
                Typed::new(format!("$join({x})"), Ty::String)
            }

            // ------------------------------------------------------------------ options
            ("is_some", R::Opt | R::Unknown, []) => Typed::new(format!("({x} != null)"), Ty::Bool),
            ("is_none", R::Opt | R::Unknown, []) => Typed::new(format!("({x} = null)"), Ty::Bool),
            ("unwrap_or", R::Opt | R::Unknown, [d]) => {
                // `x != null` is false for an undefined `x` too, so a missing value takes the default.
                let code = self.reuse(&x, |_, v| format!("({v} != null ? {v} : {})", d.code));
                Typed::new(code, recv.ty.unwrap_option().unify(&d.ty))
            }
            ("unwrap_or_default", R::Opt, []) => {
                let inner = recv.ty.unwrap_option();
                match default_of(&inner) {
                    Some(d) => Typed::new(
                        self.reuse(&x, |_, v| format!("({v} != null ? {v} : {d})")),
                        inner,
                    ),
                    None => self.unsupported(
                        m,
                        format!(
                            "`.unwrap_or_default()` on `{}` (its Default is not known)",
                            recv.ty
                        ),
                    ),
                }
            }
            ("unwrap" | "expect", R::Opt | R::Unknown, _) if a.len() <= 1 => {
                // A `None` makes the Rust run panic; the ASL run fails too (`$error` raises
                // States.QueryEvaluationError), rather than going on with a null.
                let msg = match (name.as_str(), args.first().and_then(|e| literal_string(e))) {
                    ("expect", Some(msg)) => msg,
                    _ => "called `Option::unwrap()` on a `None` value".to_owned(),
                };
                let code = self.reuse(&x, |_, v| {
                    format!("({v} != null ? {v} : $error({}))", string_literal(&msg))
                });
                Typed::new(code, recv.ty.unwrap_option())
            }

            // ------------------------------------------------------------------ numbers
            ("abs", R::Num | R::Unknown, []) => Typed::new(format!("$abs({x})"), recv.ty.clone()),
            ("min" | "max", R::Num | R::Unknown, [o]) => {
                let f = if name == "min" { "$min" } else { "$max" };
                self.min_max(m, f, recv.clone(), o.clone())
            }
            ("floor" | "ceil" | "sqrt", R::Num | R::Unknown, []) if recv.ty != Ty::Int => {
                Typed::new(format!("${name}({x})"), Ty::Float)
            }
            ("trunc", R::Num | R::Unknown, []) if recv.ty != Ty::Int => {
                let code = self.reuse(&x, |_, v| format!("({v} < 0 ? $ceil({v}) : $floor({v}))"));
                Typed::new(code, Ty::Float)
            }

            // ------------------------------------------------------------------ Failure
            ("is", R::Failure, [n]) => Typed::new(format!("({x}.Error = {})", n.code), Ty::Bool),

            _ if !recv.ty.is_unknown() => unsupported(self),
            _ => self.unsupported(m, format!("method `.{name}()`")),
        }
    }

    /// `v.contains(&e)` for a vector: `in` for scalars (strict equality in jsonata-js), a deep comparison
    /// by `$reduce` otherwise (`$filter` would collapse a one-element match).
    fn member(&mut self, v: &str, elem: &Ty, e: &Typed) -> String {
        let kinds = self.kinds(elem).union(self.kinds(&e.ty));
        if !kinds.may_be(JsonKinds::ARRAY.union(JsonKinds::OBJECT)) {
            return format!("({} in {v})", e.code);
        }
        self.reuse(&e.code, |t, x| {
            let acc = t.temp();
            let item = t.temp();
            format!("$reduce({v}, function({acc}, {item}) {{ {acc} or {item} = {x} }}, false)")
        })
    }
}

/// Methods that return their receiver unchanged (for some receiver types).
const NO_OPS: &[&str] = &[
    "borrow",
    "as_ref",
    "as_deref",
    "cloned",
    "copied",
    "into_owned",
    "as_mut_str",
    "as_slice",
    "into_vec",
];

/// The methods translated for some receiver type (for the wording of errors on the others).
const KNOWN: &[&str] = &[
    "count",
    "clone",
    "to_owned",
    "as_str",
    "to_vec",
    "into",
    "to_string",
    "len",
    "is_empty",
    "contains",
    "contains_key",
    "get",
    "first",
    "last",
    "starts_with",
    "ends_with",
    "to_uppercase",
    "to_lowercase",
    "replace",
    "join",
    "concat",
    "is_some",
    "is_none",
    "unwrap_or",
    "unwrap_or_default",
    "unwrap",
    "expect",
    "abs",
    "min",
    "max",
    "floor",
    "ceil",
    "sqrt",
    "trunc",
    "is",
];

/// JSONata for `T::default()` of a built-in type.
fn default_of(t: &Ty) -> Option<&'static str> {
    Some(match t {
        Ty::Int | Ty::Float => "0",
        Ty::Bool => "false",
        Ty::String => "''",
        Ty::Vec(_) => "[]",
        Ty::Map(_) => "{}",
        Ty::Unit | Ty::Option(_) | Ty::Json => "null",
        _ => return None,
    })
}
