//! The slash commands: one small function each, glue between an interaction and `reply::*`.
//!
//! A command reads the interaction's locale, takes one snapshot of the library (so a reply
//! never mixes two loads), builds a [`Reply`] with the core, says what it means (an
//! [`Outcome`]: answered, or a polite notice) and answers through a [`Responder`], which sends
//! it and records the outcome.
//!
//! Each command is an `Invocation` run by `run`, whichever front end received it: poise
//! (the `#[poise::command]` functions, generic over the host's user data `U` and error `E`,
//! which find their [`Plugin`] in poise's `Command::custom_data`), or a plain serenity host
//! (`Invocation::parse`, through [`Plugin::handle`]).
//! The `///` doc of each command is its English description in Discord; the Chinese ones are
//! in [`i18n`](super::i18n). Invariants: every command answers once, within Discord's
//! 3-second deadline (`/reload` defers first, since loading may be slow); a command never
//! hands an error to the host: `run` logs it with the interaction's id and the user gets a
//! short ephemeral apology.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, CommandInteraction, ResolvedValue};
use tracing::Instrument;

use super::plugin::{Plugin, Slash};
use super::respond::{Kind, Outcome, Responder, Track};
use super::retry;
use lectern_core::i18n::{Lang, Msg};
use lectern_core::library::{Library, Lookup, Pick};
use lectern_core::reply::{self, Reply};
use lectern_core::search;

/// Errors of the standalone bot's framework; shown to users only as an apology.
pub type Error = anyhow::Error;

/// Every command, in the order Discord lists them, for any poise user data and error type;
/// unnamed, unlocalized and without a plugin: [`Plugin::commands`] finishes them.
pub(crate) fn all<U: Send + Sync + 'static, E: 'static>() -> Vec<(Slash, poise::Command<U, E>)> {
    vec![
        (Slash::Topics, topics()),
        (Slash::Topic, topic()),
        (Slash::Quote, quote()),
        (Slash::Search, search()),
        (Slash::About, about()),
        (Slash::Reload, reload()),
    ]
}

/// One invocation of a command, its options read, whichever front end received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Invocation {
    Topics {
        talk: Option<String>,
        tag: Option<String>,
    },
    Topic {
        section: String,
        talk: Option<String>,
    },
    Quote {
        talk: Option<String>,
        topic: Option<String>,
        speaker: Option<String>,
    },
    Search {
        query: String,
    },
    About,
    Reload {
        force: bool,
    },
}

impl Invocation {
    /// Reads the options of `slash` from an interaction, for hosts without poise. A missing
    /// or mistyped option reads as empty (Discord sends what the registered command declares).
    pub(crate) fn parse(slash: Slash, i: &CommandInteraction) -> Invocation {
        let options = i.data.options();
        let string = |name: &str| {
            options
                .iter()
                .find_map(|o| match (&o.value, o.name == name) {
                    (ResolvedValue::String(s), true) => Some(s.to_string()),
                    _ => None,
                })
        };
        match slash {
            Slash::Topics => Invocation::Topics {
                talk: string("talk"),
                tag: string("tag"),
            },
            Slash::Topic => Invocation::Topic {
                section: string("section").unwrap_or_default(),
                talk: string("talk"),
            },
            Slash::Quote => Invocation::Quote {
                talk: string("talk"),
                topic: string("topic"),
                speaker: string("speaker"),
            },
            Slash::Search => Invocation::Search {
                query: string("query").unwrap_or_default(),
            },
            Slash::About => Invocation::About,
            Slash::Reload => Invocation::Reload {
                force: options
                    .iter()
                    .any(|o| o.name == "force" && matches!(o.value, ResolvedValue::Boolean(true))),
            },
        }
    }
}

/// The plugin a poise command belongs to: [`Plugin::commands`] puts it in `custom_data`.
fn plugin_of<U, E>(command: &poise::Command<U, E>) -> Option<&Plugin> {
    let plugin = command.custom_data.downcast_ref::<Plugin>();
    if plugin.is_none() {
        tracing::error!(
            command = %command.name,
            "a lectern command without its plugin: take commands from Plugin::commands"
        );
    }
    plugin
}

/// Runs `invocation` for a poise command; lectern has no prefix commands.
async fn via_poise<U, E>(ctx: poise::Context<'_, U, E>, invocation: Invocation) -> Result<(), E> {
    if let poise::Context::Application(a) = ctx {
        if let Some(plugin) = plugin_of(a.command) {
            let http = &a.serenity_context.http;
            run(
                plugin,
                http,
                a.interaction,
                a.has_sent_initial_response,
                invocation,
            )
            .await;
        }
    }
    Ok(())
}

/// The talks and their sections
#[poise::command(
    slash_command,
    interaction_context = "Guild|BotDm",
    install_context = "Guild"
)]
pub(crate) async fn topics<U: Send + Sync + 'static, E: 'static>(
    ctx: poise::Context<'_, U, E>,
    #[description = "Only this talk's sections: a title, speaker or date (autocompletes)"]
    #[autocomplete = "complete_option"]
    talk: Option<String>,
    #[description = "Only the talks with this tag (autocompletes)"]
    #[autocomplete = "complete_option"]
    tag: Option<String>,
) -> Result<(), E> {
    via_poise(ctx, Invocation::Topics { talk, tag }).await
}

/// Open one section of a talk
#[poise::command(
    slash_command,
    interaction_context = "Guild|BotDm",
    install_context = "Guild"
)]
pub(crate) async fn topic<U: Send + Sync + 'static, E: 'static>(
    ctx: poise::Context<'_, U, E>,
    #[description = "A section number or title (autocompletes)"]
    #[autocomplete = "complete_option"]
    section: String,
    #[description = "The talk: a title, speaker or date (autocompletes; optional)"]
    #[autocomplete = "complete_option"]
    talk: Option<String>,
) -> Result<(), E> {
    via_poise(ctx, Invocation::Topic { section, talk }).await
}

/// A random quote, from all the talks or from one talk, section or speaker
#[poise::command(
    slash_command,
    interaction_context = "Guild|BotDm",
    install_context = "Guild"
)]
pub(crate) async fn quote<U: Send + Sync + 'static, E: 'static>(
    ctx: poise::Context<'_, U, E>,
    #[description = "Only quotes from this section (optional)"]
    #[autocomplete = "complete_option"]
    topic: Option<String>,
    #[description = "Only quotes from this talk (optional)"]
    #[autocomplete = "complete_option"]
    talk: Option<String>,
    #[description = "Only this speaker's words (optional)"]
    #[autocomplete = "complete_option"]
    speaker: Option<String>,
) -> Result<(), E> {
    via_poise(
        ctx,
        Invocation::Quote {
            talk,
            topic,
            speaker,
        },
    )
    .await
}

/// Search what was said
#[poise::command(
    slash_command,
    interaction_context = "Guild|BotDm",
    install_context = "Guild"
)]
pub(crate) async fn search<U: Send + Sync + 'static, E: 'static>(
    ctx: poise::Context<'_, U, E>,
    #[description = "Words to look for"] query: String,
) -> Result<(), E> {
    via_poise(ctx, Invocation::Search { query }).await
}

/// What lectern serves and how to use it
#[poise::command(
    slash_command,
    interaction_context = "Guild|BotDm",
    install_context = "Guild"
)]
pub(crate) async fn about<U: Send + Sync + 'static, E: 'static>(
    ctx: poise::Context<'_, U, E>,
) -> Result<(), E> {
    via_poise(ctx, Invocation::About).await
}

/// Reload the talks from the seeds folder (operators only)
#[poise::command(
    slash_command,
    category = "operators",
    default_member_permissions = "MANAGE_GUILD",
    interaction_context = "Guild",
    install_context = "Guild"
)]
pub(crate) async fn reload<U: Send + Sync + 'static, E: 'static>(
    ctx: poise::Context<'_, U, E>,
    #[description = "Put what loaded in service even if some files failed"] force: Option<bool>,
) -> Result<(), E> {
    let force = force.unwrap_or(false);
    via_poise(ctx, Invocation::Reload { force }).await
}

/// Runs one invocation of a command of `plugin` and answers it. `sent` is the front end's
/// "first response sent" flag (poise's, so that its error handler would follow up rather than
/// answer twice). An error is logged with the interaction's id and answered with an apology.
pub(crate) async fn run(
    plugin: &Plugin,
    http: &serenity::Http,
    i: &CommandInteraction,
    sent: &AtomicBool,
    invocation: Invocation,
) {
    let bot = plugin.bot();
    let metrics = Arc::clone(&bot.ops().metrics);
    let mut r = Responder::command(http, i, metrics, plugin.ids()).sharing_first_response(sent);
    let lang = Lang::from_locale(&i.locale);
    // Flood control first: a throttled user gets a note and no work is done.
    if let Some(wait) = plugin.throttle_command(i) {
        match r.respond(&wait).await {
            Ok(()) => r.finish(Outcome::Throttled),
            Err(_) => r.finish(Outcome::Error),
        }
        return;
    }
    let result = match invocation {
        Invocation::Reload { force } => reload_now(plugin, &mut r, i, force, lang).await,
        other => {
            let lib = bot.library();
            let channel = i.channel_id.get();
            let (reply, outcome) = r
                .span()
                .in_scope(|| build(plugin, &lib, channel, other, lang));
            r.respond(&reply).await.map(|()| outcome)
        }
    };
    let span = r.span();
    match result {
        Ok(outcome) => r.finish(outcome),
        Err(e) => {
            r.finish(Outcome::Error);
            let sent = sent.load(Ordering::SeqCst);
            apologize(http, i, sent, &anyhow::Error::from(e))
                .instrument(span)
                .await;
        }
    }
}

/// The reply of a command that answers at once, and what it means.
fn build(
    plugin: &Plugin,
    lib: &Arc<Library>,
    channel: u64,
    invocation: Invocation,
    lang: Lang,
) -> (Reply, Outcome) {
    match invocation {
        Invocation::Topics { talk, tag } => {
            match reply::topics_for(lib, talk.as_deref(), tag.as_deref(), lang) {
                Ok(reply) if !lib.talks().is_empty() => (reply, Outcome::Ok),
                Ok(reply) => (reply, Outcome::Notice),
                Err(note) => (*note, Outcome::Notice),
            }
        }
        Invocation::Topic { section, talk } => {
            match reply::find_topic(lib, talk.as_deref(), &section, lang) {
                Ok(r) => (reply::section(lib, r, 0, lang), Outcome::Ok),
                Err(note) => (*note, Outcome::Notice),
            }
        }
        Invocation::Quote {
            talk,
            topic,
            speaker,
        } => {
            let options = reply::QuoteOptions {
                talk: talk.as_deref(),
                topic: topic.as_deref(),
                speaker: speaker.as_deref(),
            };
            match reply::quote_scope_for(lib, options, lang) {
                Ok(scope) => plugin.bot().draw_quote(lib, channel, scope, lang),
                Err(note) => (*note, Outcome::Notice),
            }
        }
        Invocation::Search { query } => {
            // A miss is an answer ("no close match"); only an empty query is the user's
            // mistake.
            let outcome = if query.trim().is_empty() {
                Outcome::Notice
            } else {
                Outcome::Ok
            };
            (reply::search(lib, &query, lang), outcome)
        }
        Invocation::About => (reply::about(lib, plugin.bot().about(), lang), Outcome::Ok),
        // `run` answers it: it defers and edits.
        Invocation::Reload { .. } => (Reply::notice(Msg::InternalError.get(lang)), Outcome::Error),
    }
}

/// `/reload`: operators only (the plugin's policy decides who they are), deferred since
/// loading may take longer than the 3 s a first response has.
async fn reload_now(
    plugin: &Plugin,
    r: &mut Responder<'_>,
    i: &CommandInteraction,
    force: bool,
    lang: Lang,
) -> serenity::Result<Outcome> {
    // Discord's defaults can be overridden by server admins: check again here.
    if let Err(refusal) = plugin.may_reload(i, lang) {
        r.respond(&Reply::notice(&refusal)).await?;
        return Ok(Outcome::Refused);
    }
    if let Err(wait) = plugin.bot().admit_reload() {
        let secs = lectern_core::cooldown::seconds_left(wait);
        r.respond(&Reply::notice(&Msg::reload_too_soon(secs, lang)))
            .await?;
        return Ok(Outcome::Refused);
    }
    // Loading may take longer than the 3 s a first response has.
    r.defer_ephemeral().await?;
    let by = format!("discord user {}", i.user.id);
    let report = plugin
        .bot()
        .ops()
        .reload(force, &by)
        .instrument(r.span())
        .await;
    r.edit(&reply::reload_report(&report, lang)).await?;
    Ok(if report.verdict.swapped() {
        Outcome::Ok
    } else {
        Outcome::Notice
    })
}

/// Autocomplete for every option that has it (which one is focused decides what is offered):
/// at most 25 labels of ≤ 100 characters. The value sent back is a stable id
/// ([`Pick::value`]): a talk, a section, a speaker or a tag, which the command reads back, so
/// two sections of the same title in two talks are two different choices.
async fn complete_option<U, E>(
    ctx: poise::Context<'_, U, E>,
    partial: &str,
) -> Vec<AutocompleteChoice> {
    match ctx {
        poise::Context::Application(a) => match plugin_of(a.command) {
            Some(plugin) => complete(plugin, a.interaction, partial),
            None => Vec::new(),
        },
        poise::Context::Prefix(_) => Vec::new(),
    }
}

/// The choices for `partial` in `plugin`'s library, for either front end, tracked.
pub(crate) fn complete(
    plugin: &Plugin,
    i: &CommandInteraction,
    partial: &str,
) -> Vec<AutocompleteChoice> {
    let started = Instant::now();
    let lib = plugin.bot().library();
    let focused = i.data.autocomplete().map(|o| o.name.to_string());
    let choices = choices(&lib, focused.as_deref(), i, partial);
    // The front end sends the choices after this returns (without waiting out a 429): the
    // interaction is only tracked here, and its latency is the time to rank them.
    let metrics = Arc::clone(&plugin.bot().ops().metrics);
    Track::command(Kind::Autocomplete, i, metrics)
        .since(started)
        .finish(Outcome::Ok);
    choices
}

/// The choices for the focused option `focused` with `partial` typed: talks, speakers, tags or
/// sections (of the talk the `talk` option names when it does, else of every talk, labelled
/// with their talk).
fn choices(
    lib: &Library,
    focused: Option<&str>,
    i: &CommandInteraction,
    partial: &str,
) -> Vec<AutocompleteChoice> {
    let max = search::MAX_CHOICES;
    let names = |list: Vec<lectern_core::library::NameChoice>| {
        list.into_iter()
            .map(|c| AutocompleteChoice::new(c.label, c.value))
            .collect()
    };
    match focused {
        Some("talk") => names(lib.talk_choices(partial, max)),
        Some("speaker") => names(lib.speaker_choices(partial, max)),
        Some("tag") => names(lib.tag_choices(partial, max)),
        _ => {
            let talk = i
                .data
                .options()
                .iter()
                .find_map(|o| match (&o.value, o.name) {
                    (ResolvedValue::String(s), "talk") => Some(s.to_string()),
                    _ => None,
                });
            // A talk that matches nothing (yet) does not narrow the choices.
            let within = match talk.map(|t| lib.resolve_talk(&t)) {
                Some(Lookup::Found(t)) => Some(t),
                _ => None,
            };
            search::autocomplete_in(lib, within, partial)
                .into_iter()
                .map(|c| {
                    let key = lectern_core::library::key(&lib.talks()[c.section.talk].id);
                    let value = Pick::Section(key, c.section.section).value();
                    AutocompleteChoice::new(c.label, value)
                })
                .collect()
        }
    }
}

/// Logs a failed command with the interaction's id and answers the user with a short
/// ephemeral apology (a follow-up when `sent`, the first response was already sent).
async fn apologize(http: &serenity::Http, i: &CommandInteraction, sent: bool, error: &Error) {
    let status = error
        .downcast_ref::<serenity::Error>()
        .and_then(retry::http_status);
    tracing::error!(
        interaction_id = %i.id,
        command = %i.data.name,
        http_status = status,
        error = %format!("{error:#}"),
        "command failed"
    );
    let lang = Lang::from_locale(&i.locale);
    // A reply that was rate limited already waited until the first response's deadline:
    // the apology gets one try.
    let budget = if status == Some(429) {
        std::time::Duration::ZERO
    } else {
        retry::FIRST_RESPONSE
    };
    let apology = Responder::after_error(http, i, sent, budget)
        .answer(&Reply::notice(Msg::InternalError.get(lang)))
        .await;
    if let Err(e) = apology {
        tracing::error!(
            interaction_id = %i.id,
            http_status = retry::http_status(&e),
            error = %e,
            "could not send the apology"
        );
    }
}

/// The standalone bot's framework error handler. lectern's commands answer their own errors
/// (`run`); what reaches this is poise's: a command Discord knows but this process does not
/// (registered by an older version), options that do not parse. The log gets the details,
/// the user a short ephemeral apology, so that no interaction goes unanswered.
pub async fn on_error<U>(error: poise::FrameworkError<'_, U, Error>) {
    let described;
    let detail = match &error {
        poise::FrameworkError::Command { error, .. } => error,
        other => {
            described = anyhow::anyhow!("{other}");
            &described
        }
    };
    let (http, i, sent) = match &error {
        poise::FrameworkError::UnknownInteraction {
            ctx, interaction, ..
        } => (&ctx.http, *interaction, false),
        poise::FrameworkError::Setup { .. } | poise::FrameworkError::EventHandler { .. } => {
            tracing::error!(error = %detail, "framework error");
            return;
        }
        other => match other.ctx() {
            Some(poise::Context::Application(a)) => (
                &a.serenity_context.http,
                a.interaction,
                a.has_sent_initial_response.load(Ordering::SeqCst),
            ),
            _ => {
                tracing::warn!(error = %detail, "framework error without an interaction");
                return;
            }
        },
    };
    apologize(http, i, sent, detail).await;
}
