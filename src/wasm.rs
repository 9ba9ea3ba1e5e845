//! The WebAssembly boundary: the only module that knows wasm-bindgen.
//!
//! One opaque [`Classifier`] handle owns a loaded [`Index`]; calls return
//! plain JSON-compatible JS objects with the same fields as the CLI's JSONL
//! output. Every error becomes a JS `Error` carrying the core's message.

use wasm_bindgen::prelude::*;

use crate::classify::{Options, Query};
use crate::format;
use crate::index::Index;

/// The default index, embedded at build time (built by `scripts/setup`).
static DEFAULT_INDEX: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/index/default.pcx"));

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A product to classify. Only `text` is required. */
export interface Query {
  /** Free-text product description, English or Chinese. */
  text: string;
  /** What it is made of, e.g. "stainless steel", "cotton 95%, elastane 5%". */
  material?: string;
  /** What it does, e.g. "keeps drinks hot". */
  function?: string;
  /** Intended use, e.g. "household", "for vehicles". */
  use?: string;
  /** Marketplace or ERP category, e.g. "Home & Garden > Kitchen". */
  category?: string;
  /** Other attributes; `true` or "yes" makes the attribute's name evidence ("knitted": true), `false` or "no" nothing; gender values such as "F", "male", "Boys" become the nomenclature's words. */
  attributes?: Record<string, string | number | boolean>;
}

/** Options of one classification. */
export interface ClassifyOptions {
  /** Number of candidates, 1 to 50 (default 5). */
  top?: number;
  /** The trade flow declared: alerts for it go to `alerts`, the other flow's to
   *  `alerts_other_direction` (default "export"). */
  direction?: 'export' | 'import';
}

/** A regulatory condition attached to a code (inherited by the codes below it). */
export interface Alert {
  /** "EU-CBAM", "EU-EUDR", "CN-监管条件", "CN-检验检疫". */
  scheme: string;
  /** The condition code within the scheme. */
  code: string;
  /** Title in English. */
  title: string;
  /** Title in Chinese. */
  title_zh: string;
  /** The trade flow it concerns. */
  direction: 'import' | 'export' | 'both';
  /** How much it matters. */
  severity: 'info' | 'required' | 'prohibited';
  /** The law or list and its edition. */
  source: string;
  /** The code it is attached to: the code itself, an ancestor, or a line below it. */
  attached_to: string;
  /** Present and true when only some lines under the code carry it. */
  partial?: boolean;
}

/** One step of a code's path. */
export interface PathStep {
  /** The code: 2 (chapter), 4 (heading), 6 (subheading) or 8 (CN8) digits. */
  code: string;
  /** Number of digits. */
  level: number;
  /** Official text of the code. */
  description: string;
  /** Chinese name, for chapters and headings that have one. */
  description_zh?: string;
}

/** One reason a candidate fits (or, with `against`, does not). */
export interface Evidence {
  /** The words of the query, as written. */
  term: string;
  /** Where they matched: "subheading", "heading", "chapter", "cn8", "lexicon", "history" or "inn_stem" (a drug name whose INN stem names its substance class). */
  field: string;
  /** The code whose text or lexicon entry matched. */
  code: string;
  /** The query field they came from: "text", "material", "function", "use", "category", "attributes", or "context" (the segment of a category path before its specific end). */
  from: string;
  /** Present and true when the words sit in an exclusion clause of that code. */
  against?: boolean;
}

/** A suggested HS6 code. */
export interface Candidate {
  /** The 6-digit code. */
  code: string;
  /** Number of digits (6). */
  level: number;
  /** Raw score; compare within one query only. */
  score: number;
  /** Estimated probability that the code is right, 0..1. */
  confidence: number;
  /** Official text of the code. */
  description: string;
  /** Chapter, heading and subheading with their texts. */
  path: PathStep[];
  /** The evidence: matched terms and where they matched. */
  why: Evidence[];
  /** Flags from the data sources ("EUDR", "CBAM"), when any. */
  flags?: string[];
  /** Regulatory alerts for the declared trade flow. */
  alerts: Alert[];
  /** Alerts that concern the other flow only, kept apart. */
  alerts_other_direction: Alert[];
}

/** One answer to a question, with the candidate codes it leads to. */
export interface Answer {
  /** The answer in English, e.g. "plastics". */
  answer: string;
  /** The answer in Chinese, e.g. "塑料". */
  answer_zh: string;
  /** Candidate codes that fit this answer, best first. */
  codes: string[];
}

/** A question whose answers tell the plausible candidates apart. */
export interface Question {
  /** "material", "knitted", "gender", "fibre", "power", "state" or "parts". */
  dimension: string;
  /** The question in English, e.g. "What is it made of?". */
  question: string;
  /** The question in Chinese. */
  question_zh: string;
  /** The possible answers. */
  options: Answer[];
}

/** The answer to `classify`. */
export interface Classification {
  /** Ranked candidates, best first. */
  candidates: Candidate[];
  /** Questions that tell the plausible candidates apart (may be empty). */
  questions: Question[];
  /** True when no candidate is confident enough to use without a person's review. */
  needs_review: boolean;
}

/** The answer to `lookup`. */
export interface Lookup {
  /** The code found (a prefix of the one asked for when `note` is set). */
  code: string;
  /** Number of digits. */
  level: number;
  /** Official text. */
  description: string;
  /** Section (roman numeral) and its title. */
  section: PathStep;
  /** Chapter down to the code itself. */
  path: PathStep[];
  /** Codes directly below. */
  children: PathStep[];
  /** Flags from the data sources ("EUDR", "CBAM"). */
  flags: string[];
  /** Regulatory alerts of the code, all directions. */
  alerts: Alert[];
  /** Set when a national code longer than the index's lines was asked for. */
  note?: string;
}

/** What an index says about itself. */
export interface IndexInfo {
  /** Nomenclature edition, e.g. "HS2022". */
  edition: string;
  /** The tool that built the index, e.g. "preclass 0.1.0". */
  generator: string;
  /** The index format version. */
  formatVersion: number;
  /** CRC-32 of the index body, 8 hex digits. */
  checksum: string;
  /** Data sources the index was built from. */
  sources: string[];
  /** Number of lexicon entries compiled in. */
  lexiconEntries: number;
  /** Number of company examples compiled in. */
  examples: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// A query object or a plain description string.
    #[wasm_bindgen(typescript_type = "Query | string")]
    pub type QueryArg;
    /// Classification options.
    #[wasm_bindgen(typescript_type = "ClassifyOptions | undefined")]
    pub type OptionsArg;
    /// A classification.
    #[wasm_bindgen(typescript_type = "Classification")]
    pub type ClassificationOut;
    /// A lookup answer.
    #[wasm_bindgen(typescript_type = "Lookup")]
    pub type LookupOut;
    /// Index metadata.
    #[wasm_bindgen(typescript_type = "IndexInfo")]
    pub type InfoOut;
}

#[wasm_bindgen(start)]
fn start() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// serde-wasm-bindgen only reads the fields it knows, so unknown keys are
/// checked here, with the list of allowed ones in the message.
fn reject_unknown(what: &str, value: &JsValue, allowed: &[&str]) -> Result<(), JsError> {
    let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
    for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        if !allowed.contains(&key.as_str()) {
            return Err(JsError::new(&format!(
                "bad {what}: unknown field `{key}`, expected one of {}",
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

const QUERY_FIELDS: &[&str] = &["text", "material", "function", "use", "category", "attributes"];
const OPTION_FIELDS: &[&str] = &["top", "direction"];

fn js_err(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

/// A classifier over one loaded index. Create it from index bytes, or from
/// the index embedded in the module with `Classifier.withDefaultIndex()`.
#[wasm_bindgen]
pub struct Classifier {
    index: Index,
}

#[wasm_bindgen]
impl Classifier {
    /// Loads an index from its bytes. Throws an `Error` saying what is wrong
    /// (not an index, wrong format version, truncated, corrupt).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Classifier, JsError> {
        Ok(Classifier { index: Index::from_bytes(bytes).map_err(js_err)? })
    }

    /// A classifier over the default index embedded in this module.
    #[wasm_bindgen(js_name = withDefaultIndex)]
    pub fn with_default_index() -> Result<Classifier, JsError> {
        Classifier::new(DEFAULT_INDEX)
    }

    /// Classifies a product: `query` is a description string or a `Query` object.
    pub fn classify(&self, query: QueryArg, options: OptionsArg) -> Result<ClassificationOut, JsError> {
        let query: JsValue = query.into();
        let query: Query = match query.as_string() {
            Some(text) => Query::text(text),
            None if query.is_object() && !js_sys::Array::is_array(&query) => {
                reject_unknown("query", &query, QUERY_FIELDS)?;
                serde_wasm_bindgen::from_value(query)
                    .map_err(|e| JsError::new(&format!("bad query: {e} (fields: {})", QUERY_FIELDS.join(", "))))?
            }
            None => return Err(JsError::new("bad query: pass a description string or an object with `text`")),
        };
        let options: JsValue = options.into();
        let options: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else if options.is_object() {
            reject_unknown("options", &options, OPTION_FIELDS)?;
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| JsError::new(&format!("bad options: {e} (fields: {})", OPTION_FIELDS.join(", "))))?
        } else {
            return Err(JsError::new("bad options: pass an object such as { top: 5 }"));
        };
        let result = self.index.classify(&query, &options).map_err(js_err)?;
        Ok(to_js(&result)?.unchecked_into())
    }

    /// Looks up a code: its path, text and children. Throws when the code is invalid.
    pub fn lookup(&self, code: &str) -> Result<LookupOut, JsError> {
        let result = self.index.lookup(code).map_err(js_err)?;
        Ok(to_js(&result)?.unchecked_into())
    }

    /// Answers one JSON Lines input line exactly as `preclass classify --jsonl`
    /// does (`lineNo` is 1-based). Never throws: errors become error objects.
    #[wasm_bindgen(js_name = answerJsonLine)]
    pub fn answer_json_line(&self, line: &[u8], line_no: u32, top: u32) -> String {
        crate::jsonl::answer_line(
            &self.index,
            line,
            line_no as usize,
            &Options { top: top as usize, ..Options::default() },
        )
    }

    /// What the index says about itself.
    pub fn info(&self) -> Result<InfoOut, JsError> {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Info<'a> {
            edition: &'a str,
            generator: &'a str,
            format_version: u32,
            checksum: String,
            sources: &'a [String],
            lexicon_entries: u32,
            examples: u32,
        }
        let m = self.index.meta();
        let info = Info {
            edition: &m.edition,
            generator: &m.generator,
            format_version: format::FORMAT_VERSION,
            checksum: format!("{:08x}", self.index.checksum()),
            sources: &m.sources,
            lexicon_entries: m.lexicon_entries,
            examples: m.examples,
        };
        Ok(to_js(&info)?.unchecked_into())
    }
}

/// The index format version this module reads.
#[wasm_bindgen(js_name = formatVersion)]
pub fn format_version() -> u32 {
    format::FORMAT_VERSION
}

/// This module's generator label, e.g. "preclass 0.1.0".
#[wasm_bindgen]
pub fn generator() -> String {
    format::GENERATOR.to_string()
}
