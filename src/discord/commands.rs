//! The slash commands: one small function each, glue between an interaction and `reply::*`.
//!
//! A command reads the interaction's locale, takes one snapshot of the library (so a reply
//! never mixes two loads), builds a [`Reply`] with the core, says what it means (an
//! [`Outcome`]: answered, or a polite notice) and answers through a [`Responder`], which sends
//! it and records the outcome.
//! The `///` doc of each command is its English description in Discord; the Chinese ones are
//! in [`i18n`](super::i18n). Invariants: every command answers once, within Discord's
//! 3-second deadline (`/reload` defers first, since loading may be slow); errors reach the
//! user as a short ephemeral apology and the log with the interaction's id.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, CommandInteraction};
use tracing::Instrument;

use super::respond::{Kind, Outcome, Responder, Track};
use super::{Bot, retry};
use crate::i18n::{Lang, Msg};
use crate::library::Library;
use crate::reply::{self, Reply};
use crate::search;

/// Errors of command handlers; shown to users only as an apology.
pub type Error = anyhow::Error;
/// The poise context of lectern's commands.
pub type Context<'a> = poise::Context<'a, Arc<Bot>, Error>;
/// A command of lectern.
pub type Command = poise::Command<Arc<Bot>, Error>;

/// Every command, localized, in the order Discord lists them.
pub fn all() -> Vec<Command> {
    let mut commands = vec![topics(), topic(), quote(), search(), about(), reload()];
    super::i18n::localize(&mut commands);
    commands
}

/// The talks and their sections
#[poise::command(slash_command)]
pub async fn topics(ctx: Context<'_>) -> Result<(), Error> {
    answer(ctx, |lib, lang| {
        let outcome = if lib.talks().is_empty() {
            Outcome::Notice
        } else {
            Outcome::Ok
        };
        (reply::topics(lib, lang), outcome)
    })
    .await
}

/// Open one section of a talk
#[poise::command(slash_command)]
pub async fn topic(
    ctx: Context<'_>,
    #[description = "A section number or title (autocompletes)"]
    #[autocomplete = "complete_section"]
    section: String,
) -> Result<(), Error> {
    answer(ctx, move |lib, lang| {
        match search::resolve_section(lib, &section) {
            Some(r) => (reply::section(lib, r, 0, lang), Outcome::Ok),
            // `reply::topic` words the miss.
            None => (reply::topic(lib, &section, lang), Outcome::Notice),
        }
    })
    .await
}

/// A random quote, from all the talks or from one section
#[poise::command(slash_command)]
pub async fn quote(
    ctx: Context<'_>,
    #[description = "Only quotes from this section (optional)"]
    #[autocomplete = "complete_section"]
    topic: Option<String>,
) -> Result<(), Error> {
    let bot = Arc::clone(ctx.data());
    let channel = ctx.channel_id().get();
    answer(ctx, move |lib, lang| {
        match reply::quote_scope(lib, topic.as_deref(), lang) {
            Ok(scope) => bot.draw_quote(lib, channel, scope, lang),
            Err(no_such_topic) => (*no_such_topic, Outcome::Notice),
        }
    })
    .await
}

/// Search what was said
#[poise::command(slash_command)]
pub async fn search(
    ctx: Context<'_>,
    #[description = "Words to look for"] query: String,
) -> Result<(), Error> {
    answer(ctx, move |lib, lang| {
        // A miss is an answer ("no close match"); only an empty query is the user's mistake.
        let outcome = if query.trim().is_empty() {
            Outcome::Notice
        } else {
            Outcome::Ok
        };
        (reply::search(lib, &query, lang), outcome)
    })
    .await
}

/// What lectern serves and how to use it
#[poise::command(slash_command)]
pub async fn about(ctx: Context<'_>) -> Result<(), Error> {
    let bot = Arc::clone(ctx.data());
    answer(ctx, move |lib, lang| {
        (reply::about(lib, bot.about(), lang), Outcome::Ok)
    })
    .await
}

/// Reload the talks from the seeds folder (operators only)
#[poise::command(
    slash_command,
    category = "operators",
    default_member_permissions = "MANAGE_GUILD",
    interaction_context = "Guild",
    install_context = "Guild"
)]
pub async fn reload(
    ctx: Context<'_>,
    #[description = "Put what loaded in service even if some files failed"] force: Option<bool>,
) -> Result<(), Error> {
    let (mut r, i) = responder(ctx)?;
    let bot = ctx.data();
    let lang = Lang::from_locale(&i.locale);
    // Discord's defaults can be overridden by server admins: check again here.
    let permissions = i.member.as_ref().and_then(|m| m.permissions);
    let guild = i.guild_id.map(|g| g.get());
    if !bot
        .operators()
        .is_operator(i.user.id.get(), guild, permissions)
    {
        r.respond(&Reply::notice(&bot.operators().refusal(lang)))
            .await?;
        r.finish(Outcome::Refused);
        return Ok(());
    }
    if let Err(wait) = bot.admit_reload() {
        let secs = crate::cooldown::seconds_left(wait);
        r.respond(&Reply::notice(&Msg::reload_too_soon(secs, lang)))
            .await?;
        r.finish(Outcome::Refused);
        return Ok(());
    }
    // Loading may take longer than the 3 s a first response has.
    r.defer_ephemeral().await?;
    let by = format!("discord user {}", i.user.id);
    let report = bot
        .ops()
        .reload(force.unwrap_or(false), &by)
        .instrument(r.span())
        .await;
    r.edit(&reply::reload_report(&report, lang)).await?;
    r.finish(if report.verdict.swapped() {
        Outcome::Ok
    } else {
        Outcome::Notice
    });
    Ok(())
}

/// Autocomplete for section options: the search's ranking, at most 25 labels of ≤ 100
/// characters. The value sent back is the label, which `resolve_section` reads exactly.
async fn complete_section(ctx: Context<'_>, partial: &str) -> Vec<AutocompleteChoice> {
    let started = Instant::now();
    let lib = ctx.data().library();
    let choices: Vec<AutocompleteChoice> = search::autocomplete(&lib, partial)
        .into_iter()
        .map(|c| AutocompleteChoice::new(c.label.clone(), c.label))
        .collect();
    // poise sends the choices after this returns (without waiting out a 429): the
    // interaction is only tracked here, and its latency is the time to rank them.
    if let poise::Context::Application(a) = ctx {
        let metrics = Arc::clone(&ctx.data().ops().metrics);
        Track::command(Kind::Autocomplete, a.interaction, metrics)
            .since(started)
            .finish(Outcome::Ok);
    }
    choices
}

/// Builds a reply and its outcome from one snapshot of the library, in the interaction's
/// span, and sends it as the first response.
async fn answer(
    ctx: Context<'_>,
    build: impl FnOnce(&Arc<Library>, Lang) -> (Reply, Outcome),
) -> Result<(), Error> {
    let (mut r, i) = responder(ctx)?;
    let lang = Lang::from_locale(&i.locale);
    let lib = ctx.data().library();
    let (reply, outcome) = r.span().in_scope(|| build(&lib, lang));
    r.respond(&reply).await?;
    r.finish(outcome);
    Ok(())
}

/// The responder of the command `ctx` runs, tracked from now. It shares poise's "first
/// response sent" flag, so that [`on_error`] follows up rather than answer twice.
fn responder(ctx: Context<'_>) -> Result<(Responder<'_>, &CommandInteraction), Error> {
    match ctx {
        poise::Context::Application(a) => {
            let metrics = Arc::clone(&ctx.data().ops().metrics);
            let r = Responder::command(&a.serenity_context.http, a.interaction, metrics)
                .sharing_first_response(a.has_sent_initial_response);
            Ok((r, a.interaction))
        }
        poise::Context::Prefix(_) => Err(anyhow::anyhow!("lectern has no prefix commands")),
    }
}

/// The one place errors of commands end: the log gets the details with the interaction's
/// id, the user a short ephemeral apology, so that no interaction goes unanswered.
pub async fn on_error(error: poise::FrameworkError<'_, Arc<Bot>, Error>) {
    // The gate refused the command and answered it already (see `gate::command_check`).
    if let poise::FrameworkError::CommandCheckFailed { error: None, .. } = &error {
        return;
    }
    let (detail, status) = match &error {
        poise::FrameworkError::Command { error, .. } => (
            format!("{error:#}"),
            error
                .downcast_ref::<serenity::Error>()
                .and_then(retry::http_status),
        ),
        other => (other.to_string(), None),
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
    tracing::error!(
        interaction_id = %i.id,
        command = %i.data.name,
        http_status = status,
        error = %detail,
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
