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
//! - a 429 is waited out and the request tried again, with a growing pause: with an API base
//!   URL serenity's ratelimiter is off and its error keeps neither the `Retry-After` header nor
//!   the body's `retry_after`, so the pause cannot follow them; without one, serenity's
//!   ratelimiter sleeps the `retry-after` itself, in this task, never on the event path;
//! - when the scope changes (between `discord.guild_id` and global), lectern's own commands
//!   (by name) are deleted from the scopes the configuration names (global, `discord.guild_id`,
//!   `admin.guild_ids`) that no longer get a set; nothing else, and no other guild, is touched.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serde_json::{Map, Value, json};
use serenity::{Command, CommandId, CreateCommand, Http};

use super::operators::Scope;
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
pub async fn run(http: &Http, plan: Plan) {
    for (scope, set) in &plan.sets {
        register(http, *scope, set).await;
    }
    let mut cleaned = Vec::new();
    for &scope in &plan.named {
        if plan.sets.iter().any(|(s, _)| *s == scope) || cleaned.contains(&scope) {
            continue;
        }
        cleaned.push(scope);
        clean(http, scope, &plan.names).await;
    }
}

fn guild_of(scope: Scope) -> Option<u64> {
    match scope {
        Scope::Guild(g) => Some(g.get()),
        Scope::Global => None,
    }
}

/// The commands Discord has in `scope`, with their localizations.
async fn current(http: &Http, scope: Scope) -> serenity::Result<Vec<Command>> {
    match scope {
        Scope::Global => http.get_global_commands_with_localizations().await,
        Scope::Guild(g) => http.get_guild_commands_with_localizations(g).await,
    }
}

async fn register(http: &Http, scope: Scope, set: &[CreateCommand]) {
    let guild_id = guild_of(scope);
    let wanted = normalise(&serde_json::to_value(set).unwrap_or(Value::Null));
    match patiently(|| current(http, scope)).await {
        Ok(now) if normalise(&serde_json::to_value(&now).unwrap_or(Value::Null)) == wanted => {
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
    let put = patiently(|| async {
        match scope {
            Scope::Guild(g) => g.set_commands(http, set.to_vec()).await.map(|_| ()),
            Scope::Global => Command::set_global_commands(http, set.to_vec())
                .await
                .map(|_| ()),
        }
    })
    .await;
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
async fn clean(http: &Http, scope: Scope, names: &BTreeSet<String>) {
    let guild_id = guild_of(scope);
    let now = match patiently(|| current(http, scope)).await {
        Ok(now) => now,
        Err(e) => {
            tracing::error!(guild_id, error = %e, "CANNOT READ THE COMMANDS OF A SCOPE LECTERN LEFT: its old commands may still show");
            return;
        }
    };
    for c in now.iter().filter(|c| names.contains(&c.name)) {
        let id: CommandId = c.id;
        let deleted = patiently(|| async {
            match scope {
                Scope::Global => http.delete_global_command(id).await,
                Scope::Guild(g) => http.delete_guild_command(g, id).await,
            }
        })
        .await;
        match deleted {
            Ok(()) => tracing::info!(guild_id, command = %c.name, "old slash command removed"),
            Err(e) => {
                tracing::error!(guild_id, command = %c.name, error = %e, "CANNOT REMOVE AN OLD SLASH COMMAND")
            }
        }
    }
}

const FIRST_PAUSE: Duration = Duration::from_secs(1);
const LONGEST_PAUSE: Duration = Duration::from_secs(300);

/// Runs `attempt` until it is not answered 429, pausing longer each time.
async fn patiently<T, F, Fut>(mut attempt: F) -> serenity::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    let mut pause = FIRST_PAUSE;
    loop {
        match attempt().await {
            Err(e) if retry::is_rate_limited(&e) => {
                tracing::warn!(
                    wait_s = pause.as_secs(),
                    "command registration rate limited by Discord: waiting, then trying again"
                );
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(LONGEST_PAUSE);
            }
            other => return other,
        }
    }
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
/// exists, absent, `null`, `false` and empty collections alike, permissions as a string,
/// contexts and integration types sorted, commands sorted by name.
pub fn normalise(set: &Value) -> Vec<Value> {
    let mut commands: Vec<Value> = set
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let mut m = pick(c, COMMAND_KEYS);
            m.entry("type").or_insert(json!(1));
            if let Some(p) = m.get_mut("default_member_permissions") {
                if let Some(n) = p.as_u64() {
                    *p = json!(n.to_string());
                }
            }
            for k in ["contexts", "integration_types"] {
                if let Some(Value::Array(a)) = m.get_mut(k) {
                    a.sort_by_key(|v| v.as_u64());
                }
            }
            Value::Object(m)
        })
        .collect();
    commands.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
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
        let absent = match &x {
            Value::Null | Value::Bool(false) => true,
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
    }
}
