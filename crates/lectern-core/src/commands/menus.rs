//! The message menus (a message right-clicked, "Apps"): "Search the talks", which searches the
//! message's text and answers privately, and "Quote card", a card of one of lectern's quotes.
//! A front end reads the message's text as the text option [`TARGET_TEXT`], and the quote a
//! lectern quote message offers as a card (the action of its "Card" button, as the core's
//! [`codec`] writes it) as [`TARGET_CARD`]: the core knows nothing of messages or
//! `custom_id`s, only of the quote's stable key.
//!
//! Invariant: "Quote card" on any other message, or on a quote the library no longer has, is a
//! polite private note, never another quote.

use super::search::Search;
use super::{Answer, Context, Options, Outcome, Spec};
use crate::i18n::Msg;
use crate::reply::codec::{self, Target};
use crate::reply::{Action, Reply, card_reply};
use crate::text::truncate_chars;

/// The name under which a front end gives a menu the text of the message it was used on.
pub const TARGET_TEXT: &str = "message";

/// The name under which a front end gives "Quote card" the card the message offers: the
/// action of its "Card" button (`k.<talk>.<quote>`, [`codec::encode`]), absent when the message
/// has none.
pub const TARGET_CARD: &str = "card";

/// How much of a message "Search the talks" searches, in characters.
pub const MAX_QUERY: usize = 300;

pub(crate) const SEARCH_SPEC: Spec = Spec {
    name: "Search the talks",
    name_zh: ("搜索演讲", "搜尋演講"),
    description: "Search the talks for what this message says",
    description_zh: ("在演讲里搜索这条消息的内容", "在演講裡搜尋這則訊息的內容"),
    options: &[],
    operators_only: false,
    menu: true,
};

pub(crate) const CARD_SPEC: Spec = Spec {
    name: "Quote card",
    name_zh: ("引语卡片", "引語卡片"),
    description: "A card of this quote",
    description_zh: ("这句引语的卡片", "這句引語的卡片"),
    options: &[],
    operators_only: false,
    menu: true,
};

/// "Search the talks": the message's text (its first [`MAX_QUERY`] characters) as a query.
pub(crate) fn search_read(options: &dyn Options) -> Search {
    Search {
        query: truncate_chars(
            options.text(TARGET_TEXT).unwrap_or_default().trim(),
            MAX_QUERY,
        ),
    }
}

/// "Search the talks": `/search` of the message's text.
pub(crate) fn search_answer(search: &Search, cx: &Context<'_>) -> Answer {
    search.answer(cx)
}

/// "Quote card" on a message: the card it offers, as the front end read it ([`TARGET_CARD`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteCard {
    /// The action of the message's "Card" button; `None` for a message without one.
    pub card: Option<String>,
}

/// "Quote card": what the message offers.
pub(crate) fn card_read(options: &dyn Options) -> QuoteCard {
    QuoteCard {
        card: options.text(TARGET_CARD),
    }
}

impl QuoteCard {
    /// The card of the message's quote, as its "Card" button answers; a note for a message
    /// that is not one of lectern's quotes, and for a quote that is gone since.
    pub fn answer(&self, cx: &Context<'_>) -> Answer {
        let lang = cx.lang;
        let target = self.card.as_deref().and_then(codec::decode);
        let Some(target @ Target::Card { .. }) = target else {
            return Answer::notice(Reply::notice(Msg::NotALecternQuote.get(lang)));
        };
        let card = match codec::resolve(cx.library, target) {
            Some(Action::Card { talk, quote }) => card_reply(cx.library, &talk, quote, lang),
            _ => None,
        };
        match card {
            Some(reply) => Answer::new(reply, Outcome::Ok),
            None => Answer::new(Reply::notice(Msg::Gone.get(lang)), Outcome::Stale),
        }
    }
}
