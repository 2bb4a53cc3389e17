//! `/topic section: [talk:]`: open one section of a talk.

use super::{Answer, Context, Opt, OptKind, Options, Outcome, Spec, talk_option, talk_option_spec};
use crate::i18n::{Lang, Msg};
use crate::library::{Library, Pick, SectionRef};
use crate::reply::{self, Reply};
use crate::search;
use crate::text::{escape_markdown, truncate_chars};

pub(crate) const SPEC: Spec = Spec {
    name: "topic",
    name_zh: ("章节", "章節"),
    description: "Open one section of a talk",
    description_zh: ("打开一节内容", "打開一節內容"),
    options: &[
        Opt {
            name: "section",
            name_zh: ("章节", "章節"),
            description: "A section number or title (autocompletes)",
            description_zh: ("节号或标题（可自动补全）", "節號或標題（可自動補全）"),
            kind: OptKind::Text,
            required: true,
            autocomplete: true,
        },
        talk_option_spec("The talk: a title, speaker or date (autocompletes; optional)"),
        super::delivery::PRIVATE,
        super::delivery::FOR,
    ],
    operators_only: false,
    menu: false,
};

/// `/topic section: [talk:]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topic {
    /// A picked value ([`Pick::Section`]) or what the user typed (a number, a title or a
    /// fuzzy title).
    pub section: String,
    /// `talk:`: look the section up in this talk only; without it, across the talks, the first
    /// talk first.
    pub talk: Option<String>,
    /// The page of the section (from 0; Discord's pages are buttons, the CLI's a flag).
    pub page: usize,
}

impl Topic {
    pub(crate) fn read(options: &dyn Options) -> Topic {
        Topic {
            section: options.text("section").unwrap_or_default(),
            talk: options.text("talk"),
            page: 0,
        }
    }

    /// The section the options name; `Err` is the note for a talk or section that matches
    /// nothing or is gone.
    pub fn resolve(&self, lib: &Library, lang: Lang) -> Result<SectionRef, Box<Reply>> {
        find_topic(lib, self.talk.as_deref(), &self.section, lang)
    }

    /// The answer: the section, opened at `page`, or a note when the talk or section matches
    /// nothing or is gone.
    pub fn answer(&self, cx: &Context<'_>) -> Answer {
        match self.resolve(cx.library, cx.lang) {
            Ok(r) => Answer::new(
                reply::section(cx.library, r, self.page, cx.lang),
                Outcome::Ok,
            ),
            Err(note) => Answer::notice(*note),
        }
    }
}

/// The section `text` names: a picked value ([`Pick::Section`]) or what the user typed (a
/// number, a title or a fuzzy title), within the talk of the `talk:` option if given. `Err`
/// is the note for a talk or section that matches nothing or is gone.
pub fn find_topic(
    lib: &Library,
    talk: Option<&str>,
    text: &str,
    lang: Lang,
) -> Result<SectionRef, Box<Reply>> {
    let within = talk_option(lib, talk, lang)?;
    if let Some(Pick::Section(k, section)) = Pick::parse(text) {
        let found = lib
            .talk_by_key(k)
            .map(|talk| SectionRef { talk, section })
            .filter(|&r| lib.section(r).is_some());
        return found.ok_or_else(|| Box::new(Reply::notice(Msg::Gone.get(lang))));
    }
    search::resolve_section_in(lib, within, text).ok_or_else(|| {
        Box::new(Reply::notice(&Msg::unknown_topic(
            &escape_markdown(&truncate_chars(text, 100)),
            lang,
        )))
    })
}
