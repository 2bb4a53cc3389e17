//! The library of talks: loading a folder of write-ups, and looking things up in it.
//!
//! [`Library::load`] is the only function in the crate that reads content from the file system.
//! Loading never fails as a whole: a file that cannot be used is skipped with a
//! [`LoadWarning`] naming it and the reason, and the rest load. A `Library` is immutable once
//! built, and holds its search index, so that a reload can build a new one aside and swap it in
//! whole.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::key::{SpeakerKey, TagKey, TalkKey};
use crate::model::{Quote, Section, Talk};
pub use crate::model::{QuoteRef, SectionRef};
use crate::parse::parse_talk;
use crate::search::pinyin::Readings;
use crate::search::{Corpus, Index};

/// Limits applied while loading.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Files larger than this many bytes are skipped.
    pub max_file_bytes: u64,
    /// When the load ends, give the heap pages it freed back to the system (glibc's
    /// `malloc_trim`). Without it glibc keeps the parser's and the index builder's scratch, and
    /// a 1,000-talk library holds several times its live size in resident memory for as long
    /// as it is served. It is a process-wide effect: only a program that owns its process
    /// (the `lectern` binary) turns it on, never a library embedded in someone else's bot.
    pub release_memory: bool,
    /// The base URL relative image paths resolve against (`content.media_base_url`); see
    /// [`resolve_media`].
    pub media_base_url: Option<String>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 4 * 1024 * 1024,
            release_memory: false,
            media_base_url: None,
        }
    }
}

/// A problem with one file. `skipped` files did not load at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadWarning {
    /// The file (or, for [`WarningKind::Folder`], the seeds folder) the problem is about.
    pub file: PathBuf,
    /// Whether the file was left out of the library (`false`: it loaded, with this warning).
    pub skipped: bool,
    /// What kind of problem: it decides what a reader who is not on the server may see.
    pub kind: WarningKind,
    /// The problem, said in full (for the operator: the log, `lectern check`).
    pub reason: String,
}

/// What kind of problem a [`LoadWarning`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningKind {
    /// The seeds folder itself cannot be read; the reason holds the operating system's words.
    Folder,
    /// The file cannot be read; the reason holds the operating system's words.
    Unreadable,
    /// A symlink whose target does not exist.
    BrokenSymlink,
    /// A symlink to a path outside the seeds folder; the reason holds the server's path.
    OutsideSymlink,
    /// What the loader or the parser found in the file's text (too large, empty, binary, not
    /// UTF-8, no sections, a duplicate id, a parse warning): said without server paths.
    Content,
}

/// Why a file was not read: its kind and the reason in full.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Refusal {
    kind: WarningKind,
    reason: String,
}

impl Refusal {
    fn unreadable(e: std::io::Error) -> Refusal {
        Refusal {
            kind: WarningKind::Unreadable,
            reason: format!("cannot read: {e}"),
        }
    }
}

/// What the loader decides about a file's text is [`WarningKind::Content`].
impl From<String> for Refusal {
    fn from(reason: String) -> Refusal {
        Refusal {
            kind: WarningKind::Content,
            reason,
        }
    }
}

impl From<&str> for Refusal {
    fn from(reason: &str) -> Refusal {
        Refusal::from(reason.to_string())
    }
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.skipped { "skipped" } else { "warning" };
        write!(f, "{}: {what}: {}", self.file.display(), self.reason)
    }
}

impl LoadWarning {
    /// The warning as someone who is not on the server may read it (a Discord reply): the file
    /// relative to the seeds folder `root` (or its name alone), and the reason without the
    /// server's paths or the operating system's words (which the kinds other than
    /// [`WarningKind::Content`] carry).
    pub fn public(&self, root: &Path) -> String {
        let file = match self.file.strip_prefix(root) {
            Ok(rel) if rel.as_os_str().is_empty() => "the seeds folder".into(),
            Ok(rel) => rel.display().to_string(),
            Err(_) => self.file.file_name().map_or_else(
                || "the seeds folder".into(),
                |n| n.to_string_lossy().into_owned(),
            ),
        };
        let reason = match self.kind {
            WarningKind::Folder => "cannot read the folder",
            WarningKind::BrokenSymlink => "a broken symlink",
            WarningKind::Unreadable => "cannot read the file",
            WarningKind::OutsideSymlink => "a symlink outside the seeds folder",
            WarningKind::Content => &self.reason,
        };
        let what = if self.skipped { "skipped" } else { "warning" };
        format!("{file}: {what}: {reason}")
    }
}

/// What a quote is drawn from: the one place that decides it, for `/quote`, its "another"
/// button and `lectern ask quote`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteScope {
    /// Every quote of every talk.
    All,
    /// The quotes of one section.
    Section(SectionRef),
    /// The quotes of one talk (an index into the library's talks).
    Talk(usize),
    /// The words of one speaker (the [`key`] of their name), in one talk or in all. Unlike the
    /// other scopes it is not limited to each talk's own speakers: whoever is named, a
    /// questioner as well, is drawn from.
    Speaker {
        /// The speaker, by the key of their name.
        speaker: SpeakerKey,
        /// Only this talk (an index into the library's talks), or every talk.
        talk: Option<usize>,
    },
}

impl QuoteScope {
    /// The scope a button names: a talk id and a section ordinal, a talk id alone, or neither
    /// for all quotes. `None` when the talk or section is no longer in `lib`.
    pub fn from_ids(lib: &Library, talk: Option<&str>, section: Option<usize>) -> Option<Self> {
        match (talk, section) {
            (Some(id), Some(section)) => {
                let (talk, _) = lib.talk_by_id(id)?;
                let r = SectionRef { talk, section };
                lib.section(r).map(|_| QuoteScope::Section(r))
            }
            (Some(id), None) => Some(QuoteScope::Talk(lib.talk_by_id(id)?.0)),
            _ => Some(QuoteScope::All),
        }
    }

    /// The section the scope is limited to, if any.
    pub fn section(self) -> Option<SectionRef> {
        match self {
            QuoteScope::Section(r) => Some(r),
            QuoteScope::All | QuoteScope::Talk(_) | QuoteScope::Speaker { .. } => None,
        }
    }

    /// The talk the scope is limited to, if any.
    pub fn talk(self) -> Option<usize> {
        match self {
            QuoteScope::All => None,
            QuoteScope::Section(r) => Some(r.talk),
            QuoteScope::Talk(t) => Some(t),
            QuoteScope::Speaker { talk, .. } => talk,
        }
    }

    /// The quotes in the scope, in library order: the words of each talk's own speakers
    /// ([`Talk::is_speakers_own`]), not those of questioners or of people they report; or,
    /// for [`QuoteScope::Speaker`], every quote given to that speaker.
    pub fn pool(self, lib: &Library) -> Vec<QuoteRef> {
        let talks = match self.talk() {
            None => 0..lib.talks.len(),
            Some(t) => t..(t + 1).min(lib.talks.len()),
        };
        let mut pool = Vec::new();
        for t in talks {
            let talk = &lib.talks[t];
            for (i, q) in talk.quotes.iter().enumerate() {
                let in_scope = match self {
                    QuoteScope::All | QuoteScope::Talk(_) => talk.is_speakers_own(q),
                    QuoteScope::Section(r) => {
                        q.section == Some(r.section) && talk.is_speakers_own(q)
                    }
                    QuoteScope::Speaker { speaker, .. } => {
                        q.speaker.as_deref().map(SpeakerKey::of) == Some(speaker)
                    }
                };
                if in_scope {
                    pool.push(QuoteRef { talk: t, quote: i });
                }
            }
        }
        pool
    }
}

/// The stable key of a name (a talk id, a speaker, a tag): its 64-bit FNV-1a hash
/// ([`crate::key`], where the typed keys are).
pub use crate::key::hash as key;

/// What an autocomplete choice names, by stable keys: its value is [`Pick::value`], which
/// [`Pick::parse`] reads back. A value names one thing even when two talks have a section of
/// the same title, stays short (at most 38 characters) whatever the names, and still means the
/// same thing after a reload, or nothing (then the command says so politely).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// `#t.<talk key>`.
    Talk(TalkKey),
    /// `#s.<talk key>.<section ordinal>`.
    Section(TalkKey, usize),
    /// `#p.<speaker key>`.
    Speaker(SpeakerKey),
    /// `#g.<tag key>`.
    Tag(TagKey),
}

impl Pick {
    /// The choice's value: keys in 16 lowercase hex digits, the ordinal in hex.
    pub fn value(self) -> String {
        match self {
            Pick::Talk(k) => format!("#t.{k}"),
            Pick::Section(k, s) => format!("#s.{k}.{s:x}"),
            Pick::Speaker(k) => format!("#p.{k}"),
            Pick::Tag(k) => format!("#g.{k}"),
        }
    }

    /// Reads a value [`Pick::value`] wrote; `None` for anything else (text a user typed).
    pub fn parse(text: &str) -> Option<Pick> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        match parts.as_slice() {
            ["#t", k] => Some(Pick::Talk(TalkKey::parse(k)?)),
            ["#p", k] => Some(Pick::Speaker(SpeakerKey::parse(k)?)),
            ["#g", k] => Some(Pick::Tag(TagKey::parse(k)?)),
            ["#s", k, s] => Some(Pick::Section(TalkKey::parse(k)?, crate::key::index(s)?)),
            _ => None,
        }
    }
}

/// What a name a user gave (typed, or picked from autocomplete) comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<T> {
    /// What the name means in this library.
    Found(T),
    /// A picked value whose target the library no longer has (a reload removed it).
    Gone,
    /// Typed text that matches nothing.
    NoMatch,
}

/// A name shared by talks: a speaker or a tag, with its key and folded forms.
#[derive(Debug, Clone)]
pub struct Name {
    /// The name as the write-ups give it, trimmed; each name once, in the order first met.
    pub name: String,
    /// Its key ([`crate::key::SpeakerKey`] or [`crate::key::TagKey`] of the name), as picks carry it.
    pub key: u64,
    /// The name folded, then its pinyin and initials ([`name_forms`]).
    folded: Vec<String>,
}

/// An autocomplete choice of a talk, a speaker or a tag: a label and the value to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameChoice {
    /// At most [`crate::search::MAX_LABEL_CHARS`] characters.
    pub label: String,
    /// [`Pick::value`].
    pub value: String,
}

/// What the talk lookups and autocomplete compare, folded once per load: each talk's title,
/// id, speakers, date and tags; and every speaker and tag of the library; with the pinyin of
/// those that have Chinese.
#[derive(Debug, Default)]
struct Names {
    /// Per talk: the folded title first, then the id, speakers, date and tags, then the pinyin
    /// forms of the title, speakers and tags.
    talks: Vec<Vec<String>>,
    speakers: Vec<Name>,
    tags: Vec<Name>,
}

impl Names {
    fn build(talks: &[Talk], readings: &Readings) -> Names {
        use crate::search::normalize::compact;
        let mut names = Names::default();
        let add = |list: &mut Vec<Name>, seen: &mut rustc_hash::FxHashSet<u64>, n: &str| {
            let n = n.trim();
            if !n.is_empty() && seen.insert(key(n)) {
                list.push(Name {
                    name: n.to_string(),
                    key: key(n),
                    folded: name_forms(readings, n),
                });
            }
        };
        let (mut seen_speakers, mut seen_tags) = Default::default();
        for talk in talks {
            let mut folded = vec![compact(&talk.title), compact(&talk.id)];
            folded.extend(talk.meta.speakers.iter().map(|s| compact(s)));
            folded.extend(talk.meta.date.iter().map(|d| compact(d)));
            folded.extend(talk.meta.tags.iter().map(|t| compact(t)));
            let named = std::iter::once(&talk.title)
                .chain(&talk.meta.speakers)
                .chain(&talk.meta.tags);
            folded.extend(named.flat_map(|n| name_forms(readings, n).into_iter().skip(1)));
            names.talks.push(folded);
            for s in &talk.meta.speakers {
                add(&mut names.speakers, &mut seen_speakers, s);
            }
            for q in &talk.quotes {
                if let Some(s) = &q.speaker {
                    add(&mut names.speakers, &mut seen_speakers, s);
                }
            }
            for t in talk.meta.tags.iter().chain(&talk.related) {
                add(&mut names.tags, &mut seen_tags, t);
            }
        }
        names
    }
}

/// A name folded by [`compact`](crate::search::normalize::compact), then, when it has
/// Chinese, spelled in pinyin and in initials, so that typed pinyin finds it.
fn name_forms(readings: &Readings, name: &str) -> Vec<String> {
    let mut forms = vec![crate::search::normalize::compact(name)];
    if let Some((full, initials)) = readings.spell(name) {
        forms.extend([full, initials]);
    }
    forms
}

/// How well the folded `typed` text matches the folded `name`: 4 equal, 3 a prefix, 2 inside
/// it, 1 holding at least half of its character pairs, 0 not at all.
fn name_tier(typed: &str, typed_pairs: &[String], name: &str) -> u8 {
    if name == typed {
        4
    } else if name.starts_with(typed) {
        3
    } else if name.contains(typed) {
        2
    } else if crate::search::complete::overlap(typed_pairs, name) >= 0.5 {
        1
    } else {
        0
    }
}

/// The indices of `candidates` that match `typed`, best first (ties in order), at most
/// `max`; every candidate, in order, for empty text. `names(i)` are the folded names of
/// candidate `i`, the first of which (a talk's title) wins ties of tier.
fn rank_names<'a>(
    typed: &str,
    candidates: usize,
    names: impl Fn(usize) -> &'a [String],
    max: usize,
) -> Vec<usize> {
    let t = crate::search::normalize::compact(typed.trim());
    if t.is_empty() {
        return (0..candidates.min(max)).collect();
    }
    // The typed text, and as pinyin when it reads differently (`shēngwù`, `lvse`).
    let pinyin = crate::search::pinyin::fold_word(&t).filter(|p| *p != t);
    let typed: Vec<(&str, Vec<String>)> = std::iter::once(t.as_str())
        .chain(pinyin.as_deref())
        .map(|x| (x, crate::search::complete::pairs(x)))
        .collect();
    let tier = |n: &str| {
        typed
            .iter()
            .map(|(x, pairs)| name_tier(x, pairs, n))
            .max()
            .unwrap_or(0)
    };
    let mut ranked: Vec<(u8, bool, usize)> = (0..candidates)
        .filter_map(|i| {
            let names = names(i);
            let first = names.first().map_or(0, |n| tier(n));
            let best = names.iter().map(|n| tier(n)).max().unwrap_or(0);
            (best > 0).then_some((best, first == best, i))
        })
        .collect();
    // Stable: ties keep library order.
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    ranked.into_iter().take(max).map(|(.., i)| i).collect()
}

/// All loaded talks, in file-name order, with their search index.
#[derive(Debug)]
pub struct Library {
    talks: Vec<Talk>,
    index: Index,
    names: Names,
    /// Each talk's index by the key of its id.
    by_key: FxHashMap<TalkKey, usize>,
    /// Where each talk came from, for a reload to tell which files did not change; empty for
    /// a library built from talks by hand ([`Library::from_talks`]).
    sources: Vec<Source>,
    /// The `media_base_url` the talks were loaded with: it changes what a parse produces.
    media_base_url: Option<String>,
}

/// The file a loaded talk came from: its name, the hash of its text and the warnings its parse
/// gave, so that a reload can keep the talk of a file whose text is the same.
#[derive(Debug, Clone)]
struct Source {
    file: std::ffi::OsString,
    hash: u64,
    /// The reasons of the file's warnings, in order (none of them skipped it).
    warnings: Vec<String>,
}

/// The hash a reload compares files by: SipHash-1-3 (std's `DefaultHasher`, fixed keys) of the
/// file's text. A content hash, not a security one: the files are the operator's own, and 64
/// bits make a chance collision between two versions of one file negligible. It runs at over a
/// gigabyte a second, a few percent of a parse (see `benches/reload.rs`), so no other hash
/// crate is needed.
pub fn content_hash(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(text.as_bytes());
    h.finish()
}

/// What a load produced.
#[derive(Debug)]
pub struct Loaded {
    /// The library of the talks that loaded.
    pub library: Library,
    /// A warning per file that was skipped, and each warning of the files that loaded.
    pub warnings: Vec<LoadWarning>,
    /// How many files were parsed; the rest of the talks were kept from the library a reload
    /// started from ([`Library::load_reusing`]).
    pub parsed: usize,
}

impl Loaded {
    /// True when any file was skipped, or nothing loaded.
    pub fn is_degraded(&self) -> bool {
        self.library.talks.is_empty() || self.warnings.iter().any(|w| w.skipped)
    }
}

/// What reading one file came to, before the load decides whether it keeps the talk.
enum FileOutcome {
    Talk {
        talk: Box<Talk>,
        source: Source,
        /// The talk of `previous` it is a copy of, when the file had not changed.
        reused: Option<usize>,
    },
    Skipped(Refusal),
}

/// Builds the index of `talks`; `previous` names, for each new talk, the identical talk of the
/// library in service, if any, so that its part of the index can be reused.
fn build_index(talks: &[Talk], previous: Option<(&Index, &[Option<usize>])>) -> Index {
    Index::build_reusing(talks, previous)
}

impl Library {
    /// Loads every `.md` and `.markdown` file directly in `dir`.
    ///
    /// A file is skipped, with a warning naming it, when it is a symlink that leads outside
    /// `dir` (or nowhere), not a regular file (a folder, a FIFO), larger than
    /// `opts.max_file_bytes` (checked before reading, and the read is capped too), changing
    /// while it is read, empty, binary (a NUL byte), not UTF-8, or without sections.
    pub fn load(dir: &Path, opts: &LoadOptions) -> Loaded {
        Library::load_reusing(dir, opts, None)
    }

    /// [`Library::load`], keeping the parsed talk of every file of `previous` (the library in
    /// service) whose name and text are the same and that was loaded with the same
    /// `media_base_url`: such a file is read and hashed, not parsed again. The result is the
    /// same as a fresh load's, warnings included.
    ///
    /// Files are read and parsed on as many threads as there are cores (at most one per
    /// file); the talks and warnings come out in file-name order whatever thread read them.
    pub fn load_reusing(dir: &Path, opts: &LoadOptions, previous: Option<&Library>) -> Loaded {
        let mut warnings = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                warnings.push(LoadWarning {
                    file: dir.to_path_buf(),
                    skipped: true,
                    kind: WarningKind::Folder,
                    reason: format!("cannot read the folder: {e}"),
                });
                return Loaded {
                    library: Library::from_talks(Vec::new()),
                    warnings,
                    parsed: 0,
                };
            }
        };
        // Symlinks are checked against the canonical folder, so `dir` itself may be a symlink.
        let root = std::fs::canonicalize(dir).ok();
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("md" | "markdown")
                )
            })
            .collect();
        paths.sort();
        // Only a library loaded with the same media base can lend its talks.
        let previous = previous.filter(|p| p.media_base_url == opts.media_base_url);
        let by_file: rustc_hash::FxHashMap<&std::ffi::OsStr, usize> = previous
            .map(|p| p.sources.iter().enumerate())
            .into_iter()
            .flatten()
            .map(|(j, s)| (s.file.as_os_str(), j))
            .collect();
        let outcomes = in_parallel(&paths, |path| {
            load_one(path, root.as_deref(), opts, previous.map(|p| (p, &by_file)))
        });
        let mut talks = Vec::new();
        let mut sources = Vec::new();
        let mut reused = Vec::new();
        let mut ids = rustc_hash::FxHashSet::default();
        let mut parsed = 0;
        for (path, outcome) in paths.iter().zip(outcomes) {
            let (talk, source, from) = match outcome {
                FileOutcome::Talk {
                    talk,
                    source,
                    reused,
                } => (*talk, source, reused),
                FileOutcome::Skipped(Refusal { kind, reason }) => {
                    warnings.push(LoadWarning {
                        file: path.clone(),
                        skipped: true,
                        kind,
                        reason,
                    });
                    continue;
                }
            };
            parsed += usize::from(from.is_none());
            // A skipped file gets one warning, the reason it was skipped.
            if talk.sections.is_empty() {
                warnings.push(LoadWarning {
                    file: path.clone(),
                    skipped: true,
                    kind: WarningKind::Content,
                    reason: "no sections found (a talk needs headings)".into(),
                });
                continue;
            }
            warnings.extend(source.warnings.iter().map(|reason| LoadWarning {
                file: path.clone(),
                skipped: false,
                kind: WarningKind::Content,
                reason: reason.clone(),
            }));
            if !ids.insert(talk.id.clone()) {
                warnings.push(LoadWarning {
                    file: path.clone(),
                    skipped: true,
                    kind: WarningKind::Content,
                    reason: format!("a talk with id `{}` is already loaded", talk.id),
                });
                continue;
            }
            talks.push(talk);
            sources.push(source);
            reused.push(from);
        }
        let index = build_index(&talks, previous.map(|p| (&p.index, reused.as_slice())));
        let library = Library::assemble(talks, index, sources, opts.media_base_url.clone());
        if opts.release_memory {
            release_free_memory();
        }
        Loaded {
            library,
            warnings,
            parsed,
        }
    }

    /// [`Library::load`], then one log line per warning and one with the counts and the time
    /// taken: what the CLI and the bot both do when they load content.
    pub fn load_logged(dir: &Path, opts: &LoadOptions) -> Loaded {
        let started = std::time::Instant::now();
        let loaded = Library::load(dir, opts);
        for w in &loaded.warnings {
            tracing::warn!(file = %w.file.display(), skipped = w.skipped, reason = %w.reason, "seed file problem");
        }
        let c = loaded.library.counts();
        tracing::info!(
            dir = %dir.display(),
            talks = c.talks,
            sections = c.sections,
            quotes = c.quotes,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "library loaded"
        );
        loaded
    }

    /// Builds a library (and its index) from parsed talks.
    pub fn from_talks(talks: Vec<Talk>) -> Library {
        let index = build_index(&talks, None);
        Library::assemble(talks, index, Vec::new(), None)
    }

    fn assemble(
        talks: Vec<Talk>,
        index: Index,
        sources: Vec<Source>,
        media_base_url: Option<String>,
    ) -> Library {
        let names = Names::build(&talks, index.readings());
        let mut by_key = FxHashMap::default();
        for (t, talk) in talks.iter().enumerate() {
            // The first talk of a key wins, as a scan in order would find it.
            by_key.entry(TalkKey::of(&talk.id)).or_insert(t);
        }
        Library {
            talks,
            index,
            names,
            by_key,
            sources,
            media_base_url,
        }
    }

    /// Every talk, in file-name order.
    pub fn talks(&self) -> &[Talk] {
        &self.talks
    }

    /// The search index over the talks.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// What search reads: the talks and their index.
    pub fn corpus(&self) -> Corpus<'_> {
        Corpus {
            talks: &self.talks,
            index: &self.index,
        }
    }

    /// The talk whose id is `id`, with its index.
    pub fn talk_by_id(&self, id: &str) -> Option<(usize, &Talk)> {
        let t = self.talk_by_key(TalkKey::of(id))?;
        let talk = &self.talks[t];
        (talk.id == id).then_some((t, talk))
    }

    /// The talk whose id has the key `k` (a lookup in the map built with the library).
    pub fn talk_by_key(&self, k: TalkKey) -> Option<usize> {
        self.by_key.get(&k).copied()
    }

    /// The talk a user means by `text`: a picked value ([`Pick::Talk`]), an id, else the best
    /// of [`Library::talk_choices`] (a title, a speaker, a date, fuzzily).
    pub fn resolve_talk(&self, text: &str) -> Lookup<usize> {
        let text = text.trim();
        if let Some(pick) = Pick::parse(text) {
            return match pick {
                Pick::Talk(k) | Pick::Section(k, _) => {
                    self.talk_by_key(k).map_or(Lookup::Gone, Lookup::Found)
                }
                Pick::Speaker(_) | Pick::Tag(_) => Lookup::NoMatch,
            };
        }
        if text.is_empty() {
            return Lookup::NoMatch;
        }
        if let Some((t, _)) = self.talk_by_id(text) {
            return Lookup::Found(t);
        }
        let best = rank_names(
            text,
            self.talks.len(),
            |i| self.names.talks[i].as_slice(),
            1,
        );
        best.first().map_or(Lookup::NoMatch, |&t| Lookup::Found(t))
    }

    /// Talks for the text typed so far (titles, ids, speakers, dates and tags, fuzzily), best
    /// first, at most `max`: each labelled with its title, main speaker and date.
    pub fn talk_choices(&self, typed: &str, max: usize) -> Vec<NameChoice> {
        rank_names(
            typed,
            self.talks.len(),
            |i| self.names.talks[i].as_slice(),
            max,
        )
        .into_iter()
        .map(|t| {
            let talk = &self.talks[t];
            NameChoice {
                label: crate::text::truncate_chars(
                    &talk_line(talk),
                    crate::search::MAX_LABEL_CHARS,
                ),
                value: Pick::Talk(TalkKey::of(&talk.id)).value(),
            }
        })
        .collect()
    }

    /// Whether talk `t` carries the tag `tag` (among its tags or related topics).
    pub fn has_tag(&self, t: usize, tag: &str) -> bool {
        self.talks.get(t).is_some_and(|talk| {
            talk.meta
                .tags
                .iter()
                .chain(&talk.related)
                .any(|x| x.trim() == tag)
        })
    }

    /// Every speaker of the library (the talks' speakers and whoever quotes are given to), in
    /// order of first appearance.
    pub fn speakers(&self) -> &[Name] {
        &self.names.speakers
    }

    /// Every tag of the library (the talks' tags and related topics), in order of first
    /// appearance.
    pub fn tags(&self) -> &[Name] {
        &self.names.tags
    }

    /// The speaker a user means: a picked value, else the best of the speaker choices.
    pub fn resolve_speaker(&self, text: &str) -> Lookup<&Name> {
        resolve_name(&self.names.speakers, text, |p| match p {
            Pick::Speaker(k) => Some(k.get()),
            _ => None,
        })
    }

    /// The tag a user means: a picked value, else the best of the tag choices.
    pub fn resolve_tag(&self, text: &str) -> Lookup<&Name> {
        resolve_name(&self.names.tags, text, |p| match p {
            Pick::Tag(k) => Some(k.get()),
            _ => None,
        })
    }

    /// Speakers for the text typed so far, best first, at most `max`.
    pub fn speaker_choices(&self, typed: &str, max: usize) -> Vec<NameChoice> {
        name_choices(&self.names.speakers, typed, max, |k| {
            Pick::Speaker(SpeakerKey::from_raw(k))
        })
    }

    /// Tags for the text typed so far, best first, at most `max`.
    pub fn tag_choices(&self, typed: &str, max: usize) -> Vec<NameChoice> {
        name_choices(&self.names.tags, typed, max, |k| {
            Pick::Tag(TagKey::from_raw(k))
        })
    }

    /// The section `r` points at, with its talk; `None` when the library has no such section.
    pub fn section(&self, r: SectionRef) -> Option<(&Talk, &Section)> {
        crate::model::section_at(&self.talks, r)
    }

    /// The quote `r` points at, with its talk; `None` when the library has no such quote.
    pub fn quote(&self, r: QuoteRef) -> Option<(&Talk, &Quote)> {
        let talk = self.talks.get(r.talk)?;
        Some((talk, talk.quotes.get(r.quote)?))
    }

    /// Every section, in order.
    pub fn section_refs(&self) -> impl Iterator<Item = SectionRef> + '_ {
        crate::model::section_refs(&self.talks)
    }

    /// Every quote, in order.
    pub fn quote_refs(&self) -> impl Iterator<Item = QuoteRef> + '_ {
        self.talks.iter().enumerate().flat_map(|(t, talk)| {
            (0..talk.quotes.len()).map(move |q| QuoteRef { talk: t, quote: q })
        })
    }

    /// How many talks, sections and quotes the library holds.
    pub fn counts(&self) -> Counts {
        Counts {
            talks: self.talks.len(),
            sections: self.talks.iter().map(|t| t.sections.len()).sum(),
            quotes: self.talks.iter().map(|t| t.quotes.len()).sum(),
        }
    }
}

/// A talk in one line: its title, speakers and date.
pub fn talk_line(talk: &Talk) -> String {
    let mut line = talk.title.clone();
    if !talk.meta.speakers.is_empty() {
        line.push_str(&format!(" · {}", talk.meta.speakers.join(", ")));
    }
    if let Some(date) = &talk.meta.date {
        line.push_str(&format!(" · {date}"));
    }
    line
}

fn resolve_name<'a>(
    list: &'a [Name],
    text: &str,
    key_of: impl Fn(Pick) -> Option<u64>,
) -> Lookup<&'a Name> {
    if let Some(pick) = Pick::parse(text) {
        return match key_of(pick) {
            Some(k) => list
                .iter()
                .find(|n| n.key == k)
                .map_or(Lookup::Gone, Lookup::Found),
            None => Lookup::NoMatch,
        };
    }
    let best = rank_names(text, list.len(), |i| list[i].folded.as_slice(), 1);
    match best.first() {
        Some(&i) if !text.trim().is_empty() => Lookup::Found(&list[i]),
        _ => Lookup::NoMatch,
    }
}

fn name_choices(list: &[Name], typed: &str, max: usize, pick: fn(u64) -> Pick) -> Vec<NameChoice> {
    rank_names(typed, list.len(), |i| list[i].folded.as_slice(), max)
        .into_iter()
        .map(|i| NameChoice {
            label: crate::text::truncate_chars(&list[i].name, crate::search::MAX_LABEL_CHARS),
            value: pick(list[i].key).value(),
        })
        .collect()
}

impl<'a> From<&'a Library> for Corpus<'a> {
    fn from(lib: &'a Library) -> Corpus<'a> {
        lib.corpus()
    }
}

impl<'a> From<&'a std::sync::Arc<Library>> for Corpus<'a> {
    fn from(lib: &'a std::sync::Arc<Library>) -> Corpus<'a> {
        lib.corpus()
    }
}

/// Makes every image of `talk` an absolute http(s) URL Discord accepts, or drops it: a relative
/// path (`images/a.png`, Obsidian's `diagram.png`) resolves against `base` when there is one;
/// what still is no such URL is removed, and each removal is a warning for `lectern check`.
/// The source (`meta.source`) is left as written: a source that is no URL is shown as text.
pub fn resolve_media(talk: &mut Talk, base: Option<&str>) -> Vec<String> {
    use crate::text::{MAX_EMBED_URL, web_url};
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let mut warnings = Vec::new();
    for s in &mut talk.sections {
        let Some(image) = s.infographic.as_mut() else {
            continue;
        };
        if let Some(u) = web_url(&image.url, MAX_EMBED_URL) {
            image.url = u;
            continue;
        }
        let joined = base
            .as_ref()
            .filter(|_| url::Url::parse(&image.url).is_err())
            .and_then(|b| b.join(image.url.trim()).ok())
            .and_then(|u| web_url(u.as_str(), MAX_EMBED_URL));
        match joined {
            Some(u) => image.url = u,
            None => {
                warnings.push(format!(
                    "section {:?}: image `{}` is not an absolute http(s) URL Discord accepts; \
                     dropped (set content.media_base_url to resolve relative images)",
                    s.title,
                    crate::text::truncate_chars(&image.url, 100)
                ));
                s.infographic = None;
            }
        }
    }
    warnings
}

/// How much a library holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Talks loaded.
    pub talks: usize,
    /// Sections in all, the intros included.
    pub sections: usize,
    /// Quotes in all, whoever said them.
    pub quotes: usize,
}

/// Gives the free heap pages left by a load (the parser's events, the index builder's growing
/// buffers) back to the system; see [`LoadOptions::release_memory`].
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the kernel; no live allocation is touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Reads one file and parses it, or takes its talk from `previous` when the file is the one
/// `previous` loaded (same name, same text): `previous` was loaded with the same options, and
/// its talks are found by file name.
fn load_one(
    path: &Path,
    root: Option<&Path>,
    opts: &LoadOptions,
    previous: Option<(&Library, &rustc_hash::FxHashMap<&std::ffi::OsStr, usize>)>,
) -> FileOutcome {
    let src = match read_one(path, root, opts) {
        Ok(src) => src,
        Err(reason) => return FileOutcome::Skipped(reason),
    };
    let file = path.file_name().unwrap_or_default().to_os_string();
    let hash = content_hash(&src);
    let same = previous.and_then(|(p, by_file)| {
        let &j = by_file.get(file.as_os_str())?;
        (p.sources[j].hash == hash).then_some((j, p))
    });
    if let Some((j, p)) = same {
        return FileOutcome::Talk {
            talk: Box::new(p.talks[j].clone()),
            source: p.sources[j].clone(),
            reused: Some(j),
        };
    }
    let (mut talk, parse_warnings) = parse_talk(&talk_id(path), &src);
    let media_warnings = resolve_media(&mut talk, opts.media_base_url.as_deref());
    let warnings = parse_warnings
        .into_iter()
        .map(|w| format!("byte {}: {}", w.offset, w.message))
        .chain(media_warnings)
        .collect();
    FileOutcome::Talk {
        talk: Box::new(talk),
        source: Source {
            file,
            hash,
            warnings,
        },
        reused: None,
    }
}

/// `work` applied to every item, on up to as many threads as there are cores, with the
/// results in the items' order. Threads take the next item as they finish one, so a large
/// file does not hold up the others. Scoped std threads are enough here: one fan-out per load
/// needs no pool.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, work(item)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let others: Vec<_> = (1..threads).map(|_| s.spawn(worker)).collect();
        let mut done = worker();
        for t in others {
            // A panic in a worker is a bug in the parser; it reaches the caller as it would
            // have without threads.
            match t.join() {
                Ok(d) => done.extend(d),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The talk id: the file name without its extension.
pub fn talk_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// How often a file that changed while it was read is read again before it is skipped.
const READ_ATTEMPTS: usize = 3;

/// Reads one seed file, defensively: the folder is the admin's, but a mistake there (a symlink
/// to somewhere else, a huge file, a file being written) must not take the bot down.
///
/// - A symlink must resolve to a file inside the seeds folder (`root`, canonical).
/// - The size is checked on the open file before reading, and the read itself is capped, so a
///   file that grows between the check and the read cannot blow memory.
/// - The file is opened non-blocking and without following a symlink, so a FIFO or a symlink
///   swapped in after the checks cannot hang the load or lead it outside.
/// - A file whose size or modification time changed while it was read is read again, and
///   skipped if it keeps changing: its bytes may be a mix of two versions.
fn read_one(path: &Path, root: Option<&Path>, opts: &LoadOptions) -> Result<String, Refusal> {
    let link = std::fs::symlink_metadata(path).map_err(Refusal::unreadable)?;
    let target = if link.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|e| Refusal {
            kind: WarningKind::BrokenSymlink,
            reason: format!("cannot read: a broken symlink ({e})"),
        })?;
        let inside = root.is_some_and(|root| target.starts_with(root));
        if !inside {
            return Err(Refusal {
                kind: WarningKind::OutsideSymlink,
                reason: format!(
                    "a symlink to {}, outside the seeds folder",
                    target.display()
                ),
            });
        }
        target
    } else {
        path.to_path_buf()
    };
    let meta = std::fs::metadata(&target).map_err(Refusal::unreadable)?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    check_size(meta.len(), opts)?;
    read_stable(|| open_no_follow(&target), opts)
}

/// An open seed file: readable, and able to tell its size and modification time.
trait SeedFile: Read {
    /// `None` when it is not a regular file.
    fn stamp(&self) -> std::io::Result<Option<Stamp>>;
}

/// What tells that a file changed: its size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl SeedFile for std::fs::File {
    fn stamp(&self) -> std::io::Result<Option<Stamp>> {
        let meta = self.metadata()?;
        Ok(meta.is_file().then(|| Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }))
    }
}

/// Opens and reads a file until its size and modification time are the same before and after
/// the read, at most [`READ_ATTEMPTS`] times.
fn read_stable<F: SeedFile>(
    mut open: impl FnMut() -> std::io::Result<F>,
    opts: &LoadOptions,
) -> Result<String, Refusal> {
    let cannot = Refusal::unreadable;
    for _ in 0..READ_ATTEMPTS {
        let mut file = open().map_err(cannot)?;
        let before = file
            .stamp()
            .map_err(cannot)?
            .ok_or_else(|| Refusal::from("not a regular file"))?;
        check_size(before.len, opts)?;
        let bytes = read_capped(&mut file, opts.max_file_bytes)
            .map_err(cannot)?
            .ok_or_else(|| {
                Refusal::from(format!(
                    "too large: it grew past the limit of {} bytes while it was read \
                     (content.max_file_bytes)",
                    opts.max_file_bytes
                ))
            })?;
        let after = file.stamp().map_err(cannot)?;
        if after == Some(before) && bytes.len() as u64 == before.len {
            return Ok(text_of(bytes)?);
        }
    }
    Err(format!("the file kept changing while it was read ({READ_ATTEMPTS} tries)").into())
}

fn check_size(len: u64, opts: &LoadOptions) -> Result<(), String> {
    if len > opts.max_file_bytes {
        return Err(format!(
            "too large: {len} bytes, the limit is {} (content.max_file_bytes)",
            opts.max_file_bytes
        ));
    }
    Ok(())
}

/// Opens a file for reading without blocking on a FIFO and without following a symlink in
/// its last component.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Reads at most `max` bytes; `None` when there is more than that.
fn read_capped(reader: &mut impl Read, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Checks that file contents are usable text.
fn text_of(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".into());
    }
    if bytes.contains(&0) {
        return Err("binary file (contains a NUL byte)".into());
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..3);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A talk with one section whose text is `body`, an image with a relative path, and no
    /// title heading (a parse warning every load must report).
    fn write_talk(dir: &Path, file: &str, body: &str) {
        let md = format!("## 1. Section\n\n{body}\n\n![chart](images/chart.png)\n");
        std::fs::write(dir.join(file), md).expect("write");
    }

    fn with_base(base: Option<&str>) -> LoadOptions {
        LoadOptions {
            media_base_url: base.map(str::to_string),
            ..LoadOptions::default()
        }
    }

    /// Reloads `dir` from `previous` and checks that the result is what a fresh load gives;
    /// returns it.
    fn reload(dir: &Path, opts: &LoadOptions, previous: &Library) -> Loaded {
        let again = Library::load_reusing(dir, opts, Some(previous));
        let fresh = Library::load(dir, opts);
        assert_eq!(again.library.talks(), fresh.library.talks());
        assert_eq!(again.warnings, fresh.warnings);
        // The index built from the reused talks' postings answers exactly as a fresh one.
        let queries = fresh.library.talks().iter().flat_map(|t| {
            t.sections.iter().flat_map(|s| {
                [s.title.clone()].into_iter().chain(
                    s.body
                        .split_whitespace()
                        .take(3)
                        .map(str::to_string)
                        .collect::<Vec<_>>(),
                )
            })
        });
        for q in queries {
            assert_eq!(
                crate::search::search(&again.library, &q, 10),
                crate::search::search(&fresh.library, &q, 10),
                "{q}"
            );
        }
        again
    }

    fn ids(loaded: &Loaded) -> Vec<&str> {
        loaded
            .library
            .talks()
            .iter()
            .map(|t| t.id.as_str())
            .collect()
    }

    #[test]
    fn a_reload_parses_only_the_files_that_changed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let opts = with_base(Some("https://cdn.example.com/talks/"));
        for (file, body) in [("a.md", "alpha"), ("b.md", "beta"), ("c.md", "gamma")] {
            write_talk(dir.path(), file, body);
        }
        let first = Library::load(dir.path(), &opts);
        assert_eq!((first.parsed, ids(&first)), (3, vec!["a", "b", "c"]));
        // Each file's warnings (no title heading) come back with its reused talk.
        assert_eq!(first.warnings.len(), 3);

        let same = reload(dir.path(), &opts, &first.library);
        assert_eq!(same.parsed, 0);
        assert_eq!(same.warnings, first.warnings);

        write_talk(dir.path(), "b.md", "beta, rewritten");
        let changed = reload(dir.path(), &opts, &same.library);
        assert_eq!(changed.parsed, 1);
        assert_eq!(
            changed.library.talks()[1].sections[0].body,
            "beta, rewritten"
        );

        // Renamed (a talk of a new id), removed and added files are parsed or dropped; the
        // file that stayed is kept.
        std::fs::rename(dir.path().join("a.md"), dir.path().join("z.md")).expect("rename");
        std::fs::remove_file(dir.path().join("c.md")).expect("remove");
        write_talk(dir.path(), "d.md", "delta");
        let moved = reload(dir.path(), &opts, &changed.library);
        assert_eq!((moved.parsed, ids(&moved)), (2, vec!["b", "d", "z"]));
    }

    #[test]
    fn a_changed_media_base_url_parses_every_file_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_talk(dir.path(), "a.md", "alpha");
        let first = Library::load(dir.path(), &with_base(Some("https://one.example.com/")));
        let opts = with_base(Some("https://two.example.com/"));
        let again = reload(dir.path(), &opts, &first.library);
        assert_eq!(again.parsed, 1);
        let image = again.library.talks()[0].sections[0].infographic.as_ref();
        assert_eq!(
            image.map(|i| i.url.as_str()),
            Some("https://two.example.com/images/chart.png")
        );
    }

    #[test]
    fn a_library_built_from_talks_lends_none_and_skipped_files_stay_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_talk(dir.path(), "a.md", "alpha");
        std::fs::write(dir.path().join("b.md"), "no heading at all\n").expect("write");
        // `a.markdown` has the id of `a.md`: skipped as a duplicate on every load.
        write_talk(dir.path(), "a.markdown", "alpha again");
        let opts = LoadOptions::default();
        let first = Library::load(dir.path(), &opts);
        assert_eq!((first.parsed, ids(&first)), (3, vec!["a"]));
        let skipped: Vec<_> = first.warnings.iter().filter(|w| w.skipped).collect();
        assert_eq!(skipped.len(), 2, "{:?}", first.warnings);
        let again = reload(dir.path(), &opts, &first.library);
        // The skipped files are read again (they may have been fixed); the talk is kept.
        assert_eq!(again.parsed, 2);
        let by_hand = Library::from_talks(first.library.talks().to_vec());
        assert_eq!(reload(dir.path(), &opts, &by_hand).parsed, 3);
    }

    #[test]
    fn public_warnings_name_files_in_the_seeds_folder_and_no_server_detail() {
        let root = Path::new("/srv/lectern/seeds");
        let w = |file: &str, kind: WarningKind, reason: &str| LoadWarning {
            file: PathBuf::from(file),
            skipped: true,
            kind,
            reason: reason.into(),
        };
        let cases = [
            (
                w(
                    "/srv/lectern/seeds/a.md",
                    WarningKind::Unreadable,
                    "cannot read: Permission denied (os error 13)",
                ),
                "a.md: skipped: cannot read the file",
            ),
            (
                w(
                    "/srv/lectern/seeds/l.md",
                    WarningKind::OutsideSymlink,
                    "a symlink to /etc/passwd.md, outside the seeds folder",
                ),
                "l.md: skipped: a symlink outside the seeds folder",
            ),
            (
                w(
                    "/srv/lectern/seeds/b.md",
                    WarningKind::BrokenSymlink,
                    "cannot read: a broken symlink (No such file or directory (os error 2))",
                ),
                "b.md: skipped: a broken symlink",
            ),
            (
                w(
                    "/srv/lectern/seeds",
                    WarningKind::Folder,
                    "cannot read the folder: No such file or directory (os error 2)",
                ),
                "the seeds folder: skipped: cannot read the folder",
            ),
            (
                w("/elsewhere/c.md", WarningKind::Content, "empty file"),
                "c.md: skipped: empty file",
            ),
        ];
        for (warning, want) in cases {
            assert_eq!(warning.public(root), want);
        }
    }

    #[test]
    fn picks_round_trip_and_typed_text_is_no_pick() {
        let long = "演讲".repeat(500);
        for pick in [
            Pick::Talk(TalkKey::of(&long)),
            Pick::Section(TalkKey::from_raw(u64::MAX), usize::MAX),
            Pick::Speaker(SpeakerKey::from_raw(0)),
            Pick::Tag(TagKey::of("ops")),
        ] {
            let value = pick.value();
            assert!(value.chars().count() <= 38, "{value}");
            assert_eq!(Pick::parse(&value), Some(pick));
        }
        for typed in [
            "13",
            "#t",
            "#t.12",
            "#s.0123456789abcdef",
            "#s.0123456789abcdef.+1",
        ] {
            assert_eq!(Pick::parse(typed), None, "{typed}");
        }
    }

    #[test]
    fn talks_speakers_and_tags_resolve_from_ids_names_and_fuzzy_text() {
        let talk = |id: &str, title: &str, speaker: &str, tag: &str| {
            let (mut t, _) = parse_talk(id, &format!("# {title}\n\n## 1. One\n\nText.\n"));
            t.meta.speakers = vec![speaker.into()];
            t.meta.tags = vec![tag.into()];
            t
        };
        let lib = Library::from_talks(vec![
            talk("a", "Building Reliable Systems", "Ada Lovelace", "rust"),
            talk("b", "Operating at Scale", "Grace Hopper", "ops"),
        ]);
        assert_eq!(lib.resolve_talk("b"), Lookup::Found(1));
        assert_eq!(lib.resolve_talk("operating"), Lookup::Found(1));
        assert_eq!(lib.resolve_talk("hopper"), Lookup::Found(1));
        assert_eq!(
            lib.resolve_talk(&Pick::Talk(TalkKey::of("a")).value()),
            Lookup::Found(0)
        );
        assert_eq!(
            lib.resolve_talk(&Pick::Talk(TalkKey::of("gone")).value()),
            Lookup::Gone
        );
        assert_eq!(lib.resolve_talk("qqqq zzzz"), Lookup::NoMatch);
        let speaker = |t: &str| match lib.resolve_speaker(t) {
            Lookup::Found(n) => Some(n.name.clone()),
            _ => None,
        };
        assert_eq!(speaker("grace").as_deref(), Some("Grace Hopper"));
        assert_eq!(
            speaker(&Pick::Speaker(SpeakerKey::of("Ada Lovelace")).value()).as_deref(),
            Some("Ada Lovelace")
        );
        assert!(matches!(
            lib.resolve_tag(&Pick::Tag(TagKey::of("gone")).value()),
            Lookup::Gone
        ));
        assert!(lib.has_tag(1, "ops") && !lib.has_tag(0, "ops"));
        let labels: Vec<String> = lib
            .talk_choices("", 25)
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(
            labels,
            [
                "Building Reliable Systems · Ada Lovelace",
                "Operating at Scale · Grace Hopper"
            ]
        );
    }

    #[test]
    fn a_read_is_capped_even_when_the_source_never_ends() {
        // `repeat` never ends, like a file that keeps growing after its size was checked.
        let mut endless = std::io::repeat(b'a');
        assert_eq!(read_capped(&mut endless, 1000).unwrap(), None);
        let mut exact = &[b'a'; 1000][..];
        assert_eq!(
            read_capped(&mut exact, 1000).unwrap().map(|b| b.len()),
            Some(1000)
        );
    }

    /// A file whose reported size and modification time change `changes` times: once per
    /// `stamp` call until then.
    struct Changing {
        /// What is left to read.
        text: &'static [u8],
        len: u64,
        stamps: std::cell::Cell<u64>,
        changes: u64,
    }

    impl Read for Changing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.text.read(buf)
        }
    }

    impl SeedFile for Changing {
        fn stamp(&self) -> std::io::Result<Option<Stamp>> {
            let n = self.stamps.get();
            self.stamps.set(n + 1);
            Ok(Some(Stamp {
                len: self.len,
                modified: Some(
                    std::time::UNIX_EPOCH + std::time::Duration::from_secs(n.min(self.changes)),
                ),
            }))
        }
    }

    fn read_changing(changes: u64) -> (Result<String, String>, usize) {
        let mut opens = 0;
        let result = read_stable(
            || {
                opens += 1;
                Ok(Changing {
                    text: b"# T\n\n## S\n",
                    len: 10,
                    stamps: std::cell::Cell::new(0),
                    changes,
                })
            },
            &LoadOptions::default(),
        );
        (result.map_err(|r| r.reason), opens)
    }

    #[test]
    fn a_file_that_changes_while_it_is_read_is_read_again_then_skipped() {
        // Stable: one read.
        assert_eq!(read_changing(0), (Ok("# T\n\n## S\n".to_string()), 1));
        // Changes on every read: skipped after the last try.
        let (result, opens) = read_changing(u64::MAX);
        assert_eq!(opens, READ_ATTEMPTS);
        assert_eq!(
            result,
            Err("the file kept changing while it was read (3 tries)".to_string())
        );
    }

    #[test]
    fn a_file_that_grows_past_the_limit_during_the_read_is_skipped() {
        // Its size said 10 bytes; the read found more than the limit.
        struct Growing;
        impl Read for Growing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                std::io::repeat(b'a').read(buf)
            }
        }
        impl SeedFile for Growing {
            fn stamp(&self) -> std::io::Result<Option<Stamp>> {
                Ok(Some(Stamp {
                    len: 10,
                    modified: None,
                }))
            }
        }
        let opts = LoadOptions {
            max_file_bytes: 1000,
            ..LoadOptions::default()
        };
        let err = read_stable(|| Ok(Growing), &opts).unwrap_err().reason;
        assert!(
            err.starts_with("too large: it grew past the limit of 1000 bytes"),
            "{err}"
        );
    }

    #[test]
    fn a_nul_byte_makes_a_file_binary_wherever_it_is() {
        let mut bytes = "# T\n\n## A\n\n".repeat(100).into_bytes();
        bytes.push(0);
        bytes.extend_from_slice(b"more text\n");
        assert_eq!(
            text_of(bytes),
            Err("binary file (contains a NUL byte)".to_string())
        );
    }
}
