//! The web pages' cost (issue 30): a section page and a search page at 1,000 talks (the
//! generated corpus of `benches/corpus`, from the bundled seed), each built as the listener
//! builds it (the command layer's reply within the web's budget, the HTML, the reader's
//! script), against the baseline measured in the same run: the Discord reply of the same
//! section or query (`reply::section`, `reply::search`).
//!
//! `cargo bench --bench web` prints p50 and p99 of each, in wall time per page, and their
//! ratios to the baseline. `LECTERN_BENCH_PAGES=<n>` sets how many pages of each (default 2,000).

#[path = "corpus/mod.rs"]
mod corpus;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lectern::i18n::Lang;
use lectern::library::{Library, LoadOptions};
use lectern::model::SectionRef;
use lectern::ops::Ops;
use lectern::reload::Content;
use lectern::reply;
use lectern::web::{self, Web};

const SEED: &str = include_str!("../seeds/2026-01-27-sam-altman-developer-townhall.md");

const QUERIES: &[&str] = &[
    "招聘放缓",
    "youeryuan",
    "GPT-5 coding",
    "生物安全",
    "hiring slowdown",
    "杰文斯悖论",
    "shengwu anquan",
    "what worries you most in 2026",
];

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn measure(n: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut v: Vec<Duration> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    v.sort();
    (pct(&v, 0.5), pct(&v, 0.99))
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let n: usize = std::env::var("LECTERN_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::tempdir().unwrap();
    for (name, md) in corpus::generate(SEED, 1000) {
        std::fs::write(dir.path().join(name), md).unwrap();
    }
    let opts = LoadOptions {
        max_file_bytes: 64 * 1024 * 1024,
        release_memory: false,
        media_base_url: None,
        cache_dir: None,
    };
    let lib = Library::load(dir.path(), &opts).library;
    let refs: Vec<SectionRef> = lib.section_refs().collect();
    let ops = Ops::new(Arc::new(Content::new(lib, dir.path().to_path_buf(), opts)));
    let web = Web::new(ops.clone(), Some("https://talks.example.org"), None);
    let lib = ops.content.library();
    println!(
        "{} talks, {} sections; {n} pages of each, wall time per page",
        lib.talks().len(),
        refs.len()
    );
    // Spread over the library, the same sequence every run.
    let pick = |i: usize| refs[(i * 7919) % refs.len()];
    for lang in [Lang::En, Lang::ZhTw] {
        let section = measure(n, |i| {
            let r = pick(i);
            let talk = &lib.talks()[r.talk];
            let path = format!("/talks/{}/{}", talk.id, r.section);
            let (p, body) = web::section_html(&lib, &talk.id, r.section, 0, lang).unwrap();
            black_box(web::full_page(&web, lang, &path, &p, &body));
        });
        let section_base = measure(n, |i| {
            black_box(reply::script::in_script(
                reply::section(&lib, pick(i), 0, lang),
                lang,
            ));
        });
        let search = measure(n, |i| {
            let q = QUERIES[i % QUERIES.len()];
            let (p, body) = web::search_html(&lib, q, lang);
            black_box(web::full_page(&web, lang, "/search", &p, &body));
        });
        let search_base = measure(n, |i| {
            let q = QUERIES[i % QUERIES.len()];
            black_box(reply::script::in_script(reply::search(&lib, q, lang), lang));
        });
        for (what, page, base) in [
            ("section page", section, section_base),
            ("search page", search, search_base),
        ] {
            println!(
                "{lang:?} {what:<13} p50 {:>8.1} µs  p99 {:>8.1} µs | Discord reply p50 {:>8.1} µs  p99 {:>8.1} µs | ratio p50 {:.2}  p99 {:.2}",
                us(page.0),
                us(page.1),
                us(base.0),
                us(base.1),
                us(page.0) / us(base.0),
                us(page.1) / us(base.1),
            );
        }
    }
}
