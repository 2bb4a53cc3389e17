//! Reloading without losing content, and the health, readiness and metrics endpoints.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use lectern::http;
use lectern::i18n::Lang;
use lectern::library::LoadOptions;
use lectern::ops::Ops;
use lectern::reload::{Content, Verdict};
use lectern::reply;

use crate::root;

const SEED: &str = "2026-01-27-sam-altman-developer-townhall.md";

fn seeded_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root().join("seeds").join(SEED), dir.path().join(SEED)).unwrap();
    dir
}

fn content(dir: &Path) -> Content {
    let (content, warnings) = Content::load(dir.to_path_buf(), LoadOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    content
}

const EXTRA: &str = "# Extra talk\n\n## 1. Only part\n\n“这是额外演讲里的一句足够长的话。”\n";

#[tokio::test]
async fn a_broken_file_keeps_the_old_library_unless_forced() {
    let dir = seeded_dir();
    let content = content(dir.path());
    let before = content.library();
    fs::write(dir.path().join("broken.md"), b"\xff\xfe not utf-8").unwrap();
    fs::write(dir.path().join("extra.md"), EXTRA).unwrap();

    let report = content.reload(false).await;
    assert_eq!(report.verdict, Verdict::KeptOld);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("broken.md") && w.contains("not UTF-8"))
    );
    assert!(
        Arc::ptr_eq(&before, &content.library()),
        "old library still in service"
    );
    assert_eq!(
        report.diff.talks_added,
        ["extra"],
        "the diff says what would change"
    );

    let report = content.reload(true).await;
    assert_eq!(report.verdict, Verdict::Forced);
    assert_eq!(content.library().talks().len(), 2);
    assert!(content.last_reload().is_some());
}

#[tokio::test]
async fn an_empty_folder_never_replaces_the_library_even_forced() {
    let dir = seeded_dir();
    let content = content(dir.path());
    fs::remove_file(dir.path().join(SEED)).unwrap();
    for force in [false, true] {
        let report = content.reload(force).await;
        assert_eq!(report.verdict, Verdict::Failed);
        assert_eq!(content.library().counts().sections, 25);
    }
}

#[tokio::test]
async fn the_diff_reports_added_removed_and_changed_sections() {
    let dir = seeded_dir();
    let content = content(dir.path());
    let path = dir.path().join(SEED);
    let src = fs::read_to_string(&path).unwrap();
    let changed = src
        .replace(
            "一位斯坦福学生在做生物安全创业",
            "一位斯坦福学生在做疫苗创业",
        )
        .replace("16. 幼儿与技术\n---------", "16. 儿童与屏幕\n---------")
        .replace("尾声\n--", "后记\n--");
    fs::write(&path, changed).unwrap();
    let report = content.reload(false).await;
    assert_eq!(report.verdict, Verdict::Applied);
    let id = "2026-01-27-sam-altman-developer-townhall";
    assert_eq!(
        report.diff.sections_changed,
        [
            format!("{id}: 13 · 生物安全与韧性策略"),
            format!("{id}: 16 · 儿童与屏幕")
        ]
    );
    assert_eq!(report.diff.sections_added, [format!("{id}: 后记")]);
    assert_eq!(report.diff.sections_removed, [format!("{id}: 尾声")]);
    let r = reply::reload_report(&report, Lang::En);
    assert!(r.ephemeral);
    assert!(r.description.starts_with("Reloaded."));
    assert!(r.fields.iter().any(|f| f.name == "Sections changed (2)"));
    assert!(r.limit_violations().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_stay_whole_while_reloads_run() {
    let dir = seeded_dir();
    let content = Arc::new(content(dir.path()));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let content = content.clone();
            tokio::spawn(async move {
                let mut seen = std::collections::BTreeSet::new();
                for i in 0..200 {
                    // One snapshot per interaction, as the bot does.
                    let lib = content.library();
                    let sections = lib.counts().sections;
                    let r = reply::topics(&lib, Lang::Zh);
                    assert!(r.limit_violations().is_empty());
                    let reply::Component::Select { options, .. } = &r.components[0] else {
                        panic!("menu")
                    };
                    // One talk: its sections; several: the talks (a page of 20).
                    let expected = match lib.talks().len() {
                        1 => sections.min(25),
                        n => n.min(20),
                    };
                    assert_eq!(options.len(), expected, "reply from one library");
                    let s = crate::topic(&lib, &format!("{}", i % 23 + 1), Lang::En);
                    assert!(s.title.is_some() && !s.ephemeral, "section found");
                    seen.insert(sections);
                    tokio::task::yield_now().await;
                }
                seen
            })
        })
        .collect();
    let extra = dir.path().join("extra.md");
    for i in 0..20 {
        if i % 2 == 0 {
            fs::write(&extra, EXTRA).unwrap();
        } else {
            fs::remove_file(&extra).unwrap();
        }
        // Two reloads at once are serialised: both finish, each with a whole report.
        let (a, b) = tokio::join!(content.reload(false), content.reload(false));
        assert!(a.verdict.swapped() && b.verdict.swapped());
    }
    for r in readers {
        let seen = r.await.expect("no reader panicked");
        assert!(seen.iter().all(|n| *n == 25 || *n == 26), "{seen:?}");
    }
}

async fn start_ops(content: Content) -> (String, Ops, tokio::sync::oneshot::Sender<()>) {
    let ops = Ops::new(Arc::new(content));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let served = ops.clone();
    tokio::spawn(async move {
        http::serve(listener, served, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (base, ops, tx)
}

#[tokio::test]
async fn health_readiness_and_metrics_over_http() {
    let dir = seeded_dir();
    let (base, ops, stop) = start_ops(content(dir.path())).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let get = |path: &str| client.get(format!("{base}{path}")).send();

    let r = get("/healthz").await.unwrap();
    assert_eq!(r.status(), 200);

    let r = get("/readyz").await.unwrap();
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body["reasons"],
        serde_json::json!(["gateway not connected"])
    );

    ops.status.set_gateway_connected(true);
    assert_eq!(get("/readyz").await.unwrap().status(), 200);
    ops.status.set_gateway_connected(false);
    assert_eq!(get("/readyz").await.unwrap().status(), 503);

    for _ in 0..3 {
        ops.metrics.record_interaction(
            "command",
            "topic",
            "ok",
            std::time::Duration::from_millis(4),
        );
    }
    ops.metrics.record_interaction(
        "autocomplete",
        "topic",
        "ok",
        std::time::Duration::from_millis(1),
    );
    let reload = client.post(format!("{base}/reload")).send().await.unwrap();
    assert_eq!(reload.status(), 200);
    let report: serde_json::Value = reload.json().await.unwrap();
    assert_eq!(report["verdict"], "applied");

    let text = get("/metrics").await.unwrap().text().await.unwrap();
    let lines = text.lines().map(|l| Ok(l.to_string()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("Prometheus text");
    let value = |name: &str, labels: &[(&str, &str)]| -> f64 {
        let s = scrape
            .samples
            .iter()
            .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .unwrap_or_else(|| panic!("no sample {name} {labels:?} in\n{text}"));
        match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            ref other => panic!("{name}: {other:?}"),
        }
    };
    assert_eq!(
        value(
            "lectern_commands_total",
            &[("command", "topic"), ("outcome", "ok")]
        ),
        4.0
    );
    assert_eq!(value("lectern_library_sections", &[]), 25.0);
    assert_eq!(
        value("lectern_reloads_total", &[("outcome", "applied")]),
        1.0
    );
    assert!(value("lectern_last_reload_timestamp_seconds", &[]) > 1.7e9);
    assert_eq!(value("lectern_gateway_connected", &[("shard", "0")]), 0.0);
    assert!(
        text.contains("lectern_interaction_duration_seconds_bucket{le=\"3.0\",kind=\"command\"} 3"),
        "{text}"
    );
    let _ = stop.send(());
}

#[tokio::test]
async fn healthcheck_and_reload_commands_talk_to_the_listener() {
    let dir = seeded_dir();
    let (base, ops, stop) = start_ops(content(dir.path())).await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(args)
            .current_dir(root())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let b = base.clone();
    let (code, out) = tokio::task::spawn_blocking(move || run(&["healthcheck", "--url", &b]))
        .await
        .unwrap();
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("gateway not connected"));
    ops.status.set_gateway_connected(true);
    let b = base.clone();
    let (code, _) = tokio::task::spawn_blocking(move || run(&["healthcheck", "--url", &b]))
        .await
        .unwrap();
    assert_eq!(code, Some(0));

    fs::write(dir.path().join("bad.md"), "").unwrap();
    let b = base.clone();
    let (code, out) = tokio::task::spawn_blocking(move || run(&["reload", "--url", &b]))
        .await
        .unwrap();
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("\"verdict\": \"kept_old\""), "{out}");
    assert!(out.contains("bad.md: skipped: empty file"), "{out}");
    let _ = stop.send(());
    // Nothing listens any more: not ready, no hang.
    let (code, _) = tokio::task::spawn_blocking(move || run(&["healthcheck", "--url", &base]))
        .await
        .unwrap();
    assert_eq!(code, Some(1));
}
