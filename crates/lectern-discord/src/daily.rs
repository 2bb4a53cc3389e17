//! What lectern posts on its own, on the state's clock: each server's quote of the day, and
//! new-talk announcements after a reload adds talks; and forgetting servers the bot left once
//! their grace period is over.
//!
//! One loop per process ([`run`], started by [`crate::run_bot`] when the state database is
//! open), looking every 20 s (every 100 ms on a test clock). Several processes may run it on
//! one database: what is posted is decided there, never in memory. On a shared database
//! (Postgres, several replicas) only the holder of the `scheduler` lease looks at all
//! ([`State::take_lease`], renewed every look, [`LEASE`] long): one replica does the work and
//! another takes over within a minute of it stopping; the (server, day) row still decides
//! each post, so even two holders could not post a day twice.
//! - **Quote of the day**: at or after the server's local time (its IANA zone, from the
//!   embedded time-zone database) the first process to insert the (server, day) row posts;
//!   the others see the row and do nothing. A restart after the time posts that day's quote
//!   if it was not claimed yet. The quote comes from the talks the server sees, none again
//!   until its pool is used up (`qotd_used`). A post Discord refuses (missing permission, a
//!   deleted channel) is logged with the reason, kept for the managers' next `/settings`, and
//!   counted; after three in a row the quote of the day pauses until `/settings` sets it again.
//! - **Announcements**: when the library in service changes, its talk ids go through
//!   `talks_known`; the ids no process knew are announced once, in each channel that asked
//!   (only those the server sees).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use rand::seq::IndexedRandom;
use serenity::{ChannelId, CreateMessage, Http, LightMethod, Route};

use crate::convert;
use crate::plugin::Plugin;
use crate::rest::{Call, Purpose};
use crate::retry;
use lectern_core::commands::settings;
use lectern_core::i18n::Lang;
use lectern_core::library::{Library, QuoteScope, content_hash};
use lectern_core::model::QuoteRef;
use lectern_core::reply::{self, Reply};
use lectern_state::{QuoteSchedule, State};

/// How long a post may take, rate limits included.
const POST_BUDGET: Duration = Duration::from_secs(30);

/// How long the `scheduler` lease lasts without renewal, on the state's clock.
pub const LEASE: Duration = Duration::from_secs(60);

/// Runs until the task is aborted (when the bot stops).
pub async fn run(plugin: Plugin, http: Arc<Http>) {
    let Some(db) = plugin.state() else {
        return;
    };
    let tick = if db.clock().is_test() {
        Duration::from_millis(100)
    } else {
        Duration::from_secs(20)
    };
    let mut done: HashSet<(u64, String)> = HashSet::new();
    let mut library: usize = 0;
    let mut purged_at: i64 = i64::MIN;
    let holder = format!(
        "{}/{}/{:08x}",
        std::env::var("HOSTNAME").unwrap_or_default(),
        std::process::id(),
        rand::random::<u32>()
    );
    let mut holding = false;
    loop {
        if db.is_shared() {
            match db.take_lease("scheduler", &holder, LEASE).await {
                Ok(has) => {
                    if has != holding {
                        tracing::info!(
                            holder,
                            "scheduler lease {}",
                            if has {
                                "taken"
                            } else {
                                "held by another replica"
                            }
                        );
                    }
                    holding = has;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "scheduler lease: the state database failed");
                    holding = false;
                }
            }
            if !holding {
                tokio::time::sleep(tick).await;
                continue;
            }
        }
        if let Err(e) = quotes_of_the_day(&plugin, &db, &http, &mut done).await {
            tracing::warn!(error = %e, "quote of the day: the state database failed; trying again later");
        }
        let lib = plugin.library();
        let now_lib = Arc::as_ptr(&lib) as usize;
        if now_lib != library {
            match announce(&plugin, &db, &http, &lib).await {
                Ok(()) => library = now_lib,
                Err(e) => tracing::warn!(error = %e, "announcements: the state database failed"),
            }
        }
        let now = db.now().as_second();
        if now.saturating_sub(purged_at) >= 3600 {
            purged_at = now;
            let grace = plugin.shared.state.retention.read().unwrap().1;
            match db.purge_left(grace).await {
                Ok(gone) if !gone.is_empty() => {
                    tracing::info!(servers = ?gone, grace_days = grace, "deleted the rows of servers the bot left");
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "cannot delete the rows of servers the bot left");
                }
            }
            if db.is_shared()
                && let Err(e) = db
                    .prune_flood(
                        plugin
                            .shared
                            .cooldown
                            .window()
                            .max(Duration::from_secs(3600)),
                    )
                    .await
            {
                tracing::warn!(error = %e, "cannot prune the flood-control windows");
            }
        }
        tokio::time::sleep(tick).await;
    }
}

/// Posts every quote of the day that is due and not claimed yet.
async fn quotes_of_the_day(
    plugin: &Plugin,
    db: &State,
    http: &Http,
    done: &mut HashSet<(u64, String)>,
) -> Result<(), lectern_state::StateError> {
    let now = db.now();
    for (guild, schedule) in db.quote_schedules().await? {
        let Some((day, due)) = schedule.due(now) else {
            continue;
        };
        if !due || done.contains(&(guild, day.clone())) {
            continue;
        }
        let settings = db.settings(guild).await?;
        let lib = plugin.library_for(&settings.scope);
        let lang = settings.lang.as_deref().map_or(Lang::En, Lang::from_locale);
        let Some((quote, key)) = pick(db, guild, &lib).await? else {
            done.insert((guild, day));
            continue;
        };
        if !db.claim_day(guild, &day, &key).await? {
            // Another process (or this one before a restart) has it.
            done.insert((guild, day));
            continue;
        }
        done.insert((guild, day.clone()));
        let message =
            settings::quote_of_the_day(reply::quote(&lib, quote, QuoteScope::All, lang), lang);
        match post(plugin, http, schedule.channel, &message).await {
            Ok(()) => {
                db.quote_posted(guild, &day, &key).await?;
                tracing::info!(
                    guild,
                    channel = schedule.channel,
                    day,
                    quote = key,
                    "quote of the day posted"
                );
            }
            Err(reason) => failed(db, guild, &schedule, &reason).await?,
        }
    }
    Ok(())
}

/// A quote the server's quote of the day has not shown this round (a new round when all have
/// been), and its key.
async fn pick(
    db: &State,
    guild: u64,
    lib: &Library,
) -> Result<Option<(QuoteRef, String)>, lectern_state::StateError> {
    let all: Vec<(QuoteRef, String)> = lib
        .quote_refs()
        .filter_map(|q| {
            lib.quote(q)
                .map(|(t, quote)| (q, quote_key(&t.id, &quote.text)))
        })
        .collect();
    if all.is_empty() {
        return Ok(None);
    }
    let used: HashSet<String> = db.used_quotes(guild).await?.into_iter().collect();
    let mut fresh: Vec<&(QuoteRef, String)> =
        all.iter().filter(|(_, k)| !used.contains(k)).collect();
    if fresh.is_empty() {
        db.new_round(guild).await?;
        fresh = all.iter().collect();
    }
    Ok(fresh
        .choose(&mut rand::rng())
        .map(|&(q, k)| (*q, k.clone())))
}

/// A quote's key in the state: its talk and its text's hash, stable across reloads.
fn quote_key(talk: &str, text: &str) -> String {
    format!("{talk}#{:016x}", content_hash(text))
}

/// Counts a failed post, logs why, and says when the quote of the day pauses.
async fn failed(
    db: &State,
    guild: u64,
    schedule: &QuoteSchedule,
    reason: &str,
) -> Result<(), lectern_state::StateError> {
    let failures = db.quote_failed(guild, reason).await?;
    if failures >= lectern_state::PAUSE_AFTER {
        tracing::warn!(
            guild,
            channel = schedule.channel,
            reason,
            failures,
            "quote of the day not posted: PAUSED until /settings sets it again"
        );
    } else {
        tracing::warn!(
            guild,
            channel = schedule.channel,
            reason,
            failures,
            "quote of the day not posted"
        );
    }
    Ok(())
}

/// Announces the talks no process announced yet.
async fn announce(
    plugin: &Plugin,
    db: &State,
    http: &Http,
    lib: &Library,
) -> Result<(), lectern_state::StateError> {
    let ids: Vec<String> = lib.talks().iter().map(|t| t.id.clone()).collect();
    let fresh = db.new_talks(&ids).await?;
    if fresh.is_empty() {
        return Ok(());
    }
    tracing::info!(talks = ?fresh, "new talks to announce");
    for (guild, channel) in db.announce_channels().await? {
        let settings = db.settings(guild).await?;
        let seen = plugin.library_for(&settings.scope);
        let titles: Vec<String> = fresh
            .iter()
            .filter_map(|id| seen.talk_by_id(id).map(|(_, t)| t.title.clone()))
            .collect();
        if titles.is_empty() {
            continue;
        }
        let lang = settings.lang.as_deref().map_or(Lang::En, Lang::from_locale);
        match post(plugin, http, channel, &settings::new_talks(&titles, lang)).await {
            Ok(()) => tracing::info!(guild, channel, talks = titles.len(), "new talks announced"),
            Err(reason) => tracing::warn!(guild, channel, reason, "new talks not announced"),
        }
    }
    Ok(())
}

/// Posts `message` in `channel`, pinging no one; `Err` says why Discord refused, in words.
async fn post(plugin: &Plugin, http: &Http, channel: u64, message: &Reply) -> Result<(), String> {
    let body = CreateMessage::new()
        .embed(convert::embed(message))
        .allowed_mentions(convert::no_pings());
    let body = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
    let route = Route::ChannelMessages {
        channel_id: ChannelId::new(channel),
    };
    let call = Call::new(LightMethod::Post, route).body(body);
    let rest = &plugin.ops().rest;
    match rest
        .send(http, call, Purpose::Post, Instant::now() + POST_BUDGET)
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => Err(reason(&e)),
    }
}

/// Why Discord refused a post, for the log and the managers.
fn reason(e: &serenity::Error) -> String {
    match retry::discord_code(e) {
        Some(50013) => "missing permission in the channel (lectern needs View Channel, Send Messages and Embed Links)".into(),
        Some(50001) => "no access to the channel (lectern needs View Channel)".into(),
        Some(10003) => "the channel was deleted".into(),
        _ => match retry::http_status(e) {
            Some(status) => format!("Discord answered {status}: {e}"),
            None => format!("could not reach Discord: {e}"),
        },
    }
}
