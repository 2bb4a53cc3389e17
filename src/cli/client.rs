//! `lectern reload` and `lectern healthcheck`: a small HTTP client of the running process's ops
//! listener ([`crate::http`]), on loopback.
//!
//! The client ignores proxy settings (the listener is always reached directly) and gives up
//! after 5 seconds, so that a container health check never hangs.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use crate::config::Config;

/// The base URL at which this machine reaches the configured listener: `url` when given, else
/// `http.bind` (an unspecified address such as `0.0.0.0` is reached on loopback).
pub fn listener_url(config: &Config, url: Option<String>) -> anyhow::Result<String> {
    if let Some(url) = url {
        return Ok(url.trim_end_matches('/').to_string());
    }
    let bind = config.http.bind.trim();
    if bind.is_empty() {
        anyhow::bail!("the HTTP listener is off (http.bind is empty); set LECTERN__HTTP__BIND");
    }
    let addr: SocketAddr = bind
        .parse()
        .map_err(|e| anyhow::anyhow!("http.bind `{bind}` is not an address: {e}"))?;
    let host = if addr.ip().is_unspecified() {
        match addr {
            SocketAddr::V4(_) => "127.0.0.1".to_string(),
            SocketAddr::V6(_) => "[::1]".to_string(),
        }
    } else {
        match addr {
            SocketAddr::V4(a) => a.ip().to_string(),
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
        }
    };
    Ok(format!("http://{host}:{}", addr.port()))
}

fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .no_proxy()
        .build()?)
}

/// `lectern healthcheck`: 0 when `/readyz` answers 200, 1 otherwise.
pub async fn healthcheck(base: &str, out: &mut dyn Write) -> anyhow::Result<i32> {
    let resp = match http_client()?.get(format!("{base}/readyz")).send().await {
        Ok(r) => r,
        Err(e) => {
            writeln!(out, "not ready: {base} does not answer: {e}")?;
            return Ok(1);
        }
    };
    let ok = resp.status().is_success();
    let body = resp.text().await.unwrap_or_default();
    writeln!(out, "{}", body.trim())?;
    Ok(if ok { 0 } else { 1 })
}

/// `lectern reload`: 0 when the new content is in service, 1 when the old one was kept.
/// Prints the listener's report (JSON, pretty-printed) as it comes.
pub async fn reload(base: &str, force: bool, out: &mut dyn Write) -> anyhow::Result<i32> {
    let url = format!("{base}/reload?force={force}");
    let resp = http_client()?
        .post(url)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach lectern at {base}: {e}"))?;
    let status = resp.status();
    let body = resp.text().await?;
    match serde_json::from_str::<serde_json::Value>(&body) {
        Ok(v) => {
            serde_json::to_writer_pretty(&mut *out, &v)?;
            writeln!(out)?;
        }
        Err(_) => writeln!(out, "{}", body.trim())?,
    }
    Ok(if status.is_success() { 0 } else { 1 })
}
