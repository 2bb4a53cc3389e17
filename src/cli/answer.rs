//! `lectern ask` and `lectern check`: answers from the content, as text or as JSON.
//!
//! `ask` answers with the same reply functions the bot uses, so what it prints is what the bot
//! would send; `--json` prints the data behind the reply instead ([`super::json`]). Output goes
//! to stdout, logs to stderr.

use std::io::Write;
use std::path::PathBuf;

use rand::seq::IndexedRandom;

use super::args::{AskArgs, Question};
use super::json::{self, View};
use crate::config::Config;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, Lookup};
use crate::reply::{self, AboutInfo, Reply};
use crate::search;

/// `lectern check`: exit code 1 when a file was skipped or nothing loaded.
pub fn check(config: &Config, dir: Option<PathBuf>, out: &mut dyn Write) -> anyhow::Result<i32> {
    let dir = dir.unwrap_or_else(|| config.content.seeds_dir.clone());
    let loaded = Library::load_logged(&dir, &config.content.load_options());
    let c = loaded.library.counts();
    writeln!(
        out,
        "{}: {} talks, {} sections, {} quotes",
        dir.display(),
        c.talks,
        c.sections,
        c.quotes
    )?;
    for talk in loaded.library.talks() {
        writeln!(
            out,
            "  {}: {} sections, {} quotes, {} key points, {} risks",
            talk.id,
            talk.sections.len(),
            talk.quotes.len(),
            talk.summary.key_points.len(),
            talk.summary.risks.len()
        )?;
    }
    for w in &loaded.warnings {
        writeln!(out, "{w}")?;
    }
    Ok(if loaded.is_degraded() { 1 } else { 0 })
}

/// `lectern ask`.
pub fn ask(config: &Config, args: AskArgs, out: &mut dyn Write) -> anyhow::Result<i32> {
    let dir = args
        .seeds
        .clone()
        .unwrap_or_else(|| config.content.seeds_dir.clone());
    let loaded = Library::load_logged(&dir, &config.content.load_options());
    let lang = Lang::from_locale(&args.lang);
    let (reply, data) = answer(&loaded.library, &args.question, lang);
    let reply = reply::script::in_script(reply, lang);
    if args.json {
        write!(out, "{}", json::render(&data)?)?;
    } else {
        write!(out, "{}", reply::to_text(&reply))?;
    }
    Ok(0)
}

/// The reply to a question, and the data behind it for `--json`.
pub fn answer<'a>(lib: &'a Library, q: &Question, lang: Lang) -> (Reply, View<'a>) {
    match q {
        Question::Topics { talk, tag, page } => {
            let none = View::Topics(json::TopicsView { talks: Vec::new() });
            let page = page.saturating_sub(1);
            let talk = match reply::talk_option(lib, talk.as_deref(), lang) {
                Ok(talk) => talk,
                Err(note) => return (*note, none),
            };
            let tag = match tag.as_deref().map(|t| lib.resolve_tag(t)) {
                None => None,
                Some(Lookup::Found(tag)) => Some(tag.name.as_str()),
                Some(_) => {
                    let note = reply::topics_for(lib, None, tag.as_deref(), lang);
                    return (note.unwrap_or_else(|e| *e), none);
                }
            };
            let reply = match (talk, tag) {
                (Some(t), _) => reply::contents(lib, t, page, lang),
                (None, Some(tag)) => reply::talks(lib, page, Some(tag), lang),
                (None, None) if lib.talks().len() == 1 => reply::contents(lib, 0, page, lang),
                (None, None) if lib.talks().is_empty() => reply::topics(lib, lang),
                (None, None) => reply::talks(lib, page, None, lang),
            };
            (reply, View::Topics(json::topics_of(lib, talk, tag)))
        }
        Question::Topic {
            section,
            talk,
            page,
        } => {
            let text = section.join(" ");
            let found = reply::find_topic(lib, talk.as_deref(), &text, lang);
            let data = View::Topic(json::topic(lib, found.as_ref().ok().copied()));
            let reply = match found {
                Ok(r) => reply::section(lib, r, page.saturating_sub(1), lang),
                Err(note) => *note,
            };
            (reply, data)
        }
        Question::Quote {
            topic,
            talk,
            speaker,
        } => {
            let none = View::Quote(json::quote(lib, None));
            let topic = topic.join(" ");
            let options = reply::QuoteOptions {
                talk: talk.as_deref(),
                topic: Some(&topic),
                speaker: speaker.as_deref(),
            };
            let scope = match reply::quote_scope_for(lib, options, lang) {
                Ok(scope) => scope,
                Err(reply) => return (*reply, none),
            };
            match scope.pool(lib).choose(&mut rand::rng()) {
                None => (Reply::notice(Msg::NoQuotes.get(lang)), none),
                Some(&q) => (
                    reply::quote(lib, q, scope, lang),
                    View::Quote(json::quote(lib, Some(q))),
                ),
            }
        }
        Question::Quotes => {
            let data = json::quotes(lib);
            (quotes_listing(lib), View::Quotes(data))
        }
        Question::Search { query } => {
            let query = query.join(" ");
            let outcome = search::search(lib, &query, 10);
            let reply = reply::search(lib, &query, lang);
            (reply, View::Search(json::search(lib, query, outcome)))
        }
        Question::About => {
            let info = AboutInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
            };
            (
                reply::about(lib, &info, lang),
                View::About(json::about(lib, &info)),
            )
        }
    }
}

/// `ask quotes` as text: every quote with the section it stands in, one a line, for review.
/// It is no reply the bot sends, so it is not held to Discord's limits.
fn quotes_listing(lib: &Library) -> Reply {
    let mut text = String::new();
    let mut n = 0;
    for q in lib.quote_refs() {
        if let Some((talk, quote)) = lib.quote(q) {
            let place = quote
                .section
                .and_then(|s| talk.sections.get(s))
                .map_or_else(|| "-".to_string(), |s| s.label());
            let speaker = quote.speaker.as_deref().unwrap_or("-");
            text.push_str(&format!("[{place}] {} — {speaker}\n", quote.text));
            n += 1;
        }
    }
    Reply {
        title: Some(format!("{n} quotes")),
        description: text,
        ..Default::default()
    }
}
