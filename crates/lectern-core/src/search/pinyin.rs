//! Pinyin: the readings of the library's words, and queries typed in pinyin.
//!
//! Readings come from the dictionary's words ([`super::dict::Entry::readings`]), so a polyphonic
//! character reads as its word reads it: 银行 is `yinhang`, never `yinxing`. Per library,
//! [`Readings::build`] keeps the dictionary words of two or more characters whose character
//! pairs the index holds, keyed by their toneless pinyin (`shengwu`) and their initials (`sw`),
//! and the reading of every single character the index holds.
//!
//! A query word is pinyin when, folded by [`fold_word`], it cuts into syllables: tone marks and
//! tone numbers are dropped, and `ü`, `v` and `u:` all read `u` (`lvse`, `lüse`, `luse` are one
//! key; `lu` and `lü` are not told apart, at the cost of a rare false friend). [`read_query`]
//! reads runs of neighbouring pinyin words as one stream (`shengwu anquan`, `shengwuanquan`,
//! `sheng wu an quan` alike), cut into the library's words with as few unread syllables as
//! possible; a lone syllable next to a word is read with it when the library has the two
//! together (`shi shiyanshi`: 湿实验室). A word that is not pinyin may be the initials of
//! words (`swaq`: 生物安全, the words next to each other in the library) or pinyin with a typo
//! (`anqaun`).
//!
//! English comes first: a query word the library or the dictionary knows as English, or an
//! English stop word, is never read as pinyin on its own (`long`, `can`, `she`), and one
//! syllable alone is never read at all: it would match characters everywhere.
//!
//! Invariant: keys are built by [`fold_word`]'s folding on both sides; nothing here reads
//! postings: [`super::rank`] turns the words found into phrases the index must hold.

use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::dict::{self, every_folded_pair};
use super::normalize::{compact, fold};
use super::tokenize::max_typos;

/// Longest pinyin syllable, in letters (`zhuang`).
const MAX_SYLLABLE: usize = 6;
/// At most this many Chinese words per piece of a query.
const MAX_HEADS: usize = 8;
/// At most this many joined words tried for initials of several words.
const MAX_JOINTS: usize = 64;

/// Every syllable of the dictionary's readings, folded (`lv` as `lu`), that has a vowel:
/// CC-CEDICT also writes interjections as `m`, `n`, `ng`, `hm`, which would make almost any
/// string of letters read as pinyin.
static SYLLABLES: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    let mut set = FxHashSet::default();
    for e in dict::entries() {
        for reading in e.readings.split(',') {
            for s in syllables(reading) {
                if s.contains(['a', 'e', 'i', 'o', 'u']) {
                    set.insert(s);
                }
            }
        }
    }
    set
});

/// The syllables of a dictionary reading (`ShengWu`), folded: `sheng`, `wu`.
fn syllables(reading: &str) -> impl Iterator<Item = String> + '_ {
    let starts: Vec<usize> = reading
        .match_indices(|c: char| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .collect();
    (0..starts.len()).map(move |k| {
        let end = starts.get(k + 1).copied().unwrap_or(reading.len());
        fold_letters(&reading[starts[k]..end])
    })
}

/// Lower case, `v` as `u`.
fn fold_letters(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_ascii_lowercase() {
            'v' => 'u',
            c => c,
        })
        .collect()
}

/// A query word as pinyin letters: tone marks dropped (`ā` → `a`), `ü` and `v` as `u`, tone
/// numbers after a syllable dropped (`sheng1wu4`). `None` when something else is left (other
/// letters, digits elsewhere) or nothing is.
pub fn fold_word(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let base = match c {
            'a'..='z' => c,
            'ā' | 'á' | 'ǎ' | 'à' => 'a',
            'ē' | 'é' | 'ě' | 'è' | 'ê' => 'e',
            'ī' | 'í' | 'ǐ' | 'ì' => 'i',
            'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
            'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
            'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'u',
            '1'..='5' if out.ends_with(|l: char| l.is_ascii_lowercase()) => continue,
            _ => return None,
        };
        out.push(if base == 'v' { 'u' } else { base });
    }
    (!out.is_empty()).then_some(out)
}

/// The query with `u:` between `n` or `l` and a letter written `ü`, the way CC-CEDICT and
/// some keyboards spell it (`nu:er`), so that tokenising does not cut the syllable at the colon
/// (`menu: x` stays as it is).
pub fn join_umlaut(query: &str) -> std::borrow::Cow<'_, str> {
    if !query.contains("u:") && !query.contains("U:") {
        return query.into();
    }
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let umlaut = matches!(c, 'u' | 'U')
            && i > 0
            && matches!(chars[i - 1], 'n' | 'l' | 'N' | 'L')
            && chars.get(i + 1) == Some(&':')
            && chars.get(i + 2).is_some_and(|n| n.is_alphabetic());
        if umlaut {
            out.push('ü');
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.into()
}

/// Where a string of pinyin letters may be cut between syllables: `cuts[p]` when `s[..p]`
/// and `s[p..]` both cut into syllables, no syllable crossing one of `bounds` (the starts of
/// the query's words). All false when `s` is not pinyin.
fn cuts(s: &str, bounds: &[usize]) -> Vec<bool> {
    let n = s.len();
    let crosses = |a: usize, b: usize| bounds.iter().any(|&x| a < x && x < b);
    let is_syllable = |a: usize, b: usize| !crosses(a, b) && SYLLABLES.contains(&s[a..b]);
    let mut fwd = vec![false; n + 1];
    fwd[0] = true;
    for p in 0..n {
        if fwd[p] {
            for l in 1..=MAX_SYLLABLE.min(n - p) {
                if is_syllable(p, p + l) {
                    fwd[p + l] = true;
                }
            }
        }
    }
    let mut bwd = vec![false; n + 1];
    bwd[n] = true;
    for p in (0..n).rev() {
        bwd[p] = (1..=MAX_SYLLABLE.min(n - p)).any(|l| bwd[p + l] && is_syllable(p, p + l));
    }
    if !fwd[n] {
        return vec![false; n + 1];
    }
    fwd.iter().zip(&bwd).map(|(&f, &b)| f && b).collect()
}

/// Whether a folded word cuts into syllables.
pub fn is_pinyin(folded: &str) -> bool {
    cuts(folded, &[]).last().copied().unwrap_or(false)
}

/// The readings of the words a library uses.
#[derive(Debug, Clone, Default, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Readings {
    /// Dictionary words of two or more characters the library may use, folded.
    words: Vec<Box<str>>,
    /// Their ids by toneless pinyin (`shengwu`).
    by_pinyin: FxHashMap<Box<str>, Vec<u32>>,
    /// Their ids by initials (`sw`).
    by_initials: FxHashMap<Box<str>, Vec<u32>>,
    /// The first reading of each word, by word: for spelling text.
    spelling: FxHashMap<Box<str>, Box<str>>,
    /// The first reading of each character the library has.
    chars: FxHashMap<char, Box<str>>,
    /// The characters the library has by each of their readings.
    by_syllable: FxHashMap<Box<str>, Vec<char>>,
    /// The longest key of `by_pinyin`, in letters.
    max_key: usize,
    /// The longest word starting with each pair of characters, in characters: spelling text
    /// only looks up the lengths a word could have at each position.
    longest: FxHashMap<(char, char), usize>,
}

impl Readings {
    /// Keeps the readings of the dictionary words whose character pairs all pass `has_pair`
    /// and of the characters that pass `has_char` (the index answers both).
    pub fn build(has_pair: impl Fn(char, char) -> bool, has_char: impl Fn(char) -> bool) -> Self {
        let mut r = Readings::default();
        for e in dict::entries() {
            if e.readings.is_empty() {
                continue;
            }
            let mut chars = e.head.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                let c = fold(&c.to_string()).chars().next().unwrap_or(c);
                if has_char(c) {
                    for (i, reading) in e.readings.split(',').enumerate() {
                        let syl = fold_letters(reading);
                        if i == 0 {
                            r.chars.entry(c).or_insert_with(|| syl.clone().into());
                        }
                        let list = r.by_syllable.entry(syl.into()).or_default();
                        if !list.contains(&c) {
                            list.push(c);
                        }
                    }
                }
                continue;
            }
            if !every_folded_pair(e.head, &has_pair) {
                continue;
            }
            let head: Box<str> = fold(e.head).into();
            let id = r.words.len() as u32;
            let mut cs = head.chars();
            if let (Some(a), Some(b)) = (cs.next(), cs.next()) {
                let len = head.chars().count();
                let longest = r.longest.entry((a, b)).or_default();
                *longest = (*longest).max(len);
            }
            for reading in e.readings.split(',') {
                let key = fold_letters(reading);
                let initials: String = reading
                    .chars()
                    .filter(char::is_ascii_uppercase)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                r.max_key = r.max_key.max(key.len());
                r.spelling
                    .entry(head.clone())
                    .or_insert_with(|| spaced(reading).into());
                push_id(r.by_pinyin.entry(key.into()).or_default(), id);
                push_id(r.by_initials.entry(initials.into()).or_default(), id);
            }
            r.words.push(head);
        }
        r
    }

    fn heads(&self, ids: Option<&Vec<u32>>) -> Vec<&str> {
        ids.into_iter()
            .flatten()
            .take(MAX_HEADS)
            .map(|&id| &*self.words[id as usize])
            .collect()
    }

    /// The library's words read `key` (toneless, folded).
    fn by_pinyin(&self, key: &str) -> Vec<&str> {
        self.heads(self.by_pinyin.get(key))
    }

    /// Spells text in pinyin, for matching typed pinyin against titles and names: the
    /// toneless reading of its Chinese (word by word, longest word first, else character by
    /// character) with everything else kept, and the initials of its syllables with the
    /// other letters and digits kept whole. `None` for text with no Chinese.
    pub fn spell(&self, text: &str) -> Option<(String, String)> {
        let chars: Vec<char> = compact(text).chars().collect();
        if !chars.iter().copied().any(crate::text::is_cjk) {
            return None;
        }
        let (mut full, mut initials) = (String::new(), String::new());
        let mut i = 0;
        let mut buf = String::new();
        while i < chars.len() {
            let mut step = 1;
            let mut reading: Option<&str> = None;
            let longest = chars
                .get(i + 1)
                .and_then(|&b| self.longest.get(&(chars[i], b)))
                .copied()
                .unwrap_or(0);
            for l in (2..=longest.min(chars.len() - i)).rev() {
                buf.clear();
                buf.extend(&chars[i..i + l]);
                if let Some(r) = self.spelling.get(buf.as_str()) {
                    (step, reading) = (l, Some(&**r));
                    break;
                }
            }
            let reading = reading.or_else(|| self.chars.get(&chars[i]).map(|r| &**r));
            match reading {
                Some(r) => {
                    for syl in r.split(' ') {
                        full.push_str(syl);
                        initials.extend(syl.chars().next());
                    }
                }
                None => {
                    full.push(chars[i]);
                    initials.push(chars[i]);
                }
            }
            i += step;
        }
        Some((full, initials))
    }

    /// Approximate heap bytes, for the benchmark's memory report.
    pub fn heap_bytes(&self) -> usize {
        let words: usize = self.words.iter().map(|w| w.len() + 16).sum();
        let keys = |m: &FxHashMap<Box<str>, Vec<u32>>| -> usize {
            m.iter()
                .map(|(k, v)| k.len() + 16 + 24 + v.capacity() * 4 + 8)
                .sum()
        };
        let spelling: usize = self
            .spelling
            .iter()
            .map(|(k, v)| k.len() + v.len() + 40)
            .sum();
        words
            + keys(&self.by_pinyin)
            + keys(&self.by_initials)
            + spelling
            + self.chars.len() * 32
            + self.by_syllable.len() * 48
            + self.longest.len() * 24
    }

    /// How many words of the library have a reading.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether no word of the library has a reading.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

fn push_id(list: &mut Vec<u32>, id: u32) {
    if !list.contains(&id) {
        list.push(id);
    }
}

/// `ShengWu` as `sheng wu` (folded, a space between syllables).
fn spaced(reading: &str) -> String {
    syllables(reading).collect::<Vec<_>>().join(" ")
}

/// How a piece of a query was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum How {
    /// Full pinyin (`shengwu`).
    Full,
    /// Initials (`swaq`).
    Initials,
    /// Pinyin with this many typos.
    Typo(usize),
    /// Pinyin the library has no word for: the piece must weigh as a missing part of the query.
    Unread,
}

/// A part of a query read as pinyin.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The query words it reads (indices into the words given to [`read_query`]).
    pub words: Range<usize>,
    /// The folded letters it reads, naming the piece.
    pub key: String,
    /// The library's words it may stand for (folded Chinese, two or more characters).
    pub heads: Vec<String>,
    /// How the letters read: as full pinyin, as initials, with typos, or not at all.
    pub how: How,
    /// Whether the piece stands in for its words (they leave the query), or only adds
    /// alternatives to a word that stays (a typo).
    pub replaces: bool,
}

/// A segment of a stream of pinyin: letters `start..end`, read as a word of the library or not.
#[derive(Debug, Clone, Copy)]
struct Seg {
    start: usize,
    end: usize,
    read: bool,
}

/// Reads the query's words (folded, in order) as pinyin where they are (see the module
/// header). `is_english` tells a word the library or the dictionary knows as English;
/// `has_pair` whether the library has two characters side by side.
pub fn read_query(
    readings: &Readings,
    words: &[String],
    is_english: &dyn Fn(&str) -> bool,
    has_pair: &dyn Fn(char, char) -> bool,
) -> Vec<Piece> {
    if readings.is_empty() {
        return Vec::new();
    }
    let folded: Vec<Option<String>> = words
        .iter()
        .map(|w| fold_word(w).filter(|f| is_pinyin(f)))
        .collect();
    let mut pieces = Vec::new();
    let mut touched = vec![false; words.len()];
    let mut i = 0;
    while i < words.len() {
        if folded[i].is_none() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < words.len() && folded[j].is_some() {
            j += 1;
        }
        read_stream(
            readings,
            words,
            &folded,
            i..j,
            is_english,
            has_pair,
            &mut pieces,
        );
        i = j;
    }
    for p in &pieces {
        touched[p.words.clone()].iter_mut().for_each(|t| *t = true);
    }
    // Words left alone: a typo of pinyin, else initials.
    for (k, w) in words.iter().enumerate() {
        if touched[k] || is_english(w) {
            continue;
        }
        let Some(f) = fold_word(w) else {
            continue;
        };
        if let Some(p) = typo(readings, &f, k, false) {
            pieces.push(p);
        } else if folded[k].is_none() {
            pieces.extend(initials(readings, &f, k, has_pair));
        }
    }
    pieces
}

/// Reads the pinyin words `range` of the query as one stream.
fn read_stream(
    readings: &Readings,
    words: &[String],
    folded: &[Option<String>],
    range: Range<usize>,
    is_english: &dyn Fn(&str) -> bool,
    has_pair: &dyn Fn(char, char) -> bool,
    out: &mut Vec<Piece>,
) {
    let mut s = String::new();
    let mut bounds = Vec::new();
    for f in folded[range.clone()].iter().flatten() {
        bounds.push(s.len());
        s.push_str(f);
    }
    let word_at = |p: usize| range.start + bounds.iter().rposition(|&b| b <= p).unwrap_or(0);
    let cut = cuts(&s, &bounds);
    let mut segs = segment_stream(readings, &s, &cut);
    // English first: a word of the library read as English is not read as pinyin alone.
    for seg in &mut segs {
        let ws = word_at(seg.start)..word_at(seg.end - 1) + 1;
        if seg.read && words[ws].iter().all(|w| is_english(w)) {
            seg.read = false;
        }
    }
    if !segs.iter().any(|g| g.read) {
        return;
    }
    let piece = |start: usize, end: usize, heads: Vec<String>, how: How| Piece {
        words: word_at(start)..word_at(end - 1) + 1,
        key: s[start..end].to_string(),
        heads,
        how,
        replaces: true,
    };
    let mut k = 0;
    while k < segs.len() {
        let g = segs[k];
        if g.read {
            let heads = readings.by_pinyin(&s[g.start..g.end]);
            out.push(piece(g.start, g.end, owned(heads), How::Full));
            k += 1;
            continue;
        }
        // A run of syllables read as no word.
        let mut e = k;
        while e < segs.len() && !segs[e].read {
            e += 1;
        }
        let (start, end) = (g.start, segs[e - 1].end);
        let whole_words = bounds.contains(&start) && (end == s.len() || bounds.contains(&end));
        let untouched = segs[..k]
            .iter()
            .chain(&segs[e..])
            .filter(|x| x.read)
            .all(|x| word_at(x.end - 1) < word_at(start) || word_at(x.start) > word_at(end - 1));
        let joined = if e == k + 1 {
            // One syllable: read with its neighbour when the library has them together.
            let before = (k + 1 < segs.len()).then_some((k + 1, true));
            let after = k.checked_sub(1).map(|p| (p, false));
            [before, after].into_iter().flatten().find_map(|(n, lead)| {
                let nb = segs[n];
                let heads = readings.by_pinyin(&s[nb.start..nb.end]);
                let joints = join_syllable(readings, &s[g.start..g.end], &heads, lead, has_pair);
                (!joints.is_empty()).then_some((n, joints))
            })
        } else {
            None
        };
        match joined {
            Some((n, joints)) => {
                let nb = segs[n];
                let (a, b) = (nb.start.min(g.start), nb.end.max(g.end));
                // The neighbour is read with the syllable, not alone.
                if n < k {
                    out.pop();
                } else {
                    e = n + 1;
                }
                out.push(piece(a, b, joints, How::Full));
            }
            // Whole words of their own: left to the query's words.
            None if whole_words && untouched => {}
            None => out.push(piece(start, end, Vec::new(), How::Unread)),
        }
        k = e;
    }
    // A word read in part with syllables left unread may be one word with a typo.
    let unread: Vec<usize> = out
        .iter()
        .filter(|p| p.how == How::Unread && p.words.len() == 1)
        .map(|p| p.words.start)
        .collect();
    for w in unread {
        if let Some(f) = &folded[w]
            && let Some(t) = typo(readings, f, w, true)
        {
            out.retain(|p| p.words != (w..w + 1));
            out.push(Piece {
                replaces: true,
                ..t
            });
        }
    }
}

fn owned(heads: Vec<&str>) -> Vec<String> {
    heads.into_iter().map(str::to_string).collect()
}

/// Cuts a stream into the library's words and unread syllables: fewest unread syllables,
/// then fewest pieces, then the longest word first.
fn segment_stream(readings: &Readings, s: &str, cut: &[bool]) -> Vec<Seg> {
    let n = s.len();
    // best[p]: (unread syllables, pieces, next cut, read) from p to the end.
    let mut best: Vec<Option<(usize, usize, usize, bool)>> = vec![None; n + 1];
    best[n] = Some((0, 0, n, false));
    for p in (0..n).rev() {
        if !cut[p] {
            continue;
        }
        let mut choice: Option<(usize, usize, usize, bool)> = None;
        let mut consider = |q: usize, read: bool| {
            if let Some((u, k, ..)) = best[q] {
                let c = (u + usize::from(!read), k + usize::from(read), q, read);
                if choice.is_none_or(|b| (c.0, c.1) < (b.0, b.1)) {
                    choice = Some(c);
                }
            }
        };
        for q in (p + 1..=(p + readings.max_key).min(n)).rev() {
            if cut[q] && readings.by_pinyin.contains_key(&s[p..q]) {
                consider(q, true);
            }
        }
        for q in p + 1..=(p + MAX_SYLLABLE).min(n) {
            if cut[q] && SYLLABLES.contains(&s[p..q]) {
                consider(q, false);
            }
        }
        best[p] = choice;
    }
    let mut segs = Vec::new();
    let mut p = 0;
    while p < n {
        let Some((_, _, q, read)) = best[p] else {
            break;
        };
        segs.push(Seg {
            start: p,
            end: q,
            read,
        });
        p = q;
    }
    segs
}

/// The library's words made of a character read `syllable` and one of `heads`, the character
/// first when `lead`: those whose pair across the join the library has.
fn join_syllable(
    readings: &Readings,
    syllable: &str,
    heads: &[&str],
    lead: bool,
    has_pair: &dyn Fn(char, char) -> bool,
) -> Vec<String> {
    let Some(chars) = readings.by_syllable.get(syllable) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for h in heads {
        let (Some(first), Some(last)) = (h.chars().next(), h.chars().last()) else {
            continue;
        };
        for &c in chars {
            let ok = if lead {
                has_pair(c, first)
            } else {
                has_pair(last, c)
            };
            if ok {
                out.push(if lead {
                    format!("{c}{h}")
                } else {
                    format!("{h}{c}")
                });
            }
        }
    }
    out.truncate(MAX_HEADS);
    out
}

/// The word `k` (folded `f`) as full pinyin with a typo: the library's words whose reading
/// is within [`max_typos`] of it and starts with the same letter (`chongyao` is
/// not a typo of `zhongyao`), closest first. A word that is pinyin as it is (`zhangqi`) may only
/// have a letter too many or too few (`zhaoping` for `zhaopin`): one letter changed in a valid
/// reading gives another word (`zhangli`), not a typo. `partly_read`: the word was read in part
/// as the library's words, with syllables left over (`youeryuna`): any typo then.
fn typo(readings: &Readings, f: &str, k: usize, partly_read: bool) -> Option<Piece> {
    let valid = !partly_read && is_pinyin(f);
    let max = if valid { 1 } else { max_typos(f) };
    if max_typos(f) == 0 {
        return None;
    }
    let first = f.chars().next()?;
    let mut found: Vec<(usize, &str)> = readings
        .by_pinyin
        .keys()
        .filter(|key| key.starts_with(first) && key.len().abs_diff(f.len()) <= max)
        .filter(|key| !valid || key.len() != f.len())
        .filter_map(|key| {
            let d = strsim::osa_distance(f, key);
            (d <= max && d > 0).then_some((d, &**key))
        })
        .collect();
    found.sort_unstable();
    let (d, _) = *found.first()?;
    let heads: Vec<String> = found
        .iter()
        .take_while(|x| x.0 == d)
        .flat_map(|(_, key)| readings.by_pinyin(key))
        .take(MAX_HEADS)
        .map(str::to_string)
        .collect();
    Some(Piece {
        words: k..k + 1,
        key: f.to_string(),
        heads,
        how: How::Typo(d),
        replaces: false,
    })
}

/// The word `k` (folded `f`, not pinyin) as the initials of one or more words of two or more
/// characters: cut into initials the library has, fewest words first; several words must
/// stand side by side in the library (their joins are pairs it has).
fn initials(
    readings: &Readings,
    f: &str,
    k: usize,
    has_pair: &dyn Fn(char, char) -> bool,
) -> Option<Piece> {
    let n = f.len();
    if !(2..=8).contains(&n) || !f.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    // fewest[p]: (words, next cut) from p to the end.
    let mut fewest: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    fewest[n] = Some((0, n));
    for p in (0..n).rev() {
        for q in (p + 2..=n).rev() {
            if let (Some((c, _)), true) = (fewest[q], readings.by_initials.contains_key(&f[p..q]))
                && fewest[p].is_none_or(|b| c + 1 < b.0)
            {
                fewest[p] = Some((c + 1, q));
            }
        }
    }
    fewest[0]?;
    let mut joints: Vec<String> = vec![String::new()];
    let mut p = 0;
    while p < n {
        let (_, q) = fewest[p]?;
        let heads = readings.heads(readings.by_initials.get(&f[p..q]));
        let mut next = Vec::new();
        for j in &joints {
            for h in &heads {
                let joins = match (j.chars().last(), h.chars().next()) {
                    (Some(a), Some(b)) => has_pair(a, b),
                    _ => true,
                };
                if joins && next.len() < MAX_JOINTS {
                    next.push(format!("{j}{h}"));
                }
            }
        }
        joints = next;
        p = q;
    }
    joints.truncate(MAX_HEADS);
    Some(Piece {
        words: k..k + 1,
        key: f.to_string(),
        heads: joints,
        how: How::Initials,
        replaces: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_to_toneless_letters() {
        let cases = [
            ("shēngwù", Some("shengwu")),
            ("sheng1wu4", Some("shengwu")),
            ("lvse", Some("luse")),
            ("lüse", Some("luse")),
            ("gpt5", Some("gpt")),
            ("5", None),
            ("生物", None),
        ];
        for (w, want) in cases {
            assert_eq!(fold_word(w).as_deref(), want, "{w}");
        }
        assert_eq!(join_umlaut("nu:er Lu:se celu:e"), "nüer Lüse celüe");
        assert_eq!(join_umlaut("menu: x"), "menu: x");
    }

    #[test]
    fn syllables_cut_pinyin_and_nothing_else() {
        assert!(is_pinyin("shengwuanquan"));
        assert!(is_pinyin("xian"));
        assert!(!is_pinyin("swaq"));
        assert!(!is_pinyin("anqaun"));
        assert!(!is_pinyin("kubernetes"));
        // A syllable may not cross the start of a word: `she ngwu` is not `sheng wu`.
        assert!(cuts("shengwu", &[0, 3]).iter().all(|&c| !c));
        assert_eq!(spaced("ShengWu"), "sheng wu");
        assert_eq!(spaced("LvSe"), "lu se");
    }

    fn library(text: &str) -> Readings {
        let chars: Vec<char> = fold(text).chars().collect();
        let pairs: FxHashSet<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        let set: FxHashSet<char> = chars.iter().copied().collect();
        Readings::build(|a, b| pairs.contains(&(a, b)), |c| set.contains(&c))
    }

    /// A piece as (key, heads, how).
    type Read = (String, Vec<String>, How);

    fn read(r: &Readings, text: &str, query: &str) -> Vec<Read> {
        let chars: Vec<char> = fold(text).chars().collect();
        let pairs: FxHashSet<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        let words: Vec<String> = query.split(' ').map(fold).collect();
        read_query(r, &words, &|w| w == "long", &|a, b| pairs.contains(&(a, b)))
            .into_iter()
            .map(|p| (p.key, p.heads, p.how))
            .collect()
    }

    #[test]
    fn queries_read_as_the_words_of_the_library() {
        let text = "银行的生物安全，湿实验室。长期";
        let r = library(text);
        let one = |key: &str, head: &str, how| (key.to_string(), vec![head.to_string()], how);
        let cases: Vec<(&str, Vec<Read>)> = vec![
            ("yinhang", vec![one("yinhang", "银行", How::Full)]),
            ("yinxing", vec![]),
            (
                "shengwu anquan",
                vec![
                    one("shengwu", "生物", How::Full),
                    one("anquan", "安全", How::Full),
                ],
            ),
            (
                "shengwuanquan",
                vec![
                    one("shengwu", "生物", How::Full),
                    one("anquan", "安全", How::Full),
                ],
            ),
            (
                "shi shiyanshi",
                vec![one("shishiyanshi", "湿实验室", How::Full)],
            ),
            ("swaq", vec![one("swaq", "生物安全", How::Initials)]),
            ("anqaun", vec![one("anqaun", "安全", How::Typo(1))]),
            ("changqi", vec![one("changqi", "长期", How::Full)]),
            ("zhangqi", vec![]),
            ("long", vec![]),
        ];
        for (query, want) in cases {
            assert_eq!(read(&r, text, query), want, "{query}");
        }
        assert_eq!(
            r.spell("生物安全 GTM"),
            Some(("shengwuanquangtm".into(), "swaqgtm".into()))
        );
    }
}
