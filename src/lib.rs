//! lectern: a self-hosted Discord bot that serves excerpts of talks.
//!
//! A workspace of three crates that the compiler keeps apart (ARCHITECTURE.md):
//!
//! - [`lectern_core`]: model, parse, library, search, reply, i18n, text, cooldown and the
//!   configuration's types; nothing of Discord. Its modules are re-exported here under their
//!   own names ([`library`], [`search`], …).
//! - [`lectern_discord`] ([`discord`] here): the Discord adapter, [`Plugin`] for host bots, the
//!   reload service ([`reload`]) and the process's state ([`ops`]: content, shards, metrics).
//! - this crate, the `lectern` binary's library: the CLI, `serve`, the HTTP operations surface,
//!   the watcher and reading the configuration from files and the environment.
//!
//! Its own modules:
//!
//! - [`cli`]: the `ask`, `check` and `reload` commands.
//! - [`config`]: layered configuration (files, then `LECTERN__…` environment variables).
//! - [`http`]: the operations surface over HTTP (axum): health, readiness and Prometheus
//!   metrics, and the loopback-only reload endpoint, serving the plugin's state ([`ops`]).
//! - [`watch`]: reload when the seeds folder changes (debounced), for `content.watch`.
//! - [`web`]: the library's read-only pages and the operator's dashboard (`/admin`), on a
//!   listener of their own (`web.bind`).
//! - [`serve`]: `lectern serve`, the process's wiring: content, ops listener, watcher, SIGHUP
//!   and the bot, started and shut down in order.

// A `pub` item no other crate can reach says more than it means: `pub(crate)` says what it is.
#![warn(unreachable_pub)]

pub use lectern_core::{
    budget, changes, commands, cooldown, i18n, key, library, model, parse, reply, search, text,
};
pub use lectern_discord as discord;
pub use lectern_discord::{ops, reload};

pub mod cli;
pub mod config;
pub mod http;
pub mod interactions;
pub mod serve;
pub mod watch;
pub mod web;

pub use lectern_discord::{
    CooldownPolicy, OperatorPolicy, Plugin, PluginError, PluginOptions, Slash,
};
