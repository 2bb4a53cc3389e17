//! "▶ 12:34": the moment of a section or a quote in the talk's recording (issue 24).
//!
//! A reply names its moment apart from its text ([`Moment`]); Discord shows it as the embed's
//! author line, linked to the recording at that time, and the terminal as a line of its own.
//! The link is there only when the talk has a recording a moment can be opened in and the
//! excerpt has a time ([`crate::recording::watch_link`], within the embed's 2,048 characters);
//! a time without one is shown as text.

use serde::Serialize;

use crate::budget::DISCORD;
use crate::model::{Section, Talk};
use crate::recording::{format_clock, watch_link};

/// Where a reply's excerpt stands in the recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moment {
    /// What is shown: `▶ 12:34` with a link, `⏱ 12:34` without.
    pub label: String,
    /// The recording at that moment, when there is a link to it.
    pub url: Option<String>,
}

/// The moment `seconds` of `talk`, if the excerpt has a time.
pub(super) fn moment(talk: &Talk, seconds: Option<u32>) -> Option<Moment> {
    let seconds = seconds?;
    let url = watch(talk, seconds);
    let mark = if url.is_some() { '▶' } else { '⏱' };
    Some(Moment {
        label: format!("{mark} {}", format_clock(seconds)),
        url,
    })
}

/// The link that opens `talk`'s recording at `seconds`, if it has one: what the embed links and
/// what `--json` prints as `watch`.
pub fn watch(talk: &Talk, seconds: u32) -> Option<String> {
    watch_link(talk.meta.recording.as_deref()?, seconds, DISCORD.embed_url)
}

/// A section's line in the list of a talk's sections: its label, then its start when it has
/// one and its title does not already show it (a part's title gives its time range).
pub(super) fn listed(s: &Section) -> String {
    match s.start.map(format_clock) {
        Some(at) if !s.title.contains(&at) => format!("{} · {at}", s.label()),
        _ => s.label(),
    }
}
