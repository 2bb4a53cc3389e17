//! lectern's one HTTP path to Discord for what it sends itself: interaction answers (callback,
//! edit, follow-up) and command registration, with Discord's rate limits handled here.
//!
//! serenity's own ratelimiter is off everywhere (see [`super::gateway`]): with it on, serenity
//! 0.12.5 builds its requests without the configured API base, so no test could reach it; it
//! sleeps a whole `Retry-After` whatever an interaction's deadline; and it keeps one bucket per
//! interaction forever (memory grows with every interaction). With it off, serenity hands a 429
//! back as an error that keeps neither its headers nor its body. So lectern sends these
//! requests itself, with serenity's [`Route`]s, token and API base, and reads every answer:
//!
//! - a success's `X-RateLimit-Remaining` / `X-RateLimit-Reset-After` say when its bucket is
//!   empty; the next request to that bucket waits for the reset instead of being refused;
//! - a 429's `retry_after` (body, else the `Retry-After` header) closes its bucket, or, when
//!   `global`, every request, until then; the request is tried again after it;
//! - nothing waits past the request's deadline (an interaction's first response is due within
//!   3 s): a wait that would end later returns the 429 (or, before any try, a 429 of lectern's
//!   own, never sent) to the caller at once.
//!
//! Invariants: only a 429 is retried (Discord did not act on it); a 5xx, a timeout (5 s past
//! the deadline, at most 60 s) or anything else is returned at once, since Discord may have
//! acted on it. Memory is bounded: only buckets that
//! are empty are remembered, each until its reset (seconds), and at most [`MAX_BUCKETS`] of
//! them. Buckets are keyed as Discord keys them: the method, serenity's route and its major
//! parameter (the interaction, the guild, the application), and the interaction's token for the
//! webhook routes, which Discord limits per interaction and serenity by application.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use serenity::{ErrorResponse, Http, HttpError, LightMethod, Request, Route};

/// At most this many empty buckets are remembered; past it, the expired are dropped, then the
/// one that resets soonest.
pub const MAX_BUCKETS: usize = 4096;

/// How long past its deadline a request may still be waited for, and the longest wait.
const SLACK: Duration = Duration::from_secs(5);
const LONGEST: Duration = Duration::from_secs(60);

/// The rate limits Discord announced, and the client that sends lectern's requests.
#[derive(Debug)]
pub struct Rest {
    client: reqwest::Client,
    limits: Mutex<Limits>,
}

#[derive(Debug, Default)]
struct Limits {
    /// Empty buckets: until when each admits nothing.
    empty: HashMap<u64, Instant>,
    /// Until when every request waits (a global 429).
    global: Option<Instant>,
}

impl Limits {
    /// How long a request to `bucket` must wait from `now`.
    fn wait(&mut self, bucket: u64, now: Instant) -> Duration {
        let until = [self.global, self.empty.get(&bucket).copied()]
            .into_iter()
            .flatten()
            .max();
        match until {
            Some(t) if t > now => t - now,
            _ => {
                self.empty.remove(&bucket);
                Duration::ZERO
            }
        }
    }

    fn close(&mut self, bucket: u64, until: Instant, now: Instant) {
        if self.empty.len() >= MAX_BUCKETS && !self.empty.contains_key(&bucket) {
            self.empty.retain(|_, t| *t > now);
            if self.empty.len() >= MAX_BUCKETS {
                let soonest = self.empty.iter().min_by_key(|(_, t)| **t).map(|(k, _)| *k);
                if let Some(k) = soonest {
                    self.empty.remove(&k);
                }
            }
        }
        self.empty.insert(bucket, until);
    }
}

impl Default for Rest {
    fn default() -> Rest {
        Rest::new(reqwest::Client::new())
    }
}

/// One request: serenity's route and method, a JSON body, a query.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// The HTTP method.
    pub method: LightMethod,
    /// The Discord endpoint, as serenity names it; it also picks the rate-limit bucket.
    pub route: Route<'a>,
    /// The JSON body, already serialised; `None` sends none.
    pub body: Option<Vec<u8>>,
    /// The query string's pairs; `None` sends none.
    pub params: Option<Vec<(&'static str, String)>>,
}

impl<'a> Call<'a> {
    /// A call of `method` on `route`, with no body and no query.
    pub fn new(method: LightMethod, route: Route<'a>) -> Call<'a> {
        Call {
            method,
            route,
            body: None,
            params: None,
        }
    }

    /// The call with `body` (serialised JSON) as its body.
    pub fn body(mut self, body: Vec<u8>) -> Call<'a> {
        self.body = Some(body);
        self
    }
}

/// The application the interaction webhooks and the commands belong to (serenity learns it
/// at READY).
#[allow(clippy::result_large_err)] // serenity's error, as every serenity call returns it
pub fn application_id(http: &Http) -> serenity::Result<serenity::ApplicationId> {
    http.application_id()
        .ok_or(serenity::Error::Http(HttpError::ApplicationIdMissing))
}

/// What a request is for, in the log.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    /// Answering an interaction (logged as `answer`).
    Answer,
    /// Registering the slash commands (logged as `command registration`).
    Registration,
    /// A message lectern posts on its own: the quote of the day, an announcement (logged as
    /// `post`).
    Post,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Answer => "answer",
            Purpose::Registration => "command registration",
            Purpose::Post => "post",
        }
    }
}

impl Rest {
    /// Sends with `client` (give serenity the same one, `HttpBuilder::client`, to share its
    /// connections).
    pub fn new(client: reqwest::Client) -> Rest {
        Rest {
            client,
            limits: Mutex::default(),
        }
    }

    /// The client lectern's requests go out with.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// How many empty buckets are remembered now (for the tests and the benchmark).
    pub fn remembered(&self) -> usize {
        self.limits.lock().unwrap().empty.len()
    }

    /// Sends `call` with `http`'s token and API base, waiting for its bucket and the global
    /// limit and trying a 429 again after its `retry_after`, as long as each try starts before
    /// `deadline`. Returns the body of the success.
    pub async fn send(
        &self,
        http: &Http,
        call: Call<'_>,
        purpose: Purpose,
        deadline: Instant,
    ) -> serenity::Result<Vec<u8>> {
        let Call {
            method,
            route,
            body,
            params,
        } = call;
        let bucket = bucket_of(method, &route);
        let mut tries = 1u32;
        loop {
            let wait = self.limits.lock().unwrap().wait(bucket, Instant::now());
            if wait > Duration::ZERO {
                if Instant::now() + wait > deadline {
                    tracing::warn!(
                        purpose = purpose.as_str(),
                        wait_ms = wait.as_millis() as u64,
                        "rate limited by Discord until after the deadline: not sent"
                    );
                    return Err(unsent(method).await);
                }
                tokio::time::sleep(wait).await;
            }
            let request = Request::new(route, method)
                .body(body.clone())
                .params(params.clone());
            // A request that hangs gives up a little after its deadline: an answer that late
            // is refused anyway (it may still have been acted on: not tried again).
            let timeout = (deadline.saturating_duration_since(Instant::now()) + SLACK).min(LONGEST);
            let response = request
                .build(&self.client, http.token(), http.proxy.as_deref())?
                .timeout(timeout)
                .send()
                .await?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await?.to_vec();
            let now = Instant::now();
            if status.is_success() {
                if header(&headers, "x-ratelimit-remaining") == Some(0.0)
                    && let Some(after) = header(&headers, "x-ratelimit-reset-after")
                {
                    let until = now + Duration::from_secs_f64(after.clamp(0.0, 3600.0));
                    self.limits.lock().unwrap().close(bucket, until, now);
                }
                return Ok(bytes);
            }
            let error = error_of(status, bytes.clone(), method).await;
            if status.as_u16() != 429 {
                return Err(error);
            }
            let limit: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            let after = limit["retry_after"]
                .as_f64()
                .or_else(|| header(&headers, "retry-after"))
                .unwrap_or(1.0)
                .clamp(0.0, 3600.0);
            let global = limit["global"].as_bool().unwrap_or(false)
                || headers.contains_key("x-ratelimit-global");
            let until = now + Duration::from_secs_f64(after);
            {
                let mut limits = self.limits.lock().unwrap();
                if global {
                    limits.global = Some(limits.global.map_or(until, |g| g.max(until)));
                } else {
                    limits.close(bucket, until, now);
                }
            }
            let giving_up = until > deadline;
            tracing::warn!(
                purpose = purpose.as_str(),
                tries,
                retry_after_ms = (after * 1000.0) as u64,
                global,
                then = if giving_up {
                    "giving up: it would end after the deadline"
                } else {
                    "waiting, then trying again"
                },
                "rate limited by Discord"
            );
            if giving_up {
                return Err(error);
            }
            tries += 1;
        }
    }
}

/// For a host that keeps serenity's own ratelimiter on (lectern's standalone bot turns it
/// off): forgets the buckets whose reset has passed, and returns how many.
///
/// serenity 0.12.5 keeps a bucket per route and major parameter, the interaction callback's
/// keyed by the interaction's id, and never removes one: about 150–200 bytes for every
/// interaction a bot ever answered. A bucket in use (locked) or whose reset is still ahead is
/// kept, so nothing it protects is lost; one that is forgotten is learned again from the next
/// answer's headers. Run it every few minutes ([`prune_serenity_ratelimiter_every`]).
pub async fn prune_serenity_ratelimiter(http: &Http) -> usize {
    let Some(ratelimiter) = &http.ratelimiter else {
        return 0;
    };
    let routes = ratelimiter.routes();
    let mut routes = routes.write().await;
    let before = routes.len();
    let now = std::time::SystemTime::now();
    routes.retain(|_, bucket| match bucket.try_lock() {
        Ok(b) => b.reset().is_some_and(|reset| reset > now),
        Err(_) => true,
    });
    before - routes.len()
}

/// Spawns [`prune_serenity_ratelimiter`] every `every`, for as long as `http` lives elsewhere.
pub fn prune_serenity_ratelimiter_every(
    http: std::sync::Arc<Http>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    let http = std::sync::Arc::downgrade(&http);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(http) = http.upgrade() else { return };
            let pruned = prune_serenity_ratelimiter(&http).await;
            tracing::debug!(pruned, "serenity's expired ratelimit buckets forgotten");
        }
    })
}

/// A header's value as a number.
fn header(headers: &reqwest::header::HeaderMap, name: &str) -> Option<f64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The bucket a request falls in: its method, serenity's bucket for the route (the route and
/// its major parameter), and the interaction token of a webhook route.
fn bucket_of(method: LightMethod, route: &Route<'_>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    method.hash(&mut h);
    route.ratelimiting_bucket().hash(&mut h);
    match route {
        Route::WebhookOriginalInteractionResponse { token, .. }
        | Route::WebhookFollowupMessages { token, .. }
        | Route::WebhookFollowupMessage { token, .. } => token.hash(&mut h),
        _ => {}
    }
    h.finish()
}

/// serenity's error for an unsuccessful answer, as its own client makes it.
async fn error_of(
    status: reqwest::StatusCode,
    body: Vec<u8>,
    method: LightMethod,
) -> serenity::Error {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    let response = reqwest::Response::from(response);
    let method = match method {
        LightMethod::Get => reqwest::Method::GET,
        LightMethod::Post => reqwest::Method::POST,
        LightMethod::Put => reqwest::Method::PUT,
        LightMethod::Patch => reqwest::Method::PATCH,
        LightMethod::Delete => reqwest::Method::DELETE,
    };
    let e = ErrorResponse::from_response(response, method).await;
    serenity::Error::Http(HttpError::UnsuccessfulRequest(e))
}

/// The error of a request lectern did not send, since its bucket stays empty past its
/// deadline: a 429 of its own (the caller treats it as Discord's).
async fn unsent(method: LightMethod) -> serenity::Error {
    let body = br#"{"code": 0, "message": "rate limited until after the deadline: not sent"}"#;
    error_of(
        reqwest::StatusCode::TOO_MANY_REQUESTS,
        body.to_vec(),
        method,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_empty_buckets_are_remembered_and_never_more_than_the_bound() {
        let mut limits = Limits::default();
        let now = Instant::now();
        for b in 0..(MAX_BUCKETS as u64 + 100) {
            limits.close(b, now + Duration::from_secs(1), now);
        }
        assert_eq!(limits.empty.len(), MAX_BUCKETS);
        // Past their reset, buckets are forgotten when room is needed, or as they are asked
        // about.
        let later = now + Duration::from_secs(2);
        limits.close(u64::MAX, later + Duration::from_secs(1), later);
        assert_eq!(limits.empty.len(), 1);
        limits.close(7, later + Duration::from_millis(1), later);
        assert_eq!(
            limits.wait(7, later + Duration::from_secs(1)),
            Duration::ZERO
        );
        assert_eq!(limits.empty.len(), 1);
    }

    #[test]
    fn a_global_limit_holds_every_bucket() {
        let mut limits = Limits::default();
        let now = Instant::now();
        limits.global = Some(now + Duration::from_millis(500));
        assert_eq!(limits.wait(1, now), Duration::from_millis(500));
        assert_eq!(limits.wait(2, now), Duration::from_millis(500));
        assert_eq!(limits.wait(2, now + Duration::from_secs(1)), Duration::ZERO);
    }

    #[test]
    fn webhook_routes_are_bucketed_per_interaction() {
        let app = serenity::ApplicationId::new(1);
        let a = Route::WebhookFollowupMessages {
            application_id: app,
            token: "a",
        };
        let b = Route::WebhookFollowupMessages {
            application_id: app,
            token: "b",
        };
        assert_ne!(
            bucket_of(LightMethod::Post, &a),
            bucket_of(LightMethod::Post, &b)
        );
        assert_ne!(
            bucket_of(LightMethod::Post, &a),
            bucket_of(LightMethod::Patch, &a)
        );
    }

    #[tokio::test]
    async fn an_unsent_request_reads_as_a_429() {
        let e = unsent(LightMethod::Post).await;
        assert_eq!(super::super::retry::http_status(&e), Some(429));
    }

    #[tokio::test]
    async fn serenitys_ratelimiter_buckets_without_a_reset_ahead_are_pruned() {
        let http = serenity::HttpBuilder::new("Bot x").build();
        let routes = http.ratelimiter.as_ref().expect("on by default").routes();
        for n in 1..=3u64 {
            let route = Route::InteractionResponse {
                interaction_id: serenity::InteractionId::new(n),
                token: "t",
            };
            routes
                .write()
                .await
                .insert(route.ratelimiting_bucket(), std::sync::Arc::default());
        }
        // Never told a reset (as after a success with no bucket headers): nothing to protect.
        assert_eq!(prune_serenity_ratelimiter(&http).await, 3);
        assert!(routes.read().await.is_empty());
        let off = serenity::HttpBuilder::new("Bot x")
            .ratelimiter_disabled(true)
            .build();
        assert_eq!(prune_serenity_ratelimiter(&off).await, 0);
    }
}
