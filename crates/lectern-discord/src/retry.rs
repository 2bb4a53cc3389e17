//! Waiting out Discord's 429 Too Many Requests on the requests that answer interactions.
//!
//! With an API base URL configured, serenity's own ratelimiter is off (it would send its
//! requests past the base URL), and serenity then hands a 429 back as an error like any other:
//! it does not wait, and its error type keeps neither the `retry_after` of the body nor the
//! `Retry-After` / `X-RateLimit-*` headers. So lectern waits itself, with a short backoff, for
//! as long as the answer can still arrive in time: an interaction's first response is due
//! within 3 s, the follow-ups and edits that its token allows within 15 minutes.
//!
//! Invariants: only a 429 is retried (Discord did not act on the request); a 5xx or anything
//! else is returned at once, since Discord may have acted on it and a second answer to an
//! interaction would be refused; no retry starts after the deadline.

use std::future::Future;
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;

/// How long after an interaction was created (its snowflake's timestamp) its first response
/// may still be retried: Discord wants it within 3 s of that; keep a margin for the request.
pub const FIRST_RESPONSE: Duration = Duration::from_millis(2_500);

/// How long a follow-up or an edit may be retried (the token lasts 15 minutes; a user waiting
/// for an answer does not).
pub const FOLLOW_UP: Duration = Duration::from_secs(30);

const FIRST_WAIT: Duration = Duration::from_millis(200);
const LONGEST_WAIT: Duration = Duration::from_secs(4);

/// Runs `attempt` until it is not answered 429, waiting between tries, as long as the next try
/// starts before `deadline`. Returns the last result.
pub async fn on_rate_limit<T, F, Fut>(deadline: Instant, mut attempt: F) -> serenity::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    let mut wait = FIRST_WAIT;
    let mut tries = 1u32;
    loop {
        let result = attempt().await;
        match &result {
            Err(e) if is_rate_limited(e) => {
                if Instant::now() + wait > deadline {
                    tracing::warn!(
                        tries,
                        "rate limited by Discord until the answer's deadline: giving up"
                    );
                    return result;
                }
                tracing::warn!(
                    tries,
                    wait_ms = wait.as_millis() as u64,
                    "rate limited by Discord: waiting, then trying again"
                );
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(LONGEST_WAIT);
                tries += 1;
            }
            _ => return result,
        }
    }
}

/// The HTTP status Discord answered with, if the error is an unsuccessful request. Log it with
/// every failure: serenity's message for an error whose body has no `code` (Discord's 429
/// body, a proxy's error page) is only that the body could not be decoded.
pub fn http_status(e: &serenity::Error) -> Option<u16> {
    match e {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) => {
            Some(r.status_code.as_u16())
        }
        _ => None,
    }
}

/// Whether Discord answered 429.
pub fn is_rate_limited(e: &serenity::Error) -> bool {
    matches!(
        e,
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r))
            if r.status_code.as_u16() == 429
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // serenity's error types are non-exhaustive: the 429 paths are tested end to end
    // (`tests/e2e/faults.rs`), against a fake Discord that answers 429.

    #[tokio::test]
    async fn anything_but_a_429_is_returned_at_once() {
        let mut calls = 0;
        let r: serenity::Result<()> = on_rate_limit(Instant::now() + FOLLOW_UP, || {
            calls += 1;
            async { Err(serenity::Error::Other("boom")) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls, 1);
    }
}
