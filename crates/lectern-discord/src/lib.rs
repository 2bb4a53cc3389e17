//! lectern's Discord plugin: interactions in, the core's commands ([`lectern_core::commands`])
//! run, their [`lectern_core::reply::Reply`]s out, with serenity for the gateway and HTTP and
//! poise for the slash commands; and the reload service that keeps the library in service.
//!
//! This crate is the only one that knows Discord, and it knows nothing else about the process:
//! what runs beside the bot (the ops listener, the watcher, signals, reading the configuration)
//! is wired in the `lectern` binary's `serve`. It compiles without clap, axum, notify,
//! tracing-subscriber or config, so a host bot that adds lectern builds none of them. Map:
//! - [`plugin`]: [`Plugin`], the one state: the content in service with its status and metrics
//!   ([`ops::Ops`]), the [`operators::Operators`] policy, flood control, the quote bags, the
//!   names and options the host chose; and the one check before every command and menu choice
//!   (flood control);
//! - [`host`]: [`Plugin::new`], the one constructor (and `from_folder`, `from_config`,
//!   `from_library` around it), and what a host (poise or plain serenity) calls: its commands,
//!   and the interactions that are its own; the standalone bot is its first host;
//! - [`gateway`]: [`run_bot`] connects with a configuration, a [`Token`] and a [`Plugin`]
//!   until `shutdown` resolves; sharding ([`Shards`]), registration, gateway state and latency;
//! - [`interactions`]: HTTP mode, the interactions Discord POSTs signed: the signature check
//!   and the dispatch to [`Plugin::handle`] (the listener is the binary's);
//! - [`commands`]: the core's commands carried to and from Discord, and the one error handler;
//!   [`components`]: button presses and select menus;
//! - [`respond`]: the [`Responder`] every answer goes through (span, metrics, outcome, the
//!   deadline and 429s); [`rest`]: lectern's one HTTP path for what it sends itself, with
//!   Discord's rate limits (buckets from the headers, the global limit, `retry_after`);
//!   [`retry`]: the deadlines and the reading of Discord's errors;
//! - [`convert`]: `Reply` → serenity builders; [`custom_id`]: what a button carries;
//!   [`i18n`]: the commands' Chinese names on poise's commands;
//!   [`token`]: the bot token, never shown;
//! - [`reload`]: [`reload::Content`], the library in service behind an `ArcSwap`, reloads that
//!   build aside and swap atomically or keep the old library; [`ops`]: the process's state
//!   (the content, shards, readiness, metrics) that the binary serves over HTTP;
//! - [`state`]: the state database (`lectern-state`) as commands read it: each server's
//!   settings (the talks it sees, its language), `/settings`, usage and gaps; [`daily`]: the
//!   quote of the day and new-talk announcements, posted on the state's clock.
//!
//! Invariants:
//! - the token lives in a [`Token`] and is never logged, nor put in an error;
//! - each interaction answers from one snapshot of the library (`Arc<Library>`); a reload
//!   builds a new library aside and swaps it in whole;
//! - every interaction is answered through a [`Responder`] (autocompletes too, except in a
//!   poise host, where poise sends the choices; they are tracked by a [`respond::Track`]) and
//!   counted once in the metrics with the outcome its handler states;
//! - nothing here imports the CLI or sets process-wide state.

// A `pub` item no other crate can reach says more than it means: `pub(crate)` says what it is.
#![warn(unreachable_pub)]
#![warn(missing_docs)]

pub mod card;
pub mod commands;
pub mod components;
pub mod convert;
pub mod custom_id;
pub mod daily;
pub mod gateway;
pub mod host;
pub mod i18n;
pub mod interactions;
pub mod operators;
pub mod ops;
pub mod plugin;
pub mod registration;
pub mod reload;
pub mod respond;
pub mod rest;
pub mod retry;
mod slot;
pub mod state;
pub mod token;

pub use gateway::{Shards, run_bot};
pub use plugin::{
    CooldownPolicy, HostCheck, OperatorPolicy, Plugin, PluginError, PluginOptions, Slash,
};
pub use respond::{Outcome, Responder};
pub use token::{Token, TokenError};
