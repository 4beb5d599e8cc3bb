//! Literals, arithmetic, comparison and logic: each expression is run by rustc and, translated, by
//! jsonata-core; the results must be equal.

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

#[test]
fn literals() {
    let env = Env::new();
    same!(env, 42i64);
    same!(env, -7i64);
    same!(env, 1_000_000u32);
    same!(env, 0x1f_i64);
    same!(env, 1.5f64);
    same!(env, -0.25f64);
    same!(env, 1e300f64);
    same!(env, 2.5e-8f64);
    same!(env, 0.1f64 + 0.2);
    same!(env, true);
    same!(env, "it's \"quoted\" \\ %} {% \n\t\u{1} é 😀");
    same!(env, 'x');
    same!(env, '\'');
    same!(env, 9007199254740992i64);
    same!(env, i32::MAX);
    same!(env, i32::MIN);
    same!(env, f64::MAX);
    same!(env, f64::EPSILON);
    same!(env, std::f64::consts::PI);
}

#[test]
fn integers_beyond_2_pow_53_are_rejected() {
    let env = Env::new();
    let e = env.error(&syn::parse_quote!(9007199254740993i64));
    assert!(e.to_string().contains("beyond 2^53"), "{e}");
    assert!(e.to_string().ends_with("move it into a #[task]"), "{e}");
}

#[test]
fn integer_arithmetic() {
    let (a, b, c) = (17i64, -5i64, 3i64);
    let env = Env::new()
        .var("a", "i64", &a)
        .var("b", "i64", &b)
        .var("c", "i64", &c);
    same!(env, a + b * c);
    same!(env, (a + b) * c);
    same!(env, a - b - c);
    same!(env, a / b);
    same!(env, b / c);
    same!(env, a % b);
    same!(env, b % c);
    same!(env, -a);
    same!(env, -(-a));
    same!(env, -b / c);
    same!(env, (a + 1) / (c - 1));
    same!(env, a / c * c + a % c);
    same!(env, a.abs() + b.abs());
    same!(env, a.min(b));
    same!(env, a.max(c));
    same!(env, std::cmp::max(a, b));
    same!(env, a as f64 / 2.0);
    same!(env, i64::from(true as i64 == 1));
}

#[test]
fn float_arithmetic() {
    let (x, y) = (7.5f64, -2.0f64);
    let env = Env::new().var("x", "f64", &x).var("y", "f64", &y);
    same!(env, x / y);
    same!(env, x * y + 0.5);
    same!(env, -x);
    same!(env, x.floor());
    same!(env, y.ceil());
    same!(env, (x / y).trunc());
    same!(env, (x / y) as i64);
    same!(env, (-x) as i64);
    same!(env, x.abs().sqrt());
    same!(env, x.max(y));
    same!(env, 0.1 + 0.2 == 0.3);
    same!(env, x > y && y < 0.0);
}

#[test]
fn division_needs_known_types() {
    let env = Env::new()
        .var_ty("a", Ty::Unknown, &3)
        .var_ty("b", Ty::Unknown, &2);
    let e = env.error(&syn::parse_quote!(a / b));
    assert!(e.to_string().contains("annotate"), "{e}");
    // One known side decides.
    let env = Env::new()
        .var_ty("a", Ty::Unknown, &-7)
        .var("b", "i64", &2i64);
    env.check(&syn::parse_quote!(a / b), &(-7i64 / 2));
    // Unknown passes through elsewhere.
    let env = Env::new()
        .var_ty("a", Ty::Unknown, &3)
        .var_ty("b", Ty::Unknown, &2);
    env.check(&syn::parse_quote!(a * b + 1), &7);
}

#[test]
fn float_remainder_is_rejected() {
    let env = Env::new().var("x", "f64", &7.5).var("y", "f64", &2.0);
    let e = env.error(&syn::parse_quote!(x % y));
    assert!(e.to_string().contains("`%` on floats"), "{e}");
}

#[test]
fn comparisons_and_logic() {
    let (a, b) = (3i64, 4i64);
    let (s, t) = ("apple".to_string(), "banana".to_string());
    let flag = false;
    let env = Env::new()
        .var("a", "i64", &a)
        .var("b", "i64", &b)
        .var("s", "String", &s)
        .var("t", "String", &t)
        .var("flag", "bool", &flag);
    same!(env, a < b);
    same!(env, a <= 3);
    same!(env, a > b || a >= 3);
    same!(env, a == 3 && b != 3);
    same!(env, !(a == 3));
    same!(env, !flag);
    same!(env, flag || !flag && a < b);
    same!(env, (a < b) == (b > a));
    same!(env, flag & true);
    same!(env, flag | true);
    same!(env, flag ^ true);
    same!(env, s == "apple");
    same!(env, s != t);
    same!(env, s < "b".to_string());
    same!(env, t.as_str() >= "banana");
    same!(env, if a < b { "lt" } else { "ge" });
    same!(
        env,
        if a > b {
            1
        } else if a == b {
            0
        } else {
            -1
        }
    );
}

#[test]
fn ordering_two_computed_strings_is_rejected() {
    let env = Env::new().var("s", "String", "a").var("t", "String", "b");
    let e = env.error(&syn::parse_quote!(s < t));
    assert!(e.to_string().contains("UTF-16"), "{e}");
    // A literal above U+E000 is not safe either.
    let e = env.error(&syn::parse_quote!(s < "\u{F000}"));
    assert!(e.to_string().contains("UTF-16"), "{e}");
}

#[test]
fn string_order_against_a_literal_matches_rust_for_astral_characters() {
    for s in ["😀", "\u{FFFF}", "\u{E000}x", "a😀", "zz", ""] {
        let s = s.to_string();
        let env = Env::new().var("s", "String", &s);
        same!(env, s.as_str() < "\u{D7FF}");
        same!(env, s.as_str() > "a");
        same!(env, s.as_str() <= "z");
    }
}

fn small() -> impl Strategy<Value = i64> {
    -1000i64..1000
}

fn nonzero() -> impl Strategy<Value = i64> {
    prop_oneof![-1000i64..-1, 1i64..1000]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn integer_division_and_remainder_follow_rust(a in small(), b in nonzero()) {
        let env = Env::new().var("a", "i64", &a).var("b", "i64", &b);
        same!(env, a / b);
        same!(env, a % b);
        same!(env, (a * 3 - 1) / b);
    }

    #[test]
    fn big_integer_division_is_exact(a in -(1i64 << 52)..(1i64 << 52), b in nonzero()) {
        let env = Env::new().var("a", "i64", &a).var("b", "i64", &b);
        same!(env, a / b);
        same!(env, a % b);
    }

    #[test]
    fn float_expressions_follow_rust(x in -1e6f64..1e6, y in 0.001f64..1e3) {
        let env = Env::new().var("x", "f64", &x).var("y", "f64", &y);
        same!(env, x / y);
        same!(env, x * y - y);
        same!(env, (x / y) as i64);
        same!(env, x.trunc());
        same!(env, x < y);
    }
}
