//! What a reload did: the verdict, the difference between two libraries, and the report.
//!
//! Pure data and functions, apart from the service that reloads (`lectern_discord::reload::Content`):
//! the replies, the log and the operations endpoint all read a [`ReloadReport`] without
//! depending on how it was made. Sections are matched across loads by their number, or their
//! title when they have none, so a section that only moved is not reported as changed.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::library::{Counts, Library};
use crate::model::{Section, Talk};

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
    /// The verdict's name in the log and in the `outcome` label of `lectern_reloads_total`:
    /// `applied`, `forced`, `kept_old` or `failed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Applied => "applied",
            Verdict::Forced => "forced",
            Verdict::KeptOld => "kept_old",
            Verdict::Failed => "failed",
        }
    }

    /// Whether the loaded library was put in service (applied, or forced).
    pub fn swapped(&self) -> bool {
        matches!(self, Verdict::Applied | Verdict::Forced)
    }
}

/// What a reload did.
#[derive(Debug, Clone, Serialize)]
pub struct ReloadReport {
    /// Whether the loaded library went into service, and if not, why.
    pub verdict: Verdict,
    /// What differs between the library in service before and the one that loaded.
    pub diff: LibraryDiff,
    /// The load's problems as a Discord user may read them: files named relative to the seeds
    /// folder, no server paths or system errors (the log has those).
    pub warnings: Vec<String>,
    /// Counts of the library that was in service when the reload started.
    pub before: Counts,
    /// Counts of what loaded (in service only when the verdict swapped it in).
    pub loaded: Counts,
    /// How long the reload took, serialized as whole milliseconds.
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// How two libraries differ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LibraryDiff {
    /// Ids of the talks only the new library has.
    pub talks_added: Vec<String>,
    /// Ids of the talks only the old library has.
    pub talks_removed: Vec<String>,
    /// `talk id: section label`.
    pub sections_added: Vec<String>,
    /// Sections only the old library has (those of removed talks included), as
    /// `talk id: section label`.
    pub sections_removed: Vec<String>,
    /// Sections in both whose title, text or infographic differs, as `talk id: section label`;
    /// a section that only moved is not among them.
    pub sections_changed: Vec<String>,
    /// How many quotes the old library has.
    pub quotes_before: usize,
    /// How many quotes the new library has.
    pub quotes_after: usize,
}

impl LibraryDiff {
    /// Whether the two libraries have the same talks, the same sections and as many quotes.
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
fn section_key(s: &Section) -> String {
    match s.number {
        Some(n) => format!("#{n}"),
        None => s.title.clone(),
    }
}

fn sections_by_key(t: &Talk) -> BTreeMap<String, &Section> {
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
                            d.sections_changed.push(format!("{}: {}", t.id, s.label()));
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
fn same_but_position(a: &Section, b: &Section) -> bool {
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
