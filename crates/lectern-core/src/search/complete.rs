//! Autocomplete and fuzzy section lookup, shared by `/topic`'s autocomplete and its lookup.
//!
//! Ranking, best first: the exact section number, a title (or label) starting with the typed
//! text, a title containing it, a title whose pinyin starts with or holds typed pinyin, a title
//! whose initials start with it (`swaq`), a title sharing most of its character pairs, then the
//! sections of the search hits for the typed text (pinyin included). Ties keep library order. All comparisons are made on
//! text folded by [`compact`], so `13`, `§13`, `韌性` and `ＧＴＭ` all work.

use rustc_hash::FxHashSet;

use super::index::{char_mask, pair_bit};
use super::normalize::compact;
use super::pinyin;
use super::tokenize::{Term, is_stop_en};
use super::{Choice, Corpus, MAX_CHOICES, MAX_LABEL_CHARS};
use crate::model::SectionRef;
use crate::text::truncate_chars;

/// Least share of the typed text's character pairs a title must hold to count as a fuzzy match.
const MIN_PAIR_OVERLAP: f32 = 0.5;

/// Sections for the text typed so far, best first, at most [`MAX_CHOICES`].
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
    if out.len() < MAX_CHOICES && !compact(typed).is_empty() {
        let have: FxHashSet<SectionRef> = out.iter().map(|c| c.section).collect();
        // Within one talk, look further down the hits: other talks' come first.
        let limit = if talk.is_some() { 4 } else { 1 } * MAX_CHOICES;
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
        for r in extra.into_iter().take(MAX_CHOICES - out.len()) {
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
    let mut ranked: Vec<(u8, f32, usize)> = Vec::new();
    if t.is_empty() {
        ranked.extend(
            (0..titles.len())
                .filter(in_scope)
                .take(MAX_CHOICES)
                .map(|i| (0, 0.0, i)),
        );
    } else {
        let typed_pairs = pairs(&t);
        // `13生物` is the number 13 and the title prefix `生物`.
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let typed_number: Option<u32> = t[..digits].parse().ok();
        let after_number = &t[digits..];
        let typed_mask = char_mask(&t);
        let pair_bits: Vec<u64> = typed_pairs.iter().map(|p| pair_mask(p)).collect();
        let typed_chars = Pairs::new(&typed_pairs);
        // Typed pinyin (`shengwu`, `shēngwù`) or initials (`swaq`, at most eight letters), for
        // the titles' pinyin tiers; not an English word of the library or a stop word (`AI`,
        // `can`): English comes first. Other letters (`kubernetes`) skip the tiers, which read
        // every title.
        let typed_pinyin = pinyin::fold_word(&t)
            .filter(|p| {
                p.len() >= 2
                    && (p.len() <= 8 || pinyin::is_pinyin(p))
                    && !is_stop_en(&t)
                    && lib.index.term_id(Term::Word(&t)).is_none()
            })
            .map(|p| {
                let whole = pinyin::is_pinyin(&p);
                (p, whole)
            });
        let need = (typed_pairs.len() as f32 * MIN_PAIR_OVERLAP).ceil() as usize;
        for (i, (r, number, title, mask)) in titles.iter().enumerate() {
            if talk.is_some_and(|t| r.talk != t) {
                continue;
            }
            let same_number = typed_number.is_some() && *number == typed_number;
            let may_contain = typed_mask & !mask == 0;
            let tier = if same_number && after_number.is_empty() {
                7
            } else if (may_contain && title.starts_with(&t))
                || (same_number && title.starts_with(after_number))
            {
                6
            } else if may_contain && title.contains(&t) {
                5
            } else if let Some(tier) = typed_pinyin.as_ref().and_then(|(p, whole)| {
                pinyin_tier(p, *whole, lib.index.title_pinyin.get(i)?.as_ref()?)
            }) {
                tier
            } else {
                // The signature bounds the overlap from above: skip titles that cannot reach it.
                if pair_bits.iter().filter(|&&b| b & mask != 0).count() < need.max(1) {
                    continue;
                }
                let overlap = typed_chars.share_in(title);
                if overlap >= MIN_PAIR_OVERLAP {
                    ranked.push((1, overlap, i));
                }
                continue;
            };
            ranked.push((tier, 0.0, i));
        }
        // Stable: ties keep library order.
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
        ranked.truncate(MAX_CHOICES);
    }
    ranked
        .into_iter()
        .filter_map(|(_, _, i)| choice(lib, talk, titles[i].0))
        .collect()
}

/// How a title spelled in pinyin (`full`, `initials`: [`super::pinyin::Readings::spell`])
/// matches typed pinyin: 4 its pinyin starts with it, 3 holds it, 2 its initials start with
/// it; below the tiers of the title's own text, above the fuzzy tier. Only whole pinyin of
/// three letters or more is looked for inside a title (`huchenghe`): two letters, a syllable
/// cut short (`shengw`) or initials are everywhere inside, and a search for them, run over
/// every title on each miss's did-you-mean, cost a millisecond at 1,000 talks.
fn pinyin_tier(typed: &str, whole: bool, (full, initials): &(String, String)) -> Option<u8> {
    if full.starts_with(typed) {
        Some(4)
    } else if whole && typed.len() >= 3 && full.contains(typed) {
        Some(3)
    } else if initials.starts_with(typed) {
        Some(2)
    } else {
        None
    }
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
        label: truncate_chars(&label, MAX_LABEL_CHARS),
    })
}

/// Neighbouring character pairs of `s` (the single character for a one-character string).
pub(crate) fn pairs(s: &str) -> Vec<String> {
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

/// Share of `typed` pairs found in `title`.
pub(crate) fn overlap(typed: &[String], title: &str) -> f32 {
    Pairs::new(typed).share_in(title)
}

/// The pairs of [`pairs`] as characters, to be looked for in many titles: one walk over a
/// title's characters finds them all, where a substring search per pair sets up a searcher
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
