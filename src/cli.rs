//! The command line: `lectern ask …`, `lectern check`; `lectern serve` is in [`crate::discord`].
//!
//! `ask` answers a command locally with the same reply functions the bot uses, so what it
//! prints is what the bot would send. `--json` prints the data behind the reply instead (the
//! format is documented in the README). Output goes to stdout, logs to stderr.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use rand::seq::IndexedRandom;
use serde_json::{Value, json};

use crate::config::{Config, LogFormat};
use crate::i18n::Lang;
use crate::library::{Library, Loaded};
use crate::reply::{self, AboutInfo};
use crate::search;

/// lectern: serves excerpts of talks, on Discord or on the command line.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Folder holding default.toml and local.toml.
    #[arg(
        long,
        global = true,
        env = "LECTERN_CONFIG_DIR",
        default_value = "config"
    )]
    pub config: PathBuf,
    /// Log format (overrides log.format).
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer a command locally, as the bot would (no Discord token needed).
    Ask(AskArgs),
    /// Run the Discord bot (token from DISCORD_TOKEN or DISCORD_TOKEN_FILE).
    Serve,
    /// Load a seeds folder and report what loaded and every warning.
    Check {
        /// The folder to check (default: content.seeds_dir).
        dir: Option<PathBuf>,
    },
    /// Make the running lectern reload its seeds (through its HTTP listener, from loopback).
    Reload {
        /// Put what loaded in service even when some files failed.
        #[arg(long)]
        force: bool,
        /// Base URL of the listener (default: from http.bind).
        #[arg(long)]
        url: Option<String>,
    },
    /// Exit 0 when the running lectern is ready; for container health checks.
    Healthcheck {
        /// Base URL of the listener (default: from http.bind).
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AskArgs {
    #[command(subcommand)]
    pub question: Question,
    /// Folder of write-ups (default: content.seeds_dir).
    #[arg(long, global = true)]
    pub seeds: Option<PathBuf>,
    /// Print the data as JSON instead of the reply as text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of the interface: en or zh.
    #[arg(long, global = true, default_value = "en")]
    pub lang: String,
}

#[derive(Debug, Subcommand)]
pub enum Question {
    /// The talks and their sections.
    Topics,
    /// One section, by number or (fuzzy) title.
    Topic {
        /// A number (`13`) or title words (`生物安全`).
        #[arg(required = true, num_args = 1..)]
        section: Vec<String>,
        /// Page of a long section, from 1.
        #[arg(long, default_value_t = 1)]
        page: usize,
    },
    /// A random quote, optionally from one section.
    Quote {
        /// Limit to this section (number or title).
        #[arg(num_args = 0..)]
        topic: Vec<String>,
    },
    /// The whole quote pool, for review.
    Quotes,
    /// Search what was said.
    Search {
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// What lectern serves.
    About,
}

/// Loads the library for the CLI, logging every warning.
pub fn load(config: &Config, dir: &Path) -> Loaded {
    let opts = config.content.load_options();
    let started = std::time::Instant::now();
    let loaded = Library::load(dir, &opts);
    for w in &loaded.warnings {
        tracing::warn!(file = %w.file.display(), skipped = w.skipped, reason = %w.reason, "seed file problem");
    }
    let c = loaded.library.counts();
    tracing::info!(
        dir = %dir.display(),
        talks = c.talks,
        sections = c.sections,
        quotes = c.quotes,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "library loaded"
    );
    loaded
}

/// `lectern check`: exit code 1 when a file was skipped or nothing loaded.
pub fn check(config: &Config, dir: Option<PathBuf>, out: &mut dyn Write) -> anyhow::Result<i32> {
    let dir = dir.unwrap_or_else(|| config.content.seeds_dir.clone());
    let loaded = load(config, &dir);
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
    let loaded = load(config, &dir);
    let lib = &loaded.library;
    let lang = Lang::from_locale(&args.lang);
    let (reply, data) = answer(lib, &args.question, lang);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &data)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", reply::to_text(&reply))?;
    }
    Ok(0)
}

/// The reply to a question, and the data behind it for `--json`.
pub fn answer(lib: &Library, q: &Question, lang: Lang) -> (reply::Reply, Value) {
    match q {
        Question::Topics => (reply::topics(lib, lang), topics_json(lib)),
        Question::Topic { section, page } => {
            let text = section.join(" ");
            match search::resolve_section(lib, &text) {
                Some(r) => {
                    let page = page.saturating_sub(1);
                    let data = section_json(lib, r);
                    (reply::section(lib, r, page, lang), data)
                }
                None => (reply::topic(lib, &text, lang), json!({ "section": null })),
            }
        }
        Question::Quote { topic } => {
            let topic = topic.join(" ");
            let scope = match reply::quote_scope(lib, Some(&topic), lang) {
                Ok(scope) => scope,
                Err(reply) => return (*reply, json!({ "quote": null })),
            };
            match scope.pool(lib).choose(&mut rand::rng()) {
                None => (
                    reply::Reply::notice(crate::i18n::Msg::NoQuotes.get(lang)),
                    json!({ "quote": null }),
                ),
                Some(&q) => (
                    reply::quote(lib, q, scope, lang),
                    json!({ "quote": quote_json(lib, q) }),
                ),
            }
        }
        Question::Quotes => {
            let quotes: Vec<Value> = lib.quote_refs().map(|q| quote_json(lib, q)).collect();
            let mut text = String::new();
            for q in lib.quote_refs() {
                if let Some((talk, quote)) = lib.quote(q) {
                    let place = quote
                        .section
                        .and_then(|s| talk.sections.get(s))
                        .map_or_else(|| "-".to_string(), |s| s.label());
                    text.push_str(&format!("[{place}] {}\n", quote.text));
                }
            }
            let reply = reply::Reply {
                title: Some(format!("{} quotes", quotes.len())),
                description: text,
                ..Default::default()
            };
            (reply, json!({ "quotes": quotes }))
        }
        Question::Search { query } => {
            let query = query.join(" ");
            let outcome = search::search(lib, &query, 10);
            let hits: Vec<Value> = outcome
                .hits
                .iter()
                .map(|h| {
                    let talk = &lib.talks()[h.talk];
                    let section = h.section.and_then(|s| talk.sections.get(s));
                    json!({
                        "talk": talk.id,
                        "section": section.and_then(|s| s.number),
                        "ordinal": h.section,
                        "title": section.map(|s| s.title.clone()),
                        "kind": h.kind,
                        "score": h.score,
                        "snippet": h.snippet,
                    })
                })
                .collect();
            let suggestions: Vec<Value> = outcome
                .suggestions
                .iter()
                .filter_map(|r| lib.section(*r))
                .map(|(t, s)| json!({ "talk": t.id, "section": s.number, "title": s.title }))
                .collect();
            (
                reply::search(lib, &query, lang),
                json!({ "query": query, "hits": hits, "suggestions": suggestions }),
            )
        }
        Question::About => {
            let info = AboutInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
            };
            let c = lib.counts();
            let talks: Vec<Value> = lib
                .talks()
                .iter()
                .map(|t| json!({ "id": t.id, "title": t.title, "source": t.meta.source }))
                .collect();
            (
                reply::about(lib, &info, lang),
                json!({ "version": info.version, "counts": c, "talks": talks }),
            )
        }
    }
}

fn topics_json(lib: &Library) -> Value {
    let talks: Vec<Value> = lib
        .talks()
        .iter()
        .map(|t| {
            let sections: Vec<Value> = t
                .sections
                .iter()
                .map(|s| json!({ "ordinal": s.ordinal, "number": s.number, "title": s.title }))
                .collect();
            json!({
                "id": t.id,
                "title": t.title,
                "meta": t.meta,
                "summary": t.summary,
                "sections": sections,
                "related": t.related,
            })
        })
        .collect();
    json!({ "talks": talks })
}

fn section_json(lib: &Library, r: crate::library::SectionRef) -> Value {
    match lib.section(r) {
        Some((talk, s)) => json!({
            "talk": talk.id,
            "section": {
                "ordinal": s.ordinal,
                "number": s.number,
                "title": s.title,
                "text": s.body,
                "infographic": s.infographic,
                "pages": reply::pages(&s.body).len(),
            }
        }),
        None => json!({ "section": null }),
    }
}

fn quote_json(lib: &Library, q: crate::library::QuoteRef) -> Value {
    match lib.quote(q) {
        Some((talk, quote)) => {
            let section = quote.section.and_then(|s| talk.sections.get(s));
            json!({
                "text": quote.text,
                "kind": quote.kind,
                "talk": talk.id,
                "section": section.map(|s| json!({
                    "ordinal": s.ordinal,
                    "number": s.number,
                    "title": s.title,
                })),
            })
        }
        None => Value::Null,
    }
}

/// Sets up `tracing` on stderr: `RUST_LOG` if set, else the configured filter.
pub fn init_logging(config: &Config, format: Option<LogFormat>) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.log.filter));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format.unwrap_or(config.log.format) {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// The base URL at which this machine reaches the configured listener.
pub fn listener_url(config: &Config, url: Option<String>) -> anyhow::Result<String> {
    if let Some(url) = url {
        return Ok(url.trim_end_matches('/').to_string());
    }
    let bind = config.http.bind.trim();
    if bind.is_empty() {
        anyhow::bail!("the HTTP listener is off (http.bind is empty); set LECTERN__HTTP__BIND");
    }
    let addr: std::net::SocketAddr = bind
        .parse()
        .map_err(|e| anyhow::anyhow!("http.bind `{bind}` is not an address: {e}"))?;
    let host = if addr.ip().is_unspecified() {
        match addr {
            std::net::SocketAddr::V4(_) => "127.0.0.1".to_string(),
            std::net::SocketAddr::V6(_) => "[::1]".to_string(),
        }
    } else {
        match addr {
            std::net::SocketAddr::V4(a) => a.ip().to_string(),
            std::net::SocketAddr::V6(a) => format!("[{}]", a.ip()),
        }
    };
    Ok(format!("http://{host}:{}", addr.port()))
}

fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .no_proxy()
        .build()?)
}

/// `lectern healthcheck`: 0 when `/readyz` answers 200, 1 otherwise.
pub async fn healthcheck(base: &str, out: &mut dyn Write) -> anyhow::Result<i32> {
    let resp = match http_client()?.get(format!("{base}/readyz")).send().await {
        Ok(r) => r,
        Err(e) => {
            writeln!(out, "not ready: {base} does not answer: {e}")?;
            return Ok(1);
        }
    };
    let ok = resp.status().is_success();
    let body = resp.text().await.unwrap_or_default();
    writeln!(out, "{}", body.trim())?;
    Ok(if ok { 0 } else { 1 })
}

/// `lectern reload`: 0 when the new content is in service, 1 when the old one was kept.
pub async fn reload(base: &str, force: bool, out: &mut dyn Write) -> anyhow::Result<i32> {
    let url = format!("{base}/reload?force={force}");
    let resp = http_client()?
        .post(url)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach lectern at {base}: {e}"))?;
    let status = resp.status();
    let body = resp.text().await?;
    match serde_json::from_str::<Value>(&body) {
        Ok(v) => {
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)?;
        }
        Err(_) => writeln!(out, "{}", body.trim())?,
    }
    Ok(if status.is_success() { 0 } else { 1 })
}
