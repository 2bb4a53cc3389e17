//! The configuration's types: plain structs with defaults, which the plugin takes as they are.
//! Reading them from files and the environment is the binary's job (`lectern::config::load`,
//! with the `config` crate).
//!
//! Later layers win there: built-in defaults, `config/default.toml`, `config/local.toml` (optional,
//! not committed), then environment variables `LECTERN__SECTION__KEY` (double underscore between
//! levels, e.g. `LECTERN__CONTENT__SEEDS_DIR`). The Discord token is *not* configuration: it is
//! read from `DISCORD_TOKEN` or `DISCORD_TOKEN_FILE` only when serving, and never stored here,
//! so that printing a `Config` can never leak it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The whole configuration. Every field has a default, so an empty configuration is valid.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Config {
    /// `[content]`: where the write-ups are read from and how they are loaded.
    pub content: ContentConfig,
    /// `[log]`: the log lines' format and filter.
    pub log: LogConfig,
    /// `[discord]`: the HTTP API, where commands are registered, and sharding.
    pub discord: DiscordConfig,
    /// `[admin]`: who may `/reload`, besides the application's owner or team.
    pub admin: AdminConfig,
    /// `[reload]`: how often `/reload` may be asked from Discord.
    pub reload: ReloadConfig,
    /// `[cooldown]`: flood control, answers per user per window.
    pub cooldown: CooldownConfig,
    /// `[ops]`: how readiness treats a reconnecting shard.
    pub ops: OpsConfig,
    /// `[http]`: the health, readiness and metrics listener.
    pub http: HttpConfig,
    /// `[state]`: the database of settings, the quote of the day, usage and gaps.
    pub state: StateConfig,
    /// `[web]`: the read-only pages and the operator's dashboard, on a listener of their own.
    pub web: WebConfig,
    /// `[card]`: how quote cards are drawn.
    pub card: CardConfig,
    /// `[cache]`: where loads keep the parsed talks for the next start.
    pub cache: CacheConfig,
}

impl Config {
    /// The options of [`crate::library::Library::load`] for the `lectern` binary:
    /// [`ContentConfig::load_options`] and the load cache (`cache.dir`). A plugin takes
    /// `content.load_options()` alone: the cache outlives the process.
    pub fn load_options(&self) -> crate::library::LoadOptions {
        crate::library::LoadOptions {
            cache_dir: self.cache.dir.clone(),
            ..self.content.load_options()
        }
    }
}

/// `[cache]`: the load cache ([`crate::library::LoadOptions::cache_dir`]).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CacheConfig {
    /// A writable folder where each load of the seeds keeps its parsed talks and their index:
    /// a restart then parses only the files that changed. Unset (the default): no cache. A
    /// damaged or stale cache is ignored with a warning; deleting the folder is always safe.
    pub dir: Option<PathBuf>,
}

/// `[card]`: quote cards (`/quote card:True`, the "Card" button, `lectern ask quote --card`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CardConfig {
    /// A TrueType or OpenType font (or the first font of a collection) to draw cards with,
    /// instead of the bundled subset of WenQuanYi Micro Hei. Characters it lacks are left out.
    pub font_path: Option<PathBuf>,
}

/// `[content]`: the seeds folder of Markdown write-ups and the limits of loading it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ContentConfig {
    /// Folder of Markdown write-ups.
    pub seeds_dir: PathBuf,
    /// Files larger than this are skipped with a warning.
    pub max_file_bytes: u64,
    /// Reload when the seeds folder changes.
    pub watch: bool,
    /// Where relative image paths of the write-ups resolve (`images/a.png` against
    /// `https://cdn.example.org/talks/`). Without it, such images are dropped with a warning:
    /// Discord accepts only absolute http(s) URLs.
    pub media_base_url: Option<String>,
}

impl ContentConfig {
    /// The options of [`crate::library::Library::load`] for the `lectern` binary, which owns
    /// its process: the configured limits, and free memory given back after each load.
    pub fn load_options(&self) -> crate::library::LoadOptions {
        crate::library::LoadOptions {
            max_file_bytes: self.max_file_bytes,
            release_memory: true,
            media_base_url: self.media_base_url.clone(),
            cache_dir: None,
        }
    }
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig {
            seeds_dir: PathBuf::from("seeds"),
            max_file_bytes: 4 * 1024 * 1024,
            watch: false,
            media_base_url: None,
        }
    }
}

/// `[log]`: how log lines, which go to stderr, are written and filtered.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct LogConfig {
    /// `text` or `json`.
    pub format: LogFormat,
    /// A `tracing` filter used when `RUST_LOG` is not set.
    pub filter: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: LogFormat::Text,
            filter: "info,serenity=warn,poise=warn".into(),
        }
    }
}

/// How log lines are written (`log.format` or `--log-format`); `text` by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines, for people reading a terminal; the default.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl LogFormat {
    /// Every format, by the name the configuration and `--log-format` use.
    pub const ALL: [(&'static str, LogFormat); 2] =
        [("text", LogFormat::Text), ("json", LogFormat::Json)];
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<LogFormat, String> {
        LogFormat::ALL
            .iter()
            .find(|(name, _)| *name == s)
            .map(|&(_, f)| f)
            .ok_or_else(|| format!("unknown log format {s:?} (text or json)"))
    }
}

/// `[discord]`: Discord's HTTP API, where the commands are registered, and which shards this
/// process runs. Every key is unset by default.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DiscordConfig {
    /// Base URL of Discord's HTTP API (or of a ratelimit proxy in front of it). Empty: Discord.
    pub api_base: Option<String>,
    /// Register commands in this guild only (instant; for trying a setup).
    pub guild_id: Option<u64>,
    /// First shard this process runs; with `shard_count`.
    pub shard_start: Option<u32>,
    /// How many shards this process runs, starting at `shard_start`.
    pub shard_run: Option<u32>,
    /// Total shards across all processes. Empty: Discord's recommendation, all in this process.
    pub shard_total: Option<u32>,
    /// How interactions reach lectern: over the gateway (the default) or as signed HTTP POSTs
    /// to an interactions endpoint URL. Exclusive, as Discord delivers them one way or the other.
    pub mode: DiscordMode,
    /// Address of the interactions endpoint in `http` mode (its own listener, never `http.bind`).
    pub interactions_bind: String,
    /// The application's public key (hex, 64 digits, from the developer portal) that Discord's
    /// signatures are checked against in `http` mode.
    pub public_key: Option<String>,
}

/// How interactions reach lectern (`discord.mode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiscordMode {
    /// A gateway connection per shard; the default.
    #[default]
    Gateway,
    /// No gateway: Discord POSTs each interaction, signed, to `discord.interactions_bind`.
    Http,
}

/// Who operates lectern (may `/reload`), besides the application's owner or team.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AdminConfig {
    /// Users who are operators wherever they are.
    #[serde(deserialize_with = "ids")]
    pub user_ids: Vec<u64>,
    /// Guilds whose members with Manage Server are operators; `/reload` is registered only
    /// there when set.
    #[serde(deserialize_with = "ids")]
    pub guild_ids: Vec<u64>,
}

/// A list of Discord ids as people write them: `[1, 2]` in TOML, `1,2` or `1, 2` in the
/// environment (the `config` crate splits on commas and leaves the spaces), or one id alone.
fn ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(u64),
        Text(String),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Ids {
        List(Vec<Id>),
        One(Id),
    }
    let items = match Ids::deserialize(d)? {
        Ids::List(items) => items,
        Ids::One(item) => vec![item],
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            Id::Number(n) => out.push(n),
            Id::Text(text) => {
                for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let n = part.parse().map_err(|_| {
                        serde::de::Error::custom(format!("{part:?} is not a Discord id"))
                    })?;
                    out.push(n);
                }
            }
        }
    }
    Ok(out)
}

/// `[reload]`: the limit on how often `/reload` may be asked from Discord.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ReloadConfig {
    /// Seconds that must pass between two `/reload`s from Discord; 0 turns the limit off.
    /// SIGHUP, the watcher and `lectern reload` are not limited.
    pub min_interval_secs: u64,
}

impl Default for ReloadConfig {
    fn default() -> Self {
        ReloadConfig {
            min_interval_secs: 5,
        }
    }
}

/// Flood control: at most `commands` answers per user in any `seconds` window.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct CooldownConfig {
    /// Answers a user may get in a window; 0 turns flood control off.
    pub commands: u32,
    /// The window's length in seconds.
    pub seconds: u64,
}

impl Default for CooldownConfig {
    fn default() -> Self {
        CooldownConfig {
            commands: 5,
            seconds: 10,
        }
    }
}

impl CooldownConfig {
    /// No flood control (tests and benchmarks that send many commands as one user).
    pub fn off() -> CooldownConfig {
        CooldownConfig {
            commands: 0,
            ..CooldownConfig::default()
        }
    }
}

/// `[ops]`: how `/readyz` judges the gateway shards.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct OpsConfig {
    /// A shard that reconnects within this many seconds does not make `/readyz` fail.
    pub readiness_grace_secs: u64,
}

impl Default for OpsConfig {
    fn default() -> Self {
        OpsConfig {
            readiness_grace_secs: 5,
        }
    }
}

/// `[http]`: the listener of `/healthz`, `/readyz`, `/metrics` and `POST /reload`; off by
/// default.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct HttpConfig {
    /// Address of the health and metrics listener; empty turns it off.
    pub bind: String,
}

/// `[state]`: the database of what happens over time (per-server settings, the quote of the
/// day, usage counts, searches that found nothing). Content never goes in it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct StateConfig {
    /// Keep state at all; `false`: lectern serves content and says its state features are
    /// unavailable.
    pub enabled: bool,
    /// The SQLite file (created when missing; its folder must exist and be writable), unless
    /// `url` names a database server.
    pub path: PathBuf,
    /// A Postgres database shared by several replicas (`postgres://user:password@host/db`,
    /// best set as `LECTERN__STATE__URL`); empty: the SQLite file `path`. Logs and errors show
    /// it without its password.
    pub url: String,
    /// Days a search that found nothing is kept after it was last asked.
    pub gaps_retention_days: u32,
    /// Days a server's rows are kept after the bot left it (a GUILD_DELETE that is not an
    /// outage), in case it is added back.
    pub leave_grace_days: u32,
    /// For tests only, inert unless set: a file holding the instant lectern takes as now
    /// (RFC 3339 or Unix seconds), read at every look, so a test moves time by writing it.
    pub test_clock_file: Option<PathBuf>,
}

impl Default for StateConfig {
    fn default() -> Self {
        StateConfig {
            enabled: true,
            path: PathBuf::from("lectern.sqlite3"),
            url: String::new(),
            gaps_retention_days: 90,
            leave_grace_days: 30,
            test_clock_file: None,
        }
    }
}

/// `[web]`: the library's read-only pages and the operator's dashboard (`/admin`), served on
/// a listener of their own, never the operations listener. Off by default.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct WebConfig {
    /// Address of the pages' listener; empty turns the pages off.
    pub bind: String,
    /// The pages' address as readers reach them (`https://talks.example.org`): absolute links
    /// in the pages' OpenGraph tags, and the "Open on the web" button of Discord answers.
    /// Without it, answers carry no link.
    pub public_url: Option<String>,
    /// A file holding the dashboard's token; without it, `/admin` is off.
    pub admin_token_file: Option<PathBuf>,
}
