//! ASL Paths with the semantics of Jayway JsonPath, the library Step Functions uses.
//!
//! * A **definite** path (only `.name`, `['name']`, `[index]` steps) yields the one value it
//!   names, or fails when there is none.
//! * An **indefinite** path (wildcard, filter, slice, union or deep scan) yields an array of all
//!   matches, `[]` when nothing matches. Those are evaluated by `serde_json_path` (RFC 9535) after
//!   rewriting the steps into RFC syntax.
//! * Roots: `$` (the input), `$$` (the context object), `$name` (workflow variable `name`).
//! * A trailing Jayway function (`.length()`, `.min()`, `.max()`, `.avg()`, `.sum()`,
//!   `.stddev()`, `.first()`, `.last()`) is applied to the result.
//!
//! Reference paths (`ResultPath`, `ItemsPath`, `...Path` fields) are definite paths without a
//! function; [`Path::set`] writes through one, creating missing parents, as `ResultPath` does.

use serde_json::{Map, Value};

use super::context::ContextObject;
use super::scanner::Scanner;

/// Where a path starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// `$`: the value being processed.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable.
    Variable(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Name(String),
    Index(i64),
    Wildcard,
    /// Bracket content kept verbatim: filter, slice or union (already RFC-compatible).
    Raw(String),
    /// `..` followed by a step.
    Deep(Box<Seg>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    Length,
    Min,
    Max,
    Avg,
    Sum,
    StdDev,
    First,
    Last,
}

/// A parsed Path.
#[derive(Clone, Debug)]
pub struct Path {
    text: String,
    root: Root,
    segs: Vec<Seg>,
    func: Option<Func>,
    /// The RFC 9535 form (relative to the root value) for indefinite paths.
    rfc: Option<serde_json_path::JsonPath>,
}

/// Why a path yielded nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// A definite path named a node that does not exist.
    NotFound,
    /// `$name` names a variable that was never assigned.
    UnknownVariable(String),
    /// A function was applied to a value it cannot handle.
    Function(String),
}

/// What a path can read.
pub struct Sources<'a> {
    pub input: &'a Value,
    pub context: &'a ContextObject<'a>,
    pub vars: &'a dyn Fn(&str) -> Option<Value>,
}

impl Path {
    /// Parses a Path (`$...`, `$$...` or `$var...`).
    pub fn parse(text: &str) -> Result<Path, String> {
        let t = text.trim();
        let mut p = Parser(Scanner::new(t));
        if !p.eat('$') {
            return Err(format!("a path must start with '$': {text:?}"));
        }
        let root = if p.eat('$') {
            Root::Context
        } else if p.peek().is_some_and(is_ident_start) {
            let start = p.i;
            while p.peek().is_some_and(is_ident_continue) {
                p.bump();
            }
            Root::Variable(t[start..p.i].to_owned())
        } else {
            Root::Input
        };
        let mut segs = Vec::new();
        let mut func = None;
        while let Some(c) = p.peek() {
            if func.is_some() {
                return Err(format!(
                    "nothing may follow a function call in path {text:?}"
                ));
            }
            match c {
                '.' => {
                    p.bump();
                    if p.eat('.') {
                        let seg = if p.eat('*') {
                            Seg::Wildcard
                        } else if p.peek() == Some('[') {
                            p.bracket(text)?
                        } else {
                            Seg::Name(p.name(text)?)
                        };
                        segs.push(Seg::Deep(Box::new(seg)));
                    } else if p.eat('*') {
                        segs.push(Seg::Wildcard);
                    } else {
                        let name = p.name(text)?;
                        if p.eat('(') {
                            if !p.eat(')') {
                                return Err(format!(
                                    "function arguments are not supported in path {text:?}"
                                ));
                            }
                            func = Some(match name.as_str() {
                                "length" | "size" => Func::Length,
                                "min" => Func::Min,
                                "max" => Func::Max,
                                "avg" => Func::Avg,
                                "sum" => Func::Sum,
                                "stddev" => Func::StdDev,
                                "first" => Func::First,
                                "last" => Func::Last,
                                other => {
                                    return Err(format!(
                                        "unknown path function {other}() in {text:?}"
                                    ));
                                }
                            });
                        } else {
                            segs.push(Seg::Name(name));
                        }
                    }
                }
                '[' => segs.push(p.bracket(text)?),
                _ => {
                    return Err(format!(
                        "unexpected {c:?} at offset {} in path {text:?}",
                        p.i
                    ));
                }
            }
        }
        let definite = segs
            .iter()
            .all(|s| matches!(s, Seg::Name(_) | Seg::Index(_)));
        let rfc = if definite {
            None
        } else {
            let mut s = String::from("$");
            for seg in &segs {
                rfc_seg(seg, &mut s);
            }
            Some(
                serde_json_path::JsonPath::parse(&s)
                    .map_err(|e| format!("invalid path {text:?}: {e}"))?,
            )
        };
        Ok(Path {
            text: text.to_owned(),
            root,
            segs,
            func,
            rfc,
        })
    }

    /// Parses a reference path: definite, no function.
    #[cfg(test)]
    pub fn parse_reference(text: &str) -> Result<Path, String> {
        let p = Path::parse(text)?;
        if !p.is_reference() {
            return Err(format!(
                "{text:?} is not a reference path (only .name, ['name'] and [index] steps)"
            ));
        }
        Ok(p)
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn root(&self) -> &Root {
        &self.root
    }

    /// Only name and index steps, no function: names exactly one node.
    pub fn is_reference(&self) -> bool {
        self.rfc.is_none() && self.func.is_none()
    }

    /// Jayway definiteness: the result is the node itself rather than a list of matches.
    #[cfg(test)]
    pub fn is_definite(&self) -> bool {
        self.rfc.is_none()
    }

    /// Evaluates the path.
    pub fn eval(&self, src: &Sources<'_>) -> Result<Value, PathError> {
        let owned;
        let root: &Value = match &self.root {
            Root::Input => src.input,
            // `$$.Section...` needs that section only (the full object holds the whole input).
            Root::Context => match self.segs.first() {
                Some(Seg::Name(section)) => {
                    let mut m = Map::new();
                    if let Some(v) = src.context.section(section) {
                        m.insert(section.clone(), v);
                    }
                    owned = Value::Object(m);
                    &owned
                }
                _ => src.context.full(),
            },
            Root::Variable(name) => {
                owned = (src.vars)(name).ok_or_else(|| PathError::UnknownVariable(name.clone()))?;
                &owned
            }
        };
        let value = match &self.rfc {
            None => self.walk(root)?.clone(),
            Some(rfc) => Value::Array(rfc.query(root).all().into_iter().cloned().collect()),
        };
        match self.func {
            None => Ok(value),
            Some(f) => apply_func(f, value),
        }
    }

    /// Evaluates against a plain value (no context, no variables).
    #[cfg(test)]
    pub fn eval_on(&self, input: &Value) -> Result<Value, PathError> {
        self.eval(&Sources {
            input,
            context: &ContextObject::from_value(Value::Null),
            vars: &|_| None,
        })
    }

    fn walk<'v>(&self, mut v: &'v Value) -> Result<&'v Value, PathError> {
        for seg in &self.segs {
            v = match (seg, v) {
                (Seg::Name(n), Value::Object(m)) => m.get(n).ok_or(PathError::NotFound)?,
                (Seg::Index(i), Value::Array(a)) => {
                    let idx = if *i < 0 { a.len() as i64 + *i } else { *i };
                    if idx < 0 {
                        return Err(PathError::NotFound);
                    }
                    a.get(idx as usize).ok_or(PathError::NotFound)?
                }
                _ => return Err(PathError::NotFound),
            };
        }
        Ok(v)
    }

    /// Writes `value` at this reference path inside `target`, creating missing objects on the
    /// way (`ResultPath`). Fails when a step meets a value of the wrong kind (a string where an
    /// object is needed, an index past the end of an array).
    pub fn set(&self, target: Value, value: Value) -> Result<Value, String> {
        if self.segs.is_empty() {
            return Ok(value);
        }
        let mut target = target;
        set_in(&mut target, &self.segs, value)
            .map_err(|why| format!("unable to apply ResultPath {:?}: {why}", self.text))?;
        Ok(target)
    }
}

fn set_in(node: &mut Value, segs: &[Seg], value: Value) -> Result<(), String> {
    let (first, rest) = segs.split_first().expect("non-empty");
    match first {
        Seg::Name(n) => {
            let Value::Object(m) = node else {
                return Err(format!("field '{n}' cannot be set on {}", kind(node)));
            };
            if rest.is_empty() {
                m.insert(n.clone(), value);
                return Ok(());
            }
            let child = m
                .entry(n.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if child.is_null() {
                *child = Value::Object(Map::new());
            }
            set_in(child, rest, value)
        }
        Seg::Index(i) => {
            let Value::Array(a) = node else {
                return Err(format!("index [{i}] cannot be set on {}", kind(node)));
            };
            let idx = if *i < 0 { a.len() as i64 + *i } else { *i };
            if idx < 0 || idx as usize >= a.len() {
                return Err(format!(
                    "index [{i}] is out of bounds for an array of {} items",
                    a.len()
                ));
            }
            let slot = &mut a[idx as usize];
            if rest.is_empty() {
                *slot = value;
                Ok(())
            } else {
                set_in(slot, rest, value)
            }
        }
        _ => Err("not a reference path".to_owned()),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn apply_func(f: Func, v: Value) -> Result<Value, PathError> {
    let bad = |what: &str| PathError::Function(format!("{what} cannot be applied to {}", kind(&v)));
    match f {
        Func::Length => match &v {
            Value::Array(a) => Ok(Value::from(a.len())),
            Value::Object(m) => Ok(Value::from(m.len())),
            Value::String(s) => Ok(Value::from(s.chars().count())),
            _ => Err(bad("length()")),
        },
        Func::First | Func::Last => match &v {
            Value::Array(a) => {
                let item = if f == Func::First {
                    a.first()
                } else {
                    a.last()
                };
                item.cloned().ok_or(PathError::NotFound)
            }
            _ => Err(bad("first()/last()")),
        },
        Func::Min | Func::Max | Func::Avg | Func::Sum | Func::StdDev => {
            let Value::Array(a) = &v else {
                return Err(bad("an aggregate function"));
            };
            let nums: Vec<f64> = a.iter().filter_map(Value::as_f64).collect();
            if nums.len() != a.len() {
                return Err(PathError::Function(
                    "aggregate functions need an array of numbers".to_owned(),
                ));
            }
            if nums.is_empty() {
                return Err(PathError::Function(
                    "aggregate function of an empty array".to_owned(),
                ));
            }
            let n = nums.len() as f64;
            let sum: f64 = nums.iter().sum();
            let r = match f {
                Func::Min => nums.iter().cloned().fold(f64::INFINITY, f64::min),
                Func::Max => nums.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
                Func::Sum => sum,
                Func::Avg => sum / n,
                _ => {
                    let mean = sum / n;
                    (nums.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt()
                }
            };
            Ok(super::value::number(r))
        }
    }
}

fn rfc_seg(seg: &Seg, out: &mut String) {
    match seg {
        Seg::Name(n) => {
            out.push_str("['");
            for c in n.chars() {
                match c {
                    '\'' => out.push_str("\\'"),
                    '\\' => out.push_str("\\\\"),
                    c => out.push(c),
                }
            }
            out.push_str("']");
        }
        Seg::Index(i) => out.push_str(&format!("[{i}]")),
        Seg::Wildcard => out.push_str("[*]"),
        Seg::Raw(r) => {
            out.push('[');
            out.push_str(r);
            out.push(']');
        }
        Seg::Deep(inner) => {
            out.push_str("..");
            rfc_seg(inner, out);
        }
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The path parser: a [`Scanner`] with the grammar below.
struct Parser<'a>(Scanner<'a>);

impl<'a> std::ops::Deref for Parser<'a> {
    type Target = Scanner<'a>;
    fn deref(&self) -> &Scanner<'a> {
        &self.0
    }
}

impl std::ops::DerefMut for Parser<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Parser<'_> {
    /// A dot-notation name: everything up to the next `.`, `[` or `(` (Jayway accepts any other
    /// character, e.g. `$.my-field`).
    fn name(&mut self, text: &str) -> Result<String, String> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c == '.' || c == '[' || c == '(' {
                break;
            }
            self.bump();
        }
        if self.i == start {
            return Err(format!(
                "empty field name at offset {start} in path {text:?}"
            ));
        }
        Ok(self.s[start..self.i].to_owned())
    }

    /// `[...]` up to the matching `]`, honouring quotes and nesting.
    fn bracket(&mut self, text: &str) -> Result<Seg, String> {
        let open = self.i;
        self.bump(); // '['
        let start = self.i;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        loop {
            let Some(c) = self.bump() else {
                return Err(format!("unclosed '[' at offset {open} in path {text:?}"));
            };
            match quote {
                Some(q) => {
                    if c == '\\' {
                        self.bump();
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '[' | '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    ']' if depth == 0 => break,
                    ']' => depth -= 1,
                    _ => {}
                },
            }
        }
        let inner = self.s[start..self.i - 1].trim();
        if inner == "*" {
            return Ok(Seg::Wildcard);
        }
        if inner.starts_with('?') {
            return Ok(Seg::Raw(inner.to_owned()));
        }
        if inner.starts_with('\'') || inner.starts_with('"') {
            let names = split_quoted(inner)
                .ok_or_else(|| format!("bad quoted name [{inner}] in path {text:?}"))?;
            if names.len() == 1 {
                return Ok(Seg::Name(names.into_iter().next().unwrap_or_default()));
            }
            return Ok(Seg::Raw(inner.to_owned()));
        }
        if let Ok(i) = inner.parse::<i64>() {
            return Ok(Seg::Index(i));
        }
        let valid = !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | ',' | ' '));
        if valid {
            return Ok(Seg::Raw(inner.to_owned()));
        }
        Err(format!("unsupported bracket [{inner}] in path {text:?}"))
    }
}

/// `'a'` or `'a', "b"` → the names, unescaped.
fn split_quoted(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let q = chars.next()?;
        if q != '\'' && q != '"' {
            return None;
        }
        let mut name = String::new();
        loop {
            let c = chars.next()?;
            if c == '\\' {
                name.push(chars.next()?);
            } else if c == q {
                break;
            } else {
                name.push(c);
            }
        }
        out.push(name);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(out),
            Some(',') => continue,
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(path: &str, v: &Value) -> Result<Value, PathError> {
        Path::parse(path).unwrap().eval_on(v)
    }

    #[test]
    fn definite_paths_yield_the_node() {
        let v = json!({"a": {"b": [10, {"c": "x"}]}, "my-field": 1, "sp ace": 2});
        assert_eq!(eval("$", &v).unwrap(), v);
        assert_eq!(eval("$.a.b[0]", &v).unwrap(), json!(10));
        assert_eq!(eval("$.a.b[1].c", &v).unwrap(), json!("x"));
        assert_eq!(eval("$['a']['b'][-1]", &v).unwrap(), json!({"c": "x"}));
        assert_eq!(eval("$.my-field", &v).unwrap(), json!(1));
        assert_eq!(eval("$['sp ace']", &v).unwrap(), json!(2));
        assert_eq!(eval("$.a.missing", &v), Err(PathError::NotFound));
        assert_eq!(eval("$.a.b[5]", &v), Err(PathError::NotFound));
        assert_eq!(eval("$.a.b.c", &v), Err(PathError::NotFound));
    }

    #[test]
    fn indefinite_paths_yield_lists() {
        let v =
            json!({"items": [{"p": 1, "sku": "a"}, {"p": 3, "sku": "b"}, {"p": 2, "sku": "c"}]});
        assert_eq!(eval("$.items[*].sku", &v).unwrap(), json!(["a", "b", "c"]));
        assert_eq!(eval("$.items[?(@.p < 2)].sku", &v).unwrap(), json!(["a"]));
        assert_eq!(eval("$.items[?(@.p > 9)].sku", &v).unwrap(), json!([]));
        assert_eq!(eval("$.items[0:2].p", &v).unwrap(), json!([1, 3]));
        assert_eq!(eval("$.items[0,2].p", &v).unwrap(), json!([1, 2]));
        assert_eq!(eval("$..sku", &v).unwrap(), json!(["a", "b", "c"]));
        assert_eq!(eval("$.items[*].p.max()", &v).unwrap(), json!(3));
        assert_eq!(eval("$.items.length()", &v).unwrap(), json!(3));
        assert!(!Path::parse("$.items[*]").unwrap().is_definite());
        assert!(Path::parse("$.items[0]").unwrap().is_definite());
    }

    #[test]
    fn roots() {
        let ctx = ContextObject::from_value(json!({"Execution": {"Name": "run"}}));
        let vars = |n: &str| {
            if n == "cfg" {
                Some(json!({"x": [5]}))
            } else {
                None
            }
        };
        let src = Sources {
            input: &json!({}),
            context: &ctx,
            vars: &vars,
        };
        assert_eq!(
            Path::parse("$$.Execution.Name")
                .unwrap()
                .eval(&src)
                .unwrap(),
            json!("run")
        );
        assert_eq!(
            Path::parse("$cfg.x[0]").unwrap().eval(&src).unwrap(),
            json!(5)
        );
        assert_eq!(
            Path::parse("$nope").unwrap().eval(&src),
            Err(PathError::UnknownVariable("nope".into()))
        );
    }

    #[test]
    fn set_creates_parents_and_rejects_impossible_targets() {
        let p = Path::parse_reference("$.a.b.c").unwrap();
        assert_eq!(
            p.set(json!({"x": 1}), json!(2)).unwrap(),
            json!({"x": 1, "a": {"b": {"c": 2}}})
        );
        assert_eq!(
            Path::parse_reference("$.x")
                .unwrap()
                .set(json!({"x": 1}), json!({"y": 2}))
                .unwrap(),
            json!({"x": {"y": 2}})
        );
        assert_eq!(
            Path::parse_reference("$")
                .unwrap()
                .set(json!(1), json!(2))
                .unwrap(),
            json!(2)
        );
        assert!(
            Path::parse_reference("$.x")
                .unwrap()
                .set(json!("str"), json!(2))
                .is_err()
        );
        assert!(
            Path::parse_reference("$.a.b")
                .unwrap()
                .set(json!({"a": 3}), json!(2))
                .is_err()
        );
        assert_eq!(
            Path::parse_reference("$.l[1]")
                .unwrap()
                .set(json!({"l": [0, 0]}), json!(9))
                .unwrap(),
            json!({"l": [0, 9]})
        );
        assert!(
            Path::parse_reference("$.l[2]")
                .unwrap()
                .set(json!({"l": [0, 0]}), json!(9))
                .is_err()
        );
        assert!(Path::parse_reference("$.l[*]").is_err());
    }

    #[test]
    fn parse_errors() {
        assert!(Path::parse("a.b").is_err());
        assert!(Path::parse("$.a[").is_err());
        assert!(Path::parse("$.a.nope()").is_err());
    }
}
