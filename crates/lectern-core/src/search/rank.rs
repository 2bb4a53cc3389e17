//! Ranking: a query becomes groups of terms, and documents are scored with BM25F.
//!
//! The model (explained at more length in ARCHITECTURE.md, "Search"):
//! - a query is cut into *groups*: one per word, per CJK bigram, and per CJK unigram. A word
//!   group holds the word itself if the vocabulary has it, or else the vocabulary words within a
//!   typo distance ([`max_typos`]), each worth less than an exact match ([`FUZZY_FACTOR`]).
//!   Unigrams of a longer CJK run are worth [`UNIGRAM_FACTOR`] of a bigram: they only help when
//!   a typo broke the bigrams around it;
//! - issue 16: English stop words and Chinese particles standing alone are dropped; a Chinese
//!   run is segmented into dictionary words ([`expand::segment`]) and a pair across two words
//!   is a helper ([`CROSS_FACTOR`]); a group may also be
//!   matched by a *phrase* (a Chinese word whose character pairs must all occur in a document):
//!   the dictionary's Chinese for English words ([`DICT_FACTOR`]), synonyms of a Chinese word
//!   ([`SYNONYM_FACTOR`]); and a word by another of the same English stem ([`STEM_FACTOR`]).
//!   Every expansion is worth less than the word itself. A Taiwan or Hong Kong spelling is
//!   searched beside its mainland conversion ([`score_text`]);
//! - a document's score for a group is the best of its alternatives:
//!   `factor · idf · tf' (k1 + 1) / (tf' + k1)` where `tf'` sums the term's counts over fields,
//!   each weighted by the field's boost and divided by its length normalisation (BM25F);
//! - *coverage* is the share of the query's weight (`factor · idf` per group, terms missing from
//!   the index counted at the idf of the rarest term of the query it has) that the document
//!   matches. The ranking score is the
//!   BM25F sum times the coverage, so that matching all of the query beats repeating part of it;
//! - the best few candidates whose folded text holds the whole query contiguously get
//!   [`PHRASE_BONUS`];
//! - a query whose best coverage is under [`MIN_COVERAGE`] is a miss: no weak random hits.
//!
//! Invariant: scoring only reads the index; the per-document score arrays are allocated once
//! per thread and reused (zeroed as they are read).

use super::index::{Index, N_FIELDS, Posting};
use super::normalize::compact;
use super::pinyin::{self, How, Piece};
use super::tokenize::{Term, is_stop_en, max_typos, tokenize};
use super::{dict, expand};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// What a word matched through a typo is worth, by edit distance (1, 2).
pub const FUZZY_FACTOR: [f32; 2] = [0.7, 0.5];
/// What a CJK unigram is worth next to a bigram, when the query has bigrams.
pub const UNIGRAM_FACTOR: f32 = 0.3;
/// What a character pair across two words of the query is worth (低成 in 降低成本, 最担 in
/// 最担心), a word being a dictionary word or a lone character between words: a helper, like
/// a unigram. A pair into a row of characters that start no word keeps its full weight: in the
/// typo `生物安荃`, 物安 still carries the meaning.
pub const CROSS_FACTOR: f32 = 0.3;
/// What a Chinese word found through the dictionary for English words is worth.
pub const DICT_FACTOR: f32 = 0.6;
/// The same, when the English words are only the start of the sense (`drop out` for
/// "drop out of school").
pub const DICT_PREFIX_FACTOR: f32 = 0.45;
/// What a synonym of a query word is worth.
pub const SYNONYM_FACTOR: f32 = 0.6;
/// What a Chinese word of the library read from a query's pinyin is worth (`shengwu` for 生物).
pub const PINYIN_FACTOR: f32 = 0.55;
/// What a Chinese word found by the initials of its syllables is worth (`swaq` for 生物安全).
pub const INITIALS_FACTOR: f32 = 0.4;
/// What another word of the vocabulary with the same English stem is worth (`hire`, `hiring`).
pub const STEM_FACTOR: f32 = 0.8;
/// At most this many dictionary words or synonyms per query term.
const MAX_EXPANSIONS: usize = 6;
/// Score multiplier for a document holding the whole query contiguously.
pub const PHRASE_BONUS: f32 = 1.5;
/// How many of the best candidates the phrase check reads.
const PHRASE_CANDIDATES: usize = 10;
/// The least coverage of the best hit for a query to count as found; see ARCHITECTURE.md for
/// the measurement behind it. Hits below it are dropped too.
pub const MIN_COVERAGE: f32 = 0.45;
/// Hits scoring under this share of the best hit are dropped as noise.
const MIN_RELATIVE_SCORE: f32 = 0.2;

/// One way of matching a group: a term, or a phrase (several character pairs that must all
/// occur in a document: a Chinese word reached through a synonym or the dictionary).
#[derive(Debug, Clone)]
pub struct Alt {
    /// The index's term ids: one for a term, the character pairs for a phrase.
    pub terms: Vec<u32>,
    /// What a match of this alternative is worth, as a factor of its score: an expansion is
    /// worth less than the word itself ([`FUZZY_FACTOR`], [`DICT_FACTOR`], …).
    pub factor: f32,
    /// In how many documents the alternative occurs.
    pub df: u32,
    /// For a phrase: the documents holding all its terms, with per field the least count of
    /// its terms.
    phrase: Option<Arc<[Posting]>>,
}

impl Alt {
    fn term(index: &Index, id: u32, factor: f32) -> Alt {
        Alt {
            terms: vec![id],
            factor,
            df: index.df(id),
            phrase: None,
        }
    }

    /// The phrase of the (folded) CJK word `word`, if the index holds it.
    fn phrase(index: &Index, word: &str, factor: f32) -> Option<Alt> {
        let chars: Vec<char> = word.chars().collect();
        if let [c] = chars[..] {
            // One character (a curated meaning): its unigram.
            return index
                .term_id(Term::Uni(c))
                .map(|id| Alt::term(index, id, factor));
        }
        if chars.is_empty() {
            return None;
        }
        let terms: Vec<u32> = chars
            .windows(2)
            .map(|p| index.term_id(Term::Bi(p[0], p[1])))
            .collect::<Option<_>>()?;
        if terms.len() == 1 {
            return Some(Alt::term(index, terms[0], factor));
        }
        // From the shortest list: the intersection is the same, the list kept while the others
        // are read is the shortest possible.
        let first = (0..terms.len())
            .min_by_key(|&i| index.df(terms[i]))
            .unwrap_or(0);
        let mut list: Vec<Posting> = index.postings(terms[first]).collect();
        for (_, &t) in terms.iter().enumerate().filter(|&(i, _)| i != first) {
            let mut other = index.postings(t).peekable();
            list.retain_mut(|p| {
                while other.peek().is_some_and(|o| o.doc < p.doc) {
                    other.next();
                }
                match other.peek() {
                    Some(o) if o.doc == p.doc => {
                        for (c, oc) in p.counts.iter_mut().zip(o.counts) {
                            *c = (*c).min(oc);
                        }
                        true
                    }
                    _ => false,
                }
            });
        }
        list.retain(|p| p.counts.iter().any(|&c| c > 0));
        if list.is_empty() {
            return None;
        }
        Some(Alt {
            terms,
            factor,
            df: list.len() as u32,
            phrase: Some(list.into()),
        })
    }

    /// Calls `f` with the document and the BM25F term frequency (before saturation) of every
    /// posting of the alternative.
    fn for_each_tf(&self, index: &Index, mut f: impl FnMut(usize, f32)) {
        match &self.phrase {
            Some(list) => {
                for p in list.iter() {
                    f(p.doc as usize, tf(index, p.doc, &p.counts));
                }
            }
            None => index.for_each_weighted(self.terms[0], f),
        }
    }
}

/// One part of a query: alternatives, and its weight in the coverage.
#[derive(Debug, Clone)]
pub struct Group {
    /// The ways of matching this part; a document scores the best of them.
    pub alts: Vec<Alt>,
    /// The group's share in the coverage: the largest `factor · idf` of its alternatives, or
    /// for a term the index lacks, the weight `weigh_missing` gives it.
    pub weight: f32,
}

/// A parsed query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The parts of the query, each matched by any of its alternatives.
    pub groups: Vec<Group>,
    /// The query folded to letters, digits and CJK characters, for the phrase check.
    pub compact: String,
}

/// Something a query term may also match, before the index is asked.
#[derive(Debug, Clone, PartialEq)]
enum Expansion {
    /// A Chinese word (folded), matched as a phrase.
    Phrase(String),
    /// A word of the vocabulary.
    Word(String),
}

/// A term of the query with its factor and its expansions.
struct Raw {
    term: RawTerm,
    factor: f32,
    extra: Vec<(Expansion, f32)>,
}

/// A token of the query, in order.
enum Tok {
    Word(String),
    Uni(char, u32),
}

/// The words and the CJK runs of a query.
struct Tokens {
    /// Every word token, in order (hyphen-joined forms included).
    words: Vec<String>,
    /// The runs of neighbouring CJK characters, in order.
    runs: Vec<Vec<char>>,
}

/// A word of a CJK run: its first character, its length, and whether it is a particle.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Seg {
    start: usize,
    len: usize,
    particle: bool,
}

/// What of the query counts, once stop words and particles are known.
struct Counted<'w> {
    /// Whether stop words and particles are dropped (they are, unless the query is nothing
    /// else).
    drop_stops: bool,
    /// What a CJK unigram is worth: full weight when the query has one CJK character that
    /// counts, [`UNIGRAM_FACTOR`] when it has more.
    uni_factor: f32,
    /// The words that count, in order.
    words: Vec<&'w str>,
}

impl Query {
    /// Parses a query against the index, in phases: tokens (`Tokens::read`), the words of
    /// its CJK runs (`segment_run`), what counts (`counted`), the parts typed in pinyin
    /// (`pinyin_pieces`), the terms of its characters and pairs (`cjk_terms`), of its words
    /// (`word_terms`) and of its pinyin (`pinyin_terms`), then the groups the index has
    /// (`Query::from_raw`).
    pub fn parse(index: &Index, text: &str) -> Query {
        let text = pinyin::join_umlaut(text);
        let tokens = Tokens::read(&text);
        let segmented: Vec<Vec<Seg>> = tokens.runs.iter().map(|r| segment_run(r)).collect();
        let mut counted = counted(&tokens.words, &tokens.runs, &segmented);
        let pieces = pinyin_pieces(index, &tokens.words);
        counted.words.retain(|w| {
            !pieces
                .iter()
                .any(|p| p.replaces && p.words.clone().any(|k| tokens.words[k] == *w))
        });
        let mut raw: Vec<Raw> = Vec::new();
        for (run, segs) in tokens.runs.iter().zip(&segmented) {
            cjk_terms(index, run, segs, &counted, &mut raw);
        }
        word_terms(index, &tokens.words, &counted.words, &pieces, &mut raw);
        pinyin_terms(&pieces, &mut raw);
        Query::from_raw(index, raw, compact(&text))
    }

    /// The groups of the terms: each term with the alternatives the index has
    /// ([`alternatives`]), and the terms it lacks at the weight [`weigh_missing`] gives them.
    fn from_raw(index: &Index, raw: Vec<Raw>, compact: String) -> Query {
        // A word's expansions are attached to each of its character pairs: intersect the
        // posting lists of each phrase once.
        let mut phrases: FxHashMap<String, Option<Alt>> = FxHashMap::default();
        let mut groups: Vec<Group> = Vec::new();
        let mut missing: Vec<f32> = Vec::new();
        for r in raw {
            let factor = r.factor;
            let Some(alts) = alternatives(index, r, &mut phrases) else {
                continue;
            };
            if alts.is_empty() {
                missing.push(factor);
                continue;
            }
            let weight = alts
                .iter()
                .map(|a| a.factor * index.idf(a.df))
                .fold(0.0, f32::max);
            groups.push(Group { alts, weight });
        }
        weigh_missing(index, &mut groups, missing);
        Query { groups, compact }
    }

    /// The share of the query's weight the index has nothing for.
    fn missing_share(&self) -> f32 {
        let missing: f32 = self
            .groups
            .iter()
            .filter(|g| g.alts.is_empty())
            .map(|g| g.weight)
            .sum();
        missing / self.total_weight().max(f32::MIN_POSITIVE)
    }

    fn total_weight(&self) -> f32 {
        self.groups.iter().map(|g| g.weight).sum()
    }

    /// The term ids of the query's alternatives with their factors, for the snippet.
    pub fn terms(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.groups
            .iter()
            .flat_map(|g| g.alts.iter())
            .flat_map(|a| a.terms.iter().map(move |&t| (t, a.factor)))
    }
}

impl Tokens {
    /// Tokenises the query as the index does, keeping its words and regrouping its CJK
    /// unigrams into runs.
    fn read(text: &str) -> Tokens {
        let mut toks = Vec::new();
        let mut bigram_at: Vec<u32> = Vec::new();
        tokenize(text, |t, span| match t {
            Term::Word(w) => toks.push(Tok::Word(w.to_string())),
            Term::Uni(c) => toks.push(Tok::Uni(c, span.start)),
            Term::Bi(..) => bigram_at.push(span.start),
        });
        let runs = cjk_runs(&toks, &bigram_at);
        let words = toks
            .into_iter()
            .filter_map(|t| match t {
                Tok::Word(w) => Some(w),
                Tok::Uni(..) => None,
            })
            .collect();
        Tokens { words, runs }
    }
}

/// Cuts a CJK run into dictionary words ([`expand::segment`]), marking the particles.
fn segment_run(run: &[char]) -> Vec<Seg> {
    let mut at = 0;
    expand::segment(run)
        .into_iter()
        .map(|len| {
            let w: String = run[at..at + len].iter().collect();
            at += len;
            Seg {
                start: at - len,
                len,
                particle: expand::is_particle(&w),
            }
        })
        .collect()
}

/// Decides what counts: stop words and particles count for nothing, unless the query is
/// nothing else.
fn counted<'w>(words: &'w [String], runs: &[Vec<char>], segmented: &[Vec<Seg>]) -> Counted<'w> {
    let content_words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !is_stop_en(w))
        .collect();
    let content_cjk: usize = segmented
        .iter()
        .flatten()
        .filter(|s| !s.particle)
        .map(|s| s.len)
        .sum();
    let drop_stops = !content_words.is_empty() || content_cjk > 0;
    let n_cjk = if drop_stops {
        content_cjk
    } else {
        runs.iter().map(Vec::len).sum()
    };
    Counted {
        drop_stops,
        uni_factor: if n_cjk > 1 { UNIGRAM_FACTOR } else { 1.0 },
        words: if drop_stops {
            content_words
        } else {
            words.iter().map(String::as_str).collect()
        },
    }
}

/// The terms of a CJK run: a unigram per character and a pair per neighbours that count, a
/// pair inside a word carrying the word's expansions, a pair across two words a helper
/// ([`CROSS_FACTOR`]).
fn cjk_terms(index: &Index, run: &[char], segs: &[Seg], counted: &Counted, raw: &mut Vec<Raw>) {
    // Per character: its segment.
    let seg_of: Vec<Seg> = segs
        .iter()
        .flat_map(|&s| std::iter::repeat_n(s, s.len))
        .collect();
    let dropped = |i: usize| counted.drop_stops && seg_of[i].particle;
    // A character that is a word of its own between words (最 in 最担心, 更 in
    // 经济更平等), not one of several in a row (安荃 in the typo 生物安荃).
    let single = |j: usize| seg_of[j].len == 1 && !dropped(j);
    let lone = |j: usize| {
        single(j) && (j == 0 || !single(j - 1)) && (j + 1 >= run.len() || !single(j + 1))
    };
    for (i, &c) in run.iter().enumerate() {
        if dropped(i) {
            continue;
        }
        push_raw(raw, RawTerm::Cjk(c as u64), counted.uni_factor, Vec::new());
        if i == 0 || dropped(i - 1) {
            continue;
        }
        let (s0, s1) = (seg_of[i - 1], seg_of[i]);
        let key = Term::Bi(run[i - 1], c).cjk_key().unwrap_or(0);
        let (factor, extra) = if s0 == s1 {
            let word: String = run[s1.start..s1.start + s1.len].iter().collect();
            (1.0, word_expansions(index, &word))
        } else if (s0.len >= 2 || lone(i - 1)) && (s1.len >= 2 || lone(i)) {
            (CROSS_FACTOR, Vec::new())
        } else {
            (1.0, Vec::new())
        };
        push_raw(raw, RawTerm::Cjk(key), factor, extra);
    }
}

/// The terms of the words that count, each with the dictionary's Chinese for it
/// ([`dictionary_expansions`]; hyphen-joined forms are left to their parts there) and the
/// words its pinyin with a typo reads as.
fn word_terms(
    index: &Index,
    words: &[String],
    counted: &[&str],
    pieces: &[Piece],
    raw: &mut Vec<Raw>,
) {
    let all: Vec<&str> = words.iter().map(String::as_str).collect();
    let plain: Vec<&str> = counted
        .iter()
        .copied()
        .filter(|w| !is_joined(w, &all))
        .collect();
    let dict_extra = dictionary_expansions(index, &plain);
    for w in counted {
        let mut extra = plain
            .iter()
            .position(|p| p == w)
            .map(|k| dict_extra[k].clone())
            .unwrap_or_default();
        for p in pieces
            .iter()
            .filter(|p| !p.replaces && words[p.words.start] == *w)
        {
            extra.extend(piece_phrases(p));
        }
        push_raw(raw, RawTerm::Word(w.to_string()), 1.0, extra);
    }
}

/// The parts of the query typed in pinyin ([`pinyin::read_query`]); a word counts as English,
/// and is not read as pinyin alone, when it is a stop word, a word of the vocabulary or an
/// English word the dictionary has for the library.
fn pinyin_pieces(index: &Index, words: &[String]) -> Vec<Piece> {
    let bilingual = index.bilingual();
    let is_english = |w: &str| {
        is_stop_en(w)
            || index.term_id(Term::Word(w)).is_some()
            || bilingual.lookup(&dict::english_key([w])).next().is_some()
    };
    pinyin::read_query(index.readings(), words, &is_english, &|a, b| {
        index.has_pair(a, b)
    })
}

/// The terms of the pinyin pieces that stand in for their words: one group each, matched by
/// the library's words they read as (none for pinyin it has no word for, which then weighs as
/// a missing part of the query).
fn pinyin_terms(pieces: &[Piece], raw: &mut Vec<Raw>) {
    for p in pieces.iter().filter(|p| p.replaces) {
        push_raw(raw, RawTerm::Pinyin(p.key.clone()), 1.0, piece_phrases(p));
    }
}

/// A pinyin piece's words as phrases, worth what its reading is worth.
fn piece_phrases(p: &Piece) -> Vec<(Expansion, f32)> {
    let factor = match p.how {
        How::Full | How::Unread => PINYIN_FACTOR,
        How::Initials => INITIALS_FACTOR,
        How::Typo(d) => PINYIN_FACTOR * FUZZY_FACTOR[d.clamp(1, 2) - 1],
    };
    p.heads
        .iter()
        .map(|h| (Expansion::Phrase(h.clone()), factor))
        .collect()
}

/// Per word, the dictionary's Chinese words for it, read over runs of words longest match
/// first: a word inside a matched run gets the run's words.
fn dictionary_expansions(index: &Index, words: &[&str]) -> Vec<Vec<(Expansion, f32)>> {
    let mut dict_extra: Vec<Vec<(Expansion, f32)>> = vec![Vec::new(); words.len()];
    let bilingual = index.bilingual();
    let mut i = 0;
    while i < words.len() {
        let mut step = 1;
        for n in (1..=bilingual.max_words.min(words.len() - i)).rev() {
            let key = dict::english_key(words[i..i + n].iter().copied());
            let mut found = meanings(bilingual, &key, 1.0);
            if found.is_empty() && n == 1 {
                // An agent noun the dictionary lacks (`investor`): its verb (`invest`), at
                // less weight.
                if let Some(root) = agent_root(words[i]) {
                    found = meanings(
                        bilingual,
                        &dict::english_key([root]),
                        DICT_PREFIX_FACTOR / DICT_FACTOR,
                    );
                }
            }
            if found.is_empty() && n == 1 {
                found = compound(index, words[i]);
            }
            if found.is_empty() {
                continue;
            }
            found.truncate(MAX_EXPANSIONS);
            for e in &mut dict_extra[i..i + n] {
                e.extend(found.iter().cloned());
            }
            step = n;
            break;
        }
        i += step;
    }
    dict_extra
}

/// The library's Chinese words for an English key: the dictionary's ([`dictionary_lookup`]),
/// then the curated list's ([`expand::english_meanings`]: Chinese as it is, at
/// [`DICT_FACTOR`], English through the dictionary), times `scale`.
fn meanings(bilingual: &dict::Bilingual, key: &str, scale: f32) -> Vec<(Expansion, f32)> {
    let mut found = dictionary_lookup(bilingual, key, scale);
    for m in expand::english_meanings(key) {
        let more = match m {
            expand::Meaning::Chinese(c) => {
                vec![(Expansion::Phrase(c.clone()), DICT_FACTOR * scale)]
            }
            expand::Meaning::English(k) => dictionary_lookup(bilingual, k, scale),
        };
        for e in more {
            if !found.iter().any(|f| f.0 == e.0) {
                found.push(e);
            }
        }
    }
    found
}

/// A compound or an affixed word the dictionary lacks (`biosecurity`, `cybersecurity`): cut
/// in two parts that both have meanings ([`meanings`]), the first part as long as possible,
/// and read as their Chinese joined (生物 + 安全), where the library has the join; worth
/// [`DICT_PREFIX_FACTOR`]. Words of fewer than six letters are not cut.
fn compound(index: &Index, word: &str) -> Vec<(Expansion, f32)> {
    let bilingual = index.bilingual();
    if word.len() < 6 || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return Vec::new();
    }
    let chinese = |part: &str| -> Vec<String> {
        meanings(bilingual, &dict::english_key([part]), 1.0)
            .into_iter()
            .filter_map(|(e, _)| match e {
                Expansion::Phrase(p) => Some(p),
                Expansion::Word(_) => None,
            })
            .collect()
    };
    for cut in (3..=word.len() - 3).rev() {
        let (a, b) = word.split_at(cut);
        let (ca, cb) = (chinese(a), chinese(b));
        let mut joined = Vec::new();
        for x in &ca {
            for y in &cb {
                let join = x.chars().last().zip(y.chars().next());
                if join.is_some_and(|(l, f)| index.has_pair(l, f)) {
                    joined.push((Expansion::Phrase(format!("{x}{y}")), DICT_PREFIX_FACTOR));
                }
            }
        }
        if !joined.is_empty() {
            joined.truncate(MAX_EXPANSIONS);
            return joined;
        }
    }
    Vec::new()
}

/// The library's Chinese words for an English key, as phrases weighed by how the key matched
/// their sense, times `scale`.
fn dictionary_lookup(bilingual: &dict::Bilingual, key: &str, scale: f32) -> Vec<(Expansion, f32)> {
    bilingual
        .lookup(key)
        .map(|(head, how)| {
            let f = match how {
                dict::Match::Sense => DICT_FACTOR,
                dict::Match::Prefix => DICT_PREFIX_FACTOR,
            };
            (Expansion::Phrase(head.to_string()), f * scale)
        })
        .collect()
}

/// The alternatives of a term the index has: itself (or its typo neighbours, for a word
/// missing from the vocabulary), words of the same stem, and its expansions. `None` for a
/// helper unigram too common to say anything; an empty list for a term the index lacks.
fn alternatives(
    index: &Index,
    raw: Raw,
    phrases: &mut FxHashMap<String, Option<Alt>>,
) -> Option<Vec<Alt>> {
    let Raw {
        term,
        factor,
        extra,
    } = raw;
    let mut alts: Vec<Alt> = match &term {
        RawTerm::Cjk(key) => index
            .term_id_cjk(*key)
            .map(|id| vec![Alt::term(index, id, factor)])
            .unwrap_or_default(),
        RawTerm::Word(w) => match index.term_id(Term::Word(w)) {
            Some(id) => vec![Alt::term(index, id, factor)],
            None => fuzzy_alternatives(index, w)
                .into_iter()
                .map(|(id, f)| Alt::term(index, id, f))
                .collect(),
        },
        RawTerm::Pinyin(_) => Vec::new(),
    };
    // A helper unigram found in a quarter of the documents says nothing and costs the
    // longest posting lists: leave it out.
    if factor < 1.0
        && matches!(term, RawTerm::Cjk(_))
        && extra.is_empty()
        && alts.iter().any(|a| a.df as usize * 4 > index.n_docs())
    {
        return None;
    }
    if let RawTerm::Word(w) = &term {
        for id in index.same_stem(w) {
            if !alts.iter().any(|a| a.terms == [id]) {
                alts.push(Alt::term(index, id, STEM_FACTOR));
            }
        }
    }
    for (e, f) in extra {
        let alt = match &e {
            Expansion::Phrase(p) => phrases
                .entry(p.clone())
                .or_insert_with(|| Alt::phrase(index, p, 1.0))
                .clone()
                .map(|a| Alt { factor: f, ..a }),
            Expansion::Word(w) => index
                .term_id(Term::Word(w))
                .map(|id| Alt::term(index, id, f)),
        };
        if let Some(alt) = alt
            && !alts.iter().any(|a| a.terms == alt.terms)
        {
            alts.push(alt);
        }
    }
    Some(alts)
}

/// Adds a group without alternatives for each term the index lacks (`missing`, their
/// factors). A part of the query the index does not have counts as much as the rarest part it
/// has (or the rarest possible term when it has none): it must weigh in the coverage, but not
/// by an idf that grows with the size of the library.
fn weigh_missing(index: &Index, groups: &mut Vec<Group>, missing: Vec<f32>) {
    let rarest_found = groups
        .iter()
        .flat_map(|g| g.alts.iter())
        .map(|a| index.idf(a.df))
        .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))))
        .unwrap_or_else(|| index.idf(1));
    groups.extend(missing.into_iter().map(|factor| Group {
        alts: Vec::new(),
        weight: factor * rarest_found,
    }));
}

/// Adds a term, or merges it with the same term seen before (the larger factor, both
/// expansions).
fn push_raw(raw: &mut Vec<Raw>, term: RawTerm, factor: f32, extra: Vec<(Expansion, f32)>) {
    match raw.iter_mut().find(|r| r.term == term) {
        Some(r) => {
            r.factor = r.factor.max(factor);
            for e in extra {
                if !r.extra.contains(&e) {
                    r.extra.push(e);
                }
            }
        }
        None => raw.push(Raw {
            term,
            factor,
            extra,
        }),
    }
}

/// Synonyms of a Chinese word of the query: the synonym list's, then the dictionary's words of
/// the library that share a whole sense with it.
fn word_expansions(index: &Index, word: &str) -> Vec<(Expansion, f32)> {
    let mut out: Vec<(Expansion, f32)> = Vec::new();
    for s in expand::synonyms(word) {
        let e = if s.chars().all(crate::text::is_cjk) {
            Expansion::Phrase(s.clone())
        } else {
            Expansion::Word(s.clone())
        };
        out.push((e, SYNONYM_FACTOR));
    }
    for s in index.bilingual().same_sense(word) {
        let e = (Expansion::Phrase(s.to_string()), SYNONYM_FACTOR);
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out.truncate(MAX_EXPANSIONS);
    out
}

/// The verb of an English agent noun: `investor` → `invest`, `programmers` → `programm` (the
/// stemmer then makes it `program`). None for short words.
fn agent_root(w: &str) -> Option<&str> {
    let root = ["ors", "ers", "or", "er"]
        .iter()
        .find_map(|s| w.strip_suffix(s))?;
    (root.len() >= 4).then_some(root)
}

/// Whether `w` is the hyphen-joined form of words before it (`gotomarket` after `go`, `to`,
/// `market`): the dictionary reads the parts.
fn is_joined(w: &str, words: &[&str]) -> bool {
    let Some(at) = words.iter().position(|x| *x == w) else {
        return false;
    };
    (2..=at).any(|k| words[at - k..at].concat() == w)
}

/// The runs of neighbouring CJK characters of the query, from its unigrams and the starts of
/// its bigrams.
fn cjk_runs(toks: &[Tok], bigram_at: &[u32]) -> Vec<Vec<char>> {
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut prev: Option<u32> = None;
    for t in toks {
        match *t {
            Tok::Uni(c, at) => {
                let joined = prev.is_some_and(|p| bigram_at.contains(&p));
                match runs.last_mut() {
                    Some(run) if joined => run.push(c),
                    _ => runs.push(vec![c]),
                }
                prev = Some(at);
            }
            Tok::Word(_) => prev = None,
        }
    }
    runs
}

#[derive(Debug, Clone, PartialEq)]
enum RawTerm {
    Word(String),
    Cjk(u64),
    /// Pinyin standing in for words of the query, named by its folded letters.
    Pinyin(String),
}

/// Vocabulary words within [`max_typos`] of `w`, closest first, at most three.
///
/// Candidates must share the first or the second letter with `w`: typing both wrong is rare,
/// and the filter keeps the scan short.
fn fuzzy_alternatives(index: &Index, w: &str) -> Vec<(u32, f32)> {
    let k = max_typos(w);
    if k == 0 {
        return Vec::new();
    }
    let len = w.chars().count();
    let mut wc = w.chars();
    let (c0, c1) = (wc.next(), wc.next());
    let mut found: Vec<(usize, u32, u32)> = Vec::new();
    for l in len.saturating_sub(k)..=len + k {
        let Some(bucket) = index.words_by_len.get(l) else {
            continue;
        };
        for (cand, id) in bucket {
            let mut cc = cand.chars();
            let (d0, d1) = (cc.next(), cc.next());
            if d0 != c0 && d1 != c1 {
                continue;
            }
            if cand.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let d = strsim::osa_distance(w, cand);
            if d <= k {
                found.push((d, u32::MAX - index.df(*id), *id));
            }
        }
    }
    found.sort_unstable();
    found
        .into_iter()
        .take(3)
        .map(|(d, _, id)| (id, FUZZY_FACTOR[d.clamp(1, 2) - 1]))
        .collect()
}

/// A scored document.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    /// The document, an index into the index's documents.
    pub doc: u32,
    /// The ranking score: the BM25F sum times the coverage, times [`PHRASE_BONUS`] for the
    /// best few candidates holding the whole query contiguously.
    pub score: f32,
    /// The share of the query's weight the document matches, from 0 to 1.
    pub coverage: f32,
}

/// Per-document score arrays reused from one query to the next: allocating and zeroing four
/// arrays of the library's size per query cost more than scoring a short posting list. Every
/// entry is zero between queries: [`collect`] resets what it reads.
#[derive(Default)]
struct Scratch {
    score: Vec<f32>,
    cover: Vec<f32>,
    group_score: Vec<f32>,
    group_cover: Vec<f32>,
    group_touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Best first: higher score, then lower document number. A total order on distinct documents.
fn by_score(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc))
}

/// Scores every document the query touches, without thresholds: the best
/// ten (the phrase check's candidates) first and in order, the rest after them in no particular
/// order.
pub fn score(index: &Index, q: &Query, texts: &impl Fn(u32) -> Vec<String>) -> Vec<Scored> {
    let n = index.n_docs();
    let total = q.total_weight();
    if n == 0 || total <= 0.0 {
        return Vec::new();
    }
    let mut out = SCRATCH.with_borrow_mut(|s| {
        for v in [
            &mut s.score,
            &mut s.cover,
            &mut s.group_score,
            &mut s.group_cover,
        ] {
            v.resize(n, 0.0);
        }
        accumulate(index, q, s);
        collect(s, total)
    });
    let k = PHRASE_CANDIDATES.min(out.len());
    if k > 0 {
        out.select_nth_unstable_by(k - 1, by_score);
        out[..k].sort_by(by_score);
        if q.compact.chars().count() >= 2 {
            let mut buf = String::new();
            for s in &mut out[..k] {
                if texts(s.doc)
                    .iter()
                    .any(|t| holds_compact(t, &q.compact, &mut buf))
                {
                    s.score *= PHRASE_BONUS;
                }
            }
        }
        out[..k].sort_by(by_score);
    }
    out
}

/// Whether `compact(text)` contains `needle`, folded into `buf` (reused across calls). The
/// common ideographs, all letters, skip `char::is_alphanumeric`, whose table search was the
/// largest cost of the phrase check.
fn holds_compact(text: &str, needle: &str, buf: &mut String) -> bool {
    buf.clear();
    for c in text.chars() {
        super::normalize::fold_char(c, |f| {
            if f.is_ascii_alphanumeric()
                || ('\u{4E00}'..='\u{9FFF}').contains(&f)
                || (!f.is_ascii() && f.is_alphanumeric())
            {
                buf.push(f);
            }
        });
    }
    buf.contains(needle)
}

/// Adds every group's BM25F score and coverage weight to the scratch arrays.
fn accumulate(index: &Index, q: &Query, s: &mut Scratch) {
    let Scratch {
        score,
        cover,
        group_score,
        group_cover,
        group_touched,
    } = s;
    for g in &q.groups {
        if g.alts.len() == 1 {
            let a = &g.alts[0];
            let scale = a.factor * index.idf(a.df);
            let weight = g.weight;
            // No per-posting bookkeeping here: `collect` walks the arrays in document order.
            a.for_each_tf(index, |d, tf| {
                score[d] += scale * saturate(tf);
                cover[d] += weight;
            });
        } else if !g.alts.is_empty() {
            // The best alternative per document, reset through `group_touched`: no sort of the
            // postings of every alternative.
            for a in &g.alts {
                let scale = a.factor * index.idf(a.df);
                a.for_each_tf(index, |d, tf| {
                    let s = scale * saturate(tf);
                    if group_score[d] == 0.0 {
                        group_touched.push(d as u32);
                    }
                    group_score[d] = group_score[d].max(s);
                    group_cover[d] = group_cover[d].max(scale);
                });
            }
            for d in group_touched.drain(..) {
                let d = d as usize;
                score[d] += group_score[d];
                cover[d] += group_cover[d].min(g.weight);
                group_score[d] = 0.0;
                group_cover[d] = 0.0;
            }
        }
    }
}

/// The documents with a positive score, in document order, and the scratch arrays zeroed
/// again. One walk over the arrays in order: cheaper than listing the touched documents per
/// posting and sorting them (which commit 7d478b4 did, and which made the search at 1,000
/// talks about a third slower while it saved instructions).
fn collect(s: &mut Scratch, total: f32) -> Vec<Scored> {
    let Scratch { score, cover, .. } = s;
    let mut out = Vec::new();
    for (d, (s, c)) in score.iter_mut().zip(cover.iter_mut()).enumerate() {
        if *c != 0.0 {
            let (sv, cv) = (*s, *c);
            *s = 0.0;
            *c = 0.0;
            if sv > 0.0 {
                let coverage = (cv / total).min(1.0);
                out.push(Scored {
                    doc: d as u32,
                    score: sv * coverage,
                    coverage,
                });
            }
        }
    }
    out
}

/// Keeps the hits worth showing, the best `limit` of them first and in order: none when the
/// best coverage is under [`MIN_COVERAGE`]. `scored` comes from [`score_text`]: its best ten
/// in order, the rest in no particular order.
pub fn keep_good(scored: &mut Vec<Scored>, limit: usize) {
    let Some(top) = scored.first().copied() else {
        return;
    };
    let best_cover = scored
        .iter()
        .take(PHRASE_CANDIDATES)
        .map(|s| s.coverage)
        .fold(0.0, f32::max);
    if best_cover < MIN_COVERAGE {
        scored.clear();
        return;
    }
    scored.retain(|s| s.coverage >= MIN_COVERAGE && s.score >= MIN_RELATIVE_SCORE * top.score);
    let k = limit.min(scored.len());
    if k > 0 {
        scored.select_nth_unstable_by(k - 1, by_score);
        scored[..k].sort_by(by_score);
    }
}

fn tf(index: &Index, doc: u32, counts: &[u8; N_FIELDS]) -> f32 {
    let w = &index.field_weight[doc as usize];
    counts
        .iter()
        .zip(w)
        .map(|(&c, &w)| f32::from(c) * w)
        .sum::<f32>()
}

fn saturate(tf: f32) -> f32 {
    tf * (K1 + 1.0) / (tf + K1)
}

/// Parses and scores a query, and its Taiwan or Hong Kong variant when it has one
/// ([`expand::regional_variant`]); a document found by both keeps its better score. Returns the
/// scored documents, best first, and the parsed queries (for the snippet's bold).
pub fn score_text(
    index: &Index,
    text: &str,
    texts: impl Fn(u32) -> Vec<String>,
) -> (Vec<Scored>, Vec<Query>) {
    let q = Query::parse(index, text);
    let mut out = score(index, &q, &texts);
    let mut queries = vec![q];
    if let Some(variant) = expand::regional_variant(text) {
        let v = Query::parse(index, &variant);
        if !expand::has_traditional(text) && v.missing_share() >= queries[0].missing_share() {
            return (out, queries);
        }
        out = merge(out, score(index, &v, &texts));
        queries.push(v);
    }
    (out, queries)
}

/// The documents of both lists, a document found by both with its better score (the first
/// list's on a tie), in the order [`score`] gives.
fn merge(mut first: Vec<Scored>, second: Vec<Scored>) -> Vec<Scored> {
    let mut at: FxHashMap<u32, usize> = first.iter().enumerate().map(|(i, s)| (s.doc, i)).collect();
    for s in second {
        match at.get(&s.doc) {
            Some(&i) => {
                if s.score > first[i].score {
                    first[i] = s;
                }
            }
            None => {
                at.insert(s.doc, first.len());
                first.push(s);
            }
        }
    }
    let k = PHRASE_CANDIDATES.min(first.len());
    if k > 0 {
        first.select_nth_unstable_by(k - 1, by_score);
        first[..k].sort_by(by_score);
    }
    first
}

/// The coverage of the best candidate for `query`, before any threshold: what the miss
/// threshold is measured against (the relevance test prints it for every query).
pub fn best_coverage<'a>(lib: impl Into<super::Corpus<'a>>, query: &str) -> f32 {
    let index = lib.into().index;
    score_text(index, query, |_| Vec::new())
        .0
        .iter()
        .take(PHRASE_CANDIDATES)
        .map(|s| s.coverage)
        .fold(0.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_nouns_give_their_verb() {
        assert_eq!(agent_root("investor"), Some("invest"));
        assert_eq!(agent_root("programmers"), Some("programm"));
        assert_eq!(agent_root("user"), None);
        assert_eq!(agent_root("moat"), None);
    }

    #[test]
    fn the_phrase_check_folds_like_compact() {
        let mut buf = String::new();
        for (text, needle) in [
            ("“GPT-5” 的寫作變差了", "gpt5的写作"),
            ("Paul  Graham, YC", "paulgraham"),
            ("ｔｏｋｅｎ 预算", "token预算"),
            ("生物 安全", "物安全"),
        ] {
            assert_eq!(
                holds_compact(text, needle, &mut buf),
                compact(text).contains(needle),
                "{text}"
            );
            assert!(holds_compact(text, needle, &mut buf), "{text}");
        }
        assert!(!holds_compact("生物安全", "安全生物", &mut buf));
    }

    #[test]
    fn joined_forms_are_recognised() {
        let words = ["go", "to", "market", "gotomarket"];
        assert!(is_joined("gotomarket", &words));
        assert!(!is_joined("market", &words));
    }
}
