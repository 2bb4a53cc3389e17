//! Several replicas (issue 29): two real `lectern serve` processes in HTTP mode sharing one
//! Postgres database (a throwaway cluster, `lectern_state::test_postgres`), and a fake Discord
//! that signs each interaction with a test key and sends them to the two alternately, as a
//! load balancer would. What one process used to keep in memory must hold across both: flood
//! control, the no-repeat quote rounds, the quote of the day posted once.

use std::collections::HashSet;

use serde_json::Value;

use super::fake_discord::{FakeDiscord, Registration};
use super::interactions::{HttpBot, Signing, callbacks_to, interact, test_key};
use super::{ALICE, BOB, CHANNEL, TOKEN, embed, seed_library};

/// Long enough for both schedulers to look several times (every 100 ms on a test clock).
async fn a_while() {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
}

fn text(callback: &Value) -> String {
    embed(callback)["description"]
        .as_str()
        .or_else(|| callback["data"]["content"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn two_replicas_on_one_postgres_share_flood_control_quote_rounds_and_the_daily_quote() {
    let Some(cluster) = lectern_state::test_postgres::cluster() else {
        return;
    };
    let url = cluster.database().await;
    let clock_dir = tempfile::tempdir().unwrap();
    let clock = clock_dir.path().join("now");
    std::fs::write(&clock, "2026-12-02T08:59:00Z").unwrap();
    // The quote of the day of the server at 10:00 in Berlin (09:00 UTC), set beforehand.
    super::schedule_daily_quote_at_ten_in_berlin(
        lectern_state::State::connect(&url, "test", lectern_state::Clock::File(clock.clone()))
            .await
            .unwrap(),
    )
    .await;
    let lib = seed_library();
    let section = lectern::search::resolve_section(&lib, "13").unwrap();
    let pool = lectern::library::QuoteScope::Section(section)
        .pool(&lib)
        .len();
    assert!(pool >= 3, "section 13 has a few quotes ({pool})");
    // Enough for Alice's quotes; Bob floods past it. An hour's window: the clock moves later.
    let limit = pool + 2;
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let key = test_key();
    let envs = || {
        [
            ("LECTERN__STATE__URL", url.clone()),
            (
                "LECTERN__STATE__TEST_CLOCK_FILE",
                clock.display().to_string(),
            ),
            ("LECTERN__COOLDOWN__COMMANDS", limit.to_string()),
            ("LECTERN__COOLDOWN__SECONDS", "3600".to_string()),
        ]
    };
    let bots = [
        HttpBot::start_with(&fake, &key, envs()).await,
        HttpBot::start_with(&fake, &key, envs()).await,
    ];
    let logs = || {
        format!(
            "{}\n---\n{}",
            bots[0].served.stderr(),
            bots[1].served.stderr()
        )
    };

    // Answers are right on either.
    for bot in &bots {
        let topic = interact(
            &fake,
            bot,
            &key,
            fake.slash(&ALICE, "topic", &[("section", "13")]),
        )
        .await;
        assert_eq!(embed(&topic)["title"], "13 · 生物安全与韧性策略", "{topic}");
    }

    // One round of the section's quotes over both replicas: none twice, and the next round
    // does not open with the quote that closed this one.
    let mut seen = HashSet::new();
    let mut last = String::new();
    for n in 0..pool {
        let q = interact(
            &fake,
            &bots[n % 2],
            &key,
            fake.slash(&ALICE, "quote", &[("topic", "13")]),
        )
        .await;
        last = text(&q);
        assert!(last.starts_with("> "), "{q}");
        assert!(
            seen.insert(last.clone()),
            "a quote came twice across replicas: {last}\n{}",
            logs()
        );
    }
    let next = interact(
        &fake,
        &bots[pool % 2],
        &key,
        fake.slash(&ALICE, "quote", &[("topic", "13")]),
    )
    .await;
    assert_ne!(text(&next), last, "a new round opened with the last quote");

    // Bad signatures are refused, and nothing is done for them: not even counted against Bob.
    let mut refused = Vec::new();
    for (n, how) in [Signing::OtherKey, Signing::None, Signing::Stale]
        .into_iter()
        .enumerate()
    {
        let payload = fake.slash(&BOB, "about", &[]);
        fake.remember_interaction(&payload);
        let (status, body) = bots[n % 2].post(&key, &payload, how).await;
        assert_eq!((status, body.as_str()), (401, ""));
        refused.push(payload);
    }

    // A flood over both replicas is slowed as on one: `limit` answers, then a note.
    for n in 0..limit {
        let about = interact(&fake, &bots[n % 2], &key, fake.slash(&BOB, "about", &[])).await;
        assert_eq!(
            embed(&about)["title"],
            "About lectern",
            "answer {n}: {about}"
        );
    }
    let slowed = interact(
        &fake,
        &bots[limit % 2],
        &key,
        fake.slash(&BOB, "about", &[]),
    )
    .await;
    assert!(text(&slowed).contains("a bit fast"), "{slowed}\n{}", logs());
    let other = interact(
        &fake,
        &bots[(limit + 1) % 2],
        &key,
        fake.slash(&BOB, "about", &[]),
    )
    .await;
    assert!(
        text(&other).contains("a bit fast"),
        "the other replica slows him too: {other}"
    );
    for payload in &refused {
        assert_eq!(
            callbacks_to(&fake, payload),
            0,
            "a refused interaction was answered"
        );
    }

    // The quote of the day: at 10:00 in Berlin, posted once by the two.
    assert!(fake.posts(CHANNEL).is_empty());
    std::fs::write(&clock, "2026-12-02T09:00:00Z").unwrap();
    fake.wait_for("the quote of the day", |f| {
        f.posts(CHANNEL).first().cloned()
    })
    .await;
    for _ in 0..5 {
        a_while().await;
    }
    let posts = fake.posts(CHANNEL);
    assert_eq!(posts.len(), 1, "{}", logs());
    assert!(
        posts[0]["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Quote of the day"),
        "{}",
        posts[0]
    );
    let held = logs().matches("scheduler lease taken").count();
    assert_eq!(held, 1, "one replica holds the scheduler: {}", logs());
    for bot in bots {
        let mut served = bot.served;
        let exit = served.terminate().await;
        assert_eq!(exit.code(), Some(0), "{}", served.stderr());
    }
    assert_eq!(fake.problems(), Vec::<String>::new());
}

/// p50 and p99 of `samples` in milliseconds.
fn percentiles(mut samples: Vec<std::time::Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.99))
}

/// The figures of BENCHMARKS.md's issue 29 section, printed, never asserted:
/// `cargo test --release --test e2e -- --ignored --nocapture interaction_latency`. One `/topic`
/// after another (each waits for its answer), `LECTERN_BENCH_N` of them (200), through the
/// gateway (the bot in this process) and through the HTTP endpoint (a `lectern serve`
/// process) with SQLite and with Postgres.
#[tokio::test(flavor = "current_thread")]
#[ignore = "a measurement: run it with --release --nocapture"]
async fn interaction_latency_gateway_and_http_sqlite_and_postgres() {
    use std::time::Instant;
    let n: usize = std::env::var("LECTERN_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut rows = Vec::new();
    // The gateway path (SQLite).
    let h = super::Harness::start().await;
    let mut samples = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let r = h.command(&ALICE, "topic", &[("section", "13")]).await;
        samples.push(t.elapsed());
        assert_eq!(embed(&r)["title"], "13 · 生物安全与韧性策略");
    }
    rows.push(("gateway, SQLite", percentiles(samples)));
    h.stop().await;
    // The HTTP endpoint, SQLite then Postgres.
    let cluster = lectern_state::test_postgres::cluster();
    let mut stores = vec![("HTTP endpoint, SQLite", None)];
    if let Some(c) = cluster {
        stores.push(("HTTP endpoint, Postgres", Some(c.database().await)));
    }
    for (name, url) in stores {
        let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
        let key = test_key();
        let envs: Vec<(&'static str, String)> = url
            .into_iter()
            .map(|u| ("LECTERN__STATE__URL", u))
            .collect();
        let bot = HttpBot::start_with(&fake, &key, envs).await;
        let mut samples = Vec::new();
        for _ in 0..n {
            let payload = fake.slash(&ALICE, "topic", &[("section", "13")]);
            let t = Instant::now();
            let r = interact(&fake, &bot, &key, payload).await;
            samples.push(t.elapsed());
            assert_eq!(embed(&r)["title"], "13 · 生物安全与韧性策略");
        }
        rows.push((name, percentiles(samples)));
    }
    let (g50, g99) = rows[0].1;
    println!("| path | p50 | p99 | p50 ÷ gateway | p99 ÷ gateway |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, (p50, p99)) in rows {
        println!(
            "| {name} | {p50:.2} ms | {p99:.2} ms | {:.2}× | {:.2}× |",
            p50 / g50,
            p99 / g99
        );
    }
}
