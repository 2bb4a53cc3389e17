//! A quote, as `/quote` and its "another quote" button show it.

use super::{Action, Button, Component, Reply, section_action, source_text, source_url};
use crate::budget::DISCORD;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, QuoteRef, QuoteScope, SectionRef};
use crate::model::Quote;
use crate::text::{escape_markdown, truncate_chars};

/// The action of the "another quote" button of `scope`.
fn another_quote(lib: &Library, scope: QuoteScope) -> Action {
    let id = |t: usize| lib.talks().get(t).map(|talk| talk.id.clone());
    match scope {
        QuoteScope::Speaker { speaker, talk } => {
            match lib.speakers().iter().find(|n| n.key == speaker.get()) {
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
            label: truncate_chars(&format!("§ {}", s.label()), DISCORD.button_label),
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
        description: truncate_chars(&description, DISCORD.description),
        url: source_url(talk),
        footer: Some(truncate_chars(&place, DISCORD.footer)),
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
