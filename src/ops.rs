//! The operations surface: health, readiness and Prometheus metrics over HTTP.
//!
//! `GET /healthz` answers 200 while the process runs. `GET /readyz` answers 200 only when
//! content is loaded and the gateway is connected, otherwise 503 with the reasons in a small
//! JSON body. `GET /metrics` is Prometheus text. `POST /reload` reloads the content, and is
//! accepted only from the loopback interface (it is how `lectern reload` reaches a running
//! process, e.g. through `docker exec`); anyone else gets 403.
//!
//! This module knows nothing of Discord either: the bot reports into [`Status`] and
//! [`Metrics`], and the endpoints read them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use serde_json::json;

use crate::reload::{Content, ReloadReport};

/// What the process knows about its own state, shared with the bot.
#[derive(Debug, Default)]
pub struct Status {
    gateway_connected: AtomicBool,
    /// Gateway heartbeat latency in microseconds; 0 when unknown.
    gateway_latency_us: AtomicU64,
}

impl Status {
    pub fn set_gateway_connected(&self, connected: bool) {
        self.gateway_connected.store(connected, Ordering::SeqCst);
    }

    pub fn gateway_connected(&self) -> bool {
        self.gateway_connected.load(Ordering::SeqCst)
    }

    pub fn set_gateway_latency(&self, latency: Duration) {
        self.gateway_latency_us
            .store(latency.as_micros() as u64, Ordering::Relaxed);
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CommandLabels {
    command: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

/// The process's metrics. Cheap to clone handles; record from anywhere.
pub struct Metrics {
    registry: Registry,
    commands: Family<CommandLabels, Counter>,
    latency: Family<KindLabels, Histogram>,
    reloads: Family<OutcomeLabels, Counter>,
    talks: Gauge,
    sections: Gauge,
    quotes: Gauge,
    last_reload: Gauge<f64, AtomicU64>,
    gateway_latency: Gauge<f64, AtomicU64>,
    gateway_connected: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("lectern");
        let commands = Family::<CommandLabels, Counter>::default();
        registry.register(
            "commands",
            "Interactions handled, by command and outcome",
            commands.clone(),
        );
        // Buckets around Discord's 3-second deadline for a first response.
        let latency = Family::<KindLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0])
        });
        registry.register(
            "interaction_duration_seconds",
            "Time from receiving an interaction to answering it, by kind",
            latency.clone(),
        );
        let reloads = Family::<OutcomeLabels, Counter>::default();
        registry.register("reloads", "Content reloads, by outcome", reloads.clone());
        let talks = Gauge::default();
        registry.register("library_talks", "Talks in service", talks.clone());
        let sections = Gauge::default();
        registry.register("library_sections", "Sections in service", sections.clone());
        let quotes = Gauge::default();
        registry.register("library_quotes", "Quotes in service", quotes.clone());
        let last_reload = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "last_reload_timestamp_seconds",
            "Unix time of the last reload that replaced the library",
            last_reload.clone(),
        );
        let gateway_latency = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "gateway_latency_seconds",
            "Gateway heartbeat latency",
            gateway_latency.clone(),
        );
        let gateway_connected = Gauge::default();
        registry.register(
            "gateway_connected",
            "1 when the gateway is connected",
            gateway_connected.clone(),
        );
        Metrics {
            registry,
            commands,
            latency,
            reloads,
            talks,
            sections,
            quotes,
            last_reload,
            gateway_latency,
            gateway_connected,
        }
    }

    /// Counts one handled interaction and its latency. `kind` is `command`, `autocomplete` or
    /// `component`; `outcome` is `ok`, `user_error` or `error`.
    pub fn record_interaction(&self, kind: &str, command: &str, outcome: &str, took: Duration) {
        self.commands
            .get_or_create(&CommandLabels {
                command: command.to_string(),
                outcome: outcome.to_string(),
            })
            .inc();
        self.latency
            .get_or_create(&KindLabels {
                kind: kind.to_string(),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts a reload and updates the library gauges.
    pub fn record_reload(&self, report: &ReloadReport, content: &Content) {
        self.reloads
            .get_or_create(&OutcomeLabels {
                outcome: report.verdict.as_str().to_string(),
            })
            .inc();
        self.observe_library(content);
    }

    /// Sets the library gauges from the library in service.
    pub fn observe_library(&self, content: &Content) {
        let c = content.library().counts();
        self.talks.set(c.talks as i64);
        self.sections.set(c.sections as i64);
        self.quotes.set(c.quotes as i64);
        if let Some(t) = content.last_reload() {
            let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default();
            self.last_reload.set(secs.as_secs_f64());
        }
    }

    /// Prometheus text, with the gateway gauges read from `status` now.
    pub fn encode(&self, status: &Status) -> String {
        self.gateway_connected
            .set(i64::from(status.gateway_connected()));
        let us = status.gateway_latency_us.load(Ordering::Relaxed);
        self.gateway_latency.set(us as f64 / 1_000_000.0);
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Everything the endpoints read.
#[derive(Debug, Clone)]
pub struct Ops {
    pub content: Arc<Content>,
    pub status: Arc<Status>,
    pub metrics: Arc<Metrics>,
}

impl Ops {
    pub fn new(content: Arc<Content>) -> Ops {
        let metrics = Metrics::new();
        metrics.observe_library(&content);
        Ops {
            content,
            status: Arc::new(Status::default()),
            metrics: Arc::new(metrics),
        }
    }

    /// Reloads, records the outcome and logs one line with the diff counts.
    pub async fn reload(&self, force: bool, by: &str) -> ReloadReport {
        let report = self.content.reload(force).await;
        self.metrics.record_reload(&report, &self.content);
        log_reload(&report, by);
        report
    }

    /// Why the process is not ready, if it is not.
    pub fn not_ready_reasons(&self) -> Vec<&'static str> {
        let mut reasons = Vec::new();
        if self.content.library().talks().is_empty() {
            reasons.push("no content loaded");
        }
        if !self.status.gateway_connected() {
            reasons.push("gateway not connected");
        }
        reasons
    }
}

/// One structured log line per reload.
pub fn log_reload(report: &ReloadReport, by: &str) {
    let d = &report.diff;
    let fields = (
        report.verdict.as_str(),
        d.talks_added.len(),
        d.talks_removed.len(),
        d.sections_added.len(),
        d.sections_removed.len(),
        d.sections_changed.len(),
    );
    if report.verdict.swapped() {
        tracing::info!(
            by,
            verdict = fields.0,
            talks_added = fields.1,
            talks_removed = fields.2,
            sections_added = fields.3,
            sections_removed = fields.4,
            sections_changed = fields.5,
            quotes_before = d.quotes_before,
            quotes_after = d.quotes_after,
            warnings = report.warnings.len(),
            elapsed_ms = report.elapsed.as_millis() as u64,
            "content reloaded"
        );
    } else {
        tracing::warn!(
            by,
            verdict = fields.0,
            warnings = ?report.warnings,
            elapsed_ms = report.elapsed.as_millis() as u64,
            "reload kept the old content"
        );
    }
}

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
    let reasons = ops.not_ready_reasons();
    let c = ops.content.library().counts();
    let body = json!({
        "ready": reasons.is_empty(),
        "reasons": reasons,
        "talks": c.talks,
        "sections": c.sections,
        "gateway_connected": ops.status.gateway_connected(),
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
