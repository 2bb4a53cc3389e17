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
            _ = &mut shutdown => break,
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
        // The watcher may start after the first write on a loaded machine: write again now
        // and then until the change is seen.
        let picked_up = async {
            for i in 0.. {
                if ops.content.library().talks().len() == 2 {
                    break;
                }
                if i % 20 == 19 {
                    std::fs::write(dir.path().join("b.md"), "# B\n\n## Two\n\ntext\n").unwrap();
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(20), picked_up)
            .await
            .expect("the new file was loaded");

        std::fs::write(dir.path().join("c.md"), "").unwrap();
        let before = ops.content.library();
        let kept = async {
            for i in 0.. {
                let text = ops.metrics.encode(&ops.status);
                if text.contains("lectern_reloads_total{outcome=\"kept_old\"}") {
                    break;
                }
                if i % 20 == 19 {
                    std::fs::write(dir.path().join("c.md"), "").unwrap();
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(20), kept)
            .await
            .expect("a reload ran and kept the old library");
        assert!(Arc::ptr_eq(&before, &ops.content.library()));
        let _ = stop.send(());
        task.await.unwrap().unwrap();
    }
}
