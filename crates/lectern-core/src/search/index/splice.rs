//! A reload's index, spliced from the index in service: the talks whose files did not change
//! keep their postings, which are copied list by list with their documents renumbered (as
//! bytes, a run of postings moved alike at a time, on as many threads as there are cores);
//! only the changed and new talks are tokenised, into a small index of their own that is
//! merged in.
//!
//! Term ids stay those of the previous index; a term that no longer occurs anywhere leaves the
//! vocabulary and its id is given to a new term (or stays free, an empty list of df 0, which
//! no lookup reaches). The result holds the same documents, field weights and postings by
//! term as a fresh [`Index::build`] of the same talks: the test of that is in `index.rs`.

use std::ops::Range;

use super::{Builder, CjkIds, Doc, Index, Key, NONE, TermInfo, field_weights, index_talk};
use super::{stem_word, varint_at, write_varint};
use crate::model::Talk;

/// What a splice kept of the previous index besides postings.
pub(super) struct Spliced {
    pub(super) index: Index,
    /// No CJK term came or went: what the index derives from its CJK terms alone (the
    /// dictionary entries and readings the library may use) is the previous index's.
    pub(super) same_cjk: bool,
}

/// One posting list, read with its documents renumbered by `map` ([`NONE`]: dropped).
struct Renumbered<'a> {
    bytes: &'a [u8],
    at: usize,
    doc: u32,
    first: bool,
    map: &'a [u32],
}

impl<'a> Renumbered<'a> {
    fn new(index: &'a Index, term: u32, map: &'a [u32]) -> Renumbered<'a> {
        let info = index.terms[term as usize];
        Renumbered {
            bytes: &index.postings[info.start as usize..info.end as usize],
            at: 0,
            doc: 0,
            first: true,
            map,
        }
    }

    fn empty() -> Renumbered<'a> {
        Renumbered {
            bytes: &[],
            at: 0,
            doc: 0,
            first: true,
            map: &[],
        }
    }

    /// The next kept posting: its new document, and its field mask with the counts.
    #[inline]
    fn next(&mut self) -> Option<(u32, &'a [u8])> {
        while self.at < self.bytes.len() {
            let (gap, used) = varint_at(self.bytes, self.at);
            self.at += used;
            self.doc = if self.first { gap } else { self.doc + gap };
            self.first = false;
            let n = 1 + self.bytes[self.at].count_ones() as usize;
            let entry = &self.bytes[self.at..self.at + n];
            self.at += n;
            let new = self.map[self.doc as usize];
            if new != NONE {
                return Some((new, entry));
            }
        }
        None
    }
}

/// Writes the posting of `doc` after `last`, the document of the posting written before it.
fn put(out: &mut Vec<u8>, last: &mut Option<u32>, doc: u32, entry: &[u8]) {
    write_varint(out, last.map_or(doc, |l| doc - l));
    out.extend_from_slice(entry);
    *last = Some(doc);
}

/// Writes a renumbered list into `out`; returns its df. For the lists of fresh terms, which
/// the previous index lacks; the previous index's lists go through [`merge_old`].
fn copy(out: &mut Vec<u8>, mut list: Renumbered<'_>) -> u32 {
    let (mut last, mut df) = (None, 0);
    while let Some((doc, entry)) = list.next() {
        put(out, &mut last, doc, entry);
        df += 1;
    }
    df
}

/// Where the previous index's documents go: `map[d]` is the new number of old document `d`
/// ([`NONE`]: dropped). From `tail` on, every old document is kept and moved by the same
/// `shift`, and no fresh document comes after them: the end of each list from there is
/// copied as it is.
struct Moves<'a> {
    map: &'a [u32],
    tail: u32,
    shift: i64,
}

impl<'a> Moves<'a> {
    fn new(map: &'a [u32], n_new: usize) -> Moves<'a> {
        let shift = n_new as i64 - map.len() as i64;
        let mut tail = map.len();
        while tail > 0
            && map[tail - 1] != NONE
            && i64::from(map[tail - 1]) == (tail - 1) as i64 + shift
        {
            tail -= 1;
        }
        Moves {
            map,
            tail: tail as u32,
            shift,
        }
    }
}

/// The previous index's terms cut into at most `n` ranges of about as many posting bytes.
fn slices(previous: &Index, n: usize) -> Vec<Range<usize>> {
    let terms = previous.terms.len();
    let bytes: usize = previous
        .terms
        .iter()
        .map(|t| (t.end - t.start) as usize)
        .sum();
    // Below a few megabytes a thread costs more than it saves (the tests' indexes are small,
    // and are cut all the same so that the joining is tested).
    const MIN_BYTES: usize = if cfg!(test) { 16 } else { 4 << 20 };
    if n <= 1 || bytes < MIN_BYTES {
        return std::iter::once(0..terms).collect();
    }
    let mut out = Vec::with_capacity(n);
    let (mut from, mut seen) = (0, 0);
    for (t, info) in previous.terms.iter().enumerate() {
        seen += (info.end - info.start) as usize;
        if out.len() + 1 < n && seen * n >= bytes * (out.len() + 1) {
            out.push(from..t + 1);
            from = t + 1;
        }
    }
    out.push(from..terms);
    out
}

/// The posting bytes of the previous index's `terms`.
fn slice_bytes(previous: &Index, terms: &Range<usize>) -> usize {
    previous.terms[terms.clone()]
        .iter()
        .map(|t| (t.end - t.start) as usize)
        .sum()
}

/// Writes the previous index's list of `term`, renumbered by `moves`, with `fresh` merged in
/// (their documents are disjoint), in document order; returns its df. Where it can, it copies
/// bytes instead of writing each posting again: a run of postings whose documents all moved
/// by the same amount keeps its gaps, so it is copied whole once its first posting's gap is
/// written anew, and the list's end from [`Moves::tail`] on is copied without being read. A
/// reload spends most of its time here.
fn merge_old(
    out: &mut Vec<u8>,
    previous: &Index,
    term: u32,
    moves: &Moves<'_>,
    mut fresh: Renumbered<'_>,
) -> u32 {
    let info = previous.terms[term as usize];
    let bytes = &previous.postings[info.start as usize..info.end as usize];
    let mut last: Option<u32> = None;
    let mut df = 0;
    let mut walked = 0;
    let (mut at, mut doc) = (0, 0u32);
    // The bytes from `run` to the posting being read are to be copied as they are.
    let mut run: Option<usize> = None;
    let mut y = fresh.next();
    while at < bytes.len() {
        let start = at;
        let (gap, used) = varint_at(bytes, at);
        doc = if walked == 0 { gap } else { doc + gap };
        walked += 1;
        let entry = at + used..at + used + 1 + bytes[at + used].count_ones() as usize;
        at = entry.end;
        let new = moves.map[doc as usize];
        if new == NONE {
            if let Some(r) = run.take() {
                out.extend_from_slice(&bytes[r..start]);
            }
            continue;
        }
        while let Some((d, e)) = y.filter(|&(d, _)| d < new) {
            if let Some(r) = run.take() {
                out.extend_from_slice(&bytes[r..start]);
            }
            put(out, &mut last, d, e);
            df += 1;
            y = fresh.next();
        }
        df += 1;
        if run.is_some() && last.is_some_and(|l| new - l == gap) {
            // Moved as the posting before it: its gap stands, and it joins the run.
            last = Some(new);
            if doc >= moves.tail && y.is_none() {
                out.extend_from_slice(&bytes[run.take().unwrap_or(start)..]);
                return df + (info.df - walked);
            }
            continue;
        }
        if let Some(r) = run.take() {
            out.extend_from_slice(&bytes[r..start]);
        }
        write_varint(out, last.map_or(new, |l| new - l));
        last = Some(new);
        if doc >= moves.tail && y.is_none() {
            debug_assert!(i64::from(new) == i64::from(doc) + moves.shift);
            out.extend_from_slice(&bytes[entry.start..]);
            return df + (info.df - walked);
        }
        out.extend_from_slice(&bytes[entry.clone()]);
        run = Some(at);
    }
    if let Some(r) = run {
        out.extend_from_slice(&bytes[r..]);
    }
    while let Some((d, e)) = y {
        put(out, &mut last, d, e);
        df += 1;
        y = fresh.next();
    }
    df
}

/// The index of `talks` spliced from `previous`, where `map` gives for each talk the index of
/// the identical talk of `previous`, if any. `None` when the kept talks are not in the order
/// they had (a splice keeps each posting list's order; a loader never reorders them).
pub(super) fn splice(talks: &[Talk], previous: &Index, map: &[Option<usize>]) -> Option<Spliced> {
    // The previous documents of each previous talk.
    let mut old_docs: Vec<Range<usize>> = Vec::new();
    for (d, doc) in previous.docs.iter().enumerate() {
        let t = doc.talk as usize;
        if old_docs.len() <= t {
            old_docs.resize(t + 1, 0..0);
        }
        let r = &mut old_docs[t];
        *r = if r.start == r.end {
            d..d + 1
        } else {
            r.start..d + 1
        };
    }
    let kept = |t: usize| {
        map.get(t)
            .copied()
            .flatten()
            .filter(|&j| old_docs.get(j).is_some_and(|r| r.start < r.end))
    };
    let mut before = None;
    for j in (0..talks.len()).filter_map(kept) {
        if before.is_some_and(|b| b >= j) {
            return None;
        }
        before = Some(j);
    }

    // The changed and new talks, tokenised on their own.
    let mut b = Builder::default();
    for (t, talk) in talks.iter().enumerate() {
        if kept(t).is_none() {
            index_talk(&mut b, t as u32, talk);
        }
    }
    let fresh = b.finish();

    // The documents in their new order, and where each old and fresh one went.
    let mut docs = Vec::with_capacity(previous.docs.len() + fresh.docs.len());
    let mut lens = Vec::with_capacity(docs.capacity());
    let mut old_to_new = vec![NONE; previous.docs.len()];
    let mut fresh_to_new = vec![NONE; fresh.docs.len()];
    let mut next_fresh = 0;
    for t in 0..talks.len() {
        match kept(t) {
            Some(j) => {
                for d in old_docs[j].clone() {
                    old_to_new[d] = docs.len() as u32;
                    docs.push(Doc {
                        talk: t as u32,
                        ..previous.docs[d].clone()
                    });
                    lens.push(previous.lens[d]);
                }
            }
            None => {
                while fresh
                    .docs
                    .get(next_fresh)
                    .is_some_and(|d| d.talk == t as u32)
                {
                    fresh_to_new[next_fresh] = docs.len() as u32;
                    docs.push(fresh.docs[next_fresh].clone());
                    lens.push(fresh.lens[next_fresh]);
                    next_fresh += 1;
                }
            }
        }
    }

    // Fresh terms the previous index has keep its ids.
    let n_old = previous.terms.len();
    let mut fresh_of_old = vec![NONE; n_old];
    let mut only_fresh = Vec::new();
    for (key, id) in fresh.vocabulary() {
        let old = match key {
            Key::Word(w) => previous.words.get(w).copied(),
            Key::Cjk(k) => previous.cjk.get(k),
        };
        match old {
            Some(o) => fresh_of_old[o as usize] = id,
            None => only_fresh.push((key, id)),
        }
    }
    // Fresh-only terms in a fixed order, so that two splices of the same talks number alike.
    only_fresh.sort_unstable();

    let moves = Moves::new(&old_to_new, docs.len());
    // The previous index's lists, in as many slices of the terms as there are cores, each
    // slice written on its own thread into its own buffer, and the buffers joined.
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4);
    let bounds = slices(previous, threads);
    let merge_slice = |terms: Range<usize>| {
        let mut out =
            Vec::with_capacity(slice_bytes(previous, &terms) + fresh.postings.len() / threads);
        let mut infos = Vec::with_capacity(terms.len());
        for o in terms {
            let from_fresh = match fresh_of_old[o] {
                NONE => Renumbered::empty(),
                f => Renumbered::new(&fresh, f, &fresh_to_new),
            };
            let start = out.len() as u32;
            let df = merge_old(&mut out, previous, o as u32, &moves, from_fresh);
            infos.push(TermInfo {
                df,
                start,
                end: out.len() as u32,
            });
        }
        (out, infos)
    };
    let parts: Vec<(Vec<u8>, Vec<TermInfo>)> = if bounds.len() == 1 {
        bounds.into_iter().map(merge_slice).collect()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = bounds
                .into_iter()
                .map(|r| s.spawn(|| merge_slice(r)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    };
    let total: usize = parts.iter().map(|(out, _)| out.len()).sum();
    let mut postings = Vec::with_capacity(total + fresh.postings.len());
    let mut terms = Vec::with_capacity(n_old + only_fresh.len());
    let mut free = Vec::new();
    for (out, infos) in parts {
        let base = postings.len() as u32;
        if postings.is_empty() {
            postings = out;
            postings.reserve(total - postings.len() + fresh.postings.len());
        } else {
            postings.extend_from_slice(&out);
        }
        for info in infos {
            if info.df == 0 {
                free.push(terms.len() as u32);
            }
            terms.push(TermInfo {
                df: info.df,
                start: base + info.start,
                end: base + info.end,
            });
        }
    }

    // Terms that vanished leave the vocabulary (an id freed by an earlier splice is in no map).
    let mut words = previous.words.clone();
    let mut cjk: CjkIds = previous.cjk.clone();
    let mut gone = vec![false; n_old];
    for &id in &free {
        gone[id as usize] = true;
    }
    let mut words_by_len = previous.words_by_len.clone();
    let mut stems = previous.stems.clone();
    let mut touched = vec![false; words_by_len.len()];
    let mut same_cjk = true;
    if !free.is_empty() {
        let mut lost_words = Vec::new();
        words.retain(|w, id| {
            let keep = !gone[*id as usize];
            if !keep {
                lost_words.push((w.clone(), *id));
            }
            keep
        });
        same_cjk &= !cjk.remove_where(|id| gone[id as usize]);
        for (w, id) in lost_words {
            let len = w.chars().count();
            if let Some(t) = touched.get_mut(len) {
                *t = true;
            }
            if let Some(s) = stem_word(&w)
                && let Some(ids) = stems.get_mut(s.as_str())
            {
                ids.retain(|&i| i != id);
                if ids.is_empty() {
                    stems.remove(s.as_str());
                }
            }
        }
        for (bucket, _) in (words_by_len.iter_mut().zip(&touched)).filter(|(_, t)| **t) {
            bucket.retain(|&(_, id)| !gone[id as usize]);
        }
    }

    // New terms take the freed ids first; their lists go at the end of the postings.
    free.reverse();
    for &(key, f) in &only_fresh {
        let start = postings.len() as u32;
        let df = copy(&mut postings, Renumbered::new(&fresh, f, &fresh_to_new));
        let info = TermInfo {
            df,
            start,
            end: postings.len() as u32,
        };
        let id = match free.pop() {
            Some(id) => {
                terms[id as usize] = info;
                id
            }
            None => {
                terms.push(info);
                (terms.len() - 1) as u32
            }
        };
        match key {
            Key::Word(w) => {
                words.insert(w.into(), id);
                let len = w.chars().count();
                if words_by_len.len() <= len {
                    words_by_len.resize_with(len + 1, Vec::new);
                    touched.resize(len + 1, false);
                }
                words_by_len[len].push((w.into(), id));
                touched[len] = true;
                if let Some(s) = stem_word(w) {
                    stems.entry(s.into()).or_default().push(id);
                }
            }
            Key::Cjk(k) => {
                cjk.get_or_insert(k, id);
                same_cjk = false;
            }
        }
    }
    for (bucket, _) in (words_by_len.iter_mut().zip(&touched)).filter(|(_, t)| **t) {
        bucket.sort_unstable();
    }

    let index = Index {
        field_weight: field_weights(&lens),
        docs,
        lens,
        cjk,
        words,
        words_by_len,
        terms,
        postings,
        stems,
        ..Index::default()
    };
    Some(Spliced { index, same_cjk })
}
