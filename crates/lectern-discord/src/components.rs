//! Button presses and select menu choices on lectern's messages.
//!
//! Everything a press needs is in its `custom_id` (see [`custom_id`]), so presses work after a
//! restart or a reload. Invariants: only the user named in the id gets an answer that changes
//! anything, everyone else a short ephemeral note; a press on something the library no longer
//! has gets a polite ephemeral note, and so does a button of an older version of lectern; a
//! button edits its own message in place (paging, another quote). A select menu pick, whoever made it and whatever the answer, is answered with
//! UPDATE_MESSAGE re-sending the list's own components, which resets the menu (a menu left on
//! the picked option sends nothing when that option is picked again), and the answer comes as
//! a follow-up: the section as a normal message of the channel, as the list itself is, that
//! anyone there can read and its invoker can page; a note (not yours, gone, too fast)
//! ephemeral.

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, ComponentInteractionDataKind};

use super::custom_id::{self, Ids, Target};
use super::plugin::Plugin;
use super::respond::{Outcome, Responder};
use super::{convert, retry};
use lectern_core::commands::delivery::Delivery;
use lectern_core::commands::{Context, quote};
use lectern_core::i18n::{Lang, Msg};
use lectern_core::library::{Library, QuoteScope, SectionRef};
use lectern_core::reply::{self, Action, Reply};

/// How a press is answered.
#[derive(Debug)]
enum Answer {
    /// Replace the pressed message.
    Update(Reply),
    /// Post a new message (ephemeral when the reply says so); for a menu pick, after the
    /// menu is reset, as a follow-up.
    New(Reply),
    /// Post the pressed private message to the channel, copied as it is.
    Share,
    /// Delete the pressed message.
    Delete,
}

/// Answers one component interaction whose `custom_id` is under `ids` (see
/// [`Ids::owns`]; a malformed one gets the polite "gone" note).
pub async fn handle(http: &serenity::Http, plugin: &Plugin, i: &ComponentInteraction) {
    let ids = plugin.ids();
    let mut r = Responder::component(http, i, plugin.ops(), ids).with_cards(plugin.cards());
    // Flood control first (select menus only): a throttled user gets a note, nothing else.
    let (answer, outcome) = match plugin.throttle_component(i).await {
        Some(wait) => (Answer::New(wait), Outcome::Throttled),
        None => r.span().in_scope(|| answer(plugin, ids, i)),
    };
    let is_select = matches!(
        i.data.kind,
        ComponentInteractionDataKind::StringSelect { .. }
    );
    let sent = match &answer {
        Answer::Share => {
            let lang = Lang::from_locale(&i.locale);
            r.post(convert::shared(&i.message, i.user.id, ids, lang))
                .await
        }
        Answer::Delete => match r.defer_update().await {
            Ok(()) => r.delete_original().await,
            Err(e) => Err(e),
        },
        Answer::Update(reply) => r.update(reply).await,
        Answer::New(reply) if is_select => match r.reset_components(&i.message).await {
            Ok(()) => r.follow_up(reply).await,
            Err(e) => Err(e),
        },
        Answer::New(reply) => r.respond(reply).await,
    };
    if let Err(e) = &sent {
        tracing::error!(
            parent: &r.span(),
            interaction_id = %i.id,
            http_status = retry::http_status(e),
            error = %e,
            "could not answer a press"
        );
    }
    r.finish(outcome);
}

fn answer(plugin: &Plugin, ids: &Ids, i: &ComponentInteraction) -> (Answer, Outcome) {
    let lang = Lang::from_locale(&i.locale);
    let notice = |m: Msg, o| (Answer::New(Reply::notice(m.get(lang))), o);
    let Some(press) = ids.decode(&i.data.custom_id) else {
        // A button of an older version names sections by ordinals that mean something else
        // now: it is gone, and says so, rather than open the wrong section.
        if ids.is_retired(&i.data.custom_id) {
            return notice(Msg::OldButton, Outcome::Stale);
        }
        return notice(Msg::Gone, Outcome::Stale);
    };
    if press.target == Some(Target::Delete) {
        return if may_delete(press.invoker, i) {
            (Answer::Delete, Outcome::Ok)
        } else {
            notice(Msg::NotYoursToDelete, Outcome::Refused)
        };
    }
    if press.invoker != i.user.id.get() {
        return notice(Msg::NotYours, Outcome::NotInvoker);
    }
    if press.target == Some(Target::Share) {
        if i.message.embeds.is_empty() {
            return notice(Msg::NothingToShare, Outcome::Stale);
        }
        return (Answer::Share, Outcome::Ok);
    }
    // A page or another quote stays as public or private as the message it replaces, or the
    // list it was picked from, with its delete or "post" button.
    let delivery = if i
        .message
        .flags
        .is_some_and(|f| f.contains(serenity::MessageFlags::EPHEMERAL))
    {
        Delivery::PRIVATE
    } else {
        Delivery::PUBLIC
    };
    let (answer, outcome) = answer_press(plugin, press, i, lang);
    let answer = match answer {
        Answer::Update(reply) => Answer::Update(delivery.apply(reply, lang)),
        Answer::New(reply) => Answer::New(delivery.apply(reply, lang)),
        other => other,
    };
    (answer, outcome)
}

/// Whether the user of `i` may delete an answer asked for or shared by `asker`: they are that
/// person, or may manage messages in the channel (the interaction's computed permissions).
fn may_delete(asker: u64, i: &ComponentInteraction) -> bool {
    use serenity::Permissions;
    let manages = i
        .member
        .as_ref()
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.intersects(Permissions::MANAGE_MESSAGES | Permissions::ADMINISTRATOR));
    asker == i.user.id.get() || manages
}

/// A press of the invoker's on a page, a quote or a list (not a delete or a post).
fn answer_press(
    plugin: &Plugin,
    press: custom_id::Press,
    i: &ComponentInteraction,
    lang: Lang,
) -> (Answer, Outcome) {
    let notice = |m: Msg, o| (Answer::New(Reply::notice(m.get(lang))), o);
    let is_select = press.target.is_none();
    let target = press.target.or_else(|| match &i.data.kind {
        ComponentInteractionDataKind::StringSelect { values } => {
            values.first().and_then(|v| custom_id::decode_action(v))
        }
        _ => None,
    });
    // The server's settings as last read: the talks it sees; a public message's language.
    let guild = plugin.known_settings(i.guild_id.map(serenity::GuildId::get));
    let lib = &plugin.library_for(&guild.scope);
    let ephemeral = i
        .message
        .flags
        .is_some_and(|f| f.contains(serenity::MessageFlags::EPHEMERAL));
    let lang = if ephemeral {
        lang
    } else {
        crate::state::public_lang(&guild, lang)
    };
    let Some(action) = target.and_then(|t| custom_id::resolve(lib, t)) else {
        return notice(Msg::Gone, Outcome::Stale);
    };
    // What a press points at may be gone since its message was sent (a reload): a talk, a
    // section, or every quote of a section. That is a stale press, told politely.
    let (reply, found) = match action {
        Action::Section {
            talk,
            section,
            page,
        } => match lib.talk_by_id(&talk) {
            Some((talk, _)) => {
                let r = SectionRef { talk, section };
                let found = lib.section(r).is_some();
                (reply::section(lib, r, page, lang), found)
            }
            None => return notice(Msg::Gone, Outcome::Stale),
        },
        Action::Quote { talk, section } => {
            match QuoteScope::from_ids(lib, talk.as_deref(), section) {
                Some(scope) => another_quote(plugin, lib, i, scope, lang),
                None => return notice(Msg::Gone, Outcome::Stale),
            }
        }
        Action::QuoteBy { speaker, talk } => {
            let talk = match talk.map(|id| lib.talk_by_id(&id).map(|(t, _)| t)) {
                Some(None) => return notice(Msg::Gone, Outcome::Stale),
                Some(found) => found,
                None => None,
            };
            let scope = QuoteScope::Speaker {
                speaker: lectern_core::key::SpeakerKey::of(&speaker),
                talk,
            };
            another_quote(plugin, lib, i, scope, lang)
        }
        Action::Talks { page, tag } => (reply::talks(lib, page, tag.as_deref(), lang), true),
        Action::Contents { talk, page } => match lib.talk_by_id(&talk) {
            Some((t, _)) => (reply::contents(lib, t, page, lang), true),
            None => return notice(Msg::Gone, Outcome::Stale),
        },
        // A menu option never shares or deletes (its buttons are answered above).
        Action::Share | Action::Delete => return notice(Msg::Gone, Outcome::Stale),
        // A card is a new message (the quote stays as it was), with the card attached.
        Action::Card { talk, quote } => match reply::card_reply(lib, &talk, quote, lang) {
            Some(card) => return (Answer::New(card), Outcome::Ok),
            None => return notice(Msg::Gone, Outcome::Stale),
        },
    };
    if !found {
        (Answer::New(reply), Outcome::Stale)
    } else if is_select {
        (Answer::New(reply), Outcome::Ok)
    } else {
        (Answer::Update(reply), Outcome::Ok)
    }
}

/// The quote an "another quote" button draws from `scope`, in the presser's channel, as
/// `/quote` draws it; `false` when the pool is empty.
fn another_quote(
    plugin: &Plugin,
    lib: &Library,
    i: &ComponentInteraction,
    scope: QuoteScope,
    lang: Lang,
) -> (Reply, bool) {
    let draw = plugin.draw_in(i.channel_id.get());
    let cx = Context {
        library: lib,
        lang,
        about: plugin.about(),
        draw: &draw,
    };
    let (answer, _) = quote::draw(&cx, scope);
    let found = answer.outcome == Outcome::Ok;
    (answer.reply, found)
}
