//! Transcripts: their times, and the sections of one that has no headings (issue 24).
//!
//! Four steps, each a small hook of the builder in `mod.rs`:
//! 1. [`normalise`]: subtitle-track shortcodes (`{{< track-segment start="00:00:05.280" >}}`
//!    around `{{< styled-paragraph >}}` lines, as Hugo sites publish captions) become the
//!    Markdown they stand for: a paragraph per line, the first with its `\[00:00:05\]`.
//! 2. [`read_times`]: every paragraph's timestamp (see [`super::time`]), taken out of the plain
//!    text the quote finder reads (the Markdown a reader sees keeps it), and the chapter list,
//!    from the body (`00:00 Intro` lines) or the front matter (`chapters: |` and its lines).
//! 3. [`divide`]: a document with no heading at all whose paragraphs are turns (labels that
//!    recur, questions standing alone in bold, or timestamps) gets headings of its own before the walk, so every other rule of
//!    the parser applies unchanged: one per chapter, at the first turn at or after the
//!    chapter's time (chapters no turn reaches are left out; the list stays in the intro), else
//!    one per part: a part ends at the first turn boundary once it holds [`PART_CHARS`]
//!    characters (at a paragraph boundary once it holds three times that, for a turn that never
//!    ends), and a last part shorter than [`MIN_LAST_PART`] joins the one before. What stands
//!    before the first turn stays the intro; no block is dropped.
//! 4. [`retitle`]: after the walk, a part is titled so a person can choose it: its first words,
//!    its time range and who speaks (`Welcome back to Shipping Small… (0:31–5:10 · Dana
//!    Whitfield, Marco Ruiz)`); a chapter keeps its title and gets its time.

use std::borrow::Cow;
use std::collections::HashMap;

use super::render::{PlainText, Rendered};
use super::roster::{Role, Roster, is_name, label_of};
use super::time::{self, Chapter};
use super::{Node, Plan};
use crate::model::Talk;
use crate::recording::format_clock;
use crate::text::{char_len, truncate_chars};

/// A part ends at the first turn boundary once it holds this many characters: about one page
/// of a section (`reply::PAGE_CHARS` is 1,800), so a part opens on one page or two.
pub(super) const PART_CHARS: usize = 1200;
/// A last part shorter than this joins the one before.
pub(super) const MIN_LAST_PART: usize = 400;

/// The caption shortcodes of `src` as Markdown; `src` itself when it has none.
pub(super) fn normalise(src: &str) -> Cow<'_, str> {
    const OPEN: &str = "{{< track-segment";
    const CLOSE: &str = "{{< /track-segment >}}";
    if !src.contains(OPEN) {
        return Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let seg = &rest[at..];
        let Some(head_end) = seg.find(">}}") else {
            out.push_str(seg);
            return Cow::Owned(out);
        };
        let head = &seg[..head_end];
        let body_end = seg.find(CLOSE).unwrap_or(seg.len());
        let body = &seg[(head_end + 3).min(body_end)..body_end];
        let stamp = head
            .split_once("start=\"")
            .and_then(|(_, s)| time::clock(s))
            .map(|(secs, _)| secs);
        let mut first = true;
        for line in body.lines() {
            let text = strip_shortcodes(line);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            out.push_str("\n\n");
            if first && let Some(secs) = stamp {
                out.push_str(&format!("\\[{}\\] ", format_clock(secs)));
            }
            first = false;
            out.push_str(text);
        }
        out.push_str("\n\n");
        rest = &seg[(body_end + CLOSE.len()).min(seg.len())..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `line` without its `{{< … >}}` shortcodes.
fn strip_shortcodes(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("{{<") {
        out.push_str(&rest[..at]);
        match rest[at..].find(">}}") {
            Some(end) => rest = &rest[at + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// What [`read_times`] found.
#[derive(Debug, Default)]
pub(super) struct Timing {
    /// The chapter list, if the document has one.
    pub chapters: Vec<Chapter>,
    /// The node holding it in the body, if it stands there.
    pub chapter_node: Option<usize>,
    /// The labels of turns that carry a time (`Sam Okafor: (1:10:05) …`): speakers even when
    /// they speak once.
    pub timed_labels: Vec<String>,
}

/// Reads the timestamp of every paragraph into `Rendered::times` (and out of its plain text),
/// and the chapter list.
pub(super) fn read_times(
    nodes: &[Node],
    rendered: &mut [Option<Rendered>],
    node_text: impl Fn(usize) -> Option<String>,
) -> Timing {
    let mut timing = Timing::default();
    for (i, node) in nodes.iter().enumerate() {
        if let Node::FrontMatter { text, .. } = node
            && timing.chapters.is_empty()
        {
            timing.chapters = time::chapter_list(text);
            continue;
        }
        let Some(r) = rendered.get_mut(i).and_then(Option::as_mut) else {
            continue;
        };
        if timing.chapters.is_empty()
            && let Some(text) = node_text(i)
        {
            let list = time::chapter_list(&text);
            if !list.is_empty() {
                timing.chapters = list;
                timing.chapter_node = Some(i);
                continue;
            }
        }
        r.times = r.paragraphs.iter_mut().map(take_time).collect();
        for (p, t) in r.paragraphs.iter().zip(&r.times) {
            if t.is_some()
                && !p.item
                && let Some(l) = label_of(p)
                && is_name(l.text)
                && !timing.timed_labels.iter().any(|x| x == l.text)
            {
                timing.timed_labels.push(l.text.to_string());
            }
        }
    }
    timing
}

/// The time a paragraph opens with (before its label or right after it), taken out of its
/// text; a bracketed one before a label stays, where the label reader skips it.
fn take_time(p: &mut PlainText) -> Option<u32> {
    if let Some(stamp) = time::leading(&p.text) {
        let label_after = stamp.bracketed && label_of(p).is_some_and(|l| l.words >= stamp.end);
        if !label_after {
            remove(p, stamp.start, stamp.end);
        }
        return Some(stamp.seconds);
    }
    let words = label_of(p)?.words;
    let stamp = time::leading(&p.text[words..])?;
    remove(p, words + stamp.start, words + stamp.end);
    Some(stamp.seconds)
}

/// Removes bytes `start..end` of the paragraph's text, moving its spans with it.
fn remove(p: &mut PlainText, start: usize, end: usize) {
    p.text.replace_range(start..end, "");
    let len = end - start;
    let moved = |at: usize| {
        if at >= end { at - len } else { at.min(start) }
    };
    for spans in [&mut p.bold, &mut p.links] {
        for span in spans.iter_mut() {
            *span = (moved(span.0), moved(span.1));
        }
        spans.retain(|&(s, e)| e > s);
    }
}

/// The headings [`divide`] gave a document, for [`retitle`].
#[derive(Debug)]
pub(super) struct Division {
    /// The document's nodes with the new headings.
    pub nodes: Vec<Node>,
    /// The chapter each new heading opens, in order; empty for parts.
    pub chapters: Vec<Chapter>,
    /// The index of the title heading among `nodes`, if the document has one.
    pub title: Option<usize>,
}

impl Division {
    /// The plan of the divided document: every new heading opens a section.
    pub(super) fn plan(&self) -> Plan {
        let sections = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| matches!(n, Node::Heading { .. }) && Some(*i) != self.title)
            .map(|(i, _)| i)
            .collect();
        Plan {
            level: 2,
            sections,
            title: self.title,
            ..Plan::default()
        }
    }
}

/// Adds the labels of timed turns the roster lacks, as speakers.
pub(super) fn add_timed(roster: &mut Roster, timing: &Timing) {
    for l in &timing.timed_labels {
        if roster.find(l).is_none() {
            roster.add(l, Role::Speaker);
        }
    }
}

/// Divides a document that has no heading (but its title) into sections (see the module's doc), or `None`
/// when it is no transcript (fewer than two turns). `rendered` gets `None` for each new
/// heading, so it stays parallel to the nodes.
pub(super) fn divide(
    nodes: &[Node],
    rendered: &mut Vec<Option<Rendered>>,
    timing: &Timing,
    title: Option<usize>,
) -> Option<Division> {
    // Only a document with no heading at all: one whose only heading is its title is all
    // intro, as before (the real corpus labels such write-ups as having no sections).
    if nodes.iter().any(|n| matches!(n, Node::Heading { .. })) {
        return None;
    }
    // How often each label opens a paragraph: a label that recurs is a speaker's.
    let mut labels: HashMap<&str, usize> = HashMap::new();
    for r in rendered.iter().flatten() {
        for p in r.paragraphs.iter().filter(|p| !p.item) {
            if let Some(l) = label_of(p).filter(|l| l.words < p.text.trim_end().len()) {
                *labels.entry(l.text).or_default() += 1;
            }
        }
    }
    // (node, opens a turn, its time, its length)
    let blocks: Vec<(usize, bool, Option<u32>, usize)> = nodes
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            let r = rendered.get(i)?.as_ref()?;
            let first = r.paragraphs.first();
            let at = r.times.first().copied().flatten();
            let labelled = first.is_some_and(|p| {
                !p.item
                    && label_of(p).is_some_and(|l| labels.get(l.text).copied().unwrap_or(0) >= 2)
            });
            // A question standing alone in bold opens an interview's turn too.
            let question = first.is_some_and(|p| {
                !p.item && p.is_all_bold() && p.text.trim_end().ends_with(['?', '？'])
            });
            let turn = timing.chapter_node != Some(i) && (labelled || question || at.is_some());
            Some((i, turn, at, char_len(&r.markdown)))
        })
        .collect();
    let turns = blocks.iter().filter(|b| b.1).count();
    if turns < 2 {
        return None;
    }
    let first = blocks.iter().position(|b| b.1)?;
    let timed = blocks.iter().any(|b| b.1 && b.2.is_some());
    // The node indices before which a heading goes, with the chapter it opens.
    let mut cuts: Vec<(usize, Option<Chapter>)> = Vec::new();
    if timed && !timing.chapters.is_empty() {
        let chapters = &timing.chapters;
        let mut next = 0;
        for (k, b) in blocks.iter().enumerate().skip(first) {
            let reached = |c: &Chapter| b.2.is_some_and(|t| t >= c.seconds);
            let mut open = None;
            if k == first {
                // The first turn opens the first chapter, or a later one its time reaches.
                open = Some(0);
                next = 1;
            }
            while next < chapters.len() && b.1 && reached(&chapters[next]) {
                open = Some(next);
                next += 1;
            }
            if let Some(c) = open {
                if cuts.last().is_some_and(|&(at, _)| at == b.0) {
                    cuts.pop();
                }
                cuts.push((b.0, Some(chapters[c].clone())));
            }
        }
    } else {
        let mut len = 0usize;
        let mut last_len = 0usize;
        for (k, b) in blocks.iter().enumerate().skip(first) {
            let cut = k == first || (b.1 && len >= PART_CHARS) || len >= 3 * PART_CHARS;
            if cut {
                cuts.push((b.0, None));
                len = 0;
                last_len = 0;
            }
            len += b.3;
            last_len += b.3;
        }
        if cuts.len() > 1 && last_len < MIN_LAST_PART {
            cuts.pop();
        }
    }
    let mut out = Vec::with_capacity(nodes.len() + cuts.len());
    let mut new_rendered = Vec::with_capacity(out.capacity());
    let old = std::mem::take(rendered);
    let mut cuts = cuts.into_iter().peekable();
    let mut chapters = Vec::new();
    let mut new_title = None;
    let mut inserted = 0usize;
    for (i, (node, r)) in nodes.iter().zip(old).enumerate() {
        if title == Some(i) {
            new_title = Some(out.len());
        }
        if cuts.peek().is_some_and(|c| c.0 == i) {
            let (_, chapter) = cuts.next()?;
            inserted += 1;
            let n = inserted;
            let title = chapter
                .as_ref()
                .map_or_else(|| n.to_string(), |c| c.title.clone());
            chapters.extend(chapter);
            out.push(Node::Heading {
                level: 2,
                number: u32::try_from(n).ok(),
                title,
                offset: 0,
            });
            new_rendered.push(None);
        }
        out.push(node.clone());
        new_rendered.push(r);
    }
    *rendered = new_rendered;
    Some(Division {
        nodes: out,
        chapters,
        title: new_title,
    })
}

/// Titles the sections [`divide`] made, once the walk has filled them (before the intro is
/// put first): a chapter gets its time; a part its first words, time range and speakers.
pub(super) fn retitle(talk: &mut Talk, division: &Division) {
    if !division.chapters.is_empty() {
        for (s, c) in talk.sections.iter_mut().zip(&division.chapters) {
            s.start = Some(c.seconds);
        }
        return;
    }
    for s in &mut talk.sections {
        let quotes: Vec<_> = talk
            .quotes
            .iter()
            .filter(|q| q.section == Some(s.ordinal))
            .collect();
        let mut speakers: Vec<&str> = Vec::new();
        for q in &quotes {
            if let Some(who) = q.speaker.as_deref()
                && !speakers.contains(&who)
            {
                speakers.push(who);
            }
        }
        let words = quotes
            .first()
            .map_or_else(|| plain_words(&s.body), |q| q.text.clone());
        let last = quotes.iter().filter_map(|q| q.start).max();
        let range = match (s.start, last) {
            (Some(a), Some(b)) if b > a => Some(format!("{}–{}", format_clock(a), format_clock(b))),
            (Some(a), _) => Some(format_clock(a)),
            _ => None,
        };
        let mut who = speakers
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if speakers.len() > 3 {
            who.push_str(&format!(" +{}", speakers.len() - 3));
        }
        let about: Vec<String> = range
            .into_iter()
            .chain((!who.is_empty()).then_some(who))
            .collect();
        let words = first_words(&words, if about.is_empty() { 80 } else { 40 });
        s.title = if about.is_empty() {
            words
        } else {
            truncate_chars(&format!("{words} ({})", about.join(" · ")), 90)
        };
    }
}

/// A body's first line without Markdown marks.
fn plain_words(body: &str) -> String {
    body.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .replace(['*', '\\', '_', '`'], "")
}

/// The first `max` characters of `text`, cut after a word (or anywhere in Chinese), with `…`
/// when cut.
fn first_words(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if char_len(&text) <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > cut.len() / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        cut.trim_end_matches([',', ';', ':', ' ', '，', '、'])
    )
}

/// Whether a metadata key names the talk's recording (`video`, `录像`, …); `key` is lowercase.
pub(super) fn is_recording_key(key: &str) -> bool {
    matches!(
        key,
        "video"
            | "videos"
            | "video url"
            | "video_url"
            | "youtube"
            | "bilibili"
            | "vimeo"
            | "recording"
            | "recordings"
            | "replay"
            | "audio"
            | "media"
            | "watch"
            | "视频"
            | "录像"
            | "回放"
            | "视频回放"
            | "直播回放"
            | "录播"
            | "音频"
            | "视频链接"
            | "视频地址"
    )
}

/// The first `http(s)://` URL in `text`, as written (up to a space, a bracket or a quote).
pub(super) fn first_url(text: &str) -> Option<String> {
    let at = text.find("https://").or_else(|| text.find("http://"))?;
    let url: String = text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | ']' | '>' | '"' | '\'' | '）'))
        .collect();
    (url.len() > "https://".len()).then_some(url)
}

/// The URL under a recording key nested in the front matter (`video:` / `  sources:` /
/// `    - src: https://…`), which the reader of top-level fields skips.
pub(super) fn nested_recording(front_matter: &str) -> Option<String> {
    let mut lines = front_matter.lines();
    while let Some(line) = lines.next() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if line.starts_with(char::is_whitespace)
            || !value.trim().is_empty()
            || !is_recording_key(&key.trim().to_lowercase())
        {
            continue;
        }
        for inner in lines.by_ref() {
            if !inner.starts_with(char::is_whitespace) && !inner.trim().is_empty() {
                break;
            }
            if let Some(url) = first_url(inner) {
                return Some(url);
            }
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_shortcodes_become_paragraphs_with_their_time() {
        let src = "Intro.\n\n{{< track-segment start=\"00:01:05.280\" end=\"00:01:06.500\" >}}\n\
                   {{< styled-paragraph class=\"lang-en\" >}}ABELSON: I grew up.{{< /styled-paragraph >}}\n\
                   {{< styled-paragraph class=\"lang-cn\" >}}我长大了。{{< /styled-paragraph >}}\n\
                   {{< /track-segment >}}\n\nEnd.";
        let out = normalise(src);
        assert!(out.contains("\\[1:05\\] ABELSON: I grew up."), "{out}");
        assert!(out.contains("\n\n我长大了。\n\n"), "{out}");
        assert!(out.starts_with("Intro.") && out.ends_with("End."), "{out}");
        assert!(!out.contains("{{<"), "{out}");
    }

    #[test]
    fn first_words_cut_after_a_word() {
        assert_eq!(
            first_words("Welcome back to Shipping Small.", 80),
            "Welcome back to Shipping Small."
        );
        assert_eq!(
            first_words("Welcome back to Shipping Small today", 20),
            "Welcome back to…"
        );
    }
}
