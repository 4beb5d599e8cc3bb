//! Pure Rust expressions → JSONata, with Rust semantics.
//!
//! [`translate`] turns one expression of a `workflow!` body (a condition, a task argument, a `let` value)
//! into JSONata source that computes what the Rust expression computes, for every input the Rust types
//! allow. Where JSONata's own operator differs from Rust's, the translation builds the Rust behaviour out
//! of exact JSONata pieces:
//!
//! | Rust | JSONata | why |
//! |---|---|---|
//! | integer `a / b` | `(a - a % b) / b` | truncates toward zero; `%` and the subtraction are exact below 2^53 |
//! | `s.len()` on a `String` | UTF-8 bytes from `$encodeUrlComponent` | `$length` counts characters |
//! | `vec![a, b]` | `[a, [b]]` (array-typed items wrapped) | the array constructor flattens array items |
//! | `v.contains(&x)`, non-scalar `x` | `$reduce(v, function($a, $e){ $a or $e = x }, false)` | `in` is not deep in jsonata-js |
//! | `o.opt_field` (`Option`) | `$exists(p) ? p : null` | a missing key is *undefined*, which compares unequal to everything; serde reads it as `None` |
//! | `n.to_string()`, `{}` of an integer | `$formatInteger(n, '0')` | `$string` switches to exponents at 1e15 in jsonata-python |
//! | `x.unwrap()` | `x != null ? x : $error(..)` | a `None` fails the run, as the Rust panics |
//!
//! What JSONata cannot compute exactly is a compile error spanned on the sub-expression, naming the
//! construct and ending with "move it into a #\[task\]". All errors of an expression are reported together.
//!
//! # Supported
//!
//! * literals: integers up to 2^53, floats (shortest round-trip form), bools, strings, chars; `i32::MAX`
//!   and friends, `f64::consts::PI` and friends;
//! * variables (from the [`Scope`]), `&x`, `*x`, parentheses, blocks holding one expression;
//! * fields by serde name (`rename`, `rename_all`, `r#type`), tuple fields `.0`, newtype/transparent
//!   fields; `v[i]` on vectors, `m["k"]` on maps, serde_json's `Value` indexing (missing → `null`);
//! * `+ - * / %` (integer `/` truncates, float `%` rejected), unary `-` `!`, `== !=` (deep), `< <= > >=`
//!   on numbers and on strings against a literal below U+E000, `&& || & | ^` on bools, `as` casts that
//!   do not wrap, `if c { a } else { b }`, `if let`, `match` with pure arms, `matches!`;
//! * struct literals with `..rest` (serde names, `skip`, `flatten`, `skip_serializing_if` of
//!   `is_none`/`is_empty`), tuples, `[..]`, `vec![..]`, unit/tuple/struct enum variants in every serde
//!   representation, `Some(x)`, `None`, `Failure::new(e, c)`, `String::from`, `String::new()`,
//!   `Vec::new()`, `HashMap::new()`, `i64::from`, `f64::from`, `std::cmp::{min, max}`, `format!("{}")`;
//! * methods: `len`, `is_empty`, `contains` (substring / deep membership), `contains_key`, `get`, `first`,
//!   `last`, `starts_with`, `ends_with`, `chars().count()`, `to_uppercase`, `to_lowercase`, `replace`
//!   (literal arguments), `join`, `concat`, `clone`/`to_owned`/`as_str`/`to_vec`/..., `to_string`
//!   (strings, integers, bools, `Failure`), `is_some`, `is_none`, `unwrap_or`, `unwrap_or_default`,
//!   `unwrap`, `expect`, `abs`, `min`, `max`, `floor`, `ceil`, `trunc`, `sqrt`, `Failure::is`.
//!
//! Every [`Typed::code`] returned is an *atom*: a variable, literal, path, call or a parenthesised
//! expression, so it can be embedded anywhere. Temporaries are block-local variables named `$__tN`
//! (bound and used inside one parenthesised block, so codes can be nested freely); the lowering must not
//! name workflow variables `__t<digits>`.
//!
//! The output is plain JSONata 2.x, checked on jsonata-core (the tests), jsonata-js (AWS) and
//! jsonata-python (moto and LocalStack) by `tests/expr_support/xcheck.sh`. Deviations left:
//!
//! * a value of *unknown* type shown with `{}` uses `$string`, which prints floats with 15 significant
//!   digits (Rust: shortest round-trip) and, in jsonata-python only, integers from 1e15 with an exponent;
//! * `to_lowercase` follows each engine's Unicode tables: jsonata-python does not apply the Greek final
//!   sigma rule (`"ΟΔΟΣ"` → `"οδοσ"`; Rust and jsonata-js give `"οδος"`);
//! * numbers are IEEE doubles in JSONata, so integers beyond 2^53 lose precision and integer overflow
//!   neither wraps nor panics; out-of-bounds indexing panics in Rust and is *undefined* in JSONata;
//!   division by zero panics in Rust and fails or yields a non-number in JSONata;
//! * `x.unwrap()` on `None` panics natively and fails the execution in ASL (`$error`, raised as
//!   `States.QueryEvaluationError`): both runs fail, with different error names.

mod construct;
mod format;
mod methods;

use proc_macro2::Span;
use quote::ToTokens;

use super::jsonata::{self, atom, is_simple};
use super::pattern;
use crate::front::diagnostics::{Diagnostics, MOVE_TO_TASK};
use crate::front::types::{Access, FieldInfo, FieldLookup, JsonKinds, Ty, TypeRegistry};

/// A translated expression: JSONata source (an atom, safe to embed) and the Rust type of its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    pub code: String,
    pub ty: Ty,
}

impl Typed {
    pub fn new(code: impl Into<String>, ty: Ty) -> Typed {
        Typed {
            code: code.into(),
            ty,
        }
    }
}

/// The Rust locals visible to an expression, as the lowering resolves them: `order` →
/// `Typed { code: "$order", ty: Named("Order") }`, or an inlined pending expression.
pub trait Scope {
    fn lookup(&self, ident: &str) -> Option<Typed>;
}

/// A scope with a few names layered over another (pattern bindings for a guard or an arm body).
pub struct Layered<'a> {
    pub outer: &'a dyn Scope,
    pub names: &'a [(syn::Ident, Typed)],
}

impl Scope for Layered<'_> {
    fn lookup(&self, ident: &str) -> Option<Typed> {
        match self.names.iter().rev().find(|(i, _)| i == ident) {
            Some((_, t)) => Some(t.clone()),
            None => self.outer.lookup(ident),
        }
    }
}

/// Translates a pure expression to JSONata. Every error in `expr` is reported (combined), each spanned on
/// its offending sub-expression.
pub fn translate(
    expr: &syn::Expr,
    scope: &dyn Scope,
    types: &TypeRegistry,
) -> Result<Typed, syn::Error> {
    let mut t = Translator::new(scope, types);
    let out = t.expr(expr);
    t.finish(out)
}

/// The translation state: where names and types come from, the errors so far, the temporaries used.
pub(crate) struct Translator<'a> {
    pub scope: &'a dyn Scope,
    pub types: &'a TypeRegistry,
    errors: Diagnostics,
    temps: usize,
}

impl<'a> Translator<'a> {
    pub fn new(scope: &'a dyn Scope, types: &'a TypeRegistry) -> Self {
        Translator {
            scope,
            types,
            errors: Diagnostics::new(),
            temps: 0,
        }
    }

    /// `Ok(value)` when no error was recorded, otherwise all errors combined.
    pub fn finish<T>(self, value: T) -> Result<T, syn::Error> {
        self.errors.check().map(|()| value)
    }

    /// Runs `f` with another scope (the same registry, error list and temporaries).
    pub fn with_scope<R>(
        &mut self,
        scope: &dyn Scope,
        f: impl FnOnce(&mut Translator<'_>) -> R,
    ) -> R {
        let mut inner = Translator {
            scope,
            types: self.types,
            errors: Diagnostics::new(),
            temps: self.temps,
        };
        let out = f(&mut inner);
        self.temps = inner.temps;
        if let Err(e) = inner.errors.check() {
            self.errors.push(e);
        }
        out
    }

    /// Records an error spanned on `at`; returns a placeholder so translation can go on.
    pub fn error(&mut self, at: &dyn ToTokens, msg: impl std::fmt::Display) -> Typed {
        self.errors.error_spanned_by(at, msg);
        Typed::new("null", Ty::Unknown)
    }

    /// Records an error at `span`.
    pub fn error_at(&mut self, span: Span, msg: impl std::fmt::Display) -> Typed {
        self.errors.error(span, msg);
        Typed::new("null", Ty::Unknown)
    }

    /// "`what` has no exact JSONata equivalent; move it into a #\[task\]".
    pub fn unsupported(&mut self, at: &dyn ToTokens, what: impl std::fmt::Display) -> Typed {
        self.error(
            at,
            format!("{what} has no exact JSONata equivalent; {MOVE_TO_TASK}"),
        )
    }

    /// A fresh block-local variable name.
    pub fn temp(&mut self) -> String {
        self.temps += 1;
        format!("$__t{}", self.temps)
    }

    /// Builds an atom from `code` used several times: `body` receives a cheap code for the value (the code
    /// itself when it is simple, else a temporary bound to it) and returns an atom.
    pub fn reuse(&mut self, code: &str, body: impl FnOnce(&mut Self, &str) -> String) -> String {
        if is_simple(code) {
            body(self, code)
        } else {
            let t = self.temp();
            let inner = body(self, &t);
            format!("({t} := {code}; {inner})")
        }
    }

    /// The JSON kinds a value of `ty` may take.
    pub fn kinds(&self, ty: &Ty) -> JsonKinds {
        self.types.json_kinds(ty)
    }

    // ------------------------------------------------------------------------------------ dispatch

    pub fn expr(&mut self, e: &syn::Expr) -> Typed {
        use syn::Expr as E;
        match e {
            E::Lit(l) => self.lit(&l.lit, false),
            E::Path(p) => self.path(p),
            E::Paren(p) => self.expr(&p.expr),
            E::Group(g) => self.expr(&g.expr),
            // `&x` and `*x` are the same JSON value.
            E::Reference(r) => self.expr(&r.expr),
            E::Unary(u) => self.unary(u),
            E::Binary(b) => self.binary(b),
            E::Field(f) => self.field_expr(f),
            E::Index(i) => self.index(i),
            E::Struct(s) => self.struct_lit(s),
            E::Tuple(t) => self.tuple(t),
            E::Array(a) => {
                let items: Vec<&syn::Expr> = a.elems.iter().collect();
                self.vec_of(&items)
            }
            E::Macro(m) => self.macro_expr(m),
            E::MethodCall(m) => self.method(m),
            E::Call(c) => self.call(c),
            E::Cast(c) => self.cast(c),
            E::If(i) => self.if_expr(i),
            E::Match(m) => self.match_expr(m),
            E::Block(b) if b.label.is_none() => match single_expr(&b.block) {
                Some(inner) => self.expr(inner),
                None => self.error(e, format!("a block with statements is not a pure expression; {MOVE_TO_TASK}")),
            },
            E::Await(_) => self.error(e, "task calls cannot be nested inside an expression; bind the result with `let` first"),
            E::Closure(_) => self.unsupported(e, "a closure"),
            E::Try(_) => self.error(
                e,
                "`?` is only supported on a task call in its own statement (`let x = task(..).await?;`)",
            ),
            E::Assign(_) => self.error(e, "an assignment is a statement, not a value"),
            E::Range(_) => self.unsupported(e, "a range expression"),
            E::Repeat(_) => self.unsupported(e, "an array repeat expression `[x; n]`"),
            E::Let(_) => self.error(e, "`let` is only allowed directly in an `if` or `while` condition"),
            E::Async(_) | E::TryBlock(_) => self.error(e, "an async block is not a pure expression; bind its result with `let` first"),
            E::Loop(_) | E::While(_) | E::ForLoop(_) => {
                self.error(e, format!("a loop is a statement, not a pure expression value; {MOVE_TO_TASK}"))
            }
            E::Return(_) | E::Break(_) | E::Continue(_) => {
                self.error(e, "control flow (`return`, `break`, `continue`) cannot appear inside an expression")
            }
            E::Unsafe(_) => self.unsupported(e, "an `unsafe` block"),
            E::Const(_) => self.unsupported(e, "a `const` block"),
            // A task call or `?` the front end has reported already.
            E::Verbatim(_) if crate::front::body::is_reported(e) => Typed::new("null", Ty::Unknown),
            _ => self.unsupported(e, "this expression"),
        }
    }

    // ------------------------------------------------------------------------------------ literals

    /// A literal; `negative` when it sits under a unary minus (folded into the number).
    pub fn lit(&mut self, lit: &syn::Lit, negative: bool) -> Typed {
        let sign = if negative { "-" } else { "" };
        match lit {
            syn::Lit::Int(i) if matches!(i.suffix(), "f32" | "f64") => {
                let v: f64 = i.base10_parse().unwrap_or(f64::NAN);
                self.float_lit(lit, if negative { -v } else { v })
            }
            syn::Lit::Int(i) => {
                let digits = i.base10_digits().trim_start_matches('-');
                let neg = negative != i.base10_digits().starts_with('-');
                match digits.parse::<u128>() {
                    Ok(v) if v <= MAX_SAFE_INT => {
                        Typed::new(format!("{}{v}", if neg && v != 0 { "-" } else { "" }), Ty::Int)
                    }
                    _ => self.error(
                        lit,
                        format!(
                            "the integer {sign}{digits} is beyond 2^53, which JSONata's numbers (doubles) cannot hold exactly; {MOVE_TO_TASK}"
                        ),
                    ),
                }
            }
            syn::Lit::Float(f) => {
                let v: f64 = f.base10_parse().unwrap_or(f64::NAN);
                self.float_lit(lit, if negative { -v } else { v })
            }
            syn::Lit::Bool(b) if !negative => {
                Typed::new(if b.value() { "true" } else { "false" }, Ty::Bool)
            }
            syn::Lit::Str(s) if !negative => {
                Typed::new(jsonata::string_literal(&s.value()), Ty::String)
            }
            syn::Lit::Char(c) if !negative => {
                Typed::new(jsonata::string_literal(&c.value().to_string()), Ty::String)
            }
            syn::Lit::Byte(_) | syn::Lit::ByteStr(_) | syn::Lit::CStr(_) => {
                self.unsupported(lit, "a byte or C string literal")
            }
            _ => self.unsupported(lit, "this literal"),
        }
    }

    fn float_lit(&mut self, at: &dyn ToTokens, v: f64) -> Typed {
        match jsonata::float_literal(v) {
            Some(code) => Typed::new(code, Ty::Float),
            None => self.error(
                at,
                "this float literal is not finite; JSON has no infinities",
            ),
        }
    }

    // -------------------------------------------------------------------------------------- paths

    fn path(&mut self, p: &syn::ExprPath) -> Typed {
        if p.qself.is_some() {
            return self.unsupported(p, "a qualified path");
        }
        if p.path.segments.len() == 1 && p.path.leading_colon.is_none() {
            let name = p.path.segments[0].ident.to_string();
            if name == "None" {
                return Typed::new("null", Ty::Option(Box::new(Ty::Unknown)));
            }
            if let Some(t) = self.scope.lookup(&name) {
                return Typed {
                    code: atom(&t.code),
                    ty: t.ty,
                };
            }
            if let Some(t) = self.unit_struct(&name) {
                return t;
            }
            if !p.path.segments[0].arguments.is_none() {
                return self.unsupported(p, format!("`{}`", p.path.to_token_stream()));
            }
            return self.error(
                p,
                format!("`{name}` is not a workflow variable here (constants and statics cannot be read in ASL; bind the value with `let`)"),
            );
        }
        if let Some(t) = constant(&p.path) {
            return t;
        }
        self.unit_variant_path(p)
    }

    // ---------------------------------------------------------------------------------- operators

    fn unary(&mut self, u: &syn::ExprUnary) -> Typed {
        match u.op {
            syn::UnOp::Deref(_) => self.expr(&u.expr),
            syn::UnOp::Neg(_) => {
                if let Some(lit) = peel_lit(&u.expr) {
                    return self.lit(lit, true);
                }
                let v = self.expr(&u.expr);
                match &v.ty {
                    Ty::Int | Ty::Float | Ty::Unknown => {
                        let inner = if v.code.starts_with('-') {
                            format!("({})", v.code)
                        } else {
                            v.code
                        };
                        Typed::new(format!("(-{inner})"), v.ty)
                    }
                    t => self.error(&u.expr, format!("unary `-` needs a number, this is `{t}`")),
                }
            }
            syn::UnOp::Not(_) => {
                let v = self.expr(&u.expr);
                match &v.ty {
                    Ty::Bool | Ty::Unknown | Ty::Json => {
                        Typed::new(format!("$not({})", v.code), Ty::Bool)
                    }
                    Ty::Int => self.unsupported(u, "bitwise `!` on an integer"),
                    t => self.error(&u.expr, format!("`!` needs a bool, this is `{t}`")),
                }
            }
            _ => self.unsupported(u, "this unary operator"),
        }
    }

    fn binary(&mut self, b: &syn::ExprBinary) -> Typed {
        use syn::BinOp as B;
        let op = &b.op;
        if matches!(
            op,
            B::AddAssign(_)
                | B::SubAssign(_)
                | B::MulAssign(_)
                | B::DivAssign(_)
                | B::RemAssign(_)
                | B::BitXorAssign(_)
                | B::BitAndAssign(_)
                | B::BitOrAssign(_)
                | B::ShlAssign(_)
                | B::ShrAssign(_)
        ) {
            return self.error(
                b,
                format!(
                    "`{}` is an assignment, a statement and not a value",
                    op.to_token_stream()
                ),
            );
        }
        let before = self.errors.count();
        let l = self.expr(&b.left);
        let r = self.expr(&b.right);
        if self.errors.count() > before {
            // An operand already failed: do not pile type errors on its placeholder.
            return Typed::new("null", Ty::Unknown);
        }
        match op {
            B::Add(_) => self.add(b, l, r),
            B::Sub(_) | B::Mul(_) => {
                let sym = if matches!(op, B::Sub(_)) { "-" } else { "*" };
                match numeric(&l.ty, &r.ty) {
                    Some(ty) => Typed::new(format!("({} {sym} {})", l.code, r.code), ty),
                    None => self.error(b, format!("`{sym}` needs two numbers, found `{}` and `{}`", l.ty, r.ty)),
                }
            }
            B::Div(_) => self.div(b, l, r),
            B::Rem(_) => match numeric(&l.ty, &r.ty) {
                Some(Ty::Float) => self.unsupported(
                    b,
                    "`%` on floats (jsonata-python truncates its operands, so the engines disagree)",
                ),
                Some(ty) => Typed::new(format!("({} % {})", l.code, r.code), ty),
                None => self.error(b, format!("`%` needs two numbers, found `{}` and `{}`", l.ty, r.ty)),
            },
            B::And(_) | B::Or(_) | B::BitAnd(_) | B::BitOr(_) | B::BitXor(_) => self.logic(b, l, r),
            B::Shl(_) | B::Shr(_) => self.unsupported(b, "a bit shift"),
            B::Eq(_) | B::Ne(_) => self.equality(b, l, r),
            B::Lt(_) | B::Le(_) | B::Gt(_) | B::Ge(_) => self.ordering(b, l, r),
            _ => self.unsupported(b, "this operator"),
        }
    }

    fn add(&mut self, b: &syn::ExprBinary, l: Typed, r: Typed) -> Typed {
        let stringy = |t: &Ty| matches!(t, Ty::String);
        if stringy(&l.ty) || stringy(&r.ty) {
            if !matches!(l.ty, Ty::String | Ty::Unknown)
                || !matches!(r.ty, Ty::String | Ty::Unknown)
            {
                return self.error(b, format!("`+` on `{}` and `{}`", l.ty, r.ty));
            }
            return Typed::new(format!("({} & {})", l.code, r.code), Ty::String);
        }
        match numeric(&l.ty, &r.ty) {
            Some(ty) => Typed::new(format!("({} + {})", l.code, r.code), ty),
            None => self.error(
                b,
                format!(
                    "`+` needs two numbers or two strings, found `{}` and `{}`",
                    l.ty, r.ty
                ),
            ),
        }
    }

    /// Integer division truncates toward zero (Rust), float division does not: decided by the types.
    fn div(&mut self, b: &syn::ExprBinary, l: Typed, r: Typed) -> Typed {
        match numeric(&l.ty, &r.ty) {
            Some(Ty::Int) => {
                // (a - a % b) / b: `%` truncates like Rust's and every step is exact below 2^53.
                let code = self.reuse(&l.code, |t, a| {
                    t.reuse(&r.code, |_, d| format!("(({a} - {a} % {d}) / {d})"))
                });
                Typed::new(code, Ty::Int)
            }
            Some(Ty::Float) => Typed::new(format!("({} / {})", l.code, r.code), Ty::Float),
            Some(_) => self.error(
                b,
                "cannot tell whether this `/` is an integer division (which truncates) or a float division; \
                 annotate the operands' types (e.g. `let n: i64 = ..;`)",
            ),
            None => self.error(b, format!("`/` needs two numbers, found `{}` and `{}`", l.ty, r.ty)),
        }
    }

    fn logic(&mut self, b: &syn::ExprBinary, l: Typed, r: Typed) -> Typed {
        use syn::BinOp as B;
        let boolish = |t: &Ty| matches!(t, Ty::Bool | Ty::Unknown | Ty::Json);
        if !boolish(&l.ty) || !boolish(&r.ty) {
            if matches!(b.op, B::BitAnd(_) | B::BitOr(_) | B::BitXor(_)) {
                return self.unsupported(b, "a bitwise operator on integers");
            }
            return self.error(
                b,
                format!(
                    "`{}` needs two bools, found `{}` and `{}`",
                    b.op.to_token_stream(),
                    l.ty,
                    r.ty
                ),
            );
        }
        // `&` and `|` on bools evaluate both sides; the operands are pure, so `and`/`or` are equivalent.
        let code = match b.op {
            B::And(_) | B::BitAnd(_) => format!("({} and {})", l.code, r.code),
            B::Or(_) | B::BitOr(_) => format!("({} or {})", l.code, r.code),
            _ => format!("({} != {})", l.code, r.code),
        };
        Typed::new(code, Ty::Bool)
    }

    /// `==`/`!=`: JSONata's `=` is a deep comparison of arrays and objects (jsonata-js 2.x, jsonata-python,
    /// jsonata-core), which is Rust's derived `PartialEq` on the serde form.
    fn equality(&mut self, b: &syn::ExprBinary, l: Typed, r: Typed) -> Typed {
        for t in [&l.ty, &r.ty] {
            if let Ty::Named(n) = t
                && n == "HashSet"
            {
                return self.unsupported(b, "`==` on a HashSet (JSON arrays compare in order)");
            }
        }
        let sym = if matches!(b.op, syn::BinOp::Eq(_)) {
            "="
        } else {
            "!="
        };
        Typed::new(format!("({} {sym} {})", l.code, r.code), Ty::Bool)
    }

    /// `<` `<=` `>` `>=` on numbers, and on strings where JSONata's order is Rust's.
    ///
    /// Rust orders strings by UTF-8 bytes (= code points); jsonata-js by UTF-16 code units. The two differ
    /// only when, at the first difference, one string has a character above U+FFFF and the other one in
    /// U+E000..=U+FFFF. Against a literal made of characters below U+E000 that cannot happen, so such
    /// comparisons are allowed; comparing two computed strings is rejected.
    fn ordering(&mut self, b: &syn::ExprBinary, l: Typed, r: Typed) -> Typed {
        let sym = match b.op {
            syn::BinOp::Lt(_) => "<",
            syn::BinOp::Le(_) => "<=",
            syn::BinOp::Gt(_) => ">",
            _ => ">=",
        };
        let code = format!("({} {sym} {})", l.code, r.code);
        if numeric(&l.ty, &r.ty).is_some() {
            return Typed::new(code, Ty::Bool);
        }
        let str_ok = |t: &Ty| matches!(t, Ty::String | Ty::Unknown);
        if str_ok(&l.ty) && str_ok(&r.ty) {
            let safe = |e: &syn::Expr| {
                literal_string(e).is_some_and(|s| s.chars().all(|c| (c as u32) < 0xE000))
            };
            if l.ty == Ty::Unknown && r.ty == Ty::Unknown || safe(&b.left) || safe(&b.right) {
                return Typed::new(code, Ty::Bool);
            }
            return self.error(
                b,
                format!(
                    "ordering two computed strings has no exact JSONata equivalent (AWS's JSONata compares \
                     UTF-16 code units, Rust compares code points); compare with a string literal, or {MOVE_TO_TASK}"
                ),
            );
        }
        self.error(b, format!("`{sym}` is only translated for numbers and strings, found `{}` and `{}`; {MOVE_TO_TASK}", l.ty, r.ty))
    }

    // ------------------------------------------------------------------------- fields and indexing

    fn field_expr(&mut self, f: &syn::ExprField) -> Typed {
        let base = self.expr(&f.base);
        let name = match &f.member {
            syn::Member::Named(i) => syn::ext::IdentExt::unraw(i).to_string(),
            syn::Member::Unnamed(i) => i.index.to_string(),
        };
        if let Ty::Option(_) = base.ty {
            return self.error(
                &f.member,
                format!(
                    "`{}` is an Option: unwrap it (`match`, `if let`) before reading a field",
                    base.ty
                ),
            );
        }
        match self.types.field(&base.ty, &name) {
            FieldLookup::Found(info) | FieldLookup::Fallback(info) => self.access(&base, &info),
            FieldLookup::Error(msg) => self.error(&f.member, msg),
        }
    }

    /// The value of a resolved field of `base`, with serde's value for a missing key when it has one.
    pub fn access(&mut self, base: &Typed, info: &FieldInfo) -> Typed {
        match &info.access {
            Access::Transparent => Typed::new(base.code.clone(), info.ty.clone()),
            Access::Index(i) => Typed::new(format!("{}[{i}]", atom(&base.code)), info.ty.clone()),
            Access::Key(name) => {
                let code = match &info.missing {
                    None => jsonata::field(&atom(&base.code), name),
                    Some(missing) => self.reuse(&base.code, |_, b| {
                        let p = jsonata::field(b, name);
                        format!("($exists({p}) ? {p} : {missing})")
                    }),
                };
                Typed::new(code, info.ty.clone())
            }
        }
    }

    fn index(&mut self, i: &syn::ExprIndex) -> Typed {
        if let syn::Expr::Range(_) = &*i.index {
            return self.unsupported(i, "slicing with a range");
        }
        let base = self.expr(&i.expr);
        let idx = self.expr(&i.index);
        match (&base.ty, &idx.ty) {
            (Ty::Vec(elem), Ty::Int | Ty::Unknown) => Typed::new(
                format!("{}[{}]", atom(&base.code), idx.code),
                (**elem).clone(),
            ),
            (Ty::Map(v), Ty::String | Ty::Unknown) => Typed::new(
                format!("$lookup({}, {})", base.code, idx.code),
                (**v).clone(),
            ),
            (Ty::Json, Ty::String) => {
                // serde_json's `Index`: `Null` unless `v` is an object holding the key.
                let code = self.reuse(&base.code, |t, v| {
                    let r = t.temp();
                    format!(
                        "({r} := $type({v}) = 'object' ? $lookup({v}, {}) : null; $exists({r}) ? {r} : null)",
                        idx.code
                    )
                });
                Typed::new(code, Ty::Json)
            }
            (Ty::Json, Ty::Int) => {
                let code = self.reuse(&base.code, |t, v| {
                    t.reuse(&idx.code, |_, n| {
                        format!("($type({v}) = 'array' and {n} < $count({v}) ? {v}[{n}] : null)")
                    })
                });
                Typed::new(code, Ty::Json)
            }
            (Ty::Unknown, Ty::String) => {
                Typed::new(format!("$lookup({}, {})", base.code, idx.code), Ty::Unknown)
            }
            (Ty::Unknown, _) => {
                Typed::new(format!("{}[{}]", atom(&base.code), idx.code), Ty::Unknown)
            }
            (Ty::String, _) => self.unsupported(i, "indexing a string"),
            (b, x) => self.error(i, format!("cannot index a `{b}` with a `{x}`")),
        }
    }

    // ------------------------------------------------------------------------------------- casts

    fn cast(&mut self, c: &syn::ExprCast) -> Typed {
        let v = self.expr(&c.expr);
        let target = Ty::from_syn(&c.ty);
        let target_name = c.ty.to_token_stream().to_string();
        match (&v.ty, &target) {
            (_, Ty::Float) if target_name == "f32" => {
                self.unsupported(c, "a cast to `f32` (rounds to single precision)")
            }
            (Ty::Int, Ty::Int) => {
                if matches!(
                    target_name.as_str(),
                    "i64" | "i128" | "isize" | "u64" | "u128" | "usize"
                ) {
                    Typed::new(v.code, Ty::Int)
                } else {
                    self.unsupported(
                        c,
                        format!("a cast to `{target_name}` (it wraps values out of range)"),
                    )
                }
            }
            (Ty::Int | Ty::Float | Ty::Unknown, Ty::Float) => Typed::new(v.code, Ty::Float),
            (Ty::Float | Ty::Unknown, Ty::Int) => {
                // `as` truncates toward zero (saturation at the type's bounds is not modelled).
                let code = self.reuse(&v.code, |_, x| {
                    format!("({x} < 0 ? $ceil({x}) : $floor({x}))")
                });
                Typed::new(code, Ty::Int)
            }
            (Ty::Bool, Ty::Int) => Typed::new(format!("({} ? 1 : 0)", v.code), Ty::Int),
            (from, _) => self.unsupported(c, format!("the cast `{from} as {target_name}`")),
        }
    }

    // ------------------------------------------------------------------------ conditional values

    /// `if c { a } else { b }` → `(c ? a : b)` when both arms are single pure expressions; `if let`
    /// conditions bind their pattern.
    fn if_expr(&mut self, i: &syn::ExprIf) -> Typed {
        let Some((_, else_branch)) = &i.else_branch else {
            return self.error(i, "an `if` without `else` has no value here");
        };
        let Some(then_expr) = single_expr(&i.then_branch) else {
            return self.error(
                &i.then_branch,
                format!("a block with statements is not a pure expression; {MOVE_TO_TASK}"),
            );
        };
        if let syn::Expr::Let(l) = &*i.cond {
            let scrutinee = self.expr(&l.expr);
            return self.bind_match(&scrutinee, |t, s| {
                let test = t.pattern(&l.pat, s);
                let names = test.bindings;
                let layered = Layered {
                    outer: t.scope,
                    names: &names,
                };
                let then = t.with_scope(&layered, |t| t.expr(then_expr));
                let other = t.expr(else_branch);
                let cond = test.condition.unwrap_or_else(|| "true".to_owned());
                Typed::new(
                    format!("({cond} ? {} : {})", then.code, other.code),
                    then.ty.unify(&other.ty),
                )
            });
        }
        let cond = self.expr(&i.cond);
        if !matches!(cond.ty, Ty::Bool | Ty::Unknown | Ty::Json) {
            self.error(
                &i.cond,
                format!("an `if` condition must be a bool, this is `{}`", cond.ty),
            );
        }
        let then = self.expr(then_expr);
        let other = self.expr(else_branch);
        Typed::new(
            format!("({} ? {} : {})", cond.code, then.code, other.code),
            then.ty.unify(&other.ty),
        )
    }

    /// `match v { p => e, .. }` with pure arm bodies → nested conditionals. The last arm needs no test:
    /// Rust has already checked that the arms are exhaustive.
    fn match_expr(&mut self, m: &syn::ExprMatch) -> Typed {
        let scrutinee = self.expr(&m.expr);
        if m.arms.is_empty() {
            return self.error(m, "a `match` without arms has no value");
        }
        self.bind_match(&scrutinee, |t, s| {
            let mut arms = Vec::new();
            for arm in &m.arms {
                let test = t.pattern(&arm.pat, s);
                let names = test.bindings;
                let layered = Layered {
                    outer: t.scope,
                    names: &names,
                };
                let body = t.with_scope(&layered, |t| t.expr(&arm.body));
                arms.push((test.condition, body));
            }
            let ty = arms
                .iter()
                .fold(Ty::Unknown, |acc, (_, b)| acc.unify(&b.ty));
            let (_, last) = arms.pop().expect("at least one arm");
            let mut code = last.code;
            while let Some((cond, body)) = arms.pop() {
                code = match cond {
                    Some(c) => format!("({c} ? {} : {code})", body.code),
                    // An irrefutable arm before the end: the arms after it are unreachable.
                    None => body.code,
                };
            }
            Typed::new(code, ty)
        })
    }

    /// Runs `f` on the scrutinee made cheap to repeat (bound to a temporary unless simple).
    fn bind_match(
        &mut self,
        scrutinee: &Typed,
        f: impl FnOnce(&mut Self, &Typed) -> Typed,
    ) -> Typed {
        if is_simple(&scrutinee.code) {
            return f(self, scrutinee);
        }
        let t = self.temp();
        let inner = f(self, &Typed::new(t.clone(), scrutinee.ty.clone()));
        Typed::new(
            format!("({t} := {}; {})", scrutinee.code, inner.code),
            inner.ty,
        )
    }

    /// The test and bindings of `pat` against `scrutinee` (errors recorded here).
    pub fn pattern(&mut self, pat: &syn::Pat, scrutinee: &Typed) -> pattern::PatternTest {
        pattern::test(self, pat, scrutinee)
    }
}

/// The largest integer a double holds exactly, with all smaller ones (2^53).
pub const MAX_SAFE_INT: u128 = 1 << 53;

/// The number type of `a op b`, or `None` if either side is known not to be a number. `Unknown` yields to
/// the other side.
fn numeric(a: &Ty, b: &Ty) -> Option<Ty> {
    let num = |t: &Ty| matches!(t, Ty::Int | Ty::Float | Ty::Unknown | Ty::Json);
    if !num(a) || !num(b) {
        return None;
    }
    let known = |t: &Ty| match t {
        Ty::Int | Ty::Float => Some(t.clone()),
        _ => None,
    };
    Some(known(a).or_else(|| known(b)).unwrap_or(Ty::Unknown))
}

/// The literal under parentheses, references and groups, if `e` is one.
pub(crate) fn peel_lit(e: &syn::Expr) -> Option<&syn::Lit> {
    match e {
        syn::Expr::Lit(l) => Some(&l.lit),
        syn::Expr::Paren(p) => peel_lit(&p.expr),
        syn::Expr::Group(g) => peel_lit(&g.expr),
        syn::Expr::Reference(r) => peel_lit(&r.expr),
        _ => None,
    }
}

/// The value of a string or char literal, also under `.to_string()`, `.to_owned()`, `.into()`,
/// `.as_str()` and `String::from(..)`.
pub(crate) fn literal_string(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "to_string" | "to_owned" | "into" | "as_str"
                ) =>
        {
            literal_string(&m.receiver)
        }
        syn::Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            syn::Expr::Path(p)
                if p.path.segments.len() == 2
                    && p.path.segments[0].ident == "String"
                    && p.path.segments[1].ident == "from" =>
            {
                literal_string(&c.args[0])
            }
            _ => None,
        },
        syn::Expr::Paren(p) => literal_string(&p.expr),
        syn::Expr::Group(g) => literal_string(&g.expr),
        syn::Expr::Reference(r) => literal_string(&r.expr),
        syn::Expr::Lit(l) => match &l.lit {
            syn::Lit::Str(s) => Some(s.value()),
            syn::Lit::Char(c) => Some(c.value().to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The expression of a block that holds nothing else.
pub(crate) fn single_expr(b: &syn::Block) -> Option<&syn::Expr> {
    match b.stmts.as_slice() {
        [syn::Stmt::Expr(e, None)] => Some(e),
        _ => None,
    }
}

/// Numeric constants with an exact JSONata literal (`i32::MAX`, `f64::consts::PI`, ...).
fn constant(path: &syn::Path) -> Option<Typed> {
    let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let n = segs.len();
    if n < 2 {
        return None;
    }
    let (ty, name) = (segs[n - 2].as_str(), segs[n - 1].as_str());
    let int = |v: i128| Some(Typed::new(v.to_string(), Ty::Int));
    let float = |v: f64| jsonata::float_literal(v).map(|c| Typed::new(c, Ty::Float));
    match (ty, name) {
        ("i8", "MAX") => int(i8::MAX.into()),
        ("i8", "MIN") => int(i8::MIN.into()),
        ("i16", "MAX") => int(i16::MAX.into()),
        ("i16", "MIN") => int(i16::MIN.into()),
        ("i32", "MAX") => int(i32::MAX.into()),
        ("i32", "MIN") => int(i32::MIN.into()),
        ("u8", "MAX") => int(u8::MAX.into()),
        ("u16", "MAX") => int(u16::MAX.into()),
        ("u32", "MAX") => int(u32::MAX.into()),
        ("u8" | "u16" | "u32" | "u64" | "u128" | "usize", "MIN") => int(0),
        ("f64", "MAX") => float(f64::MAX),
        ("f64", "MIN") => float(f64::MIN),
        ("f64", "EPSILON") => float(f64::EPSILON),
        ("f64", "MIN_POSITIVE") => float(f64::MIN_POSITIVE),
        ("consts", "PI") => float(std::f64::consts::PI),
        ("consts", "E") => float(std::f64::consts::E),
        ("consts", "TAU") => float(std::f64::consts::TAU),
        ("consts", "SQRT_2") => float(std::f64::consts::SQRT_2),
        ("consts", "LN_2") => float(std::f64::consts::LN_2),
        ("consts", "LN_10") => float(std::f64::consts::LN_10),
        _ => None,
    }
}
