//! The Discord adapter: interactions in, calls of the core ([`lectern_core::reply`],
//! [`lectern_core::search`]) and [`lectern_core::reply::Reply`]s out, with serenity for the gateway and HTTP
//! and poise for the slash commands.
//!
//! This module is the only part of the crate that knows Discord, and it knows nothing else
//! about the process: what runs beside the bot (the content load, the ops listener, the
//! watcher, signals) is wired in the `lectern` binary's `serve`. Map:
//! - [`gateway`]: [`run_bot`] connects with a configuration, a [`Token`] and a [`Bot`] until
//!   `shutdown` resolves; sharding ([`Shards`]), registration, gateway state and latency;
//! - [`bot`]: [`Bot`], the state every handler shares (the content, status and metrics through
//!   [`ops::Ops`], the [`operators::Operators`] policy and the flood control, quote
//!   drawing);
//! - [`plugin`]: [`Plugin`], the state a host holds of lectern, and the one check before every
//!   command and menu choice (flood control); [`host`]: how a host (poise or plain serenity)
//!   builds a plugin and mounts it: its commands, and the interactions that are its own; the
//!   standalone bot is its first host;
//! - [`commands`]: one small function per slash command, and the one error handler;
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
//!   (shards, readiness, metrics) that the binary serves over HTTP.
//!
//! Invariants:
//! - the token lives in a [`Token`] and is never logged, nor put in an error;
//! - each interaction answers from one snapshot of the library (`Arc<Library>`); a reload
//!   builds a new library aside and swaps it in whole;
//! - every interaction is answered through a [`Responder`] (autocompletes too, except in a
//!   poise host, where poise sends the choices; they are tracked by a [`respond::Track`]) and
//!   counted once in the metrics with the outcome its handler states;
//! - nothing here imports the CLI or sets process-wide state.

pub mod bot;
pub mod commands;
pub mod components;
pub mod convert;
pub mod custom_id;
pub mod gateway;
pub mod host;
pub mod i18n;
pub mod operators;
pub mod ops;
pub mod plugin;
pub mod registration;
pub mod reload;
pub mod respond;
pub mod rest;
pub mod retry;
pub mod token;

pub use bot::Bot;
pub use gateway::{Shards, run_bot};
pub use plugin::{
    CooldownPolicy, HostCheck, OperatorPolicy, Plugin, PluginError, PluginOptions, Slash,
};
pub use respond::{Outcome, Responder};
pub use token::{Token, TokenError};
