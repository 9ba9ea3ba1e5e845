//! Classify latency on the default index: `cargo bench --bench classify`.
//! Needs `data/index/default.pcx` (built by `bash scripts/setup`).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use preclass::{Index, Options, Query};

const QUERIES: &[&str] = &[
    "stainless steel kitchen sink",
    "gaming laptop 16GB RAM 1TB SSD",
    "2025 New Fashion Hot Sale Women's Knitted Cardigan Sweater Cotton",
    "lithium ion battery pack 18650 3.7V",
    "不锈钢保温杯",
    "女士针织毛衣",
    "plastic food storage container with lid",
    "men's leather wallet",
];

fn bench(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/index/default.pcx");
    let bytes = std::fs::read(&path).expect("build the default index first: bash scripts/setup");
    c.bench_function("load default index", |b| b.iter(|| Index::from_bytes(black_box(&bytes)).unwrap()));
    let index = Index::from_bytes(&bytes).unwrap();
    let options = Options::default();
    for q in QUERIES {
        let query = Query::text(*q);
        c.bench_function(&format!("classify {q:?}"), |b| {
            b.iter(|| index.classify(black_box(&query), &options).unwrap())
        });
    }
    let long = Query::text(QUERIES.join(" ").repeat(20));
    c.bench_function("classify 20x all queries in one text", |b| {
        b.iter(|| index.classify(black_box(&long), &options).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
