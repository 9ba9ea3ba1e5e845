//! Scoring a product description against the index.
//!
//! Each subheading (HS6) is a candidate whose evidence combines, BM25F-style,
//! the words of its own text, its heading's and chapter's texts, the CN8 lines
//! below it and the lexicon terms pointing at it. Words inside exclusion
//! clauses count against a code. Whole lexicon phrases found in the query
//! ("kitchen sink", "保温杯") add a bonus to the codes they name; the longest
//! phrase wins where phrases overlap.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::alerts::{Alert, Direction};
use crate::error::Error;
use crate::format::{posting, Field};
use crate::index::{leaf_flags, MANUAL_CHAPTERS};
use crate::index::{Index, PathStep};
use crate::lexicon::tsv_rows;
use crate::materials;
use crate::normalize::{analyze, stem_word, Analyzed, Unit};
use crate::questions::{answer_key, questions_from_keys, Question};
use crate::stems::{self, Stem};

/// Longest query accepted, in bytes over all fields.
pub const MAX_QUERY_BYTES: usize = 64 * 1024;
/// Most candidates returned.
pub const MAX_TOP: usize = 50;

/// What the user describes. Only `text` is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    /// Free-text product description (English or Chinese).
    #[serde(default)]
    pub text: String,
    /// What it is made of ("stainless steel", "cotton 95%, elastane 5%").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<String>,
    /// What it does ("keeps drinks hot").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// Intended use ("household", "for vehicles").
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// Marketplace or ERP category ("Home & Garden > Kitchen").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Other attributes as name -> value ("knitted": "yes", "gender": "F"):
    /// yes/no values make the name evidence or nothing, and the gender codes
    /// marketplaces use ("F", "male", "Boys") become the nomenclature's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BTreeMap<String, AttrValue>>,
}

/// An attribute value: marketplaces send strings, numbers and booleans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// A string.
    Text(String),
    /// A number.
    Number(f64),
    /// A boolean: `true` makes the attribute's name evidence ("knitted": true).
    Flag(bool),
}

/// Options of a classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Number of candidates (1 to 50, default 5).
    pub top: usize,
    /// The trade flow the user declares: alerts for it are listed in `alerts`,
    /// those for the other flow apart in `alerts_other_direction` (default export).
    pub direction: Direction,
}

impl Default for Options {
    fn default() -> Self {
        Options { top: 5, direction: Direction::Export }
    }
}

/// One reason a candidate fits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The words of the query that matched, as written.
    pub term: String,
    /// Where they matched: `subheading`, `heading`, `chapter`, `cn8`, `lexicon`, `history`,
    /// or `inn_stem` (a drug name whose INN stem names the substance class).
    pub field: &'static str,
    /// The code whose text or lexicon entry matched.
    pub code: String,
    /// Which query field they came from: `text`, `material`, `function`, `use`, `category`, `attributes`,
    /// or `context` (the segment of a category path before its specific end).
    pub from: &'static str,
    /// True when the words sit in an exclusion clause of that code (evidence against it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub against: bool,
}

/// A suggested code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The HS6 code.
    pub code: String,
    /// Number of digits (6).
    pub level: u8,
    /// Raw score (higher is better; comparable within one query only).
    pub score: f32,
    /// Estimated probability that the code is right (0..1).
    pub confidence: f32,
    /// Official text of the code.
    pub description: String,
    /// Chapter, heading and subheading with their texts.
    pub path: Vec<PathStep>,
    /// Why it fits: the matched terms and where they matched.
    pub why: Vec<Evidence>,
    /// Flags from the data sources (`EUDR`, `CBAM`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// Regulatory alerts for the declared trade flow.
    pub alerts: Vec<Alert>,
    /// Alerts that concern the other flow only, kept apart.
    pub alerts_other_direction: Vec<Alert>,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// Ranked candidates, best first.
    pub candidates: Vec<Candidate>,
    /// Questions whose answers tell the plausible candidates apart.
    pub questions: Vec<Question>,
    /// True when no candidate is confident enough to use without a person's review.
    pub needs_review: bool,
}

// Scoring parameters. Field weights say how much a word in each kind of
// text counts; they sum across fields before BM25 saturation.
const K1: f32 = 1.2;
const B: f32 = 0.5;
const NEGATIVE: f32 = 0.7;
const PHRASE: f32 = 4.0;
const RESIDUAL: f32 = 0.96;
/// A code for parts when the query names no part ("footwear" is not 6406).
const PARTS_UNASKED: f32 = 0.8;
/// An electric article in a chapter of non-electric articles (electric wine
/// opener is 8509, not 8205).
const ELECTRIC_IN_MANUAL: f32 = 0.85;
/// A CAS registry number says the goods are a chemical (chapters 28-29).
const CAS_CHEMICAL: f32 = 1.25;
/// A dosage form of a drug is a medicament (3003/3004), not the substance
/// (chapter 29) nor a tablet computer.
const MEDICAMENT_30: f32 = 1.5;
const MEDICAMENT_ELSEWHERE: f32 = 0.6;
/// A toy is in chapter 95, not a real vehicle (86-89) nor an artificial flower (67).
const TOY_95: f32 = 1.2;
const TOY_ELSEWHERE: f32 = 0.6;
/// A drug name's INN stem, as evidence for its substance class (a lexicon
/// phrase of full weight is [`PHRASE`]).
const INN_STEM: f32 = 3.0;
/// A named drug is a chemical of chapter 29 or a pharmaceutical product of
/// chapter 30 (or of its stem's own class): its salt ("sulfate") does not make
/// it an inorganic chemical, a mineral or a fertiliser.
const INN_ELSEWHERE: f32 = 0.4;
/// The salt or hydrate of a named drug is classified with the drug: these
/// words (stemmed) say which salt, not what the goods are.
const SALT_STEMS: [&str; 35] = [
    "hydrochlorid",
    "dihydrochlorid",
    "hydrobromid",
    "sulphat",
    "bisulf",
    "phosphat",
    "acet",
    "citrat",
    "fumar",
    "hemifumar",
    "maleat",
    "mesyl",
    "dimesyl",
    "tartrat",
    "bitartr",
    "succin",
    "besyl",
    "tosyl",
    "bromid",
    "chlorid",
    "sodium",
    "potassium",
    "calcium",
    "magnesium",
    "monohydr",
    "dihydr",
    "hemihydr",
    "trihydr",
    "anhydr",
    "propion",
    "carbon",
    "nitrat",
    "lactat",
    "glucon",
    "dimeglumin",
];

/// True when a query word (as written) is a salt word, in any inflection.
fn is_salt_word(word: &str) -> bool {
    SALT_STEMS.contains(&stem_word(word).as_str())
}
/// How much a salt word of a named drug still counts.
const SALT_WEIGHT: f32 = 0.2;
/// In a dosage form, the evidence for the substance (chapter 29) also counts
/// for the medicament subheading of 3004 its class leads to.
const MEDICAMENT_TRANSFER: f32 = 0.8;
/// For an electric article, the evidence for the hand-operated article also
/// counts for the electric appliance (an electric wine opener is 8509, not 8205).
const ELECTRIC_TRANSFER: f32 = 0.8;
/// Candidates of one heading listed before other headings' candidates.
const PER_HEADING: usize = 3;
/// Candidates beyond the requested number considered for the list, so that
/// other headings can move up.
const DIVERSITY_POOL: usize = 20;
/// Most questions returned.
const MAX_QUESTIONS: usize = 3;
/// A top confidence below this needs a person's review.
pub const REVIEW_BELOW: f32 = 0.5;
/// Most unknown words looked up for typos in one query.
const MAX_CORRECTIONS: usize = 4;
/// Shortest last word completed as a prefix ("cond" -> "condition").
const MIN_PREFIX: usize = 4;
/// Fewest consonants an abbreviation must keep to be expanded.
const MIN_SKELETON: usize = 3;

/// A lower-case word's consonant skeleton: its first letter, then its letters
/// other than vowels and y ("lipstick" -> "lpstck", "always" -> "alws"). None
/// for words with digits or non-ASCII letters, or too few consonants.
fn skeleton(word: &str) -> Option<String> {
    let b = word.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let sk: String = std::iter::once(b[0])
        .chain(b[1..].iter().copied().filter(|c| !b"aeiouy".contains(c)))
        .map(char::from)
        .collect();
    (sk.bytes().filter(|c| !b"aeiouy".contains(c)).count() >= MIN_SKELETON).then_some(sk)
}

/// Most dictionary terms read for one correction or completion.
const MAX_MATCHES: usize = 4096;
/// Longest word (bytes) looked up for typos.
const MAX_TYPO_WORD: usize = 24;
/// A lexicon phrase may skip at most this many query words (a CJK character
/// counts half) between its own: "plastic pasta bowl" finds "plastic bowl".
const MAX_GAP: f32 = 2.0;
/// A phrase found with words skipped must match at least this many words.
const MIN_GAPPED_WORDS: f32 = 2.0;
/// How many query units one phrase may span.
const MAX_SPAN: usize = 14;
/// Share of the evidence for goods in another material's chapter that moves
/// to the same goods in the material the query names.
const MATERIAL_TRANSFER: f32 = 0.9;
/// How much more evidence another subheading of the family needs than the
/// family's first code to receive what moves.
const CLEARLY_MORE: f32 = 1.5;
/// What stays with the goods in the other material.
const OTHER_MATERIAL: f32 = 0.8;
/// Weight of a phrase found with words skipped, against one found whole.
const GAPPED: f32 = 0.7;

/// A lazy Levenshtein automaton for distance 1 over bytes: each state is the
/// row of edit distances between the word and the key prefix read so far, so
/// only the dictionary paths that stay within one edit are ever explored.
struct OneEdit<'a> {
    word: &'a [u8],
}

impl fst::Automaton for OneEdit<'_> {
    type State = [u8; MAX_TYPO_WORD + 1];

    fn start(&self) -> Self::State {
        let mut row = [u8::MAX; MAX_TYPO_WORD + 1];
        for (i, r) in row.iter_mut().enumerate().take(self.word.len() + 1) {
            *r = i as u8;
        }
        row
    }

    fn is_match(&self, row: &Self::State) -> bool {
        row[self.word.len()] <= 1
    }

    fn can_match(&self, row: &Self::State) -> bool {
        row[..=self.word.len()].iter().any(|&d| d <= 1)
    }

    fn accept(&self, row: &Self::State, byte: u8) -> Self::State {
        let mut next = [u8::MAX; MAX_TYPO_WORD + 1];
        next[0] = row[0].saturating_add(1);
        for i in 1..=self.word.len() {
            let substitute = row[i - 1].saturating_add((self.word[i - 1] != byte) as u8);
            next[i] = substitute.min(row[i].saturating_add(1)).min(next[i - 1].saturating_add(1));
        }
        next
    }
}
/// Weight of a past declaration that matches the query fully.
const HISTORY: f32 = 12.0;
/// How many past declarations vote.
const NEIGHBOURS: usize = 10;
const TEMPERATURE: f32 = 3.0;
const EVIDENCE_SCALE: f32 = 4.5;

fn field_weight(f: Field) -> f32 {
    match f {
        Field::Chapter => 0.25,
        Field::Heading => 0.6,
        Field::Subheading => 1.0,
        Field::National => 0.45,
        Field::Lexicon => 0.25,
        Field::Example => 1.5,
    }
}

/// The query fields; `context` holds the segment of a category path before
/// its specific end, from the `category` field or a `text` that is a path.
const QUERY_FIELDS: [&str; 7] = ["text", "material", "function", "use", "category", "attributes", "context"];

fn query_field_weight(i: usize) -> f32 {
    [1.0, 1.0, 0.8, 0.8, 0.7, 0.5, CONTEXT][i]
}

/// Weight of a colour, flavour or scent word before the goods
/// (`data/attribute_words.tsv`).
const ATTRIBUTE: f32 = 0.3;

/// Weight of the `context` field: a department narrows the goods down but
/// does not name them ("医疗器械 > 口罩" is a mask, not a medical instrument).
const CONTEXT: f32 = 0.35;

/// A query term found in the index.
struct QTerm {
    id: u32,
    weight: f32,
    idf: f32,
    surface: String,
    from: usize,
}

/// A lexicon phrase found in the query.
struct PhraseHit {
    phrase: u32,
    from: usize,
    /// First unit of the hit.
    start: usize,
    /// The units it matched, as bits from `start`.
    mask: u32,
    /// Matched with words skipped in between.
    gapped: bool,
    /// Made only of colour, flavour or scent words before the goods.
    attribute: bool,
    surface: String,
    specificity: f32,
}

/// What the query says about the splits the nomenclature makes again and
/// again (parts vs whole articles, electric vs not, chemicals).
#[derive(Debug, Default)]
struct Cues {
    parts: bool,
    electric: bool,
    cas: bool,
    /// A dosage form (tablets, capsules, injection, ...) and no sign of a
    /// machine or computer: a medicament (chapter 30).
    medicament: bool,
    /// The goods are a toy.
    toy: bool,
    /// Food that is cooked or otherwise prepared ("in sauce", "breaded",
    /// "salad"): not the fresh, chilled, frozen, dried or smoked goods of
    /// chapters 2, 3, 7 and 8, but preparations of 16 and 20.
    prepared: bool,
    /// Artificial, faux or imitation goods: not the plants, fruit, cereals or
    /// animal products of chapters 1-12 they imitate (an artificial pumpkin
    /// is 6702 or 9505, not 0709).
    imitation: bool,
    /// The fabric is knitted or crocheted (chapter 61), or woven (62), by the
    /// fabric's name ("jersey", "fleece"; "denim", "chiffon", "linen"). Both
    /// or neither: no cue.
    fabric: Option<Fabric>,
    /// Drug names recognised by their INN stem: (query field, word, stem).
    inn: Vec<(usize, String, &'static Stem)>,
    /// Who the goods are for, where the nomenclature splits garments into
    /// men's or boys' and women's or girls' headings. Both or neither: no cue.
    gender: Option<Gender>,
    /// A plastic named with other words and no sign of a primary form
    /// ("polypropylene cup", not "polypropylene granules"): goods made of it,
    /// not the polymer of headings 3901-3914.
    plastic_article: bool,
    /// The material the goods are made of, as an index into the material
    /// table: the `material` field's first, else the first the texts name.
    material: Option<usize>,
}

/// Dosage forms (stemmed), from pharmacopoeia usage.
const DOSAGE_STEMS: [&str; 14] = [
    "tablet",
    "capsul",
    "caplet",
    "inject",
    "infus",
    "ointment",
    "syrup",
    "suspens",
    "ophthalm",
    "transderm",
    "inhal",
    "suppositori",
    "lozeng",
    "chewabl",
];
/// Words that make "tablet" a computer and "injection" a moulding process.
const NOT_MEDICINE: [&str; 14] = [
    "pc", "android", "ipad", "inch", "gb", "wifi", "screen", "display", "keyboard", "machin", "mould", "mold",
    "plastic", "comput",
];
/// Words that make a named drug (an INN) a medicament, though alone they do
/// not ("vials", "oral solution", "gel").
const DRUG_FORM_STEMS: [&str; 12] =
    ["vial", "ampul", "ampoul", "oral", "topic", "solut", "gel", "cream", "spray", "drop", "patch", "dose"];
/// Knitted or woven fabric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fabric {
    Knitted,
    Woven,
}

/// Fabric names that say knitted or crocheted (stemmed).
const KNIT_STEMS: [&str; 7] = ["knit", "jersey", "interlock", "crochet", "fleec", "rib", "piqu"];
/// Fabric names that say woven (stemmed).
const WOVEN_STEMS: [&str; 18] = [
    "woven", "denim", "chiffon", "poplin", "twill", "canva", "satin", "corduroy", "tweed", "flannel", "linen",
    "oxford", "seersuck", "chambray", "gabardin", "taffeta", "organza", "georgett",
];
const KNIT_ZH: [&str; 3] = ["针织", "钩编", "毛织"];
const WOVEN_ZH: [&str; 3] = ["机织", "梭织", "牛仔"];
/// Garments of the fabric the query names: chapter 61 (knitted) or 62 (woven).
const FABRIC_CHAPTER: f32 = 1.25;
const MEDICAMENT_ZH: [&str; 6] = ["片剂", "胶囊", "注射液", "软膏", "口服液", "滴眼液"];
const TOY_STEMS: [&str; 4] = ["toy", "plush", "playset", "playth"];
/// Words of cooked or prepared food (stemmed).
const PREPARED_STEMS: [&str; 20] = [
    "cook", "fri", "bread", "batter", "marin", "season", "sauc", "tempura", "salad", "sandwich", "meal", "curri",
    "stew", "soup", "dumpl", "nugget", "sausag", "jerki", "can", "tin",
];
const PREPARED_ZH: [&str; 8] = ["熟", "调味", "罐头", "酱", "炸", "卤", "即食", "预制"];
/// Words of artificial or imitation goods (stemmed).
const IMITATION_STEMS: [&str; 6] = ["artifici", "faux", "fake", "imit", "simul", "replica"];
const IMITATION_ZH: [&str; 3] = ["仿真", "人造", "假"];
/// Natural goods of chapters 1-12 when the query says artificial.
const IMITATED: f32 = 0.35;
/// Raw goods of chapters 2, 3, 7 and 8 when the query says prepared.
const PREPARED_RAW: f32 = 0.7;
/// For prepared food, the evidence for the raw goods also counts for the
/// preparation (tilapia in sauce is 1604, not 0304).
const PREPARED_TRANSFER: f32 = 0.8;
/// Words that make a toy one for animals (stemmed).
const PET_STEMS: [&str; 7] = ["pet", "dog", "cat", "puppi", "kitten", "parrot", "hamster"];
const PET_ZH: [&str; 5] = ["宠物", "狗", "猫", "犬", "鹦鹉"];

/// Men's or boys', women's or girls'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Men,
    Women,
}
const MEN_STEMS: [&str; 4] = ["men", "boy", "male", "gentleman"];
const WOMEN_STEMS: [&str; 4] = ["women", "girl", "femal", "matern"];
const MEN_ZH: [&str; 6] = ["男士", "男式", "男款", "男装", "男童", "男孩"];
const WOMEN_ZH: [&str; 7] = ["女士", "女式", "女款", "女装", "女童", "女孩", "孕妇"];
/// Score kept by garments for the other people than the query names.
const OTHER_GENDER: f32 = 0.6;

/// Words of the primary forms of plastics (chapter 39 note 6), stemmed.
const PRIMARY_FORM_STEMS: [&str; 20] = [
    "copolym",
    "terpolym",
    "homopolym",
    "polym",
    "pellet",
    "granul",
    "powder",
    "flake",
    "chip",
    "liquid",
    "dispers",
    "emuls",
    "solut",
    "primari",
    "virgin",
    "masterbatch",
    "compound",
    "crumb",
    "past",
    "block",
];
/// Score kept by the primary forms of plastics (3901-3914) when the query names an article.
const PRIMARY_FORMS: f32 = 0.6;

const PARTS_STEMS: [&str; 5] = ["part", "compon", "accessori", "spare", "replac"];
const PARTS_ZH: [&str; 5] = ["零件", "配件", "部件", "附件", "备件"];
const ELECTRIC_PREFIXES: [&str; 5] = ["electr", "cordless", "recharg", "batteri", "usb"];
const ELECTRIC_ZH: [&str; 4] = ["电动", "电热", "充电", "电子"];

impl Cues {
    fn of(texts: &[String], analyzed: &[Analyzed]) -> Cues {
        let mut c = Cues::default();
        let mut drug_form = false;
        let (mut knit, mut woven, mut pet) = (false, false, false);
        let (mut men, mut women) = (false, false);
        for (from, (text, a)) in texts.iter().zip(analyzed).enumerate() {
            knit |= KNIT_ZH.iter().any(|z| text.contains(z));
            woven |= WOVEN_ZH.iter().any(|z| text.contains(z));
            let mut dosage = false;
            let mut tech = false;
            for u in &a.units {
                if !u.cjk {
                    c.inn.extend(stems::of_word(&u.surface).into_iter().map(|s| (from, u.surface.clone(), s)));
                }
                knit |= KNIT_STEMS.contains(&u.norm.as_str());
                woven |= WOVEN_STEMS.contains(&u.norm.as_str());
                drug_form |= DRUG_FORM_STEMS.contains(&u.norm.as_str())
                    || u.norm.ends_with("mg") && u.norm.starts_with(|c: char| c.is_ascii_digit());
                c.parts |= PARTS_STEMS.contains(&u.norm.as_str());
                c.electric |= ELECTRIC_PREFIXES.iter().any(|p| u.norm.starts_with(p));
                dosage |= DOSAGE_STEMS.contains(&u.norm.as_str());
                tech |= NOT_MEDICINE.iter().any(|t| u.norm.starts_with(t)) || u.norm.ends_with("gb");
                c.toy |= TOY_STEMS.contains(&u.norm.as_str());
                pet |= PET_STEMS.contains(&u.norm.as_str());
                c.prepared |= PREPARED_STEMS.contains(&u.norm.as_str());
                men |= MEN_STEMS.contains(&u.norm.as_str());
                women |= WOMEN_STEMS.contains(&u.norm.as_str());
                c.imitation |= IMITATION_STEMS.contains(&u.norm.as_str());
            }
            c.imitation |= IMITATION_ZH.iter().any(|z| text.contains(z));
            c.prepared |= PREPARED_ZH.iter().any(|z| text.contains(z));
            pet |= PET_ZH.iter().any(|z| text.contains(z));
            men |= MEN_ZH.iter().any(|z| text.contains(z));
            women |= WOMEN_ZH.iter().any(|z| text.contains(z));
            c.medicament |= (dosage && !tech) || MEDICAMENT_ZH.iter().any(|z| text.contains(z));
            c.toy |= text.contains("玩具");
            c.parts |= PARTS_ZH.iter().any(|z| text.contains(z));
            c.electric |= ELECTRIC_ZH.iter().any(|z| text.contains(z));
            c.cas |= has_cas_number(text);
        }
        c.medicament |= drug_form && !c.inn.is_empty();
        let plastics = materials::builtin().materials.iter().position(|m| m == "plastics");
        let text = analyzed.first().map(|a| a.units.as_slice()).unwrap_or_default();
        let is_plastic = |u: &Unit| {
            u.surface.starts_with("poly")
                || materials::builtin().words.iter().any(|(w, m)| Some(*m) == plastics && *w == u.surface)
        };
        c.plastic_article = text.iter().any(is_plastic)
            && !text.iter().any(|u| PRIMARY_FORM_STEMS.contains(&u.norm.as_str()))
            && text.iter().any(|u| !is_plastic(u) && u.norm.chars().any(char::is_alphabetic));
        let table = materials::builtin();
        c.material = [1, 0, 2, 3, 4, 5]
            .iter()
            .filter_map(|&i| analyzed.get(i).map(|a| (i, a)))
            .find_map(|(i, a)| table.named_in(&a.units, i != 1));
        // Toys for animals are not toys of chapter 95: they go by material.
        c.toy &= !pet;
        c.gender = match (men, women) {
            (true, false) => Some(Gender::Men),
            (false, true) => Some(Gender::Women),
            _ => None,
        };
        c.fabric = match (knit, woven) {
            (true, false) => Some(Fabric::Knitted),
            (false, true) => Some(Fabric::Woven),
            _ => None,
        };
        c
    }
}

/// A category path split into its specific end, which names the goods, and
/// the segment before it, which gives context ("Clothing, Shoes & Jewelry >
/// Men > Accessories > Belts" -> ("Belts", "Accessories"); "五金工具 > 扳手" ->
/// ("扳手", "五金工具")). Department names further up ("Clothing, Shoes &
/// Jewelry") match long nomenclature lists rather than the goods and are
/// left out. A text without a separator is all goods.
fn split_path(path: &str, separators: &[char]) -> (String, String) {
    if !path.contains(separators) {
        // As typed: a trailing space still says the last word is finished.
        return (path.to_string(), String::new());
    }
    let segments: Vec<&str> = path.split(separators).map(str::trim).filter(|s| !s.is_empty()).collect();
    match segments.split_last() {
        Some((last, rest)) => (last.to_string(), rest.last().map(|s| s.to_string()).unwrap_or_default()),
        None => (String::new(), String::new()),
    }
}

/// Separators of a category path in the `category` field.
const CATEGORY_SEPARATORS: [char; 5] = ['>', '/', '|', '›', '»'];
/// Separators that make a product text a category path ("家具 > 办公椅");
/// titles use `/` and `|` for other things ("18/8 steel", "Men | Women").
const PATH_SEPARATORS: [char; 3] = ['>', '›', '»'];

/// Attribute names whose value says what the goods are made of: it counts as
/// the `material` field.
const MATERIAL_KEYS: [&str; 14] = [
    "material",
    "materials",
    "fabric",
    "fabric type",
    "main material",
    "outer material",
    "upper material",
    "shell material",
    "composition",
    "material composition",
    "材质",
    "材料",
    "面料",
    "主面料",
];

/// Attribute names whose value says who the goods are for.
const GENDER_KEYS: [&str; 6] = ["gender", "sex", "department", "for", "target gender", "target audience"];

/// The text an attribute contributes. Yes/no values make the name evidence
/// or nothing ("knitted": "no" is not evidence for knitted goods), and the
/// codes marketplaces use for gender become the nomenclature's words
/// ("F" -> "women's"; "male" alone is left out of free text, where it can
/// mean a connector).
fn attribute_text(key: &str, value: &str) -> String {
    let v = value.trim().to_lowercase();
    match v.as_str() {
        "yes" | "y" | "true" => return key.to_string(),
        "no" | "n" | "false" | "none" | "n/a" => return String::new(),
        _ => {}
    }
    if GENDER_KEYS.contains(&key.trim().to_lowercase().as_str()) {
        let people = match v.as_str() {
            "f" | "w" | "female" | "woman" | "women" | "womens" | "ladies" | "lady" => "women's",
            "m" | "male" | "man" | "men" | "mens" | "gents" => "men's",
            "boy" | "boys" => "boys'",
            "girl" | "girls" => "girls'",
            "baby" | "babies" | "infant" | "infants" | "newborn" | "toddler" => "babies'",
            "unisex" | "adult" | "adults" | "all" => "",
            _ => value,
        };
        return people.to_string();
    }
    format!("{key} {value}")
}

/// The chemical chapters 28-29.
fn is_chemical(chapter: u8) -> bool {
    matches!(chapter, 28 | 29)
}

/// Adds `v` to the score of each leaf in `leaves`, listing the leaves
/// touched for the first time in `scored`.
fn add_to(score: &mut [f32], seen: &mut [bool], scored: &mut Vec<u32>, leaves: std::ops::Range<u32>, v: f32) {
    for leaf in leaves {
        let l = leaf as usize;
        score[l] += v;
        if !seen[l] {
            seen[l] = true;
            scored.push(leaf);
        }
    }
}

/// The subheading of 3004 (medicaments in measured doses or for retail sale)
/// for a medicament of the substance of chapter 28-29 subheading `code`.
fn medicament_of(code: &str) -> &'static str {
    match code {
        "294110" => "300410",
        c if c.starts_with("2941") => "300420",
        "293712" => "300431",
        c if c.starts_with("29372") => "300432",
        c if c.starts_with("2937") => "300439",
        "293941" => "300441",
        "293942" => "300442",
        "293944" => "300443",
        c if c.starts_with("2939") => "300449",
        c if c.starts_with("2936") => "300450",
        _ => "300490",
    }
}

/// The preparation (chapters 16, 20) of the raw food of subheading `code`
/// (chapters 2, 3, 7, 8), by the kind of animal or plant.
fn prepared_of(code: &str) -> Option<&'static str> {
    let p = |prefixes: &[&str]| prefixes.iter().any(|x| code.starts_with(x));
    Some(match code {
        _ if p(&["0201", "0202"]) => "160250",
        _ if p(&["0203"]) => "160249",
        _ if p(&["0207"]) => "160232",
        _ if p(&["02"]) => "160290",
        "030616" | "030617" | "030636" | "030695" => "160521",
        "030614" | "030633" => "160510",
        "030612" | "030615" | "030631" | "030632" => "160530",
        _ if p(&["0306"]) => "160540",
        _ if p(&["03071"]) => "160551",
        _ if p(&["03072"]) => "160552",
        _ if p(&["03073"]) => "160553",
        _ if p(&["03074"]) => "160554",
        _ if p(&["03075"]) => "160555",
        _ if p(&["03076"]) => "160558",
        _ if p(&["03077"]) => "160556",
        _ if p(&["03078"]) => "160557",
        _ if p(&["0307"]) => "160559",
        _ if p(&["0308"]) => "160569",
        _ if p(&["0302", "0303", "0304", "0305"]) => "160419",
        _ if p(&["07"]) => "200599",
        _ if p(&["08"]) => "200899",
        _ => return None,
    })
}

/// The electric appliance (chapters 84-85) that does the work of the
/// hand-operated article of subheading `code`, if there is one.
fn electric_of(code: &str) -> Option<&'static str> {
    Some(match code {
        "820551" | "821192" | "821191" | "821420" => "850980",
        "821490" => "851020",
        "960321" | "960390" => "850980",
        c if c.starts_with("8210") => "850940",
        c if c.starts_with("8212") => "851010",
        c if c.starts_with("8202") => "846722",
        c if ["8201", "8203", "8204", "8205", "8213"].iter().any(|p| c.starts_with(p)) => "846729",
        c if c.starts_with("9615") => "851632",
        c if c.starts_with("7323") || c.starts_with("7615") => "851679",
        c if c.starts_with("7321") => "851660",
        _ => return None,
    })
}

const ATTRIBUTE_WORDS_TSV: &str = include_str!("../data/attribute_words.tsv");

/// The stems of `data/attribute_words.tsv`: goods words that, before other
/// words, say a colour, flavour or scent.
fn attribute_words() -> &'static [String] {
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| tsv_rows(ATTRIBUTE_WORDS_TSV).map(|(_, cols)| stem_word(cols[0].trim())).collect())
}

/// True when the unit at `k` is an attribute word followed by a word of
/// the goods ("cherry" in "cherry lip balm", not in "fresh cherries").
fn is_attribute(units: &[Unit], k: usize) -> bool {
    if units[k].cjk {
        return names_a_colour(units, k);
    }
    let words = attribute_words();
    let goods_word = |u: &Unit| !u.cjk && u.norm.starts_with(char::is_alphabetic) && !words.contains(&u.norm);
    words.contains(&units[k].norm) && units[k + 1..].iter().any(goods_word)
}

/// True when the CJK unit at `k` is one of the (up to three) characters
/// right before 色 ("colour"): 咖啡色, 巧克力色, 酒红色, 米色 name a colour,
/// not coffee, chocolate, wine or rice. 色拉 (salad) is not a colour.
fn names_a_colour(units: &[Unit], k: usize) -> bool {
    let adjacent = |a: &Unit, b: &Unit| a.cjk && b.cjk && b.follows(a);
    (k + 1..units.len().min(k + 4))
        .take_while(|&j| adjacent(&units[j - 1], &units[j]))
        .any(|j| units[j].norm == "色" && units.get(j + 1).is_none_or(|n| n.norm != "拉"))
}

const NOISE_TSV: &str = include_str!("../data/noise.tsv");

/// The marketing phrases of `data/noise.tsv`, as unit sequences.
fn noise_phrases() -> &'static [Vec<String>] {
    static PHRASES: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    PHRASES.get_or_init(|| {
        NOISE_TSV
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| {
                let units = analyze(l).units;
                // A phrase that lost a stop word ("on sale" -> "sale") would drop
                // a word that names goods wherever it occurs: such lines are not used.
                let whole = units.iter().all(|u| u.cjk) || units.len() == l.split_whitespace().count();
                (whole && !units.is_empty()).then(|| units.into_iter().map(|u| u.norm).collect())
            })
            .collect()
    })
}

/// Drops the units of marketing phrases ("high quality", "hot sale", "新款")
/// and the terms that start at them.
fn drop_noise(a: Analyzed) -> Analyzed {
    let mut noise = vec![false; a.units.len()];
    for phrase in noise_phrases() {
        let n = phrase.len();
        for start in 0..a.units.len().saturating_sub(n - 1) {
            let span = &a.units[start..start + n];
            // Chinese has no spaces: a phrase's characters must be adjacent in the text.
            let adjacent = span.windows(2).all(|w| !w[1].cjk || w[1].follows(&w[0]));
            if adjacent && span.iter().zip(phrase).all(|(u, p)| u.norm == *p) {
                noise[start..start + n].iter_mut().for_each(|x| *x = true);
            }
        }
    }
    if !noise.contains(&true) {
        return a;
    }
    let mut new_index = vec![usize::MAX; a.units.len()];
    let mut units = Vec::with_capacity(a.units.len());
    for (i, u) in a.units.into_iter().enumerate() {
        if !noise[i] {
            new_index[i] = units.len();
            units.push(u);
        }
    }
    let terms = a.terms.into_iter().filter(|(_, unit)| !noise[*unit]).map(|(t, unit)| (t, new_index[unit])).collect();
    Analyzed { units, terms }
}

/// True when the text holds a CAS registry number such as 50-00-0 or 1092939-17-7.
fn has_cas_number(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let a = digits(i);
            let j = i + a;
            if (2..=7).contains(&a)
                && j + 5 <= b.len()
                && b[j] == b'-'
                && digits(j + 1) == 2
                && b[j + 3] == b'-'
                && digits(j + 4) == 1
                && (j + 5 == b.len() || !b[j + 5].is_ascii_alphanumeric())
            {
                return true;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    false
}

impl Query {
    /// A query with just a text.
    pub fn text(text: impl Into<String>) -> Query {
        Query { text: text.into(), ..Default::default() }
    }

    /// The texts of the query fields, in [`QUERY_FIELDS`] order.
    fn field_texts(&self) -> [String; 7] {
        // Attributes that say what the goods are made of are material ("Material":
        // "Stainless Steel"), the others are attributes.
        let mut made_of = Vec::new();
        let mut others = Vec::new();
        for (k, v) in self.attributes.iter().flatten() {
            match v {
                AttrValue::Text(s) if MATERIAL_KEYS.contains(&k.trim().to_lowercase().as_str()) => {
                    made_of.push(s.clone())
                }
                _ => others.push((k, v)),
            }
        }
        let attrs = others
            .into_iter()
            .map(|(k, v)| match v {
                AttrValue::Text(s) => attribute_text(k, s),
                AttrValue::Number(x) => format!("{k} {x}"),
                AttrValue::Flag(true) => k.clone(),
                AttrValue::Flag(false) => String::new(),
            })
            .collect::<Vec<_>>()
            .join(" ; ");
        let material = self
            .material
            .iter()
            .cloned()
            .chain(made_of)
            .filter(|m| !m.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ; ");
        let (text, text_context) = split_path(&self.text, &PATH_SEPARATORS);
        let (category, category_context) =
            self.category.as_deref().map(|c| split_path(c, &CATEGORY_SEPARATORS)).unwrap_or_default();
        [
            text,
            material,
            self.function.clone().unwrap_or_default(),
            self.use_.clone().unwrap_or_default(),
            category,
            attrs,
            [text_context, category_context].join(" ; ").trim_matches([' ', ';']).to_string(),
        ]
    }
}

impl Index {
    fn postings_of(&self, term: u32) -> impl Iterator<Item = (u32, bool, Field, u32)> + '_ {
        let (lo, hi) = (self.posting_offsets[term as usize] as usize, self.posting_offsets[term as usize + 1] as usize);
        let mut node = 0u32;
        self.postings[lo..hi].iter().enumerate().map(move |(k, &p)| {
            let (delta, neg, field, tf) = posting::unpack(p);
            node = if k == 0 { delta } else { node + delta };
            // Field numbers were checked when the index was loaded.
            (node, neg, Field::from_u8(field).unwrap_or(Field::Chapter), tf)
        })
    }

    fn phrase_targets_of(&self, phrase: u32) -> &[crate::format::PhraseTarget] {
        let (lo, hi) =
            (self.phrase_offsets[phrase as usize] as usize, self.phrase_offsets[phrase as usize + 1] as usize);
        &self.phrase_targets[lo..hi]
    }

    /// Finds every lexicon phrase in the units, keeping only maximal spans.
    fn find_phrases(&self, a: &Analyzed, from: usize, out: &mut Vec<PhraseHit>) {
        let fst = self.phrases.as_fst();
        let units = &a.units;
        let mut hits: Vec<PhraseHit> = Vec::new();
        // Depth-first over the phrase fst: after each matched unit the next one
        // is either adjacent or a few words further on (a gap of at most
        // MAX_GAP words), so "plastic pasta bowl" still finds "plastic bowl".
        struct State<'f> {
            node: fst::raw::Node<'f>,
            output: fst::raw::Output,
            last: usize,
            gap: f32,
            mask: u32,
        }
        let weight = |u: &Unit| if u.cjk { 0.5 } else { 1.0 };
        fn step<'f, D: AsRef<[u8]>>(
            fst: &'f fst::raw::Fst<D>,
            (mut node, mut output): (fst::raw::Node<'f>, fst::raw::Output),
            sep: &[u8],
            unit: &Unit,
        ) -> Option<(fst::raw::Node<'f>, fst::raw::Output)> {
            for &b in sep.iter().chain(unit.norm.as_bytes()) {
                let t = node.transition(node.find_input(b)?);
                output = output.cat(t.out);
                node = fst.node(t.addr);
            }
            Some((node, output))
        }
        for start in 0..units.len() {
            let Some((node, output)) = step(fst, (fst.root(), fst::raw::Output::zero()), b"", &units[start]) else {
                continue;
            };
            let mut stack = vec![State { node, output, last: start, gap: 0.0, mask: 1 }];
            while let Some(s) = stack.pop() {
                let phrase = s.output.cat(s.node.final_output()).value();
                if s.node.is_final() && (phrase as usize) < self.phrase_offsets.len().saturating_sub(1) {
                    let matched = || (start..=s.last).filter(|k| s.mask >> (k - start) & 1 == 1);
                    let words: f32 = matched().map(|k| weight(&units[k])).sum();
                    if s.gap == 0.0 || words >= MIN_GAPPED_WORDS {
                        let mut surface = String::new();
                        let mut prev: Option<&Unit> = None;
                        for u in matched().map(|k| &units[k]) {
                            if prev.is_some_and(|p| !(u.cjk && p.cjk)) {
                                surface.push(' ');
                            }
                            surface.push_str(&u.surface);
                            prev = Some(u);
                        }
                        hits.push(PhraseHit {
                            phrase: phrase as u32,
                            from,
                            start,
                            mask: s.mask,
                            gapped: s.gap > 0.0,
                            attribute: matched().all(|k| is_attribute(units, k)),
                            surface,
                            specificity: words.max(1.0),
                        });
                    }
                }
                let mut skipped = 0.0;
                for next in s.last + 1..units.len().min(start + MAX_SPAN) {
                    if next > s.last + 1 {
                        // A gap neither exceeds MAX_GAP words nor crosses a phrase
                        // boundary ("pineapple chunks in juice" is not "pineapple juice").
                        skipped += weight(&units[next - 1]);
                        if s.gap + skipped > MAX_GAP || units[next - 1].after_break || units[next].after_break {
                            break;
                        }
                    }
                    let sep: &[u8] = if units[next].cjk && units[s.last].cjk { b"" } else { b" " };
                    if let Some((node, output)) = step(fst, (s.node, s.output), sep, &units[next]) {
                        let mask = s.mask | 1 << (next - start);
                        stack.push(State { node, output, last: next, gap: s.gap + skipped, mask });
                    }
                }
            }
        }
        // The same phrase found twice over the same words: keep the tightest.
        hits.sort_by(|a, b| a.phrase.cmp(&b.phrase).then(a.gapped.cmp(&b.gapped)));
        hits.dedup_by(|later, kept| later.phrase == kept.phrase && later.gapped);
        // Drop hits whose words all lie inside a hit of more words ("case" inside "phone case").
        let covers = |o: &PhraseHit, h: &PhraseHit| {
            o.start <= h.start
                && h.start - o.start < 32
                && (h.mask << (h.start - o.start)) & !o.mask == 0
                && o.mask.count_ones() > h.mask.count_ones()
        };
        for h in &hits {
            if !hits.iter().any(|o| covers(o, h)) {
                out.push(PhraseHit { surface: h.surface.clone(), ..*h });
            }
        }
    }

    /// Classifies a product description. See the module documentation for how.
    pub fn classify(&self, query: &Query, options: &Options) -> Result<Classification, Error> {
        if options.top == 0 || options.top > MAX_TOP {
            return Err(Error::BadQuery(format!("top must be between 1 and {MAX_TOP}, got {}", options.top)));
        }
        let texts = query.field_texts();
        let len: usize = texts.iter().map(String::len).sum::<usize>()
            + query.attributes.iter().flatten().map(|(k, _)| k.len()).sum::<usize>();
        if len > MAX_QUERY_BYTES {
            return Err(Error::QueryTooLong { len, max: MAX_QUERY_BYTES });
        }
        let mut analyzed: Vec<Analyzed> = texts.iter().map(|t| drop_noise(analyze(t))).collect();
        if analyzed.iter().all(|a| a.units.is_empty()) {
            return Err(Error::EmptyQuery);
        }
        let mut budget = MAX_CORRECTIONS;
        for (i, a) in analyzed.iter_mut().enumerate() {
            let open_end = i == 0 && texts[0].chars().next_back().is_some_and(char::is_alphanumeric);
            self.correct_typos(a, &mut budget, open_end);
        }
        let cues = Cues::of(&texts, &analyzed);
        let mut hits = Vec::new();
        for (from, a) in analyzed.iter().enumerate() {
            self.find_phrases(a, from, &mut hits);
        }
        let mut qterms = self.query_terms(&analyzed);
        if !cues.inn.is_empty() {
            for q in &mut qterms {
                if is_salt_word(&q.surface) {
                    q.weight *= SALT_WEIGHT;
                }
            }
        }
        let neighbours = self.nearest_examples(&qterms);
        let score = self.score(&qterms, &hits, &neighbours, &cues);

        // Rank: best score first, ties by code order; only the best k are sorted.
        let mut order: Vec<(u32, f32)> = score.into_iter().filter(|(_, s)| *s > 0.0).collect();
        let rank = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let k = options.top.max(10) + DIVERSITY_POOL;
        if order.len() > k {
            order.select_nth_unstable_by(k - 1, rank);
            order.truncate(k);
        }
        order.sort_by(rank);
        let top_score = order.first().map(|x| x.1).unwrap_or(0.0);
        let z: f32 = order.iter().take(options.top.max(10)).map(|x| ((x.1 - top_score) / TEMPERATURE).exp()).sum();
        self.diversify(&mut order);
        let strength = 1.0 - (-top_score / EVIDENCE_SCALE).exp();
        let mut candidates = Vec::new();
        for &(l, s) in order.iter().take(options.top) {
            let node = self.leaves[l as usize];
            let p = ((s - top_score) / TEMPERATURE).exp() / z;
            let n = &self.nodes[node as usize];
            let (alerts, alerts_other_direction) =
                self.alerts_of(node).into_iter().partition(|a| a.def.direction.applies_to(options.direction));
            candidates.push(Candidate {
                code: n.code.clone(),
                level: n.digits,
                score: (s * 1000.0).round() / 1000.0,
                confidence: ((p * strength) * 1000.0).round() / 1000.0,
                description: n.text.clone(),
                path: self.path(node),
                why: self.explain(l, &qterms, &hits, &neighbours, &cues.inn),
                flags: self.flag_names(node),
                alerts,
                alerts_other_direction,
            });
        }
        // Questions among the plausible candidates: within half the best score.
        let plausible: Vec<Candidate> =
            candidates.iter().filter(|c| c.score >= 0.5 * top_score).take(5).cloned().collect();
        let questions = if plausible.len() >= 2 {
            let keys: Vec<(&str, &[u8])> = order
                .iter()
                .zip(&candidates)
                .filter(|(_, c)| plausible.iter().any(|p| p.code == c.code))
                .map(|(&(l, _), c)| {
                    let key = self.answer_keys[l as usize].get_or_init(|| answer_key(&c.path));
                    (c.code.as_str(), key.as_slice())
                })
                .collect();
            questions_from_keys(&keys, MAX_QUESTIONS)
        } else {
            Vec::new()
        };
        let needs_review = candidates.first().is_none_or(|c| c.confidence < REVIEW_BELOW);
        Ok(Classification { candidates, questions, needs_review })
    }

    /// Adds `factor` times the score of each scored leaf that `target_of`
    /// maps to another code onto that code's first leaf, once per target (the
    /// best source counts).
    fn transfer(
        &self,
        score: &mut [f32],
        seen: &mut [bool],
        scored: &mut Vec<u32>,
        factor: f32,
        target_of: impl Fn(usize, &str) -> Option<&'static str>,
    ) {
        let mut moved: Vec<(u32, f32)> = Vec::new();
        for &leaf in scored.iter() {
            let l = leaf as usize;
            if score[l] <= 0.0 {
                continue;
            }
            let code = &self.nodes[self.leaves[l] as usize].code;
            if let Some(node) = target_of(l, code).and_then(|t| self.node_id(t)) {
                moved.push((self.leaf_range[node as usize].0, factor * score[l]));
            }
        }
        moved.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        moved.dedup_by_key(|m| m.0);
        for (leaf, add) in moved {
            if (leaf as usize) < score.len() {
                add_to(score, seen, scored, leaf..leaf + 1, add);
            }
        }
    }

    /// Moves the subheadings of a heading beyond its first [`PER_HEADING`]
    /// after those of the other headings, so that a short list shows the
    /// alternatives a broker weighs ("footwear": 6402, 6403, 6404, 6405)
    /// rather than five subheadings of one heading. Otherwise score order.
    fn diversify(&self, order: &mut Vec<(u32, f32)>) {
        let mut seen: Vec<(&str, usize)> = Vec::new();
        let (mut first, mut later) = (Vec::with_capacity(order.len()), Vec::new());
        for &(l, s) in order.iter() {
            let code = &self.nodes[self.leaves[l as usize] as usize].code;
            let heading = &code[..code.len().min(4)];
            let n = match seen.iter_mut().find(|(h, _)| *h == heading) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((heading, 1));
                    1
                }
            };
            if n <= PER_HEADING {
                first.push((l, s));
            } else {
                later.push((l, s));
            }
        }
        first.extend(later);
        *order = first;
    }

    /// Replaces unknown words by the index's most common term one edit away
    /// ("alumnium" -> "aluminium", "vaccum" -> "vacuum"), so that both terms
    /// and lexicon phrases match. Known words are never touched, so exact
    /// queries pay nothing; at most `budget` words per query are looked up.
    /// With `open_end` (the text ends inside a word: typed so far, or cut
    /// off as in "john frieda conditio"), an unknown last word is first
    /// completed to the most common term it begins.
    fn correct_typos(&self, a: &mut Analyzed, budget: &mut usize, open_end: bool) {
        let mut changed = false;
        let last = a.units.len().saturating_sub(1);
        for (i, u) in a.units.iter_mut().enumerate() {
            if *budget == 0 {
                break;
            }
            let n = u.norm.len();
            if u.cjk
                || n > MAX_TYPO_WORD
                || !u.norm.chars().all(|c| c.is_alphabetic())
                || self.terms.contains_key(&u.norm)
            {
                continue;
            }
            let completed = if open_end && i == last && u.surface.len() >= MIN_PREFIX {
                *budget -= 1;
                self.most_common(fst::Automaton::starts_with(fst::automaton::Str::new(&u.surface)))
            } else {
                None
            };
            let fixed = match completed {
                Some(c) => Some(c),
                None if n >= 5 && *budget > 0 => {
                    *budget -= 1;
                    self.most_common(OneEdit { word: u.norm.as_bytes() })
                }
                None => None,
            };
            // Retail systems abbreviate by dropping vowels ("lpstck", "bdy wsh").
            let fixed = fixed.or_else(|| self.unabbreviate(&u.norm));
            if let Some(fixed) = fixed {
                u.norm = fixed;
                changed = true;
            }
        }
        if changed {
            // Terms are derived from units: rebuild them from the corrected units.
            for (term, unit) in a.terms.iter_mut() {
                let u = &a.units[*unit];
                if !u.cjk && !term.is_empty() && term.chars().all(|c| c.is_alphabetic()) && *term != u.norm {
                    *term = u.norm.clone();
                }
            }
        }
    }

    /// The most common term whose consonant skeleton is the word's own
    /// ("lpstck" -> "lipstick", "shdw" -> "shadow"), for words of at least
    /// [`MIN_SKELETON`] consonants that are not known as they are.
    fn unabbreviate(&self, word: &str) -> Option<String> {
        let key = skeleton(word)?;
        let map = self.skeletons.get_or_init(|| {
            use fst::Streamer;
            let mut map: HashMap<String, (String, u16)> = HashMap::new();
            let mut stream = self.terms.stream();
            while let Some((key, id)) = stream.next() {
                let Ok(term) = std::str::from_utf8(key) else { continue };
                let Some(sk) = skeleton(term) else { continue };
                let Some(&idf) = self.term_idf.get(id as usize) else { continue };
                match map.get_mut(&sk) {
                    // Keys stream in byte order, so ties keep the first.
                    Some(old) if idf < old.1 => *old = (term.to_string(), idf),
                    Some(_) => {}
                    None => {
                        map.insert(sk, (term.to_string(), idf));
                    }
                }
            }
            map
        });
        map.get(&key).map(|(term, _)| term.clone())
    }

    /// The index term the automaton accepts that is most common (lowest idf;
    /// ties by byte order), looking at no more than [`MAX_MATCHES`] terms.
    fn most_common<A: fst::Automaton>(&self, automaton: A) -> Option<String> {
        use fst::{IntoStreamer, Streamer};
        let mut stream = self.terms.search(automaton).into_stream();
        let mut best: Option<(u16, Vec<u8>)> = None;
        let mut seen = 0;
        while let Some((key, id)) = stream.next() {
            let Some(&idf) = self.term_idf.get(id as usize) else { continue };
            if best.as_ref().is_none_or(|(b, k)| idf < *b || (idf == *b && key < k.as_slice())) {
                best = Some((idf, key.to_vec()));
            }
            seen += 1;
            if seen == MAX_MATCHES {
                break;
            }
        }
        best.and_then(|(_, key)| String::from_utf8(key).ok())
    }

    /// The query terms known to the index, each once with its strongest query field.
    fn query_terms(&self, analyzed: &[Analyzed]) -> Vec<QTerm> {
        let mut qterms: Vec<QTerm> = Vec::new();
        let mut slot: HashMap<u32, usize> = HashMap::new();
        for (from, a) in analyzed.iter().enumerate() {
            for (term, unit) in &a.terms {
                let Some(id) = self.terms.get(term).filter(|&id| (id as usize) < self.term_idf.len()) else { continue };
                let id = id as u32;
                let u = &a.units[*unit];
                // A single CJK character is weak evidence; bigrams carry the meaning.
                let cjk_single = u.cjk && term.chars().count() == 1;
                let attribute = from != 1 && is_attribute(&a.units, *unit);
                let w = query_field_weight(from)
                    * if cjk_single { 0.35 } else { 1.0 }
                    * if attribute { ATTRIBUTE } else { 1.0 };
                match slot.get(&id) {
                    Some(&k) if qterms[k].weight >= w => {}
                    Some(&k) => {
                        qterms[k].weight = w;
                        qterms[k].from = from;
                    }
                    None => {
                        slot.insert(id, qterms.len());
                        let idf = self.term_idf[id as usize] as f32 / 1000.0;
                        let surface = if u.cjk { term.clone() } else { u.surface.clone() };
                        qterms.push(QTerm { id, weight: w, idf, surface, from });
                    }
                }
            }
        }
        qterms
    }

    /// Scores every subheading with any evidence: BM25F over the texts, times
    /// the share of the query it covers, plus phrase bonuses, adjusted by the
    /// query's cues. Returns (leaf ordinal, score) for the leaves touched.
    fn score(&self, qterms: &[QTerm], hits: &[PhraseHit], neighbours: &[(u32, f32)], cues: &Cues) -> Vec<(u32, f32)> {
        let n = self.leaves.len();
        let mut score = vec![0f32; n];
        let mut matched = vec![0f32; n];
        let mut acc = vec![0f32; n];
        let mut neg = vec![0f32; n];
        let mut seen = vec![false; n];
        let mut scored: Vec<u32> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        let mut total = 0f32;
        for q in qterms {
            total += q.idf * q.weight;
            for (node, negative, field, tf) in self.postings_of(q.id) {
                let nd = &self.nodes[node as usize];
                let (lo, hi) = self.leaf_range[node as usize];
                let norm = match field {
                    Field::Subheading | Field::Heading => {
                        1.0 - B + B * nd.len as f32 / self.avg_len[(nd.digits / 2) as usize]
                    }
                    _ => 1.0,
                };
                let v = field_weight(field) * tf as f32 / norm;
                for leaf in lo..hi {
                    let l = leaf as usize;
                    if acc[l] == 0.0 && neg[l] == 0.0 {
                        touched.push(leaf);
                    }
                    if negative {
                        neg[l] += field_weight(field);
                    } else {
                        acc[l] += v;
                    }
                }
            }
            for &leaf in &touched {
                let l = leaf as usize;
                let tf = acc[l];
                let mut s = q.idf * tf * (K1 + 1.0) / (tf + K1);
                if tf > 0.0 {
                    matched[l] += q.idf * q.weight;
                }
                s -= NEGATIVE * q.idf * neg[l].min(1.0);
                score[l] += q.weight * s;
                acc[l] = 0.0;
                neg[l] = 0.0;
                if !seen[l] {
                    seen[l] = true;
                    scored.push(leaf);
                }
            }
            touched.clear();
        }
        if total > 0.0 {
            for &l in &scored {
                let l = l as usize;
                if score[l] > 0.0 {
                    // sqrt is exactly rounded everywhere, so native and wasm rank alike.
                    score[l] *= (matched[l] / total).sqrt();
                }
            }
        }
        // Whole phrases from the lexicon and the company's history.
        for h in hits {
            for t in self.phrase_targets_of(h.phrase) {
                let (lo, hi) = self.leaf_range[t.node as usize];
                let b = PHRASE
                    * query_field_weight(h.from)
                    * (t.weight as f32 / 1000.0)
                    * (1.0 + 0.3 * (h.specificity - 1.0))
                    * if h.gapped { GAPPED } else { 1.0 }
                    * if h.attribute && h.from != 1 { ATTRIBUTE } else { 1.0 };
                add_to(&mut score, &mut seen, &mut scored, lo..hi, b);
            }
        }
        // The nearest past declarations vote for their codes: the best match of
        // each code counts fully, further matches of the same code a quarter.
        // Similarity is cubed, so a near-identical description speaks loudly
        // and one shared word barely at all.
        let mut voted: Vec<u32> = Vec::new();
        for &(e, sim) in neighbours {
            let leaf = self.leaf_range[self.examples[e as usize].node as usize].0;
            if leaf as usize >= n {
                continue;
            }
            let share = if voted.contains(&leaf) { 0.25 } else { 1.0 };
            voted.push(leaf);
            add_to(&mut score, &mut seen, &mut scored, leaf..leaf + 1, HISTORY * share * sim * sim * sim);
        }
        // Drug names: the INN stem is evidence for the substance class.
        let mut inn_ranges = Vec::new();
        for (from, _, stem) in &cues.inn {
            let Some(node) = self.node_id(&stem.code) else { continue };
            let (lo, hi) = self.leaf_range[node as usize];
            inn_ranges.push(lo..hi);
            add_to(&mut score, &mut seen, &mut scored, lo..hi, INN_STEM * query_field_weight(*from) * stem.weight);
        }
        // A medicament: what speaks for a substance (chapters 28-29, 3001) also speaks
        // for the subheading of 3004 its class leads to.
        if cues.medicament {
            self.transfer(&mut score, &mut seen, &mut scored, MEDICAMENT_TRANSFER, |l, code| {
                (is_chemical(self.leaf_chapter[l]) || code.starts_with("3001")).then(|| medicament_of(code))
            });
        }
        // Prepared food: what speaks for the raw goods also speaks for their preparation.
        if cues.prepared {
            self.transfer(&mut score, &mut seen, &mut scored, PREPARED_TRANSFER, |_, code| prepared_of(code));
        }
        // An electric article: what speaks for the hand-operated article also
        // speaks for the electric appliance that does the same (8509, 8510, 8467, 8516).
        if cues.electric {
            self.transfer(&mut score, &mut seen, &mut scored, ELECTRIC_TRANSFER, |_, code| electric_of(code));
        }
        // A material named: what speaks for the same goods in another
        // material's chapter speaks for them in this one.
        if let Some(material) = cues.material {
            self.move_to_material(&mut score, &mut seen, &mut scored, material);
        }
        for &leaf in &scored {
            let l = leaf as usize;
            let f = self.leaf_flags[l];
            let chapter = self.leaf_chapter[l];
            if !cues.inn.is_empty() && !matches!(chapter, 29 | 30) && !inn_ranges.iter().any(|r| r.contains(&leaf)) {
                score[l] *= INN_ELSEWHERE;
            }
            if f & leaf_flags::RESIDUAL != 0 {
                score[l] *= RESIDUAL;
            }
            if f & leaf_flags::PARTS != 0 && !cues.parts {
                score[l] *= PARTS_UNASKED;
            }
            if cues.electric && MANUAL_CHAPTERS.contains(&chapter) {
                score[l] *= ELECTRIC_IN_MANUAL;
            }
            if cues.cas && !cues.medicament && is_chemical(chapter) {
                score[l] *= CAS_CHEMICAL;
            }
            if cues.medicament {
                score[l] *= if chapter == 30 { MEDICAMENT_30 } else { MEDICAMENT_ELSEWHERE };
            }
            if cues.fabric.is_some_and(|fabric| chapter == if fabric == Fabric::Knitted { 61 } else { 62 }) {
                score[l] *= FABRIC_CHAPTER;
            }
            let other_gender = match cues.gender {
                Some(Gender::Men) => leaf_flags::WOMEN,
                Some(Gender::Women) => leaf_flags::MEN,
                None => 0,
            };
            if f & other_gender != 0 {
                score[l] *= OTHER_GENDER;
            }
            if cues.plastic_article && chapter == 39 && self.nodes[self.leaves[l] as usize].code.as_str() < "3915" {
                score[l] *= PRIMARY_FORMS;
            }
            if cues.imitation && (1..=12).contains(&chapter) {
                score[l] *= IMITATED;
            }
            if cues.prepared && matches!(chapter, 2 | 3 | 7 | 8) {
                score[l] *= PREPARED_RAW;
            }
            if cues.toy {
                score[l] *= match chapter {
                    95 => TOY_95,
                    86..=89 | 67 => TOY_ELSEWHERE,
                    _ => 1.0,
                };
            }
        }
        scored.into_iter().map(|l| (l, score[l as usize])).collect()
    }

    /// Moves evidence within each family of [`materials`] to the named
    /// material: the family's subheading in this material (its first code,
    /// or one with clearly more evidence) scores at least
    /// [`MATERIAL_TRANSFER`] of the family's best score in another material,
    /// which keeps [`OTHER_MATERIAL`] of it. The same words are evidence for
    /// both, so the score is raised to that level rather than added to.
    fn move_to_material(&self, score: &mut [f32], seen: &mut [bool], scored: &mut Vec<u32>, material: usize) {
        let table = materials::builtin();
        let leaves = |f: &materials::Family| -> Vec<std::ops::Range<u32>> {
            f.codes
                .iter()
                .filter_map(|c| self.node_id(c))
                .map(|n| {
                    let (lo, hi) = self.leaf_range[n as usize];
                    lo..hi
                })
                .collect()
        };
        let mut damped: Vec<u32> = Vec::new();
        for target in table.families.iter().filter(|f| f.material == material) {
            let ranges = leaves(target);
            let mut best = 0f32;
            for other in table.families.iter().filter(|f| f.family == target.family && f.material != material) {
                for l in leaves(other).into_iter().flatten() {
                    best = best.max(score[l as usize]);
                    if !ranges.iter().any(|r| r.contains(&l)) && !damped.contains(&l) {
                        damped.push(l);
                    }
                }
            }
            if best <= 0.0 {
                continue;
            }
            // The first code's subheading, unless another has clearly more
            // evidence: the material word alone favours the shortest texts.
            let Some(first) = ranges.first().map(|r| r.start) else { continue };
            let best_leaf = ranges
                .iter()
                .flat_map(|r| r.clone())
                .max_by(|a, b| score[*a as usize].total_cmp(&score[*b as usize]).then(b.cmp(a)))
                .unwrap_or(first);
            let to = if score[best_leaf as usize] > CLEARLY_MORE * score[first as usize] { best_leaf } else { first };
            let raise = MATERIAL_TRANSFER * best - score[to as usize];
            if raise > 0.0 {
                add_to(score, seen, scored, to..to + 1, raise);
            }
        }
        for l in damped {
            score[l as usize] *= OTHER_MATERIAL;
        }
    }

    /// The company's past declarations most similar to the query: up to
    /// [`NEIGHBOURS`] examples with their similarity (BM25 over the query's own
    /// best possible score, so 1.0 is a description made of the same words).
    fn nearest_examples(&self, qterms: &[QTerm]) -> Vec<(u32, f32)> {
        if self.examples.is_empty() {
            return Vec::new();
        }
        let mut sim: HashMap<u32, f32> = HashMap::new();
        let mut total = 0f32;
        for q in qterms {
            total += q.idf * q.weight;
            let (lo, hi) =
                (self.example_offsets[q.id as usize] as usize, self.example_offsets[q.id as usize + 1] as usize);
            let mut id = 0u32;
            for (k, &p) in self.example_postings[lo..hi].iter().enumerate() {
                id = if k == 0 { p >> 4 } else { id + (p >> 4) };
                let tf = (p & 0xF) as f32;
                let norm = 1.0 - B + B * self.examples[id as usize].len as f32 / self.avg_example_len;
                *sim.entry(id).or_default() += q.weight * q.idf * tf * (K1 + 1.0) / (tf + K1 * norm);
            }
        }
        if total <= 0.0 {
            return Vec::new();
        }
        let mut best: Vec<(u32, f32)> = sim.into_iter().map(|(e, s)| (e, (s / total).min(1.0))).collect();
        let rank = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if best.len() > NEIGHBOURS {
            best.select_nth_unstable_by(NEIGHBOURS - 1, rank);
            best.truncate(NEIGHBOURS);
        }
        best.sort_by(rank);
        best
    }

    /// The evidence for one candidate: which query terms matched which texts.
    fn explain(
        &self,
        leaf: u32,
        qterms: &[QTerm],
        hits: &[PhraseHit],
        neighbours: &[(u32, f32)],
        inn: &[(usize, String, &Stem)],
    ) -> Vec<Evidence> {
        let mut out = Vec::new();
        for (from, word, stem) in inn {
            let Some(node) = self.node_id(&stem.code) else { continue };
            let (lo, hi) = self.leaf_range[node as usize];
            if (lo..hi).contains(&leaf) {
                out.push(Evidence {
                    term: word.clone(),
                    field: "inn_stem",
                    code: stem.code.clone(),
                    from: QUERY_FIELDS[*from],
                    against: false,
                });
            }
        }
        for &(e, _) in neighbours {
            let ex = &self.examples[e as usize];
            if self.leaf_range[ex.node as usize].0 == leaf {
                out.push(Evidence {
                    term: ex.text.clone(),
                    field: Field::Example.name(),
                    code: self.nodes[ex.node as usize].code.clone(),
                    from: QUERY_FIELDS[0],
                    against: false,
                });
            }
        }
        for h in hits {
            for t in self.phrase_targets_of(h.phrase) {
                let (lo, hi) = self.leaf_range[t.node as usize];
                if (lo..hi).contains(&leaf) {
                    out.push(Evidence {
                        term: h.surface.clone(),
                        field: Field::Lexicon.name(),
                        code: self.nodes[t.node as usize].code.clone(),
                        from: QUERY_FIELDS[h.from],
                        against: false,
                    });
                }
            }
        }
        for q in qterms {
            // The most specific text that matched, and any exclusion that did.
            let mut best: Option<(Field, u32)> = None;
            let mut against: Option<(Field, u32)> = None;
            for (node, negative, field, _) in self.postings_of(q.id) {
                let (lo, hi) = self.leaf_range[node as usize];
                if !(lo..hi).contains(&leaf) {
                    continue;
                }
                let slot = if negative { &mut against } else { &mut best };
                if slot.is_none_or(|(f, _)| field_weight(field) > field_weight(f)) {
                    *slot = Some((field, node));
                }
            }
            for (slot, is_against) in [(best, false), (against, true)] {
                if let Some((field, node)) = slot {
                    out.push(Evidence {
                        term: q.surface.clone(),
                        field: field.name(),
                        code: self.nodes[node as usize].code.clone(),
                        from: QUERY_FIELDS[q.from],
                        against: is_against,
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_automaton_accepts_exactly_the_words_one_edit_away() {
        use fst::Automaton;
        let a = OneEdit { word: b"vacuum" };
        let run = |key: &[u8]| a.is_match(&key.iter().fold(a.start(), |s, &b| a.accept(&s, b)));
        for yes in [&b"vacuum"[..], b"vaccum", b"vacum", b"vacuums", b"xacuum"] {
            assert!(run(yes), "{}", String::from_utf8_lossy(yes));
        }
        for no in [&b"vcaum"[..], b"vacuumss", b"cuum", b"vaxxum"] {
            assert!(!run(no), "{}", String::from_utf8_lossy(no));
        }
    }

    /// Every word stems to an entry of the list, and every entry is reached
    /// by some word: a stemmed literal that no word reaches would never match.
    fn assert_stems(list: &[&str], words: &str) {
        let stems: Vec<String> = words.split_whitespace().map(stem_word).collect();
        for (w, s) in words.split_whitespace().zip(&stems) {
            assert!(list.contains(&s.as_str()), "{w} stems to {s}, not in {list:?}");
        }
        for entry in list {
            assert!(stems.iter().any(|s| s == entry), "no word of {words:?} stems to {entry}");
        }
    }

    #[test]
    fn cue_word_lists_are_the_stems_of_their_words() {
        assert_stems(
            &PREPARED_STEMS,
            "cooked fried breaded battered marinated seasoned sauce tempura salad sandwich meal curry stew soup \
             dumplings nuggets sausage jerky canned tinned",
        );
        assert_stems(&IMITATION_STEMS, "artificial faux fake imitation simulated replica");
        assert_stems(&PET_STEMS, "pet dog cat puppies kitten parrot hamster");
        assert_stems(&DRUG_FORM_STEMS, "vials ampules ampoules oral topical solution gel cream spray drops patch dose");
        assert_stems(&TOY_STEMS, "toy plush playset plaything");
        assert_stems(
            &DOSAGE_STEMS,
            "tablets capsules caplets injection injectable infusion ointment syrup suspension ophthalmic transdermal \
             inhalation suppositories lozenges chewable",
        );
        assert_stems(&PARTS_STEMS, "parts components accessories spare replacement");
        assert_stems(&MEN_STEMS, "men boys male gentleman");
        assert_stems(
            &PRIMARY_FORM_STEMS,
            "copolymer terpolymer homopolymer polymer pellets granules powder flakes chips liquid dispersion emulsion \
             solution primary virgin masterbatch compound crumb paste blocks",
        );
        assert_stems(&WOMEN_STEMS, "women girls female maternity");
        assert_stems(
            &SALT_STEMS,
            "hydrochloride dihydrochloride hydrobromide sulfate sulphate bisulfate phosphate acetate citrate fumarate \
             hemifumarate maleate mesylate dimesylate tartrate bitartrate succinate besylate tosylate bromide chloride \
             sodium potassium calcium magnesium monohydrate dihydrate hemihydrate trihydrate anhydrous propionate \
             carbonate nitrate lactate gluconate dimeglumine",
        );
    }

    fn cues(text: &str) -> Cues {
        let texts = [text.to_string()];
        let analyzed: Vec<Analyzed> = texts.iter().map(|t| analyze(t)).collect();
        Cues::of(&texts, &analyzed)
    }

    #[test]
    fn dosage_forms_mean_medicaments_unless_the_words_are_about_machines() {
        assert!(cues("Lurasidone Hydrochloride Tablets").medicament);
        assert!(cues("Cisplatin Injection").medicament);
        assert!(cues("Difluprednate Ophthalmic Emulsion 0.05%").medicament);
        assert!(cues("阿莫西林胶囊").medicament);
        assert!(!cues("android tablet 10 inch 64GB").medicament);
        assert!(!cues("injection molding machine").medicament);
        assert!(!cues("stainless steel kitchen sink").medicament);
    }

    #[test]
    fn toys_are_recognised_in_english_and_chinese() {
        assert!(!cues("dog chew toy, natural rubber").toy, "toys for animals go by material");
        assert!(!cues("猫玩具逗猫棒").toy);
        assert!(cues("toy train set").toy);
        assert!(cues("plush bear").toy);
        assert!(cues("儿童玩具车").toy);
        assert!(!cues("children's t-shirt").toy);
    }

    #[test]
    fn salt_words_are_recognised_in_any_inflection() {
        for w in ["hydrochloride", "Sulfates", "maleate", "monohydrate", "sodium"] {
            assert!(is_salt_word(&w.to_lowercase()), "{w}");
        }
        for w in ["tablet", "steel", "omeprazole"] {
            assert!(!is_salt_word(w), "{w}");
        }
    }

    #[test]
    fn colour_flavour_and_scent_words_before_the_goods_are_attributes() {
        let attrs = |t: &str| {
            let units = analyze(t).units;
            (0..units.len()).filter(|&k| is_attribute(&units, k)).map(|k| units[k].surface.clone()).collect::<Vec<_>>()
        };
        assert_eq!(attrs("ivory heart pyjamas"), ["ivory"]);
        assert_eq!(attrs("cherry vanilla lip balm"), ["cherry", "vanilla"]);
        assert_eq!(attrs("fresh cherries"), Vec::<String>::new(), "last, it is the goods");
        assert_eq!(attrs("cherry vanilla"), Vec::<String>::new(), "only attribute words: the goods are among them");
        assert_eq!(attrs("olive 500ml"), Vec::<String>::new(), "a number is not the goods");
        assert!(attribute_words().len() >= 40);
        assert_eq!(attrs("巧克力色皮鞋"), ["巧", "克", "力"]);
        assert_eq!(attrs("咖啡色针织开衫"), ["咖", "啡"]);
        assert_eq!(attrs("大豆色拉油"), Vec::<String>::new(), "色拉 is salad");
        assert_eq!(attrs("咖啡 色"), Vec::<String>::new(), "only characters written together");
    }

    #[test]
    fn a_plastic_with_other_words_is_an_article_unless_a_primary_form_is_named() {
        assert!(cues("polypropylene cup").plastic_article);
        assert!(cues("PTFE-free polytetrafluoroethylene plug").plastic_article);
        assert!(!cues("polypropylene granules").plastic_article);
        assert!(!cues("polyethylene").plastic_article, "the polymer alone");
        assert!(!cues("ethylene-vinyl acetate copolymer").plastic_article);
        assert!(!cues("steel cup").plastic_article);
    }

    #[test]
    fn drug_names_with_a_form_are_medicaments() {
        let c = cues("Bumetanide Vials");
        assert_eq!(c.inn.len(), 1);
        assert!(c.medicament, "a named drug in vials is a medicament");
        assert!(!cues("glass vials").medicament, "vials alone are containers");
        assert!(!cues("Omeprazole").medicament, "the substance alone is not");
    }

    #[test]
    fn skeletons_drop_vowels_after_the_first_letter() {
        assert_eq!(skeleton("lipstick").as_deref(), Some("lpstck"));
        assert_eq!(skeleton("lpstck").as_deref(), Some("lpstck"));
        assert_eq!(skeleton("always").as_deref(), Some("alws"));
        assert_eq!(skeleton("body"), None, "too few consonants to be told apart");
        assert_eq!(skeleton("16gb"), None);
        assert_eq!(skeleton("café"), None);
    }

    #[test]
    fn marketing_phrases_are_dropped_with_their_terms() {
        let a = drop_noise(analyze("2025 New Fashion Hot Sale High Quality Women Beach Dress"));
        let units: Vec<&str> = a.units.iter().map(|u| u.norm.as_str()).collect();
        assert_eq!(units, ["2025", "women", "beach", "dress"]);
        assert!(a.terms.iter().all(|(t, u)| a.units[*u].norm == *t || t.contains(&a.units[*u].norm)));
        let a = drop_noise(analyze("新款连衣裙"));
        assert_eq!(a.units.iter().map(|u| u.norm.as_str()).collect::<String>(), "连衣裙");
        let a = drop_noise(analyze("新 款式"));
        assert_eq!(a.units.len(), 3, "characters apart are not the phrase");
        // Words of a phrase that also name goods stay when the phrase is not there.
        let a = drop_noise(analyze("high heels for sale, in stock"));
        assert_eq!(a.units.len(), 4);
        assert!(noise_phrases().iter().all(|p| p.len() >= 2 || p[0].len() > 6), "{:?}", noise_phrases());
    }

    #[test]
    fn fabric_names_say_knitted_or_woven() {
        assert_stems(&KNIT_STEMS, "knit knitted jersey interlock crochet crocheted fleece ribbed pique");
        assert_stems(
            &WOVEN_STEMS,
            "woven denim chiffon poplin twill canvas satin corduroy tweed flannel linen oxford seersucker chambray \
             gabardine taffeta organza georgette",
        );
        assert_eq!(cues("women's linen wide leg pants").fabric, Some(Fabric::Woven));
        assert_eq!(cues("jersey hijab").fabric, Some(Fabric::Knitted));
        assert_eq!(cues("女士针织开衫").fabric, Some(Fabric::Knitted));
        assert_eq!(cues("denim jacket with knit hood").fabric, None, "both: no cue");
        assert_eq!(cues("cotton shirt").fabric, None);
    }

    #[test]
    fn attributes_say_yes_no_and_gender_in_the_nomenclature_words() {
        assert_eq!(attribute_text("knitted", "No"), "");
        assert_eq!(attribute_text("knitted", "yes"), "knitted");
        assert_eq!(attribute_text("Gender", "F"), "women's");
        assert_eq!(attribute_text("gender", "Male"), "men's");
        assert_eq!(attribute_text("department", "Girls"), "girls'");
        assert_eq!(attribute_text("gender", "unisex"), "");
        assert_eq!(attribute_text("connector", "male"), "connector male", "only gender attributes are mapped");
    }

    #[test]
    fn prepared_food_is_recognised_and_led_to_its_preparation() {
        assert!(cues("Frozen Tilapia in Sauce").prepared);
        assert!(cues("breaded shrimp").prepared);
        assert!(cues("卤牛肉").prepared);
        assert!(!cues("frozen tilapia fillets").prepared);
        assert!(!cues("smoked salmon").prepared, "smoked fish stays in chapter 3");
        assert_eq!(prepared_of("030617"), Some("160521"));
        assert_eq!(prepared_of("030499"), Some("160419"));
        assert_eq!(prepared_of("020130"), Some("160250"));
        assert_eq!(prepared_of("160419"), None);
    }

    #[test]
    fn artificial_goods_are_recognised() {
        for t in ["artificial wheat wreath", "faux succulent", "fake flowers", "imitation crab", "仿真花"] {
            assert!(cues(t).imitation, "{t}");
        }
        assert!(!cues("fresh tulips").imitation);
    }

    #[test]
    fn category_paths_split_into_goods_and_context() {
        let split = |p: &str| split_path(p, &CATEGORY_SEPARATORS);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(split("Clothing, Shoes & Jewelry > Men > Accessories > Belts"), pair("Belts", "Accessories"));
        assert_eq!(split("女装/连衣裙"), pair("连衣裙", "女装"));
        assert_eq!(split("Toys & Games"), pair("Toys & Games", ""));
        assert_eq!(split(" > "), pair("", ""));
        assert_eq!(split("ladies cardig "), pair("ladies cardig ", ""), "a text without a path is kept as typed");
        assert_eq!(
            split_path("18/8 stainless steel tumbler", &PATH_SEPARATORS),
            pair("18/8 stainless steel tumbler", "")
        );
    }

    #[test]
    fn cas_numbers_are_recognised() {
        assert!(has_cas_number("Ruxolitinib Phosphate (CAS No. 1092939-17-7)"));
        assert!(has_cas_number("formaldehyde 50-00-0"));
        assert!(!has_cas_number("model 2023-10-5x"));
        assert!(!has_cas_number("size 10-12-14"));
        assert!(!has_cas_number("phone 555-1234"));
    }

    #[test]
    fn cues_read_parts_electric_and_chinese() {
        let texts = ["electric wine opener".to_string(), "汽车配件".to_string()];
        let analyzed: Vec<Analyzed> = texts.iter().map(|t| analyze(t)).collect();
        let c = Cues::of(&texts, &analyzed);
        assert!(c.electric && c.parts && !c.cas);
        let texts = ["wine opener".to_string()];
        let analyzed: Vec<Analyzed> = texts.iter().map(|t| analyze(t)).collect();
        let c = Cues::of(&texts, &analyzed);
        assert!(!c.electric && !c.parts);
    }
}
