//! Name matching, for the library's lookups (talks, speakers, tags) and `/topic`'s
//! autocomplete alike: names folded once per load ([`Names`], [`Folded`]), and one function
//! that says how well typed text matches one of them ([`tier`]).
//!
//! The tiers, best first: the name is the typed text, starts with it, holds it; its pinyin
//! starts with typed pinyin, holds it (whole syllables, three letters or more), its initials
//! start with it; it holds at least half of the typed text's character pairs. All comparisons
//! are made on text folded by [`compact`], so `13`, `§13`, `韌性` and `ＧＴＭ` all work.

use super::index::{char_mask, pair_bit};
use super::normalize::compact;
use super::pinyin::{self, Readings};
use crate::key::hash as key;
use crate::model::Talk;

/// Least share of the typed text's character pairs a name must hold to count as a fuzzy match.
pub(crate) const MIN_PAIR_OVERLAP: f32 = 0.5;

/// How well typed text matches a name; later variants are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    /// The name holds at least [`MIN_PAIR_OVERLAP`] of the typed text's character pairs.
    Fuzzy,
    /// The initials of the name's pinyin start with the typed letters (`swaq`).
    PinyinInitials,
    /// The name's pinyin holds the typed pinyin (whole syllables, three letters or more).
    PinyinInside,
    /// The name's pinyin starts with the typed pinyin.
    PinyinPrefix,
    /// The name holds the typed text.
    Inside,
    /// The name starts with the typed text.
    Prefix,
    /// The name is the typed text.
    Equal,
}

/// A name or title folded for matching: its text by [`compact`], its pinyin and initials
/// ([`Readings::spell`]) when it has Chinese.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folded {
    pub(crate) text: String,
    pub(crate) pinyin: Option<(String, String)>,
}

impl Folded {
    pub(crate) fn new(readings: &Readings, name: &str) -> Folded {
        Folded {
            text: compact(name),
            pinyin: readings.spell(name),
        }
    }

    /// Folded text with no pinyin (an id, a date).
    pub(crate) fn plain(name: &str) -> Folded {
        Folded {
            text: compact(name),
            pinyin: None,
        }
    }
}

/// Typed text, folded once for every name it is compared with.
pub(crate) struct Typed {
    text: String,
    /// Its pinyin letters, and whether they are whole syllables; `None` when the caller does
    /// not read it as pinyin.
    pinyin: Option<(String, bool)>,
    pairs: Pairs,
    /// [`char_mask`] of the text, and the [`pair_bit`] of each pair: signatures that rule a
    /// name out before its text is read ([`Candidate::mask`]).
    mask: u64,
    pair_bits: Vec<u64>,
    /// How many pairs a name must hold for [`Tier::Fuzzy`].
    need: usize,
}

impl Typed {
    /// `text` folded (it is folded again by [`compact`]); `pinyin` is the caller's reading of
    /// it as pinyin letters ([`pinyin::fold_word`]), if any.
    pub(crate) fn new(text: &str, pinyin: Option<String>) -> Typed {
        let text = compact(text);
        let pairs = pairs(&text);
        Typed {
            mask: char_mask(&text),
            pair_bits: pairs.iter().map(|p| pair_mask(p)).collect(),
            need: ((pairs.len() as f32 * MIN_PAIR_OVERLAP).ceil() as usize).max(1),
            pairs: Pairs::new(&pairs),
            pinyin: pinyin.map(|p| {
                let whole = pinyin::is_pinyin(&p);
                (p, whole)
            }),
            text,
        }
    }

    /// The folded text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

/// One name as [`tier`] reads it; `mask`, the [`char_mask`] of its text when the caller keeps
/// one, lets names that cannot match be skipped unread.
#[derive(Clone, Copy)]
pub(crate) struct Candidate<'a> {
    pub(crate) text: &'a str,
    pub(crate) pinyin: Option<&'a (String, String)>,
    pub(crate) mask: Option<u64>,
}

impl<'a> From<&'a Folded> for Candidate<'a> {
    fn from(f: &'a Folded) -> Candidate<'a> {
        Candidate {
            text: &f.text,
            pinyin: f.pinyin.as_ref(),
            mask: None,
        }
    }
}

/// How well `typed` matches the name, with the share of pairs for [`Tier::Fuzzy`] (0 for the
/// other tiers); `None` when it does not match. The one tier function of lectern.
pub(crate) fn tier(typed: &Typed, name: Candidate<'_>) -> Option<(Tier, f32)> {
    let t = typed.text.as_str();
    if t.is_empty() {
        return None;
    }
    // The signature bounds the text tiers from above: a name lacking a typed character or pair
    // cannot hold the typed text.
    if name.mask.is_none_or(|m| typed.mask & !m == 0) {
        if name.text == t {
            return Some((Tier::Equal, 0.0));
        } else if name.text.starts_with(t) {
            return Some((Tier::Prefix, 0.0));
        } else if name.text.contains(t) {
            return Some((Tier::Inside, 0.0));
        }
    }
    if let (Some((p, whole)), Some((full, initials))) = (&typed.pinyin, name.pinyin) {
        if full.starts_with(p.as_str()) {
            return Some((Tier::PinyinPrefix, 0.0));
        } else if *whole && p.len() >= 3 && full.contains(p.as_str()) {
            // Only whole pinyin of three letters or more is looked for inside a name: two
            // letters, a syllable cut short (`shengw`) or initials are everywhere inside.
            return Some((Tier::PinyinInside, 0.0));
        } else if initials.starts_with(p.as_str()) {
            return Some((Tier::PinyinInitials, 0.0));
        }
    }
    if let Some(m) = name.mask
        && typed.pair_bits.iter().filter(|&&b| b & m != 0).count() < typed.need
    {
        return None;
    }
    let overlap = typed.pairs.share_in(name.text);
    (overlap >= MIN_PAIR_OVERLAP).then_some((Tier::Fuzzy, overlap))
}

/// Neighbouring character pairs of `s` (the single character for a one-character string).
fn pairs(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() == 1 {
        return vec![s.to_string()];
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The [`char_mask`] bit of a pair (or of a single character).
fn pair_mask(pair: &str) -> u64 {
    let mut cs = pair.chars();
    match (cs.next(), cs.next()) {
        (Some(a), Some(b)) => 1 << pair_bit(a, b),
        _ => char_mask(pair),
    }
}

/// The pairs of [`pairs`] as characters, to be looked for in many names: one walk over a
/// name's characters finds them all, where a substring search per pair sets up a searcher
/// each time (a miss offers "did you mean" titles, which compares every title of the library).
struct Pairs {
    /// Each pair's first character, and its second (none for a lone character).
    chars: Vec<(char, Option<char>)>,
}

impl Pairs {
    fn new(typed: &[String]) -> Pairs {
        let chars = typed
            .iter()
            .filter_map(|p| {
                let mut cs = p.chars();
                Some((cs.next()?, cs.next()))
            })
            .collect();
        Pairs { chars }
    }

    /// Share of the pairs found in `title` (each counted once however often it occurs).
    fn share_in(&self, title: &str) -> f32 {
        let n = self.chars.len();
        if n == 0 {
            return 0.0;
        }
        // One bit per pair in a word of 64 bits, or a flag per pair for longer typed text.
        let mut word = 0u64;
        let mut flags = vec![false; if n > 64 { n } else { 0 }];
        let mut prev: Option<char> = None;
        for c in title.chars() {
            for (i, &(a, b)) in self.chars.iter().enumerate() {
                let hit = match b {
                    Some(b) => prev == Some(a) && c == b,
                    None => c == a,
                };
                if hit {
                    match flags.get_mut(i) {
                        Some(f) => *f = true,
                        None => word |= 1 << i,
                    }
                }
            }
            prev = Some(c);
        }
        let found = word.count_ones() as usize + flags.iter().filter(|&&f| f).count();
        found as f32 / n as f32
    }
}

/// A name shared by talks: a speaker or a tag, with its key and folded forms.
#[derive(Debug, Clone)]
pub struct Name {
    /// The name as the write-ups give it, trimmed; each name once, in the order first met.
    pub name: String,
    /// Its key ([`crate::key::SpeakerKey`] or [`crate::key::TagKey`] of the name), as picks carry it.
    pub key: u64,
    /// The name folded, with its pinyin.
    pub(crate) folded: Folded,
}

/// What the talk lookups and autocomplete compare, folded once per load: each talk's title,
/// id, speakers, date and tags; and every speaker and tag of the library; with the pinyin of
/// those that have Chinese.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Per talk: the folded title first, then the id, speakers, date and tags.
    pub(crate) talks: Vec<Vec<Folded>>,
    pub(crate) speakers: Vec<Name>,
    pub(crate) tags: Vec<Name>,
}

impl Names {
    pub(crate) fn build(talks: &[Talk], readings: &Readings) -> Names {
        let mut names = Names::default();
        let add = |list: &mut Vec<Name>, seen: &mut rustc_hash::FxHashSet<u64>, n: &str| {
            let n = n.trim();
            if !n.is_empty() && seen.insert(key(n)) {
                list.push(Name {
                    name: n.to_string(),
                    key: key(n),
                    folded: Folded::new(readings, n),
                });
            }
        };
        let (mut seen_speakers, mut seen_tags) = Default::default();
        for talk in talks {
            let mut folded = vec![Folded::new(readings, &talk.title), Folded::plain(&talk.id)];
            folded.extend(talk.meta.speakers.iter().map(|s| Folded::new(readings, s)));
            folded.extend(talk.meta.date.iter().map(|d| Folded::plain(d)));
            folded.extend(talk.meta.tags.iter().map(|t| Folded::new(readings, t)));
            names.talks.push(folded);
            for s in &talk.meta.speakers {
                add(&mut names.speakers, &mut seen_speakers, s);
            }
            for q in &talk.quotes {
                if let Some(s) = &q.speaker {
                    add(&mut names.speakers, &mut seen_speakers, s);
                }
            }
            for t in talk.meta.tags.iter().chain(&talk.related) {
                add(&mut names.tags, &mut seen_tags, t);
            }
        }
        names
    }
}

/// The indices of `candidates` that match `typed`, best first (ties in order), at most
/// `max`; every candidate, in order, for empty text. `names(i)` are the folded names of
/// candidate `i`, the first of which (a talk's title) wins ties of tier.
pub(crate) fn rank_names<'a>(
    typed: &str,
    candidates: usize,
    names: impl Fn(usize) -> &'a [Folded],
    max: usize,
) -> Vec<usize> {
    let typed = typed.trim();
    // Letters read as pinyin too (`shēngwù`, `lvse`, `huchenghe`).
    let typed = Typed::new(typed, pinyin::fold_word(&compact(typed)));
    if typed.text().is_empty() {
        return (0..candidates.min(max)).collect();
    }
    let mut ranked: Vec<(Tier, bool, f32, usize)> = (0..candidates)
        .filter_map(|i| {
            let names = names(i);
            let tiers: Vec<Option<(Tier, f32)>> =
                names.iter().map(|n| tier(&typed, n.into())).collect();
            let best = tiers
                .iter()
                .flatten()
                .copied()
                .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))?;
            let first = tiers
                .first()
                .copied()
                .flatten()
                .is_some_and(|f| f.0 == best.0);
            Some((best.0, first, best.1, i))
        })
        .collect();
    // Stable: ties keep library order.
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.total_cmp(&a.2)));
    ranked.into_iter().take(max).map(|(.., i)| i).collect()
}
