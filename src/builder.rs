//! Builds an index [`Body`] from the nomenclature, the lexicon and (optionally)
//! a company's labelled examples. Deterministic: the same inputs give the same
//! bytes (every map is ordered).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::alerts::{AlertAt, AlertDef};

use crate::error::{DataError, Error};
use crate::format::{self, flags, posting, AlertLink, Body, ExampleRec, Field, Meta, NodeRec, PhraseTarget};
use crate::lexicon;
use crate::nomenclature::{Level, Nomenclature};
use crate::normalize::{analyze, fold, phrase_key};

/// Official text split into what is evidence for the code and what sits in
/// exclusion clauses ("excluding ...", "other than ...", "not knitted").
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Clauses {
    /// Text outside exclusion clauses.
    pub positive: String,
    /// Text inside exclusion clauses: negative evidence.
    pub negative: String,
    /// The text marks a residual code ("n.e.c.", "other than", "other").
    pub residual: bool,
}

const RESIDUAL_MARKS: &[&str] = &[
    "not elsewhere specified or included",
    "not specified or included elsewhere",
    "not elsewhere specified",
    "not elsewhere included",
    "n.e.c.",
    "n.e.s.",
    "nesoi",
    "n.e.c",
    "n.e.s",
];
/// Clauses that run to the closing parenthesis, or to the end of the text.
const TO_END: &[&str] = &["other than", "excluding", "excl.", "except", "not including", "but not"];
/// Words after "not" that state a limit rather than an exclusion.
const NOT_LIMITS: &[&str] = &["exceeding", "more", "less", "over", "under", "elsewhere", "specified", "including"];

fn word_boundary_before(s: &str, at: usize) -> bool {
    s[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
}

fn word_boundary_after(s: &str, at: usize) -> bool {
    s[at..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// Splits an official text into positive and negative evidence.
pub fn split_clauses(text: &str) -> Clauses {
    let s = fold(text);
    let mut out = Clauses::default();
    let trimmed = s.trim_end_matches(['.', ' ']);
    if trimmed == "other"
        || trimmed.ends_with("; other")
        || trimmed.ends_with(", other")
        || trimmed.starts_with("other ")
    {
        out.residual = true;
    }
    let mut i = 0;
    let mut depth = 0usize;
    // While in an exclusion: the parenthesis depth at which it ends, and whether it ends at a comma.
    let mut excl: Option<(usize, bool)> = None;
    while i < s.len() {
        let rest = &s[i..];
        if let Some(m) = RESIDUAL_MARKS.iter().find(|m| rest.starts_with(*m) && word_boundary_before(&s, i)) {
            out.residual = true;
            i += m.len();
            continue;
        }
        if excl.is_none() && word_boundary_before(&s, i) {
            if let Some(m) = TO_END.iter().find(|m| rest.starts_with(*m) && word_boundary_after(&s, i + m.len())) {
                if *m == "other than" {
                    out.residual = true;
                }
                excl = Some((depth, false));
                i += m.len();
                continue;
            }
            if rest.starts_with("not ") && !s[..i].trim_end().ends_with(" or") && !s[..i].trim_end().ends_with("(or") {
                let next = rest[4..].split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                if !NOT_LIMITS.contains(&next) {
                    excl = Some((depth, true));
                    i += 4;
                    continue;
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => {
                if let Some((d, _)) = excl {
                    if d == depth {
                        excl = None;
                    }
                }
                depth = depth.saturating_sub(1);
            }
            ',' | ';' => {
                if let Some((d, true)) = excl {
                    if d == depth {
                        excl = None;
                    }
                }
            }
            _ => {}
        }
        if excl.is_some() {
            out.negative.push(c);
        } else {
            out.positive.push(c);
        }
        i += c.len_utf8();
    }
    out
}

/// True when a text is about parts or accessories rather than whole
/// articles: "Parts of ...", "Footwear; parts of footwear", "Parts and accessories ...".
pub fn is_parts_text(positive: &str) -> bool {
    let t = positive.trim_start();
    t.starts_with("parts")
        || t.starts_with("accessories")
        || t.split("; ").skip(1).any(|c| c.trim_start().starts_with("parts"))
}

/// The share of a term's idf it keeps even when spread evenly over all
/// chapters; the rest scales with how concentrated it is in few chapters.
const FOCUS_FLOOR: f64 = 0.6;

/// A company's labelled past declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The product description.
    pub text: String,
    /// The declared code (6 to 10 digits).
    pub code: String,
    /// Line in the file it came from (for error messages).
    pub line: usize,
}

/// What to build an index from.
pub struct Input<'a> {
    /// The nomenclature tree.
    pub nomenclature: &'a Nomenclature,
    /// Lexicon entries (may be empty).
    pub lexicon: &'a [lexicon::Entry],
    /// Labelled examples (may be empty).
    pub examples: &'a [Example],
    /// Names of chapters and headings in other languages (may be empty).
    pub names: &'a [lexicon::Name],
    /// Regulatory alerts by code (any level; a national code below the
    /// index's lines attaches to its HS6).
    pub alerts: &'a [AlertAt],
    /// Keep national (CN8) lines of the nomenclature as codes of the index.
    pub national_lines: bool,
    /// Source labels recorded in the index metadata.
    pub sources: Vec<String>,
}

/// Maps every node to the range of subheading ordinals (candidates) it covers:
/// a code covers the subheadings below it; a national line covers its subheading.
/// Returns the subheading node ids and the per-node ranges.
pub fn leaf_ranges(nodes: &[NodeRec]) -> (Vec<u32>, Vec<(u32, u32)>) {
    let is_leaf = |n: &NodeRec| n.digits == 6 && !n.code.starts_with("99");
    let mut leaves = Vec::new();
    let mut ordinal = vec![0u32; nodes.len() + 1];
    for (i, n) in nodes.iter().enumerate() {
        ordinal[i] = leaves.len() as u32;
        if is_leaf(n) {
            leaves.push(i as u32);
        }
    }
    ordinal[nodes.len()] = leaves.len() as u32;
    let ranges = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if n.digits > 6 && n.parent != u32::MAX {
                let p = n.parent as usize;
                let lo = ordinal[p];
                (lo, if is_leaf(&nodes[p]) { lo + 1 } else { lo })
            } else {
                (ordinal[i], ordinal[n.end as usize])
            }
        })
        .collect();
    (leaves, ranges)
}

#[derive(Default)]
struct Postings(BTreeMap<String, BTreeMap<(u32, Field, bool), u32>>);

impl Postings {
    fn add_text(&mut self, text: &str, node: u32, field: Field, negative: bool) -> usize {
        let a = analyze(text);
        for (term, _) in &a.terms {
            *self.0.entry(term.clone()).or_default().entry((node, field, negative)).or_default() += 1;
        }
        a.terms.len()
    }
}

fn data_err(source: &str, line: Option<usize>, message: String) -> Error {
    Error::Data(DataError { source: source.to_string(), line, message })
}

/// Builds the index body.
pub fn build(input: &Input) -> Result<Body, Error> {
    let nom = input.nomenclature;
    nom.validate()?;
    // Node table in tree order, with parents and subtree extents.
    let list: Vec<_> = nom.nodes().filter(|n| input.national_lines || n.level != Level::National8).collect();
    let index_of: HashMap<&str, u32> = list.iter().enumerate().map(|(i, n)| (n.code.as_str(), i as u32)).collect();
    let mut nodes: Vec<NodeRec> = Vec::with_capacity(list.len());
    for n in &list {
        let parent = n.parent.as_deref().and_then(|p| index_of.get(p).copied()).unwrap_or(u32::MAX);
        let mut fl = 0;
        if n.eudr {
            fl |= flags::EUDR;
        }
        if n.cbam {
            fl |= flags::CBAM;
        }
        nodes.push(NodeRec {
            code: n.code.clone(),
            digits: n.level.digits(),
            parent,
            end: 0,
            text: n.text.clone(),
            zh: String::new(),
            flags: fl,
            len: 0,
        });
    }
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..nodes.len() {
        while let Some(&top) = stack.last() {
            if is_ancestor(&nodes, top, i) {
                break;
            }
            nodes[top].end = i as u32;
            stack.pop();
        }
        stack.push(i);
    }
    for top in stack {
        nodes[top].end = nodes.len() as u32;
    }

    // Text evidence.
    let mut postings = Postings::default();
    for (i, n) in list.iter().enumerate() {
        let field = match n.level {
            Level::Section => continue,
            Level::Chapter => Field::Chapter,
            Level::Heading => Field::Heading,
            Level::Subheading => Field::Subheading,
            Level::National8 | Level::National10 => Field::National,
        };
        let clauses = split_clauses(&n.text);
        let len = postings.add_text(&clauses.positive, i as u32, field, false);
        postings.add_text(&clauses.negative, i as u32, field, true);
        nodes[i].len = len.min(u16::MAX as usize) as u16;
        if clauses.residual {
            nodes[i].flags |= flags::RESIDUAL;
        }
        if is_parts_text(&clauses.positive) {
            nodes[i].flags |= flags::PARTS;
        }
    }

    // Names in other languages are more text of their chapter or heading.
    for name in input.names {
        let node = match index_of.get(name.code.as_str()) {
            Some(&i) if matches!(nodes[i as usize].digits, 2 | 4) => i,
            _ => {
                return Err(data_err(
                    &name.source,
                    Some(name.line),
                    format!("{} is not a chapter or heading", name.code),
                ))
            }
        };
        let field = if nodes[node as usize].digits == 2 { Field::Chapter } else { Field::Heading };
        let clauses = split_clauses(&name.text);
        postings.add_text(&clauses.positive, node, field, false);
        if name.lang == "zh" {
            nodes[node as usize].zh = name.text.clone();
        }
    }

    // Lexicon terms: phrases (key -> target node -> weight), plus their words
    // as a field of the target.
    let mut phrases: BTreeMap<String, BTreeMap<u32, u16>> = BTreeMap::new();
    for e in input.lexicon {
        let Some(&node) = index_of.get(e.code.as_str()) else {
            return Err(data_err(&e.source, Some(e.line), format!("{} is not a code of {}", e.code, nom.edition)));
        };
        let a = analyze(&e.term);
        if a.units.is_empty() {
            return Err(data_err(&e.source, Some(e.line), format!("term {:?} has no words to match", e.term)));
        }
        let w = ((e.weight * 1000.0).round() as u16).clamp(1, 1000);
        let weight = phrases.entry(phrase_key(&a.units)).or_default().entry(node).or_insert(w);
        *weight = (*weight).max(w);
        postings.add_text(&e.term, node, Field::Lexicon, false);
        // English noun compounds put the head last: "costume wig" is a wig,
        // "swimming costume" a costume. The head word counts twice for the
        // target, so modifiers weigh less than the goods they modify.
        if a.units.len() >= 2 && !a.units.iter().any(|u| u.cjk) {
            let last = a.units.len() - 1;
            for (term, _) in a.terms.iter().filter(|(_, unit)| *unit == last) {
                *postings.0.entry(term.clone()).or_default().entry((node, Field::Lexicon, false)).or_default() += 1;
            }
        }
    }
    // Examples are documents of their own: their terms point at the example,
    // which points at its code, so the nearest past declarations can vote.
    let mut examples = Vec::with_capacity(input.examples.len());
    let mut example_terms: BTreeMap<String, BTreeMap<u32, u32>> = BTreeMap::new();
    for ex in input.examples {
        // The example points at the most specific code of the index it names.
        let code = &ex.code;
        let node = [8usize, 6]
            .iter()
            .filter(|&&d| code.len() >= d && code.is_char_boundary(d))
            .find_map(|&d| index_of.get(&code[..d]).copied());
        let Some(node) = node else {
            return Err(data_err("examples", Some(ex.line), format!("{code} has no HS6 in {}", nom.edition)));
        };
        // Pooled: the example's words are also text of its code (a field of its own).
        postings.add_text(&ex.text, node, Field::Example, false);
        let a = analyze(&ex.text);
        let id = examples.len() as u32;
        for (term, _) in &a.terms {
            *example_terms.entry(term.clone()).or_default().entry(id).or_default() += 1;
            // The term must be in the dictionary even when no code text has it.
            postings.0.entry(term.clone()).or_default();
        }
        examples.push(ExampleRec { node, len: a.terms.len().min(u16::MAX as usize) as u16, text: ex.text.clone() });
    }

    // Term dictionary and postings, with document frequencies over subheadings.
    let (leaves, ranges) = leaf_ranges(&nodes);
    let n_leaves = leaves.len() as f64;
    let leaf_chapter: Vec<u8> =
        leaves.iter().map(|&l| nodes[l as usize].code[..2].parse::<u8>().unwrap_or(99)).collect();
    let n_chapters = {
        let mut c: Vec<u8> = leaf_chapter.clone();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    let mut terms_builder = fst::MapBuilder::memory();
    let mut term_idf = Vec::with_capacity(postings.0.len());
    let mut posting_counts = Vec::new();
    let mut packed = Vec::new();
    let mut example_counts = Vec::new();
    let mut example_postings = Vec::new();
    for (tid, (term, list)) in postings.0.iter().enumerate() {
        // Keys are inserted in BTreeMap order, which is the byte order fst requires.
        terms_builder.insert(term, tid as u64).map_err(|e| data_err("terms", None, e.to_string()))?;
        let mut prev = 0u32;
        let mut spans: Vec<(u32, u32)> = Vec::new();
        for (k, (&(node, field, negative), &tf)) in list.iter().enumerate() {
            let delta = if k == 0 { node } else { node - prev };
            packed.push(posting::pack(delta, negative, field, tf));
            prev = node;
            if !negative {
                spans.push(ranges[node as usize]);
            }
        }
        spans.sort_unstable();
        let (mut df, mut reach) = (0u32, 0u32);
        let mut per_chapter = [0u32; 100];
        for (lo, hi) in spans {
            let lo = lo.max(reach);
            if hi > lo {
                df += hi - lo;
                reach = hi;
                for leaf in lo..hi {
                    per_chapter[leaf_chapter[leaf as usize] as usize] += 1;
                }
            }
        }
        // How focused the term is: 1 when all its subheadings sit in one
        // chapter, 0 when it is spread evenly over all chapters ("set", "new").
        let concentration = if df == 0 {
            1.0
        } else {
            let h: f64 = per_chapter
                .iter()
                .filter(|&&c| c > 0)
                .map(|&c| {
                    let p = c as f64 / df as f64;
                    -p * p.ln()
                })
                .sum();
            1.0 - h / (n_chapters.max(2) as f64).ln()
        };
        let df = df as f64;
        let idf = (1.0 + (n_leaves - df + 0.5) / (df + 0.5)).ln() * (FOCUS_FLOOR + (1.0 - FOCUS_FLOOR) * concentration);
        term_idf.push((idf * 1000.0).round().clamp(0.0, u16::MAX as f64) as u16);
        posting_counts.push(list.len() as u32);
        let mut prev = 0u32;
        let before = example_postings.len();
        for (k, (&id, &tf)) in example_terms.get(term).into_iter().flatten().enumerate() {
            let delta = if k == 0 { id } else { id - prev };
            example_postings.push((delta << 4) | tf.min(posting::MAX_TF));
            prev = id;
        }
        example_counts.push((example_postings.len() - before) as u32);
    }
    let mut phrase_builder = fst::MapBuilder::memory();
    let (mut phrase_counts, mut phrase_targets) = (Vec::new(), Vec::new());
    for (pid, (key, targets)) in phrases.iter().enumerate() {
        phrase_builder.insert(key, pid as u64).map_err(|e| data_err("phrases", None, e.to_string()))?;
        for (&node, &weight) in targets {
            phrase_targets.push(PhraseTarget { node, weight });
        }
        phrase_counts.push(targets.len() as u32);
    }
    let (alerts, alert_links) = link_alerts(input, &index_of)?;
    let finish = |b: fst::MapBuilder<Vec<u8>>| b.into_inner().map_err(|e| data_err("fst", None, e.to_string()));
    Ok(Body {
        meta: Meta {
            edition: nom.edition.clone(),
            generator: format::GENERATOR.to_string(),
            sources: input.sources.clone(),
            lexicon_entries: input.lexicon.len() as u32,
            examples: input.examples.len() as u32,
        },
        nodes,
        terms_fst: finish(terms_builder)?,
        term_idf,
        posting_counts,
        postings: packed,
        phrases_fst: finish(phrase_builder)?,
        phrase_counts,
        phrase_targets,
        examples,
        example_counts,
        example_postings,
        alerts,
        alert_links,
    })
}

/// Resolves alerts to nodes. A code the index has gets the alert itself; a
/// national code below the index's lines attaches to its HS6, as partial
/// unless every national line under that HS6 carries the same alert.
fn link_alerts(input: &Input, index_of: &HashMap<&str, u32>) -> Result<(Vec<AlertDef>, Vec<AlertLink>), Error> {
    let mut defs: Vec<AlertDef> = Vec::new();
    let mut links: BTreeSet<AlertLink> = BTreeSet::new();
    // For national codes outside the index: HS6 -> (alert -> lines carrying it).
    let mut below: BTreeMap<(String, u32), BTreeSet<&str>> = BTreeMap::new();
    for AlertAt { code, def, partial } in input.alerts {
        let alert = match defs.iter().position(|d| d == def) {
            Some(i) => i as u32,
            None => {
                defs.push(def.clone());
                (defs.len() - 1) as u32
            }
        };
        if let Some(&node) = index_of.get(code.as_str()) {
            links.insert(AlertLink { node, alert, partial: partial.unwrap_or(false) });
        } else if code.len() > 6 && index_of.contains_key(&code[..6]) {
            below.entry((code[..6].to_string(), alert)).or_default().insert(code.as_str());
        } else {
            return Err(data_err(
                "alerts",
                None,
                format!("{code} ({}) is not a code of {}", def.scheme, input.nomenclature.edition),
            ));
        }
    }
    for ((hs6, alert), lines) in below {
        let all = input
            .nomenclature
            .nodes()
            .filter(|n| n.level == Level::National8 && n.parent.as_deref() == Some(hs6.as_str()));
        let (mut total, mut carried) = (0, 0);
        for n in all {
            total += 1;
            carried += lines.contains(n.code.as_str()) as usize;
        }
        let node = index_of[hs6.as_str()];
        links.insert(AlertLink { node, alert, partial: total == 0 || carried < total });
    }
    Ok((defs, links.into_iter().collect()))
}

fn is_ancestor(nodes: &[NodeRec], a: usize, mut b: usize) -> bool {
    while nodes[b].parent != u32::MAX {
        b = nodes[b].parent as usize;
        if b == a {
            return true;
        }
    }
    false
}

/// Builds and serializes an index file.
pub fn build_bytes(input: &Input) -> Result<Vec<u8>, Error> {
    let body = build(input)?;
    let mut out = Vec::new();
    // Writing into a Vec cannot fail except on allocation failure.
    format::write(&body, &mut out).map_err(|e| data_err("index", None, e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions_in_parentheses_end_at_the_parenthesis() {
        let c = split_clauses("Live horses (excl. for slaughter, pure-bred for breeding) of a kind");
        assert!(c.negative.contains("slaughter") && c.negative.contains("breeding"), "{c:?}");
        assert!(c.positive.contains("live horses") && c.positive.contains("of a kind"), "{c:?}");
    }

    #[test]
    fn other_than_runs_to_the_end_and_marks_a_residual_code() {
        let c = split_clauses("Horses; live, other than pure-bred breeding animals");
        assert_eq!(c.positive.trim_end_matches([',', ' ']), "horses; live");
        assert!(c.negative.contains("pure-bred breeding animals"));
        assert!(c.residual);
    }

    #[test]
    fn not_excludes_up_to_the_comma_but_whether_or_not_does_not() {
        let c = split_clauses("Garments, not knitted or crocheted, whether or not assembled");
        assert!(c.negative.contains("knitted or crocheted"), "{c:?}");
        assert!(c.positive.contains("assembled") && c.positive.contains("garments"), "{c:?}");
        let c = split_clauses("Wire, not exceeding 5 mm");
        assert!(c.negative.is_empty(), "{c:?}");
    }

    #[test]
    fn parts_texts_are_recognised() {
        assert!(is_parts_text("footwear; parts of footwear, removable in-soles"));
        assert!(is_parts_text("parts and accessories of the motor vehicles of headings 8701 to 8705"));
        assert!(!is_parts_text("sanitary ware and parts thereof, of iron or steel"));
        assert!(!is_parts_text("sinks and wash basins, of stainless steel"));
    }

    #[test]
    fn nec_marks_residual_and_is_not_evidence() {
        let c = split_clauses("Machines having individual functions, n.e.c. in this chapter");
        assert!(c.residual);
        assert!(!c.positive.contains("n.e.c"));
        assert!(!split_clauses("Sinks and wash basins, of stainless steel").residual);
    }
}
