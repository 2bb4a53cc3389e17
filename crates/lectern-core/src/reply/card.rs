//! A quote card: what a picture of one quote shows (its words, who said them, the talk's title
//! and date), attached to a quote's reply. The core says what the card shows; a front end
//! renders it (`lectern_card`), and the reply's image refers to the attachment by its name.

use serde::Serialize;

use super::{Action, Component, Reply};
use crate::i18n::Lang;
use crate::key::{QuoteKey, TalkKey};
use crate::library::{Library, QuoteRef, QuoteScope};

/// The file name a card is attached as; the reply's image is `attachment://card.png`.
pub const CARD_FILE: &str = "card.png";

/// What a quote card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// The words, whitespace collapsed to single spaces.
    pub text: String,
    /// Who said them, if the write-up names them.
    pub speaker: Option<String>,
    /// The talk's title.
    pub title: String,
    /// The talk's date, as the metadata gives it.
    pub date: Option<String>,
}

impl Card {
    /// The card of quote `q`, or `None` when the library has no such quote.
    pub fn of(lib: &Library, q: QuoteRef) -> Option<Card> {
        let (talk, quote) = lib.quote(q)?;
        Some(Card {
            text: quote.text.split_whitespace().collect::<Vec<_>>().join(" "),
            speaker: quote.speaker.clone(),
            title: talk.title.clone(),
            date: talk.meta.date.clone(),
        })
    }

    /// The card in `lang`'s script (see [`super::script`]).
    pub(crate) fn in_script(&mut self, lang: Lang) {
        self.text = lang.in_script(&self.text);
        self.speaker = self.speaker.as_deref().map(|s| lang.in_script(s));
        self.title = lang.in_script(&self.title);
    }
}

/// The quote of the talk `talk` whose key is `key`, if the library still has it.
pub fn find_quote(lib: &Library, talk: &str, key: QuoteKey) -> Option<QuoteRef> {
    let (t, found) = lib.talk_by_id(talk)?;
    let talk_key = TalkKey::of(&found.id);
    let quote = found
        .quotes
        .iter()
        .position(|q| QuoteKey::of_quote(talk_key, &q.text) == key)?;
    Some(QuoteRef { talk: t, quote })
}

/// `reply` with `card` attached: its image is the card, and it loses its own "card" button
/// (it is the card).
pub fn with_card(mut reply: Reply, card: Card) -> Reply {
    reply.image = Some(format!("attachment://{CARD_FILE}"));
    reply.card = Some(card);
    for c in &mut reply.components {
        if let Component::Buttons { buttons } = c {
            buttons.retain(|b| !matches!(b.action, Action::Card { .. }));
        }
    }
    reply
        .components
        .retain(|c| !matches!(c, Component::Buttons { buttons } if buttons.is_empty()));
    reply
}

/// The answer to a "card" button: the quote `key` of `talk` as `/quote card:True` shows it (its
/// "another quote" button draws from the same talk), or `None` when the quote is gone.
pub fn card_reply(lib: &Library, talk: &str, key: QuoteKey, lang: Lang) -> Option<Reply> {
    let q = find_quote(lib, talk, key)?;
    let card = Card::of(lib, q)?;
    let reply = super::quote(lib, q, QuoteScope::Talk(q.talk), lang);
    Some(with_card(reply, card))
}
