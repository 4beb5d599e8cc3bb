//! Reading the files the commands take, with one clear line for each way that can go wrong.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::fail::{Fail, plain};

/// How a path is named in messages: `` `x.json` `` (or `standard input` for `-`).
pub fn shown(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        format!("`{}`", path.display())
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The text of a file, or of stdin for `-`.
pub fn read_text(path: &Path) -> Result<String, Fail> {
    let result = if is_stdin(path) {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text)
    } else if path.is_dir() {
        return Err(Fail::invalid(format!(
            "cannot read {}: it is a directory",
            shown(path)
        )));
    } else {
        std::fs::read_to_string(path)
    };
    result.map_err(|e| Fail::invalid(format!("cannot read {}: {}", shown(path), plain(&e))))
}

/// A file's contents as JSON.
pub fn read_json(path: &Path) -> Result<Value, Fail> {
    let text = read_text(path)?;
    serde_json::from_str(&text)
        .map_err(|e| Fail::invalid(format!("{} is not valid JSON: {e}", shown(path))))
}
