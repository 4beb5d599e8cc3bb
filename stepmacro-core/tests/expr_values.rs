//! Structured values: field access with serde names, struct/tuple/enum literals, arrays that must not
//! flatten, deep equality, `Option`, indexing.

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
    clippy::partialeq_to_none,
    clippy::comparison_to_empty
)]

#[macro_use]
mod expr_support;

use std::collections::HashMap;

use expr_support::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro_core::front::types::Ty;

types! {
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Order {
        pub order_id: String,
        pub total: f64,
        pub item_count: i64,
        pub items: Vec<Item>,
        #[serde(rename = "Customer-Name")]
        pub customer_name: String,
        pub coupon: Option<String>,
        pub tags: Vec<String>,
        pub r#type: Kind,
        pub dims: (i64, i64),
        pub matrix: Vec<Vec<i64>>,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Item {
        pub sku: String,
        pub qty: i64,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum Kind {
        Retail,
        BulkOrder,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub enum Shape {
        Point,
        Circle(f64),
        Rect(f64, f64),
        Poly { sides: i64, #[serde(rename = "len")] side_len: f64 },
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "kind")]
    pub enum Event {
        Started,
        Moved { x: i64, y: i64 },
        Wrapped(Item),
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "t", content = "c", rename_all = "kebab-case")]
    pub enum Msg {
        Ping,
        Text(String),
        Pair(i64, i64),
        Full { a: i64 },
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum Loose {
        Num(i64),
        Words(Vec<String>),
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct OrderId(pub String);

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Pair(pub i64, pub String);

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(transparent)]
    pub struct Wrapper {
        pub inner: Vec<i64>,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Sparse {
        #[serde(skip_serializing_if = "Option::is_none", default)]
        pub note: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        pub list: Vec<i64>,
        pub n: i64,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Defaults {
        #[serde(default)]
        pub n: i64,
        #[serde(default)]
        pub list: Vec<i64>,
        pub maybe: Option<i64>,
    }
}

fn order() -> Order {
    Order {
        order_id: "o-1".into(),
        total: 150.5,
        item_count: 1,
        items: vec![Item {
            sku: "a".into(),
            qty: 2,
        }],
        customer_name: "Ada".into(),
        coupon: None,
        tags: vec!["x".into()],
        r#type: Kind::BulkOrder,
        dims: (3, 4),
        matrix: vec![vec![1, 2], vec![3]],
    }
}

fn env_with(order: &Order) -> Env {
    Env::new()
        .with_types(registry())
        .var("order", "Order", order)
}

#[test]
fn field_access_uses_serde_names() {
    let order = order();
    let env = env_with(&order);
    same!(env, order.order_id.clone());
    same!(env, order.total > 100.0);
    same!(env, order.customer_name.clone());
    same!(env, order.r#type);
    same!(env, order.r#type == Kind::BulkOrder);
    same!(env, order.r#type != Kind::Retail);
    same!(env, order.dims.0 * order.dims.1);
    same!(env, order.items[0].sku.clone());
    same!(env, order.items[0].qty + order.item_count);
    same!(env, order.matrix[0].clone());
    same!(env, order.matrix[1].clone());
    same!(env, order.matrix[0][1]);
    same!(env, order.matrix[1][0]);
    same!(env, order.items.clone());
    same!(env, order.items.len());
    same!(env, order.tags.len());
    same!(env, order.matrix.len());
    same!(env, order.coupon.is_none());
    same!(env, order.coupon.clone().unwrap_or("none".to_string()));
    same!(env, order.clone());
}

#[test]
fn a_missing_option_key_reads_as_none() {
    let order = order();
    let mut json = serde_json::to_value(&order).unwrap();
    json.as_object_mut().unwrap().remove("coupon");
    let env = Env::new()
        .with_types(registry())
        .json("order", Ty::Named("Order".into()), json);
    env.check(&syn::parse_quote!(order.coupon.is_none()), &true);
    env.check(&syn::parse_quote!(order.coupon == None), &true);
    env.check(&syn::parse_quote!(order.coupon), &serde_json::Value::Null);
    env.check(
        &syn::parse_quote!(order.coupon.unwrap_or("-".to_string())),
        &"-",
    );
    // `#[serde(default)]` fields take their type's default.
    let env = Env::new()
        .with_types(registry())
        .json("d", Ty::Named("Defaults".into()), json!({}));
    env.check(&syn::parse_quote!(d.n + 1), &1);
    env.check(&syn::parse_quote!(d.list.len()), &0);
    env.check(&syn::parse_quote!(d.maybe.is_none()), &true);
}

#[test]
fn struct_literals_use_serde_names_and_merge_rest() {
    let order = order();
    let item = Item {
        sku: "b".into(),
        qty: 1,
    };
    let env = env_with(&order).var("item", "Item", &item);
    same!(
        env,
        Item {
            sku: "z".to_string(),
            qty: 3
        }
    );
    same!(
        env,
        Item {
            qty: item.qty + 1,
            ..item.clone()
        }
    );
    same!(
        env,
        Order {
            total: 1.5,
            coupon: Some("c".to_string()),
            ..order.clone()
        }
    );
    same!(
        env,
        Order {
            items: vec![item.clone()],
            tags: vec![],
            ..order.clone()
        }
    );
    same!(env, Failure::new("E", "c"));
    same!(
        env,
        Failure {
            error: "E".to_string(),
            cause: order.order_id.clone()
        }
    );
    same!(env, OrderId(order.order_id.clone()));
    same!(env, Pair(1, "one".to_string()));
    same!(env, Wrapper { inner: vec![1, 2] });
}

#[test]
fn enum_values_follow_the_serde_representation() {
    let (n, s) = (4i64, "hi".to_string());
    let env = Env::new()
        .with_types(registry())
        .var("n", "i64", &n)
        .var("s", "String", &s);
    same!(env, Kind::Retail);
    same!(env, Shape::Point);
    same!(env, Shape::Circle(1.5));
    same!(env, Shape::Rect(1.0, 2.0));
    same!(
        env,
        Shape::Poly {
            sides: n,
            side_len: 2.5
        }
    );
    same!(env, Event::Started);
    same!(env, Event::Moved { x: n, y: -n });
    same!(
        env,
        Event::Wrapped(Item {
            sku: s.clone(),
            qty: n
        })
    );
    same!(env, Msg::Ping);
    same!(env, Msg::Text(s.clone()));
    same!(env, Msg::Pair(n, 5));
    same!(env, Msg::Full { a: n });
    same!(env, Loose::Num(n));
    same!(env, Loose::Words(vec![s.clone()]));
    same!(env, vec![Shape::Point, Shape::Circle(2.0)]);
}

#[test]
fn arrays_never_flatten() {
    let v = vec![1i64, 2];
    let e: Vec<i64> = vec![];
    let one = vec![vec![7i64]];
    let t = (vec![1i64], "a".to_string());
    let env = Env::new()
        .var("v", "Vec<i64>", &v)
        .var("e", "Vec<i64>", &e)
        .var("one", "Vec<Vec<i64>>", &one)
        .var("t", "(Vec<i64>, String)", &t)
        .var_ty("u", Ty::Unknown, &v);
    same!(env, vec![v.clone(), v.clone()]);
    same!(env, vec![v.clone()]);
    same!(env, vec![v.clone()].len());
    same!(env, vec![e.clone()]);
    same!(env, vec![e.clone()].len());
    same!(env, vec![3i64]);
    same!(env, vec![3i64].len());
    same!(env, [v[0], v[1]]);
    same!(env, (v.clone(), 1i64, "x"));
    same!(env, one.clone());
    same!(env, one[0].clone());
    same!(env, one.len());
    same!(env, one[0].len());
    same!(env, t.0.clone());
    same!(env, t.1.clone());
    same!(env, vec![t.clone(), t.clone()]);
    same!(env, vec![Some(v.clone()), None]);
    // An unknown-typed item is wrapped at run time.
    let e: syn::Expr = syn::parse_quote!(vec![u, u]);
    env.check(&e, &vec![v.clone(), v.clone()]);
    let env2 = Env::new().var_ty("u", Ty::Unknown, &5);
    env2.check(&syn::parse_quote!(vec![u, u]), &vec![5, 5]);
}

#[test]
fn equality_is_deep() {
    let a = order();
    let mut b = order();
    let c = order();
    b.items[0].qty = 3;
    let env = env_with(&a).var("b", "Order", &b).var("c", "Order", &c);
    let order = a.clone();
    same!(env, order == c);
    same!(env, order == b);
    same!(env, order != b);
    same!(env, order.items == c.items);
    same!(env, order.items[0] == b.items[0]);
    same!(env, order.matrix == vec![vec![1, 2], vec![3]]);
    same!(env, order.matrix == vec![vec![1, 2], vec![4]]);
    same!(env, order.dims == (3, 4));
    same!(env, order.coupon == None);
    same!(env, Some(order.total) == Some(150.5));
}

#[test]
fn membership_is_deep() {
    let items = vec![
        Item {
            sku: "a".into(),
            qty: 1,
        },
        Item {
            sku: "b".into(),
            qty: 2,
        },
    ];
    let nested = vec![vec![1i64, 2], vec![], vec![3]];
    let nums = vec![1i64, 5, 9];
    let words = vec!["a".to_string(), "b".to_string()];
    let probe = Item {
        sku: "b".into(),
        qty: 2,
    };
    let env = Env::new()
        .with_types(registry())
        .var("items", "Vec<Item>", &items)
        .var("nested", "Vec<Vec<i64>>", &nested)
        .var("nums", "Vec<i64>", &nums)
        .var("words", "Vec<String>", &words)
        .var("probe", "Item", &probe);
    same!(env, items.contains(&probe));
    same!(
        env,
        items.contains(&Item {
            sku: "b".to_string(),
            qty: 3
        })
    );
    same!(env, nested.contains(&vec![]));
    same!(env, nested.contains(&vec![3]));
    same!(env, nested.contains(&vec![2]));
    same!(env, nums.contains(&5));
    same!(env, nums.contains(&4));
    same!(env, words.contains(&"b".to_string()));
    same!(env, vec![vec![1i64]].contains(&vec![1]));
    same!(env, nums.first().copied());
    same!(env, nums.last().copied());
    same!(env, nums.get(1).copied());
    same!(env, nums.get(7).copied());
    same!(env, words.join(", "));
    same!(env, words.concat());
    same!(env, nums.is_empty());
}

#[test]
fn options() {
    let some = Some(3i64);
    let none: Option<i64> = None;
    let env = Env::new()
        .var("some", "Option<i64>", &some)
        .var("none", "Option<i64>", &none);
    same!(env, some.is_some());
    same!(env, none.is_some());
    same!(env, none.is_none());
    same!(env, some.unwrap_or(0) + none.unwrap_or(10));
    same!(env, none.unwrap_or_default());
    same!(env, some.unwrap() * 2);
    same!(env, some.expect("present"));
    same!(env, Some(5i64));
    same!(env, None::<i64>);
    same!(env, some == Some(3));
    same!(env, none == None);
    same!(env, if let Some(x) = some { x + 1 } else { 0 });
    same!(env, if let Some(x) = none { x + 1 } else { 0 });
    same!(
        env,
        match some {
            Some(x) if x > 2 => "big",
            Some(_) => "small",
            None => "none",
        }
    );
}

#[test]
fn unwrap_of_none_fails_the_run() {
    let none: Option<i64> = None;
    let env = Env::new().var("none", "Option<i64>", &none);
    let t = env.code(&syn::parse_quote!(none.unwrap()));
    let err = env.eval_code(&t.code).unwrap_err();
    assert!(err.contains("None"), "{err}");
}

#[test]
fn maps() {
    let mut m: HashMap<String, i64> = HashMap::new();
    m.insert("a".into(), 1);
    m.insert("b c".into(), 2);
    let k = "b c".to_string();
    let env = Env::new()
        .var("m", "HashMap<String, i64>", &m)
        .var("k", "String", &k);
    same!(env, m.len());
    same!(env, m.is_empty());
    same!(env, m.contains_key("a"));
    same!(env, m.contains_key("z"));
    same!(env, m[&k]);
    same!(env, m.get("a").copied());
    same!(env, m.get("zz").copied());
    same!(env, HashMap::<String, i64>::new().is_empty());
}

#[test]
fn json_values_index_like_serde_json() {
    let v = json!({"a": [1, {"b": null}], "s": "x"});
    let env = Env::new().var("v", "serde_json::Value", &v);
    same!(env, v["a"].clone());
    same!(env, v["a"][1].clone());
    same!(env, v["a"][5].clone());
    same!(env, v["zz"].clone());
    same!(env, v["s"]["t"].clone());
    same!(env, v["a"][1]["b"].clone());
}

#[test]
fn skip_serializing_if_leaves_keys_out_like_serde() {
    let empty = Sparse {
        note: None,
        list: vec![],
        n: 1,
    };
    let full = Sparse {
        note: Some("x".into()),
        list: vec![2],
        n: 1,
    };
    let env = Env::new()
        .with_types(registry())
        .var("empty", "Sparse", &empty)
        .var("full", "Sparse", &full);
    same!(
        env,
        Sparse {
            note: None,
            list: vec![],
            n: 1
        }
    );
    same!(
        env,
        Sparse {
            note: Some("x".to_string()),
            list: vec![2],
            n: 1
        }
    );
    same!(
        env,
        empty
            == Sparse {
                note: None,
                list: vec![],
                n: 1
            }
    );
    same!(
        env,
        full == Sparse {
            note: None,
            ..full.clone()
        }
    );
    same!(env, empty.note.is_none() && empty.list.is_empty());
    same!(env, full.note.clone());
    let e: syn::Expr = syn::parse_quote!(Sparse {
        note: None,
        list: vec![],
        n: 1
    });
    assert!(env.eval(&e).unwrap().get("note").is_none());
}

#[test]
fn failure_fields_derefs_and_unknown_receivers() {
    let f = Failure::new("Api.Timeout", "slow");
    let n = 5i64;
    let r = &n;
    let v = vec![1i64, 2, 3];
    let m: HashMap<String, i64> = [("a".to_string(), 1)].into_iter().collect();
    let env = Env::new()
        .var("f", "Failure", &f)
        .var("n", "i64", &n)
        .var("r", "&i64", r)
        .var_ty("uv", Ty::Unknown, &v)
        .var_ty("um", Ty::Unknown, &m);
    same!(env, f.error.clone());
    same!(env, f.cause.len());
    same!(env, f.is("Api.Timeout"));
    same!(env, f.error == "Api.Timeout" && f.cause != "");
    same!(env, *r + 1);
    same!(env, n * *r);
    env.check(&syn::parse_quote!(uv.len()), &3);
    env.check(&syn::parse_quote!(uv.is_empty()), &false);
    env.check(&syn::parse_quote!(uv.contains(&2)), &true);
    env.check(&syn::parse_quote!(um.len()), &1);
    env.check(&syn::parse_quote!(um.is_empty()), &false);
    env.check(&syn::parse_quote!(uv[1]), &2);
    env.check(&syn::parse_quote!(um["a"]), &1);
}

#[test]
fn empty_arrays_survive_paths_and_constructors() {
    let mut order = order();
    order.tags = vec![];
    order.matrix = vec![vec![], vec![1]];
    let env = env_with(&order);
    same!(env, order.tags.clone());
    same!(env, order.tags == Vec::<String>::new());
    same!(env, vec![order.tags.clone()]);
    same!(env, order.matrix[0].clone());
    same!(env, order.matrix[0].is_empty());
    same!(env, (order.tags.clone(), order.matrix.clone()));
    same!(
        env,
        Order {
            tags: vec![],
            ..order.clone()
        }
    );
}
