//! A loaded, checked index and code lookup.

use std::collections::HashMap;

use serde::Serialize;

use crate::alerts::{Alert, AlertDef};
use crate::builder::leaf_ranges;
use crate::error::Error;
use crate::format::{self, flags, AlertLink, ExampleRec, Header, Meta, NodeRec, PhraseTarget};
use crate::nomenclature::{clean_code, Level};

/// An index loaded from bytes. Cheap to query from many threads (`&self`).
pub struct Index {
    pub(crate) header: Header,
    pub(crate) meta: Meta,
    pub(crate) nodes: Vec<NodeRec>,
    pub(crate) terms: fst::Map<Vec<u8>>,
    pub(crate) term_idf: Vec<u16>,
    pub(crate) posting_offsets: Vec<u32>,
    pub(crate) postings: Vec<u32>,
    pub(crate) phrases: fst::Map<Vec<u8>>,
    pub(crate) phrase_offsets: Vec<u32>,
    pub(crate) phrase_targets: Vec<PhraseTarget>,
    /// Subheading (candidate) node ids, in tree order.
    pub(crate) leaves: Vec<u32>,
    /// Per node: the range of leaf ordinals it covers.
    pub(crate) leaf_range: Vec<(u32, u32)>,
    /// Average positive text length per number of digits (index = digits / 2).
    pub(crate) avg_len: [f32; 6],
    /// Per leaf: [`leaf_flags`] derived from the node table at load.
    pub(crate) leaf_flags: Vec<u8>,
    /// Per leaf: its chapter number (0 if its code does not start with two digits).
    pub(crate) leaf_chapter: Vec<u8>,
    /// A company's labelled examples.
    pub(crate) examples: Vec<ExampleRec>,
    pub(crate) example_offsets: Vec<u32>,
    pub(crate) example_postings: Vec<u32>,
    /// Average number of terms per example.
    pub(crate) avg_example_len: f32,
    /// Kinds of regulatory alert, and which node carries which (ascending by node).
    pub(crate) alerts: Vec<AlertDef>,
    pub(crate) alert_links: Vec<AlertLink>,
    /// Per leaf, computed on first use: its answers to the questions
    /// (`crate::questions::answer_key`), which depend on its texts only.
    pub(crate) answer_keys: Vec<std::sync::OnceLock<Vec<u8>>>,
    /// Consonant skeleton -> the most common term with it (and its idf), built on the
    /// first query that has an unknown word (`crate::classify`).
    pub(crate) skeletons: std::sync::OnceLock<HashMap<String, (String, u16)>>,
    by_code: HashMap<String, u32>,
}

/// Facts from the texts about each candidate subheading that scoring needs on every query.
pub(crate) mod leaf_flags {
    /// A residual ("other", "n.e.c.") code.
    pub const RESIDUAL: u8 = 1;
    /// A code for parts or accessories (its own text or its heading's).
    pub const PARTS: u8 = 2;
    /// Garments or footwear for men or boys only (its text or its heading's).
    pub const MEN: u8 = 4;
    /// Garments for women or girls only (its text or its heading's).
    pub const WOMEN: u8 = 8;
}

/// Chapters of articles classified by material (no electric appliances there).
pub(crate) const MANUAL_CHAPTERS: [u8; 13] = [39, 40, 42, 44, 46, 48, 63, 69, 70, 73, 76, 82, 83];

/// One step of a code's path: chapter, heading, subheading, national line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathStep {
    /// The code.
    pub code: String,
    /// Number of digits.
    pub level: u8,
    /// Official text.
    pub description: String,
    /// Chinese name, for chapters and headings that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
}

/// The answer to [`Index::lookup`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lookup {
    /// The code found (may be a prefix of the code asked for, see `note`).
    pub code: String,
    /// Number of digits.
    pub level: u8,
    /// Official text.
    pub description: String,
    /// Section (roman numeral) and its title.
    pub section: PathStep,
    /// Chapter down to the code itself.
    pub path: Vec<PathStep>,
    /// Codes directly below.
    pub children: Vec<PathStep>,
    /// Flags from the data sources (`EUDR`, `CBAM`).
    pub flags: Vec<String>,
    /// Regulatory alerts of the code (all directions).
    pub alerts: Vec<Alert>,
    /// Set when the code asked for is longer than any line in the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Index {
    /// Loads an index from bytes: checks magic, version, lengths, checksum and
    /// consistency, in that order, and returns a typed error for each.
    pub fn from_bytes(bytes: &[u8]) -> Result<Index, Error> {
        let d = format::read(bytes)?;
        let body = d.body;
        let (leaves, leaf_range) = leaf_ranges(&body.nodes);
        let mut sums = [0f32; 6];
        let mut counts = [0f32; 6];
        for n in &body.nodes {
            let k = (n.digits / 2) as usize;
            sums[k] += n.len as f32;
            counts[k] += 1.0;
        }
        let mut avg_len = [1f32; 6];
        for k in 0..6 {
            if counts[k] > 0.0 && sums[k] > 0.0 {
                avg_len[k] = sums[k] / counts[k];
            }
        }
        let leaf_count = leaves.len();
        let leaf_flags = leaves
            .iter()
            .map(|&id| {
                let n = &body.nodes[id as usize];
                let heading_flags = body.nodes.get(n.parent as usize).map_or(0, |h| h.flags);
                let mut f = 0;
                if n.flags & flags::RESIDUAL != 0 {
                    f |= leaf_flags::RESIDUAL;
                }
                if (n.flags | heading_flags) & flags::PARTS != 0 {
                    f |= leaf_flags::PARTS;
                }
                let heading_text = body.nodes.get(n.parent as usize).map_or("", |h| h.text.as_str());
                // "Men's or boys'" opens some texts: compare without regard to ASCII case.
                let says = |who: &str| {
                    [n.text.as_str(), heading_text]
                        .iter()
                        .any(|t| t.as_bytes().windows(who.len()).any(|w| w.eq_ignore_ascii_case(who.as_bytes())))
                };
                match (says("men's or boys'"), says("women's or girls'")) {
                    (true, false) => f |= leaf_flags::MEN,
                    (false, true) => f |= leaf_flags::WOMEN,
                    _ => {}
                }
                f
            })
            .collect();
        let leaf_chapter = leaves
            .iter()
            .map(|&id| body.nodes[id as usize].code.get(..2).and_then(|c| c.parse().ok()).unwrap_or(0))
            .collect();
        let by_code = body.nodes.iter().enumerate().map(|(i, n)| (n.code.clone(), i as u32)).collect();
        Ok(Index {
            header: d.header,
            meta: body.meta,
            nodes: body.nodes,
            terms: d.terms,
            term_idf: body.term_idf,
            posting_offsets: d.offsets.postings,
            postings: body.postings,
            phrases: d.phrases,
            phrase_offsets: d.offsets.phrase_targets,
            phrase_targets: body.phrase_targets,
            leaves,
            leaf_range,
            avg_len,
            leaf_flags,
            leaf_chapter,
            avg_example_len: if body.examples.is_empty() {
                1.0
            } else {
                (body.examples.iter().map(|e| e.len as f32).sum::<f32>() / body.examples.len() as f32).max(1.0)
            },
            answer_keys: (0..leaf_count).map(|_| std::sync::OnceLock::new()).collect(),
            skeletons: std::sync::OnceLock::new(),
            alerts: body.alerts,
            alert_links: body.alert_links,
            examples: body.examples,
            example_offsets: d.offsets.examples,
            example_postings: body.example_postings,
            by_code,
        })
    }

    /// Metadata: edition, generator, sources, lexicon size.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The CRC-32 of the index body, as stored in the header.
    pub fn checksum(&self) -> u32 {
        self.header.checksum
    }

    /// Number of codes in the index, per number of digits (0, 2, 4, 6, and 8 or more).
    pub fn counts(&self) -> [usize; 5] {
        let mut c = [0; 5];
        for n in &self.nodes {
            c[((n.digits / 2) as usize).min(4)] += 1;
        }
        c
    }

    /// Number of terms in the term dictionary.
    pub fn term_count(&self) -> usize {
        self.term_idf.len()
    }

    /// Number of labelled examples (company history) compiled in.
    pub fn example_count(&self) -> usize {
        self.examples.len()
    }

    /// Number of phrases (lexicon terms) in the phrase dictionary.
    pub fn phrase_count(&self) -> usize {
        self.phrase_offsets.len().saturating_sub(1)
    }

    pub(crate) fn node_id(&self, code: &str) -> Option<u32> {
        self.by_code.get(code).copied()
    }

    pub(crate) fn step(&self, id: u32) -> PathStep {
        let n = &self.nodes[id as usize];
        PathStep {
            code: n.code.clone(),
            level: n.digits,
            description: n.text.clone(),
            description_zh: (!n.zh.is_empty()).then(|| n.zh.clone()),
        }
    }

    /// Chapter down to the node.
    pub(crate) fn path(&self, id: u32) -> Vec<PathStep> {
        let mut out = Vec::new();
        let mut cur = id;
        loop {
            let n = &self.nodes[cur as usize];
            if n.digits == 0 {
                break;
            }
            out.push(self.step(cur));
            if n.parent == u32::MAX {
                break;
            }
            cur = n.parent;
        }
        out.reverse();
        out
    }

    /// The alerts of a node: its own, those of its ancestors (inherited), and
    /// those of lines below it (partial), in tree order.
    pub(crate) fn alerts_of(&self, id: u32) -> Vec<Alert> {
        let links_of = |node: u32| {
            let lo = self.alert_links.partition_point(|l| l.node < node);
            let hi = self.alert_links.partition_point(|l| l.node <= node);
            &self.alert_links[lo..hi]
        };
        let mut chain = vec![id];
        let mut cur = id;
        while self.nodes[cur as usize].parent != u32::MAX {
            cur = self.nodes[cur as usize].parent;
            chain.push(cur);
        }
        let mut out: Vec<Alert> = Vec::new();
        let mut push = |link: &AlertLink, partial: bool| {
            let def = &self.alerts[link.alert as usize];
            if !out.iter().any(|a| a.def.scheme == def.scheme && a.def.code == def.code) {
                out.push(Alert::new(def, &self.nodes[link.node as usize].code, partial));
            }
        };
        for &node in chain.iter().rev() {
            for link in links_of(node) {
                push(link, link.partial);
            }
        }
        let end = self.nodes[id as usize].end;
        let lo = self.alert_links.partition_point(|l| l.node <= id);
        let hi = self.alert_links.partition_point(|l| l.node < end);
        for link in &self.alert_links[lo..hi.max(lo)] {
            push(link, true);
        }
        out
    }

    pub(crate) fn flag_names(&self, id: u32) -> Vec<String> {
        let f = self.nodes[id as usize].flags;
        let mut out = Vec::new();
        if f & flags::EUDR != 0 {
            out.push("EUDR".to_string());
        }
        if f & flags::CBAM != 0 {
            out.push("CBAM".to_string());
        }
        out
    }

    /// Looks up a code (`8471`, `8471.30`, `8471 30 00`, a 10-digit national
    /// code): its path, text and children, or why it is invalid.
    pub fn lookup(&self, code: &str) -> Result<Lookup, Error> {
        let invalid = |reason: String| Error::InvalidCode { code: code.to_string(), reason };
        let c = clean_code(code);
        if c.is_empty() {
            return Err(invalid("empty code".into()));
        }
        if !c.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("codes have only digits (dots and spaces are ignored)".into()));
        }
        if !matches!(c.len(), 2 | 4 | 6 | 8 | 10) {
            return Err(invalid(format!("{} digits; HS codes have 2, 4 or 6 digits, national lines 8 or 10", c.len())));
        }
        let mut found = None;
        let mut note = None;
        for len in [10usize, 8, 6, 4, 2] {
            if len > c.len() {
                continue;
            }
            if let Some(id) = self.node_id(&c[..len]) {
                if len < c.len() {
                    if len < 6 {
                        // A missing HS code below an existing parent is an error, not a fallback.
                        let p = &self.nodes[id as usize];
                        let level = Level::from_digits(c.len().min(6) as u8).map(Level::name).unwrap_or("code");
                        return Err(invalid(format!(
                            "no {level} {} in {} under {} {} ({})",
                            &c[..c.len().min(6)],
                            self.meta.edition,
                            Level::from_digits(p.digits).map(Level::name).unwrap_or("code"),
                            p.code,
                            p.text
                        )));
                    }
                    note = Some(format!(
                        "{c} is a national line not in this index; showing {} {}",
                        Level::from_digits(len as u8).map(Level::name).unwrap_or("code"),
                        &c[..len]
                    ));
                }
                found = Some(id);
                break;
            }
        }
        let Some(id) = found else {
            return Err(invalid(format!("chapter {} does not exist in {}", &c[..2], self.meta.edition)));
        };
        let n = &self.nodes[id as usize];
        let mut children = Vec::new();
        let mut j = id as usize + 1;
        while j < n.end as usize {
            children.push(self.step(j as u32));
            j = self.nodes[j].end as usize;
        }
        let mut section = id;
        while self.nodes[section as usize].digits != 0 && self.nodes[section as usize].parent != u32::MAX {
            section = self.nodes[section as usize].parent;
        }
        let section = if self.nodes[section as usize].digits == 0 {
            self.step(section)
        } else {
            PathStep { code: String::new(), level: 0, description: String::new(), description_zh: None }
        };
        Ok(Lookup {
            code: n.code.clone(),
            level: n.digits,
            description: n.text.clone(),
            section,
            path: self.path(id),
            children,
            flags: self.flag_names(id),
            alerts: self.alerts_of(id),
            note,
        })
    }
}
