//! Building values: struct and variant literals, tuples, arrays and `vec![..]`, constructor calls and the
//! few standard functions with an exact JSONata form (`Some`, `String::from`, `Failure::new`, ...).
//!
//! Values are built in their serde shape: fields under their serde names in declaration order,
//! enum variants in their representation (externally tagged `{"V": x}`, `"V"` for a unit variant,
//! `tag`/`content`, untagged). Arrays are built so that an item that is itself an array is never
//! flattened into its parent (JSONata's array constructor flattens array-valued items).

use quote::ToTokens;
use syn::ext::IdentExt as _;
use syn::punctuated::Punctuated;

use super::{Translator, Typed};
use crate::front::diagnostics::MOVE_TO_TASK;
use crate::front::types::{
    EnumRepr, FieldDef, JsonKinds, Resolved, Shape, SkipIf, Ty, VariantInfo, VariantLookup,
};
use crate::lower::jsonata::{self, string_literal};

/// One entry of an object under construction.
enum Entry {
    /// `'key': code`; `true` when the value may be undefined (serde would leave the key out).
    Key(String, String, bool),
    /// A `#[serde(flatten)]`ed value whose keys are merged in.
    Flatten(String),
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn path_segments(path: &syn::Path) -> Vec<String> {
    path.segments
        .iter()
        .map(|s| s.ident.unraw().to_string())
        .collect()
}

impl Translator<'_> {
    // ------------------------------------------------------------------------------------ arrays

    /// `[a, b, ..]` holding exactly the given values.
    ///
    /// JSONata's array constructor appends an item's value, flattening it when it is an array, unless the
    /// item is itself written as an array constructor. So an array-typed item is written `[x]` (a copy of
    /// `x`, kept whole), and an item that may or may not be an array is turned into a one-element array
    /// at run time, which the constructor then flattens back to the item.
    pub fn array_code(&mut self, items: &[Typed]) -> String {
        let mut parts = Vec::with_capacity(items.len());
        for t in items {
            let kinds = self.kinds(&t.ty);
            parts.push(
                if !kinds.may_be(JsonKinds::ARRAY) || is_array_constructor(&t.code) {
                    // An item written as an array constructor is kept whole by the enclosing constructor.
                    t.code.clone()
                } else if kinds.only(JsonKinds::ARRAY) {
                    format!("[{}]", t.code)
                } else {
                    self.reuse(&t.code, |_, x| {
                        format!("($type({x}) = 'array' ? [[{x}]] : [{x}])")
                    })
                },
            );
        }
        format!("[{}]", parts.join(", "))
    }

    /// `vec![..]` / `[..]`.
    pub fn vec_of(&mut self, items: &[&syn::Expr]) -> Typed {
        let vals: Vec<Typed> = items.iter().map(|e| self.expr(e)).collect();
        let elem = vals.iter().fold(Ty::Unknown, |acc, v| acc.unify(&v.ty));
        Typed::new(self.array_code(&vals), Ty::Vec(Box::new(elem)))
    }

    /// `(a, b)` is a JSON array; `()` is `null`.
    pub fn tuple(&mut self, t: &syn::ExprTuple) -> Typed {
        if t.elems.is_empty() {
            return Typed::new("null", Ty::Unit);
        }
        let vals: Vec<Typed> = t.elems.iter().map(|e| self.expr(e)).collect();
        let tys = vals.iter().map(|v| v.ty.clone()).collect();
        Typed::new(self.array_code(&vals), Ty::Tuple(tys))
    }

    // ----------------------------------------------------------------------------------- objects

    fn object_code(&mut self, entries: Vec<Entry>, rest: Option<String>) -> String {
        let mut keys = Vec::new();
        let mut merged = Vec::new();
        let mut optional = Vec::new();
        for e in entries {
            match e {
                Entry::Key(k, v, opt) => {
                    if opt {
                        optional.push(jsonata::key(&k));
                    }
                    keys.push(format!("{}: {v}", jsonata::key(&k)))
                }
                Entry::Flatten(v) => merged.push(v),
            }
        }
        let object = format!("{{{}}}", keys.join(", "));
        if rest.is_none() && merged.is_empty() {
            return object;
        }
        // A key left out of `object` must not survive from `..rest` either.
        let rest = rest.map(|r| {
            if optional.is_empty() {
                return r;
            }
            let (v, k) = (self.temp(), self.temp());
            format!(
                "$sift({r}, function({v}, {k}) {{ $not({k} in [{}]) }})",
                optional.join(", ")
            )
        });
        let mut parts: Vec<String> = rest.into_iter().collect();
        parts.push(object);
        parts.extend(merged);
        format!("$merge([{}])", parts.join(", "))
    }

    /// The entries of a literal's fields against their serde definitions (declaration order), or as
    /// written when the definitions are unknown.
    fn field_entries(
        &mut self,
        owner: &str,
        defs: Option<&[FieldDef]>,
        lit: &Punctuated<syn::FieldValue, syn::Token![,]>,
    ) -> Vec<Entry> {
        let mut given: Vec<(String, &syn::FieldValue, Typed)> = Vec::new();
        for fv in lit {
            let name = match &fv.member {
                syn::Member::Named(i) => i.unraw().to_string(),
                syn::Member::Unnamed(i) => i.index.to_string(),
            };
            let v = self.expr(&fv.expr);
            given.push((name, fv, v));
        }
        let Some(defs) = defs else {
            return given
                .into_iter()
                .map(|(n, _, v)| Entry::Key(n, v.code, false))
                .collect();
        };
        for (name, fv, _) in &given {
            if !defs.iter().any(|d| &d.rust == name) {
                self.error(&fv.member, format!("`{owner}` has no field `{name}`"));
            }
        }
        let mut out = Vec::new();
        for d in defs {
            let Some((_, fv, v)) = given.iter().find(|(n, _, _)| n == &d.rust) else {
                continue;
            };
            if d.skip_ser {
                continue;
            }
            if d.custom {
                self.error(
                    &fv.member,
                    format!("field `{owner}.{}` has a custom serde `with` function, so its JSON shape is not known; {MOVE_TO_TASK}", d.rust),
                );
                continue;
            }
            if d.ser != d.de {
                self.error(
                    &fv.member,
                    format!(
                        "field `{owner}.{}` is renamed differently for serialising (`{}`) and deserialising (`{}`), \
                         so a workflow value has no single JSON form; {MOVE_TO_TASK}",
                        d.rust, d.ser, d.de
                    ),
                );
                continue;
            }
            out.push(if d.flatten {
                Entry::Flatten(v.code.clone())
            } else {
                // A value serde would leave out becomes undefined, which drops the key.
                let optional = matches!(d.skip_if, Some(SkipIf::IsNone | SkipIf::IsEmpty));
                let code = match &d.skip_if {
                    Some(SkipIf::IsNone) => self.reuse(&v.code, |_, x| format!("({x} != null ? {x})")),
                    Some(SkipIf::IsEmpty) => {
                        let empty = match &d.ty {
                            Ty::String => "''",
                            Ty::Map(_) => "{}",
                            _ => "[]",
                        };
                        self.reuse(&v.code, |_, x| format!("({x} != {empty} ? {x})"))
                    }
                    Some(SkipIf::Other(f)) => {
                        self.error(
                            &fv.member,
                            format!(
                                "field `{owner}.{}` is written only when `{f}` says so, which JSONata cannot evaluate; {MOVE_TO_TASK}",
                                d.rust
                            ),
                        );
                        continue;
                    }
                    None => v.code.clone(),
                };
                Entry::Key(d.de.clone(), code, optional)
            });
        }
        out
    }

    /// `S { a: x, b, ..rest }` and `Enum::Variant { .. }`.
    pub fn struct_lit(&mut self, s: &syn::ExprStruct) -> Typed {
        if s.qself.is_some() {
            return self.unsupported(s, "a qualified struct path");
        }
        let segs = path_segments(&s.path);
        let n = segs.len();
        if n >= 2 && starts_upper(&segs[n - 2]) {
            return self.variant_struct(s, &segs[n - 2], &segs[n - 1]);
        }
        let name = segs[n - 1].clone();
        let rest = s.rest.as_ref().map(|r| self.expr(r).code);
        if name == "Failure" {
            let mut entries = Vec::new();
            for fv in &s.fields {
                let v = self.expr(&fv.expr);
                match &fv.member {
                    syn::Member::Named(i) if i == "error" => {
                        entries.push(Entry::Key("Error".into(), v.code, false))
                    }
                    syn::Member::Named(i) if i == "cause" => {
                        entries.push(Entry::Key("Cause".into(), v.code, false))
                    }
                    m => {
                        self.error(m, "`Failure` has the fields `error` and `cause`");
                    }
                }
            }
            return Typed::new(self.object_code(entries, rest), Ty::Failure);
        }
        let ty = Ty::Named(name.clone());
        match self.types.resolve(&name) {
            Resolved::Struct(def) if def.opaque => self.error(
                &s.path,
                format!("`{name}` is serialised through another type (`#[serde(from/into)]`); {MOVE_TO_TASK}"),
            ),
            Resolved::Struct(def) => match &def.shape {
                Shape::Struct(defs) if def.transparent => {
                    let Some(d) = defs.iter().find(|d| !d.skip_ser) else {
                        return Typed::new("null", ty);
                    };
                    match s.fields.iter().find(|fv| matches!(&fv.member, syn::Member::Named(i) if i.unraw() == d.rust)) {
                        Some(fv) => {
                            let v = self.expr(&fv.expr);
                            Typed::new(v.code, ty)
                        }
                        None => match rest {
                            Some(r) => Typed::new(r, ty),
                            None => self.error(s, format!("missing field `{}`", d.rust)),
                        },
                    }
                }
                Shape::Struct(defs) => {
                    let defs = defs.clone();
                    let entries = self.field_entries(&name, Some(&defs), &s.fields);
                    Typed::new(self.object_code(entries, rest), ty)
                }
                _ => self.unsupported(s, format!("a brace literal of the tuple struct `{name}`")),
            },
            Resolved::Enum(_) => self.error(&s.path, format!("`{name}` is an enum; name a variant (`{name}::Variant {{ .. }}`)")),
            Resolved::Ambiguous => self.error(&s.path, format!("`{name}` names several different serde types in this crate")),
            Resolved::Unknown => {
                let entries = self.field_entries(&name, None, &s.fields);
                Typed::new(self.object_code(entries, rest), ty)
            }
        }
    }

    fn variant_info(
        &mut self,
        at: &dyn ToTokens,
        enum_name: &str,
        variant: &str,
    ) -> Option<VariantInfo> {
        match self.types.variant(enum_name, variant) {
            VariantLookup::Found(v) | VariantLookup::Fallback(v) => {
                if v.ser != v.de {
                    self.error(
                        at,
                        format!(
                            "variant `{enum_name}::{variant}` is renamed differently for serialising (`{}`) and \
                             deserialising (`{}`), so a workflow value has no single JSON form; {MOVE_TO_TASK}",
                            v.ser, v.de
                        ),
                    );
                    return None;
                }
                Some(v)
            }
            VariantLookup::Error(msg) => {
                self.error(at, msg);
                None
            }
        }
    }

    /// The tagged form of a variant whose payload (if any) is `payload`.
    fn tagged(
        &mut self,
        at: &dyn ToTokens,
        v: &VariantInfo,
        payload: Option<String>,
        payload_kinds: JsonKinds,
    ) -> Typed {
        let ty = Ty::Named(v.enum_name.clone());
        let name = string_literal(&v.de);
        let code = match (&v.repr, payload) {
            (EnumRepr::External, None) => name,
            (EnumRepr::External, Some(p)) => format!("{{{name}: {p}}}"),
            (EnumRepr::Internal { tag } | EnumRepr::Adjacent { tag, .. }, None) => {
                format!("{{{}: {name}}}", jsonata::key(tag))
            }
            (EnumRepr::Internal { tag }, Some(p)) => {
                if !payload_kinds.only(JsonKinds::OBJECT) {
                    return self.error(
                        at,
                        format!(
                            "the internally tagged variant `{}::{}` needs a struct or map payload (serde cannot write others)",
                            v.enum_name, v.rust
                        ),
                    );
                }
                format!("$merge([{{{}: {name}}}, {p}])", jsonata::key(tag))
            }
            (EnumRepr::Adjacent { tag, content }, Some(p)) => {
                format!(
                    "{{{}: {name}, {}: {p}}}",
                    jsonata::key(tag),
                    jsonata::key(content)
                )
            }
            (EnumRepr::Untagged, None) => "null".to_owned(),
            (EnumRepr::Untagged, Some(p)) => p,
        };
        Typed::new(code, ty)
    }

    /// `Enum::Variant` as a value.
    pub fn unit_variant_path(&mut self, p: &syn::ExprPath) -> Typed {
        let segs = path_segments(&p.path);
        let n = segs.len();
        if n < 2 || segs[0] == "Self" || !starts_upper(&segs[n - 2]) {
            return self.error(p, format!("`{}` cannot be read in ASL (only enum variants and numeric constants); bind the value with `let`", p.path.to_token_stream()));
        }
        let Some(v) = self.variant_info(p, &segs[n - 2], &segs[n - 1]) else {
            return Typed::new("null", Ty::Unknown);
        };
        match &v.shape {
            Shape::Unit | Shape::Unknown => self.tagged(p, &v, None, JsonKinds::NONE),
            Shape::Struct(_) => self.error(
                p,
                format!(
                    "variant `{}::{}` has fields: write `{}::{} {{ .. }}`",
                    v.enum_name, v.rust, v.enum_name, v.rust
                ),
            ),
            _ => self.error(
                p,
                format!(
                    "variant `{}::{}` holds data: write `{}::{}(..)`",
                    v.enum_name, v.rust, v.enum_name, v.rust
                ),
            ),
        }
    }

    /// A unit struct named `name` (JSON `null`).
    pub fn unit_struct(&mut self, name: &str) -> Option<Typed> {
        match self.types.resolve(name) {
            Resolved::Struct(s) if s.shape == Shape::Unit => {
                Some(Typed::new("null", Ty::Named(name.to_owned())))
            }
            _ => None,
        }
    }

    fn variant_struct(&mut self, s: &syn::ExprStruct, enum_name: &str, variant: &str) -> Typed {
        if s.rest.is_some() {
            return self.unsupported(s, "`..rest` in an enum variant literal");
        }
        let Some(v) = self.variant_info(&s.path, enum_name, variant) else {
            return Typed::new("null", Ty::Unknown);
        };
        let defs = match &v.shape {
            Shape::Struct(defs) => Some(defs.clone()),
            Shape::Unknown => None,
            _ => {
                return self.error(
                    &s.path,
                    format!("variant `{enum_name}::{variant}` is not a struct variant"),
                );
            }
        };
        let owner = format!("{enum_name}::{variant}");
        let entries = self.field_entries(&owner, defs.as_deref(), &s.fields);
        let code = match &v.repr {
            EnumRepr::Internal { tag } => {
                let mut all = vec![Entry::Key(tag.clone(), string_literal(&v.de), false)];
                all.extend(entries);
                return Typed::new(self.object_code(all, None), Ty::Named(enum_name.to_owned()));
            }
            _ => self.object_code(entries, None),
        };
        self.tagged(s, &v, Some(code), JsonKinds::OBJECT)
    }

    // ------------------------------------------------------------------------------------- calls

    /// Calls: constructors and the standard functions with an exact JSONata form.
    pub fn call(&mut self, c: &syn::ExprCall) -> Typed {
        let syn::Expr::Path(p) = &*c.func else {
            return self.unsupported(&c.func, "calling a computed function");
        };
        if p.qself.is_some() {
            return self.unsupported(c, "a call through a qualified path");
        }
        let segs = path_segments(&p.path);
        let args: Vec<&syn::Expr> = c.args.iter().collect();
        let strs: Vec<&str> = segs.iter().map(String::as_str).collect();
        let tail: &[&str] = if strs.len() >= 2 {
            &strs[strs.len() - 2..]
        } else {
            &strs
        };
        match (tail, args.as_slice()) {
            (["Some"], [x]) => {
                let v = self.expr(x);
                if let Ty::Option(_) = v.ty {
                    return self.unsupported(c, "a nested `Option` (`Some(None)` and `None` are both JSON null)");
                }
                Typed::new(v.code, Ty::Option(Box::new(v.ty)))
            }
            (["Ok" | "Err"], _) => self.error(
                c,
                "`Ok(..)`/`Err(..)` are only understood as the workflow's result (`Ok(v)` at the end, `return Err(..)`)",
            ),
            (["String", "from" | "from_str"], [x]) => {
                let v = self.expr(x);
                self.expect_string(x, &v);
                Typed::new(v.code, Ty::String)
            }
            (["String", "new"], []) => Typed::new("''", Ty::String),
            (["Vec" | "VecDeque", "new"], []) => Typed::new("[]", Ty::Vec(Box::new(Ty::Unknown))),
            (["HashMap" | "BTreeMap", "new"], []) => Typed::new("{}", Ty::Map(Box::new(Ty::Unknown))),
            (["Failure", "new"], [e, cause]) => {
                let e = self.expr(e);
                let cause = self.expr(cause);
                Typed::new(format!("{{'Error': {}, 'Cause': {}}}", e.code, cause.code), Ty::Failure)
            }
            ([t, "from"], [x]) if is_int_name(t) || *t == "f64" => {
                let v = self.expr(x);
                let target = if *t == "f64" { Ty::Float } else { Ty::Int };
                match (&v.ty, &target) {
                    (Ty::Int | Ty::Unknown, _) | (Ty::Float, Ty::Float) => Typed::new(v.code, target),
                    (Ty::Bool, Ty::Int) => Typed::new(format!("({} ? 1 : 0)", v.code), Ty::Int),
                    (from, _) => self.unsupported(c, format!("`{t}::from` of a `{from}`")),
                }
            }
            (["cmp", "min" | "max"] | ["min" | "max"], [a, b]) => {
                let f = if tail.ends_with(&["min"]) { "$min" } else { "$max" };
                let a = self.expr(a);
                let b = self.expr(b);
                self.min_max(c, f, a, b)
            }
            _ => {
                let last = strs[strs.len() - 1];
                if strs.len() >= 2 && starts_upper(strs[strs.len() - 2]) && starts_upper(last) {
                    self.tuple_variant(c, strs[strs.len() - 2], last, &args)
                } else if strs.len() == 1 && starts_upper(last) {
                    self.tuple_struct(c, last, &args)
                } else {
                    self.error(
                        &c.func,
                        format!(
                            "calling `{}` has no exact JSONata equivalent: a task call must be awaited in its own \
                             statement (`let x = {}(..).await?;`); for any other function, {MOVE_TO_TASK}",
                            p.path.to_token_stream().to_string().replace(' ', ""),
                            last
                        ),
                    )
                }
            }
        }
    }

    /// `$min([a, b])` / `$max([a, b])` on numbers.
    pub fn min_max(&mut self, at: &dyn ToTokens, f: &str, a: Typed, b: Typed) -> Typed {
        let num = |t: &Ty| matches!(t, Ty::Int | Ty::Float | Ty::Unknown);
        if !num(&a.ty) || !num(&b.ty) {
            return self.unsupported(at, format!("`{}` on `{}`", &f[1..], a.ty));
        }
        Typed::new(format!("{f}([{}, {}])", a.code, b.code), a.ty.unify(&b.ty))
    }

    fn expect_string(&mut self, at: &syn::Expr, v: &Typed) {
        if !matches!(v.ty, Ty::String | Ty::Unknown) {
            self.error(at, format!("expected a string, found `{}`", v.ty));
        }
    }

    fn tuple_variant(
        &mut self,
        c: &syn::ExprCall,
        enum_name: &str,
        variant: &str,
        args: &[&syn::Expr],
    ) -> Typed {
        let Some(v) = self.variant_info(&c.func, enum_name, variant) else {
            return Typed::new("null", Ty::Unknown);
        };
        let vals: Vec<Typed> = args.iter().map(|a| self.expr(a)).collect();
        let arity_ok = match &v.shape {
            Shape::Newtype(_) => vals.len() == 1,
            Shape::Tuple(ts) => vals.len() == ts.len(),
            Shape::Unknown => !vals.is_empty(),
            _ => false,
        };
        if !arity_ok {
            return self.error(
                c,
                format!(
                    "variant `{enum_name}::{variant}` is not a tuple variant of {} field(s)",
                    vals.len()
                ),
            );
        }
        if vals.len() == 1 && !matches!(v.shape, Shape::Tuple(_)) {
            let kinds = self.kinds(&vals[0].ty);
            let p = vals[0].code.clone();
            return self.tagged(c, &v, Some(p), kinds);
        }
        if let EnumRepr::Internal { .. } = v.repr {
            return self.error(c, format!("serde cannot write the tuple variant `{enum_name}::{variant}` of an internally tagged enum"));
        }
        let arr = self.array_code(&vals);
        self.tagged(c, &v, Some(arr), JsonKinds::ARRAY)
    }

    fn tuple_struct(&mut self, c: &syn::ExprCall, name: &str, args: &[&syn::Expr]) -> Typed {
        let ty = Ty::Named(name.to_owned());
        let vals: Vec<Typed> = args.iter().map(|a| self.expr(a)).collect();
        match self.types.resolve(name) {
            Resolved::Struct(s) if s.opaque => {
                self.error(c, format!("`{name}` is serialised through another type (`#[serde(from/into)]`); {MOVE_TO_TASK}"))
            }
            Resolved::Struct(s) => match (&s.shape, vals.as_slice()) {
                (Shape::Newtype(_), [v]) => Typed::new(v.code.clone(), ty),
                (Shape::Tuple(ts), vs) if ts.len() == vs.len() => Typed::new(self.array_code(&vals), ty),
                _ => self.error(c, format!("`{name}` is not a tuple struct of {} field(s)", vals.len())),
            },
            Resolved::Enum(_) => self.error(&c.func, format!("`{name}` is an enum; name a variant")),
            Resolved::Ambiguous => self.error(&c.func, format!("`{name}` names several different serde types in this crate")),
            // serde's defaults: a newtype is its inner value, a tuple struct an array.
            Resolved::Unknown => match vals.as_slice() {
                [v] => Typed::new(v.code.clone(), ty),
                [] => self.error(c, format!("`{name}()` has no value")),
                _ => Typed::new(self.array_code(&vals), ty),
            },
        }
    }

    // ------------------------------------------------------------------------------------ macros

    pub fn macro_expr(&mut self, m: &syn::ExprMacro) -> Typed {
        let name = m
            .mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        match name.as_str() {
            "vec" => {
                if m.mac
                    .tokens
                    .clone()
                    .into_iter()
                    .any(|t| matches!(&t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';'))
                {
                    return self.unsupported(m, "`vec![x; n]`");
                }
                match m
                    .mac
                    .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
                {
                    Ok(items) => {
                        let items: Vec<&syn::Expr> = items.iter().collect();
                        self.vec_of(&items)
                    }
                    Err(e) => self.error_at(e.span(), e.to_string()),
                }
            }
            "format" => self.format_macro(m),
            "matches" => self.matches_macro(m),
            _ => self.unsupported(m, format!("the macro `{name}!`")),
        }
    }

    /// `matches!(v, pattern)` / `matches!(v, pattern if guard)`: the pattern's condition.
    fn matches_macro(&mut self, m: &syn::ExprMacro) -> Typed {
        let parsed = m.mac.parse_body_with(|input: syn::parse::ParseStream| {
            let e: syn::Expr = input.parse()?;
            let _: syn::Token![,] = input.parse()?;
            let pat = syn::Pat::parse_multi_with_leading_vert(input)?;
            let guard = if input.peek(syn::Token![if]) {
                let _: syn::Token![if] = input.parse()?;
                Some(input.parse::<syn::Expr>()?)
            } else {
                None
            };
            let _: Option<syn::Token![,]> = input.parse()?;
            Ok((e, pat, guard))
        });
        let (e, pat, guard) = match parsed {
            Ok(p) => p,
            Err(err) => return self.error_at(err.span(), err.to_string()),
        };
        let scrutinee = self.expr(&e);
        self.bind_match(&scrutinee, |t, s| {
            let test = t.pattern(&pat, s);
            let mut conds: Vec<String> = test.condition.into_iter().collect();
            if let Some(g) = &guard {
                let names = test.bindings;
                let layered = super::Layered {
                    outer: t.scope,
                    names: &names,
                };
                let g = t.with_scope(&layered, |t| t.expr(g));
                conds.push(g.code);
            }
            let code = match conds.len() {
                0 => "true".to_owned(),
                1 => conds.pop().unwrap_or_default(),
                _ => format!("({})", conds.join(" and ")),
            };
            Typed::new(code, Ty::Bool)
        })
    }
}

/// True when `code` is one array constructor `[..]` (not, e.g., `[..][0]`).
fn is_array_constructor(code: &str) -> bool {
    code.starts_with('[') && jsonata::is_atom(code) && !jsonata::is_simple(code)
}

fn is_int_name(t: &str) -> bool {
    matches!(
        t,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
    )
}
