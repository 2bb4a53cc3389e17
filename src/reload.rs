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

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use arc_swap::ArcSwap;
use serde::Serialize;

use crate::library::{Counts, Library, LoadOptions, LoadWarning, Loaded};
use crate::model::Talk;

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

/// Why a reload kept the old library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The new library is in service.
    Applied,
    /// Files were skipped, but `force` put what loaded in service.
    Forced,
    /// Files were skipped: the old library stays.
    KeptOld,
    /// Nothing loaded (or the load failed): the old library stays, even when forced.
    Failed,
}

impl Verdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Applied => "applied",
            Verdict::Forced => "forced",
            Verdict::KeptOld => "kept_old",
            Verdict::Failed => "failed",
        }
    }

    pub fn swapped(&self) -> bool {
        matches!(self, Verdict::Applied | Verdict::Forced)
    }
}

/// What a reload did.
#[derive(Debug, Clone, Serialize)]
pub struct ReloadReport {
    pub verdict: Verdict,
    pub diff: LibraryDiff,
    pub warnings: Vec<String>,
    pub before: Counts,
    /// Counts of what loaded (in service only when the verdict swapped it in).
    pub loaded: Counts,
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl Content {
    /// Loads the library for the first time. A degraded first load is still put in service
    /// (there is nothing older to keep); the warnings say what is missing.
    pub fn load(seeds_dir: PathBuf, opts: LoadOptions) -> (Content, Vec<LoadWarning>) {
        let Loaded { library, warnings } = Library::load(&seeds_dir, &opts);
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

    pub fn seeds_dir(&self) -> &std::path::Path {
        &self.seeds_dir
    }

    /// When the library was last replaced by a reload.
    pub fn last_reload(&self) -> Option<SystemTime> {
        *self.last_reload.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Loads the seeds again and swaps the result in if it is whole (or `force` and not empty).
    pub async fn reload(&self, force: bool) -> ReloadReport {
        let _serial = self.reload_lock.lock().await;
        let started = Instant::now();
        let old = self.library();
        let dir = self.seeds_dir.clone();
        let opts = self.opts.clone();
        let result = tokio::task::spawn_blocking(move || Library::load(&dir, &opts)).await;
        let loaded = match result {
            Ok(loaded) => loaded,
            Err(e) => {
                tracing::error!(error = %e, "reload: the load task failed");
                return ReloadReport {
                    verdict: Verdict::Failed,
                    diff: LibraryDiff::default(),
                    warnings: vec![format!("the load failed: {e}")],
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
        let report = ReloadReport {
            verdict,
            diff,
            warnings: loaded.warnings.iter().map(LoadWarning::to_string).collect(),
            before: old.counts(),
            loaded: loaded.library.counts(),
            elapsed: started.elapsed(),
        };
        if report.verdict.swapped() {
            self.current.store(Arc::new(loaded.library));
            *self.last_reload.lock().unwrap_or_else(|e| e.into_inner()) = Some(SystemTime::now());
        }
        report
    }
}

/// How two libraries differ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LibraryDiff {
    pub talks_added: Vec<String>,
    pub talks_removed: Vec<String>,
    /// `talk id: section label`.
    pub sections_added: Vec<String>,
    pub sections_removed: Vec<String>,
    pub sections_changed: Vec<String>,
    pub quotes_before: usize,
    pub quotes_after: usize,
}

impl LibraryDiff {
    pub fn is_empty(&self) -> bool {
        self.talks_added.is_empty()
            && self.talks_removed.is_empty()
            && self.sections_added.is_empty()
            && self.sections_removed.is_empty()
            && self.sections_changed.is_empty()
            && self.quotes_before == self.quotes_after
    }
}

/// A section's identity across reloads: its number when it has one, else its title.
fn section_key(s: &crate::model::Section) -> String {
    match s.number {
        Some(n) => format!("#{n}"),
        None => s.title.clone(),
    }
}

fn sections_by_key(t: &Talk) -> BTreeMap<String, &crate::model::Section> {
    t.sections.iter().map(|s| (section_key(s), s)).collect()
}

/// Compares two libraries talk by talk (by id) and section by section (by number or title).
pub fn diff(old: &Library, new: &Library) -> LibraryDiff {
    let mut d = LibraryDiff {
        quotes_before: old.counts().quotes,
        quotes_after: new.counts().quotes,
        ..LibraryDiff::default()
    };
    for t in new.talks() {
        match old.talk_by_id(&t.id) {
            None => {
                d.talks_added.push(t.id.clone());
                for s in &t.sections {
                    d.sections_added.push(format!("{}: {}", t.id, s.label()));
                }
            }
            Some((_, o)) => {
                let before = sections_by_key(o);
                let after = sections_by_key(t);
                for (k, s) in &after {
                    match before.get(k) {
                        None => d.sections_added.push(format!("{}: {}", t.id, s.label())),
                        Some(b) if b != s && !same_but_position(b, s) => {
                            d.sections_changed.push(format!("{}: {}", t.id, s.label()))
                        }
                        Some(_) => {}
                    }
                }
                for (k, s) in &before {
                    if !after.contains_key(k) {
                        d.sections_removed.push(format!("{}: {}", t.id, s.label()));
                    }
                }
            }
        }
    }
    for t in old.talks() {
        if new.talk_by_id(&t.id).is_none() {
            d.talks_removed.push(t.id.clone());
            for s in &t.sections {
                d.sections_removed.push(format!("{}: {}", t.id, s.label()));
            }
        }
    }
    d
}

/// A section that only moved (another was inserted before it) has not changed.
fn same_but_position(a: &crate::model::Section, b: &crate::model::Section) -> bool {
    a.title == b.title && a.body == b.body && a.infographic == b.infographic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_talk;

    fn lib(docs: &[(&str, &str)]) -> Library {
        Library::from_talks(docs.iter().map(|(id, src)| parse_talk(id, src).0).collect())
    }

    #[test]
    fn diff_names_added_removed_and_changed_sections() {
        let old = lib(&[
            ("a", "# A\n\n## 1. One\n\ntext\n\n## 2. Two\n\ntext\n"),
            ("gone", "# G\n\n## S\n\nx\n"),
        ]);
        let new = lib(&[
            (
                "a",
                "# A\n\n## 1. One\n\nnew text\n\n## 3. Three\n\n“这是一句足够长的引语。”\n",
            ),
            ("b", "# B\n\n## S\n\nx\n"),
        ]);
        let d = diff(&old, &new);
        assert_eq!(d.talks_added, ["b"]);
        assert_eq!(d.talks_removed, ["gone"]);
        assert_eq!(d.sections_added, ["a: 3 · Three", "b: S"]);
        assert_eq!(d.sections_removed, ["a: 2 · Two", "gone: S"]);
        assert_eq!(d.sections_changed, ["a: 1 · One"]);
        assert_eq!((d.quotes_before, d.quotes_after), (0, 1));
        assert!(diff(&new, &new).is_empty());
    }
}
