//! The Discord bot: serenity for the gateway and HTTP, poise for the slash commands.
//!
//! This module is the only part of the crate that knows Discord. It turns interactions into
//! calls of the core ([`crate::reply`], [`crate::search`]) and [`Reply`]s into messages.
//! Map:
//! - [`run`] connects with a given configuration, token and library until `shutdown`
//!   resolves ([`run_bot`] with a [`Bot`] made by the caller); [`serve`] is `lectern serve`
//!   (token from the environment, the ops listener, the seeds watcher, SIGHUP, SIGTERM);
//! - [`commands`]: one small function per slash command; [`components`]: button presses and
//!   select menus; [`convert`]: `Reply` → serenity builders; [`custom_id`]: what a button
//!   carries; [`quote_bag`]: no-repeat quotes per channel; [`i18n`]: Chinese command names;
//!   [`retry`]: waiting out a 429 on the answers.
//!
//! Invariants:
//! - the token lives in a [`Token`], whose `Debug` and `Display` print `[redacted]`; it is
//!   never logged, nor put in an error;
//! - the library in service is [`crate::reload::Content`], shared with the operations surface
//!   through [`Ops`]: each interaction answers from one snapshot (`Arc<Library>`), a reload
//!   builds a new library aside and swaps it in whole;
//! - every interaction is counted in [`Ops`]'s metrics, and the gateway's state and latency are
//!   reported to its readiness status;
//! - no privileged intents, no cache: interactions carry all the commands need;
//! - registration happens once, in poise's setup; a failure is logged as an error and the bot
//!   keeps running (poise would hold every event forever if setup failed).

pub mod commands;
pub mod components;
pub mod convert;
pub mod custom_id;
pub mod i18n;
pub mod quote_bag;
pub mod retry;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use poise::serenity_prelude as serenity;
use serenity::{
    ClientBuilder, ConnectionStage, FullEvent, GatewayIntents, GuildId, HttpBuilder, Interaction,
    InteractionId, Permissions, UserId,
};

use crate::config::Config;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, QuoteScope};
use crate::ops::Ops;
use crate::reload::Content;
use crate::reply::{self, AboutInfo, Reply};
use quote_bag::QuoteBag;

/// The bot token. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into().trim().to_string())
    }

    /// Reads `DISCORD_TOKEN`, or else the file named by `DISCORD_TOKEN_FILE`.
    pub fn from_env() -> Result<Token, TokenError> {
        Token::from_sources(
            std::env::var("DISCORD_TOKEN").ok(),
            std::env::var_os("DISCORD_TOKEN_FILE").map(PathBuf::from),
        )
    }

    /// Like [`Token::from_env`] with the values given (for tests).
    pub fn from_sources(var: Option<String>, file: Option<PathBuf>) -> Result<Token, TokenError> {
        if let Some(t) = var.filter(|t| !t.trim().is_empty()) {
            return Ok(Token::new(t));
        }
        let Some(path) = file.filter(|p| !p.as_os_str().is_empty()) else {
            return Err(TokenError::Missing);
        };
        let text = std::fs::read_to_string(&path).map_err(|e| TokenError::File {
            path: path.clone(),
            reason: e.kind().to_string(),
        })?;
        if text.trim().is_empty() {
            return Err(TokenError::File {
                path,
                reason: "the file is empty".into(),
            });
        }
        Ok(Token::new(text))
    }

    /// The token itself, for serenity only.
    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Why there is no token. The messages say how to provide one and never contain it.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(
        "no Discord bot token: set DISCORD_TOKEN to it, or DISCORD_TOKEN_FILE to a file that holds it"
    )]
    Missing,
    #[error("cannot read DISCORD_TOKEN_FILE ({}): {reason}", path.display())]
    File { path: PathBuf, reason: String },
}

/// The state every handler shares (poise's user data).
#[derive(Debug)]
pub struct Bot {
    ops: Ops,
    quotes: QuoteBag<(u64, QuoteScope)>,
    admin_ids: Vec<u64>,
    about: AboutInfo,
}

/// How many channels' quote bags are kept.
const QUOTE_BAGS: usize = 10_000;

impl Bot {
    pub fn new(config: &Config, ops: Ops) -> Bot {
        Bot {
            ops,
            quotes: QuoteBag::new(QUOTE_BAGS),
            admin_ids: config.admin.user_ids.clone(),
            about: AboutInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
        }
    }

    /// The library in service now: hold the `Arc` for the whole interaction.
    pub fn library(&self) -> Arc<Library> {
        self.ops.content.library()
    }

    /// The content, status and metrics shared with the operations surface.
    pub fn ops(&self) -> &Ops {
        &self.ops
    }

    /// Admins: users listed in `admin.user_ids`, and members with Manage Server or
    /// Administrator in the channel (`member.permissions`, resolved by Discord).
    pub fn is_admin(&self, user: UserId, permissions: Option<Permissions>) -> bool {
        self.admin_ids.contains(&user.get())
            || permissions.is_some_and(|p| {
                p.intersects(Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD)
            })
    }

    /// Draws a quote no one in `channel` has seen this round, from `scope` in `lib` (the
    /// snapshot the interaction answers from).
    pub fn draw_quote(
        &self,
        lib: &Arc<Library>,
        channel: u64,
        scope: QuoteScope,
        lang: Lang,
    ) -> Reply {
        let pool = scope.pool(lib);
        // A reload swaps in a new `Arc<Library>`: its address tells the bags to start afresh.
        // (Were an address ever reused, the bag would only keep its round; indices stay in the
        // pool, whose size it also checks.)
        let generation = Arc::as_ptr(lib) as usize as u64;
        let drawn = self
            .quotes
            .draw((channel, scope), generation, pool.len(), &mut rand::rng());
        match drawn {
            Some(i) => reply::quote(lib, pool[i], scope, lang),
            None => Reply::notice(Msg::NoQuotes.get(lang)),
        }
    }

    /// Starts tracking one interaction: its span and its clock.
    fn track(
        &self,
        kind: &'static str,
        command: &str,
        id: InteractionId,
        guild: Option<GuildId>,
        user: UserId,
        locale: &str,
    ) -> Tracked {
        Tracked {
            span: span(id, kind, command, guild, user, locale),
            kind,
            command: command.to_string(),
            started: Instant::now(),
        }
    }

    /// Records how an interaction ended, in its span, the log and the metrics; `sent` is false
    /// when the answer could not be sent.
    fn done(&self, t: &Tracked, outcome: Outcome, sent: bool) {
        let outcome = if sent { outcome } else { Outcome::Error };
        let took = t.started.elapsed();
        t.span.record("latency_ms", took.as_millis() as u64);
        t.span.record("outcome", outcome.as_str());
        tracing::info!(parent: &t.span, "interaction answered");
        // `lectern_commands_total` counts commands by name; autocompletes and presses are
        // counted under their kind (the span keeps the command's name).
        let command = if t.kind == "command" {
            &t.command
        } else {
            t.kind
        };
        self.ops
            .metrics
            .record_interaction(t.kind, command, outcome.metric(), took);
    }
}

/// One interaction being answered.
struct Tracked {
    span: tracing::Span,
    kind: &'static str,
    command: String,
    started: Instant,
}

/// How an interaction ended, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A polite ephemeral answer (no such section, nothing to search for, …).
    Notice,
    /// Someone pressed another person's button.
    NotInvoker,
    /// A button pointing at something the library no longer has.
    Stale,
    /// Not an admin.
    Refused,
    Error,
}

impl Outcome {
    /// The `outcome` label of `lectern_commands_total`: `ok`, `user_error` or `error`.
    fn metric(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            _ => "user_error",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Notice => "notice",
            Outcome::NotInvoker => "not_invoker",
            Outcome::Stale => "stale",
            Outcome::Refused => "refused",
            Outcome::Error => "error",
        }
    }
}

/// The span of one interaction. Fields: never message content, only who, where and what.
fn span(
    id: InteractionId,
    kind: &str,
    command: &str,
    guild: Option<GuildId>,
    user: UserId,
    locale: &str,
) -> tracing::Span {
    tracing::info_span!(
        "interaction",
        id = %id,
        kind,
        command,
        guild_id = guild.map(|g| g.get()),
        user_id = user.get(),
        locale,
        latency_ms = tracing::field::Empty,
        outcome = tracing::field::Empty,
    )
}

/// How the shards of this process are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shards {
    /// Discord's recommended count, all in this process (`GET /gateway/bot`).
    Auto,
    /// `total` shards, all in this process.
    All { total: u32 },
    /// Shards `start..start + run` of `total`; other processes run the rest.
    Range { start: u32, run: u32, total: u32 },
}

impl Shards {
    /// Reads `discord.shard_*`.
    pub fn from_config(c: &crate::config::DiscordConfig) -> anyhow::Result<Shards> {
        match (c.shard_start, c.shard_run, c.shard_total) {
            (None, None, None) => Ok(Shards::Auto),
            (None, None, Some(total)) if total > 0 => Ok(Shards::All { total }),
            (start, run, Some(total)) if total > 0 => {
                let start = start.unwrap_or(0);
                let run = run.unwrap_or(total.saturating_sub(start));
                anyhow::ensure!(
                    run > 0 && start.checked_add(run).is_some_and(|end| end <= total),
                    "discord.shard_start + discord.shard_run must be at most discord.shard_total"
                );
                Ok(Shards::Range { start, run, total })
            }
            _ => anyhow::bail!(
                "discord.shard_start and discord.shard_run need discord.shard_total (at least 1)"
            ),
        }
    }
}

/// Runs the bot until `shutdown` resolves, then closes the gateway and returns.
pub async fn run(
    config: &Config,
    token: &Token,
    library: Library,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let content = Content::new(
        library,
        config.content.seeds_dir.clone(),
        config.content.load_options(),
    );
    let ops = Ops::new(Arc::new(content));
    run_bot(config, token, Arc::new(Bot::new(config, ops)), shutdown).await
}

/// Like [`run`], with the shared state made by the caller, who can keep a handle on it (to
/// reload from elsewhere, say).
pub async fn run_bot(
    config: &Config,
    token: &Token,
    bot: Arc<Bot>,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let shards = Shards::from_config(&config.discord)?;
    let mut http = HttpBuilder::new(token.expose());
    if let Some(base) = api_base(config.discord.api_base.as_deref()) {
        // serenity's ratelimiter builds its requests without the proxy: turn it off, and let
        // the proxy (or the fake Discord of the tests) do the ratelimiting.
        tracing::info!(api_base = %base, "using another Discord API base URL");
        http = http.proxy(base).ratelimiter_disabled(true);
    }
    let guild = config.discord.guild_id.map(GuildId::new);
    let bot_for_latency = Arc::clone(&bot);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |e| Box::pin(commands::on_error(e)),
            allowed_mentions: Some(convert::no_pings()),
            // No owner-only commands: skip poise's `GET /oauth2/applications/@me`.
            initialize_owners: false,
            event_handler: |ctx, event, _framework, bot| {
                Box::pin(async move {
                    on_event(ctx, event, bot).await;
                    Ok(())
                })
            },
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                register(ctx, &framework.options().commands, guild).await;
                Ok(bot)
            })
        })
        .build();
    let mut client = ClientBuilder::new_with_http(http.build(), GatewayIntents::empty())
        .framework(framework)
        .await
        .context("cannot build the Discord client")?;
    let shard_manager = Arc::clone(&client.shard_manager);
    let latency = tokio::spawn(report_latency(
        Arc::clone(&shard_manager),
        Arc::clone(&bot_for_latency.ops.status),
    ));
    let mut gateway = tokio::spawn(async move {
        match shards {
            Shards::Auto => client.start_autosharded().await,
            Shards::All { total } => client.start_shards(total).await,
            // serenity 0.12.5 reads the end of this range as inclusive ("4..7" starts shards
            // 4 to 7), unlike Rust ranges.
            Shards::Range { start, run, total } => {
                client
                    .start_shard_range(start..start + run - 1, total)
                    .await
            }
        }
    });
    let stopped = tokio::select! {
        ended = &mut gateway => match gateway_ended(ended) {
            Ok(()) => Err(anyhow::anyhow!("the gateway stopped on its own")),
            Err(e) => Err(e),
        },
        () = shutdown => {
            tracing::info!("shutting down: closing the gateway");
            shard_manager.shutdown_all().await;
            gateway_ended(gateway.await)
        }
    };
    latency.abort();
    bot_for_latency.ops.status.set_gateway_connected(false);
    stopped?;
    tracing::info!("gateway closed");
    Ok(())
}

fn gateway_ended(
    ended: Result<serenity::Result<()>, tokio::task::JoinError>,
) -> anyhow::Result<()> {
    ended
        .context("the gateway task failed")?
        .context("the gateway stopped with an error")
}

/// Reports the shards' heartbeat latency (the slowest) to the readiness status, every 15 s.
async fn report_latency(shards: Arc<serenity::ShardManager>, status: Arc<crate::ops::Status>) {
    let mut every = tokio::time::interval(Duration::from_secs(15));
    loop {
        every.tick().await;
        let slowest = shards
            .runners
            .lock()
            .await
            .values()
            .filter_map(|r| r.latency)
            .max();
        if let Some(latency) = slowest {
            status.set_gateway_latency(latency);
        }
    }
}

/// The configured API base as serenity's `proxy` wants it: scheme and host (and a path
/// prefix, if any) without a trailing `/` or `/api/v10`, which serenity adds itself. `None`
/// when unset or empty: Discord itself.
fn api_base(configured: Option<&str>) -> Option<String> {
    let base = configured?.trim().trim_end_matches('/');
    let base = base.strip_suffix("/api/v10").unwrap_or(base);
    (!base.is_empty()).then(|| base.to_string())
}

async fn on_event(ctx: &serenity::Context, event: &FullEvent, bot: &Arc<Bot>) {
    match event {
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(i),
        } => components::handle(&ctx.http, bot, i).await,
        // Commands and autocompletes are poise's; lectern opens no modals, and pings come
        // only to HTTP endpoints. Say so rather than drop them silently.
        FullEvent::InteractionCreate {
            interaction: i @ (Interaction::Modal(_) | Interaction::Ping(_)),
        } => tracing::warn!(
            interaction_id = %i.id(),
            kind = ?i.kind(),
            "an interaction lectern never asks for: ignored"
        ),
        FullEvent::Ready { .. } => bot.ops.status.set_gateway_connected(true),
        FullEvent::ShardStageUpdate { event } => {
            let connected = event.new == ConnectionStage::Connected;
            if connected != bot.ops.status.gateway_connected() {
                tracing::info!(shard = event.shard_id.0, stage = %event.new, "gateway stage");
            }
            bot.ops.status.set_gateway_connected(connected);
        }
        _ => {}
    }
}

/// Registers the commands, globally or in one guild. Failures are logged, loudly.
async fn register(ctx: &serenity::Context, commands: &[commands::Command], guild: Option<GuildId>) {
    let create = poise::builtins::create_application_commands(commands);
    let n = create.len();
    let result = match guild {
        Some(g) => g.set_commands(&ctx.http, create).await.map(|_| ()),
        None => serenity::Command::set_global_commands(&ctx.http, create)
            .await
            .map(|_| ()),
    };
    match result {
        Ok(()) => tracing::info!(
            commands = n,
            scope = if guild.is_some() { "guild" } else { "global" },
            guild_id = guild.map(|g| g.get()),
            "slash commands registered"
        ),
        Err(e) => tracing::error!(
            error = %e,
            guild_id = guild.map(|g| g.get()),
            "COMMAND REGISTRATION FAILED: the slash commands may be missing or outdated in Discord"
        ),
    }
}

/// `lectern serve`: the token from the environment, the library from `content.seeds_dir`;
/// with the health and metrics listener when `http.bind` is set, the seeds watcher when
/// `content.watch` is on, and a reload on SIGHUP; until ctrl-c or SIGTERM.
pub fn serve(config: &Config) -> anyhow::Result<i32> {
    let token = Token::from_env()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let dir = config.content.seeds_dir.clone();
    let loaded = crate::cli::load(config, &dir);
    if loaded.library.talks().is_empty() {
        tracing::warn!(dir = %dir.display(), "no talk loaded: the bot will answer that there is nothing to show");
    }
    let content = Content::new(loaded.library, dir, config.content.load_options());
    let ops = Ops::new(Arc::new(content));
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        api_base = config.discord.api_base.as_deref().unwrap_or("discord"),
        guild_id = config.discord.guild_id,
        http_bind = %config.http.bind,
        watch = config.content.watch,
        token = %token,
        "lectern serve starting"
    );
    runtime.block_on(async move {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let until_stopped = move || {
            let mut stopped = stopped.clone();
            async move {
                let _ = stopped.wait_for(|s| *s).await;
            }
        };
        let mut helpers = Vec::new();
        let bind = config.http.bind.trim();
        if !bind.is_empty() {
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on http.bind {bind}"))?;
            tracing::info!(addr = %listener.local_addr()?, "health and metrics listener");
            let ops = ops.clone();
            let stop = until_stopped();
            helpers.push(tokio::spawn(async move {
                if let Err(e) = crate::ops::serve(listener, ops, stop).await {
                    tracing::error!(error = %e, "the health and metrics listener failed");
                }
            }));
        }
        if config.content.watch {
            let ops = ops.clone();
            let stop = until_stopped();
            helpers.push(tokio::spawn(async move {
                if let Err(e) = crate::watch::watch(ops, crate::watch::DEBOUNCE, stop).await {
                    tracing::error!(error = %e, "cannot watch the seeds folder");
                }
            }));
        }
        helpers.push(tokio::spawn(reload_on_sighup(ops.clone())));
        let bot = Arc::new(Bot::new(config, ops));
        let result = run_bot(config, &token, bot, async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        })
        .await;
        for h in helpers {
            h.abort();
        }
        result
    })?;
    Ok(0)
}

/// Reloads on every SIGHUP (logged by [`Ops::reload`], since no admin is there to answer).
async fn reload_on_sighup(ops: Ops) {
    #[cfg(unix)]
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(mut hup) => {
            while hup.recv().await.is_some() {
                ops.reload(false, "sighup").await;
            }
        }
        Err(e) => tracing::error!(error = %e, "cannot listen for SIGHUP"),
    }
    #[cfg(not(unix))]
    let _ = ops;
}

/// Resolves on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_shows() {
        let t = Token::new("  secret.token.value\n");
        assert_eq!(t.expose(), "secret.token.value");
        assert!(!format!("{t:?} {t}").contains("secret"));
    }

    #[test]
    fn the_token_comes_from_the_variable_then_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let t = Token::from_sources(Some("from-var".into()), Some(file.clone())).unwrap();
        assert_eq!(t.expose(), "from-var");
        let t = Token::from_sources(None, Some(file)).unwrap();
        assert_eq!(t.expose(), "from-file");
        let e = Token::from_sources(None, None).unwrap_err().to_string();
        assert!(
            e.contains("DISCORD_TOKEN") && e.contains("DISCORD_TOKEN_FILE"),
            "{e}"
        );
        let e = Token::from_sources(Some(" ".into()), Some(dir.path().join("nope"))).unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
    }

    #[test]
    fn admins_are_listed_users_or_members_who_manage_the_server() {
        let mut config = Config::default();
        config.admin.user_ids = vec![7];
        let content = Content::new(
            Library::from_talks(Vec::new()),
            config.content.seeds_dir.clone(),
            config.content.load_options(),
        );
        let bot = Bot::new(&config, Ops::new(Arc::new(content)));
        assert!(bot.is_admin(UserId::new(7), None));
        assert!(!bot.is_admin(UserId::new(8), None));
        assert!(!bot.is_admin(UserId::new(8), Some(Permissions::SEND_MESSAGES)));
        assert!(bot.is_admin(UserId::new(8), Some(Permissions::MANAGE_GUILD)));
        assert!(bot.is_admin(UserId::new(8), Some(Permissions::ADMINISTRATOR)));
    }

    #[test]
    fn the_api_base_is_given_to_serenity_without_the_api_path() {
        assert_eq!(api_base(None), None);
        assert_eq!(api_base(Some("  ")), None);
        for given in [
            "http://127.0.0.1:8081",
            "http://127.0.0.1:8081/",
            "http://127.0.0.1:8081/api/v10",
            " http://127.0.0.1:8081/api/v10/ ",
        ] {
            assert_eq!(
                api_base(Some(given)).as_deref(),
                Some("http://127.0.0.1:8081")
            );
        }
    }

    #[test]
    fn shard_configuration() {
        let mut c = crate::config::DiscordConfig::default();
        assert_eq!(Shards::from_config(&c).unwrap(), Shards::Auto);
        c.shard_total = Some(4);
        assert_eq!(Shards::from_config(&c).unwrap(), Shards::All { total: 4 });
        c.shard_start = Some(2);
        assert_eq!(
            Shards::from_config(&c).unwrap(),
            Shards::Range {
                start: 2,
                run: 2,
                total: 4
            }
        );
        c.shard_run = Some(3);
        assert!(Shards::from_config(&c).is_err());
        c.shard_total = None;
        assert!(Shards::from_config(&c).is_err());
    }
}
