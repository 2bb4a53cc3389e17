//! Load (issue 7, item 8): 10,000 interactions through the fake Discord's gateway, as fast as
//! `lectern serve` takes them, with every answer checked: each interaction gets exactly one
//! callback (none lost, none duplicated), and no request is one Discord would reject.
//!
//! The bot is the release binary, run as a child process against the fake (in this process),
//! so that its resident memory (VmRSS of `/proc/PID/status`) is its own. The mix, in turn:
//! `/topic` (a section number or a title), `/quote`, `/search`, `/topics`, `/about`, an
//! autocomplete of `/topic`, and a press of a section's "Next" button. At most `WINDOW`
//! interactions are in flight: a new one is dispatched as soon as one is answered.
//!
//! Run: `cargo bench --bench load` (`LECTERN_LOAD_N=2000` for a shorter run). Prints
//! throughput, latency from dispatch to callback (p50, p99, max) and VmRSS after start-up,
//! after 1,000, at each tenth of the run and after all interactions. `LECTERN_LOAD_N=100000`
//! is the memory run of issue 25: lectern's own HTTP path, serenity's ratelimiter off, memory
//! flat with the number of interactions. Each run is made twice, without and then with the
//! state database (issue 28), and prints the ratio of their p50 and p99
//! (`LECTERN_LOAD_STATE=on|off` for one of them).

#![allow(dead_code)]

#[path = "../tests/e2e/openapi.rs"]
mod openapi;

#[path = "../tests/e2e/limits.rs"]
mod limits;

#[path = "../tests/e2e/fake_discord.rs"]
mod fake_discord;

#[path = "../tests/e2e/process.rs"]
mod process;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fake_discord::{APP_ID, FakeDiscord, Registration};
use process::Served;
use serde_json::{Value, json};

const TOKEN: &str = "MTEwMDAw.fake-bot-token.only-for-the-load-benchmark";
const USER: u64 = 2001;
/// Interactions in flight at most (`LECTERN_LOAD_WINDOW`).
const WINDOW: usize = 32;
/// A guard against hanging, not a target: 150 s per 10,000 interactions.
fn guard(total: usize) -> Duration {
    Duration::from_secs(150 * (total as u64).div_ceil(10_000).max(1))
}

fn vm_rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmRSS:")
}

/// A `kB` field of `/proc/PID/status`.
fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn payload(id: u64, kind: u64, data: Value) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": data,
        "guild_id": "1500000000000000001",
        "channel_id": (1_600_000_000_000_000_000u64 + id % 50).to_string(),
        "member": {
            "user": {"id": USER.to_string(), "username": "alice", "discriminator": "0", "avatar": null, "global_name": null},
            "roles": [], "deaf": false, "mute": false, "flags": 0,
            "permissions": "3072",
            "joined_at": "2025-06-01T00:00:00.000000+00:00"
        },
        "token": format!("load-token-{id}"),
        "version": 1,
        "locale": if id.is_multiple_of(3) { "zh-CN" } else { "en-US" },
        "guild_locale": "en-US",
        "app_permissions": "3072",
        "entitlements": [],
        "attachment_size_limit": 10485760,
    })
}

fn slash(name: &str, options: Value) -> Value {
    json!({"id": "1700000000000000001", "name": name, "type": 1, "options": options})
}

/// The `n`th interaction of the mix; `next` is the custom_id of a "Next" button and `message`
/// the message it is on.
fn interaction(n: usize, id: u64, next: &str, message: &Value) -> (&'static str, Value) {
    let string = |name: &str, value: &str| json!([{"name": name, "type": 3, "value": value}]);
    match n % 8 {
        0 => (
            "topic",
            payload(
                id,
                2,
                slash("topic", string("section", &format!("{}", n % 20 + 1))),
            ),
        ),
        1 => ("quote", payload(id, 2, slash("quote", json!([])))),
        2 => {
            let q = [
                "GPT-5",
                "招聘",
                "生物安全",
                "agent 权限",
                "nothing matches this",
            ][n / 8 % 5];
            (
                "search",
                payload(id, 2, slash("search", string("query", q))),
            )
        }
        3 => ("topics", payload(id, 2, slash("topics", json!([])))),
        4 => ("about", payload(id, 2, slash("about", json!([])))),
        5 | 6 => {
            let partial = ["", "1", "生", "GPT", "安全"][n / 8 % 5];
            let data = json!({"id": "1700000000000000001", "name": "topic", "type": 1,
                "options": [{"name": "section", "type": 3, "value": partial, "focused": true}]});
            ("autocomplete", payload(id, 4, data))
        }
        _ => {
            let mut p = payload(id, 3, json!({"custom_id": next, "component_type": 2}));
            p["message"] = message.clone();
            ("button", p)
        }
    }
}

/// User plus system CPU time of a process, from `/proc/PID/stat` (in clock ticks of 10 ms).
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = fields.get(11).unwrap_or(&0) + fields.get(12).unwrap_or(&0);
    Duration::from_millis(ticks * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main]
async fn main() {
    let total: usize = std::env::var("LECTERN_LOAD_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let window: usize = std::env::var("LECTERN_LOAD_WINDOW")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(WINDOW)
        .max(1);
    // Issue 28: the same run without the state database (the baseline) and with it (each
    // command reads its server's settings, and counts its use), in this order, in one run.
    // `LECTERN_LOAD_STATE=on` or `off` runs one of them.
    let modes: &[bool] = match std::env::var("LECTERN_LOAD_STATE").as_deref() {
        Ok("on") => &[true],
        Ok("off") => &[false],
        _ => &[false, true],
    };
    let mut results = Vec::new();
    for &state in modes {
        results.push((state, run(total, window, state).await));
    }
    if let [(false, (p50_off, p99_off)), (true, (p50_on, p99_on))] = results[..] {
        println!(
            "with ÷ without the state database: p50 {:.2}× · p99 {:.2}×",
            p50_on.as_secs_f64() / p50_off.as_secs_f64(),
            p99_on.as_secs_f64() / p99_off.as_secs_f64()
        );
    }
}

/// One run of `total` interactions against a new `lectern serve`, with or without the state
/// database; returns the p50 and p99 of dispatch → callback.
async fn run(total: usize, window: usize, state: bool) -> (Duration, Duration) {
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let enabled = if state { "true" } else { "false" };
    let mut bot = Served::start(
        &fake,
        [
            ("DISCORD_TOKEN", TOKEN),
            ("LECTERN__HTTP__BIND", ""),
            ("LECTERN__CONTENT__WATCH", "false"),
            // A few users send thousands of commands: flood control would (rightly) throttle
            // them.
            ("LECTERN__COOLDOWN__COMMANDS", "0"),
            ("LECTERN__STATE__ENABLED", enabled),
        ],
    )
    .await;
    let pid = bot.pid();
    let mut tap = fake.tap();

    // One real answer, to press its "Next" button.
    let first_id = fake.next_id();
    let section_13 = json!([{"name": "section", "type": 3, "value": "13"}]);
    let mut p = payload(first_id, 2, slash("topic", section_13));
    p["locale"] = json!("en-US");
    fake.dispatch("INTERACTION_CREATE", p);
    let first = loop {
        let r = tap.recv().await.unwrap();
        if r.path.starts_with(&format!("/interactions/{first_id}/")) {
            break r.body;
        }
    };
    let next = first["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["components"].as_array().unwrap())
        .find(|b| b["label"] == "Next ▶")
        .expect("a Next button")["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    let message = fake_discord::message_json(&first["data"]);
    let rss_start = vm_rss_kib(pid);
    let cpu_start = cpu_time(pid);

    let mut sent_at: HashMap<u64, (Instant, &'static str)> = HashMap::with_capacity(total);
    let mut answers: HashMap<u64, usize> = HashMap::with_capacity(total);
    let mut latencies: Vec<Duration> = Vec::with_capacity(total);
    let mut by_kind: HashMap<&'static str, Vec<Duration>> = HashMap::new();
    let mut dispatched = 0;
    let mut rss_1000 = 0;
    // VmRSS at each tenth of the run, to tell growth from noise.
    let mut rss_tenths = Vec::new();
    let started = Instant::now();
    let run = tokio::time::timeout(guard(total), async {
        while latencies.len() < total {
            while dispatched < total && dispatched - latencies.len() < window {
                let id = fake.next_id();
                let (kind, p) = interaction(dispatched, id, &next, &message);
                sent_at.insert(id, (Instant::now(), kind));
                fake.dispatch("INTERACTION_CREATE", p);
                dispatched += 1;
            }
            let r = tap.recv().await.expect("the fake is running");
            let Some(id) = callback_id(&r.path) else {
                continue;
            };
            let arrived = Instant::now();
            let count = answers.entry(id).or_default();
            *count += 1;
            if *count == 1 {
                if let Some((at, kind)) = sent_at.get(&id) {
                    latencies.push(arrived - *at);
                    by_kind.entry(kind).or_default().push(arrived - *at);
                }
                if latencies.len() == 1_000.min(total) {
                    rss_1000 = vm_rss_kib(pid);
                }
                if total >= 10 && latencies.len().is_multiple_of(total / 10) {
                    rss_tenths.push((latencies.len(), vm_rss_kib(pid)));
                }
            }
        }
    })
    .await;
    let elapsed = started.elapsed();
    assert!(
        run.is_ok(),
        "gave up after {:?}: {} of {total} answered",
        guard(total),
        latencies.len()
    );
    let rss_end = vm_rss_kib(pid);
    let rss_peak = status_kib(pid, "VmHWM:");
    let cpu = cpu_time(pid).checked_sub(cpu_start).unwrap();
    // Late duplicates: give the bot a moment, then count every callback once more.
    tokio::time::sleep(Duration::from_millis(500)).await;
    while let Ok(r) = tap.try_recv() {
        if let Some(id) = callback_id(&r.path) {
            *answers.entry(id).or_default() += 1;
        }
    }
    let lost = sent_at
        .keys()
        .filter(|id| !answers.contains_key(id))
        .count();
    let duplicated = answers.values().filter(|n| **n > 1).count();
    let problems = fake.problems();
    let stderr = bot.stderr();
    bot.terminate().await;

    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mode = if state { "with" } else { "without" };
    println!(
        "lectern load: {total} interactions, at most {window} in flight, {mode} the state database"
    );
    println!(
        "  answered {} · lost {lost} · duplicated {duplicated} · problems {}",
        latencies.len(),
        problems.len()
    );
    println!(
        "  throughput {:.0} interactions/s ({:.2} s)",
        total as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    println!(
        "  dispatch → callback: p50 {:.2} ms · p99 {:.2} ms · max {:.2} ms",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap())
    );
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort_by_key(|(k, _)| *k);
    for (kind, mut l) in kinds {
        l.sort();
        println!(
            "    {kind:<12} n={:<5} p50 {:.2} ms · p99 {:.2} ms",
            l.len(),
            ms(percentile(&l, 0.50)),
            ms(percentile(&l, 0.99))
        );
    }
    println!(
        "  VmRSS of the bot: {:.1} MiB after start-up · {:.1} MiB after 1,000 · {:.1} MiB after {total}",
        rss_start as f64 / 1024.0,
        rss_1000 as f64 / 1024.0,
        rss_end as f64 / 1024.0
    );
    let tenths: Vec<String> = rss_tenths
        .iter()
        .map(|(n, kib)| format!("{n}: {:.1}", *kib as f64 / 1024.0))
        .collect();
    println!("  VmRSS (MiB) by answers: {}", tenths.join(" · "));
    println!(
        "  peak VmRSS (VmHWM) {:.1} MiB · bot CPU time {:.2} s ({:.0} µs per interaction)",
        rss_peak as f64 / 1024.0,
        cpu.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / total as f64
    );
    let errors = stderr.lines().filter(|l| l.contains("ERROR")).count();
    println!("  error lines in the bot's log: {errors}");
    assert!(!stderr.contains(TOKEN), "the token is in the log");
    assert_eq!(
        (lost, duplicated),
        (0, 0),
        "every interaction answered exactly once"
    );
    assert_eq!(problems, Vec::<String>::new());
    (percentile(&latencies, 0.50), percentile(&latencies, 0.99))
}

/// The interaction id of a callback's path.
fn callback_id(path: &str) -> Option<u64> {
    let rest = path.strip_prefix("/interactions/")?;
    rest.ends_with("/callback")
        .then(|| rest.split('/').next()?.parse().ok())
        .flatten()
}
