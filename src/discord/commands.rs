//! The slash commands: one small function each, glue between an interaction and `reply::*`.
//!
//! A command reads the interaction's locale, takes one snapshot of the library (so a reply
//! never mixes two loads), builds a [`Reply`] with the core and sends it through [`convert`].
//! The `///` doc of each command is its English description in Discord; the Chinese ones are
//! in [`i18n`](super::i18n). Invariants: every command answers once, within Discord's
//! 3-second deadline (`/reload` defers first, since loading may be slow); errors reach the
//! user as a short ephemeral apology and the log with the interaction's id.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use poise::serenity_prelude as serenity;
use serenity::{
    AutocompleteChoice, CommandInteraction, CreateInteractionResponse,
    CreateInteractionResponseFollowup, EditInteractionResponse,
};
use tracing::Instrument;

use super::{Bot, Outcome, Tracked, convert, retry};
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
    answer(ctx, |lib, lang| reply::topics(lib, lang)).await
}

/// Open one section of a talk
#[poise::command(slash_command)]
pub async fn topic(
    ctx: Context<'_>,
    #[description = "A section number or title (autocompletes)"]
    #[autocomplete = "complete_section"]
    section: String,
) -> Result<(), Error> {
    answer(ctx, move |lib, lang| reply::topic(lib, &section, lang)).await
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
            Err(no_such_topic) => *no_such_topic,
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
    answer(ctx, move |lib, lang| reply::search(lib, &query, lang)).await
}

/// What lectern serves and how to use it
#[poise::command(slash_command)]
pub async fn about(ctx: Context<'_>) -> Result<(), Error> {
    let bot = Arc::clone(ctx.data());
    answer(ctx, move |lib, lang| reply::about(lib, &bot.about, lang)).await
}

/// Reload the talks from the seeds folder (admins only)
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
pub async fn reload(
    ctx: Context<'_>,
    #[description = "Put what loaded in service even if some files failed"] force: Option<bool>,
) -> Result<(), Error> {
    let i = interaction(ctx)?;
    let bot = Arc::clone(ctx.data());
    let lang = Lang::from_locale(&i.locale);
    let t = track(&bot, i, "command");
    let outcome = async {
        // Discord's defaults can be overridden by server admins: check again here.
        let permissions = i.member.as_ref().and_then(|m| m.permissions);
        if !bot.is_admin(i.user.id, permissions) {
            send(ctx, i, &Reply::notice(Msg::NotAdmin.get(lang)), &t).await?;
            return Ok(Outcome::Refused);
        }
        let deadline = t.started + retry::FIRST_RESPONSE;
        retry::on_rate_limit(deadline, || i.defer_ephemeral(ctx.http())).await?;
        mark_sent(ctx);
        let by = format!("discord user {}", i.user.id);
        let report = bot.ops().reload(force.unwrap_or(false), &by).await;
        let reply = reply::reload_report(&report, lang);
        let edit = EditInteractionResponse::new()
            .embeds(vec![convert::embed(&reply)])
            .allowed_mentions(convert::no_pings());
        let deadline = std::time::Instant::now() + retry::FOLLOW_UP;
        retry::on_rate_limit(deadline, || i.edit_response(ctx.http(), edit.clone())).await?;
        Ok(if report.verdict.swapped() {
            Outcome::Ok
        } else {
            Outcome::Notice
        })
    }
    .instrument(t.span.clone())
    .await;
    match &outcome {
        Ok(o) => bot.done(&t, *o, true),
        Err(_) => bot.done(&t, Outcome::Error, false),
    }
    outcome.map(|_| ())
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
    // poise sends the choices after this returns: the latency is the time to rank them.
    if let Ok(i) = interaction(ctx) {
        let mut t = track(ctx.data(), i, "autocomplete");
        t.started = started;
        ctx.data().done(&t, Outcome::Ok, true);
    }
    choices
}

/// Builds a reply from one snapshot of the library and sends it, in a span.
async fn answer(
    ctx: Context<'_>,
    build: impl FnOnce(&Arc<Library>, Lang) -> Reply,
) -> Result<(), Error> {
    let i = interaction(ctx)?;
    let bot = ctx.data();
    let t = track(bot, i, "command");
    let lang = Lang::from_locale(&i.locale);
    let lib = bot.library();
    let reply = t.span.in_scope(|| build(&lib, lang));
    let outcome = if reply.ephemeral {
        Outcome::Notice
    } else {
        Outcome::Ok
    };
    let sent = send(ctx, i, &reply, &t).instrument(t.span.clone()).await;
    bot.done(&t, outcome, sent.is_ok());
    sent
}

/// Sends a reply as the interaction's first response, waiting out a 429 while it can still
/// arrive in time.
async fn send(
    ctx: Context<'_>,
    i: &CommandInteraction,
    reply: &Reply,
    t: &Tracked,
) -> Result<(), Error> {
    let response = CreateInteractionResponse::Message(convert::message(reply, i.user.id));
    let deadline = t.started + retry::FIRST_RESPONSE;
    retry::on_rate_limit(deadline, || i.create_response(ctx.http(), response.clone())).await?;
    mark_sent(ctx);
    Ok(())
}

/// Tells poise that the interaction has its first response, so an error reply follows up.
fn mark_sent(ctx: Context<'_>) {
    if let poise::Context::Application(a) = ctx {
        a.has_sent_initial_response.store(true, Ordering::SeqCst);
    }
}

/// Starts tracking a command or autocomplete interaction.
fn track(bot: &Bot, i: &CommandInteraction, kind: &'static str) -> Tracked {
    bot.track(kind, &i.data.name, i.id, i.guild_id, i.user.id, &i.locale)
}

fn interaction(ctx: Context<'_>) -> Result<&CommandInteraction, Error> {
    match ctx {
        poise::Context::Application(a) => Ok(a.interaction),
        poise::Context::Prefix(_) => Err(anyhow::anyhow!("lectern has no prefix commands")),
    }
}

/// The one place errors of commands end: the log gets the details with the interaction's
/// id, the user a short ephemeral apology, so that no interaction goes unanswered.
pub async fn on_error(error: poise::FrameworkError<'_, Arc<Bot>, Error>) {
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
    let reply = Reply::notice(Msg::InternalError.get(lang));
    let apology = if sent {
        let followup = CreateInteractionResponseFollowup::new()
            .embeds(vec![convert::embed(&reply)])
            .allowed_mentions(convert::no_pings())
            .ephemeral(true);
        let deadline = std::time::Instant::now() + retry::FOLLOW_UP;
        retry::on_rate_limit(deadline, || i.create_followup(http, followup.clone()))
            .await
            .map(|_| ())
    } else {
        let response = CreateInteractionResponse::Message(convert::message(&reply, i.user.id));
        // A reply that was rate limited already waited until the first response's deadline:
        // the apology gets one try.
        let budget = if status == Some(429) {
            std::time::Duration::ZERO
        } else {
            retry::FIRST_RESPONSE
        };
        let deadline = std::time::Instant::now() + budget;
        retry::on_rate_limit(deadline, || i.create_response(http, response.clone())).await
    };
    if let Err(e) = apology {
        tracing::error!(
            interaction_id = %i.id,
            http_status = retry::http_status(&e),
            error = %e,
            "could not send the apology"
        );
    }
}
