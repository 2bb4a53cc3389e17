//! What happens over time, on a real SQLite file: per-server settings (what a server sees and
//! in which language), the quote of the day (once at the right minute, across a restart and
//! two processes, paused politely without permission), new-talk announcements after a reload,
//! usage and gaps as `lectern stats` and `lectern gaps` report them, and a database that cannot
//! be opened. Time is the test's: `state.test_clock_file` ([`super::StateDir::set_clock`]).

use std::time::Duration;

use serde_json::{Value, json};

use super::fake_discord::{ChannelRule, FakeDiscord, PATIENCE, Registration};
use super::process::Served;
use super::*;

/// A second talk, tagged `reliability`, beside the bundled seed.
fn two_talks() -> tempfile::TempDir {
    let seeds = seeds_copy();
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/english-front-matter.md"),
        seeds.path().join("reliable-systems.md"),
    )
    .unwrap();
    seeds
}

/// Another server, with its own channel.
const OTHER_GUILD: u64 = 1_500_000_000_000_000_777;

fn in_guild(mut payload: Value, guild: u64) -> Value {
    payload["guild_id"] = json!(guild.to_string());
    payload
}

fn field<'a>(callback: &'a Value, name: &str) -> &'a str {
    embed(callback)["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"].as_str().is_some_and(|n| n.starts_with(name)))
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name:?} in {callback:#}"))
}

/// Waits a little for what must not happen (a post): a guard, never a measure.
async fn a_while() {
    tokio::time::sleep(Duration::from_millis(800)).await;
}

#[tokio::test(flavor = "current_thread")]
async fn settings_change_what_a_server_sees_and_in_which_language() {
    let seeds = two_talks();
    let h = Harness::start_on(seeds.path()).await;
    // Only members who may manage the server.
    let refused = h
        .command(&ALICE, "settings", &[("language", "zh-CN")])
        .await;
    assert!(is_ephemeral(&refused));
    assert!(
        description(&refused).contains("manage this server"),
        "{refused}"
    );
    // Bad input changes nothing and says why.
    let bad = h
        .command(&ADMIN, "settings", &[("timezone", "Mars/Olympus")])
        .await;
    assert!(description(&bad).contains("No such time zone"), "{bad}");
    let bad = h
        .command(&ADMIN, "settings", &[("talks", "tag:no-such-tag")])
        .await;
    assert!(description(&bad).contains("No talk has the tag"), "{bad}");
    // Before: both talks, in each user's language.
    let listed = h.command(&ALICE, "topics", &[]).await;
    let text = listed.to_string();
    assert!(
        text.contains("Building Reliable Systems") && text.contains("Sam Altman"),
        "{listed}"
    );
    let saved = h
        .command(
            &ADMIN,
            "settings",
            &[("language", "zh-CN"), ("talks", "tag:reliability")],
        )
        .await;
    assert!(is_ephemeral(&saved));
    assert_eq!(field(&saved, "Language of public replies"), "zh-CN");
    assert!(field(&saved, "Talks").contains("reliability"), "{saved}");
    // After: only the tagged talk, and public replies in the server's language even for an
    // English-speaking user.
    let listed = h.command(&ALICE, "topics", &[]).await;
    let text = listed.to_string();
    assert!(text.contains("Building Reliable Systems"), "{listed}");
    assert!(
        !text.contains("Sam Altman"),
        "the other talk is hidden: {listed}"
    );
    let english = h.command(&BOB, "topics", &[]).await;
    let chinese = h.command(&LI, "topics", &[]).await;
    assert_eq!(
        embed(&english)["title"],
        embed(&chinese)["title"],
        "one language for the server"
    );
    assert_ne!(
        embed(&english)["title"],
        embed(&h.command_in(OTHER_GUILD, &BOB, "topics").await)["title"]
    );
    // Autocomplete offers only what the server sees.
    let offered = h
        .autocomplete(&ALICE, "topics", "talk", "")
        .await
        .to_string();
    assert!(
        offered.contains("Building Reliable") && !offered.contains("Sam Altman"),
        "{offered}"
    );
    // Search sees only what the server sees.
    let miss = h.command(&ALICE, "search", &[("query", "GPT-5")]).await;
    assert!(!miss.to_string().contains("Sam Altman"), "{miss}");
    // An ephemeral note stays in the user's own language.
    let note = h
        .command(&ALICE, "topic", &[("section", "no such section at all")])
        .await;
    assert!(is_ephemeral(&note));
    assert!(
        description(&note).starts_with("No section matches"),
        "English for Alice: {note}"
    );
    // Another server is untouched.
    let other = h.command_in(OTHER_GUILD, &ALICE, "topics").await;
    assert!(other.to_string().contains("Sam Altman"), "{other}");
    // /settings shows the values; reset deletes them.
    let shown = h.command(&ADMIN, "settings", &[]).await;
    assert_eq!(field(&shown, "Language of public replies"), "zh-CN");
    h.interact(h.slash_with(
        &ADMIN,
        "settings",
        vec![json!({"name": "reset", "type": 5, "value": true})],
    ))
    .await;
    let listed = h.command(&ALICE, "topics", &[]).await;
    assert!(listed.to_string().contains("Sam Altman"), "{listed}");
    assert_eq!(
        embed(&listed)["title"],
        embed(&other)["title"],
        "English again"
    );
    let db = lectern_state::State::open(&h.state.db(), lectern_state::Clock::System)
        .await
        .unwrap();
    assert_eq!(
        db.settings(GUILD).await.unwrap(),
        lectern_state::GuildSettings::default()
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn private_by_default_makes_answers_ephemeral() {
    let h = Harness::start().await;
    assert!(!is_ephemeral(&h.command(&ALICE, "quote", &[]).await));
    h.interact(h.slash_with(
        &ADMIN,
        "settings",
        vec![json!({"name": "private", "type": 5, "value": true})],
    ))
    .await;
    assert!(is_ephemeral(&h.command(&ALICE, "quote", &[]).await));
    h.stop().await;
}

/// Sets the quote of the day of [`GUILD`] in [`CHANNEL`] at 10:00 in Berlin (09:00 UTC in
/// December), through `/settings`.
async fn quote_at_ten_in_berlin(h: &Harness) {
    let saved = h
        .command(
            &ADMIN,
            "settings",
            &[("quote_time", "10:00"), ("timezone", "Europe/Berlin")],
        )
        .await;
    assert!(
        field(&saved, "Quote of the day").contains("10:00 · Europe/Berlin"),
        "{saved}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_daily_quote_is_posted_once_at_the_right_minute_across_a_restart() {
    let mut h = Harness::start().await;
    h.state.set_clock("2026-12-02T08:59:00Z");
    quote_at_ten_in_berlin(&h).await;
    a_while().await;
    assert!(h.posts(CHANNEL).is_empty(), "not before 10:00 in Berlin");
    h.state.set_clock("2026-12-02T09:00:00Z");
    let first = h
        .wait_for("the quote of the day", |f| {
            f.posts(CHANNEL).first().cloned()
        })
        .await;
    let title = first["embeds"][0]["title"].as_str().unwrap().to_string();
    assert!(title.starts_with("Quote of the day"), "{first}");
    assert!(
        first["components"].as_array().is_none_or(Vec::is_empty),
        "no buttons: {first}"
    );
    assert_eq!(first["allowed_mentions"]["parse"], json!([]));
    // A restart the same day posts nothing more.
    h.restart_bot(|_| {}).await;
    h.state.set_clock("2026-12-02T09:30:00Z");
    a_while().await;
    assert_eq!(h.posts(CHANNEL).len(), 1, "once a day, across a restart");
    // The next day, another quote.
    h.state.set_clock("2026-12-03T09:00:05Z");
    let second = h
        .wait_for("the next day's quote", |f| f.posts(CHANNEL).get(1).cloned())
        .await;
    assert_ne!(
        first["embeds"][0]["description"],
        second["embeds"][0]["description"]
    );
    a_while().await;
    assert_eq!(h.posts(CHANNEL).len(), 2);
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_daily_quote_pauses_politely_without_permission_and_tells_the_managers() {
    let h = Harness::start().await;
    h.fake
        .channel_rule(CHANNEL, Some(ChannelRule::NoPermission));
    h.state.set_clock("2026-12-02T08:00:00Z");
    quote_at_ten_in_berlin(&h).await;
    for (n, day) in ["2026-12-02", "2026-12-03", "2026-12-04"]
        .iter()
        .enumerate()
    {
        h.state.set_clock(&format!("{day}T09:01:00Z"));
        let tries = n + 1;
        h.wait_for("a refused post", |f| {
            (f.requests()
                .iter()
                .filter(|r| r.path.starts_with("/channels/"))
                .count()
                == tries)
                .then_some(())
        })
        .await;
    }
    h.wait_log("PAUSED until /settings sets it again").await;
    assert_logged(
        &h.logs.text(),
        &["quote of the day not posted", "missing permission"],
    );
    // Paused: the fourth day is not tried.
    h.state.set_clock("2026-12-05T09:01:00Z");
    a_while().await;
    let tried = h
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/channels/"))
        .count();
    assert_eq!(tried, 3);
    // The managers are told at their next /settings.
    let shown = h.command(&ADMIN, "settings", &[]).await;
    assert!(
        field(&shown, "PAUSED").contains("missing permission"),
        "{shown}"
    );
    // Setting it again resumes it, and the channel works again.
    h.fake.channel_rule(CHANNEL, None);
    h.state.set_clock("2026-12-06T08:00:00Z");
    quote_at_ten_in_berlin(&h).await;
    h.state.set_clock("2026-12-06T09:00:00Z");
    h.wait_for("the quote once the channel works", |f| {
        f.posts(CHANNEL).first().cloned()
    })
    .await;
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn two_processes_post_the_daily_quote_once() {
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let state = StateDir::new();
    state.set_clock("2026-12-02T08:00:00Z");
    super::schedule_daily_quote_at_ten_in_berlin(
        lectern_state::State::open(&state.db(), lectern_state::Clock::System)
            .await
            .unwrap(),
    )
    .await;
    let process = |shard: &'static str| {
        let mut env = super::sharded_process(shard);
        env.push(("LECTERN__STATE__PATH", state.db().display().to_string()));
        env.push((
            "LECTERN__STATE__TEST_CLOCK_FILE",
            state.clock().display().to_string(),
        ));
        env
    };
    let mut first = Served::start(&fake, process("0")).await;
    let mut second = Served::start(&fake, process("1")).await;
    fake.wait_for("a session for each shard", |f| {
        let shards = f.shards();
        (shards.contains(&(0, 2)) && shards.contains(&(1, 2))).then_some(())
    })
    .await;
    for _ in 0..3 {
        a_while().await;
    }
    assert!(fake.posts(CHANNEL).is_empty(), "{}", first.stderr());
    state.set_clock("2026-12-02T09:00:00Z");
    fake.wait_for("the quote of the day", |f| {
        f.posts(CHANNEL).first().cloned()
    })
    .await;
    for _ in 0..3 {
        a_while().await;
    }
    assert_eq!(
        fake.posts(CHANNEL).len(),
        1,
        "{}\n---\n{}",
        first.stderr(),
        second.stderr()
    );
    for served in [&mut first, &mut second] {
        let status = served.terminate().await;
        assert_eq!(status.code(), Some(0), "{}", served.stderr());
    }
    assert_eq!(fake.problems(), Vec::<String>::new());
}

#[tokio::test(flavor = "current_thread")]
async fn announcements_follow_a_reload_that_adds_talks() {
    let seeds = seeds_copy();
    let h = Harness::start_on(seeds.path()).await;
    let saved = h
        .interact(h.slash_with(
            &ADMIN,
            "settings",
            vec![json!({"name": "announce", "type": 5, "value": true})],
        ))
        .await;
    assert_eq!(
        field(&saved, "New-talk announcements"),
        format!("<#{CHANNEL}>")
    );
    // The talks there at the start are not news.
    a_while().await;
    assert!(h.posts(CHANNEL).is_empty());
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/english-front-matter.md"),
        seeds.path().join("reliable-systems.md"),
    )
    .unwrap();
    let report = h.plugin.ops().reload(false, "the test").await;
    assert!(report.verdict.swapped());
    let post = h
        .wait_for("the announcement", |f| f.posts(CHANNEL).first().cloned())
        .await;
    let embed = &post["embeds"][0];
    assert_eq!(embed["title"], "New talks");
    assert!(
        embed["description"]
            .as_str()
            .unwrap()
            .contains("Building Reliable Systems"),
        "{post}"
    );
    // A reload that adds nothing announces nothing.
    h.plugin.ops().reload(true, "the test").await;
    a_while().await;
    assert_eq!(h.posts(CHANNEL).len(), 1);
    h.stop().await;
}

/// Runs `lectern ARGS` on the harness's state database and returns its stdout.
fn lectern_cli(state: &StateDir, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LECTERN__STATE__PATH", state.db())
        .env("LECTERN__STATE__TEST_CLOCK_FILE", state.clock())
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn stats_and_gaps_count_what_was_done() {
    let h = Harness::start().await;
    let talk = seed_library().talks()[0].id.clone();
    h.command(&ALICE, "topic", &[("section", "13")]).await;
    h.command(&ALICE, "topic", &[("section", "13")]).await;
    h.command(&LI, "quote", &[]).await;
    h.command(&ALICE, "search", &[("query", "生物安全")]).await;
    h.command(&ALICE, "search", &[("query", "  Quantum   GRAVITY ")])
        .await;
    h.command(&BOB, "search", &[("query", "quantum gravity")])
        .await;
    // Counting happens after the answer: wait until the database has it all.
    let db = lectern_state::State::open(&h.state.db(), lectern_state::Clock::System)
        .await
        .unwrap();
    tokio::time::timeout(PATIENCE, async {
        loop {
            let usage = db.usage().await.unwrap();
            let quoted: i64 = usage.iter().map(|u| u.quoted).sum();
            let found: i64 = usage.iter().map(|u| u.found).sum();
            let gaps = db.gaps(90).await.unwrap();
            if quoted == 1 && found > 0 && gaps.first().is_some_and(|g| g.count == 2) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the uses are counted");
    let stats: Value = serde_json::from_str(&lectern_cli(&h.state, &["stats", "--json"])).unwrap();
    let section = stats["usage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["talk"] == talk.as_str() && u["section"] == 13)
        .unwrap_or_else(|| panic!("{stats:#}"))
        .clone();
    assert_eq!(section["opened"], 2, "{stats:#}");
    assert!(
        section["found"].as_i64().unwrap() >= 1,
        "生物安全 is section 13's title: {stats:#}"
    );
    let gaps: Value = serde_json::from_str(&lectern_cli(&h.state, &["gaps", "--json"])).unwrap();
    assert_eq!(gaps["retention_days"], 90);
    assert_eq!(gaps["gaps"][0]["query"], "quantum gravity");
    assert_eq!(gaps["gaps"][0]["count"], 2);
    assert!(
        !gaps.to_string().contains(&ALICE.id.to_string()),
        "no user ids: {gaps}"
    );
    let text = lectern_cli(&h.state, &["gaps"]);
    assert!(text.contains("quantum gravity"), "{text}");
    // An online copy while the bot runs.
    let copy = h.state.db().with_file_name("copy.sqlite3");
    lectern_cli(&h.state, &["backup", copy.to_str().unwrap()]);
    let restored = lectern_state::State::open(&copy, lectern_state::Clock::System)
        .await
        .unwrap();
    assert_eq!(restored.gaps(90).await.unwrap()[0].count, 2);
    // Past the retention, the gap is gone.
    h.state
        .set_clock(&(lectern_state::jiff::Timestamp::now().as_second() + 91 * 86_400).to_string());
    let gaps: Value = serde_json::from_str(&lectern_cli(&h.state, &["gaps", "--json"])).unwrap();
    assert_eq!(gaps["gaps"], json!([]));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_corrupt_database_still_serves_content_and_says_settings_are_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("corrupt.sqlite3");
    std::fs::write(
        &bad,
        "not a database, only text, and long enough to be read as a header",
    )
    .unwrap();
    let path = bad.clone();
    let h = Harness::start_with(Registration::Accept, move |c| c.state.path = path).await;
    let listed = h.command(&ALICE, "topics", &[]).await;
    assert!(listed.to_string().contains("Sam Altman"), "{listed}");
    let settings = h.command(&ADMIN, "settings", &[]).await;
    assert!(description(&settings).contains("unavailable"), "{settings}");
    assert_logged(&h.logs.text(), &["NO STATE DATABASE", "corrupt.sqlite3"]);
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_server_that_removed_the_bot_is_forgotten_after_the_grace_period() {
    let h = Harness::start().await;
    h.interact(h.slash_with(
        &ADMIN,
        "settings",
        vec![json!({"name": "private", "type": 5, "value": true})],
    ))
    .await;
    // An outage is not a removal.
    h.dispatch(
        "GUILD_DELETE",
        json!({"id": GUILD.to_string(), "unavailable": true}),
    );
    h.dispatch("GUILD_DELETE", json!({"id": GUILD.to_string()}));
    h.wait_log("removed from a server").await;
    let db = lectern_state::State::open(&h.state.db(), lectern_state::Clock::System)
        .await
        .unwrap();
    assert!(
        db.settings(GUILD).await.unwrap().private_default,
        "kept during the grace period"
    );
    let later = lectern_state::jiff::Timestamp::now().as_second() + 31 * 86_400;
    h.state.set_clock(&later.to_string());
    tokio::time::timeout(PATIENCE, async {
        while db.settings(GUILD).await.unwrap().private_default {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the server's rows are deleted after 30 days");
    h.stop().await;
}

impl FakeDiscord {
    /// Runs a slash command with no options as `user` in another server, `guild`.
    pub async fn command_in(&self, guild: u64, user: &User, name: &str) -> Value {
        self.interact(in_guild(self.slash(user, name, &[]), guild))
            .await
    }
}
