//! Where a Map's items come from besides `ItemsPath`/`Items`: an `ItemReader` (answered by the
//! mocks: the object's content as a JSON array, or JSONL/CSV text) and `ItemBatcher` batches.

use serde_json::{Map, Value, json};

use super::super::error::{StateError, names};
use super::super::execution::TaskCall;
use super::super::jsonata::States;
use super::super::plan::{ReaderPlan, StatePlan};
use super::super::value::json_size;
use super::Run;
use super::io::{self, Extra, StateInfo};
use super::vars::Vars;

impl Run<'_> {
    /// Reads the items of an `ItemReader` from its mock (the object's content).
    pub(super) async fn read_items(
        &self,
        st: &StatePlan,
        r: &ReaderPlan,
        eff: &Value,
        states: &States<'_>,
        vars: &Vars,
        info: &StateInfo<'_>,
    ) -> Result<Vec<Value>, StateError> {
        let fail = |msg: String| StateError::new(names::ITEM_READER_FAILED, msg);
        let (params, max_items) =
            self.eval(info, &Extra::None, vars, |ctx| -> Result<_, StateError> {
                let params = r
                    .parameters
                    .as_ref()
                    .map(|p| io::payload(p, eff, states, "ItemReader", ctx))
                    .transpose()?
                    .unwrap_or(json!({}));
                let max = io::dyn_int(&r.max_items, "MaxItems", eff, states, ctx)?;
                Ok((params, max))
            })?;
        let key = [r.resource.as_str(), "*"]
            .into_iter()
            .find_map(|k| self.mocks.exact_key(k))
            .cloned();
        self.record_call(TaskCall {
            state: st.name.clone(),
            resource: r.resource.as_str().into(),
            key: r.resource.as_str().into(),
            mock: key.clone(),
            input: params.clone(),
        });
        let Some(key) = key else {
            return Err(StateError::new(
                "Harness.NoMock",
                format!("no mock for the ItemReader resource {}", r.resource),
            ));
        };
        let content = self
            .clock
            .attempt(self.mocks.call(&key, params))
            .await
            .map_err(StateError::from)?;
        let mut items = match r.input_type.as_str() {
            "JSON" | "MANIFEST" | "" => match content {
                Value::Array(a) => a,
                Value::String(s) => match serde_json::from_str::<Value>(&s) {
                    Ok(Value::Array(a)) => a,
                    _ => return Err(fail("the JSON object does not hold an array".to_owned())),
                },
                _ => return Err(fail("the JSON object does not hold an array".to_owned())),
            },
            "JSONL" => {
                let text = content
                    .as_str()
                    .ok_or_else(|| fail("JSONL content must be text".to_owned()))?;
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| {
                        serde_json::from_str(l)
                            .map_err(|e| fail(format!("invalid JSONL line: {e}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?
            }
            "CSV" => {
                let text = content
                    .as_str()
                    .ok_or_else(|| fail("CSV content must be text".to_owned()))?;
                parse_csv(
                    text,
                    r.csv_delimiter,
                    &r.csv_header_location,
                    &r.csv_headers,
                )
                .map_err(fail)?
            }
            other => match content {
                // listObjectsV2 and other readers: the mock returns the item list itself.
                Value::Array(a) => a,
                _ => return Err(fail(format!("unsupported InputType {other:?}"))),
            },
        };
        if let Some(max) = max_items.filter(|m| *m > 0) {
            items.truncate(max as usize);
        }
        Ok(items)
    }
}

/// Groups items into `{"Items": [...], "BatchInput": ...}` batches.
pub(super) fn batches(
    items: Vec<Value>,
    max_items: Option<u64>,
    max_bytes: Option<u64>,
    batch_input: Option<&Value>,
) -> Vec<Value> {
    let max_items = max_items
        .filter(|n| *n > 0)
        .map(|n| n as usize)
        .unwrap_or(usize::MAX);
    let max_bytes = max_bytes
        .filter(|n| *n > 0)
        .map(|n| n as usize)
        .unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut bytes = 0usize;
    let flush = |current: &mut Vec<Value>, out: &mut Vec<Value>| {
        if !current.is_empty() {
            let mut b = Map::new();
            b.insert("Items".to_owned(), Value::Array(std::mem::take(current)));
            if let Some(bi) = batch_input {
                b.insert("BatchInput".to_owned(), bi.clone());
            }
            out.push(Value::Object(b));
        }
    };
    for item in items {
        let size = json_size(&item);
        if !current.is_empty() && (current.len() >= max_items || bytes + size > max_bytes) {
            flush(&mut current, &mut out);
            bytes = 0;
        }
        bytes += size;
        current.push(item);
    }
    flush(&mut current, &mut out);
    out
}

/// Minimal RFC 4180 CSV: quoted fields with doubled quotes; rows become objects of strings.
fn parse_csv(
    text: &str,
    delimiter: char,
    header_location: &str,
    given: &[String],
) -> Result<Vec<Value>, String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else if c == '"' {
            quoted = true;
        } else if c == delimiter {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            if !(row.len() == 1 && row[0].is_empty()) {
                rows.push(std::mem::take(&mut row));
            }
            row.clear();
        } else {
            field.push(c);
        }
    }
    if quoted {
        return Err("unterminated quoted CSV field".to_owned());
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let mut rows = rows.into_iter();
    let headers: Vec<String> = if header_location == "GIVEN" {
        given.to_vec()
    } else {
        rows.next().ok_or("the CSV has no header row")?
    };
    rows.map(|r| {
        if r.len() > headers.len() {
            return Err(format!(
                "a CSV row has {} fields but there are {} headers",
                r.len(),
                headers.len()
            ));
        }
        Ok(Value::Object(
            headers
                .iter()
                .cloned()
                .zip(r.into_iter().map(Value::String))
                .collect(),
        ))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batching() {
        let items: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let b = batches(items, Some(2), None, Some(&json!({"k": 1})));
        assert_eq!(b.len(), 3);
        assert_eq!(b[0], json!({"Items": [0, 1], "BatchInput": {"k": 1}}));
        assert_eq!(b[2], json!({"Items": [4], "BatchInput": {"k": 1}}));
        let b = batches(
            vec![json!("aaaa"), json!("bbbb"), json!("c")],
            None,
            Some(10),
            None,
        );
        assert_eq!(
            b,
            vec![json!({"Items": ["aaaa"]}), json!({"Items": ["bbbb", "c"]})]
        );
    }

    #[test]
    fn csv() {
        let rows = parse_csv("a,b\n1,\"x,\"\"y\"\"\"\r\n2,z\n", ',', "FIRST_ROW", &[]).unwrap();
        assert_eq!(
            rows,
            vec![
                json!({"a": "1", "b": "x,\"y\""}),
                json!({"a": "2", "b": "z"})
            ]
        );
        let rows = parse_csv("1|2", '|', "GIVEN", &["p".into(), "q".into()]).unwrap();
        assert_eq!(rows, vec![json!({"p": "1", "q": "2"})]);
    }
}
