//! The storage layer on a real SQLite file and a real Postgres server (a throwaway cluster,
//! [`crate::test_postgres`]): every test of `on_both!` runs on each.

use super::*;

/// One test's database: a SQLite file, or a fresh database on the test cluster; its clock is
/// a file in `dir`.
struct Db {
    dir: tempfile::TempDir,
    url: Option<String>,
}

impl Db {
    fn sqlite() -> Db {
        let db = Db {
            dir: tempfile::tempdir().unwrap(),
            url: None,
        };
        db.set_now("2026-12-02T09:00:00Z");
        db
    }

    async fn postgres() -> Option<Db> {
        let cluster = crate::test_postgres::cluster()?;
        let db = Db {
            dir: tempfile::tempdir().unwrap(),
            url: Some(cluster.database().await),
        };
        db.set_now("2026-12-02T09:00:00Z");
        Some(db)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn set_now(&self, instant: &str) {
        std::fs::write(self.dir.path().join("now"), instant).unwrap();
    }

    /// A new pool on the database (two of them are two processes).
    async fn open(&self) -> State {
        let clock = Clock::File(self.dir.path().join("now"));
        State::open_configured(
            self.url.as_deref(),
            &self.dir.path().join("state.sqlite3"),
            clock,
        )
        .await
        .unwrap()
    }
}

/// Each named `async fn(Db)` as two tests, `sqlite::name` and `postgres::name`.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Db::sqlite()).await;
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                if let Some(db) = super::Db::postgres().await {
                    super::$name(db).await;
                }
            })*
        }
    };
}

on_both!(
    settings_round_trip_per_server_and_reset_deletes_only_that_server,
    a_day_is_claimed_once_across_two_pools_on_one_database,
    failures_pause_after_three_and_a_post_resets_them,
    usage_and_gaps_count_and_gaps_expire,
    a_left_server_is_forgotten_after_the_grace_period_only,
    new_talks_are_new_once_and_a_fresh_database_announces_nothing,
    flood_control_is_shared_by_two_pools_and_its_window_ends,
    a_quote_round_is_shared_by_two_pools_and_never_repeats_within_it,
    a_lease_has_one_holder_until_it_expires_or_is_released,
);

async fn settings_round_trip_per_server_and_reset_deletes_only_that_server(db: Db) {
    let state = db.open().await;
    assert_eq!(state.version().await.unwrap(), 2);
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

async fn a_day_is_claimed_once_across_two_pools_on_one_database(db: Db) {
    let a = db.open().await;
    let b = db.open().await;
    let (x, y) = tokio::join!(
        a.claim_day(5, "2026-12-02", "t#1#0"),
        b.claim_day(5, "2026-12-02", "t#1#0")
    );
    assert!(x.unwrap() ^ y.unwrap(), "exactly one claims the day");
    assert!(a.claim_day(5, "2026-12-03", "t#1#0").await.unwrap());
    assert!(!b.claim_day(5, "2026-12-03", "t#1#0").await.unwrap());
}

async fn failures_pause_after_three_and_a_post_resets_them(db: Db) {
    let state = db.open().await;
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

async fn usage_and_gaps_count_and_gaps_expire(db: Db) {
    let state = db.open().await;
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
    db.set_now("2027-01-02T09:00:01Z");
    assert!(state.gaps(30).await.unwrap().is_empty());
}

async fn a_left_server_is_forgotten_after_the_grace_period_only(db: Db) {
    let state = db.open().await;
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
    db.set_now("2027-01-02T09:00:00Z");
    assert_eq!(state.purge_left(30).await.unwrap(), vec![4]);
    assert_eq!(state.settings(4).await.unwrap(), GuildSettings::default());
}

async fn new_talks_are_new_once_and_a_fresh_database_announces_nothing(db: Db) {
    let state = db.open().await;
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
    let db = Db::sqlite();
    let state = db.open().await;
    state.count_gap("nothing here").await.unwrap();
    let copy = db.path().join("copy.sqlite3");
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

async fn flood_control_is_shared_by_two_pools_and_its_window_ends(db: Db) {
    let (a, b) = (db.open().await, db.open().await);
    let window = Duration::from_secs(10);
    // Three answers in ten seconds, whichever pool (replica) is asked.
    assert_eq!(a.admit(7, 3, window).await.unwrap(), None);
    assert_eq!(b.admit(7, 3, window).await.unwrap(), None);
    assert_eq!(a.admit(7, 3, window).await.unwrap(), None);
    let wait = b
        .admit(7, 3, window)
        .await
        .unwrap()
        .expect("the fourth waits");
    assert_eq!(
        wait, window,
        "the clock has not moved: the whole window is left"
    );
    assert_eq!(
        b.admit(8, 3, window).await.unwrap(),
        None,
        "another user is not slowed"
    );
    db.set_now("2026-12-02T09:00:04Z");
    assert_eq!(
        a.admit(7, 3, window).await.unwrap(),
        Some(Duration::from_secs(6))
    );
    db.set_now("2026-12-02T09:00:10Z");
    assert_eq!(a.admit(7, 3, window).await.unwrap(), None, "a new window");
    assert_eq!(
        b.prune_flood(window).await.unwrap(),
        1,
        "user 8's window ended"
    );
    // Many at once on two pools: exactly the limit is admitted.
    db.set_now("2026-12-02T10:00:00Z");
    let tries = (0..10).map(|n| {
        let s = if n % 2 == 0 { a.clone() } else { b.clone() };
        async move { s.admit(9, 4, window).await.unwrap() }
    });
    let admitted = futures_join_all(tries).await;
    assert_eq!(admitted.iter().filter(|w| w.is_none()).count(), 4);
}

async fn a_quote_round_is_shared_by_two_pools_and_never_repeats_within_it(db: Db) {
    let (a, b) = (db.open().await, db.open().await);
    let mut seen = Vec::new();
    for n in 0..5 {
        let s = if n % 2 == 0 { &a } else { &b };
        // Always the first quote left: only the shared round keeps it from repeating.
        seen.push(s.draw_quote(1, "All/5", 5, |_| 0).await.unwrap().unwrap());
    }
    seen.sort_unstable();
    assert_eq!(seen, vec![0, 1, 2, 3, 4], "each quote once in a round");
    // The next round does not open with the quote that closed this one (4).
    assert_eq!(
        a.draw_quote(1, "All/5", 5, |n| n - 1).await.unwrap(),
        Some(3)
    );
    // Another channel, another pool: rounds of their own.
    assert_eq!(b.draw_quote(2, "All/5", 5, |_| 0).await.unwrap(), Some(0));
    assert_eq!(
        b.draw_quote(1, "Talk(0)/2", 2, |_| 0).await.unwrap(),
        Some(0)
    );
    assert_eq!(a.draw_quote(1, "none", 0, |_| 0).await.unwrap(), None);
    // Two pools drawing at once never hand out the same quote.
    let draws = (0..6).map(|n| {
        let s = if n % 2 == 0 { a.clone() } else { b.clone() };
        async move { s.draw_quote(3, "All/6", 6, |_| 0).await.unwrap().unwrap() }
    });
    let mut got = futures_join_all(draws).await;
    got.sort_unstable();
    assert_eq!(got, vec![0, 1, 2, 3, 4, 5]);
}

async fn a_lease_has_one_holder_until_it_expires_or_is_released(db: Db) {
    let (a, b) = (db.open().await, db.open().await);
    let ttl = Duration::from_secs(60);
    let (x, y) = tokio::join!(
        a.take_lease("scheduler", "a", ttl),
        b.take_lease("scheduler", "b", ttl)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert!(x ^ y, "exactly one holds it");
    let (holder, other, hs, os) = if x {
        ("a", "b", &a, &b)
    } else {
        ("b", "a", &b, &a)
    };
    assert!(
        hs.take_lease("scheduler", holder, ttl).await.unwrap(),
        "renewed"
    );
    db.set_now("2026-12-02T09:00:59Z");
    assert!(!os.take_lease("scheduler", other, ttl).await.unwrap());
    // The holder stopped renewing: once expired the other takes it.
    db.set_now("2026-12-02T09:01:01Z");
    assert!(os.take_lease("scheduler", other, ttl).await.unwrap());
    assert!(!hs.take_lease("scheduler", holder, ttl).await.unwrap());
    os.release_lease("scheduler", other).await.unwrap();
    assert!(hs.take_lease("scheduler", holder, ttl).await.unwrap());
}

#[tokio::test]
async fn a_postgres_url_is_redacted_in_errors() {
    assert_eq!(
        redact_url("postgres://lectern:s3cret@db:5432/lectern?sslmode=require"),
        "postgres://lectern:***@db:5432/lectern?sslmode=require"
    );
    assert_eq!(redact_url("postgres://db/lectern"), "postgres://db/lectern");
    if let Some(cluster) = crate::test_postgres::cluster() {
        // A database that does not exist: the error names the server, never the password.
        let url = format!(
            "postgres://lectern:s3cret@127.0.0.1:{}/nosuchdb",
            cluster.port()
        );
        let e = State::open_configured(Some(&url), Path::new("unused"), Clock::System)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("nosuchdb") && e.contains("cannot be used"),
            "{e}"
        );
        assert!(e.contains("lectern:***@") && !e.contains("s3cret"), "{e}");
    }
    let e = State::open_configured(Some("mysql://x"), Path::new("unused"), Clock::System)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("postgres://"), "{e}");
}

/// Runs the futures at once (as tasks) and returns their outputs.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for f in futures {
        set.spawn(f);
    }
    set.join_all().await
}
