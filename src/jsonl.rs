//! The JSON Lines contract shared by the CLI and the wasm/Node front ends:
//! one query object per input line, one result object per output line, in
//! the same order. A bad line gives an error object and the run goes on.
//!
//! Input: `{"id": any, "text": "...", "material": "...", "function": "...",
//! "use": "...", "category": "...", "attributes": {"name": "value"},
//! "direction": "export" | "import"}` (only `text` required). Output: `{"id": ..., "candidates": [...]}` or
//! `{"id": ..., "line": N, "error": {"kind": "...", "message": "..."}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::alerts::Direction;
use crate::classify::{AttrValue, Candidate, Options, Query};
use crate::error::Error;
use crate::index::Index;
use crate::questions::Question;

/// Longest input line accepted, in bytes.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    #[serde(default)]
    id: Option<Value>,
    text: String,
    #[serde(default)]
    material: Option<String>,
    #[serde(default)]
    function: Option<String>,
    #[serde(default, rename = "use")]
    use_: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    attributes: Option<BTreeMap<String, AttrValue>>,
    /// Trade flow for this line's alerts (`export` or `import`; default: the run's).
    #[serde(default)]
    direction: Option<Direction>,
}

#[derive(Serialize)]
struct Answer<'a> {
    id: &'a Value,
    candidates: Vec<Candidate>,
    questions: Vec<Question>,
    needs_review: bool,
}

#[derive(Serialize)]
struct Failure<'a> {
    id: &'a Value,
    line: usize,
    error: ErrorObject,
}

/// An error as it appears in JSON output.
#[derive(Serialize)]
pub struct ErrorObject {
    /// A stable machine-readable kind.
    pub kind: &'static str,
    /// The human-readable message.
    pub message: String,
}

impl From<&Error> for ErrorObject {
    fn from(e: &Error) -> Self {
        let kind = match e {
            Error::EmptyQuery => "empty_query",
            Error::QueryTooLong { .. } => "query_too_long",
            Error::BadQuery(_) => "bad_query",
            Error::InvalidCode { .. } => "invalid_code",
            Error::Data(_) => "data",
            _ => "index",
        };
        ErrorObject { kind, message: e.to_string() }
    }
}

fn failure(id: &Value, line: usize, kind: &'static str, message: String) -> String {
    let f = Failure { id, line, error: ErrorObject { kind, message } };
    // Serializing plain strings, numbers and JSON values cannot fail.
    serde_json::to_string(&f).unwrap_or_default()
}

/// Answers one input line (`line_no` is 1-based, used in error objects).
/// Always returns exactly one JSON object, without a trailing newline.
pub fn answer_line(index: &Index, bytes: &[u8], line_no: usize, options: &Options) -> String {
    let null = Value::Null;
    if bytes.len() > MAX_LINE_BYTES {
        return failure(
            &null,
            line_no,
            "bad_line",
            format!("line is {} bytes; at most {MAX_LINE_BYTES} are accepted", bytes.len()),
        );
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return failure(&null, line_no, "bad_line", "line is not valid UTF-8".into());
    };
    let text = text.trim_end_matches(['\r', '\n']);
    if text.trim().is_empty() {
        return failure(&null, line_no, "bad_line", "empty line: expected a JSON object with at least \"text\"".into());
    }
    let line: Line = match serde_json::from_str(text) {
        Ok(l) => l,
        Err(e) => {
            // Recover the id where the line is JSON but not a valid query.
            let id = serde_json::from_str::<Value>(text).ok().and_then(|v| v.get("id").cloned()).unwrap_or(Value::Null);
            let msg = e.to_string();
            let msg = if msg.contains("unknown field") {
                msg
            } else {
                format!("{msg} (allowed fields: id, text, material, function, use, category, attributes, direction)")
            };
            return failure(&id, line_no, "bad_json", msg);
        }
    };
    let id = line.id.unwrap_or(Value::Null);
    let query = Query {
        text: line.text,
        material: line.material,
        function: line.function,
        use_: line.use_,
        category: line.category,
        attributes: line.attributes,
    };
    let options = Options { direction: line.direction.unwrap_or(options.direction), ..options.clone() };
    match index.classify(&query, &options) {
        Ok(c) => serde_json::to_string(&Answer {
            id: &id,
            candidates: c.candidates,
            questions: c.questions,
            needs_review: c.needs_review,
        })
        .unwrap_or_default(),
        Err(e) => {
            let eo = ErrorObject::from(&e);
            failure(&id, line_no, eo.kind, eo.message)
        }
    }
}
