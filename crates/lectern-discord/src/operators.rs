//! [`Operators`]: who may run lectern's operator commands (`/reload`).
//!
//! The content is shared by every server the bot is in, so reloading it is the host's act, not
//! a server admin's: operators are the application's owner or its team members (read from
//! Discord with `GET /oauth2/applications/@me`, see [`learn_owners`]), the users in
//! `admin.user_ids`, and the members with Manage Server (or Administrator) of the guilds in
//! `admin.guild_ids`. With neither list set, only the owner or team.
//!
//! Invariants:
//! - permissions are read from the interaction (`member.permissions`, resolved by Discord for
//!   that channel) and count only in a listed guild: Manage Server in a guild anyone can create
//!   proves nothing;
//! - until the owner is known (the call failed, or has not returned yet), only the configured
//!   lists are operators; the call is retried in the background and its failure logged loudly;
//! - `/reload` is registered only where an operator can use it ([`scopes`]).

use std::collections::HashSet;
use std::sync::RwLock;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{CreateCommand, GuildId, Permissions};

use lectern_core::config::AdminConfig;
use lectern_core::i18n::Lang;

/// The policy: who is an operator.
#[derive(Debug, Default)]
pub struct Operators {
    user_ids: HashSet<u64>,
    guild_ids: Vec<u64>,
    /// The application's owner and team members; `None` until Discord said.
    owners: RwLock<Option<HashSet<u64>>>,
}

/// The poise category of operator commands: they are registered by [`scopes`].
pub const CATEGORY: &str = "operators";

impl Operators {
    /// The operators the `[admin]` configuration names; the owner is not known until
    /// [`Operators::set_owners`] (see [`learn_owners`]).
    pub fn from_config(admin: &AdminConfig) -> Operators {
        Operators {
            user_ids: admin.user_ids.iter().copied().collect(),
            guild_ids: admin.guild_ids.clone(),
            owners: RwLock::new(None),
        }
    }

    /// The application's owner and team members, as Discord gave them.
    pub fn set_owners(&self, owners: impl IntoIterator<Item = u64>) {
        *self
            .owners
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(owners.into_iter().collect());
    }

    /// Whether Discord has said who owns the application.
    pub fn owners_known(&self) -> bool {
        self.owners
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }

    /// Whether `user`, in `guild` (none in a DM) with `permissions` there, is an operator.
    pub fn is_operator(
        &self,
        user: u64,
        guild: Option<u64>,
        permissions: Option<Permissions>,
    ) -> bool {
        let owner = self
            .owners
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .is_some_and(|o| o.contains(&user));
        let manages_a_listed_guild = guild.is_some_and(|g| self.guild_ids.contains(&g))
            && permissions.is_some_and(|p| {
                p.intersects(Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD)
            });
        owner || self.user_ids.contains(&user) || manages_a_listed_guild
    }

    /// The refusal: who may.
    pub fn refusal(&self, lang: Lang) -> String {
        lectern_core::i18n::Msg::not_operator(
            !self.user_ids.is_empty(),
            !self.guild_ids.is_empty(),
            lang,
        )
    }

    /// The guilds whose managers are operators.
    pub fn guild_ids(&self) -> &[u64] {
        &self.guild_ids
    }
}

/// Where a set of commands is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In every server the bot is in (Discord may take a while to show changes).
    Global,
    /// In this one server only (shown at once).
    Guild(GuildId),
}

/// Splits the commands into the sets to register: every command in `home` (one guild, the
/// `discord.guild_id` setup) or globally; operator commands ([`CATEGORY`]) instead only in the
/// operators' guilds when `admin.guild_ids` lists any. A guild's set is replaced whole by
/// Discord, so a guild that is both gets one set with both.
pub fn scopes<U, E>(
    commands: &[poise::Command<U, E>],
    home: Option<GuildId>,
    operator_guilds: &[u64],
) -> Vec<(Scope, Vec<CreateCommand>)> {
    let home = home.map_or(Scope::Global, Scope::Guild);
    if operator_guilds.is_empty() {
        return vec![(home, crate::i18n::create_all(commands))];
    }
    let (operator, public): (Vec<_>, Vec<_>) = commands
        .iter()
        .partition(|c| c.category.as_deref() == Some(CATEGORY));
    let build = |cs: &[&poise::Command<U, E>]| -> Vec<CreateCommand> {
        cs.iter().filter_map(|c| crate::i18n::create(c)).collect()
    };
    let mut sets = vec![(home, build(&public))];
    for &g in operator_guilds {
        let scope = Scope::Guild(GuildId::new(g));
        match sets.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, set)) => set.extend(build(&operator)),
            None => sets.push((scope, build(&operator))),
        }
    }
    sets
}

/// Reads the application's owner and team from Discord into `operators`, retrying with a
/// growing pause (up to ten minutes) until it succeeds; each failure is logged as an error.
pub async fn learn_owners(http: std::sync::Arc<serenity::Http>, operators: &Operators) {
    let mut pause = Duration::from_secs(5);
    loop {
        match http.get_current_application_info().await {
            Ok(app) => {
                let mut owners: Vec<u64> = app.owner.iter().map(|u| u.id.get()).collect();
                if let Some(team) = &app.team {
                    owners.extend(
                        team.members
                            .iter()
                            // Accepted members who may act: a read-only member may look at
                            // the application, not change what it serves.
                            .filter(|m| {
                                m.membership_state == serenity::MembershipState::Accepted
                                    && m.role != serenity::TeamMemberRole::ReadOnly
                            })
                            .map(|m| m.user.id.get()),
                    );
                }
                tracing::info!(owners = ?owners, team = app.team.is_some(), "application owner known");
                operators.set_owners(owners);
                return;
            }
            Err(e) => {
                tracing::error!(
                    error = %e,
                    retry_in_s = pause.as_secs(),
                    "CANNOT READ THE APPLICATION'S OWNER: until it is known, only admin.user_ids and managers of admin.guild_ids may /reload"
                );
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(600));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: u64 = 10;
    const STRANGER_GUILD: u64 = 20;

    #[test]
    fn operators_are_owners_listed_users_and_managers_of_listed_guilds() {
        let manage = Some(Permissions::MANAGE_GUILD);
        let admin = Some(Permissions::ADMINISTRATOR);
        let member = Some(Permissions::SEND_MESSAGES);
        let ops = Operators::from_config(&AdminConfig {
            user_ids: vec![7],
            guild_ids: vec![HOME],
        });
        // (user, guild, permissions, operator?)
        let cases = [
            (7, None, None, true),
            (7, Some(STRANGER_GUILD), member, true),
            (8, Some(HOME), manage, true),
            (8, Some(HOME), admin, true),
            (8, Some(HOME), member, false),
            (8, Some(STRANGER_GUILD), admin, false),
            (8, Some(STRANGER_GUILD), manage, false),
            (8, None, None, false),
            (1, Some(STRANGER_GUILD), member, false),
        ];
        let check = |ops: &Operators, cases: &[(u64, Option<u64>, Option<Permissions>, bool)]| {
            for &(user, guild, perms, want) in cases {
                assert_eq!(
                    ops.is_operator(user, guild, perms),
                    want,
                    "{user} {guild:?} {perms:?}"
                );
            }
        };
        check(&ops, &cases);
        // The owner, once known, everywhere and without any permission.
        assert!(!ops.owners_known());
        ops.set_owners([1, 3]);
        check(
            &ops,
            &[
                (1, Some(STRANGER_GUILD), member, true),
                (3, None, None, true),
            ],
        );

        // Neither list: only the owner.
        let only_owner = Operators::from_config(&AdminConfig::default());
        check(
            &only_owner,
            &[(8, Some(HOME), admin, false), (1, None, None, false)],
        );
        only_owner.set_owners([1]);
        check(
            &only_owner,
            &[(1, None, None, true), (8, Some(HOME), admin, false)],
        );
    }
}
