//! The operations state: what the process knows of itself (shards, readiness, metrics),
//! shared by the bot and the binary's HTTP surface (`lectern::ops`), which serves it.
//!
//! `GET /healthz` answers 200 while the process runs. `GET /readyz` answers 200 only when
//! content is loaded and every gateway shard of this process is connected (or reconnecting for
//! less than the grace period), otherwise 503; its body is
//! `{"ready", "reasons": [..], "shards": [{"id", "stage", "latency_ms"}], "talks", "sections"}`. `GET /metrics` is Prometheus text. `POST /reload` reloads the content, and is
//! accepted only from the loopback interface (it is how `lectern reload` reaches a running
//! process, e.g. through `docker exec`); anyone else gets 403.
//!
//! This module knows nothing of Discord either: the bot reports into [`Status`] and
//! [`Metrics`], and the endpoints read them.

use std::collections::BTreeMap;
use std::collections::VecDeque;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::reload::{Content, ReloadReport};

/// What the process knows about its own state, shared with the bot: each gateway shard of this
/// process, as the bot last saw it.
///
/// A shard is *up* while connected, and for [`Status::grace`] after it dropped from connected
/// (a reconnect that short is not an outage). A shard that never connected, or that the gateway
/// closed on purpose ([`Status::set_gateway_connected`] with `false`), is not up.
#[derive(Debug)]
pub struct Status {
    shards: Mutex<BTreeMap<u32, Shard>>,
    grace: Mutex<Duration>,
    /// Why the gateway is not (yet) connected, when the bot knows: waiting its turn to
    /// identify, the daily session start limit spent, a pause after the gateway stopped.
    gateway_note: Mutex<Option<String>>,
    /// In HTTP mode (no gateway), whether the interactions endpoint listens; `None` in
    /// gateway mode, where the shards say whether the process is reachable.
    endpoint: Mutex<Option<bool>>,
}

/// One shard as reported by the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shard {
    stage: String,
    connected: bool,
    latency: Option<Duration>,
    /// When it left `connected` (a reconnect may still end within the grace period).
    dropped_at: Option<Instant>,
}

/// How one shard stands, as `/readyz` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ShardView {
    /// The shard's id.
    pub id: u32,
    /// The stage last reported for it (e.g. `connected`, `resuming`).
    pub stage: String,
    /// Its heartbeat latency in milliseconds, if known.
    pub latency_ms: Option<u64>,
    /// Whether the reported stage is connected.
    #[serde(skip)]
    pub connected: bool,
    /// Connected, or reconnecting within the grace period.
    #[serde(skip)]
    pub up: bool,
}

/// The default of `ops.readiness_grace_secs`.
pub const READINESS_GRACE: Duration = Duration::from_secs(5);

impl Default for Status {
    fn default() -> Self {
        Status {
            shards: Mutex::default(),
            grace: Mutex::new(READINESS_GRACE),
            gateway_note: Mutex::default(),
            endpoint: Mutex::default(),
        }
    }
}

impl Status {
    /// Says why the gateway is not connected (`None`: nothing to add); `/readyz` shows it.
    pub fn set_gateway_note(&self, note: Option<String>) {
        *self.gateway_note.lock().unwrap() = note;
    }

    /// HTTP mode: whether the interactions endpoint listens. From the first call on,
    /// readiness reads this instead of the shards (there are none).
    pub fn set_endpoint_listening(&self, listening: bool) {
        *lock(&self.endpoint) = Some(listening);
    }

    /// How long a shard may be reconnecting before readiness fails.
    pub fn set_grace(&self, grace: Duration) {
        *lock(&self.grace) = grace;
    }

    /// How long a shard may be reconnecting before readiness fails; [`READINESS_GRACE`]
    /// until [`Status::set_grace`] sets it.
    pub fn grace(&self) -> Duration {
        *lock(&self.grace)
    }

    /// Reports one shard: its stage (e.g. `connected`, `resuming`), whether that stage is
    /// connected, and its heartbeat latency if known.
    pub fn report_shard(&self, id: u32, stage: &str, connected: bool, latency: Option<Duration>) {
        self.report_shard_at(id, stage, connected, latency, Instant::now());
    }

    /// [`Status::report_shard`] at a given instant (for tests).
    pub fn report_shard_at(
        &self,
        id: u32,
        stage: &str,
        connected: bool,
        latency: Option<Duration>,
        now: Instant,
    ) {
        let mut shards = lock(&self.shards);
        let known_latency = shards.get(&id).and_then(|s| s.latency);
        let dropped_at = match shards.get(&id) {
            _ if connected => None,
            // It was connected until now: the grace period starts.
            Some(s) if s.connected => Some(now),
            Some(s) => s.dropped_at,
            None => None,
        };
        shards.insert(
            id,
            Shard {
                stage: stage.to_string(),
                connected,
                latency: latency.or(known_latency),
                dropped_at,
            },
        );
    }

    /// Sets every known shard (shard 0 if none is known yet) connected or not, with no grace
    /// period: for a gateway that was closed on purpose, and for tests.
    pub fn set_gateway_connected(&self, connected: bool) {
        let mut shards = lock(&self.shards);
        if shards.is_empty() {
            shards.insert(
                0,
                Shard {
                    stage: String::new(),
                    connected,
                    latency: None,
                    dropped_at: None,
                },
            );
        }
        for s in shards.values_mut() {
            s.connected = connected;
            s.stage = if connected {
                "connected"
            } else {
                "disconnected"
            }
            .into();
            s.dropped_at = None;
        }
    }

    /// Whether every shard is connected right now (and there is at least one).
    pub fn gateway_connected(&self) -> bool {
        let shards = lock(&self.shards);
        !shards.is_empty() && shards.values().all(|s| s.connected)
    }

    /// The shards as of `now`, by id.
    pub fn shards_at(&self, now: Instant) -> Vec<ShardView> {
        let grace = self.grace();
        lock(&self.shards)
            .iter()
            .map(|(&id, s)| ShardView {
                id,
                stage: s.stage.clone(),
                latency_ms: s.latency.map(|l| l.as_millis() as u64),
                connected: s.connected,
                up: s.connected
                    || s.dropped_at
                        .is_some_and(|t| now.saturating_duration_since(t) < grace),
            })
            .collect()
    }

    /// The slowest shard's heartbeat latency.
    fn slowest(&self) -> Option<Duration> {
        lock(&self.shards).values().filter_map(|s| s.latency).max()
    }
}

/// Locks a mutex that no one holds across an `.await` or a panic-prone section.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
struct ShardLabels {
    shard: String,
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
    gateway_connected: Family<ShardLabels, Gauge>,
    throttled: Family<KindLabels, Counter>,
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
    /// Fresh metrics, every counter at zero, registered under the prefix `lectern`.
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
        let gateway_connected = Family::<ShardLabels, Gauge>::default();
        registry.register(
            "gateway_connected",
            "1 when the gateway shard is connected",
            gateway_connected.clone(),
        );
        let throttled = Family::<KindLabels, Counter>::default();
        registry.register(
            "throttled",
            "Interactions refused by flood control, by kind",
            throttled.clone(),
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
            throttled,
        }
    }

    /// Counts one interaction that flood control refused; `kind` as in
    /// [`Metrics::record_interaction`].
    pub fn record_throttled(&self, kind: &str) {
        self.throttled
            .get_or_create(&KindLabels {
                kind: kind.to_string(),
            })
            .inc();
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
        for shard in status.shards_at(Instant::now()) {
            self.gateway_connected
                .get_or_create(&ShardLabels {
                    shard: shard.id.to_string(),
                })
                .set(i64::from(shard.connected));
        }
        let latency = status.slowest().unwrap_or_default();
        self.gateway_latency.set(latency.as_secs_f64());
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Everything the endpoints read.
#[derive(Debug, Clone)]
pub struct Ops {
    /// The library in service, and how to reload it.
    pub content: Arc<Content>,
    /// How the gateway's shards stand, for `/readyz`.
    pub status: Arc<Status>,
    /// The process's metrics, for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// lectern's HTTP path to Discord and the rate limits it learned ([`crate::rest`]).
    pub rest: Arc<crate::rest::Rest>,
    /// The last loads and reloads with their reports, newest first, for the dashboard.
    pub reloads: Arc<Reloads>,
    /// The web pages' public address (`web.public_url`), when set: answers that have a page
    /// link to it.
    pub web_url: Option<Arc<str>>,
}

/// One load or reload as the dashboard shows it: when, who asked, and its report.
#[derive(Debug, Clone)]
pub struct ReloadEntry {
    /// When it ended.
    pub at: SystemTime,
    /// Who asked (`startup`, `sighup`, `watch`, `http`, `web`, a Discord user).
    pub by: String,
    /// What it did, warnings per file included (paths relative to the seeds folder).
    pub report: ReloadReport,
}

/// The last [`Reloads::KEPT`] loads and reloads, newest first; bounded memory.
#[derive(Debug, Default)]
pub struct Reloads(Mutex<VecDeque<ReloadEntry>>);

impl Reloads {
    /// How many entries are kept.
    pub const KEPT: usize = 20;

    /// Notes one load or reload.
    pub fn record(&self, by: &str, report: ReloadReport) {
        let mut q = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        q.push_front(ReloadEntry {
            at: SystemTime::now(),
            by: by.to_string(),
            report,
        });
        q.truncate(Self::KEPT);
    }

    /// The entries, newest first.
    pub fn list(&self) -> Vec<ReloadEntry> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}

impl Ops {
    /// Ops serving `content`: fresh status and rest state, and metrics that already count
    /// the library in service.
    pub fn new(content: Arc<Content>) -> Ops {
        let metrics = Metrics::new();
        metrics.observe_library(&content);
        Ops {
            content,
            status: Arc::new(Status::default()),
            metrics: Arc::new(metrics),
            rest: Arc::default(),
            reloads: Arc::default(),
            web_url: None,
        }
    }

    /// Reloads, records the outcome and logs one line with the diff counts.
    pub async fn reload(&self, force: bool, by: &str) -> ReloadReport {
        let report = self.content.reload(force).await;
        self.metrics.record_reload(&report, &self.content);
        log_reload(&report, by);
        self.reloads.record(by, report.clone());
        report
    }

    /// Why the process is not ready, if it is not.
    pub fn not_ready_reasons(&self) -> Vec<String> {
        self.readiness(Instant::now()).0
    }

    /// Why the process is not ready as of `now` (none: ready), and its shards: ready when
    /// content is loaded and every shard of this process is up (connected, or reconnecting
    /// for less than the grace period; in HTTP mode, the interactions endpoint listening).
    pub fn readiness(&self, now: Instant) -> (Vec<String>, Vec<ShardView>) {
        let mut reasons = Vec::new();
        if self.content.library().talks().is_empty() {
            reasons.push("no content loaded".to_string());
        }
        let shards = self.status.shards_at(now);
        if let Some(listening) = *lock(&self.status.endpoint) {
            if !listening {
                reasons.push("interactions endpoint not listening".to_string());
            }
        } else if shards.iter().all(|s| !s.up) {
            match self.status.gateway_note.lock().unwrap().as_deref() {
                Some(note) => reasons.push(format!("gateway not connected: {note}")),
                None => reasons.push("gateway not connected".to_string()),
            }
        } else {
            for s in shards.iter().filter(|s| !s.up) {
                reasons.push(format!("shard {} not connected ({})", s.id, s.stage));
            }
        }
        (reasons, shards)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ops() -> Ops {
        let talk = lectern_core::parse::parse_talk("t", "# T\n\n## 1. One\n\ntext\n").0;
        let content = Content::new(
            lectern_core::library::Library::from_talks(vec![talk]),
            "seeds".into(),
            lectern_core::library::LoadOptions::default(),
        );
        Ops::new(Arc::new(content))
    }

    #[test]
    fn ready_when_every_shard_is_connected_or_reconnecting_within_the_grace_period() {
        let ops = ops();
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        assert_eq!(ops.readiness(t0).0, ["gateway not connected"]);
        ops.status.set_grace(Duration::from_secs(5));
        ops.status
            .report_shard_at(0, "connecting", false, None, at(0));
        assert_eq!(
            ops.readiness(at(0)).0,
            ["gateway not connected"],
            "never connected"
        );
        ops.status
            .report_shard_at(0, "connected", true, None, at(1));
        ops.status
            .report_shard_at(1, "connected", true, Some(Duration::from_millis(40)), at(1));
        let (reasons, shards) = ops.readiness(at(1));
        assert!(reasons.is_empty(), "{reasons:?}");
        assert_eq!(shards[1].latency_ms, Some(40));
        // Shard 1 drops: still ready within the grace period, not after it.
        ops.status
            .report_shard_at(1, "resuming", false, None, at(10));
        ops.status
            .report_shard_at(1, "connecting", false, None, at(12));
        assert!(ops.readiness(at(14)).0.is_empty());
        assert_eq!(
            ops.readiness(at(15)).0,
            ["shard 1 not connected (connecting)"]
        );
        assert!(!ops.status.gateway_connected());
        // It reconnects: ready again, and the next drop has a grace period of its own.
        ops.status
            .report_shard_at(1, "connected", true, None, at(20));
        assert!(ops.readiness(at(20)).0.is_empty());
        ops.status
            .report_shard_at(1, "connecting", false, None, at(30));
        assert!(ops.readiness(at(31)).0.is_empty());
        // A gateway closed on purpose has no grace period.
        ops.status.set_gateway_connected(false);
        assert_eq!(ops.readiness(at(31)).0, ["gateway not connected"]);
        let metrics = ops.metrics.encode(&ops.status);
        assert!(
            metrics.contains("lectern_gateway_connected{shard=\"1\"} 0"),
            "{metrics}"
        );
    }
}
