//! Configuration, layered with the `config` crate: the types are the core's
//! ([`lectern_core::config`]), reading them is the binary's.
//!
//! Later layers win: built-in defaults, `config/default.toml`, `config/local.toml` (optional,
//! not committed), then environment variables `LECTERN__SECTION__KEY` (double underscore between
//! levels, e.g. `LECTERN__CONTENT__SEEDS_DIR`).

use std::path::Path;

pub use lectern_core::config::*;

/// What went wrong reading the configuration.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(#[from] ::config::ConfigError);

/// Reads `DIR/default.toml`, `DIR/local.toml` (both optional) and `LECTERN__*` variables.
pub fn load(dir: &Path) -> Result<Config, ConfigError> {
    load_with_env(dir, None)
}

/// Like [`load`], with the environment given explicitly (for tests).
pub fn load_with_env(
    dir: &Path,
    env: Option<std::collections::HashMap<String, String>>,
) -> Result<Config, ConfigError> {
    let file = |name: &str| ::config::File::from(dir.join(name)).required(false);
    let mut env_source = ::config::Environment::with_prefix("LECTERN")
        .prefix_separator("__")
        .separator("__")
        .list_separator(",")
        .with_list_parse_key("admin.user_ids")
        .with_list_parse_key("admin.guild_ids")
        .try_parsing(true);
    if let Some(vars) = env {
        env_source = env_source.source(Some(vars));
    }
    let cfg = ::config::Config::builder()
        .add_source(file("default.toml"))
        .add_source(file("local.toml"))
        .add_source(env_source)
        .build()?
        .try_deserialize()?;
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn env_overrides_files_and_files_override_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("default.toml"),
            "[content]\nseeds_dir = \"from-file\"\nmax_file_bytes = 10\n",
        )
        .unwrap();
        let env = [(
            "LECTERN__CONTENT__SEEDS_DIR".to_string(),
            "/from/env".to_string(),
        )]
        .into_iter()
        .collect();
        let cfg = load_with_env(dir.path(), Some(env)).unwrap();
        assert_eq!(cfg.content.seeds_dir, PathBuf::from("/from/env"));
        assert_eq!(cfg.content.max_file_bytes, 10);
        assert_eq!(cfg.log.format, LogFormat::Text);
    }

    #[test]
    fn id_lists_and_numbers_come_from_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let env = [
            ("LECTERN__ADMIN__USER_IDS", "11,12"),
            (
                "LECTERN__ADMIN__GUILD_IDS",
                "1500000000000000001, 1500000000000000002",
            ),
            ("LECTERN__RELOAD__MIN_INTERVAL_SECS", "0"),
            ("LECTERN__COOLDOWN__COMMANDS", "3"),
            ("LECTERN__COOLDOWN__SECONDS", "60"),
            ("LECTERN__OPS__READINESS_GRACE_SECS", "9"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let cfg = load_with_env(dir.path(), Some(env)).unwrap();
        assert_eq!(cfg.admin.user_ids, [11, 12]);
        assert_eq!(
            cfg.admin.guild_ids,
            [1_500_000_000_000_000_001, 1_500_000_000_000_000_002]
        );
        assert_eq!(cfg.reload.min_interval_secs, 0);
        assert_eq!((cfg.cooldown.commands, cfg.cooldown.seconds), (3, 60));
        assert_eq!(cfg.ops.readiness_grace_secs, 9);
        // One id alone is a list too.
        let env = [("LECTERN__ADMIN__GUILD_IDS".to_string(), "7".to_string())]
            .into_iter()
            .collect();
        let cfg = load_with_env(dir.path(), Some(env)).unwrap();
        assert_eq!(cfg.admin.guild_ids, [7]);
    }

    #[test]
    fn the_committed_default_file_parses() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        let cfg = load_with_env(&dir, Some(std::collections::HashMap::default())).unwrap();
        assert_eq!(cfg.content.seeds_dir, PathBuf::from("seeds"));
        assert_eq!(cfg.cooldown.commands, CooldownConfig::default().commands);
        assert_eq!(cfg.reload.min_interval_secs, 5);
        assert_eq!(cfg.ops.readiness_grace_secs, 5);
    }
}
