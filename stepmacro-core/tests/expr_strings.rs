//! Strings: literals and escaping, concatenation, byte length, searching, Display and `format!`.

// The expressions are written as a workflow author would, not as clippy prefers.
#![allow(
    clippy::nonminimal_bool,
    clippy::cmp_owned,
    clippy::redundant_clone,
    clippy::clone_on_copy,
    clippy::unnecessary_literal_unwrap,
    clippy::useless_vec,
    clippy::identity_op,
    clippy::eq_op,
    clippy::bool_comparison,
    clippy::manual_string_new,
    clippy::manual_range_patterns,
    clippy::partialeq_to_none
)]

#[macro_use]
mod expr_support;

use expr_support::*;
use proptest::prelude::*;
use stepmacro_core::front::types::Ty;
use stepmacro_core::lower::jsonata::{embed, string_literal};

#[test]
fn concatenation() {
    let a = "foo".to_string();
    let b = "bär".to_string();
    let env = Env::new().var("a", "String", &a).var("b", "String", &b);
    same!(env, a.clone() + &b);
    same!(env, a.clone() + "x");
    same!(env, a.clone() + &b + "-" + "z");
    same!(env, String::from("lit") + &a);
    same!(env, a.to_owned() + b.as_str());
    same!(env, a.clone() + &'c'.to_string());
}

#[test]
fn lengths_count_utf8_bytes() {
    for s in [
        "",
        "abc",
        "é",
        "日本語",
        "😀",
        "a b%c",
        "~!*()'",
        "%%",
        "\u{0}\n",
    ] {
        let s = s.to_string();
        let v: Vec<String> = vec![s.clone()];
        let env = Env::new()
            .var("s", "String", &s)
            .var("v", "Vec<String>", &v)
            .var_ty("u", Ty::Unknown, &s);
        same!(env, s.len());
        same!(env, s.is_empty());
        same!(env, s.chars().count());
        same!(env, v.len());
        same!(env, v[0].len());
        same!(env, s.as_str().len() + 1);
        // An unknown type dispatches at run time.
        let e: syn::Expr = syn::parse_quote!(u.len());
        env.check(&e, &s.len());
        let e: syn::Expr = syn::parse_quote!(u.is_empty());
        env.check(&e, &s.is_empty());
    }
}

#[test]
fn searching() {
    let s = "hello wörld 😀".to_string();
    let p = "wö".to_string();
    let env = Env::new().var("s", "String", &s).var("p", "String", &p);
    same!(env, s.contains("lo w"));
    same!(env, s.contains(&p));
    same!(env, s.contains('😀'));
    same!(env, s.contains("xyz"));
    same!(env, s.starts_with("hell"));
    same!(env, s.starts_with(&p));
    same!(env, s.starts_with(""));
    same!(env, s.ends_with("😀"));
    same!(env, s.ends_with("d 😀"));
    same!(env, s.ends_with("a much longer suffix than the string"));
    same!(env, p.ends_with("wö"));
    same!(env, s.replace("l", "L"));
    same!(env, s.replace("ö", "oe"));
    same!(env, s.to_uppercase());
    same!(env, "ÀB".to_lowercase());
}

#[test]
fn display() {
    let n = -42i64;
    let big = 9_007_199_254_740_991i64;
    let ok = true;
    let name = "Ada".to_string();
    let f = Failure::new("Order.Invalid", "bad total");
    let g = Failure::new("States.Timeout", "");
    let env = Env::new()
        .var("n", "i64", &n)
        .var("big", "i64", &big)
        .var("ok", "bool", &ok)
        .var("name", "String", &name)
        .var("f", "Failure", &f)
        .var("g", "Failure", &g);
    same!(env, n.to_string());
    same!(env, big.to_string());
    same!(env, ok.to_string());
    same!(env, name.to_string());
    same!(env, f.to_string());
    same!(env, g.to_string());
    same!(env, format!("{name} has {} items, ok={ok}", n));
    same!(env, format!("{0}-{0}-{1}", name, big));
    same!(env, format!("{{literal}} {x}!", x = n + 1));
    same!(env, format!("{}", f));
    same!(env, format!(""));
    same!(env, format!("100%}} done"));
    same!(env, format!("{}{}", name, "%}"));
}

#[test]
fn display_of_floats_and_debug_are_rejected() {
    let env =
        Env::new()
            .var("x", "f64", &0.5)
            .var("n", "i64", &1i64)
            .var("v", "Vec<i64>", &vec![1i64]);
    for (src, want) in [
        ("x.to_string()", "Display of a float"),
        ("format!(\"{}\", x)", "Display of a float"),
        ("format!(\"{:?}\", n)", "Debug formatting"),
        ("format!(\"{:>5}\", n)", "format spec"),
        ("format!(\"{:.2}\", x)", "format spec"),
        ("v.to_string()", "Display of `Vec<integer>`"),
    ] {
        let e = env.error(&syn::parse_str(src).unwrap());
        let msg = all_messages(&e).join(" | ");
        assert!(msg.contains(want), "{src}: {msg}");
        assert!(msg.contains("move it into a #[task]"), "{src}: {msg}");
    }
}

#[test]
fn literal_escaping_is_exact() {
    for s in [
        "",
        "'",
        "\"",
        "\\",
        "\\'",
        "%}",
        "%%}}",
        "{%",
        "a\nb\r\tc",
        "\u{0}\u{1f}\u{7f}",
        "é😀\u{2028}\u{FEFF}",
        "`",
    ] {
        let lit = string_literal(s);
        assert!(!lit.contains("%}"), "{lit}");
        let got = eval(&lit, &Default::default()).unwrap();
        assert_eq!(got, Some(serde_json::Value::String(s.to_owned())), "{lit}");
    }
    assert_eq!(embed("$x"), "{% $x %}");
}

fn text() -> impl Strategy<Value = String> {
    // Quotes, backslashes, braces, percent, controls, non-ASCII and astral characters.
    proptest::collection::vec(
        prop_oneof![
            Just('\''),
            Just('"'),
            Just('\\'),
            Just('%'),
            Just('}'),
            Just('{'),
            Just('\n'),
            Just('\u{1}'),
            Just('é'),
            Just('😀'),
            Just('\u{FFFF}'),
            Just('$'),
            any::<char>(),
            proptest::char::range('a', 'z'),
        ],
        0..12,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_literals_round_trip(s in text()) {
        let lit = string_literal(&s);
        prop_assert!(!lit.contains("%}"), "{}", lit);
        let got = eval(&lit, &Default::default()).unwrap();
        prop_assert_eq!(got, Some(serde_json::Value::String(s)));
    }

    #[test]
    fn random_strings_len_and_search(s in text(), t in text()) {
        let env = Env::new().var("s", "String", &s).var("t", "String", &t);
        same!(env, s.len());
        same!(env, s.chars().count());
        same!(env, s.contains(&t));
        same!(env, s.starts_with(&t));
        same!(env, s.ends_with(&t));
        same!(env, s.clone() + &t);
        same!(env, format!("<{s}|{}>", t));
        same!(env, s == t);
    }
}
