//! Snippets: a short window of a document's text around its best match, matches in bold.
//!
//! Invariants: a snippet is plain text (Markdown of the source removed, Markdown characters of
//! the text escaped) with at most [`MAX_BOLD`] `**…**` runs, and at most about
//! [`super::SNIPPET_CHARS`] characters including the markers.

use rustc_hash::FxHashSet;

use super::SNIPPET_CHARS;
use super::index::Index;
use super::tokenize::tokenize;

/// Characters of text in a snippet; the rest of [`SNIPPET_CHARS`] is for markers and ellipses.
const WINDOW: usize = SNIPPET_CHARS - 30;
/// Characters of context kept before the first match of the window.
const LEAD: usize = 30;
/// At most this many bold runs.
pub const MAX_BOLD: usize = 5;

/// Which characters of `text` are covered by one of `terms`.
pub fn marks(index: &Index, text: &str, terms: &FxHashSet<u32>) -> Vec<bool> {
    let n = text.chars().count();
    let mut marked = vec![false; n];
    if terms.is_empty() {
        return marked;
    }
    tokenize(text, |t, span| {
        if index.term_id(t).is_some_and(|id| terms.contains(&id)) {
            for m in &mut marked[span.start as usize..(span.end as usize).min(n)] {
                *m = true;
            }
        }
    });
    // Join runs separated by a space or a hyphen (`**GPT-6**`, `**token 预算**`).
    let chars: Vec<char> = text.chars().collect();
    for i in 1..n.saturating_sub(1) {
        if !marked[i] && marked[i - 1] && marked[i + 1] && matches!(chars[i], ' ' | '-' | '.') {
            marked[i] = true;
        }
    }
    marked
}

/// The snippet of `text` with the marked characters in bold, or the start of the text when
/// nothing is marked.
pub fn render(text: &str, marked: &[bool]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    // Prefix sums of marks, to count the marks of any window in O(1).
    let mut sum = vec![0usize; n + 1];
    for i in 0..n {
        sum[i + 1] = sum[i] + usize::from(marked.get(i).copied().unwrap_or(false));
    }
    let mut start = 0;
    let mut best = 0;
    for i in 0..n {
        let at = |j: usize| marked.get(j).copied().unwrap_or(false);
        let run_start = at(i) && (i == 0 || !at(i - 1));
        if run_start {
            let s = i.saturating_sub(LEAD);
            let e = (s + WINDOW).min(n);
            let count = sum[e] - sum[s];
            if count > best {
                best = count;
                start = s;
            }
        }
    }
    // Prefer starting the window at a word or sentence boundary near `start`.
    if start > 0
        && let Some(b) = (start..(start + 12).min(n)).find(|&i| chars[i - 1].is_whitespace())
    {
        start = b;
    }
    let end = (start + WINDOW).min(n);
    let mut out = String::with_capacity(SNIPPET_CHARS * 3);
    if start > 0 {
        out.push('…');
    }
    let mut bold = false;
    let mut runs = 0;
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        let m = marked.get(i).copied().unwrap_or(false);
        if m && !bold && runs < MAX_BOLD {
            out.push_str("**");
            bold = true;
            runs += 1;
        } else if !m && bold {
            out.push_str("**");
            bold = false;
        }
        if matches!(c, '*' | '_' | '`' | '~' | '|' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    if bold {
        out.push_str("**");
    }
    if end < n {
        out.push('…');
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked_where(text: &str, needle: &str) -> Vec<bool> {
        let chars: Vec<char> = text.chars().collect();
        let nd: Vec<char> = needle.chars().collect();
        let mut m = vec![false; chars.len()];
        for i in 0..chars.len() {
            if chars[i..].starts_with(&nd) {
                m[i..i + nd.len()].iter_mut().for_each(|x| *x = true);
            }
        }
        m
    }

    #[test]
    fn bolds_the_match_and_keeps_the_limit() {
        let text = format!("{}深蓝打败卡斯帕罗夫{}", "前".repeat(200), "后".repeat(200));
        let s = render(&text, &marked_where(&text, "卡斯帕罗夫"));
        assert!(s.contains("**卡斯帕罗夫**"), "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.chars().count() <= SNIPPET_CHARS, "{}", s.chars().count());
    }

    #[test]
    fn no_match_gives_the_start() {
        let s = render("短文本 *星号*", &[false; 8]);
        assert_eq!(s, "短文本 \\*星号\\*");
    }
}
