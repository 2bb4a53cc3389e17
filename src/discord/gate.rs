//! The one check before lectern does work for an interaction: flood control.
//!
//! [`command_check`] is poise's `command_check`, run before every slash command;
//! [`component`] is run before every component interaction. Both ask [`Bot::admit`] (the
//! [`crate::cooldown::Cooldown`] per user, operators exempt) and, when the user must wait,
//! answer with an ephemeral note saying for how long, count it in `lectern_throttled_total`
//! and do nothing else.
//!
//! What is counted: every slash command, and every select menu choice (it posts a new message
//! to the channel, as a command does). Not counted: autocompletes (Discord sends one per
//! keystroke, and their answers are only suggestions), and button presses, which page through
//! a section or draw another quote by editing the presser's own message in place: paging
//! quickly is normal use, adds nothing to the channel, and each press costs what rendering one
//! page costs.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, ComponentInteractionDataKind};

use super::Bot;
use super::commands::{Context, Error};
use super::respond::{Outcome, Responder};
use crate::cooldown::seconds_left;
use crate::i18n::{Lang, Msg};
use crate::reply::Reply;

/// poise's `command_check`: `false` when the user is throttled, after answering them (so the
/// error handler has nothing left to say, see [`super::commands::on_error`]).
pub async fn command_check(ctx: Context<'_>) -> Result<bool, Error> {
    let poise::Context::Application(a) = ctx else {
        return Ok(true);
    };
    if a.interaction_type == poise::CommandInteractionType::Autocomplete {
        return Ok(true);
    }
    let i = a.interaction;
    let bot = ctx.data();
    let permissions = i.member.as_ref().and_then(|m| m.permissions);
    let Err(wait) = bot.admit(i.user.id.get(), i.guild_id.map(|g| g.get()), permissions) else {
        return Ok(true);
    };
    let metrics = Arc::clone(&bot.ops().metrics);
    metrics.record_throttled("command");
    let mut r = Responder::command(&a.serenity_context.http, i, metrics)
        .sharing_first_response(a.has_sent_initial_response);
    let lang = Lang::from_locale(&i.locale);
    r.respond(&Reply::notice(&Msg::slow_down(seconds_left(wait), lang)))
        .await?;
    r.finish(Outcome::Throttled);
    Ok(false)
}

/// The note for a component interaction that must wait, if it must; counted as throttled.
pub fn component(bot: &Bot, i: &ComponentInteraction) -> Option<Reply> {
    if !matches!(
        i.data.kind,
        ComponentInteractionDataKind::StringSelect { .. }
    ) {
        return None;
    }
    let permissions = i.member.as_ref().and_then(|m| m.permissions);
    let wait = bot
        .admit(i.user.id.get(), i.guild_id.map(|g| g.get()), permissions)
        .err()?;
    bot.ops().metrics.record_throttled("component");
    let lang = Lang::from_locale(&i.locale);
    Some(Reply::notice(&Msg::slow_down(seconds_left(wait), lang)))
}
