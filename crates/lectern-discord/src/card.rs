//! Quote cards on Discord: a reply that carries a [`Card`](lectern_core::reply::Card) is sent
//! with the card drawn (by `lectern_card`, off the async threads) and uploaded as
//! [`CARD_FILE`], which the embed's image names (`attachment://card.png`); the "Card" button
//! and `/quote card:True` are answered this way, through [`Responder`](super::respond::Responder).
//!
//! Invariant: an embed never names an attachment that is not uploaded with it: without a
//! renderer, or if drawing fails, the reply goes without its image (and says nothing of it).

use std::borrow::Cow;

use poise::serenity_prelude as serenity;

use lectern_card::Renderer;
use lectern_core::reply::{CARD_FILE, Reply};

use super::custom_id::{Ids, Target};

/// `reply` as it is sent, and the files to upload with it: its card drawn by `cards`, if it
/// has one.
pub(crate) async fn attach<'r>(
    cards: Option<&Renderer>,
    reply: &'r Reply,
) -> (Cow<'r, Reply>, Vec<serenity::CreateAttachment>) {
    let Some(card) = &reply.card else {
        return (Cow::Borrowed(reply), Vec::new());
    };
    let drawn = match cards {
        Some(renderer) => {
            let (renderer, card) = (renderer.clone(), card.clone());
            match tokio::task::spawn_blocking(move || renderer.render(&card)).await {
                Ok(Ok(png)) => Some(png),
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "could not draw a quote card");
                    None
                }
                Err(e) => {
                    tracing::error!(error = %e, "drawing a quote card panicked");
                    None
                }
            }
        }
        None => None,
    };
    match drawn {
        Some(png) => (
            Cow::Borrowed(reply),
            vec![serenity::CreateAttachment::bytes(png, CARD_FILE)],
        ),
        None => {
            let mut bare = reply.clone();
            bare.image = None;
            bare.card = None;
            (Cow::Owned(bare), Vec::new())
        }
    }
}

/// The JSON of `response`, its new attachments' ids written as snowflakes (strings), as
/// Discord's API describes them: serenity writes the placeholder ids as numbers.
pub(crate) fn payload(response: &impl serde::Serialize) -> serde_json::Result<Vec<u8>> {
    let mut v = serde_json::to_value(response)?;
    let attachments = v
        .pointer_mut("/data/attachments")
        .and_then(serde_json::Value::as_array_mut);
    for a in attachments.into_iter().flatten() {
        if let Some(n) = a["id"].as_u64() {
            a["id"] = n.to_string().into();
        }
    }
    serde_json::to_vec(&v)
}

/// The card `message` offers: the action of its "Card" button (`k.<talk>.<quote>`, naming
/// the quote by its stable key), when it is one of lectern's quote messages under `ids`
/// (whoever asked for the quote); `None` for any other message. The "Quote card" menu reads it
/// ([`lectern_core::commands::menus::TARGET_CARD`]) and answers with that quote's card.
pub fn offered<'m>(ids: &Ids, message: &'m serenity::Message) -> Option<&'m str> {
    message
        .components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|c| {
            let serenity::ActionRowComponent::Button(b) = c else {
                return None;
            };
            let serenity::ButtonKind::NonLink { custom_id, .. } = &b.data else {
                return None;
            };
            let press = ids.decode(custom_id)?;
            let (_, action) = custom_id.rsplit_once(':')?;
            matches!(press.target?, Target::Card { .. }).then_some(action)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Plugin;
    use lectern_core::i18n::Lang;
    use lectern_core::library::{Library, LoadOptions, QuoteScope};
    use serde_json::json;

    /// A message Discord would hand the menu, with the components lectern sent.
    fn message(reply: &Reply, plugin: &Plugin) -> serenity::Message {
        let sent = serde_json::to_value(super::super::convert::message(
            reply,
            serenity::UserId::new(7),
            plugin.ids(),
            None,
        ))
        .unwrap();
        serde_json::from_value(json!({
            "id": "1300000000000000001", "channel_id": "1400000000000000001",
            "author": {"id": "1", "username": "lectern", "discriminator": "0", "avatar": null, "bot": true},
            "content": "", "timestamp": "2026-01-27T00:00:00.000000+00:00", "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
            "attachments": [], "embeds": sent["embeds"], "components": sent["components"],
            "pinned": false, "type": 0
        }))
        .unwrap()
    }

    #[test]
    fn the_menu_on_a_quote_message_answers_with_that_quotes_card() {
        use lectern_core::commands::menus::QuoteCard;
        use lectern_core::commands::{Context, Outcome};
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        let lib = Library::load(&seeds, &LoadOptions::default()).library;
        let plugin = Plugin::from_library(lib, crate::plugin::PluginOptions::default()).unwrap();
        let lib = plugin.library();
        let about = lectern_core::reply::AboutInfo::of_this_build();
        let cx = Context::with_random(&lib, Lang::En, &about);
        let q = lib.quote_refs().nth(3).unwrap();
        let quote = lectern_core::reply::quote(&lib, q, QuoteScope::All, Lang::En);
        let offered = offered(plugin.ids(), &message(&quote, &plugin)).map(str::to_string);
        assert!(offered.as_deref().is_some_and(|a| a.starts_with("k.")));
        let card = QuoteCard { card: offered }.answer(&cx);
        assert_eq!(card.outcome, Outcome::Ok);
        let want = lectern_core::reply::Card::of(&lib, q).unwrap();
        assert_eq!(card.reply.card, Some(want));
        assert_eq!(card.reply.image.as_deref(), Some("attachment://card.png"));
        // Another plugin's quote (another prefix) is not this one's to read.
        let other = Ids::new("other").unwrap();
        assert_eq!(offered_by(&other, &quote, &plugin), None);
        // A message that is not a quote (a section) offers no card: a note.
        let section = lectern_core::reply::section(
            &lib,
            lectern_core::library::SectionRef {
                talk: 0,
                section: 1,
            },
            0,
            Lang::En,
        );
        assert_eq!(offered_by(plugin.ids(), &section, &plugin), None);
        let none = QuoteCard { card: None }.answer(&cx);
        assert_eq!(none.outcome, Outcome::Notice);
        assert!(none.reply.ephemeral && none.reply.card.is_none());
    }

    fn offered_by(ids: &Ids, reply: &Reply, plugin: &Plugin) -> Option<String> {
        offered(ids, &message(reply, plugin)).map(str::to_string)
    }
}
