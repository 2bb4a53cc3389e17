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
