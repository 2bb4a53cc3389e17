//! `lectern serve`: the process's topology in one place.
//!
//! [`serve`] loads the content, then runs, until ctrl-c or SIGTERM ([`shutdown_signal`]):
//! - the health and metrics listener ([`crate::http::serve`]) when `http.bind` is set;
//! - the pages and the dashboard ([`crate::web::serve`]) when `web.bind` is set;
//! - the seeds watcher ([`crate::watch`]) when `content.watch` is on;
//! - a reload on every SIGHUP;
//! - the bot ([`crate::discord::run_bot`]), a host of lectern's [`Plugin`] with the default
//!   options; or, with `discord.mode = "http"`, the interactions endpoint instead
//!   ([`crate::interactions`]), with no gateway connection.
//!
//! They share the plugin's [`Ops`] (its content, status and metrics), built by the one
//! constructor [`Plugin::new`], as the tests build theirs. On the signal the
//! listener and the watcher are told to stop while the bot closes the gateway; once the bot
//! has returned, whatever still runs is aborted, and the process exits 0.
//!
//! Invariants: the token is read from the environment here and nowhere else, and never
//! logged; a folder with nothing to load still serves (the bot says there is nothing to show).

use std::sync::Arc;

use anyhow::Context as _;

use crate::config::Config;
use crate::discord::{Plugin, PluginOptions, Token, run_bot};
use crate::library::Library;
use crate::ops::Ops;
use crate::reload::Content;

/// `lectern serve`: the token from the environment, the library from `content.seeds_dir`;
/// with the health and metrics listener when `http.bind` is set, the seeds watcher when
/// `content.watch` is on, and a reload on SIGHUP; until ctrl-c or SIGTERM.
pub fn serve(config: &Config) -> anyhow::Result<i32> {
    let token = Token::from_env()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let dir = &config.content.seeds_dir;
    let started = std::time::Instant::now();
    let loaded = Library::load_logged(dir, &config.load_options());
    let first = crate::web::startup_report(&loaded, dir, started.elapsed());
    if loaded.library.talks().is_empty() {
        tracing::warn!(dir = %dir.display(), "no talk loaded: the bot will answer that there is nothing to show");
    }
    let content = Content::new(
        loaded.library,
        config.content.seeds_dir.clone(),
        config.load_options(),
    );
    // The standalone bot is the plugin's first host, with the default options; the listener,
    // the watcher and SIGHUP share its content, status and metrics.
    let plugin = Plugin::new(content, config, PluginOptions::default())?;
    let ops = plugin.ops().clone();
    ops.reloads.record("startup", first);
    let web = crate::web::from_config(&ops, &config.web)?.map(|web| {
        let plugin = plugin.clone();
        web.with_state(crate::web::StateSource {
            get: Arc::new(move || plugin.state()),
            retention_days: config.state.gaps_retention_days,
        })
    });
    let endpoint = match config.discord.mode {
        crate::config::DiscordMode::Gateway => None,
        crate::config::DiscordMode::Http => {
            Some(crate::interactions::prepare(config, &token, &plugin)?)
        }
    };
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        api_base = config.discord.api_base.as_deref().unwrap_or("discord"),
        guild_id = config.discord.guild_id,
        http_bind = %config.http.bind,
        watch = config.content.watch,
        mode = ?config.discord.mode,
        token = %token,
        "lectern serve starting"
    );
    runtime.block_on(async move {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let until_stopped = move || {
            let mut stopped = stopped.clone();
            async move {
                let _ = stopped.wait_for(|s| *s).await;
            }
        };
        let mut helpers = Vec::new();
        let bind = config.http.bind.trim();
        if !bind.is_empty() {
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on http.bind {bind}"))?;
            tracing::info!(addr = %listener.local_addr()?, "health and metrics listener");
            let ops = ops.clone();
            let stop = until_stopped();
            helpers.push(tokio::spawn(async move {
                if let Err(e) = crate::http::serve(listener, ops, stop).await {
                    tracing::error!(error = %e, "the health and metrics listener failed");
                }
            }));
        }
        if let Some(web) = web {
            let bind = config.web.bind.trim();
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on web.bind {bind}"))?;
            tracing::info!(addr = %listener.local_addr()?, dashboard = web.admin.is_some(), "web pages listener");
            let stop = until_stopped();
            helpers.push(tokio::spawn(async move {
                if let Err(e) = crate::web::serve(listener, web, stop).await {
                    tracing::error!(error = %e, "the web pages listener failed");
                }
            }));
        }
        if config.content.watch {
            let ops = ops.clone();
            let stop = until_stopped();
            helpers.push(tokio::spawn(async move {
                if let Err(e) = crate::watch::watch(ops, crate::watch::DEBOUNCE, stop).await {
                    tracing::error!(error = %e, "cannot watch the seeds folder");
                }
            }));
        }
        helpers.push(tokio::spawn(reload_on_sighup(ops.clone())));
        let shutdown = async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        };
        let result = match endpoint {
            None => run_bot(config, &token, plugin, shutdown).await,
            Some(endpoint) => crate::interactions::run(config, endpoint, ops, shutdown).await,
        };
        // The bot has closed the gateway: nothing answers anymore, so what is left (a
        // listener still draining, the SIGHUP loop) can go.
        for h in helpers {
            h.abort();
        }
        result
    })?;
    Ok(0)
}

/// Reloads on every SIGHUP (logged by [`Ops::reload`], since no admin is there to answer).
async fn reload_on_sighup(ops: Ops) {
    #[cfg(unix)]
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(mut hup) => {
            while hup.recv().await.is_some() {
                ops.reload(false, "sighup").await;
            }
        }
        Err(e) => tracing::error!(error = %e, "cannot listen for SIGHUP"),
    }
    #[cfg(not(unix))]
    let _ = ops;
}

/// Resolves on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
