//! lectern: a self-hosted Discord bot that serves excerpts of talks.
//!
//! The crate is a library with a thin binary. Its map:
//!
//! - [`model`]: the content model, [`model::Talk`] and its sections, summary and quotes.
//! - [`parse`]: Markdown write-up → `Talk` (pulldown-cmark events with byte offsets).
//! - [`library`]: a folder of write-ups → [`library::Library`], the only place that reads seeds
//!   from the file system; loading skips bad files with warnings and never fails as a whole.
//! - [`search`]: the search index, ranked hits, autocomplete and fuzzy section lookup.
//! - [`changes`]: what a reload did: its verdict, report, and the diff between two libraries.
//! - [`reload`]: the library in service behind an `ArcSwap`; reloads that build aside and
//!   swap atomically or keep the old library.
//! - [`reply`]: one function per command building a transport-independent [`reply::Reply`].
//! - [`i18n`]: the interface's words in English and Chinese.
//! - [`text`]: character-counted truncation and escaping.
//! - [`ops`]: health, readiness and Prometheus metrics over HTTP (axum), and the loopback-only
//!   reload endpoint.
//! - [`watch`]: reload when the seeds folder changes (debounced), for `content.watch`.
//! - [`cooldown`]: flood control, at most N admissions per user in any window (plain Rust).
//! - [`config`]: layered configuration (files, then `LECTERN__…` environment variables).
//! - [`cli`]: the `ask` and `check` commands.
//! - [`discord`]: the Discord adapter: serenity and poise, commands, buttons, one responder;
//!   [`Plugin`], lectern's commands mounted in someone else's bot (see "Use lectern in your
//!   own bot" in the README).
//! - [`serve`]: `lectern serve`, the process's wiring: content, ops listener, watcher, SIGHUP
//!   and the bot, started and shut down in order.
//!
//! Invariant: everything above except `discord` and `serve` knows nothing of Discord; the
//! CLI, the bot, the tests and the benchmarks all call the same functions.

pub mod changes;
pub mod cli;
pub mod config;
pub mod cooldown;
pub mod discord;
pub mod i18n;
pub mod library;
pub mod model;
pub mod ops;
pub mod parse;
pub mod reload;
pub mod reply;
pub mod search;
pub mod serve;
pub mod text;
pub mod watch;

pub use discord::plugin::{
    CooldownPolicy, OperatorPolicy, Plugin, PluginError, PluginOptions, Slash,
};
