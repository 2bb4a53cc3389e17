//! Search over a library: ranked hits with snippets, autocomplete, and fuzzy section lookup.
//!
//! This is the interface the replies, the CLI and the bot call. The ranking behind it is a
//! simple placeholder (substring and edit-distance scoring over titles and text); the real index
//! replaces the inside of [`Index`] without changing these signatures.

use crate::library::{Library, SectionRef};
use crate::model::Talk;
use crate::text::truncate_chars;

/// At most this many autocomplete choices (Discord's limit).
pub const MAX_CHOICES: usize = 25;
/// Longest autocomplete label, in characters (Discord's limit).
pub const MAX_LABEL_CHARS: usize = 100;
/// Longest snippet, in characters.
pub const SNIPPET_CHARS: usize = 160;

/// The search index of a library. Built once per load, never per query.
#[derive(Debug, Default)]
pub struct Index {
    /// Lower-cased searchable text of every section, in `section_refs` order.
    sections: Vec<(SectionRef, String, String)>,
}

impl Index {
    pub fn build(talks: &[Talk]) -> Index {
        let mut sections = Vec::new();
        for (t, talk) in talks.iter().enumerate() {
            for s in &talk.sections {
                sections.push((
                    SectionRef {
                        talk: t,
                        section: s.ordinal,
                    },
                    s.title.to_lowercase(),
                    s.body.to_lowercase(),
                ));
            }
        }
        Index { sections }
    }
}

/// Where a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Section,
    KeyPoint,
    Risk,
    Summary,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub talk: usize,
    /// The section, for section hits.
    pub section: Option<usize>,
    pub kind: HitKind,
    pub score: f32,
    /// At most about [`SNIPPET_CHARS`] characters around the match, the match in bold.
    pub snippet: String,
}

/// The answer to a query: hits, or when nothing matches well, suggestions.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Outcome {
    pub hits: Vec<Hit>,
    /// "Did you mean" sections, only when `hits` is empty.
    pub suggestions: Vec<SectionRef>,
}

/// Searches the library.
pub fn search(lib: &Library, query: &str, limit: usize) -> Outcome {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Outcome::default();
    }
    let mut hits: Vec<Hit> = Vec::new();
    for (r, title, body) in &lib.index().sections {
        let mut score = 0.0;
        if title.contains(&q) {
            score += 3.0;
        }
        score += body.matches(&q).count() as f32;
        if score > 0.0 {
            let (_, section) = lib.section(*r).expect("index refers to its library");
            hits.push(Hit {
                talk: r.talk,
                section: Some(r.section),
                kind: HitKind::Section,
                score,
                snippet: snippet(&section.body, &q),
            });
        }
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits.truncate(limit);
    let suggestions = if hits.is_empty() {
        autocomplete(lib, query)
            .into_iter()
            .take(3)
            .map(|c| c.section)
            .collect()
    } else {
        Vec::new()
    };
    Outcome { hits, suggestions }
}

fn snippet(body: &str, q: &str) -> String {
    let lower = body.to_lowercase();
    // Offsets in the lower-cased text are offsets in the body only where lower-casing kept
    // every byte length; equal total lengths do not prove it (`İ` grows, `ẞ` shrinks), so the
    // match is checked in the body itself before it is marked.
    let end = |pos: usize| pos + q.len();
    match lower.find(q) {
        Some(pos)
            if body
                .get(pos..end(pos))
                .is_some_and(|m| m.to_lowercase() == q) =>
        {
            let start = body[..pos]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            let end = end(pos);
            let text = format!(
                "{}**{}**{}",
                &body[start..pos],
                &body[pos..end],
                &body[end..]
            );
            truncate_chars(&text, SNIPPET_CHARS)
        }
        _ => truncate_chars(body, SNIPPET_CHARS),
    }
}

/// An autocomplete choice: a section and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub section: SectionRef,
    /// `13 · 生物安全与韧性策略`, at most [`MAX_LABEL_CHARS`] characters.
    pub label: String,
}

/// Sections for the text typed so far, best first, at most [`MAX_CHOICES`].
pub fn autocomplete(lib: &Library, typed: &str) -> Vec<Choice> {
    let q = typed.trim().to_lowercase();
    let mut scored: Vec<(f64, SectionRef)> = lib
        .section_refs()
        .filter_map(|r| {
            let (_, s) = lib.section(r)?;
            let title = s.title.to_lowercase();
            let score = if q.is_empty() {
                1.0
            } else if s.number.map(|n| n.to_string()) == Some(q.clone()) {
                10.0
            } else if title.starts_with(&q) {
                5.0
            } else if title.contains(&q) {
                3.0
            } else {
                let sim = strsim::jaro_winkler(&title, &q);
                if sim > 0.7 { sim } else { return None }
            };
            Some((score, r))
        })
        .collect();
    // Stable sort keeps document order among equal scores.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(MAX_CHOICES)
        .filter_map(|(_, r)| {
            let (_, s) = lib.section(r)?;
            Some(Choice {
                section: r,
                label: truncate_chars(&s.label(), MAX_LABEL_CHARS),
            })
        })
        .collect()
}

/// The section a user means by `text`: a number, an exact label or title, or the best fuzzy
/// match of autocomplete.
pub fn resolve_section(lib: &Library, text: &str) -> Option<SectionRef> {
    let t = text.trim().trim_start_matches('§').trim();
    if t.is_empty() {
        return None;
    }
    let exact = lib.section_refs().find(|&r| {
        lib.section(r).is_some_and(|(_, s)| {
            s.label() == t || s.title == t || s.number.is_some_and(|n| n.to_string() == t)
        })
    });
    exact.or_else(|| autocomplete(lib, t).first().map(|c| c.section))
}
