//! The `--json` views of `lectern ask`: the README's "`--json` output" contract, field by field.
//!
//! Each view is its own `Serialize` struct that borrows from the library and names every field
//! it prints, so that renaming a field of the model (or of a search hit) cannot change what
//! scripts read: it breaks the build here instead. Enumerations are spelled out as strings
//! with exhaustive matches ([`quote_kind`], [`hit_kind`]) for the same reason.
//!
//! [`render`] prints a view the way `lectern ask --json` always has: pretty-printed, with the
//! keys of every object in alphabetical order.

use serde::Serialize;

use crate::library::{Library, QuoteRef, SectionRef};
use crate::model::{Image, Meta, QuoteKind, Section, Summary, Talk};
use crate::reply;
use crate::search::{HitKind, Outcome};

/// The data behind one answer of `lectern ask`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum View<'a> {
    Topics(TopicsView<'a>),
    Topic(TopicView<'a>),
    Quote(QuoteView<'a>),
    Quotes(QuotesView<'a>),
    Search(SearchView<'a>),
    About(AboutView<'a>),
}

/// Prints a view as `lectern ask --json` does.
///
/// The view goes through [`serde_json::Value`], whose objects keep their keys sorted: the
/// output has listed keys alphabetically since the first release, and `score` (an `f32` in
/// the index) is printed at `f64` precision through it.
pub fn render(view: &View) -> serde_json::Result<String> {
    let value = serde_json::to_value(view)?;
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}

// ---------------------------------------------------------------------------------------------
// ask topics

/// `{"talks": [...]}`.
#[derive(Debug, Serialize)]
pub struct TopicsView<'a> {
    pub talks: Vec<TalkView<'a>>,
}

/// `{"id", "title", "meta", "summary", "sections", "related"}`.
#[derive(Debug, Serialize)]
pub struct TalkView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub meta: MetaView<'a>,
    pub summary: SummaryView<'a>,
    pub sections: Vec<SectionHeading<'a>>,
    pub related: &'a [String],
}

/// `{"source", "date", "author", "speakers", "tags"}`: `author` is the writer only,
/// `speakers` the people who spoke, main speaker first.
#[derive(Debug, Serialize)]
pub struct MetaView<'a> {
    pub source: Option<&'a str>,
    pub date: Option<&'a str>,
    pub author: Option<&'a str>,
    pub speakers: &'a [String],
    pub tags: &'a [String],
    pub recording: Option<&'a str>,
}

/// `{"seconds", "watch"}`: where a section or a quote stands in the talk's recording, and the
/// link that opens it there (`null` when the talk has no recording a moment opens in).
#[derive(Debug, Serialize)]
pub struct AtView {
    pub seconds: u32,
    pub watch: Option<String>,
}

fn at(talk: &Talk, seconds: Option<u32>) -> Option<AtView> {
    let seconds = seconds?;
    Some(AtView {
        seconds,
        watch: reply::watch(talk, seconds),
    })
}

/// `{"one_liner", "key_points", "risks"}`.
#[derive(Debug, Serialize)]
pub struct SummaryView<'a> {
    pub one_liner: Option<&'a str>,
    pub key_points: &'a [String],
    pub risks: &'a [String],
}

/// `{"ordinal", "number", "title", "at"}`: `number` is `null` for an unnumbered section,
/// `ordinal` the position in the talk from 0, `at` its start in the recording or `null`.
#[derive(Debug, Serialize)]
pub struct SectionHeading<'a> {
    pub ordinal: usize,
    pub number: Option<u32>,
    pub title: &'a str,
    pub at: Option<AtView>,
}

pub fn topics(lib: &Library) -> TopicsView<'_> {
    topics_of(lib, None, None)
}

/// `ask topics --talk ID` (that talk alone) or `--tag TAG` (the talks with that tag): the same
/// shape as [`topics`], fewer talks.
pub fn topics_of<'a>(lib: &'a Library, only: Option<usize>, tag: Option<&str>) -> TopicsView<'a> {
    TopicsView {
        talks: lib
            .talks()
            .iter()
            .enumerate()
            .filter(|(i, _)| only.is_none_or(|t| t == *i))
            .filter(|(i, _)| tag.is_none_or(|tag| lib.has_tag(*i, tag)))
            .map(|(_, t)| talk(t))
            .collect(),
    }
}

fn talk(t: &Talk) -> TalkView<'_> {
    let Meta {
        source,
        date,
        author,
        speakers,
        tags,
        recording,
    } = &t.meta;
    let Summary {
        one_liner,
        key_points,
        risks,
    } = &t.summary;
    TalkView {
        id: &t.id,
        title: &t.title,
        meta: MetaView {
            source: source.as_deref(),
            date: date.as_deref(),
            author: author.as_deref(),
            speakers,
            tags,
            recording: recording.as_deref(),
        },
        summary: SummaryView {
            one_liner: one_liner.as_deref(),
            key_points,
            risks,
        },
        sections: t.sections.iter().map(|s| heading(t, s)).collect(),
        related: &t.related,
    }
}

fn heading<'a>(t: &Talk, s: &'a Section) -> SectionHeading<'a> {
    SectionHeading {
        ordinal: s.ordinal,
        number: s.number,
        title: &s.title,
        at: at(t, s.start),
    }
}

// ---------------------------------------------------------------------------------------------
// ask topic

/// `{"talk", "section": {...}}`, or `{"section": null}` (no `talk`) when nothing matches.
#[derive(Debug, Serialize)]
pub struct TopicView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub talk: Option<&'a str>,
    pub section: Option<SectionView<'a>>,
}

/// `{"ordinal", "number", "title", "at", "text", "infographic", "pages"}`.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    pub ordinal: usize,
    pub number: Option<u32>,
    pub title: &'a str,
    pub at: Option<AtView>,
    pub text: &'a str,
    pub infographic: Option<ImageView<'a>>,
    /// How many pages the bot shows the section in.
    pub pages: usize,
}

/// `{"url", "alt"}`.
#[derive(Debug, Serialize)]
pub struct ImageView<'a> {
    pub url: &'a str,
    pub alt: &'a str,
}

/// The section `r` names, if any.
pub fn topic(lib: &Library, r: Option<SectionRef>) -> TopicView<'_> {
    match r.and_then(|r| lib.section(r)) {
        Some((talk, s)) => TopicView {
            talk: Some(&talk.id),
            section: Some(SectionView {
                ordinal: s.ordinal,
                number: s.number,
                title: &s.title,
                at: at(talk, s.start),
                text: &s.body,
                infographic: s
                    .infographic
                    .as_ref()
                    .map(|Image { url, alt }| ImageView { url, alt }),
                pages: reply::pages(&s.body).len(),
            }),
        },
        None => TopicView {
            talk: None,
            section: None,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// ask quote, ask quotes

/// `{"quote": {...} | null}`.
#[derive(Debug, Serialize)]
pub struct QuoteView<'a> {
    pub quote: Option<QuoteItem<'a>>,
}

/// `{"quotes": [...]}`, every quote of the library.
#[derive(Debug, Serialize)]
pub struct QuotesView<'a> {
    pub quotes: Vec<QuoteItem<'a>>,
}

/// `{"text", "speaker", "kind", "emphasis", "talk", "section": {"ordinal", "number", "title",
/// "at"} | null, "at": {"seconds", "watch"} | null}`: `speaker` is `null` only when the write-up names no one.
#[derive(Debug, Serialize)]
pub struct QuoteItem<'a> {
    pub text: &'a str,
    pub speaker: Option<&'a str>,
    /// [`quote_kind`].
    pub kind: &'static str,
    /// The parts of the text the write-up put in bold.
    pub emphasis: &'a [String],
    pub talk: &'a str,
    pub section: Option<SectionHeading<'a>>,
    /// Where the words are said in the recording, or `null`.
    pub at: Option<AtView>,
}

/// `quoted` (between quotation marks), `pull_quote` (a block quote that is a quotation) or
/// `transcript` (a `Name: …` line).
pub fn quote_kind(kind: QuoteKind) -> &'static str {
    match kind {
        QuoteKind::Quoted => "quoted",
        QuoteKind::PullQuote => "pull_quote",
        QuoteKind::Transcript => "transcript",
    }
}

/// The quote `q` names, if any.
pub fn quote(lib: &Library, q: Option<QuoteRef>) -> QuoteView<'_> {
    QuoteView {
        quote: q.and_then(|q| quote_item(lib, q)),
    }
}

pub fn quotes(lib: &Library) -> QuotesView<'_> {
    QuotesView {
        quotes: lib
            .quote_refs()
            .filter_map(|q| quote_item(lib, q))
            .collect(),
    }
}

fn quote_item(lib: &Library, q: QuoteRef) -> Option<QuoteItem<'_>> {
    let (talk, quote) = lib.quote(q)?;
    Some(QuoteItem {
        text: &quote.text,
        speaker: quote.speaker.as_deref(),
        emphasis: &quote.emphasis,
        kind: quote_kind(quote.kind),
        talk: &talk.id,
        section: quote
            .section
            .and_then(|s| talk.sections.get(s))
            .map(|s| heading(talk, s)),
        at: at(talk, quote.start),
    })
}

// ---------------------------------------------------------------------------------------------
// ask search

/// `{"query", "hits": [...], "suggestions": [...]}`: `hits` ranked best first, empty when
/// nothing matches well.
#[derive(Debug, Serialize)]
pub struct SearchView<'a> {
    pub query: String,
    pub hits: Vec<HitView<'a>>,
    pub suggestions: Vec<SuggestionView<'a>>,
}

/// `{"talk", "section", "ordinal", "title", "kind", "score", "snippet"}`.
#[derive(Debug, Serialize)]
pub struct HitView<'a> {
    pub talk: &'a str,
    /// The section's number.
    pub section: Option<u32>,
    pub ordinal: Option<usize>,
    pub title: Option<&'a str>,
    /// [`hit_kind`].
    pub kind: &'static str,
    pub score: f64,
    /// The match in `**bold**`.
    pub snippet: String,
}

/// `{"talk", "section", "title"}`: a "did you mean" section.
#[derive(Debug, Serialize)]
pub struct SuggestionView<'a> {
    pub talk: &'a str,
    pub section: Option<u32>,
    pub title: &'a str,
}

/// `section`, `key_point`, `risk` or `summary`.
pub fn hit_kind(kind: HitKind) -> &'static str {
    match kind {
        HitKind::Section => "section",
        HitKind::KeyPoint => "key_point",
        HitKind::Risk => "risk",
        HitKind::Summary => "summary",
    }
}

/// The view of a search's outcome.
pub fn search(lib: &Library, query: String, outcome: Outcome) -> SearchView<'_> {
    let hits = outcome
        .hits
        .into_iter()
        .map(|h| {
            let talk = &lib.talks()[h.talk];
            let section = h.section.and_then(|s| talk.sections.get(s));
            HitView {
                talk: &talk.id,
                section: section.and_then(|s| s.number),
                ordinal: h.section,
                title: section.map(|s| s.title.as_str()),
                kind: hit_kind(h.kind),
                score: f64::from(h.score),
                snippet: h.snippet,
            }
        })
        .collect();
    let suggestions = outcome
        .suggestions
        .iter()
        .filter_map(|r| lib.section(*r))
        .map(|(t, s)| SuggestionView {
            talk: &t.id,
            section: s.number,
            title: &s.title,
        })
        .collect();
    SearchView {
        query,
        hits,
        suggestions,
    }
}

// ---------------------------------------------------------------------------------------------
// ask about

/// `{"version", "counts": {...}, "talks": [...]}`.
#[derive(Debug, Serialize)]
pub struct AboutView<'a> {
    pub version: String,
    pub counts: CountsView,
    pub talks: Vec<AboutTalk<'a>>,
}

/// `{"talks", "sections", "quotes"}`.
#[derive(Debug, Serialize)]
pub struct CountsView {
    pub talks: usize,
    pub sections: usize,
    pub quotes: usize,
}

/// `{"id", "title", "source"}`.
#[derive(Debug, Serialize)]
pub struct AboutTalk<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub source: Option<&'a str>,
}

pub fn about<'a>(lib: &'a Library, info: &reply::AboutInfo) -> AboutView<'a> {
    let c = lib.counts();
    AboutView {
        version: info.version.clone(),
        counts: CountsView {
            talks: c.talks,
            sections: c.sections,
            quotes: c.quotes,
        },
        talks: lib
            .talks()
            .iter()
            .map(|t| AboutTalk {
                id: &t.id,
                title: &t.title,
                source: t.meta.source.as_deref(),
            })
            .collect(),
    }
}
