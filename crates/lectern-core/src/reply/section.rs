//! A section, page by page: `/topic`, and the menu picks and buttons that open one.

use super::{Button, Component, Reply, section_action, source_text, source_url};
use crate::budget::DISCORD;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, SectionRef};
use crate::text::{char_len, truncate_chars, web_url};

/// Splits a section's text into pages of at most [`crate::budget::Budget::page_chars`] characters, at paragraph
/// boundaries where possible (a paragraph longer than a page is cut at a line, then a
/// character, boundary).
pub fn pages(body: &str) -> Vec<String> {
    let mut pages = Vec::new();
    let mut current = String::new();
    let mut pieces: Vec<String> = Vec::new();
    for para in body.split("\n\n") {
        if char_len(para) <= DISCORD.page_chars {
            pieces.push(para.to_string());
            continue;
        }
        let mut chunk = String::new();
        for line in para.split('\n') {
            for part in split_chars(line, DISCORD.page_chars) {
                if !chunk.is_empty() && char_len(&chunk) + 1 + char_len(&part) > DISCORD.page_chars
                {
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
        if !current.is_empty() && char_len(&current) + 2 + char_len(&piece) > DISCORD.page_chars {
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
        title: Some(truncate_chars(&s.label(), DISCORD.title)),
        url: source_url(talk),
        description: truncate_chars(&description, DISCORD.description),
        footer: Some(truncate_chars(&footer, DISCORD.footer)),
        image: s
            .infographic
            .as_ref()
            .and_then(|i| web_url(&i.url, DISCORD.embed_url)),
        components: vec![Component::Buttons { buttons }],
        ..Reply::default()
    }
}
