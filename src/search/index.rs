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
//! - the index is immutable once built; a reload builds a new one.

use rustc_hash::FxHashMap;

use super::HitKind;
use super::dict::{self, Bilingual};
use super::normalize::{compact, plain};
use super::tokenize::{Term, tokenize};
use crate::model::{SectionRef, Talk};

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
    /// file name (`01-infographic-jevons-paradox.png`) and the image's alt text.
    Alias = 5,
}

pub const N_FIELDS: usize = 6;

/// How much a match in each field counts, in [`Field`] order. An alias counts less than the
/// body: it names the section's topic, but in a few words chosen for a file name.
pub const BOOSTS: [f32; N_FIELDS] = [4.0, 2.0, 1.5, 1.0, 1.0, 0.8];

/// BM25 length normalisation strength.
const B: f32 = 0.75;

/// One document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub talk: u32,
    /// The section ordinal, for section documents.
    pub section: Option<u32>,
    pub kind: HitKind,
    /// Which key point or risk, for summary items.
    pub item: u32,
}

#[derive(Debug, Clone, Copy, Default)]
struct TermInfo {
    df: u32,
    /// Byte range of the posting list in `Index::postings`.
    start: u32,
    end: u32,
}

/// The search index of a library. Built once per load, never per query.
#[derive(Debug, Default)]
pub struct Index {
    pub(super) docs: Vec<Doc>,
    /// Per document and field: boost / (1 - b + b · len / avg_len), the BM25F weight of one
    /// occurrence before saturation.
    pub(super) field_weight: Vec<[f32; N_FIELDS]>,
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
}

/// One entry of a posting list.
#[derive(Debug, Clone, Copy)]
pub struct Posting {
    pub doc: u32,
    pub counts: [u8; N_FIELDS],
}

impl Index {
    pub fn build(talks: &[Talk]) -> Index {
        let mut b = Builder::default();
        let mut titles = Vec::new();
        for (t, talk) in talks.iter().enumerate() {
            let t32 = t as u32;
            for s in &talk.sections {
                b.start_doc(Doc {
                    talk: t32,
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
                    b.add(Field::Alias, &image_alias(&image.url, &image.alt));
                }
                b.end_doc();
                let title = compact(&s.title);
                let mask = char_mask(&title);
                titles.push((
                    SectionRef {
                        talk: t,
                        section: s.ordinal,
                    },
                    s.number,
                    title,
                    mask,
                ));
            }
            for (kind, items) in [
                (HitKind::KeyPoint, &talk.summary.key_points),
                (HitKind::Risk, &talk.summary.risks),
            ] {
                for (i, item) in items.iter().enumerate() {
                    b.start_doc(Doc {
                        talk: t32,
                        section: None,
                        kind,
                        item: i as u32,
                    });
                    b.add(Field::Summary, &plain(item));
                    b.end_doc();
                }
            }
            b.start_doc(Doc {
                talk: t32,
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
        let mut index = b.finish();
        index.titles = titles;
        index.bilingual = Bilingual::build(&index);
        index
    }

    /// The dictionary entries the library uses.
    pub fn bilingual(&self) -> &Bilingual {
        &self.bilingual
    }

    /// Words of the vocabulary other than `word` with the same English stem.
    pub fn same_stem<'s>(&'s self, word: &'s str) -> impl Iterator<Item = u32> + 's {
        let own = self.words.get(word).copied();
        let stem = (!word.chars().any(|c| c.is_ascii_digit())).then(|| dict::stem(word));
        stem.and_then(|s| self.stems.get(s.as_str()))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&id| Some(id) != own)
    }

    pub fn n_docs(&self) -> usize {
        self.docs.len()
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
            let mask = rest[0];
            let mut counts = [0u8; N_FIELDS];
            let mut at = 1;
            for (f, c) in counts.iter_mut().enumerate() {
                if mask & (1 << f) != 0 {
                    *c = rest[at];
                    at += 1;
                }
            }
            bytes = &rest[at..];
            Some(Posting { doc, counts })
        })
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
            + self.cjk.heap_bytes()
            + words
            + self.terms.capacity() * std::mem::size_of::<TermInfo>()
            + self.postings.capacity()
            + titles
            + self.stems.capacity() * 48
            + self.bilingual.heap_bytes()
    }
}

/// The alias text of a section's image: the words of its file name without the numbering and
/// the boilerplate (`01-infographic-jevons-paradox.png` gives `jevons paradox`), and its alt text
/// without the `Image 3:` label.
fn image_alias(url: &str, alt: &str) -> String {
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
        let found = body[from..]
            .find(q)
            .map(|at| from + at)
            .or_else(|| body.find(q));
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
#[derive(Debug, Default)]
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

    fn heap_bytes(&self) -> usize {
        self.uni.capacity() * 4 + self.other.capacity() * 16
    }
}

fn read_varint(bytes: &[u8]) -> (u32, &[u8]) {
    let mut v = 0u32;
    let mut shift = 0;
    for (i, &b) in bytes.iter().enumerate() {
        v |= ((b & 0x7F) as u32) << shift;
        if b & 0x80 == 0 {
            return (v, &bytes[i + 1..]);
        }
        shift += 7;
    }
    (v, &[])
}

fn write_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Accumulates documents.
///
/// Postings are first written in document order to one sequential stream (term id, field mask,
/// counts), and scattered into per-term lists once at the end, when every list's size is known.
/// Appending to one growing buffer per term instead touches a random cache line for every
/// posting, which made the build several times slower at 1,000 talks.
#[derive(Default)]
struct Builder {
    docs: Vec<Doc>,
    lens: Vec<[u32; N_FIELDS]>,
    cjk: CjkIds,
    words: FxHashMap<Box<str>, u32>,
    /// Per term: bytes of its posting list so far, the last document it was in, its df.
    sizes: Vec<(u32, u32, u32)>,
    /// Postings in document order: per document, per term, the varint term id, the mask and
    /// the counts.
    stream: Vec<u8>,
    /// Where each document's postings end in `stream`.
    doc_ends: Vec<usize>,
    /// Per term: the counts in the current document, and whether it is in `current`.
    counts: Vec<[u8; N_FIELDS]>,
    seen: Vec<bool>,
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

    fn term(&mut self, term: Term<'_>) -> u32 {
        let next = self.sizes.len() as u32;
        let id = match term {
            Term::Word(w) => match self.words.get(w) {
                Some(&id) => id,
                None => {
                    self.words.insert(w.into(), next);
                    next
                }
            },
            _ => {
                let key = term.cjk_key().expect("not a word");
                self.cjk.get_or_insert(key, next)
            }
        };
        if id == next {
            self.sizes.push((0, 0, 0));
            self.counts.push([0; N_FIELDS]);
            self.seen.push(false);
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
        let mut ids = std::mem::take(&mut self.current);
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
            let id = self.term(term);
            let i = id as usize;
            if !self.seen[i] {
                self.seen[i] = true;
                ids.push(id);
            }
            self.counts[i][f] = self.counts[i][f].saturating_add(1);
            let starts = quotes.partition_point(|r| r.0 <= span.start);
            let quoted = starts > 0 && span.end <= reach[starts - 1];
            if quoted {
                quote_len += counted;
                self.counts[i][q] = self.counts[i][q].saturating_add(1);
            }
        });
        self.current = ids;
        self.doc_lens[f] += len;
        self.doc_lens[q] += quote_len;
    }

    fn end_doc(&mut self) {
        let doc = (self.docs.len() - 1) as u32;
        for &id in &self.current {
            let i = id as usize;
            let counts = std::mem::take(&mut self.counts[i]);
            self.seen[i] = false;
            let mut mask = 0u8;
            for (f, &c) in counts.iter().enumerate() {
                mask |= u8::from(c > 0) << f;
            }
            write_varint(&mut self.stream, id);
            self.stream.push(mask);
            for &c in &counts {
                if c > 0 {
                    self.stream.push(c);
                }
            }
            let n_counts = mask.count_ones();
            let (bytes, last, df) = &mut self.sizes[i];
            let gap = if *df == 0 { doc } else { doc - *last };
            *bytes += varint_len(gap) + 1 + n_counts;
            *last = doc;
            *df += 1;
        }
        self.current.clear();
        self.lens.push(self.doc_lens);
        self.doc_ends.push(self.stream.len());
    }

    /// Scatters the stream into one packed array of posting lists.
    fn pack(&mut self) -> (Vec<TermInfo>, Vec<u8>) {
        let mut terms = Vec::with_capacity(self.sizes.len());
        let mut at = 0u32;
        for &(bytes, _, df) in &self.sizes {
            terms.push(TermInfo {
                df,
                start: at,
                end: at + bytes,
            });
            at += bytes;
        }
        let mut postings = vec![0u8; at as usize];
        let mut cursor: Vec<u32> = terms.iter().map(|t| t.start).collect();
        let mut last: Vec<u32> = vec![0; terms.len()];
        let mut first: Vec<bool> = vec![true; terms.len()];
        let mut from = 0;
        for (doc, &end) in self.doc_ends.iter().enumerate() {
            let doc = doc as u32;
            let mut bytes = &self.stream[from..end];
            while !bytes.is_empty() {
                let (id, rest) = read_varint(bytes);
                let i = id as usize;
                let mask = rest[0];
                let n = mask.count_ones() as usize;
                let gap = if first[i] { doc } else { doc - last[i] };
                first[i] = false;
                last[i] = doc;
                let mut c = cursor[i] as usize;
                let mut v = gap;
                while v >= 0x80 {
                    postings[c] = (v as u8) | 0x80;
                    v >>= 7;
                    c += 1;
                }
                postings[c] = v as u8;
                c += 1;
                postings[c..c + 1 + n].copy_from_slice(&rest[..1 + n]);
                cursor[i] = (c + 1 + n) as u32;
                bytes = &rest[1 + n..];
            }
            from = end;
        }
        self.stream = Vec::new();
        (terms, postings)
    }

    fn finish(mut self) -> Index {
        let n = self.docs.len().max(1) as f32;
        let mut avg = [0f32; N_FIELDS];
        for l in &self.lens {
            for f in 0..N_FIELDS {
                avg[f] += l[f] as f32 / n;
            }
        }
        let field_weight = self
            .lens
            .iter()
            .map(|l| {
                let mut w = [0f32; N_FIELDS];
                for f in 0..N_FIELDS {
                    if avg[f] > 0.0 {
                        w[f] = BOOSTS[f] / (1.0 - B + B * l[f] as f32 / avg[f]);
                    }
                }
                w
            })
            .collect();
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
            if w.chars().all(|c| c.is_ascii_alphabetic()) && w.len() > 3 {
                stems.entry(dict::stem(w).into()).or_default().push(id);
            }
        }
        Index {
            docs: self.docs,
            field_weight,
            cjk: self.cjk,
            words: self.words,
            words_by_len,
            terms,
            postings,
            titles: Vec::new(),
            stems,
            bilingual: Bilingual::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn image_alias_keeps_the_words_of_the_file_name_and_the_alt_text() {
        assert_eq!(
            image_alias(
                "https://s.io/imgs/01-infographic-jevons-paradox.png",
                "Image 3: 软件工程的杰文斯悖论"
            ),
            "jevons paradox 软件工程的杰文斯悖论"
        );
        assert_eq!(image_alias("cover.png", "Image 1"), "");
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
