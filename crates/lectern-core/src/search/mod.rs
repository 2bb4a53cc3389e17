//! Search over a library: ranked hits with snippets, autocomplete, and fuzzy section lookup.
//!
//! This is the interface the replies, the CLI and the bot call. Inside:
//! - [`normalize`]: folding shared by index and query (NFKC, case, full-width, traditional →
//!   simplified, Markdown removed);
//! - [`tokenize`]: words (`GPT-6`, `4.5`, `3D` kept usable) and CJK unigrams and bigrams;
//!   English stop words and stems;
//! - [`index`]: the inverted index over every searchable field, built once per load;
//! - [`dict`]: the bilingual dictionary (a CC-CEDICT subset) and the part of it a library uses;
//! - [`expand`]: Chinese segmentation of queries, particles, synonyms, Taiwan vocabulary;
//! - [`pinyin`]: the readings of the library's words, and queries typed in pinyin;
//! - [`rank`]: BM25F with field boosts, typo, dictionary and synonym alternatives, coverage and
//!   the miss threshold;
//! - [`snippet`]: the text around the best match, matches in bold;
//! - [`complete`]: autocomplete and section lookup.
//!
//! Invariants: nothing here knows about Discord; the index is built by [`Index::build`] when a
//! library is made and never per query; a query that matches nothing well returns no hits and
//! at most three suggestions, never weak random hits.

pub mod complete;
pub mod dict;
pub mod expand;
pub mod index;
pub(crate) mod names;
pub mod normalize;
pub mod pinyin;
pub mod rank;
pub mod snippet;
pub mod tokenize;

use rustc_hash::FxHashSet;

pub use complete::{autocomplete, autocomplete_in, resolve_section, resolve_section_in};
pub use index::{Growing, Index};

use crate::model::{Section, SectionRef, Talk};
use rank::{Query, Scored};

/// What search reads: the talks and the index built from them. A `Library` converts into one
/// (`From<&Library>`), so callers pass their library and search never imports it.
#[derive(Debug, Clone, Copy)]
pub struct Corpus<'a> {
    /// The talks, in the order the index numbers them.
    pub talks: &'a [Talk],
    /// The index built from `talks`.
    pub index: &'a Index,
}

impl<'a> Corpus<'a> {
    /// The section `r` points at, with its talk.
    pub fn section(&self, r: SectionRef) -> Option<(&'a Talk, &'a Section)> {
        crate::model::section_at(self.talks, r)
    }

    /// Every section, in order.
    pub fn section_refs(&self) -> impl Iterator<Item = SectionRef> + 'a {
        crate::model::section_refs(self.talks)
    }
}

/// Longest snippet, in characters.
pub const SNIPPET_CHARS: usize = 160;
/// Characters of a query that are read; the rest is ignored. Discord caps options at 6,000
/// characters, and parsing a query compares its terms pairwise.
pub const MAX_QUERY_CHARS: usize = 200;

/// Where a hit was found.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    /// In a section: its title, body or quotes.
    Section,
    /// In one of the key points of the talk's summary.
    KeyPoint,
    /// In one of the risks of the talk's summary.
    Risk,
    /// In the talk as a whole: its title, one-liner, and the quotes that stand in no section.
    Summary,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// Index of the talk in [`Corpus::talks`].
    pub talk: usize,
    /// The section, for section hits.
    pub section: Option<usize>,
    /// Where the match was found.
    pub kind: HitKind,
    /// The ranking score (see [`rank`]): the higher, the better the hit.
    pub score: f32,
    /// At most about [`SNIPPET_CHARS`] characters around the match, the match in bold.
    pub snippet: String,
    /// Share of the query's weight this hit matches (see [`rank`]); at least
    /// [`rank::MIN_COVERAGE`] for every hit returned.
    pub coverage: f32,
    /// Which key point or risk of the talk's summary, for those hits (an index into
    /// [`crate::model::Summary::key_points`] or [`crate::model::Summary::risks`]).
    #[serde(skip)]
    pub item: Option<usize>,
}

/// The answer to a query: hits, or when nothing matches well, suggestions.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// "Did you mean" sections, only when `hits` is empty.
    pub suggestions: Vec<SectionRef>,
}

/// Searches the library.
pub fn search<'a>(lib: impl Into<Corpus<'a>>, query: &str, limit: usize) -> Outcome {
    let lib = lib.into();
    if normalize::compact(query).is_empty() {
        return Outcome::default();
    }
    let (hits, weak) = find_with_weak(lib, query, limit);
    if !hits.is_empty() {
        return Outcome {
            hits,
            suggestions: Vec::new(),
        };
    }
    // Did you mean: titles like the query, then the sections that came closest.
    let mut suggestions: Vec<SectionRef> = complete::title_choices(lib, query)
        .into_iter()
        .map(|c| c.section)
        .collect();
    for s in weak {
        if let Some(section) = lib.index.docs[s.doc as usize].section {
            let r = SectionRef {
                talk: lib.index.docs[s.doc as usize].talk as usize,
                section: section as usize,
            };
            if !suggestions.contains(&r) {
                suggestions.push(r);
            }
        }
    }
    suggestions.truncate(3);
    Outcome {
        hits: Vec::new(),
        suggestions,
    }
}

/// The hits for a query, without suggestions.
pub fn find<'a>(lib: impl Into<Corpus<'a>>, query: &str, limit: usize) -> Vec<Hit> {
    find_with_weak(lib.into(), query, limit).0
}

/// The hits, and when there are none, the best few candidates that were not good enough.
fn find_with_weak(lib: Corpus<'_>, query: &str, limit: usize) -> (Vec<Hit>, Vec<Scored>) {
    let query = match query.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => &query[..cut],
        None => query,
    };
    let index = lib.index;
    let (mut scored, queries) = rank::score_text(index, query, |doc| doc_texts(lib, doc));
    let weak: Vec<Scored> = scored.iter().take(3).copied().collect();
    rank::keep_good(&mut scored, limit);
    if scored.is_empty() {
        return (Vec::new(), weak);
    }
    // Terms worth bolding: exact and typo matches; CJK helpers only if nothing else shows.
    let strong: FxHashSet<u32> = queries
        .iter()
        .flat_map(Query::terms)
        .filter(|(_, f)| *f > rank::UNIGRAM_FACTOR)
        .map(|(id, _)| id)
        .collect();
    let all: FxHashSet<u32> = queries
        .iter()
        .flat_map(Query::terms)
        .map(|(id, _)| id)
        .collect();
    let hits = scored
        .iter()
        .take(limit)
        .map(|s| {
            let doc = &index.docs[s.doc as usize];
            // The body (or item) before the title, and whole terms anywhere before helper
            // characters: `路线图` bolds the title's 路线图, not a lone 线 of the body.
            let texts: Vec<String> = doc_texts(lib, s.doc)
                .iter()
                .rev()
                .map(|t| normalize::plain(t))
                .collect();
            let mut snippet = None;
            'found: for terms in [&strong, &all] {
                for text in &texts {
                    let marks = snippet::marks(index, text, terms);
                    if marks.contains(&true) {
                        snippet = Some(snippet::render(text, &marks));
                        break 'found;
                    }
                }
            }
            let snippet = snippet.unwrap_or_else(|| {
                let text = doc_texts(lib, s.doc).pop().unwrap_or_default();
                snippet::render(&normalize::plain(&text), &[])
            });
            Hit {
                talk: doc.talk as usize,
                section: doc.section.map(|s| s as usize),
                kind: doc.kind,
                score: s.score,
                snippet,
                coverage: s.coverage,
                item: matches!(doc.kind, HitKind::KeyPoint | HitKind::Risk)
                    .then_some(doc.item as usize),
            }
        })
        .collect();
    (hits, Vec::new())
}

/// The texts of a document: the title first, then
/// the text the snippet prefers (a section's body, a summary item).
fn doc_texts(lib: Corpus<'_>, doc: u32) -> Vec<String> {
    let d = &lib.index.docs[doc as usize];
    let Some(talk) = lib.talks.get(d.talk as usize) else {
        return Vec::new();
    };
    match d.kind {
        HitKind::Section => d
            .section
            .and_then(|s| talk.sections.get(s as usize))
            .map(|s| vec![s.title.clone(), s.body.clone()])
            .unwrap_or_default(),
        HitKind::KeyPoint => talk
            .summary
            .key_points
            .get(d.item as usize)
            .cloned()
            .into_iter()
            .collect(),
        HitKind::Risk => talk
            .summary
            .risks
            .get(d.item as usize)
            .cloned()
            .into_iter()
            .collect(),
        HitKind::Summary => {
            let mut v = vec![talk.title.clone()];
            v.extend(talk.summary.one_liner.clone());
            v.extend(
                talk.quotes
                    .iter()
                    .filter(|q| q.section.is_none())
                    .map(|q| q.text.clone()),
            );
            v
        }
    }
}

/// An autocomplete choice: a section and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The section the choice opens.
    pub section: SectionRef,
    /// `13 · 生物安全与韧性策略`, at most [`crate::budget::Budget::choice_label`] characters.
    pub label: String,
}
