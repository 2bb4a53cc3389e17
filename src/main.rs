//! The `lectern` binary: parse arguments, load configuration, set up logging, dispatch.

use std::process::ExitCode;

use clap::Parser;
use lectern::cli::{self, Cli, Command};

fn main() -> ExitCode {
    let args = Cli::parse();
    let config = match lectern::config::load(&args.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lectern: {e}");
            return ExitCode::from(2);
        }
    };
    cli::init_logging(&config, args.log_format);
    let mut stdout = std::io::stdout().lock();
    let result = match args.command {
        Command::Ask(ask) => cli::ask(&config, ask, &mut stdout),
        Command::Check { dir } => cli::check(&config, dir, &mut stdout),
        Command::Serve => lectern::serve::serve(&config),
        Command::Reload { force, url } => block_on(async {
            let base = cli::listener_url(&config, url)?;
            cli::reload(&base, force, &mut stdout).await
        }),
        Command::Stats { json } => block_on(cli::state::stats(&config, json, &mut stdout)),
        Command::Gaps { json } => block_on(cli::state::gaps(&config, json, &mut stdout)),
        Command::Backup { file } => block_on(cli::state::backup(&config, &file, &mut stdout)),
        Command::Healthcheck { url } => block_on(async {
            let base = cli::listener_url(&config, url)?;
            cli::healthcheck(&base, &mut stdout).await
        }),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("lectern: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs a future on a small runtime: the commands that need one are short-lived clients.
fn block_on<T>(f: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(f)
}
