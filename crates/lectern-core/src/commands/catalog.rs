//! Every reply a library can give: the one enumeration that the limit tests, the property tests
//! and the fuzz targets run [`Reply::limit_violations`] over. Command answers are asked of the
//! commands ([`crate::commands`]), as every front end asks them.
//!
//! A new reply builder (or a new state of one) is added here, and every one of those checks
//! covers it. Each reply comes with a label saying which it is, for failure messages.

use crate::commands::delivery::Delivery;
use crate::commands::menus::{TARGET_CARD, TARGET_TEXT};
use crate::commands::quote::Quote;
use crate::commands::search::Search;
use crate::commands::topic::Topic;
use crate::commands::topics::Topics;
use crate::commands::{Command, Context, Name, Options};
use crate::i18n::Lang;
use crate::key::{QuoteKey, TalkKey};
use crate::library::{Library, QuoteRef, QuoteScope, SectionRef};
use crate::reply::script::in_script;
use crate::reply::{self, AboutInfo, Action, Reply, codec};

/// Every reply `lib` gives, in every language and script (as sent: through [`in_script`]): `/topics`, `/about`, every page of every section
/// (and a page past the last), every page of the list of talks and of each talk's sections
/// (and one past the last), every quote (alone and drawn from its section), the first quote of
/// each talk drawn from its talk and from its speaker, references that are gone (after a
/// reload), the card of every quote ([`card_replies`]), and [`query_replies`] for each of
/// `queries`. Each is delivered as it is sent: in public with its delete button
/// ([`Delivery::apply`]); the replies to queries also privately for someone (the "post" button
/// and the note) and in public for someone (the mention), and through the message menus.
pub fn every_reply(lib: &Library, queries: &[&str]) -> Vec<(String, Reply)> {
    Lang::ALL
        .into_iter()
        .flat_map(|lang| {
            let mut all: Vec<(String, Reply)> = content_replies(lib, lang)
                .into_iter()
                .map(|(what, r)| (what, Delivery::PUBLIC.apply(r, lang)))
                .collect();
            all.extend(card_replies(lib, lang));
            for q in queries {
                all.extend(replies_to(lib, q, lang));
            }
            all.into_iter()
                .map(move |(what, r)| (format!("{lang:?} {what}"), in_script(r, lang)))
        })
        .collect()
}

/// The replies to a query typed by a user, in every language: `/search`, `/topic`, and
/// `/quote topic:` when the topic matches no section, each in public for someone and privately
/// for someone; "Search the talks" on a message of that text; "Quote card".
pub fn query_replies(lib: &Library, query: &str) -> Vec<(String, Reply)> {
    Lang::ALL
        .into_iter()
        .flat_map(|lang| {
            replies_to(lib, query, lang)
                .into_iter()
                .map(move |(what, r)| (format!("{lang:?} {what}"), in_script(r, lang)))
        })
        .collect()
}

fn content_replies(lib: &Library, lang: Lang) -> Vec<(String, Reply)> {
    let about = AboutInfo::of_this_build();
    let cx = Context::with_random(lib, lang, &about);
    let mut all = vec![
        (
            "topics".to_string(),
            Command::Topics(Topics::default()).answer(&cx).reply,
        ),
        ("about".to_string(), Command::About.answer(&cx).reply),
    ];
    for r in lib.section_refs() {
        let n = lib
            .section(r)
            .map_or(1, |(_, s)| reply::pages(&s.body).len());
        for page in 0..=n {
            all.push((
                format!("section {r:?} page {page}"),
                reply::section(lib, r, page, lang),
            ));
        }
    }
    all.extend(lists(lib, lang));
    for (t, talk) in lib.talks().iter().enumerate() {
        let Some(first) = talk.quotes.first() else {
            continue;
        };
        let q = QuoteRef { talk: t, quote: 0 };
        all.push((
            format!("quote {q:?} from its talk"),
            reply::quote(lib, q, QuoteScope::Talk(t), lang),
        ));
        if let Some(speaker) = &first.speaker {
            let scope = QuoteScope::Speaker {
                speaker: crate::key::SpeakerKey::of(speaker),
                talk: None,
            };
            all.push((
                format!("quote {q:?} from its speaker"),
                reply::quote(lib, q, scope, lang),
            ));
        }
    }
    for q in lib.quote_refs() {
        let from = match lib.quote(q).and_then(|(_, quote)| quote.section) {
            Some(s) => QuoteScope::Section(SectionRef {
                talk: q.talk,
                section: s,
            }),
            None => QuoteScope::All,
        };
        all.push((
            format!("quote {q:?}"),
            reply::quote(lib, q, QuoteScope::All, lang),
        ));
        all.push((
            format!("quote {q:?} from its section"),
            reply::quote(lib, q, from, lang),
        ));
    }
    let gone_talk = lib.talks().len();
    let gone_section = SectionRef {
        talk: gone_talk,
        section: 0,
    };
    let gone_quote = QuoteRef {
        talk: gone_talk,
        quote: 0,
    };
    all.push((
        "gone section".to_string(),
        reply::section(lib, gone_section, 0, lang),
    ));
    all.push((
        "gone quote".to_string(),
        reply::quote(lib, gone_quote, QuoteScope::All, lang),
    ));
    all
}

/// The card of every quote: as its "Card" button and `/quote card:True` answer (in public), and
/// as the "Quote card" menu answers on its message (privately, as the menus answer); the menu
/// on a quote that is gone, and on a message that is not a quote.
pub fn card_replies(lib: &Library, lang: Lang) -> Vec<(String, Reply)> {
    let about = AboutInfo::of_this_build();
    let cx = Context::with_random(lib, lang, &about);
    let menu = |card: Option<String>| {
        let offered = Offered(card);
        let command =
            Command::read(Name::QuoteCard, &offered).expect("the menu has no required option");
        Delivery::read(Name::QuoteCard, &offered, false).apply(command.answer(&cx).reply, lang)
    };
    let mut all = Vec::new();
    for q in lib.quote_refs() {
        let Some((talk, quote)) = lib.quote(q) else {
            continue;
        };
        let key = QuoteKey::of_quote(TalkKey::of(&talk.id), &quote.text);
        let Some(shown) = reply::card_reply(lib, &talk.id, key, lang) else {
            continue;
        };
        all.push((
            format!("card of quote {q:?}"),
            Delivery::PUBLIC.apply(shown, lang),
        ));
        let action = Action::Card {
            talk: talk.id.clone(),
            quote: key,
        };
        all.push((
            format!("menu QuoteCard on quote {q:?}"),
            menu(Some(codec::encode(&action))),
        ));
    }
    if let Some(talk) = lib.talks().first() {
        let gone = Action::Card {
            talk: talk.id.clone(),
            quote: QuoteKey::parse("0123456789abcdef").expect("a key"),
        };
        all.push((
            "menu QuoteCard on a gone quote".to_string(),
            menu(Some(codec::encode(&gone))),
        ));
    }
    all.push((
        "menu QuoteCard on a message without a card".to_string(),
        menu(None),
    ));
    all
}

/// What a message offers the message menus: only a card (or nothing).
struct Offered(Option<String>);

impl Options for Offered {
    fn text(&self, name: &str) -> Option<String> {
        (name == TARGET_CARD).then(|| self.0.clone()).flatten()
    }
    fn flag(&self, _: &str) -> Option<bool> {
        None
    }
}

/// Every page of the list of talks (all, and those with the library's first tag) and of each
/// talk's sections, each with one page past the last.
pub fn lists(lib: &Library, lang: Lang) -> Vec<(String, Reply)> {
    let mut all = Vec::new();
    let pages = lib.talks().len().div_ceil(reply::TALKS_PER_PAGE);
    for page in 0..=pages {
        all.push((
            format!("talks page {page}"),
            reply::talks(lib, page, None, lang),
        ));
    }
    if let Some(tag) = lib.tags().first() {
        all.push((
            format!("talks tagged {:?}", tag.name),
            reply::talks(lib, 0, Some(&tag.name), lang),
        ));
    }
    for (t, talk) in lib.talks().iter().enumerate() {
        let pages = talk.sections.len().div_ceil(reply::SECTIONS_PER_PAGE);
        for page in 0..=pages {
            all.push((
                format!("contents of {:?} page {page}", talk.id),
                reply::contents(lib, t, page, lang),
            ));
        }
    }
    all
}

/// The answers to a query typed by a user, through the commands every front end runs.
fn replies_to(lib: &Library, query: &str, lang: Lang) -> Vec<(String, Reply)> {
    let about = AboutInfo::of_this_build();
    let cx = Context::with_random(lib, lang, &about);
    let search = Command::Search(Search {
        query: query.to_string(),
    });
    let topic = Command::Topic(Topic {
        section: query.to_string(),
        ..Topic::default()
    });
    let mut all = vec![
        (format!("search {query:?}"), search.answer(&cx).reply),
        (format!("topic {query:?}"), topic.answer(&cx).reply),
    ];
    let quote = Quote {
        topic: Some(query.to_string()),
        ..Quote::default()
    };
    if quote.scope(lib, lang).is_err() {
        all.push((format!("quote topic {query:?}"), quote.answer(&cx).reply));
    }
    // The largest user id there is, for the longest mention.
    let someone = Some(u64::MAX);
    let mut delivered = Vec::new();
    for (what, reply) in all {
        for (how, d) in [
            (
                "for someone",
                Delivery {
                    private: false,
                    for_user: someone,
                },
            ),
            (
                "privately for someone",
                Delivery {
                    private: true,
                    for_user: someone,
                },
            ),
        ] {
            delivered.push((format!("{what} {how}"), d.apply(reply.clone(), lang)));
        }
    }
    struct Message<'a>(&'a str);
    impl Options for Message<'_> {
        fn text(&self, name: &str) -> Option<String> {
            (name == TARGET_TEXT).then(|| self.0.to_string())
        }
        fn flag(&self, _: &str) -> Option<bool> {
            None
        }
    }
    let message = Message(query);
    for name in [Name::SearchMessage, Name::QuoteCard] {
        if let Ok(menu) = Command::read(name, &message) {
            let d = Delivery::read(name, &message, false);
            let reply = d.apply(menu.answer(&cx).reply, lang);
            delivered.push((format!("menu {name:?} on {query:?}"), reply));
        }
    }
    delivered
}
