//! Ranking: a query becomes groups of terms, and documents are scored with BM25F.
//!
//! The model (explained at more length in ARCHITECTURE.md, "Search"):
//! - a query is cut into *groups*: one per word, per CJK bigram, and per CJK unigram. A word
//!   group holds the word itself if the vocabulary has it, or else the vocabulary words within a
//!   typo distance ([`max_typos`]), each worth less than an exact match ([`FUZZY_FACTOR`]).
//!   Unigrams of a longer CJK run are worth [`UNIGRAM_FACTOR`] of a bigram: they only help when
//!   a typo broke the bigrams around it;
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
//! Invariant: scoring only reads the index; nothing here allocates per document of the library
//! except two dense score arrays per query.

use super::index::{Index, N_FIELDS};
use super::normalize::compact;
use super::tokenize::{Term, tokenize};

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// What a word matched through a typo is worth, by edit distance (1, 2).
pub const FUZZY_FACTOR: [f32; 2] = [0.7, 0.5];
/// What a CJK unigram is worth next to a bigram, when the query has bigrams.
pub const UNIGRAM_FACTOR: f32 = 0.3;
/// Score multiplier for a document holding the whole query contiguously.
pub const PHRASE_BONUS: f32 = 1.5;
/// How many of the best candidates the phrase check reads.
const PHRASE_CANDIDATES: usize = 10;
/// The least coverage of the best hit for a query to count as found; see ARCHITECTURE.md for
/// the measurement behind it. Hits below it are dropped too.
pub const MIN_COVERAGE: f32 = 0.45;
/// Hits scoring under this share of the best hit are dropped as noise.
const MIN_RELATIVE_SCORE: f32 = 0.2;

/// How many typos a word of `len` characters may have: none for short words and numbers.
pub fn max_typos(word: &str) -> usize {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return 0;
    }
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// One part of a query: alternatives (term id, factor), and its weight in the coverage.
#[derive(Debug, Clone)]
pub struct Group {
    pub alts: Vec<(u32, f32)>,
    pub weight: f32,
}

/// A parsed query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub groups: Vec<Group>,
    /// The query folded to letters, digits and CJK characters, for the phrase check.
    pub compact: String,
}

impl Query {
    pub fn parse(index: &Index, text: &str) -> Query {
        let mut raw: Vec<(RawTerm, f32)> = Vec::new();
        let mut cjk_run = 0usize;
        let mut run_unigrams: Vec<usize> = Vec::new();
        let finish_run = |raw: &mut Vec<(RawTerm, f32)>, run: &mut Vec<usize>, len: usize| {
            if len > 1 {
                for &i in run.iter() {
                    raw[i].1 = UNIGRAM_FACTOR;
                }
            }
            run.clear();
        };
        tokenize(text, |t, _| match t {
            Term::Uni(c) => {
                cjk_run += 1;
                run_unigrams.push(raw.len());
                raw.push((RawTerm::Cjk(t.cjk_key().unwrap_or(c as u64)), 1.0));
            }
            Term::Bi(..) => {
                raw.push((RawTerm::Cjk(t.cjk_key().unwrap_or(0)), 1.0));
            }
            Term::Word(w) => {
                finish_run(&mut raw, &mut run_unigrams, cjk_run);
                cjk_run = 0;
                raw.push((RawTerm::Word(w.to_string()), 1.0));
            }
        });
        finish_run(&mut raw, &mut run_unigrams, cjk_run);
        // CJK runs end at a word or the end; a run broken by a space is still one run above,
        // which is fine: the unigrams are then scored as helpers.
        let mut groups: Vec<Group> = Vec::new();
        let mut missing: Vec<f32> = Vec::new();
        let mut seen: Vec<RawTerm> = Vec::new();
        for (term, factor) in raw {
            if seen.contains(&term) {
                continue;
            }
            seen.push(term.clone());
            let alts = match &term {
                RawTerm::Cjk(key) => index
                    .term_id_cjk(*key)
                    .map(|id| vec![(id, factor)])
                    .unwrap_or_default(),
                RawTerm::Word(w) => match index.term_id(Term::Word(w)) {
                    Some(id) => vec![(id, factor)],
                    None => fuzzy_alternatives(index, w),
                },
            };
            // A helper unigram found in a quarter of the documents says nothing and costs the
            // longest posting lists: leave it out.
            if factor < 1.0
                && matches!(term, RawTerm::Cjk(_))
                && alts
                    .iter()
                    .any(|&(id, _)| index.df(id) as usize * 4 > index.n_docs())
            {
                continue;
            }
            if alts.is_empty() {
                missing.push(factor);
                continue;
            }
            let weight = alts
                .iter()
                .map(|&(id, f)| f * index.idf(index.df(id)))
                .fold(0.0, f32::max);
            groups.push(Group { alts, weight });
        }
        // A part of the query the index does not have counts as much as the rarest part it
        // has (or the rarest possible term when it has none): it must weigh in the coverage, but
        // not by an idf that grows with the size of the library.
        let rarest_found = groups
            .iter()
            .flat_map(|g| g.alts.iter())
            .map(|&(id, _)| index.idf(index.df(id)))
            .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))))
            .unwrap_or_else(|| index.idf(1));
        groups.extend(missing.into_iter().map(|factor| Group {
            alts: Vec::new(),
            weight: factor * rarest_found,
        }));
        Query {
            groups,
            compact: compact(text),
        }
    }

    fn total_weight(&self) -> f32 {
        self.groups.iter().map(|g| g.weight).sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum RawTerm {
    Word(String),
    Cjk(u64),
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
    pub doc: u32,
    pub score: f32,
    pub coverage: f32,
}

/// Scores every document the query touches, best first, without thresholds.
pub fn score(index: &Index, q: &Query, texts: impl Fn(u32) -> Vec<String>) -> Vec<Scored> {
    let n = index.n_docs();
    let total = q.total_weight();
    if n == 0 || total <= 0.0 {
        return Vec::new();
    }
    let mut score = vec![0f32; n];
    let mut cover = vec![0f32; n];
    let mut best: Vec<(u32, f32, f32)> = Vec::new();
    for g in &q.groups {
        if g.alts.len() == 1 {
            let (id, factor) = g.alts[0];
            let idf = index.idf(index.df(id));
            for p in index.postings(id) {
                let d = p.doc as usize;
                score[d] += factor * idf * saturate(tf(index, p.doc, &p.counts));
                cover[d] += g.weight;
            }
        } else if !g.alts.is_empty() {
            best.clear();
            for &(id, factor) in &g.alts {
                let idf = index.idf(index.df(id));
                for p in index.postings(id) {
                    let s = factor * idf * saturate(tf(index, p.doc, &p.counts));
                    let c = factor * idf;
                    best.push((p.doc, s, c));
                }
            }
            best.sort_unstable_by_key(|b| b.0);
            let mut i = 0;
            while i < best.len() {
                let d = best[i].0;
                let (mut s, mut c) = (0f32, 0f32);
                while i < best.len() && best[i].0 == d {
                    s = s.max(best[i].1);
                    c = c.max(best[i].2);
                    i += 1;
                }
                score[d as usize] += s;
                cover[d as usize] += c.min(g.weight);
            }
        }
    }
    let mut out: Vec<Scored> = score
        .iter()
        .zip(&cover)
        .enumerate()
        .filter(|(_, (s, _))| **s > 0.0)
        .map(|(d, (&s, &c))| {
            let coverage = (c / total).min(1.0);
            Scored {
                doc: d as u32,
                score: s * coverage,
                coverage,
            }
        })
        .collect();
    let by_score = |a: &Scored, b: &Scored| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
    let k = PHRASE_CANDIDATES.min(out.len());
    if k > 0 {
        out.select_nth_unstable_by(k - 1, by_score);
        out[..k].sort_by(by_score);
        if q.compact.chars().count() >= 2 {
            for s in &mut out[..k] {
                if texts(s.doc).iter().any(|t| compact(t).contains(&q.compact)) {
                    s.score *= PHRASE_BONUS;
                }
            }
        }
        out[..k].sort_by(by_score);
    }
    out
}

/// Keeps the hits worth showing: none when the best coverage is under [`MIN_COVERAGE`].
pub fn keep_good(scored: &mut Vec<Scored>) {
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
}

fn tf(index: &Index, doc: u32, counts: &[u8; N_FIELDS]) -> f32 {
    let w = &index.field_weight[doc as usize];
    counts
        .iter()
        .zip(w)
        .map(|(&c, &w)| c as f32 * w)
        .sum::<f32>()
}

fn saturate(tf: f32) -> f32 {
    tf * (K1 + 1.0) / (tf + K1)
}

/// The coverage of the best candidate for `query`, before any threshold: what the miss
/// threshold is measured against (the relevance test prints it for every query).
pub fn best_coverage<'a>(lib: impl Into<super::Corpus<'a>>, query: &str) -> f32 {
    let index = lib.into().index;
    let q = Query::parse(index, query);
    score(index, &q, |_| Vec::new())
        .iter()
        .take(PHRASE_CANDIDATES)
        .map(|s| s.coverage)
        .fold(0.0, f32::max)
}
