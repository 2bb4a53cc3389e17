//! `/search`: hits, with the section each opens, or suggestions when nothing matches well.

use super::{Component, Field, Reply, SelectOption, section_action};
use crate::budget::DISCORD;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, SectionRef};
use crate::model::Talk;
use crate::search::{self, Outcome};
use crate::text::{escape_markdown, truncate_chars};

/// `/search`: ranked hits with snippets and a menu to open them, or an honest miss.
pub fn search(lib: &Library, query: &str, lang: Lang) -> Reply {
    search_within(lib, query, lang, 5)
}

/// [`search()`] with up to `hits` hits (at most a menu's options): Discord's answer lists five,
/// a web page more.
pub fn search_within(lib: &Library, query: &str, lang: Lang, hits: usize) -> Reply {
    let shown = escape_markdown(&truncate_chars(query.trim(), 100));
    if query.trim().is_empty() {
        return Reply::notice(Msg::EmptyQuery.get(lang));
    }
    let Outcome { hits, suggestions } =
        search::search(lib, query, hits.min(DISCORD.select_options));
    let title = Some(truncate_chars(
        &format!("{}: {}", Msg::SearchTitle.get(lang), shown),
        DISCORD.title,
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
                        label: truncate_chars(&s.label(), DISCORD.select_label),
                        description: None,
                        action: section_action(lib, *r, 0),
                    });
                }
            }
        }
        let components = open_menu(options, lang);
        return Reply {
            title,
            description,
            components,
            web_path: Some(super::web::search(query)),
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
                lib.related_section(hit.talk, hit.kind, hit.item)
                    .map(|r| section_action(lib, r, 0)),
            ),
        };
        fields.push(Field {
            name: truncate_chars(&format!("{}. {name}", i + 1), DISCORD.field_name),
            value: truncate_chars(
                if hit.snippet.trim().is_empty() {
                    "…"
                } else {
                    &hit.snippet
                },
                DISCORD.field_value,
            ),
            inline: false,
        });
        if let Some(action) = action {
            options.push(SelectOption {
                label: truncate_chars(&format!("{}. {name}", i + 1), DISCORD.select_label),
                description: (lib.talks().len() > 1)
                    .then(|| truncate_chars(&talk.title, DISCORD.select_description)),
                action,
            });
        }
    }
    let components = open_menu(options, lang);
    Reply {
        title,
        fields,
        components,
        web_path: Some(super::web::search(query)),
        ..Reply::default()
    }
}

fn summary_label(talk: &Talk, kind: search::HitKind, lang: Lang) -> String {
    let what = match kind {
        search::HitKind::KeyPoint => Msg::KeyPoints,
        search::HitKind::Risk => Msg::Risks,
        _ => Msg::Summary,
    };
    format!("{} · {}", what.get(lang), talk.title)
}

/// The "open a section" menu of a search reply: none when nothing can be opened.
fn open_menu(options: Vec<SelectOption>, lang: Lang) -> Vec<Component> {
    if options.is_empty() {
        return Vec::new();
    }
    vec![Component::Select {
        placeholder: Msg::OpenSection.get(lang).into(),
        options,
    }]
}
