//! Logging for every command: `tracing` on stderr, so that stdout (`--json`) stays clean.

use crate::config::{Config, LogFormat};

/// Sets up `tracing` on stderr: `RUST_LOG` if set, else the configured filter.
pub fn init_logging(config: &Config, format: Option<LogFormat>) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.log.filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format.unwrap_or(config.log.format) {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
