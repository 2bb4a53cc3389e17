//! The plugin's state: [`Plugin`], the one thing a host holds of lectern: the content in service
//! with its readiness status and metrics ([`Ops`]), who operates lectern, flood control and
//! the `/reload` interval, the no-repeat quote bags, the names the host gave lectern's commands,
//! the `custom_id` format and the [`PluginOptions`]. Policy (the options) and mechanism (the
//! cooldowns) meet here, in the checks every command and menu choice passes first.
//!
//! How a host builds a plugin ([`Plugin::new`], the one constructor) and mounts it, and which
//! interactions are its own, is in [`crate::host`].
//!
//! # Flood control
//!
//! `Plugin::throttle_command` is run before every slash command of the plugin, whichever front
//! end received it, `Plugin::throttle_component` before every component interaction. Both ask
//! [`Plugin::admit`] (the [`lectern_core::cooldown::Cooldown`] per user, operators exempt) and, when
//! the user must wait, answer with an ephemeral note saying for how long, count it in
//! `lectern_throttled_total` and do nothing else.
//!
//! What is counted: every slash command and message menu, every select menu choice (it posts a
//! new message to the channel, as a command does) and every "Post to channel" press (it posts
//! a private answer to the channel). Not counted: autocompletes (Discord sends one per
//! keystroke, and their answers are only suggestions), and button presses, which page through
//! a section or draw another quote by editing the presser's own message in place: paging
//! quickly is normal use, adds nothing to the channel, and each press costs what rendering one
//! page costs.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use lectern_state::State;
use poise::serenity_prelude as serenity;
use serenity::{CommandInteraction, ComponentInteraction, ComponentInteractionDataKind};

use crate::custom_id::{self, Ids};
use crate::operators::Operators;
use crate::ops::Ops;
use lectern_core::commands::Draw;
use lectern_core::commands::quote_bag::QuoteBag;
use lectern_core::cooldown::{Cooldown, seconds_left};
use lectern_core::i18n::{Lang, Msg};
use lectern_core::library::{Library, QuoteScope};
use lectern_core::reply::{AboutInfo, Reply};

/// One of lectern's slash commands, by what it does (its name is the host's choice): the
/// core's [`Name`](lectern_core::commands::Name), by the name hosts have known it by.
pub use lectern_core::commands::Name as Slash;

/// A check of the host's: whether the user of an interaction may run `/reload`.
pub type HostCheck = Arc<dyn Fn(&CommandInteraction) -> bool + Send + Sync>;

/// Who may run `/reload`.
#[derive(Clone, Default)]
pub enum OperatorPolicy {
    /// lectern's rule: users in `admin.user_ids` of the configuration, and members with
    /// Manage Server or Administrator in the channel.
    #[default]
    Lectern,
    /// The host's rule, asked for every `/reload`. (A poise host may instead, or as well, push
    /// its own `checks` onto the command [`Plugin::commands`] hands out.)
    Host(HostCheck),
}

impl std::fmt::Debug for OperatorPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OperatorPolicy::Lectern => "Lectern",
            OperatorPolicy::Host(_) => "Host(..)",
        })
    }
}

/// Whose flood control applies to lectern's commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CooldownPolicy {
    /// lectern's own (the standalone bot's `[cooldown]`, when configured).
    #[default]
    Lectern,
    /// The host's: lectern applies none of its own, and the host limits as it likes (a poise
    /// host, for example, with `cooldown_config` on the commands [`Plugin::commands`] hands
    /// out, or in its `command_check`).
    Host,
}

/// How a [`Plugin`] fits in its host: command names, `/reload` and who may use it, whose
/// cooldown, the `custom_id` prefix. Built by chaining from [`PluginOptions::default`], which
/// is what `lectern serve` uses.
///
/// ```
/// use lectern_discord::{PluginOptions, Slash};
/// let options = PluginOptions::default()
///     .command_prefix("talk-") // /talk-topic, /talk-quote, …
///     .rename(Slash::Search, "talk-find")
///     .without_reload()
///     .custom_id_prefix("talk");
/// ```
#[derive(Debug, Clone)]
pub struct PluginOptions {
    pub(crate) command_prefix: String,
    pub(crate) renames: HashMap<Slash, String>,
    pub(crate) reload: bool,
    pub(crate) settings: bool,
    pub(crate) operators: OperatorPolicy,
    pub(crate) cooldown: CooldownPolicy,
    pub(crate) custom_id_prefix: String,
}

impl Default for PluginOptions {
    fn default() -> PluginOptions {
        PluginOptions {
            command_prefix: String::new(),
            renames: HashMap::new(),
            reload: true,
            settings: true,
            operators: OperatorPolicy::Lectern,
            cooldown: CooldownPolicy::Lectern,
            custom_id_prefix: "l".to_string(),
        }
    }
}

impl PluginOptions {
    /// Put `prefix` before every command's name (and its Chinese names): `"talk-"` gives
    /// `/talk-topic`. Not applied to a command given its own name by [`PluginOptions::rename`].
    pub fn command_prefix(mut self, prefix: impl Into<String>) -> PluginOptions {
        self.command_prefix = prefix.into();
        self
    }

    /// Name `command` `name` (lowercase letters, digits, `-` and `_`, at most 32 characters),
    /// in every language: its Chinese names are dropped.
    pub fn rename(mut self, command: Slash, name: impl Into<String>) -> PluginOptions {
        self.renames.insert(command, name.into());
        self
    }

    /// Leave `/reload` out: the host reloads (or never does).
    pub fn without_reload(mut self) -> PluginOptions {
        self.reload = false;
        self
    }

    /// Leave `/settings` out: the host keeps no state for lectern (without
    /// [`Plugin::open_state`], `/settings` only says that state is unavailable).
    pub fn without_settings(mut self) -> PluginOptions {
        self.settings = false;
        self
    }

    /// Who may run `/reload` ([`OperatorPolicy::Lectern`] by default).
    pub fn operators(mut self, policy: OperatorPolicy) -> PluginOptions {
        self.operators = policy;
        self
    }

    /// Gate `/reload` with the host's own check (see [`OperatorPolicy::Host`]).
    pub fn reload_check(
        self,
        check: impl Fn(&CommandInteraction) -> bool + Send + Sync + 'static,
    ) -> PluginOptions {
        self.operators(OperatorPolicy::Host(Arc::new(check)))
    }

    /// Whose flood control applies ([`CooldownPolicy::Lectern`] by default).
    pub fn cooldown(mut self, policy: CooldownPolicy) -> PluginOptions {
        self.cooldown = policy;
        self
    }

    /// Start the `custom_id` of every button and menu with `prefix` (1 to 7 ASCII letters,
    /// digits, `-` or `_`; `l` by default, as the standalone bot), so that the plugin
    /// recognises its components and leaves the host's alone. Two plugins in one bot need two
    /// prefixes.
    pub fn custom_id_prefix(mut self, prefix: impl Into<String>) -> PluginOptions {
        self.custom_id_prefix = prefix.into();
        self
    }
}

/// Why a [`Plugin`] could not be built: options Discord would reject.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PluginError {
    /// `card.font_path` names a file that cannot be read or is not a font.
    #[error("{0}")]
    CardFont(String),
    /// A command's name (a rename, or the prefix and the default name, in any language) is not
    /// one Discord accepts.
    #[error(
        "command name {0:?} is not valid on Discord (1 to 32 lowercase letters, digits, - or _)"
    )]
    CommandName(String),
    /// Two commands would get the same name (a rename that clashes with another command).
    #[error("two commands would both be named {0:?}")]
    DuplicateName(String),
    /// The prefix given to [`PluginOptions::custom_id_prefix`] is empty, too long or has other
    /// characters than ASCII letters, digits, `-` and `_`.
    #[error(
        "custom_id prefix {0:?} is not valid (1 to {max} ASCII letters, digits, - or _)",
        max = custom_id::MAX_PREFIX_LEN
    )]
    CustomIdPrefix(String),
}

/// lectern mounted in a host bot: its commands, and the interactions that are its own. Cheap
/// to clone (all clones share one state). See the [module documentation](self).
#[derive(Clone)]
pub struct Plugin {
    pub(crate) shared: Arc<Shared>,
}

/// Everything a plugin holds, built once by [`Plugin::new`].
pub(crate) struct Shared {
    /// The content in service (and reloading it), the readiness status and the metrics,
    /// shared with the operations surface.
    pub(crate) ops: Ops,
    /// The no-repeat quote bags, per channel and pool.
    pub(crate) quotes: QuoteBag<(u64, QuoteScope)>,
    /// Who operates lectern (for `/reload` and flood control).
    pub(crate) operators: Operators,
    /// Flood control per user, unless the host keeps its own.
    pub(crate) cooldown: Cooldown,
    /// `reload.min_interval_secs`: one `/reload` per interval, whoever asks.
    pub(crate) reload_interval: Cooldown,
    pub(crate) about: AboutInfo,
    pub(crate) ids: Ids,
    /// The commands handed out, in order, by their names.
    pub(crate) names: Vec<(Slash, String)>,
    /// Per command, whether it keeps its Chinese names (not renamed by the host).
    pub(crate) localized: HashMap<Slash, bool>,
    pub(crate) options: PluginOptions,
    /// The state database (settings, quote of the day, usage), once opened.
    pub(crate) state: crate::slot::Slot,
    /// Who draws quote cards (`card.font_path`, or the bundled font).
    pub(crate) cards: lectern_card::Renderer,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("names", &self.shared.names)
            .field("ids", &self.shared.ids)
            .field("options", &self.shared.options)
            .finish()
    }
}

impl Plugin {
    /// Who draws this plugin's quote cards.
    pub fn cards(&self) -> &lectern_card::Renderer {
        &self.shared.cards
    }

    /// The names of the commands this plugin answers, in order.
    pub fn command_names(&self) -> impl Iterator<Item = &str> {
        self.shared.names.iter().map(|(_, n)| n.as_str())
    }

    /// The name `command` has in this plugin; `None` when it is left out.
    pub fn name(&self, command: Slash) -> Option<&str> {
        self.shared
            .names
            .iter()
            .find(|(s, _)| *s == command)
            .map(|(_, n)| n.as_str())
    }

    /// The library in service now: hold the `Arc` for the whole interaction.
    pub fn library(&self) -> Arc<Library> {
        self.shared.ops.content.library()
    }

    /// The content, status and metrics shared with the operations surface.
    pub fn ops(&self) -> &Ops {
        &self.shared.ops
    }

    /// What `/about` says about this build.
    pub fn about(&self) -> &AboutInfo {
        &self.shared.about
    }

    /// Who may run operator commands.
    pub fn operators(&self) -> &Operators {
        &self.shared.operators
    }

    /// Flood control for one interaction that would be answered with work: `Ok` and counted,
    /// or how long `user` must wait. Operators are never throttled.
    pub fn admit(
        &self,
        user: u64,
        guild: Option<u64>,
        permissions: Option<serenity::Permissions>,
    ) -> Result<(), Duration> {
        if self.shared.operators.is_operator(user, guild, permissions) {
            return Ok(());
        }
        self.shared.cooldown.admit(user)
    }

    /// [`Plugin::admit`], across every replica when the state database is shared
    /// ([`State::is_shared`]): the window is then kept in the database, so a user who floods
    /// commands over replicas behind a load balancer is slowed as on one process. A database
    /// that fails falls back to this process's window (logged).
    pub async fn admit_shared(
        &self,
        user: u64,
        guild: Option<u64>,
        permissions: Option<serenity::Permissions>,
    ) -> Result<(), Duration> {
        let cooldown = &self.shared.cooldown;
        if let Some(db) = self.state().filter(State::is_shared)
            && cooldown.is_on()
            && !self.shared.operators.is_operator(user, guild, permissions)
        {
            match db.admit(user, cooldown.limit(), cooldown.window()).await {
                Ok(None) => return Ok(()),
                Ok(Some(wait)) => return Err(wait),
                Err(e) => {
                    tracing::warn!(error = %e, "shared flood control failed: this process's window applies");
                }
            }
        }
        self.admit(user, guild, permissions)
    }

    /// Whether a `/reload` may start now (`reload.min_interval_secs` since the last one), or
    /// how long until it may.
    pub fn admit_reload(&self) -> Result<(), Duration> {
        self.shared.reload_interval.admit(0)
    }

    /// The draw of `/quote` and its button in `channel`: a quote no one there has seen this
    /// round, from the pool the command names.
    pub fn draw_in(&self, channel: u64) -> ChannelDraw<'_> {
        ChannelDraw {
            bags: &self.shared.quotes,
            channel,
            shared: self.state().filter(State::is_shared),
        }
    }

    /// Whose flood control applies.
    pub fn cooldown_policy(&self) -> CooldownPolicy {
        self.shared.options.cooldown
    }

    /// The `custom_id` format of this plugin's components.
    pub(crate) fn ids(&self) -> &Ids {
        &self.shared.ids
    }

    /// Whether the user of `i` may run `/reload`, by the plugin's [`OperatorPolicy`]; `Err`
    /// holds the polite refusal, in `lang`, saying who may.
    pub(crate) fn may_reload(&self, i: &CommandInteraction, lang: Lang) -> Result<(), String> {
        match &self.shared.options.operators {
            OperatorPolicy::Lectern => {
                let permissions = i.member.as_ref().and_then(|m| m.permissions);
                let guild = i.guild_id.map(poise::serenity_prelude::GuildId::get);
                let operators = &self.shared.operators;
                if operators.is_operator(i.user.id.get(), guild, permissions) {
                    Ok(())
                } else {
                    Err(operators.refusal(lang))
                }
            }
            OperatorPolicy::Host(check) if check(i) => Ok(()),
            OperatorPolicy::Host(_) => Err(Msg::NotAllowedToReload.get(lang).to_string()),
        }
    }

    /// The note for a slash command that must wait, if it must; counted as throttled. `None`
    /// when the host keeps its own flood control ([`CooldownPolicy::Host`]).
    pub(crate) async fn throttle_command(&self, i: &CommandInteraction) -> Option<Reply> {
        let permissions = i.member.as_ref().and_then(|m| m.permissions);
        self.throttled("command", i.user.id, i.guild_id, permissions, &i.locale)
            .await
    }

    /// The note for a component interaction that must wait, if it must; counted as throttled.
    /// Only select menu choices count (see the module's documentation).
    pub(crate) async fn throttle_component(&self, i: &ComponentInteraction) -> Option<Reply> {
        let select = matches!(
            i.data.kind,
            ComponentInteractionDataKind::StringSelect { .. }
        );
        let share = self
            .ids()
            .decode(&i.data.custom_id)
            .is_some_and(|p| p.target == Some(custom_id::Target::Share));
        if !select && !share {
            return None;
        }
        let permissions = i.member.as_ref().and_then(|m| m.permissions);
        self.throttled("component", i.user.id, i.guild_id, permissions, &i.locale)
            .await
    }

    async fn throttled(
        &self,
        kind: &str,
        user: serenity::UserId,
        guild: Option<serenity::GuildId>,
        permissions: Option<serenity::Permissions>,
        locale: &str,
    ) -> Option<Reply> {
        if self.cooldown_policy() == CooldownPolicy::Host {
            return None;
        }
        let wait = self
            .admit_shared(
                user.get(),
                guild.map(poise::serenity_prelude::GuildId::get),
                permissions,
            )
            .await
            .err()?;
        self.ops().metrics.record_throttled(kind);
        let lang = Lang::from_locale(locale);
        Some(Reply::notice(&Msg::slow_down(seconds_left(wait), lang)))
    }

    /// Whether answers in `guild` are private unless `private:` says otherwise: the server's
    /// default, `false` everywhere until servers can choose (the per-server settings).
    pub fn private_by_default(&self, _guild: Option<u64>) -> bool {
        false
    }

    /// Which command of this plugin `i` invokes, by its name.
    pub(crate) fn slash(&self, i: &CommandInteraction) -> Option<Slash> {
        self.shared
            .names
            .iter()
            .find(|(_, n)| *n == i.data.name)
            .map(|(s, _)| *s)
    }
}

/// The no-repeat draw of one channel ([`Plugin::draw_in`]).
#[derive(Debug)]
pub struct ChannelDraw<'a> {
    bags: &'a QuoteBag<(u64, QuoteScope)>,
    channel: u64,
    /// The shared state database, when there is one: the round is kept there.
    shared: Option<State>,
}

impl Draw for ChannelDraw<'_> {
    fn draw(&self, lib: &Library, scope: QuoteScope, pool: usize) -> Option<usize> {
        if let Some(drawn) = self.draw_shared(scope, pool) {
            return drawn;
        }
        // A reload swaps in a new library: its address tells the bags to start afresh. (Were
        // an address ever reused, the bag would only keep its round; indices stay in the pool,
        // whose size it also checks.)
        let generation = std::ptr::from_ref(lib) as usize as u64;
        self.bags
            .draw((self.channel, scope), generation, pool, &mut rand::rng())
    }
}

impl ChannelDraw<'_> {
    /// The draw from the round in the shared database (every replica sees one round per
    /// channel and pool); `None` to draw from this process's bags instead: no shared
    /// database, a runtime that cannot wait here (a host's current-thread runtime), or a
    /// database that failed (logged).
    ///
    /// [`Draw`] is synchronous (the core knows no runtime): the query runs in
    /// `block_in_place`, which lets the other tasks of this worker move to another thread.
    /// The pool's name is its scope and size: replicas serving the same content name the same
    /// pool; a reload that changes the pool starts a round of its own.
    fn draw_shared(&self, scope: QuoteScope, pool: usize) -> Option<Option<usize>> {
        let db = self.shared.as_ref()?;
        let handle = tokio::runtime::Handle::try_current().ok()?;
        if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
            return None;
        }
        let name = format!("{scope:?}/{pool}");
        let mut rng = rand::rng();
        let drawn = tokio::task::block_in_place(|| {
            handle.block_on(db.draw_quote(self.channel, &name, pool, |n| {
                rand::Rng::random_range(&mut rng, 0..n)
            }))
        });
        match drawn {
            Ok(drawn) => Some(drawn),
            Err(e) => {
                tracing::warn!(error = %e, "shared quote round failed: this process's bag applies");
                None
            }
        }
    }
}
