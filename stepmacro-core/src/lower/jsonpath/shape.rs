//! [`Shape`]: what the conversion knows about the JSON value an expression yields.
//!
//! JSONata text carries no types, but some conversions depend on them: `a + b` is `States.MathAdd`
//! only when both operands are integers (the intrinsic rounds anything else), `$string(x)` is
//! `States.Format('{}', x)` only for strings, integers and bools, `[x]` is `x` itself when `x` is an
//! array (JSONata's array constructor splices arrays) and `States.Array(x)` otherwise. The shapes come
//! from the Rust side: the workflow's parameters, each task's output type, the crate's serde types
//! (fields by their serde names), and the variables' types inferred from what is assigned to them
//! (see `infer`).

use std::rc::Rc;

use crate::front::types::{Resolved, Shape as Fields, Ty, TypeRegistry};

/// The shape of a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A value of this Rust type (`Ty::Unknown` when nothing is known).
    Of(Ty),
    /// The execution input of a workflow with several parameters: an object keyed by their names.
    Params(Rc<Vec<(String, Ty)>>),
    /// The result of `lambda:invoke`: `{"Payload": <the task's output>, "StatusCode": .., ..}`.
    Invoke(Ty),
}

impl Shape {
    /// Nothing known.
    pub fn unknown() -> Shape {
        Shape::Of(Ty::Unknown)
    }

    /// The Rust type, `Unknown` for the object shapes.
    pub fn ty(&self) -> Ty {
        match self {
            Shape::Of(t) => t.clone(),
            Shape::Params(_) | Shape::Invoke(_) => Ty::Unknown,
        }
    }

    /// The value of object key `key` (a serde name) of a value of this shape.
    pub fn member(&self, key: &str, types: &TypeRegistry) -> Shape {
        match self {
            Shape::Params(params) => Shape::Of(
                params
                    .iter()
                    .find(|(n, _)| n == key)
                    .map(|(_, t)| t.clone())
                    .unwrap_or(Ty::Unknown),
            ),
            Shape::Invoke(t) if key == "Payload" => Shape::Of(t.clone()),
            Shape::Invoke(_) => Shape::unknown(),
            Shape::Of(t) => Shape::Of(member_ty(t, key, types)),
        }
    }

    /// The element at a literal index.
    pub fn index(&self, i: usize) -> Shape {
        match self {
            Shape::Of(Ty::Vec(t)) => Shape::Of((**t).clone()),
            Shape::Of(Ty::Tuple(ts)) => Shape::Of(ts.get(i).cloned().unwrap_or(Ty::Unknown)),
            _ => Shape::unknown(),
        }
    }

    /// The element type of an array (any index).
    pub fn element(&self) -> Shape {
        match self {
            Shape::Of(Ty::Vec(t)) => Shape::Of((**t).clone()),
            _ => Shape::unknown(),
        }
    }

    /// True when the value is known to be an integer (a Rust integer type).
    pub fn is_int(&self) -> bool {
        matches!(self, Shape::Of(Ty::Int))
    }

    /// True when the value is known to be a JSON array.
    pub fn is_array(&self) -> bool {
        matches!(self, Shape::Of(Ty::Vec(_) | Ty::Tuple(_)))
    }

    /// True when the value is known *not* to be a JSON array (so JSONata's array constructor keeps
    /// it as one element).
    pub fn is_non_array(&self) -> bool {
        match self {
            Shape::Params(_) | Shape::Invoke(_) => true,
            Shape::Of(t) => matches!(
                t,
                Ty::Int | Ty::Float | Ty::Bool | Ty::String | Ty::Unit | Ty::Failure | Ty::Map(_)
            ),
        }
    }
}

/// The type of object key `key` (a serde name) of a value of type `owner`.
fn member_ty(owner: &Ty, key: &str, types: &TypeRegistry) -> Ty {
    match owner {
        Ty::Failure if key == "Error" || key == "Cause" => Ty::String,
        Ty::Map(v) => (**v).clone(),
        Ty::Json => Ty::Json,
        Ty::Option(inner) => member_ty(inner, key, types),
        Ty::Named(name) => match types.resolve(name) {
            Resolved::Struct(s) if !s.opaque => match &s.shape {
                Fields::Struct(fields) => fields
                    .iter()
                    .find(|f| f.ser == key && !f.flatten)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Ty::Unknown),
                _ => Ty::Unknown,
            },
            _ => Ty::Unknown,
        },
        _ => Ty::Unknown,
    }
}

/// Joins the types of two values assigned to the same variable (the Rust variable has one type):
/// `null` (a `None`, typed `()`) makes the other side optional, an unknown element type (of an empty
/// list literal) yields to a known one. Two different known types give `None`. (A wholly unknown
/// value never reaches here: `infer` treats it as no evidence, then as a reason to forget the
/// variable's type.)
pub fn join(a: &Ty, b: &Ty) -> Option<Ty> {
    match (a, b) {
        (Ty::Unknown, t) | (t, Ty::Unknown) => Some(t.clone()),
        (Ty::Unit, Ty::Unit) => Some(Ty::Unit),
        (Ty::Unit, Ty::Option(x)) | (Ty::Option(x), Ty::Unit) => Some(Ty::Option(x.clone())),
        (Ty::Unit, t) | (t, Ty::Unit) => Some(Ty::Option(Box::new(t.clone()))),
        (Ty::Option(x), Ty::Option(y)) => join(x, y).map(|t| Ty::Option(Box::new(t))),
        (Ty::Option(x), t) | (t, Ty::Option(x)) => join(x, t).map(|t| Ty::Option(Box::new(t))),
        (Ty::Vec(x), Ty::Vec(y)) => join(x, y).map(|t| Ty::Vec(Box::new(t))),
        (Ty::Map(x), Ty::Map(y)) => join(x, y).map(|t| Ty::Map(Box::new(t))),
        (Ty::Tuple(xs), Ty::Tuple(ys)) if xs.len() == ys.len() => xs
            .iter()
            .zip(ys)
            .map(|(x, y)| join(x, y))
            .collect::<Option<Vec<_>>>()
            .map(Ty::Tuple),
        (x, y) if x == y => Some(x.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(src: &str) -> TypeRegistry {
        let mut r = TypeRegistry::new();
        r.add_file(&syn::parse_file(src).unwrap());
        r
    }

    #[test]
    fn members_follow_serde_names() {
        let types = registry(
            r#"#[derive(Serialize)] #[serde(rename_all = "camelCase")] struct Order { item_count: i64, note: Option<String> }"#,
        );
        let order = Shape::Of(Ty::Named("Order".into()));
        assert_eq!(order.member("itemCount", &types), Shape::Of(Ty::Int));
        assert_eq!(order.member("item_count", &types), Shape::unknown());
        let invoke = Shape::Invoke(Ty::Named("Order".into()));
        assert_eq!(invoke.member("Payload", &types), order);
        let params = Shape::Params(Rc::new(vec![("n".into(), Ty::Int)]));
        assert_eq!(params.member("n", &types), Shape::Of(Ty::Int));
        assert_eq!(
            Shape::Of(Ty::Failure).member("Cause", &types),
            Shape::Of(Ty::String)
        );
    }

    #[test]
    fn indexing_and_arrays() {
        let t = Shape::Of(Ty::Tuple(vec![Ty::Int, Ty::String]));
        assert_eq!(t.index(1), Shape::Of(Ty::String));
        assert!(t.is_array() && !t.is_non_array());
        let v = Shape::Of(Ty::Vec(Box::new(Ty::Bool)));
        assert_eq!(v.element(), Shape::Of(Ty::Bool));
        assert!(!Shape::unknown().is_array() && !Shape::unknown().is_non_array());
        assert!(Shape::Of(Ty::Int).is_int());
    }

    #[test]
    fn joins() {
        assert_eq!(join(&Ty::Unknown, &Ty::Int), Some(Ty::Int));
        assert_eq!(
            join(&Ty::Option(Box::new(Ty::Unknown)), &Ty::Int),
            Some(Ty::Option(Box::new(Ty::Int)))
        );
        assert_eq!(
            join(&Ty::Unit, &Ty::Int),
            Some(Ty::Option(Box::new(Ty::Int)))
        );
        assert_eq!(
            join(&Ty::Option(Box::new(Ty::Int)), &Ty::Unit),
            Some(Ty::Option(Box::new(Ty::Int)))
        );
        assert_eq!(join(&Ty::Int, &Ty::Float), None);
        assert_eq!(join(&Ty::String, &Ty::String), Some(Ty::String));
    }
}
