//! A core [`Reply`] → serenity's builders for an interaction response.
//!
//! This is the only place that turns replies into Discord messages, for commands and for
//! button presses alike. Invariants:
//! - every message sets `allowed_mentions` to ping no one (`parse: []`, no users, no roles);
//! - every button and select menu gets a `custom_id` from [`custom_id`], unique within the
//!   message, naming the invoker; select option values are unique within their menu;
//! - buttons are laid out five to a row; the reply builders already keep within Discord's
//!   limits ([`Reply::limit_violations`]), so nothing is cut here.

use lectern_core::budget::DISCORD;
use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInteractionResponseMessage, CreateSelectMenu, CreateSelectMenuKind,
    CreateSelectMenuOption, UserId,
};

use super::custom_id;
use lectern_core::reply::{Component, Reply};

/// The colour of lectern's embeds.
const COLOUR: u32 = 0x5865F2;

/// Mentions that ping no one: `{"parse": [], "users": [], "roles": []}`.
pub fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// The embed of a reply.
pub fn embed(reply: &Reply) -> CreateEmbed {
    let mut e = CreateEmbed::new().colour(COLOUR);
    if let Some(title) = &reply.title {
        e = e.title(title);
    }
    if let Some(url) = &reply.url {
        // A link needs a title to hang on; notices have none.
        if reply.title.is_some() {
            e = e.url(url);
        }
    }
    if !reply.description.is_empty() {
        e = e.description(&reply.description);
    }
    for f in &reply.fields {
        e = e.field(&f.name, &f.value, f.inline);
    }
    if let Some(footer) = &reply.footer {
        e = e.footer(CreateEmbedFooter::new(footer));
    }
    if let Some(image) = &reply.image {
        e = e.image(image);
    }
    e
}

/// The component rows of a reply, with ids (under `ids`) naming `invoker`.
pub fn rows(reply: &Reply, invoker: UserId, ids: &custom_id::Ids) -> Vec<CreateActionRow> {
    let invoker = invoker.get();
    let mut rows = Vec::new();
    let mut slot = 0;
    for component in &reply.components {
        match component {
            Component::Buttons { buttons } => {
                for chunk in buttons.chunks(DISCORD.buttons_per_row) {
                    let row = chunk
                        .iter()
                        .map(|b| {
                            slot += 1;
                            CreateButton::new(ids.button(slot - 1, invoker, &b.action))
                                .label(&b.label)
                                .style(ButtonStyle::Secondary)
                                .disabled(b.disabled)
                        })
                        .collect();
                    rows.push(CreateActionRow::Buttons(row));
                }
            }
            Component::Select {
                placeholder,
                options,
            } => {
                let mut seen = std::collections::HashSet::new();
                let options: Vec<CreateSelectMenuOption> = options
                    .iter()
                    .filter_map(|o| {
                        let value = custom_id::encode_action(&o.action);
                        seen.insert(value.clone()).then(|| {
                            let opt = CreateSelectMenuOption::new(&o.label, value);
                            match &o.description {
                                Some(d) => opt.description(d),
                                None => opt,
                            }
                        })
                    })
                    .collect();
                let menu = CreateSelectMenu::new(
                    ids.select(slot, invoker),
                    CreateSelectMenuKind::String { options },
                )
                .placeholder(placeholder);
                slot += 1;
                rows.push(CreateActionRow::SelectMenu(menu));
            }
        }
    }
    rows
}

/// The components of a message lectern sent, to send again as they are: answering a menu pick
/// with UPDATE_MESSAGE and these resets the menu (Discord rebuilds it with nothing picked, so
/// the same option can be picked again). Buttons and string menus are kept; anything else
/// (lectern sends nothing else) is left out.
pub fn rows_of(message: &serenity::Message) -> Vec<CreateActionRow> {
    use serenity::{ActionRowComponent, ComponentType};
    let mut rows = Vec::new();
    for row in &message.components {
        let mut buttons = Vec::new();
        for c in &row.components {
            match c {
                ActionRowComponent::Button(b) => buttons.push(CreateButton::from(b.clone())),
                ActionRowComponent::SelectMenu(m) if m.kind == ComponentType::StringSelect => {
                    let options = m
                        .options
                        .iter()
                        .map(|o| {
                            let opt = CreateSelectMenuOption::new(&o.label, &o.value);
                            let opt = match &o.description {
                                Some(d) => opt.description(d),
                                None => opt,
                            };
                            match &o.emoji {
                                Some(e) => opt.emoji(e.clone()),
                                None => opt,
                            }
                        })
                        .collect();
                    let custom_id = m.custom_id.clone().unwrap_or_default();
                    let mut menu =
                        CreateSelectMenu::new(custom_id, CreateSelectMenuKind::String { options })
                            .disabled(m.disabled);
                    if let Some(p) = &m.placeholder {
                        menu = menu.placeholder(p);
                    }
                    if let Some(n) = m.min_values {
                        menu = menu.min_values(n);
                    }
                    if let Some(n) = m.max_values {
                        menu = menu.max_values(n);
                    }
                    rows.push(CreateActionRow::SelectMenu(menu));
                }
                _ => {}
            }
        }
        if !buttons.is_empty() {
            rows.push(CreateActionRow::Buttons(buttons));
        }
    }
    rows
}

/// The whole message of a reply: one embed, its components (ids under `ids`), no pings,
/// ephemeral if asked.
pub fn message(
    reply: &Reply,
    invoker: UserId,
    ids: &custom_id::Ids,
) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .embeds(vec![embed(reply)])
        .components(rows(reply, invoker, ids))
        .allowed_mentions(no_pings())
        .ephemeral(reply.ephemeral)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lectern_core::reply::{Action, Button};
    use serde_json::json;

    #[test]
    fn messages_ping_no_one_and_ids_are_unique() {
        let same = Action::Section {
            talk: "t".into(),
            section: 0,
            page: 0,
        };
        let buttons: Vec<Button> = (0..7)
            .map(|i| Button {
                label: format!("b{i}"),
                action: same.clone(),
                disabled: i % 2 == 0,
            })
            .collect();
        let reply = Reply {
            title: Some("t".into()),
            description: "d".into(),
            components: vec![Component::Buttons { buttons }],
            ..Reply::default()
        };
        let v = serde_json::to_value(message(&reply, UserId::new(9), &custom_id::Ids::LECTERN))
            .unwrap();
        assert_eq!(v["allowed_mentions"]["parse"], json!([]));
        let rows = v["components"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "seven buttons take two rows");
        let ids: std::collections::HashSet<&str> = rows
            .iter()
            .flat_map(|r| r["components"].as_array().unwrap())
            .map(|c| c["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 7);
    }
}
