//! The inverted index: every searchable field of every talk, built once per load.
//!
//! A *document* is what a hit points at: a section (its title, text and the quotes found in it),
//! or one summary item of a talk (a key point, a risk, or the one-line summary together with the
//! talk's title and the quotes that stand before the first section).
//!
//! Each document has up to [`N_FIELDS`] fields with their own lengths. For every term the index
//! keeps a posting list: documents in increasing order, each with the term's count in each field.
//! Posting lists are packed bytes (a varint gap between documents, a bit mask of the fields, one
//! saturating count byte per field), which keeps a 1,000-talk corpus within a small multiple of
//! its size.
//!
//! Invariants:
//! - document ids are dense, and a talk's documents are contiguous and in section order;
//! - CJK terms are keyed by code points ([`Term::cjk_key`]), words by their folded text; both map
//!   to one dense term id space;
//! - the index is immutable once built; a reload builds a new one, spliced from the one in
//!   service where talks did not change (`index/splice.rs`).

use rustc_hash::FxHashMap;

use super::HitKind;
use super::dict::Bilingual;
use super::normalize::{compact, plain};
use super::pinyin::Readings;
use super::tokenize::{Term, stem, tokenize};
use crate::model::{SectionRef, Talk};

mod splice;

/// Fields of a document, in boost order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A section title.
    Title = 0,
    /// A quote of the speaker.
    Quote = 1,
    /// A key point, a risk or the one-line summary.
    Summary = 2,
    /// Section text.
    Body = 3,
    /// The talk's title.
    TalkTitle = 4,
    /// English the write-up gives a section besides its text: the words of its infographic's
    /// file name (`01-infographic-jevons-paradox.png`) and the image's alt text. (Not the
    /// aliases a write-up may name for a talk or section, issue 26: those would weigh like titles.)
    Gloss = 5,
}

/// The number of [`Field`]s a document's terms are counted in.
pub const N_FIELDS: usize = 6;

/// How much a match in each field counts, in [`Field`] order. A gloss counts less than the
/// body: it names the section's topic, but in a few words chosen for a file name.
pub const BOOSTS: [f32; N_FIELDS] = [4.0, 2.0, 1.5, 1.0, 1.0, 0.8];

/// BM25 length normalisation strength.
const B: f32 = 0.75;

/// One document.
#[derive(Debug, Clone, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Doc {
    /// Index of the talk in the talks the index was built from.
    pub talk: u32,
    /// The section ordinal, for section documents.
    pub section: Option<u32>,
    /// What the document is: a section, a key point, a risk or the talk's summary.
    pub kind: HitKind,
    /// Which key point or risk, for summary items.
    pub item: u32,
}

#[derive(Debug, Clone, Copy, Default, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
struct TermInfo {
    df: u32,
    /// Byte range of the posting list in `Index::postings`.
    start: u32,
    end: u32,
}

/// The search index of a library. Built once per load, never per query.
#[derive(Debug, Default, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Index {
    pub(super) docs: Vec<Doc>,
    /// Per document and field: boost / (1 - b + b · len / avg_len), the BM25F weight of one
    /// occurrence before saturation.
    pub(super) field_weight: Vec<[f32; N_FIELDS]>,
    /// Per document and field: its length in tokens (unigrams not counted), which
    /// [`Index::build_reusing`] carries over for the documents it reuses.
    lens: Vec<[u32; N_FIELDS]>,
    cjk: CjkIds,
    words: FxHashMap<Box<str>, u32>,
    /// Every word of the vocabulary with its term id, by length in characters, for typo lookup.
    pub(super) words_by_len: Vec<Vec<(Box<str>, u32)>>,
    terms: Vec<TermInfo>,
    postings: Vec<u8>,
    /// Every section with its number, its title folded by [`compact`] and the
    /// [`char_mask`] of that title, in library order: for autocomplete.
    pub(super) titles: Vec<(SectionRef, Option<u32>, String, u64)>,
    /// Words of the vocabulary by their English stem (words without digits only).
    stems: FxHashMap<Box<str>, Vec<u32>>,
    /// The dictionary entries the library uses.
    bilingual: Bilingual,
    /// The readings of the words and characters the library uses.
    readings: Readings,
    /// Per entry of `titles`: the title spelled in pinyin and its initials
    /// ([`Readings::spell`]), for titles with Chinese.
    pub(super) title_pinyin: Vec<Option<(String, String)>>,
    /// Per entry of `titles`: the first entry with the same folded title and the same pinyin
    /// (itself when there is none before it). Autocomplete compares a typed text with each
    /// distinct title once: a library's talks often share section titles.
    pub(super) title_first: Vec<u32>,
}

/// A title spelled in pinyin, and its initials ([`Readings::spell`]).
type TitlePinyin = (String, String);

/// One entry of a posting list.
#[derive(Debug, Clone, Copy)]
pub struct Posting {
    /// The document the term occurs in, an index into the index's documents.
    pub doc: u32,
    /// How often the term occurs in each field, in [`Field`] order, saturating at 255.
    pub counts: [u8; N_FIELDS],
}

impl Index {
    /// Builds the index of `talks` from scratch: one document per section, key point and
    /// risk, and one for each talk's summary.
    pub fn build(talks: &[Talk]) -> Index {
        let mut g = Growing::default();
        talks.iter().for_each(|t| g.add(t));
        g.finish(talks)
    }

    /// `previous`: the index in service and, for each talk of `talks`, the index of the identical
    /// talk in it, if any; their part of the index is reused instead of tokenised again
    /// (`index/splice.rs`).
    ///
    /// The result holds the same documents, field weights and postings (by term) as
    /// [`Index::build`] of `talks`; only the numbering of the terms may differ.
    pub fn build_reusing(talks: &[Talk], previous: Option<(&Index, &[Option<usize>])>) -> Index {
        let Some((p, map, spliced)) =
            previous.and_then(|(p, map)| Some((p, map, splice::splice(talks, p, map)?)))
        else {
            return Index::build(talks);
        };
        let mut index = spliced.index;
        index.titles = talks
            .iter()
            .enumerate()
            .flat_map(|(t, talk)| section_titles(t, talk))
            .collect();
        if !spliced.same_cjk {
            index.derive_from_cjk(talks);
            return index;
        }
        // The same CJK terms: the same dictionary entries and readings, and a kept talk's
        // titles are spelled as they were.
        index.bilingual = p.bilingual.clone();
        index.readings = p.readings.clone();
        let mut old_first = vec![0usize; p.titles.last().map_or(0, |(r, ..)| r.talk + 1)];
        for (i, (r, ..)) in p.titles.iter().enumerate().rev() {
            old_first[r.talk] = i;
        }
        index.title_pinyin = Vec::with_capacity(index.titles.len());
        for (t, talk) in talks.iter().enumerate() {
            match map.get(t).copied().flatten() {
                Some(j) if j < old_first.len() => {
                    let from = old_first[j];
                    (index.title_pinyin)
                        .extend_from_slice(&p.title_pinyin[from..from + talk.sections.len()]);
                }
                _ => (index.title_pinyin)
                    .extend(talk.sections.iter().map(|s| index.readings.spell(&s.title))),
            }
        }
        index.first_titles();
        index
    }

    /// Builds what the index derives from its CJK terms (the dictionary entries and readings the
    /// library may use, on two threads), then the titles' pinyin.
    fn derive_from_cjk(&mut self, talks: &[Talk]) {
        let (bilingual, readings) = std::thread::scope(|s| {
            let this = &*self;
            let bilingual = s.spawn(|| Bilingual::build(|a, b| this.has_pair(a, b)));
            let readings = Readings::build(
                |a, b| this.has_pair(a, b),
                |c| this.term_id(Term::Uni(c)).is_some(),
            );
            match bilingual.join() {
                Ok(b) => (b, readings),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        self.bilingual = bilingual;
        self.readings = readings;
        self.title_pinyin = talks
            .iter()
            .flat_map(|t| &t.sections)
            .map(|s| self.readings.spell(&s.title))
            .collect();
        self.first_titles();
    }

    /// Fills `title_first` from the titles and their pinyin.
    fn first_titles(&mut self) {
        let mut first: FxHashMap<(&str, Option<&TitlePinyin>), u32> = FxHashMap::default();
        let title_first = (self.titles.iter().zip(&self.title_pinyin).enumerate())
            .map(|(i, ((_, _, title, _), pinyin))| {
                *first
                    .entry((title.as_str(), pinyin.as_ref()))
                    .or_insert(i as u32)
            })
            .collect();
        drop(first);
        self.title_first = title_first;
    }

    /// The dictionary entries the library uses.
    pub fn bilingual(&self) -> &Bilingual {
        &self.bilingual
    }

    /// The readings of the words and characters the library uses.
    pub fn readings(&self) -> &Readings {
        &self.readings
    }

    /// Forgets the library's readings and its titles' pinyin: see [`Library::without_pinyin`](crate::library::Library::without_pinyin).
    pub(crate) fn drop_pinyin(&mut self) {
        self.readings = Readings::default();
        self.title_pinyin.iter_mut().for_each(|p| *p = None);
    }

    /// Words of the vocabulary other than `word` with the same English stem.
    pub fn same_stem<'s>(&'s self, word: &'s str) -> impl Iterator<Item = u32> + 's {
        let own = self.words.get(word).copied();
        let stem = (!word.chars().any(|c| c.is_ascii_digit())).then(|| stem(word));
        stem.and_then(|s| self.stems.get(s.as_str()))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&id| Some(id) != own)
    }

    /// The number of documents in the index.
    pub fn n_docs(&self) -> usize {
        self.docs.len()
    }

    /// Whether the library has the characters `a` and `b` side by side somewhere (a bigram
    /// term): what [`Bilingual::build`] asks of each dictionary headword.
    pub fn has_pair(&self, a: char, b: char) -> bool {
        self.term_id(Term::Bi(a, b)).is_some()
    }

    /// The term id of a token, if the index has it.
    pub fn term_id(&self, term: Term<'_>) -> Option<u32> {
        match term.cjk_key() {
            Some(k) => self.cjk.get(k),
            None => match term {
                Term::Word(w) => self.words.get(w).copied(),
                _ => None,
            },
        }
    }

    /// The term id of a CJK token key ([`Term::cjk_key`]).
    pub fn term_id_cjk(&self, key: u64) -> Option<u32> {
        self.cjk.get(key)
    }

    /// In how many documents a term occurs.
    pub fn df(&self, term: u32) -> u32 {
        self.terms[term as usize].df
    }

    /// Okapi BM25's inverse document frequency; a term that occurs nowhere gets the rarest value.
    pub fn idf(&self, df: u32) -> f32 {
        let n = self.docs.len() as f32;
        let df = df.max(1) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The posting list of a term.
    pub fn postings(&self, term: u32) -> impl Iterator<Item = Posting> + '_ {
        let info = self.terms[term as usize];
        let mut bytes = &self.postings[info.start as usize..info.end as usize];
        let mut doc = 0u32;
        let mut first = true;
        std::iter::from_fn(move || {
            if bytes.is_empty() {
                return None;
            }
            let (gap, rest) = read_varint(bytes);
            doc = if first { gap } else { doc + gap };
            first = false;
            let (counts, rest) = read_counts(rest);
            bytes = rest;
            Some(Posting { doc, counts })
        })
    }

    /// Calls `f` for every posting of `term` with its document and the term's BM25F frequency
    /// there (each field's count times the document's field weight, summed in field order):
    /// what ranking reads per posting, decoded without building a [`Posting`].
    pub(super) fn for_each_weighted(&self, term: u32, mut f: impl FnMut(usize, f32)) {
        let info = self.terms[term as usize];
        let bytes = &self.postings[info.start as usize..info.end as usize];
        let mut at = 0;
        let mut doc = 0usize;
        let mut first = true;
        while at < bytes.len() {
            let (gap, used) = varint_at(bytes, at);
            at += used;
            doc = if first {
                gap as usize
            } else {
                doc + gap as usize
            };
            first = false;
            let mut mask = bytes[at];
            at += 1;
            let w = &self.field_weight[doc];
            let mut tf = 0f32;
            while mask != 0 {
                let field = mask.trailing_zeros() as usize;
                tf += f32::from(bytes[at]) * w[field];
                at += 1;
                mask &= mask - 1;
            }
            f(doc, tf);
        }
    }

    /// Every term with its id.
    fn vocabulary(&self) -> impl Iterator<Item = (Key<'_>, u32)> {
        let words = self.words.iter().map(|(w, &id)| (Key::Word(w), id));
        words.chain(self.cjk.iter().map(|(k, id)| (Key::Cjk(k), id)))
    }

    /// Checks what readers of the index rely on, against the `talks` it is said to index: an
    /// index read from the load cache is well-formed (rkyv validated it) and checksummed, and is
    /// checked here too before it is used. The posting lists themselves are not decoded.
    pub(crate) fn check(&self, talks: &[Talk]) -> Result<(), String> {
        let n_docs = self.docs.len();
        let n_terms = self.terms.len();
        let n_sections: usize = talks.iter().map(|t| t.sections.len()).sum();
        let term = |id: u32| (id as usize) < n_terms;
        let problem = if self.field_weight.len() != n_docs || self.lens.len() != n_docs {
            "documents without their weights"
        } else if self.docs.iter().any(|d| d.talk as usize >= talks.len()) {
            "a document of no talk"
        } else if (self.terms.iter())
            .any(|t| t.start > t.end || t.end as usize > self.postings.len())
        {
            "a posting list outside the postings"
        } else if !(self.words.values().all(|&id| term(id))
            && self.cjk.iter().all(|(_, id)| term(id))
            && self.words_by_len.iter().flatten().all(|&(_, id)| term(id))
            && self.stems.values().flatten().all(|&id| term(id)))
        {
            "a term without a posting list"
        } else if self.titles.len() != n_sections
            || self.title_pinyin.len() != n_sections
            || self.title_first.iter().any(|&i| i as usize >= n_sections)
            || (self.titles.iter()).any(|(r, ..)| crate::model::section_at(talks, *r).is_none())
        {
            "titles of no section"
        } else {
            return Ok(());
        };
        Err(problem.to_string())
    }

    /// Approximate heap bytes held by the index, for the benchmark's memory report.
    pub fn heap_bytes(&self) -> usize {
        let words: usize = self
            .words_by_len
            .iter()
            .flatten()
            .map(|(w, _)| w.len() * 2 + 24)
            .sum();
        let titles: usize = self
            .titles
            .iter()
            .map(|(_, _, t, _)| t.capacity() + 56)
            .sum();
        self.docs.capacity() * std::mem::size_of::<Doc>()
            + self.field_weight.capacity() * std::mem::size_of::<[f32; N_FIELDS]>()
            + self.lens.capacity() * std::mem::size_of::<[u32; N_FIELDS]>()
            + self.cjk.heap_bytes()
            + words
            + self.terms.capacity() * std::mem::size_of::<TermInfo>()
            + self.title_first.capacity() * 4
            + self.postings.capacity()
            + titles
            + self.stems.capacity() * 48
            + self.bilingual.heap_bytes()
            + self.readings.heap_bytes()
            + self
                .title_pinyin
                .iter()
                .flatten()
                .map(|(f, i)| f.capacity() + i.capacity() + 48)
                .sum::<usize>()
    }
}

/// An index built a talk at a time, in library order: what a first load feeds as the files'
/// talks come in, so that indexing one talk overlaps the parsing of the next.
#[derive(Default)]
pub struct Growing {
    b: Builder,
    titles: Vec<(SectionRef, Option<u32>, String, u64)>,
    talks: u32,
}

impl Growing {
    /// Adds the next talk of the library.
    pub fn add(&mut self, talk: &Talk) {
        index_talk(&mut self.b, self.talks, talk);
        self.titles
            .extend(section_titles(self.talks as usize, talk));
        self.talks += 1;
    }

    /// The index of `talks`, the talks added, in the order they were added.
    pub fn finish(self, talks: &[Talk]) -> Index {
        debug_assert_eq!(talks.len(), self.talks as usize);
        let mut index = self.b.finish();
        index.titles = self.titles;
        index.derive_from_cjk(talks);
        index
    }
}

/// Each section of talk `t` with its number, its title folded by [`compact`] and the
/// [`char_mask`] of that title: the index's entries for autocomplete.
fn section_titles(
    t: usize,
    talk: &Talk,
) -> impl Iterator<Item = (SectionRef, Option<u32>, String, u64)> + '_ {
    talk.sections.iter().map(move |s| {
        let title = compact(&s.title);
        let mask = char_mask(&title);
        let at = SectionRef {
            talk: t,
            section: s.ordinal,
        };
        (at, s.number, title, mask)
    })
}

/// Tokenises the documents of one talk into `b`: its sections, then its key points and risks,
/// then its summary document.
fn index_talk(b: &mut Builder, t: u32, talk: &Talk) {
    for s in &talk.sections {
        b.start_doc(Doc {
            talk: t,
            section: Some(s.ordinal as u32),
            kind: HitKind::Section,
            item: 0,
        });
        b.add(Field::Title, &s.title);
        let body = plain(&s.body);
        let quotes: Vec<&str> = talk
            .quotes
            .iter()
            .filter(|q| q.section == Some(s.ordinal))
            .map(|q| q.text.as_str())
            .collect();
        let (inside, elsewhere) = quote_spans(&body, &quotes);
        b.add_with_quotes(Field::Body, &body, &inside);
        for q in elsewhere {
            b.add(Field::Quote, q);
        }
        if let Some(image) = &s.infographic {
            b.add(Field::Gloss, &image_gloss(&image.url, &image.alt));
        }
        b.end_doc();
    }
    for (kind, items) in [
        (HitKind::KeyPoint, &talk.summary.key_points),
        (HitKind::Risk, &talk.summary.risks),
    ] {
        for (i, item) in items.iter().enumerate() {
            b.start_doc(Doc {
                talk: t,
                section: None,
                kind,
                item: i as u32,
            });
            b.add(Field::Summary, &plain(item));
            b.end_doc();
        }
    }
    b.start_doc(Doc {
        talk: t,
        section: None,
        kind: HitKind::Summary,
        item: 0,
    });
    b.add(Field::TalkTitle, &talk.title);
    if let Some(one) = &talk.summary.one_liner {
        b.add(Field::Summary, &plain(one));
    }
    for q in talk.quotes.iter().filter(|q| q.section.is_none()) {
        b.add(Field::Quote, &q.text);
    }
    b.end_doc();
}

/// Per document and field, boost / (1 - b + b · len / avg_len): the BM25F weight of one
/// occurrence, from the documents' field lengths.
fn field_weights(lens: &[[u32; N_FIELDS]]) -> Vec<[f32; N_FIELDS]> {
    let n = lens.len().max(1) as f32;
    let mut avg = [0f32; N_FIELDS];
    for l in lens {
        for f in 0..N_FIELDS {
            avg[f] += l[f] as f32 / n;
        }
    }
    lens.iter()
        .map(|l| {
            let mut w = [0f32; N_FIELDS];
            for f in 0..N_FIELDS {
                if avg[f] > 0.0 {
                    w[f] = BOOSTS[f] / (1.0 - B + B * l[f] as f32 / avg[f]);
                }
            }
            w
        })
        .collect()
}

/// The English stem a word of the vocabulary is gathered under, for words of letters only and
/// longer than three.
fn stem_word(w: &str) -> Option<String> {
    (w.chars().all(|c| c.is_ascii_alphabetic()) && w.len() > 3).then(|| stem(w))
}

/// What a term is keyed on: its folded text for a word, [`Term::cjk_key`] for a CJK token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key<'a> {
    Word(&'a str),
    Cjk(u64),
}

impl<'a> From<Term<'a>> for Key<'a> {
    fn from(term: Term<'a>) -> Key<'a> {
        match term {
            Term::Word(w) => Key::Word(w),
            _ => Key::Cjk(term.cjk_key().expect("not a word")),
        }
    }
}

/// The gloss text of a section's image: the words of its file name without the numbering and
/// the boilerplate (`01-infographic-jevons-paradox.png` gives `jevons paradox`), and its alt text
/// without the `Image 3:` label.
fn image_gloss(url: &str, alt: &str) -> String {
    let file = url.rsplit('/').next().unwrap_or("");
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let mut out: Vec<&str> = stem
        .split(['-', '_'])
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| {
            !matches!(
                *w,
                "infographic" | "image" | "img" | "cover" | "fig" | "figure"
            )
        })
        .collect();
    let alt = alt.trim();
    let alt = match alt.strip_prefix("Image") {
        Some(rest) => rest
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
            .trim_start_matches([':', '：'])
            .trim(),
        None => alt,
    };
    out.push(alt);
    out.join(" ")
}

/// The first place `needle` stands in `hay`, as `str::find` gives it. A quote is up to 400
/// characters, and `str::find` first studies the whole needle (its two-way searcher) on every
/// call: here the needle's first few bytes are found with `memchr`'s vectorised search, and
/// the whole needle is compared only where they stand.
fn find_in(hay: &str, needle: &str) -> Option<usize> {
    let head = &needle.as_bytes()[..needle.floor_char_boundary(16)];
    if head.is_empty() {
        return hay.find(needle);
    }
    let (hay, finder) = (hay.as_bytes(), memchr::memmem::Finder::new(head));
    // Every place the head stands, overlapping ones too (`find_iter` skips those).
    let mut from = 0;
    while let Some(at) = finder.find(&hay[from..]).map(|at| from + at) {
        if hay[at..].starts_with(needle.as_bytes()) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Where each quote stands in `body`, as character ranges sorted by start, and the quotes it
/// does not contain verbatim (to be indexed on their own).
fn quote_spans<'q>(body: &str, quotes: &[&'q str]) -> (Vec<(u32, u32)>, Vec<&'q str>) {
    let mut bytes = Vec::new();
    let mut elsewhere = Vec::new();
    // Quotes come in document order (a highlight right after the quote that holds it), so each
    // search starts where the previous quote started: linear in the body for the usual case,
    // instead of one scan of the whole body per quote.
    let mut from = 0;
    for q in quotes {
        let found = find_in(&body[from..], q)
            .map(|at| from + at)
            .or_else(|| find_in(body, q));
        match found {
            Some(at) if !q.is_empty() => {
                bytes.push((at, at + q.len()));
                from = at;
            }
            _ => elsewhere.push(*q),
        }
    }
    if bytes.is_empty() {
        return (Vec::new(), elsewhere);
    }
    // Byte offsets to character offsets, in one pass over the body.
    let mut marks: Vec<usize> = bytes.iter().flat_map(|&(a, b)| [a, b]).collect();
    marks.sort_unstable();
    marks.dedup();
    let mut chars_at = Vec::with_capacity(marks.len());
    let mut next = 0;
    for (n, (i, _)) in body.char_indices().chain([(body.len(), ' ')]).enumerate() {
        while next < marks.len() && marks[next] == i {
            chars_at.push((i, n as u32));
            next += 1;
        }
    }
    let to_char = |b: usize| {
        chars_at
            .binary_search_by_key(&b, |&(i, _)| i)
            .map_or(0, |k| chars_at[k].1)
    };
    let mut spans: Vec<(u32, u32)> = bytes
        .iter()
        .map(|&(a, b)| (to_char(a), to_char(b)))
        .collect();
    spans.sort_unstable();
    (spans, elsewhere)
}

/// A 64-bit signature of the characters and character pairs of `s`: when `s` contains `t`,
/// `char_mask(t) & !char_mask(s) == 0`. Autocomplete checks it before comparing strings, which
/// keeps a keystroke cheap over 20,000 titles.
pub fn char_mask(s: &str) -> u64 {
    let mut mask = 0u64;
    let mut prev: Option<char> = None;
    for c in s.chars() {
        mask |= 1 << (c as u64 * 0x9E37_79B9 % 61);
        if let Some(p) = prev {
            mask |= 1 << pair_bit(p, c);
        }
        prev = Some(c);
    }
    mask
}

/// The bit of [`char_mask`] that stands for the pair `a`, `b`.
pub fn pair_bit(a: char, b: char) -> u64 {
    ((a as u64) << 21 | b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58
}

/// Term ids of CJK tokens: unigrams of the common range in a direct table (the index build
/// looks one up for every character), everything else in a hash map.
#[derive(Debug, Clone, Default, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
struct CjkIds {
    uni: Vec<u32>,
    other: FxHashMap<u64, u32>,
}

const UNI_FIRST: u64 = 0x3400;
const UNI_LAST: u64 = 0x9FFF;
const NONE: u32 = u32::MAX;

impl CjkIds {
    fn get(&self, key: u64) -> Option<u32> {
        if (UNI_FIRST..=UNI_LAST).contains(&key) {
            let id = *self.uni.get((key - UNI_FIRST) as usize)?;
            (id != NONE).then_some(id)
        } else {
            self.other.get(&key).copied()
        }
    }

    fn get_or_insert(&mut self, key: u64, next: u32) -> u32 {
        if (UNI_FIRST..=UNI_LAST).contains(&key) {
            if self.uni.is_empty() {
                self.uni = vec![NONE; (UNI_LAST - UNI_FIRST + 1) as usize];
            }
            let slot = &mut self.uni[(key - UNI_FIRST) as usize];
            if *slot == NONE {
                *slot = next;
            }
            *slot
        } else {
            *self.other.entry(key).or_insert(next)
        }
    }

    /// Forgets the keys whose id `gone` names; says whether there was any.
    fn remove_where(&mut self, gone: impl Fn(u32) -> bool) -> bool {
        let mut any = false;
        for slot in self.uni.iter_mut().filter(|s| **s != NONE && gone(**s)) {
            *slot = NONE;
            any = true;
        }
        let before = self.other.len();
        self.other.retain(|_, id| !gone(*id));
        any || self.other.len() != before
    }

    /// Every key with its id.
    fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        let uni = (self.uni.iter().enumerate())
            .filter(|&(_, &id)| id != NONE)
            .map(|(k, &id)| (UNI_FIRST + k as u64, id));
        uni.chain(self.other.iter().map(|(&k, &id)| (k, id)))
    }

    fn heap_bytes(&self) -> usize {
        self.uni.capacity() * 4 + self.other.capacity() * 16
    }
}

/// The varint at `at` in `bytes`, and how many bytes it takes.
#[inline]
fn varint_at(bytes: &[u8], at: usize) -> (u32, usize) {
    let b = bytes[at];
    if b & 0x80 == 0 {
        return (u32::from(b), 1);
    }
    let (v, rest) = read_varint(&bytes[at..]);
    (v, bytes.len() - at - rest.len())
}

fn read_varint(bytes: &[u8]) -> (u32, &[u8]) {
    let mut v = 0u32;
    let mut shift = 0;
    for (i, &b) in bytes.iter().enumerate() {
        v |= u32::from(b & 0x7F) << shift;
        if b & 0x80 == 0 {
            return (v, &bytes[i + 1..]);
        }
        shift += 7;
    }
    (v, &[])
}

/// The field mask and counts of one posting entry (what follows its varint): the counts of
/// the fields the mask names, zero for the others; and the bytes after them.
fn read_counts(bytes: &[u8]) -> ([u8; N_FIELDS], &[u8]) {
    let mask = bytes[0];
    let mut counts = [0u8; N_FIELDS];
    let mut at = 1;
    for (f, c) in counts.iter_mut().enumerate() {
        if mask & (1 << f) != 0 {
            *c = bytes[at];
            at += 1;
        }
    }
    (counts, &bytes[at..])
}

fn write_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes `v` as a varint into `out` at `at`; returns where it ends.
fn put_varint(out: &mut [u8], mut at: usize, mut v: u32) -> usize {
    while v >= 0x80 {
        out[at] = (v as u8) | 0x80;
        v >>= 7;
        at += 1;
    }
    out[at] = v as u8;
    at + 1
}

/// The bit mask of the fields with a non-zero count.
fn field_mask(counts: &[u8; N_FIELDS]) -> u8 {
    let mut mask = 0u8;
    for (f, &c) in counts.iter().enumerate() {
        mask |= u8::from(c > 0) << f;
    }
    mask
}

/// What the builder keeps per term, in one place: a token touches one cache line, not three.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// Counts in the current document; all zero when the term is not in it yet.
    counts: [u8; N_FIELDS],
    /// Bytes of its posting list so far.
    bytes: u32,
    /// The last document it was in.
    last: u32,
    df: u32,
}

/// Bytes per chunk of the builder's stream: large enough for the allocator to map each chunk on
/// its own, so that a chunk freed during the scatter goes back to the system at once. Small in
/// unit tests, so that they cross chunks.
#[cfg(not(test))]
const CHUNK: usize = 4 << 20;
#[cfg(test)]
const CHUNK: usize = 64;

/// Accumulates documents.
///
/// Postings are first written in document order to one sequential stream (term id, field mask,
/// counts), and scattered into per-term lists once at the end, when every list's size is known.
/// Appending to one growing buffer per term instead touches a random cache line for every
/// posting, which made the build several times slower at 1,000 talks.
///
/// The stream is as large as the postings. It is kept in chunks that the scatter frees as it
/// goes, so the two are not both whole in memory at the peak of a load: the scatter fills every
/// long posting list from its start, so the pages it has written grow with its progress too.
#[derive(Default)]
struct Builder {
    docs: Vec<Doc>,
    lens: Vec<[u32; N_FIELDS]>,
    cjk: CjkIds,
    words: FxHashMap<Box<str>, u32>,
    slots: Vec<Slot>,
    /// Postings in document order: per document, per term, the varint term id, the mask and
    /// the counts; in chunks of about [`CHUNK`] bytes that end at a document's end.
    stream: Vec<Vec<u8>>,
    /// Where each document's postings end in `stream`, counted over all chunks.
    doc_ends: Vec<usize>,
    /// The terms of the current document, in order of first occurrence.
    current: Vec<u32>,
    doc_lens: [u32; N_FIELDS],
}

fn varint_len(v: u32) -> u32 {
    match v {
        0..0x80 => 1,
        0x80..0x4000 => 2,
        0x4000..0x20_0000 => 3,
        0x20_0000..0x1000_0000 => 4,
        _ => 5,
    }
}

impl Builder {
    fn start_doc(&mut self, doc: Doc) {
        self.docs.push(doc);
        self.doc_lens = [0; N_FIELDS];
    }

    /// The id of a term, given the next free one when it is new.
    fn key_id(&mut self, key: Key<'_>) -> u32 {
        let next = self.slots.len() as u32;
        let id = match key {
            Key::Word(w) => match self.words.get(w) {
                Some(&id) => id,
                None => {
                    self.words.insert(w.into(), next);
                    next
                }
            },
            Key::Cjk(key) => self.cjk.get_or_insert(key, next),
        };
        if id == next {
            self.slots.push(Slot::default());
        }
        id
    }

    fn add(&mut self, field: Field, text: &str) {
        self.add_with_quotes(field, text, &[]);
    }

    /// Adds `text` to `field`; the tokens lying wholly inside one of `quotes` (character
    /// ranges, sorted by start) count in [`Field::Quote`] too. Tokenising the text once instead
    /// of tokenising each quote again halves the build: most of a talk is quoted speech.
    fn add_with_quotes(&mut self, field: Field, text: &str, quotes: &[(u32, u32)]) {
        let f = field as usize;
        let q = Field::Quote as usize;
        let (mut len, mut quote_len) = (0u32, 0u32);
        // `reach[k]`: the furthest end among the first k + 1 quote ranges (sorted by start). A
        // token lies inside a quote when some range starting at or before it reaches past its
        // end: a binary search per token, not a scan of every quote.
        let reach: Vec<u32> = quotes
            .iter()
            .scan(0u32, |far, r| {
                *far = (*far).max(r.1);
                Some(*far)
            })
            .collect();
        tokenize(text, |term, span| {
            // Unigrams are not counted in the length: they double every CJK run.
            let counted = u32::from(!matches!(term, Term::Uni(_)));
            len += counted;
            let id = self.key_id(term.into());
            let slot = &mut self.slots[id as usize];
            if slot.counts == [0; N_FIELDS] {
                self.current.push(id);
            }
            slot.counts[f] = slot.counts[f].saturating_add(1);
            let starts = quotes.partition_point(|r| r.0 <= span.start);
            if starts > 0 && span.end <= reach[starts - 1] {
                quote_len += counted;
                slot.counts[q] = slot.counts[q].saturating_add(1);
            }
        });
        self.doc_lens[f] += len;
        self.doc_lens[q] += quote_len;
    }

    fn end_doc(&mut self) {
        let doc = (self.docs.len() - 1) as u32;
        if self.stream.last().is_none_or(|c| c.len() >= CHUNK) {
            self.stream.push(Vec::with_capacity(CHUNK));
        }
        let stream = self.stream.last_mut().expect("a chunk");
        let before = stream.len();
        for &id in &self.current {
            let slot = &mut self.slots[id as usize];
            let counts = std::mem::take(&mut slot.counts);
            let mask = field_mask(&counts);
            write_varint(stream, id);
            stream.push(mask);
            stream.extend(counts.iter().copied().filter(|&c| c > 0));
            let gap = if slot.df == 0 { doc } else { doc - slot.last };
            slot.bytes += varint_len(gap) + 1 + mask.count_ones();
            slot.last = doc;
            slot.df += 1;
        }
        self.current.clear();
        self.lens.push(self.doc_lens);
        let end = self.doc_ends.last().map_or(0, |&e| e) + stream.len() - before;
        self.doc_ends.push(end);
    }

    /// Scatters the stream into one packed array of posting lists.
    fn pack(&mut self) -> (Vec<TermInfo>, Vec<u8>) {
        let mut terms = Vec::with_capacity(self.slots.len());
        let mut at = 0u32;
        for slot in &self.slots {
            terms.push(TermInfo {
                df: slot.df,
                start: at,
                end: at + slot.bytes,
            });
            at += slot.bytes;
        }
        let mut postings = vec![0u8; at as usize];
        // Per term: where its list continues, and its last document so far ([`NONE`] before the
        // first, whose gap is the document itself).
        let mut cursor: Vec<(u32, u32)> = terms.iter().map(|t| (t.start, NONE)).collect();
        let mut ends = self.doc_ends.iter().enumerate().peekable();
        let mut base = 0;
        // Each chunk is dropped as soon as it is scattered.
        for chunk in std::mem::take(&mut self.stream) {
            let mut from = 0;
            while let Some((doc, &end)) = ends.next_if(|&(_, &end)| end - base <= chunk.len()) {
                let doc = doc as u32;
                let mut bytes = &chunk[from..end - base];
                while !bytes.is_empty() {
                    let (id, rest) = read_varint(bytes);
                    let n = 1 + rest[0].count_ones() as usize;
                    let (c, last) = &mut cursor[id as usize];
                    let gap = if *last == NONE { doc } else { doc - *last };
                    *last = doc;
                    let at = put_varint(&mut postings, *c as usize, gap);
                    postings[at..at + n].copy_from_slice(&rest[..n]);
                    *c = (at + n) as u32;
                    bytes = &rest[n..];
                }
                from = end - base;
            }
            base += chunk.len();
        }
        (terms, postings)
    }

    fn finish(mut self) -> Index {
        let field_weight = field_weights(&self.lens);
        let (terms, postings) = self.pack();
        let mut words_by_len: Vec<Vec<(Box<str>, u32)>> = Vec::new();
        for (w, &id) in &self.words {
            let len = w.chars().count();
            if words_by_len.len() <= len {
                words_by_len.resize_with(len + 1, Vec::new);
            }
            words_by_len[len].push((w.clone(), id));
        }
        for bucket in &mut words_by_len {
            bucket.sort();
        }
        let mut stems: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for (w, &id) in &self.words {
            if let Some(s) = stem_word(w) {
                stems.entry(s.into()).or_default().push(id);
            }
        }
        Index {
            docs: self.docs,
            lens: self.lens,
            field_weight,
            cjk: self.cjk,
            words: self.words,
            words_by_len,
            terms,
            postings,
            titles: Vec::new(),
            stems,
            bilingual: Bilingual::default(),
            readings: Readings::default(),
            title_pinyin: Vec::new(),
            title_first: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_is_found_where_str_find_finds_it() {
        let seed = include_str!("../../../../seeds/2026-01-27-sam-altman-developer-townhall.md");
        // Needles whose head stands several times, overlapping itself, before the needle does.
        let repeats = format!("{}b", "a".repeat(40));
        let cases: Vec<(&str, &str)> = vec![
            (&repeats, &repeats[1..]),
            (&repeats, "aaaaaaaaaaaaaaaaaaaab"),
            ("aaaaaaaaaaaaaaaaaaaaaaaaac", "aaaaaaaaaaaaaaaaaaaaab"),
            ("一二三四五六一二三四五六七", "一二三四五六七"),
            ("“他说”“他说了”", "他说了"),
            ("abc", ""),
            ("", "abc"),
            ("ab", "abc"),
        ];
        for (hay, needle) in cases {
            assert_eq!(
                find_in(hay, needle),
                hay.find(needle),
                "{needle:?} in {hay:?}"
            );
        }
        // Every sentence of the seed, and each one's tail from every character on.
        for line in seed.lines().filter(|l| l.chars().count() > 8) {
            for (i, _) in line.char_indices().step_by(7) {
                let needle = &line[i..];
                assert_eq!(find_in(seed, needle), seed.find(needle), "{needle:?}");
            }
        }
    }

    #[test]
    fn posting_lists_hold_every_document_of_a_term_in_order() {
        let mut b = Builder::default();
        for (i, text) in ["深蓝 GPT", "深蓝深蓝", "别的", "GPT 深蓝"]
            .iter()
            .enumerate()
        {
            b.start_doc(Doc {
                talk: 0,
                section: Some(i as u32),
                kind: HitKind::Section,
                item: 0,
            });
            b.add(Field::Body, text);
            if i == 3 {
                b.add(Field::Title, "深蓝");
            }
            b.end_doc();
        }
        let index = b.finish();
        let list = |t: Term<'_>| -> Vec<(u32, [u8; N_FIELDS])> {
            let id = index.term_id(t).expect("indexed");
            index.postings(id).map(|p| (p.doc, p.counts)).collect()
        };
        assert_eq!(
            list(Term::Bi('深', '蓝')),
            vec![
                (0, [0, 0, 0, 1, 0, 0]),
                (1, [0, 0, 0, 2, 0, 0]),
                (3, [1, 0, 0, 1, 0, 0])
            ]
        );
        assert_eq!(
            list(Term::Word("gpt")),
            vec![(0, [0, 0, 0, 1, 0, 0]), (3, [0, 0, 0, 1, 0, 0])]
        );
        assert_eq!(index.df(index.term_id(Term::Uni('别')).unwrap()), 1);
    }

    #[test]
    fn quoted_tokens_count_in_the_quote_field_too() {
        let body = "他说深蓝打败卡斯帕罗夫然后 GPT 走了";
        let (spans, elsewhere) = quote_spans(body, &["深蓝打败卡斯帕罗夫", "不在正文"]);
        assert_eq!(spans, vec![(2, 11)]);
        assert_eq!(elsewhere, vec!["不在正文"]);
        let mut b = Builder::default();
        b.start_doc(Doc {
            talk: 0,
            section: Some(0),
            kind: HitKind::Section,
            item: 0,
        });
        b.add_with_quotes(Field::Body, body, &spans);
        b.end_doc();
        let index = b.finish();
        let counts = |t: Term<'_>| {
            index
                .postings(index.term_id(t).unwrap())
                .next()
                .unwrap()
                .counts
        };
        assert_eq!(counts(Term::Bi('深', '蓝')), [0, 1, 0, 1, 0, 0]);
        assert_eq!(counts(Term::Word("gpt")), [0, 0, 0, 1, 0, 0]);
        // A bigram across the quote's edge is not quoted.
        assert_eq!(counts(Term::Bi('夫', '然')), [0, 0, 0, 1, 0, 0]);
    }

    type Postings = Vec<(u32, [u8; N_FIELDS])>;

    /// Every term of an index by what it is keyed on, with its df and posting list.
    fn by_key(index: &Index) -> Vec<(String, u32, Postings)> {
        let mut terms: Vec<_> = index
            .vocabulary()
            .map(|(key, id)| {
                let list = index.postings(id).map(|p| (p.doc, p.counts)).collect();
                (format!("{key:?}"), index.df(id), list)
            })
            .collect();
        terms.sort();
        terms
    }

    /// Each stem with the words it gathers.
    fn stems(index: &Index) -> Vec<(String, Vec<String>)> {
        let word_of: FxHashMap<u32, &str> = index.words.iter().map(|(w, &id)| (id, &**w)).collect();
        let mut stems: Vec<_> = index
            .stems
            .iter()
            .map(|(s, ids)| {
                let mut words: Vec<String> = ids.iter().map(|id| word_of[id].to_string()).collect();
                words.sort();
                (s.to_string(), words)
            })
            .collect();
        stems.sort();
        stems
    }

    /// Asserts that `spliced` holds what `fresh` holds (a build from scratch of `talks`): the
    /// same documents, weights, postings by term, vocabulary, stems, titles and what the
    /// dictionary and readings give, whatever the numbering of the terms.
    fn same_index(spliced: &Index, fresh: &Index, talks: &[Talk], step: &str) {
        assert_eq!(
            format!("{:?}", spliced.docs),
            format!("{:?}", fresh.docs),
            "{step}"
        );
        assert_eq!(spliced.lens, fresh.lens, "{step}");
        assert_eq!(spliced.field_weight, fresh.field_weight, "{step}");
        assert_eq!(by_key(spliced), by_key(fresh), "{step}");
        let words = |index: &Index| -> Vec<Vec<Box<str>>> {
            let by_len = index.words_by_len.iter();
            by_len
                .map(|b| b.iter().map(|(w, _)| w.clone()).collect())
                .collect()
        };
        // A bucket of longer words than any left may stay, empty.
        let trimmed = |mut w: Vec<Vec<Box<str>>>| {
            while w.last().is_some_and(Vec::is_empty) {
                w.pop();
            }
            w
        };
        assert_eq!(trimmed(words(spliced)), trimmed(words(fresh)), "{step}");
        for bucket in &spliced.words_by_len {
            for (w, id) in bucket {
                assert_eq!(spliced.words.get(w), Some(id), "{step}: {w}");
            }
        }
        assert_eq!(stems(spliced), stems(fresh), "{step}");
        assert_eq!(
            format!("{:?}", spliced.titles),
            format!("{:?}", fresh.titles),
            "{step}"
        );
        assert_eq!(spliced.title_pinyin, fresh.title_pinyin, "{step}");
        assert_eq!(spliced.title_first, fresh.title_first, "{step}");
        assert_eq!(spliced.bilingual.len(), fresh.bilingual.len(), "{step}");
        assert_eq!(spliced.readings.len(), fresh.readings.len(), "{step}");
        assert_eq!(spliced.check(talks), Ok(()), "{step}");
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn fixture(name: &str) -> String {
        read(&format!("tests/fixtures/formats/{name}.md"))
    }

    fn parse(id: &str, src: &str) -> Talk {
        crate::parse::parse_talk(id, src).0
    }

    fn seed() -> String {
        read("seeds/2026-01-27-sam-altman-developer-townhall.md")
    }

    #[test]
    fn reusing_a_previous_index_gives_the_same_index_as_a_fresh_build() {
        let before = [
            parse("seed", &seed()),
            parse("a", &fixture("chinese-interview")),
            parse("b", &fixture("english-quotes")),
            parse("c", &fixture("chinese-setext")),
            parse("d", &fixture("h1-sections")),
        ];
        // `a` changes, `b` is removed, `e` is added, and the seed moves.
        let changed =
            fixture("chinese-interview") + "\n\n他说：“深蓝打败了卡斯帕罗夫，reuse-test 也是。”\n";
        let after = [
            parse("a", &changed),
            parse("c", &fixture("chinese-setext")),
            parse("seed", &seed()),
            parse("d", &fixture("h1-sections")),
            parse("e", &fixture("numbered-underlined")),
        ];
        let previous = Index::build(&before);
        let fresh = Index::build(&after);
        assert!(
            by_key(&fresh)
                .iter()
                .any(|(k, _, _)| k == "Word(\"reusetest\")")
        );
        // The kept talks out of their order cannot be spliced: the index is built afresh.
        let map = [None, Some(3), Some(0), Some(4), None];
        assert!(splice::splice(&after, &previous, &map).is_none());
        same_index(
            &Index::build_reusing(&after, Some((&previous, &map))),
            &fresh,
            &after,
            "out of order",
        );
        // In their order (what a loader gives, talks in file-name order), it is.
        let before = [
            parse("a", &fixture("chinese-interview")),
            parse("b", &fixture("english-quotes")),
            parse("c", &fixture("chinese-setext")),
            parse("d", &fixture("h1-sections")),
            parse("seed", &seed()),
        ];
        let after = [
            parse("a", &changed),
            parse("c", &fixture("chinese-setext")),
            parse("d", &fixture("h1-sections")),
            parse("e", &fixture("numbered-underlined")),
            parse("seed", &seed()),
        ];
        let previous = Index::build(&before);
        let map = [None, Some(2), Some(3), None, Some(4)];
        assert!(splice::splice(&after, &previous, &map).is_some());
        same_index(
            &Index::build_reusing(&after, Some((&previous, &map))),
            &Index::build(&after),
            &after,
            "in order",
        );
    }

    #[test]
    fn a_chain_of_splices_keeps_giving_the_index_of_a_fresh_build() {
        let base: Vec<(&'static str, String)> = vec![
            ("a", fixture("chinese-interview")),
            ("b", fixture("english-quotes")),
            ("c", fixture("chinese-setext")),
            ("d", fixture("h1-sections")),
            ("seed", seed()),
        ];
        let with = |files: &[(&'static str, String)], id: &'static str, text: String| {
            let mut files = files.to_vec();
            match files.iter_mut().find(|(f, _)| *f == id) {
                Some(f) => f.1 = text,
                None => files.push((id, text)),
            }
            files.sort_by(|x, y| x.0.cmp(y.0));
            files
        };
        let without = |files: &[(&'static str, String)], id: &str| {
            files
                .iter()
                .filter(|(f, _)| *f != id)
                .cloned()
                .collect::<Vec<_>>()
        };
        let a2 =
            fixture("chinese-interview") + "\n\n他说：“麒麟踏雪而来，zyxwvut quuxing 也是。”\n";
        let seed_english = seed().replace("Sam Altman", "Sam Altman (quuxed)");
        let steps: Vec<(&str, Vec<(&'static str, String)>)> = {
            let s1 = with(&base, "a", a2.clone());
            let s2 = without(&s1, "b");
            let s3 = with(&s2, "e", fixture("numbered-underlined"));
            let s4 = with(&s3, "a", fixture("chinese-interview"));
            let s5 = with(&s4, "b", fixture("english-quotes"));
            let s6 = with(&s5, "seed", seed_english);
            let s7 = s6.clone();
            let s8 = without(&without(&without(&s7, "a"), "c"), "seed");
            let s9 = with(&s8, "a", a2);
            vec![
                ("new words and characters in a", s1),
                ("b removed", s2),
                ("e added", s3),
                ("a's new terms vanish", s4),
                ("b's words come back", s5),
                ("English alone changes", s6),
                ("nothing changes", s7),
                ("most talks removed", s8),
                ("a changed again", s9),
            ]
        };
        let talks_of =
            |files: &[(&str, String)]| files.iter().map(|(id, t)| parse(id, t)).collect::<Vec<_>>();
        let mut files = base.clone();
        let mut talks = talks_of(&files);
        let mut index = Index::build(&talks);
        for (step, next) in steps {
            let next_talks = talks_of(&next);
            let map: Vec<Option<usize>> = next
                .iter()
                .map(|(id, text)| files.iter().position(|(f, t)| f == id && t == text))
                .collect();
            let spliced = Index::build_reusing(&next_talks, Some((&index, &map)));
            same_index(&spliced, &Index::build(&next_talks), &next_talks, step);
            (files, talks, index) = (next, next_talks, spliced);
        }
        assert_eq!(talks.len(), 4);
    }

    #[test]
    fn image_gloss_keeps_the_words_of_the_file_name_and_the_alt_text() {
        assert_eq!(
            image_gloss(
                "https://s.io/imgs/01-infographic-jevons-paradox.png",
                "Image 3: 软件工程的杰文斯悖论"
            ),
            "jevons paradox 软件工程的杰文斯悖论"
        );
        assert_eq!(image_gloss("cover.png", "Image 1"), "");
    }

    #[test]
    fn varints_round_trip() {
        for v in [0u32, 1, 127, 128, 300, 70_000, u32::MAX] {
            let mut buf = Vec::new();
            write_varint(&mut buf, v);
            assert_eq!(read_varint(&buf), (v, &[][..]), "{v}");
        }
    }
}
