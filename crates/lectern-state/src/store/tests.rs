//! The storage layer on a real SQLite file.

use super::*;

fn at(dir: &Path, instant: &str) -> Clock {
    let file = dir.join("now");
    std::fs::write(&file, instant).unwrap();
    Clock::File(file)
}

async fn open(dir: &Path) -> State {
    State::open(&dir.join("state.sqlite3"), at(dir, "2026-12-02T09:00:00Z"))
        .await
        .unwrap()
}

#[tokio::test]
async fn settings_round_trip_per_server_and_reset_deletes_only_that_server() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(dir.path()).await;
    assert_eq!(state.version().await.unwrap(), 1);
    assert_eq!(state.settings(1).await.unwrap(), GuildSettings::default());
    let s = GuildSettings {
        lang: Some("zh-CN".into()),
        scope: Scope::Talks(vec!["a".into(), "b".into()]),
        private_default: true,
        quote: Some(QuoteSchedule {
            channel: 1_600_000_000_000_000_001,
            time: parse_time("09:30").unwrap(),
            zone: "Asia/Shanghai".into(),
        }),
        announce: Some(7),
        ..GuildSettings::default()
    };
    state.save_settings(1, &s).await.unwrap();
    state
        .save_settings(
            2,
            &GuildSettings {
                scope: Scope::Tag("ai".into()),
                ..GuildSettings::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(state.settings(1).await.unwrap(), s);
    state.forget_guild(1).await.unwrap();
    assert_eq!(state.settings(1).await.unwrap(), GuildSettings::default());
    assert_eq!(
        state.settings(2).await.unwrap().scope,
        Scope::Tag("ai".into())
    );
}

#[tokio::test]
async fn a_day_is_claimed_once_across_two_pools_on_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = open(dir.path()).await;
    let b = open(dir.path()).await;
    let (x, y) = tokio::join!(
        a.claim_day(5, "2026-12-02", "t#1#0"),
        b.claim_day(5, "2026-12-02", "t#1#0")
    );
    assert!(x.unwrap() ^ y.unwrap(), "exactly one claims the day");
    assert!(a.claim_day(5, "2026-12-03", "t#1#0").await.unwrap());
    assert!(!b.claim_day(5, "2026-12-03", "t#1#0").await.unwrap());
}

#[tokio::test]
async fn failures_pause_after_three_and_a_post_resets_them() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(dir.path()).await;
    let s = GuildSettings {
        quote: Some(QuoteSchedule {
            channel: 9,
            time: parse_time("08:00").unwrap(),
            zone: "UTC".into(),
        }),
        ..GuildSettings::default()
    };
    state.save_settings(3, &s).await.unwrap();
    assert_eq!(state.quote_schedules().await.unwrap().len(), 1);
    for n in 1..=3 {
        assert_eq!(
            state.quote_failed(3, "missing permission").await.unwrap(),
            n
        );
    }
    assert!(state.settings(3).await.unwrap().quote_paused());
    assert!(state.quote_schedules().await.unwrap().is_empty());
    state.claim_day(3, "2026-12-02", "q").await.unwrap();
    state.quote_posted(3, "2026-12-02", "q").await.unwrap();
    assert_eq!(state.settings(3).await.unwrap().quote_failures, 0);
    assert_eq!(state.used_quotes(3).await.unwrap(), vec!["q".to_string()]);
    assert_eq!(
        state.posted_days(3).await.unwrap(),
        vec!["2026-12-02".to_string()]
    );
}

#[tokio::test]
async fn usage_and_gaps_count_and_gaps_expire() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(dir.path()).await;
    state.count_use("t", Some(2), Use::Opened).await.unwrap();
    state.count_use("t", Some(2), Use::Opened).await.unwrap();
    state.count_use("t", Some(2), Use::Found).await.unwrap();
    state.count_use("u", None, Use::Quoted).await.unwrap();
    let usage = state.usage().await.unwrap();
    assert_eq!(
        usage[0],
        UsageRow {
            talk: "t".into(),
            section: Some(2),
            opened: 2,
            quoted: 0,
            found: 1
        }
    );
    assert_eq!(usage[1].section, None);
    state.count_gap("  Quantum   GRAVITY ").await.unwrap();
    state.count_gap("quantum gravity").await.unwrap();
    state.count_gap("   ").await.unwrap();
    let gaps = state.gaps(30).await.unwrap();
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        (gaps[0].query.as_str(), gaps[0].count),
        ("quantum gravity", 2)
    );
    // 31 days later the gap is past its retention.
    std::fs::write(dir.path().join("now"), "2027-01-02T09:00:01Z").unwrap();
    assert!(state.gaps(30).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_left_server_is_forgotten_after_the_grace_period_only() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(dir.path()).await;
    state
        .save_settings(
            4,
            &GuildSettings {
                private_default: true,
                ..GuildSettings::default()
            },
        )
        .await
        .unwrap();
    state.left_guild(4).await.unwrap();
    assert!(state.purge_left(30).await.unwrap().is_empty());
    std::fs::write(dir.path().join("now"), "2027-01-02T09:00:00Z").unwrap();
    assert_eq!(state.purge_left(30).await.unwrap(), vec![4]);
    assert_eq!(state.settings(4).await.unwrap(), GuildSettings::default());
}

#[tokio::test]
async fn new_talks_are_new_once_and_a_fresh_database_announces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(dir.path()).await;
    let names = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    assert!(
        state
            .new_talks(&names(&["a", "b"]))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        state.new_talks(&names(&["a", "b", "c"])).await.unwrap(),
        names(&["c"])
    );
    assert!(
        state
            .new_talks(&names(&["a", "b", "c"]))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn backup_is_an_openable_copy_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(dir.path()).await;
    state.count_gap("nothing here").await.unwrap();
    let copy = dir.path().join("copy.sqlite3");
    state.backup(&copy).await.unwrap();
    assert!(matches!(
        state.backup(&copy).await,
        Err(StateError::Exists(_))
    ));
    let restored = State::open(&copy, Clock::System).await.unwrap();
    assert_eq!(restored.gaps(36500).await.unwrap()[0].query, "nothing here");
}

#[tokio::test]
async fn a_corrupt_or_unreachable_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sqlite3");
    std::fs::write(
        &bad,
        b"this is not a database, it is a text file that is long enough",
    )
    .unwrap();
    let e = State::open(&bad, Clock::System)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bad.sqlite3") && e.contains("cannot be used"),
        "{e}"
    );
    let missing = dir.path().join("no/such/folder/x.sqlite3");
    let e = State::open(&missing, Clock::System)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("cannot be used"), "{e}");
}

#[test]
fn a_schedule_is_due_at_its_local_time_in_its_zone() {
    let s = QuoteSchedule {
        channel: 1,
        time: parse_time("09:30").unwrap(),
        zone: "Asia/Shanghai".into(),
    };
    let before: Timestamp = "2026-12-02T01:29:00Z".parse().unwrap();
    let after: Timestamp = "2026-12-02T01:30:00Z".parse().unwrap();
    assert_eq!(s.due(before), Some(("2026-12-02".into(), false)));
    assert_eq!(s.due(after), Some(("2026-12-02".into(), true)));
    // 23:00 UTC is already tomorrow in Shanghai.
    let late: Timestamp = "2026-12-02T23:00:00Z".parse().unwrap();
    assert_eq!(s.due(late).unwrap().0, "2026-12-03");
    assert!(known_zone("Europe/Berlin") && !known_zone("Mars/Olympus"));
}
