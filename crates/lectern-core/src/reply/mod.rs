//! Replies: what each command answers, independent of how it is sent.
//!
//! A [`Reply`] is an embed-shaped value (title, description, fields, footer, image, link) with
//! buttons or a select menu whose [`Action`]s say what pressing them does. The builders only
//! render (the commands, [`crate::commands`], read and resolve what the user asked), one room per
//! command: `topics.rs` (the lists), `section.rs`, `quote.rs`, `hits.rs` (`/search`), `about.rs`,
//! `reload.rs`; [`codec`] writes an action into an id, [`script`] converts a reply to the reader's
//! script. The Discord layer turns a reply into serenity builders and the CLI prints it as text. Invariants: every reply these functions build is within Discord's
//! limits, counted in characters ([`Reply::limit_violations`] is empty); user text echoed back
//! is escaped, so it cannot format or ping.

mod about;
mod card;
pub mod codec;
mod fit;
mod hits;
mod moment;
mod quote;
mod reload;
pub mod script;
mod section;
mod topics;
pub mod web;

pub use about::{AboutInfo, about};
pub use card::{CARD_FILE, Card, card_reply, find_quote, with_card};
pub use hits::{search, search_within};
pub use moment::{Moment, watch};
pub use quote::quote;
pub use reload::reload_report;
pub use section::{pages, pages_of, section, section_within};
pub use topics::{SECTIONS_PER_PAGE, TALKS_PER_PAGE, contents, talks, topics};

use crate::budget::{Budget, DISCORD};
use serde::Serialize;

use crate::library::{Library, SectionRef};
use crate::model::Talk;
use crate::text::{char_len, escape_markdown, is_web_url, truncate_chars, web_url};

/// What a button or a menu option does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Show a page of a section.
    Section {
        /// The talk's id.
        talk: String,
        /// The section's position in the talk (0 is the first, the opening when it has one).
        section: usize,
        /// The page of the section, from 0.
        page: usize,
    },
    /// Draw another quote, from the whole pool, one talk (`section` is `None`) or one section.
    Quote {
        /// The talk's id; `None` for the whole pool.
        talk: Option<String>,
        /// The section's position in `talk`; `None` for the whole talk.
        section: Option<usize>,
    },
    /// Draw another quote of one speaker, from all the talks or one.
    QuoteBy {
        /// The speaker's name, as the library has it.
        speaker: String,
        /// The talk's id; `None` for all the talks.
        talk: Option<String>,
    },
    /// Show a page of the list of talks, all of them or those with one tag.
    Talks {
        /// The page of the list, from 0.
        page: usize,
        /// The tag's name, as the library has it; `None` for every talk.
        tag: Option<String>,
    },
    /// Show a page of one talk's sections.
    Contents {
        /// The talk's id.
        talk: String,
        /// The page of the list of sections, from 0.
        page: usize,
    },
    /// Post the private answer this button is on to the channel, as it is (copied from the
    /// message, not drawn or searched again), saying who shared it.
    Share,
    /// Delete the public answer this button is on (its asker or sharer, or a member who may
    /// manage messages there).
    Delete,
    /// Post one quote as a card (an image of it).
    Card {
        /// The talk's id.
        talk: String,
        /// The quote, by its stable key.
        quote: crate::key::QuoteKey,
    },
}

/// A button under a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Button {
    /// What the button says (`◀ Previous`).
    pub label: String,
    /// What pressing it does.
    pub action: Action,
    /// Shown greyed out, and cannot be pressed: there is nothing that way (the first page,
    /// the last section).
    pub disabled: bool,
}

/// One choice of a select menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelectOption {
    /// What the choice says (a section's or a talk's label).
    pub label: String,
    /// A second, smaller line under the label, if any.
    pub description: Option<String>,
    /// What picking it does.
    pub action: Action,
}

/// A row of the reply's interactive parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Component {
    /// A row of buttons (paging, neighbouring sections, another quote).
    Buttons {
        /// The buttons, left to right; more than [`crate::budget::Budget::buttons_per_row`] take more rows.
        buttons: Vec<Button>,
    },
    /// A select menu, which takes a row of its own.
    Select {
        /// What the menu shows before anything is picked (`Open a section…`).
        placeholder: String,
        /// The choices, in the order shown.
        options: Vec<SelectOption>,
    },
}

/// A named block of a reply, under its description (`/about`'s counts, a talk's key points).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The field's heading.
    pub name: String,
    /// The field's text.
    pub value: String,
    /// Whether it may sit beside its neighbours rather than on a line of its own.
    pub inline: bool,
}

/// A reply to a command, ready to send anywhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reply {
    /// The heading, if any.
    pub title: Option<String>,
    /// Link of the title (the talk's source).
    pub url: Option<String>,
    /// The main text (a section's page, a list, a quote, a note).
    pub description: String,
    /// Named blocks under the description.
    pub fields: Vec<Field>,
    /// The small line at the bottom (a section's `talk · §13/23 · date`, a list's page).
    pub footer: Option<String>,
    /// URL of the image (a section's infographic).
    pub image: Option<String>,
    /// Where the excerpt stands in the talk's recording (`▶ 12:34`), shown above the text.
    pub moment: Option<Moment>,
    /// The rows of buttons and menus, top to bottom.
    pub components: Vec<Component>,
    /// Shown only to the person who asked.
    pub ephemeral: bool,
    /// The one user the answer is for (`for:`): the message begins with their mention and
    /// pings them alone. Set only by [`crate::commands::delivery::Delivery::apply`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mention: Option<u64>,
    /// A line above the answer (the message's text, outside the embed): why a private answer
    /// pinged nobody.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the answer lives on the web pages ([`web`]): a path such as `/talks/{id}/3`,
    /// which a front end with a public address links to ("Open on the web").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_path: Option<String>,
    /// A quote card to render and attach as [`CARD_FILE`], which [`Reply::image`] then shows
    /// (`attachment://card.png`); the front end renders it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
}

impl Reply {
    /// A short message shown only to the person who asked.
    pub fn notice(text: &str) -> Reply {
        Reply {
            description: truncate_chars(text, DISCORD.description),
            ephemeral: true,
            ..Reply::default()
        }
    }

    /// Every way this reply breaks one of Discord's limits; empty when it is fine.
    pub fn limit_violations(&self) -> Vec<String> {
        self.over_budget(&DISCORD)
    }

    /// Every way this reply breaks one of the limits of `budget`; empty when it is fine.
    pub fn over_budget(&self, budget: &Budget) -> Vec<String> {
        let lim = budget;
        let mut v = Vec::new();
        fn check(v: &mut Vec<String>, what: &str, s: &str, max: usize) {
            let n = char_len(s);
            if n > max {
                v.push(format!("{what}: {n} characters, limit {max}"));
            }
        }
        let title = self.title.as_deref().unwrap_or("");
        check(&mut v, "title", title, lim.title);
        check(&mut v, "description", &self.description, lim.description);
        let footer = self.footer.as_deref().unwrap_or("");
        check(&mut v, "footer", footer, lim.footer);
        // The mention (`<@` 20 digits `>`) and a space come before the note.
        let note = self.note.as_deref().unwrap_or("");
        check(&mut v, "note", note, lim.content - 24);
        for f in &self.fields {
            check(&mut v, "field name", &f.name, lim.field_name);
            check(&mut v, "field value", &f.value, lim.field_value);
            if f.name.trim().is_empty() || f.value.trim().is_empty() {
                v.push("empty field name or value".into());
            }
        }
        let mut rows = 0;
        for c in &self.components {
            match c {
                Component::Buttons { buttons } => {
                    rows += buttons.len().div_ceil(lim.buttons_per_row);
                    for b in buttons {
                        check(&mut v, "button label", &b.label, lim.button_label);
                    }
                }
                Component::Select {
                    placeholder,
                    options,
                } => {
                    rows += 1;
                    check(
                        &mut v,
                        "select placeholder",
                        placeholder,
                        lim.select_placeholder,
                    );
                    if options.is_empty() || options.len() > lim.select_options {
                        v.push(format!("select with {} options", options.len()));
                    }
                    for o in options {
                        check(&mut v, "option label", &o.label, lim.select_label);
                        let d = o.description.as_deref().unwrap_or("");
                        check(&mut v, "option description", d, lim.select_description);
                    }
                }
            }
        }
        if rows > lim.rows {
            v.push(format!("{rows} component rows, limit {}", lim.rows));
        }
        if self.fields.len() > lim.fields {
            v.push(format!(
                "{} fields, limit {}",
                self.fields.len(),
                lim.fields
            ));
        }
        let total = char_len(title)
            + self.moment.as_ref().map_or(0, |m| char_len(&m.label))
            + char_len(&self.description)
            + char_len(footer)
            + self
                .fields
                .iter()
                .map(|f| char_len(&f.name) + char_len(&f.value))
                .sum::<usize>();
        if total > lim.embed_total {
            v.push(format!("embed total {total}, limit {}", lim.embed_total));
        }
        // Discord rejects the whole message for one malformed URL (50035).
        if let Some(m) = &self.moment {
            // The embed's author name: a title's limit.
            check(&mut v, "moment", &m.label, lim.title);
        }
        let moment = self.moment.as_ref().and_then(|m| m.url.as_ref());
        for (what, u) in [
            ("url", &self.url),
            ("image", &self.image),
            ("moment", &moment.cloned()),
        ] {
            // The one other URL Discord takes for an image: the file uploaded with the
            // message, which is the card and only when the reply carries one.
            let uploaded = what == "image"
                && self.card.is_some()
                && u.as_deref() == Some(&*format!("attachment://{CARD_FILE}"));
            if let Some(u) = u
                && !uploaded
                && !is_web_url(u, lim.embed_url)
            {
                v.push(format!(
                    "{what}: not an absolute http(s) URL of at most {} characters: {u:?}",
                    lim.embed_url
                ));
            }
        }
        if self.description.trim().is_empty() && self.fields.is_empty() && title.is_empty() {
            v.push("empty reply".into());
        }
        v
    }
}

/// The talk's source as an embed link, when it is a URL Discord accepts (normalised).
fn source_url(talk: &Talk) -> Option<String> {
    web_url(talk.meta.source.as_deref()?, DISCORD.embed_url)
}

/// The talk's source as text, when it is not a URL (`某播客第 42 期`): shown in the footer.
fn source_text(talk: &Talk) -> Option<String> {
    talk.meta
        .source
        .as_deref()
        .filter(|s| !is_web_url(s, DISCORD.embed_url))
        .map(|s| escape_markdown(&truncate_chars(s, 200)))
}

fn section_action(lib: &Library, r: SectionRef, page: usize) -> Action {
    Action::Section {
        talk: lib.talks()[r.talk].id.clone(),
        section: r.section,
        page,
    }
}

/// Renders a reply as terminal text: what the bot would show, minus colours and images.
pub fn to_text(reply: &Reply) -> String {
    let mut out = String::new();
    if let Some(t) = &reply.title {
        out.push_str(&format!("# {t}\n"));
    }
    if let Some(u) = &reply.url {
        out.push_str(&format!("<{u}>\n"));
    }
    if let Some(m) = &reply.moment {
        match &m.url {
            Some(u) => out.push_str(&format!("{} <{u}>\n", m.label)),
            None => out.push_str(&format!("{}\n", m.label)),
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    if !reply.description.is_empty() {
        out.push_str(&reply.description);
        out.push_str("\n\n");
    }
    for f in &reply.fields {
        out.push_str(&format!("## {}\n{}\n\n", f.name, f.value));
    }
    if let Some(n) = &reply.note {
        out.push_str(&format!("({n})\n"));
    }
    if let Some(i) = &reply.image {
        out.push_str(&format!("[image] {i}\n"));
    }
    if let Some(f) = &reply.footer {
        out.push_str(&format!("-- {f}\n"));
    }
    for c in &reply.components {
        match c {
            Component::Buttons { buttons } => {
                let labels: Vec<String> = buttons
                    .iter()
                    .filter(|b| !b.disabled)
                    .map(|b| format!("[{}]", b.label))
                    .collect();
                if !labels.is_empty() {
                    out.push_str(&labels.join(" "));
                    out.push('\n');
                }
            }
            Component::Select {
                placeholder,
                options,
            } => {
                out.push_str(&format!("[{placeholder}] {} options\n", options.len()));
            }
        }
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_at_paragraphs_and_respect_the_page_size() {
        let para = "段".repeat(700);
        let body = vec![para.clone(); 5].join("\n\n");
        let p = pages(&body);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|p| char_len(p) <= DISCORD.page_chars));
        assert_eq!(p[0], format!("{para}\n\n{para}"));
    }

    #[test]
    fn a_paragraph_longer_than_a_page_is_cut() {
        let body = "字".repeat(DISCORD.page_chars * 2 + 10);
        let p = pages(&body);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|p| char_len(p) <= DISCORD.page_chars));
        assert_eq!(p.concat(), body);
    }
}
