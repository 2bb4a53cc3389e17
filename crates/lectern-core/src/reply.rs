//! Replies: what each command answers, independent of how it is sent.
//!
//! A [`Reply`] is an embed-shaped value (title, description, fields, footer, image, link) with
//! buttons or a select menu whose [`Action`]s say what pressing them does. One function per
//! command builds it from the library; the Discord layer turns it into serenity builders and
//! the CLI prints it as text. Invariants: every reply these functions build is within Discord's
//! limits, counted in characters ([`Reply::limit_violations`] is empty); user text echoed back
//! is escaped, so it cannot format or ping.

pub mod script;

use serde::Serialize;

use crate::changes::ReloadReport;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, QuoteRef, QuoteScope, SectionRef};
use crate::model::{Quote, Talk};
use crate::search::{self, Outcome};
use crate::text::{MAX_EMBED_URL, char_len, escape_markdown, is_web_url, truncate_chars, web_url};

/// Discord's limits, in characters.
pub mod limits {
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    pub const EMBED_TOTAL: usize = 6000;
    pub const BUTTON_LABEL: usize = 80;
    pub const SELECT_OPTIONS: usize = 25;
    pub const SELECT_LABEL: usize = 100;
    pub const SELECT_DESCRIPTION: usize = 100;
    pub const SELECT_PLACEHOLDER: usize = 150;
    pub const BUTTONS_PER_ROW: usize = 5;
    pub const ROWS: usize = 5;
}

/// How much text one page of a section holds. Well under the description limit, so that a page
/// reads comfortably and the whole embed stays under the 6,000-character total.
pub const PAGE_CHARS: usize = 1800;

/// What a button or a menu option does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Show a page of a section.
    Section {
        talk: String,
        section: usize,
        page: usize,
    },
    /// Draw another quote, from the whole pool, one talk (`section` is `None`) or one section.
    Quote {
        talk: Option<String>,
        section: Option<usize>,
    },
    /// Draw another quote of one speaker, from all the talks or one.
    QuoteBy {
        speaker: String,
        talk: Option<String>,
    },
    /// Show a page of the list of talks, all of them or those with one tag.
    Talks { page: usize, tag: Option<String> },
    /// Show a page of one talk's sections.
    Contents { talk: String, page: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Button {
    pub label: String,
    pub action: Action,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelectOption {
    pub label: String,
    pub description: Option<String>,
    pub action: Action,
}

/// A row of the reply's interactive parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Component {
    Buttons {
        buttons: Vec<Button>,
    },
    Select {
        placeholder: String,
        options: Vec<SelectOption>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

/// A reply to a command, ready to send anywhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reply {
    pub title: Option<String>,
    /// Link of the title (the talk's source).
    pub url: Option<String>,
    pub description: String,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
    /// URL of the image (a section's infographic).
    pub image: Option<String>,
    pub components: Vec<Component>,
    /// Shown only to the person who asked.
    pub ephemeral: bool,
}

impl Reply {
    /// A short message shown only to the person who asked.
    pub fn notice(text: &str) -> Reply {
        Reply {
            description: truncate_chars(text, limits::DESCRIPTION),
            ephemeral: true,
            ..Reply::default()
        }
    }

    /// Every way this reply breaks one of Discord's limits; empty when it is fine.
    pub fn limit_violations(&self) -> Vec<String> {
        let mut v = Vec::new();
        fn check(v: &mut Vec<String>, what: &str, s: &str, max: usize) {
            let n = char_len(s);
            if n > max {
                v.push(format!("{what}: {n} characters, limit {max}"));
            }
        }
        let title = self.title.as_deref().unwrap_or("");
        check(&mut v, "title", title, limits::TITLE);
        check(
            &mut v,
            "description",
            &self.description,
            limits::DESCRIPTION,
        );
        let footer = self.footer.as_deref().unwrap_or("");
        check(&mut v, "footer", footer, limits::FOOTER);
        for f in &self.fields {
            check(&mut v, "field name", &f.name, limits::FIELD_NAME);
            check(&mut v, "field value", &f.value, limits::FIELD_VALUE);
            if f.name.trim().is_empty() || f.value.trim().is_empty() {
                v.push("empty field name or value".into());
            }
        }
        let mut rows = 0;
        for c in &self.components {
            match c {
                Component::Buttons { buttons } => {
                    rows += buttons.len().div_ceil(limits::BUTTONS_PER_ROW);
                    for b in buttons {
                        check(&mut v, "button label", &b.label, limits::BUTTON_LABEL);
                    }
                }
                Component::Select {
                    placeholder,
                    options,
                } => {
                    rows += 1;
                    check(
                        &mut v,
                        "select placeholder",
                        placeholder,
                        limits::SELECT_PLACEHOLDER,
                    );
                    if options.is_empty() || options.len() > limits::SELECT_OPTIONS {
                        v.push(format!("select with {} options", options.len()));
                    }
                    for o in options {
                        check(&mut v, "option label", &o.label, limits::SELECT_LABEL);
                        let d = o.description.as_deref().unwrap_or("");
                        check(&mut v, "option description", d, limits::SELECT_DESCRIPTION);
                    }
                }
            }
        }
        if rows > limits::ROWS {
            v.push(format!("{rows} component rows, limit {}", limits::ROWS));
        }
        if self.fields.len() > limits::FIELDS {
            v.push(format!(
                "{} fields, limit {}",
                self.fields.len(),
                limits::FIELDS
            ));
        }
        let total = char_len(title)
            + char_len(&self.description)
            + char_len(footer)
            + self
                .fields
                .iter()
                .map(|f| char_len(&f.name) + char_len(&f.value))
                .sum::<usize>();
        if total > limits::EMBED_TOTAL {
            v.push(format!(
                "embed total {total}, limit {}",
                limits::EMBED_TOTAL
            ));
        }
        // Discord rejects the whole message for one malformed URL (50035).
        for (what, u) in [("url", &self.url), ("image", &self.image)] {
            if let Some(u) = u {
                if !is_web_url(u, MAX_EMBED_URL) {
                    v.push(format!("{what}: not an absolute http(s) URL of at most {MAX_EMBED_URL} characters: {u:?}"));
                }
            }
        }
        if self.description.trim().is_empty() && self.fields.is_empty() && title.is_empty() {
            v.push("empty reply".into());
        }
        v
    }
}

/// The talk's source as an embed link, when it is a URL Discord accepts (normalised).
fn source_url(talk: &Talk) -> Option<String> {
    web_url(talk.meta.source.as_deref()?, MAX_EMBED_URL)
}

/// The talk's source as text, when it is not a URL (`某播客第 42 期`): shown in the footer.
fn source_text(talk: &Talk) -> Option<String> {
    talk.meta
        .source
        .as_deref()
        .filter(|s| !is_web_url(s, MAX_EMBED_URL))
        .map(|s| escape_markdown(&truncate_chars(s, 200)))
}

fn section_action(lib: &Library, r: SectionRef, page: usize) -> Action {
    Action::Section {
        talk: lib.talks()[r.talk].id.clone(),
        section: r.section,
        page,
    }
}

/// Talks listed on one page of `/topics`.
pub const TALKS_PER_PAGE: usize = 20;
/// Sections listed on one page of a talk's contents: as many as a menu holds.
pub const SECTIONS_PER_PAGE: usize = limits::SELECT_OPTIONS;
/// Longest line of a list of talks or sections, in characters: a full page stays under the
/// description's limit.
const LIST_LINE: usize = 180;

/// `/topics` without options: the talk's sections when one talk is loaded, else the first page
/// of the list of talks.
pub fn topics(lib: &Library, lang: Lang) -> Reply {
    match lib.talks().len() {
        0 => Reply::notice(Msg::NoTalks.get(lang)),
        1 => contents(lib, 0, 0, lang),
        _ => talks(lib, 0, None, lang),
    }
}

/// One page of the list of talks (those with `tag`, or all): each with its speakers, date and
/// number of sections, a menu that opens one, and buttons to the other pages.
pub fn talks(lib: &Library, page: usize, tag: Option<&str>, lang: Lang) -> Reply {
    let listed: Vec<usize> = (0..lib.talks().len())
        .filter(|&t| tag.is_none_or(|tag| lib.has_tag(t, tag)))
        .collect();
    if listed.is_empty() {
        return Reply::notice(Msg::NoTalks.get(lang));
    }
    let pages = listed.len().div_ceil(TALKS_PER_PAGE);
    let page = page.min(pages - 1);
    let on_page = &listed[page * TALKS_PER_PAGE..listed.len().min((page + 1) * TALKS_PER_PAGE)];
    let mut description = String::new();
    let mut options = Vec::new();
    for &t in on_page {
        let talk = &lib.talks()[t];
        let line = format!(
            "{} · {}",
            crate::library::talk_line(talk),
            Msg::n_sections(talk.sections.len(), lang)
        );
        description.push_str(&format!("- {}\n", truncate_chars(&line, LIST_LINE)));
        options.push(SelectOption {
            label: truncate_chars(&talk.title, limits::SELECT_LABEL),
            description: Some(truncate_chars(
                &Msg::n_sections(talk.sections.len(), lang),
                limits::SELECT_DESCRIPTION,
            )),
            action: Action::Contents {
                talk: talk.id.clone(),
                page: 0,
            },
        });
    }
    let mut footer = format!("{}: {}", Msg::Talks.get(lang), listed.len());
    if pages > 1 {
        footer.push_str(&format!(" · {} {}/{pages}", Msg::Page.get(lang), page + 1));
    }
    let title = match tag {
        Some(tag) => format!("{} · {}", Msg::Talks.get(lang), tag),
        None => Msg::Talks.get(lang).to_string(),
    };
    let mut components = vec![Component::Select {
        placeholder: Msg::OpenTalk.get(lang).to_string(),
        options,
    }];
    if pages > 1 {
        let go = |p: usize| Action::Talks {
            page: p,
            tag: tag.map(str::to_string),
        };
        components.push(Component::Buttons {
            buttons: page_buttons(page, pages, go, lang),
        });
    }
    Reply {
        title: Some(truncate_chars(&title, limits::TITLE)),
        description: truncate_chars(description.trim_end(), limits::DESCRIPTION),
        footer: Some(footer),
        components,
        ..Reply::default()
    }
}

/// The "◁ Page" and "Page ▷" buttons of a list of `pages` pages, on page `page`.
fn page_buttons(
    page: usize,
    pages: usize,
    go: impl Fn(usize) -> Action,
    lang: Lang,
) -> Vec<Button> {
    vec![
        Button {
            label: Msg::PrevPage.get(lang).into(),
            action: go(page.saturating_sub(1)),
            disabled: page == 0,
        },
        Button {
            label: Msg::NextPage.get(lang).into(),
            action: go((page + 1).min(pages - 1)),
            disabled: page + 1 >= pages,
        },
    ]
}

/// One page of talk `t`'s sections ([`SECTIONS_PER_PAGE`] of them) with a menu that opens
/// one, and buttons to the other pages when the talk has more.
pub fn contents(lib: &Library, t: usize, page: usize, lang: Lang) -> Reply {
    let Some(talk) = lib.talks().get(t) else {
        return Reply::notice(Msg::Gone.get(lang));
    };
    let n = talk.sections.len();
    let pages = n.div_ceil(SECTIONS_PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let shown = page * SECTIONS_PER_PAGE..n.min((page + 1) * SECTIONS_PER_PAGE);
    let mut description = format!("**{}**", truncate_chars(&talk.title, LIST_LINE));
    if let Some(date) = &talk.meta.date {
        description.push_str(&format!(" · {}", truncate_chars(date, 40)));
    }
    description.push('\n');
    let mut options = Vec::new();
    for s in &talk.sections[shown.clone()] {
        description.push_str(&truncate_chars(&s.label(), LIST_LINE));
        description.push('\n');
        options.push(SelectOption {
            label: truncate_chars(&s.label(), limits::SELECT_LABEL),
            description: (lib.talks().len() > 1)
                .then(|| truncate_chars(&talk.title, limits::SELECT_DESCRIPTION)),
            action: section_action(
                lib,
                SectionRef {
                    talk: t,
                    section: s.ordinal,
                },
                0,
            ),
        });
    }
    let mut footer = format!(
        "{}: {} · {}: {n}",
        Msg::Talks.get(lang),
        lib.talks().len(),
        Msg::Sections.get(lang),
    );
    if pages > 1 {
        footer.push_str(&format!(" · {} {}/{pages}", Msg::Page.get(lang), page + 1));
    }
    let mut components = Vec::new();
    if !options.is_empty() {
        components.push(Component::Select {
            placeholder: Msg::OpenSection.get(lang).to_string(),
            options,
        });
    }
    if pages > 1 {
        let go = |p: usize| Action::Contents {
            talk: talk.id.clone(),
            page: p,
        };
        components.push(Component::Buttons {
            buttons: page_buttons(page, pages, go, lang),
        });
    }
    Reply {
        title: Some(Msg::Topics.get(lang).to_string()),
        description: truncate_chars(description.trim_end(), limits::DESCRIPTION),
        footer: Some(footer),
        components,
        ..Reply::default()
    }
}

/// Splits a section's text into pages of at most [`PAGE_CHARS`] characters, at paragraph
/// boundaries where possible (a paragraph longer than a page is cut at a line, then a
/// character, boundary).
pub fn pages(body: &str) -> Vec<String> {
    let mut pages = Vec::new();
    let mut current = String::new();
    let mut pieces: Vec<String> = Vec::new();
    for para in body.split("\n\n") {
        if char_len(para) <= PAGE_CHARS {
            pieces.push(para.to_string());
            continue;
        }
        let mut chunk = String::new();
        for line in para.split('\n') {
            for part in split_chars(line, PAGE_CHARS) {
                if !chunk.is_empty() && char_len(&chunk) + 1 + char_len(&part) > PAGE_CHARS {
                    pieces.push(std::mem::take(&mut chunk));
                }
                if !chunk.is_empty() {
                    chunk.push('\n');
                }
                chunk.push_str(&part);
            }
        }
        if !chunk.is_empty() {
            pieces.push(chunk);
        }
    }
    for piece in pieces {
        if !current.is_empty() && char_len(&current) + 2 + char_len(&piece) > PAGE_CHARS {
            pages.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(&piece);
    }
    if !current.trim().is_empty() || pages.is_empty() {
        pages.push(current);
    }
    pages
}

fn split_chars(s: &str, max: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars.chunks(max).map(|c| c.iter().collect()).collect()
}

/// One page of one section, with buttons for the pages and the neighbouring sections.
pub fn section(lib: &Library, r: SectionRef, page: usize, lang: Lang) -> Reply {
    let Some((talk, s)) = lib.section(r) else {
        return Reply::notice(Msg::Gone.get(lang));
    };
    let all = pages(&s.body);
    let page = page.min(all.len() - 1);
    let mut description = all[page].clone();
    if description.trim().is_empty() {
        description = Msg::NoText.get(lang).into();
    }
    let n_sections = talk.sections.len();
    let numbered = talk.sections.iter().filter(|s| s.number.is_some()).count();
    let mut footer = match s.number {
        Some(n) => format!("{} · §{n}/{numbered}", talk.title),
        None => format!("{} · {}", talk.title, s.title),
    };
    if let Some(date) = &talk.meta.date {
        footer.push_str(&format!(" · {date}"));
    }
    if let Some(source) = source_text(talk) {
        footer.push_str(&format!(" · {source}"));
    }
    if all.len() > 1 {
        footer.push_str(&format!(
            " · {} {}/{}",
            Msg::Page.get(lang),
            page + 1,
            all.len()
        ));
    }
    let prev = r
        .section
        .checked_sub(1)
        .map(|s| SectionRef { section: s, ..r });
    let next = (r.section + 1 < n_sections).then_some(SectionRef {
        section: r.section + 1,
        ..r
    });
    let mut buttons = vec![Button {
        label: Msg::PrevSection.get(lang).into(),
        action: section_action(lib, prev.unwrap_or(r), 0),
        disabled: prev.is_none(),
    }];
    if all.len() > 1 {
        buttons.push(Button {
            label: Msg::PrevPage.get(lang).into(),
            action: section_action(lib, r, page.saturating_sub(1)),
            disabled: page == 0,
        });
        buttons.push(Button {
            label: Msg::NextPage.get(lang).into(),
            action: section_action(lib, r, (page + 1).min(all.len() - 1)),
            disabled: page + 1 >= all.len(),
        });
    }
    buttons.push(Button {
        label: Msg::NextSection.get(lang).into(),
        action: section_action(lib, next.unwrap_or(r), 0),
        disabled: next.is_none(),
    });
    Reply {
        title: Some(truncate_chars(&s.label(), limits::TITLE)),
        url: source_url(talk),
        description: truncate_chars(&description, limits::DESCRIPTION),
        footer: Some(truncate_chars(&footer, limits::FOOTER)),
        image: s
            .infographic
            .as_ref()
            .and_then(|i| web_url(&i.url, MAX_EMBED_URL)),
        components: vec![Component::Buttons { buttons }],
        ..Reply::default()
    }
}

/// The action of the "another quote" button of `scope`.
fn another_quote(lib: &Library, scope: QuoteScope) -> Action {
    let id = |t: usize| lib.talks().get(t).map(|talk| talk.id.clone());
    match scope {
        QuoteScope::Speaker { speaker, talk } => {
            match lib.speakers().iter().find(|n| n.key == speaker) {
                Some(name) => Action::QuoteBy {
                    speaker: name.name.clone(),
                    talk: talk.and_then(id),
                },
                None => Action::Quote {
                    talk: None,
                    section: None,
                },
            }
        }
        other => Action::Quote {
            talk: other.talk().and_then(id),
            section: other.section().map(|r| r.section),
        },
    }
}

/// One quote with where it was said, and a button for another one from the same `scope`.
pub fn quote(lib: &Library, q: QuoteRef, scope: QuoteScope, lang: Lang) -> Reply {
    let Some((talk, quote)) = lib.quote(q) else {
        return Reply::notice(Msg::NoQuotes.get(lang));
    };
    let section = quote.section.and_then(|s| talk.sections.get(s));
    let mut place = match section {
        Some(s) => format!("{} · {}", s.label(), talk.title),
        None => talk.title.clone(),
    };
    if let Some(source) = source_text(talk) {
        place.push_str(&format!(" · {source}"));
    }
    let mut buttons = vec![Button {
        label: Msg::AnotherQuote.get(lang).into(),
        action: another_quote(lib, scope),
        disabled: false,
    }];
    if let Some(s) = section {
        buttons.push(Button {
            label: truncate_chars(&format!("§ {}", s.label()), limits::BUTTON_LABEL),
            action: section_action(
                lib,
                SectionRef {
                    talk: q.talk,
                    section: s.ordinal,
                },
                0,
            ),
            disabled: false,
        });
    }
    let mut description = format!("> {}", quote_markdown(quote));
    if let Some(speaker) = &quote.speaker {
        description.push_str(&format!("\n— {}", escape_markdown(speaker)));
    }
    Reply {
        description: truncate_chars(&description, limits::DESCRIPTION),
        url: source_url(talk),
        footer: Some(truncate_chars(&place, limits::FOOTER)),
        components: vec![Component::Buttons { buttons }],
        ..Reply::default()
    }
}

/// A quote's text as Markdown: escaped, with its emphasis (the write-up's bold inside it) in
/// bold again.
fn quote_markdown(quote: &Quote) -> String {
    let text = &quote.text;
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for e in quote.emphasis.iter().filter(|e| !e.trim().is_empty()) {
        let Some(found) = text[at..].find(e.as_str()) else {
            continue;
        };
        let start = at + found;
        out.push_str(&escape_quote(&text[at..start]));
        out.push_str(&format!("**{}**", escape_quote(e)));
        at = start + e.len();
    }
    out.push_str(&escape_quote(&text[at..]));
    out
}

/// Quotes are plain text from the document: keep them from being read as Markdown.
fn escape_quote(text: &str) -> String {
    text.replace('\n', " ")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('`', "\\`")
}

/// `/search`: ranked hits with snippets and a menu to open them, or an honest miss.
pub fn search(lib: &Library, query: &str, lang: Lang) -> Reply {
    let shown = escape_markdown(&truncate_chars(query.trim(), 100));
    if query.trim().is_empty() {
        return Reply::notice(Msg::EmptyQuery.get(lang));
    }
    let Outcome { hits, suggestions } = search::search(lib, query, 5);
    let title = Some(truncate_chars(
        &format!("{}: {}", Msg::SearchTitle.get(lang), shown),
        limits::TITLE,
    ));
    if hits.is_empty() {
        let mut description = Msg::no_close_match(&shown, lang);
        let mut options = Vec::new();
        if !suggestions.is_empty() {
            description.push_str(&format!("\n\n{}:", Msg::DidYouMean.get(lang)));
            for r in &suggestions {
                if let Some((_, s)) = lib.section(*r) {
                    description.push_str(&format!("\n- {}", s.label()));
                    options.push(SelectOption {
                        label: truncate_chars(&s.label(), limits::SELECT_LABEL),
                        description: None,
                        action: section_action(lib, *r, 0),
                    });
                }
            }
        }
        let components = if options.is_empty() {
            Vec::new()
        } else {
            vec![Component::Select {
                placeholder: Msg::OpenSection.get(lang).into(),
                options,
            }]
        };
        return Reply {
            title,
            description,
            components,
            ..Reply::default()
        };
    }
    let mut fields = Vec::new();
    let mut options = Vec::new();
    for (i, hit) in hits.iter().enumerate() {
        let Some(talk) = lib.talks().get(hit.talk) else {
            continue;
        };
        let (name, action) = match hit.section.and_then(|s| talk.sections.get(s)) {
            Some(s) => (
                s.label(),
                Some(section_action(
                    lib,
                    SectionRef {
                        talk: hit.talk,
                        section: s.ordinal,
                    },
                    0,
                )),
            ),
            // A key point, a risk or the summary: it opens the section that says most of
            // what it says (the write-up's summary is a digest of its sections), or the intro.
            None => (
                summary_label(talk, hit.kind, lang),
                related_section(lib, hit.talk, &hit.snippet.replace("**", ""))
                    .map(|r| section_action(lib, r, 0)),
            ),
        };
        fields.push(Field {
            name: truncate_chars(&format!("{}. {name}", i + 1), limits::FIELD_NAME),
            value: truncate_chars(
                if hit.snippet.trim().is_empty() {
                    "…"
                } else {
                    &hit.snippet
                },
                limits::FIELD_VALUE,
            ),
            inline: false,
        });
        if let Some(action) = action {
            options.push(SelectOption {
                label: truncate_chars(&format!("{}. {name}", i + 1), limits::SELECT_LABEL),
                description: (lib.talks().len() > 1)
                    .then(|| truncate_chars(&talk.title, limits::SELECT_DESCRIPTION)),
                action,
            });
        }
    }
    let components = if options.is_empty() {
        Vec::new()
    } else {
        vec![Component::Select {
            placeholder: Msg::OpenSection.get(lang).into(),
            options,
        }]
    };
    Reply {
        title,
        fields,
        components,
        ..Reply::default()
    }
}

/// The section of talk `talk`, other than its intro, that shares most of `text`'s words (a
/// key point, a risk: the summary is a digest of the sections), or else the talk's first section
/// (its intro when it has one). Words are Latin words and pairs of Han characters, each weighted
/// by how few sections have it; a word in a section's title counts three times.
fn related_section(lib: &Library, talk: usize, text: &str) -> Option<SectionRef> {
    fn terms(s: &str) -> std::collections::HashSet<String> {
        let s = s.to_lowercase();
        let chars: Vec<char> = s.chars().collect();
        let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        let mut out: std::collections::HashSet<String> = chars
            .windows(2)
            .filter(|w| han(w[0]) && han(w[1]))
            .map(|w| w.iter().collect())
            .collect();
        out.extend(
            s.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 3)
                .map(str::to_string),
        );
        out
    }
    let t = lib.talks().get(talk)?;
    let wanted = terms(text);
    type Terms = std::collections::HashSet<String>;
    let sections: Vec<(usize, Terms, Terms)> = t
        .sections
        .iter()
        .filter(|s| !s.intro)
        .map(|s| (s.ordinal, terms(&s.title), terms(&s.body)))
        .collect();
    let n = sections.len() as f32;
    let score = |(_, title, body): &(usize, Terms, Terms)| -> f32 {
        wanted
            .iter()
            .filter(|w| title.contains(*w) || body.contains(*w))
            .map(|w| {
                let df = sections
                    .iter()
                    .filter(|(_, t, b)| t.contains(w) || b.contains(w))
                    .count() as f32;
                let idf = (1.0 + n / df).ln();
                if title.contains(w) { 3.0 * idf } else { idf }
            })
            .sum()
    };
    let best = sections
        .iter()
        .map(|s| (s.0, score(s)))
        .filter(|&(_, sc)| sc > 0.0)
        .fold(None::<(usize, f32)>, |best, (o, sc)| match best {
            Some((_, b)) if b >= sc => best,
            _ => Some((o, sc)),
        })
        .map(|(o, _)| o);
    let section = best.or_else(|| (!t.sections.is_empty()).then_some(0))?;
    Some(SectionRef { talk, section })
}

fn summary_label(talk: &Talk, kind: search::HitKind, lang: Lang) -> String {
    let what = match kind {
        search::HitKind::KeyPoint => Msg::KeyPoints,
        search::HitKind::Risk => Msg::Risks,
        _ => Msg::Summary,
    };
    format!("{} · {}", what.get(lang), talk.title)
}

/// Facts for `/about` that the library does not know.
#[derive(Debug, Clone, Default)]
pub struct AboutInfo {
    pub version: String,
}

impl AboutInfo {
    /// What this build of lectern says of itself.
    pub fn of_this_build() -> AboutInfo {
        AboutInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// `/about`: what the bot serves and how to use it.
pub fn about(lib: &Library, info: &AboutInfo, lang: Lang) -> Reply {
    let c = lib.counts();
    let mut fields = vec![
        Field {
            name: Msg::Talks.get(lang).into(),
            value: c.talks.to_string(),
            inline: true,
        },
        Field {
            name: Msg::Sections.get(lang).into(),
            value: c.sections.to_string(),
            inline: true,
        },
        Field {
            name: Msg::Quotes.get(lang).into(),
            value: c.quotes.to_string(),
            inline: true,
        },
    ];
    let description = format!("{}\n\n{}", Msg::AboutIntro.get(lang), Msg::Usage.get(lang));
    let title = Msg::AboutTitle.get(lang);
    let version = Field {
        name: Msg::Version.get(lang).into(),
        value: format!("lectern {}", info.version),
        inline: true,
    };
    // What the write-ups say about themselves, talk by talk, while the embed has room: the
    // counts and the version take what they take, each talk's fields share the rest.
    let used = |fields: &[Field]| {
        char_len(title)
            + char_len(&description)
            + fields
                .iter()
                .chain([&version])
                .map(|f| char_len(&f.name) + char_len(&f.value))
                .sum::<usize>()
    };
    let mut omitted = 0;
    for talk in lib.talks() {
        let talk_fields = talk_summary_fields(talk, lang);
        let fits = used(&fields)
            + talk_fields
                .iter()
                .map(|f| char_len(&f.name) + char_len(&f.value))
                .sum::<usize>()
            <= limits::EMBED_TOTAL - 100
            && fields.len() + talk_fields.len() < limits::FIELDS;
        if fits && omitted == 0 {
            fields.extend(talk_fields);
        } else {
            omitted += 1;
        }
    }
    let mut description = description;
    if omitted > 0 {
        description.push_str("\n\n");
        description.push_str(&Msg::more_talks(omitted, lang));
    }
    fields.push(Field {
        name: Msg::Version.get(lang).into(),
        value: format!("lectern {}", info.version),
        inline: true,
    });
    Reply {
        title: Some(title.into()),
        description,
        fields,
        ..Reply::default()
    }
}

/// A talk as its write-up sums it up: its title with its source and one-line summary, its key
/// points, its risks and its related topics; each part only when the write-up has it, each
/// value within a field's limit.
fn talk_summary_fields(talk: &Talk, lang: Lang) -> Vec<Field> {
    let mut head = Vec::new();
    match (source_url(talk), source_text(talk)) {
        (Some(url), _) => head.push(format!("<{url}>")),
        (None, Some(text)) => head.push(format!("{}: {text}", Msg::Source.get(lang))),
        _ => {}
    }
    if let Some(one) = &talk.summary.one_liner {
        head.push(one.clone());
    }
    let mut fields = vec![Field {
        name: truncate_chars(&talk.title, limits::FIELD_NAME),
        value: truncate_chars(
            &if head.is_empty() {
                format!("{} · {}", talk.sections.len(), Msg::Sections.get(lang))
            } else {
                head.join("\n")
            },
            limits::FIELD_VALUE,
        ),
        inline: false,
    }];
    let related = talk
        .tags()
        .map(escape_markdown)
        .collect::<Vec<_>>()
        .join(" · ");
    for (msg, value) in [
        (Msg::KeyPoints, bullets(&talk.summary.key_points)),
        (Msg::Risks, bullets(&talk.summary.risks)),
        (Msg::Related, truncate_chars(&related, limits::FIELD_VALUE)),
    ] {
        if !value.trim().is_empty() {
            fields.push(Field {
                name: msg.get(lang).into(),
                value,
                inline: false,
            });
        }
    }
    fields
}

/// Items as a Markdown list of at most a field value's length: whole items while they fit,
/// then `… +N`.
fn bullets(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let line = format!("- {}\n", item.replace('\n', " "));
        let tail = format!("… +{}", items.len() - i);
        if char_len(&out) + char_len(&line) + char_len(&tail) > limits::FIELD_VALUE {
            if out.is_empty() {
                // One item longer than a field: cut it.
                out = truncate_chars(&line, limits::FIELD_VALUE - char_len(&tail) - 1);
                out.push('\n');
                if i + 1 < items.len() {
                    out.push_str(&format!("… +{}", items.len() - i - 1));
                }
            } else {
                out.push_str(&tail);
            }
            return out.trim_end().to_string();
        }
        out.push_str(&line);
    }
    out.trim_end().to_string()
}

/// The admin's answer to `/reload`: what changed, what failed, how long it took.
pub fn reload_report(report: &ReloadReport, lang: Lang) -> Reply {
    use crate::changes::Verdict;
    let headline = match report.verdict {
        Verdict::Applied if report.diff.is_empty() && report.warnings.is_empty() => {
            Msg::NothingChanged
        }
        Verdict::Applied => Msg::Reloaded,
        Verdict::Forced => Msg::ReloadForced,
        Verdict::KeptOld => Msg::ReloadKeptOld,
        Verdict::Failed => Msg::ReloadFailed,
    }
    .get(lang);
    let description = format!(
        "{headline}\n\n{} {} → {} · {} {} → {} · {} {} → {} · {} ms",
        Msg::Talks.get(lang),
        report.before.talks,
        report.loaded.talks,
        Msg::Sections.get(lang),
        report.before.sections,
        report.loaded.sections,
        Msg::Quotes.get(lang),
        report.diff.quotes_before,
        report.diff.quotes_after,
        report.elapsed.as_millis()
    );
    let title = Msg::ReloadTitle.get(lang);
    let d = &report.diff;
    let mut fields = Vec::new();
    // The fields share what the title and description leave of the embed's total.
    let mut room = limits::EMBED_TOTAL - char_len(title) - char_len(&description);
    let mut list = |name: &str, items: &[String]| {
        let name = format!("{name} ({})", items.len());
        let used = char_len(&name) + 30;
        if items.is_empty() || room < used {
            return;
        }
        let cap = (limits::FIELD_VALUE - 20).min(room - used);
        let mut value = String::new();
        for (i, item) in items.iter().enumerate() {
            let line = format!("- {}\n", escape_markdown(item));
            if char_len(&value) + char_len(&line) > cap {
                value.push_str(&format!("… +{}", items.len() - i));
                break;
            }
            value.push_str(&line);
        }
        let value = value.trim_end().to_string();
        room -= char_len(&name) + char_len(&value);
        fields.push(Field {
            name,
            value,
            inline: false,
        });
    };
    list(Msg::TalksAdded.get(lang), &d.talks_added);
    list(Msg::TalksRemoved.get(lang), &d.talks_removed);
    list(Msg::SectionsAdded.get(lang), &d.sections_added);
    list(Msg::SectionsRemoved.get(lang), &d.sections_removed);
    list(Msg::SectionsChanged.get(lang), &d.sections_changed);
    list(Msg::Problems.get(lang), &report.warnings);
    Reply {
        title: Some(title.to_string()),
        description,
        fields: fields.into_iter().take(limits::FIELDS).collect(),
        ephemeral: true,
        ..Reply::default()
    }
}

/// Renders a reply as terminal text: what the bot would show, minus colours and images.
pub fn to_text(reply: &Reply) -> String {
    let mut out = String::new();
    if let Some(t) = &reply.title {
        out.push_str(&format!("# {t}\n"));
    }
    if let Some(u) = &reply.url {
        out.push_str(&format!("<{u}>\n"));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    if !reply.description.is_empty() {
        out.push_str(&reply.description);
        out.push_str("\n\n");
    }
    for f in &reply.fields {
        out.push_str(&format!("## {}\n{}\n\n", f.name, f.value));
    }
    if let Some(i) = &reply.image {
        out.push_str(&format!("[image] {i}\n"));
    }
    if let Some(f) = &reply.footer {
        out.push_str(&format!("-- {f}\n"));
    }
    for c in &reply.components {
        match c {
            Component::Buttons { buttons } => {
                let labels: Vec<String> = buttons
                    .iter()
                    .filter(|b| !b.disabled)
                    .map(|b| format!("[{}]", b.label))
                    .collect();
                if !labels.is_empty() {
                    out.push_str(&labels.join(" "));
                    out.push('\n');
                }
            }
            Component::Select {
                placeholder,
                options,
            } => {
                out.push_str(&format!("[{placeholder}] {} options\n", options.len()));
            }
        }
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_at_paragraphs_and_respect_the_page_size() {
        let para = "段".repeat(700);
        let body = vec![para.clone(); 5].join("\n\n");
        let p = pages(&body);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|p| char_len(p) <= PAGE_CHARS));
        assert_eq!(p[0], format!("{para}\n\n{para}"));
    }

    #[test]
    fn a_paragraph_longer_than_a_page_is_cut() {
        let body = "字".repeat(PAGE_CHARS * 2 + 10);
        let p = pages(&body);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|p| char_len(p) <= PAGE_CHARS));
        assert_eq!(p.concat(), body);
    }
}
