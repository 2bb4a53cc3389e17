//! The Markdown parser: one write-up in, one [`Talk`] and its warnings out.
//!
//! It walks pulldown-cmark's events with their byte offsets in three steps:
//! 1. **Blocks.** The event stream is cut into top-level blocks, each with its byte range.
//! 2. **Structure recovery.** Write-ups converted from web pages often carry headings that a
//!    CommonMark parser does not see as headings. The common case is a numbered setext heading
//!    (`1. Title` underlined with `-----`): CommonMark reads an ordered list of one item and a
//!    thematic break. A one-item, one-line ordered list directly followed by a line of dashes
//!    (or equals signs) is read back as the heading it was meant to be.
//! 3. **Zones.** Headings move the parser between zones: metadata (`文档信息`, `Metadata`),
//!    summary (`摘要`, `Summary`, with one-liner, key points and risks), the body, and related
//!    topics (`关联主题`, `Related`). In the body, headings at the section level open sections;
//!    deeper headings stay inside their section as bold lines.
//!
//! Invariants: parsing never fails and never panics; the talk it returns may have no sections
//! (the loader decides what to do with that); only this module knows pulldown-cmark.

mod front_matter;
mod lineup;
mod quotes;
mod render;
mod roster;
mod time;
mod transcript;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use crate::i18n::{Lang, Msg};
use crate::model::{Image, Meta, Quote, Section, Summary, Talk};
use crate::text::{char_len, truncate_chars};
use render::{Ev, Rendered, plain_text, render};
use roster::Role;

pub use quotes::{MAX_CHARS as MAX_QUOTE_CHARS, MIN_CHARS as MIN_QUOTE_CHARS};

/// Longest title kept for a talk or a section, in characters; longer ones are cut with a
/// warning. Titles are shown whole in labels and menus and compared with every query, so a
/// heading of a megabyte must not reach them.
pub const MAX_TITLE_CHARS: usize = 200;

/// Something the parser noticed but could work around.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseWarning {
    /// Byte offset in the source where it was noticed.
    pub offset: usize,
    /// What was noticed, in lowercase words.
    pub message: String,
}

/// The pulldown-cmark options the parser uses (the benchmarks' bare-parse baseline uses them
/// too).
pub fn markdown_options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    opts.insert(Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS);
    opts
}

/// Parses one write-up. `id` names the talk (the loader uses the file name).
pub fn parse_talk(id: &str, src: &str) -> (Talk, Vec<ParseWarning>) {
    let src = &*transcript::normalise(src);
    let opts = markdown_options();
    let events: Vec<Ev<'_>> = Parser::new_ext(src, opts).into_offset_iter().collect();
    let blocks = split_blocks(&events);
    let nodes = recover_structure(&blocks, &events, src);
    Builder::new(id, src).build(&nodes, &events)
}

/// A top-level block: the range of its events in the event list and of its bytes in the source.
#[derive(Debug, Clone)]
struct Block {
    events: Range<usize>,
    bytes: Range<usize>,
}

fn split_blocks(events: &[Ev<'_>]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, (ev, range)) in events.iter().enumerate() {
        match ev {
            Event::Start(_) => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    blocks.push(Block {
                        events: start..i + 1,
                        bytes: events[start].1.start..range.end,
                    });
                }
            }
            _ if depth == 0 => blocks.push(Block {
                events: i..i + 1,
                bytes: range.clone(),
            }),
            _ => {}
        }
    }
    blocks
}

/// A block after structure recovery.
#[derive(Debug, Clone)]
enum Node {
    Heading {
        level: u32,
        number: Option<u32>,
        title: String,
        offset: usize,
    },
    FrontMatter {
        text: String,
        offset: usize,
        /// A `+++` block, TOML; else a `---` block, YAML.
        toml: bool,
    },
    Content(Range<usize>),
}

fn recover_structure(blocks: &[Block], events: &[Ev<'_>], src: &str) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        let evs = &events[block.events.clone()];
        match &evs[0].0 {
            Event::Start(Tag::Heading { level, .. }) => {
                let (number, title) = split_number(&plain_text(evs));
                nodes.push(Node::Heading {
                    level: *level as u32,
                    number,
                    title,
                    offset: block.bytes.start,
                });
            }
            Event::Start(Tag::MetadataBlock(kind)) => {
                nodes.push(Node::FrontMatter {
                    text: plain_text(evs),
                    offset: block.bytes.start,
                    toml: *kind == MetadataBlockKind::PlusesStyle,
                });
            }
            Event::Start(Tag::List(Some(start))) => {
                let next_rule = blocks
                    .get(i + 1)
                    .filter(|b| matches!(events[b.events.start].0, Event::Rule));
                if let Some((level, title, consumed)) =
                    numbered_setext_heading(evs, block, next_rule, src)
                {
                    nodes.push(Node::Heading {
                        level,
                        number: u32::try_from(*start).ok(),
                        title,
                        offset: block.bytes.start,
                    });
                    i += consumed;
                    continue;
                }
                nodes.push(Node::Content(block.events.clone()));
            }
            _ => nodes.push(Node::Content(block.events.clone())),
        }
        i += 1;
    }
    nodes
}

/// Recognises `1. Title` + `-----` (read by CommonMark as a list and a rule) and
/// `1. Title` + `=====` (read as a list item whose paragraph continues with `=====`).
/// `next_rule` is the following block when it is a thematic break. Returns the heading level,
/// its title and how many blocks it used.
fn numbered_setext_heading(
    evs: &[Ev<'_>],
    list: &Block,
    next_rule: Option<&Block>,
    src: &str,
) -> Option<(u32, String, usize)> {
    let items = evs
        .iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::Item)))
        .count();
    let only_inline = evs.iter().all(|(e, _)| {
        matches!(
            e,
            Event::Start(Tag::List(_) | Tag::Item | Tag::Paragraph | Tag::Emphasis | Tag::Strong)
                | Event::End(
                    TagEnd::List(_)
                        | TagEnd::Item
                        | TagEnd::Paragraph
                        | TagEnd::Emphasis
                        | TagEnd::Strong
                )
                | Event::Text(_)
                | Event::Code(_)
                | Event::SoftBreak
        )
    });
    if items != 1 || !only_inline {
        return None;
    }
    let text = src.get(list.bytes.clone())?.trim_end();
    let mut lines = text.lines();
    lines.next()?;
    match (lines.next(), lines.next()) {
        // `1. Title` then a rule on the very next line.
        (None, None) => {
            let next = next_rule?;
            // The rule must stand on the very next line: no blank line in between.
            let through = src.get(list.bytes.start..next.bytes.start)?;
            if through.matches('\n').count() != 1 {
                return None;
            }
            let rule = src.get(next.bytes.clone())?.trim();
            if rule.len() >= 2 && rule.chars().all(|c| c == '-') {
                let title = plain_text(evs);
                return Some((2, title, 2));
            }
            None
        }
        // `1. Title` whose paragraph continues with a line of `=`.
        (Some(underline), None) => {
            let underline = underline.trim();
            if underline.len() >= 2 && underline.chars().all(|c| c == '=') {
                let title = plain_text(evs);
                let title = title.trim_end_matches('=').trim().to_string();
                // A numbered heading is a section, never the title: level 2 either way.
                return Some((2, title, 1));
            }
            None
        }
        _ => None,
    }
}

/// Splits a leading section number off a heading: `13. 标题`, `13) Title`, `13、标题`,
/// `13 · 标题`, `§13 标题`, `第13节 标题`, `一、标题`, `（一）标题`, `第三部分：标题`,
/// `Part 3: Title`. A number that is part of the title (`3D 推理`, `2026 年展望`,
/// `4.5 版本`, `一位观众`) stays.
fn split_number(text: &str) -> (Option<u32>, String) {
    let text = text.trim();
    let whole = || (None, text.to_string());
    // `§13 Title`, `Part 3: Title`, `第13节`/`第三部分` and `（一）`/`(1)`: a marker makes the
    // number unambiguous.
    for (open, close) in [("（", "）"), ("(", ")")] {
        if let Some(rest) = text.strip_prefix(open)
            && let Some((n, title)) = rest.split_once(close)
            && let Some(n) = parse_number(n.trim()).or_else(|| letter_or_roman(n.trim()))
        {
            return with_title(n, title).unwrap_or_else(whole);
        }
    }
    // `A. Title`, `IV) Title`: a letter or a Roman numeral, a dot or parenthesis, a space.
    if let Some(end) = text.find(['.', ')']) {
        let after = &text[end + 1..];
        if after.starts_with(' ')
            && let Some(n) = letter_or_roman(&text[..end])
        {
            return with_title(n, after).unwrap_or_else(whole);
        }
    }
    // `议程 1 ：Title`, `圆桌1-Title`: a short Chinese word, a number, a separator.
    let word_end = text
        .find(|c: char| !('\u{4e00}'..='\u{9fff}').contains(&c))
        .unwrap_or(0);
    if (1..=12).contains(&word_end) && chinese_digit(text.chars().next().unwrap_or(' ')).is_none() {
        let rest = text[word_end..].trim_start();
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if (1..=3).contains(&digits) {
            let after = rest[digits..].trim_start();
            if after.starts_with(['：', ':', '-', '—', '、'])
                && let Ok(n) = rest[..digits].parse()
            {
                return with_title(n, after).unwrap_or_else(whole);
            }
        }
    }
    if let Some(rest) = text.strip_prefix('§') {
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if let Some(n) = parse_number(&rest[..end]) {
            return with_title(n, &rest[end..]).unwrap_or_else(whole);
        }
    }
    for part in ["part ", "chapter ", "section "] {
        if text.len() > part.len()
            && text.is_char_boundary(part.len())
            && text[..part.len()].eq_ignore_ascii_case(part)
        {
            let rest = &text[part.len()..];
            let end = rest
                .find([':', '.', ' ', '：', '—', '-'])
                .unwrap_or(rest.len());
            if let Some(n) = parse_number(&rest[..end]) {
                return with_title(n, &rest[end..]).unwrap_or_else(whole);
            }
        }
    }
    if let Some(rest) = text.strip_prefix('第')
        && let Some(i) = rest.find(['节', '部', '章', '讲', '篇', '问'])
        && let Some(n) = parse_number(rest[..i].trim())
    {
        let after = &rest[i..];
        let after = after
            .strip_prefix("部分")
            .or_else(|| after.get('节'.len_utf8()..))
            .unwrap_or(after);
        return with_title(n, after).unwrap_or_else(whole);
    }
    // `一、标题`: Chinese numerals take the enumeration comma (or a dot) after them.
    let cjk_end = text
        .find(|c: char| chinese_digit(c).is_none())
        .unwrap_or(text.len());
    if cjk_end > 0
        && text[cjk_end..].starts_with(['、', '．', '.'])
        && let Some(n) = parse_number(&text[..cjk_end])
    {
        return with_title(n, &text[cjk_end..]).unwrap_or_else(whole);
    }
    let digits_end = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(text.len(), |(i, _)| i);
    if digits_end == 0 || digits_end > 4 {
        return whole();
    }
    let rest = &text[digits_end..];
    let mut chars = rest.chars();
    let sep = chars.next();
    let after = chars.next();
    let is_sep = (matches!(sep, Some('.' | ')' | '、' | ':' | '：' | '．' | '）'))
        && !matches!(after, Some(c) if c.is_ascii_digit()))
        // `1- Title`; `01 Title`, a zero-padded number before a space.
        || (sep == Some('-') && after == Some(' '))
        || (text.starts_with('0') && digits_end == 2 && sep == Some(' '));
    let dotted = rest.trim_start().starts_with('·');
    if !(is_sep || dotted) {
        return whole();
    }
    match (text[..digits_end].parse().ok(), with_title(0, rest)) {
        (Some(n), Some((_, title))) => (Some(n), title),
        _ => whole(),
    }
}

/// The title after a section number, without the separator; `None` when nothing is left.
fn with_title(n: u32, rest: &str) -> Option<(Option<u32>, String)> {
    let title = rest
        .trim_start()
        .trim_start_matches(['.', ')', '、', ':', '：', '．', '）', '·', '—', '-'])
        .trim();
    (!title.is_empty()).then(|| (Some(n), title.to_string()))
}

/// `A` → 1, `b` → 2 (one letter); `IV` → 4 (a Roman numeral in capitals, up to 39).
fn letter_or_roman(s: &str) -> Option<u32> {
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_alphabetic()
        && c != 'I'
    {
        return Some(u32::from(c.to_ascii_lowercase() as u8 - b'a' + 1));
    }
    if s.is_empty() || s.len() > 6 || !s.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
        return None;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        _ => 10,
    };
    let digits: Vec<u32> = s.chars().map(value).collect();
    let mut n = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            n -= d as i32;
        } else {
            n += d as i32;
        }
    }
    u32::try_from(n).ok().filter(|&n| n > 0 && n < 40)
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        '百' => 100,
        _ => return None,
    })
}

/// `12`, `十二`, `二十三`, `一百零五`: a section number of up to four digits.
fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return if s.len() <= 4 { s.parse().ok() } else { None };
    }
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        match chinese_digit(c)? {
            unit @ (10 | 100) => {
                total += digit.take().unwrap_or(1) * unit;
            }
            d => {
                if digit.is_some() {
                    return None;
                }
                digit = Some(d);
            }
        }
    }
    Some(total + digit.unwrap_or(0)).filter(|&n| n > 0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    Meta,
    Summary,
    BodyStart,
    Related,
}

fn special(title: &str) -> Option<Special> {
    let t = title.trim().to_lowercase();
    let t = t.trim_end_matches([':', '：']);
    Some(match t {
        "文档信息"
        | "信息"
        | "元数据"
        | "基本信息"
        | "metadata"
        | "info"
        | "document info"
        | "about this document" => Special::Meta,
        "摘要" | "概要" | "要点摘要" | "summary" | "tl;dr" | "tldr" => Special::Summary,
        "正文" | "全文" | "实录" | "演讲实录" | "访谈实录" | "文字实录" | "访谈正文"
        | "访谈内容" | "body" | "transcript" | "the transcript" | "full text" | "talk"
        | "the talk" | "interview" | "the interview" => Special::BodyStart,
        "关联主题" | "相关主题" | "相关" | "标签" | "related" | "related topics" | "see also"
        | "tags" => Special::Related,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SummaryPart {
    OneLiner,
    KeyPoints,
    Risks,
}

fn summary_part(title: &str) -> Option<SummaryPart> {
    let t = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&[
        "一句话",
        "one-line",
        "one line",
        "tl;dr",
        "tldr",
        "in short",
        "一言以蔽之",
    ]) {
        Some(SummaryPart::OneLiner)
    } else if has(&[
        "风险",
        "不足",
        "隐患",
        "risk",
        "concern",
        "caveat",
        "limitation",
    ]) {
        Some(SummaryPart::Risks)
    } else if has(&["要点", "重点", "亮点", "key point", "takeaway", "highlight"]) {
        Some(SummaryPart::KeyPoints)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    Preamble,
    Meta(u32),
    Summary(u32, Option<SummaryPart>),
    Body,
    Related(u32),
}

struct Builder<'s> {
    src: &'s str,
    talk: Talk,
    warnings: Vec<ParseWarning>,
    zone: Zone,
    /// The intro's text, its first image before any text (a cover) and after some (an
    /// infographic).
    intro: String,
    cover: Option<Image>,
    intro_image: Option<Image>,
    quote_texts: HashSet<String>,
    /// The people the metadata names, in order, with their roles.
    named: Vec<(String, Role)>,
    /// Role words of the metadata and the one person each names (`主持人：王芳`): a turn
    /// labelled with that word is that person's.
    role_keys: Vec<(String, String)>,
    /// The writers the metadata names (`Meta::author` keeps the first, as written).
    authors: Vec<String>,
    /// What the whole body says about who speaks, read before the walk (see [`Cast`]).
    cast: Cast,
    /// Each content node rendered once, before the walk; taken when the walk reaches it.
    rendered: Vec<Option<Rendered>>,
    /// Who speaks, settled when the body starts (the metadata comes before it).
    voices: Option<quotes::Voices>,
    /// No paragraph yet since the last heading: a report's opening names its talk's giver.
    fresh: bool,
    /// The last timestamp read in the current section (`transcript.rs`).
    clock: Option<u32>,
    /// What `transcript.rs` read of the times (speakers of timed turns among it).
    timing: transcript::Timing,
}

impl<'s> Builder<'s> {
    fn new(id: &str, src: &'s str) -> Self {
        Builder {
            src,
            talk: Talk {
                id: id.to_string(),
                title: String::new(),
                meta: Meta::default(),
                summary: Summary::default(),
                sections: Vec::new(),
                quotes: Vec::new(),
                related: Vec::new(),
            },
            warnings: Vec::new(),
            zone: Zone::Preamble,
            intro: String::new(),
            cover: None,
            intro_image: None,
            quote_texts: HashSet::new(),
            named: Vec::new(),
            role_keys: Vec::new(),
            authors: Vec::new(),
            cast: Cast::default(),
            rendered: Vec::new(),
            voices: None,
            fresh: false,
            clock: None,
            timing: transcript::Timing::default(),
        }
    }

    fn build(mut self, nodes: &[Node], events: &[Ev<'_>]) -> (Talk, Vec<ParseWarning>) {
        self.rendered = nodes
            .iter()
            .map(|n| match n {
                Node::Content(range) => Some(render(&events[range.clone()], self.src)),
                _ => None,
            })
            .collect();
        let mut plan = plan_sections(nodes);
        let has_text: Vec<bool> = self
            .rendered
            .iter()
            .map(|r| r.as_ref().is_some_and(has_text))
            .collect();
        unwrap_containers(&mut plan, nodes, &has_text);
        let source = |i: usize| match &nodes[i] {
            Node::Content(r) => {
                Some(self.src[events[r.start].1.start..events[r.end - 1].1.end].to_string())
            }
            _ => None,
        };
        let timing = transcript::read_times(nodes, &mut self.rendered, source);
        self.cast = Cast::read(nodes, &self.rendered, plan.title);
        // A transcript without headings gets headings of its own (chapters or parts).
        let division = transcript::divide(nodes, &mut self.rendered, &timing, plan.title);
        let nodes = match &division {
            Some(d) => {
                plan = d.plan();
                &d.nodes
            }
            None => nodes,
        };
        let section_level = plan.level;
        self.timing = timing;
        for (i, node) in nodes.iter().enumerate() {
            match node {
                Node::FrontMatter { text, offset, toml } => {
                    self.front_matter(text, *offset, *toml);
                }
                Node::Heading {
                    level,
                    number,
                    title,
                    offset,
                } => {
                    let title = &self.capped_title(title, *offset);
                    // The title heading (see `plan_sections`); without one, the title comes
                    // from front matter or the file name.
                    if plan.title == Some(i) {
                        self.talk.title = title.clone();
                        continue;
                    }
                    if plan.containers.contains(&i) {
                        self.container(title);
                        continue;
                    }
                    let level = if plan.sections.contains(&i) {
                        section_level.min(*level)
                    } else {
                        *level
                    };
                    if plan.sections.contains(&i) && special(title).is_some() {
                        self.section(*number, title, *offset);
                        continue;
                    }
                    self.heading(level, *number, title, *offset, section_level);
                }
                Node::Content(range) => {
                    let rendered = self.rendered.get_mut(i).and_then(Option::take);
                    self.content(&events[range.clone()], rendered);
                }
            }
        }
        if self.talk.title.is_empty() {
            self.warnings.push(ParseWarning {
                offset: 0,
                message: "no title heading; using the file name".into(),
            });
            self.talk.title = self.talk.id.clone();
        }
        if self.talk.meta.tags.is_empty() {
            self.talk.meta.tags = self.talk.related.clone();
        }
        self.voices();
        for s in &mut self.talk.sections {
            s.body = s.body.trim().to_string();
        }
        if let Some(d) = &division {
            transcript::retitle(&mut self.talk, d);
        }
        let meta = &mut self.talk.meta;
        if meta.recording.is_none() {
            meta.recording = meta
                .source
                .clone()
                .filter(|s| crate::recording::is_recording(s));
        }
        let turns = self.cast.has_turns();
        self.intro_section(plan.title.is_some() || turns);
        (self.talk, self.warnings)
    }

    fn heading(
        &mut self,
        level: u32,
        number: Option<u32>,
        title: &str,
        offset: usize,
        section_level: u32,
    ) {
        // A heading ends a part about the people; the next one may start another.
        if self.voices.is_some() {
            self.voices().quiet = false;
        }
        match special(title) {
            Some(Special::Meta) => self.zone = Zone::Meta(level),
            Some(Special::Summary) => self.zone = Zone::Summary(level, None),
            Some(Special::Related) => self.zone = Zone::Related(level),
            Some(Special::BodyStart) => self.zone = Zone::Body,
            None => match self.zone {
                Zone::Summary(l, _) if level > l => {
                    self.zone = Zone::Summary(l, summary_part(title));
                }
                Zone::Meta(l) | Zone::Related(l) if level > l => {}
                _ if level <= section_level => self.section(number, title, offset),
                _ => {
                    // A sub-heading inside a section stays in its text as a bold line.
                    self.voices().end_turn();
                    self.fresh = true;
                    self.voices().quiet = is_people_section(title);
                    self.voices().heading_turn(title);
                    let line = match number {
                        Some(n) => format!("**{n}. {title}**"),
                        None => format!("**{title}**"),
                    };
                    self.append_body(&line);
                    if matches!(
                        self.zone,
                        Zone::Meta(_) | Zone::Related(_) | Zone::Summary(..)
                    ) {
                        self.zone = Zone::Body;
                    }
                }
            },
        }
    }

    /// Opens a section.
    fn section(&mut self, number: Option<u32>, title: &str, offset: usize) {
        self.zone = Zone::Body;
        if self.voices.is_some() {
            self.voices().quiet = false;
        }
        self.voices().new_section();
        self.fresh = true;
        self.voices().quiet = is_people_section(title);
        // A report's heading naming its talk's speaker (`## Title - Speaker`): the section's
        // words are theirs unless the text says otherwise.
        let named = roster::heading_speakers(title);
        self.voices()
            .section_speaker(named.first().map(String::as_str));
        let ordinal = self.talk.sections.len();
        self.clock = None;
        if title.is_empty() {
            self.warnings.push(ParseWarning {
                offset,
                message: "empty section heading".into(),
            });
        }
        self.talk.sections.push(Section {
            ordinal,
            number,
            title: title.to_string(),
            body: String::new(),
            infographic: None,
            intro: false,
            start: None,
        });
    }

    /// A heading or title cut to [`MAX_TITLE_CHARS`], with a warning when it had to be cut.
    fn capped_title(&mut self, title: &str, offset: usize) -> String {
        if char_len(title) <= MAX_TITLE_CHARS {
            return title.to_string();
        }
        self.warnings.push(ParseWarning {
            offset,
            message: format!("a heading longer than {MAX_TITLE_CHARS} characters was cut"),
        });
        truncate_chars(title, MAX_TITLE_CHARS)
    }

    fn append_body(&mut self, md: &str) {
        if md.is_empty() {
            return;
        }
        let target = match self.talk.sections.last_mut() {
            Some(s) => &mut s.body,
            None => &mut self.intro,
        };
        if !target.is_empty() {
            target.push_str("\n\n");
        }
        target.push_str(md);
    }

    fn content(&mut self, evs: &[Ev<'_>], rendered: Option<Rendered>) {
        match self.zone {
            Zone::Meta(_) => self.meta_block(evs),
            Zone::Summary(_, part) => self.summary_block(evs, part),
            Zone::Related(_) => {
                for item in list_items(evs) {
                    let tag = clean_tag(&plain_text(item));
                    if !tag.is_empty() {
                        self.talk.related.push(tag);
                    }
                }
            }
            Zone::Preamble | Zone::Body => {
                if self.zone == Zone::Preamble
                    && self.talk.sections.is_empty()
                    && self.try_meta_block(evs)
                {
                    return;
                }
                // A thematic break (`---`) divides the write-up: the open turn ends there (what
                // follows it, a footer, is no longer the speaker's answer).
                if matches!(evs.first(), Some((Event::Rule, _))) && self.voices.is_some() {
                    self.voices().end_turn();
                }
                let r = rendered.unwrap_or_else(|| render(evs, self.src));
                self.body_block(r);
            }
        }
    }

    /// A heading that only wraps the sections: before the first section it starts the body
    /// (and a `Name, Role` line names the speaker when the metadata named no one); between
    /// sections it stays in the text as a bold line.
    fn container(&mut self, title: &str) {
        self.zone = Zone::Body;
        if !self.talk.sections.is_empty() {
            self.append_body(&format!("**{title}**"));
        } else if self.voices.is_none()
            && let Some(name) = speaker_line(title)
        {
            self.named.push((name, Role::Speaker));
        }
    }

    /// Makes what stood before the first section section 0, and shifts the ordinals (of the
    /// sections and of the quotes) by one. Only a talk with sections gets an intro: a document
    /// without headings stays one the loader skips.
    fn intro_section(&mut self, whole: bool) {
        let body = std::mem::take(&mut self.intro).trim().to_string();
        let image = self.intro_image.take().or_else(|| self.cover.take());
        let has_quotes = self.talk.quotes.iter().any(|q| q.section.is_none());
        // A write-up whose only heading is its title is all intro, and so is a transcript with
        // no heading at all (its turns are labelled); headingless prose has no intro and is
        // skipped by the loader. (Issue 24 cuts headingless transcripts into parts.)
        if (self.talk.sections.is_empty() && (!whole || body.is_empty()))
            || (body.is_empty() && image.is_none() && !has_quotes)
        {
            return;
        }
        let lang = talk_lang(&self.talk.title, &body);
        self.talk.sections.insert(
            0,
            Section {
                ordinal: 0,
                number: None,
                title: Msg::Opening.get(lang).to_string(),
                body,
                infographic: image,
                intro: true,
                start: None,
            },
        );
        for (i, s) in self.talk.sections.iter_mut().enumerate() {
            s.ordinal = i;
        }
        for q in &mut self.talk.quotes {
            q.section = Some(q.section.map_or(0, |s| s + 1));
        }
    }

    fn body_block(&mut self, mut r: Rendered) {
        r.images.extend(render::wiki_embeds(&mut r.markdown));
        let section = self.talk.sections.len().checked_sub(1);
        for image in r.images {
            match self.talk.sections.last_mut() {
                Some(s) if s.infographic.is_none() => s.infographic = Some(image),
                Some(_) => {}
                // An image before any text is a cover, one after text the intro's own.
                None if self.intro.trim().is_empty() => {
                    if self.cover.is_none() {
                        self.cover = Some(image);
                    }
                }
                None => {
                    if self.intro_image.is_none() {
                        self.intro_image = Some(image);
                    }
                }
            }
        }
        let fresh = std::mem::take(&mut self.fresh);
        for (k, p) in r.paragraphs.iter().enumerate() {
            if let Some(t) = r.times.get(k).copied().flatten() {
                self.tick(t);
            }
            let giver = lineup::givers(&p.text, fresh && k == 0)
                .into_iter()
                .next()
                .or_else(|| lineup::title_line_giver(&p.text, &p.bold));
            // The line that introduces a talk and its giver is the writer's, no one's words.
            if let Some(g) = giver {
                self.voices().talk_giver(&g);
                continue;
            }
            for f in quotes::extract(p, self.voices()) {
                self.push_quote(f, section);
            }
        }
        // A block quote is a pull-quote, or a transcript (`> 学生提问：…` / `> Robert教授：…`)
        // whose turns count; anything else is an editor's note.
        let mut paragraphs = r.blockquote_paragraphs.iter();
        for (q, &n) in r.blockquotes.iter().zip(&r.blockquote_sizes) {
            let inner: Vec<_> = paragraphs.by_ref().take(n).collect();
            if let Some(f) = quotes::pull_quote(q, self.voices()) {
                self.push_quote(f, section);
                continue;
            }
            for f in quotes::quoted_turns(&inner, self.voices()) {
                self.push_quote(f, section);
            }
        }
        self.append_body(&r.markdown);
    }

    fn push_quote(&mut self, f: quotes::Found, section: Option<usize>) {
        // A set, not a scan of the list: a hostile file with many quotes stays linear.
        if !self.quote_texts.insert(f.text.clone()) {
            return;
        }
        self.talk.quotes.push(Quote {
            text: f.text,
            section,
            speaker: f.speaker,
            kind: f.kind,
            emphasis: f.emphasis,
            start: self.clock,
        });
    }

    /// A timestamp read in the text: the time of what follows, and the section's start if it
    /// has none yet.
    fn tick(&mut self, seconds: u32) {
        self.clock = Some(seconds);
        if let Some(s) = self.talk.sections.last_mut()
            && s.start.is_none()
        {
            s.start = Some(seconds);
        }
    }

    /// The talk's voices, settled on first use (the metadata comes before the body): the
    /// roster (see [`Cast::roster`]). Also fills `meta.speakers`.
    fn voices(&mut self) -> &mut quotes::Voices {
        if self.voices.is_none() {
            let mut roster = self.cast.roster(
                &self.named,
                &self.role_keys,
                &self.talk.title,
                &self.authors,
            );
            transcript::add_timed(&mut roster, &self.timing);
            self.talk.meta.speakers = roster.names();
            let monologue = self.cast.monologue && roster.main().is_some();
            self.voices = Some(quotes::Voices::new(roster, monologue));
        }
        self.voices.get_or_insert_with(Default::default)
    }

    fn summary_block(&mut self, evs: &[Ev<'_>], part: Option<SummaryPart>) {
        let is_list = matches!(evs.first(), Some((Event::Start(Tag::List(_)), _)));
        if is_list {
            let items: Vec<String> = list_items(evs)
                .into_iter()
                .map(|item| render(item, self.src).markdown)
                .filter(|s| !s.is_empty())
                .collect();
            match part {
                Some(SummaryPart::Risks) => self.talk.summary.risks.extend(items),
                Some(SummaryPart::OneLiner) if self.talk.summary.one_liner.is_none() => {
                    self.talk.summary.one_liner = Some(items.join(" "));
                }
                _ => self.talk.summary.key_points.extend(items),
            }
        } else {
            let md = render(evs, self.src).markdown;
            if md.is_empty() {
                return;
            }
            match (part, &self.talk.summary.one_liner) {
                (Some(SummaryPart::OneLiner) | None, None) => {
                    self.talk.summary.one_liner = Some(md);
                }
                (Some(SummaryPart::KeyPoints), _) => self.talk.summary.key_points.push(md),
                (Some(SummaryPart::Risks), _) => self.talk.summary.risks.push(md),
                _ => {}
            }
        }
    }

    fn meta_block(&mut self, evs: &[Ev<'_>]) {
        let items = list_items(evs);
        let lines: Vec<String> = if items.is_empty() {
            plain_lines(evs)
        } else {
            items.into_iter().map(plain_text).collect()
        };
        for line in lines {
            if let Some((k, v)) = line.split_once(['：', ':']) {
                self.meta_field(k, v);
            }
        }
    }

    /// A list or paragraph right under the title whose items or lines are all `key: value`
    /// with known keys.
    fn try_meta_block(&mut self, evs: &[Ev<'_>]) -> bool {
        let items = list_items(evs);
        let lines: Vec<String> = if items.is_empty() {
            if !matches!(evs.first(), Some((Event::Start(Tag::Paragraph), _))) {
                return false;
            }
            plain_lines(evs)
        } else {
            items.into_iter().map(plain_text).collect()
        };
        let pairs: Vec<(String, String)> = lines
            .iter()
            .filter_map(|t| {
                t.split_once(['：', ':'])
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
        if pairs.is_empty()
            || pairs.len() != lines.len()
            || pairs.iter().any(|(k, _)| meta_key(k).is_none())
        {
            return false;
        }
        for (k, v) in pairs {
            self.meta_field(&k, &v);
        }
        true
    }

    fn meta_field(&mut self, key: &str, value: &str) {
        let value = value.trim().trim_matches(['"', '\'']).trim().to_string();
        if value.is_empty() {
            return;
        }
        let meta = &mut self.talk.meta;
        match meta_key(key) {
            Some(MetaKey::Source) => meta.source = Some(value),
            Some(MetaKey::Date) => {
                if let Some(date) = normalise_date(&value) {
                    meta.date = Some(date);
                } else if !is_published_flag(key) && meta.date.is_none() {
                    meta.date = Some(value);
                }
            }
            Some(MetaKey::Author) => {
                self.authors.push(value.clone());
                if meta.author.is_none() {
                    meta.author = Some(value);
                }
            }
            Some(k @ (MetaKey::Speaker | MetaKey::Host)) => {
                let role = if k == MetaKey::Host {
                    Role::Host
                } else {
                    Role::Speaker
                };
                let names = split_list(&value);
                if let [one] = names.as_slice() {
                    self.role_keys.push((key.trim().to_string(), one.clone()));
                }
                self.named.extend(names.into_iter().map(|n| (n, role)));
            }
            Some(MetaKey::Title) => self.talk.title = self.capped_title(&value, 0),
            // A subtitle that is nothing but names names the speakers.
            Some(MetaKey::Subtitle) => self.named.extend(
                roster::split_people(&value)
                    .into_iter()
                    .map(|n| (n, Role::Speaker)),
            ),
            Some(MetaKey::Tags) => meta.tags.extend(split_list(&value)),
            Some(MetaKey::Recording) if meta.recording.is_none() => {
                meta.recording = transcript::first_url(&value);
            }
            Some(MetaKey::Recording) => {}
            None => {}
        }
    }

    /// Front matter, read as YAML; a block strict YAML rejects is read line by line, with a
    /// warning (see [`front_matter`]).
    fn front_matter(&mut self, text: &str, offset: usize, toml: bool) {
        let parsed = if toml {
            front_matter::read_toml(text).ok_or(front_matter::NotYaml::NotAMapping)
        } else {
            front_matter::read_yaml(text)
        };
        let fields = match parsed {
            Ok(fields) => fields,
            Err(why) => {
                let message = match why {
                    front_matter::NotYaml::Invalid(e) => {
                        format!("front matter is not valid YAML ({e}); read line by line")
                    }
                    front_matter::NotYaml::NotAMapping => {
                        "front matter is not a YAML mapping; read line by line".to_string()
                    }
                };
                self.warnings.push(ParseWarning { offset, message });
                front_matter::read_lines(text)
            }
        };
        for (key, values) in fields {
            for value in values {
                self.meta_field(&key, &value);
            }
        }
        if self.talk.meta.recording.is_none() {
            self.talk.meta.recording = transcript::nested_recording(text);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetaKey {
    Source,
    Date,
    /// The writer as written; a speaker too only when the write-up says the talk is theirs.
    Author,
    Speaker,
    Host,
    Title,
    Subtitle,
    Tags,
    /// The recording (`transcript.rs`).
    Recording,
}

fn meta_key(key: &str) -> Option<MetaKey> {
    let k = key.trim().trim_matches('*').trim().to_lowercase();
    Some(match k.as_str() {
        "来源" | "原文" | "出处" | "链接" | "source" | "url" | "link" | "original" => {
            MetaKey::Source
        }
        "发布日期" | "日期" | "时间" | "发布时间" | "date" | "published" => {
            MetaKey::Date
        }
        "作者" | "整理" | "撰文" | "编辑" | "author" | "authors" | "writer" | "written by"
        | "by" => MetaKey::Author,
        "演讲者" | "主讲" | "主讲人" | "讲者" | "嘉宾" | "受访者" | "分享嘉宾" | "演讲嘉宾"
        | "讨论嘉宾" | "讲师" | "speaker" | "speakers" | "guest" | "guests" | "panelist"
        | "panelists" | "presenter" | "presenters" | "interviewee" => MetaKey::Speaker,
        "主持人" | "主持" | "host" | "hosts" | "moderator" | "moderators" | "interviewer" => {
            MetaKey::Host
        }
        "标题" | "title" => MetaKey::Title,
        "副标题" | "subtitle" => MetaKey::Subtitle,
        "标签" | "关键词" | "tags" | "keywords" => MetaKey::Tags,
        k if transcript::is_recording_key(k) => MetaKey::Recording,
        _ => return None,
    })
}

/// The language a talk is written in, for the words the parser adds (the intro's title):
/// Chinese when Han characters make up a fair share of its title and intro.
fn talk_lang(title: &str, intro: &str) -> Lang {
    let (mut han, mut latin) = (0usize, 0usize);
    for c in title.chars().chain(intro.chars()) {
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if han > 0 && han * 3 >= latin {
        Lang::Zh
    } else {
        Lang::En
    }
}

fn split_list(value: &str) -> Vec<String> {
    value
        .trim_matches(['[', ']'])
        .split([',', '，', '、'])
        .map(|s| s.trim().trim_matches(['"', '\'']).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `[[00-元语/OpenAI]]` → `OpenAI`; `#tag` → `tag`.
fn clean_tag(raw: &str) -> String {
    let t = raw.trim().trim_start_matches("[[").trim_end_matches("]]");
    let t = t.rsplit('/').next().unwrap_or(t);
    let t = t.split('|').next().unwrap_or(t);
    t.trim().trim_start_matches('#').trim().to_string()
}

/// The event runs inside each top-level item of a list block (without the item's own tags).
fn list_items<'e, 'a>(evs: &'e [Ev<'a>]) -> Vec<&'e [Ev<'a>]> {
    if !matches!(evs.first(), Some((Event::Start(Tag::List(_)), _))) {
        return Vec::new();
    }
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, (ev, _)) in evs.iter().enumerate() {
        match ev {
            Event::Start(Tag::Item) => {
                if depth == 1 {
                    start = i + 1;
                }
                depth += 1;
            }
            Event::End(TagEnd::Item) => {
                depth -= 1;
                if depth == 1 {
                    items.push(&evs[start..i]);
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    items
}

fn plain_lines(evs: &[Ev<'_>]) -> Vec<String> {
    let mut lines = vec![String::new()];
    for (ev, _) in evs {
        match ev {
            Event::Text(t) | Event::Code(t) => {
                if let Some(l) = lines.last_mut() {
                    l.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                lines.push(String::new());
            }
            _ => {}
        }
    }
    lines.retain(|l| !l.trim().is_empty());
    lines
}

/// Which headings carry the talk's sections.
#[derive(Debug, Default)]
struct Plan {
    /// Headings at this level, and shallower ones that are not containers, open sections;
    /// deeper ones stay inside their section as bold lines.
    level: u32,
    /// Node indices of the headings that only wrap the sections (`## Talk`, a `## Speaker,
    /// Role` line over `###` sections): neither a section nor a line of one.
    containers: HashSet<usize>,
    /// The node index of the title heading, if the document has one.
    title: Option<usize>,
    /// Node indices of deeper headings that open sections all the same (the children of a
    /// wrapper, headings before the first one at the section level).
    sections: HashSet<usize>,
}

/// Titles of a part that introduces the people (`本期人物`, `Bio`): nobody speaks there.
fn is_people_section(title: &str) -> bool {
    let t = title.trim().trim_end_matches([':', '：']).to_lowercase();
    [
        "本期人物",
        "嘉宾",
        "主持人",
        "嘉宾介绍",
        "讲师介绍",
        "人物介绍",
        "关于作者",
        "作者简介",
        "讲师",
        "staff",
        "bio",
        "bios",
        "biography",
        "speakers",
        "the speakers",
        "guests",
        "hosts",
        "panelists",
        "about the speaker",
        "about the speakers",
        "about the author",
        "about the authors",
        "speaker bio",
    ]
    .contains(&t.as_str())
}

/// Names of a part of a talk, which an H1 standing first may be instead of a title.
fn is_part_name(title: &str) -> bool {
    let t = title.trim().trim_end_matches([':', '：']).to_lowercase();
    [
        "introduction",
        "intro",
        "overview",
        "background",
        "abstract",
        "preface",
        "opening",
        "welcome",
        "前言",
        "引言",
        "简介",
        "背景",
        "概述",
        "开场",
        "序",
    ]
    .contains(&t.as_str())
}

/// Chooses the section level by the document's shape, not by a fixed level:
/// 1. several H1s: the H1s are the sections (there is no title heading);
/// 2. otherwise the title is the H1, and the sections are the shallowest level that numbers at
///    least two of its headings (`1.`, `一、`, `§1`, `Part 1`, …), wherever they stand;
/// 3. without numbering, the shallowest level, except that a lone heading wrapping two or more
///    deeper headings is a container and the level under it is taken;
///
/// then a shallower heading with a section-level heading under it is a container; any other
/// shallower heading (a closing, a Q&A a level up) is a section. Special headings (metadata,
/// summary and its parts, related topics, body wrappers such as `正文` or `Talk`) never count.
fn plan_sections(nodes: &[Node]) -> Plan {
    let h1s: Vec<(usize, &str)> = nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match n {
            Node::Heading {
                level: 1, title, ..
            } => Some((i, title.as_str())),
            _ => None,
        })
        .collect();
    let first_heading = nodes
        .iter()
        .position(|n| matches!(n, Node::Heading { title, .. } if special(title).is_none()));
    let title = match h1s.as_slice() {
        [] => None,
        [(i, _)] => Some(*i),
        [(i, t), ..] => (first_heading == Some(*i) && !is_part_name(t)).then_some(*i),
    };
    // (node index, level, numbered) of every heading that may carry the body.
    let mut heads: Vec<(usize, u32, bool)> = Vec::new();
    let mut summary: Option<u32> = None;
    for (i, node) in nodes.iter().enumerate() {
        if let Node::Heading {
            level,
            number,
            title: text,
            ..
        } = node
        {
            match special(text) {
                Some(Special::Summary) => summary = Some(*level),
                Some(_) => summary = None,
                None => {
                    if let Some(s) = summary {
                        if *level > s {
                            continue;
                        }
                        summary = None;
                    }
                    if title != Some(i) {
                        heads.push((i, *level, number.is_some()));
                    }
                }
            }
        }
    }
    if heads.is_empty() {
        return Plan {
            level: 1,
            title,
            ..Plan::default()
        };
    }
    let mut levels: Vec<u32> = heads.iter().map(|h| h.1).collect();
    levels.sort_unstable();
    levels.dedup();
    let numbered = levels
        .iter()
        .copied()
        .find(|&l| heads.iter().filter(|h| h.1 == l && h.2).count() >= 2);
    let level = numbered.unwrap_or_else(|| {
        let mut level = levels[0];
        loop {
            let at: Vec<usize> = (0..heads.len()).filter(|&k| heads[k].1 == level).collect();
            let inside = match at.as_slice() {
                [k] => &heads[k + 1..][..span(&heads, *k)],
                _ => break level,
            };
            match inside.iter().map(|h| h.1).min() {
                Some(deeper) if inside.len() >= 2 => level = deeper,
                _ => break level,
            }
        }
    });
    let mut containers: HashSet<usize> = (0..heads.len())
        .filter(|&k| {
            heads[k].1 < level
                && heads[k + 1..][..span(&heads, k)]
                    .iter()
                    .any(|h| h.1 == level)
        })
        .map(|k| heads[k].0)
        .collect();
    let mut sections = HashSet::new();
    // The headings a body wrapper (`## The interview`, `## 访谈正文`) holds are sections, at
    // the shallowest of their levels, wherever the other headings put the section level.
    for (i, node) in nodes.iter().enumerate() {
        let Node::Heading {
            level: wrap,
            title: t,
            ..
        } = node
        else {
            continue;
        };
        if special(t) != Some(Special::BodyStart) {
            continue;
        }
        let inside: Vec<(usize, u32)> = nodes[i + 1..]
            .iter()
            .enumerate()
            .filter_map(|(j, n)| match n {
                Node::Heading { level, .. } => Some((i + 1 + j, *level)),
                _ => None,
            })
            .take_while(|&(_, l)| l > *wrap)
            .collect();
        match inside.iter().map(|&(_, l)| l).min() {
            Some(top) => {
                sections.extend(inside.iter().filter(|&&(_, l)| l == top).map(|&(j, _)| j));
            }
            // A wrapper that no heading follows (`## The Transcript` last) is a section.
            None if !nodes[i + 1..]
                .iter()
                .any(|n| matches!(n, Node::Heading { .. })) =>
            {
                sections.insert(i);
            }
            None => {}
        }
    }
    // Deeper headings before the first one at the section level are sections too (at the
    // shallowest of their levels), except a speaker line under the title, which is metadata.
    let first = heads
        .iter()
        .position(|h| h.1 <= level)
        .unwrap_or(heads.len());
    if let Some(early) = heads[..first].iter().map(|h| h.1).min() {
        for h in heads[..first].iter().filter(|h| h.1 == early) {
            let speaker =
                matches!(&nodes[h.0], Node::Heading { title, .. } if speaker_line(title).is_some());
            if speaker && h.0 == heads[0].0 {
                containers.insert(h.0);
            } else {
                sections.insert(h.0);
            }
        }
    }
    Plan {
        level,
        containers,
        sections,
        title,
    }
}

/// Whether a block holds text a reader reads (an image alone does not).
fn has_text(r: &Rendered) -> bool {
    let md = r.markdown.trim();
    !md.is_empty() && (!md.starts_with("![") || md.contains('\n'))
}

/// Words of a conference's programme (`Keynote`, `DevRoom`, `主 track`, `分会场`): a heading
/// named so, with no text of its own, wraps the talks under it.
fn is_program_part(title: &str) -> bool {
    let t = title.to_lowercase();
    [
        "keynote",
        "devroom",
        "track",
        "分会场",
        "主会场",
        "会议内容",
        "session",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// Headings that only wrap the parts a reader picks. An unnumbered heading at the section level
/// named as a part of a conference's programme ([`is_program_part`]) with no text of its own
/// before the next heading is a container (`## Keynote` over `###` talks): the headings under
/// it, at the shallowest of their levels, are sections in its place, and inside it any heading
/// with no text of its own is a container in turn. One with nothing under it (`###
/// 共同体与伦理（分会场）` right before the next `###`) is no section either.
fn unwrap_containers(plan: &mut Plan, nodes: &[Node], has_text: &[bool]) {
    let heads: Vec<(usize, u32, bool)> = nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match n {
            Node::Heading {
                level,
                number,
                title,
                ..
            } if plan.title != Some(i) && special(title).is_none() => {
                Some((i, *level, number.is_some()))
            }
            _ => None,
        })
        .collect();
    let mut work: Vec<(usize, bool)> = (0..heads.len())
        .filter(|&k| heads[k].1 <= plan.level && !plan.containers.contains(&heads[k].0))
        .map(|k| (k, false))
        .collect();
    while let Some((k, inside)) = work.pop() {
        let (i, level, numbered) = heads[k];
        let program = matches!(&nodes[i], Node::Heading { title, .. } if is_program_part(title));
        if numbered || !(inside || program) {
            continue;
        }
        let next = heads.get(k + 1).map_or(nodes.len(), |h| h.0);
        if (i + 1..next).any(|j| has_text.get(j).copied().unwrap_or(false)) {
            continue;
        }
        // A special heading (metadata, summary) between ends what the container holds.
        if nodes[i + 1..next]
            .iter()
            .any(|n| matches!(n, Node::Heading { .. }))
        {
            continue;
        }
        let under: Vec<usize> = (k + 1..heads.len())
            .take_while(|&j| heads[j].1 > level)
            .collect();
        let Some(top) = under.iter().map(|&j| heads[j].1).min() else {
            // Nothing under it and nothing of its own: an empty heading, kept only at the end.
            if k + 1 < heads.len() {
                plan.containers.insert(i);
                plan.sections.remove(&i);
            }
            continue;
        };
        plan.containers.insert(i);
        plan.sections.remove(&i);
        for &j in under.iter().filter(|&&j| heads[j].1 == top) {
            plan.sections.insert(heads[j].0);
            work.push((j, true));
        }
    }
}

/// How many of the headings after `heads[k]` stand under it (are deeper, up to the next heading
/// at its level or shallower).
fn span(heads: &[(usize, u32, bool)], k: usize) -> usize {
    heads[k + 1..]
        .iter()
        .take_while(|h| h.1 > heads[k].1)
        .count()
}

/// The speaker a `## Name, Role` line names: `Priya Raman, Staff Engineer at Fathom`,
/// `陈默，架构师`, `Mira Okafor — SRE lead`.
fn speaker_line(text: &str) -> Option<String> {
    let (name, role) = text.split_once([',', '，', '|', '｜', '—', '–'])?;
    if role.trim().is_empty() {
        return None;
    }
    roster::clean_name(name).map(|(n, _)| n)
}

/// A date as `YYYY-MM-DD` when it parses (`2021-12-21T15:00:00+08:00`, `2022-03-17 14:00:00
/// -0500`, `2018/6/13`, `2018年6月13日`); `None` otherwise.
fn normalise_date(value: &str) -> Option<String> {
    let mut parts = value
        .trim()
        .split(['-', '/', '.', '年', '月', '日', 'T', ' '])
        .filter(|p| !p.is_empty());
    let mut number = |max_len: usize| -> Option<u32> {
        let p = parts.next()?;
        (p.len() <= max_len && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, d) = (number(4)?, number(2)?, number(2)?);
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `published: true` is a flag, not a date.
fn is_published_flag(key: &str) -> bool {
    key.trim().eq_ignore_ascii_case("published")
}

/// What the whole body says about who speaks, read before any quote is: what
/// [`Cast::roster`] needs besides the metadata.
type Cast = roster::Cast;

impl roster::Cast {
    /// Reads every content node (rendered) in document order.
    fn read(nodes: &[Node], rendered: &[Option<Rendered>], title: Option<usize>) -> Cast {
        let mut cast = Cast::default();
        let mut after = roster::After::Text;
        let mut contents = 0;
        for (i, node) in nodes.iter().enumerate() {
            match node {
                Node::Heading {
                    title: t, level, ..
                } => {
                    after = if title == Some(i) {
                        roster::After::Title
                    } else {
                        cast.heading(*level, t);
                        roster::After::Heading
                    };
                }
                Node::Content(_) => {
                    let Some(r) = rendered.get(i).and_then(Option::as_ref) else {
                        continue;
                    };
                    contents += 1;
                    for p in &r.paragraphs {
                        // A directive or shortcode (`@Metadata {…}`, `{{< video >}}`) is not
                        // text a reader sees: what comes after it still follows the heading.
                        let t = p.text.trim_start();
                        let directive = t.starts_with('@')
                            && t.split_whitespace().nth(1) == Some("{")
                            || t.starts_with("{{")
                            || t.starts_with("{%");
                        if directive {
                            continue;
                        }
                        // A line introducing a report's talk and its giver (`parse/lineup.rs`).
                        let givers = lineup::givers(&p.text, after == roster::After::Heading);
                        if !givers.is_empty() {
                            cast.givers(givers);
                            after = roster::After::Text;
                            continue;
                        }
                        if let Some(g) = lineup::title_line_giver(&p.text, &p.bold) {
                            cast.title_giver(g);
                        }
                        cast.paragraph(p, after, contents <= 6, false);
                        after = roster::After::Text;
                    }
                    for q in &r.blockquote_paragraphs {
                        cast.paragraph(q, roster::After::Text, contents <= 6, true);
                    }
                    // A block with no paragraph (a directive, an image) keeps what came before.
                }
                Node::FrontMatter { .. } => {}
            }
        }
        cast
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_numbers_split_only_at_a_separator() {
        assert_eq!(split_number("13. 生物安全"), (Some(13), "生物安全".into()));
        assert_eq!(
            split_number("2) Key points"),
            (Some(2), "Key points".into())
        );
        assert_eq!(split_number("3 · 多 Agent"), (Some(3), "多 Agent".into()));
        assert_eq!(split_number("3D 推理"), (None, "3D 推理".into()));
        assert_eq!(split_number("4.5 版本"), (None, "4.5 版本".into()));
        assert_eq!(split_number("2026 年展望"), (None, "2026 年展望".into()));
    }

    /// Numbering styles (issue 11): heading text → (number, title).
    const NUMBERING: &[(&str, Option<u32>, &str)] = &[
        ("一、第一次重写", Some(1), "第一次重写"),
        ("十二、结语", Some(12), "结语"),
        ("二十三．最后", Some(23), "最后"),
        ("（一）背景", Some(1), "背景"),
        ("(3) Results", Some(3), "Results"),
        ("§4 Tooling", Some(4), "Tooling"),
        ("第1节 开场", Some(1), "开场"),
        ("第三部分：问答", Some(3), "问答"),
        ("Part 2: The drill", Some(2), "The drill"),
        ("part 10 — Q&A", Some(10), "Q&A"),
        ("一位观众的提问", None, "一位观众的提问"),
        ("三体与科幻", None, "三体与科幻"),
        ("Partners", None, "Partners"),
        ("第一", None, "第一"),
        ("一、", None, "一、"),
        ("A. Keynotes", Some(1), "Keynotes"),
        ("(b) Method", Some(2), "Method"),
        ("IV. Results", Some(4), "Results"),
        ("I. Intro", Some(1), "Intro"),
        ("01 项目创造的思考与哲学", Some(1), "项目创造的思考与哲学"),
        ("1- Meet the team", Some(1), "Meet the team"),
        ("议程 3 ：讨论 @baiyutang", Some(3), "讨论 @baiyutang"),
        (
            "圆桌1-Rust编程语言应用前景",
            Some(1),
            "Rust编程语言应用前景",
        ),
        ("A Tale of Two Cities", None, "A Tale of Two Cities"),
        ("Web3.0时代背景下", None, "Web3.0时代背景下"),
        ("10 reasons to test", None, "10 reasons to test"),
    ];

    #[test]
    fn numbering_styles_give_numbers() {
        for &(heading, number, title) in NUMBERING {
            assert_eq!(
                split_number(heading),
                (number, title.to_string()),
                "{heading}"
            );
        }
    }

    #[test]
    fn a_numbered_setext_heading_is_recovered() {
        let src = "# T\n\n1. 第一节\n-----\n\n正文一。\n\n2. Second\n======\n\ntext two\n";
        let (talk, _) = parse_talk("t", src);
        let titles: Vec<_> = talk
            .sections
            .iter()
            .map(|s| (s.number, s.title.as_str()))
            .collect();
        assert_eq!(titles, vec![(Some(1), "第一节"), (Some(2), "Second")]);
        assert_eq!(talk.sections[0].body, "正文一。");
    }

    #[test]
    fn an_ordinary_list_followed_by_a_rule_after_a_blank_line_stays_a_list() {
        let src = "# T\n\n## A\n\n1. item\n\n---\n\nmore\n";
        let (talk, _) = parse_talk("t", src);
        assert_eq!(talk.sections.len(), 1);
        assert!(talk.sections[0].body.contains("1. item"));
    }

    /// Issue 23: a turn runs over the paragraphs after its label, a long one is cut at
    /// sentence ends instead of dropped, and the writer's narration ends it.
    #[test]
    fn a_turn_runs_until_the_next_label_and_a_long_one_is_cut() {
        let long = "我们先做了存储。".repeat(60);
        let src = format!(
            "# 对话王磊：重写\n\n## 1. 开始\n\n**李雪**：为什么重写？\n\n**王磊（WL）**：旧引擎撑不住了。\n\n\
             第二段也是他的回答，讲团队。\n\n{long}\n\n王磊说完笑了。\n\n**WL**：还有一点。\n"
        );
        let (talk, _) = parse_talk("t", &src);
        assert_eq!(talk.meta.speakers, ["王磊", "李雪"]);
        let by = |text: &str| {
            talk.quotes
                .iter()
                .find(|q| q.text.contains(text))
                .and_then(|q| q.speaker.clone())
        };
        assert_eq!(by("第二段也是他的回答").as_deref(), Some("王磊"));
        assert_eq!(by("为什么重写").as_deref(), Some("李雪"));
        assert_eq!(by("还有一点").as_deref(), Some("王磊"), "initials");
        assert!(by("说完笑了").is_none(), "the writer's narration");
        let pieces: Vec<_> = talk
            .quotes
            .iter()
            .filter(|q| q.text.contains("存储"))
            .collect();
        assert!(pieces.len() >= 2, "{pieces:?}");
        assert!(
            pieces
                .iter()
                .all(|q| q.text.chars().count() <= MAX_QUOTE_CHARS)
        );
    }

    /// Issue 23: the writer is a speaker when the write-up says the talk is theirs; a clause
    /// before a verb of speech is no one.
    #[test]
    fn a_report_names_each_talks_giver_and_their_words_follow() {
        let src = "# 大会见闻\n\n## 技术\n\n**Building a culture**\n\n\
                   演讲人：Kevin Goldsmith，Spotify公司的技术主管\n\n\
                   他说：“你有文化，不管你是否承认。”\n\n**Blend**\n\n演讲人：平安科技 柴锋、高云\n";
        let (talk, _) = parse_talk("t", src);
        assert_eq!(talk.meta.speakers, ["Kevin Goldsmith", "柴锋", "高云"]);
        let q = talk
            .quotes
            .iter()
            .find(|q| q.text.contains("你有文化"))
            .unwrap();
        assert_eq!(q.speaker.as_deref(), Some("Kevin Goldsmith"));
        // The line naming the giver is nobody's words.
        assert!(talk.quotes.iter().all(|q| !q.text.contains("演讲人")));
    }

    #[test]
    fn unnamed_q_and_a_turns_are_the_asker_and_the_panel() {
        let src = "# Panel Discussion\n\nQ: What changed this year?\n\nA:\n    - Faster releases.\n\n\
                   Q: And next year?\n\nA:\n    - More collaboration between frameworks.\n";
        let (talk, _) = parse_talk("t", src);
        assert_eq!(talk.meta.speakers, ["A", "Q"]);
        let q = talk
            .quotes
            .iter()
            .find(|q| q.text.contains("collaboration"))
            .unwrap();
        assert_eq!(q.speaker.as_deref(), Some("A"));
    }

    #[test]
    fn a_speaker_who_introduces_themself_and_wrote_it_gives_the_talk() {
        let src = "---\ntitle: Monthly call\nauthors:\n  - james-mejia\n  - dan-williams\n---\n\n\
                   ## Transcript\n\n**Slide 1:** Hi there and welcome to our monthly call.\n\n\
                   **Slide 2:** My name is Dan Williams, and I'm the product lead.\n\n\
                   We will turn off any cameras. I'd like to remind you of our code of conduct.\n\n\
                   We'll be posting links in the chat as we go along.\n\n\
                   I encourage you to ask questions at any time.\n";
        let (talk, _) = parse_talk("t", src);
        assert_eq!(talk.meta.speakers, ["Dan Williams", "James Mejia"]);
        let q = talk
            .quotes
            .iter()
            .find(|q| q.text.contains("posting links"))
            .unwrap();
        assert_eq!(q.speaker.as_deref(), Some("Dan Williams"));
    }

    /// Issue 23: after the speaker's farewell ends a section, the sections that follow (an
    /// agenda, an `About`) are the writer's, not the monologue.
    #[test]
    fn after_the_speakers_farewell_the_sections_are_the_writers() {
        let src = "---\ntitle: Monthly call\nauthors:\n  - dan-williams\n---\n\n\
                   ## Transcript\n\n**Slide 1:** Hi there and welcome to our monthly call.\n\n\
                   **Slide 2:** My name is Dan Williams, and I'm the product lead.\n\n\
                   We will turn off any cameras. I'd like to remind you of our code of conduct.\n\n\
                   We'll be posting links in the chat as we go along.\n\n\
                   I encourage you to ask questions at any time.\n\n\
                   Thank you, and see you next month!\n\n\
                   ## Agenda\n\nDuring this event, the core team will preview the new release.\n";
        let (talk, _) = parse_talk("t", src);
        assert!(talk.quotes.iter().any(|q| q.text.contains("posting links")));
        assert!(
            !talk.quotes.iter().any(|q| q.text.contains("preview")),
            "{:?}",
            talk.quotes
        );
    }

    #[test]
    fn a_programme_heading_with_no_text_wraps_the_talks_under_it() {
        let src = "# Day 2\n\n## Keynote\n\n### AB testing\n\ntext\n\n### Privacy: next\n\ntext\n\n\
                   ## NoSQL's biggest lie\n\ntext\n";
        let (talk, _) = parse_talk("t", src);
        let titles: Vec<&str> = talk.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            ["AB testing", "Privacy: next", "NoSQL's biggest lie"]
        );
        // A heading that is no programme's part keeps its sub-headings inside it.
        let src = "# Notes\n\n## Technique\n\n### Track A\n\ntext\n\n## Thoughts\n\ntext\n";
        let (talk, _) = parse_talk("t", src);
        let titles: Vec<&str> = talk.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Technique", "Thoughts"]);
    }

    #[test]
    fn the_writer_of_a_talk_transcript_is_its_speaker() {
        let src = "---\nauthor: 敖小剑\n---\n# 探索之路\n\n> 本文整理自布道师敖小剑在 Meetup 上的演讲。\n\n\
                   ## 前言\n\n今天给大家带来的内容是我们的探索。\n\n我们做了很多尝试。\n\n我们也踩了坑。\n\n\
                   - “多写测试”，也就是说：先写测试。\n";
        let (talk, _) = parse_talk("t", src);
        assert_eq!(talk.meta.speakers, ["敖小剑"]);
        assert_eq!(talk.meta.author.as_deref(), Some("敖小剑"));
        let q = talk
            .quotes
            .iter()
            .find(|q| q.text.contains("我们也踩了坑"))
            .unwrap();
        assert_eq!(q.speaker.as_deref(), Some("敖小剑"));
        assert!(
            talk.quotes
                .iter()
                .all(|q| q.speaker.as_deref() != Some("也就是"))
        );
    }

    #[test]
    fn dates_are_given_as_year_month_day() {
        assert_eq!(
            normalise_date("2021-12-21T15:00:00+08:00").as_deref(),
            Some("2021-12-21")
        );
        assert_eq!(
            normalise_date("2022-03-17 14:00:00 -0500").as_deref(),
            Some("2022-03-17")
        );
        assert_eq!(
            normalise_date("2018年6月3日").as_deref(),
            Some("2018-06-03")
        );
        assert_eq!(normalise_date("true"), None);
        assert_eq!(normalise_date("Spring 2024"), None);
    }

    #[test]
    fn tags_are_cleaned() {
        assert_eq!(clean_tag("[[00-元语/OpenAI]]"), "OpenAI");
        assert_eq!(clean_tag("#rust"), "rust");
    }
}
