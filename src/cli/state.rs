//! `lectern stats`, `lectern gaps` and `lectern backup`: the state database read (or copied)
//! from the command line, while lectern runs or not. The `--json` shapes are the README's
//! contract (`--json`): `Serialize` structs here, kinds written out as strings.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use lectern_state::{Clock, State};

async fn open(config: &Config) -> anyhow::Result<State> {
    anyhow::ensure!(
        config.state.enabled,
        "state.enabled is false: there is no state database"
    );
    let clock = Clock::from_setting(config.state.test_clock_file.clone());
    let url = Some(config.state.url.as_str()).filter(|u| !u.trim().is_empty());
    if url.is_none() {
        anyhow::ensure!(
            config.state.path.exists(),
            "no state database at {} (state.path)",
            config.state.path.display()
        );
    }
    Ok(State::open_configured(url, &config.state.path, clock).await?)
}

/// `lectern stats --json`: usage per talk and section.
#[derive(Debug, Serialize)]
pub struct StatsView {
    /// Most used first.
    pub usage: Vec<UsageView>,
}

/// One talk (`section` null) or one of its sections.
#[derive(Debug, Serialize)]
pub struct UsageView {
    pub talk: String,
    pub section: Option<u32>,
    pub opened: i64,
    pub quoted: i64,
    pub found: i64,
}

/// `lectern gaps --json`: searches that found nothing.
#[derive(Debug, Serialize)]
pub struct GapsView {
    pub retention_days: u32,
    /// Most asked first.
    pub gaps: Vec<GapView>,
}

/// One normalised query.
#[derive(Debug, Serialize)]
pub struct GapView {
    pub query: String,
    pub count: i64,
    /// RFC 3339, UTC.
    pub last_seen: String,
}

/// `lectern stats [--json]`.
pub async fn stats(config: &Config, json: bool, out: &mut impl Write) -> anyhow::Result<i32> {
    let db = open(config).await?;
    let view = StatsView {
        usage: db
            .usage()
            .await?
            .into_iter()
            .map(|u| UsageView {
                talk: u.talk,
                section: u.section,
                opened: u.opened,
                quoted: u.quoted,
                found: u.found,
            })
            .collect(),
    };
    db.close().await;
    if json {
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
        return Ok(0);
    }
    if view.usage.is_empty() {
        writeln!(out, "nothing counted yet")?;
    } else {
        writeln!(
            out,
            "{:>7} {:>7} {:>7}  talk §section",
            "opened", "quoted", "found"
        )?;
    }
    for u in &view.usage {
        let section = u.section.map_or_else(String::new, |s| format!(" §{s}"));
        writeln!(
            out,
            "{:>7} {:>7} {:>7}  {}{section}",
            u.opened, u.quoted, u.found, u.talk
        )?;
    }
    Ok(0)
}

/// `lectern gaps [--json]`.
pub async fn gaps(config: &Config, json: bool, out: &mut impl Write) -> anyhow::Result<i32> {
    let db = open(config).await?;
    let days = config.state.gaps_retention_days;
    let view = GapsView {
        retention_days: days,
        gaps: db
            .gaps(days)
            .await?
            .into_iter()
            .map(|g| GapView {
                query: g.query,
                count: g.count,
                last_seen: lectern_state::jiff::Timestamp::from_second(g.last_seen)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            })
            .collect(),
    };
    db.close().await;
    if json {
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
        return Ok(0);
    }
    if view.gaps.is_empty() {
        writeln!(out, "no search found nothing in the last {days} days")?;
    }
    for g in &view.gaps {
        writeln!(out, "{:>6}  {}  (last {})", g.count, g.query, g.last_seen)?;
    }
    Ok(0)
}

/// `lectern backup FILE`: an online copy of the database (consistent while lectern runs).
pub async fn backup(config: &Config, file: &Path, out: &mut impl Write) -> anyhow::Result<i32> {
    let db = open(config).await?;
    db.backup(file).await?;
    db.close().await;
    writeln!(
        out,
        "copied {} to {}",
        config.state.path.display(),
        file.display()
    )?;
    Ok(0)
}
