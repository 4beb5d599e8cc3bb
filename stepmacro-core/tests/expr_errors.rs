//! What cannot be translated exactly is a compile error that names the construct, ends with the hint
//! (where moving the code into a task is the fix) and is spanned on the offending sub-expression; all
//! errors of an expression are reported at once.

#[macro_use]
mod expr_support;

use expr_support::*;
use stepmacro_core::front::types::Ty;

fn env() -> Env {
    Env::new()
        .var("v", "Vec<i64>", &vec![3i64, 1, 2])
        .var("s", "String", "abc")
        .var("n", "i64", &1i64)
        .var("x", "f64", &1.5f64)
        .var("o", "Option<i64>", &Some(1i64))
        .var_ty("u", Ty::Unknown, &1)
}

/// Parses `src` with real line/column spans (parse_quote! has none).
fn parse(src: &str) -> syn::Expr {
    syn::parse_str(src).unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// The single error of `src`: (message, the source text its span covers).
fn one_error(src: &str) -> (String, String) {
    let err = env().error(&parse(src));
    let all: Vec<syn::Error> = err.into_iter().collect();
    assert_eq!(
        all.len(),
        1,
        "{src}: {:?}",
        all.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
    (all[0].to_string(), span_text(&all[0], src))
}

const HINT: &str = "move it into a #[task]";

#[test]
fn unsupported_methods_name_the_method() {
    let (msg, span) = one_error("n + v.sort()");
    assert_eq!(
        msg,
        format!("method `.sort()` has no exact JSONata equivalent; {HINT}")
    );
    assert_eq!(span, "v.sort()");
    let (msg, span) = one_error("s.trim().len()");
    assert_eq!(
        msg,
        format!("method `.trim()` has no exact JSONata equivalent; {HINT}")
    );
    assert_eq!(span, "s.trim()");
    let (msg, _) = one_error("n.len()");
    assert_eq!(
        msg,
        format!("method `.len()` on `integer` has no exact JSONata equivalent; {HINT}")
    );
    let (msg, _) = one_error("x.round()");
    assert!(
        msg.starts_with("method `.round()`") && msg.ends_with(HINT),
        "{msg}"
    );
}

#[test]
fn unsupported_constructs() {
    for (src, want, span) in [
        (
            "v.iter().map(|a| a + 1)",
            "method `.map()` has no exact JSONata equivalent",
            "v.iter().map(|a| a + 1)",
        ),
        (
            "n + (|a| a + 1)",
            "a closure has no exact JSONata equivalent",
            "|a| a + 1",
        ),
        (
            "o.unwrap_or_else(|| 0)",
            "method `.unwrap_or_else()`",
            "o.unwrap_or_else(|| 0)",
        ),
        (
            "fetch(n).await",
            "task calls cannot be nested inside an expression; bind the result with `let` first",
            "fetch(n).await",
        ),
        (
            "compute(n)",
            "calling `compute` has no exact JSONata equivalent",
            "compute",
        ),
        (
            "println!(\"{}\", n)",
            "the macro `println!` has no exact JSONata equivalent",
            "println!(\"{}\", n)",
        ),
        (
            "{ let a = 1; a }",
            "a block with statements is not a pure expression",
            "{ let a = 1; a }",
        ),
        (
            "if n > 0 { 1 }",
            "an `if` without `else` has no value here",
            "if n > 0 { 1 }",
        ),
        ("x % 2.0", "`%` on floats", "x % 2.0"),
        ("n << 2", "a bit shift", "n << 2"),
        ("n & 3", "a bitwise operator on integers", "n & 3"),
        ("n as u8", "a cast to `u8`", "n as u8"),
        ("x as f32", "a cast to `f32`", "x as f32"),
        ("s[0..1]", "slicing with a range", "s[0..1]"),
        ("vec![0; 3]", "`vec![x; n]`", "vec![0; 3]"),
        ("u / u", "annotate the operands' types", "u / u"),
        ("x.to_string()", "Display of a float", "x.to_string()"),
        ("format!(\"{:?}\", n)", "Debug formatting", "\"{:?}\""),
        ("format!(\"{n:>4}\")", "format spec", "\"{n:>4}\""),
        ("o?", "`?` is only supported on a task call", "o?"),
        (
            "missing + 1",
            "`missing` is not a workflow variable here",
            "missing",
        ),
        ("b'a'", "a byte or C string literal", "b'a'"),
        (
            "s.replace(\"a\", \"$1\")",
            "`.replace()` unless both arguments are string literals",
            "s.replace(\"a\", \"$1\")",
        ),
        (
            "s < s.clone()",
            "ordering two computed strings",
            "s < s.clone()",
        ),
        ("18014398509481984", "beyond 2^53", "18014398509481984"),
        ("o.field", "is an Option", "field"),
        ("n += 1", "is an assignment", "n += 1"),
        (
            "loop { break 1 }",
            "a loop is a statement",
            "loop { break 1 }",
        ),
        ("Ok(n)", "only understood as the workflow's result", "Ok(n)"),
        (
            "Some(None::<i64>)",
            "a nested `Option`",
            "Some(None::<i64>)",
        ),
    ] {
        let (msg, got_span) = one_error(src);
        assert!(msg.contains(want), "{src}: {msg}");
        assert_eq!(got_span, span, "span of the error in `{src}`");
    }
}

#[test]
fn hints_end_the_cannot_express_errors() {
    for src in [
        "v.sort()",
        "|a| a",
        "compute(n)",
        "dbg!(n)",
        "x % 1.0",
        "n >> 1",
        "s.chars().rev()",
        "x.to_string()",
    ] {
        let (msg, _) = one_error(src);
        assert!(msg.ends_with(HINT), "{src}: {msg}");
    }
}

#[test]
fn all_errors_are_reported_at_once() {
    let src = "v.sort() + compute(n) + format!(\"{:?}\", n).len() + (x % 2.0)";
    let err = env().error(&parse(src));
    let spans: Vec<String> = err.into_iter().map(|e| span_text(&e, src)).collect();
    assert_eq!(spans, vec!["v.sort()", "compute", "\"{:?}\"", "x % 2.0"]);
}

#[test]
fn struct_and_variant_errors() {
    let src: syn::File = syn::parse_quote! {
        #[derive(Serialize)] pub struct P { pub a: i64, #[serde(skip)] pub b: i64 }
        #[derive(Serialize)] #[serde(tag = "t")] pub enum T { A(i64), B { x: i64 } }
    };
    let mut types = stepmacro_core::front::types::TypeRegistry::new();
    types.add_file(&src);
    let env = env()
        .with_types(types)
        .var("p", "P", &serde_json::json!({"a": 1}));
    for (src, want, span) in [
        ("P { a: 1, c: 2 }", "`P` has no field `c`", "c"),
        ("p.b", "`#[serde(skip)]`ped", "b"),
        ("p.zz", "struct `P` has no field `zz`", "zz"),
        ("T::A(1)", "needs a struct or map payload", "T::A(1)"),
        ("T::Nope", "enum `T` has no variant `Nope`", "T::Nope"),
        ("T::B", "has fields", "T::B"),
    ] {
        let err = env.error(&parse(src));
        let first = err.into_iter().next().unwrap();
        assert!(first.to_string().contains(want), "{src}: {first}");
        assert_eq!(span_text(&first, src), span, "{src}");
    }
}
