//! [`Bot`]: what the commands and components share while the bot runs.
//!
//! It holds the operations surface ([`Ops`]: the content in service, readiness status and
//! metrics), who operates the bot ([`Operators`]), flood control ([`Cooldown`], per user, and
//! the minimum interval between `/reload`s), the per-channel quote bags and what `/about` says.
//! A [`crate::Plugin`] holds one; nothing here reaches outside the bot (no globals, no
//! process-wide state), so a host could hold several.
//!
//! Invariants: each interaction answers from one snapshot of the library ([`Bot::library`]);
//! operator rights are checked at run time, since server admins can change Discord's defaults;
//! operators are never throttled.

use std::sync::Arc;

use std::time::Duration;

use poise::serenity_prelude::Permissions;

use super::operators::Operators;
use crate::ops::Ops;
use lectern_core::commands::Draw;
use lectern_core::commands::quote_bag::QuoteBag;
use lectern_core::config::Config;
use lectern_core::cooldown::Cooldown;
use lectern_core::library::{Library, QuoteScope};
use lectern_core::reply::AboutInfo;

/// The state every handler shares, held by the [`crate::Plugin`].
#[derive(Debug)]
pub struct Bot {
    ops: Ops,
    quotes: QuoteBag<(u64, QuoteScope)>,
    operators: Operators,
    cooldown: Cooldown,
    /// `reload.min_interval_secs`: one `/reload` per interval, whoever asks.
    reload_interval: Cooldown,
    about: AboutInfo,
}

/// How many channels' quote bags are kept.
const QUOTE_BAGS: usize = 10_000;

impl Bot {
    pub fn new(config: &Config, ops: Ops) -> Bot {
        Bot {
            ops,
            quotes: QuoteBag::new(QUOTE_BAGS),
            operators: Operators::from_config(&config.admin),
            cooldown: Cooldown::new(
                config.cooldown.commands,
                Duration::from_secs(config.cooldown.seconds),
            ),
            reload_interval: Cooldown::new(1, Duration::from_secs(config.reload.min_interval_secs)),
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

    /// Who may run operator commands.
    pub fn operators(&self) -> &Operators {
        &self.operators
    }

    /// Flood control for one interaction that would be answered with work: `Ok` and counted,
    /// or how long `user` must wait. Operators are never throttled.
    pub fn admit(
        &self,
        user: u64,
        guild: Option<u64>,
        permissions: Option<Permissions>,
    ) -> Result<(), Duration> {
        if self.operators.is_operator(user, guild, permissions) {
            return Ok(());
        }
        self.cooldown.admit(user)
    }

    /// Whether a `/reload` may start now (`reload.min_interval_secs` since the last one), or
    /// how long until it may.
    pub fn admit_reload(&self) -> Result<(), Duration> {
        self.reload_interval.admit(0)
    }

    /// The draw of `/quote` and its button in `channel`: a quote no one there has seen this
    /// round, from the pool the command names.
    pub fn draw_in(&self, channel: u64) -> ChannelDraw<'_> {
        ChannelDraw { bot: self, channel }
    }
}

/// The no-repeat draw of one channel ([`Bot::draw_in`]).
#[derive(Debug)]
pub struct ChannelDraw<'a> {
    bot: &'a Bot,
    channel: u64,
}

impl Draw for ChannelDraw<'_> {
    fn draw(&self, lib: &Library, scope: QuoteScope, pool: usize) -> Option<usize> {
        // A reload swaps in a new library: its address tells the bags to start afresh. (Were
        // an address ever reused, the bag would only keep its round; indices stay in the pool,
        // whose size it also checks.)
        let generation = std::ptr::from_ref(lib) as usize as u64;
        self.bot
            .quotes
            .draw((self.channel, scope), generation, pool, &mut rand::rng())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_not_throttled_and_others_are() {
        let mut config = Config::default();
        config.admin.user_ids = vec![7];
        config.cooldown.commands = 2;
        // Not `serve::assemble`: `serve` uses `discord`, and the arrow does not point back.
        let content = crate::reload::Content::new(
            Library::from_talks(Vec::new()),
            config.content.seeds_dir.clone(),
            config.content.load_options(),
        );
        let bot = Bot::new(&config, Ops::new(Arc::new(content)));
        assert!((0..10).all(|_| bot.admit(7, None, None).is_ok()));
        assert!(
            bot.admit(8, Some(1), Some(Permissions::ADMINISTRATOR))
                .is_ok()
        );
        assert!(bot.admit(8, None, None).is_ok());
        assert!(bot.admit(8, None, None).is_err());
        assert!(bot.admit(9, None, None).is_ok());
        assert!(bot.admit_reload().is_ok());
        assert!(bot.admit_reload().is_err());
    }
}
