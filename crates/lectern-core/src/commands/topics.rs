//! `/topics`: the talks, or one talk's sections, or the talks with a tag.

use super::{Answer, Context, Opt, OptKind, Options, Outcome, Spec, nonempty, shown, talk_option};
use crate::i18n::{Lang, Msg};
use crate::library::{Library, Lookup};
use crate::reply::{self, Reply};

pub(crate) const SPEC: Spec = Spec {
    name: "topics",
    name_zh: ("话题", "話題"),
    description: "The talks and their sections",
    description_zh: ("列出演讲及其章节", "列出演講及其章節"),
    options: &[
        Opt {
            name: "talk",
            name_zh: ("演讲", "演講"),
            description: "Only this talk's sections: a title, speaker or date (autocompletes)",
            description_zh: (
                "只看这个演讲的章节：标题、讲者或日期（可自动补全）",
                "只看這個演講的章節：標題、講者或日期（可自動補全）",
            ),
            kind: OptKind::Text,
            required: false,
            autocomplete: true,
        },
        Opt {
            name: "tag",
            name_zh: ("标签", "標籤"),
            description: "Only the talks with this tag (autocompletes)",
            description_zh: (
                "只列出带这个标签的演讲（可自动补全）",
                "只列出帶這個標籤的演講（可自動補全）",
            ),
            kind: OptKind::Text,
            required: false,
            autocomplete: true,
        },
        super::delivery::PRIVATE,
    ],
    operators_only: false,
    menu: false,
};

/// `/topics [talk:] [tag:]`, each a picked value or typed text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topics {
    /// `talk:`: list this talk's sections instead of the talks (it wins over `tag:`).
    pub talk: Option<String>,
    /// `tag:`: list only the talks with this tag.
    pub tag: Option<String>,
    /// The page of the list (from 0; Discord's pages are buttons, the CLI's a flag).
    pub page: usize,
}

/// What `/topics` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// One talk's sections.
    Talk(usize),
    /// The talks that carry a tag (its name as the library has it).
    Tag(String),
    /// Every talk (one talk's sections when the library has one).
    All,
}

impl Topics {
    pub(crate) fn read(options: &dyn Options) -> Topics {
        Topics {
            talk: options.text("talk"),
            tag: options.text("tag"),
            page: 0,
        }
    }

    /// What the options name: a talk (it wins over a tag), a tag, or neither. `Err` is the
    /// polite note for a name that matches nothing, or a picked one that is gone.
    pub fn resolve(&self, lib: &Library, lang: Lang) -> Result<Listing, Box<Reply>> {
        if let Some(t) = talk_option(lib, self.talk.as_deref(), lang)? {
            return Ok(Listing::Talk(t));
        }
        match nonempty(self.tag.as_deref()) {
            None => Ok(Listing::All),
            Some(text) => match lib.resolve_tag(text) {
                Lookup::Found(tag) => Ok(Listing::Tag(tag.name.clone())),
                Lookup::Gone => Err(Box::new(Reply::notice(Msg::Gone.get(lang)))),
                Lookup::NoMatch => Err(Box::new(Reply::notice(&Msg::unknown(
                    Msg::UnknownTag,
                    &shown(text),
                    lang,
                )))),
            },
        }
    }

    /// The answer: the talks (those with the tag, when given), or one talk's sections when
    /// `talk:` is given or the library has a single talk; a note when the options match
    /// nothing or no talk is loaded.
    pub fn answer(&self, cx: &Context<'_>) -> Answer {
        let (lib, lang, page) = (cx.library, cx.lang, self.page);
        let listing = match self.resolve(lib, lang) {
            Ok(listing) => listing,
            Err(note) => return Answer::notice(*note),
        };
        let reply = match listing {
            Listing::Talk(t) => reply::contents(lib, t, page, lang),
            Listing::Tag(tag) => reply::talks(lib, page, Some(&tag), lang),
            Listing::All => match lib.talks().len() {
                0 => reply::topics(lib, lang),
                1 => reply::contents(lib, 0, page, lang),
                _ => reply::talks(lib, page, None, lang),
            },
        };
        let outcome = if lib.talks().is_empty() {
            Outcome::Notice
        } else {
            Outcome::Ok
        };
        Answer::new(reply, outcome)
    }
}
