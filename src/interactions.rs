//! The interactions endpoint's listener in HTTP mode (`discord.mode = "http"`): its own
//! listener on `discord.interactions_bind`, never the operations one (whose `/reload` trusts
//! loopback, and a proxy in front of this one is on loopback too).
//!
//! A POST to any path (the URL registered with Discord may carry a prefix the proxy keeps) is
//! handed, headers and raw body, to [`Endpoint::answer`] (`lectern_discord::interactions`:
//! the signature check, PING, the dispatch to the command layer); anything else is 405.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::discord::interactions::Endpoint;

/// The listener's routes.
pub fn router(endpoint: Endpoint) -> Router {
    Router::new().fallback(answer).with_state(endpoint)
}

async fn answer(
    State(endpoint): State<Endpoint>,
    method: axum::http::Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method != axum::http::Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let header = |name: &str| headers.get(name).map(axum::http::HeaderValue::as_bytes);
    let answer = endpoint
        .answer(
            header("x-signature-ed25519"),
            header("x-signature-timestamp"),
            &body,
        )
        .await;
    match answer.json {
        Some(json) => (
            answer.status,
            [(header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response(),
        None => answer.status.into_response(),
    }
}

/// Serves the endpoint on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    endpoint: Endpoint,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(endpoint))
        .with_graceful_shutdown(shutdown)
        .await
}

/// HTTP mode's checks at start, before anything runs: the endpoint's own address set and apart
/// from the operations listener, and a usable public key. `ops` says "not listening" until
/// [`run`] listens.
pub fn prepare(
    config: &crate::config::Config,
    token: &crate::discord::Token,
    plugin: &crate::discord::Plugin,
) -> anyhow::Result<Endpoint> {
    let bind = config.discord.interactions_bind.trim();
    anyhow::ensure!(
        !bind.is_empty(),
        "discord.mode = \"http\" needs discord.interactions_bind (the endpoint's own address)"
    );
    anyhow::ensure!(
        bind != config.http.bind.trim(),
        "discord.interactions_bind must differ from http.bind: the operations listener trusts loopback"
    );
    let endpoint = Endpoint::new(config, token, plugin.clone())?;
    plugin.ops().status.set_endpoint_listening(false);
    Ok(endpoint)
}

/// Listens on `discord.interactions_bind`, registers the commands and learns the owners, and
/// answers interactions until `shutdown` resolves. No gateway connection.
pub async fn run(
    config: &crate::config::Config,
    endpoint: Endpoint,
    ops: crate::ops::Ops,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let bind = config.discord.interactions_bind.trim();
    endpoint.open_state(config).await;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on discord.interactions_bind {bind}"))?;
    tracing::info!(addr = %listener.local_addr()?, "interactions endpoint listening (http mode: no gateway)");
    ops.status.set_endpoint_listening(true);
    let starting = endpoint.clone();
    let config_start = config.clone();
    let start = tokio::spawn(async move { starting.start(&config_start).await });
    let served = serve(listener, endpoint, shutdown).await;
    start.abort();
    ops.status.set_endpoint_listening(false);
    tracing::info!("interactions endpoint closed");
    served.context("the interactions endpoint failed")
}
