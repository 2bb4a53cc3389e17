//! The load cache (`cache.dir`, [`LoadOptions::cache_dir`]): the parsed talks of a seeds folder,
//! their search index and the files they came from, written after a load and read by the next
//! first load, which then parses only the files that changed.
//!
//! A cache is keyed by what changes the result of a load: per file, its name and the hash of its
//! text ([`super::content_hash`], the keys a reload compares); for the whole file, the seeds
//! folder, the `media_base_url`, lectern's version and build (the executable's size and time,
//! so that a rebuilt binary, whose parser may differ, never reads an older one's cache), and
//! [`FORMAT`]. A file of another key, or one that fails any check, is ignored with a warning
//! naming it and why, and the load parses everything as if there were none.
//!
//! The file: 16 bytes (the magic `LECTERNC`, [`FORMAT`], four zero bytes), then three rkyv
//! archives, each aligned on 16 bytes (the talks, their sources, the index), then a [`Header`]
//! archive, then the header's offset and length (two little-endian `u64`). The header holds the
//! key, and per archive its offset, length and CRC-32: rkyv's validation proves that an archive
//! is well-formed, the checksum that it is the one written. Writing goes to a temporary file in
//! the same folder, renamed over the old one when complete, so a reader sees an old cache or a
//! new one, never half of one; a failed write is a warning, never a failed load.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rkyv::rancor;

use super::{Library, LoadOptions, Parts, Source};
use crate::model::Talk;
use crate::search::Index;

/// The layout's number: bump it whenever the archived types (the talks, [`Index`] and what it
/// holds, [`Stored`], [`Header`]) or the file's framing change.
pub(super) const FORMAT: u32 = 1;

const MAGIC: &[u8; 8] = b"LECTERNC";

/// lectern's version, part of every cache's key.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a load did with the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheUse {
    /// The cache file of the seeds folder, when the load had a cache folder.
    pub file: Option<PathBuf>,
    /// Whether the load started from the cache's talks (the files that had not changed were not
    /// parsed).
    pub read: bool,
    /// Whether the load wrote the cache (it does when the library changed).
    pub written: bool,
    /// Each problem with the cache: why it was ignored, or why it could not be written. Each is
    /// also logged as a warning; none of them changes what was loaded.
    pub problems: Vec<String>,
}

/// One archive of the file: where it is and its CRC-32.
#[derive(Debug, Clone, Copy, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
struct Span {
    start: u64,
    len: u64,
    crc: u32,
}

/// The key of a cache and where its archives are.
#[derive(Debug, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
struct Header {
    version: String,
    build: String,
    /// The seeds folder, canonical.
    dir: String,
    media_base_url: Option<String>,
    talks: Span,
    sources: Span,
    index: Span,
}

/// A [`Source`] as the cache stores it: the file name as UTF-8 (a name that is not UTF-8 is
/// stored lossily, so it never matches a file again and that file is parsed).
#[derive(Debug, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
struct Stored {
    file: String,
    hash: u64,
    warnings: Vec<String>,
}

/// The cache of one seeds folder in a cache folder.
pub(super) struct Cache {
    folder: PathBuf,
    file: PathBuf,
    /// The seeds folder, canonical when it exists.
    dir: String,
}

/// Why a cache was not used: there is none yet, or it is unusable (and why).
enum Miss {
    Absent,
    Bad(String),
}

impl From<String> for Miss {
    fn from(reason: String) -> Miss {
        Miss::Bad(reason)
    }
}

impl From<&str> for Miss {
    fn from(reason: &str) -> Miss {
        Miss::Bad(reason.to_string())
    }
}

impl Cache {
    /// The cache of `seeds` in `folder`: a file named after the seeds folder's path, so that
    /// several folders (`lectern check A`, `lectern check B`) keep their caches side by side.
    pub(super) fn new(folder: &Path, seeds: &Path) -> Cache {
        let dir = std::fs::canonicalize(seeds)
            .unwrap_or_else(|_| seeds.to_path_buf())
            .to_string_lossy()
            .into_owned();
        let file = folder.join(format!("talks-{:016x}.cache", crate::key::hash(&dir)));
        Cache {
            folder: folder.to_path_buf(),
            file,
            dir,
        }
    }

    /// The cache's library parts when the file is there and passes every check; `None`, with
    /// a warning when it is there but unusable.
    pub(super) fn read(&self, opts: &LoadOptions, used: &mut CacheUse) -> Option<Parts> {
        used.file = Some(self.file.clone());
        match self.try_read(opts, build_stamp()) {
            Ok(parts) => {
                used.read = true;
                Some(parts)
            }
            Err(Miss::Absent) => None,
            Err(Miss::Bad(reason)) => {
                tracing::warn!(file = %self.file.display(), %reason, "the load cache is ignored: every file is parsed");
                used.problems
                    .push(format!("{}: ignored: {reason}", self.file.display()));
                None
            }
        }
    }

    fn try_read(&self, opts: &LoadOptions, build: &str) -> Result<Parts, Miss> {
        let mut file = match std::fs::File::open(&self.file) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Miss::Absent),
            Err(e) => return Err(format!("cannot read it: {e}").into()),
        };
        let len = file
            .metadata()
            .map_err(|e| format!("cannot read it: {e}"))?
            .len();
        let mut bytes = rkyv::util::AlignedVec::<16>::with_capacity(len as usize);
        bytes
            .extend_from_reader(&mut file)
            .map_err(|e| format!("cannot read it: {e}"))?;
        if bytes.len() < 32 || &bytes[..8] != MAGIC {
            return Err("not a lectern cache (or truncated)".into());
        }
        let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if format != FORMAT {
            return Err(format!("of format {format}; this lectern reads format {FORMAT}").into());
        }
        let tail = bytes.len() - 16;
        let at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        let header = Span {
            start: at(tail),
            len: at(tail + 8),
            crc: 0,
        };
        let header: Header =
            rkyv::from_bytes::<Header, rancor::Error>(slice(&bytes, header, tail)?)
                .map_err(|e| format!("damaged (its header: {e})"))?;
        if header.version != VERSION || header.build != build {
            return Err(format!(
                "written by lectern {} (build {}); this is lectern {VERSION} (build {build})",
                header.version, header.build
            )
            .into());
        }
        if header.dir != self.dir {
            return Err(format!("written for the seeds folder {}", header.dir).into());
        }
        if header.media_base_url != opts.media_base_url {
            return Err("written with another content.media_base_url".into());
        }
        let checked = |span: Span, what: &str| -> Result<&[u8], Miss> {
            let part = slice(&bytes, span, tail)?;
            if crc32fast::hash(part) != span.crc {
                return Err(format!("damaged (the checksum of its {what} does not match)").into());
            }
            Ok(part)
        };
        // The talks on this thread, their sources and index on another: each is summed,
        // validated and decoded on its own, and the two take about as long.
        let (talks, rest) = std::thread::scope(|s| {
            let rest = s.spawn(|| -> Result<_, Miss> {
                let part = checked(header.sources, "sources")?;
                let stored = rkyv::from_bytes::<Vec<Stored>, rancor::Error>(part)
                    .map_err(damaged("sources"))?;
                let part = checked(header.index, "index")?;
                let index =
                    rkyv::from_bytes::<Index, rancor::Error>(part).map_err(damaged("index"))?;
                Ok((stored, index))
            });
            let talks = checked(header.talks, "talks").and_then(|part| {
                rkyv::from_bytes::<Vec<Talk>, rancor::Error>(part)
                    .map_err(|e| damaged("talks")(e).into())
            });
            // A panic while decoding is a bug; it reaches the caller as it would on one thread.
            let rest = rest
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (talks, rest)
        });
        let talks = talks?;
        let (stored, index) = rest?;
        drop(bytes);
        if stored.len() != talks.len() {
            return Err("damaged (its talks and sources do not match)".into());
        }
        index
            .check(&talks)
            .map_err(|e| format!("damaged (its index: {e})"))?;
        let sources = stored
            .into_iter()
            .map(|s| Source {
                file: s.file.into(),
                hash: s.hash,
                warnings: s.warnings,
            })
            .collect();
        Ok(Parts {
            talks,
            index,
            sources,
            media_base_url: header.media_base_url,
        })
    }

    /// Writes `library` as the cache; a failure is a warning.
    pub(super) fn write(&self, library: &Library, used: &mut CacheUse) {
        used.file = Some(self.file.clone());
        match self.try_write(library, VERSION, build_stamp()) {
            Ok(()) => used.written = true,
            Err(reason) => {
                tracing::warn!(file = %self.file.display(), %reason, "the load cache is not written: the next start parses every file");
                used.problems
                    .push(format!("{}: not written: {reason}", self.file.display()));
            }
        }
    }

    fn try_write(&self, library: &Library, version: &str, build: &str) -> Result<(), String> {
        std::fs::create_dir_all(&self.folder)
            .map_err(|e| format!("cannot create {}: {e}", self.folder.display()))?;
        let tmp = self
            .file
            .with_extension(format!("tmp{}", std::process::id()));
        let written = (|| -> io::Result<()> {
            let file = std::fs::File::create(&tmp)?;
            let mut out = Summed::new(io::BufWriter::with_capacity(1 << 20, file));
            out.write_all(MAGIC)?;
            out.write_all(&FORMAT.to_le_bytes())?;
            out.write_all(&[0; 4])?;
            let talks = archive(&mut out, &library.talks)?;
            let stored: Vec<Stored> = (library.sources.iter())
                .map(|s| Stored {
                    file: s.file.to_string_lossy().into_owned(),
                    hash: s.hash,
                    warnings: s.warnings.clone(),
                })
                .collect();
            let sources = archive(&mut out, &stored)?;
            let index = archive(&mut out, &library.index)?;
            let header = Header {
                version: version.to_string(),
                build: build.to_string(),
                dir: self.dir.clone(),
                media_base_url: library.media_base_url.clone(),
                talks,
                sources,
                index,
            };
            let header = archive(&mut out, &header)?;
            out.write_all(&header.start.to_le_bytes())?;
            out.write_all(&header.len.to_le_bytes())?;
            out.inner
                .into_inner()
                .map_err(io::IntoInnerError::into_error)?;
            Ok(())
        })();
        let renamed = written.and_then(|()| std::fs::rename(&tmp, &self.file));
        if let Err(e) = renamed {
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("cannot write {}: {e}", tmp.display()));
        }
        Ok(())
    }
}

/// What an archive that fails rkyv's validation is said to be.
fn damaged(what: &'static str) -> impl Fn(rancor::Error) -> String {
    move |e| format!("damaged (its {what}: {e})")
}

/// `span` of `bytes`, when it lies before `end` and starts on a 16-byte boundary (where rkyv
/// wrote it; the buffer itself is aligned).
fn slice(bytes: &[u8], span: Span, end: usize) -> Result<&[u8], Miss> {
    let start = usize::try_from(span.start).ok();
    let stop = start
        .zip(usize::try_from(span.len).ok())
        .and_then(|(s, l)| s.checked_add(l));
    match (start, stop) {
        (Some(start), Some(stop)) if start >= 16 && stop <= end && start % 16 == 0 => {
            Ok(&bytes[start..stop])
        }
        _ => Err("truncated or damaged (an archive lies outside the file)".into()),
    }
}

/// A writer that counts the bytes it passes on and sums them (CRC-32) since [`archive`] last
/// started a new sum.
struct Summed<W> {
    inner: W,
    at: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> Summed<W> {
    fn new(inner: W) -> Summed<W> {
        Summed {
            inner,
            at: 0,
            crc: crc32fast::Hasher::new(),
        }
    }
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.at += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

type FileWriter<'w> = rkyv::ser::writer::IoWriter<&'w mut Summed<io::BufWriter<std::fs::File>>>;

/// Writes `value` as an rkyv archive of its own, starting on a 16-byte boundary; its span.
fn archive<T>(out: &mut Summed<io::BufWriter<std::fs::File>>, value: &T) -> io::Result<Span>
where
    T: for<'a, 'w> rkyv::Serialize<
            rkyv::api::high::HighSerializer<
                FileWriter<'w>,
                rkyv::ser::allocator::ArenaHandle<'a>,
                rancor::Error,
            >,
        >,
{
    let pad = (16 - out.at % 16) % 16;
    out.write_all(&[0; 16][..pad as usize])?;
    let start = out.at;
    out.crc = crc32fast::Hasher::new();
    rkyv::api::high::to_bytes_in::<_, rancor::Error>(
        value,
        rkyv::ser::writer::IoWriter::new(&mut *out),
    )
    .map_err(io::Error::other)?;
    Ok(Span {
        start,
        len: out.at - start,
        crc: out.crc.clone().finalize(),
    })
}

/// The running executable's size and modification time: a rebuilt lectern (whose parser or
/// hash may differ under the same version) has another. Empty when it cannot be read.
fn build_stamp() -> &'static str {
    static STAMP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    STAMP.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        meta.map(|m| {
            let time = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            let time = time.map_or(0, |t| t.as_nanos());
            format!("{}-{time}", m.len())
        })
        .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Loaded;

    const BASE: &str = "https://cdn.example.com/talks/";

    /// A seeds folder with the bundled seed, the format fixtures, and a file that never loads
    /// (no heading: skipped on every load, so parsed on every load).
    fn seeds() -> tempfile::TempDir {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = tempfile::tempdir().expect("tempdir");
        for folder in ["seeds", "tests/fixtures/formats"] {
            for entry in std::fs::read_dir(root.join(folder)).expect("read_dir") {
                let path = entry.expect("entry").path();
                std::fs::copy(&path, dir.path().join(path.file_name().expect("name")))
                    .expect("copy");
            }
        }
        std::fs::write(dir.path().join("zz-notes.md"), "no heading at all\n").expect("write");
        dir
    }

    fn with_cache(cache: Option<&Path>) -> LoadOptions {
        LoadOptions {
            media_base_url: Some(BASE.to_string()),
            cache_dir: cache.map(Path::to_path_buf),
            ..LoadOptions::default()
        }
    }

    fn cold(dir: &Path) -> Loaded {
        Library::load(dir, &with_cache(None))
    }

    /// How many files a load skips (each is parsed again by every load).
    fn skipped(loaded: &Loaded) -> usize {
        loaded.warnings.iter().filter(|w| w.skipped).count()
    }

    /// Asserts that `got` holds what `want` holds: the same talks, warnings and search answers.
    fn same(got: &Loaded, want: &Loaded) {
        assert_eq!(got.library.talks(), want.library.talks());
        assert_eq!(got.warnings, want.warnings);
        let fixed = [
            "生物安全",
            "Grahm",
            "量子计算",
            "kubernetes",
            "GPT-6",
            "cachetest",
            "shengwu",
        ];
        let queries = want.library.talks().iter().flat_map(|t| {
            t.sections.iter().flat_map(|s| {
                let words = s.body.split_whitespace().take(3).map(str::to_string);
                std::iter::once(s.title.clone()).chain(words.collect::<Vec<_>>())
            })
        });
        for q in queries.chain(fixed.map(str::to_string)) {
            assert_eq!(
                crate::search::search(&got.library, &q, 10),
                crate::search::search(&want.library, &q, 10),
                "{q}"
            );
        }
    }

    #[test]
    fn a_warm_load_equals_a_cold_one_and_parses_only_what_never_loads() {
        let dir = seeds();
        let cache = tempfile::tempdir().expect("tempdir");
        let opts = with_cache(Some(cache.path()));
        let cold = cold(dir.path());
        assert!(cold.library.talks().len() >= 8, "{:?}", cold.warnings);
        assert!(skipped(&cold) >= 1);

        let first = Library::load(dir.path(), &opts);
        assert!(
            !first.cache.read && first.cache.written,
            "{:?}",
            first.cache
        );
        assert_eq!(first.cache.problems, Vec::<String>::new());
        same(&first, &cold);

        let warm = Library::load(dir.path(), &opts);
        assert!(warm.cache.read && !warm.cache.written, "{:?}", warm.cache);
        assert_eq!(warm.parsed, skipped(&cold));
        same(&warm, &cold);
        // Two seeds folders keep a cache each.
        let other = seeds();
        std::fs::remove_file(other.path().join("h1-sections.md")).expect("remove");
        let beside = Library::load(other.path(), &opts);
        assert!(!beside.cache.read && beside.cache.written);
        assert_eq!(
            std::fs::read_dir(cache.path()).expect("read_dir").count(),
            2
        );
        assert!(Library::load(dir.path(), &opts).cache.read);
    }

    #[test]
    fn a_changed_file_is_parsed_again_and_the_cache_written_again() {
        let dir = seeds();
        let cache = tempfile::tempdir().expect("tempdir");
        let opts = with_cache(Some(cache.path()));
        Library::load(dir.path(), &opts);
        let changed = dir.path().join("english-quotes.md");
        let text = std::fs::read_to_string(&changed).expect("read");
        std::fs::write(&changed, text + "\n\nA cachetest paragraph.\n").expect("write");
        std::fs::remove_file(dir.path().join("chinese-setext.md")).expect("remove");

        let warm = Library::load(dir.path(), &opts);
        assert!(warm.cache.read && warm.cache.written, "{:?}", warm.cache);
        assert_eq!(warm.parsed, 1 + skipped(&warm));
        let fresh = cold(dir.path());
        same(&warm, &fresh);
        assert!(
            !crate::search::search(&warm.library, "cachetest", 5)
                .hits
                .is_empty()
        );

        // A reload (from the library in service) writes the cache too, and the next start
        // reads what it wrote.
        std::fs::write(
            &changed,
            "# Rewritten\n\n## 1. Only\n\nNothing of before.\n",
        )
        .expect("write");
        let reloaded = Library::load_reusing(dir.path(), &opts, Some(&warm.library));
        assert!(!reloaded.cache.read && reloaded.cache.written);
        let again = Library::load(dir.path(), &opts);
        assert!(again.cache.read && !again.cache.written);
        assert_eq!(again.parsed, skipped(&again));
        same(&again, &cold(dir.path()));
    }

    #[test]
    fn a_cached_file_that_became_unusable_is_refused_as_without_a_cache() {
        let dir = seeds();
        let cache = tempfile::tempdir().expect("tempdir");
        let opts = with_cache(Some(cache.path()));
        let first = Library::load(dir.path(), &opts);
        assert!(first.cache.written);
        // Each of these files loaded when the cache was written; now one is not UTF-8, one
        // holds a NUL byte, one is empty.
        let edit = |file: &str, change: &dyn Fn(&mut Vec<u8>)| {
            let path = dir.path().join(file);
            let mut bytes = std::fs::read(&path).expect("read");
            change(&mut bytes);
            std::fs::write(&path, bytes).expect("write");
        };
        edit("english-quotes.md", &|b| {
            let at = b.len() / 2;
            b[at] = 0xFF;
        });
        edit("chinese-setext.md", &|b| b.insert(b.len() / 3, 0));
        edit("h1-sections.md", &|b| b.truncate(0));
        // A byte order mark changes the bytes, not the text: the talk is the cached one.
        edit("english-front-matter.md", &|b| {
            b.splice(0..0, "\u{FEFF}".bytes());
        });
        let want = cold(dir.path());
        let reasons: Vec<&str> = (want.warnings.iter())
            .filter(|w| w.skipped)
            .map(|w| w.reason.as_str())
            .collect();
        for reason in [
            "not UTF-8 text (invalid byte at offset",
            "binary file (contains a NUL byte)",
            "empty file",
        ] {
            assert!(
                reasons.iter().any(|r| r.starts_with(reason)),
                "{reason}: {reasons:?}"
            );
        }
        assert!(
            (want.library.talks().iter()).any(|t| t.id == "english-front-matter"),
            "{:?}",
            want.warnings
        );
        // A warm load refuses each as a load without a cache does, and keeps the talk of the
        // file that gained a byte order mark.
        let warm = Library::load(dir.path(), &opts);
        assert!(warm.cache.read && warm.cache.written, "{:?}", warm.cache);
        // (A refused file is not parsed; the files that never load are.)
        assert_eq!(warm.parsed, skipped(&first));
        same(&warm, &want);
        // So does a reload from the library in service, which had loaded them all.
        let reload = Library::load_reusing(dir.path(), &with_cache(None), Some(&first.library));
        same(&reload, &want);
    }

    /// The cache file a load of `dir` keeps in `cache`.
    fn cache_file(cache: &Path, dir: &Path) -> PathBuf {
        Cache::new(cache, dir).file
    }

    #[test]
    fn a_damaged_or_stale_cache_is_ignored_with_its_reason_and_the_load_is_whole() {
        let dir = seeds();
        let cache = tempfile::tempdir().expect("tempdir");
        let opts = with_cache(Some(cache.path()));
        let want = cold(dir.path());
        Library::load(dir.path(), &opts);
        let file = cache_file(cache.path(), dir.path());
        let good = std::fs::read(&file).expect("read");
        let library = &want.library;
        let rewrite = |version: &str, build: &str| {
            Cache::new(cache.path(), dir.path())
                .try_write(library, version, build)
                .expect("write");
            std::fs::read(&file).expect("read")
        };
        let flip = |at: usize| {
            let mut bytes = good.clone();
            bytes[at] ^= 0x40;
            bytes
        };
        let other_format = {
            let mut bytes = good.clone();
            bytes[8..12].copy_from_slice(&(FORMAT + 1).to_le_bytes());
            bytes
        };
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("truncated", good[..good.len() / 2].to_vec(), "damaged"),
            ("cut short", good[..20].to_vec(), "not a lectern cache"),
            ("empty", Vec::new(), "not a lectern cache"),
            ("a byte of the talks", flip(good.len() / 4), "checksum"),
            ("the last byte", flip(good.len() - 1), "outside the file"),
            ("another file", b"LECTERNCnot really".repeat(3), "of format"),
            ("another format", other_format, "of format 2"),
            (
                "another version",
                rewrite("0.0.1", build_stamp()),
                "written by lectern 0.0.1",
            ),
            (
                "another build",
                rewrite(VERSION, "elsewhere"),
                "(build elsewhere)",
            ),
        ];
        for (what, bytes, reason) in cases {
            std::fs::write(&file, &bytes).expect("write");
            let loaded = Library::load(dir.path(), &opts);
            assert!(!loaded.cache.read, "{what}");
            let problems = loaded.cache.problems.join("; ");
            assert!(
                problems.contains(reason) && problems.contains("ignored"),
                "{what}: {problems}"
            );
            assert!(loaded.cache.written, "{what}: the cache is written again");
            same(&loaded, &want);
            assert!(
                Library::load(dir.path(), &opts).cache.read,
                "{what}: and read next time"
            );
        }
        // Another media base parses everything (and says why).
        let other = LoadOptions {
            media_base_url: Some("https://other.example.com/".into()),
            ..opts.clone()
        };
        let loaded = Library::load(dir.path(), &other);
        assert!(!loaded.cache.read);
        assert!(
            loaded.cache.problems[0].contains("media_base_url"),
            "{:?}",
            loaded.cache
        );
        same(
            &loaded,
            &Library::load(
                dir.path(),
                &LoadOptions {
                    cache_dir: None,
                    ..other
                },
            ),
        );
    }

    #[test]
    fn a_cache_that_cannot_be_read_or_written_loses_nothing() {
        let dir = seeds();
        let want = cold(dir.path());
        let cache = tempfile::tempdir().expect("tempdir");
        // The cache folder is a file: nothing can be written under it.
        let blocked = cache.path().join("a-file");
        std::fs::write(&blocked, "not a folder").expect("write");
        let loaded = Library::load(dir.path(), &with_cache(Some(&blocked.join("cache"))));
        assert!(!loaded.cache.read && !loaded.cache.written);
        let problems = loaded.cache.problems.join("; ");
        assert!(problems.contains("ignored: cannot read it"), "{problems}");
        assert!(
            problems.contains("not written: cannot create"),
            "{problems}"
        );
        same(&loaded, &want);
        // The cache file is a folder: it cannot be read, nor replaced.
        let opts = with_cache(Some(cache.path()));
        std::fs::create_dir_all(cache_file(cache.path(), dir.path()).join("x")).expect("mkdir");
        let loaded = Library::load(dir.path(), &opts);
        assert!(!loaded.cache.read && !loaded.cache.written);
        let problems = loaded.cache.problems.join("; ");
        assert!(problems.contains("ignored: cannot read it"), "{problems}");
        assert!(problems.contains("not written"), "{problems}");
        same(&loaded, &want);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(cache.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
