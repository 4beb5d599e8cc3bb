//! Intrinsic functions (`States.Format(...)` and friends), JSONPath states only.
//!
//! Calls are parsed once, when the definition is loaded; a bad call (unknown function, wrong
//! number of arguments, syntax) is a definition error. Evaluation errors are `States.Runtime`,
//! as on AWS (the spec's `States.IntrinsicFailure` is reserved there).

use base64::Engine as _;
use serde_json::Value;

use super::error::StateError;
use super::jsonpath::{Path, PathError, Sources};
use super::rng::Rng;
use super::scanner::Scanner;
use super::value::{as_integer, json_eq, number, to_json};

/// Nesting limit of intrinsic calls on AWS.
const MAX_DEPTH: usize = 10;
/// Input limit of `Base64Encode`, `Base64Decode` and `Hash`.
const MAX_CHARS: usize = 10_000;
/// Output limit of `ArrayRange`.
const MAX_RANGE: usize = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "Format" => Func::Format,
            "StringToJson" => Func::StringToJson,
            "JsonToString" => Func::JsonToString,
            "Array" => Func::Array,
            "ArrayPartition" => Func::ArrayPartition,
            "ArrayContains" => Func::ArrayContains,
            "ArrayRange" => Func::ArrayRange,
            "ArrayGetItem" => Func::ArrayGetItem,
            "ArrayLength" => Func::ArrayLength,
            "ArrayUnique" => Func::ArrayUnique,
            "Base64Encode" => Func::Base64Encode,
            "Base64Decode" => Func::Base64Decode,
            "Hash" => Func::Hash,
            "JsonMerge" => Func::JsonMerge,
            "MathRandom" => Func::MathRandom,
            "MathAdd" => Func::MathAdd,
            "StringSplit" => Func::StringSplit,
            "UUID" => Func::Uuid,
            _ => return None,
        })
    }

    /// Allowed argument counts (min, max).
    fn arity(self) -> (usize, usize) {
        match self {
            Func::Format => (1, usize::MAX),
            Func::Array => (0, usize::MAX),
            Func::StringToJson
            | Func::JsonToString
            | Func::ArrayLength
            | Func::ArrayUnique
            | Func::Base64Encode
            | Func::Base64Decode => (1, 1),
            Func::ArrayPartition
            | Func::ArrayContains
            | Func::ArrayGetItem
            | Func::Hash
            | Func::MathAdd
            | Func::StringSplit => (2, 2),
            Func::ArrayRange | Func::JsonMerge => (3, 3),
            Func::MathRandom => (2, 3),
            Func::Uuid => (0, 0),
        }
    }
}

#[derive(Clone, Debug)]
enum Arg {
    /// A string literal: `raw` keeps the escapes (needed by `Format`), `value` is unescaped.
    Str {
        raw: String,
        value: String,
    },
    Literal(Value),
    Path(Path),
    Call(Call),
}

/// A parsed intrinsic call.
#[derive(Clone, Debug)]
pub struct Call {
    name: String,
    func: Func,
    args: Vec<Arg>,
}

/// Is this `.$` value an intrinsic call (rather than a path)?
pub fn looks_like_call(s: &str) -> bool {
    s.trim_start().starts_with("States.")
}

impl Call {
    pub fn parse(text: &str) -> Result<Call, String> {
        let mut p = P(Scanner::new(text));
        p.skip_ws();
        let call = p
            .call(0)
            .map_err(|e| format!("invalid intrinsic function {text:?}: {e}"))?;
        p.skip_ws();
        if p.i != text.len() {
            return Err(format!(
                "invalid intrinsic function {text:?}: unexpected text after the call"
            ));
        }
        Ok(call)
    }

    /// Evaluates the call. Paths in arguments read `src`.
    pub fn eval(&self, src: &Sources<'_>, rng: &mut Rng) -> Result<Value, StateError> {
        let fail = |msg: String| StateError::runtime(format!("{}: {msg}", self.name));
        let mut args = Vec::with_capacity(self.args.len());
        for a in &self.args {
            args.push(match a {
                Arg::Str { value, .. } => Value::String(value.clone()),
                Arg::Literal(v) => v.clone(),
                Arg::Path(p) => p.eval(src).map_err(|e| match e {
                    PathError::NotFound => fail(format!(
                        "the path {:?} could not be found in the input",
                        p.as_str()
                    )),
                    PathError::UnknownVariable(v) => {
                        fail(format!("the variable ${v} is not defined"))
                    }
                    PathError::Function(m) => fail(m),
                })?,
                Arg::Call(c) => c.eval(src, rng)?,
            });
        }
        match self.func {
            Func::Format => {
                let Some(Arg::Str { raw, .. }) = self.args.first() else {
                    return Err(fail(
                        "the first argument must be a string literal".to_owned(),
                    ));
                };
                format(raw, &args[1..]).map_err(fail)
            }
            Func::StringToJson => {
                let s = string(&args[0]).map_err(fail)?;
                serde_json::from_str(s)
                    .map_err(|e| fail(format!("the argument is not valid JSON text: {e}")))
            }
            Func::JsonToString => Ok(Value::String(to_json(&args[0]))),
            Func::Array => Ok(Value::Array(args)),
            Func::ArrayPartition => {
                let arr = array(&args[0]).map_err(fail)?;
                let n = as_integer(&args[1])
                    .filter(|n| *n > 0)
                    .ok_or_else(|| fail("the chunk size must be a positive integer".to_owned()))?;
                Ok(Value::Array(
                    arr.chunks(n as usize)
                        .map(|c| Value::Array(c.to_vec()))
                        .collect(),
                ))
            }
            Func::ArrayContains => {
                let arr = array(&args[0]).map_err(fail)?;
                Ok(Value::Bool(arr.iter().any(|v| json_eq(v, &args[1]))))
            }
            Func::ArrayRange => {
                let ints: Vec<i64> = args
                    .iter()
                    .map(|a| {
                        as_integer(a)
                            .ok_or_else(|| fail("start, end and step must be integers".to_owned()))
                    })
                    .collect::<Result<_, _>>()?;
                let (start, end, step) = (ints[0], ints[1], ints[2]);
                if step == 0 {
                    return Err(fail("the step must not be 0".to_owned()));
                }
                let mut out = Vec::new();
                let mut x = start;
                while (step > 0 && x <= end) || (step < 0 && x >= end) {
                    if out.len() == MAX_RANGE {
                        return Err(fail(format!("the range has more than {MAX_RANGE} items")));
                    }
                    out.push(Value::from(x));
                    x += step;
                }
                Ok(Value::Array(out))
            }
            Func::ArrayGetItem => {
                let arr = array(&args[0]).map_err(fail)?;
                let i = as_integer(&args[1])
                    .ok_or_else(|| fail("the index must be an integer".to_owned()))?;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| arr.get(i))
                    .cloned()
                    .ok_or_else(|| {
                        fail(format!(
                            "index {i} is out of bounds for an array of {} items",
                            arr.len()
                        ))
                    })
            }
            Func::ArrayLength => Ok(Value::from(array(&args[0]).map_err(fail)?.len())),
            Func::ArrayUnique => {
                let arr = array(&args[0]).map_err(fail)?;
                let mut out: Vec<Value> = Vec::new();
                for v in arr {
                    if !out.iter().any(|u| json_eq(u, v)) {
                        out.push(v.clone());
                    }
                }
                Ok(Value::Array(out))
            }
            Func::Base64Encode => {
                let s = limited(&args[0]).map_err(fail)?;
                Ok(Value::String(
                    base64::engine::general_purpose::STANDARD.encode(s.as_bytes()),
                ))
            }
            Func::Base64Decode => {
                let s = limited(&args[0]).map_err(fail)?;
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(s.as_bytes())
                    .map_err(|e| fail(format!("invalid base64 text: {e}")))?;
                String::from_utf8(bytes)
                    .map(Value::String)
                    .map_err(|_| fail("the decoded data is not UTF-8 text".to_owned()))
            }
            Func::Hash => {
                let s = match &args[0] {
                    Value::String(s) => s.clone(),
                    other => to_json(other),
                };
                if s.chars().count() > MAX_CHARS {
                    return Err(fail(format!(
                        "the input is longer than {MAX_CHARS} characters"
                    )));
                }
                let alg = string(&args[1]).map_err(fail)?;
                hash(&s, alg).map(Value::String).map_err(fail)
            }
            Func::JsonMerge => {
                let (Value::Object(a), Value::Object(b)) = (&args[0], &args[1]) else {
                    return Err(fail("both values must be objects".to_owned()));
                };
                if args[2] != Value::Bool(false) {
                    return Err(fail(
                        "only a shallow merge is supported: the third argument must be false"
                            .to_owned(),
                    ));
                }
                let mut out = a.clone();
                for (k, v) in b {
                    out.insert(k.clone(), v.clone());
                }
                Ok(Value::Object(out))
            }
            Func::MathRandom => {
                let start = as_integer(&args[0])
                    .ok_or_else(|| fail("the start must be an integer".to_owned()))?;
                let end = as_integer(&args[1])
                    .ok_or_else(|| fail("the end must be an integer".to_owned()))?;
                if start > end {
                    return Err(fail(
                        "the start must not be greater than the end".to_owned(),
                    ));
                }
                let n = match args.get(2) {
                    Some(seed) => {
                        let seed = as_integer(seed)
                            .ok_or_else(|| fail("the seed must be an integer".to_owned()))?;
                        Rng::new(seed as u64).range_inclusive(start, end)
                    }
                    None => rng.range_inclusive(start, end),
                };
                Ok(Value::from(n))
            }
            Func::MathAdd => {
                let mut sum: i64 = 0;
                for a in &args {
                    let f = a
                        .as_f64()
                        .ok_or_else(|| fail("both values must be numbers".to_owned()))?;
                    sum = sum
                        .checked_add(f.round() as i64)
                        .ok_or_else(|| fail("integer overflow".to_owned()))?;
                }
                Ok(Value::from(sum))
            }
            Func::StringSplit => {
                let s = string(&args[0]).map_err(fail)?;
                let d = string(&args[1]).map_err(fail)?;
                let parts = s
                    .split(|c: char| d.contains(c))
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.to_owned()))
                    .collect();
                Ok(Value::Array(parts))
            }
            Func::Uuid => Ok(Value::String(rng.uuid_v4())),
        }
    }
}

fn string(v: &Value) -> Result<&str, String> {
    v.as_str()
        .ok_or_else(|| "expected a string argument".to_owned())
}

fn limited(v: &Value) -> Result<&str, String> {
    let s = string(v)?;
    if s.chars().count() > MAX_CHARS {
        return Err(format!("the input is longer than {MAX_CHARS} characters"));
    }
    Ok(s)
}

fn array(v: &Value) -> Result<&Vec<Value>, String> {
    v.as_array()
        .ok_or_else(|| "expected an array argument".to_owned())
}

/// `MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512` of the UTF-8 bytes, lowercase hex.
pub fn hash(data: &str, algorithm: &str) -> Result<String, String> {
    use sha2::Digest;
    let bytes = data.as_bytes();
    let digest: Vec<u8> = match algorithm {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(format!(
                "unsupported hash algorithm {other:?} (MD5, SHA-1, SHA-256, SHA-384, SHA-512)"
            ));
        }
    };
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// `States.Format`: `{}` takes the next argument; `\{`, `\}`, `\'`, `\\` are literal.
fn format(template: &str, args: &[Value]) -> Result<Value, String> {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) => out.push(e),
                None => return Err("the template ends with a dangling backslash".to_owned()),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                let v = args
                    .get(next)
                    .ok_or("the template has more {} placeholders than arguments")?;
                next += 1;
                match v {
                    Value::String(s) => out.push_str(s),
                    Value::Number(_) | Value::Bool(_) | Value::Null => out.push_str(&to_json(v)),
                    _ => {
                        return Err(
                            "arguments must be strings, numbers, booleans or null".to_owned()
                        );
                    }
                }
            }
            c => out.push(c),
        }
    }
    if next != args.len() {
        return Err(format!(
            "the template has {next} placeholders but {} arguments were given",
            args.len()
        ));
    }
    Ok(Value::String(out))
}

/// The call parser: a [`Scanner`] with the grammar below.
struct P<'a>(Scanner<'a>);

impl<'a> std::ops::Deref for P<'a> {
    type Target = Scanner<'a>;
    fn deref(&self) -> &Scanner<'a> {
        &self.0
    }
}

impl std::ops::DerefMut for P<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl P<'_> {
    fn call(&mut self, depth: usize) -> Result<Call, String> {
        if depth >= MAX_DEPTH {
            return Err(format!("intrinsic calls nest at most {MAX_DEPTH} deep"));
        }
        if !self.rest().starts_with("States.") {
            return Err(format!("expected States.<function>( at offset {}", self.i));
        }
        self.i += "States.".len();
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.bump();
        }
        let name = self.s[start..self.i].to_owned();
        let func = Func::from_name(&name)
            .ok_or_else(|| format!("unknown intrinsic function States.{name}"))?;
        self.skip_ws();
        if self.bump() != Some('(') {
            return Err(format!("expected '(' after States.{name}"));
        }
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(')') {
            self.bump();
        } else {
            loop {
                self.skip_ws();
                args.push(self.arg(depth)?);
                self.skip_ws();
                match self.bump() {
                    Some(',') => continue,
                    Some(')') => break,
                    _ => {
                        return Err(format!(
                            "expected ',' or ')' in the arguments of States.{name}"
                        ));
                    }
                }
            }
        }
        let (min, max) = func.arity();
        if args.len() < min || args.len() > max {
            let want = if min == max {
                format!("{min}")
            } else if max == usize::MAX {
                format!("at least {min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(format!(
                "States.{name} takes {want} arguments, {} given",
                args.len()
            ));
        }
        if func == Func::Format && !matches!(args.first(), Some(Arg::Str { .. })) {
            return Err("the first argument of States.Format must be a string literal".to_owned());
        }
        Ok(Call {
            name: format!("States.{name}"),
            func,
            args,
        })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, String> {
        match self.peek() {
            Some('\'') => {
                self.bump();
                let mut raw = String::new();
                let mut value = String::new();
                loop {
                    match self.bump() {
                        None => return Err("unterminated string literal".to_owned()),
                        Some('\\') => {
                            let e = self.bump().ok_or("unterminated string literal")?;
                            raw.push('\\');
                            raw.push(e);
                            value.push(e);
                        }
                        Some('\'') => break,
                        Some(c) => {
                            raw.push(c);
                            value.push(c);
                        }
                    }
                }
                Ok(Arg::Str { raw, value })
            }
            Some('$') => {
                let start = self.i;
                let mut depth_b = 0usize;
                let mut quote: Option<char> = None;
                while let Some(c) = self.peek() {
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
                            '[' | '(' => depth_b += 1,
                            ']' => depth_b = depth_b.saturating_sub(1),
                            ')' if depth_b == 0 => break,
                            ')' => depth_b -= 1,
                            ',' if depth_b == 0 => break,
                            _ => {}
                        },
                    }
                    self.bump();
                }
                let text = self.s[start..self.i].trim_end();
                Ok(Arg::Path(Path::parse(text)?))
            }
            Some('S') if self.rest().starts_with("States.") => Ok(Arg::Call(self.call(depth + 1)?)),
            Some(_) => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c != ',' && c != ')' && !c.is_whitespace())
                {
                    self.bump();
                }
                let tok = &self.s[start..self.i];
                match tok {
                    "null" => Ok(Arg::Literal(Value::Null)),
                    "true" => Ok(Arg::Literal(Value::Bool(true))),
                    "false" => Ok(Arg::Literal(Value::Bool(false))),
                    _ => {
                        let f: f64 = tok
                            .parse()
                            .map_err(|_| format!("unexpected argument {tok:?}"))?;
                        if tok.starts_with('+') || !f.is_finite() {
                            return Err(format!("unexpected argument {tok:?}"));
                        }
                        let v = if tok.contains(['.', 'e', 'E']) {
                            serde_json::Number::from_f64(f)
                                .map(Value::Number)
                                .unwrap_or(Value::Null)
                        } else {
                            number(f)
                        };
                        Ok(Arg::Literal(v))
                    }
                }
            }
            None => Err("missing argument".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, input: Value) -> Result<Value, StateError> {
        let vars = |n: &str| if n == "v" { Some(json!([1, 2])) } else { None };
        let ctx = crate::interpreter::context::ContextObject::from_value(
            json!({"Execution": {"Name": "exec"}}),
        );
        let src = Sources {
            input: &input,
            context: &ctx,
            vars: &vars,
        };
        Call::parse(expr).unwrap().eval(&src, &mut Rng::new(1))
    }

    #[test]
    fn format() {
        assert_eq!(
            run(
                "States.Format('Hello, {}!', $.name)",
                json!({"name": "Ada"})
            )
            .unwrap(),
            json!("Hello, Ada!")
        );
        assert_eq!(
            run(
                r"States.Format('{} {} {} \{\} \'q\'', $.n, $.b, $.z)",
                json!({"n": 1.5, "b": true, "z": null})
            )
            .unwrap(),
            json!("1.5 true null {} 'q'")
        );
        assert_eq!(
            run("States.Format('{}:{}', $$.Execution.Name, 3)", json!({})).unwrap(),
            json!("exec:3")
        );
        assert!(run("States.Format('{}', $.o)", json!({"o": {}})).is_err());
        assert!(run("States.Format('{} {}', 1)", json!({})).is_err());
    }

    #[test]
    fn json_functions() {
        assert_eq!(
            run("States.StringToJson($.s)", json!({"s": "{\"a\":[1]}"})).unwrap(),
            json!({"a": [1]})
        );
        assert_eq!(
            run("States.JsonToString($.o)", json!({"o": {"a": 1}})).unwrap(),
            json!("{\"a\":1}")
        );
        assert_eq!(
            run(
                "States.JsonMerge($.a, $.b, false)",
                json!({"a": {"x": 1, "y": 1}, "b": {"y": 2}})
            )
            .unwrap(),
            json!({"x": 1, "y": 2})
        );
        assert!(
            run(
                "States.JsonMerge($.a, $.b, true)",
                json!({"a": {}, "b": {}})
            )
            .is_err()
        );
        let e = run("States.StringToJson($.s)", json!({"s": "{"})).unwrap_err();
        assert_eq!(e.error, "States.Runtime");
    }

    #[test]
    fn arrays() {
        assert_eq!(
            run("States.Array(1, 'a', null, $.x)", json!({"x": [true]})).unwrap(),
            json!([1, "a", null, [true]])
        );
        assert_eq!(
            run("States.ArrayPartition($.a, 2)", json!({"a": [1, 2, 3]})).unwrap(),
            json!([[1, 2], [3]])
        );
        assert_eq!(
            run("States.ArrayContains($v, 2)", json!({})).unwrap(),
            json!(true)
        );
        assert_eq!(
            run("States.ArrayRange(1, 9, 2)", json!({})).unwrap(),
            json!([1, 3, 5, 7, 9])
        );
        assert_eq!(
            run("States.ArrayRange(3, 1, -1)", json!({})).unwrap(),
            json!([3, 2, 1])
        );
        assert!(run("States.ArrayRange(0, 5000, 1)", json!({})).is_err());
        assert_eq!(
            run("States.ArrayGetItem($.a, 1)", json!({"a": [5, 6]})).unwrap(),
            json!(6)
        );
        assert!(run("States.ArrayGetItem($.a, 2)", json!({"a": [5, 6]})).is_err());
        assert_eq!(
            run("States.ArrayLength($.a)", json!({"a": [5, 6]})).unwrap(),
            json!(2)
        );
        assert_eq!(
            run("States.ArrayUnique($.a)", json!({"a": [1, 2, 1.0, "1"]})).unwrap(),
            json!([1, 2, "1"])
        );
    }

    #[test]
    fn encoding_and_hashing() {
        assert_eq!(
            run("States.Base64Encode('hello')", json!({})).unwrap(),
            json!("aGVsbG8=")
        );
        assert_eq!(
            run("States.Base64Decode('aGVsbG8=')", json!({})).unwrap(),
            json!("hello")
        );
        assert_eq!(
            run("States.Hash('abc', 'SHA-256')", json!({})).unwrap(),
            json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            run("States.Hash('abc', 'MD5')", json!({})).unwrap(),
            json!("900150983cd24fb0d6963f7d28e17f72")
        );
        assert_eq!(
            run("States.Hash('abc', 'SHA-1')", json!({})).unwrap(),
            json!("a9993e364706816aba3e25717850c26c9cd0d89d")
        );
        assert!(run("States.Hash('abc', 'CRC')", json!({})).is_err());
    }

    #[test]
    fn math_and_strings() {
        assert_eq!(
            run("States.MathAdd($.a, -2)", json!({"a": 44})).unwrap(),
            json!(42)
        );
        assert_eq!(run("States.MathAdd(1.6, 1)", json!({})).unwrap(), json!(3));
        let a = run("States.MathRandom(1, 3, 42)", json!({})).unwrap();
        assert_eq!(a, run("States.MathRandom(1, 3, 42)", json!({})).unwrap());
        assert!((1..=3).contains(&a.as_i64().unwrap()));
        assert_eq!(
            run("States.StringSplit('a,b;;c', ',;')", json!({})).unwrap(),
            json!(["a", "b", "c"])
        );
        assert_eq!(
            run("States.UUID()", json!({}))
                .unwrap()
                .as_str()
                .unwrap()
                .len(),
            36
        );
        assert_eq!(
            run("States.ArrayLength(States.Array(1, 2, 3))", json!({})).unwrap(),
            json!(3)
        );
    }

    #[test]
    fn parse_errors() {
        assert!(Call::parse("States.Nope(1)").is_err());
        assert!(Call::parse("States.ArrayLength()").is_err());
        assert!(Call::parse("States.Format($.x)").is_err());
        assert!(Call::parse("States.Array(1,").is_err());
        assert!(Call::parse("States.Array('x)").is_err());
        assert!(Call::parse("States.Array(1) x").is_err());
        assert!(Call::parse("States.Array($.a[?(@.x == 'a,b')], 2)").is_ok());
    }
}
