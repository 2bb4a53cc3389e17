//! Loading a folder of write-ups: every file read defensively and parsed (in parallel), a
//! [`LoadWarning`] of a [`WarningKind`] for each file that cannot be used, and a reload that
//! keeps the talks of files whose text did not change.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::cache::Cache;
pub use super::cache::CacheUse;
use super::{Library, Parts, Source, resolve_media};
use crate::model::Talk;
use crate::parse::parse_talk;
use crate::search::{Growing, Index};

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
    /// A folder where a load keeps the parsed talks and their index for the next start
    /// (`cache.dir`; see [`CacheUse`]): a first load ([`Library::load`]) reads it and parses only
    /// the files that changed since it was written, and every load that changed the library
    /// writes it again. `None` (the default): no cache. It outlives the process, so only a
    /// program that owns its process (the `lectern` binary) sets it, never a library embedded
    /// in someone else's bot.
    pub cache_dir: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 4 * 1024 * 1024,
            release_memory: false,
            media_base_url: None,
            cache_dir: None,
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

/// The hash a reload compares files by: SipHash-1-3 (std's `DefaultHasher`, fixed keys) of the
/// file's text. A content hash, not a security one: the files are the operator's own, and 64
/// bits make a chance collision between two versions of one file negligible. It runs at over a
/// gigabyte a second, a few percent of a parse (see `benches/reload.rs`), so no other hash
/// crate is needed.
pub fn content_hash(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

/// [`content_hash`] of bytes not yet known to be text: the same value for the same bytes, so
/// that a load can compare a file with the one it was loaded from before it checks that the
/// file is UTF-8 (a file with the hash of one that loaded needs no check: it is that file).
fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
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
    /// started from ([`Library::load_reusing`]) or from the cache.
    pub parsed: usize,
    /// What the load did with the cache ([`LoadOptions::cache_dir`]).
    pub cache: CacheUse,
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
        /// `None` when it is the talk `reused` of a previous library the load owns (the
        /// cache's): the load moves it out of there instead of copying it.
        talk: Option<Box<Talk>>,
        source: Source,
        /// The talk of `previous` it is a copy of, when the file had not changed.
        reused: Option<usize>,
    },
    Skipped(Refusal),
}

/// The talks a load may keep instead of parsing their files again: those of the library in
/// service (a reload), or those read from the cache (a first load).
enum Previous<'p> {
    /// The library in service: its talks are copied.
    Lent(&'p Library),
    /// The cache's: its talks and index are moved into the new library.
    Owned(Box<Parts>),
}

/// The previous library's files, as [`load_one`] looks them up.
struct Lender<'p> {
    sources: &'p [Source],
    /// Its talks when they are to be copied ([`Previous::Lent`]); `None` when the load owns them.
    talks: Option<&'p [Talk]>,
    by_file: rustc_hash::FxHashMap<&'p std::ffi::OsStr, usize>,
}

/// Builds the index of `talks`; `previous` names, for each new talk, the identical talk of the
/// library in service, if any, so that its part of the index can be reused.
pub(super) fn build_index(talks: &[Talk], previous: Option<(&Index, &[Option<usize>])>) -> Index {
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
    ///
    /// With [`LoadOptions::cache_dir`] set, a load without `previous` starts from the cache
    /// instead (a damaged, stale or unreadable cache is ignored with a warning), and a load
    /// that changed the library writes the cache again.
    pub fn load_reusing(dir: &Path, opts: &LoadOptions, previous: Option<&Library>) -> Loaded {
        let cache = opts.cache_dir.as_deref().map(|c| Cache::new(c, dir));
        let mut used = CacheUse::default();
        let previous = match (previous, &cache) {
            (Some(p), _) => Some(Previous::Lent(p)),
            // Reading the cache takes one thread; the folding tables, which naming the talks
            // needs next, are built on another meanwhile.
            (None, Some(c)) => std::thread::scope(|s| {
                s.spawn(crate::search::normalize::prepare);
                c.read(opts, &mut used)
                    .map(|parts| Previous::Owned(Box::new(parts)))
            }),
            (None, None) => None,
        };
        let (mut loaded, unchanged) = Library::load_from(dir, opts, previous);
        if let Some(c) = &cache
            && !unchanged
            && !loaded
                .warnings
                .iter()
                .any(|w| w.kind == WarningKind::Folder)
        {
            c.write(&loaded.library, &mut used);
        }
        loaded.cache = used;
        if opts.release_memory {
            release_free_memory();
        }
        loaded
    }

    /// The load itself; also says whether the library is the one `previous` held (the same
    /// talks from the same files, in the same order), which need not be written again.
    fn load_from(dir: &Path, opts: &LoadOptions, previous: Option<Previous<'_>>) -> (Loaded, bool) {
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
                let loaded = Loaded {
                    library: Library::from_talks(Vec::new()),
                    warnings,
                    parsed: 0,
                    cache: CacheUse::default(),
                };
                return (loaded, false);
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
        let (lent, owned) = match previous {
            Some(Previous::Lent(p)) => (Some(p), None),
            Some(Previous::Owned(parts)) => (None, Some(*parts)),
            None => (None, None),
        };
        let lent = lent.filter(|p| p.media_base_url == opts.media_base_url);
        let owned = owned.filter(|p| p.media_base_url == opts.media_base_url);
        let n_previous =
            lent.map_or(0, |p| p.talks.len()) + owned.as_ref().map_or(0, |p| p.talks.len());
        // The owned talks are moved out as their files are kept, while the workers look the
        // files up in the owned sources.
        let (mut spare, owned_index, owned_sources) = match owned {
            Some(Parts {
                talks,
                index,
                sources,
                ..
            }) => (
                talks.into_iter().map(Some).collect::<Vec<_>>(),
                Some(index),
                sources,
            ),
            None => (Vec::new(), None, Vec::new()),
        };
        let lender = match (lent, &owned_index) {
            (Some(p), _) => Some((&p.sources[..], Some(&p.talks[..]))),
            (None, Some(_)) => Some((&owned_sources[..], None)),
            (None, None) => None,
        }
        .map(|(sources, talks)| Lender {
            sources,
            talks,
            by_file: (sources.iter().enumerate())
                .map(|(j, s)| (s.file.as_os_str(), j))
                .collect(),
        });
        // A load with nothing to splice from indexes each talk it keeps as it comes, while the
        // workers parse the files after it.
        let mut growing = lender.is_none().then(Growing::default);
        let mut talks = Vec::new();
        let mut sources = Vec::new();
        let mut reused = Vec::new();
        let mut ids = rustc_hash::FxHashSet::default();
        let mut parsed = 0;
        let mut keep = |path: &PathBuf, outcome: FileOutcome| {
            let (talk, source, from) = match outcome {
                FileOutcome::Talk {
                    talk: Some(talk),
                    source,
                    reused,
                } => (*talk, source, reused),
                FileOutcome::Talk {
                    talk: None,
                    source,
                    reused: Some(j),
                } => match spare.get_mut(j).and_then(Option::take) {
                    Some(talk) => (talk, source, Some(j)),
                    None => unreachable!("each kept talk is kept once, for its file"),
                },
                FileOutcome::Talk { talk: None, .. } => {
                    unreachable!("only a kept talk comes without its talk")
                }
                FileOutcome::Skipped(Refusal { kind, reason }) => {
                    warnings.push(LoadWarning {
                        file: path.clone(),
                        skipped: true,
                        kind,
                        reason,
                    });
                    return;
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
                return;
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
                return;
            }
            if let Some(g) = growing.as_mut() {
                g.add(&talk);
            }
            talks.push(talk);
            sources.push(source);
            reused.push(from);
        };
        in_order(
            &paths,
            |path| load_one(path, root.as_deref(), opts, lender.as_ref()),
            |i, outcome| keep(&paths[i], outcome),
        );
        drop(spare);
        drop(lender);
        // The same talks in the same order as the previous library's: its index is theirs.
        let unchanged = (lent.is_some() || owned_index.is_some())
            && talks.len() == n_previous
            && reused.iter().enumerate().all(|(t, &r)| r == Some(t));
        let index = match (growing, owned_index) {
            (Some(g), _) => g.finish(&talks),
            (None, Some(index)) if unchanged => index,
            (None, owned_index) => {
                let previous = lent.map(|p| &p.index).or(owned_index.as_ref());
                build_index(&talks, previous.map(|p| (p, reused.as_slice())))
            }
        };
        let library = Library::assemble(talks, index, sources, opts.media_base_url.clone());
        let loaded = Loaded {
            library,
            warnings,
            parsed,
            cache: CacheUse::default(),
        };
        (loaded, unchanged)
    }

    /// [`Library::load`], then one log line per warning and one with the counts, how many files
    /// were parsed (the others came from the cache) and the time taken: what the CLI and the
    /// bot both do when they load content.
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
            parsed = loaded.parsed,
            from_cache = loaded.cache.read,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "library loaded"
        );
        loaded
    }
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
    previous: Option<&Lender<'_>>,
) -> FileOutcome {
    let bytes = match read_one(path, root, opts) {
        Ok(bytes) => bytes,
        Err(reason) => return FileOutcome::Skipped(reason),
    };
    let file = path.file_name().unwrap_or_default().to_os_string();
    // The hash of the text the file would be: its bytes without a byte order mark.
    let hash = hash_bytes(bytes.strip_prefix(BOM).unwrap_or(&bytes));
    // A file whose name and text are those of a talk `previous` loaded is that file: it passed
    // every check then (only talks that loaded are in `previous`), so its bytes are neither
    // checked nor converted to text again, which a warm start at 1,000 talks would spend a
    // fifth of its time on.
    let same = previous.and_then(|p| {
        let &j = p.by_file.get(file.as_os_str())?;
        (p.sources[j].hash == hash).then_some((j, p))
    });
    if let Some((j, p)) = same {
        return FileOutcome::Talk {
            talk: p.talks.map(|talks| Box::new(talks[j].clone())),
            source: p.sources[j].clone(),
            reused: Some(j),
        };
    }
    let src = match text_of(bytes) {
        Ok(src) => src,
        Err(reason) => return FileOutcome::Skipped(reason.into()),
    };
    let (mut talk, parse_warnings) = parse_talk(&talk_id(path), &src);
    let media_warnings = resolve_media(&mut talk, opts.media_base_url.as_deref());
    let warnings = parse_warnings
        .into_iter()
        .map(|w| format!("byte {}: {}", w.offset, w.message))
        .chain(media_warnings)
        .collect();
    FileOutcome::Talk {
        talk: Some(Box::new(talk)),
        source: Source {
            file,
            hash,
            warnings,
        },
        reused: None,
    }
}

/// `work` applied to every item on up to as many threads as there are cores, and `consume`
/// called on the calling thread with each item's index and result in the items' order, as soon
/// as the result and those before it are in: what the caller does with one result overlaps the
/// work on the next. Threads take the next item as they finish one, so a large file does not
/// hold up the others. Scoped std threads and a channel are enough here: one fan-out per load
/// needs no pool.
fn in_order<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(usize, R),
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        items
            .iter()
            .enumerate()
            .for_each(|(i, item)| consume(i, work(item)));
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (tx, next, work) = (tx.clone(), &next, &work);
                s.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            return;
                        };
                        if tx.send((i, work(item))).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        let mut waiting: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        let mut due = 0;
        for (i, r) in rx {
            waiting[i] = Some(r);
            while let Some(r) = waiting.get_mut(due).and_then(Option::take) {
                consume(due, r);
                due += 1;
            }
        }
        for w in workers {
            // A panic in a worker is a bug in the parser; it reaches the caller as it would
            // have without threads.
            if let Err(panic) = w.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
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
///
/// Its bytes are not checked to be text here ([`text_of`]): a file that is parsed is, one that
/// is kept from the previous library need not be.
fn read_one(path: &Path, root: Option<&Path>, opts: &LoadOptions) -> Result<Vec<u8>, Refusal> {
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
) -> Result<Vec<u8>, Refusal> {
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
            return Ok(bytes);
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

/// A UTF-8 byte order mark, which [`text_of`] drops.
const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// Checks that file contents are usable text: not empty, no NUL byte, UTF-8; without its byte
/// order mark.
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

    fn read_changing(changes: u64) -> (Result<Vec<u8>, String>, usize) {
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
        assert_eq!(read_changing(0), (Ok(b"# T\n\n## S\n".to_vec()), 1));
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
