//! Questions that tell close candidates apart ("What is it made of? plastics
//! -> 3924.10, stainless steel -> 7323.93"), built from what distinguishes the
//! candidates' own nomenclature texts along the splits listed in
//! `data/questions.tsv` (material, knitted or not, gender, fibre, electric,
//! state, parts).

use std::sync::OnceLock;

use serde::Serialize;

use crate::builder::split_clauses;
use crate::classify::Candidate;
use crate::index::PathStep;
use crate::normalize::fold;

const QUESTIONS_TSV: &str = include_str!("../data/questions.tsv");

/// A question whose answers lead to different candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// What the question is about: `material`, `knitted`, `gender`, `fibre`, `power`, `state`, `parts`.
    pub dimension: String,
    /// The question in English.
    pub question: String,
    /// The question in Chinese.
    pub question_zh: String,
    /// The possible answers, each with the candidate codes it leads to.
    pub options: Vec<Answer>,
}

/// One answer to a [`Question`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The answer in English.
    pub answer: String,
    /// The answer in Chinese.
    pub answer_zh: String,
    /// The candidate codes that fit this answer, best first.
    pub codes: Vec<String>,
}

struct Dimension {
    name: String,
    question: String,
    question_zh: String,
    /// (answer, answer_zh, markers); empty markers: the answer of candidates matching no other.
    options: Vec<(String, String, Vec<String>)>,
}

fn dimensions() -> &'static [Dimension] {
    static DIMS: OnceLock<Vec<Dimension>> = OnceLock::new();
    DIMS.get_or_init(|| {
        let mut dims: Vec<Dimension> = Vec::new();
        for line in QUESTIONS_TSV.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["Q", name, q, qzh] => dims.push(Dimension {
                    name: name.to_string(),
                    question: q.to_string(),
                    question_zh: qzh.to_string(),
                    options: Vec::new(),
                }),
                ["O", name, a, azh, rest @ ..] => {
                    let markers = rest
                        .first()
                        .map(|m| m.split('|').filter(|x| !x.is_empty()).map(fold).collect())
                        .unwrap_or_default();
                    if let Some(d) = dims.iter_mut().find(|d| d.name == *name) {
                        d.options.push((a.to_string(), azh.to_string(), markers));
                    }
                }
                _ => {}
            }
        }
        dims
    })
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(i) = text[from..].find(phrase) {
        let at = from + i;
        let end = at + phrase.len();
        let before = text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = at + phrase.len().max(1);
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Which answer of each dimension a candidate's path texts give: one byte per
/// dimension of `data/questions.tsv` (an option index, or [`NO_ANSWER`]). The
/// default option (empty markers) is not chosen here but when grouping.
pub fn answer_key(path: &[PathStep]) -> Vec<u8> {
    let positive = path.iter().map(|p| split_clauses(&p.description).positive).collect::<Vec<_>>().join(" ; ");
    let whole = path.iter().map(|p| fold(&p.description)).collect::<Vec<_>>().join(" ; ");
    let has = |marker: &String| {
        if let Some(m) = marker.strip_prefix('!') {
            contains_phrase(&whole, m)
        } else if let Some(m) = marker.strip_prefix('^') {
            positive.split([';', ',']).any(|clause| clause.trim_start().starts_with(m))
        } else {
            contains_phrase(&positive, marker)
        }
    };
    dimensions()
        .iter()
        .map(|d| {
            d.options.iter().position(|(_, _, m)| !m.is_empty() && m.iter().any(has)).map_or(NO_ANSWER, |i| i as u8)
        })
        .collect()
}

/// No option of a dimension matched.
pub const NO_ANSWER: u8 = u8::MAX;

/// The questions whose answers split the given candidates (best first), from
/// their codes and [`answer_key`]s. At most `max` questions, in file order.
pub fn questions_from_keys(candidates: &[(&str, &[u8])], max: usize) -> Vec<Question> {
    let mut out = Vec::new();
    for (k, d) in dimensions().iter().enumerate() {
        let default = d.options.iter().position(|(_, _, m)| m.is_empty());
        let mut options: Vec<(usize, Answer)> = Vec::new();
        let mut matched_any = false;
        for (code, key) in candidates {
            let found = match key.get(k).copied().unwrap_or(NO_ANSWER) {
                NO_ANSWER => default,
                i => {
                    matched_any = true;
                    Some(i as usize)
                }
            };
            let Some(i) = found else { continue };
            match options.iter_mut().find(|(j, _)| *j == i) {
                Some((_, o)) => o.codes.push(code.to_string()),
                None => {
                    let (a, azh, _) = &d.options[i];
                    options
                        .push((i, Answer { answer: a.clone(), answer_zh: azh.clone(), codes: vec![code.to_string()] }));
                }
            }
        }
        if matched_any && options.len() >= 2 {
            out.push(Question {
                dimension: d.name.clone(),
                question: d.question.clone(),
                question_zh: d.question_zh.clone(),
                options: options.into_iter().map(|(_, o)| o).collect(),
            });
        }
        if out.len() == max {
            break;
        }
    }
    out
}

/// The questions whose answers split the given candidates (best first).
pub fn questions(candidates: &[Candidate], max: usize) -> Vec<Question> {
    let keys: Vec<Vec<u8>> = candidates.iter().map(|c| answer_key(&c.path)).collect();
    let pairs: Vec<(&str, &[u8])> =
        candidates.iter().zip(&keys).map(|(c, k)| (c.code.as_str(), k.as_slice())).collect();
    questions_from_keys(&pairs, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(code: &str, texts: &[&str]) -> Candidate {
        Candidate {
            code: code.into(),
            level: 6,
            score: 1.0,
            confidence: 0.4,
            description: texts.last().unwrap().to_string(),
            path: texts
                .iter()
                .map(|t| PathStep { code: code.into(), level: 6, description: t.to_string(), description_zh: None })
                .collect(),
            why: vec![],
            flags: vec![],
            alerts: vec![],
            alerts_other_direction: vec![],
        }
    }

    #[test]
    fn material_splits_plastic_and_steel_tableware() {
        let c = [
            cand(
                "392410",
                &[
                    "Plastics and articles thereof",
                    "Tableware, kitchenware ..., of plastics",
                    "Plastics; tableware and kitchenware",
                ],
            ),
            cand(
                "732393",
                &[
                    "Articles of iron or steel",
                    "Table, kitchen or other household articles; of iron or steel",
                    "Steel, stainless; table, kitchen and other household articles",
                ],
            ),
        ];
        let q = questions(&c, 3);
        assert_eq!(q[0].dimension, "material");
        assert_eq!(q[0].options[0].answer, "plastics");
        assert_eq!(q[0].options[0].codes, ["392410"]);
        assert_eq!(q[0].options[1].answer, "stainless steel");
        assert_eq!(q[0].question_zh, "是什么材质的？");
    }

    #[test]
    fn footwear_is_asked_about_its_uppers_not_the_first_material_named() {
        let c = [
            cand(
                "640391",
                &[
                    "Footwear",
                    "Footwear; with outer soles of rubber, plastics, leather or composition leather and uppers of leather",
                    "Footwear; covering the ankle",
                ],
            ),
            cand(
                "640411",
                &[
                    "Footwear",
                    "Footwear; with outer soles of rubber, plastics, leather or composition leather and uppers of textile materials",
                    "Footwear; sports footwear",
                ],
            ),
            cand("640299", &["Footwear", "Footwear; with outer soles and uppers of rubber or plastics", "Footwear; other"]),
        ];
        let q = questions(&c, 3);
        let material = q.iter().find(|q| q.dimension == "material").unwrap();
        let answers: Vec<(&str, &[String])> =
            material.options.iter().map(|o| (o.answer.as_str(), o.codes.as_slice())).collect();
        assert_eq!(answers.len(), 3, "{answers:?}");
        assert_eq!(answers[0], ("leather uppers", &["640391".to_string()][..]));
        assert_eq!(answers[1], ("textile uppers", &["640411".to_string()][..]));
        assert_eq!(answers[2].0, "plastics");
    }

    #[test]
    fn knitted_and_gender_questions_for_garments() {
        let c = [
            cand(
                "610910",
                &[
                    "Apparel; knitted or crocheted",
                    "T-shirts; knitted or crocheted",
                    "T-shirts; of cotton, knitted or crocheted",
                ],
            ),
            cand(
                "620520",
                &[
                    "Apparel; not knitted or crocheted",
                    "Shirts; men's or boys', not knitted",
                    "Shirts; men's or boys', of cotton",
                ],
            ),
            cand(
                "620630",
                &[
                    "Apparel; not knitted or crocheted",
                    "Blouses; women's or girls'",
                    "Blouses; women's or girls', of man-made fibres",
                ],
            ),
        ];
        let q = questions(&c, 5);
        let dims: Vec<&str> = q.iter().map(|q| q.dimension.as_str()).collect();
        assert_eq!(dims, ["knitted", "gender", "fibre"]);
        assert_eq!(q[0].options[0].answer, "knitted or crocheted");
        assert_eq!(q[0].options[1].codes, ["620520", "620630"]);
        assert_eq!(q[1].options[1].answer, "women or girls");
    }

    #[test]
    fn parts_means_a_code_for_parts_not_one_that_includes_them() {
        let c = [
            cand(
                "961400",
                &[
                    "Miscellaneous",
                    "Smoking pipes (including pipe bowls) and parts thereof",
                    "Smoking pipes and parts thereof",
                ],
            ),
            cand("640690", &["Footwear", "Parts of footwear", "Footwear; parts of footwear n.e.c."]),
            cand("701349", &["Glass", "Glassware for table, kitchen", "Glassware; for table or kitchen purposes"]),
        ];
        let q = questions(&c, 5);
        let parts = q.iter().find(|q| q.dimension == "parts").unwrap();
        assert_eq!(parts.options[0].codes, ["961400", "701349"]);
        assert_eq!(parts.options[1].codes, ["640690"]);
    }

    #[test]
    fn no_question_when_the_candidates_agree() {
        let c = [
            cand(
                "732410",
                &[
                    "Articles of iron or steel",
                    "Sanitary ware; of iron or steel",
                    "Sinks and wash basins, of stainless steel",
                ],
            ),
            cand(
                "732393",
                &[
                    "Articles of iron or steel",
                    "Household articles; of iron or steel",
                    "Steel, stainless; household articles",
                ],
            ),
        ];
        assert!(questions(&c, 3).is_empty());
    }

    #[test]
    fn markers_match_whole_words_only() {
        assert!(contains_phrase("shirts; men's or boys'", "men"));
        assert!(!contains_phrase("garments for women", "men"));
        assert!(!contains_phrase("plasticsware", "plastics"));
    }
}
