//! Families of articles the nomenclature places by material.
//!
//! A bowl is 3924 in plastics, 6911 in porcelain, 7013 in glass and 7323 in
//! steel; a pipe is 3917, 4009, 7306 or 7411. Lexicon phrases name the goods
//! ("drinking glasses", "water bottle") and often point at one material's
//! heading, so a query that names another material ("plastic drinking
//! glasses") needs the evidence moved to the same family in the material it
//! names. `data/materials.tsv` lists the words that name each material and
//! the codes of each family in each material's chapter.

use std::sync::OnceLock;

use crate::error::Error;
use crate::lexicon::{line_error, tsv_rows};
use crate::normalize::Unit;

const MATERIALS_TSV: &str = include_str!("../data/materials.tsv");

/// One family of articles in one material: the codes it has there.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// The family ("household", "pipe", ...).
    pub family: String,
    /// Index into [`Table::materials`].
    pub material: usize,
    /// Its codes (4 or 6 digits); the first is where evidence goes when none
    /// of them has evidence of its own.
    pub codes: Vec<String>,
}

/// The parsed material table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Material names, in the order of their `word` lines.
    pub materials: Vec<String>,
    /// (word, material): English words as written in lower case, Chinese words.
    pub words: Vec<(String, usize)>,
    /// Every family line.
    pub families: Vec<Family>,
}

fn is_code(c: &str) -> bool {
    matches!(c.len(), 4 | 6) && c.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a material table (see `data/materials.tsv` for the format).
pub fn parse(source: &str, text: &str) -> Result<Table, Error> {
    let err = |line: usize, message: String| line_error(source, line, message);
    let mut t = Table::default();
    for (n, cols) in tsv_rows(text) {
        match cols[..] {
            ["word", material, words] => {
                if t.materials.iter().any(|m| m == material) {
                    return Err(err(n, format!("material {material:?} has a second word line")));
                }
                t.materials.push(material.to_string());
                let m = t.materials.len() - 1;
                for w in words.split_whitespace() {
                    if w.chars().any(char::is_uppercase) {
                        return Err(err(n, format!("word {w:?} must be lower case")));
                    }
                    if let Some((_, other)) = t.words.iter().find(|(x, _)| x == w) {
                        return Err(err(n, format!("word {w:?} already names {}", t.materials[*other])));
                    }
                    t.words.push((w.to_string(), m));
                }
            }
            ["family", family, material, codes] => {
                let Some(m) = t.materials.iter().position(|x| x == material) else {
                    return Err(err(n, format!("material {material:?} has no word line above")));
                };
                let codes: Vec<String> = codes.split_whitespace().map(String::from).collect();
                if let Some(bad) = codes.iter().find(|c| !is_code(c)) {
                    return Err(err(n, format!("code {bad:?} must be 4 or 6 digits")));
                }
                if codes.is_empty() {
                    return Err(err(n, "a family line needs at least one code".into()));
                }
                if t.families.iter().any(|f| f.family == family && f.material == m) {
                    return Err(err(n, format!("family {family:?} has a second line for {material}")));
                }
                t.families.push(Family { family: family.to_string(), material: m, codes });
            }
            _ => {
                return Err(err(
                    n,
                    "expected `word<TAB>material<TAB>words` or `family<TAB>name<TAB>material<TAB>codes`".into(),
                ))
            }
        }
    }
    Ok(t)
}

/// The built-in table (`data/materials.tsv`).
pub fn builtin() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    // The table is compiled in and a unit test parses it, so this cannot fail
    // in a released build; an empty table would only disable the move.
    TABLE.get_or_init(|| parse("data/materials.tsv", MATERIALS_TSV).unwrap_or_default())
}

impl Table {
    /// The first material the units name. In a description (`goods_last`)
    /// an English word counts unless it is the last unit (then it names the
    /// goods: "wine glass"); in a material field it counts anywhere. A
    /// Chinese word counts as consecutive characters anywhere.
    pub fn named_in(&self, units: &[Unit], goods_last: bool) -> Option<usize> {
        for (k, u) in units.iter().enumerate() {
            for (w, m) in &self.words {
                let found = if u.cjk {
                    // Consecutive CJK units, one character each, spell the word.
                    !w.is_ascii()
                        && units.get(k..k + w.chars().count()).is_some_and(|span| {
                            span.iter().zip(w.chars()).all(|(x, c)| x.cjk && x.norm.chars().eq(std::iter::once(c)))
                        })
                } else {
                    (!goods_last || k + 1 < units.len()) && u.surface == *w
                };
                if found {
                    return Some(*m);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::analyze;

    fn named(text: &str) -> Option<&'static str> {
        let t = builtin();
        t.named_in(&analyze(text).units, true).map(|m| t.materials[m].as_str())
    }

    #[test]
    fn the_builtin_table_parses_and_every_family_has_plastics_and_steel_or_metal() {
        let t = parse("data/materials.tsv", MATERIALS_TSV).unwrap();
        assert_eq!(builtin(), &t);
        assert!(t.materials.len() >= 8);
        let mut names: Vec<&str> = t.families.iter().map(|f| f.family.as_str()).collect();
        names.dedup();
        for name in names {
            let count = t.families.iter().filter(|f| f.family == name).count();
            assert!(count >= 2, "family {name} has one material: nothing to move between");
        }
    }

    #[test]
    fn the_first_material_named_counts_and_the_last_word_is_the_goods() {
        assert_eq!(named("plastic wine glass"), Some("plastics"));
        assert_eq!(named("wine glass"), None, "the last word names the goods");
        assert_eq!(named("glass bowl with plastic lid"), Some("glass"));
        assert_eq!(named("stainless steel water bottle"), Some("steel"));
        assert_eq!(named("steam iron"), None);
        assert_eq!(named("不锈钢保温杯"), Some("steel"));
        assert_eq!(named("陶瓷马克杯"), Some("ceramic"));
        assert_eq!(named("钢琴"), None, "a character of a material word is not the word");
        assert_eq!(named("cotton t-shirt"), None);
        let t = builtin();
        assert_eq!(t.named_in(&analyze("Ceramic").units, false).map(|m| t.materials[m].as_str()), Some("ceramic"));
    }

    #[test]
    fn malformed_tables_are_typed_errors_with_line_numbers() {
        for bad in [
            "family\tx\tplastics\t3924",
            "word\tplastics\tPlastic",
            "word\tplastics\tplastic\nword\tplastics\tpvc",
            "word\tplastics\tplastic\nword\tsteel\tplastic",
            "word\tplastics\tplastic\nfamily\tx\tplastics\t39245",
            "word\tplastics\tplastic\nfamily\tx\tplastics\t",
            "word\tplastics\tplastic\nfamily\tx\tplastics\t3924\nfamily\tx\tplastics\t3926",
            "other\tx\ty",
        ] {
            let lines = bad.lines().count();
            match parse("t.tsv", &format!("# c\n{bad}\n")) {
                Err(Error::Data(d)) => assert_eq!(d.line, Some(lines + 1), "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
