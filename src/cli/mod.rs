//! The command line: `lectern ask …`, `check`, `reload` and `healthcheck`; `lectern serve` is
//! in [`crate::discord`].
//!
//! - [`args`]: the arguments (clap); their doc comments are `--help`.
//! - [`answer`](mod@answer): `ask` and `check`, answered from the content with the bot's reply functions.
//! - [`json`]: the `--json` views, one `Serialize` struct per shape of the README's contract.
//! - [`client`]: `reload` and `healthcheck`, a small HTTP client of the ops listener.
//! - [`logging`]: `tracing` on stderr, for every command.
//! - [`state`](mod@state): `stats`, `gaps` and `backup`, over the state database.
//!
//! Content is loaded by the core ([`Library::load_logged`](crate::library::Library::load_logged)), as the bot loads it.

pub mod answer;
pub mod args;
pub mod client;
pub mod json;
pub mod logging;
pub mod state;

pub use answer::{answer, ask, check};
pub use args::{AskArgs, Cli, Command, Question};
pub use client::{healthcheck, listener_url, reload};
pub use logging::init_logging;
