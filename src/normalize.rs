//! Text normalization shared by the index builder and the query side.
//!
//! Both sides must agree byte for byte, so everything that turns text into
//! terms lives here: NFKC, lower-casing, US/UK spelling folding, English
//! stemming, stop words, numbers and units, and Chinese (CJK) characters.
//!
//! Two views of a text are produced:
//! - [`Analyzed::terms`]: the bag of index terms (stemmed words, numbers,
//!   CJK unigrams and bigrams) used for scoring;
//! - [`Analyzed::units`]: the ordered sequence of stemmed words and single CJK
//!   characters, used to match multi-word lexicon phrases.
//!
//! Changing anything here changes the index: bump
//! [`crate::format::FORMAT_VERSION`] with it.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Words that carry no classification evidence in nomenclature or queries.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or",
    "such", "that", "the", "their", "them", "these", "this", "those", "to", "whether", "which", "with", "s", "etc",
    "no", "nos", "eg", "ie", "thereof", "being",
];

/// US/UK spelling variants, folded before stemming (see `data/spelling.tsv`).
const SPELLING_TSV: &str = include_str!("../data/spelling.tsv");

fn spelling() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        SPELLING_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (a.trim(), b.trim()))
            .collect()
    })
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// True for the CJK ideographs that are indexed as characters.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF)
}

/// One unit of a text: a stemmed word, a number/unit token or a CJK character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The normalized form that is matched (stemmed word, number, or one CJK character).
    pub norm: String,
    /// The form as written in the input (after NFKC and lower-casing), for explanations.
    pub surface: String,
    /// Byte offset of the unit in the normalized text.
    pub start: usize,
    /// True for CJK characters.
    pub cjk: bool,
    /// A stop word or a list separator (`,` `;` `(` `)` `/` `&` `+`) stands
    /// between this unit and the one before: a phrase boundary.
    pub after_break: bool,
}

impl Unit {
    /// True when this unit was written right after `prev`, with nothing
    /// between them (CJK characters of one run).
    pub fn follows(&self, prev: &Unit) -> bool {
        self.start == prev.start + prev.norm.len()
    }
}

/// The result of analysing one text.
#[derive(Debug, Clone, Default)]
pub struct Analyzed {
    /// Ordered units (stop words removed).
    pub units: Vec<Unit>,
    /// Index terms: each non-CJK unit, each CJK character and each CJK bigram,
    /// with the index of the unit they start at.
    pub terms: Vec<(String, usize)>,
}

/// NFKC-normalizes and lower-cases a text.
pub fn fold(text: &str) -> String {
    // Typographic apostrophes ("women’s") are apostrophes.
    text.nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}') { '\'' } else { c })
        .collect()
}

/// Stems one lower-case word after spelling folding. Pure digits and
/// digit-letter mixes (`16gb`, `5mm`, `8471`) are kept as they are.
pub fn stem_word(word: &str) -> String {
    let word = spelling().get(word).copied().unwrap_or(word);
    if word.chars().any(|c| c.is_ascii_digit()) || !word.chars().all(|c| c.is_alphabetic()) {
        return word.to_string();
    }
    stemmer().stem(word).into_owned()
}

/// True if the (lower-case, unstemmed) word is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Single Latin letters and bare numbers stay units, so phrases such as
/// "t-shirt", "o-ring", "vitamin c" and "18650 battery" match, but they are
/// not index terms: alone ("w_rompers", "0.50%", "pack of 4") they carry no
/// evidence. Numbers with units ("16gb", "5mm") remain terms.
fn is_phrase_only(u: &Unit) -> bool {
    (u.norm.len() == 1 && u.norm.bytes().all(|b| b.is_ascii_alphabetic()))
        || (!u.norm.is_empty() && u.norm.bytes().all(|b| b.is_ascii_digit()))
}

/// Analyses a text into units and index terms.
pub fn analyze(text: &str) -> Analyzed {
    let folded = fold(text);
    let mut units = Vec::new();
    let mut word_start: Option<usize> = None;
    let mut broken = false;
    let flush = |units: &mut Vec<Unit>, broken: &mut bool, start: usize, end: usize| {
        let w = &folded[start..end];
        // Apostrophes inside words ("women's") and trailing ones ("girls'") are dropped.
        let w = w.trim_matches('\'');
        let w: String = w.split('\'').next().unwrap_or("").to_string();
        if w.is_empty() {
            return;
        }
        if is_stop_word(&w) {
            *broken = true;
            return;
        }
        units.push(Unit { norm: stem_word(&w), surface: w, start, cjk: false, after_break: std::mem::take(broken) });
    };
    for (i, c) in folded.char_indices() {
        if is_cjk(c) {
            if let Some(s) = word_start.take() {
                flush(&mut units, &mut broken, s, i);
            }
            let after_break = std::mem::take(&mut broken);
            units.push(Unit { norm: c.to_string(), surface: c.to_string(), start: i, cjk: true, after_break });
        } else if c.is_alphanumeric() || (c == '\'' && word_start.is_some()) {
            if word_start.is_none() {
                word_start = Some(i);
            }
        } else {
            if let Some(s) = word_start.take() {
                flush(&mut units, &mut broken, s, i);
            }
            broken |= matches!(c, ',' | ';' | '(' | ')' | '/' | '&' | '+' | '，' | '、' | '；' | '（' | '）');
        }
    }
    if let Some(s) = word_start.take() {
        flush(&mut units, &mut broken, s, folded.len());
    }
    let mut terms = Vec::with_capacity(units.len() * 2);
    for (i, u) in units.iter().enumerate() {
        if is_phrase_only(u) {
            // "t-shirt", "o-ring", "x-ray": the compound is a term ("tshirt").
            if let Some(next) = units.get(i + 1) {
                if !next.cjk && next.start == u.start + 2 && folded.as_bytes().get(u.start + 1) == Some(&b'-') {
                    terms.push((stem_word(&format!("{}{}", u.surface, next.surface)), i));
                }
            }
            continue;
        }
        terms.push((u.norm.clone(), i));
        if u.cjk {
            if let Some(next) = units.get(i + 1) {
                // A bigram only joins characters that were adjacent in the text.
                if next.cjk && next.follows(u) {
                    terms.push((format!("{}{}", u.norm, next.norm), i));
                }
            }
        }
    }
    Analyzed { units, terms }
}

/// The key under which a phrase is stored in the phrase dictionary: its
/// units joined by single spaces (CJK characters joined without space).
pub fn phrase_key(units: &[Unit]) -> String {
    let mut key = String::new();
    for (i, u) in units.iter().enumerate() {
        if i > 0 && !(u.cjk && units[i - 1].cjk) {
            key.push(' ');
        }
        key.push_str(&u.norm);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(t: &str) -> Vec<String> {
        analyze(t).units.into_iter().map(|u| u.norm).collect()
    }

    #[test]
    fn nfkc_and_case_folding_meet() {
        // Full-width letters and digits fold to ASCII, upper to lower case.
        assert_eq!(norms("ＬＥＤ Ｌａｍｐ"), norms("led lamp"));
        assert_eq!(norms("STAINLESS Steel"), vec!["stainless", "steel"]);
    }

    #[test]
    fn plurals_and_us_uk_spellings_meet() {
        assert_eq!(norms("aluminum tires"), norms("aluminium tyre"));
        assert_eq!(norms("jewelry"), norms("jewellery"));
        assert_eq!(norms("sulfur"), norms("sulphur"));
        assert_eq!(norms("bottles"), norms("bottle"));
    }

    #[test]
    fn numbers_and_units_are_kept_whole() {
        assert_eq!(norms("16GB 5mm 8471"), vec!["16gb", "5mm", "8471"]);
        let terms: Vec<String> = analyze("16GB 5mm 8471").terms.into_iter().map(|(t, _)| t).collect();
        assert_eq!(terms, ["16gb", "5mm"], "bare numbers are phrase units, not terms");
    }

    #[test]
    fn single_letters_are_phrase_units_but_not_terms() {
        let a = analyze("T-shirt w_rompers");
        let units: Vec<&str> = a.units.iter().map(|u| u.norm.as_str()).collect();
        assert_eq!(units, ["t", "shirt", "w", "romper"]);
        let terms: Vec<&str> = a.terms.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(terms, ["tshirt", "shirt", "romper"]);
        assert_eq!(analyze("tshirts").terms[0].0, "tshirt");
        assert_eq!(phrase_key(&analyze("o-ring").units), "o ring");
    }

    #[test]
    fn stop_words_and_possessives_are_dropped() {
        assert_eq!(norms("women's or girls' suits of wool"), vec!["women", "girl", "suit", "wool"]);
        assert_eq!(norms("woman’s blazer"), norms("women's blazer"), "typographic apostrophe, singular");
        assert_eq!(norms("ladies mens"), vec!["women", "men"]);
    }

    #[test]
    fn cjk_text_gives_unigrams_and_adjacent_bigrams() {
        let a = analyze("保温杯 锂电");
        let terms: Vec<&str> = a.terms.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(terms, vec!["保", "保温", "温", "温杯", "杯", "锂", "锂电", "电"]);
        // No bigram across the space between 杯 and 锂.
        assert!(!terms.contains(&"杯锂"));
    }

    #[test]
    fn mixed_scripts_split_at_the_boundary() {
        assert_eq!(norms("LED灯"), vec!["led", "灯"]);
    }

    #[test]
    fn phrase_keys_join_words_with_spaces_and_cjk_without() {
        assert_eq!(phrase_key(&analyze("Kitchen Sinks").units), "kitchen sink");
        assert_eq!(phrase_key(&analyze("不锈钢 保温杯").units), "不锈钢保温杯");
        assert_eq!(phrase_key(&analyze("usb 数据线").units), "usb 数据线");
    }

    #[test]
    fn empty_and_symbol_only_text_has_no_units() {
        assert!(analyze("").units.is_empty());
        assert!(analyze(" --- ;; \u{0} \u{FFFD} ").units.is_empty());
    }
}
