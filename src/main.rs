//! The `lectern` binary: parse arguments, load configuration, set up logging, dispatch.

use std::process::ExitCode;

use clap::Parser;
use lectern::cli::{self, Cli, Command};
use lectern::config::Config;

fn main() -> ExitCode {
    let args = Cli::parse();
    let config = match Config::load(&args.config) {
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
        Command::Serve => lectern::discord::serve(&config),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("lectern: {e:#}");
            ExitCode::from(2)
        }
    }
}
