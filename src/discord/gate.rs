//! The one check before lectern does work for an interaction: flood control.
//!
//! [`command`] is run before every slash command of the plugin, whichever front end received
//! it, [`component`] before every component interaction. Both ask
//! [`Bot::admit`](super::Bot::admit) (the
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

use poise::serenity_prelude as serenity;
use serenity::{CommandInteraction, ComponentInteraction, ComponentInteractionDataKind};

use super::plugin::{CooldownPolicy, Plugin};
use crate::cooldown::seconds_left;
use crate::i18n::{Lang, Msg};
use crate::reply::Reply;

/// The note for a slash command that must wait, if it must; counted as throttled. `None` when
/// the host keeps its own flood control ([`CooldownPolicy::Host`]).
pub fn command(plugin: &Plugin, i: &CommandInteraction) -> Option<Reply> {
    let permissions = i.member.as_ref().and_then(|m| m.permissions);
    throttled(
        plugin,
        "command",
        i.user.id,
        i.guild_id,
        permissions,
        &i.locale,
    )
}

/// The note for a component interaction that must wait, if it must; counted as throttled.
/// Only select menu choices count (see the module's documentation).
pub fn component(plugin: &Plugin, i: &ComponentInteraction) -> Option<Reply> {
    if !matches!(
        i.data.kind,
        ComponentInteractionDataKind::StringSelect { .. }
    ) {
        return None;
    }
    let permissions = i.member.as_ref().and_then(|m| m.permissions);
    throttled(
        plugin,
        "component",
        i.user.id,
        i.guild_id,
        permissions,
        &i.locale,
    )
}

fn throttled(
    plugin: &Plugin,
    kind: &str,
    user: serenity::UserId,
    guild: Option<serenity::GuildId>,
    permissions: Option<serenity::Permissions>,
    locale: &str,
) -> Option<Reply> {
    if plugin.cooldown_policy() == CooldownPolicy::Host {
        return None;
    }
    let bot = plugin.bot();
    let wait = bot
        .admit(user.get(), guild.map(|g| g.get()), permissions)
        .err()?;
    bot.ops().metrics.record_throttled(kind);
    let lang = Lang::from_locale(locale);
    Some(Reply::notice(&Msg::slow_down(seconds_left(wait), lang)))
}
