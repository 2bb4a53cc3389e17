//! HTTP mode (issue 29): a real `lectern serve` with `discord.mode = "http"`, and a fake
//! Discord that signs each interaction with a key made in the test and POSTs it to the
//! process's interactions endpoint, as Discord does to an application's endpoint URL. The
//! answers come back as REST callbacks to the fake (the endpoint answers 202), except PING,
//! answered in the HTTP response; nothing goes over a gateway.

use std::time::{SystemTime, UNIX_EPOCH};

use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};

use super::fake_discord::{FakeDiscord, PATIENCE, Registration};
use super::process::Served;
use super::{ALICE, BOB, TOKEN, button, callback_path, embed, is_ephemeral};

/// How a request is signed.
#[derive(Clone, Copy)]
pub(super) enum Signing {
    /// As Discord signs: with the application's key, now.
    Right,
    /// With another key.
    OtherKey,
    /// Without the two headers.
    None,
    /// With the right key, six minutes ago.
    Stale,
}

/// One `lectern serve` in HTTP mode, and how to reach its endpoint.
pub(super) struct HttpBot {
    pub(super) served: Served,
    endpoint: String,
    ops: String,
}

/// A free port on 127.0.0.1 (taken, then let go).
fn free_addr() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A signing key made for this test.
pub(super) fn test_key() -> SigningKey {
    SigningKey::from_bytes(&rand::random::<[u8; 32]>())
}

impl HttpBot {
    /// Starts `lectern serve` in HTTP mode against `fake`, checking signatures against `key`'s
    /// public half; waits until `/readyz` says ready (content loaded, endpoint listening).
    async fn start(fake: &FakeDiscord, key: &SigningKey) -> HttpBot {
        HttpBot::start_with(fake, key, []).await
    }

    /// [`HttpBot::start`] with `envs` set too (after the defaults, so they override them).
    pub(super) async fn start_with(
        fake: &FakeDiscord,
        key: &SigningKey,
        envs: impl IntoIterator<Item = (&'static str, String)>,
    ) -> HttpBot {
        let (endpoint, ops) = (free_addr(), free_addr());
        let public = hex::encode(key.verifying_key().as_bytes());
        let mut all = vec![
            ("DISCORD_TOKEN", TOKEN.to_string()),
            ("LECTERN__DISCORD__MODE", "http".to_string()),
            ("LECTERN__DISCORD__INTERACTIONS_BIND", endpoint.clone()),
            ("LECTERN__DISCORD__PUBLIC_KEY", public),
            ("LECTERN__HTTP__BIND", ops.clone()),
            ("LECTERN__COOLDOWN__COMMANDS", "0".to_string()),
        ];
        all.extend(envs);
        let served = Served::spawn(fake, all);
        let bot = HttpBot {
            served,
            endpoint: format!("http://{endpoint}/interactions"),
            ops: format!("http://{ops}"),
        };
        let client = reqwest::Client::new();
        let ready = tokio::time::timeout(PATIENCE, async {
            loop {
                if let Ok(r) = client.get(format!("{}/readyz", bot.ops)).send().await {
                    let status = r.status().as_u16();
                    let body: Value = r.json().await.unwrap();
                    if status == 200 {
                        return body;
                    }
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        })
        .await;
        let body = ready.unwrap_or_else(|_| panic!("never ready: {}", bot.served.stderr()));
        assert_eq!(body["ready"], true, "{body}");
        bot
    }

    /// POSTs `payload` signed as `how`; returns the status and the body.
    pub(super) async fn post(
        &self,
        key: &SigningKey,
        payload: &Value,
        how: Signing,
    ) -> (u16, String) {
        let body = payload.to_string();
        let at = match how {
            Signing::Stale => now_secs() - 6 * 60,
            _ => now_secs(),
        }
        .to_string();
        let signer = match how {
            Signing::OtherKey => test_key(),
            _ => key.clone(),
        };
        let signed = [at.as_bytes(), body.as_bytes()].concat();
        let signature = hex::encode(signer.sign(&signed).to_bytes());
        let mut request = reqwest::Client::new()
            .post(&self.endpoint)
            .header("content-type", "application/json")
            .body(body);
        if !matches!(how, Signing::None) {
            request = request
                .header("X-Signature-Ed25519", signature)
                .header("X-Signature-Timestamp", at);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }
}

/// Sends `payload` signed right and returns the body of its callback: the endpoint answers
/// 202 with no body once the callback is sent.
pub(super) async fn interact(
    fake: &FakeDiscord,
    bot: &HttpBot,
    key: &SigningKey,
    payload: Value,
) -> Value {
    fake.remember_interaction(&payload);
    let path = callback_path(&payload);
    let (status, body) = bot.post(key, &payload, Signing::Right).await;
    assert_eq!(
        (status, body.as_str()),
        (202, ""),
        "{}",
        bot.served.stderr()
    );
    let callback = fake
        .wait_request(&format!("the callback {path}"), |r| {
            r.path == path && r.status < 300
        })
        .await;
    assert_eq!(fake.problems(), Vec::<String>::new());
    callback.body
}

pub(super) fn callbacks_to(fake: &FakeDiscord, payload: &Value) -> usize {
    let path = callback_path(payload);
    fake.requests().iter().filter(|r| r.path == path).count()
}

#[tokio::test(flavor = "current_thread")]
async fn http_mode_answers_signed_interactions_and_refuses_the_rest() {
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let key = test_key();
    let mut bot = HttpBot::start(&fake, &key).await;
    // Registration and the owner lookup ran at start, with no gateway.
    fake.wait_request("command registration", |r| {
        r.method == "PUT" && r.path.ends_with("/commands")
    })
    .await;
    fake.wait_request("the owner lookup", |r| r.path == "/oauth2/applications/@me")
        .await;

    // PING, answered in the response.
    let ping = json!({"id": fake.next_id().to_string(), "application_id": super::APP_ID.to_string(),
        "type": 1, "token": "ping-token", "version": 1});
    let (status, body) = bot.post(&key, &ping, Signing::Right).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"type": 1})
    );

    // A command, answered right through the command layer.
    let topic = interact(
        &fake,
        &bot,
        &key,
        fake.slash(&ALICE, "topic", &[("section", "13")]),
    )
    .await;
    assert_eq!(topic["type"], 4, "{topic}");
    assert_eq!(embed(&topic)["title"], "13 · 生物安全与韧性策略");

    // Its autocomplete.
    let choices = interact(
        &fake,
        &bot,
        &key,
        fake.autocomplete_payload(&ALICE, "quote", "topic", "13"),
    )
    .await;
    assert_eq!(choices["type"], 8);
    assert_eq!(
        choices["data"]["choices"][0]["name"],
        "13 · 生物安全与韧性策略"
    );

    // A press of its button: the message updated in place; someone else turned away.
    let next = button(&topic, "Next ▶")["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    let pressed = interact(&fake, &bot, &key, fake.press_payload(&ALICE, &topic, &next)).await;
    assert_eq!(pressed["type"], 7, "{pressed}");
    assert!(
        embed(&pressed)["title"]
            .as_str()
            .unwrap()
            .starts_with("14 · ")
    );
    let other = interact(&fake, &bot, &key, fake.press_payload(&BOB, &topic, &next)).await;
    assert!(is_ephemeral(&other), "{other}");

    // The "Quote card" menu on a quote, through the same command layer: its card, uploaded.
    let quote = interact(&fake, &bot, &key, fake.slash(&ALICE, "quote", &[])).await;
    let message = super::fake_discord::message_json(&quote["data"]);
    let menu = super::sharing::menu(&fake, &BOB, "Quote card", &message);
    let path = callback_path(&menu);
    let card = interact(&fake, &bot, &key, menu).await;
    assert!(is_ephemeral(&card), "{card}");
    assert_eq!(embed(&card)["image"]["url"], "attachment://card.png");
    let upload = fake
        .wait_request("the card's upload", |r| r.path == path && r.status < 300)
        .await;
    assert_eq!(upload.files.len(), 1, "the card uploaded with it");

    // Refused, before anything is done: no signature, another key's, a stale one.
    let mut refused = Vec::new();
    for how in [Signing::None, Signing::OtherKey, Signing::Stale] {
        let payload = fake.slash(&ALICE, "about", &[]);
        fake.remember_interaction(&payload);
        let (status, body) = bot.post(&key, &payload, how).await;
        assert_eq!((status, body.as_str()), (401, ""));
        refused.push(payload);
    }
    // A signed one after them is answered; by then nothing came for the refused ones.
    let about = interact(&fake, &bot, &key, fake.slash(&ALICE, "about", &[])).await;
    assert_eq!(embed(&about)["title"], "About lectern");
    for payload in &refused {
        assert_eq!(
            callbacks_to(&fake, payload),
            0,
            "a refused interaction was answered"
        );
    }
    // Not even a body that is not JSON is read before the signature.
    let (status, _) = bot
        .post(&key, &json!("not an interaction"), Signing::None)
        .await;
    assert_eq!(status, 401);

    assert_eq!(fake.opened_connections(), 0, "no gateway in HTTP mode");
    assert!(
        !fake.requests().iter().any(|r| r.path == "/gateway/bot"),
        "no gateway in HTTP mode"
    );
    let exit = bot.served.terminate().await;
    let stderr = bot.served.stderr();
    assert_eq!(exit.code(), Some(0), "{stderr}");
    assert!(!stderr.contains(TOKEN), "the token is in the log");
    assert!(stderr.contains("interactions endpoint closed"), "{stderr}");
    assert_eq!(fake.problems(), Vec::<String>::new());
}

#[tokio::test(flavor = "current_thread")]
async fn two_processes_in_http_mode_answer_interactions_sent_to_either() {
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let key = test_key();
    let bots = [
        HttpBot::start(&fake, &key).await,
        HttpBot::start(&fake, &key).await,
    ];
    // Alternately: a command on one, the press of its button on the other.
    let mut on = fake.slash(&ALICE, "topic", &[("section", "1")]);
    let mut message = interact(&fake, &bots[0], &key, on).await;
    for step in 0..4 {
        let next = button(&message, "Next ▶")["custom_id"]
            .as_str()
            .unwrap()
            .to_string();
        on = fake.press_payload(&ALICE, &message, &next);
        message = interact(&fake, &bots[(step + 1) % 2], &key, on).await;
        assert_eq!(message["type"], 7, "{message}");
        let title = embed(&message)["title"].as_str().unwrap().to_string();
        assert!(title.starts_with(&format!("{} · ", step + 2)), "{title}");
    }
    assert_eq!(fake.opened_connections(), 0, "no gateway in HTTP mode");
    assert_eq!(fake.problems(), Vec::<String>::new());
}

#[tokio::test(flavor = "current_thread")]
async fn a_bad_public_key_stops_http_mode_at_start_with_a_clear_error() {
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let bad = "not-a-key-".repeat(6);
    let mut served = Served::spawn(
        &fake,
        [
            ("DISCORD_TOKEN", TOKEN),
            ("LECTERN__DISCORD__MODE", "http"),
            ("LECTERN__DISCORD__INTERACTIONS_BIND", "127.0.0.1:0"),
            ("LECTERN__DISCORD__PUBLIC_KEY", bad.as_str()),
        ],
    );
    let exit = tokio::time::timeout(PATIENCE, async {
        loop {
            if let Some(status) = served.try_wait() {
                return status;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("lectern exits");
    let stderr = served.stderr();
    assert_ne!(exit.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("discord.public_key is not 64 hexadecimal digits"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(&bad) && !stderr.contains(TOKEN),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(fake.opened_connections(), 0);
}
