//! lectern's state: what happens over time, kept in a database so it survives restarts and is
//! shared by every process of a deployment. Per-server settings ([`GuildSettings`]), the quote
//! of the day (one claim per server and local day, [`State::claim_day`]), usage counts per talk
//! and section ([`Use`]), searches that found nothing ([`State::count_gap`]), servers the bot
//! left ([`State::left_guild`]) and the talks already announced.
//!
//! The database is SQLite in one file by default (`state.path`), or a Postgres server that
//! several replicas share (`state.url`, issue 29), both through sqlx's `Any` driver and the
//! same migrations: every query here is checked at run time
//! and written in the SQL both understand (`$1` parameters, `BIGINT` and `TEXT`, integer flags,
//! `INSERT … ON CONFLICT`). The schema is versioned: [`MIGRATIONS`] are applied at start, in
//! order, each once (sqlx's migrator, its table `_sqlx_migrations`). SQLite runs in WAL mode
//! with a busy timeout, so several processes share one file.
//!
//! Content never goes in here: talks stay in the seeds folder; rows name talks by their id
//! (the file name without extension) and quotes by `talk#section#quote`.
//!
//! Time comes from a [`Clock`]: the system's, or in tests a file the tests write
//! (`state.test_clock_file`), so that a test moves a separate `lectern serve` process to the
//! next day without sleeping.

mod clock;
mod store;
#[cfg(any(test, feature = "test-postgres"))]
pub mod test_postgres;

pub use clock::Clock;
pub use jiff;
pub use store::{
    GapRow, GuildSettings, MIGRATIONS, PAUSE_AFTER, QuoteSchedule, Scope, State, StateError,
    UsageRow, Use, known_zone, normalise_query, parse_time, redact_url,
};
