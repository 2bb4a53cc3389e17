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
use crate::library::Library;
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
        Question::Topics => (reply::topics(lib, lang), View::Topics(json::topics(lib))),
        Question::Topic { section, page } => {
            let text = section.join(" ");
            let found = search::resolve_section(lib, &text);
            let reply = match found {
                Some(r) => reply::section(lib, r, page.saturating_sub(1), lang),
                None => reply::topic(lib, &text, lang),
            };
            (reply, View::Topic(json::topic(lib, found)))
        }
        Question::Quote { topic } => {
            let none = View::Quote(json::quote(lib, None));
            let scope = match reply::quote_scope(lib, Some(&topic.join(" ")), lang) {
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
