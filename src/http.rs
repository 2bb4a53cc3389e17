//! The operations surface: health, readiness and Prometheus metrics over HTTP.
//!
//! `GET /healthz` answers 200 while the process runs. `GET /readyz` answers 200 only when
//! content is loaded and every gateway shard of this process is connected (or reconnecting for
//! less than the grace period; in HTTP mode, the interactions endpoint listening), otherwise 503; its body is
//! `{"ready", "reasons": [..], "shards": [{"id", "stage", "latency_ms"}], "talks", "sections"}`. `GET /metrics` is Prometheus text. `POST /reload` reloads the content, and is
//! accepted only from the loopback interface (it is how `lectern reload` reaches a running
//! process, e.g. through `docker exec`); anyone else gets 403.
//!
//! The state it serves is the plugin's ([`crate::ops`]): the bot reports into its status and
//! metrics, and the endpoints read them.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::ops::Ops;

/// The HTTP routes.
pub fn router(ops: Ops) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/reload", post(reload))
        .with_state(ops)
}

async fn readyz(State(ops): State<Ops>) -> Response {
    let (reasons, shards) = ops.readiness(Instant::now());
    let c = ops.content.library().counts();
    let body = json!({
        "ready": reasons.is_empty(),
        "reasons": reasons,
        "shards": shards,
        "talks": c.talks,
        "sections": c.sections,
    });
    let code = if reasons.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, axum::Json(body)).into_response()
}

async fn metrics(State(ops): State<Ops>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        ops.metrics.encode(&ops.status),
    )
        .into_response()
}

#[derive(Debug, serde::Deserialize)]
struct ReloadQuery {
    #[serde(default)]
    force: bool,
}

async fn reload(
    State(ops): State<Ops>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(q): Query<ReloadQuery>,
) -> Response {
    if !peer.ip().is_loopback() {
        return (
            StatusCode::FORBIDDEN,
            "reload is accepted from loopback only\n",
        )
            .into_response();
    }
    let report = ops.reload(q.force, "http").await;
    let code = if report.verdict.swapped() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    (code, axum::Json(report)).into_response()
}

/// Serves the routes on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    ops: Ops,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(ops).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
