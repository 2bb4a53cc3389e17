//! Tokens: what the index stores and the query looks up.
//!
//! Text is folded by [`super::normalize::fold_char`] and cut into:
//! - **words**: runs of letters and digits (Latin and other alphabetic scripts). A dot between
//!   two digits stays inside the word, so `4.5` and `5.2x` are one word each; `3D` is one word.
//!   Words joined by hyphens (`GPT-6`) give each part and also the joined form (`gpt6`), so that
//!   `GPT-6`, `GPT 6` and `gpt6` all find it. A word that starts with a dotted number followed
//!   by letters (`5.2x`) also gives the number (`5.2`);
//! - **CJK unigrams and bigrams**: Chinese has no spaces, so every character of a CJK run is a
//!   unigram and every pair of neighbours a bigram. Bigrams carry the meaning; unigrams let a
//!   one-character query work and soften one-character typos.
//!
//! What a word means beyond its letters starts here too: English stop words ([`is_stop_en`]),
//! which a query drops and so do the dictionary's keys, and English stems ([`stem`],
//! `rust-stemmers`), by which the index gathers `hire` and `hiring`.
//!
//! Invariant: every token carries the span, in characters of the input, of the source text it
//! came from; the snippet code relies on it to put matches in bold.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::normalize::fold_char;
use crate::text::is_cjk;

/// A token's text. Words borrow a buffer that is only valid during the callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Term<'a> {
    /// A folded run of letters and digits, or the joined form of hyphenated words (`gpt6`).
    Word(&'a str),
    /// One CJK character (a unigram).
    Uni(char),
    /// Two neighbouring CJK characters (a bigram), in text order.
    Bi(char, char),
}

impl Term<'_> {
    /// The key CJK tokens are stored under: the code point(s), tagged so the two kinds differ.
    pub fn cjk_key(self) -> Option<u64> {
        match self {
            Term::Word(_) => None,
            Term::Uni(c) => Some(c as u64),
            Term::Bi(a, b) => Some((1 << 42) | ((a as u64) << 21) | b as u64),
        }
    }
}

/// Characters `start..end` of the tokenised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Index of the first character, counted in characters of the input.
    pub start: u32,
    /// Index one past the last character, counted in characters of the input.
    pub end: u32,
}

/// Cuts `text` into tokens, calling `emit` for each in order of their end.
pub fn tokenize(text: &str, mut emit: impl FnMut(Term<'_>, Span)) {
    let mut t = Tokenizer::default();
    for (i, c) in text.chars().enumerate() {
        fold_char(c, |f| t.push(f, i as u32, &mut emit));
    }
    t.end_word(&mut emit);
    t.end_joined(&mut emit);
}

#[derive(Default)]
struct Tokenizer {
    word: String,
    word_start: u32,
    word_end: u32,
    /// A `.` seen after a digit inside a word, waiting to know whether a digit follows.
    pending_dot: bool,
    /// A `-` seen right after a word, waiting to know whether a word follows.
    pending_hyphen: bool,
    /// The hyphen-joined form of the words so far (`gpt6`), and how many parts it has.
    joined: String,
    joined_start: u32,
    joined_parts: u32,
    prev_cjk: Option<(char, u32)>,
}

impl Tokenizer {
    fn push(&mut self, c: char, at: u32, emit: &mut impl FnMut(Term<'_>, Span)) {
        if is_cjk(c) {
            self.end_word(emit);
            self.end_joined(emit);
            emit(
                Term::Uni(c),
                Span {
                    start: at,
                    end: at + 1,
                },
            );
            if let Some((p, p_at)) = self.prev_cjk {
                emit(
                    Term::Bi(p, c),
                    Span {
                        start: p_at,
                        end: at + 1,
                    },
                );
            }
            self.prev_cjk = Some((c, at));
            return;
        }
        self.prev_cjk = None;
        if c.is_alphanumeric() {
            if self.pending_dot {
                self.pending_dot = false;
                if c.is_ascii_digit() {
                    self.word.push('.');
                } else {
                    self.end_word(emit);
                    self.end_joined(emit);
                }
            }
            if self.word.is_empty() {
                if !self.pending_hyphen {
                    self.end_joined(emit);
                }
                self.pending_hyphen = false;
                self.word_start = at;
            }
            self.word.push(c);
            self.word_end = at + 1;
            return;
        }
        if c == '.' && !self.pending_dot && self.word.ends_with(|w: char| w.is_ascii_digit()) {
            self.pending_dot = true;
            return;
        }
        let hyphen = c == '-' && !self.word.is_empty() && !self.pending_dot;
        self.end_word(emit);
        if hyphen {
            self.pending_hyphen = true;
        } else {
            self.end_joined(emit);
        }
    }

    fn end_word(&mut self, emit: &mut impl FnMut(Term<'_>, Span)) {
        self.pending_dot = false;
        if self.word.is_empty() {
            return;
        }
        let span = Span {
            start: self.word_start,
            end: self.word_end,
        };
        emit(Term::Word(&self.word), span);
        // `5.2x` also gives `5.2`.
        if self.word.contains('.')
            && let Some(p) = self.word.find(|c: char| c.is_alphabetic())
        {
            emit(Term::Word(&self.word[..p]), span);
        }
        if self.joined_parts == 0 {
            self.joined_start = self.word_start;
        }
        self.joined.push_str(&self.word);
        self.joined_parts += 1;
        self.word.clear();
    }

    fn end_joined(&mut self, emit: &mut impl FnMut(Term<'_>, Span)) {
        self.pending_hyphen = false;
        if self.joined_parts > 1 {
            let span = Span {
                start: self.joined_start,
                end: self.word_end,
            };
            emit(Term::Word(&self.joined), span);
        }
        self.joined.clear();
        self.joined_parts = 0;
    }
}

/// The tokens of `text` as owned strings, for tests and debugging: words as they are, CJK
/// tokens as their characters.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokenize(text, |t, _| {
        out.push(match t {
            Term::Word(w) => w.to_string(),
            Term::Uni(c) => c.to_string(),
            Term::Bi(a, b) => format!("{a}{b}"),
        });
    });
    out
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// English words that say nothing about a topic: question words, auxiliaries, articles,
/// pronouns, prepositions. A query drops them, and so do dictionary keys.
const STOP_EN: &[&str] = &[
    "a",
    "about",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "his",
    "how",
    "i",
    "if",
    "in",
    "is",
    "it",
    "its",
    "me",
    "my",
    "of",
    "on",
    "one",
    "one's",
    "or",
    "our",
    "she",
    "should",
    "so",
    "some",
    "someone",
    "something",
    "that",
    "the",
    "their",
    "them",
    "there",
    "they",
    "this",
    "to",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
];

/// Whether an English word (lower case) is a stop word.
pub fn is_stop_en(word: &str) -> bool {
    STOP_EN.binary_search(&word).is_ok()
}

/// The stem of an English word (lower case): `pricing` and `price` give `price`.
pub fn stem(word: &str) -> String {
    STEMMER.stem(word).into_owned()
}

/// How many typos a word of `len` characters may have: none for short words and numbers
/// (search and pinyin both read typos this way).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_EN.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn token_table() {
        // (input, tokens in emission order)
        let cases: &[(&str, &[&str])] = &[
            ("GPT-6", &["gpt", "6", "gpt6"]),
            ("GPT 4.5 的", &["gpt", "4.5", "的"]),
            ("5.2x 级别", &["5.2x", "5.2", "级", "别", "级别"]),
            ("3D 推理", &["3d", "推", "理", "推理"]),
            ("token 預算", &["token", "预", "算", "预算"]),
            ("Y Combinator W26。", &["y", "combinator", "w26"]),
            ("end.", &["end"]),
            ("1.", &["1"]),
            ("10-20 分钟", &["10", "20", "1020", "分", "钟", "分钟"]),
            ("ＧＰＴ－５", &["gpt", "5", "gpt5"]),
            ("go-to-market，", &["go", "to", "market", "gotomarket"]),
        ];
        for (input, want) in cases {
            assert_eq!(tokens(input), *want, "{input}");
        }
    }

    #[test]
    fn spans_point_at_source_characters() {
        let text = "用 Codex 做";
        let mut spans = Vec::new();
        tokenize(text, |t, s| {
            if let Term::Word(w) = t {
                spans.push((w.to_string(), s));
            }
        });
        let chars: Vec<char> = text.chars().collect();
        let (w, s) = &spans[0];
        let src: String = chars[s.start as usize..s.end as usize].iter().collect();
        assert_eq!((w.as_str(), src.as_str()), ("codex", "Codex"));
    }
}
