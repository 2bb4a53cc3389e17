//! `/search query:`: search what was said.

use super::{Answer, Context, Opt, OptKind, Options, Outcome, Spec};
use crate::reply;

pub(crate) const SPEC: Spec = Spec {
    name: "search",
    name_zh: ("搜索", "搜尋"),
    description: "Search what was said",
    description_zh: ("搜索讲过的内容", "搜尋講過的內容"),
    options: &[
        Opt {
            name: "query",
            name_zh: ("关键词", "關鍵詞"),
            description: "Words to look for",
            description_zh: ("要找的词句", "要找的詞句"),
            kind: OptKind::Text,
            required: true,
            autocomplete: false,
        },
        super::delivery::PRIVATE,
        super::delivery::FOR,
    ],
    operators_only: false,
    menu: false,
};

/// `/search query:`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// `query:`: the words to look for, as typed.
    pub query: String,
}

impl Search {
    pub(crate) fn read(options: &dyn Options) -> Search {
        Search {
            query: options.text("query").unwrap_or_default(),
        }
    }

    /// The answer: ranked hits with snippets, or "no close match" (with suggestions when some
    /// come close); a note when the query is empty.
    pub fn answer(&self, cx: &Context<'_>) -> Answer {
        // A miss is an answer ("no close match"); only an empty query is the user's mistake.
        let outcome = if self.query.trim().is_empty() {
            Outcome::Notice
        } else {
            Outcome::Ok
        };
        Answer::new(reply::search(cx.library, &self.query, cx.lang), outcome)
    }
}
