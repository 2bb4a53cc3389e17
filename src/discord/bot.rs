//! [`Bot`]: what the commands and components share while the bot runs.
//!
//! It holds the operations surface ([`Ops`]: the content in service, readiness status and
//! metrics), the admin list, the per-channel quote bags and what `/about` says. It is poise's
//! user data for lectern's commands, and a plain value otherwise: nothing here reaches outside
//! the bot (no globals, no process-wide state), so a host could hold several.
//!
//! Invariants: each interaction answers from one snapshot of the library ([`Bot::library`]);
//! admin rights are checked at run time, since server admins can change Discord's defaults.

use std::sync::Arc;

use poise::serenity_prelude::{Permissions, UserId};

use super::quote_bag::QuoteBag;
use super::respond::Outcome;
use crate::config::Config;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, QuoteScope};
use crate::ops::Ops;
use crate::reply::{self, AboutInfo, Reply};

/// The state every handler shares (poise's user data).
#[derive(Debug)]
pub struct Bot {
    ops: Ops,
    quotes: QuoteBag<(u64, QuoteScope)>,
    admin_ids: Vec<u64>,
    about: AboutInfo,
}

/// How many channels' quote bags are kept.
const QUOTE_BAGS: usize = 10_000;

impl Bot {
    pub fn new(config: &Config, ops: Ops) -> Bot {
        Bot {
            ops,
            quotes: QuoteBag::new(QUOTE_BAGS),
            admin_ids: config.admin.user_ids.clone(),
            about: AboutInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
        }
    }

    /// The library in service now: hold the `Arc` for the whole interaction.
    pub fn library(&self) -> Arc<Library> {
        self.ops.content.library()
    }

    /// The content, status and metrics shared with the operations surface.
    pub fn ops(&self) -> &Ops {
        &self.ops
    }

    /// What `/about` says about this build.
    pub fn about(&self) -> &AboutInfo {
        &self.about
    }

    /// Admins: users listed in `admin.user_ids`, and members with Manage Server or
    /// Administrator in the channel (`member.permissions`, resolved by Discord).
    pub fn is_admin(&self, user: UserId, permissions: Option<Permissions>) -> bool {
        self.admin_ids.contains(&user.get())
            || permissions.is_some_and(|p| {
                p.intersects(Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD)
            })
    }

    /// Draws a quote no one in `channel` has seen this round, from the whole library or one
    /// section of `lib` (the snapshot the interaction answers from). The outcome is
    /// [`Outcome::Notice`] when the pool is empty.
    pub fn draw_quote(
        &self,
        lib: &Arc<Library>,
        channel: u64,
        scope: QuoteScope,
        lang: Lang,
    ) -> (Reply, Outcome) {
        let pool = scope.pool(lib);
        // A reload swaps in a new `Arc<Library>`: its address tells the bags to start afresh.
        // (Were an address ever reused, the bag would only keep its round; indices stay in the
        // pool, whose size it also checks.)
        let generation = Arc::as_ptr(lib) as usize as u64;
        let drawn = self
            .quotes
            .draw((channel, scope), generation, pool.len(), &mut rand::rng());
        match drawn {
            Some(i) => (reply::quote(lib, pool[i], scope, lang), Outcome::Ok),
            None => (Reply::notice(Msg::NoQuotes.get(lang)), Outcome::Notice),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_are_listed_users_or_members_who_manage_the_server() {
        let mut config = Config::default();
        config.admin.user_ids = vec![7];
        // Not `serve::assemble`: `serve` uses `discord`, and the arrow does not point back.
        let content = crate::reload::Content::new(
            Library::from_talks(Vec::new()),
            config.content.seeds_dir.clone(),
            config.content.load_options(),
        );
        let bot = Bot::new(&config, Ops::new(Arc::new(content)));
        assert!(bot.is_admin(UserId::new(7), None));
        assert!(!bot.is_admin(UserId::new(8), None));
        assert!(!bot.is_admin(UserId::new(8), Some(Permissions::SEND_MESSAGES)));
        assert!(bot.is_admin(UserId::new(8), Some(Permissions::MANAGE_GUILD)));
        assert!(bot.is_admin(UserId::new(8), Some(Permissions::ADMINISTRATOR)));
    }
}
