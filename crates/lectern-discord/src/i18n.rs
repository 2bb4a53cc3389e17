//! Localized names and descriptions of the slash commands, the message menus and their
//! options, applied to poise's commands, and the builders that register them ([`create`]).
//!
//! Discord shows these in the command picker by the user's client language. Simplified Chinese
//! (`zh-CN`) and Traditional Chinese (`zh-TW`) are given; everything else sees the English
//! defaults. Both are each command's own ([`lectern_core::commands::Spec`]), keyed by the
//! command's [`Name`], not by its (host-chosen) name; the core's tests check that every command
//! and option has both locales within Discord's lengths.

use std::collections::HashMap;

use lectern_core::commands::{Name, Zh};

fn pair(p: Zh) -> HashMap<String, String> {
    HashMap::from([
        ("zh-CN".to_string(), p.0.to_string()),
        ("zh-TW".to_string(), p.1.to_string()),
    ])
}

/// Adds the Chinese names and descriptions of `name` to its poise command and its options
/// (built from the same spec, in the same order).
pub fn localize<U, E>(name: Name, command: &mut poise::Command<U, E>) {
    let spec = name.spec();
    command.name_localizations = pair(spec.name_zh);
    command.description_localizations = pair(spec.description_zh);
    for (param, opt) in command.parameters.iter_mut().zip(spec.options) {
        debug_assert_eq!(param.name, opt.name);
        param.name_localizations = pair(opt.name_zh);
        param.description_localizations = pair(opt.description_zh);
    }
}

/// The builder that registers `command`: a slash command, or a message menu with its
/// Chinese names (which poise 0.6 leaves out of a menu's builder).
pub fn create<U, E>(
    command: &poise::Command<U, E>,
) -> Option<poise::serenity_prelude::CreateCommand> {
    if command.context_menu_action.is_some() {
        let mut menu = command.create_as_context_menu_command()?;
        let mut names: Vec<_> = command.name_localizations.iter().collect();
        names.sort();
        for (locale, name) in names {
            menu = menu.name_localized(locale, name);
        }
        Some(menu)
    } else {
        command.create_as_slash_command()
    }
}

/// [`create`] for each of `commands`, in order.
pub fn create_all<U, E>(
    commands: &[poise::Command<U, E>],
) -> Vec<poise::serenity_prelude::CreateCommand> {
    commands.iter().filter_map(create).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_poise_command_gets_both_chinese_locales_on_itself_and_every_option() {
        for (name, mut command) in crate::commands::all::<(), ()>() {
            localize(name, &mut command);
            let both =
                |m: &HashMap<String, String>| m.contains_key("zh-CN") && m.contains_key("zh-TW");
            assert!(both(&command.name_localizations), "{name:?}");
            assert!(both(&command.description_localizations), "{name:?}");
            assert_eq!(command.parameters.len(), name.spec().options.len());
            for p in &command.parameters {
                assert!(both(&p.name_localizations), "{name:?} {}", p.name);
                assert!(both(&p.description_localizations), "{name:?} {}", p.name);
            }
        }
    }
}
