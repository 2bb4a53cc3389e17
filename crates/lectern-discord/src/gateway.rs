//! The connection to Discord: the serenity client with poise's framework, sharding, command
//! registration, and the gateway's state and latency reported to the readiness status.
//!
//! The standalone bot is a poise host of lectern's [`Plugin`] like any other: its user data is
//! the plugin, its commands are [`Plugin::commands`], its event handler passes presses to
//! [`Plugin::handle_component`]; what it adds is the process's own business (the gateway,
//! registration, readiness).
//!
//! Invariants:
//! - no privileged intents (GUILDS only, for GUILD_DELETE), no cache: interactions carry all
//!   the commands need;
//! - serenity's own ratelimiter is off, in production as in the tests (it would bypass an API
//!   base URL, sleep past an interaction's deadline, and keep a bucket per interaction
//!   forever): what lectern sends goes through [`crate::rest`], which honours Discord's rate
//!   limits itself; with an API base URL (a ratelimiting proxy, or the fake Discord of the
//!   tests) every request goes there;
//! - registration is spawned from poise's setup and never awaited there (poise holds every
//!   event until setup returns): see [`registration`]; a failure is logged as an error and the
//!   bot keeps running;
//! - sessions are started as Discord asks (`GET /gateway/bot`): never while the daily
//!   `session_start_limit` has no room for this process's shards (the bot waits for its
//!   reset, and says so in the log and `/readyz`), and each process of a deployment waits its
//!   turn by its shard range: the processes' first identifies in one `max_concurrency` bucket
//!   are [`IDENTIFY_SPACING`] apart ([`identify_turn`]); within a process serenity spaces its
//!   shards 5 s apart. A re-identify after an invalid session (op 9) stays serenity's;
//! - the gateway stopping on its own (a fatal close, every shard gone) does not end the
//!   process: the bot connects again after a pause that doubles from 5 s to 10 minutes, logs
//!   why, and `/readyz` says so; each attempt checks the session start limit first;
//! - [`run_bot`] returns only after the gateway is closed, and marks it disconnected.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;
use serenity::{
    Client, ClientBuilder, ConnectionStage, FullEvent, GatewayIntents, GuildId, HttpBuilder,
    Interaction,
};

use super::{Plugin, Token, commands, components, convert, operators, registration};
use lectern_core::config::Config;

/// How the shards of this process are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shards {
    /// Discord's recommended count, all in this process (`GET /gateway/bot`).
    Auto,
    /// `total` shards, all in this process.
    All {
        /// How many shards the bot runs (`discord.shard_total`), at least 1.
        total: u32,
    },
    /// Shards `start..start + run` of `total`; other processes run the rest.
    Range {
        /// The first shard id this process runs (`discord.shard_start`, default 0).
        start: u32,
        /// How many shards this process runs (`discord.shard_run`, default the rest from
        /// `start`), at least 1.
        run: u32,
        /// How many shards the bot runs in all processes (`discord.shard_total`).
        total: u32,
    },
}

impl Shards {
    /// Reads `discord.shard_*`.
    pub fn from_config(c: &lectern_core::config::DiscordConfig) -> anyhow::Result<Shards> {
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

/// Runs the bot serving `plugin` (the caller keeps a handle on it, or on its
/// [`Plugin::ops`], to reload or read the metrics from elsewhere) until `shutdown` resolves,
/// then closes the gateway and returns.
pub async fn run_bot(
    config: &Config,
    token: &Token,
    plugin: Plugin,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let shards = Shards::from_config(&config.discord)?;
    // The state database, unless the host opened it already: a failure is logged and content
    // is served without it.
    if plugin.state().is_none() {
        let _ = plugin.open_state(&config.state).await;
    }
    // What lectern posts on its own (the quote of the day, announcements), while the bot runs.
    let posting = plugin.state().map(|_| {
        let http = Arc::new(http_of(config, token, &plugin).build());
        tokio::spawn(crate::daily::run(plugin.clone(), http))
    });
    let _posting = AbortOnDrop(posting);
    let mut shutdown = std::pin::pin!(shutdown);
    let status = Arc::clone(&plugin.ops().status);
    let mut pause = FIRST_PAUSE;
    loop {
        let client = client(config, token, plugin.clone()).await?;
        tokio::select! {
            () = wait_to_identify(&client.http, shards, &status) => {}
            () = &mut shutdown => {
                tracing::info!("shut down before the gateway was opened; gateway closed");
                return Ok(());
            }
        }
        status.set_gateway_note(None);
        let why = match serve(client, shards, &status, &mut shutdown).await {
            Ended::Shutdown(closed) => {
                closed?;
                tracing::info!("gateway closed");
                return Ok(());
            }
            Ended::Stopped(why) => why,
        };
        // A stop on its own (a fatal close code, every shard gone): connect again after a
        // pause that grows, so that a stop that repeats never spends the day's session starts.
        tracing::error!(
            error = %format!("{why:#}"),
            pause_s = pause.as_secs(),
            "THE GATEWAY STOPPED: connecting again after a pause"
        );
        status.set_gateway_note(Some(format!(
            "the gateway stopped ({why:#}); connecting again in {} s",
            pause.as_secs()
        )));
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = &mut shutdown => {
                tracing::info!("gateway closed");
                return Ok(());
            }
        }
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}

/// Aborts its task when dropped (when [`run_bot`] returns).
struct AbortOnDrop(Option<tokio::task::JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(task) = &self.0 {
            task.abort();
        }
    }
}

/// serenity's HTTP client as lectern uses it: its ratelimiter off, lectern's client and API
/// base.
fn http_of(config: &Config, token: &Token, plugin: &Plugin) -> HttpBuilder {
    let rest = Arc::clone(&plugin.ops().rest);
    let mut http = HttpBuilder::new(token.expose())
        .client(rest.client().clone())
        .ratelimiter_disabled(true);
    if let Some(base) = api_base(config.discord.api_base.as_deref()) {
        http = http.proxy(base);
    }
    http
}

/// The first pause after the gateway stopped on its own, and the longest.
const FIRST_PAUSE: Duration = Duration::from_secs(5);
const LONGEST_PAUSE: Duration = Duration::from_secs(600);

/// How a session of the client ended.
enum Ended {
    /// `shutdown` resolved and the gateway was closed (with what closing it returned).
    Shutdown(anyhow::Result<()>),
    /// The gateway stopped on its own, for this reason.
    Stopped(anyhow::Error),
}

/// The serenity client with poise's framework hosting `plugin`: serenity's ratelimiter off,
/// lectern's client and API base.
async fn client(config: &Config, token: &Token, plugin: Plugin) -> anyhow::Result<Client> {
    let http = http(config, token, &plugin);
    let guild = config.discord.guild_id.map(GuildId::new);
    // Registered with their autocomplete; run by poise without it: the event handler answers
    // autocompletes through lectern's own HTTP path (poise would send them unretried).
    let registered: Vec<poise::Command<Plugin, commands::Error>> = plugin.commands();
    let mut run = plugin.commands();
    for c in &mut run {
        for p in &mut c.parameters {
            p.autocomplete_callback = None;
        }
    }
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: run,
            on_error: |e| Box::pin(commands::on_error(e)),
            allowed_mentions: Some(convert::no_pings()),
            // poise's owners are not used: `operators::learn_owners` reads them for the
            // operator policy, retrying when Discord does not answer.
            initialize_owners: false,
            event_handler: |ctx, event, _framework, plugin| {
                Box::pin(async move {
                    on_event(ctx, event, plugin).await;
                    Ok(())
                })
            },
            ..Default::default()
        })
        .setup(move |ctx, ready, _framework| {
            Box::pin(async move {
                tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                let bot = plugin.clone();
                let learning = bot.clone();
                let http = Arc::clone(&ctx.http);
                tokio::spawn(async move {
                    operators::learn_owners(http, learning.operators()).await;
                });
                let plan = plan(&registered, guild, &bot);
                let http = Arc::clone(&ctx.http);
                let rest = Arc::clone(&bot.ops().rest);
                tokio::spawn(async move { registration::run(&http, &rest, plan).await });
                Ok(plugin)
            })
        })
        .build();
    // GUILDS (not privileged) brings GUILD_DELETE: a server that removed the bot.
    ClientBuilder::new_with_http(http.build(), GatewayIntents::GUILDS)
        .framework(framework)
        .await
        .context("cannot build the Discord client")
}

/// The HTTP client for `token`, on lectern's own `reqwest` client, serenity's ratelimiter off
/// (see the invariants above: `rest` does the ratelimiting), with the configured API base.
pub(crate) fn http(config: &Config, token: &Token, plugin: &Plugin) -> HttpBuilder {
    let rest = Arc::clone(&plugin.ops().rest);
    let mut http = HttpBuilder::new(token.expose())
        .client(rest.client().clone())
        .ratelimiter_disabled(true);
    if let Some(base) = api_base(config.discord.api_base.as_deref()) {
        tracing::info!(api_base = %base, "using another Discord API base URL");
        http = http.proxy(base);
    }
    http
}

/// What registration does for `commands`: their sets by scope (the home `guild` or global,
/// and the operators' guilds), and every scope the configuration names.
pub(crate) fn plan<U, E>(
    commands: &[poise::Command<U, E>],
    guild: Option<GuildId>,
    plugin: &Plugin,
) -> registration::Plan {
    let operator_guilds = plugin.operators().guild_ids().to_vec();
    registration::Plan {
        sets: operators::scopes(commands, guild, &operator_guilds),
        named: std::iter::once(operators::Scope::Global)
            .chain(guild.map(operators::Scope::Guild))
            .chain(
                operator_guilds
                    .iter()
                    .map(|&g| operators::Scope::Guild(GuildId::new(g))),
            )
            .collect(),
        names: commands.iter().map(|c| c.name.clone()).collect(),
    }
}

/// Runs `client`'s shards until `shutdown` resolves (then closes the gateway) or the gateway
/// stops on its own; readiness follows the shards meanwhile.
async fn serve(
    mut client: Client,
    shards: Shards,
    status: &Arc<crate::ops::Status>,
    shutdown: &mut (impl Future<Output = ()> + Unpin),
) -> Ended {
    let shard_manager = Arc::clone(&client.shard_manager);
    let latency = tokio::spawn(watch_shards(Arc::clone(&shard_manager), Arc::clone(status)));
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
    let ended = tokio::select! {
        ended = &mut gateway => Ended::Stopped(match gateway_ended(ended) {
            Ok(()) => anyhow::anyhow!("the gateway stopped on its own"),
            Err(e) => e,
        }),
        () = shutdown => {
            tracing::info!("shutting down: closing the gateway");
            shard_manager.shutdown_all().await;
            Ended::Shutdown(gateway_ended(gateway.await))
        }
    };
    latency.abort();
    status.set_gateway_connected(false);
    ended
}

fn gateway_ended(
    ended: Result<serenity::Result<()>, tokio::task::JoinError>,
) -> anyhow::Result<()> {
    ended
        .context("the gateway task failed")?
        .context("the gateway stopped with an error")
}

/// How far apart two identifies of one `max_concurrency` bucket must be (Discord: one per
/// 5 s), with a margin for processes that do not start at the same instant.
pub const IDENTIFY_SPACING: Duration = Duration::from_millis(5_500);

/// How long the process starting at shard `first` waits before it identifies, so that the
/// processes of one deployment, started together, take turns: the shards before it identify
/// `max_concurrency` at a time, one bucket round every [`IDENTIFY_SPACING`].
pub fn identify_turn(first: u32, max_concurrency: u64) -> Duration {
    let rounds = u64::from(first) / max_concurrency.max(1);
    IDENTIFY_SPACING * u32::try_from(rounds).unwrap_or(u32::MAX)
}

/// Asks Discord how sessions may be started, then waits: for the daily limit's reset while it
/// has no room for this process's shards, then for this process's turn. If Discord does not
/// say, the process goes at once (serenity falls back the same way).
async fn wait_to_identify(http: &serenity::Http, shards: Shards, status: &crate::ops::Status) {
    let limit = loop {
        let gateway = match http.get_bot_gateway().await {
            Ok(g) => g,
            Err(e) => {
                tracing::warn!(error = %e, http_status = super::retry::http_status(&e),
                    "cannot read the session start limit (GET /gateway/bot): identifying without it");
                return;
            }
        };
        let limit = gateway.session_start_limit;
        let starting = match shards {
            Shards::Auto => u64::from(gateway.shards),
            Shards::All { total } => u64::from(total),
            Shards::Range { run, .. } => u64::from(run),
        };
        if limit.remaining >= starting {
            tracing::info!(
                remaining = limit.remaining,
                total = limit.total,
                max_concurrency = limit.max_concurrency,
                shards = starting,
                "session start limit"
            );
            break limit;
        }
        // Spending the last starts in a loop of restarts would get the token reset: wait.
        let wait = Duration::from_millis(limit.reset_after.max(1_000));
        tracing::error!(
            remaining = limit.remaining,
            total = limit.total,
            shards = starting,
            wait_s = wait.as_secs(),
            "THE DAILY SESSION START LIMIT IS SPENT: waiting for its reset before connecting"
        );
        status.set_gateway_note(Some(format!(
            "the daily session start limit is spent; it resets in {} s",
            wait.as_secs()
        )));
        tokio::time::sleep(wait).await;
    };
    let first = match shards {
        Shards::Range { start, .. } => start,
        _ => 0,
    };
    let turn = identify_turn(first, limit.max_concurrency);
    if turn > Duration::ZERO {
        tracing::info!(
            first_shard = first,
            max_concurrency = limit.max_concurrency,
            wait_ms = turn.as_millis() as u64,
            "waiting for this process's turn to identify"
        );
        status.set_gateway_note(Some(format!(
            "waiting {} ms for its turn to identify",
            turn.as_millis()
        )));
        tokio::time::sleep(turn).await;
    }
}

/// Reports each shard's stage and heartbeat latency to the readiness status, every
/// [`SHARD_POLL`], from the shard runners themselves: a resume that fails emits no
/// `ShardStageUpdate`, and a runner being restarted is briefly absent (reported as
/// `restarting` until it is back).
async fn watch_shards(shards: Arc<serenity::ShardManager>, status: Arc<crate::ops::Status>) {
    let mut every = tokio::time::interval(SHARD_POLL);
    let mut seen = std::collections::BTreeSet::new();
    loop {
        every.tick().await;
        let now: Vec<_> = shards
            .runners
            .lock()
            .await
            .iter()
            .map(|(id, r)| (id.0, r.stage, r.latency))
            .collect();
        for &gone in &seen {
            if !now.iter().any(|(id, ..)| *id == gone) {
                status.report_shard(gone, "restarting", false, None);
            }
        }
        for (id, stage, latency) in now {
            seen.insert(id);
            let connected = stage == ConnectionStage::Connected;
            status.report_shard(id, &stage.to_string(), connected, latency);
        }
    }
}

/// How often the shard runners are read.
const SHARD_POLL: Duration = Duration::from_millis(500);

/// The configured API base as serenity's `proxy` wants it: scheme and host (and a path
/// prefix, if any) without a trailing `/` or `/api/v10`, which serenity adds itself. `None`
/// when unset or empty: Discord itself.
fn api_base(configured: Option<&str>) -> Option<String> {
    let base = configured?.trim().trim_end_matches('/');
    let base = base.strip_suffix("/api/v10").unwrap_or(base);
    (!base.is_empty()).then(|| base.to_string())
}

async fn on_event(ctx: &serenity::Context, event: &FullEvent, plugin: &Plugin) {
    let bot = plugin;
    match event {
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(i),
            // The guard answers the presses of lectern's own components. The standalone bot is
            // alone on its messages: an id it did not write (forged, or from another version) is
            // still its to answer, politely, as gone.
        } if !plugin.handle_component(ctx, i).await => {
            components::handle(&ctx.http, plugin, i).await;
        }
        // Autocompletes are lectern's to answer (poise runs its commands without them).
        FullEvent::InteractionCreate {
            interaction: i @ Interaction::Autocomplete(ac),
        } if plugin.owns(i) => commands::answer_autocomplete(plugin, &ctx.http, ac).await,
        // Commands are poise's; lectern opens no modals, and pings come only to HTTP
        // endpoints. Say so rather than drop them silently.
        FullEvent::InteractionCreate {
            interaction: i @ (Interaction::Modal(_) | Interaction::Ping(_)),
        } => tracing::warn!(
            interaction_id = %i.id(),
            kind = ?i.kind(),
            "an interaction lectern never asks for: ignored"
        ),
        // Removed from a server (not an outage): its rows go after the grace period.
        FullEvent::GuildDelete { incomplete, .. } if !incomplete.unavailable => {
            if let Some(db) = plugin.state() {
                let guild = incomplete.id.get();
                tracing::info!(
                    guild,
                    "removed from a server: its settings go after the grace period"
                );
                if let Err(e) = db.left_guild(guild).await {
                    tracing::warn!(guild, error = %e, "cannot note a server the bot left");
                }
            }
        }
        FullEvent::GuildCreate { guild, .. } => {
            if let Some(db) = plugin.state()
                && let Err(e) = db.in_guild(guild.id.get()).await
            {
                tracing::warn!(error = %e, "cannot note a server the bot is in");
            }
        }
        // Events report at once what the runners will say at the next poll.
        FullEvent::Ready { .. } => {
            let status = &bot.ops().status;
            status.report_shard(ctx.shard_id.0, "connected", true, None);
        }
        FullEvent::ShardStageUpdate { event } => {
            let connected = event.new == ConnectionStage::Connected;
            tracing::info!(shard = event.shard_id.0, stage = %event.new, "gateway stage");
            let status = &bot.ops().status;
            status.report_shard(event.shard_id.0, &event.new.to_string(), connected, None);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn processes_take_turns_to_identify_by_their_first_shard() {
        assert_eq!(identify_turn(0, 1), Duration::ZERO);
        assert_eq!(identify_turn(1, 1), IDENTIFY_SPACING);
        assert_eq!(identify_turn(3, 1), IDENTIFY_SPACING * 3);
        // Sixteen may identify at once: shards 0–15 in the first round, 16–31 in the next.
        assert_eq!(identify_turn(15, 16), Duration::ZERO);
        assert_eq!(identify_turn(16, 16), IDENTIFY_SPACING);
        assert_eq!(identify_turn(4, 0), IDENTIFY_SPACING * 4);
    }

    #[test]
    fn shard_configuration() {
        let mut c = lectern_core::config::DiscordConfig::default();
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
