//! Drug substances recognised by their INN stem.
//!
//! International Nonproprietary Names are built from stems that say what
//! class a substance belongs to ("amoxicillin" is a penicillin, "omeprazole" a
//! benzimidazole proton pump inhibitor), and the class says where the
//! substance falls in HS chapter 29 (or 28, 30). Ruling texts and product
//! lists name drugs by INN alone, words no nomenclature text contains, so the
//! stems in `data/inn_stems.tsv` are evidence for the codes of their class.

use std::sync::OnceLock;

use crate::error::Error;
use crate::lexicon::{line_error, tsv_rows};

const INN_STEMS_TSV: &str = include_str!("../data/inn_stems.tsv");

/// Letters a word needs besides its stem ("april" is not an ACE inhibitor).
const MIN_EXTRA_LETTERS: usize = 2;

/// Words that end like a stem but are not drugs of its class: aroma
/// chemicals, an alkaloid, a steroid that is not a beta blocker.
const NOT_STEMMED: [&str; 5] = ["magnolol", "santalol", "stanozolol", "cocaine", "heliotropin"];

/// One line of the stem table.
#[derive(Debug, Clone, PartialEq)]
pub struct Stem {
    /// The stem without its hyphen ("cillin", "cef").
    pub stem: String,
    /// True for a prefix stem (`cef-`), false for a suffix stem (`-cillin`).
    pub prefix: bool,
    /// The HS code (4 or 6 digits) of the substance class.
    pub code: String,
    /// Share of the evidence for this code, in (0, 1].
    pub weight: f32,
    /// The substance class, for explanations.
    pub class: String,
}

impl Stem {
    /// True when `word` (lower case, as written) is a name with this stem.
    pub fn matches(&self, word: &str) -> bool {
        word.len() >= self.stem.len() + MIN_EXTRA_LETTERS
            && word.bytes().all(|b| b.is_ascii_lowercase())
            && !NOT_STEMMED.contains(&word)
            && if self.prefix { word.starts_with(&self.stem) } else { word.ends_with(&self.stem) }
    }
}

/// Parses a stem table: `stem<TAB>code<TAB>weight<TAB>class`, `#` comments.
pub fn parse(source: &str, text: &str) -> Result<Vec<Stem>, Error> {
    let err = |line: usize, message: String| line_error(source, line, message);
    let mut out = Vec::new();
    for (n, cols) in tsv_rows(text) {
        let [stem, code, weight, class] = cols[..] else {
            return Err(err(n, format!("expected 4 tab-separated columns, found {}", cols.len())));
        };
        let (bare, prefix) = match (stem.strip_prefix('-'), stem.strip_suffix('-')) {
            (Some(s), None) => (s, false),
            (None, Some(s)) => (s, true),
            _ => return Err(err(n, format!("stem {stem:?} must start (suffix) or end (prefix) with one hyphen"))),
        };
        if bare.len() < 3 || !bare.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(err(n, format!("stem {stem:?} must be at least 3 lower-case letters")));
        }
        if !matches!(code.len(), 4 | 6) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(n, format!("code {code:?} must be 4 or 6 digits")));
        }
        let weight: f32 = match weight.parse() {
            Ok(w) if w > 0.0 && w <= 1.0 => w,
            _ => return Err(err(n, format!("weight {weight:?} must be a number in (0, 1]"))),
        };
        out.push(Stem { stem: bare.into(), prefix, code: code.into(), weight, class: class.trim().into() });
    }
    Ok(out)
}

/// The built-in stem table (`data/inn_stems.tsv`).
pub fn builtin() -> &'static [Stem] {
    static STEMS: OnceLock<Vec<Stem>> = OnceLock::new();
    // The table is compiled in and a unit test parses it, so this cannot fail
    // in a released build; an empty table would only disable the cue.
    STEMS.get_or_init(|| parse("data/inn_stems.tsv", INN_STEMS_TSV).unwrap_or_default())
}

/// The stems a word carries, most specific (longest) first within each code.
pub fn of_word(word: &str) -> Vec<&'static Stem> {
    let mut found: Vec<&Stem> = builtin().iter().filter(|s| s.matches(word)).collect();
    // "-virine" and "-vir" both match "rilpivirine": keep the longest stem only.
    let longest = found.iter().map(|s| s.stem.len()).max().unwrap_or(0);
    found.retain(|s| s.stem.len() == longest);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses() {
        let stems = parse("data/inn_stems.tsv", INN_STEMS_TSV).unwrap();
        assert!(stems.len() >= 80, "{}", stems.len());
        assert_eq!(builtin().len(), stems.len());
    }

    #[test]
    fn drug_names_carry_their_class() {
        let codes = |w: &str| of_word(w).iter().map(|s| s.code.as_str()).collect::<Vec<_>>();
        assert_eq!(codes("amoxicillin"), ["294110"]);
        assert_eq!(codes("ceftriaxone"), ["294190"]);
        assert_eq!(codes("omeprazole"), ["293339"]);
        assert_eq!(codes("adalimumab"), ["3002"]);
        assert_eq!(codes("rilpivirine"), ["2933"], "the longer stem -virine wins over -vir");
        assert_eq!(codes("pentoxifylline"), ["293959"]);
    }

    #[test]
    fn ordinary_words_are_not_drugs() {
        for w in [
            "april",
            "equine",
            "magazine",
            "concept",
            "cholesterol",
            "nib",
            "planer",
            "Amoxicillin",
            "x-vir",
            "provolone",
            "piperazine",
            "simazine",
            "histidine",
            "heliotropin",
            "nystatin",
            "dapsone",
            "ubidecarenone",
            "hydronic",
            "precipitant",
            "magnolol",
            "santalol",
            "cocaine",
        ] {
            assert!(of_word(w).is_empty(), "{w}");
        }
    }

    #[test]
    fn malformed_tables_are_typed_errors_with_line_numbers() {
        for bad in [
            "cillin\t294110\t1\tx",
            "-cillin\t2941\t0\tx",
            "-cillin\t29411\t1\tx",
            "-cillin\t294110\t1",
            "-Ab\t3002\t1\tx",
        ] {
            match parse("t.tsv", &format!("# c\n{bad}\n")) {
                Err(Error::Data(d)) => assert_eq!(d.line, Some(2), "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
