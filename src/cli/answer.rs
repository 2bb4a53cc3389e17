//! `lectern ask` and `lectern check`: answers from the content, as text or as JSON.
//!
//! `ask` runs the bot's own commands ([`crate::commands`]), so what it prints is what the bot
//! would send; `--json` prints the data behind the reply instead ([`super::json`]). Output goes
//! to stdout, logs to stderr.

use std::io::Write;
use std::path::PathBuf;

use super::args::{AskArgs, Question};
use super::json::{self, View};
use crate::commands::topic::Topic;
use crate::commands::topics::{Listing, Topics};
use crate::commands::{self, Command, Context};
use crate::config::Config;
use crate::i18n::Lang;
use crate::library::Library;
use crate::reply::{self, AboutInfo, Reply};
use crate::search;

/// `lectern check`: exit code 1 when a file was skipped or nothing loaded.
pub fn check(config: &Config, dir: Option<PathBuf>, out: &mut dyn Write) -> anyhow::Result<i32> {
    let dir = dir.unwrap_or_else(|| config.content.seeds_dir.clone());
    let loaded = Library::load_logged(&dir, &config.load_options());
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
    let code = if loaded.is_degraded() { 1 } else { 0 };
    exit_without_freeing(loaded);
    Ok(code)
}

/// Leaves the loaded library to the operating system: `check` and `ask` end the process right
/// after they answer, and freeing a library's millions of allocations one by one is a quarter
/// of a warm start at 1,000 talks (BENCHMARKS.md, "A start that reuses its work"). Only these
/// short-lived commands do this: `serve` replaces its library on every reload and frees the
/// old one, and the core never leaks (a host bot's plugin must free what it loads).
fn exit_without_freeing(loaded: crate::library::Loaded) {
    std::mem::forget(loaded);
}

/// `lectern ask`.
pub fn ask(config: &Config, args: AskArgs, out: &mut dyn Write) -> anyhow::Result<i32> {
    let dir = args
        .seeds
        .clone()
        .unwrap_or_else(|| config.content.seeds_dir.clone());
    let loaded = Library::load_logged(&dir, &config.load_options());
    let lang = Lang::from_locale(&args.lang);
    let (reply, data) = answer(&loaded.library, &args.question, lang);
    let reply = reply::script::in_script(reply, lang);
    if let (
        Question::Quote {
            card: Some(path), ..
        },
        Some(card),
    ) = (&args.question, &reply.card)
    {
        let renderer = lectern_card::Renderer::from_config(config.card.font_path.as_deref())?;
        std::fs::write(path, renderer.render(card)?)
            .map_err(|e| anyhow::anyhow!("cannot write the card to {}: {e}", path.display()))?;
    }
    if args.json {
        write!(out, "{}", json::render(&data)?)?;
    } else {
        write!(out, "{}", reply::to_text(&reply))?;
    }
    drop(data);
    exit_without_freeing(loaded);
    Ok(0)
}

/// The reply to a question, and the data behind it for `--json`: each question is the bot's
/// command of that name ([`crate::commands`]), answered as the bot answers it.
pub fn answer<'a>(lib: &'a Library, q: &Question, lang: Lang) -> (Reply, View<'a>) {
    let about = AboutInfo::of_this_build();
    let cx = Context::with_random(lib, lang, &about);
    match q {
        Question::Topics { talk, tag, page } => {
            let command = Topics {
                talk: talk.clone(),
                tag: tag.clone(),
                page: page.saturating_sub(1),
            };
            let data = match command.resolve(lib, lang) {
                Ok(Listing::Talk(t)) => json::topics_of(lib, Some(t), None),
                Ok(Listing::Tag(tag)) => json::topics_of(lib, None, Some(&tag)),
                Ok(Listing::All) => json::topics_of(lib, None, None),
                Err(_) => json::TopicsView { talks: Vec::new() },
            };
            (command.answer(&cx).reply, View::Topics(data))
        }
        Question::Topic {
            section,
            talk,
            page,
        } => {
            let command = Topic {
                section: section.join(" "),
                talk: talk.clone(),
                page: page.saturating_sub(1),
            };
            let found = command.resolve(lib, lang).ok();
            (
                command.answer(&cx).reply,
                View::Topic(json::topic(lib, found)),
            )
        }
        Question::Quote {
            topic,
            talk,
            speaker,
            card,
        } => {
            let command = commands::quote::Quote {
                talk: talk.clone(),
                topic: Some(topic.join(" ")),
                speaker: speaker.clone(),
                card: card.is_some(),
            };
            let (answer, drawn) = command.answer_drawn(&cx);
            (answer.reply, View::Quote(json::quote(lib, drawn)))
        }
        Question::Quotes => {
            let data = json::quotes(lib);
            (quotes_listing(lib), View::Quotes(data))
        }
        Question::Search { query } => {
            let query = query.join(" ");
            let outcome = search::search(lib, &query, 10);
            let reply = Command::Search(commands::search::Search {
                query: query.clone(),
            })
            .answer(&cx)
            .reply;
            (reply, View::Search(json::search(lib, query, outcome)))
        }
        Question::About => (
            Command::About.answer(&cx).reply,
            View::About(json::about(lib, &about)),
        ),
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
                .map_or_else(|| "-".to_string(), lectern_core::model::Section::label);
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
