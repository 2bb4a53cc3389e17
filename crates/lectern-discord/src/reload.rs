//! The library in service, and reloading it without ever losing what was loaded.
//!
//! [`Content`] holds the current [`Library`] behind an `ArcSwap`: every reader takes a snapshot
//! (`Arc<Library>`) and answers from it alone, so no reply ever mixes an old and a new library.
//! A reload builds the new library aside, on a blocking thread (parsing and indexing are CPU
//! work that must not stall the async runtime), compares it with the old one, and swaps it in
//! with one atomic store, or keeps the old one.
//!
//! Invariants:
//! - reloads are serialised by an async mutex; readers never wait for it;
//! - a load with a skipped file, or with no talk, does not replace the library unless forced,
//!   and a load with no talk never does, forced or not;
//! - no lock is held across an `.await` other than the reload mutex itself.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use arc_swap::ArcSwap;

pub use lectern_core::changes::{LibraryDiff, ReloadReport, Verdict, diff};
use lectern_core::library::{Counts, Library, LoadOptions, LoadWarning, Loaded};

/// The library in service and how to load it again.
pub struct Content {
    current: ArcSwap<Library>,
    seeds_dir: PathBuf,
    opts: LoadOptions,
    reload_lock: tokio::sync::Mutex<()>,
    last_reload: std::sync::Mutex<Option<SystemTime>>,
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Content")
            .field("seeds_dir", &self.seeds_dir)
            .field("counts", &self.library().counts())
            .finish()
    }
}

impl Content {
    /// Loads the library for the first time. A degraded first load is still put in service
    /// (there is nothing older to keep); the warnings say what is missing.
    pub fn load(seeds_dir: PathBuf, opts: LoadOptions) -> (Content, Vec<LoadWarning>) {
        let Loaded {
            library, warnings, ..
        } = Library::load(&seeds_dir, &opts);
        (Content::new(library, seeds_dir, opts), warnings)
    }

    /// Puts an already built library in service.
    pub fn new(library: Library, seeds_dir: PathBuf, opts: LoadOptions) -> Content {
        Content {
            current: ArcSwap::from_pointee(library),
            seeds_dir,
            opts,
            reload_lock: tokio::sync::Mutex::new(()),
            last_reload: std::sync::Mutex::new(None),
        }
    }

    /// A snapshot of the library in service. Answer a whole interaction from one snapshot.
    pub fn library(&self) -> Arc<Library> {
        self.current.load_full()
    }

    /// The folder the library is loaded from (`content.seeds_dir`).
    pub fn seeds_dir(&self) -> &std::path::Path {
        &self.seeds_dir
    }

    /// When the library was last replaced by a reload.
    pub fn last_reload(&self) -> Option<SystemTime> {
        *self
            .last_reload
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Loads the seeds again and swaps the result in if it is whole (or `force` and not empty).
    pub async fn reload(&self, force: bool) -> ReloadReport {
        let _serial = self.reload_lock.lock().await;
        let started = Instant::now();
        let old = self.library();
        let dir = self.seeds_dir.clone();
        let opts = self.opts.clone();
        // The files that did not change keep their talks from the library in service.
        let previous = Arc::clone(&old);
        let result = tokio::task::spawn_blocking(move || {
            Library::load_reusing(&dir, &opts, Some(&previous))
        })
        .await;
        let loaded = match result {
            Ok(loaded) => loaded,
            Err(e) => {
                tracing::error!(error = %e, "reload: the load task failed");
                return ReloadReport {
                    verdict: Verdict::Failed,
                    diff: LibraryDiff::default(),
                    warnings: vec!["the load failed (see the log)".to_string()],
                    before: old.counts(),
                    loaded: Counts {
                        talks: 0,
                        sections: 0,
                        quotes: 0,
                    },
                    elapsed: started.elapsed(),
                };
            }
        };
        let verdict = if loaded.library.talks().is_empty() {
            Verdict::Failed
        } else if !loaded.is_degraded() {
            Verdict::Applied
        } else if force {
            Verdict::Forced
        } else {
            Verdict::KeptOld
        };
        let diff = diff(&old, &loaded.library);
        // The log gets each problem in full; the report, which a Discord user reads, names
        // files in the seeds folder and no server detail.
        for w in &loaded.warnings {
            tracing::warn!(file = %w.file.display(), skipped = w.skipped, reason = %w.reason, "seed file problem");
        }
        let report = ReloadReport {
            verdict,
            diff,
            warnings: loaded
                .warnings
                .iter()
                .map(|w| w.public(&self.seeds_dir))
                .collect(),
            before: old.counts(),
            loaded: loaded.library.counts(),
            elapsed: started.elapsed(),
        };
        if report.verdict.swapped() {
            self.current.store(Arc::new(loaded.library));
            *self
                .last_reload
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(SystemTime::now());
        }
        report
    }
}
