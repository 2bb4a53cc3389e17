//! The command line's arguments (clap): `lectern [--config DIR] [--log-format F] <command>`.
//!
//! Each `///` comment here is the help text `lectern --help` shows.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::LogFormat;

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
    #[arg(long, global = true, value_parser = log_format())]
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
    /// Usage per talk and section: opened, quoted, found (from the state database).
    Stats {
        /// Print JSON (README, "--json").
        #[arg(long)]
        json: bool,
    },
    /// Searches that found nothing, most asked first (kept state.gaps_retention_days).
    Gaps {
        /// Print JSON (README, "--json").
        #[arg(long)]
        json: bool,
    },
    /// Copy the state database to FILE while lectern runs (never overwrites).
    Backup {
        /// Where the copy goes.
        file: PathBuf,
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
    /// Language of the interface: en, zh (Simplified), zh-TW or zh-HK (Traditional script, the
    /// content converted too).
    #[arg(long, global = true, default_value = "en")]
    pub lang: String,
}

#[derive(Debug, Subcommand)]
pub enum Question {
    /// The talks (or one talk's sections, or the talks with a tag).
    Topics {
        /// Only this talk's sections: its id, or (fuzzy) title, speaker or date.
        #[arg(long)]
        talk: Option<String>,
        /// Only the talks with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// Page of the list, from 1.
        #[arg(long, default_value_t = 1)]
        page: usize,
    },
    /// One section, by number or (fuzzy) title.
    Topic {
        /// A number (`13`) or title words (`生物安全`).
        #[arg(required = true, num_args = 1..)]
        section: Vec<String>,
        /// The talk: its id, or (fuzzy) title, speaker or date.
        #[arg(long)]
        talk: Option<String>,
        /// Page of a long section, from 1.
        #[arg(long, default_value_t = 1)]
        page: usize,
    },
    /// A random quote, optionally from one talk, section or speaker.
    Quote {
        /// Limit to this section (number or title).
        #[arg(num_args = 0..)]
        topic: Vec<String>,
        /// Limit to this talk: its id, or (fuzzy) title, speaker or date.
        #[arg(long)]
        talk: Option<String>,
        /// Only this speaker's words.
        #[arg(long)]
        speaker: Option<String>,
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

/// `--log-format`: the names the configuration uses, listed in `--help`.
fn log_format() -> impl clap::builder::TypedValueParser<Value = LogFormat> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(LogFormat::ALL.map(|(name, _)| name))
        .map(|name| name.parse::<LogFormat>().expect("a listed name parses"))
}
