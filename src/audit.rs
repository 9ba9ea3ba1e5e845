//! The audit trail's hash chain, as exported by the browser (JSON Lines, or
//! CSV with the line in a `record` column).
//!
//! Each record is one JSON object on one line. Its text is
//! `JSON.stringify(record)` without the hash, with `,"hash":"<hex>"` inserted
//! before the final `}`, where `<hex>` is the SHA-256 of exactly that text
//! without the hash. Every record also carries `seq` (1, 2, 3, ...) and
//! `prev`, the hash of the record before it (64 zeros for the first). So the
//! verifier never re-serializes JSON: it removes the hash suffix, hashes the
//! bytes, and follows the chain. Any edited byte, deleted, inserted or
//! reordered record breaks the chain at a record it can name.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Why a log does not verify, at which record (1-based position in the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// Position of the first bad record in the file (1-based).
    pub record: usize,
    /// Its `seq`, when readable.
    pub seq: Option<u64>,
    /// What is wrong.
    pub reason: String,
}

/// The result of verifying a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Records checked.
    pub records: usize,
    /// Hash of the last record (the head of the chain), or [`GENESIS`].
    pub head: String,
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Splits a record line into (hashed text, hash), checking its shape.
fn split_record(line: &str) -> Result<(String, String), String> {
    const SUFFIX_LEN: usize = r#","hash":""#.len() + 64 + r#""}"#.len();
    if line.len() < SUFFIX_LEN + 2 || !line.ends_with("\"}") {
        return Err("not a record: it must end with ,\"hash\":\"<64 hex digits>\"}".into());
    }
    let cut = line.len() - SUFFIX_LEN;
    if !line.is_char_boundary(cut) || !line[cut..].starts_with(r#","hash":""#) {
        return Err("not a record: the hash must be its last field".into());
    }
    let hash = &line[cut + r#","hash":""#.len()..line.len() - 2];
    if !hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
        return Err("the hash is not 64 lower-case hex digits".into());
    }
    Ok((format!("{}}}", &line[..cut]), hash.to_string()))
}

/// Verifies the records (one per item, in file order).
pub fn verify_records<'a>(records: impl IntoIterator<Item = &'a str>) -> Result<Verified, Broken> {
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    for (i, line) in records.into_iter().enumerate() {
        let record = i + 1;
        let broken = |seq: Option<u64>, reason: String| Broken { record, seq, reason };
        let (body, hash) = split_record(line).map_err(|r| broken(None, r))?;
        let value: serde_json::Value =
            serde_json::from_str(&body).map_err(|e| broken(None, format!("not valid JSON: {e}")))?;
        let seq = value.get("seq").and_then(|s| s.as_u64());
        if sha256_hex(body.as_bytes()) != hash {
            return Err(broken(seq, "its content does not match its hash: the record was changed".into()));
        }
        if seq != Some(record as u64) {
            return Err(broken(
                seq,
                format!("seq is {seq:?}, expected {record}: records were deleted, inserted or reordered"),
            ));
        }
        if value.get("prev").and_then(|p| p.as_str()) != Some(prev.as_str()) {
            return Err(broken(
                seq,
                "prev is not the hash of the record before it: records were deleted, inserted or reordered".into(),
            ));
        }
        prev = hash;
        count = record;
    }
    Ok(Verified { records: count, head: prev })
}

/// Verifies an exported log: JSON Lines, or CSV with a `record` column.
pub fn verify_log(bytes: &[u8]) -> Result<Verified, Broken> {
    let bad = |reason: String| Broken { record: 0, seq: None, reason };
    let text = std::str::from_utf8(bytes).map_err(|e| bad(format!("the log is not UTF-8: {e}")))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') || text.trim().is_empty() {
        return verify_records(text.lines().filter(|l| !l.trim().is_empty()));
    }
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| bad(format!("not CSV: {e}")))?.clone();
    let col = headers
        .iter()
        .position(|h| h == "record")
        .ok_or_else(|| bad("a CSV log needs its `record` column (the JSON line of each record)".into()))?;
    let mut lines = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| Broken { record: i + 1, seq: None, reason: format!("unreadable CSV row: {e}") })?;
        lines.push(rec.get(col).unwrap_or("").to_string());
    }
    verify_records(lines.iter().map(String::as_str))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Makes a log the way the browser does.
    pub(crate) fn make_log(n: usize) -> Vec<String> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let body = format!(
                    r#"{{"seq":{seq},"time":"2026-11-25T10:0{seq}:00.000Z","prev":"{prev}","query":{{"text":"steel sink {seq}"}},"decision":{{"kind":"chosen","code":"732410"}},"note":"é"}}"#
                );
                let hash = sha256_hex(body.as_bytes());
                prev = hash.clone();
                format!(r#"{},"hash":"{hash}"}}"#, &body[..body.len() - 1])
            })
            .collect()
    }

    #[test]
    fn a_well_formed_log_verifies() {
        let log = make_log(4);
        let v = verify_records(log.iter().map(String::as_str)).unwrap();
        assert_eq!(v.records, 4);
        assert_eq!(v.head.len(), 64);
        assert_eq!(verify_records(std::iter::empty()).unwrap().head, GENESIS);
    }

    #[test]
    fn a_flipped_byte_breaks_that_record() {
        let mut log = make_log(4);
        log[2] = log[2].replacen("steel sink 3", "steel sink 8", 1);
        let b = verify_records(log.iter().map(String::as_str)).unwrap_err();
        assert_eq!((b.record, b.seq), (3, Some(3)));
        assert!(b.reason.contains("changed"), "{b:?}");
    }

    #[test]
    fn deleting_or_reordering_breaks_the_next_record() {
        let mut log = make_log(4);
        log.remove(1);
        let b = verify_records(log.iter().map(String::as_str)).unwrap_err();
        assert_eq!(b.record, 2);
        let mut log = make_log(4);
        log.swap(1, 2);
        assert_eq!(verify_records(log.iter().map(String::as_str)).unwrap_err().record, 2);
        // Deleting the last record cannot be seen from the log alone: the head changes.
        let log = make_log(4);
        let full = verify_records(log.iter().map(String::as_str)).unwrap().head;
        let cut = verify_records(log[..3].iter().map(String::as_str)).unwrap().head;
        assert_ne!(full, cut);
    }

    #[test]
    fn malformed_lines_are_named() {
        let mut log = make_log(2);
        log[1] = "garbage".into();
        assert_eq!(verify_records(log.iter().map(String::as_str)).unwrap_err().record, 2);
        let b = verify_log(b"\xff\xfe").unwrap_err();
        assert!(b.reason.contains("UTF-8"));
    }

    #[test]
    fn csv_logs_verify_through_their_record_column() {
        let log = make_log(3);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["seq", "decision", "record"]).unwrap();
        for (i, l) in log.iter().enumerate() {
            w.write_record([&(i + 1).to_string(), "732410", l]).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        assert_eq!(verify_log(&bytes).unwrap().records, 3);
        assert!(verify_log(b"seq,decision\n1,x\n").unwrap_err().reason.contains("record"));
    }
}
