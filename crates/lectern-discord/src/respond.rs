//! The one way lectern answers an interaction: a [`Responder`].
//!
//! Every answer goes through the same cycle: track the interaction (its span and clock), send
//! through lectern's own HTTP path ([`Rest`]: Discord's rate limits honoured while the answer
//! can still arrive in time, the deadlines of [`retry`]), and record how it ended in the span,
//! the log and the metrics. A [`Responder`] does all three for one
//! interaction; commands and components only build a [`Reply`] and say what it means (the
//! [`Outcome`]).
//!
//! Invariants:
//! - an interaction's outcome is recorded exactly once: [`Responder::finish`] states it; a
//!   responder dropped without it (an early `?`) records [`Outcome::Error`], and so does any
//!   send that failed, whatever the caller states;
//! - the first response is retried until [`retry::FIRST_RESPONSE`] after the interaction was
//!   created, by its id's snowflake timestamp ([`first_response_deadline`]), never later than
//!   that long after it arrived (a clock ahead of Discord's would otherwise stretch it); edits
//!   and follow-ups for [`retry::FOLLOW_UP`] after they are asked for;
//! - every interaction gets answers of its kind: an autocomplete only choices
//!   ([`Responder::no_choices`]), a command or a press a message, an update or a deferral;
//! - an interaction Discord no longer knows (10062: past its 3 s) or already has its answer
//!   (40060) gets nothing more: [`Responder::expired`] and [`Responder::acknowledged`] say so;
//! - after a deferral, what answers it (the report, or an apology) edits the deferred message:
//!   a follow-up would leave "thinking…" on screen;
//! - every message pings no one ([`convert::no_pings`]) but the one user an answer is for
//!   (`for:`, [`convert::mentions`]);
//! - every reply goes out in its reader's script ([`in_script`]: Traditional for zh-TW and
//!   zh-HK), converted before Discord's limits are applied;
//! - a responder touches nothing but its interaction, the HTTP client, the metrics and the
//!   `custom_id` format ([`Ids`]) it is given: no poise user data, no process-wide state.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use serenity::{
    CommandInteraction, ComponentInteraction, CreateInteractionResponse,
    CreateInteractionResponseFollowup, EditInteractionResponse, GuildId, InteractionId,
    LightMethod, Route, UserId,
};
use tracing::Instrument;

use super::custom_id::Ids;
use super::rest::{self, Call, Purpose, Rest};
use super::{convert, retry};
use crate::ops::{Metrics, Ops};
use lectern_core::i18n::Lang;
use lectern_core::reply::Reply;
use lectern_core::reply::script::in_script;

/// How an interaction ended, for the log and the metrics: the core's, as its command states it.
pub use lectern_core::commands::Outcome;

/// The kinds of interaction lectern tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A slash command.
    Command,
    /// An autocomplete request while a command's option is being typed.
    Autocomplete,
    /// A click on a message component, such as a button.
    Component,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Command => "command",
            Kind::Autocomplete => "autocomplete",
            Kind::Component => "component",
        }
    }
}

/// One interaction being tracked: its span, its clock, and the metrics its outcome goes to.
/// Recorded once, by [`Track::finish`] or, failing that, as an error when dropped.
#[derive(Debug)]
pub struct Track {
    span: tracing::Span,
    kind: Kind,
    command: String,
    started: Instant,
    metrics: Arc<Metrics>,
    recorded: bool,
}

impl Track {
    /// Starts tracking a command or an autocomplete now.
    pub fn command(kind: Kind, i: &CommandInteraction, metrics: Arc<Metrics>) -> Track {
        Track::start(
            kind,
            &i.data.name,
            (i.id, i.guild_id, i.user.id, &i.locale),
            metrics,
        )
    }

    /// Starts tracking a button press or a select menu choice now.
    pub fn component(i: &ComponentInteraction, metrics: Arc<Metrics>) -> Track {
        Track::start(
            Kind::Component,
            "component",
            (i.id, i.guild_id, i.user.id, &i.locale),
            metrics,
        )
    }

    fn start(
        kind: Kind,
        command: &str,
        (id, guild, user, locale): (InteractionId, Option<GuildId>, UserId, &str),
        metrics: Arc<Metrics>,
    ) -> Track {
        // Fields: never message content, only who, where and what.
        let span = tracing::info_span!(
            "interaction",
            id = %id,
            kind = kind.as_str(),
            command,
            guild_id = guild.map(poise::serenity_prelude::GuildId::get),
            user_id = user.get(),
            locale,
            latency_ms = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        Track {
            span,
            kind,
            command: command.to_string(),
            started: Instant::now(),
            metrics,
            recorded: false,
        }
    }

    /// Counts the interaction from `started` rather than from now (an autocomplete is
    /// tracked after its choices are ranked, and its latency is the time to rank them).
    pub fn since(mut self, started: Instant) -> Track {
        self.started = started;
        self
    }

    /// The interaction's span.
    pub fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// Records how the interaction ended, in its span, the log and the metrics.
    pub fn finish(mut self, outcome: Outcome) {
        self.record(outcome);
    }

    fn record(&mut self, outcome: Outcome) {
        if std::mem::replace(&mut self.recorded, true) {
            return;
        }
        let took = self.started.elapsed();
        self.span.record("latency_ms", took.as_millis() as u64);
        self.span.record("outcome", outcome.as_str());
        tracing::info!(parent: &self.span, "interaction answered");
        // `lectern_commands_total` counts commands by name; autocompletes and presses are
        // counted under their kind (the span keeps the command's name).
        let command = match self.kind {
            Kind::Command => &self.command,
            other => other.as_str(),
        };
        self.metrics
            .record_interaction(self.kind.as_str(), command, outcome.metric(), took);
    }
}

impl Drop for Track {
    /// An interaction left without an outcome ended in an error (a `?` on the way).
    fn drop(&mut self) {
        self.record(Outcome::Error);
    }
}

/// What the requests answering an interaction need: its id and token (and the user, whom
/// buttons name). Commands and components are answered alike; serenity's own methods on
/// either do the same `Builder::execute` with these.
#[derive(Debug, Clone, Copy)]
struct To<'a> {
    id: InteractionId,
    token: &'a str,
    user: UserId,
    /// The reader's language, from the interaction's locale: its script is applied to every
    /// reply sent (Traditional for zh-TW and zh-HK).
    lang: Lang,
}

impl<'a> To<'a> {
    fn command(i: &'a CommandInteraction) -> To<'a> {
        To {
            id: i.id,
            token: &i.token,
            user: i.user.id,
            lang: Lang::from_locale(&i.locale),
        }
    }

    fn component(i: &'a ComponentInteraction) -> To<'a> {
        To {
            id: i.id,
            token: &i.token,
            user: i.user.id,
            lang: Lang::from_locale(&i.locale),
        }
    }

    /// `reply` as this reader sees it: in their script, within Discord's limits.
    /// Borrowed as it is unless the script changes, so most answers are not copied.
    fn shown<'r>(&self, reply: &'r Reply) -> std::borrow::Cow<'r, Reply> {
        if self.lang.converts_script() {
            std::borrow::Cow::Owned(in_script(reply.clone(), self.lang))
        } else {
            std::borrow::Cow::Borrowed(reply)
        }
    }
}

/// Until when the first response to interaction `id` may be tried: [`retry::FIRST_RESPONSE`]
/// after Discord created it (the timestamp in its snowflake, read against the wall clock
/// `now_wall`, which is `now` on the monotonic clock), and never later than
/// [`retry::FIRST_RESPONSE`] after `now`: a wall clock behind Discord's must not stretch the
/// deadline past what a handler starting now could have. A clock ahead of Discord's shortens
/// it, down to `now` (one try, no retry).
pub fn first_response_deadline(
    id: InteractionId,
    now_wall: std::time::SystemTime,
    now: Instant,
) -> Instant {
    let created = std::time::UNIX_EPOCH + Duration::from_millis(snowflake_unix_ms(id.get()));
    let age = now_wall.duration_since(created).unwrap_or(Duration::ZERO);
    now + retry::FIRST_RESPONSE.saturating_sub(age)
}

/// Discord's epoch (2015-01-01T00:00:00Z), in milliseconds since the Unix epoch.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// The Unix time, in milliseconds, at which the snowflake `id` was made.
fn snowflake_unix_ms(id: u64) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

/// Answers one interaction: respond, defer, edit, follow up; then [`Responder::finish`].
pub struct Responder<'a> {
    http: &'a serenity::Http,
    rest: &'a Rest,
    to: To<'a>,
    /// Whose components the answers carry.
    ids: &'a Ids,
    /// The web pages' public address (`web.public_url`): answers with a page get an "Open on
    /// the web" link.
    web: Option<&'a str>,
    /// Until when the first response may still be tried.
    deadline: Instant,
    /// Whether the first response (an answer or a deferral) was sent; mirrored to `shared`,
    /// poise's flag, so that its error handler follows up rather than answer twice.
    responded: bool,
    shared: Option<&'a AtomicBool>,
    /// `None` for an answer outside the interaction's own tracking (the apology after an
    /// error, whose interaction already recorded its outcome).
    track: Option<Track>,
    failed: bool,
    /// Discord answered that it no longer knows the interaction (10062), or that it already
    /// has its first response (40060).
    expired: bool,
    acknowledged: bool,
    /// Who draws quote cards ([`Responder::with_cards`]).
    cards: Option<&'a lectern_card::Renderer>,
}

impl<'a> Responder<'a> {
    /// Starts answering a slash command, tracked from now; its buttons get ids under `ids`.
    pub fn command(
        http: &'a serenity::Http,
        i: &'a CommandInteraction,
        ops: &'a Ops,
        ids: &'a Ids,
    ) -> Responder<'a> {
        let track = Track::command(Kind::Command, i, Arc::clone(&ops.metrics));
        Responder::tracked((http, &ops.rest), To::command(i), track, ids)
            .linking(ops.web_url.as_deref())
    }

    /// Starts answering a button press or a select menu choice, tracked from now; its
    /// buttons get ids under `ids`.
    pub fn component(
        http: &'a serenity::Http,
        i: &'a ComponentInteraction,
        ops: &'a Ops,
        ids: &'a Ids,
    ) -> Responder<'a> {
        let track = Track::component(i, Arc::clone(&ops.metrics));
        Responder::tracked((http, &ops.rest), To::component(i), track, ids)
            .linking(ops.web_url.as_deref())
    }

    fn tracked(
        (http, rest): (&'a serenity::Http, &'a Rest),
        to: To<'a>,
        track: Track,
        ids: &'a Ids,
    ) -> Responder<'a> {
        let deadline = first_response_deadline(to.id, std::time::SystemTime::now(), track.started);
        Responder {
            http,
            rest,
            to,
            ids,
            web: None,
            deadline,
            responded: false,
            shared: None,
            track: Some(track),
            failed: false,
            expired: false,
            acknowledged: false,
            cards: None,
        }
    }

    /// Answers a command after its handler failed, untracked (the handler's own responder
    /// recorded the error): `responded` says whether the first response was already sent,
    /// `budget` how long a first response may still be tried.
    pub fn after_error(
        (http, rest): (&'a serenity::Http, &'a Rest),
        i: &'a CommandInteraction,
        responded: bool,
        budget: Duration,
    ) -> Responder<'a> {
        Responder {
            http,
            rest,
            to: To::command(i),
            // An apology is a notice: no components, so whose ids they would be is moot.
            ids: &Ids::LECTERN,
            web: None,
            deadline: Instant::now() + budget,
            responded,
            shared: None,
            track: None,
            failed: false,
            expired: false,
            acknowledged: false,
            cards: None,
        }
    }

    /// Answers an autocomplete, untracked ([`Track`] records it where its choices are ranked):
    /// its choices are tried until the first response's deadline.
    pub fn autocomplete(
        http: &'a serenity::Http,
        i: &'a CommandInteraction,
        ops: &'a Ops,
    ) -> Responder<'a> {
        let to = To::command(i);
        let now = Instant::now();
        Responder {
            http,
            rest: &ops.rest,
            to,
            ids: &Ids::LECTERN,
            web: None,
            deadline: first_response_deadline(to.id, std::time::SystemTime::now(), now),
            responded: false,
            shared: None,
            track: None,
            failed: false,
            expired: false,
            acknowledged: false,
            cards: None,
        }
    }

    /// Links answers that have a web page to it, under the pages' public address `web`.
    fn linking(mut self, web: Option<&'a str>) -> Responder<'a> {
        self.web = web;
        self
    }

    fn link(&self) -> Option<convert::WebLink<'a>> {
        self.web.map(|base| convert::WebLink {
            base,
            lang: self.to.lang,
        })
    }

    /// Keeps `flag` (poise's `has_sent_initial_response`) in step with this responder.
    pub fn sharing_first_response(mut self, flag: &'a AtomicBool) -> Responder<'a> {
        self.shared = Some(flag);
        self
    }

    /// The interaction's span (disabled for an untracked responder).
    pub fn span(&self) -> tracing::Span {
        self.track
            .as_ref()
            .map_or_else(tracing::Span::none, |t| t.span.clone())
    }

    /// Whether the interaction has its first response.
    pub fn responded(&self) -> bool {
        self.responded
    }

    /// Whether Discord said it no longer knows the interaction (10062: the first response
    /// came after its 3 s; 10015: the token's 15 minutes are over): nothing more can be sent.
    pub fn expired(&self) -> bool {
        self.expired
    }

    /// Whether Discord said the interaction already has its first response (40060): a try
    /// whose answer was lost on the way back (a 5xx, a timeout) did get there.
    pub fn acknowledged(&self) -> bool {
        self.acknowledged
    }

    /// The first response: `reply` as a new message.
    pub async fn respond(&mut self, reply: &Reply) -> serenity::Result<()> {
        let shown = self.to.shown(reply);
        let (shown, files) = super::card::attach(self.cards, &shown).await;
        let mut message = convert::message(&shown, self.to.user, self.ids, self.link());
        for f in &files {
            message = message.add_file(f.clone());
        }
        self.first_with(CreateInteractionResponse::Message(message), &files)
            .await
    }

    /// Draws the quote cards of the replies sent with `cards` (a reply without a renderer
    /// is sent without its card).
    pub fn with_cards(mut self, cards: &'a lectern_card::Renderer) -> Responder<'a> {
        self.cards = Some(cards);
        self
    }

    /// The first response to a press: `reply` replaces the message the component is on.
    pub async fn update(&mut self, reply: &Reply) -> serenity::Result<()> {
        let message = convert::message(&self.to.shown(reply), self.to.user, self.ids, self.link());
        self.first(CreateInteractionResponse::UpdateMessage(message))
            .await
    }

    /// The first response to a menu pick: the message the menu is on, its components sent
    /// again as they are ([`convert::rows_of`]), which resets the menu; the answer follows
    /// with [`Responder::follow_up`].
    pub async fn reset_components(&mut self, on: &serenity::Message) -> serenity::Result<()> {
        let message = serenity::CreateInteractionResponseMessage::new()
            .components(convert::rows_of(on))
            .allowed_mentions(convert::no_pings());
        self.first(CreateInteractionResponse::UpdateMessage(message))
            .await
    }

    /// The first response to a press: a message of its own, built by the caller (a private
    /// answer posted to the channel, [`convert::shared`]).
    pub async fn post(
        &mut self,
        message: serenity::CreateInteractionResponseMessage,
    ) -> serenity::Result<()> {
        self.first(CreateInteractionResponse::Message(message))
            .await
    }

    /// The first response to a press that changes nothing on screen yet (the message is about
    /// to be deleted with [`Responder::delete_original`]).
    pub async fn defer_update(&mut self) -> serenity::Result<()> {
        self.first(CreateInteractionResponse::Acknowledge).await
    }

    /// Deletes the message the pressed component is on (a press's original message), after
    /// [`Responder::defer_update`]: deleted, not edited to nothing.
    pub async fn delete_original(&mut self) -> serenity::Result<()> {
        let route = Route::WebhookOriginalInteractionResponse {
            application_id: rest::application_id(self.http)?,
            token: self.to.token,
        };
        let call = Call::new(LightMethod::Delete, route);
        let deadline = Instant::now() + retry::FOLLOW_UP;
        let sent = self
            .rest
            .send(self.http, call, Purpose::Answer, deadline)
            .instrument(self.span())
            .await
            .map(|_| ());
        self.after_token(&sent);
        sent
    }

    /// The first response: "thinking…", seen only by the user; the answer comes by
    /// [`Responder::edit`].
    pub async fn defer_ephemeral(&mut self) -> serenity::Result<()> {
        let defer = serenity::CreateInteractionResponseMessage::new().ephemeral(true);
        self.first(CreateInteractionResponse::Defer(defer)).await
    }

    /// Replaces the first response's embeds with `reply`'s (and removes its components).
    pub async fn edit(&mut self, reply: &Reply) -> serenity::Result<()> {
        let edit = EditInteractionResponse::new()
            .embeds(vec![convert::embed(&self.to.shown(reply))])
            .components(Vec::new())
            .allowed_mentions(convert::no_pings());
        let route = Route::WebhookOriginalInteractionResponse {
            application_id: rest::application_id(self.http)?,
            token: self.to.token,
        };
        let sent = self
            .send(LightMethod::Patch, route, &edit, retry::FOLLOW_UP)
            .await;
        self.after_token(&sent);
        sent
    }

    /// Another message after the first response, with its components, ephemeral when
    /// `reply` is.
    pub async fn follow_up(&mut self, reply: &Reply) -> serenity::Result<()> {
        let shown = self.to.shown(reply);
        let mut followup = CreateInteractionResponseFollowup::new()
            .embeds(vec![convert::embed(&shown)])
            .components(convert::rows(&shown, self.to.user, self.ids, self.link()))
            .allowed_mentions(convert::mentions(&shown))
            .ephemeral(reply.ephemeral);
        if let Some(text) = convert::content(&shown) {
            followup = followup.content(text);
        }
        let route = Route::WebhookFollowupMessages {
            application_id: rest::application_id(self.http)?,
            token: self.to.token,
        };
        let sent = self
            .send(LightMethod::Post, route, &followup, retry::FOLLOW_UP)
            .await;
        self.after_token(&sent);
        sent
    }

    /// Notes how a request by the interaction's token ended: a failure; an unknown webhook
    /// (10015: the token's 15 minutes are over) leaves nothing that can still be sent.
    fn after_token(&mut self, sent: &serenity::Result<()>) {
        if let Err(e) = sent {
            self.failed = true;
            if retry::discord_code(e) == Some(retry::UNKNOWN_WEBHOOK) {
                self.expired = true;
                tracing::warn!(parent: &self.span(), interaction_id = %self.to.id,
                    "the interaction's token expired before its answer reached Discord");
            }
        }
    }

    /// An apology (or any notice that ends the interaction): the first response if there was
    /// none yet, else in place of the first response (a deferral's "thinking…", or the answer
    /// that failed to follow it).
    pub async fn apologize(&mut self, reply: &Reply) -> serenity::Result<()> {
        if self.responded {
            self.edit(reply).await
        } else {
            self.respond(reply).await
        }
    }

    /// The first response to an autocomplete lectern cannot serve: no choices, which Discord
    /// shows as nothing to pick (a message would be refused: an autocomplete takes choices).
    pub async fn no_choices(&mut self) -> serenity::Result<()> {
        self.choices(Vec::new()).await
    }

    /// The first response to an autocomplete: its choices.
    pub async fn choices(
        &mut self,
        choices: Vec<serenity::AutocompleteChoice>,
    ) -> serenity::Result<()> {
        let response = serenity::CreateAutocompleteResponse::new().set_choices(choices);
        self.first(CreateInteractionResponse::Autocomplete(response))
            .await
    }

    /// Records the outcome the caller states; [`Outcome::Error`] if a send failed.
    pub fn finish(mut self, outcome: Outcome) {
        if let Some(track) = self.track.take() {
            track.finish(if self.failed { Outcome::Error } else { outcome });
        }
    }

    async fn first(&mut self, response: CreateInteractionResponse) -> serenity::Result<()> {
        self.first_with(response, &[]).await
    }

    /// The first response, with `files` uploaded along.
    async fn first_with(
        &mut self,
        response: CreateInteractionResponse,
        files: &[serenity::CreateAttachment],
    ) -> serenity::Result<()> {
        let budget = self.deadline.saturating_duration_since(Instant::now());
        let route = Route::InteractionResponse {
            interaction_id: self.to.id,
            token: self.to.token,
        };
        let call = Call::new(LightMethod::Post, route).body(super::card::payload(&response)?);
        let sent = self
            .rest
            .send_files(
                self.http,
                call,
                files,
                Purpose::Answer,
                Instant::now() + budget,
            )
            .instrument(self.span())
            .await
            .map(|_| ());
        if let Err(e) = &sent {
            match retry::discord_code(e) {
                Some(retry::UNKNOWN_INTERACTION) => {
                    self.expired = true;
                    tracing::warn!(parent: &self.span(), interaction_id = %self.to.id,
                        "the interaction expired before its answer reached Discord");
                }
                Some(retry::ALREADY_ACKNOWLEDGED) => {
                    self.acknowledged = true;
                    tracing::warn!(parent: &self.span(), interaction_id = %self.to.id,
                        "the interaction was already acknowledged: an answer whose reply was lost got there");
                }
                _ => {}
            }
        }
        if sent.is_ok() {
            self.responded = true;
            if let Some(flag) = self.shared {
                flag.store(true, Ordering::SeqCst);
            }
        }
        self.failed |= sent.is_err();
        sent
    }

    /// Sends `body` to `route` through [`Rest`], trying for up to `budget` from now, in the
    /// span.
    async fn send(
        &self,
        method: LightMethod,
        route: Route<'_>,
        body: &impl serde::Serialize,
        budget: Duration,
    ) -> serenity::Result<()> {
        let call = Call::new(method, route).body(serde_json::to_vec(body)?);
        let deadline = Instant::now() + budget;
        self.rest
            .send(self.http, call, Purpose::Answer, deadline)
            .instrument(self.span())
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{SystemTime, UNIX_EPOCH};

    /// A snowflake made at `unix_ms`.
    fn snowflake(unix_ms: u64) -> InteractionId {
        InteractionId::new(((unix_ms - DISCORD_EPOCH_MS) << 22) | 0x1_2345)
    }

    #[test]
    fn the_deadline_counts_from_the_interactions_creation() {
        let created_ms = 1_769_472_000_000; // 2026-01-27T00:00:00Z
        let id = snowflake(created_ms);
        assert_eq!(snowflake_unix_ms(id.get()), created_ms);
        let created = UNIX_EPOCH + Duration::from_millis(created_ms);
        let now = Instant::now();
        // Handled the moment it was made: the whole budget.
        assert_eq!(
            first_response_deadline(id, created, now),
            now + retry::FIRST_RESPONSE
        );
        // Handled 2 s after it was made (a queue, a slow setup): what is left of it.
        assert_eq!(
            first_response_deadline(id, created + Duration::from_secs(2), now),
            (now + retry::FIRST_RESPONSE)
                .checked_sub(Duration::from_secs(2))
                .unwrap()
        );
        // Older than the budget: one try, no retry.
        assert_eq!(
            first_response_deadline(id, created + Duration::from_secs(10), now),
            now
        );
    }

    #[test]
    fn a_clock_behind_discords_never_stretches_the_deadline() {
        let created_ms = 1_769_472_000_000;
        let now = Instant::now();
        // Our clock says the interaction was made in the future: the budget from now, no more.
        let behind = UNIX_EPOCH + Duration::from_millis(created_ms - 60_000);
        assert_eq!(
            first_response_deadline(snowflake(created_ms), behind, now),
            now + retry::FIRST_RESPONSE
        );
        // And the deadline of a real interaction made now is within the budget of now.
        let made_now = snowflake(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis() as u64,
        );
        assert!(
            first_response_deadline(made_now, SystemTime::now(), now)
                <= now + retry::FIRST_RESPONSE
        );
    }
}
