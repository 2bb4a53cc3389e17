//! What a user names, found in the library: a picked autocomplete value ([`Pick`]), a talk,
//! a speaker or a tag by text (through `search/names.rs`), and what a quote is drawn
//! from ([`QuoteScope`]).

use super::{Library, talk_line};
use crate::budget::DISCORD;
use crate::key::{SpeakerKey, TagKey, TalkKey};
use crate::model::{QuoteRef, SectionRef, Talk};
use crate::search::names::{Name, rank_names};

/// What a quote is drawn from: the one place that decides it, for `/quote`, its "another"
/// button and `lectern ask quote`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteScope {
    /// Every quote of every talk.
    All,
    /// The quotes of one section.
    Section(SectionRef),
    /// The quotes of one talk (an index into the library's talks).
    Talk(usize),
    /// The words of one speaker (the [`crate::key::hash`] of their name), in one talk or in all. Unlike the
    /// other scopes it is not limited to each talk's own speakers: whoever is named, a
    /// questioner as well, is drawn from.
    Speaker {
        /// The speaker, by the key of their name.
        speaker: SpeakerKey,
        /// Only this talk (an index into the library's talks), or every talk.
        talk: Option<usize>,
    },
}

impl QuoteScope {
    /// The scope a button names: a talk id and a section ordinal, a talk id alone, or neither
    /// for all quotes. `None` when the talk or section is no longer in `lib`.
    pub fn from_ids(lib: &Library, talk: Option<&str>, section: Option<usize>) -> Option<Self> {
        match (talk, section) {
            (Some(id), Some(section)) => {
                let (talk, _) = lib.talk_by_id(id)?;
                let r = SectionRef { talk, section };
                lib.section(r).map(|_| QuoteScope::Section(r))
            }
            (Some(id), None) => Some(QuoteScope::Talk(lib.talk_by_id(id)?.0)),
            _ => Some(QuoteScope::All),
        }
    }

    /// The section the scope is limited to, if any.
    pub fn section(self) -> Option<SectionRef> {
        match self {
            QuoteScope::Section(r) => Some(r),
            QuoteScope::All | QuoteScope::Talk(_) | QuoteScope::Speaker { .. } => None,
        }
    }

    /// The talk the scope is limited to, if any.
    pub fn talk(self) -> Option<usize> {
        match self {
            QuoteScope::All => None,
            QuoteScope::Section(r) => Some(r.talk),
            QuoteScope::Talk(t) => Some(t),
            QuoteScope::Speaker { talk, .. } => talk,
        }
    }

    /// The quotes in the scope, in library order: the words of each talk's own speakers
    /// ([`Talk::is_speakers_own`]), not those of questioners or of people they report; or,
    /// for [`QuoteScope::Speaker`], every quote given to that speaker.
    pub fn pool(self, lib: &Library) -> Vec<QuoteRef> {
        let talks = match self.talk() {
            None => 0..lib.talks.len(),
            Some(t) => t..(t + 1).min(lib.talks.len()),
        };
        let mut pool = Vec::new();
        for t in talks {
            let talk = &lib.talks[t];
            for (i, q) in talk.quotes.iter().enumerate() {
                let in_scope = match self {
                    QuoteScope::All | QuoteScope::Talk(_) => talk.is_speakers_own(q),
                    QuoteScope::Section(r) => {
                        q.section == Some(r.section) && talk.is_speakers_own(q)
                    }
                    QuoteScope::Speaker { speaker, .. } => {
                        q.speaker.as_deref().map(SpeakerKey::of) == Some(speaker)
                    }
                };
                if in_scope {
                    pool.push(QuoteRef { talk: t, quote: i });
                }
            }
        }
        pool
    }
}

/// What an autocomplete choice names, by stable keys: its value is [`Pick::value`], which
/// [`Pick::parse`] reads back. A value names one thing even when two talks have a section of
/// the same title, stays short (at most 38 characters) whatever the names, and still means the
/// same thing after a reload, or nothing (then the command says so politely).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// `#t.<talk key>`.
    Talk(TalkKey),
    /// `#s.<talk key>.<section ordinal>`.
    Section(TalkKey, usize),
    /// `#p.<speaker key>`.
    Speaker(SpeakerKey),
    /// `#g.<tag key>`.
    Tag(TagKey),
}

impl Pick {
    /// The choice's value: keys in 16 lowercase hex digits, the ordinal in hex.
    pub fn value(self) -> String {
        match self {
            Pick::Talk(k) => format!("#t.{k}"),
            Pick::Section(k, s) => format!("#s.{k}.{s:x}"),
            Pick::Speaker(k) => format!("#p.{k}"),
            Pick::Tag(k) => format!("#g.{k}"),
        }
    }

    /// Reads a value [`Pick::value`] wrote; `None` for anything else (text a user typed).
    pub fn parse(text: &str) -> Option<Pick> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        match parts.as_slice() {
            ["#t", k] => Some(Pick::Talk(TalkKey::parse(k)?)),
            ["#p", k] => Some(Pick::Speaker(SpeakerKey::parse(k)?)),
            ["#g", k] => Some(Pick::Tag(TagKey::parse(k)?)),
            ["#s", k, s] => Some(Pick::Section(TalkKey::parse(k)?, crate::key::index(s)?)),
            _ => None,
        }
    }
}

/// What a name a user gave (typed, or picked from autocomplete) comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<T> {
    /// What the name means in this library.
    Found(T),
    /// A picked value whose target the library no longer has (a reload removed it).
    Gone,
    /// Typed text that matches nothing.
    NoMatch,
}

/// An autocomplete choice of a talk, a speaker or a tag: a label and the value to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameChoice {
    /// At most [`crate::budget::Budget::choice_label`] characters.
    pub label: String,
    /// [`Pick::value`].
    pub value: String,
}

impl Library {
    /// The talk whose id is `id`, with its index.
    pub fn talk_by_id(&self, id: &str) -> Option<(usize, &Talk)> {
        let t = self.talk_by_key(TalkKey::of(id))?;
        let talk = &self.talks[t];
        (talk.id == id).then_some((t, talk))
    }

    /// The talk whose id has the key `k` (a lookup in the map built with the library).
    pub fn talk_by_key(&self, k: TalkKey) -> Option<usize> {
        self.by_key.get(&k).copied()
    }

    /// The talk a user means by `text`: a picked value ([`Pick::Talk`]), an id, else the best
    /// of [`Library::talk_choices`] (a title, a speaker, a date, fuzzily).
    pub fn resolve_talk(&self, text: &str) -> Lookup<usize> {
        let text = text.trim();
        if let Some(pick) = Pick::parse(text) {
            return match pick {
                Pick::Talk(k) | Pick::Section(k, _) => {
                    self.talk_by_key(k).map_or(Lookup::Gone, Lookup::Found)
                }
                Pick::Speaker(_) | Pick::Tag(_) => Lookup::NoMatch,
            };
        }
        if text.is_empty() {
            return Lookup::NoMatch;
        }
        if let Some((t, _)) = self.talk_by_id(text) {
            return Lookup::Found(t);
        }
        let best = rank_names(
            text,
            self.talks.len(),
            |i| self.names.talks[i].as_slice(),
            1,
        );
        best.first().map_or(Lookup::NoMatch, |&t| Lookup::Found(t))
    }

    /// Talks for the text typed so far (titles, ids, speakers, dates and tags, fuzzily), best
    /// first, at most `max`: each labelled with its title, main speaker and date.
    pub fn talk_choices(&self, typed: &str, max: usize) -> Vec<NameChoice> {
        rank_names(
            typed,
            self.talks.len(),
            |i| self.names.talks[i].as_slice(),
            max,
        )
        .into_iter()
        .map(|t| {
            let talk = &self.talks[t];
            NameChoice {
                label: crate::text::truncate_chars(&talk_line(talk), DISCORD.choice_label),
                value: Pick::Talk(TalkKey::of(&talk.id)).value(),
            }
        })
        .collect()
    }

    /// Whether talk `t` carries the tag `tag` (among its tags or related topics).
    pub fn has_tag(&self, t: usize, tag: &str) -> bool {
        self.talks.get(t).is_some_and(|talk| {
            talk.meta
                .tags
                .iter()
                .chain(&talk.related)
                .any(|x| x.trim() == tag)
        })
    }

    /// Every speaker of the library (the talks' speakers and whoever quotes are given to), in
    /// order of first appearance.
    pub fn speakers(&self) -> &[Name] {
        &self.names.speakers
    }

    /// Every tag of the library (the talks' tags and related topics), in order of first
    /// appearance.
    pub fn tags(&self) -> &[Name] {
        &self.names.tags
    }

    /// The speaker a user means: a picked value, else the best of the speaker choices.
    pub fn resolve_speaker(&self, text: &str) -> Lookup<&Name> {
        resolve_name(&self.names.speakers, text, |p| match p {
            Pick::Speaker(k) => Some(k.get()),
            _ => None,
        })
    }

    /// The tag a user means: a picked value, else the best of the tag choices.
    pub fn resolve_tag(&self, text: &str) -> Lookup<&Name> {
        resolve_name(&self.names.tags, text, |p| match p {
            Pick::Tag(k) => Some(k.get()),
            _ => None,
        })
    }

    /// Speakers for the text typed so far, best first, at most `max`.
    pub fn speaker_choices(&self, typed: &str, max: usize) -> Vec<NameChoice> {
        name_choices(&self.names.speakers, typed, max, |k| {
            Pick::Speaker(SpeakerKey::from_raw(k))
        })
    }

    /// Tags for the text typed so far, best first, at most `max`.
    pub fn tag_choices(&self, typed: &str, max: usize) -> Vec<NameChoice> {
        name_choices(&self.names.tags, typed, max, |k| {
            Pick::Tag(TagKey::from_raw(k))
        })
    }
}

fn resolve_name<'a>(
    list: &'a [Name],
    text: &str,
    key_of: impl Fn(Pick) -> Option<u64>,
) -> Lookup<&'a Name> {
    if let Some(pick) = Pick::parse(text) {
        return match key_of(pick) {
            Some(k) => list
                .iter()
                .find(|n| n.key == k)
                .map_or(Lookup::Gone, Lookup::Found),
            None => Lookup::NoMatch,
        };
    }
    let best = rank_names(
        text,
        list.len(),
        |i| std::slice::from_ref(&list[i].folded),
        1,
    );
    match best.first() {
        Some(&i) if !text.trim().is_empty() => Lookup::Found(&list[i]),
        _ => Lookup::NoMatch,
    }
}

fn name_choices(list: &[Name], typed: &str, max: usize, pick: fn(u64) -> Pick) -> Vec<NameChoice> {
    rank_names(
        typed,
        list.len(),
        |i| std::slice::from_ref(&list[i].folded),
        max,
    )
    .into_iter()
    .map(|i| NameChoice {
        label: crate::text::truncate_chars(&list[i].name, DISCORD.choice_label),
        value: pick(list[i].key).value(),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_talk;

    #[test]
    fn picks_round_trip_and_typed_text_is_no_pick() {
        let long = "演讲".repeat(500);
        for pick in [
            Pick::Talk(TalkKey::of(&long)),
            Pick::Section(TalkKey::from_raw(u64::MAX), usize::MAX),
            Pick::Speaker(SpeakerKey::from_raw(0)),
            Pick::Tag(TagKey::of("ops")),
        ] {
            let value = pick.value();
            assert!(value.chars().count() <= 38, "{value}");
            assert_eq!(Pick::parse(&value), Some(pick));
        }
        for typed in [
            "13",
            "#t",
            "#t.12",
            "#s.0123456789abcdef",
            "#s.0123456789abcdef.+1",
        ] {
            assert_eq!(Pick::parse(typed), None, "{typed}");
        }
    }

    #[test]
    fn talks_speakers_and_tags_resolve_from_ids_names_and_fuzzy_text() {
        let talk = |id: &str, title: &str, speaker: &str, tag: &str| {
            let (mut t, _) = parse_talk(id, &format!("# {title}\n\n## 1. One\n\nText.\n"));
            t.meta.speakers = vec![speaker.into()];
            t.meta.tags = vec![tag.into()];
            t
        };
        let lib = Library::from_talks(vec![
            talk("a", "Building Reliable Systems", "Ada Lovelace", "rust"),
            talk("b", "Operating at Scale", "Grace Hopper", "ops"),
        ]);
        assert_eq!(lib.resolve_talk("b"), Lookup::Found(1));
        assert_eq!(lib.resolve_talk("operating"), Lookup::Found(1));
        assert_eq!(lib.resolve_talk("hopper"), Lookup::Found(1));
        assert_eq!(
            lib.resolve_talk(&Pick::Talk(TalkKey::of("a")).value()),
            Lookup::Found(0)
        );
        assert_eq!(
            lib.resolve_talk(&Pick::Talk(TalkKey::of("gone")).value()),
            Lookup::Gone
        );
        assert_eq!(lib.resolve_talk("qqqq zzzz"), Lookup::NoMatch);
        let speaker = |t: &str| match lib.resolve_speaker(t) {
            Lookup::Found(n) => Some(n.name.clone()),
            _ => None,
        };
        assert_eq!(speaker("grace").as_deref(), Some("Grace Hopper"));
        assert_eq!(
            speaker(&Pick::Speaker(SpeakerKey::of("Ada Lovelace")).value()).as_deref(),
            Some("Ada Lovelace")
        );
        assert!(matches!(
            lib.resolve_tag(&Pick::Tag(TagKey::of("gone")).value()),
            Lookup::Gone
        ));
        assert!(lib.has_tag(1, "ops") && !lib.has_tag(0, "ops"));
        let labels: Vec<String> = lib
            .talk_choices("", 25)
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(
            labels,
            [
                "Building Reliable Systems · Ada Lovelace",
                "Operating at Scale · Grace Hopper"
            ]
        );
    }
}
