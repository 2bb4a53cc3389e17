//! Autocomplete and fuzzy section lookup, shared by `/topic`'s autocomplete and its lookup.
//!
//! Ranking, best first: the exact section number, then the tiers of `names::tier` (the
//! one tier function, shared with the talk, speaker and tag lookups) over each title (a title
//! equal to the typed text counts as starting with it), then the sections of the search hits
//! for the typed text (pinyin included). Ties keep library order.

use crate::budget::DISCORD;
use rustc_hash::FxHashSet;

use super::names::{Candidate, Tier, Typed, tier};
use super::normalize::compact;
use super::pinyin;
use super::tokenize::{Term, is_stop_en};
use super::{Choice, Corpus};
use crate::model::SectionRef;
use crate::text::truncate_chars;

/// Sections for the text typed so far, best first, at most [`crate::budget::Budget::choices`].
pub fn autocomplete<'a>(lib: impl Into<Corpus<'a>>, typed: &str) -> Vec<Choice> {
    autocomplete_in(lib, None, typed)
}

/// [`autocomplete`] within one talk (an index into the corpus's talks), or across all of them
/// for `None`. Across several talks each label names its talk (`13 · 标题 · Talk title`), so
/// that two sections of the same title can be told apart.
pub fn autocomplete_in<'a>(
    lib: impl Into<Corpus<'a>>,
    talk: Option<usize>,
    typed: &str,
) -> Vec<Choice> {
    let lib = lib.into();
    let mut out = title_choices_in(lib, talk, typed);
    if out.len() < DISCORD.choices && !compact(typed).is_empty() {
        let have: FxHashSet<SectionRef> = out.iter().map(|c| c.section).collect();
        // Within one talk, look further down the hits: other talks' come first.
        let limit = if talk.is_some() { 4 } else { 1 } * DISCORD.choices;
        let mut extra: Vec<SectionRef> = super::find(lib, typed, limit)
            .iter()
            .filter(|h| talk.is_none_or(|t| t == h.talk))
            .filter_map(|h| {
                h.section.map(|s| SectionRef {
                    talk: h.talk,
                    section: s,
                })
            })
            .filter(|r| !have.contains(r))
            .collect();
        extra.dedup();
        for r in extra.into_iter().take(DISCORD.choices - out.len()) {
            out.extend(choice(lib, talk, r));
        }
    }
    out
}

/// The title tiers of [`autocomplete`] alone (no search): what "did you mean" offers.
pub fn title_choices<'a>(lib: impl Into<Corpus<'a>>, typed: &str) -> Vec<Choice> {
    title_choices_in(lib, None, typed)
}

fn title_choices_in<'a>(
    lib: impl Into<Corpus<'a>>,
    talk: Option<usize>,
    typed: &str,
) -> Vec<Choice> {
    let lib = lib.into();
    let titles = &lib.index.titles;
    let in_scope = |i: &usize| talk.is_none_or(|t| titles[*i].0.talk == t);
    let t = compact(typed.trim().trim_start_matches('§'));
    let mut ranked: Vec<(bool, Tier, f32, usize)> = Vec::new();
    if t.is_empty() {
        ranked.extend(
            (0..titles.len())
                .filter(in_scope)
                .take(DISCORD.choices)
                .map(|i| (false, Tier::Fuzzy, 0.0, i)),
        );
    } else {
        // `13生物` is the number 13 and the title prefix `生物`.
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let typed_number: Option<u32> = t[..digits].parse().ok();
        let after_number = &t[digits..];
        // Typed pinyin (`shengwu`, `shēngwù`) or initials (`swaq`, at most eight letters), for
        // the titles' pinyin tiers; not an English word of the library or a stop word (`AI`,
        // `can`): English comes first. Other letters (`kubernetes`) skip the tiers, which read
        // every title.
        let typed_pinyin = pinyin::fold_word(&t).filter(|p| {
            p.len() >= 2
                && (p.len() <= 8 || pinyin::is_pinyin(p))
                && !is_stop_en(&t)
                && lib.index.term_id(Term::Word(&t)).is_none()
        });
        let typed = Typed::new(&t, typed_pinyin);
        // Per title entry, its tier once worked out; an entry with the same title and pinyin
        // as an earlier one reads the earlier one's.
        let mut tiers: Vec<Option<Option<(Tier, f32)>>> = vec![None; titles.len()];
        for (i, (r, number, title, mask)) in titles.iter().enumerate() {
            if talk.is_some_and(|t| r.talk != t) {
                continue;
            }
            let same_number = typed_number.is_some() && *number == typed_number;
            if same_number && after_number.is_empty() {
                ranked.push((true, Tier::Equal, 0.0, i));
                continue;
            }
            if same_number && title.starts_with(after_number) {
                ranked.push((false, Tier::Prefix, 0.0, i));
                continue;
            }
            let first = lib.index.title_first.get(i).map_or(i, |&f| f as usize);
            let found = match tiers.get(first).copied().flatten() {
                Some(known) => known,
                None => tier(
                    &typed,
                    Candidate {
                        text: title,
                        pinyin: lib.index.title_pinyin.get(i).and_then(Option::as_ref),
                        mask: Some(*mask),
                    },
                ),
            };
            tiers[i] = Some(found);
            if let Some((tier, overlap)) = found {
                // A title equal to the typed text is a prefix of it here: ties keep library order.
                ranked.push((false, tier.min(Tier::Prefix), overlap, i));
            }
        }
        // Stable: ties keep library order.
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.total_cmp(&a.2)));
        ranked.truncate(DISCORD.choices);
    }
    ranked
        .into_iter()
        .filter_map(|(.., i)| choice(lib, talk, titles[i].0))
        .collect()
}

/// The choice of a section; its label names the talk too when the choices range over several.
fn choice(lib: Corpus<'_>, within: Option<usize>, r: SectionRef) -> Option<Choice> {
    let (talk, s) = lib.section(r)?;
    let label = if within.is_none() && lib.talks.len() > 1 {
        format!("{} · {}", s.label(), talk.title)
    } else {
        s.label()
    };
    Some(Choice {
        section: r,
        label: truncate_chars(&label, DISCORD.choice_label),
    })
}

/// The section a user means by `text`: a number, an exact label or title, or the best choice
/// of [`autocomplete`].
pub fn resolve_section<'a>(lib: impl Into<Corpus<'a>>, text: &str) -> Option<SectionRef> {
    resolve_section_in(lib, None, text)
}

/// [`resolve_section`] within one talk, or across all of them for `None`.
pub fn resolve_section_in<'a>(
    lib: impl Into<Corpus<'a>>,
    talk: Option<usize>,
    text: &str,
) -> Option<SectionRef> {
    let lib = lib.into();
    let t = text.trim().trim_start_matches('§').trim();
    if t.is_empty() {
        return None;
    }
    let exact = lib
        .section_refs()
        .filter(|r| talk.is_none_or(|t| r.talk == t))
        .find(|&r| {
            lib.section(r).is_some_and(|(_, s)| {
                s.label() == t || s.title == t || s.number.is_some_and(|n| n.to_string() == t)
            })
        });
    // `/topic 3` in a talk whose sections have no numbers: its third section after the intro,
    // in the first talk that has one.
    let nth = || {
        let n: usize = t.parse().ok()?;
        let talks = lib.talks.iter().enumerate();
        talks
            .filter(|&(i, _)| talk.is_none_or(|t| i == t))
            .find_map(|(i, x)| {
                x.nth_unnumbered(n).map(|s| SectionRef {
                    talk: i,
                    section: s,
                })
            })
    };
    exact
        .or_else(nth)
        .or_else(|| autocomplete_in(lib, talk, t).first().map(|c| c.section))
}
