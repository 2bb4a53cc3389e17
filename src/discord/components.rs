//! Button presses and select menu choices on lectern's messages.
//!
//! Everything a press needs is in its `custom_id` (see [`custom_id`]), so presses work after a
//! restart or a reload. Invariants: only the user named in the id gets an answer that changes
//! anything, everyone else a short ephemeral note; a press on something the library no longer
//! has gets a polite ephemeral note; a button edits its own message in place (paging, another
//! quote), a select menu answers with a new message so that the list it came from stays.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, ComponentInteractionDataKind, CreateInteractionResponse};
use tracing::Instrument;

use super::{Bot, Outcome, convert, custom_id, retry};
use crate::i18n::{Lang, Msg};
use crate::library::{QuoteScope, SectionRef};
use crate::reply::{self, Action, Reply};

/// How a press is answered.
#[derive(Debug)]
enum Answer {
    /// Replace the pressed message.
    Update(Reply),
    /// Post a new message (ephemeral when the reply says so).
    New(Reply),
}

/// Answers one component interaction.
pub async fn handle(http: &serenity::Http, bot: &Bot, i: &ComponentInteraction) {
    let t = bot.track(
        "component",
        "component",
        i.id,
        i.guild_id,
        i.user.id,
        &i.locale,
    );
    let (answer, outcome) = t.span.in_scope(|| answer(bot, i));
    let response = match &answer {
        Answer::Update(r) => {
            CreateInteractionResponse::UpdateMessage(convert::message(r, i.user.id))
        }
        Answer::New(r) => CreateInteractionResponse::Message(convert::message(r, i.user.id)),
    };
    let deadline = t.started + retry::FIRST_RESPONSE;
    let sent = retry::on_rate_limit(deadline, || i.create_response(http, response.clone()))
        .instrument(t.span.clone())
        .await;
    if let Err(e) = &sent {
        tracing::error!(
            parent: &t.span,
            interaction_id = %i.id,
            http_status = retry::http_status(e),
            error = %e,
            "could not answer a press"
        );
    }
    bot.done(&t, outcome, sent.is_ok());
}

fn answer(bot: &Bot, i: &ComponentInteraction) -> (Answer, Outcome) {
    let lang = Lang::from_locale(&i.locale);
    let notice = |m: Msg, o| (Answer::New(Reply::notice(m.get(lang))), o);
    let Some(press) = custom_id::decode(&i.data.custom_id) else {
        return notice(Msg::Gone, Outcome::Stale);
    };
    if press.invoker != i.user.id.get() {
        return notice(Msg::NotYours, Outcome::NotInvoker);
    }
    let is_select = press.target.is_none();
    let target = press.target.or_else(|| match &i.data.kind {
        ComponentInteractionDataKind::StringSelect { values } => {
            values.first().and_then(|v| custom_id::decode_action(v))
        }
        _ => None,
    });
    let lib = &bot.library();
    let Some(action) = target.and_then(|t| custom_id::resolve(lib, t)) else {
        return notice(Msg::Gone, Outcome::Stale);
    };
    let reply = match action {
        Action::Section {
            talk,
            section,
            page,
        } => match lib.talk_by_id(&talk) {
            Some((t, _)) => reply::section(lib, SectionRef { talk: t, section }, page, lang),
            None => Reply::notice(Msg::Gone.get(lang)),
        },
        Action::Quote { talk, section } => {
            match QuoteScope::from_ids(lib, talk.as_deref(), section) {
                Some(scope) => bot.draw_quote(lib, i.channel_id.get(), scope, lang),
                None => Reply::notice(Msg::Gone.get(lang)),
            }
        }
    };
    if reply.ephemeral {
        (Answer::New(reply), Outcome::Stale)
    } else if is_select {
        (Answer::New(reply), Outcome::Ok)
    } else {
        (Answer::Update(reply), Outcome::Ok)
    }
}
