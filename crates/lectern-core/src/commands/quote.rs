//! `/quote [topic:] [talk:] [speaker:] [card:]`: a random quote, from all the talks or from one
//! talk, section or speaker, drawn by the front end's [`Draw`](super::Draw); with `card:`, an
//! image of it attached.

use super::topic::find_topic;
use super::{
    Answer, Context, Opt, OptKind, Options, Outcome, Spec, nonempty, shown, talk_option,
    talk_option_spec,
};
use crate::i18n::{Lang, Msg};
use crate::key::SpeakerKey;
use crate::library::{Library, Lookup, QuoteRef, QuoteScope};
use crate::reply::{self, Reply};

pub(crate) const SPEC: Spec = Spec {
    name: "quote",
    name_zh: ("引语", "引語"),
    description: "A random quote, from all the talks or from one talk, section or speaker",
    description_zh: (
        "随机一句引语，可限定演讲、章节或讲者",
        "隨機一句引語，可限定演講、章節或講者",
    ),
    options: &[
        Opt {
            name: "topic",
            name_zh: ("章节", "章節"),
            description: "Only quotes from this section (optional)",
            description_zh: ("只从这一节抽取（可选）", "只從這一節抽取（可選）"),
            kind: OptKind::Text,
            required: false,
            autocomplete: true,
        },
        talk_option_spec("Only quotes from this talk (optional)"),
        Opt {
            name: "speaker",
            name_zh: ("讲者", "講者"),
            description: "Only this speaker's words (optional)",
            description_zh: ("只抽这位讲者的话（可选）", "只抽這位講者的話（可選）"),
            kind: OptKind::Text,
            required: false,
            autocomplete: true,
        },
        Opt {
            name: "card",
            name_zh: ("卡片", "卡片"),
            description: "Attach the quote as an image (optional)",
            description_zh: ("附上引语的图片卡片（可选）", "附上引語的圖片卡片（可選）"),
            kind: OptKind::Flag,
            required: false,
            autocomplete: false,
        },
        super::delivery::PRIVATE,
        super::delivery::FOR,
    ],
    operators_only: false,
    menu: false,
};

/// `/quote [topic:] [talk:] [speaker:] [card:]`, each a picked value or typed text (and a flag).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quote {
    /// `talk:`: draw only from this talk (an id, or a title, speaker or date).
    pub talk: Option<String>,
    /// `topic:`: draw only from this section (a number or title, within `talk:` when given).
    pub topic: Option<String>,
    /// `speaker:`: draw only this person's words, in the talk of `talk:` or `topic:` when
    /// given; without it, only the talks' speakers are drawn.
    pub speaker: Option<String>,
    /// `card:`: attach the quote as a card, an image of it.
    pub card: bool,
}

impl Quote {
    pub(crate) fn read(options: &dyn Options) -> Quote {
        Quote {
            talk: options.text("talk"),
            topic: options.text("topic"),
            speaker: options.text("speaker"),
            card: options.flag("card").unwrap_or(false),
        }
    }

    /// The scope the options name: a speaker's words (in the talk, or the topic's talk, when
    /// one is given too), a section, a talk, or every quote. `Err` carries the note for an
    /// option that matches nothing or names something gone.
    pub fn scope(&self, lib: &Library, lang: Lang) -> Result<QuoteScope, Box<Reply>> {
        let talk = talk_option(lib, self.talk.as_deref(), lang)?;
        let section = match nonempty(self.topic.as_deref()) {
            Some(t) => Some(find_topic(lib, self.talk.as_deref(), t, lang)?),
            None => None,
        };
        if let Some(text) = nonempty(self.speaker.as_deref()) {
            return match lib.resolve_speaker(text) {
                Lookup::Found(name) => Ok(QuoteScope::Speaker {
                    speaker: SpeakerKey::from_raw(name.key),
                    talk: talk.or(section.map(|r| r.talk)),
                }),
                Lookup::Gone => Err(Box::new(Reply::notice(Msg::Gone.get(lang)))),
                Lookup::NoMatch => Err(Box::new(Reply::notice(&Msg::unknown(
                    Msg::UnknownSpeaker,
                    &shown(text),
                    lang,
                )))),
            };
        }
        Ok(match (section, talk) {
            (Some(r), _) => QuoteScope::Section(r),
            (None, Some(t)) => QuoteScope::Talk(t),
            (None, None) => QuoteScope::All,
        })
    }

    /// The answer, and the quote drawn (none for a note or an empty pool).
    pub fn answer_drawn(&self, cx: &Context<'_>) -> (Answer, Option<QuoteRef>) {
        match self.scope(cx.library, cx.lang) {
            Ok(scope) => {
                let (mut answer, drawn) = draw(cx, scope);
                if self.card
                    && let Some(card) = drawn.and_then(|q| reply::Card::of(cx.library, q))
                {
                    answer.reply = reply::with_card(answer.reply, card);
                }
                (answer, drawn)
            }
            Err(note) => (Answer::notice(*note), None),
        }
    }

    /// The answer: a quote of the scope the options name, or a note when they match nothing
    /// or the pool is empty.
    pub fn answer(&self, cx: &Context<'_>) -> Answer {
        self.answer_drawn(cx).0
    }
}

/// A quote of `scope` drawn by the front end's [`Draw`](super::Draw), as `/quote` and its
/// "another quote" button show it; a notice when the pool is empty.
pub fn draw(cx: &Context<'_>, scope: QuoteScope) -> (Answer, Option<QuoteRef>) {
    let (lib, lang) = (cx.library, cx.lang);
    let pool = scope.pool(lib);
    match cx
        .draw
        .draw(lib, scope, pool.len())
        .and_then(|i| pool.get(i))
    {
        Some(&q) => (
            Answer::new(reply::quote(lib, q, scope, lang), Outcome::Ok),
            Some(q),
        ),
        None => (Answer::notice(Reply::notice(Msg::NoQuotes.get(lang))), None),
    }
}
