//! Normalisation shared by the index and the query: one function decides what "the same text"
//! means, so a query and a document can only disagree about spelling, never about folding.
//!
//! The pipeline, per character: Unicode NFKC (which also turns full-width Latin, digits and
//! punctuation into their half-width forms, and compatibility ideographs into unified ones),
//! then lower case, then traditional Chinese folded to simplified through a per-character table
//! built once from the OpenCC data in `chinese.rs`. Markdown markup is removed before
//! that, by [`plain`].
//!
//! Invariants:
//! - folding works character by character and every folded character remembers the index (in
//!   characters) of the source character it came from, so that a match found in folded text can
//!   be put in bold in the source text;
//! - the traditional → simplified table maps one character to one character; phrase-level
//!   conversion (which could change lengths) is deliberately not used, since both sides of a
//!   comparison go through the same table anyway.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// The code points the traditional → simplified table covers: CJK extension A and the unified
/// ideographs, where all the characters that differ between the scripts live.
const T2S_FIRST: u32 = 0x3400;
const T2S_LAST: u32 = 0x9FFF;

/// `T2S[c - T2S_FIRST]` is the simplified form of `c` (or `c` itself), filled from
/// [`T2S_PAIRS`] at first use.
static T2S: LazyLock<Box<[char]>> = LazyLock::new(|| {
    let mut table: Vec<char> = (T2S_FIRST..=T2S_LAST).filter_map(char::from_u32).collect();
    for &(traditional, simplified) in T2S_PAIRS {
        table[(traditional as u32 - T2S_FIRST) as usize] = simplified;
    }
    table.into_boxed_slice()
});

/// The characters of the range whose simplified form differs, with that form: what
/// OpenCC's generic, Taiwan and Hong Kong conversions give for each character on its own
/// (the test `t2s_pairs_are_what_opencc_gives` derives them again and compares). Kept as
/// source rather than derived at start: the derivation converts 27,000 characters three times,
/// about 0.3 billion instructions, which every process paid before its first search or load.
/// `LECTERN_WRITE_T2S=1 cargo test -p lectern-core t2s_pairs` writes the file again.
static T2S_PAIRS: &[(char, char)] = include!("t2s_pairs.rs");

/// Simplified form of one CJK character (identity outside the table's range).
fn simplify(c: char) -> char {
    let u = c as u32;
    if (T2S_FIRST..=T2S_LAST).contains(&u) {
        T2S[(u - T2S_FIRST) as usize]
    } else {
        c
    }
}

/// Marks a character of [`BMP`] whose folding is not a single character.
const MANY: char = '\u{FFFF}';

/// The folding of every character of the Basic Multilingual Plane that folds to exactly one
/// character, computed once: NFKC of a single character costs far more than a table look-up,
/// and Chinese text is one tenth punctuation.
static BMP: LazyLock<Box<[char]>> = LazyLock::new(|| {
    (0..=0xFFFFu32)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return MANY;
            };
            let mut first = None;
            let mut n = 0;
            fold_slow(c, |f| {
                first.get_or_insert(f);
                n += 1;
            });
            match (n, first) {
                (1, Some(f)) if f != MANY => f,
                _ => MANY,
            }
        })
        .collect()
});

/// Builds the folding tables now, on the calling thread, instead of at the first fold: a load
/// that has other work for one thread (reading its cache) builds them on another, so that they
/// are ready when the talks' names are folded. Since the traditional → simplified table is
/// source (`search/t2s_pairs.rs`), that is the NFKC table alone, about 20 M instructions (a few
/// milliseconds); it was 0.3 billion, a tenth of a start from the cache, before.
pub fn prepare() {
    LazyLock::force(&BMP);
}

/// Folds one character, calling `out` for each resulting character (usually exactly one).
#[inline]
pub fn fold_char(c: char, mut out: impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    let u = c as u32;
    if u <= 0xFFFF {
        let f = BMP[u as usize];
        if f != MANY {
            out(f);
            return;
        }
    }
    fold_slow(c, out);
}

fn fold_slow(c: char, mut out: impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    let u = c as u32;
    if (T2S_FIRST..=T2S_LAST).contains(&u) {
        // NFKC leaves unified ideographs alone.
        out(T2S[(u - T2S_FIRST) as usize]);
        return;
    }
    for n in std::iter::once(c).nfkc() {
        for l in n.to_lowercase() {
            out(simplify(l));
        }
    }
}

/// Folds a whole string (no position tracking): for comparing short strings such as titles.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, |f| out.push(f));
    }
    out
}

/// Folds a string and keeps only letters, digits and CJK characters: `“GPT-5” 的写作` and
/// `gpt5的寫作` give the same key. Used for contiguous-phrase checks and title matching.
pub fn compact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, |f| {
            if f.is_alphanumeric() {
                out.push(f);
            }
        });
    }
    out
}

/// The text of Markdown as a reader sees it: emphasis markers, heading and quote markers, list
/// bullets, code ticks and link targets removed, line breaks turned into spaces.
///
/// A hand-written pass rather than a Markdown parser: it runs over every field at every load and
/// only needs to drop markup, not to understand structure.
pub fn plain(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        let mut rest = line.trim_start();
        // Block markers at the start of a line.
        loop {
            let before = rest;
            rest = rest
                .trim_start_matches('#')
                .trim_start_matches('>')
                .trim_start();
            for bullet in ["- ", "* ", "+ "] {
                if let Some(r) = rest.strip_prefix(bullet) {
                    rest = r.trim_start();
                }
            }
            if rest == before {
                break;
            }
        }
        if !out.is_empty() && !out.ends_with(' ') && !rest.is_empty() {
            out.push(' ');
        }
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '*' | '_' | '`' | '~' => {}
                '!' if rest[i + 1..].starts_with('[') => {}
                '[' | ']' => {
                    // `](target)`: skip the target.
                    if c == ']'
                        && rest[i + 1..].starts_with('(')
                        && let Some(close) = rest[i + 1..].find(')')
                    {
                        let end = i + 1 + close;
                        while chars.peek().is_some_and(|&(j, _)| j <= end) {
                            chars.next();
                        }
                    }
                }
                '\t' => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// The pairs of [`T2S_PAIRS`] as OpenCC derives them: every character of the range
    /// converted on its own line with the generic, the Taiwan and the Hong Kong conversions,
    /// keeping one-to-one results, the first conversion that changes a character winning.
    fn t2s_pairs_from_opencc() -> Vec<(char, char)> {
        let chars: Vec<char> = (T2S_FIRST..=T2S_LAST).filter_map(char::from_u32).collect();
        let mut lines = String::with_capacity(chars.len() * 4);
        for &c in &chars {
            lines.push(c);
            lines.push('\n');
        }
        let mut table = chars.clone();
        for converted in [
            crate::chinese::t2s(&lines),
            crate::chinese::tw2s(&lines),
            crate::chinese::hk2s(&lines),
        ] {
            for ((slot, &orig), line) in table.iter_mut().zip(&chars).zip(converted.split('\n')) {
                let mut it = line.chars();
                if let (Some(s), None) = (it.next(), it.next())
                    && *slot == orig
                    && s != orig
                {
                    *slot = s;
                }
            }
        }
        (chars.into_iter().zip(table))
            .filter(|(t, s)| t != s)
            .collect()
    }

    #[test]
    fn t2s_pairs_are_what_opencc_gives() {
        let derived = t2s_pairs_from_opencc();
        if std::env::var_os("LECTERN_WRITE_T2S").is_some() {
            let mut out = String::from(
                "// Generated by `LECTERN_WRITE_T2S=1 cargo test -p lectern-core t2s_pairs`:\n// (traditional, simplified) pairs of OpenCC's conversions, one character each.\n&[\n",
            );
            for (t, s) in &derived {
                out.push_str(&format!("    ('{t}', '{s}'),\n"));
            }
            out.push_str("]\n");
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/search/t2s_pairs.rs");
            std::fs::write(path, out).expect("write t2s_pairs.rs");
        }
        assert!(derived.len() > 2_000, "{} pairs", derived.len());
        assert_eq!(T2S_PAIRS, derived.as_slice());
        // The table built from the pairs simplifies as the derivation does.
        assert_eq!(simplify('體'), '体');
        assert_eq!(simplify('臺'), '台');
        assert_eq!(simplify('体'), '体');
    }

    use super::*;

    #[test]
    fn folding_table() {
        // (input, folded)
        let cases = [
            ("GPT-5", "gpt-5"),
            ("ＧＰＴ－５", "gpt-5"),
            ("４．５", "4.5"),
            ("韌性", "韧性"),
            ("護城河", "护城河"),
            ("幼兒園與電腦", "幼儿园与电脑"),
            ("面試", "面试"),
            ("生物安全", "生物安全"),
            ("Ｃｏｄｅｘ", "codex"),
            ("ÉCOLE", "école"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "{input}");
        }
    }

    #[test]
    fn compact_drops_punctuation_and_spaces() {
        assert_eq!(compact("“GPT-5” 的 寫作！"), "gpt5的写作");
    }

    #[test]
    fn plain_drops_markup() {
        let md = "## 标题\n\n\"我认为**工程师的含义会发生巨大变化**。\"\n- 看 [链接](https://x.io/a)\n> 引用";
        assert_eq!(
            plain(md),
            "标题 \"我认为工程师的含义会发生巨大变化。\" 看 链接 引用"
        );
    }
}
