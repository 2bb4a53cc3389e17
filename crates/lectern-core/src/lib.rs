//! lectern's core: talks parsed from write-ups, the library of them, search, and the replies
//! of every command, in plain Rust.
//!
//! It knows nothing of Discord, of a network or of a runtime: it compiles without serenity,
//! poise, tokio, axum or clap, and the CLI, the Discord plugin, the tests and the benchmarks all
//! call the same functions. Its map:
//!
//! - [`model`]: the content model, [`model::Talk`] and its sections, summary and quotes.
//! - [`parse`]: Markdown write-up → `Talk` (pulldown-cmark events with byte offsets).
//! - [`library`]: a folder of write-ups → [`library::Library`], the only place that reads seeds
//!   from the file system; loading skips bad files with warnings and never fails as a whole.
//! - [`search`]: the search index, ranked hits, autocomplete and fuzzy section lookup.
//! - [`changes`]: what a reload did: its verdict, report, and the diff between two libraries.
//! - [`commands`]: each slash command as one unit (its options, their resolution, its answer),
//!   which every front end runs.
//! - [`reply`]: the builders that render a transport-independent [`reply::Reply`].
//! - [`i18n`]: the interface's words in English and Chinese.
//! - [`key`]: the stable keys of talks, speakers and tags, and the one codec of them as text.
//! - [`text`]: character-counted truncation and escaping.
//! - [`cooldown`]: flood control, at most N admissions per user in any window.
//! - [`config`]: the configuration's types, plain structs with defaults.

// A `pub` item no other crate can reach says more than it means: `pub(crate)` says what it is.
#![warn(unreachable_pub)]
// Every public item says what it is (the house style: module docs for mechanisms).
#![warn(missing_docs)]

pub mod budget;
pub mod changes;
mod chinese;
pub mod commands;
pub mod config;
pub mod cooldown;
pub mod i18n;
pub mod key;
pub mod library;
pub mod model;
pub mod parse;
pub mod reply;
pub mod search;
pub mod text;
