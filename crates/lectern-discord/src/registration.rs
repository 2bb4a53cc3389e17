//! Registering lectern's slash commands with Discord, off the event path.
//!
//! poise holds every event until its setup returns, so the standalone bot's setup only
//! spawns [`run`]: commands are answered while registration waits out a 429 or a slow Discord.
//!
//! Invariants:
//! - a scope's set is written (bulk overwrite, `PUT`) only when Discord does not already have
//!   the same commands: both are compared in a normalised form ([`normalise`]: names,
//!   descriptions, options, localizations, contexts, integration types, default member
//!   permissions), since creates are limited (200 a day per guild);
//! - `contexts` and `integration_types` exist for global commands only: a guild's set is sent
//!   and compared without them (Discord keeps none for a guild, so a comparison with them would
//!   never find a guild's set unchanged and rewrite it at every start);
//! - every request goes through [`Rest`]: an empty bucket is waited for, a 429 waited out for
//!   its `retry_after` and tried again, in this task, never on the event path;
//! - when the scope changes (between `discord.guild_id` and global), lectern's own commands
//!   (by name) are deleted from the scopes the configuration names (global, `discord.guild_id`,
//!   `admin.guild_ids`) that no longer get a set; nothing else, and no other guild, is touched.

use std::collections::BTreeSet;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serde_json::{Map, Value, json};
use serenity::{Command, CreateCommand, Http, LightMethod, Route};

use super::operators::Scope;
use super::rest::{self, Call, Purpose, Rest};
use super::retry;

/// What to register, and where to clean.
#[derive(Debug)]
pub struct Plan {
    /// The set of each scope that gets one ([`super::operators::scopes`]).
    pub sets: Vec<(Scope, Vec<CreateCommand>)>,
    /// Every scope the configuration names; those without a set lose lectern's commands.
    pub named: Vec<Scope>,
    /// lectern's own command names.
    pub names: BTreeSet<String>,
}

/// Registers every set, then cleans the named scopes that have none. Failures are logged,
/// loudly; nothing is returned (this runs in its own task).
pub async fn run(http: &Http, rest: &Rest, plan: Plan) {
    let to = To { http, rest };
    for (scope, set) in &plan.sets {
        register(to, *scope, set).await;
    }
    let mut cleaned = Vec::new();
    for &scope in &plan.named {
        if plan.sets.iter().any(|(s, _)| *s == scope) || cleaned.contains(&scope) {
            continue;
        }
        cleaned.push(scope);
        clean(to, scope, &plan.names).await;
    }
}

/// Where registration's requests go.
#[derive(Clone, Copy)]
struct To<'a> {
    http: &'a Http,
    rest: &'a Rest,
}

/// How long registration keeps trying a request Discord rate limits: it runs in its own task,
/// so as long as it takes (a day, for Discord's daily limit on creates).
const PATIENCE: Duration = Duration::from_secs(24 * 3600);

impl To<'_> {
    /// Sends `body` to `route`, waiting out rate limits; the body of the answer.
    async fn send(
        self,
        method: LightMethod,
        route: Route<'_>,
        body: Option<&Value>,
    ) -> serenity::Result<Vec<u8>> {
        let call = Call {
            method,
            route,
            body: body.map(serde_json::to_vec).transpose()?,
            params: (method == LightMethod::Get)
                .then(|| vec![("with_localizations", "true".to_string())]),
        };
        let deadline = std::time::Instant::now() + PATIENCE;
        self.rest
            .send(self.http, call, Purpose::Registration, deadline)
            .await
    }

    /// The route of `scope`'s whole set.
    #[allow(clippy::result_large_err)] // serenity's error, as every serenity call returns it
    fn set_of(self, scope: Scope) -> serenity::Result<Route<'static>> {
        let application_id = rest::application_id(self.http)?;
        Ok(match scope {
            Scope::Global => Route::Commands { application_id },
            Scope::Guild(guild_id) => Route::GuildCommands {
                application_id,
                guild_id,
            },
        })
    }
}

fn guild_of(scope: Scope) -> Option<u64> {
    match scope {
        Scope::Guild(g) => Some(g.get()),
        Scope::Global => None,
    }
}

/// The commands Discord has in `scope`, with their localizations.
async fn current(to: To<'_>, scope: Scope) -> serenity::Result<Vec<Command>> {
    let body = to.send(LightMethod::Get, to.set_of(scope)?, None).await?;
    Ok(serde_json::from_slice(&body)?)
}

/// `set` as it is sent to `scope`: without the global-only fields in a guild.
pub fn body_for(scope: Scope, set: &[CreateCommand]) -> Value {
    let mut body = serde_json::to_value(set).unwrap_or(Value::Null);
    if let Scope::Guild(_) = scope {
        for c in body.as_array_mut().into_iter().flatten() {
            if let Some(c) = c.as_object_mut() {
                for k in GLOBAL_ONLY {
                    c.remove(*k);
                }
            }
        }
    }
    body
}

/// The fields Discord knows for global commands only.
const GLOBAL_ONLY: &[&str] = &["contexts", "integration_types"];

async fn register(to: To<'_>, scope: Scope, set: &[CreateCommand]) {
    let guild_id = guild_of(scope);
    let body = body_for(scope, set);
    let wanted = normalise_in(scope, &body);
    match current(to, scope).await {
        Ok(now)
            if normalise_in(scope, &serde_json::to_value(&now).unwrap_or(Value::Null))
                == wanted =>
        {
            tracing::info!(
                commands = set.len(),
                guild_id,
                "slash commands unchanged: not registered again"
            );
            return;
        }
        Ok(_) => {}
        // Not knowing what Discord has is no reason not to write the set.
        Err(e) => tracing::warn!(guild_id, error = %e, "cannot read the registered commands"),
    }
    let put = match to.set_of(scope) {
        Ok(route) => to
            .send(LightMethod::Put, route, Some(&body))
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match put {
        Ok(()) => tracing::info!(
            commands = set.len(),
            scope = if guild_id.is_some() {
                "guild"
            } else {
                "global"
            },
            guild_id,
            "slash commands registered"
        ),
        Err(e) => tracing::error!(
            error = %e,
            http_status = retry::http_status(&e),
            guild_id,
            "COMMAND REGISTRATION FAILED: the slash commands may be missing or outdated in Discord"
        ),
    }
}

/// Deletes lectern's own commands (by name) from `scope`.
async fn clean(to: To<'_>, scope: Scope, names: &BTreeSet<String>) {
    let guild_id = guild_of(scope);
    let now = match current(to, scope).await {
        Ok(now) => now,
        Err(e) => {
            tracing::error!(guild_id, error = %e, "CANNOT READ THE COMMANDS OF A SCOPE LECTERN LEFT: its old commands may still show");
            return;
        }
    };
    for c in now.iter().filter(|c| names.contains(&c.name)) {
        let deleted = match (rest::application_id(to.http), scope) {
            (Ok(application_id), Scope::Global) => {
                let route = Route::Command {
                    application_id,
                    command_id: c.id,
                };
                to.send(LightMethod::Delete, route, None).await.map(|_| ())
            }
            (Ok(application_id), Scope::Guild(guild_id)) => {
                let route = Route::GuildCommand {
                    application_id,
                    guild_id,
                    command_id: c.id,
                };
                to.send(LightMethod::Delete, route, None).await.map(|_| ())
            }
            (Err(e), _) => Err(e),
        };
        match deleted {
            Ok(()) => tracing::info!(guild_id, command = %c.name, "old slash command removed"),
            Err(e) => {
                tracing::error!(guild_id, command = %c.name, error = %e, "CANNOT REMOVE AN OLD SLASH COMMAND");
            }
        }
    }
}

/// Whether Discord takes `name` as a command or option name (and a localized one):
/// `^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, lowercase where the script has case.
/// Unicode's Alphabetic (Rust's `is_alphanumeric`) is wider than L and N: it admits combining
/// marks (an Arabic fatha, a Greek ypogegrammeni) that Discord refuses outside Devanagari and
/// Thai.
pub fn is_command_name(name: &str) -> bool {
    static PATTERN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        regex::Regex::new(r"^[-_\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$").expect("a valid pattern")
    });
    pattern.is_match(name) && !name.chars().any(char::is_uppercase)
}

const COMMAND_KEYS: &[&str] = &[
    "type",
    "name",
    "name_localizations",
    "description",
    "description_localizations",
    "options",
    "default_member_permissions",
    "nsfw",
    "contexts",
    "integration_types",
];

const OPTION_KEYS: &[&str] = &[
    "type",
    "name",
    "name_localizations",
    "description",
    "description_localizations",
    "required",
    "choices",
    "options",
    "channel_types",
    "min_value",
    "max_value",
    "min_length",
    "max_length",
    "autocomplete",
];

const CHOICE_KEYS: &[&str] = &["name", "name_localizations", "value"];

/// A set of commands as JSON (what lectern sends, or what Discord has) in a form where the
/// same commands compare equal: only the fields a user sees or that decide where a command
/// exists, absent, `null`, `false`, `""` and empty collections alike, permissions as a string,
/// contexts and integration types sorted, commands sorted by name.
pub fn normalise(set: &Value) -> Vec<Value> {
    let mut commands: Vec<Value> = set
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let mut m = pick(c, COMMAND_KEYS);
            m.entry("type").or_insert(json!(1));
            if let Some(p) = m.get_mut("default_member_permissions")
                && let Some(n) = p.as_u64()
            {
                *p = json!(n.to_string());
            }
            for k in ["contexts", "integration_types"] {
                if let Some(Value::Array(a)) = m.get_mut(k) {
                    a.sort_by_key(serde_json::Value::as_u64);
                }
            }
            Value::Object(m)
        })
        .collect();
    commands.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    commands
}

/// [`normalise`] for `scope`: a guild's set without the global-only fields, on either side.
fn normalise_in(scope: Scope, set: &Value) -> Vec<Value> {
    let mut commands = normalise(set);
    if let Scope::Guild(_) = scope {
        for c in &mut commands {
            if let Some(c) = c.as_object_mut() {
                for k in GLOBAL_ONLY {
                    c.remove(*k);
                }
            }
        }
    }
    commands
}

fn pick(v: &Value, keys: &[&str]) -> Map<String, Value> {
    let mut m = Map::new();
    for &k in keys {
        let Some(x) = v.get(k) else { continue };
        let x = match k {
            "options" => each(x, OPTION_KEYS),
            "choices" => each(x, CHOICE_KEYS),
            _ => x.clone(),
        };
        // A message menu has no description: sent without one, read back as "".
        let absent = match &x {
            Value::Null | Value::Bool(false) => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
        if !absent {
            m.insert(k.to_string(), x);
        }
    }
    m
}

fn each(v: &Value, keys: &[&str]) -> Value {
    Value::Array(
        v.as_array()
            .into_iter()
            .flatten()
            .map(|o| Value::Object(pick(o, keys)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_follow_discords_pattern() {
        for ok in [
            "topic",
            "talk-topic",
            "t_2",
            "主题",
            "重新載入",
            "विषय",
            "หัวข้อ",
            "тема",
        ] {
            assert!(is_command_name(ok), "{ok}");
        }
        // A combining mark outside Devanagari and Thai is Alphabetic to Rust, not to Discord.
        assert!('\u{64E}'.is_alphanumeric() && '\u{345}'.is_alphanumeric());
        for bad in [
            "",
            "Topic",
            "topic\u{64E}",
            "\u{345}x",
            "a b",
            "topic!",
            &"x".repeat(33),
        ] {
            assert!(!is_command_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_same_commands_compare_equal_whatever_discord_adds() {
        let sent = json!([
            {"name": "topic", "description": "Open", "type": 1, "contexts": [1, 0],
             "integration_types": [0], "default_member_permissions": null,
             "name_localizations": {"zh-CN": "主题"},
             "options": [{"type": 3, "name": "section", "description": "s", "required": true,
                          "autocomplete": true, "choices": []}]},
            {"name": "about", "description": "About", "nsfw": false}
        ]);
        let discord = json!([
            {"id": "1", "application_id": "2", "version": "3", "name": "about",
             "description": "About", "type": 1, "name_localizations": null, "options": []},
            {"id": "4", "name": "topic", "description": "Open", "type": 1, "contexts": [0, 1],
             "integration_types": [0], "name_localizations": {"zh-CN": "主题"},
             "description_localizations": {},
             "options": [{"type": 3, "name": "section", "description": "s", "required": true,
                          "autocomplete": true}]}
        ]);
        assert_eq!(normalise(&sent), normalise(&discord));
        let mut changed = discord.clone();
        changed[1]["contexts"] = json!([0]);
        assert_ne!(normalise(&sent), normalise(&changed));
        let mut changed = discord.clone();
        changed[0]["default_member_permissions"] = json!("32");
        assert_ne!(normalise(&sent), normalise(&changed));
        // A message menu is sent without a description and read back with an empty one.
        let menu = json!([{"name": "Search the talks", "type": 3}]);
        let read = json!([{"id": "5", "name": "Search the talks", "type": 3, "description": ""}]);
        assert_eq!(normalise(&menu), normalise(&read));
    }
}
