//! The crate's serde types as the expression translator sees them.
//!
//! A workflow's values live in ASL as JSON, in the shape serde gives them. To translate `order.total` or
//! `Status::Shipped` into JSONata the compiler needs that shape: the serde name of each field (after
//! `rename` / `rename_all`), the representation of each enum (externally tagged by default, `tag`,
//! `tag` + `content`, `untagged`) and the Rust type of each field (for Rust semantics such as integer
//! division). [`TypeRegistry`] collects it from the crate's own `#[derive(Serialize/Deserialize)]` items;
//! [`Ty`] is the coarse Rust type the translator reasons with.
//!
//! Types the registry does not know (other crates' types, or every type in the proc macro's view, which
//! sees only the workflow) are translated with serde's *defaults* — field names as written, enums
//! externally tagged — and reported as a [`FieldLookup::Fallback`] / [`VariantLookup::Fallback`], so the
//! caller can tell a guess from a fact.

use std::collections::BTreeMap;
use std::fmt;

use syn::ext::IdentExt as _;

use super::syntax::{derives, option_key};

/// A Rust type, as far as JSONata translation needs it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// Any integer type (`i8`..`i128`, `u8`..`u128`, `isize`, `usize`, `NonZero*`).
    Int,
    /// `f32` / `f64`.
    Float,
    Bool,
    /// `String`, `&str`, `char`, `Cow<str>`, `Box<str>`.
    String,
    /// `()` (JSON `null`).
    Unit,
    /// `serde_json::Value`.
    Json,
    /// stepmacro's `Failure` (`{"Error": .., "Cause": ..}`).
    Failure,
    /// `Vec<T>`, `[T]`, `[T; N]`, `VecDeque<T>`, `BTreeSet<T>`: a JSON array.
    Vec(Box<Ty>),
    /// `Option<T>`: `null` or the value.
    Option(Box<Ty>),
    /// `HashMap<String, T>` / `BTreeMap<String, T>` / `serde_json::Map`: a JSON object.
    Map(Box<Ty>),
    /// A tuple `(A, B, ..)`: a JSON array.
    Tuple(Vec<Ty>),
    /// Any other path type, by its last segment (generic arguments dropped).
    Named(String),
    /// Not known (no annotation, a generic parameter, `impl Trait`, ...).
    Unknown,
}

impl Ty {
    /// The type `ty` denotes. References, `Box`/`Rc`/`Arc` and parentheses are see-through, as they are
    /// for serde.
    pub fn from_syn(ty: &syn::Type) -> Ty {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => Self::from_path(&p.path),
            syn::Type::Reference(r) => Self::from_syn(&r.elem),
            syn::Type::Paren(p) => Self::from_syn(&p.elem),
            syn::Type::Group(g) => Self::from_syn(&g.elem),
            syn::Type::Slice(s) => Ty::Vec(Box::new(Self::from_syn(&s.elem))),
            syn::Type::Array(a) => Ty::Vec(Box::new(Self::from_syn(&a.elem))),
            syn::Type::Tuple(t) if t.elems.is_empty() => Ty::Unit,
            syn::Type::Tuple(t) => Ty::Tuple(t.elems.iter().map(Self::from_syn).collect()),
            _ => Ty::Unknown,
        }
    }

    fn from_path(path: &syn::Path) -> Ty {
        let Some(last) = path.segments.last() else {
            return Ty::Unknown;
        };
        let name = last.ident.unraw().to_string();
        let args: Vec<&syn::Type> = match &last.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|g| match g {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let arg = |i: usize| {
            args.get(i)
                .map(|t| Self::from_syn(t))
                .unwrap_or(Ty::Unknown)
        };
        match name.as_str() {
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
            | "u128" | "usize" => Ty::Int,
            n if n.starts_with("NonZero") => Ty::Int,
            "f32" | "f64" => Ty::Float,
            "bool" => Ty::Bool,
            "String" | "str" | "char" => Ty::String,
            "Failure" => Ty::Failure,
            "Value" => Ty::Json,
            "Vec" | "VecDeque" | "BTreeSet" | "LinkedList" => Ty::Vec(Box::new(arg(0))),
            "Option" => Ty::Option(Box::new(arg(0))),
            "Box" | "Rc" | "Arc" => arg(0),
            // `Cow<'a, B>`: the lifetime is filtered out above.
            "Cow" => arg(0),
            "HashMap" | "BTreeMap" | "IndexMap" => Ty::Map(Box::new(arg(1))),
            // serde_json::Map<String, Value>.
            "Map" if args.len() == 2 => Ty::Map(Box::new(arg(1))),
            "Self" => Ty::Unknown,
            _ => Ty::Named(name),
        }
    }

    /// True for `Int` and `Float`.
    pub fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Float)
    }

    /// True when nothing is known about the value (`Unknown` or `serde_json::Value`).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Ty::Unknown | Ty::Json)
    }

    /// The element type of a `Vec`, `Unknown` otherwise.
    pub fn elem(&self) -> Ty {
        match self {
            Ty::Vec(t) | Ty::Map(t) => (**t).clone(),
            _ => Ty::Unknown,
        }
    }

    /// The type inside an `Option`, the type itself otherwise.
    pub fn unwrap_option(&self) -> Ty {
        match self {
            Ty::Option(t) => (**t).clone(),
            t => t.clone(),
        }
    }

    /// The more precise of two types that must be equal in Rust (`Unknown` yields to the other).
    pub fn unify(&self, other: &Ty) -> Ty {
        match (self, other) {
            (Ty::Unknown, t) | (t, Ty::Unknown) => t.clone(),
            (Ty::Option(a), Ty::Option(b)) => Ty::Option(Box::new(a.unify(b))),
            (Ty::Vec(a), Ty::Vec(b)) => Ty::Vec(Box::new(a.unify(b))),
            (Ty::Map(a), Ty::Map(b)) => Ty::Map(Box::new(a.unify(b))),
            (a, _) => a.clone(),
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Int => f.write_str("integer"),
            Ty::Float => f.write_str("f64"),
            Ty::Bool => f.write_str("bool"),
            Ty::String => f.write_str("String"),
            Ty::Unit => f.write_str("()"),
            Ty::Json => f.write_str("serde_json::Value"),
            Ty::Failure => f.write_str("Failure"),
            Ty::Vec(t) => write!(f, "Vec<{t}>"),
            Ty::Option(t) => write!(f, "Option<{t}>"),
            Ty::Map(t) => write!(f, "HashMap<String, {t}>"),
            Ty::Tuple(ts) => {
                f.write_str("(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(")")
            }
            Ty::Named(n) => f.write_str(n),
            Ty::Unknown => f.write_str("_"),
        }
    }
}

// ------------------------------------------------------------------------------------------- shapes

/// A struct's or a variant's fields.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// `struct S;` / `V` (JSON `null` for a struct, the variant name for a variant).
    Unit,
    /// One unnamed field: serde writes the inner value only.
    Newtype(Ty),
    /// Several unnamed fields: a JSON array.
    Tuple(Vec<Ty>),
    /// Named fields: a JSON object.
    Struct(Vec<FieldDef>),
    /// Not known (a fallback variant); follow the syntax that uses it.
    Unknown,
}

/// One named field with its serde attributes applied.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    /// The Rust name (`r#` removed).
    pub rust: String,
    /// The key serde writes (`Serialize`), which is what a workflow reads.
    pub ser: String,
    /// The key serde reads (`Deserialize`), which is what a workflow builds for a task.
    pub de: String,
    pub ty: Ty,
    /// `#[serde(flatten)]`: the field's keys are merged into the parent object.
    pub flatten: bool,
    /// `#[serde(skip)]` / `skip_serializing`: the key is never written.
    pub skip_ser: bool,
    /// `#[serde(skip)]` / `skip_deserializing`: the key is never read.
    pub skip_de: bool,
    /// JSONata code of the value serde deserialises when the key is absent, if that is known (`null` for
    /// an `Option`, the type's `Default` for `#[serde(default)]` fields of built-in types).
    pub missing: Option<String>,
    /// `with` / `serialize_with` / `deserialize_with`: the JSON shape is the custom code's.
    pub custom: bool,
    /// `skip_serializing_if = ".."`: when serde leaves the key out.
    pub skip_if: Option<SkipIf>,
}

/// A `skip_serializing_if` predicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipIf {
    /// `Option::is_none`: the key is absent for `None`.
    IsNone,
    /// `Vec::is_empty`, `String::is_empty`, `HashMap::is_empty`, ...: absent when empty.
    IsEmpty,
    /// Any other function: whether the key is written is not known.
    Other(String),
}

impl SkipIf {
    fn parse(path: &str) -> SkipIf {
        let last = path.rsplit("::").next().unwrap_or(path).trim();
        match last {
            "is_none" => SkipIf::IsNone,
            "is_empty" => SkipIf::IsEmpty,
            _ => SkipIf::Other(path.to_owned()),
        }
    }
}

/// How an enum's variants appear in JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumRepr {
    /// serde's default: `"Unit"`, `{"Variant": payload}`.
    External,
    /// `#[serde(tag = "t")]`: `{"t": "Variant", ..fields}`.
    Internal { tag: String },
    /// `#[serde(tag = "t", content = "c")]`: `{"t": "Variant", "c": payload}`.
    Adjacent { tag: String, content: String },
    /// `#[serde(untagged)]`: the payload alone.
    Untagged,
}

/// A variant with its serde attributes applied.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantDef {
    pub rust: String,
    pub ser: String,
    pub de: String,
    pub shape: Shape,
    pub skip_ser: bool,
    pub skip_de: bool,
    /// `#[serde(untagged)]` on the variant: it is written untagged whatever the enum's representation.
    pub untagged: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    pub name: String,
    pub shape: Shape,
    /// `#[serde(transparent)]`: the value is the one non-skipped field's.
    pub transparent: bool,
    /// `#[serde(from/into/try_from)]` or `remote`: the JSON shape is another type's.
    pub opaque: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    pub name: String,
    pub repr: EnumRepr,
    pub variants: Vec<VariantDef>,
    /// `#[serde(from/into/try_from)]`: the JSON shape is another type's.
    pub opaque: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
}

impl TypeDef {
    fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
        }
    }
}

/// What a type name resolves to.
#[derive(Clone, Copy, Debug)]
pub enum Resolved<'a> {
    Struct(&'a StructDef),
    Enum(&'a EnumDef),
    /// Not a serde type of this crate.
    Unknown,
    /// Several different definitions share the name (in different modules).
    Ambiguous,
}

/// Where a field's value is in its owner's JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Object key (the serde name).
    Key(String),
    /// Array index (tuples, tuple structs).
    Index(usize),
    /// The owner's JSON *is* the field's (newtype structs, `#[serde(transparent)]`).
    Transparent,
}

/// A resolved field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldInfo {
    pub access: Access,
    pub ty: Ty,
    /// JSONata code for the value when the key is absent (see [`FieldDef::missing`]).
    pub missing: Option<String>,
}

/// The answer of [`TypeRegistry::field`].
#[derive(Clone, Debug, PartialEq)]
pub enum FieldLookup {
    /// From the owner's definition.
    Found(FieldInfo),
    /// The owner's definition is not known: serde's default naming, type `Unknown`.
    Fallback(FieldInfo),
    /// The field cannot be read; the reason, for a compile error.
    Error(String),
}

/// A resolved enum variant.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantInfo {
    pub enum_name: String,
    pub rust: String,
    /// The name serde writes (what a workflow matches on).
    pub ser: String,
    /// The name serde reads (what a workflow builds).
    pub de: String,
    /// The representation in effect for this variant (`Untagged` for a `#[serde(untagged)]` variant).
    pub repr: EnumRepr,
    pub shape: Shape,
}

/// The answer of [`TypeRegistry::variant`].
#[derive(Clone, Debug, PartialEq)]
pub enum VariantLookup {
    Found(VariantInfo),
    /// The enum is not known: externally tagged, names as written, shape unknown.
    Fallback(VariantInfo),
    Error(String),
}

/// Which JSON types a value of some Rust type may take (a small bit set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonKinds(u8);

impl JsonKinds {
    pub const NULL: JsonKinds = JsonKinds(1);
    pub const BOOL: JsonKinds = JsonKinds(2);
    pub const NUMBER: JsonKinds = JsonKinds(4);
    pub const STRING: JsonKinds = JsonKinds(8);
    pub const ARRAY: JsonKinds = JsonKinds(16);
    pub const OBJECT: JsonKinds = JsonKinds(32);
    pub const ANY: JsonKinds = JsonKinds(63);
    pub const NONE: JsonKinds = JsonKinds(0);

    pub fn union(self, other: JsonKinds) -> JsonKinds {
        JsonKinds(self.0 | other.0)
    }
    /// True when some value may be of a kind in `other`.
    pub fn may_be(self, other: JsonKinds) -> bool {
        self.0 & other.0 != 0
    }
    /// True when every value is of a kind in `other`.
    pub fn only(self, other: JsonKinds) -> bool {
        self.0 & !other.0 == 0
    }
}

// ----------------------------------------------------------------------------------------- registry

/// Serde-visible shapes of the crate's own types, by type name (last path segment).
#[derive(Clone, Debug, Default)]
pub struct TypeRegistry {
    types: BTreeMap<String, Vec<TypeDef>>,
}

impl TypeRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `item` when it is a struct or enum deriving `Serialize` or `Deserialize`. Malformed serde
    /// attributes are skipped (serde itself reports them).
    pub fn add_item(&mut self, item: &syn::Item) {
        let def =
            match item {
                syn::Item::Struct(s) if derives_serde(&s.attrs) => Some(TypeDef::Struct(
                    parse_struct(&s.ident, &s.attrs, &s.generics, &s.fields),
                )),
                syn::Item::Enum(e) if derives_serde(&e.attrs) => Some(TypeDef::Enum(parse_enum(e))),
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        for item in items {
                            self.add_item(item);
                        }
                    }
                    None
                }
                _ => None,
            };
        if let Some(def) = def {
            let defs = self.types.entry(def.name().to_owned()).or_default();
            if !defs.contains(&def) {
                defs.push(def);
            }
        }
    }

    /// Records every item of `file`, inline modules included.
    pub fn add_file(&mut self, file: &syn::File) {
        for item in &file.items {
            self.add_item(item);
        }
    }

    /// The definition called `name`.
    pub fn resolve(&self, name: &str) -> Resolved<'_> {
        match self.types.get(name).map(Vec::as_slice) {
            None | Some([]) => Resolved::Unknown,
            Some([TypeDef::Struct(s)]) => Resolved::Struct(s),
            Some([TypeDef::Enum(e)]) => Resolved::Enum(e),
            Some(_) => Resolved::Ambiguous,
        }
    }

    /// The field `rust_field` (a name, or a tuple index such as `"0"`) of a value of type `owner`.
    pub fn field(&self, owner: &Ty, rust_field: &str) -> FieldLookup {
        let index = rust_field.parse::<usize>().ok();
        match owner {
            Ty::Failure => match rust_field {
                "error" => found(Access::Key("Error".into()), Ty::String, None),
                "cause" => found(Access::Key("Cause".into()), Ty::String, None),
                _ => FieldLookup::Error(format!(
                    "`Failure` has no field `{rust_field}` (it has `error` and `cause`)"
                )),
            },
            Ty::Tuple(tys) => match index.and_then(|i| tys.get(i).map(|t| (i, t))) {
                Some((i, t)) => found(Access::Index(i), t.clone(), None),
                None => {
                    FieldLookup::Error(format!("the tuple `{owner}` has no field `{rust_field}`"))
                }
            },
            Ty::Named(name) => match self.resolve(name) {
                Resolved::Struct(s) => struct_field(s, rust_field, index),
                Resolved::Enum(_) => FieldLookup::Error(format!(
                    "`{name}` is an enum: its fields can only be reached by matching on a variant"
                )),
                Resolved::Ambiguous => FieldLookup::Error(ambiguous(name)),
                Resolved::Unknown => fallback_field(rust_field, index),
            },
            Ty::Unknown | Ty::Json => fallback_field(rust_field, index),
            other => FieldLookup::Error(format!(
                "a value of type `{other}` has no field `{rust_field}`"
            )),
        }
    }

    /// The serde form of `enum_name::variant`.
    pub fn variant(&self, enum_name: &str, variant: &str) -> VariantLookup {
        match self.resolve(enum_name) {
            Resolved::Enum(e) => {
                if e.opaque {
                    return VariantLookup::Error(format!(
                        "`{enum_name}` is serialised through another type (`#[serde(from/into)]`)"
                    ));
                }
                match e.variants.iter().find(|v| v.rust == variant) {
                    Some(v) => VariantLookup::Found(VariantInfo {
                        enum_name: enum_name.to_owned(),
                        rust: v.rust.clone(),
                        ser: v.ser.clone(),
                        de: v.de.clone(),
                        repr: if v.untagged {
                            EnumRepr::Untagged
                        } else {
                            e.repr.clone()
                        },
                        shape: v.shape.clone(),
                    }),
                    None => VariantLookup::Error(format!(
                        "enum `{enum_name}` has no variant `{variant}`"
                    )),
                }
            }
            Resolved::Struct(_) => {
                VariantLookup::Error(format!("`{enum_name}` is a struct, not an enum"))
            }
            Resolved::Ambiguous => VariantLookup::Error(ambiguous(enum_name)),
            Resolved::Unknown => VariantLookup::Fallback(VariantInfo {
                enum_name: enum_name.to_owned(),
                rust: variant.to_owned(),
                ser: variant.to_owned(),
                de: variant.to_owned(),
                repr: EnumRepr::External,
                shape: Shape::Unknown,
            }),
        }
    }

    /// The JSON kinds a value of type `ty` may have.
    pub fn json_kinds(&self, ty: &Ty) -> JsonKinds {
        self.kinds_at(ty, 0)
    }

    fn kinds_at(&self, ty: &Ty, depth: usize) -> JsonKinds {
        if depth > 16 {
            return JsonKinds::ANY;
        }
        match ty {
            Ty::Int | Ty::Float => JsonKinds::NUMBER,
            Ty::Bool => JsonKinds::BOOL,
            Ty::String => JsonKinds::STRING,
            Ty::Unit => JsonKinds::NULL,
            Ty::Failure | Ty::Map(_) => JsonKinds::OBJECT,
            Ty::Vec(_) => JsonKinds::ARRAY,
            Ty::Tuple(t) if t.is_empty() => JsonKinds::NULL,
            Ty::Tuple(_) => JsonKinds::ARRAY,
            Ty::Option(t) => JsonKinds::NULL.union(self.kinds_at(t, depth + 1)),
            Ty::Json | Ty::Unknown => JsonKinds::ANY,
            Ty::Named(name) => match self.resolve(name) {
                Resolved::Struct(s) if !s.opaque => self.struct_kinds(s, depth),
                Resolved::Enum(e) if !e.opaque => {
                    e.variants
                        .iter()
                        .filter(|v| !v.skip_ser)
                        .fold(JsonKinds::NONE, |acc, v| {
                            let repr = if v.untagged {
                                &EnumRepr::Untagged
                            } else {
                                &e.repr
                            };
                            acc.union(match repr {
                                EnumRepr::External if v.shape == Shape::Unit => JsonKinds::STRING,
                                EnumRepr::External
                                | EnumRepr::Internal { .. }
                                | EnumRepr::Adjacent { .. } => JsonKinds::OBJECT,
                                EnumRepr::Untagged => self.shape_kinds(&v.shape, depth),
                            })
                        })
                }
                _ => JsonKinds::ANY,
            },
        }
    }

    fn struct_kinds(&self, s: &StructDef, depth: usize) -> JsonKinds {
        if s.transparent
            && let Shape::Struct(fields) = &s.shape
            && let Some(f) = fields.iter().find(|f| !f.skip_ser)
        {
            return self.kinds_at(&f.ty, depth + 1);
        }
        self.shape_kinds(&s.shape, depth)
    }

    fn shape_kinds(&self, shape: &Shape, depth: usize) -> JsonKinds {
        match shape {
            Shape::Unit => JsonKinds::NULL,
            Shape::Newtype(t) => self.kinds_at(t, depth + 1),
            Shape::Tuple(_) => JsonKinds::ARRAY,
            Shape::Struct(_) => JsonKinds::OBJECT,
            Shape::Unknown => JsonKinds::ANY,
        }
    }
}

fn ambiguous(name: &str) -> String {
    format!("`{name}` names several different serde types in this crate; rename one of them")
}

fn found(access: Access, ty: Ty, missing: Option<String>) -> FieldLookup {
    FieldLookup::Found(FieldInfo {
        access,
        ty,
        missing,
    })
}

fn fallback_field(rust_field: &str, index: Option<usize>) -> FieldLookup {
    let access = match index {
        Some(i) => Access::Index(i),
        None => Access::Key(rust_field.to_owned()),
    };
    FieldLookup::Fallback(FieldInfo {
        access,
        ty: Ty::Unknown,
        missing: None,
    })
}

fn struct_field(s: &StructDef, rust_field: &str, index: Option<usize>) -> FieldLookup {
    if s.opaque {
        return FieldLookup::Error(format!(
            "`{}` is serialised through another type (`#[serde(from/into)]`), so its JSON fields are not known",
            s.name
        ));
    }
    match &s.shape {
        Shape::Struct(fields) => {
            let Some(f) = fields.iter().find(|f| f.rust == rust_field) else {
                return FieldLookup::Error(format!(
                    "struct `{}` has no field `{rust_field}`",
                    s.name
                ));
            };
            if f.skip_ser {
                return FieldLookup::Error(format!(
                    "field `{}.{rust_field}` is `#[serde(skip)]`ped, so it is not in the JSON",
                    s.name
                ));
            }
            if f.flatten {
                return FieldLookup::Error(format!(
                    "field `{}.{rust_field}` is `#[serde(flatten)]`ed into its parent; reading it is not supported",
                    s.name
                ));
            }
            if f.custom {
                return FieldLookup::Error(format!(
                    "field `{}.{rust_field}` has a custom serde `with` function, so its JSON shape is not known",
                    s.name
                ));
            }
            if s.transparent {
                return found(Access::Transparent, f.ty.clone(), None);
            }
            found(Access::Key(f.ser.clone()), f.ty.clone(), f.missing.clone())
        }
        Shape::Newtype(t) if index == Some(0) => found(Access::Transparent, t.clone(), None),
        Shape::Tuple(ts) => match index.and_then(|i| ts.get(i).map(|t| (i, t))) {
            Some((i, t)) => found(Access::Index(i), t.clone(), None),
            None => FieldLookup::Error(format!(
                "tuple struct `{}` has no field `{rust_field}`",
                s.name
            )),
        },
        _ => FieldLookup::Error(format!("struct `{}` has no field `{rust_field}`", s.name)),
    }
}

// ------------------------------------------------------------------------------------ serde parsing

/// True when `attrs` contain `#[derive(.., Serialize | Deserialize, ..)]` (any path to them).
fn derives_serde(attrs: &[syn::Attribute]) -> bool {
    derives(attrs, "Serialize") || derives(attrs, "Deserialize")
}

/// A `rename_all` rule (serde_derive's `RenameRule`, applied identically).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum RenameRule {
    #[default]
    None,
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    fn parse(s: &str) -> RenameRule {
        match s {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => RenameRule::None,
        }
    }

    fn or(self, other: RenameRule) -> RenameRule {
        if self == RenameRule::None {
            other
        } else {
            self
        }
    }

    /// A variant name (written in PascalCase) under this rule.
    fn variant(self, v: &str) -> String {
        match self {
            RenameRule::None | RenameRule::Pascal => v.to_owned(),
            RenameRule::Lower => v.to_ascii_lowercase(),
            RenameRule::Upper => v.to_ascii_uppercase(),
            RenameRule::Camel => lower_first(v),
            RenameRule::Snake => {
                let mut snake = String::new();
                for (i, ch) in v.char_indices() {
                    if i > 0 && ch.is_uppercase() {
                        snake.push('_');
                    }
                    snake.push(ch.to_ascii_lowercase());
                }
                snake
            }
            RenameRule::ScreamingSnake => RenameRule::Snake.variant(v).to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake.variant(v).replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake.variant(v).replace('_', "-"),
        }
    }

    /// A field name (written in snake_case) under this rule.
    fn field(self, f: &str) -> String {
        match self {
            RenameRule::None | RenameRule::Lower | RenameRule::Snake => f.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => f.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in f.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::Camel => lower_first(&RenameRule::Pascal.field(f)),
            RenameRule::Kebab => f.replace('_', "-"),
            RenameRule::ScreamingKebab => f.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A value that may differ between serialisation and deserialisation (`rename(serialize = .., ..)`).
#[derive(Clone, Debug, Default)]
struct SerDe<T> {
    ser: Option<T>,
    de: Option<T>,
}

/// The serde attributes of one item, field or variant (only those that change the JSON shape).
#[derive(Clone, Debug, Default)]
struct SerdeAttrs {
    rename: SerDe<String>,
    rename_all: SerDe<String>,
    rename_all_fields: SerDe<String>,
    tag: Option<String>,
    content: Option<String>,
    untagged: bool,
    transparent: bool,
    /// `default` (with or without a path); `default_path` when a function is named.
    default: bool,
    default_path: bool,
    flatten: bool,
    skip_ser: bool,
    skip_de: bool,
    custom: bool,
    opaque: bool,
    skip_if: Option<SkipIf>,
}

fn serde_attrs(attrs: &[syn::Attribute]) -> SerdeAttrs {
    let mut out = SerdeAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = option_key(&meta.path);
            match key.as_str() {
                "rename" => read_serde_pair(&meta, &mut out.rename)?,
                "rename_all" => read_serde_pair(&meta, &mut out.rename_all)?,
                "rename_all_fields" => read_serde_pair(&meta, &mut out.rename_all_fields)?,
                "tag" => out.tag = Some(read_str(&meta)?),
                "content" => out.content = Some(read_str(&meta)?),
                "untagged" => out.untagged = true,
                "transparent" => out.transparent = true,
                "flatten" => out.flatten = true,
                "skip" => {
                    out.skip_ser = true;
                    out.skip_de = true;
                }
                "skip_serializing" => out.skip_ser = true,
                "skip_deserializing" => out.skip_de = true,
                "default" => {
                    out.default = true;
                    if meta.input.peek(syn::Token![=]) {
                        out.default_path = true;
                        skip_value(&meta)?;
                    }
                }
                "skip_serializing_if" => out.skip_if = Some(SkipIf::parse(&read_str(&meta)?)),
                "with" | "serialize_with" | "deserialize_with" => {
                    out.custom = true;
                    skip_value(&meta)?;
                }
                "from" | "into" | "try_from" | "remote" => {
                    out.opaque = true;
                    skip_value(&meta)?;
                }
                _ => skip_value(&meta)?,
            }
            Ok(())
        });
    }
    out
}

/// `key = "v"` or `key(serialize = "a", deserialize = "b")`.
fn read_serde_pair(meta: &syn::meta::ParseNestedMeta, into: &mut SerDe<String>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let v = read_str(meta)?;
        into.ser = Some(v.clone());
        into.de = Some(v);
        return Ok(());
    }
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("serialize") {
            into.ser = Some(read_str(&inner)?);
        } else if inner.path.is_ident("deserialize") {
            into.de = Some(read_str(&inner)?);
        } else {
            skip_value(&inner)?;
        }
        Ok(())
    })
}

fn read_str(meta: &syn::meta::ParseNestedMeta) -> syn::Result<String> {
    let lit: syn::LitStr = meta.value()?.parse()?;
    Ok(lit.value())
}

/// Consumes whatever follows an attribute key we do not interpret (`= expr` or `(..)`).
fn skip_value(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let _: proc_macro2::TokenStream = content.parse()?;
    }
    Ok(())
}

/// The type of a field, with the item's generic parameters erased to `Unknown`.
fn field_ty(ty: &syn::Type, generics: &[String]) -> Ty {
    erase(Ty::from_syn(ty), generics)
}

fn erase(ty: Ty, generics: &[String]) -> Ty {
    match ty {
        Ty::Named(n) if generics.contains(&n) => Ty::Unknown,
        Ty::Vec(t) => Ty::Vec(Box::new(erase(*t, generics))),
        Ty::Option(t) => Ty::Option(Box::new(erase(*t, generics))),
        Ty::Map(t) => Ty::Map(Box::new(erase(*t, generics))),
        Ty::Tuple(ts) => Ty::Tuple(ts.into_iter().map(|t| erase(t, generics)).collect()),
        t => t,
    }
}

fn generic_names(generics: &syn::Generics) -> Vec<String> {
    generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// JSONata code for `Default::default()` of a built-in type.
fn default_code(ty: &Ty) -> Option<String> {
    Some(
        match ty {
            Ty::Int | Ty::Float => "0",
            Ty::Bool => "false",
            Ty::String => "''",
            Ty::Unit | Ty::Option(_) | Ty::Json => "null",
            Ty::Vec(_) => "[]",
            Ty::Map(_) => "{}",
            _ => return None,
        }
        .to_owned(),
    )
}

/// The fields of a struct or struct variant. `rule` is the `rename_all` in effect (ser, de);
/// `container_default` is a container-level `#[serde(default)]` (fields then take the *container's*
/// `Default`, which is unknown, except that `Option` fields are `None` either way).
fn parse_fields(
    fields: &syn::FieldsNamed,
    rule: (RenameRule, RenameRule),
    generics: &[String],
    container_default: bool,
) -> Vec<FieldDef> {
    fields
        .named
        .iter()
        .filter_map(|f| {
            let ident = f.ident.as_ref()?;
            let rust = ident.unraw().to_string();
            let a = serde_attrs(&f.attrs);
            let ty = field_ty(&f.ty, generics);
            let missing = match &ty {
                Ty::Option(_) if !a.default_path && !a.custom => Some("null".to_owned()),
                t if a.default && !a.default_path => default_code(t),
                _ => None,
            };
            // A container default provides the missing value of non-Option fields; we do not know it.
            let missing = if container_default && !matches!(ty, Ty::Option(_)) && !a.default {
                None
            } else {
                missing
            };
            Some(FieldDef {
                ser: a.rename.ser.clone().unwrap_or_else(|| rule.0.field(&rust)),
                de: a.rename.de.clone().unwrap_or_else(|| rule.1.field(&rust)),
                rust,
                ty,
                flatten: a.flatten,
                skip_ser: a.skip_ser,
                skip_de: a.skip_de,
                missing,
                custom: a.custom,
                skip_if: a.skip_if.clone(),
            })
        })
        .collect()
}

fn unnamed_shape(fields: &syn::FieldsUnnamed, generics: &[String]) -> Shape {
    let tys: Vec<Ty> = fields
        .unnamed
        .iter()
        .map(|f| field_ty(&f.ty, generics))
        .collect();
    match tys.len() {
        1 => Shape::Newtype(tys.into_iter().next().unwrap_or(Ty::Unknown)),
        _ => Shape::Tuple(tys),
    }
}

fn rules(a: &SerDe<String>) -> (RenameRule, RenameRule) {
    (
        a.ser.as_deref().map(RenameRule::parse).unwrap_or_default(),
        a.de.as_deref().map(RenameRule::parse).unwrap_or_default(),
    )
}

fn parse_struct(
    ident: &syn::Ident,
    attrs: &[syn::Attribute],
    generics: &syn::Generics,
    fields: &syn::Fields,
) -> StructDef {
    let a = serde_attrs(attrs);
    let generics = generic_names(generics);
    let shape = match fields {
        syn::Fields::Named(f) => {
            Shape::Struct(parse_fields(f, rules(&a.rename_all), &generics, a.default))
        }
        syn::Fields::Unnamed(f) => unnamed_shape(f, &generics),
        syn::Fields::Unit => Shape::Unit,
    };
    StructDef {
        name: ident.unraw().to_string(),
        shape,
        transparent: a.transparent,
        opaque: a.opaque,
    }
}

fn parse_enum(e: &syn::ItemEnum) -> EnumDef {
    let a = serde_attrs(&e.attrs);
    let generics = generic_names(&e.generics);
    let repr = match (&a.tag, &a.content, a.untagged) {
        (_, _, true) => EnumRepr::Untagged,
        (Some(tag), Some(content), _) => EnumRepr::Adjacent {
            tag: tag.clone(),
            content: content.clone(),
        },
        (Some(tag), None, _) => EnumRepr::Internal { tag: tag.clone() },
        _ => EnumRepr::External,
    };
    let variant_rule = rules(&a.rename_all);
    let fields_rule = rules(&a.rename_all_fields);
    let variants = e
        .variants
        .iter()
        .map(|v| {
            let va = serde_attrs(&v.attrs);
            let rust = v.ident.unraw().to_string();
            let own_rule = rules(&va.rename_all);
            let rule = (own_rule.0.or(fields_rule.0), own_rule.1.or(fields_rule.1));
            let shape = match &v.fields {
                syn::Fields::Named(f) => Shape::Struct(parse_fields(f, rule, &generics, false)),
                syn::Fields::Unnamed(f) => unnamed_shape(f, &generics),
                syn::Fields::Unit => Shape::Unit,
            };
            VariantDef {
                ser: va
                    .rename
                    .ser
                    .clone()
                    .unwrap_or_else(|| variant_rule.0.variant(&rust)),
                de: va
                    .rename
                    .de
                    .clone()
                    .unwrap_or_else(|| variant_rule.1.variant(&rust)),
                rust,
                shape,
                skip_ser: va.skip_ser,
                skip_de: va.skip_de,
                untagged: va.untagged,
            }
        })
        .collect();
    EnumDef {
        name: e.ident.unraw().to_string(),
        repr,
        variants,
        opaque: a.opaque,
    }
}
