//! The message menus (a message right-clicked, "Apps"): "Search the talks", which searches the
//! message's text and answers privately, and "Quote card", a card of one of lectern's quotes.
//! A front end reads the message's text as the text option [`TARGET_TEXT`].
//!
//! Until quote cards exist, "Quote card" answers that they are not available yet: its answer
//! is [`card_answer`], the one hook the card replaces.

use super::search::Search;
use super::{Answer, Context, Options, Spec};
use crate::i18n::Msg;
use crate::reply::Reply;
use crate::text::truncate_chars;

/// The name under which a front end gives a menu the text of the message it was used on.
pub const TARGET_TEXT: &str = "message";

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

/// "Quote card": not available until quote cards are built.
pub fn card_answer(cx: &Context<'_>) -> Answer {
    Answer::notice(Reply::notice(Msg::CardNotAvailable.get(cx.lang)))
}
