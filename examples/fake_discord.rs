//! The end-to-end tests' fake Discord as a process of its own, for checking the container
//! image: `.ci/container` starts it on 127.0.0.1, runs `lectern serve` in the image against it
//! (host network), and waits for the image's health check to report healthy.
//!
//! Usage: `cargo run --example fake_discord -- TOKEN [SECONDS]`. Prints the API base URL on the
//! first line of stdout, serves for SECONDS (default 120, a bound so it never outlives CI), then
//! prints what it saw and exits 1 if the bot sent anything Discord would reject.

#![allow(dead_code)]

#[path = "../tests/e2e/openapi.rs"]
mod openapi;

#[path = "../tests/e2e/limits.rs"]
mod limits;

#[path = "../tests/e2e/uploads.rs"]
mod uploads;

#[path = "../tests/e2e/fake_discord.rs"]
mod fake_discord;

use std::io::Write;
use std::time::Duration;

use fake_discord::{FakeDiscord, Registration};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let token = args.next().expect("usage: fake_discord TOKEN [SECONDS]");
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(120);
    let fake = FakeDiscord::start(&token, Registration::Accept).await;
    println!("{}", fake.api_base);
    std::io::stdout().flush().expect("stdout");
    let stop = async {
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("SIGTERM handler");
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    };
    tokio::select! {
        () = stop => {}
        () = tokio::time::sleep(Duration::from_secs(seconds)) => {}
    }
    let identifies = fake.identifies().len();
    let requests = fake.requests().len();
    let problems = fake.problems();
    eprintln!(
        "fake discord: {identifies} identifies, {requests} requests, {} problems",
        problems.len()
    );
    for p in &problems {
        eprintln!("  {p}");
    }
    std::process::exit(if problems.is_empty() { 0 } else { 1 });
}
