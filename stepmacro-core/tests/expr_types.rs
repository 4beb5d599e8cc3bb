//! The type registry against serde itself: the names and shapes it computes from the source must be the
//! ones serde_json writes for the same types.

#[macro_use]
mod expr_support;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use stepmacro_core::front::types::{
    Access, EnumRepr, FieldLookup, JsonKinds, Shape, Ty, TypeRegistry, VariantLookup,
};

types! {
    #[derive(Default, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub struct Lower { pub first_field: i64, pub x_y_z: i64 }
    #[derive(Default, Serialize, Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    pub struct Upper { pub first_field: i64, pub x_y_z: i64 }
    #[derive(Default, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Pascal { pub first_field: i64, pub x_y_z: i64 }
    #[derive(Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Camel { pub first_field: i64, pub x_y_z: i64 }
    #[derive(Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub struct Snake { pub first_field: i64, pub x_y_z: i64 }
    #[derive(Default, Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub struct Screaming { pub first_field: i64, pub x_y_z: i64 }
    #[derive(Default, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub struct Kebab { pub first_field: i64, pub x_y_z: i64 }
    #[derive(Default, Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING-KEBAB-CASE")]
    pub struct ScreamingKebab { pub first_field: i64, #[serde(rename = "own")] pub x_y_z: i64 }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum VLower { FirstVariant, HTTPCode }
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    pub enum VUpper { FirstVariant, HTTPCode }
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub enum VCamel { FirstVariant, HTTPCode }
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum VSnake { FirstVariant, HTTPCode }
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum VScreaming { FirstVariant, HTTPCode }
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum VKebab { FirstVariant, HTTPCode }
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "SCREAMING-KEBAB-CASE")]
    pub enum VScreamingKebab { FirstVariant, #[serde(rename = "own")] HTTPCode }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all_fields = "camelCase")]
    pub enum Fields { Both { some_field: i64 }, #[serde(rename_all = "UPPERCASE")] Own { some_field: i64 } }

    #[derive(Serialize, Deserialize)]
    pub struct Misc {
        #[serde(skip)]
        pub hidden: i64,
        #[serde(flatten)]
        pub extra: std::collections::HashMap<String, i64>,
        pub r#type: String,
        #[serde(rename(serialize = "out", deserialize = "in"))]
        pub split: i64,
        pub list: Vec<Option<Box<Misc2>>>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct Misc2(pub i64);

    #[derive(Serialize, Deserialize)]
    pub struct Generic<T> { pub value: T, pub items: Vec<T> }

    #[derive(Serialize, Deserialize)]
    #[serde(into = "String", try_from = "String")]
    #[derive(Clone)]
    pub struct Opaque { pub a: i64 }

    pub mod inner {
        #[derive(serde::Serialize)]
        pub struct Nested { pub deep_field: i64 }
    }
}

impl From<Opaque> for String {
    fn from(o: Opaque) -> String {
        o.a.to_string()
    }
}
impl TryFrom<String> for Opaque {
    type Error = std::num::ParseIntError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Ok(Opaque { a: s.parse()? })
    }
}

fn key_of(reg: &TypeRegistry, owner: &str, field: &str) -> String {
    match reg.field(&Ty::Named(owner.into()), field) {
        FieldLookup::Found(info) => match info.access {
            Access::Key(k) => k,
            other => panic!("{owner}.{field}: {other:?}"),
        },
        other => panic!("{owner}.{field}: {other:?}"),
    }
}

fn keys(v: Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn rename_all_on_fields_matches_serde() {
    let reg = registry();
    macro_rules! check {
        ($($t:ident),*) => {$(
            let mut want = keys(serde_json::to_value($t::default()).unwrap());
            let mut got = vec![key_of(&reg, stringify!($t), "first_field"), key_of(&reg, stringify!($t), "x_y_z")];
            got.sort();
            want.sort();
            assert_eq!(got, want, stringify!($t));
        )*};
    }
    check!(
        Lower,
        Upper,
        Pascal,
        Camel,
        Snake,
        Screaming,
        Kebab,
        ScreamingKebab
    );
}

#[test]
fn rename_all_on_variants_matches_serde() {
    let reg = registry();
    macro_rules! check {
        ($($t:ident),*) => {$(
            for (rust, value) in [("FirstVariant", $t::FirstVariant), ("HTTPCode", $t::HTTPCode)] {
                let want = serde_json::to_value(value).unwrap();
                match reg.variant(stringify!($t), rust) {
                    VariantLookup::Found(v) => assert_eq!(json!(v.ser), want, "{}::{rust}", stringify!($t)),
                    other => panic!("{other:?}"),
                }
            }
        )*};
    }
    check!(
        VLower,
        VUpper,
        VCamel,
        VSnake,
        VScreaming,
        VKebab,
        VScreamingKebab
    );
}

#[test]
fn rename_all_fields_and_variant_rename_all() {
    let reg = registry();
    let both = serde_json::to_value(Fields::Both { some_field: 1 }).unwrap();
    let own = serde_json::to_value(Fields::Own { some_field: 1 }).unwrap();
    for (variant, json) in [("Both", both), ("Own", own)] {
        let VariantLookup::Found(v) = reg.variant("Fields", variant) else {
            panic!()
        };
        let Shape::Struct(fields) = &v.shape else {
            panic!()
        };
        assert_eq!(
            keys(json[variant].clone()),
            vec![fields[0].ser.clone()],
            "{variant}"
        );
    }
}

#[test]
fn field_details() {
    let reg = registry();
    let misc = Ty::Named("Misc".into());
    assert!(matches!(reg.field(&misc, "hidden"), FieldLookup::Error(m) if m.contains("skip")));
    assert!(matches!(reg.field(&misc, "extra"), FieldLookup::Error(m) if m.contains("flatten")));
    assert_eq!(key_of(&reg, "Misc", "type"), "type");
    assert_eq!(key_of(&reg, "Misc", "split"), "out");
    assert!(
        matches!(reg.field(&misc, "nope"), FieldLookup::Error(m) if m.contains("no field `nope`"))
    );
    match reg.field(&misc, "list") {
        FieldLookup::Found(info) => assert_eq!(
            info.ty,
            Ty::Vec(Box::new(Ty::Option(Box::new(Ty::Named("Misc2".into())))))
        ),
        other => panic!("{other:?}"),
    }
    match reg.field(&Ty::Named("Misc2".into()), "0") {
        FieldLookup::Found(info) => {
            assert_eq!((info.access, info.ty), (Access::Transparent, Ty::Int))
        }
        other => panic!("{other:?}"),
    }
    // Generic parameters are unknown.
    match reg.field(&Ty::Named("Generic".into()), "items") {
        FieldLookup::Found(info) => assert_eq!(info.ty, Ty::Vec(Box::new(Ty::Unknown))),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(reg.field(&Ty::Named("Opaque".into()), "a"), FieldLookup::Error(m) if m.contains("from/into"))
    );
    // Items in inline modules are collected.
    assert_eq!(key_of(&reg, "Nested", "deep_field"), "deep_field");
    // Failure is built in; unknown types fall back to serde's defaults.
    match reg.field(&Ty::Failure, "cause") {
        FieldLookup::Found(info) => assert_eq!(info.access, Access::Key("Cause".into())),
        other => panic!("{other:?}"),
    }
    match reg.field(&Ty::Named("Elsewhere".into()), "r#type") {
        FieldLookup::Fallback(info) => assert_eq!(info.ty, Ty::Unknown),
        other => panic!("{other:?}"),
    }
}

#[test]
fn enum_representations() {
    let src: syn::File = syn::parse_quote! {
        #[derive(Serialize)] enum E { A }
        #[derive(Serialize)] #[serde(tag = "k")] enum I { A }
        #[derive(Serialize)] #[serde(tag = "k", content = "c")] enum J { A }
        #[derive(Serialize)] #[serde(untagged)] enum U { A(i64), #[serde(untagged)] B }
        #[derive(Serialize)] enum Mixed { A, #[serde(untagged)] B(String) }
        enum NotSerde { A }
    };
    let mut reg = TypeRegistry::new();
    reg.add_file(&src);
    let repr = |e: &str, v: &str| match reg.variant(e, v) {
        VariantLookup::Found(v) => v.repr,
        other => panic!("{other:?}"),
    };
    assert_eq!(repr("E", "A"), EnumRepr::External);
    assert_eq!(repr("I", "A"), EnumRepr::Internal { tag: "k".into() });
    assert_eq!(
        repr("J", "A"),
        EnumRepr::Adjacent {
            tag: "k".into(),
            content: "c".into()
        }
    );
    assert_eq!(repr("U", "A"), EnumRepr::Untagged);
    assert_eq!(repr("Mixed", "A"), EnumRepr::External);
    assert_eq!(repr("Mixed", "B"), EnumRepr::Untagged);
    assert!(matches!(
        reg.variant("NotSerde", "A"),
        VariantLookup::Fallback(_)
    ));
    assert!(matches!(reg.variant("E", "Z"), VariantLookup::Error(_)));
    assert_eq!(reg.json_kinds(&Ty::Named("E".into())), JsonKinds::STRING);
    assert_eq!(
        reg.json_kinds(&Ty::Named("Mixed".into())),
        JsonKinds::STRING.union(JsonKinds::STRING)
    );
    assert!(
        reg.json_kinds(&Ty::Named("U".into()))
            .may_be(JsonKinds::NUMBER)
    );
}

#[test]
fn ambiguous_names_are_reported() {
    let src: syn::File = syn::parse_quote! {
        mod a { #[derive(Serialize)] pub struct Dup { pub x: i64 } }
        mod b { #[derive(Serialize)] pub struct Dup { pub y: i64 } }
        mod c { #[derive(Serialize)] pub struct Same { pub x: i64 } }
        mod d { #[derive(Serialize)] pub struct Same { pub x: i64 } }
    };
    let mut reg = TypeRegistry::new();
    reg.add_file(&src);
    assert!(
        matches!(reg.field(&Ty::Named("Dup".into()), "x"), FieldLookup::Error(m) if m.contains("several"))
    );
    assert!(matches!(
        reg.field(&Ty::Named("Same".into()), "x"),
        FieldLookup::Found(_)
    ));
}

#[test]
fn types_from_syn() {
    let t = |s: &str| Ty::from_syn(&syn::parse_str(s).unwrap());
    assert_eq!(t("u8"), Ty::Int);
    assert_eq!(t("std::num::NonZeroU64"), Ty::Int);
    assert_eq!(t("f32"), Ty::Float);
    assert_eq!(t("&'a str"), Ty::String);
    assert_eq!(t("char"), Ty::String);
    assert_eq!(t("Cow<'static, str>"), Ty::String);
    assert_eq!(t("Box<str>"), Ty::String);
    assert_eq!(t("Arc<Vec<u8>>"), Ty::Vec(Box::new(Ty::Int)));
    assert_eq!(t("[i64; 3]"), Ty::Vec(Box::new(Ty::Int)));
    assert_eq!(t("&[String]"), Ty::Vec(Box::new(Ty::String)));
    assert_eq!(t("VecDeque<bool>"), Ty::Vec(Box::new(Ty::Bool)));
    assert_eq!(
        t("Option<Rc<Order>>"),
        Ty::Option(Box::new(Ty::Named("Order".into())))
    );
    assert_eq!(t("BTreeMap<String, f64>"), Ty::Map(Box::new(Ty::Float)));
    assert_eq!(
        t("serde_json::Map<String, Value>"),
        Ty::Map(Box::new(Ty::Json))
    );
    assert_eq!(t("serde_json::Value"), Ty::Json);
    assert_eq!(t("stepmacro::Failure"), Ty::Failure);
    assert_eq!(t("()"), Ty::Unit);
    assert_eq!(t("(i64, String)"), Ty::Tuple(vec![Ty::Int, Ty::String]));
    assert_eq!(t("crate::model::Order"), Ty::Named("Order".into()));
    assert_eq!(t("impl Display"), Ty::Unknown);
    assert_eq!(t("_"), Ty::Unknown);
}
