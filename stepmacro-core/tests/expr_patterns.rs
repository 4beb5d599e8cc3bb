//! Patterns: every test matches a Rust `match` (run by rustc) against the JSONata condition and
//! bindings from `pattern_condition` (run by jsonata-core), arm by arm, over many values.

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
use serde::{Deserialize, Serialize};
use stepmacro_core::front::types::Ty;
use stepmacro_core::lower::expr::Typed;
use stepmacro_core::lower::pattern::{PatternTest, pattern_condition};

types! {
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Status {
        Pending,
        InTransit,
        #[serde(rename = "done!")]
        Done,
        Failed(String),
        Split(i64, i64),
        Moved { from: String, #[serde(rename = "To")] to: String },
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "type", rename_all = "lowercase")]
    pub enum Cmd {
        Stop,
        Go { speed: i64 },
        Wrap(Point),
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "t", content = "c")]
    pub enum Adj {
        A,
        B(i64),
        C { x: i64 },
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum Either {
        L(i64),
        R(String),
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Point {
        #[serde(rename = "X")]
        pub x: i64,
        pub y: i64,
        pub label: Option<String>,
    }
}

/// Evaluates `test` (condition and bindings) for the scrutinee bound as `$s`; returns whether it
/// matched and the bindings' values.
fn run(test: &PatternTest, env: &Env) -> (bool, Vec<(String, serde_json::Value)>) {
    let matched = match &test.condition {
        None => true,
        Some(c) => match env.eval_code(c).unwrap_or_else(|e| panic!("{c}: {e}")) {
            Some(serde_json::Value::Bool(b)) => b,
            other => panic!("condition `{c}` gave {other:?}"),
        },
    };
    let mut binds = Vec::new();
    if matched {
        for (i, t) in &test.bindings {
            let v = env
                .eval_code(&t.code)
                .unwrap_or_else(|e| panic!("{}: {e}", t.code))
                .unwrap_or_else(|| panic!("binding `{i}` = `{}` is undefined", t.code));
            binds.push((i.to_string(), v));
        }
    }
    (matched, binds)
}

/// Translates each arm pattern of `$arms` against `s` (type `$ty`) and checks that the first arm whose
/// JSONata condition holds is the arm Rust takes, with the same bindings.
macro_rules! match_same {
    ($value:expr, $ty:expr; $( $pat:pat $(if $guard:expr)? => $binds:expr ),+ $(,)?) => {{
        let s = $value;
        let env = Env::new().with_types(registry()).var("s", $ty, &s).var("k", "i64", &10i64);
        #[allow(unused_variables, unreachable_patterns, unused_assignments)]
        let (rust_arm, rust_binds): (usize, serde_json::Value) = {
            let mut i = 0usize;
            loop {
                $(
                    #[allow(irrefutable_let_patterns)]
                    if let $pat = s.clone() { $( if !$guard { i += 1; } else )? { break (i, serde_json::to_value($binds).unwrap()); } } else { i += 1; }
                )+
                panic!("no arm matched");
            }
        };
        let scrutinee = env.lookup_var("s");
        let mut arm = 0usize;
        let mut found = None;
        $(
            if found.is_none() {
                let pat: syn::Pat = syn::parse_quote!($pat $(if $guard)?);
                let test = pattern_condition(&pat, &scrutinee, &env, &env.types)
                    .unwrap_or_else(|e| panic!("pattern `{}`: {}", quote::quote!(#pat), all_messages(&e).join(" | ")));
                let (matched, binds) = run(&test, &env);
                if matched {
                    found = Some((arm, binds, test));
                }
            }
            arm += 1;
        )+
        let _ = arm;
        let (got_arm, binds, test) = found.expect("no JSONata arm matched");
        assert_eq!(got_arm, rust_arm, "value {:?}: JSONata took arm {got_arm} ({:?}), Rust arm {rust_arm}", s, test.condition);
        // The bindings, in the order the arm's `$binds` tuple lists them (names sorted there by the test).
        let got: Vec<serde_json::Value> = binds.into_iter().map(|(_, v)| v).collect();
        let want = match rust_binds {
            serde_json::Value::Array(a) if got.len() != 1 => a,
            serde_json::Value::Null if got.is_empty() => vec![],
            v => vec![v],
        };
        assert_eq!(got.len(), want.len(), "bindings of arm {rust_arm}: {got:?} vs {want:?}");
        for (g, w) in got.iter().zip(&want) {
            assert!(json_eq(g, w), "value {:?}: binding {g} != {w}", s);
        }
    }};
}

trait LookupVar {
    fn lookup_var(&self, name: &str) -> Typed;
}

impl LookupVar for Env {
    fn lookup_var(&self, name: &str) -> Typed {
        use stepmacro_core::lower::expr::Scope;
        self.lookup(name).expect("bound")
    }
}

fn ints(n: i64) {
    let k = 10i64;
    match_same!(n, "i64";
        0 => (),
        1 | 2 | 3 => (),
        -5 => (),
        4..=9 => (),
        10..20 => (),
        x @ 20.. if x % 2 == 0 => x,
        -100000..=-100 => (),
        x if x > k * 100 => x,
        x => x,
    );
}

#[test]
fn integer_literals_ranges_bindings_and_guards() {
    for n in [
        -200, -100, -99, -5, 0, 1, 3, 4, 9, 10, 19, 20, 21, 22, 1001, 1002, 999,
    ] {
        ints(n);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_integers(n in -300i64..1300) {
        ints(n);
    }
}

#[test]
fn strings_chars_and_bools() {
    for s in ["", "a", "abc", "ABC", "😀", "x"] {
        match_same!(s.to_string(), "String";
            x if x.is_empty() => x,
            x if x == "abc" || x == "ABC" => x,
            x if x.len() > 3 => x,
            _ => (),
        );
    }
    for c in ['a', 'm', 'z', 'A', '0', 'é'] {
        match_same!(c, "char";
            'a'..='l' => (),
            'm' | 'n' => (),
            'A'..='Z' | '0'..='9' => (),
            other => other,
        );
    }
    for b in [true, false] {
        match_same!(b, "bool";
            true => (),
            false => (),
        );
    }
    for s in ["go", "stop", "other"] {
        let s = s.to_string();
        let env = Env::new().var("s", "String", &s);
        same!(
            env,
            match s.as_str() {
                "go" => 1,
                "stop" => 2,
                _ => 0,
            }
        );
    }
}

#[test]
fn options_and_tuples() {
    for v in [None, Some(0i64), Some(5), Some(-3)] {
        match_same!(v, "Option<i64>";
            None => (),
            Some(0) => (),
            Some(x @ 1..) => x,
            Some(x) => x,
        );
    }
    for t in [
        (0i64, "a".to_string()),
        (1, "b".to_string()),
        (2, "a".to_string()),
    ] {
        match_same!(t, "(i64, String)";
            (0, _) => (),
            (n, s) if s == "a" => (n, s),
            (_, s) => s,
        );
    }
    for t in [(1i64, 2i64, 3i64), (1, 0, 0), (0, 0, 9)] {
        match_same!(t, "(i64, i64, i64)";
            (1, ..) => (),
            (.., 9) => (),
            (a, .., c) => (a, c),
        );
    }
    for t in [(Some(1i64), None), (None, Some(2i64)), (None, None)] {
        match_same!(t, "(Option<i64>, Option<i64>)";
            (Some(x), _) | (_, Some(x)) => x,
            (None, None) => (),
        );
    }
}

#[test]
fn externally_tagged_enums() {
    let values = vec![
        Status::Pending,
        Status::InTransit,
        Status::Done,
        Status::Failed("boom".into()),
        Status::Split(1, 2),
        Status::Moved {
            from: "a".into(),
            to: "b".into(),
        },
    ];
    for v in values {
        match_same!(v, "Status";
            Status::Pending | Status::InTransit => (),
            Status::Done => (),
            Status::Failed(msg) if msg.len() > 10 => msg,
            Status::Failed(msg) => msg,
            Status::Split(a, 2) => a,
            Status::Split(..) => (),
            Status::Moved { from, to: t } => (from, t),
        );
    }
}

#[test]
fn internally_and_adjacently_tagged_enums() {
    for v in [
        Cmd::Stop,
        Cmd::Go { speed: 3 },
        Cmd::Go { speed: 99 },
        Cmd::Wrap(Point {
            x: 1,
            y: 2,
            label: None,
        }),
    ] {
        match_same!(v, "Cmd";
            Cmd::Stop => (),
            Cmd::Go { speed: 0..=10 } => (),
            Cmd::Go { speed } => speed,
            Cmd::Wrap(_) => (),
        );
    }
    for v in [Adj::A, Adj::B(4), Adj::B(5), Adj::C { x: 7 }] {
        match_same!(v, "Adj";
            Adj::A => (),
            Adj::B(4) => (),
            Adj::B(n) => n,
            Adj::C { x } => x,
        );
    }
}

#[test]
fn structs_with_nested_patterns() {
    let pts = [
        Point {
            x: 0,
            y: 0,
            label: None,
        },
        Point {
            x: 0,
            y: 5,
            label: Some("here".into()),
        },
        Point {
            x: 3,
            y: 5,
            label: Some("there".into()),
        },
        Point {
            x: 3,
            y: -1,
            label: None,
        },
    ];
    for p in pts {
        match_same!(p, "Point";
            Point { x: 0, y: 0, .. } => (),
            Point { x: 0, label: Some(l), .. } => l,
            Point { x, y: 5, label: Some(_) } => x,
            Point { label: None, y, .. } => y,
            _ => (),
        );
    }
    for f in [Failure::new("A.B", "c"), Failure::new("States.Timeout", "")] {
        match_same!(f, "Failure";
            Failure { error, cause } if cause.is_empty() => (error, cause),
            Failure { ref error, .. } if error == "A.B" => error.clone(),
            _ => (),
        );
    }
}

#[test]
fn a_missing_option_field_matches_none() {
    let env = Env::new().with_types(registry()).json(
        "p",
        Ty::Named("Point".into()),
        serde_json::json!({"X": 1, "y": 2}),
    );
    let pat: syn::Pat = syn::parse_quote!(Point { label: None, .. });
    let test = pattern_condition(
        &pat,
        &Typed::new("$p", Ty::Named("Point".into())),
        &env,
        &env.types,
    )
    .unwrap();
    assert!(run(&test, &env).0, "{:?}", test.condition);
}

#[test]
fn matches_macro_and_match_expressions() {
    for v in [
        Status::Pending,
        Status::Failed("x".into()),
        Status::Split(3, 4),
    ] {
        let env = Env::new().with_types(registry()).var("v", "Status", &v);
        let v2 = v.clone();
        {
            let v = v2.clone();
            same!(env, matches!(v, Status::Pending | Status::Failed(_)));
        }
        {
            let v = v2.clone();
            same!(env, matches!(v, Status::Split(a, _) if a > 2));
        }
        {
            let v = v2.clone();
            same!(
                env,
                match v {
                    Status::Split(a, b) => a * b,
                    Status::Failed(m) => m.len() as i64,
                    _ => -1,
                }
            );
        }
    }
}

#[test]
fn unsupported_patterns_are_spanned_errors() {
    let env = Env::new()
        .with_types(registry())
        .var("v", "Vec<i64>", &vec![1i64])
        .var("e", "Either", &Either::L(1));
    let s = Typed::new("$s", Ty::Unknown);
    for (src, want) in [
        ("[a, b]", "slice patterns"),
        ("Either::L(x)", "untagged enum"),
        ("Cmd::Wrap(p)", "internally tagged"),
        ("Status::Nope", "has no variant `Nope`"),
        ("Point { z, .. }", "has no field `z`"),
        ("Pending", "write the full path of `Pending`"),
        ("'\u{F000}'..='\u{FFFF}'", "U+E000"),
    ] {
        let pat = syn::parse::Parser::parse_str(syn::Pat::parse_multi, src).unwrap();
        let err = pattern_condition(&pat, &s, &env, &env.types).unwrap_err();
        let msg = all_messages(&err).join(" | ");
        assert!(msg.contains(want), "{src}: {msg}");
    }
    // Several errors are reported at once, each on its sub-pattern.
    let src = "(Status::Nope, Point { z, .. }, [a])";
    let pat = syn::parse::Parser::parse_str(syn::Pat::parse_multi, src).unwrap();
    let err = pattern_condition(&pat, &s, &env, &env.types).unwrap_err();
    let spans: Vec<String> = err.into_iter().map(|e| span_text(&e, src)).collect();
    assert_eq!(spans, vec!["Status::Nope", "z", "[a]"]);
}
