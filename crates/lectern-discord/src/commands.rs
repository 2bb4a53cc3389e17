//! The slash commands: one small function each, glue between an interaction and `reply::*`.
//!
//! A command reads the interaction's locale, takes one snapshot of the library (so a reply
//! never mixes two loads), builds a [`Reply`] with the core, says what it means (an
//! [`Outcome`]: answered, or a polite notice) and answers through a [`Responder`], which sends
//! it and records the outcome.
//!
//! Each command is one unit of the core ([`lectern_core::commands`]: its options, their
//! resolution, its answer); this file only carries it to and from Discord. Whichever front end
//! received the interaction, its options are read by [`Command::read`] and it is run by `run`:
//! poise (commands built here from the core's [`Spec`]s, generic over the host's user data `U`
//! and error `E`, each finding its [`Plugin`] in poise's `Command::custom_data`), or a plain
//! serenity host (through [`Plugin::handle`]). The English descriptions and the Chinese
//! localisations are the specs' ([`i18n`](super::i18n) applies the latter). Invariants: every command answers once, within Discord's
//! 3-second deadline (`/reload` defers first, since loading may be slow); a command never
//! hands an error to the host: `run` logs it with the interaction's id and the user gets a
//! short ephemeral apology.

use lectern_core::budget::DISCORD;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use poise::BoxFuture;
use poise::serenity_prelude as serenity;
use serenity::{AutocompleteChoice, CommandInteraction, ResolvedOption, ResolvedValue};
use tracing::Instrument;

use super::custom_id::Ids;
use super::plugin::{Plugin, Slash};
use super::respond::{Kind, Outcome, Responder, Track};
use super::retry;
use lectern_core::commands::delivery::Delivery;
use lectern_core::commands::reload::Reload;
use lectern_core::commands::{Command, Context, Opt, OptKind, Options, ReadError, Spec, menus};
use lectern_core::i18n::{Lang, Msg};
use lectern_core::key::TalkKey;
use lectern_core::library::{Library, Lookup, Pick};
use lectern_core::reply::Reply;
use lectern_core::search;

/// Errors of the standalone bot's framework; shown to users only as an apology.
pub type Error = anyhow::Error;

/// Every command, in the order Discord lists them, for any poise user data and error type,
/// built from the core's [`Spec`]s; unnamed, unlocalized and without a plugin:
/// [`Plugin::commands`] finishes them.
pub(crate) fn all<U: Send + Sync + 'static, E: 'static>() -> Vec<(Slash, poise::Command<U, E>)> {
    Slash::ALL
        .into_iter()
        .map(|name| (name, poise_command(name.spec())))
        .collect()
}

/// One command for poise: every command has the same action ([`slash_action`]), which reads
/// the options with [`Command::read`] as a plain serenity host does ([`Plugin::handle`]), so
/// both front ends run the same path.
///
/// Where a command exists: an operator command in servers, installed on servers only; a
/// read-only one also in DMs and private channels, and installable on a user's account
/// (`integration_types` 0 and 1). Discord keeps `contexts` and `integration_types` for global
/// commands only: a guild's set is sent without them ([`super::registration::body_for`]).
/// A message menu has its name and the one action of all menus ([`menu_action`]).
fn poise_command<U: Send + Sync + 'static, E: 'static>(spec: &Spec) -> poise::Command<U, E> {
    use serenity::{InstallationContext, InteractionContext};
    let operators = spec.operators_only;
    // `/settings` is for members who may manage the server, in servers only (and checked
    // again when it runs).
    let managers = operators || std::ptr::eq(spec, Slash::Settings.spec());
    let (contexts, installs) = if managers {
        (
            vec![InteractionContext::Guild],
            vec![InstallationContext::Guild],
        )
    } else {
        (
            vec![
                InteractionContext::Guild,
                InteractionContext::BotDm,
                InteractionContext::PrivateChannel,
            ],
            vec![InstallationContext::Guild, InstallationContext::User],
        )
    };
    let mut command = poise::Command {
        slash_action: Some(slash_action::<U, E>),
        name: spec.name.to_string(),
        qualified_name: spec.name.to_string(),
        identifying_name: spec.name.to_string(),
        source_code_name: spec.name.to_string(),
        description: Some(spec.description.to_string()),
        category: operators.then(|| "operators".to_string()),
        default_member_permissions: if managers {
            serenity::Permissions::MANAGE_GUILD
        } else {
            serenity::Permissions::empty()
        },
        interaction_context: Some(contexts),
        install_context: Some(installs),
        parameters: spec.options.iter().map(parameter::<U, E>).collect(),
        ..Default::default()
    };
    if spec.menu {
        command.slash_action = None;
        command.description = None;
        command.context_menu_action = Some(poise::ContextMenuCommandAction::Message(
            menu_action::<U, E>,
        ));
        command.context_menu_name = Some(spec.name.to_string());
    }
    command
}

fn parameter<U: Send + Sync + 'static, E: 'static>(opt: &Opt) -> poise::CommandParameter<U, E> {
    fn text(o: serenity::CreateCommandOption) -> serenity::CreateCommandOption {
        o.kind(serenity::CommandOptionType::String)
    }
    fn flag(o: serenity::CreateCommandOption) -> serenity::CreateCommandOption {
        o.kind(serenity::CommandOptionType::Boolean)
    }
    fn user(o: serenity::CreateCommandOption) -> serenity::CreateCommandOption {
        o.kind(serenity::CommandOptionType::User)
    }
    let type_setter: fn(serenity::CreateCommandOption) -> serenity::CreateCommandOption =
        match opt.kind {
            OptKind::Text => text,
            OptKind::Flag => flag,
            OptKind::User => user,
        };
    poise::CommandParameter {
        name: opt.name.to_string(),
        name_localizations: HashMap::new(),
        description: Some(opt.description.to_string()),
        description_localizations: HashMap::new(),
        required: opt.required,
        channel_types: None,
        choices: Vec::new(),
        type_setter: Some(type_setter),
        autocomplete_callback: if opt.autocomplete {
            Some(autocomplete::<U, E>)
        } else {
            None
        },
        __non_exhaustive: (),
    }
}

/// The options of an interaction, as the core reads them; for a message menu, the text of
/// its message as [`menus::TARGET_TEXT`] and the card its "Card" button offers (one of these
/// ids', [`super::card::offered`]) as [`menus::TARGET_CARD`].
pub(crate) struct Resolved<'a> {
    options: Vec<ResolvedOption<'a>>,
    text: Option<String>,
    card: Option<String>,
}

impl<'a> Resolved<'a> {
    pub(crate) fn of(i: &'a CommandInteraction, ids: &Ids) -> Resolved<'a> {
        let (text, card) = match i.data.target() {
            Some(serenity::ResolvedTarget::Message(m)) => (
                Some(message_text(m)),
                super::card::offered(ids, m).map(str::to_string),
            ),
            _ => (None, None),
        };
        Resolved {
            options: i.data.options(),
            text,
            card,
        }
    }
}

/// What a message says: its text, else (a message of embeds, such as lectern's own) its
/// embeds' titles and descriptions.
fn message_text(m: &serenity::Message) -> String {
    if !m.content.trim().is_empty() {
        return m.content.clone();
    }
    m.embeds
        .iter()
        .flat_map(|e| [e.title.as_deref(), e.description.as_deref()])
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
}

impl Options for Resolved<'_> {
    fn text(&self, name: &str) -> Option<String> {
        if name == menus::TARGET_TEXT && self.text.is_some() {
            return self.text.clone();
        }
        if name == menus::TARGET_CARD && self.card.is_some() {
            return self.card.clone();
        }
        self.options
            .iter()
            .find_map(|o| match (&o.value, o.name == name) {
                (ResolvedValue::String(s), true) => Some(s.to_string()),
                _ => None,
            })
    }

    fn user(&self, name: &str) -> Option<u64> {
        self.options
            .iter()
            .find_map(|o| match (&o.value, o.name == name) {
                (ResolvedValue::User(u, _), true) => Some(u.id.get()),
                _ => None,
            })
    }

    fn flag(&self, name: &str) -> Option<bool> {
        self.options
            .iter()
            .find_map(|o| match (&o.value, o.name == name) {
                (ResolvedValue::Boolean(b), true) => Some(*b),
                _ => None,
            })
    }
}

/// The plugin a poise command belongs to: [`Plugin::commands`] puts it in `custom_data`.
fn plugin_of<U, E>(command: &poise::Command<U, E>) -> Option<&Plugin> {
    let plugin = command.custom_data.downcast_ref::<Plugin>();
    if plugin.is_none() {
        tracing::error!(
            command = %command.name,
            "a lectern command without its plugin: take commands from Plugin::commands"
        );
    }
    plugin
}

/// What poise runs for every lectern command: the command its plugin knows by the
/// interaction's name, read and run as for a plain serenity host. lectern's commands never
/// hand an error to the host.
fn slash_action<U: Send + Sync + 'static, E: 'static>(
    ctx: poise::ApplicationContext<'_, U, E>,
) -> BoxFuture<'_, Result<(), poise::FrameworkError<'_, U, E>>> {
    Box::pin(async move {
        let Some(plugin) = plugin_of(ctx.command) else {
            return Ok(());
        };
        let Some(name) = plugin.slash(ctx.interaction) else {
            return Ok(());
        };
        let http = &ctx.serenity_context.http;
        run(
            plugin,
            http,
            ctx.interaction,
            ctx.has_sent_initial_response,
            name,
        )
        .await;
        Ok(())
    })
}

/// What poise runs for every lectern message menu: as [`slash_action`] (the message comes
/// with the interaction, [`Resolved::of`] reads its text and the card it offers).
fn menu_action<U: Send + Sync + 'static, E: 'static>(
    ctx: poise::ApplicationContext<'_, U, E>,
    _message: serenity::Message,
) -> BoxFuture<'_, Result<(), poise::FrameworkError<'_, U, E>>> {
    slash_action(ctx)
}

/// How an answer to `i` is delivered: its `private:` and `for:` (the server's default when
/// `private:` is not given), and privately wherever lectern is not a member (installed on the
/// user's account, used in a server or a private channel without the bot).
pub(crate) fn delivery(
    name: Slash,
    i: &CommandInteraction,
    ids: &Ids,
    private_by_default: bool,
) -> Delivery {
    let d = Delivery::read(name, &Resolved::of(i, ids), private_by_default);
    if is_member_where(i) { d } else { d.privately() }
}

/// Whether the bot is a member where `i` was used: a server that installed it, or its own DM.
/// An interaction that says nothing of who installed the app (older payloads) is taken as
/// from a server that did.
fn is_member_where(i: &CommandInteraction) -> bool {
    use serenity::{AuthorizingIntegrationOwner, InteractionContext};
    let owners = &i.authorizing_integration_owners.0;
    if owners.is_empty() || i.context == Some(InteractionContext::BotDm) {
        return true;
    }
    owners.iter().any(|o| match o {
        AuthorizingIntegrationOwner::GuildInstall(Some(g)) => Some(*g) == i.guild_id,
        _ => false,
    })
}

/// Autocomplete for every option that has it, for poise (which sends the choices).
fn autocomplete<'a, U: Send + Sync + 'static, E: 'static>(
    ctx: poise::ApplicationContext<'a, U, E>,
    partial: &'a str,
) -> BoxFuture<'a, Result<serenity::CreateAutocompleteResponse, poise::SlashArgError>> {
    Box::pin(async move {
        let choices = match plugin_of(ctx.command) {
            Some(plugin) => complete(plugin, ctx.interaction, partial),
            None => Vec::new(),
        };
        Ok(serenity::CreateAutocompleteResponse::new().set_choices(choices))
    })
}

/// Runs one invocation of a command of `plugin` and answers it. `sent` is the front end's
/// "first response sent" flag (poise's, so that its error handler would follow up rather than
/// answer twice). An error is logged with the interaction's id and answered with an apology.
pub(crate) async fn run(
    plugin: &Plugin,
    http: &serenity::Http,
    i: &CommandInteraction,
    sent: &AtomicBool,
    name: Slash,
) {
    let command: Result<Command, ReadError> = Command::read(name, &Resolved::of(i, plugin.ids()));
    let rest = &plugin.ops().rest;
    let mut r = Responder::command(http, i, plugin.ops(), plugin.ids())
        .sharing_first_response(sent)
        .with_cards(plugin.cards());
    let lang = Lang::from_locale(&i.locale);
    // Flood control first: a throttled user gets a note and no work is done.
    if let Some(wait) = plugin.throttle_command(i).await {
        match r.respond(&wait).await {
            Ok(()) => r.finish(Outcome::Throttled),
            Err(_) => r.finish(Outcome::Error),
        }
        return;
    }
    let command = match command {
        Ok(command) => command,
        Err(e) => {
            r.finish(Outcome::Error);
            let after = After::sent(sent.load(Ordering::SeqCst));
            apologize((http, rest), i, after, &anyhow::Error::from(e)).await;
            return;
        }
    };
    let result = match command {
        Command::Reload(reload) => reload_now(plugin, &mut r, i, reload.force, lang).await,
        Command::Settings(asked) => {
            crate::state::settings_now(plugin, &mut r, i, &asked, lang).await
        }
        command => {
            // The server's settings: the talks it sees, its language for public replies.
            let guild = plugin
                .guild_settings(i.guild_id.map(serenity::GuildId::get))
                .await;
            let lib = plugin.library_for(&guild.scope);
            let channel = plugin.draw_in(i.channel_id.get());
            let draw = crate::state::Remembering {
                inner: &channel,
                drawn: std::sync::Mutex::new(None),
            };
            let answer_in = |lang| {
                let cx = Context {
                    library: &lib,
                    lang,
                    about: plugin.about(),
                    draw: &draw,
                };
                r.span().in_scope(|| command.answer(&cx))
            };
            // `private:` (or the server's "private by default"), `for:`, and where the app
            // was installed decide how the answer is delivered.
            let delivery = delivery(name, i, plugin.ids(), guild.private_default);
            // A public answer is in the server's language; a private one is the asker's own,
            // in the asker's language.
            let public = crate::state::public_lang(&guild, lang);
            let shown_in = if delivery.private { lang } else { public };
            let mut answer = answer_in(shown_in);
            if answer.reply.ephemeral && shown_in != lang {
                answer = answer_in(lang);
            }
            let drawn = *draw.drawn.lock().unwrap();
            let in_lang = if answer.reply.ephemeral {
                lang
            } else {
                shown_in
            };
            let reply = delivery.apply(answer.reply, in_lang);
            let sent = r.respond(&reply).await.map(|()| answer.outcome);
            if matches!(sent, Ok(Outcome::Ok)) {
                crate::state::count_usage(plugin, Arc::clone(&lib), command, drawn);
            }
            sent
        }
    };
    let span = r.span();
    let after = After {
        sent: sent.load(Ordering::SeqCst),
        dead: r.expired() || r.acknowledged(),
    };
    match result {
        Ok(outcome) => r.finish(outcome),
        Err(e) => {
            r.finish(Outcome::Error);
            apologize((http, rest), i, after, &anyhow::Error::from(e))
                .instrument(span)
                .await;
        }
    }
}

/// Where an interaction stands when its handler failed.
#[derive(Debug, Clone, Copy)]
struct After {
    /// Its first response was sent.
    sent: bool,
    /// Discord said it cannot take another first response: expired (10062) or already
    /// acknowledged (40060).
    dead: bool,
}

impl After {
    fn sent(sent: bool) -> After {
        After { sent, dead: false }
    }
}

/// `/reload`: operators only (the plugin's policy decides who they are), deferred since
/// loading may take longer than the 3 s a first response has.
async fn reload_now(
    plugin: &Plugin,
    r: &mut Responder<'_>,
    i: &CommandInteraction,
    force: bool,
    lang: Lang,
) -> serenity::Result<Outcome> {
    // Discord's defaults can be overridden by server admins: check again here.
    if let Err(refusal) = plugin.may_reload(i, lang) {
        r.respond(&Reply::notice(&refusal)).await?;
        return Ok(Outcome::Refused);
    }
    if let Err(wait) = plugin.admit_reload() {
        let secs = lectern_core::cooldown::seconds_left(wait);
        r.respond(&Reply::notice(&Msg::reload_too_soon(secs, lang)))
            .await?;
        return Ok(Outcome::Refused);
    }
    // Loading may take longer than the 3 s a first response has.
    r.defer_ephemeral().await?;
    let by = format!("discord user {}", i.user.id);
    let report = plugin.ops().reload(force, &by).instrument(r.span()).await;
    let answer = Reload::answer(&report, lang);
    r.edit(&answer.reply).await?;
    Ok(answer.outcome)
}

/// The choices for `partial` in `plugin`'s library, for either front end, tracked: at most 25
/// labels of ≤ 100 characters. The value sent back is a stable id ([`Pick::value`]): a talk, a
/// section, a speaker or a tag, which the command reads back, so two sections of the same title
/// in two talks are two different choices.
pub(crate) fn complete(
    plugin: &Plugin,
    i: &CommandInteraction,
    partial: &str,
) -> Vec<AutocompleteChoice> {
    let started = Instant::now();
    // The talks the server sees, by its settings as last read (autocomplete cannot wait for
    // the database).
    let guild = plugin.known_settings(i.guild_id.map(serenity::GuildId::get));
    let lib = plugin.library_for(&guild.scope);
    let focused = i.data.autocomplete().map(|o| o.name.to_string());
    let choices = choices(&lib, focused.as_deref(), i, partial);
    // The front end sends the choices after this returns (without waiting out a 429): the
    // interaction is only tracked here, and its latency is the time to rank them.
    let metrics = Arc::clone(&plugin.ops().metrics);
    Track::command(Kind::Autocomplete, i, metrics)
        .since(started)
        .finish(Outcome::Ok);
    choices
}

/// Answers an autocomplete of one of `plugin`'s commands with its choices, through lectern's
/// own HTTP path (rate limits waited out until the first response's deadline), for a plain
/// serenity host and the standalone bot; a poise host's autocompletes are poise's to send.
pub(crate) async fn answer_autocomplete(
    plugin: &Plugin,
    http: &serenity::Http,
    i: &CommandInteraction,
) {
    let partial = i.data.autocomplete().map_or("", |o| o.value);
    let choices = complete(plugin, i, partial);
    let mut r = Responder::autocomplete(http, i, plugin.ops());
    if let Err(e) = r.choices(choices).await {
        tracing::warn!(
            interaction_id = %i.id,
            http_status = retry::http_status(&e),
            error = %e,
            "could not send the choices"
        );
    }
}

/// The choices for the focused option `focused` with `partial` typed: talks, speakers, tags or
/// sections (of the talk the `talk` option names when it does, else of every talk, labelled
/// with their talk).
fn choices(
    lib: &Library,
    focused: Option<&str>,
    i: &CommandInteraction,
    partial: &str,
) -> Vec<AutocompleteChoice> {
    let max = DISCORD.choices;
    let names = |list: Vec<lectern_core::library::NameChoice>| {
        list.into_iter()
            .map(|c| AutocompleteChoice::new(c.label, c.value))
            .collect()
    };
    match focused {
        Some("talk") => names(lib.talk_choices(partial, max)),
        Some("speaker") => names(lib.speaker_choices(partial, max)),
        Some("tag") => names(lib.tag_choices(partial, max)),
        _ => {
            let talk = i
                .data
                .options()
                .iter()
                .find_map(|o| match (&o.value, o.name) {
                    (ResolvedValue::String(s), "talk") => Some(s.to_string()),
                    _ => None,
                });
            // A talk that matches nothing (yet) does not narrow the choices.
            let within = match talk.map(|t| lib.resolve_talk(&t)) {
                Some(Lookup::Found(t)) => Some(t),
                _ => None,
            };
            search::autocomplete_in(lib, within, partial)
                .into_iter()
                .map(|c| {
                    let key = TalkKey::of(&lib.talks()[c.section.talk].id);
                    let value = Pick::Section(key, c.section.section).value();
                    AutocompleteChoice::new(c.label, value)
                })
                .collect()
        }
    }
}

/// Logs a failed command with the interaction's id and answers the user with a short
/// ephemeral apology: in place of the first response when it was sent (a deferral's
/// "thinking…"), nothing when Discord cannot take one (`after.dead`), and for an autocomplete
/// no choices, the only answer it takes.
async fn apologize(
    (http, rest): (&serenity::Http, &super::rest::Rest),
    i: &CommandInteraction,
    after: After,
    error: &Error,
) {
    let status = error
        .downcast_ref::<serenity::Error>()
        .and_then(retry::http_status);
    tracing::error!(
        interaction_id = %i.id,
        command = %i.data.name,
        http_status = status,
        error = %format!("{error:#}"),
        "command failed"
    );
    if after.dead {
        return;
    }
    let lang = Lang::from_locale(&i.locale);
    // A reply that was rate limited already waited until the first response's deadline:
    // the apology gets one try.
    let budget = if status == Some(429) {
        std::time::Duration::ZERO
    } else {
        retry::FIRST_RESPONSE
    };
    let mut r = Responder::after_error((http, rest), i, after.sent, budget);
    let apology = if i.data.autocomplete().is_some() {
        r.no_choices().await
    } else {
        r.apologize(&Reply::notice(Msg::InternalError.get(lang)))
            .await
    };
    if r.expired() || r.acknowledged() {
        return;
    }
    if let Err(e) = apology {
        tracing::error!(
            interaction_id = %i.id,
            http_status = retry::http_status(&e),
            error = %e,
            "could not send the apology"
        );
    }
}

/// The standalone bot's framework error handler. lectern's commands answer their own errors
/// (`run`); what reaches this is poise's: a command Discord knows but this process does not
/// (registered by an older version), options that do not parse. The log gets the details,
/// the user a short ephemeral apology, so that no interaction goes unanswered.
pub async fn on_error(error: poise::FrameworkError<'_, Plugin, Error>) {
    let described;
    let detail = match &error {
        poise::FrameworkError::Command { error, .. } => error,
        other => {
            described = anyhow::anyhow!("{other}");
            &described
        }
    };
    let (http, plugin, i, sent) = match &error {
        poise::FrameworkError::UnknownInteraction {
            ctx,
            interaction,
            framework,
            ..
        } => (&ctx.http, framework.user_data, *interaction, false),
        poise::FrameworkError::Setup { .. } | poise::FrameworkError::EventHandler { .. } => {
            tracing::error!(error = %detail, "framework error");
            return;
        }
        other => match other.ctx() {
            Some(poise::Context::Application(a)) => (
                &a.serenity_context.http,
                a.framework.user_data,
                a.interaction,
                a.has_sent_initial_response.load(Ordering::SeqCst),
            ),
            _ => {
                tracing::warn!(error = %detail, "framework error without an interaction");
                return;
            }
        },
    };
    // The standalone bot's event handler answers the autocompletes of lectern's own commands
    // (whatever poise made of them): a second answer would be refused.
    if i.data.autocomplete().is_some() && plugin.slash(i).is_some() {
        tracing::debug!(error = %detail, "framework error on an autocomplete lectern answers");
        return;
    }
    let rest = &plugin.ops().rest;
    apologize((http, rest), i, After::sent(sent), detail).await;
}
