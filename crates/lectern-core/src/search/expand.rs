//! What a query means beyond its letters: Chinese segmentation, question words and particles,
//! synonyms, and Taiwan vocabulary.
//!
//! - **Segmentation.** A run of Chinese characters is cut into words by forward maximum matching
//!   against the dictionary's headwords ([`super::dict`]), the synonym list and the particles.
//!   [`super::rank`] uses the words to weigh character pairs (a pair across two dictionary
//!   words, like 程的 in 编程的未来, says little) and to attach synonyms to them.
//! - **Particles.** Question words and particles (吗, 什么, 的, 怎么, …) standing as words of
//!   their own are dropped, like English stop words ([`super::tokenize::is_stop_en`]).
//! - **Synonyms.** `synonyms.txt`, hand-written: a query word of a group also finds the other
//!   words of its group, at less weight.
//! - **English the dictionary lacks.** `english.txt`, hand-written, a comment for each entry:
//!   clipped forms (`lab`), prefixes of compounds (`bio`), and words of the talks' domain
//!   CC-CEDICT has no sense for (`orchestration`), each with its Chinese or the English the
//!   dictionary has ([`english_meanings`]).
//! - **Taiwan and Hong Kong vocabulary.** [`regional_variant`] converts the query by phrase with
//!   OpenCC's tables (`chinese.rs`): 軟體 → 软件, 人工智慧 → 人工智能, 程式 → 程序. Documents keep
//!   their per-character folding (and with it the map that bolds matches); the converted query
//!   is searched beside the original one.
//!
//! Invariant: nothing here reads the index; [`super::rank`] decides which expansions the library
//! has.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::dict;
use super::normalize::{compact, fold};

/// Question words and particles that count for nothing when they stand as words of their own.
const PARTICLES: &[&str] = &[
    "吗",
    "呢",
    "吧",
    "啊",
    "呀",
    "嘛",
    "么",
    "的",
    "了",
    "地",
    "得",
    "是",
    "会",
    "能",
    "要",
    "有",
    "在",
    "和",
    "与",
    "对",
    "把",
    "被",
    "让",
    "给",
    "就",
    "都",
    "也",
    "还",
    "又",
    "很",
    "谁",
    "哪",
    "什么",
    "怎么",
    "怎样",
    "怎么样",
    "如何",
    "为什么",
    "为何",
    "是否",
    "是不是",
    "能否",
    "能不能",
    "会不会",
    "可不可以",
    "可以",
    "应该",
    "哪些",
    "哪个",
    "哪里",
    "什么时候",
    "多少",
    "关于",
    "有没有",
    "有关",
    "一下",
    "请问",
    "我们",
    "你们",
    "他们",
    "他",
    "她",
    "它",
    "我",
    "你",
];

/// Longest word tried by the segmentation, in characters.
const MAX_WORD_CHARS: usize = 8;

/// Whether a (folded) word is a particle.
pub fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

static SYNONYMS: LazyLock<FxHashMap<String, Vec<String>>> = LazyLock::new(|| {
    let mut map: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for line in include_str!("synonyms.txt").lines() {
        if line.starts_with('#') {
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(fold).collect();
        for w in &words {
            let others = map.entry(w.clone()).or_default();
            others.extend(words.iter().filter(|o| *o != w).cloned());
        }
    }
    map
});

/// What a curated English word means ([`english_meanings`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    /// Chinese (folded), matched as a phrase.
    Chinese(String),
    /// English the dictionary has, as a key ([`dict::english_key`]).
    English(String),
}

static ENGLISH: LazyLock<FxHashMap<String, Vec<Meaning>>> = LazyLock::new(|| {
    let mut map: FxHashMap<String, Vec<Meaning>> = FxHashMap::default();
    for line in include_str!("english.txt").lines() {
        let line = line.split('#').next().unwrap_or("");
        let Some((english, meaning)) = line.split_once('\t') else {
            continue;
        };
        let key = dict::english_key(english.split_whitespace());
        let meaning = meaning.trim();
        let m = if meaning.chars().all(crate::text::is_cjk) {
            Meaning::Chinese(fold(meaning))
        } else {
            Meaning::English(dict::english_key(meaning.split_whitespace()))
        };
        map.entry(key).or_default().push(m);
    }
    map
});

/// The curated meanings of an English key ([`dict::english_key`]): `english.txt`.
pub fn english_meanings(key: &str) -> &'static [Meaning] {
    ENGLISH.get(key).map_or(&[], Vec::as_slice)
}

/// The other words of `word`'s synonym groups (folded).
pub fn synonyms(word: &str) -> &'static [String] {
    SYNONYMS.get(word).map_or(&[], Vec::as_slice)
}

fn is_word(s: &str) -> bool {
    is_particle(s) || SYNONYMS.contains_key(s) || dict::senses(s).is_some()
}

/// Cuts a run of (folded) Chinese characters into words, longest dictionary match first: the
/// lengths of the words, in order. A character that starts no word is a word of one.
pub fn segment(run: &[char]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut buf = String::new();
    while i < run.len() {
        let mut len = 1;
        for l in (2..=MAX_WORD_CHARS.min(run.len() - i)).rev() {
            buf.clear();
            buf.extend(&run[i..i + l]);
            if is_word(&buf) {
                len = l;
                break;
            }
        }
        out.push(len);
        i += len;
    }
    out
}

/// The query with Taiwan and Hong Kong vocabulary converted by phrase to mainland usage, when
/// that differs from folding it character by character.
///
/// Read as Taiwan usage, a mainland word can turn into another (程序 is "process" in Taiwan,
/// so 程序员 becomes 进程员): [`super::rank::score_text`] searches the variant only when the
/// query has traditional characters or the variant finds more of itself in the library.
pub fn regional_variant(query: &str) -> Option<String> {
    if !query.chars().any(crate::text::is_cjk) {
        return None;
    }
    let folded = compact(query);
    [crate::chinese::tw2sp(query), crate::chinese::hk2s(query)]
        .into_iter()
        .find(|converted| compact(converted) != folded)
}

/// Whether the text has a character that folding changes to simplified Chinese.
pub fn has_traditional(text: &str) -> bool {
    text.chars().any(|c| {
        let mut folded = None;
        super::normalize::fold_char(c, |f| {
            folded.get_or_insert(f);
        });
        crate::text::is_cjk(c) && folded != Some(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let chars: Vec<char> = fold(s).chars().collect();
        let mut at = 0;
        segment(&chars)
            .into_iter()
            .map(|l| {
                let w: String = chars[at..at + l].iter().collect();
                at += l;
                w
            })
            .collect()
    }

    #[test]
    fn segmentation_table() {
        let cases: &[(&str, &[&str])] = &[
            ("编程的未来", &["编程", "的", "未来"]),
            ("会取代程序员吗", &["会", "取代", "程序员", "吗"]),
            (
                "幼儿园应该用电脑吗",
                &["幼儿园", "应该", "用", "电脑", "吗"],
            ),
            ("杰文斯悖轮", &["杰", "文", "斯", "悖", "轮"]),
        ];
        for (input, want) in cases {
            assert_eq!(words(input), *want, "{input}");
        }
    }

    #[test]
    fn taiwan_vocabulary_converts_by_phrase() {
        let cases = [
            ("軟體工程師", "软件工程师"),
            ("人工智慧", "人工智能"),
            ("資料中心", "数据中心"),
            ("網路安全", "网络安全"),
        ];
        for (input, want) in cases {
            assert_eq!(regional_variant(input).as_deref(), Some(want), "{input}");
        }
        // Plain simplified text and character-level traditional text need no variant.
        assert_eq!(regional_variant("软件工程师"), None);
        assert_eq!(regional_variant("幼兒園"), None);
        assert_eq!(regional_variant("kindergarten"), None);
        assert!(has_traditional("軟體") && !has_traditional("程序员 AI"));
    }

    #[test]
    fn curated_english_is_keyed_like_the_dictionary() {
        let lab = english_meanings(&dict::english_key(["labs"]));
        assert_eq!(lab, [Meaning::English(dict::english_key(["laboratory"]))]);
        assert_eq!(
            english_meanings(&dict::english_key(["wet", "lab"])),
            [Meaning::Chinese("湿实验室".into())]
        );
        assert!(english_meanings("kindergarten").is_empty());
        // Every line is an entry or a comment.
        for line in include_str!("english.txt").lines() {
            let (entry, why) = line.split_once('#').unwrap_or((line, ""));
            let fields = entry.trim_end().split('\t').count();
            assert!(
                line.starts_with('#') || (fields == 2 && !why.trim().is_empty()),
                "{line}"
            );
        }
    }

    #[test]
    fn synonyms_go_both_ways() {
        assert!(synonyms("降价").iter().any(|w| w == "成本下降"));
        assert!(synonyms("成本下降").iter().any(|w| w == "降价"));
        assert!(synonyms("不是词").is_empty());
    }
}
