//! Patterns (`match` arms, `if let`, `matches!`) → a JSONata boolean test plus the values they bind.
//!
//! A pattern is tested against the scrutinee's serde form: literals by `=`, ranges by `<=`/`<`, unit
//! variants by their serde name (or tag field), `Some(p)` by `!= null` then `p`, tuples and structs field
//! by field (serde names), or-patterns by `or`. Bindings are codes *relative to the scrutinee's code*
//! (`$v.items[0]`), so the scrutinee should be a variable or another cheap, repeatable code; the lowering
//! binds complex scrutinees to a variable first.

use syn::ext::IdentExt as _;

use super::expr::{Layered, Scope, Translator, Typed, peel_lit};
use crate::front::diagnostics::MOVE_TO_TASK;
use crate::front::types::{
    Access, EnumRepr, FieldDef, FieldInfo, FieldLookup, Resolved, Shape, Ty, TypeRegistry,
    VariantLookup,
};
use crate::lower::jsonata::{self, atom, string_literal};

/// The outcome of testing a pattern: the JSONata condition (`None` when the pattern always matches) and
/// the Rust names it binds, with their values.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternTest {
    pub condition: Option<String>,
    pub bindings: Vec<(syn::Ident, Typed)>,
}

/// Tests `pat` against `scrutinee`. All errors are reported together, each spanned on its sub-pattern.
pub fn pattern_condition(
    pat: &syn::Pat,
    scrutinee: &Typed,
    scope: &dyn Scope,
    types: &TypeRegistry,
) -> Result<PatternTest, syn::Error> {
    let mut t = Translator::new(scope, types);
    let out = test(&mut t, pat, scrutinee);
    t.finish(out)
}

/// [`pattern_condition`] inside a running translation (errors go to `t`).
pub(crate) fn test(t: &mut Translator<'_>, pat: &syn::Pat, scrutinee: &Typed) -> PatternTest {
    let mut m = Matcher {
        conds: Vec::new(),
        binds: Vec::new(),
    };
    m.pat(t, pat, scrutinee);
    PatternTest {
        condition: and_all(m.conds),
        bindings: m.binds,
    }
}

fn and_all(mut conds: Vec<String>) -> Option<String> {
    match conds.len() {
        0 => None,
        1 => conds.pop(),
        _ => Some(format!("({})", conds.join(" and "))),
    }
}

struct Matcher {
    conds: Vec<String>,
    binds: Vec<(syn::Ident, Typed)>,
}

impl Matcher {
    fn pat(&mut self, t: &mut Translator<'_>, pat: &syn::Pat, s: &Typed) {
        use syn::Pat as P;
        match pat {
            P::Wild(_) => {}
            P::Paren(p) => self.pat(t, &p.pat, s),
            P::Reference(r) => self.pat(t, &r.pat, s),
            P::Type(pt) => {
                let ty = if s.ty.is_unknown() {
                    Ty::from_syn(&pt.ty)
                } else {
                    s.ty.clone()
                };
                self.pat(t, &pt.pat, &Typed::new(s.code.clone(), ty));
            }
            P::Ident(i) => {
                if i.ident == "None" && i.subpat.is_none() {
                    self.conds.push(format!("({} = null)", s.code));
                    return;
                }
                let name = i.ident.unraw().to_string();
                if i.subpat.is_none() && i.by_ref.is_none() && name.starts_with(char::is_uppercase)
                {
                    // Rust reads `Red` as an imported unit variant or constant when one is in scope, and as a
                    // binding otherwise; the compiler cannot see the imports, so it asks for the path.
                    if t.unit_struct(&name).is_none() {
                        t.error(
                            &i.ident,
                            format!("write the full path of `{name}` (`Enum::{name}`) so the compiler can resolve it"),
                        );
                    }
                    return;
                }
                self.binds.push((i.ident.clone(), s.clone()));
                if let Some((_, sub)) = &i.subpat {
                    self.pat(t, sub, s);
                }
            }
            P::Lit(l) => {
                let v = t.lit(&l.lit, false);
                self.conds.push(format!("({} = {})", s.code, v.code));
            }
            P::Range(r) => self.range(t, r, s),
            P::Path(p) => self.path(t, p, s),
            P::TupleStruct(ts) => self.tuple_struct(t, ts, s),
            P::Struct(st) => self.struct_pat(t, st, s),
            P::Tuple(tp) => {
                let elems: Vec<&syn::Pat> = tp.elems.iter().collect();
                let tys = match &s.ty {
                    Ty::Tuple(tys) => Some(tys.clone()),
                    _ => None,
                };
                self.sequence(t, pat, &elems, s, tys.as_deref());
            }
            P::Or(o) => self.or(t, o, s),
            P::Guard(g) => {
                self.pat(t, &g.pat, s);
                let names = self.binds.clone();
                let layered = Layered {
                    outer: t.scope,
                    names: &names,
                };
                let guard = t.with_scope(&layered, |t| t.expr(&g.guard));
                if !matches!(guard.ty, Ty::Bool | Ty::Unknown | Ty::Json) {
                    t.error(
                        &g.guard,
                        format!("a guard must be a bool, this is `{}`", guard.ty),
                    );
                }
                self.conds.push(guard.code);
            }
            P::Slice(_) => {
                t.error(pat, format!("slice patterns are not supported; test `.len()` and index instead, or {MOVE_TO_TASK}"));
            }
            P::Rest(_) => {
                t.error(
                    pat,
                    "`..` is only allowed inside a tuple or tuple-struct pattern",
                );
            }
            _ => {
                t.unsupported(pat, "this pattern");
            }
        }
    }

    /// `a..=b`, `a..b`, `a..`, `..=b`.
    fn range(&mut self, t: &mut Translator<'_>, r: &syn::PatRange, s: &Typed) {
        let safe_str = |e: &syn::Expr| match peel_lit(e) {
            Some(syn::Lit::Str(v)) => v.value().chars().all(|c| (c as u32) < 0xE000),
            Some(syn::Lit::Char(c)) => (c.value() as u32) < 0xE000,
            _ => true,
        };
        let mut bound = |t: &mut Translator<'_>, e: &syn::Expr, op: &str| {
            if !safe_str(e) {
                t.error(
                    e,
                    format!(
                        "a range bound at or above U+E000 orders differently in AWS's JSONata (UTF-16) and Rust; {MOVE_TO_TASK}"
                    ),
                );
                return;
            }
            let v = t.expr(e);
            if !matches!(v.ty, Ty::Int | Ty::Float | Ty::String | Ty::Unknown) {
                t.error(
                    e,
                    format!(
                        "a range bound must be a number or a char, this is `{}`",
                        v.ty
                    ),
                );
            }
            self.conds.push(format!("({} {op} {})", s.code, v.code));
        };
        if let Some(start) = &r.start {
            bound(t, start, ">=");
        }
        if let Some(end) = &r.end {
            let op = if matches!(r.limits, syn::RangeLimits::Closed(_)) {
                "<="
            } else {
                "<"
            };
            bound(t, end, op);
        }
    }

    /// `None`, `Enum::Unit`, a unit struct, a numeric constant.
    fn path(&mut self, t: &mut Translator<'_>, p: &syn::PatPath, s: &Typed) {
        let segs: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.unraw().to_string())
            .collect();
        let n = segs.len();
        if p.qself.is_some() || segs[0] == "Self" {
            t.unsupported(p, "a `Self::` or qualified path pattern");
            return;
        }
        if n == 1 {
            if segs[0] == "None" {
                self.conds.push(format!("({} = null)", s.code));
            } else if t.unit_struct(&segs[0]).is_none() {
                t.error(p, format!("`{}` is not a unit struct or enum variant the compiler knows; write the full path (`Enum::{}`)", segs[0], segs[0]));
            }
            return;
        }
        if !segs[n - 2].starts_with(char::is_uppercase)
            || segs[n - 1].starts_with(char::is_lowercase)
        {
            // A constant (`i32::MAX`): compare with its value.
            let v = t.expr(&syn::Expr::Path(p.clone()));
            self.conds.push(format!("({} = {})", s.code, v.code));
            return;
        }
        let Some(v) = self.variant(t, p, &segs[n - 2], &segs[n - 1]) else {
            return;
        };
        if !matches!(v.shape, Shape::Unit | Shape::Unknown) {
            t.error(
                p,
                format!(
                    "variant `{}::{}` holds data: write `{}::{}(..)` or `{{ .. }}`",
                    v.enum_name, v.rust, v.enum_name, v.rust
                ),
            );
            return;
        }
        match &v.repr {
            EnumRepr::External => {
                self.conds
                    .push(format!("({} = {})", s.code, string_literal(&v.ser)))
            }
            EnumRepr::Internal { tag } | EnumRepr::Adjacent { tag, .. } => {
                self.conds.push(format!(
                    "({} = {})",
                    jsonata::field(&atom(&s.code), tag),
                    string_literal(&v.ser)
                ));
            }
            EnumRepr::Untagged => {
                t.error(p, format!("the variants of an untagged enum cannot be told apart in JSON; {MOVE_TO_TASK}"));
            }
        }
    }

    fn variant(
        &mut self,
        t: &mut Translator<'_>,
        at: &dyn quote::ToTokens,
        e: &str,
        v: &str,
    ) -> Option<crate::front::types::VariantInfo> {
        match t.types.variant(e, v) {
            VariantLookup::Found(v) | VariantLookup::Fallback(v) => Some(v),
            VariantLookup::Error(msg) => {
                t.error(at, msg);
                None
            }
        }
    }

    /// Where a data-carrying variant's payload is, after testing that the value is that variant. `None`
    /// (error reported) for untagged enums.
    fn variant_payload(
        &mut self,
        t: &mut Translator<'_>,
        at: &dyn quote::ToTokens,
        v: &crate::front::types::VariantInfo,
        s: &Typed,
    ) -> Option<(String, bool)> {
        let base = atom(&s.code);
        match &v.repr {
            EnumRepr::External => {
                let payload = jsonata::field(&base, &v.ser);
                self.conds.push(format!("$exists({payload})"));
                Some((payload, false))
            }
            EnumRepr::Adjacent { tag, content } => {
                self.conds.push(format!(
                    "({} = {})",
                    jsonata::field(&base, tag),
                    string_literal(&v.ser)
                ));
                Some((jsonata::field(&base, content), false))
            }
            EnumRepr::Internal { tag } => {
                self.conds.push(format!(
                    "({} = {})",
                    jsonata::field(&base, tag),
                    string_literal(&v.ser)
                ));
                // The payload's fields sit beside the tag.
                Some((s.code.clone(), true))
            }
            EnumRepr::Untagged => {
                t.error(at, format!("the variants of an untagged enum cannot be told apart in JSON; {MOVE_TO_TASK}"));
                None
            }
        }
    }

    /// `Some(p)`, `Enum::Variant(p, ..)`, `TupleStruct(p, ..)`.
    fn tuple_struct(&mut self, t: &mut Translator<'_>, ts: &syn::PatTupleStruct, s: &Typed) {
        let segs: Vec<String> = ts
            .path
            .segments
            .iter()
            .map(|s| s.ident.unraw().to_string())
            .collect();
        let n = segs.len();
        let elems: Vec<&syn::Pat> = ts.elems.iter().collect();
        match segs
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["Some"] => {
                self.conds.push(format!("({} != null)", s.code));
                match elems.as_slice() {
                    [p] => self.pat(t, p, &Typed::new(s.code.clone(), s.ty.unwrap_option())),
                    _ => {
                        t.error(ts, "`Some` takes one pattern");
                    }
                }
                return;
            }
            // A `Result` held as a value (each branch of `join!`): serde's form, `{"Ok": v}` / `{"Err": e}`.
            [key @ ("Ok" | "Err")] => {
                let inner = crate::lower::jsonata::field(&s.code, key);
                self.conds.push(format!("$exists({inner})"));
                let ty = if *key == "Err" {
                    Ty::Failure
                } else {
                    Ty::Unknown
                };
                match elems.as_slice() {
                    [p] => self.pat(t, p, &Typed::new(inner, ty)),
                    _ => {
                        t.error(ts, format!("`{key}` takes one pattern"));
                    }
                }
                return;
            }
            _ => {}
        }
        if n >= 2 && segs[n - 2].starts_with(char::is_uppercase) {
            let Some(v) = self.variant(t, &ts.path, &segs[n - 2], &segs[n - 1]) else {
                return;
            };
            let tys: Option<Vec<Ty>> = match &v.shape {
                Shape::Newtype(ty) => Some(vec![ty.clone()]),
                Shape::Tuple(tys) => Some(tys.clone()),
                Shape::Unknown => None,
                _ => {
                    t.error(
                        &ts.path,
                        format!(
                            "variant `{}::{}` is not a tuple variant",
                            v.enum_name, v.rust
                        ),
                    );
                    return;
                }
            };
            let Some((payload, beside_tag)) = self.variant_payload(t, ts, &v, s) else {
                return;
            };
            let newtype = matches!(v.shape, Shape::Newtype(_))
                || (v.shape == Shape::Unknown && elems.len() == 1);
            let all_wild = elems
                .iter()
                .all(|p| matches!(p, syn::Pat::Wild(_) | syn::Pat::Rest(_)));
            if beside_tag && !all_wild {
                t.error(
                    ts,
                    format!(
                        "the payload of a tuple variant of an internally tagged enum is merged with the tag; match it with `(..)` or `(_)`, or {MOVE_TO_TASK}"
                    ),
                );
                return;
            }
            let payload = Typed::new(payload, Ty::Unknown);
            if newtype {
                if let [p] = elems.as_slice() {
                    let ty = tys
                        .and_then(|v| v.into_iter().next())
                        .unwrap_or(Ty::Unknown);
                    self.pat(t, p, &Typed::new(payload.code, ty));
                }
                return;
            }
            self.sequence(
                t,
                &syn::Pat::TupleStruct(ts.clone()),
                &elems,
                &payload,
                tys.as_deref(),
            );
            return;
        }
        // A tuple struct: a newtype is its inner value, others an array.
        let name = &segs[n - 1];
        match t.types.resolve(name) {
            Resolved::Struct(def) => match &def.shape {
                Shape::Newtype(ty) => match elems.as_slice() {
                    [p] => self.pat(t, p, &Typed::new(s.code.clone(), ty.clone())),
                    _ => {
                        t.error(ts, format!("`{name}` has one field"));
                    }
                },
                Shape::Tuple(tys) => {
                    let tys = tys.clone();
                    self.sequence(t, &syn::Pat::TupleStruct(ts.clone()), &elems, s, Some(&tys));
                }
                _ => {
                    t.error(&ts.path, format!("`{name}` is not a tuple struct"));
                }
            },
            Resolved::Unknown if elems.len() == 1 => {
                self.pat(t, elems[0], &Typed::new(s.code.clone(), Ty::Unknown))
            }
            Resolved::Unknown => {
                self.sequence(t, &syn::Pat::TupleStruct(ts.clone()), &elems, s, None)
            }
            _ => {
                t.error(&ts.path, format!("`{name}` is not a tuple struct"));
            }
        }
    }

    /// The elements of a tuple-like pattern, by array index; `..` skips, elements after it count from
    /// the end (which needs the length, known from the tuple type).
    fn sequence(
        &mut self,
        t: &mut Translator<'_>,
        whole: &syn::Pat,
        elems: &[&syn::Pat],
        s: &Typed,
        tys: Option<&[Ty]>,
    ) {
        let rest = elems.iter().position(|p| matches!(p, syn::Pat::Rest(_)));
        let base = atom(&s.code);
        let ty_at = |i: usize| tys.and_then(|v| v.get(i).cloned()).unwrap_or(Ty::Unknown);
        match rest {
            None => {
                if let Some(tys) = tys
                    && tys.len() != elems.len()
                {
                    t.error(
                        whole,
                        format!("expected {} elements, found {}", tys.len(), elems.len()),
                    );
                    return;
                }
                for (i, p) in elems.iter().enumerate() {
                    self.pat(t, p, &Typed::new(format!("{base}[{i}]"), ty_at(i)));
                }
            }
            Some(r) => {
                for (i, p) in elems[..r].iter().enumerate() {
                    self.pat(t, p, &Typed::new(format!("{base}[{i}]"), ty_at(i)));
                }
                let after = &elems[r + 1..];
                if after.is_empty() {
                    return;
                }
                let Some(len) = tys.map(<[Ty]>::len) else {
                    t.error(
                        whole,
                        "elements after `..` need the tuple's type; annotate it",
                    );
                    return;
                };
                for (k, p) in after.iter().enumerate() {
                    let i = len - after.len() + k;
                    self.pat(t, p, &Typed::new(format!("{base}[{i}]"), ty_at(i)));
                }
            }
        }
    }

    /// `S { a, b: p, .. }`, `Enum::Variant { .. }`, `Failure { error, .. }`.
    fn struct_pat(&mut self, t: &mut Translator<'_>, st: &syn::PatStruct, s: &Typed) {
        let segs: Vec<String> = st
            .path
            .segments
            .iter()
            .map(|s| s.ident.unraw().to_string())
            .collect();
        let n = segs.len();
        if n >= 2 && segs[n - 2].starts_with(char::is_uppercase) {
            let Some(v) = self.variant(t, &st.path, &segs[n - 2], &segs[n - 1]) else {
                return;
            };
            let defs: Option<Vec<FieldDef>> = match &v.shape {
                Shape::Struct(d) => Some(d.clone()),
                Shape::Unknown => None,
                _ => {
                    t.error(
                        &st.path,
                        format!(
                            "variant `{}::{}` is not a struct variant",
                            v.enum_name, v.rust
                        ),
                    );
                    return;
                }
            };
            let Some((payload, _)) = self.variant_payload(t, st, &v, s) else {
                return;
            };
            let base = Typed::new(payload, Ty::Unknown);
            for fp in &st.fields {
                let name = member_name(&fp.member);
                let info = match &defs {
                    None => FieldInfo {
                        access: Access::Key(name.clone()),
                        ty: Ty::Unknown,
                        missing: None,
                    },
                    Some(defs) => match defs.iter().find(|d| d.rust == name) {
                        Some(d) if !d.skip_ser && !d.flatten && !d.custom => FieldInfo {
                            access: Access::Key(d.ser.clone()),
                            ty: d.ty.clone(),
                            missing: d.missing.clone(),
                        },
                        Some(_) => {
                            t.error(&fp.member, format!("field `{name}` is skipped, flattened or custom-serialised; {MOVE_TO_TASK}"));
                            continue;
                        }
                        None => {
                            t.error(
                                &fp.member,
                                format!(
                                    "variant `{}::{}` has no field `{name}`",
                                    v.enum_name, v.rust
                                ),
                            );
                            continue;
                        }
                    },
                };
                let value = t.access(&base, &info);
                self.pat(t, &fp.pat, &value);
            }
            return;
        }
        let name = &segs[n - 1];
        let owner = if name == "Failure" {
            Ty::Failure
        } else {
            Ty::Named(name.clone())
        };
        for fp in &st.fields {
            let field = member_name(&fp.member);
            match t.types.field(&owner, &field) {
                FieldLookup::Found(info) | FieldLookup::Fallback(info) => {
                    let value = t.access(s, &info);
                    self.pat(t, &fp.pat, &value);
                }
                FieldLookup::Error(msg) => {
                    t.error(&fp.member, msg);
                }
            }
        }
    }

    /// `p1 | p2 | ..`: any alternative; a name bound by every alternative takes the value of the one that
    /// matched.
    fn or(&mut self, t: &mut Translator<'_>, o: &syn::PatOr, s: &Typed) {
        let alts: Vec<PatternTest> = o.cases.iter().map(|p| test(t, p, s)).collect();
        if alts.iter().all(|a| a.condition.is_some()) {
            let conds: Vec<String> = alts.iter().filter_map(|a| a.condition.clone()).collect();
            self.conds.push(format!("({})", conds.join(" or ")));
        }
        let Some(first) = alts.first() else { return };
        for (ident, _) in &first.bindings {
            let mut values: Vec<(Option<String>, Typed)> = Vec::new();
            for a in &alts {
                match a.bindings.iter().find(|(i, _)| i == ident) {
                    Some((_, v)) => values.push((a.condition.clone(), v.clone())),
                    None => {
                        t.error(o, format!("`{ident}` is not bound in every alternative"));
                        return;
                    }
                }
            }
            let ty = values
                .iter()
                .fold(Ty::Unknown, |acc, (_, v)| acc.unify(&v.ty));
            let same = values.windows(2).all(|w| w[0].1.code == w[1].1.code);
            let code = if same {
                values[0].1.code.clone()
            } else {
                let (_, last) = values.pop().expect("alternatives");
                let mut code = last.code;
                while let Some((cond, v)) = values.pop() {
                    code = match cond {
                        Some(c) => format!("({c} ? {} : {code})", v.code),
                        None => v.code,
                    };
                }
                code
            };
            self.binds.push((ident.clone(), Typed::new(code, ty)));
        }
    }
}

fn member_name(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(i) => i.unraw().to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}
