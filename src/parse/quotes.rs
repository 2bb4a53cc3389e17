//! Finding the speaker's words in a paragraph of plain text.
//!
//! Write-ups mix straight and curly quotation marks freely, and often the wrong way round
//! (`"他说。“Altman 说，”接着说。"`). So `"`, `“` and `”` are all treated as the same mark, and
//! each one switches between "outside" and "inside" a quotation. A paragraph with an odd
//! number of such marks is unbalanced: no segment of it can be trusted, so it yields nothing
//! (its bold highlights are not trusted either). Corner brackets `「…」` nest properly and are
//! matched as pairs.
//!
//! A quote is kept only when it reads as a phrase or sentence: long enough, not absurdly long,
//! no URL, and not a bare question (the audience's words, not the speaker's).

use std::collections::HashSet;

use crate::model::QuoteKind;

/// Shortest quote kept, in characters. Shorter quoted text is a term or a scare quote
/// ("写作冰冷", "难读", "bad"), not something worth posting on its own.
pub const MIN_CHARS: usize = 6;
/// Longest quote kept, in characters.
pub const MAX_CHARS: usize = 400;

/// A paragraph as plain text, with the byte ranges of its bold spans.
#[derive(Debug, Default, Clone)]
pub struct PlainText {
    pub text: String,
    pub bold: Vec<(usize, usize)>,
}

/// A quote found in a paragraph, before it is tied to a section.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub text: String,
    pub kind: QuoteKind,
}

fn is_ambiguous_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// Quotes in an ordinary paragraph.
pub fn extract(p: &PlainText) -> Vec<Found> {
    let text = p.text.as_str();
    let marks: Vec<(usize, char)> = text
        .char_indices()
        .filter(|&(_, c)| is_ambiguous_mark(c))
        .collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    if marks.len() % 2 == 0 {
        for pair in marks.chunks(2) {
            let start = pair[0].0 + pair[0].1.len_utf8();
            spans.push((start, pair[1].0));
        }
    }
    spans.extend(corner_bracket_spans(text));
    spans.sort_unstable();

    // Bold spans are recorded in text order; sorting keeps the lookup below a binary search
    // even if that ever changes. Both lookups keep the work linear in the paragraph: a 4 MB
    // paragraph of `"**quoted**"` must not take quadratic time.
    let mut bold = p.bold.clone();
    bold.sort_unstable();
    let mut out = Collector::new();
    for (start, end) in spans {
        let inner = &text[start..end];
        let whole_paragraph = text[..start].trim_matches(is_mark_or_space).is_empty()
            && text[end..].trim_matches(is_mark_or_space).is_empty();
        if whole_paragraph && is_question(inner) {
            continue;
        }
        push_clean(&mut out, inner, QuoteKind::Quoted);
        let first = bold.partition_point(|&(bs, _)| bs < start);
        for &(bs, be) in bold[first..].iter().take_while(|&&(bs, _)| bs <= end) {
            if be <= end && bs <= be && (bs, be) != (start, end) {
                if let Some(t) = text.get(bs..be) {
                    push_clean(&mut out, t, QuoteKind::Highlight);
                }
            }
        }
    }
    out.found
}

/// The quote a pull-quote blockquote holds, if the blockquote is one.
///
/// A pull-quote is wholly inside quotation marks, optionally followed by an attribution line
/// (`— Sam Altman`). Anything else is an editor's note and yields nothing.
pub fn pull_quote(p: &PlainText) -> Option<Found> {
    let text = p.text.trim();
    let (body, attributed) = match text.rfind(['—', '–']) {
        Some(i) if i > 0 => (text[..i].trim(), true),
        _ => (text, false),
    };
    let mut chars = body.chars();
    let first = chars.next()?;
    let last = body.chars().next_back()?;
    let quoted =
        (is_ambiguous_mark(first) && is_ambiguous_mark(last)) || (first == '「' && last == '」');
    let inner = if quoted {
        let a = first.len_utf8();
        let b = body.len() - last.len_utf8();
        if a >= b {
            return None;
        }
        &body[a..b]
    } else if attributed {
        body
    } else {
        return None;
    };
    // A quotation inside the pull-quote must not be a second, nested one.
    if inner.chars().any(is_ambiguous_mark) {
        return None;
    }
    let mut out = Collector::new();
    push_clean(&mut out, inner, QuoteKind::PullQuote);
    out.found.pop()
}

fn corner_bracket_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '「' => stack.push(i + c.len_utf8()),
            '」' => {
                if let Some(start) = stack.pop() {
                    // Only the outermost pair is a quotation; inner ones are quotes in quotes.
                    if stack.is_empty() {
                        spans.push((start, i));
                    }
                }
            }
            _ => {}
        }
    }
    spans
}

fn is_mark_or_space(c: char) -> bool {
    c.is_whitespace() || is_ambiguous_mark(c) || is_stray_punct(c)
}

fn is_question(s: &str) -> bool {
    s.trim_end_matches(is_stray_punct)
        .trim_end()
        .ends_with(['？', '?'])
}

/// Punctuation that can hang off either end of a quote without belonging to it.
fn is_stray_punct(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '、'
            | '：'
            | ':'
            | '；'
            | ';'
            | '('
            | ')'
            | '（'
            | '）'
            | '\''
            | '‘'
            | '’'
            | '『'
            | '』'
            | '-'
            | '—'
            | '–'
            | '*'
            | '_'
    )
}

/// Quotes found so far in one paragraph, and their texts for a constant-time duplicate check.
struct Collector {
    found: Vec<Found>,
    seen: HashSet<String>,
}

impl Collector {
    fn new() -> Collector {
        Collector {
            found: Vec::new(),
            seen: HashSet::new(),
        }
    }
}

fn push_clean(out: &mut Collector, raw: &str, kind: QuoteKind) {
    let text = raw
        .trim()
        .trim_start_matches(|c: char| {
            is_stray_punct(c) || c.is_whitespace() || matches!(c, '。' | '.' | '！' | '!')
        })
        .trim_end_matches(|c: char| is_stray_punct(c) || c.is_whitespace());
    let n = text.chars().count();
    if !(MIN_CHARS..=MAX_CHARS).contains(&n) {
        return;
    }
    if text.contains("http://") || text.contains("https://") || text.contains("www.") {
        return;
    }
    if text.chars().any(is_ambiguous_mark) {
        return;
    }
    if !out.seen.insert(text.to_string()) {
        return;
    }
    out.found.push(Found {
        text: text.to_string(),
        kind,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> PlainText {
        PlainText {
            text: text.to_string(),
            bold: Vec::new(),
        }
    }

    fn texts(found: Vec<Found>) -> Vec<String> {
        found.into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn mixed_marks_split_at_the_attribution() {
        let p = plain(
            "\"我认为工程师的含义会发生巨大变化。“Altman 说，”会有更多人创造更多价值，这很好。\"",
        );
        assert_eq!(
            texts(extract(&p)),
            vec![
                "我认为工程师的含义会发生巨大变化。",
                "会有更多人创造更多价值，这很好。"
            ]
        );
    }

    #[test]
    fn an_unbalanced_paragraph_yields_nothing() {
        let p = plain("他说“这是一个很长很长的句子”然后又说“另一个没有结束的句子");
        assert!(extract(&p).is_empty());
    }

    #[test]
    fn short_terms_and_urls_are_not_quotes() {
        let p = plain("用户称其“写作冰冷”，见“https://example.com/a/long/path”。");
        assert!(extract(&p).is_empty());
    }

    #[test]
    fn a_bare_question_is_the_audiences() {
        let p = plain("“能长时间自主运行工作流的 Agent，现实的时间线是什么？”");
        assert!(extract(&p).is_empty());
    }

    #[test]
    fn bold_inside_a_quote_is_a_highlight() {
        let text = "“我们会推动未来的模型在所有这些维度上都很强。”";
        let start = text.find("在所有").unwrap();
        let end = text.find("。").unwrap();
        let p = PlainText {
            text: text.to_string(),
            bold: vec![(start, end)],
        };
        let found = extract(&p);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].kind, QuoteKind::Highlight);
        assert_eq!(found[1].text, "在所有这些维度上都很强");
    }

    #[test]
    fn corner_brackets_nest() {
        let p = plain("他说：「我们要『先做 token 预算』，然后再说别的事情。」");
        assert_eq!(
            texts(extract(&p)),
            vec!["我们要『先做 token 预算』，然后再说别的事情。"]
        );
    }

    #[test]
    fn pull_quote_versus_editors_note() {
        assert_eq!(
            pull_quote(&plain(
                "“我原本坚决认为绝对不会给 Codex 无监督访问我的电脑。”"
            ))
            .map(|f| f.text),
            Some("我原本坚决认为绝对不会给 Codex 无监督访问我的电脑。".to_string())
        );
        assert!(
            pull_quote(&plain(
                "Clanker 是近年来出现的对 AI 的贬义称呼，意指“叮当作响的金属”。"
            ))
            .is_none()
        );
        assert_eq!(
            pull_quote(&plain("Stay hungry, stay foolish. — Steve Jobs")).map(|f| f.text),
            Some("Stay hungry, stay foolish.".to_string())
        );
    }
}
