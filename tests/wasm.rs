//! The wasm bindings in headless Chromium (wasm-bindgen-test): results are
//! plain JS objects, and bad input of every kind is a JS `Error`, never a panic.
//! Run with `scripts/test-wasm`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use preclass::wasm::{Classifier, OptionsArg, QueryArg};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn json(s: &str) -> JsValue {
    JSON::parse(s).unwrap()
}

fn query(v: JsValue) -> QueryArg {
    v.unchecked_into()
}

fn no_options() -> OptionsArg {
    JsValue::UNDEFINED.unchecked_into()
}

/// The message of the JS Error a call threw.
fn message<T>(r: Result<T, wasm_bindgen::JsError>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            let v: JsValue = e.into();
            let err: js_sys::Error = v.dyn_into().expect("a JS Error");
            err.message().into()
        }
    }
}

fn default_classifier() -> Classifier {
    Classifier::with_default_index().map_err(JsValue::from).unwrap()
}

#[wasm_bindgen_test]
fn classify_returns_plain_objects_with_the_cli_fields() {
    let c = default_classifier();
    let r: JsValue =
        c.classify(query("stainless steel kitchen sink".into()), no_options()).map_err(JsValue::from).unwrap().into();
    let candidates: Array = get(&r, "candidates").dyn_into().unwrap();
    assert_eq!(candidates.length(), 5);
    let first = candidates.get(0);
    assert_eq!(get(&first, "code").as_string().unwrap(), "732410");
    assert_eq!(get(&first, "level").as_f64(), Some(6.0));
    for key in ["score", "confidence", "description", "path", "why"] {
        assert!(!get(&first, key).is_undefined(), "missing {key}");
    }
    assert!(Array::is_array(&get(&first, "path")));
}

#[wasm_bindgen_test]
fn structured_queries_and_options_are_accepted() {
    let c = default_classifier();
    let q =
        json(r#"{"text": "salad bowl", "material": "plastic", "attributes": {"pieces": 4, "dishwasher safe": true}}"#);
    let r: JsValue =
        c.classify(query(q), json(r#"{"top": 2}"#).unchecked_into()).map_err(JsValue::from).unwrap().into();
    let candidates: Array = get(&r, "candidates").dyn_into().unwrap();
    assert_eq!(candidates.length(), 2);
}

#[wasm_bindgen_test]
fn bad_queries_are_errors_with_the_core_message() {
    let c = default_classifier();
    assert!(message(c.classify(query("".into()), no_options())).contains("no words"));
    assert!(message(c.classify(query("   ".into()), no_options())).contains("no words"));
    let huge = "steel ".repeat(1024 * 1024 / 6 + 1);
    assert!(message(c.classify(query(huge.into()), no_options())).contains("bytes"));
    let unknown = message(c.classify(query(json(r#"{"text": "sink", "colour": "red"}"#)), no_options()));
    assert!(unknown.contains("colour") && unknown.contains("material"), "{unknown}");
    assert!(message(c.classify(query(JsValue::from_f64(42.0)), no_options())).contains("bad query"));
    assert!(message(c.classify(query(json(r#"{"text": 5}"#)), no_options())).contains("bad query"));
    assert!(message(c.classify(query("sink".into()), json(r#"{"top": 0}"#).unchecked_into())).contains("top"));
    assert!(message(c.classify(query("sink".into()), json(r#"{"limit": 3}"#).unchecked_into())).contains("limit"));
}

#[wasm_bindgen_test]
fn lone_surrogates_do_not_panic() {
    let c = default_classifier();
    // JSON.parse makes real JS strings holding unpaired UTF-16 surrogates.
    let q = json(r#"{"text": "stainless \ud800 steel \udfff sink"}"#);
    let r: JsValue = c.classify(query(q), no_options()).map_err(JsValue::from).unwrap().into();
    assert!(Array::is_array(&get(&r, "candidates")));
    let s = json(r#""\udbff""#);
    let _ = c.classify(query(s), no_options());
}

#[wasm_bindgen_test]
fn garbage_and_damaged_index_bytes_are_errors() {
    assert!(message(Classifier::new(&[])).contains("not a preclass index"));
    assert!(message(Classifier::new(b"garbage bytes that are not an index")).contains("not a preclass index"));
    let good = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/index/default.pcx"));
    assert!(message(Classifier::new(&good[..good.len() / 2])).contains("truncated"));
    let mut flipped = good.to_vec();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x10;
    assert!(message(Classifier::new(&flipped)).contains("checksum"));
    let mut newer = good.to_vec();
    newer[8] = newer[8].wrapping_add(1);
    assert!(message(Classifier::new(&newer)).contains("rebuild the index"));
}

#[wasm_bindgen_test]
fn lookup_returns_the_path_or_the_reason() {
    let c = default_classifier();
    let l: JsValue = c.lookup("8471").map_err(JsValue::from).unwrap().into();
    assert_eq!(get(&l, "code").as_string().unwrap(), "8471");
    assert!(Array::from(&get(&l, "children")).length() > 3);
    assert!(message(c.lookup("84x1")).contains("digits"));
    assert!(message(c.lookup("")).contains("empty"));
}

#[wasm_bindgen_test]
fn json_lines_match_the_cli_contract() {
    let c = default_classifier();
    let ok = c.answer_json_line(br#"{"id": 7, "text": "padlock"}"#, 1, 3);
    assert!(ok.starts_with(r#"{"id":7,"candidates":["#), "{ok}");
    let bad = c.answer_json_line(b"\xff\xfe", 2, 3);
    assert!(bad.contains(r#""line":2"#) && bad.contains("UTF-8"), "{bad}");
}
