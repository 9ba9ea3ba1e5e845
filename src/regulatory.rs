//! China customs tariff import: the per-code 监管条件 (supervision conditions)
//! and 检验检疫类别 (inspection categories) that enterprises export from the
//! tariff themselves (columns such as 商品编码, 商品名称, 监管条件, 检验检疫类别;
//! CSV in UTF-8 or GBK here, XLSX read by the CLI into the same rows).
//!
//! Each 10-digit line's conditions attach to its HS6 as alerts: partial ("some
//! lines under this code carry ...") unless every line of that HS6 in the
//! file carries the same condition. Rows that cannot be read are reported with
//! their line numbers, never dropped silently.

use std::collections::BTreeMap;
use std::sync::OnceLock;

#[cfg(test)]
use crate::alerts::Direction;
use crate::alerts::{china_legend, AlertAt, AlertDef, Severity};
use crate::error::{DataError, Error};
use crate::nomenclature::clean_code;

const SUPERVISION_EN: &str = include_str!("../data/china/supervision_conditions_en.tsv");

/// A row the import could not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based line (row) number in the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// What an import read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TariffReport {
    /// Data rows seen.
    pub rows: usize,
    /// Rows used.
    pub used: usize,
    /// Rows with at least one condition or category.
    pub with_conditions: usize,
    /// Rows that could not be used, with why.
    pub problems: Vec<RowProblem>,
    /// The 10-digit lines read (code, 商品名称), to become codes of the index.
    pub lines: Vec<(String, String)>,
}

fn data_err(source: &str, message: String) -> Error {
    Error::Data(DataError { source: source.to_string(), line: None, message })
}

/// Decodes a CSV export (UTF-8, with or without BOM, else GBK) into rows.
pub fn csv_rows(bytes: &[u8], source: &str) -> Result<Vec<Vec<String>>, Error> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GBK.decode(bytes);
            if bad {
                return Err(data_err(source, "neither UTF-8 nor GBK text".into()));
            }
            t.into_owned()
        }
    };
    let delimiter = if text.lines().next().is_some_and(|l| l.contains('\t')) { b'\t' } else { b',' };
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec
            .map_err(|e| Error::Data(DataError { source: source.into(), line: Some(i + 1), message: e.to_string() }))?;
        rows.push(rec.iter().map(|f| f.trim().to_string()).collect());
    }
    Ok(rows)
}

fn supervision_defs() -> &'static BTreeMap<String, AlertDef> {
    static DEFS: OnceLock<BTreeMap<String, AlertDef>> = OnceLock::new();
    DEFS.get_or_init(|| {
        let english: BTreeMap<&str, (&str, &str)> = SUPERVISION_EN
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut c = l.splitn(3, '\t');
                Some((c.next()?, (c.next()?, c.next()?)))
            })
            .collect();
        let mut out = BTreeMap::new();
        for c in china_legend() {
            let (severity, title) = match english.get(c.code.as_str()) {
                Some(&(s, t)) => (s, t.to_string()),
                None => ("required", c.name_en.clone()),
            };
            let severity = match (c.scheme, severity) {
                (_, "prohibited") => Severity::Prohibited,
                (_, "info") => Severity::Info,
                _ => Severity::Required,
            };
            let title = if c.scheme == "CN-检验检疫" { c.name_en.clone() } else { title };
            out.insert(
                format!("{}:{}", c.scheme, c.code),
                AlertDef {
                    scheme: c.scheme.to_string(),
                    code: c.code.clone(),
                    title: format!(
                        "China {}: {title}",
                        if c.scheme == "CN-监管条件" { "supervision condition" } else { "inspection" }
                    ),
                    title_zh: format!(
                        "{}：{}",
                        if c.scheme == "CN-监管条件" { "监管条件" } else { "检验检疫类别" },
                        c.name_zh
                    ),
                    direction: c.direction,
                    severity,
                    source: "China customs tariff loaded by the user; legend: 海关监管条件代码表 / 检验检疫类别代码表"
                        .into(),
                },
            );
        }
        out
    })
}

fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = h.trim().to_lowercase();
        names.iter().any(|n| h == *n || h.contains(n))
    })
}

/// Reads tariff rows (a header row with 商品编码 and 监管条件 and/or 检验检疫类别
/// within the first five rows, then one line per row) into alerts on HS6
/// codes. Row `i` is line `i + 1` of the file.
pub fn tariff_alerts(rows: &[Vec<String>], source: &str) -> Result<(Vec<AlertAt>, TariffReport), Error> {
    let header_at = rows.iter().take(5).position(|r| {
        find_column(r, &["商品编码", "税则号列", "商品编号", "hs编码", "hs code", "code"]).is_some()
            && (find_column(r, &["监管条件"]).is_some() || find_column(r, &["检验检疫"]).is_some())
    });
    let Some(header_at) = header_at else {
        return Err(data_err(
            source,
            "no header row with 商品编码 and 监管条件 or 检验检疫类别 in the first five rows".into(),
        ));
    };
    let header = &rows[header_at];
    let code_col = find_column(header, &["商品编码", "税则号列", "商品编号", "hs编码", "hs code", "code"]).unwrap_or(0);
    let name_col = find_column(header, &["商品名称", "货品名称", "name", "description"]);
    let cond_col = find_column(header, &["监管条件"]);
    let insp_col = find_column(header, &["检验检疫"]);
    let defs = supervision_defs();
    let mut report = TariffReport::default();
    // HS6 -> number of lines; (HS6, alert key) -> lines carrying it.
    let mut lines_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut carried: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut line_alerts: Vec<AlertAt> = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(header_at + 1) {
        let line = i + 1;
        if row.iter().all(|f| f.is_empty()) {
            continue;
        }
        report.rows += 1;
        let raw = row.get(code_col).map(String::as_str).unwrap_or("");
        let code = clean_code(raw);
        if !(code.len() == 8 || code.len() == 10) || !code.bytes().all(|b| b.is_ascii_digit()) {
            report
                .problems
                .push(RowProblem { line, message: format!("商品编码 {raw:?} is not an 8- or 10-digit code") });
            continue;
        }
        let mut keys = Vec::new();
        let mut bad = None;
        let cond = cond_col.and_then(|c| row.get(c)).map(String::as_str).unwrap_or("");
        for ch in cond.chars().filter(|c| !c.is_whitespace()) {
            let key = format!("CN-监管条件:{ch}");
            if defs.contains_key(&key) {
                keys.push(key);
            } else {
                bad = Some(format!("监管条件 {cond:?}: {ch:?} is not a supervision condition code"));
            }
        }
        let insp = insp_col.and_then(|c| row.get(c)).map(String::as_str).unwrap_or("");
        for ch in insp.chars().filter(|c| !c.is_whitespace() && *c != '/' && *c != '.') {
            let key = format!("CN-检验检疫:{ch}");
            if defs.contains_key(&key) {
                keys.push(key);
            } else {
                bad = Some(format!("检验检疫类别 {insp:?}: {ch:?} is not an inspection category"));
            }
        }
        if let Some(message) = bad {
            report.problems.push(RowProblem { line, message });
            continue;
        }
        report.used += 1;
        let hs6 = code[..6].to_string();
        *lines_of.entry(hs6.clone()).or_default() += 1;
        keys.sort();
        keys.dedup();
        if !keys.is_empty() {
            report.with_conditions += 1;
        }
        if code.len() == 10 {
            let name = name_col.and_then(|c| row.get(c)).cloned().unwrap_or_default();
            report.lines.push((code.clone(), name));
            for key in &keys {
                line_alerts.push(AlertAt { code: code.clone(), def: defs[key].clone(), partial: Some(false) });
            }
        }
        for key in keys {
            *carried.entry((hs6.clone(), key)).or_default() += 1;
        }
    }
    // Each condition on its HS6 (partial unless every line of it carries the
    // condition), then on the lines themselves.
    let mut alerts: Vec<AlertAt> = carried
        .into_iter()
        .map(|((hs6, key), n)| {
            let partial = n < lines_of[&hs6];
            AlertAt { code: hs6, def: defs[&key].clone(), partial: Some(partial) }
        })
        .collect();
    alerts.extend(line_alerts);
    Ok((alerts, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "商品编码,商品名称,监管条件,检验检疫类别\n\
        8471300000,便携式自动数据处理设备,,\n\
        0901110000,未焙炒未浸除咖啡碱的咖啡,AB,P/Q\n\
        0901120000,未焙炒已浸除咖啡碱的咖啡,AB,P/Q\n\
        7208100000,热轧卷材,4xy,\n\
        720810,错误编码,A,\n\
        3003100000,含青霉素的药品,Aw,\n";

    #[test]
    fn conditions_attach_to_hs6_with_the_legend_text() {
        let rows = csv_rows(FIXTURE.as_bytes(), "t.csv").unwrap();
        let (alerts, report) = tariff_alerts(&rows, "t.csv").unwrap();
        assert_eq!((report.rows, report.used, report.with_conditions), (6, 4, 3));
        assert_eq!(report.problems.iter().map(|p| p.line).collect::<Vec<_>>(), [6, 7]);
        assert!(report.problems[0].message.contains("720810"));
        assert!(report.problems[1].message.contains("'w'"), "{:?}", report.problems);
        assert_eq!(report.lines.len(), 4);
        assert_eq!(report.lines[1], ("0901110000".to_string(), "未焙炒未浸除咖啡碱的咖啡".to_string()));
        assert!(alerts.iter().any(|a| a.code == "0901110000" && a.def.code == "A" && a.partial == Some(false)));
        let a = alerts.iter().find(|a| a.code == "090111" && a.def.code == "A").unwrap();
        assert_eq!(a.def.title_zh, "监管条件：检验检疫");
        assert_eq!(a.def.direction, Direction::Import);
        assert_eq!(a.partial, Some(false));
        let x = alerts.iter().find(|a| a.code == "720810" && a.def.code == "x").unwrap();
        assert_eq!(x.def.title_zh, "监管条件：出口许可证(加工贸易)");
        assert!(alerts.iter().any(|a| a.code == "720810" && a.def.code == "y"));
        let q =
            alerts.iter().find(|a| a.code == "090112" && a.def.scheme == "CN-检验检疫" && a.def.code == "Q").unwrap();
        assert_eq!(q.def.direction, Direction::Export);
    }

    #[test]
    fn a_condition_on_some_lines_of_an_hs6_is_partial() {
        let csv = "商品编码,监管条件\n6110200010,A\n6110200090,\n";
        let (alerts, _) = tariff_alerts(&csv_rows(csv.as_bytes(), "t").unwrap(), "t").unwrap();
        let hs6: Vec<&AlertAt> = alerts.iter().filter(|a| a.code == "611020").collect();
        assert_eq!(hs6.len(), 1);
        assert_eq!(hs6[0].partial, Some(true));
        assert!(alerts.iter().any(|a| a.code == "6110200010"));
    }

    #[test]
    fn gbk_exports_decode() {
        let (gbk, _, _) = encoding_rs::GBK.encode("商品编码,监管条件\n0901110000,AB\n");
        let rows = csv_rows(&gbk, "gbk.csv").unwrap();
        let (alerts, report) = tariff_alerts(&rows, "gbk.csv").unwrap();
        assert_eq!(report.used, 1);
        assert_eq!(alerts.iter().filter(|a| a.code == "090111").count(), 2);
    }

    #[test]
    fn a_file_without_the_columns_says_which_it_needs() {
        let rows = csv_rows(b"a,b\n1,2\n", "x.csv").unwrap();
        let err = tariff_alerts(&rows, "x.csv").unwrap_err().to_string();
        assert!(err.contains("商品编码") && err.contains("监管条件"), "{err}");
    }

    #[test]
    fn every_supervision_code_has_an_english_title() {
        for c in china_legend().iter().filter(|c| c.scheme == "CN-监管条件") {
            let def = &supervision_defs()[&format!("CN-监管条件:{}", c.code)];
            assert!(def.title.len() > "China supervision condition: ".len() + 3, "{}", c.code);
        }
    }
}
