//! The team's commercial-term lexicon: reviewable TSV files, one per chapter
//! (`data/lexicon/84.tsv`), one entry per line:
//!
//! ```text
//! # term → lang → code → weight → note
//! gaming laptop → en → 847130
//! 保温杯 → zh → 961700
//! phone case → en → 392690 → 0.5 → cases go by material: plastic 3926, leather 4202; not 8517
//! ```
//!
//! (→ stands for a tab.) `term` is what buyers and sellers write, `lang` is `en` or `zh`, `code` an
//! HS heading (4 digits) or subheading (6 digits), `weight` (0, 1] defaults to
//! 1, `note` says why (required when the code lies outside the file's chapter).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{DataError, Error};

/// One lexicon line.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The commercial term.
    pub term: String,
    /// `en` or `zh`.
    pub lang: String,
    /// Target code, 4 or 6 digits.
    pub code: String,
    /// Strength of the evidence, in (0, 1].
    pub weight: f32,
    /// Reviewer's note.
    pub note: String,
    /// File the entry came from.
    pub source: String,
    /// Line in that file.
    pub line: usize,
}

/// The data lines of a tab-separated file: (1-based line number, columns),
/// skipping blank lines and `#` comments.
pub(crate) fn tsv_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, raw)| !raw.trim().is_empty() && !raw.starts_with('#'))
        .map(|(i, raw)| (i + 1, raw.split('\t').collect()))
}

/// A data error at a line of a source file.
pub(crate) fn line_error(source: &str, line: usize, message: String) -> Error {
    Error::Data(DataError { source: source.to_string(), line: Some(line), message })
}

/// Parses one lexicon file. `source` names it in errors (e.g. `84.tsv`).
pub fn parse(source: &str, bytes: &[u8]) -> Result<Vec<Entry>, Error> {
    let err = |line: usize, message: String| line_error(source, line, message);
    let text = std::str::from_utf8(bytes).map_err(|e| err(0, format!("not UTF-8: {e}")))?;
    let mut out = Vec::new();
    for (line, cols) in tsv_rows(text) {
        if !(3..=5).contains(&cols.len()) {
            return Err(err(
                line,
                format!("expected 3 to 5 tab-separated columns (term, lang, code, weight, note), found {}", cols.len()),
            ));
        }
        let term = cols[0].trim();
        if term.is_empty() {
            return Err(err(line, "empty term".into()));
        }
        let lang = cols[1].trim();
        if lang != "en" && lang != "zh" {
            return Err(err(line, format!("language must be `en` or `zh`, found {lang:?}")));
        }
        let code = cols[2].trim();
        if !(code.len() == 4 || code.len() == 6) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(line, format!("code must have 4 or 6 digits, found {code:?}")));
        }
        let weight = match cols.get(3).map(|w| w.trim()).filter(|w| !w.is_empty()) {
            None => 1.0,
            Some(w) => match w.parse::<f32>() {
                Ok(x) if x > 0.0 && x <= 1.0 => x,
                _ => return Err(err(line, format!("weight must be a number in (0, 1], found {w:?}"))),
            },
        };
        out.push(Entry {
            term: term.to_string(),
            lang: lang.to_string(),
            code: code.to_string(),
            weight,
            note: cols.get(4).map(|n| n.trim().to_string()).unwrap_or_default(),
            source: source.to_string(),
            line,
        });
    }
    Ok(out)
}

/// An official-register name of a chapter or heading in another language
/// (`data/names/zh/NN.tsv`: `code<TAB>name`, one per line).
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// Chapter (2 digits) or heading (4 digits).
    pub code: String,
    /// Language of the name (`zh`).
    pub lang: String,
    /// The name.
    pub text: String,
    /// File the name came from.
    pub source: String,
    /// Line in that file.
    pub line: usize,
}

/// Parses one names file.
pub fn parse_names(source: &str, lang: &str, bytes: &[u8]) -> Result<Vec<Name>, Error> {
    let err =
        |line: usize, message: String| Error::Data(DataError { source: source.to_string(), line: Some(line), message });
    let text = std::str::from_utf8(bytes).map_err(|e| err(0, format!("not UTF-8: {e}")))?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let Some((code, name)) = raw.split_once('\t') else {
            return Err(err(i + 1, "expected `code<TAB>name`".into()));
        };
        let code = code.trim();
        if !(code.len() == 2 || code.len() == 4) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(
                i + 1,
                format!("names are for chapters (2 digits) and headings (4 digits), found {code:?}"),
            ));
        }
        if name.trim().is_empty() || name.contains('\t') {
            return Err(err(i + 1, "expected one name after the code".into()));
        }
        out.push(Name {
            code: code.into(),
            lang: lang.into(),
            text: name.trim().into(),
            source: source.into(),
            line: i + 1,
        });
    }
    Ok(out)
}

/// Checks names: every code exists, none twice, and (returned) the chapters
/// and headings still without a name.
pub fn check_names(names: &[Name], codes: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for n in names {
        if !codes.contains(&n.code) {
            errors.push(format!("{}:{}: {} is not a chapter or heading", n.source, n.line, n.code));
        } else if !seen.insert(n.code.as_str()) {
            errors.push(format!("{}:{}: a second name for {}", n.source, n.line, n.code));
        }
    }
    let missing = codes
        .iter()
        .filter(|c| (c.len() == 2 || c.len() == 4) && !c.starts_with("99") && !seen.contains(c.as_str()))
        .cloned()
        .collect();
    (errors, missing)
}

/// What `preclass lexicon check` reports.
#[derive(Debug, Default, Clone)]
pub struct CheckReport {
    /// Problems that make the lexicon wrong: unknown codes, duplicates, unexplained cross-chapter terms.
    pub errors: Vec<String>,
    /// Number of entries per language.
    pub entries: BTreeMap<String, usize>,
    /// Headings with fewer than the minimum terms, per language.
    pub thin_headings: BTreeMap<String, Vec<String>>,
    /// Headings checked.
    pub headings: usize,
    /// Subheadings with at least one term targeting them directly.
    pub subheadings_covered: usize,
    /// Subheadings in the nomenclature.
    pub subheadings: usize,
}

/// Checks entries against the set of valid codes: every target exists,
/// no (term, lang, code) repeats within a file (nor across files unless one
/// of the two carries a note), and a term that points into several
/// chapters carries a note on every entry outside the file's own chapter.
/// `min_terms` gives the per-language minimum per heading for the coverage report.
pub fn check(entries: &[Entry], codes: &BTreeSet<String>, min_terms: &[(&str, usize)]) -> CheckReport {
    let mut report = CheckReport::default();
    // (term, lang, code) -> (file, has note) of its first occurrence
    let mut seen: BTreeMap<(&str, &str, &str), (&str, bool)> = BTreeMap::new();
    let mut chapters_of: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    let mut per_heading: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut covered6 = BTreeSet::new();
    for e in entries {
        let at = format!("{}:{}", e.source, e.line);
        *report.entries.entry(e.lang.clone()).or_default() += 1;
        if !codes.contains(&e.code) {
            report.errors.push(format!("{at}: {} is not a code of the nomenclature ({:?})", e.code, e.term));
            continue;
        }
        // The same entry twice in one file is a slip; in two files it is a
        // deliberate pointer ("goods often misplaced go here") when either carries a note.
        let key = (e.term.as_str(), e.lang.as_str(), e.code.as_str());
        match seen.get(&key) {
            Some(&(file, noted)) if file == e.source || (!noted && e.note.is_empty()) => {
                report.errors.push(format!("{at}: duplicate entry {:?} -> {} (first in {file})", e.term, e.code));
            }
            Some(_) => {}
            None => {
                seen.insert(key, (e.source.as_str(), !e.note.is_empty()));
            }
        }
        let file_chapter = e.source.trim_end_matches(".tsv");
        let file_chapter = file_chapter.rsplit('/').next().unwrap_or(file_chapter);
        if file_chapter.len() == 2 && !e.code.starts_with(file_chapter) && e.note.is_empty() {
            report
                .errors
                .push(format!("{at}: {:?} points outside chapter {file_chapter} ({}) without a note", e.term, e.code));
        }
        if e.note.is_empty() {
            chapters_of.entry((e.term.as_str(), e.lang.as_str())).or_default().insert(&e.code[..2]);
        }
        *per_heading.entry((&e.code[..4], e.lang.as_str())).or_default() += 1;
        if e.code.len() == 6 {
            covered6.insert(e.code.as_str());
        }
    }
    for ((term, lang), chapters) in &chapters_of {
        if chapters.len() > 1 {
            let list: Vec<&str> = chapters.iter().copied().collect();
            report.errors.push(format!(
                "{term:?} ({lang}) maps to chapters {} without a note saying how to tell them apart",
                list.join(", ")
            ));
        }
    }
    for code in codes.iter().filter(|c| c.len() == 4 && c.as_str() != "9999") {
        report.headings += 1;
        for (lang, min) in min_terms {
            if per_heading.get(&(code.as_str(), *lang)).copied().unwrap_or(0) < *min {
                report.thin_headings.entry(lang.to_string()).or_default().push(code.clone());
            }
        }
    }
    report.subheadings = codes.iter().filter(|c| c.len() == 6 && c.as_str() != "999999").count();
    report.subheadings_covered = covered6.len();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_with_optional_weight_and_note() {
        let text =
            "# comment\nlaptop\ten\t847130\n保温杯\tzh\t961700\t0.8\nphone case\ten\t392690\t0.5\tgoes by material\n";
        let e = parse("84.tsv", text.as_bytes()).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!((e[0].weight, e[0].line), (1.0, 2));
        assert_eq!(e[1].weight, 0.8);
        assert_eq!(e[2].note, "goes by material");
    }

    #[test]
    fn bad_lines_are_reported_with_file_and_line() {
        for (text, needle) in [
            ("laptop\tfr\t847130\n", "language"),
            ("laptop\ten\t84713\n", "4 or 6 digits"),
            ("laptop\ten\t847130\t1.5\n", "weight"),
            ("laptop 847130\n", "columns"),
        ] {
            let msg = parse("84.tsv", text.as_bytes()).unwrap_err().to_string();
            assert!(msg.starts_with("84.tsv: line 1:") && msg.contains(needle), "{msg}");
        }
    }

    #[test]
    fn names_parse_and_check() {
        let names =
            parse_names("84.tsv", "zh", "# c\n84\t机器\n8471\t自动数据处理设备\n8499\t无\n".as_bytes()).unwrap();
        assert_eq!(names.len(), 3);
        let codes: BTreeSet<String> = ["84", "8471", "8472"].iter().map(|s| s.to_string()).collect();
        let (errors, missing) = check_names(&names, &codes);
        assert_eq!(errors, vec!["84.tsv:4: 8499 is not a chapter or heading".to_string()]);
        assert_eq!(missing, vec!["8472".to_string()]);
        assert!(parse_names("x.tsv", "zh", b"847130\tname\n").is_err());
    }

    #[test]
    fn a_noted_pointer_may_repeat_an_entry_of_another_file() {
        let codes: BTreeSet<String> = ["0504", "050400"].iter().map(|s| s.to_string()).collect();
        let mut entries = parse("05.tsv", b"natural casing\ten\t0504\n").unwrap();
        entries.extend(
            parse("02.tsv", "natural casing\ten\t0504\t0.6\tcasings go to 0504, not 0206\n".as_bytes()).unwrap(),
        );
        assert!(check(&entries, &codes, &[]).errors.is_empty());
        entries.extend(parse("16.tsv", b"natural casing\ten\t0504\n").unwrap());
        let errors = check(&entries, &codes, &[]).errors;
        let dups: Vec<&String> = errors.iter().filter(|e| e.contains("duplicate")).collect();
        assert_eq!(dups.len(), 1, "{errors:?}");
        assert!(dups[0].contains("16.tsv:1: duplicate") && dups[0].contains("first in 05.tsv"), "{errors:?}");
    }

    #[test]
    fn check_flags_unknown_codes_duplicates_and_unexplained_chapter_splits() {
        let codes: BTreeSet<String> =
            ["8471", "847130", "3926", "392690", "8517"].iter().map(|s| s.to_string()).collect();
        let text = "laptop\ten\t847130\nlaptop\ten\t847130\ntablet\ten\t847130\ntablet\ten\t8517\nwidget\ten\t999999\ncase\ten\t392690\n";
        let entries = parse("84.tsv", text.as_bytes()).unwrap();
        let r = check(&entries, &codes, &[("en", 2)]);
        let all = r.errors.join("\n");
        assert!(all.contains("duplicate entry \"laptop\""), "{all}");
        assert!(all.contains("999999 is not a code"), "{all}");
        assert!(all.contains("\"tablet\" (en) maps to chapters 84, 85"), "{all}");
        assert!(all.contains("\"case\" points outside chapter 84"), "{all}");
        assert_eq!(r.thin_headings["en"], vec!["3926".to_string(), "8517".to_string()]);
    }
}
