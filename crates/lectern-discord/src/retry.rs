//! How long an answer may be tried, and what Discord's errors say.
//!
//! An interaction's first response is due within 3 s of its creation, the follow-ups and
//! edits its token allows within 15 minutes; [`crate::rest`] waits out rate limits only until
//! these deadlines. Discord's errors come back as serenity's: [`http_status`],
//! [`is_rate_limited`] and [`discord_code`] read them.

use std::time::Duration;

use poise::serenity_prelude as serenity;

/// How long after an interaction was created (its snowflake's timestamp) its first response
/// may still be retried: Discord wants it within 3 s of that; keep a margin for the request.
pub const FIRST_RESPONSE: Duration = Duration::from_millis(2_500);

/// How long a follow-up or an edit may be retried (the token lasts 15 minutes; a user waiting
/// for an answer does not).
pub const FOLLOW_UP: Duration = Duration::from_secs(30);

/// Discord's code for an interaction it no longer knows: its first response came after the
/// 3 s, or its token's 15 minutes are over.
pub const UNKNOWN_INTERACTION: isize = 10062;
/// Discord's code for a webhook it does not know: an interaction's token past its 15 minutes.
pub const UNKNOWN_WEBHOOK: isize = 10015;
/// Discord's code for a second first response to one interaction.
pub const ALREADY_ACKNOWLEDGED: isize = 40060;

/// The JSON error code Discord answered with, if the error is an unsuccessful request whose
/// body had one.
pub fn discord_code(e: &serenity::Error) -> Option<isize> {
    match e {
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)) if r.error.code > 0 => {
            Some(r.error.code)
        }
        _ => None,
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
