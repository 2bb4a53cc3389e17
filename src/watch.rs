//! Reloading when the seeds folder changes (`content.watch = true`).
//!
//! Several shard processes may share one seeds volume; each watches it and reloads on its own,
//! so they all pick up a change without an admin reloading each. Editors write a file in
//! several steps (truncate, write, rename), so events are debounced: one reload per burst.
//! A reload started by the watcher is an ordinary reload: it keeps the old library when a file
//! fails, and it is logged, since no admin is there to read an answer.

use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::ops::Ops;

/// How long the folder must be quiet before a reload starts.
pub const DEBOUNCE: Duration = Duration::from_millis(750);

/// Watches the seeds folder until `shutdown` resolves, reloading after each burst of changes.
/// Returns an error when the folder cannot be watched (the caller logs it and serves on).
pub async fn watch(
    ops: Ops,
    debounce: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) -> notify_debouncer_mini::notify::Result<()> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut debouncer = new_debouncer(debounce, move |res: DebounceEventResult| {
        let _ = tx.send(res);
    })?;
    let dir = ops.content.seeds_dir().to_path_buf();
    debouncer
        .watcher()
        .watch(&dir, RecursiveMode::NonRecursive)?;
    tracing::info!(dir = %dir.display(), "watching the seeds folder for changes");
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            event = rx.recv() => match event {
                None => break,
                Some(Ok(events)) => {
                    let files: Vec<String> =
                        events.iter().map(|e| e.path.display().to_string()).collect();
                    tracing::info!(?files, "seeds changed; reloading");
                    ops.reload(false, "watch").await;
                }
                Some(Err(e)) => tracing::warn!(error = %e, "watching the seeds folder failed"),
            },
        }
    }
    drop(debouncer);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::library::LoadOptions;
    use crate::reload::Content;

    /// Waits until `done`, calling `nudge` every second; fails after 20 s (a guard only).
    async fn until(done: impl Fn() -> bool, nudge: impl Fn()) {
        let wait = async {
            for i in 0.. {
                if done() {
                    break;
                }
                if i % 20 == 19 {
                    nudge();
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(20), wait)
            .await
            .expect("the watcher reacted");
    }

    #[tokio::test]
    async fn a_new_file_is_picked_up_and_a_broken_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n\n## One\n\ntext\n").unwrap();
        let (content, _) = Content::load(dir.path().to_path_buf(), LoadOptions::default());
        let ops = Ops::new(Arc::new(content));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(watch(ops.clone(), Duration::from_millis(100), async {
            let _ = stopped.await;
        }));
        // Give the watcher a moment to start before changing the folder.
        tokio::time::sleep(Duration::from_millis(200)).await;
        std::fs::write(dir.path().join("b.md"), "# B\n\n## Two\n\ntext\n").unwrap();
        // The watcher may start after the first write on a loaded machine: the helper writes
        // again now and then until the change is seen.
        let b = dir.path().join("b.md");
        until(
            || ops.content.library().talks().len() == 2,
            || std::fs::write(&b, "# B\n\n## Two\n\ntext\n").unwrap(),
        )
        .await;

        let c = dir.path().join("c.md");
        std::fs::write(&c, "").unwrap();
        let kept_old = || {
            let text = ops.metrics.encode(&ops.status);
            text.contains("lectern_reloads_total{outcome=\"kept_old\"}")
        };
        until(kept_old, || std::fs::write(&c, "").unwrap()).await;
        // The empty file was refused: the two good talks stay in service.
        let ids: Vec<String> = ops
            .content
            .library()
            .talks()
            .iter()
            .map(|t| t.id.clone())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        let _ = stop.send(());
        task.await.unwrap().unwrap();
    }
}
