//! HTTP mode (`discord.mode = "http"`): interactions that Discord POSTs, signed, to the
//! application's interactions endpoint URL, instead of the gateway. The listener is the
//! binary's (`lectern::interactions`, axum); what it does with a request is here, free of any
//! web framework: [`Endpoint::answer`] takes the two signature headers and the body as bytes
//! and says what to send back.
//!
//! Every request is checked first, before anything of it is parsed ([`Verifier`]): Discord
//! signs `X-Signature-Timestamp` followed by the raw body with the application's Ed25519 key,
//! and puts the signature, in hex, in `X-Signature-Ed25519`. A request without them, with a
//! signature that does not verify against `discord.public_key`, or signed more than
//! [`MAX_SKEW`] away from this machine's clock (a replay) gets 401 and nothing is done.
//!
//! What is answered, and how:
//! - PING (type 1) is answered in the HTTP response, with PONG (type 1);
//! - commands, their autocomplete and components go to the same command layer as the gateway
//!   through the plugin's serenity-host entry, [`Plugin::handle`] (poise needs a gateway
//!   `Context`; `handle` needs only `Http`), which answers through the REST callback with
//!   lectern's retries, deadline and metrics ([`crate::respond`]); the HTTP request then gets
//!   202 with no body, as Discord asks when the callback answers. The response waits for the
//!   handler up to [`HANDLER_WAIT`] (so the callback is sent first), then goes anyway while
//!   the handler keeps running (a deferred answer's edit comes later).
//! - a component whose `custom_id` the plugin does not own is answered as gone, as in the
//!   gateway bot; a command it does not know is logged and left unanswered.
//!
//! At start ([`Endpoint::start`]) the application's id is read from Discord (registration
//! needs it, and there is no READY to carry it), then registration and the owner lookup run
//! in their own tasks, as after the gateway's READY.
//!
//! Invariants: no gateway connection in this mode; the public key and the token appear in no
//! error and no log line; a bad key is an error at start, never a panic.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ed25519_dalek::{Signature, VerifyingKey};
use poise::serenity_prelude as serenity;
use serenity::{GuildId, Interaction};

use crate::{Plugin, Token, components, gateway, operators, registration};
use lectern_core::config::Config;

/// How far a request's signed timestamp may be from this machine's clock, either way.
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// How long the HTTP response waits for the handler before it goes (202) regardless.
pub const HANDLER_WAIT: Duration = Duration::from_millis(2_500);

/// The application's public key is unusable. The key itself is never shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// `discord.public_key` is not set.
    #[error(
        "discord.mode = \"http\" needs discord.public_key (the application's public key, in hex, from the developer portal)"
    )]
    Missing,
    /// Not 64 hexadecimal digits.
    #[error("discord.public_key is not 64 hexadecimal digits (32 bytes)")]
    NotHex,
    /// 32 bytes, but not a point of the curve: not an Ed25519 public key.
    #[error("discord.public_key is not a valid Ed25519 public key")]
    NotAKey,
}

/// Why a request was refused (all answered 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// `X-Signature-Ed25519` or `X-Signature-Timestamp` is missing.
    #[error("the signature headers are missing")]
    Unsigned,
    /// The signature is not hex, or does not verify.
    #[error("the signature does not verify")]
    BadSignature,
    /// Signed, but more than [`MAX_SKEW`] away from this machine's clock.
    #[error("the signed timestamp is too far from now")]
    Stale,
}

/// Checks Discord's signatures against the application's public key.
#[derive(Debug, Clone)]
pub struct Verifier {
    key: VerifyingKey,
}

impl Verifier {
    /// The verifier of `discord.public_key` (hex, surrounding spaces ignored).
    pub fn from_hex(key: Option<&str>) -> Result<Verifier, KeyError> {
        let key = key.map(str::trim).filter(|k| !k.is_empty());
        let hex = key.ok_or(KeyError::Missing)?;
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex, &mut bytes).map_err(|_| KeyError::NotHex)?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::NotAKey)?;
        Ok(Verifier { key })
    }

    /// Whether `body` was signed by Discord at `timestamp` (the headers' values, as bytes),
    /// and recently enough as of `now`. Nothing of the body is read beyond its bytes.
    pub fn verify(
        &self,
        signature: Option<&[u8]>,
        timestamp: Option<&[u8]>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), Refused> {
        let (Some(signature), Some(timestamp)) = (signature, timestamp) else {
            return Err(Refused::Unsigned);
        };
        let mut sig = [0u8; 64];
        hex::decode_to_slice(signature, &mut sig).map_err(|_| Refused::BadSignature)?;
        let mut signed = Vec::with_capacity(timestamp.len() + body.len());
        signed.extend_from_slice(timestamp);
        signed.extend_from_slice(body);
        self.key
            .verify_strict(&signed, &Signature::from_bytes(&sig))
            .map_err(|_| Refused::BadSignature)?;
        // Signed by Discord: now the timestamp can be trusted to mean something.
        let at: u64 = std::str::from_utf8(timestamp)
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .ok_or(Refused::Stale)?;
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        if now.abs_diff(at) > MAX_SKEW.as_secs() {
            return Err(Refused::Stale);
        }
        Ok(())
    }
}

/// What the HTTP response is: a status, and a JSON body or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The response's status.
    pub status: http::StatusCode,
    /// A JSON body, when there is one.
    pub json: Option<String>,
}

impl Answer {
    fn empty(status: http::StatusCode) -> Answer {
        Answer { status, json: None }
    }
}

/// The interactions endpoint's logic: the verifier, the plugin, and the HTTP client its
/// answers go through.
#[derive(Clone)]
pub struct Endpoint {
    verifier: Verifier,
    plugin: Plugin,
    http: Arc<serenity::Http>,
}

impl Endpoint {
    /// The endpoint of `config` (`discord.public_key`) serving `plugin`, its answers sent with
    /// `token` to the configured API base. Fails, with the reason and never the key, when the
    /// key is unusable.
    pub fn new(config: &Config, token: &Token, plugin: Plugin) -> Result<Endpoint, KeyError> {
        let verifier = Verifier::from_hex(config.discord.public_key.as_deref())?;
        let http = Arc::new(gateway::http(config, token, &plugin).build());
        Ok(Endpoint {
            verifier,
            plugin,
            http,
        })
    }

    /// Opens the state database of `config`, unless the host opened it already (as
    /// [`crate::run_bot`] does): a failure is logged and content is served without it. Called
    /// before the endpoint listens, so the first interaction sees the servers' settings.
    pub async fn open_state(&self, config: &Config) {
        if self.plugin.state().is_none() {
            let _ = self.plugin.open_state(&config.state).await;
        }
    }

    /// What the gateway bot does on READY, for HTTP mode: reads the application's id (retrying
    /// until Discord answers), then starts registration and the owner lookup in their own tasks,
    /// and runs the daily posts (with the state database) until the task is aborted.
    pub async fn start(&self, config: &Config) {
        let mut pause = Duration::from_secs(1);
        let id = loop {
            match self.http.get_current_application_info().await {
                Ok(app) => break app.id,
                Err(e) => {
                    tracing::error!(error = %e, retry_in_s = pause.as_secs(),
                        "CANNOT READ THE APPLICATION: commands are not registered until it is known");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(600));
                }
            }
        };
        self.http.set_application_id(id);
        tracing::info!(application_id = %id, "application known");
        let http = Arc::clone(&self.http);
        let learning = self.plugin.clone();
        tokio::spawn(async move { operators::learn_owners(http, learning.operators()).await });
        let guild = config.discord.guild_id.map(GuildId::new);
        let plan = gateway::plan(&self.plugin.commands::<(), ()>(), guild, &self.plugin);
        let http = Arc::clone(&self.http);
        let rest = Arc::clone(&self.plugin.ops().rest);
        tokio::spawn(async move { registration::run(&http, &rest, plan).await });
        // What lectern posts on its own (the quote of the day, announcements), over REST,
        // until this task is aborted (when the endpoint closes).
        if self.plugin.state().is_some() {
            crate::daily::run(self.plugin.clone(), Arc::clone(&self.http)).await;
        }
    }

    /// Answers one POST: `signature` and `timestamp` are the values of `X-Signature-Ed25519`
    /// and `X-Signature-Timestamp`, `body` the raw body.
    pub async fn answer(
        &self,
        signature: Option<&[u8]>,
        timestamp: Option<&[u8]>,
        body: &[u8],
    ) -> Answer {
        if let Err(why) = self
            .verifier
            .verify(signature, timestamp, body, SystemTime::now())
        {
            tracing::warn!(reason = %why, "interaction refused");
            return Answer::empty(http::StatusCode::UNAUTHORIZED);
        }
        // PING by its type alone: Discord's check of the endpoint URL must pass whatever else
        // it carries.
        #[derive(serde::Deserialize)]
        struct Kind {
            #[serde(rename = "type")]
            kind: u8,
        }
        if serde_json::from_slice::<Kind>(body).is_ok_and(|k| k.kind == 1) {
            return Answer {
                status: http::StatusCode::OK,
                json: Some(r#"{"type":1}"#.to_string()),
            };
        }
        let interaction: Interaction = match serde_json::from_slice(body) {
            Ok(i) => i,
            Err(e) => {
                tracing::warn!(error = %e, "a signed interaction that cannot be read");
                return Answer::empty(http::StatusCode::BAD_REQUEST);
            }
        };
        let (plugin, http) = (self.plugin.clone(), Arc::clone(&self.http));
        let handler = tokio::spawn(async move { dispatch(&plugin, &http, &interaction).await });
        // The callback goes first when it can; the handler goes on if it takes longer.
        let _ = tokio::time::timeout(HANDLER_WAIT, handler).await;
        Answer::empty(http::StatusCode::ACCEPTED)
    }
}

/// An interaction to the plugin's serenity-host entry; what is not the plugin's is answered as
/// the gateway bot answers it.
async fn dispatch(plugin: &Plugin, http: &serenity::Http, interaction: &Interaction) {
    if plugin.handle(http, interaction).await {
        return;
    }
    match interaction {
        // lectern is alone on its messages: an id it did not write is still its to answer,
        // politely, as gone.
        Interaction::Component(press) => components::handle(http, plugin, press).await,
        i => tracing::warn!(
            interaction_id = %i.id(),
            kind = ?i.kind(),
            "an interaction lectern does not know: not answered"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn keys() -> (SigningKey, Verifier) {
        let signing = SigningKey::from_bytes(&[7u8; 32]);
        let public = hex::encode(signing.verifying_key().as_bytes());
        (signing, Verifier::from_hex(Some(&public)).unwrap())
    }

    fn now_secs() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    fn sign(key: &SigningKey, at: u64, body: &[u8]) -> (String, String) {
        let ts = at.to_string();
        let mut msg = ts.clone().into_bytes();
        msg.extend_from_slice(body);
        (hex::encode(key.sign(&msg).to_bytes()), ts)
    }

    #[test]
    fn a_signed_fresh_request_passes_and_anything_else_is_refused() {
        let (key, verifier) = keys();
        let body = br#"{"type":1}"#;
        // One instant for the whole test: the checks compare against it, not the clock.
        let t = now_secs();
        let now = UNIX_EPOCH + Duration::from_secs(t);
        let (sig, ts) = sign(&key, t, body);
        let check = |sig: Option<&str>, ts: Option<&str>, body: &[u8]| {
            verifier.verify(sig.map(str::as_bytes), ts.map(str::as_bytes), body, now)
        };
        assert_eq!(check(Some(&sig), Some(&ts), body), Ok(()));
        assert_eq!(check(None, Some(&ts), body), Err(Refused::Unsigned));
        assert_eq!(check(Some(&sig), None, body), Err(Refused::Unsigned));
        assert_eq!(
            check(Some(&sig), Some(&ts), br#"{"type":2}"#),
            Err(Refused::BadSignature),
            "another body"
        );
        let later = (t + 1).to_string();
        assert_eq!(
            check(Some(&sig), Some(&later), body),
            Err(Refused::BadSignature),
            "another timestamp"
        );
        assert_eq!(
            check(Some("zz"), Some(&ts), body),
            Err(Refused::BadSignature)
        );
        let other = SigningKey::from_bytes(&[8u8; 32]);
        let (forged, ts2) = sign(&other, t, body);
        assert_eq!(
            check(Some(&forged), Some(&ts2), body),
            Err(Refused::BadSignature),
            "signed with another key"
        );
        // Signed right, but too old or too far ahead.
        for at in [t - 301, t + 301] {
            let (sig, ts) = sign(&key, at, body);
            assert_eq!(check(Some(&sig), Some(&ts), body), Err(Refused::Stale));
        }
        let (sig, ts) = sign(&key, t - 299, body);
        assert_eq!(check(Some(&sig), Some(&ts), body), Ok(()));
    }

    #[test]
    fn bad_keys_are_errors_that_do_not_show_the_key() {
        assert_eq!(Verifier::from_hex(None).unwrap_err(), KeyError::Missing);
        assert_eq!(
            Verifier::from_hex(Some("  ")).unwrap_err(),
            KeyError::Missing
        );
        let short = "ab".repeat(31);
        assert_eq!(
            Verifier::from_hex(Some(&short)).unwrap_err(),
            KeyError::NotHex
        );
        let not_hex = "zz".repeat(32);
        let e = Verifier::from_hex(Some(&not_hex)).unwrap_err();
        assert_eq!(e, KeyError::NotHex);
        assert!(!e.to_string().contains(&not_hex));
        // 32 bytes that are not a point of the curve (some small y has no x).
        let off_curve = (2u8..100)
            .map(|y| {
                let mut b = [0u8; 32];
                b[0] = y;
                b
            })
            .find(|b| VerifyingKey::from_bytes(b).is_err())
            .expect("a y off the curve");
        assert_eq!(
            Verifier::from_hex(Some(&hex::encode(off_curve))).unwrap_err(),
            KeyError::NotAKey
        );
    }
}
