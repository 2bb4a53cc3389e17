//! Reload time (issue 5): `Content::reload` of the bundled seed and of the generated
//! 1,000-talk corpus, with a one-file change between reloads so that the diff has work to do.
//!
//! `cargo bench --bench reload` prints, for each size, the median and the worst of several
//! reloads, next to a bare `Library::load` of the same folder measured in the same run (the
//! baseline: a reload is a load plus the diff and the swap).

#[path = "corpus/mod.rs"]
mod corpus;

use std::time::{Duration, Instant};

use lectern::library::{Library, LoadOptions};
use lectern::reload::Content;

const SEED: &str = include_str!("../seeds/2026-01-27-sam-altman-developer-townhall.md");

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::var("LECTERN_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 1000]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "| talks | corpus MB | load (baseline) median ms | reload median ms | reload worst ms | reload ÷ load |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bytes = 0usize;
        let talks = corpus::generate(SEED, n);
        for (name, text) in &talks {
            bytes += text.len();
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        let opts = LoadOptions::default();
        let rounds = if n > 100 { 5 } else { 30 };
        let loads: Vec<Duration> = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                let loaded = Library::load(dir.path(), &opts);
                assert_eq!(loaded.library.talks().len(), n);
                t.elapsed()
            })
            .collect();
        let (content, warnings) = Content::load(dir.path().to_path_buf(), opts);
        assert!(warnings.is_empty());
        let (first_name, first_text) = &talks[0];
        let reloads: Vec<Duration> = (0..rounds)
            .map(|i| {
                // Change one section so that every reload swaps and diffs for real.
                let changed = first_text.replace("一位斯坦福学生", &format!("第 {i} 位斯坦福学生"));
                std::fs::write(dir.path().join(first_name), changed).expect("write");
                let report = runtime.block_on(content.reload(false));
                assert!(report.verdict.swapped(), "{:?}", report.warnings);
                assert_eq!(report.diff.sections_changed.len(), 1);
                report.elapsed
            })
            .collect();
        let worst = *reloads.iter().max().expect("rounds");
        let (load, reload) = (median(loads), median(reloads));
        println!(
            "| {n} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2}× |",
            bytes as f64 / 1e6,
            load.as_secs_f64() * 1e3,
            reload.as_secs_f64() * 1e3,
            worst.as_secs_f64() * 1e3,
            reload.as_secs_f64() / load.as_secs_f64()
        );
    }
}
