//! What an [`Action`] is written as, in a button's id or a select option's value, and read
//! back: the `<action>` part of the `custom_id` format (its envelope, the version tag and the
//! 100-character proof are the Discord adapter's, `lectern_discord::custom_id`).
//!
//! `<action>` is `s.<talk>.<section>.<page>` (a page of a section), `q` (a quote from the whole
//! pool), `q.<talk>.<section>` (a quote from one section), `q.<talk>` (a quote from one talk),
//! `p.<speaker>` or `p.<speaker>.<talk>` (a quote of one speaker, from all the talks or one),
//! `l.<page>` or `l.<page>.<tag>` (a page of the list of talks, all or those with one tag) or
//! `c.<talk>.<page>` (a page of a talk's sections), `y` (post this private answer to the channel),
//! `d` (delete this answer) or `k.<talk>.<quote>` (one quote as a card, the quote by its
//! [`QuoteKey`]). Talks, speakers and tags are their keys
//! ([`crate::key`], 16 hex digits); sections and pages are lowercase hex. The kinds after
//! `q.<talk>.<section>` were added without changing the older ones, which read as they always
//! have.
//!
//! Invariants: decoding never panics and rejects anything it did not write; a key that no
//! loaded talk, speaker or tag has any more resolves to `None` ([`resolve`]), and the caller
//! answers politely.

use super::Action;
use crate::key::{self, QuoteKey, SpeakerKey, TagKey, TalkKey};
use crate::library::{Library, Name};

/// What an action points at, by keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A page of a section (`s.<talk>.<section>.<page>`).
    Section {
        /// The talk's key.
        talk: TalkKey,
        /// The section's position in the talk.
        section: usize,
        /// The page of the section, from 0.
        page: usize,
    },
    /// A quote from the whole pool (`q`) or from one section (`q.<talk>.<section>`).
    Quote {
        /// The talk's key and the section's position in it; `None` for the whole pool.
        within: Option<(TalkKey, usize)>,
    },
    /// A quote from one talk.
    QuoteTalk {
        /// The talk's key.
        talk: TalkKey,
    },
    /// A quote of one speaker, from one talk or all.
    QuoteBy {
        /// The speaker's key.
        speaker: SpeakerKey,
        /// The talk's key; `None` for all the talks.
        talk: Option<TalkKey>,
    },
    /// A page of the list of talks, those with one tag or all.
    Talks {
        /// The page of the list, from 0.
        page: usize,
        /// The tag's key; `None` for every talk.
        tag: Option<TagKey>,
    },
    /// A page of a talk's sections.
    Contents {
        /// The talk's key.
        talk: TalkKey,
        /// The page of the list of sections, from 0.
        page: usize,
    },
    /// Post the private message the button is on to the channel (`y`).
    Share,
    /// Delete the message the button is on (`d`).
    Delete,
    /// One quote, as a card.
    Card {
        /// The talk's key.
        talk: TalkKey,
        /// The quote's key.
        quote: QuoteKey,
    },
}

/// The `<action>` of `action`.
pub fn encode(action: &Action) -> String {
    let talk = |id: &str| TalkKey::of(id);
    match action {
        Action::Section {
            talk: id,
            section,
            page,
        } => format!("s.{}.{section:x}.{page:x}", talk(id)),
        Action::Quote {
            talk: Some(id),
            section: Some(section),
        } => format!("q.{}.{section:x}", talk(id)),
        Action::Quote {
            talk: Some(id),
            section: None,
        } => format!("q.{}", talk(id)),
        Action::Quote { .. } => "q".to_string(),
        Action::QuoteBy { speaker, talk: id } => match id {
            Some(id) => format!("p.{}.{}", SpeakerKey::of(speaker), talk(id)),
            None => format!("p.{}", SpeakerKey::of(speaker)),
        },
        Action::Talks { page, tag } => match tag {
            Some(tag) => format!("l.{page:x}.{}", TagKey::of(tag)),
            None => format!("l.{page:x}"),
        },
        Action::Contents { talk: id, page } => format!("c.{}.{page:x}", talk(id)),
        Action::Share => "y".to_string(),
        Action::Delete => "d".to_string(),
        Action::Card { talk: id, quote } => format!("k.{}.{quote}", talk(id)),
    }
}

/// Reads an `<action>` [`encode`] wrote; `None` for anything else.
pub fn decode(s: &str) -> Option<Target> {
    let parts: Vec<&str> = s.split('.').collect();
    let n = key::index;
    match parts.as_slice() {
        ["s", talk, section, page] => Some(Target::Section {
            talk: TalkKey::parse(talk)?,
            section: n(section)?,
            page: n(page)?,
        }),
        ["q"] => Some(Target::Quote { within: None }),
        ["q", talk, section] => Some(Target::Quote {
            within: Some((TalkKey::parse(talk)?, n(section)?)),
        }),
        ["q", talk] => Some(Target::QuoteTalk {
            talk: TalkKey::parse(talk)?,
        }),
        ["p", speaker] => Some(Target::QuoteBy {
            speaker: SpeakerKey::parse(speaker)?,
            talk: None,
        }),
        ["p", speaker, talk] => Some(Target::QuoteBy {
            speaker: SpeakerKey::parse(speaker)?,
            talk: Some(TalkKey::parse(talk)?),
        }),
        ["l", page] => Some(Target::Talks {
            page: n(page)?,
            tag: None,
        }),
        ["l", page, tag] => Some(Target::Talks {
            page: n(page)?,
            tag: Some(TagKey::parse(tag)?),
        }),
        ["c", talk, page] => Some(Target::Contents {
            talk: TalkKey::parse(talk)?,
            page: n(page)?,
        }),
        ["y"] => Some(Target::Share),
        ["d"] => Some(Target::Delete),
        ["k", talk, quote] => Some(Target::Card {
            talk: TalkKey::parse(talk)?,
            quote: QuoteKey::parse(quote)?,
        }),
        _ => None,
    }
}

/// The action a target means in this library, or `None` when its talk (or speaker, or tag) is
/// gone.
pub fn resolve(lib: &Library, target: Target) -> Option<Action> {
    let talk_id = |k: TalkKey| lib.talk_by_key(k).map(|t| lib.talks()[t].id.clone());
    let talk_of = |k: Option<TalkKey>| match k {
        Some(k) => talk_id(k).map(Some),
        None => Some(None),
    };
    Some(match target {
        Target::Section {
            talk,
            section,
            page,
        } => Action::Section {
            talk: talk_id(talk)?,
            section,
            page,
        },
        Target::Quote { within: None } => Action::Quote {
            talk: None,
            section: None,
        },
        Target::Quote {
            within: Some((talk, section)),
        } => Action::Quote {
            talk: Some(talk_id(talk)?),
            section: Some(section),
        },
        Target::QuoteTalk { talk } => Action::Quote {
            talk: Some(talk_id(talk)?),
            section: None,
        },
        Target::QuoteBy { speaker, talk } => Action::QuoteBy {
            speaker: name_of(lib.speakers(), speaker.get())?,
            talk: talk_of(talk)?,
        },
        Target::Talks { page, tag } => Action::Talks {
            page,
            tag: match tag {
                Some(t) => Some(name_of(lib.tags(), t.get())?),
                None => None,
            },
        },
        Target::Contents { talk, page } => Action::Contents {
            talk: talk_id(talk)?,
            page,
        },
        Target::Share => Action::Share,
        Target::Delete => Action::Delete,
        Target::Card { talk, quote } => Action::Card {
            talk: talk_id(talk)?,
            quote,
        },
    })
}

/// The name whose key is `key` in `names`.
fn name_of(names: &[Name], key: u64) -> Option<String> {
    names.iter().find(|n| n.key == key).map(|n| n.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Actions and the `<action>`s today's format writes for them, as the encoder of the
    /// release before this module wrote them (copied from its output): ids on messages already
    /// posted must keep reading as they did.
    const WRITTEN: &[(&str, &str)] = &[
        ("section 12 page 1", "s.ebbf124b7760b17e.c.1"),
        ("section 0 page 0", "s.ebbf124b7760b17e.0.0"),
        ("quote from all", "q"),
        ("quote from section 4", "q.ebbf124b7760b17e.4"),
        ("quote from the talk", "q.ebbf124b7760b17e"),
        ("quote by Sam Altman", "p.0010f9c669f49f49"),
        (
            "quote by Sam Altman in the talk",
            "p.0010f9c669f49f49.ebbf124b7760b17e",
        ),
        ("talks page 0", "l.0"),
        ("talks tagged AI page 17", "l.11.09085b07b5a0de5f"),
        ("contents page 2", "c.ebbf124b7760b17e.2"),
    ];

    #[test]
    fn a_card_names_its_talk_and_its_quote_by_keys() {
        let talk = TalkKey::of(TALK);
        let quote = QuoteKey::of_quote(talk, "软件的成本会下降");
        let written = encode(&Action::Card {
            talk: TALK.into(),
            quote,
        });
        assert_eq!(written, format!("k.{talk}.{quote}"));
        assert_eq!(decode(&written), Some(Target::Card { talk, quote }));
        for bad in ["k", "k.ebbf124b7760b17e", "k.ebbf124b7760b17e.12", "k.x.y"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    const TALK: &str = "2026-01-27-sam-altman-developer-townhall";

    fn action(what: &str) -> Action {
        let t = || TALK.to_string();
        match what {
            "section 12 page 1" => Action::Section {
                talk: t(),
                section: 12,
                page: 1,
            },
            "section 0 page 0" => Action::Section {
                talk: t(),
                section: 0,
                page: 0,
            },
            "quote from all" => Action::Quote {
                talk: None,
                section: None,
            },
            "quote from section 4" => Action::Quote {
                talk: Some(t()),
                section: Some(4),
            },
            "quote from the talk" => Action::Quote {
                talk: Some(t()),
                section: None,
            },
            "quote by Sam Altman" => Action::QuoteBy {
                speaker: "Sam Altman".into(),
                talk: None,
            },
            "quote by Sam Altman in the talk" => Action::QuoteBy {
                speaker: "Sam Altman".into(),
                talk: Some(t()),
            },
            "talks page 0" => Action::Talks { page: 0, tag: None },
            "talks tagged AI page 17" => Action::Talks {
                page: 17,
                tag: Some("AI".into()),
            },
            "contents page 2" => Action::Contents { talk: t(), page: 2 },
            other => panic!("{other}"),
        }
    }

    #[test]
    fn the_encoder_writes_what_the_last_release_wrote_and_its_ids_still_read() {
        let talk = TalkKey::of(TALK);
        for &(what, written) in WRITTEN {
            assert_eq!(encode(&action(what)), written, "{what}");
            assert!(decode(written).is_some(), "{what}");
        }
        assert_eq!(
            decode("s.ebbf124b7760b17e.c.1"),
            Some(Target::Section {
                talk,
                section: 12,
                page: 1
            })
        );
        assert_eq!(
            decode("p.0010f9c669f49f49.ebbf124b7760b17e"),
            Some(Target::QuoteBy {
                speaker: SpeakerKey::of("Sam Altman"),
                talk: Some(talk)
            })
        );
        assert_eq!(
            decode("l.11.09085b07b5a0de5f"),
            Some(Target::Talks {
                page: 17,
                tag: Some(TagKey::of("AI"))
            })
        );
    }

    #[test]
    fn what_it_did_not_write_is_rejected() {
        for bad in [
            "",
            "x",
            "s.ebbf124b7760b17e.c",
            "s.EBBF124B7760B17E.c.1",
            "s.ebbf124b7760b17.c.1",
            "s.ebbf124b7760b17e.+c.1",
            "q.ebbf124b7760b17e.4.5",
            "l.",
            "c.ebbf124b7760b17e",
            "p.0010f9c669f49f49.ebbf124b7760b17e.1",
            "d.1",
            "y.ebbf124b7760b17e",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
