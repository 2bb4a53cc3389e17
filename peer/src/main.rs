//! The peer benchmark (issue 18): lectern and tantivy side by side, in one run.
//!
//! For each size (`LECTERN_BENCH_SIZES`, default `1,100,1000` talks) it generates the corpus of
//! lectern's benchmarks, loads it with lectern, indexes the same section documents with tantivy
//! in RAM (see [`peer`]), runs the benchmarks' query mixes against both, and prints a Markdown
//! report: build CPU and wall time, resident memory growth (each engine in a fresh child
//! process), search CPU time per query, and relevance.
//!
//! Run it with `cd peer && cargo run --release`. lectern is used through its public API only
//! (`Library::load`, `search::search`, `Library::talks`, `Library::section`), so the binary
//! keeps measuring whatever lectern's main branch does.

#[path = "../../benches/corpus/mod.rs"]
mod corpus;
#[path = "../../benches/corpus/mix.rs"]
mod mix;
mod peer;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use lectern::library::{Library, LoadOptions, SectionRef};
use lectern::search;

use mix::{ASKED_MIX, MIX};
use peer::{Found, Mode, Peer, SectionDoc, section_docs};

const SEED: &str = include_str!("../../seeds/2026-01-27-sam-altman-developer-townhall.md");

/// Rounds of each mix timed per engine.
const ROUNDS: usize = 100;

fn load(path: &Path) -> Library {
    let opts = LoadOptions {
        max_file_bytes: 64 * 1024 * 1024,
        // As the binary does, so that resident memory after a load is the live size.
        release_memory: true,
        ..LoadOptions::default()
    };
    Library::load(path, &opts).library
}

/// Builds the tantivy index of a library's sections, from the loaded talks.
fn build_peer(lib: &Library) -> Peer {
    Peer::build(&section_docs(lib)).expect("building the tantivy index")
}

/// An engine under test: lectern, or tantivy queried one way.
#[derive(Clone, Copy)]
enum Engine<'a> {
    Lectern(&'a Library),
    Tantivy(&'a Peer, Mode),
}

impl Engine<'_> {
    fn name(self) -> &'static str {
        match self {
            Engine::Lectern(_) => "lectern",
            Engine::Tantivy(_, Mode::Parser) => "tantivy, QueryParser + fuzzy",
            Engine::Tantivy(_, Mode::Grams) => "tantivy, OR of grams + fuzzy",
        }
    }

    /// The top 5 hits' sections (`None` for a lectern hit on a talk's summary).
    fn search(self, q: &str) -> Vec<Option<Found>> {
        match self {
            Engine::Lectern(lib) => search::search(lib, q, 5)
                .hits
                .iter()
                .map(|h| Some((h.talk, h.section?)))
                .collect(),
            Engine::Tantivy(p, mode) => p.search(q, 5, mode).into_iter().map(Some).collect(),
        }
    }
}

/// CPU time (user and system) of the whole process, every thread included.
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the struct it is given and nothing else.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU time of the calling thread: a search's own cost, without the time it was preempted.
fn thread_cpu_time() -> Duration {
    // SAFETY: clock_gettime writes into the struct it is given and nothing else.
    let ts = unsafe {
        let mut ts: libc::timespec = std::mem::zeroed();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts);
        ts
    };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Median wall time and median process CPU time of `runs` runs of `f`, and its last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let (mut wall, mut cpu, mut last) = (Vec::new(), Vec::new(), None);
    for _ in 0..runs {
        drop(last.take());
        let (t, c) = (Instant::now(), cpu_time());
        last = Some(f());
        wall.push(t.elapsed());
        cpu.push(cpu_time().saturating_sub(c));
    }
    (median(wall), median(cpu), last.expect("at least one run"))
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

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// p50 and p99 thread CPU time per query over [`ROUNDS`] rounds of `queries`, after one
/// warm-up round.
fn latency(engine: Engine, queries: &[&str]) -> (Duration, Duration) {
    for q in queries {
        black_box(engine.search(q));
    }
    let mut cpu = Vec::with_capacity(ROUNDS * queries.len());
    for _ in 0..ROUNDS {
        for q in queries {
            let c = thread_cpu_time();
            black_box(engine.search(black_box(q)));
            cpu.push(thread_cpu_time().saturating_sub(c));
        }
    }
    cpu.sort();
    (percentile(&cpu, 0.5), percentile(&cpu, 0.99))
}

/// What one query of the mix gave an engine.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// A query to find: its section came first.
    First,
    /// A query to find: something else came first, or nothing.
    Wrong,
    Nothing,
    /// A query to miss: nothing came back.
    Miss,
    /// A query to miss: hits came back.
    Hits,
}

impl Outcome {
    fn cell(self) -> &'static str {
        match self {
            Outcome::First => "first",
            Outcome::Wrong => "other section first",
            Outcome::Nothing => "nothing",
            Outcome::Miss => "nothing (honest miss)",
            Outcome::Hits => "hits",
        }
    }
}

fn outcomes(engine: Engine, lib: &Library) -> Vec<Outcome> {
    MIX.iter()
        .map(|(_, q, want)| {
            let hits = engine.search(q);
            match (want, hits.first()) {
                (None, None) => Outcome::Miss,
                (None, Some(_)) => Outcome::Hits,
                (Some(_), None) => Outcome::Nothing,
                (Some(title), Some(first)) => {
                    let section =
                        first.and_then(|(talk, section)| lib.section(SectionRef { talk, section }));
                    if section.is_some_and(|(_, s)| s.title == *title) {
                        Outcome::First
                    } else {
                        Outcome::Wrong
                    }
                }
            }
        })
        .collect()
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

/// Gives freed heap pages back to the system, as lectern's load does with `release_memory`.
fn release_free_memory() {
    // SAFETY: malloc_trim only returns free pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// In a child process: measure one engine's resident memory growth and print
/// `before after space_usage`, in bytes.
///
/// lectern: the RSS before and after `Library::load` (its talks and its index). tantivy: the
/// section documents are made from a lectern load first and kept, the library dropped and
/// its memory released; then the RSS before and after building the index, so the growth is
/// the tantivy index alone (a bot using tantivy would still hold the talks, as lectern does).
fn rss_child(engine: &str, dir: &Path) {
    match engine {
        "lectern" => {
            let before = rss();
            let lib = load(dir);
            let after = rss();
            println!("{before} {after} 0");
            black_box(&lib);
        }
        _ => {
            let docs: Vec<SectionDoc> = section_docs(&load(dir));
            release_free_memory();
            let before = rss();
            let peer = Peer::build(&docs).expect("building the tantivy index");
            release_free_memory();
            let after = rss();
            println!("{before} {after} {}", peer.space_usage());
            black_box((&docs, &peer));
        }
    }
}

/// RSS growth and tantivy's own space usage, in bytes, from a fresh child process.
fn rss_of(engine: &str, dir: &Path) -> (usize, usize) {
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env("PEER_RSS_ENGINE", engine)
        .env("PEER_RSS_DIR", dir)
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
        [before, after, space] => (after.saturating_sub(before), space),
        _ => panic!("memory child said: {text}"),
    }
}

fn sizes() -> Vec<usize> {
    std::env::var("LECTERN_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 100, 1000])
}

fn report(sizes: &[usize]) {
    println!("## lectern and tantivy side by side\n");
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "Machine: {} cores, load average at start {}. CPU times are medians of the build \
         (process CPU, every thread) and per-query thread CPU over {ROUNDS} rounds of each mix.\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        loadavg
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "| talks | corpus MB | sections | engine | build ms CPU (wall) | RSS growth MB | tantivy space_usage MB | mix p50 CPU ms | mix p99 CPU ms | found first | misses: nothing / hits | asked p50 CPU ms | asked p99 CPU ms |"
    );
    println!("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut last_outcomes = Vec::new();
    for &n in sizes {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut bytes = 0;
        for (name, md) in corpus::generate(SEED, n) {
            bytes += md.len();
            std::fs::write(dir.path().join(name), md).expect("writing the corpus");
        }
        let runs = if n >= 1000 { 3 } else { 7 };
        let (lib_wall, lib_cpu, lib) = timed(runs, || load(dir.path()));
        let (peer_wall, peer_cpu, peer) = timed(runs, || build_peer(&lib));
        let (lib_rss, _) = rss_of("lectern", dir.path());
        let (peer_rss, peer_space) = rss_of("tantivy", dir.path());
        let sections = lib.talks().iter().map(|t| t.sections.len()).sum::<usize>();
        assert_eq!(
            peer.segments(),
            1,
            "the tantivy index is merged into one segment"
        );
        let mix: Vec<&str> = MIX.iter().map(|(_, q, _)| *q).collect();
        let engines = [
            Engine::Lectern(&lib),
            Engine::Tantivy(&peer, Mode::Parser),
            Engine::Tantivy(&peer, Mode::Grams),
        ];
        let mut per_engine = Vec::new();
        for (i, engine) in engines.into_iter().enumerate() {
            let (p50, p99) = latency(engine, &mix);
            let (a50, a99) = latency(engine, ASKED_MIX);
            let out = outcomes(engine, &lib);
            let count = |o: Outcome| out.iter().filter(|&&x| x == o).count();
            let to_find = MIX.iter().filter(|m| m.2.is_some()).count();
            let (build, memory) = match i {
                0 => (
                    format!("{:.1} ({:.1}) parse + index", ms(lib_cpu), ms(lib_wall)),
                    format!("{:.1} talks + index", mb(lib_rss)),
                ),
                1 => (
                    format!("{:.1} ({:.1}) index", ms(peer_cpu), ms(peer_wall)),
                    format!("{:.1} index", mb(peer_rss)),
                ),
                _ => ("same index".to_string(), "same index".to_string()),
            };
            println!(
                "| {n} | {:.2} | {sections} | {} | {build} | {memory} | {} | {:.3} | {:.3} | {}/{to_find} | {} / {} | {:.3} | {:.3} |",
                mb(bytes),
                engine.name(),
                if i == 0 {
                    "–".to_string()
                } else {
                    format!("{:.1}", mb(peer_space))
                },
                ms(p50),
                ms(p99),
                count(Outcome::First),
                count(Outcome::Miss),
                count(Outcome::Hits),
                ms(a50),
                ms(a99),
            );
            per_engine.push((engine.name(), out));
        }
        last_outcomes = per_engine;
    }
    if let Some(&n) = sizes.last() {
        println!(
            "\nEach query of the mix at {n} talks (first hit against the expected section):\n"
        );
        print!("| kind | query |");
        for (name, _) in &last_outcomes {
            print!(" {name} |");
        }
        println!();
        println!("|---|---|{}", "---|".repeat(last_outcomes.len()));
        for (i, (kind, q, _)) in MIX.iter().enumerate() {
            print!("| {kind} | {q} |");
            for (_, out) in &last_outcomes {
                print!(" {} |", out[i].cell());
            }
            println!();
        }
    }
    println!();
}

fn main() {
    if let (Ok(engine), Ok(dir)) = (
        std::env::var("PEER_RSS_ENGINE"),
        std::env::var("PEER_RSS_DIR"),
    ) {
        rss_child(&engine, Path::new(&dir));
        return;
    }
    report(&sizes());
}
