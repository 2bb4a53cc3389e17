//! Reload time (issue 5): `Content::reload` of the bundled seed and of the generated
//! 1,000-talk corpus, with a one-file change between reloads so that the diff has work to do.
//!
//! `cargo bench --bench reload` prints, for each size, the median and the worst of several
//! reloads, next to a bare `Library::load` of the same folder measured in the same run (the
//! baseline: a reload is a load plus the diff and the swap).
//!
//! Before that it prints the parser's share at each size, in the thread's CPU time: reading
//! every file and `parse::parse_talk` on it, against pulldown-cmark's bare parse of the same
//! bytes with the parser's options (events only). `LECTERN_BENCH_PARSE_ONLY=<rounds>` runs only
//! the read-and-parse loop that many times at the largest size, for a profiler;
//! `LECTERN_BENCH_RELOADS=<rounds>` skips the parser's share, loads once and reloads that many
//! times, for a profile of the reload.

#[path = "corpus/mod.rs"]
mod corpus;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use lectern::library::{Library, LoadOptions};
use lectern::reload::Content;

const SEED: &str = include_str!("../seeds/2026-01-27-sam-altman-developer-townhall.md");

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time of the calling thread: not stretched when other processes share the cores.
fn thread_cpu_time() -> Duration {
    // SAFETY: clock_gettime writes into the struct it is given and nothing else.
    let ts = unsafe {
        let mut ts: libc::timespec = std::mem::zeroed();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut ts);
        ts
    };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The median thread CPU time of `rounds` runs of `f`.
fn cpu_median(rounds: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..rounds)
            .map(|_| {
                let t = thread_cpu_time();
                f();
                thread_cpu_time().checked_sub(t).unwrap()
            })
            .collect(),
    )
}

/// Reads every file of `names` in `dir` and parses it, as one thread of the load does.
fn read_and_parse(dir: &Path, names: &[String]) -> usize {
    names
        .iter()
        .map(|name| {
            let src = std::fs::read_to_string(dir.join(name)).expect("read");
            let id = lectern::library::talk_id(Path::new(name));
            lectern::parse::parse_talk(&id, &src).0.sections.len()
        })
        .sum()
}

/// pulldown-cmark over the same bytes with the parser's options, events only.
fn bare_parse(texts: &[String]) -> usize {
    let opts = lectern::parse::markdown_options();
    texts
        .iter()
        .map(|t| {
            pulldown_cmark::Parser::new_ext(t, opts)
                .into_offset_iter()
                .count()
        })
        .sum()
}

/// Writes the generated corpus of `n` talks to a temporary folder.
fn write_corpus(n: usize) -> (tempfile::TempDir, Vec<(String, String)>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let talks = corpus::generate(SEED, n);
    for (name, text) in &talks {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    (dir, talks)
}

/// The parser's share: read + `parse_talk` against the bare parse, in thread CPU time.
fn parse_report(sizes: &[usize]) {
    println!("| talks | bare parse CPU ms | read + parse_talk CPU ms | ÷ bare parse |");
    println!("|---:|---:|---:|---:|");
    for &n in sizes {
        let (dir, talks) = write_corpus(n);
        let (names, texts): (Vec<String>, Vec<String>) = talks.into_iter().unzip();
        let rounds = if n > 100 { 5 } else { 30 };
        let bare = cpu_median(rounds, || {
            black_box(bare_parse(&texts));
        });
        let parse = cpu_median(rounds, || {
            black_box(read_and_parse(dir.path(), &names));
        });
        println!(
            "| {n} | {:.1} | {:.1} | {:.2}× |",
            bare.as_secs_f64() * 1e3,
            parse.as_secs_f64() * 1e3,
            parse.as_secs_f64() / bare.as_secs_f64()
        );
    }
    println!();
}

fn main() {
    let sizes: Vec<usize> = std::env::var("LECTERN_BENCH_SIZES").ok().map_or_else(
        || vec![1, 1000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    if let Some(rounds) = std::env::var("LECTERN_BENCH_PARSE_ONLY")
        .ok()
        .and_then(|r| r.parse::<usize>().ok())
    {
        let (dir, talks) = write_corpus(sizes.iter().copied().max().unwrap_or(1000));
        let names: Vec<String> = talks.into_iter().map(|(name, _)| name).collect();
        for _ in 0..rounds {
            black_box(read_and_parse(dir.path(), &names));
        }
        return;
    }
    if std::env::var_os("LECTERN_BENCH_RELOADS").is_none() {
        parse_report(&sizes);
    }
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
        let (dir, talks) = write_corpus(n);
        let bytes: usize = talks.iter().map(|(_, text)| text.len()).sum();
        let opts = LoadOptions::default();
        let rounds = if n > 100 { 5 } else { 30 };
        // `LECTERN_BENCH_RELOADS=<rounds>`: that many reloads after one load, for a profiler.
        let (load_rounds, rounds) = std::env::var("LECTERN_BENCH_RELOADS")
            .ok()
            .and_then(|r| r.parse::<usize>().ok())
            .map_or((rounds, rounds), |r| (1, r));
        let loads: Vec<Duration> = (0..load_rounds)
            .map(|_| {
                let t = Instant::now();
                let loaded = Library::load(dir.path(), &opts);
                assert_eq!(loaded.library.talks().len(), n);
                t.elapsed()
            })
            .collect();
        let (content, warnings) = Content::load(dir.path().to_path_buf(), opts);
        assert!(warnings.is_empty());
        // The middle file: the documents after it move and those before it stay, which a
        // splice pays for by how far into each list it must read (the first file's change
        // would let it copy nearly every list whole).
        let (changed_name, changed_text) = &talks[n / 2];
        let reloads: Vec<Duration> = (0..rounds)
            .map(|i| {
                // Change one section so that every reload swaps and diffs for real.
                let changed =
                    changed_text.replace("一位斯坦福学生", &format!("第 {i} 位斯坦福学生"));
                std::fs::write(dir.path().join(changed_name), changed).expect("write");
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
