//! # preclass
//!
//! HS code pre-classification that runs where the product data is: in the
//! browser (through the `wasm` module), in a native CLI, or as a Rust library.
//! A description such as "stainless steel kitchen sink" or "女士针织毛衣"
//! goes in; ranked Harmonized System subheadings come out, each with a
//! confidence, its chapter > heading > subheading path, and the evidence
//! that made it fit.
//!
//! ```no_run
//! use preclass::{Index, Options, Query};
//! let bytes = std::fs::read("data/index/default.pcx").unwrap();
//! let index = Index::from_bytes(&bytes)?;
//! let result = index.classify(&Query::text("stainless steel kitchen sink"), &Options::default())?;
//! for c in &result.candidates {
//!     println!("{} {:.2} {}", c.code, c.confidence, c.description);
//! }
//! # Ok::<(), preclass::Error>(())
//! ```
//!
//! ## Layout
//! The core does no I/O and knows nothing of wasm or the command line: it
//! reads byte slices and writes into `io::Write`.
//! - [`normalize`]: text to terms (NFKC, case folding, US/UK spelling,
//!   English stemming, numbers and units, CJK unigrams and bigrams);
//! - [`nomenclature`]: the HS tree (sections to CN8 lines) read from the
//!   upstream data packages;
//! - [`lexicon`]: the team's commercial-term lexicon files;
//! - [`builder`]: nomenclature + lexicon (+ a company's examples) to an index;
//! - [`mod@format`]: the binary index layout, shared by writer and reader;
//! - [`index`]: a loaded index and code lookup;
//! - [`classify`]: scoring and explanations;
//! - [`stems`]: drug substances named by their INN stem;
//! - [`materials`]: families of articles placed by material (3924 vs 7323);
//! - [`jsonl`]: the JSON Lines contract shared by the CLI and wasm;
//! - `wasm` (wasm32 only): the thin wasm-bindgen boundary, the only module
//!   that imports wasm-bindgen.
//!
//! ## Quirks
//! - Loading checks magic, version, lengths, checksum and consistency in
//!   that order; every failure is a typed [`Error`] saying how to fix it.
//! - Scores compare candidates within one query only; `confidence` is the
//!   number to show people.
#![deny(missing_docs)]

pub mod alerts;
pub mod audit;
pub mod builder;
pub mod classify;
pub mod error;
pub mod format;
pub mod index;
pub mod jsonl;
pub mod lexicon;
pub mod materials;
pub mod nomenclature;
pub mod normalize;
pub mod questions;
pub mod regulatory;
pub mod stems;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use classify::{Candidate, Classification, Evidence, Options, Query};
pub use error::Error;
pub use index::{Index, Lookup};
