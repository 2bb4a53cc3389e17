//! Quote cards against the fake Discord: `/quote card:True` and the "Card" button answer with
//! the card uploaded as Discord takes files (checked by [`super::uploads`]: the `files[0]` part,
//! the payload's `attachments`, the embed's `attachment://card.png`); so is the "Quote card"
//! message menu on one of lectern's quote messages.

use serde_json::{Value, json};

use super::fake_discord::{Request, message_json};
use super::sharing::menu;
use super::{
    ALICE, BOB, Harness, LI, button, buttons, callback_path, description, embed, is_ephemeral,
};

/// Sends `payload` and returns the accepted callback request, with its files.
async fn callback(h: &Harness, payload: Value) -> Request {
    let path = callback_path(&payload);
    h.dispatch("INTERACTION_CREATE", payload);
    let request = h
        .wait_request(&format!("the callback {path}"), |r| {
            r.path == path && r.status < 300
        })
        .await;
    assert_eq!(h.problems(), Vec::<String>::new());
    request
}

/// The callback carries exactly one card: a PNG of the card's size, uploaded as `files[0]`,
/// listed in `attachments` and shown as the embed's image.
fn assert_card(r: &Request) -> Vec<u8> {
    assert_eq!(r.files.len(), 1, "one file: {:?}", r.files);
    let f = &r.files[0];
    assert_eq!(
        (f.part.as_str(), f.filename.as_str()),
        ("files[0]", "card.png")
    );
    assert_eq!(f.content_type.as_deref(), Some("image/png"));
    let (w, h) = png_size(&f.data);
    assert_eq!((w, h), (lectern_card::WIDTH, lectern_card::HEIGHT));
    assert_eq!(r.body["data"]["attachments"][0]["id"], "0");
    assert_eq!(r.body["data"]["attachments"][0]["filename"], "card.png");
    assert_eq!(embed(&r.body)["image"]["url"], "attachment://card.png");
    f.data.clone()
}

/// A PNG's width and height, from its IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let n = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (n(16), n(20))
}

fn quote_words(callback: &Value) -> String {
    let d = embed(callback)["description"].as_str().unwrap();
    d.lines().next().unwrap().to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn quote_with_card_uploads_the_card_the_embed_shows() {
    let h = Harness::start().await;
    let flag = json!({"name": "card", "type": 5, "value": true});
    let r = callback(&h, h.slash_with(&ALICE, "quote", vec![flag.clone()])).await;
    assert_eq!(r.body["type"], 4);
    let png = assert_card(&r);
    // The same card as the CLI's and the core's: the quote the embed shows, drawn.
    assert!(
        png.len() > 20_000,
        "a card with text on it: {} bytes",
        png.len()
    );
    // The card's message has no "Card" button of its own; a card of a speaker's quotes too.
    assert!(buttons(&r.body).iter().all(|b| b["label"] != "Card"));
    let speaker = json!({"name": "speaker", "type": 3, "value": "Sam Altman"});
    let r = callback(&h, h.slash_with(&LI, "quote", vec![speaker, flag])).await;
    assert_card(&r);
    // Without card:, nothing is uploaded and the embed has no image.
    let plain = callback(&h, h.slash(&ALICE, "quote", &[])).await;
    assert!(plain.files.is_empty());
    assert!(embed(&plain.body)["image"].is_null());
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_card_button_posts_that_quote_as_a_card_even_after_a_restart() {
    let mut h = Harness::start().await;
    let quote = callback(&h, h.slash(&ALICE, "quote", &[])).await.body;
    let card = button(&quote, "Card");
    let id = card["custom_id"].as_str().unwrap().to_string();
    assert!(id.chars().count() <= 100, "{id}");
    // The button names the quote itself, not a pool: after a restart it is the same quote.
    h.restart_bot(|_| {}).await;
    let r = callback(&h, h.press_payload(&ALICE, &quote, &id)).await;
    assert_eq!(
        r.body["type"], 4,
        "a card is a new message, the quote stays"
    );
    assert!(!is_ephemeral(&r.body));
    assert_card(&r);
    assert_eq!(quote_words(&r.body), quote_words(&quote));
    // Someone else's button is theirs; a quote no longer in the library is gone, politely.
    let other = callback(&h, h.press_payload(&BOB, &quote, &id)).await;
    assert!(is_ephemeral(&other.body) && other.files.is_empty());
    let gone = format!("{}{}", &id[..id.len() - 16], "0123456789abcdef");
    let gone = callback(&h, h.press_payload(&ALICE, &quote, &gone)).await;
    assert!(is_ephemeral(&gone.body) && gone.files.is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_quote_card_menu_on_a_quote_message_answers_its_card_privately() {
    let h = Harness::start().await;
    let quote = callback(&h, h.slash(&ALICE, "quote", &[])).await.body;
    // The message as Discord hands it to the menu (in `resolved.messages`), its buttons those
    // lectern sent; anyone may use the menu on it, not only who asked for the quote.
    let message = message_json(&quote["data"]);
    let r = callback(&h, menu(&h, &BOB, "Quote card", &message)).await;
    assert_eq!(r.body["type"], 4);
    assert!(is_ephemeral(&r.body), "menus answer privately: {}", r.body);
    assert_card(&r);
    assert_eq!(quote_words(&r.body), quote_words(&quote));
    let labels: Vec<_> = buttons(&r.body)
        .iter()
        .map(|b| b["label"].clone())
        .collect();
    assert!(labels.contains(&json!("Post to channel")), "{labels:?}");
    // On a message that is not a quote (a section, a user's words): a note, nothing uploaded.
    let section = callback(&h, h.slash(&ALICE, "topic", &[("section", "13")]))
        .await
        .body;
    let mut words = message_json(&json!({"content": "a quote of my own"}));
    words["author"] =
        json!({"id": BOB.id.to_string(), "username": "bob", "discriminator": "0", "avatar": null});
    for other in [message_json(&section["data"]), words] {
        let note = callback(&h, menu(&h, &ALICE, "Quote card", &other)).await;
        assert!(
            is_ephemeral(&note.body) && note.files.is_empty(),
            "{}",
            note.body
        );
        assert!(
            description(&note.body).contains("not one of lectern's quotes"),
            "{}",
            note.body
        );
    }
    h.stop().await;
}

#[test]
fn the_fake_refuses_an_embed_that_shows_a_file_not_uploaded() {
    use super::uploads::{Upload, problems};
    let message = json!({
        "embeds": [{"image": {"url": "attachment://card.png"}}],
        "attachments": [{"id": 0, "filename": "card.png"}]
    });
    let png = Upload {
        part: "files[0]".into(),
        filename: "card.png".into(),
        content_type: Some("image/png".into()),
        data: b"\x89PNG\r\n\x1a\nrest".to_vec(),
    };
    assert_eq!(
        problems(&message, std::slice::from_ref(&png)),
        Vec::<String>::new()
    );
    // Sent as JSON alone (the card not uploaded): the embed shows nothing.
    let bare = json!({"embeds": [{"image": {"url": "attachment://card.png"}}]});
    assert_eq!(problems(&bare, &[]).len(), 1);
    // The file uploaded but not listed, or listed under another name or id.
    assert_eq!(problems(&bare, std::slice::from_ref(&png)).len(), 1);
    let renamed = json!({"embeds": [], "attachments": [{"id": 0, "filename": "other.png"}]});
    assert_eq!(problems(&renamed, std::slice::from_ref(&png)).len(), 1);
    let moved = Upload {
        part: "files[1]".into(),
        ..png.clone()
    };
    assert!(problems(&message, &[moved]).len() >= 2);
}
