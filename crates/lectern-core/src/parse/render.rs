//! Turning a run of pulldown-cmark events back into Markdown that Discord renders.
//!
//! Discord understands bold, italics, strike-through, inline code, code blocks, block quotes,
//! lists and masked links, but not images, tables, HTML or rules. So images are lifted out
//! (returned apart, never as text: their alt text is not body text), tables are shown as code
//! blocks of their source, HTML is dropped and rules vanish. Alongside the Markdown the renderer
//! keeps each paragraph as plain text with its bold spans, for the quote finder.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use crate::model::Image;

pub(super) type Ev<'a> = (Event<'a>, Range<usize>);

/// Containers (lists and block quotes) nested deeper than this render flat: their lines get no
/// further indentation. Discord shows only a few levels anyway, and indenting every line by its
/// full depth would make the output grow with the square of the nesting (a 20 KB line of
/// 10,000 nested `- ` would render to 100 MB).
pub(super) const MAX_NESTING: usize = 8;

/// A paragraph as plain text, with the byte ranges of its bold spans.
#[derive(Debug, Default, Clone)]
pub(super) struct PlainText {
    pub text: String,
    pub bold: Vec<(usize, usize)>,
    /// The text of a list item.
    pub item: bool,
    /// Byte ranges of the text of its links.
    pub links: Vec<(usize, usize)>,
}

impl PlainText {
    /// The text from byte `start` to `end`, with the bold and link spans that lie in it.
    pub(super) fn slice(&self, start: usize, end: usize) -> PlainText {
        let within = |spans: &[(usize, usize)]| {
            spans
                .iter()
                .filter(|&&(s, e)| s >= start && e <= end)
                .map(|&(s, e)| (s - start, e - start))
                .collect()
        };
        PlainText {
            text: self.text[start..end].to_string(),
            bold: within(&self.bold),
            item: self.item,
            links: within(&self.links),
        }
    }

    /// Whether the range `start..end` lies within the text of one link (the title of something
    /// linked, not words said).
    pub(super) fn is_link_text(&self, start: usize, end: usize) -> bool {
        let (start, end) = trim_range(&self.text, start, end);
        end > start
            && self
                .links
                .iter()
                .any(|&(ls, le)| ls <= start + 3 && end <= le + 3 && le > ls)
    }

    /// Whether the whole text is bold (`**How did you start with Rust?**`).
    pub(super) fn is_all_bold(&self) -> bool {
        let start = self.text.len() - self.text.trim_start().len();
        let end = self.text.trim_end().len();
        end > start
            && self.bold.first().is_some_and(|&(bs, _)| bs <= start)
            && self.bold.last().is_some_and(|&(_, be)| be >= end)
            && self.bold.windows(2).all(|w| {
                self.text
                    .get(w[0].1..w[1].0)
                    .is_some_and(|gap| gap.trim().is_empty())
            })
    }
}

/// Opens (`open`) or closes a span at the end of each text: one of its bold or link spans.
fn mark<'p>(
    texts: impl Iterator<Item = &'p mut PlainText>,
    spans: impl Fn(&mut PlainText) -> &mut Vec<(usize, usize)>,
    open: bool,
) {
    for p in texts {
        let at = p.text.len();
        let spans = spans(p);
        if open {
            spans.push((at, at));
        } else if let Some(last) = spans.last_mut() {
            last.1 = at;
        }
    }
}

/// `start..end` without the spaces and punctuation at either end.
fn trim_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let Some(s) = text.get(start..end) else {
        return (start, start);
    };
    let keep = |c: char| c.is_alphanumeric();
    let lead = s.len() - s.trim_start_matches(|c: char| !keep(c)).len();
    let trail = s.len() - s.trim_end_matches(|c: char| !keep(c)).len();
    (start + lead, (end - trail).max(start + lead))
}

/// What one block (or run of blocks) renders to.
#[derive(Debug, Default)]
pub(super) struct Rendered {
    pub markdown: String,
    pub images: Vec<Image>,
    /// Paragraphs outside block quotes, as plain text.
    pub paragraphs: Vec<PlainText>,
    /// Each top-level block quote, as one plain text.
    pub blockquotes: Vec<PlainText>,
    /// The paragraphs of each top-level block quote, one list per block quote.
    pub blockquote_paragraphs: Vec<PlainText>,
    /// For each top-level block quote, how many of `blockquote_paragraphs` it holds.
    pub blockquote_sizes: Vec<usize>,
    /// The timestamp each of `paragraphs` opens with, when it has one (`transcript.rs`
    /// fills it; empty until then).
    pub times: Vec<Option<u32>>,
}

/// Renders `events` (whole blocks) taken from `src`.
pub(super) fn render(events: &[Ev<'_>], src: &str) -> Rendered {
    let mut r = Renderer {
        src,
        out: Rendered::default(),
        prefix: String::new(),
        prefix_ends: Vec::new(),
        lists: Vec::new(),
        image: None,
        para: None,
        quote_para: None,
        quote: None,
        quote_depth: 0,
        skip_until_table_end: false,
        link_urls: Vec::new(),
        in_code_block: false,
    };
    for (ev, range) in events {
        r.event(ev, range.clone());
    }
    let md = r.out.markdown.trim().to_string();
    r.out.markdown = md;
    r.out
}

struct Renderer<'s> {
    src: &'s str,
    out: Rendered,
    /// The line prefix of the open containers (`> ` for quotes, spaces for list items), kept
    /// as one string so that a new line costs the prefix's length, not the nesting depth.
    prefix: String,
    /// For each open container, where the prefix ended before it opened.
    prefix_ends: Vec<usize>,
    /// Open lists: the next number of an ordered list, `None` for a bullet list.
    lists: Vec<Option<u64>>,
    /// An image being read: its URL and the alt text so far.
    image: Option<(String, String)>,
    para: Option<PlainText>,
    /// A paragraph inside a block quote being read.
    quote_para: Option<PlainText>,
    quote: Option<PlainText>,
    quote_depth: usize,
    skip_until_table_end: bool,
    link_urls: Vec<String>,
    in_code_block: bool,
}

impl Renderer<'_> {
    fn newline(&mut self) {
        self.out.markdown.push('\n');
        self.out.markdown.push_str(&self.prefix);
    }

    fn block_break(&mut self) {
        if self.out.markdown.trim().is_empty() {
            return;
        }
        // Keep one blank line between blocks; inside lists a single line break reads better.
        if self.lists.is_empty() {
            self.newline();
        }
        self.newline();
    }

    fn plain(&mut self, s: &str) {
        if let Some(p) = self.para.as_mut() {
            p.text.push_str(s);
        }
        if let Some(p) = self.quote_para.as_mut() {
            p.text.push_str(s);
        }
        if let Some(q) = self.quote.as_mut() {
            q.text.push_str(s);
        }
    }

    fn link_mark(&mut self, open: bool) {
        let texts = [self.para.as_mut(), self.quote_para.as_mut()];
        mark(texts.into_iter().flatten(), |p| &mut p.links, open);
    }

    fn bold_mark(&mut self, open: bool) {
        let texts = [
            self.para.as_mut(),
            self.quote_para.as_mut(),
            self.quote.as_mut(),
        ];
        mark(texts.into_iter().flatten(), |p| &mut p.bold, open);
    }

    fn event(&mut self, ev: &Event<'_>, range: Range<usize>) {
        if self.skip_until_table_end {
            if matches!(ev, Event::End(TagEnd::Table)) {
                self.skip_until_table_end = false;
            }
            return;
        }
        if let Some((_, alt)) = self.image.as_mut() {
            match ev {
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::End(TagEnd::Image) => {
                    let (url, alt) = self.image.take().unwrap_or_default();
                    self.out.images.push(Image { url, alt });
                }
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => {
                if self.in_code_block {
                    for (i, line) in t.split('\n').enumerate() {
                        if i > 0 {
                            self.newline();
                        }
                        self.out.markdown.push_str(line);
                    }
                } else {
                    escape_text(t, &mut self.out.markdown);
                    self.plain(t);
                }
            }
            Event::Code(t) => {
                let ticks = if t.contains('`') { "``" } else { "`" };
                self.out.markdown.push_str(&format!("{ticks}{t}{ticks}"));
                self.plain(t);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.out.markdown.push_str(&format!("`{t}`"));
                self.plain(t);
            }
            Event::SoftBreak => {
                self.newline();
                self.plain(" ");
            }
            Event::HardBreak => {
                self.newline();
                self.plain("\n");
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                let tag = h.trim().to_ascii_lowercase();
                if tag.starts_with("<br") {
                    self.newline();
                }
            }
            Event::FootnoteReference(name) => {
                self.out.markdown.push_str(&format!("[{name}]"));
            }
            Event::TaskListMarker(done) => {
                self.out.markdown.push_str(if *done { "☑ " } else { "☐ " });
            }
            Event::Rule => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                if !self.prefixes_end_with_item_marker() {
                    self.block_break();
                }
                let item = self.para.as_ref().is_some_and(|p| p.item) || !self.lists.is_empty();
                self.finish_paragraph();
                if self.quote_depth == 0 {
                    self.para = Some(PlainText {
                        item,
                        ..PlainText::default()
                    });
                } else {
                    self.quote_para = Some(PlainText::default());
                }
            }
            Tag::Heading { .. } => {
                self.block_break();
                self.out.markdown.push_str("**");
            }
            Tag::BlockQuote(_) => {
                self.block_break();
                self.finish_paragraph();
                if self.quote_depth == 0 {
                    self.quote = Some(PlainText::default());
                } else if let Some(q) = self.quote.as_mut() {
                    q.text.push('\n');
                }
                self.quote_depth += 1;
                // Only one level of `> ` renders in Discord; deeper levels stay flat.
                let own = if self.quote_depth > 1 { "" } else { "> " };
                self.push_prefix(own);
                self.out.markdown.push_str(own);
            }
            Tag::CodeBlock(kind) => {
                self.block_break();
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.split_whitespace().next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                self.out.markdown.push_str(&format!("```{lang}"));
                self.newline();
                self.in_code_block = true;
            }
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.block_break();
                }
                self.lists.push(*start);
            }
            Tag::Item => {
                // The text of a tight item is a paragraph too: quotations in list items count.
                self.finish_paragraph();
                if self.quote_depth == 0 {
                    self.para = Some(PlainText {
                        item: true,
                        ..PlainText::default()
                    });
                }
                if !self.out.markdown.trim().is_empty() {
                    self.newline();
                }
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                self.out.markdown.push_str(&marker);
                let indent = if self.prefix_ends.len() < MAX_NESTING {
                    " ".repeat(marker.len())
                } else {
                    String::new()
                };
                self.push_prefix(&indent);
            }
            Tag::Table(_) => {
                self.block_break();
                let raw = self.src.get(range).unwrap_or("").trim_end();
                self.out.markdown.push_str("```");
                for line in raw.lines() {
                    self.newline();
                    self.out.markdown.push_str(line.trim());
                }
                self.newline();
                self.out.markdown.push_str("```");
                self.skip_until_table_end = true;
            }
            Tag::Emphasis => self.out.markdown.push('*'),
            Tag::Strong => {
                self.out.markdown.push_str("**");
                self.bold_mark(true);
            }
            Tag::Strikethrough => self.out.markdown.push_str("~~"),
            Tag::Link { dest_url, .. } => {
                self.out.markdown.push('[');
                self.link_urls.push(dest_url.to_string());
                self.link_mark(true);
            }
            Tag::Image { dest_url, .. } => {
                self.image = Some((dest_url.to_string(), String::new()));
            }
            Tag::HtmlBlock | Tag::MetadataBlock(_) => {}
            Tag::FootnoteDefinition(name) => {
                self.block_break();
                self.out.markdown.push_str(&format!("[{name}]: "));
            }
            _ => {}
        }
    }

    /// Ends the paragraph being read (in or out of a block quote), keeping it when it has text.
    fn finish_paragraph(&mut self) {
        if let Some(p) = self.para.take().filter(|p| !p.text.trim().is_empty()) {
            self.out.paragraphs.push(p);
        }
        if let Some(p) = self.quote_para.take().filter(|p| !p.text.trim().is_empty()) {
            self.out.blockquote_paragraphs.push(p);
        }
    }

    fn push_prefix(&mut self, own: &str) {
        self.prefix_ends.push(self.prefix.len());
        self.prefix.push_str(own);
    }

    fn pop_prefix(&mut self) {
        if let Some(end) = self.prefix_ends.pop() {
            self.prefix.truncate(end);
        }
    }

    fn prefixes_end_with_item_marker(&self) -> bool {
        // Right after `- ` or `> ` the first paragraph of a container must not start a new line.
        let line = self.out.markdown.rsplit('\n').next().unwrap_or("");
        let line = line.trim_end_matches(' ');
        line.ends_with('-')
            || line.ends_with('>')
            || (line.ends_with('.')
                && line
                    .trim_start()
                    .trim_end_matches('.')
                    .chars()
                    .all(|c| c.is_ascii_digit()))
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.finish_paragraph(),
            TagEnd::Heading(_) => self.out.markdown.push_str("**"),
            TagEnd::BlockQuote(_) => {
                self.pop_prefix();
                self.quote_depth = self.quote_depth.saturating_sub(1);
                if self.quote_depth == 0 {
                    self.finish_paragraph();
                    if let Some(q) = self.quote.take() {
                        self.out.blockquotes.push(q);
                        let before: usize = self.out.blockquote_sizes.iter().sum();
                        self.out
                            .blockquote_sizes
                            .push(self.out.blockquote_paragraphs.len() - before);
                    }
                }
            }
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                // The code text ends with a newline already.
                let trimmed = self.out.markdown.trim_end_matches([' ', '>']).len();
                self.out.markdown.truncate(trimmed);
                if !self.out.markdown.ends_with('\n') {
                    self.newline();
                }
                self.out.markdown.push_str("```");
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Item => {
                self.finish_paragraph();
                self.pop_prefix();
            }
            TagEnd::Emphasis => self.out.markdown.push('*'),
            TagEnd::Strong => {
                self.out.markdown.push_str("**");
                self.bold_mark(false);
            }
            TagEnd::Strikethrough => self.out.markdown.push_str("~~"),
            TagEnd::Link => {
                let url = self.link_urls.pop().unwrap_or_default();
                self.out.markdown.push_str(&format!("]({url})"));
                self.link_mark(false);
            }
            _ => {}
        }
    }
}

/// Appends `t` to `out`, escaped so Discord shows it as written, leaving bare URLs intact.
fn escape_text(t: &str, out: &mut String) {
    let has_url = t.contains("://");
    let special = |b: u8| matches!(b, b'*' | b'`' | b'~' | b'|' | b'\\') || (b == b'_' && !has_url);
    // The marks are ASCII, so the runs between them are copied whole (they end on character
    // boundaries): most text has no mark at all.
    let mut from = 0;
    for (i, &b) in t.as_bytes().iter().enumerate() {
        if special(b) {
            out.push_str(&t[from..i]);
            out.push('\\');
            from = i;
        }
    }
    out.push_str(&t[from..]);
}

/// Plain text of inline events (heading titles, list items): no markup, no image alt text.
pub(super) fn plain_text(events: &[Ev<'_>]) -> String {
    let mut out = String::new();
    let mut in_image = 0usize;
    for (ev, _) in events {
        match ev {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 => out.push_str(t),
            Event::SoftBreak | Event::HardBreak if in_image == 0 => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Takes Obsidian's image embeds (`![[diagram.png]]`, `![[diagram.png|300]]`) out of rendered
/// Markdown and returns them as images; CommonMark reads them as text. Embeds of notes (no
/// image extension) stay as they are.
pub(super) fn wiki_embeds(markdown: &mut String) -> Vec<Image> {
    const IMAGE: &[&str] = &[".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"];
    if !markdown.contains("![[") {
        return Vec::new();
    }
    let mut images = Vec::new();
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown.as_str();
    while let Some(start) = rest.find("![[") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("]]") else { break };
        // Rendering escaped the text (`my\_chart.png`): the target is the unescaped name.
        let target = after[..end].replace('\\', "");
        let target = target.split('|').next().unwrap_or("").trim();
        let lower = target.to_lowercase();
        out.push_str(&rest[..start]);
        if !target.is_empty() && !target.contains('\n') && IMAGE.iter().any(|e| lower.ends_with(e))
        {
            images.push(Image {
                alt: target.rsplit('/').next().unwrap_or(target).to_string(),
                url: target.to_string(),
            });
        } else {
            out.push_str(&rest[start..start + 3 + end + 2]);
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    *markdown = out.trim().to_string();
    images
}
