//! Benchmarks of search (issue 3) at 1, 100 and 1,000 talks generated from the seed.
//!
//! `cargo bench --bench search` first prints a report (Markdown, the source of BENCHMARKS.md):
//! load-and-index time against pulldown-cmark's bare parse of the same bytes, search latency
//! p50/p99 over a fixed query mix against a naive strsim scan of every section, and resident
//! memory after load (measured in a fresh child process) against the corpus size. Then divan
//! runs its own statistically sampled benchmarks of the same operations.
//!
//! `LECTERN_BENCH_SIZES=1,100` limits the sizes (the default is `1,100,1000`).
//! `LECTERN_BENCH_WRITE_DIR=/tmp/corpus cargo bench --bench search` only writes each size's
//! corpus to `/tmp/corpus/<size>/`, for measuring whole `lectern check` processes.
//! `LECTERN_BENCH_QUERY_LOOP=/tmp/corpus/1000 cargo bench --bench search` only loads that
//! folder and runs the query mixes in a loop (`LECTERN_BENCH_ROUNDS`, default 200), printing
//! each query's median CPU time: the process to profile searching with; with
//! `LECTERN_BENCH_NO_PINYIN=1`, against the same library with its search blind to pinyin.
//! `LECTERN_BENCH_BARE_PARSE_DIR=/tmp/corpus/1000 <the bench binary>` only reads and parses that
//! folder with pulldown-cmark, as a whole process to time beside `lectern check` (issue 31).
//! `LECTERN_BENCH_FEATURE_MEMORY=/tmp/corpus/1000 cargo bench --bench search` only loads that
//! folder and prints the heap bytes of what pinyin and times keep in the library.

mod corpus;
#[path = "corpus/mix.rs"]
mod mix;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use lectern::library::{Library, LoadOptions};
use lectern::search;
use pulldown_cmark::Parser;

use mix::{ASKED_MIX, MIX};

/// The queries of [`MIX`] with their kinds.
const QUERIES: [(&str, &str); MIX.len()] = {
    let mut out = [("", ""); MIX.len()];
    let mut i = 0;
    while i < MIX.len() {
        out[i] = (MIX[i].0, MIX[i].1);
        i += 1;
    }
    out
};

/// How many queries of [`MIX`] find their section first, and how many misses stay misses.
fn relevance(lib: &Library) -> (usize, usize, usize, usize) {
    let (mut found, mut to_find, mut missed, mut to_miss) = (0, 0, 0, 0);
    for (_, q, want) in MIX {
        let hits = search::search(lib, q, 1).hits;
        match want {
            Some(title) => {
                to_find += 1;
                let first = hits.first().and_then(|h| {
                    lib.section(lectern::library::SectionRef {
                        talk: h.talk,
                        section: h.section?,
                    })
                });
                found += usize::from(first.is_some_and(|(_, s)| s.title == *title));
            }
            None => {
                to_miss += 1;
                missed += usize::from(hits.is_empty());
            }
        }
    }
    (found, to_find, missed, to_miss)
}

const SEED: &str = include_str!("../seeds/2026-01-27-sam-altman-developer-townhall.md");

/// A generated corpus written to a temporary folder, with its bytes kept in memory too.
struct Corpus {
    _dir: tempfile::TempDir,
    path: PathBuf,
    files: Vec<String>,
    bytes: usize,
}

fn corpus(n: usize) -> Corpus {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let talks = corpus::generate(SEED, n);
    let mut files = Vec::with_capacity(n);
    for (name, md) in talks {
        std::fs::write(dir.path().join(name), &md).expect("writing the corpus");
        files.push(md);
    }
    let bytes = files.iter().map(String::len).sum();
    Corpus {
        path: dir.path().to_path_buf(),
        _dir: dir,
        files,
        bytes,
    }
}

/// A corpus size with its corpus and library, leaked so the benchmarks can share them.
type Cached = (usize, &'static Corpus, &'static Library);

/// Corpora and their libraries, built once per size and shared by the divan benchmarks.
static CACHE: LazyLock<Mutex<Vec<Cached>>> = LazyLock::new(|| Mutex::new(Vec::new()));

fn cached(n: usize) -> (&'static Corpus, &'static Library) {
    let mut cache = CACHE.lock().expect("cache lock");
    if let Some(&(_, c, l)) = cache.iter().find(|(k, _, _)| *k == n) {
        return (c, l);
    }
    let c: &'static Corpus = Box::leak(Box::new(corpus(n)));
    let l: &'static Library = Box::leak(Box::new(load(&c.path)));
    cache.push((n, c, l));
    (c, l)
}

fn load(path: &Path) -> Library {
    let opts = LoadOptions {
        max_file_bytes: 64 * 1024 * 1024,
        // As the binary does: the resident memory measured after a load is the live size.
        release_memory: true,
        media_base_url: None,
        cache_dir: None,
    };
    Library::load(path, &opts).library
}

/// pulldown-cmark over the same bytes with the parser's options, events only.
fn bare_parse(files: &[String]) -> usize {
    let opts = lectern::parse::markdown_options();
    files
        .iter()
        .map(|f| Parser::new_ext(f, opts).into_offset_iter().count())
        .sum()
}

/// The whole-process baseline of issue 31's cold-load target: read every `.md` file of `dir`
/// and parse it with pulldown-cmark (events only, the parser's options), what a program that
/// only parses the files does; time the process (`/usr/bin/time`) as `lectern check DIR` is.
fn bare_parse_process(dir: &Path) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    let files: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a seed file"))
        .collect();
    println!("{} files, {} events", files.len(), bare_parse(&files));
}

/// The baseline a simple bot would use: every section scored with strsim, best first.
fn naive_search(lib: &Library, query: &str, limit: usize) -> Vec<(f64, usize, usize)> {
    let q = query.trim().to_lowercase();
    let words: Vec<&str> = q.split_whitespace().collect();
    let mut scored: Vec<(f64, usize, usize)> = lib
        .section_refs()
        .filter_map(|r| {
            let (_, s) = lib.section(r)?;
            let title = s.title.to_lowercase();
            let body = s.body.to_lowercase();
            let mut score = strsim::jaro_winkler(&q, &title) + body.matches(&q).count() as f64;
            for w in &words {
                score += body
                    .split_whitespace()
                    .map(|t| strsim::jaro_winkler(w, t))
                    .fold(0.0, f64::max);
            }
            Some((score, r.talk, r.section))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.truncate(limit);
    scored
}

/// CPU time (user and system) this process has used: unlike wall time, not stretched when
/// other processes share the cores.
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the struct it is given and nothing else.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &raw mut u);
        u
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU time of the calling thread, to the nanosecond: a search's own cost, without the time
/// it spent preempted.
fn thread_cpu_time() -> Duration {
    // SAFETY: clock_gettime writes into the struct it is given and nothing else.
    let ts = unsafe {
        let mut ts: libc::timespec = std::mem::zeroed();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut ts);
        ts
    };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Median wall time and median CPU time of `runs` runs of `f`.
fn timed(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_time());
        f();
        wall.push(t.elapsed());
        cpu.push(cpu_time().saturating_sub(c));
    }
    (median(wall), median(cpu))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Resident set size of this process, in bytes, from `/proc/self/status`.
fn rss() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<usize>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// In a child process: load the folder and print the RSS before and after, and the part of it
/// the dictionary's embedded text takes (read once before the load, as a load reads it).
fn rss_child(dir: &str) {
    let before = rss();
    // The folding tables first (a load builds them anyway), so that the difference is the
    // dictionary's text alone.
    black_box(search::normalize::fold("軟體"));
    let warm = rss();
    black_box(search::dict::Bilingual::build(|_, _| false));
    let dict_text = rss().saturating_sub(warm);
    let lib = load(Path::new(dir));
    let after = rss();
    let talks_heap: usize = lib
        .talks()
        .iter()
        .map(|t| {
            t.title.len()
                + t.sections
                    .iter()
                    .map(|s| s.body.len() + s.title.len())
                    .sum::<usize>()
                + t.quotes.iter().map(|q| q.text.len()).sum::<usize>()
        })
        .sum();
    println!(
        "{before} {after} {} {talks_heap} {dict_text} {}",
        lib.index().heap_bytes(),
        lib.index().bilingual().heap_bytes()
    );
    black_box(&lib);
}

/// RSS before and after a load, the index heap, the talks' text heap, the dictionary text's
/// resident size and the dictionary heap, in bytes.
fn rss_of_load(dir: &Path) -> (usize, usize, usize, usize, usize, usize) {
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env("LECTERN_BENCH_RSS_DIR", dir)
        .output()
        .expect("running the memory child");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<usize> = text
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    match v[..] {
        [a, b, c, d, e, f] => (a, b, c, d, e, f),
        _ => panic!("memory child said: {text}"),
    }
}

fn report(sizes: &[usize]) {
    println!("## lectern search benchmark report\n");
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "Machine: {} cores, load average at start {}.\n",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        loadavg
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "| talks | corpus MB | sections | bare parse ms (CPU) | load+index ms (CPU) | index only ms (CPU) | load ÷ parse (CPU) | index ÷ parse (CPU) | RSS after load MB | RSS ÷ corpus | search p50 ms | search p99 ms | search p50 CPU ms | search p99 CPU ms | slowest query, median ms | naive p50 ms | naive p99 ms | naive p99 ÷ search p99 |"
    );
    println!(
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    let mut per_kind = Vec::new();
    let mut relevances = Vec::new();
    let mut dict_rows = Vec::new();
    for &n in sizes {
        let c = corpus(n);
        let runs = if n >= 1000 { 3 } else { 7 };
        let (parse, parse_cpu) = timed(runs, || {
            black_box(bare_parse(black_box(&c.files)));
        });
        let mut lib = None;
        let (load_t, load_cpu) = timed(runs, || lib = Some(load(&c.path)));
        let lib = lib.expect("loaded");
        let (index_t, index_cpu) = timed(runs, || {
            black_box(search::Index::build(lib.talks()));
        });
        let (before, after, index_heap, talks_heap, dict_text, dict_heap) = rss_of_load(&c.path);
        let mut kept = 0;
        let (dict_t, dict_cpu) = timed(runs, || {
            kept = black_box(search::dict::Bilingual::build(|a, b| {
                lib.index().has_pair(a, b)
            }))
            .len();
        });
        let mut asked = Vec::new();
        let mut asked_cpu = Vec::new();
        for q in ASKED_MIX {
            black_box(search::search(&lib, q, 5));
        }
        for _ in 0..100 {
            for q in ASKED_MIX {
                let (t, c) = (Instant::now(), thread_cpu_time());
                black_box(search::search(&lib, black_box(q), 5));
                asked.push(t.elapsed());
                asked_cpu.push(thread_cpu_time().saturating_sub(c));
            }
        }
        asked.sort();
        asked_cpu.sort();
        dict_rows.push(format!(
            "| {n} | {kept} | {:.1} ({:.1}) | {:.2} | {:.1} | {:.3} | {:.3} | {:.3} | {:.3} |",
            ms(dict_t),
            ms(dict_cpu),
            dict_heap as f64 / 1e6,
            dict_text as f64 / 1e6,
            ms(percentile(&asked, 0.5)),
            ms(percentile(&asked, 0.99)),
            ms(percentile(&asked_cpu, 0.5)),
            ms(percentile(&asked_cpu, 0.99)),
        ));
        let rss_load = after.saturating_sub(before);
        // Search latency: every query of the mix, many rounds; warm once first.
        for (_, q) in QUERIES {
            black_box(search::search(&lib, q, 5));
        }
        let rounds = 100;
        let mut lat = Vec::new();
        let mut lat_cpu = Vec::new();
        let mut lat_by_query = Vec::new();
        // Per kind of query: wall times and CPU times.
        let mut kinds: Vec<(&str, Vec<Duration>, Vec<Duration>)> = Vec::new();
        for _ in 0..rounds {
            for (kind, q) in QUERIES {
                let (t, c) = (Instant::now(), thread_cpu_time());
                black_box(search::search(&lib, black_box(q), 5));
                let e = t.elapsed();
                let e_cpu = thread_cpu_time().saturating_sub(c);
                lat_cpu.push(e_cpu);
                lat.push(e);
                lat_by_query.push(e);
                match kinds.iter_mut().find(|e| e.0 == kind) {
                    Some((_, v, v_cpu)) => {
                        v.push(e);
                        v_cpu.push(e_cpu);
                    }
                    None => kinds.push((kind, vec![e], vec![e_cpu])),
                }
            }
        }
        lat.sort();
        lat_cpu.sort();
        let naive_rounds = if n >= 1000 { 1 } else { 5 };
        let mut naive = Vec::new();
        for _ in 0..naive_rounds {
            for (_, q) in QUERIES {
                let t = Instant::now();
                black_box(naive_search(&lib, black_box(q), 5));
                naive.push(t.elapsed());
            }
        }
        naive.sort();
        let (p50, p99) = (percentile(&lat, 0.5), percentile(&lat, 0.99));
        // The slowest query of the mix at its typical (median) latency: unlike the raw p99,
        // not moved by the scheduler preempting one run on a busy machine.
        let mut typical: Vec<Duration> = (0..QUERIES.len())
            .map(|q| {
                median(
                    (0..rounds)
                        .map(|r| lat_by_query[r * QUERIES.len() + q])
                        .collect(),
                )
            })
            .collect();
        typical.sort();
        let slowest_typical = *typical.last().expect("queries");
        let (n50, n99) = (percentile(&naive, 0.5), percentile(&naive, 0.99));
        let mb = |b: usize| b as f64 / 1e6;
        println!(
            "| {n} | {:.1} | {} | {:.1} ({:.1}) | {:.1} ({:.1}) | {:.1} ({:.1}) | {:.2}× ({:.2}×) | {:.2}× | {:.1} | {:.2}× | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2} | {:.2} | {:.0}× |",
            mb(c.bytes),
            lib.counts().sections,
            ms(parse),
            ms(parse_cpu),
            ms(load_t),
            ms(load_cpu),
            ms(index_t),
            ms(index_cpu),
            load_t.as_secs_f64() / parse.as_secs_f64(),
            load_cpu.as_secs_f64() / parse_cpu.as_secs_f64(),
            index_cpu.as_secs_f64() / parse_cpu.as_secs_f64(),
            mb(rss_load),
            rss_load as f64 / c.bytes as f64,
            ms(p50),
            ms(p99),
            ms(percentile(&lat_cpu, 0.5)),
            ms(percentile(&lat_cpu, 0.99)),
            ms(slowest_typical),
            ms(n50),
            ms(n99),
            n99.as_secs_f64() / p99.as_secs_f64(),
        );
        per_kind.push((n, kinds, index_heap, talks_heap, before));
        relevances.push((n, relevance(&lib)));
    }
    for (title, cpu) in [("wall", false), ("the searching thread's CPU time", true)] {
        println!("\nSearch latency by kind of query, {title} (p50 / p99, ms):\n");
        println!("| talks | exact | typo | mixed | miss |");
        println!("|---:|---:|---:|---:|---:|");
        for (n, kinds, _, _, _) in &per_kind {
            let cell = |k: &str| {
                kinds
                    .iter()
                    .find(|(x, _, _)| *x == k)
                    .map(|(_, wall, on_cpu)| {
                        let mut v = if cpu { on_cpu.clone() } else { wall.clone() };
                        v.sort();
                        format!(
                            "{:.3} / {:.3}",
                            ms(percentile(&v, 0.5)),
                            ms(percentile(&v, 0.99))
                        )
                    })
                    .unwrap_or_default()
            };
            println!(
                "| {n} | {} | {} | {} | {} |",
                cell("exact"),
                cell("typo"),
                cell("mixed"),
                cell("miss")
            );
        }
    }
    println!(
        "\nRelevance of the mix at each size (first hit is the expected section; misses stay misses):\n"
    );
    println!("| talks | found first | honest misses |");
    println!("|---:|---:|---:|");
    for (n, (found, to_find, missed, to_miss)) in &relevances {
        println!("| {n} | {found}/{to_find} | {missed}/{to_miss} |");
    }
    println!("\nMemory detail (MB): heap estimates inside the RSS growth of the child process\n");
    println!("| talks | RSS before load | index heap (est.) | talk text heap (est.) |");
    println!("|---:|---:|---:|---:|");
    for (n, _, index_heap, talks_heap, before) in &per_kind {
        println!(
            "| {n} | {:.1} | {:.1} | {:.1} |",
            *before as f64 / 1e6,
            *index_heap as f64 / 1e6,
            *talks_heap as f64 / 1e6
        );
    }
    println!(
        "\nDictionary (issue 16): entries kept for the library, `Bilingual::build` time (part of \
         load+index above), its heap (part of the index heap), the embedded text's resident \
         pages (part of the RSS above), and latency of the asked mix (p50 / p99, wall and CPU):\n"
    );
    println!(
        "| talks | entries kept | build ms (CPU) | heap MB (est.) | text resident MB | asked p50 ms | asked p99 ms | asked p50 CPU ms | asked p99 CPU ms |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in &dict_rows {
        println!("{row}");
    }
    println!();
}

/// Where the index build spends its time, at 1,000 talks.
fn breakdown() {
    let (_, lib) = cached(1000);
    let bodies: Vec<&str> = lib
        .talks()
        .iter()
        .flat_map(|t| t.sections.iter().map(|s| s.body.as_str()))
        .collect();
    let t = Instant::now();
    let plain: Vec<String> = bodies.iter().map(|b| search::normalize::plain(b)).collect();
    println!("plain {:.1} ms", ms(t.elapsed()));
    let t = Instant::now();
    let mut n = 0usize;
    for p in &plain {
        for c in p.chars() {
            search::normalize::fold_char(c, |_| n += 1);
        }
    }
    println!("fold {:.1} ms ({n} chars)", ms(t.elapsed()));
    let t = Instant::now();
    let mut n = 0usize;
    for p in &plain {
        search::tokenize::tokenize(p, |_, _| n += 1);
    }
    println!("tokenize {:.1} ms ({n} tokens)", ms(t.elapsed()));
    let t = Instant::now();
    let mut ids = 0u64;
    for p in &plain {
        search::tokenize::tokenize(p, |term, _| {
            ids += u64::from(lib.index().term_id(term).unwrap_or(0));
        });
    }
    println!("tokenize+lookup {:.1} ms ({ids})", ms(t.elapsed()));
    let t = Instant::now();
    black_box(search::Index::build(lib.talks()));
    println!("build {:.1} ms", ms(t.elapsed()));
    for (kind, q) in QUERIES {
        let mut v: Vec<Duration> = (0..7)
            .map(|_| {
                let t = Instant::now();
                black_box(search::search(lib, q, 5));
                t.elapsed()
            })
            .collect();
        v.sort();
        println!("{kind} {q}: {:.3} ms", ms(v[3]));
    }
}

/// Loads the corpus folder `dir` once, then runs both query mixes `LECTERN_BENCH_ROUNDS` times
/// (default 200) and prints each query's median CPU time: a process that is almost nothing
/// but searching, for `perf record` and for comparing one change query by query.
fn query_loop(dir: &Path) {
    let lib = load(dir);
    // `LECTERN_BENCH_NO_PINYIN=1`: the same library with its search blind to pinyin, for
    // what pinyin costs each query (issue 31, item 5).
    let lib = match std::env::var_os("LECTERN_BENCH_NO_PINYIN") {
        Some(_) => lib.without_pinyin(),
        None => lib,
    };
    let rounds: usize = std::env::var("LECTERN_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let queries: Vec<(&str, &str)> = QUERIES
        .iter()
        .copied()
        .chain(ASKED_MIX.iter().map(|q| ("asked", *q)))
        .collect();
    let mut cpu = vec![Vec::with_capacity(rounds); queries.len()];
    for _ in 0..rounds {
        for ((_, q), times) in queries.iter().zip(&mut cpu) {
            let c = thread_cpu_time();
            black_box(one_search(&lib, black_box(q)));
            times.push(thread_cpu_time().saturating_sub(c));
        }
    }
    for ((kind, q), times) in queries.iter().zip(cpu) {
        println!("{kind:6} {:8.3} ms CPU  {q}", ms(median(times)));
    }
}

/// Loads the corpus folder `dir` and prints the heap bytes (estimates, as
/// [`search::Index::heap_bytes`] counts them) of what two features of the parser and the search
/// keep in a loaded library (issue 31, item 5): pinyin (the readings of the library's words,
/// every section title and name spelled in pinyin) and times (each section's and quote's start,
/// the recording's address). Rosters keep nothing of their own: a talk's roster lives while
/// the talk is parsed, and what it finds goes into speaker fields that predate it.
fn feature_memory(dir: &Path) {
    let lib = load(dir);
    let index = lib.index();
    let readings = index.readings();
    // An `Option<(String, String)>` per slot, and the two strings' bytes when the text has
    // Chinese (`Readings::spell`), as `Index::heap_bytes` counts them.
    let slot = std::mem::size_of::<Option<(String, String)>>();
    let spelled = |text: &str| readings.spell(text).map_or(0, |(f, i)| f.len() + i.len());
    let titles: Vec<&str> = lib
        .talks()
        .iter()
        .flat_map(|t| t.sections.iter().map(|s| s.title.as_str()))
        .collect();
    let title_pinyin: usize = titles.iter().map(|t| slot + spelled(t)).sum();
    // `Names`: per talk its title, speakers and tags; then every distinct speaker (quotes'
    // too) and tag (related talks' too) once.
    let mut names = 0;
    let (mut speakers, mut tags) = (
        std::collections::HashSet::new(),
        std::collections::HashSet::new(),
    );
    for t in lib.talks() {
        names += slot + spelled(&t.title);
        for n in t.meta.speakers.iter().chain(&t.meta.tags) {
            names += slot + spelled(n);
        }
        let quoted = t.quotes.iter().filter_map(|q| q.speaker.as_deref());
        for s in t.meta.speakers.iter().map(String::as_str).chain(quoted) {
            if speakers.insert(s.trim()) {
                names += slot + spelled(s.trim());
            }
        }
        for g in t.meta.tags.iter().chain(&t.related) {
            if tags.insert(g.trim()) {
                names += slot + spelled(g.trim());
            }
        }
    }
    let sections: usize = lib.talks().iter().map(|t| t.sections.len()).sum();
    let quotes: usize = lib.talks().iter().map(|t| t.quotes.len()).sum();
    let timed_sections = (lib.talks().iter())
        .flat_map(|t| &t.sections)
        .filter(|s| s.start.is_some())
        .count();
    let timed_quotes = (lib.talks().iter())
        .flat_map(|t| &t.quotes)
        .filter(|q| q.start.is_some())
        .count();
    let recordings: usize = (lib.talks().iter())
        .filter_map(|t| t.meta.recording.as_ref())
        .map(String::len)
        .sum();
    let starts = std::mem::size_of::<Option<u32>>() * (sections + quotes);
    let recording = std::mem::size_of::<Option<String>>() * lib.talks().len() + recordings;
    let mb = |b: usize| b as f64 / 1e6;
    println!(
        "{}: {} talks, {sections} sections, {quotes} quotes",
        dir.display(),
        lib.talks().len()
    );
    println!("index heap (est.) {:.2} MB", mb(index.heap_bytes()));
    println!(
        "pinyin: readings {:.2} MB ({} words), section titles spelled {:.2} MB, names spelled {:.2} MB, total {:.2} MB",
        mb(readings.heap_bytes()),
        readings.len(),
        mb(title_pinyin),
        mb(names),
        mb(readings.heap_bytes() + title_pinyin + names)
    );
    println!(
        "times: starts {:.2} MB ({timed_sections} sections and {timed_quotes} quotes timed), recording {:.3} MB, total {:.2} MB",
        mb(starts),
        mb(recording),
        mb(starts + recording)
    );
}

/// One search of the query loop, never inlined: a function profilers can stop at
/// (`valgrind --tool=callgrind --toggle-collect='*one_search*' --dump-after='*one_search*'`
/// profiles each query apart, without the load).
#[inline(never)]
fn one_search(lib: &Library, q: &str) -> search::Outcome {
    search::search(lib, q, 5)
}

/// Writes the generated corpus of each size to `dir/<size>/`, for measuring whole processes
/// (`lectern check`'s wall time and peak memory under `/usr/bin/time`, profilers).
fn write_corpora(dir: &Path, sizes: &[usize]) {
    for &n in sizes {
        let out = dir.join(n.to_string());
        std::fs::create_dir_all(&out).expect("creating the corpus folder");
        let mut bytes = 0;
        for (name, md) in corpus::generate(SEED, n) {
            bytes += md.len();
            std::fs::write(out.join(name), md).expect("writing the corpus");
        }
        println!("{}: {n} talks, {bytes} bytes", out.display());
    }
}

fn sizes() -> Vec<usize> {
    std::env::var("LECTERN_BENCH_SIZES").ok().map_or_else(
        || vec![1, 100, 1000],
        |s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
    )
}

fn main() {
    if let Ok(dir) = std::env::var("LECTERN_BENCH_RSS_DIR") {
        rss_child(&dir);
        return;
    }
    if let Ok(dir) = std::env::var("LECTERN_BENCH_WRITE_DIR") {
        write_corpora(Path::new(&dir), &sizes());
        return;
    }
    if std::env::var("LECTERN_BENCH_BREAKDOWN").is_ok() {
        breakdown();
        return;
    }
    if let Ok(dir) = std::env::var("LECTERN_BENCH_FEATURE_MEMORY") {
        feature_memory(Path::new(&dir));
        return;
    }
    if let Ok(dir) = std::env::var("LECTERN_BENCH_BARE_PARSE_DIR") {
        bare_parse_process(Path::new(&dir));
        return;
    }
    if let Ok(dir) = std::env::var("LECTERN_BENCH_QUERY_LOOP") {
        query_loop(Path::new(&dir));
        return;
    }
    // `cargo bench -- <filter>` skips the report unless the filter names it.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filtered = args.iter().any(|a| !a.starts_with('-'));
    if !filtered || args.iter().any(|a| a == "report") {
        report(&sizes());
    }
    divan::main();
}

// The divan benchmarks: the same operations, sampled by divan.

#[divan::bench(args = [1, 100, 1000], sample_count = 5, sample_size = 1)]
fn load_and_index(bencher: divan::Bencher, n: usize) {
    let (c, _) = cached(n);
    bencher.bench(|| load(&c.path));
}

#[divan::bench(args = [1, 100, 1000], sample_count = 5, sample_size = 1)]
fn bare_pulldown_parse(bencher: divan::Bencher, n: usize) {
    let (c, _) = cached(n);
    bencher.bench(|| bare_parse(&c.files));
}

#[divan::bench(args = [1, 100, 1000], sample_count = 50)]
fn search_mix(bencher: divan::Bencher, n: usize) {
    let (_, lib) = cached(n);
    bencher.bench(|| {
        for (_, q) in QUERIES {
            black_box(search::search(lib, black_box(q), 5));
        }
    });
}

#[divan::bench(args = [1, 100, 1000], sample_count = 3, sample_size = 1)]
fn naive_mix(bencher: divan::Bencher, n: usize) {
    let (_, lib) = cached(n);
    bencher.bench(|| {
        for (_, q) in QUERIES {
            black_box(naive_search(lib, black_box(q), 5));
        }
    });
}
