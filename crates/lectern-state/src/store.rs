//! The storage layer: one [`State`] over a pool, every query in portable SQL.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Time;
use jiff::tz::TimeZone;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Row};

use crate::Clock;

/// The schema's versions, applied in order at start, each once: `(version, description, SQL)`.
/// A new version is a new entry at the end; an applied one is never edited (the migrator
/// refuses a database whose applied migration's checksum changed).
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "state", include_str!("migrations/0001_state.sql")),
    (2, "shared", include_str!("migrations/0002_shared.sql")),
];

/// Quote-of-the-day failures in a row after which it pauses until `/settings` sets it again.
pub const PAUSE_AFTER: i64 = 3;

/// Why the state cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The database could not be opened or migrated (missing folder, not a database, a
    /// migration that fails): lectern serves content without its state features.
    #[error("the state database {path} cannot be used: {reason}")]
    Open {
        /// The file or URL, as configured.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// A query failed.
    #[error("state database: {0}")]
    Query(#[from] sqlx::Error),
    /// `lectern backup` to a file that exists.
    #[error("{0} exists already: a backup never overwrites a file")]
    Exists(PathBuf),
}

type Result<T> = std::result::Result<T, StateError>;

/// Which talks a server sees.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every talk.
    #[default]
    All,
    /// The talks with this tag.
    Tag(String),
    /// These talks, by id.
    Talks(Vec<String>),
}

/// A server's quote of the day: where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSchedule {
    /// The channel it is posted in.
    pub channel: u64,
    /// The local time, `HH:MM`.
    pub time: Time,
    /// The IANA time zone the time is in (`Europe/Berlin`).
    pub zone: String,
}

impl QuoteSchedule {
    /// The server's local day at `now` (`2026-12-02`), and whether its time has come that day.
    pub fn due(&self, now: Timestamp) -> Option<(String, bool)> {
        let tz = TimeZone::get(&self.zone).ok()?;
        let local = now.to_zoned(tz);
        Some((local.date().to_string(), local.time() >= self.time))
    }
}

/// One server's settings; [`GuildSettings::default`] for a server that set nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuildSettings {
    /// The language of public replies (a Discord locale: `en-US`, `zh-CN`, …); `None`: each
    /// user's own.
    pub lang: Option<String>,
    /// Which talks the server sees.
    pub scope: Scope,
    /// Answers are private (ephemeral) unless asked otherwise.
    pub private_default: bool,
    /// The quote of the day, when set.
    pub quote: Option<QuoteSchedule>,
    /// Quote-of-the-day failures in a row (paused at [`PAUSE_AFTER`]).
    pub quote_failures: i64,
    /// Why the last one failed, for the managers' next `/settings`.
    pub quote_error: Option<String>,
    /// Where new talks are announced; `None`: not announced.
    pub announce: Option<u64>,
}

impl GuildSettings {
    /// Whether the quote of the day is paused (three failures in a row).
    pub fn quote_paused(&self) -> bool {
        self.quote_failures >= PAUSE_AFTER
    }
}

/// What was done with a talk or section, counted by [`State::count_use`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A section (or a talk's list) was shown.
    Opened,
    /// A quote of it was shown.
    Quoted,
    /// It was among a search's hits.
    Found,
}

impl Use {
    /// The name stored and shown (`opened`, `quoted`, `found`).
    pub fn as_str(self) -> &'static str {
        match self {
            Use::Opened => "opened",
            Use::Quoted => "quoted",
            Use::Found => "found",
        }
    }
}

/// One line of `lectern stats`: a talk (section `None`) or one of its sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    /// The talk's id.
    pub talk: String,
    /// The section's number, `None` for the talk as a whole.
    pub section: Option<u32>,
    /// How often it was opened.
    pub opened: i64,
    /// How often it was quoted.
    pub quoted: i64,
    /// How often a search found it.
    pub found: i64,
}

/// One line of `lectern gaps`: a search that found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    /// The normalised query.
    pub query: String,
    /// How often it was searched and found nothing.
    pub count: i64,
    /// When last (Unix seconds).
    pub last_seen: i64,
}

/// How a query is kept in the gaps: lowercased, whitespace collapsed, at most 100 characters.
pub fn normalise_query(query: &str) -> String {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    words.join(" ").chars().take(100).collect()
}

/// The state database. Cheap to clone (one pool).
#[derive(Debug, Clone)]
pub struct State {
    pool: AnyPool,
    clock: Clock,
    sqlite: bool,
}

/// A Discord id as the database keeps it (BIGINT is signed; snowflakes stay below 2^63).
fn id(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn unid(v: i64) -> u64 {
    u64::try_from(v).unwrap_or_default()
}

impl State {
    /// Opens the SQLite file at `path` (created when missing, its folder must exist), turns on
    /// WAL and applies the migrations. An error names the file and the reason.
    pub async fn open(path: &Path, clock: Clock) -> Result<State> {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        State::connect(&url, &path.display().to_string(), clock).await
    }

    /// Opens the shared database at `url` when one is given (`postgres://user:password@host/db`),
    /// else the SQLite file at `path`. Errors and logs name the URL without its password
    /// ([`redact_url`]).
    pub async fn open_configured(url: Option<&str>, path: &Path, clock: Clock) -> Result<State> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => State::connect(url, &redact_url(url), clock).await,
            None => State::open(path, clock).await,
        }
    }

    /// Opens the database at `url` (`sqlite://…` or `postgres://…`), naming it `shown` in
    /// errors, and applies the migrations. The migrator holds a lock while it runs (on Postgres
    /// an advisory lock), so replicas starting together migrate once.
    pub async fn connect(url: &str, shown: &str, clock: Clock) -> Result<State> {
        sqlx::any::install_default_drivers();
        let password = url_password(url);
        let open_error = |e: &dyn std::fmt::Display| StateError::Open {
            path: shown.to_string(),
            reason: scrub(&e.to_string(), password.as_deref()),
        };
        let sqlite = url.starts_with("sqlite:");
        if !sqlite && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err(open_error(
                &"state.url must start with postgres:// (or leave it empty for the SQLite file state.path)",
            ));
        }
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // Several processes share the file: wait for a writer rather than fail.
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(|e| open_error(&e))?;
        if sqlite {
            let mode: String = sqlx::query("PRAGMA journal_mode = WAL")
                .fetch_one(&pool)
                .await
                .map_err(|e| open_error(&e))?
                .try_get(0)
                .map_err(|e| open_error(&e))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode, "the state database is not in WAL mode");
            }
        }
        migrator().run(&pool).await.map_err(|e| open_error(&e))?;
        Ok(State {
            pool,
            clock,
            sqlite,
        })
    }

    /// Whether the database is shared by every replica (a database server, not a local file):
    /// then flood control and the quote pools are kept in it too.
    pub fn is_shared(&self) -> bool {
        !self.sqlite
    }

    /// The clock everything over time reads.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Now, by [`State::clock`].
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The schema version applied (the newest migration's).
    pub async fn version(&self) -> Result<i64> {
        let row = sqlx::query("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
    }

    /// One server's settings (the defaults when it set none).
    pub async fn settings(&self, guild: u64) -> Result<GuildSettings> {
        let row = sqlx::query(
            "SELECT lang, scope_kind, scope_value, private_default, qotd_channel, qotd_time, \
             qotd_tz, qotd_failures, qotd_error, announce_channel \
             FROM guild_settings WHERE guild_id = $1",
        )
        .bind(id(guild))
        .fetch_optional(&self.pool)
        .await?;
        row.map_or(Ok(GuildSettings::default()), |r| settings_of(&r))
    }

    /// Writes one server's settings whole.
    pub async fn save_settings(&self, guild: u64, s: &GuildSettings) -> Result<()> {
        let (kind, value) = match &s.scope {
            Scope::All => ("all", String::new()),
            Scope::Tag(t) => ("tag", t.clone()),
            Scope::Talks(ids) => ("talks", ids.join("\n")),
        };
        let q = s.quote.as_ref();
        sqlx::query(
            "INSERT INTO guild_settings (guild_id, lang, scope_kind, scope_value, private_default, \
             qotd_channel, qotd_time, qotd_tz, qotd_failures, qotd_error, announce_channel) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (guild_id) DO UPDATE SET lang = excluded.lang, \
             scope_kind = excluded.scope_kind, scope_value = excluded.scope_value, \
             private_default = excluded.private_default, qotd_channel = excluded.qotd_channel, \
             qotd_time = excluded.qotd_time, qotd_tz = excluded.qotd_tz, \
             qotd_failures = excluded.qotd_failures, qotd_error = excluded.qotd_error, \
             announce_channel = excluded.announce_channel",
        )
        .bind(id(guild))
        .bind(s.lang.clone())
        .bind(kind)
        .bind(value)
        .bind(i64::from(s.private_default))
        .bind(q.map(|q| id(q.channel)))
        .bind(q.map(|q| q.time.strftime("%H:%M").to_string()))
        .bind(q.map(|q| q.zone.clone()))
        .bind(s.quote_failures)
        .bind(s.quote_error.clone())
        .bind(s.announce.map(id))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes every row of one server (`/settings reset`, or the grace period after it left).
    pub async fn forget_guild(&self, guild: u64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for table in ["guild_settings", "qotd_posts", "qotd_used", "guilds_left"] {
            // Table names from this list only, never from input.
            sqlx::query(&format!("DELETE FROM {table} WHERE guild_id = $1"))
                .bind(id(guild))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every server with a quote of the day that is not paused, and its schedule.
    pub async fn quote_schedules(&self) -> Result<Vec<(u64, QuoteSchedule)>> {
        let rows = sqlx::query(
            "SELECT guild_id, qotd_channel, qotd_time, qotd_tz FROM guild_settings \
             WHERE qotd_channel IS NOT NULL AND qotd_failures < $1",
        )
        .bind(PAUSE_AFTER)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let (Some(channel), Some(time), Some(zone)) = (
                r.try_get::<Option<i64>, _>(1)?,
                r.try_get::<Option<String>, _>(2)?,
                r.try_get::<Option<String>, _>(3)?,
            ) else {
                continue;
            };
            let Ok(time) = Time::strptime("%H:%M", &time) else {
                continue;
            };
            out.push((
                unid(r.try_get(0)?),
                QuoteSchedule {
                    channel: unid(channel),
                    time,
                    zone,
                },
            ));
        }
        Ok(out)
    }

    /// Claims the quote of the day of `guild` for its local `day`, with the quote chosen
    /// (`quote`): `true` for the one caller, in any process, that gets it; `false` when it
    /// was claimed already. The primary key (server, day) decides.
    pub async fn claim_day(&self, guild: u64, day: &str, quote: &str) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO qotd_posts (guild_id, day, quote, posted) VALUES ($1, $2, $3, 0) \
             ON CONFLICT (guild_id, day) DO NOTHING",
        )
        .bind(id(guild))
        .bind(day)
        .bind(quote)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The quotes `guild`'s quote of the day showed this round.
    pub async fn used_quotes(&self, guild: u64) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT quote FROM qotd_used WHERE guild_id = $1")
            .bind(id(guild))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get(0).map_err(StateError::from))
            .collect()
    }

    /// Starts `guild`'s round afresh: its pool is used up.
    pub async fn new_round(&self, guild: u64) -> Result<()> {
        sqlx::query("DELETE FROM qotd_used WHERE guild_id = $1")
            .bind(id(guild))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The quote of the day of `guild` was posted: remembered in its round, failures reset.
    pub async fn quote_posted(&self, guild: u64, day: &str, quote: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO qotd_used (guild_id, quote) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id(guild))
        .bind(quote)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE qotd_posts SET posted = 1 WHERE guild_id = $1 AND day = $2")
            .bind(id(guild))
            .bind(day)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE guild_settings SET qotd_failures = 0, qotd_error = NULL WHERE guild_id = $1",
        )
        .bind(id(guild))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The quote of the day of `guild` could not be posted: `reason` kept for its managers,
    /// one more failure counted. Returns the failures in a row (paused at [`PAUSE_AFTER`]).
    pub async fn quote_failed(&self, guild: u64, reason: &str) -> Result<i64> {
        sqlx::query(
            "UPDATE guild_settings SET qotd_failures = qotd_failures + 1, qotd_error = $2 \
             WHERE guild_id = $1",
        )
        .bind(id(guild))
        .bind(reason)
        .execute(&self.pool)
        .await?;
        Ok(self.settings(guild).await?.quote_failures)
    }

    /// How many quotes of the day `guild` was posted, and on which days (oldest first).
    pub async fn posted_days(&self, guild: u64) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT day FROM qotd_posts WHERE guild_id = $1 AND posted = 1 ORDER BY day",
        )
        .bind(id(guild))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| r.try_get(0).map_err(StateError::from))
            .collect()
    }

    /// Counts one use of `talk` (section `None`: the talk as a whole).
    pub async fn count_use(&self, talk: &str, section: Option<usize>, what: Use) -> Result<()> {
        let section = section.map_or(-1, |s| i64::try_from(s).unwrap_or(i64::MAX));
        sqlx::query(
            "INSERT INTO usage_counts (talk, section, kind, count) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (talk, section, kind) DO UPDATE SET count = usage_counts.count + 1",
        )
        .bind(talk)
        .bind(section)
        .bind(what.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Counts a search that found nothing, by its normalised text ([`normalise_query`]); an
    /// empty query is not counted.
    pub async fn count_gap(&self, query: &str) -> Result<()> {
        let query = normalise_query(query);
        if query.is_empty() {
            return Ok(());
        }
        let now = self.now().as_second();
        sqlx::query(
            "INSERT INTO gaps (query, count, first_seen, last_seen) VALUES ($1, 1, $2, $2) \
             ON CONFLICT (query) DO UPDATE SET count = gaps.count + 1, last_seen = excluded.last_seen",
        )
        .bind(query)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Usage per talk and section, most used first (opened + quoted + found), then by talk
    /// and section.
    pub async fn usage(&self) -> Result<Vec<UsageRow>> {
        let rows = sqlx::query(
            "SELECT talk, section, \
             CAST(SUM(CASE WHEN kind = 'opened' THEN count ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN kind = 'quoted' THEN count ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN kind = 'found' THEN count ELSE 0 END) AS BIGINT) \
             FROM usage_counts GROUP BY talk, section ORDER BY SUM(count) DESC, talk, section",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let section: i64 = r.try_get(1)?;
                Ok(UsageRow {
                    talk: r.try_get(0)?,
                    section: u32::try_from(section).ok(),
                    opened: r.try_get(2)?,
                    quoted: r.try_get(3)?,
                    found: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// The searches that found nothing, most asked first; those last seen more than
    /// `retention_days` ago are deleted first.
    pub async fn gaps(&self, retention_days: u32) -> Result<Vec<GapRow>> {
        self.prune_gaps(retention_days).await?;
        let rows =
            sqlx::query("SELECT query, count, last_seen FROM gaps ORDER BY count DESC, query")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(GapRow {
                    query: r.try_get(0)?,
                    count: r.try_get(1)?,
                    last_seen: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// Deletes the gaps last seen more than `retention_days` ago; returns how many.
    pub async fn prune_gaps(&self, retention_days: u32) -> Result<u64> {
        let before = self.now().as_second() - i64::from(retention_days) * 86_400;
        let done = sqlx::query("DELETE FROM gaps WHERE last_seen < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The bot left `guild` (GUILD_DELETE, not an outage): its rows go after the grace period.
    pub async fn left_guild(&self, guild: u64) -> Result<()> {
        sqlx::query(
            "INSERT INTO guilds_left (guild_id, left_at) VALUES ($1, $2) \
             ON CONFLICT (guild_id) DO NOTHING",
        )
        .bind(id(guild))
        .bind(self.now().as_second())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The bot is in `guild` (again): nothing of it is to be deleted.
    pub async fn in_guild(&self, guild: u64) -> Result<()> {
        sqlx::query("DELETE FROM guilds_left WHERE guild_id = $1")
            .bind(id(guild))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes the rows of every server left more than `grace_days` ago; returns them.
    pub async fn purge_left(&self, grace_days: u32) -> Result<Vec<u64>> {
        let before = self.now().as_second() - i64::from(grace_days) * 86_400;
        let rows = sqlx::query("SELECT guild_id FROM guilds_left WHERE left_at <= $1")
            .bind(before)
            .fetch_all(&self.pool)
            .await?;
        let mut gone = Vec::new();
        for r in rows {
            let guild = unid(r.try_get(0)?);
            self.forget_guild(guild).await?;
            gone.push(guild);
        }
        Ok(gone)
    }

    /// Of `talks` (ids), those no process announced yet, now marked announced. The first
    /// call on an empty table marks them all and returns none: a new database announces
    /// nothing of what was there before it.
    pub async fn new_talks(&self, talks: &[String]) -> Result<Vec<String>> {
        let known: i64 = sqlx::query("SELECT COUNT(*) FROM talks_known")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let mut fresh = Vec::new();
        for talk in talks {
            let done =
                sqlx::query("INSERT INTO talks_known (talk) VALUES ($1) ON CONFLICT DO NOTHING")
                    .bind(talk)
                    .execute(&self.pool)
                    .await?;
            if done.rows_affected() == 1 && known > 0 {
                fresh.push(talk.clone());
            }
        }
        Ok(fresh)
    }

    /// Every server that asked for new-talk announcements, and where.
    pub async fn announce_channels(&self) -> Result<Vec<(u64, u64)>> {
        let rows = sqlx::query(
            "SELECT guild_id, announce_channel FROM guild_settings \
             WHERE announce_channel IS NOT NULL ORDER BY guild_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((unid(r.try_get(0)?), unid(r.try_get(1)?))))
            .collect()
    }

    /// Flood control shared by every process on this database: admits `user` now and counts
    /// it (`None`), or says how long until it may be admitted. At most `limit` answers in a
    /// window of `window` opened by the first of them; one atomic upsert decides, so two
    /// replicas asked at once cannot both admit the last answer.
    pub async fn admit(&self, user: u64, limit: u32, window: Duration) -> Result<Option<Duration>> {
        let now = self.now().as_millisecond();
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let row = sqlx::query(
            "INSERT INTO flood (user_id, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (user_id) DO UPDATE SET \
             window_start = CASE WHEN flood.window_start <= $3 THEN excluded.window_start \
             ELSE flood.window_start END, \
             hits = CASE WHEN flood.window_start <= $3 THEN 1 ELSE flood.hits + 1 END \
             RETURNING window_start, hits",
        )
        .bind(id(user))
        .bind(now)
        .bind(now.saturating_sub(window_ms))
        .fetch_one(&self.pool)
        .await?;
        let (start, hits): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        if hits <= i64::from(limit) {
            return Ok(None);
        }
        let left = start.saturating_add(window_ms).saturating_sub(now).max(1);
        Ok(Some(Duration::from_millis(
            u64::try_from(left).unwrap_or(1),
        )))
    }

    /// Forgets the flood-control windows that ended before `window` ago; returns how many.
    pub async fn prune_flood(&self, window: Duration) -> Result<u64> {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let before = self.now().as_millisecond().saturating_sub(window_ms);
        let done = sqlx::query("DELETE FROM flood WHERE window_start <= $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// A quote of `pool` (a name for the channel's pool, `len` quotes) that no one in
    /// `channel` was shown this round, by whichever process: drawn with `pick` among those
    /// left and claimed by its row (a draw another process claimed at the same moment is
    /// drawn again). When the round is used up a new one starts, without the quote that
    /// closed it. `None` for an empty pool.
    pub async fn draw_quote(
        &self,
        channel: u64,
        pool: &str,
        len: usize,
        mut pick: impl FnMut(usize) -> usize,
    ) -> Result<Option<usize>> {
        match len {
            0 => return Ok(None),
            1 => return Ok(Some(0)),
            _ => {}
        }
        for _ in 0..16 {
            let rows = sqlx::query(
                "SELECT quote, seq FROM quote_rounds WHERE channel_id = $1 AND pool = $2",
            )
            .bind(id(channel))
            .bind(pool)
            .fetch_all(&self.pool)
            .await?;
            let mut used = vec![false; len];
            let mut last: Option<(i64, i64)> = None;
            for r in &rows {
                let (quote, seq): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
                if let Some(slot) = usize::try_from(quote).ok().and_then(|q| used.get_mut(q)) {
                    *slot = true;
                }
                if last.is_none_or(|(_, s)| seq > s) {
                    last = Some((quote, seq));
                }
            }
            let free: Vec<usize> = (0..len).filter(|q| !used[*q]).collect();
            if free.is_empty() {
                // A new round: everything but the quote that closed the last one is free.
                let keep = last.map_or(-1, |(q, _)| q);
                sqlx::query(
                    "DELETE FROM quote_rounds WHERE channel_id = $1 AND pool = $2 AND quote <> $3",
                )
                .bind(id(channel))
                .bind(pool)
                .bind(keep)
                .execute(&self.pool)
                .await?;
                continue;
            }
            let quote = free[pick(free.len()).min(free.len() - 1)];
            let done = sqlx::query(
                "INSERT INTO quote_rounds (channel_id, pool, quote, seq) \
                 SELECT $1, $2, $3, COALESCE(MAX(seq), 0) + 1 FROM quote_rounds \
                 WHERE channel_id = $1 AND pool = $2 \
                 ON CONFLICT (channel_id, pool, quote) DO NOTHING",
            )
            .bind(id(channel))
            .bind(pool)
            .bind(i64::try_from(quote).unwrap_or(i64::MAX))
            .execute(&self.pool)
            .await?;
            if done.rows_affected() == 1 {
                return Ok(Some(quote));
            }
        }
        // Sixteen draws in a row lost to other processes: give up on no-repeat this once.
        Ok(Some(pick(len).min(len - 1)))
    }

    /// Takes or renews the lease `name` for `holder` until `ttl` from now: `true` when
    /// `holder` has it (it was free, expired, or already its own), `false` while another
    /// holds it. One upsert decides, so two processes never both hold it.
    pub async fn take_lease(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool> {
        let now = self.now().as_second();
        let until = now.saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX));
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, expires) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires \
             WHERE leases.holder = excluded.holder OR leases.expires < $4",
        )
        .bind(name)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the lease `name` up, if `holder` has it (a clean stop hands the job over at once).
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// An online copy of the database into `file` (SQLite's `VACUUM INTO`: consistent while
    /// lectern runs). Never overwrites a file.
    pub async fn backup(&self, file: &Path) -> Result<()> {
        if file.exists() {
            return Err(StateError::Exists(file.to_path_buf()));
        }
        if !self.sqlite {
            return Err(StateError::Open {
                path: file.display().to_string(),
                reason: "lectern backup copies SQLite files only; back a Postgres database up with pg_dump".into(),
            });
        }
        sqlx::query("VACUUM INTO $1")
            .bind(file.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool (the WAL is checkpointed by SQLite as the last connection closes).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `url` with its password replaced by `***` (`postgres://lectern:***@db/lectern`), for logs
/// and errors; a URL without a password is returned as it is.
pub fn redact_url(url: &str) -> String {
    match url_password(url) {
        Some(p) => url.replacen(&format!(":{p}@"), ":***@", 1),
        None => url.to_string(),
    }
}

/// The password of `scheme://user:password@host…`, when there is one.
fn url_password(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    let password = userinfo.split_once(':')?.1;
    (!password.is_empty()).then(|| password.to_string())
}

/// `text` with every occurrence of `secret` replaced by `***`.
fn scrub(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) => text.replace(s, "***"),
        None => text.to_string(),
    }
}

fn migrator() -> Migrator {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

fn settings_of(r: &AnyRow) -> Result<GuildSettings> {
    let kind: String = r.try_get(1)?;
    let value: String = r.try_get(2)?;
    let scope = match kind.as_str() {
        "tag" => Scope::Tag(value),
        "talks" => Scope::Talks(value.lines().map(str::to_string).collect()),
        _ => Scope::All,
    };
    let channel: Option<i64> = r.try_get(4)?;
    let time: Option<String> = r.try_get(5)?;
    let zone: Option<String> = r.try_get(6)?;
    let quote = match (channel, time, zone) {
        (Some(channel), Some(time), Some(zone)) => {
            Time::strptime("%H:%M", &time)
                .ok()
                .map(|time| QuoteSchedule {
                    channel: unid(channel),
                    time,
                    zone,
                })
        }
        _ => None,
    };
    let private: i64 = r.try_get(3)?;
    Ok(GuildSettings {
        lang: r.try_get(0)?,
        scope,
        private_default: private != 0,
        quote,
        quote_failures: r.try_get(7)?,
        quote_error: r.try_get(8)?,
        announce: r.try_get::<Option<i64>, _>(9)?.map(unid),
    })
}

/// A time of day as `/settings` takes it: `HH:MM`, 24-hour.
pub fn parse_time(text: &str) -> Option<Time> {
    Time::strptime("%H:%M", text.trim()).ok()
}

/// Whether `zone` is an IANA time zone the embedded database knows.
pub fn known_zone(zone: &str) -> bool {
    TimeZone::get(zone).is_ok()
}

impl FromStr for Use {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Use, String> {
        match s {
            "opened" => Ok(Use::Opened),
            "quoted" => Ok(Use::Quoted),
            "found" => Ok(Use::Found),
            other => Err(format!("unknown use {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests;
