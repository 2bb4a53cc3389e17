//! The content model: a [`Talk`] and its parts, as the parser produces them.
//!
//! These are plain data. Nothing here knows about Markdown events, the file system or Discord.
//! Invariants:
//! - a talk's `sections` are in document order, and `Section::ordinal` is the index in that list;
//! - what stands before the first section heading (an opening paragraph, a pull quote, an
//!   infographic) is section 0, the intro (`Section::intro`, no number, titled `Opening` or
//!   `开场` in the talk's language), when the talk has sections and something stands there;
//!   a write-up whose only heading is its title is all intro; a transcript without any
//!   heading is divided into chapters or parts (`parse/transcript.rs`), after its intro;
//! - `Section::start` and `Quote::start` are seconds into `Meta::recording` (or into the talk
//!   when it names no recording), read from the write-up's timestamps and chapter list;
//! - every [`Quote`] names the ordinal of the section it was found in (the intro's quotes
//!   section 0); `None` only for a talk built by hand without sections;
//! - `Section::body` is Markdown that Discord renders: images are removed from it, the
//!   infographic is kept apart in `Section::infographic`.

use serde::Serialize;

/// Points at one section of one talk: indices into a list of talks and into its sections.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
pub struct SectionRef {
    /// Index of the talk in the list of talks.
    pub talk: usize,
    /// Index of the section in that talk's [`Talk::sections`] (its ordinal).
    pub section: usize,
}

/// Points at one quote of one talk: indices into a list of talks and into its quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuoteRef {
    /// Index of the talk in the list of talks.
    pub talk: usize,
    /// Index of the quote in that talk's [`Talk::quotes`].
    pub quote: usize,
}

/// The section `r` points at in `talks`, with its talk.
pub fn section_at(talks: &[Talk], r: SectionRef) -> Option<(&Talk, &Section)> {
    let talk = talks.get(r.talk)?;
    Some((talk, talk.sections.get(r.section)?))
}

/// Every section of `talks`, in order.
pub fn section_refs(talks: &[Talk]) -> impl Iterator<Item = SectionRef> + '_ {
    talks.iter().enumerate().flat_map(|(t, talk)| {
        (0..talk.sections.len()).map(move |s| SectionRef {
            talk: t,
            section: s,
        })
    })
}

/// One write-up of a talk, parsed from one file.
#[derive(Debug, Clone, PartialEq, Serialize, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Talk {
    /// Stable id taken from the file name without its extension.
    pub id: String,
    /// The talk's title: the document's title heading or its metadata `title`; the id when the
    /// document gives none.
    pub title: String,
    /// Where the talk comes from: source, date, author, speakers and tags.
    pub meta: Meta,
    /// The summary block the write-up opens with, empty when it has none.
    pub summary: Summary,
    /// The sections in document order; `Section::ordinal` is the index here.
    pub sections: Vec<Section>,
    /// The quotes found in the talk.
    pub quotes: Vec<Quote>,
    /// Related topics (tags) the document lists at its end.
    pub related: Vec<String>,
}

impl Talk {
    /// The talk's tags: `meta.tags`, then the related topics not among them.
    pub fn tags(&self) -> impl Iterator<Item = &str> + '_ {
        let extra = self.related.iter().filter(|r| !self.meta.tags.contains(r));
        self.meta.tags.iter().chain(extra).map(String::as_str)
    }
}

impl Talk {
    /// The ordinal of the `n`-th section after the intro (from 1, in document order), in a talk
    /// where no section has a number: what `/topic N` opens there.
    pub fn nth_unnumbered(&self, n: usize) -> Option<usize> {
        if n == 0 || self.sections.iter().any(|s| s.number.is_some()) {
            return None;
        }
        self.sections
            .iter()
            .filter(|s| !s.intro)
            .nth(n - 1)
            .map(|s| s.ordinal)
    }
}

/// Where a talk comes from.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize,
)]
pub struct Meta {
    /// The original's link or source (`source`, `url`, `link`, `来源`, `原文`, …) as written.
    pub source: Option<String>,
    /// The publication date, `YYYY-MM-DD` when the metadata's date can be read as one, else
    /// the text as written.
    pub date: Option<String>,
    /// The writer of the write-up (`author`, `作者`, `整理`) as written. The writer is also a
    /// speaker when the write-up says the talk is theirs; `speakers` says so, not this field.
    pub author: Option<String>,
    /// Who speaks in the talk, the main speaker first: the talk's roster (the metadata, the
    /// title, a source note, the author when the talk is theirs, speaker lines, the labels of
    /// the turns; `parse/roster.rs`), speakers before hosts.
    pub speakers: Vec<String>,
    /// The tags (`tags`, `keywords`, `标签`, `关键词`) the metadata lists; the related topics
    /// when it lists none.
    pub tags: Vec<String>,
    /// The talk's recording: a URL the metadata gives (`video`, `youtube`, `recording`,
    /// `audio`, `media`, `视频`, `录像`, `回放`, …), else the source when it is itself a video
    /// or an audio file (`recording::is_recording`). `None` when there is none.
    pub recording: Option<String>,
}

impl Talk {
    /// Whether `quote` is the words of one of the talk's speakers (`meta.speakers`), rather
    /// than of a questioner, a third party or someone the write-up reports. When the write-up
    /// names no speaker, every quote counts.
    pub fn is_speakers_own(&self, quote: &Quote) -> bool {
        self.meta.speakers.is_empty()
            || quote
                .speaker
                .as_ref()
                .is_some_and(|s| self.meta.speakers.contains(s))
    }
}

/// The summary block a write-up may open with.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize,
)]
pub struct Summary {
    /// The one-sentence summary (`TL;DR`, `one line`, `一句话`, …), if the block has one.
    pub one_liner: Option<String>,
    /// The key points (`key points`, `takeaways`, `要点`, …), and the summary's items under
    /// no recognised heading.
    pub key_points: Vec<String>,
    /// The risks, caveats and limitations (`risks`, `caveats`, `风险`, …) the summary names.
    pub risks: Vec<String>,
}

/// One section of a talk: a numbered topic, or an unnumbered part such as a closing section.
#[derive(Debug, Clone, PartialEq, Serialize, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Section {
    /// Position in [`Talk::sections`].
    pub ordinal: usize,
    /// The number the document gives the section, if it numbers it.
    pub number: Option<u32>,
    /// The section's title, as its heading gives it.
    pub title: String,
    /// Markdown for Discord: bold, lists and links kept, images removed.
    pub body: String,
    /// The section's first image, kept apart from the body.
    pub infographic: Option<Image>,
    /// True for the intro: section 0, made of what stands before the first section heading.
    pub intro: bool,
    /// Where the section starts in the recording, in seconds: its chapter's time, else the
    /// first timestamp in its text. `None` when it gives none.
    pub start: Option<u32>,
}

impl Section {
    /// The label used in lists and autocomplete: `13 · 生物安全与韧性策略`, or the bare title.
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("{n} · {}", self.title),
            None => self.title.clone(),
        }
    }
}

/// An image of a section: its URL and alt text.
#[derive(Debug, Clone, PartialEq, Serialize, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Image {
    /// Where the image is, as the document links it.
    pub url: String,
    /// The image's alt text, as the document writes it.
    pub alt: String,
}

/// Words someone said in the talk, as written in the document.
#[derive(Debug, Clone, PartialEq, Serialize, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Quote {
    /// The words said, as the document writes them.
    pub text: String,
    /// Ordinal of the section the quote stands in.
    pub section: Option<usize>,
    /// Who said it: the talk's main speaker unless the text gives the words to someone else
    /// (a questioner, the host, a transcript line's speaker). `None` only when the write-up
    /// names no one.
    pub speaker: Option<String>,
    /// How the quote was found: between quotation marks, as a pull quote or a transcript line.
    pub kind: QuoteKind,
    /// Bold highlights inside the quote, in order: emphasis within it, not quotes of their own.
    pub emphasis: Vec<String>,
    /// Where the words are said in the recording, in seconds: the timestamp of their turn or
    /// line (the last one before them in their section). `None` when the text gives none.
    pub start: Option<u32>,
}

/// How a quote was found.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Text between quotation marks.
    Quoted,
    /// A blockquote that is itself a quotation.
    PullQuote,
    /// A transcript line (`**林静**：…`, `Q: …`): the whole line is its speaker's.
    Transcript,
}
