//! lectern as a plugin, from the host's side: how it is built, its commands, autocomplete, buttons and menus mounted in a bot someone
//! else runs, without lectern's token or gateway. Written for serenity 0.12 and poise 0.6
//! (poise 0.7 changes the command API).
//!
//! A [`Plugin`] is built from a content folder ([`Plugin::from_folder`]), a lectern
//! configuration ([`Plugin::from_config`]) or an already loaded library
//! ([`Plugin::from_library`]), with [`PluginOptions`] that say how it fits in the host:
//! command names, `/reload` and who may use it, whose cooldown, and the `custom_id` prefix of
//! its components. It then
//! - hands out its commands: [`Plugin::commands`] for a poise host, as
//!   `poise::Command<U, E>` for the host's own user data `U` and error type `E`;
//!   [`Plugin::create_commands`] for a plain serenity host, as builders to register;
//! - answers what is its own: [`Plugin::handle_component`] for presses of its buttons and
//!   menus (a poise host; poise answers the commands), [`Plugin::handle`] for everything of a
//!   plain serenity host: its commands, their autocomplete and its components. Each returns
//!   whether the interaction was lectern's; anything else is left untouched for the host.
//!
//! # Why `custom_data`, not a trait on the host's data
//!
//! poise 0.6 commands are plain function pointers: they capture nothing. lectern's commands are
//! generic functions (`#[poise::command]` accepts type parameters with inline bounds in 0.6)
//! over the host's `U` and `E`, and each finds its plugin in `Command::custom_data`, poise's
//! field for data a command carries. So the host's data needs no trait and holds nothing of
//! lectern's (a poise host keeps the plugin only to pass presses to it); two plugins with
//! different content mount side by side in one framework, each command carrying its own; and
//! poise's own machinery (the host's `pre_command`/`post_command`, checks, cooldowns) applies
//! to lectern's commands like to the host's. lectern's commands never return an error to the
//! host's `on_error`: they log it and apologise to the user themselves.
//!
//! # Ownership of interactions, and answering once
//!
//! poise dispatches a command interaction to the framework command of that name, and calls
//! `on_error` with `UnknownInteraction` for a name it does not know; it never looks at
//! component interactions, which only reach the `event_handler`. So in a poise host, poise
//! answers lectern's commands and their autocomplete, and the event handler passes presses to
//! [`Plugin::handle_component`]; a poise host must not pass command interactions to
//! [`Plugin::handle`], or they would be answered twice. A plain serenity host passes every
//! interaction to [`Plugin::handle`]. A command is lectern's when its name is one of the
//! plugin's ([`Plugin::command_names`]), a component when its `custom_id` starts with the
//! plugin's prefix and the format's version (see [`crate::custom_id`]).
//!
//! Invariants: the plugin never registers commands (the host does, so nothing of the host's is
//! overwritten); it keeps no global state and has no process-wide effect (no allocator
//! trimming: [`LoadOptions::release_memory`] stays off); every name it hands out matches
//! Discord's `^[-_\p{L}\p{N}]{1,32}$` in lower case, and every `custom_id` fits in 100
//! characters. `lectern serve` is a host of this same surface ([`super::run_bot`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{ComponentInteraction, CreateCommand, Interaction};

use crate::commands;
use crate::components;
use crate::custom_id::Ids;
use crate::operators::Operators;
use crate::ops::Ops;
use crate::plugin::{Plugin, PluginError, PluginOptions, Shared, Slash};
use crate::reload::Content;
use lectern_core::commands::quote_bag::QuoteBag;
use lectern_core::config::Config;
use lectern_core::cooldown::Cooldown;
use lectern_core::library::{Library, LoadOptions};
use lectern_core::reply::AboutInfo;

/// How many channels' quote bags are kept.
const QUOTE_BAGS: usize = 10_000;

impl Plugin {
    /// A plugin serving the write-ups in `dir`, read now (bad files are skipped and logged,
    /// as `lectern serve` does); `/reload` reads the folder again.
    pub fn from_folder(
        dir: impl Into<PathBuf>,
        options: PluginOptions,
    ) -> Result<Plugin, PluginError> {
        let mut config = Config::default();
        config.content.seeds_dir = dir.into();
        Plugin::from_config(&config, options)
    }

    /// A plugin serving `config.content` (folder and limits) with `config.admin` as lectern's
    /// operators: a host that keeps a lectern configuration (files and `LECTERN__…`
    /// variables, read by the `lectern` binary's `config::load`). The allocator is never trimmed after a load, whatever
    /// the configuration says: that is the standalone bot's business.
    pub fn from_config(config: &Config, options: PluginOptions) -> Result<Plugin, PluginError> {
        // Neither the allocator trim nor the load cache (`cache.dir`): both outlive the load.
        let load = LoadOptions {
            release_memory: false,
            cache_dir: None,
            ..config.content.load_options()
        };
        let dir = config.content.seeds_dir.clone();
        let library = Library::load_logged(&dir, &load).library;
        Plugin::new(Content::new(library, dir, load), config, options)
    }

    /// A plugin serving `library`, loaded by the host (with [`Library::load`], which returns
    /// the warnings). There is no folder to read again: `/reload` is left out.
    pub fn from_library(library: Library, options: PluginOptions) -> Result<Plugin, PluginError> {
        let content = Content::new(library, PathBuf::new(), LoadOptions::default());
        Plugin::new(content, &Config::default(), options.without_reload())
    }

    /// The one constructor: `content` in service, with the configuration's policies (who
    /// operates lectern, flood control, the `/reload` interval, the readiness grace period) and
    /// the host's `options`. `lectern serve` builds its plugin here too, and hands
    /// [`Plugin::ops`] to its operations surface.
    pub fn new(
        content: Content,
        config: &Config,
        options: PluginOptions,
    ) -> Result<Plugin, PluginError> {
        let ids = Ids::new(&options.custom_id_prefix)
            .ok_or_else(|| PluginError::CustomIdPrefix(options.custom_id_prefix.clone()))?;
        let mut names: Vec<(Slash, String)> = Vec::new();
        let mut localized = HashMap::new();
        for slash in Slash::ALL {
            if (slash == Slash::Reload && !options.reload)
                || (slash == Slash::Settings && !options.settings)
            {
                continue;
            }
            let name = match options.renames.get(&slash) {
                Some(name) => name.clone(),
                None => format!("{}{}", options.command_prefix, slash.default_name()),
            };
            if !valid_name(slash, &name) {
                return Err(PluginError::CommandName(name));
            }
            if names.iter().any(|(_, n)| *n == name) {
                return Err(PluginError::DuplicateName(name));
            }
            localized.insert(slash, !options.renames.contains_key(&slash));
            names.push((slash, name));
        }
        let mut ops = Ops::new(Arc::new(content));
        ops.web_url = config
            .web
            .public_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(Arc::from);
        ops.status
            .set_grace(Duration::from_secs(config.ops.readiness_grace_secs));
        // The prefixed Chinese names must be valid too.
        let plugin = Plugin {
            shared: Arc::new(Shared {
                ops,
                quotes: QuoteBag::new(QUOTE_BAGS),
                operators: Operators::from_config(&config.admin),
                cooldown: Cooldown::new(
                    config.cooldown.commands,
                    Duration::from_secs(config.cooldown.seconds),
                ),
                reload_interval: Cooldown::new(
                    1,
                    Duration::from_secs(config.reload.min_interval_secs),
                ),
                about: AboutInfo::of_this_build(),
                ids,
                names,
                localized,
                options,
                state: crate::slot::Slot::default(),
                cards: lectern_card::Renderer::from_config(config.card.font_path.as_deref())
                    .map_err(|e| PluginError::CardFont(e.to_string()))?,
            }),
        };
        for (slash, c) in plugin.named_commands::<(), ()>() {
            for name in c.name_localizations.values() {
                if !valid_name(slash, name) {
                    return Err(PluginError::CommandName(name.clone()));
                }
            }
        }
        Ok(plugin)
    }

    /// lectern's commands for a poise 0.6 host with user data `U` and error type `E`, with
    /// their autocomplete, named and localized as the options say. Add them to the
    /// framework's `commands`, and register them with the host's (for example
    /// `poise::builtins::register_globally`). Each carries this plugin in `custom_data`.
    pub fn commands<U: Send + Sync + 'static, E: 'static>(&self) -> Vec<poise::Command<U, E>> {
        self.named_commands().into_iter().map(|(_, c)| c).collect()
    }

    /// [`Plugin::commands`], each with what it does.
    fn named_commands<U: Send + Sync + 'static, E: 'static>(
        &self,
    ) -> Vec<(Slash, poise::Command<U, E>)> {
        let mut out = Vec::new();
        for (slash, mut command) in commands::all::<U, E>() {
            let Some(name) = self.name(slash) else {
                continue;
            };
            if self.shared.localized.get(&slash).copied().unwrap_or(false) {
                crate::i18n::localize(slash, &mut command);
                let prefix = &self.shared.options.command_prefix;
                for n in command.name_localizations.values_mut() {
                    *n = format!("{prefix}{n}");
                }
            }
            command.name = name.to_string();
            command.qualified_name = name.to_string();
            if command.context_menu_name.is_some() {
                command.context_menu_name = Some(name.to_string());
            }
            command.custom_data = Box::new(self.clone());
            out.push((slash, command));
        }
        out
    }

    /// lectern's commands as serenity builders, for a host without poise to register
    /// (`Command::set_global_commands`, `GuildId::set_commands`, or with its own): the slash
    /// commands and the message menus, with their Chinese names
    /// ([`crate::i18n::create`]).
    pub fn create_commands(&self) -> Vec<CreateCommand> {
        crate::i18n::create_all(&self.commands::<(), ()>())
    }

    /// Whether `interaction` is this plugin's: one of its commands (or their autocomplete),
    /// or a component whose `custom_id` has its prefix.
    pub fn owns(&self, interaction: &Interaction) -> bool {
        match interaction {
            Interaction::Command(i) | Interaction::Autocomplete(i) => self.slash(i).is_some(),
            Interaction::Component(i) => self.shared.ids.owns(&i.data.custom_id),
            _ => false,
        }
    }

    /// For a host without poise: answers `interaction` if it is this plugin's (a command, its
    /// autocomplete, a press of its buttons or menus) and returns `true`; returns `false` at
    /// once, having sent nothing, for anything else. A poise host passes only components
    /// ([`Plugin::handle_component`]): poise answers the commands.
    pub async fn handle<H>(&self, http: &H, interaction: &Interaction) -> bool
    where
        H: AsRef<serenity::Http> + Sync + ?Sized,
    {
        let http = http.as_ref();
        match interaction {
            Interaction::Command(i) => {
                let Some(slash) = self.slash(i) else {
                    return false;
                };
                let sent = AtomicBool::new(false);
                commands::run(self, http, i, &sent, slash).await;
                true
            }
            Interaction::Autocomplete(i) => {
                if self.slash(i).is_none() {
                    return false;
                }
                commands::answer_autocomplete(self, http, i).await;
                true
            }
            Interaction::Component(i) => self.handle_component(http, i).await,
            _ => false,
        }
    }

    /// Answers a press of one of this plugin's buttons or menus and returns `true`; returns
    /// `false` at once, having sent nothing, for a component that is not the plugin's.
    pub async fn handle_component<H>(&self, http: &H, press: &ComponentInteraction) -> bool
    where
        H: AsRef<serenity::Http> + Sync + ?Sized,
    {
        if !self.shared.ids.owns(&press.data.custom_id) {
            return false;
        }
        components::handle(http.as_ref(), self, press).await;
        true
    }
}

/// Discord's pattern for command names ([`super::registration::is_command_name`]); a message
/// menu's name is free text of 1 to 32 characters.
fn valid_name(slash: Slash, name: &str) -> bool {
    if slash.is_menu() {
        let n = name.chars().count();
        (1..=32).contains(&n) && name.trim() == name && !name.chars().any(char::is_control)
    } else {
        super::registration::is_command_name(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin(options: PluginOptions) -> Result<Plugin, PluginError> {
        Plugin::from_library(Library::from_talks(Vec::new()), options)
    }

    #[test]
    fn names_follow_the_options() {
        let content = Content::new(
            Library::from_talks(Vec::new()),
            "seeds".into(),
            LoadOptions::default(),
        );
        let standalone =
            Plugin::new(content, &Config::default(), PluginOptions::default()).unwrap();
        assert_eq!(
            standalone.command_names().collect::<Vec<_>>(),
            [
                "topics",
                "topic",
                "quote",
                "search",
                "about",
                "reload",
                "settings",
                "Search the talks",
                "Quote card"
            ]
        );
        let p = plugin(
            PluginOptions::default()
                .command_prefix("talk-")
                .rename(Slash::Search, "find"),
        )
        .unwrap();
        assert_eq!(
            p.command_names().collect::<Vec<_>>(),
            [
                "talk-topics",
                "talk-topic",
                "talk-quote",
                "find",
                "talk-about",
                "talk-settings",
                "talk-Search the talks",
                "talk-Quote card"
            ],
            "from a library: no /reload"
        );
        let commands = p.commands::<(), ()>();
        let topics = &commands[0];
        assert_eq!(topics.name, "talk-topics");
        assert_eq!(topics.name_localizations["zh-CN"], "talk-话题");
        assert!(
            commands[3].name_localizations.is_empty(),
            "a renamed command drops its Chinese names"
        );
        // The message menus are named, prefixed and localized as the slash commands are, and
        // registered as menus with their Chinese names.
        let menu = &commands[6];
        assert_eq!(
            menu.context_menu_name.as_deref(),
            Some("talk-Search the talks")
        );
        assert_eq!(menu.name_localizations["zh-TW"], "talk-搜尋演講");
        let built = serde_json::to_value(p.create_commands()).unwrap();
        assert_eq!(built[6]["type"], 3);
        assert_eq!(built[6]["name"], "talk-Search the talks");
        assert_eq!(built[6]["name_localizations"]["zh-CN"], "talk-搜索演讲");
        assert_eq!(built[6]["integration_types"], serde_json::json!([0, 1]));
        let renamed =
            plugin(PluginOptions::default().rename(Slash::SearchMessage, "Look it up")).unwrap();
        assert_eq!(renamed.name(Slash::SearchMessage), Some("Look it up"));
        let built = serde_json::to_value(renamed.create_commands()).unwrap();
        assert_eq!(built[6]["name"], "Look it up");
        assert!(
            built[6]
                .get("name_localizations")
                .is_none_or(|n| n.as_object().is_none_or(serde_json::Map::is_empty))
        );
        assert_eq!(commands[1].parameters[0].name, "section");
        assert!(commands[1].parameters[0].autocomplete_callback.is_some());
    }

    #[test]
    fn names_discord_would_reject_are_refused() {
        for bad in ["Topic", "a b", "", &"x".repeat(33), "talk:topic"] {
            assert_eq!(
                plugin(PluginOptions::default().rename(Slash::Topic, bad)).unwrap_err(),
                PluginError::CommandName(bad.to_string())
            );
        }
        assert!(plugin(PluginOptions::default().command_prefix("Talk-")).is_err());
        // 32 characters in all, the Chinese names and the menus' names ("Search the talks":
        // 16 characters) included.
        assert!(plugin(PluginOptions::default().command_prefix("x".repeat(16))).is_ok());
        assert_eq!(
            plugin(PluginOptions::default().command_prefix("x".repeat(17))).unwrap_err(),
            PluginError::CommandName(format!("{}Search the talks", "x".repeat(17)))
        );
        // A menu is renamed out of the way, and the limit is the slash commands' again:
        // `settings`, the longest name, leaves 24 for a prefix; without it, 26.
        let long = PluginOptions::default()
            .command_prefix("x".repeat(24))
            .rename(Slash::SearchMessage, "Search the talks")
            .rename(Slash::QuoteCard, "Quote card");
        assert!(plugin(long.clone()).is_ok());
        assert!(plugin(long.clone().command_prefix("x".repeat(25))).is_err());
        let short = long.without_settings();
        assert!(plugin(short.clone().command_prefix("x".repeat(26))).is_ok());
        assert!(plugin(short.command_prefix("x".repeat(27))).is_err());
        for bad in ["", " Search", &"x".repeat(33), "a\nb"] {
            assert!(
                plugin(PluginOptions::default().rename(Slash::SearchMessage, bad)).is_err(),
                "{bad:?}"
            );
        }
        assert!(plugin(PluginOptions::default().rename(Slash::Topic, "章节-1")).is_ok());
        assert_eq!(
            plugin(PluginOptions::default().rename(Slash::Topic, "quote")).unwrap_err(),
            PluginError::DuplicateName("quote".into())
        );
        assert_eq!(
            plugin(PluginOptions::default().custom_id_prefix("lectern:")).unwrap_err(),
            PluginError::CustomIdPrefix("lectern:".into())
        );
    }

    #[test]
    fn a_plugin_leaves_out_reload_when_asked() {
        let content = Content::new(
            Library::from_talks(Vec::new()),
            "seeds".into(),
            LoadOptions::default(),
        );
        let p = Plugin::new(
            content,
            &Config::default(),
            PluginOptions::default().without_reload(),
        )
        .unwrap();
        assert_eq!(p.name(Slash::Reload), None);
        assert_eq!(
            p.create_commands().len(),
            8,
            "five slash commands, /settings and two menus"
        );
    }

    #[test]
    fn two_plugins_keep_their_own_content() {
        let a = plugin(PluginOptions::default()).unwrap();
        let b = plugin(
            PluginOptions::default()
                .command_prefix("b-")
                .custom_id_prefix("b"),
        )
        .unwrap();
        assert!(!Arc::ptr_eq(&a.shared, &b.shared));
        let carried = |p: &Plugin| {
            p.commands::<(), ()>().iter().all(|c| {
                Arc::ptr_eq(
                    &c.custom_data.downcast_ref::<Plugin>().unwrap().shared,
                    &p.shared,
                )
            })
        };
        assert!(carried(&a) && carried(&b));
    }

    #[test]
    fn operators_are_not_throttled_and_others_are() {
        let mut config = Config::default();
        config.admin.user_ids = vec![7];
        config.cooldown.commands = 2;
        let content = Content::new(
            Library::from_talks(Vec::new()),
            config.content.seeds_dir.clone(),
            config.content.load_options(),
        );
        let p = Plugin::new(content, &config, PluginOptions::default()).unwrap();
        assert!((0..10).all(|_| p.admit(7, None, None).is_ok()));
        assert!(
            p.admit(8, Some(1), Some(serenity::Permissions::ADMINISTRATOR))
                .is_ok()
        );
        assert!(p.admit(8, None, None).is_ok());
        assert!(p.admit(8, None, None).is_err());
        assert!(p.admit(9, None, None).is_ok());
        assert!(p.admit_reload().is_ok());
        assert!(p.admit_reload().is_err());
    }
}

#[cfg(test)]
mod registration_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_commands_read_back_from_discord_compare_equal_to_those_sent() {
        let p = Plugin::from_library(Library::from_talks(Vec::new()), PluginOptions::default())
            .unwrap();
        let sent = serde_json::to_value(p.create_commands()).unwrap();
        let mut echoed = sent.clone();
        for (n, c) in echoed.as_array_mut().unwrap().iter_mut().enumerate() {
            c["id"] = json!((1000 + n).to_string());
            c["application_id"] = json!("1");
            c["version"] = json!("1");
            if c.get("type").is_none() {
                c["type"] = json!(1);
            }
            // Discord gives a message menu an empty description.
            if c.get("description").is_none() {
                c["description"] = json!("");
            }
        }
        let read: Vec<serenity::Command> = serde_json::from_value(echoed).unwrap();
        let read = serde_json::to_value(read).unwrap();
        assert_eq!(
            crate::registration::normalise(&sent),
            crate::registration::normalise(&read)
        );
    }
}
