//! `/search`: hits, with the section each opens, or suggestions when nothing matches well.

use super::{Budget, Component, Field, Reply, SelectOption, limits, section_action};
use crate::i18n::{Lang, Msg};
use crate::library::{Library, SectionRef};
use crate::model::Talk;
use crate::search::{self, Outcome};
use crate::text::{escape_markdown, truncate_chars};

/// `/search`: ranked hits with snippets and a menu to open them, or an honest miss.
pub fn search(lib: &Library, query: &str, lang: Lang) -> Reply {
    search_within(lib, query, lang, Budget::DISCORD)
}

/// [`search`] within `budget`: up to `budget.hits` hits (at most a menu's options).
pub fn search_within(lib: &Library, query: &str, lang: Lang, budget: Budget) -> Reply {
    let shown = escape_markdown(&truncate_chars(query.trim(), 100));
    if query.trim().is_empty() {
        return Reply::notice(Msg::EmptyQuery.get(lang));
    }
    let Outcome { hits, suggestions } =
        search::search(lib, query, budget.hits.min(limits::SELECT_OPTIONS));
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
    let components = open_menu(options, lang);
    Reply {
        title,
        fields,
        components,
        web_path: Some(super::web::search(query)),
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
