//! What the plugin keeps over time, through [`lectern_state::State`]: each server's settings
//! as every command reads them (the talks it sees, the language of public replies, private by
//! default), `/settings` itself, and the usage counts and knowledge gaps.
//!
//! The database is optional: a host that never calls [`Plugin::open_state`], a database that is
//! missing or corrupt, or `state.enabled = false` leave the plugin serving content as before,
//! every server seeing everything in its users' languages; `/settings` then says the state
//! features are unavailable.
//!
//! A server that sees some talks only is served a library of those talks
//! ([`Plugin::library_for`]): built once per library loaded and per set of talks, so search,
//! autocomplete, quotes and buttons all see the same subset.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use poise::serenity_prelude as serenity;
use serenity::CommandInteraction;

use crate::plugin::Plugin;
use crate::respond::{Outcome, Responder};
use lectern_core::commands::settings::{
    self, Refusal, Settings, TalksOption, TalksView, View, read_language, read_talks,
};
use lectern_core::commands::{Command, Draw};
use lectern_core::config::StateConfig;
use lectern_core::i18n::Lang;
use lectern_core::library::{Library, Lookup, QuoteScope};
use lectern_state::{Clock, GuildSettings, QuoteSchedule, Scope, State, Use};

impl Plugin {
    /// Opens the state database `config` names and applies its migrations; until then (or when
    /// it fails) the plugin has no state. A failure is logged as an error naming the file and
    /// the reason, and returned; content is served either way. `lectern serve` calls this at
    /// start; a host bot that wants `/settings` and the rest calls it once.
    pub async fn open_state(&self, config: &StateConfig) -> Result<(), String> {
        let slot = &self.shared.state;
        *slot.retention.write().unwrap() = (config.gaps_retention_days, config.leave_grace_days);
        if !config.enabled {
            *slot.error.write().unwrap() = Some("state.enabled is false".into());
            tracing::info!("no state database (state.enabled = false): state features unavailable");
            return Err("state.enabled is false".into());
        }
        let clock = Clock::from_setting(config.test_clock_file.clone());
        let url = Some(config.url.as_str()).filter(|u| !u.trim().is_empty());
        match State::open_configured(url, &config.path, clock).await {
            Ok(db) => {
                match url {
                    Some(url) => tracing::info!(
                        url = %lectern_state::redact_url(url),
                        "state database open (shared: flood control and quote rounds kept there too)"
                    ),
                    None => tracing::info!(path = %config.path.display(), "state database open"),
                }
                *slot.db.write().unwrap() = Some(db);
                *slot.error.write().unwrap() = None;
                Ok(())
            }
            Err(e) => {
                tracing::error!(
                    error = %e,
                    "NO STATE DATABASE: serving content; settings, the quote of the day, usage and gaps are unavailable"
                );
                let e = e.to_string();
                *slot.error.write().unwrap() = Some(e.clone());
                Err(e)
            }
        }
    }

    /// The state database, when it is open.
    pub fn state(&self) -> Option<State> {
        self.shared.state.db.read().unwrap().clone()
    }

    /// The settings of `guild` (the defaults outside a server, without a database, or when
    /// reading fails, which is logged).
    pub async fn guild_settings(&self, guild: Option<u64>) -> GuildSettings {
        let (Some(db), Some(guild)) = (self.state(), guild) else {
            return GuildSettings::default();
        };
        match db.settings(guild).await {
            Ok(s) => {
                self.remember(guild, &s);
                s
            }
            Err(e) => {
                tracing::warn!(guild, error = %e, "cannot read a server's settings: the defaults apply");
                self.known_settings(Some(guild))
            }
        }
    }

    /// The settings of `guild` as last read or written by this process (the defaults when
    /// never), without asking the database.
    pub fn known_settings(&self, guild: Option<u64>) -> GuildSettings {
        guild
            .and_then(|g| self.shared.state.known.lock().unwrap().get(&g).cloned())
            .unwrap_or_default()
    }

    fn remember(&self, guild: u64, s: &GuildSettings) {
        let mut known = self.shared.state.known.lock().unwrap();
        if *s == GuildSettings::default() {
            known.remove(&guild);
        } else {
            known.insert(guild, s.clone());
        }
    }

    /// The library a server of `scope` sees: the one in service, or the subset of its talks
    /// the scope names.
    pub fn library_for(&self, scope: &Scope) -> Arc<Library> {
        let lib = self.library();
        if *scope == Scope::All {
            return lib;
        }
        let generation = Arc::as_ptr(&lib) as usize;
        let mut cache = self.shared.state.scoped.lock().unwrap();
        if cache.0 != generation {
            *cache = (generation, HashMap::new());
        }
        Arc::clone(
            cache
                .1
                .entry(scope.clone())
                .or_insert_with(|| Arc::new(subset(&lib, scope))),
        )
    }
}

/// The talks of `lib` that `scope` names, as a library of their own.
pub(crate) fn subset(lib: &Library, scope: &Scope) -> Library {
    let talks = lib
        .talks()
        .iter()
        .enumerate()
        .filter(|(t, talk)| match scope {
            Scope::All => true,
            Scope::Tag(tag) => lib.has_tag(*t, tag),
            Scope::Talks(ids) => ids.contains(&talk.id),
        })
        .map(|(_, talk)| talk.clone())
        .collect();
    Library::from_talks(talks)
}

/// The language of a public reply in a server with these settings: the server's, else the
/// user's.
pub(crate) fn public_lang(settings: &GuildSettings, user: Lang) -> Lang {
    settings.lang.as_deref().map_or(user, Lang::from_locale)
}

/// A [`Draw`] that remembers what it drew, for the usage counts.
pub(crate) struct Remembering<'a> {
    pub(crate) inner: &'a dyn Draw,
    pub(crate) drawn: Mutex<Option<(QuoteScope, usize)>>,
}

impl Draw for Remembering<'_> {
    fn draw(&self, lib: &Library, scope: QuoteScope, pool: usize) -> Option<usize> {
        let i = self.inner.draw(lib, scope, pool);
        *self.drawn.lock().unwrap() = i.map(|i| (scope, i));
        i
    }
}

/// Counts what one answered command used, off the interaction's path: the section or talk
/// opened, the quote shown, what a search found, or a search that found nothing.
pub(crate) fn count_usage(
    plugin: &Plugin,
    lib: Arc<Library>,
    command: Command,
    drawn: Option<(QuoteScope, usize)>,
) {
    let Some(db) = plugin.state() else {
        return;
    };
    tokio::spawn(async move {
        let mut uses: Vec<(String, Option<usize>, Use)> = Vec::new();
        let id = |t: usize| lib.talks().get(t).map(|talk| talk.id.clone());
        match &command {
            Command::Topic(t) => {
                if let Ok(r) = t.resolve(&lib, Lang::En)
                    && let Some(talk) = id(r.talk)
                {
                    uses.push((talk, Some(r.section), Use::Opened));
                }
            }
            Command::Topics(t) => {
                if let Ok(lectern_core::commands::topics::Listing::Talk(t)) =
                    t.resolve(&lib, Lang::En)
                    && let Some(talk) = id(t)
                {
                    uses.push((talk, None, Use::Opened));
                }
            }
            Command::Quote(_) => {
                if let Some((scope, i)) = drawn
                    && let Some(q) = scope.pool(&lib).get(i)
                    && let Some((talk, quote)) = lib.quote(*q)
                {
                    uses.push((talk.id.clone(), quote.section, Use::Quoted));
                }
            }
            Command::Search(s) if !s.query.trim().is_empty() => {
                let query = s.query.clone();
                let lib = Arc::clone(&lib);
                let hits = tokio::task::spawn_blocking(move || {
                    lectern_core::search::search(&*lib, &query, 5).hits
                })
                .await
                .unwrap_or_default();
                if hits.is_empty()
                    && let Err(e) = db.count_gap(&s.query).await
                {
                    tracing::warn!(error = %e, "cannot count a search that found nothing");
                }
                for h in hits {
                    if let Some(talk) = id(h.talk) {
                        uses.push((talk, h.section, Use::Found));
                    }
                }
            }
            _ => {}
        }
        for (talk, section, what) in uses {
            if let Err(e) = db.count_use(&talk, section, what).await {
                tracing::warn!(error = %e, "cannot count a use");
                return;
            }
        }
    });
}

/// Whether the user of `i` may manage its server (Manage Server or Administrator, as Discord
/// resolved them in the channel).
fn may_manage(i: &CommandInteraction) -> bool {
    i.member
        .as_ref()
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_guild() || p.administrator())
}

/// `/settings`: shows, changes or resets the server's settings; always ephemeral, in the
/// asker's language.
pub(crate) async fn settings_now(
    plugin: &Plugin,
    r: &mut Responder<'_>,
    i: &CommandInteraction,
    asked: &Settings,
    lang: Lang,
) -> serenity::Result<Outcome> {
    let refuse = |why: Refusal| settings::refusal(&why, lang);
    let Some(guild) = i.guild_id.map(serenity::GuildId::get) else {
        r.respond(&refuse(Refusal::NotInServer)).await?;
        return Ok(Outcome::Refused);
    };
    // Discord's default permissions can be overridden by a server's admins: checked here too.
    if !may_manage(i) {
        r.respond(&refuse(Refusal::NotManager)).await?;
        return Ok(Outcome::Refused);
    }
    let Some(db) = plugin.state() else {
        r.respond(&refuse(Refusal::Unavailable)).await?;
        return Ok(Outcome::Notice);
    };
    let current = match db.settings(guild).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(guild, error = %e, "cannot read a server's settings");
            r.respond(&refuse(Refusal::Unavailable)).await?;
            return Ok(Outcome::Error);
        }
    };
    let lib = plugin.library();
    let next = if asked.reset {
        GuildSettings::default()
    } else {
        match apply(&current, asked, &lib, i.channel_id.get()) {
            Ok(next) => next,
            Err(why) => {
                r.respond(&refuse(why)).await?;
                return Ok(Outcome::Notice);
            }
        }
    };
    let changed = !asked.is_show() || asked.reset;
    let saved = if asked.reset {
        db.forget_guild(guild).await
    } else if changed {
        db.save_settings(guild, &next).await
    } else {
        Ok(())
    };
    if let Err(e) = saved {
        tracing::error!(guild, error = %e, "cannot save a server's settings");
        r.respond(&refuse(Refusal::Unavailable)).await?;
        return Ok(Outcome::Error);
    }
    if changed {
        plugin.remember(guild, &next);
        tracing::info!(guild, user = %i.user.id, reset = asked.reset, "server settings changed");
    }
    r.respond(&settings::view(&view_of(&next, &lib), changed, lang))
        .await?;
    Ok(Outcome::Ok)
}

/// `current` with what `asked` changes, or why it cannot be.
fn apply(
    current: &GuildSettings,
    asked: &Settings,
    lib: &Library,
    channel: u64,
) -> Result<GuildSettings, Refusal> {
    let mut next = current.clone();
    if let Some(language) = &asked.language {
        let locale = read_language(language).ok_or_else(|| Refusal::Language(language.clone()))?;
        next.lang = locale.map(str::to_string);
    }
    if let Some(talks) = &asked.talks {
        next.scope = match read_talks(talks) {
            TalksOption::All => Scope::All,
            TalksOption::Tag(tag) => match lib.resolve_tag(&tag) {
                Lookup::Found(name) => Scope::Tag(name.name.clone()),
                _ => return Err(Refusal::Tag(tag)),
            },
            TalksOption::Talks(names) => {
                let mut ids = Vec::new();
                for name in names {
                    match lib.resolve_talk(&name) {
                        Lookup::Found(t) => ids.push(lib.talks()[t].id.clone()),
                        _ => return Err(Refusal::Talk(name)),
                    }
                }
                if ids.is_empty() {
                    Scope::All
                } else {
                    Scope::Talks(ids)
                }
            }
        };
    }
    if let Some(private) = asked.private {
        next.private_default = private;
    }
    if let Some(zone) = &asked.timezone
        && !lectern_state::known_zone(zone)
    {
        return Err(Refusal::Zone(zone.clone()));
    }
    match asked.quote_time.as_deref() {
        Some(off) if off.eq_ignore_ascii_case("off") => next.quote = None,
        Some(time) => {
            let time = lectern_state::parse_time(time).ok_or_else(|| Refusal::Time(time.into()))?;
            let zone = asked
                .timezone
                .clone()
                .or_else(|| current.quote.as_ref().map(|q| q.zone.clone()))
                .unwrap_or_else(|| "UTC".into());
            next.quote = Some(QuoteSchedule {
                channel,
                time,
                zone,
            });
            // Set again: a paused quote of the day resumes.
            next.quote_failures = 0;
            next.quote_error = None;
        }
        None => {
            if let (Some(zone), Some(q)) = (&asked.timezone, next.quote.as_mut()) {
                q.zone.clone_from(zone);
            } else if asked.timezone.is_some() {
                return Err(Refusal::Time(String::new()));
            }
        }
    }
    if let Some(announce) = asked.announce {
        next.announce = announce.then_some(channel);
    }
    Ok(next)
}

/// What `/settings` shows of `s`.
fn view_of(s: &GuildSettings, lib: &Library) -> View {
    View {
        language: s.lang.clone(),
        talks: match &s.scope {
            Scope::All => None,
            Scope::Tag(t) => Some(TalksView::Tag(t.clone())),
            Scope::Talks(ids) => Some(TalksView::Talks(
                ids.iter()
                    .map(|id| {
                        lib.talk_by_id(id)
                            .map_or_else(|| id.clone(), |(_, t)| t.title.clone())
                    })
                    .collect(),
            )),
        },
        private: s.private_default,
        quote: s.quote.as_ref().map(|q| {
            (
                q.channel,
                q.time.strftime("%H:%M").to_string(),
                q.zone.clone(),
            )
        }),
        paused: s.quote_paused(),
        last_error: s.quote_error.clone(),
        announce: s.announce,
    }
}
