//! `/topics`: the list of talks, a talk's sections, and their pages.

use super::{Action, Button, Component, Reply, SelectOption, section_action};
use crate::budget::DISCORD;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, SectionRef};
use crate::text::truncate_chars;

/// Talks listed on one page of `/topics`.
pub const TALKS_PER_PAGE: usize = 20;
/// Sections listed on one page of a talk's contents: as many as a menu holds.
pub const SECTIONS_PER_PAGE: usize = DISCORD.select_options;
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
            label: truncate_chars(&talk.title, DISCORD.select_label),
            description: Some(truncate_chars(
                &Msg::n_sections(talk.sections.len(), lang),
                DISCORD.select_description,
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
        title: Some(truncate_chars(&title, DISCORD.title)),
        description: truncate_chars(description.trim_end(), DISCORD.description),
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
            label: truncate_chars(&s.label(), DISCORD.select_label),
            description: (lib.talks().len() > 1)
                .then(|| truncate_chars(&talk.title, DISCORD.select_description)),
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
        description: truncate_chars(description.trim_end(), DISCORD.description),
        footer: Some(footer),
        components,
        ..Reply::default()
    }
}
