//! A hostile seeds folder: symlinks leading out of it, huge files, absurd nesting, binary
//! content, FIFOs and files that change while they are read. Each is skipped or handled with a
//! warning naming the file; nothing hangs, and what is kept in memory stays proportional to
//! the input. The hostile files are made in a temporary folder at test time.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use lectern::i18n::Lang;
use lectern::library::{Library, LoadOptions, LoadWarning, Loaded, QuoteScope, WarningKind};
use lectern::reply;

use crate::load_dir;

const GOOD: &str = "# Good talk\n\n## First\n\nSome text.\n";

fn warning<'a>(loaded: &'a Loaded, file: &str) -> &'a LoadWarning {
    loaded
        .warnings
        .iter()
        .find(|w| w.file.ends_with(file))
        .unwrap_or_else(|| panic!("no warning for {file}: {:?}", loaded.warnings))
}

fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded
        .library
        .talks()
        .iter()
        .map(|t| t.id.as_str())
        .collect()
}

/// Loads `dir` on a thread with a 2 MiB stack, the size of tokio's blocking threads on which
/// the bot reloads: deep nesting must not overflow it.
fn load_on_small_stack(dir: &Path) -> Loaded {
    let dir = dir.to_path_buf();
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || load_dir(&dir))
        .unwrap()
        .join()
        .expect("loading does not panic or overflow the stack")
}

/// Every reply the library can give is within Discord's limits.
fn assert_replies_within_limits(lib: &Library) {
    for lang in [Lang::En, Lang::Zh] {
        let mut all = vec![reply::topics(lib, lang)];
        for r in lib.section_refs() {
            all.push(reply::section(lib, r, 0, lang));
            all.push(reply::section(lib, r, usize::MAX, lang));
        }
        for q in lib.quote_refs().take(50) {
            all.push(reply::quote(lib, q, QuoteScope::All, lang));
        }
        all.push(reply::search(lib, "text", lang));
        for r in &all {
            assert!(
                r.limit_violations().is_empty(),
                "{:?}",
                r.limit_violations()
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn symlinks_leading_out_of_the_seeds_folder_are_skipped() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "# Secret\n\n## S\n\nprivate\n",
    )
    .unwrap();
    let seeds = tempfile::tempdir().unwrap();
    let d = seeds.path();
    fs::write(d.join("good.md"), GOOD).unwrap();
    symlink(outside.path().join("secret.md"), d.join("leak.md")).unwrap();
    symlink("../../../../../../../../etc/passwd", d.join("passwd.md")).unwrap();
    symlink("/dev/zero", d.join("zero.md")).unwrap();
    symlink(outside.path(), d.join("folder.md")).unwrap();
    symlink(d.join("nowhere.md"), d.join("broken.md")).unwrap();
    // A symlink that stays inside the folder is fine (container volumes use them).
    symlink("good.md", d.join("alias.md")).unwrap();

    let loaded = load_dir(d);
    assert_eq!(ids(&loaded), vec!["alias", "good"]);
    for file in ["leak.md", "passwd.md", "zero.md", "folder.md"] {
        let w = warning(&loaded, file);
        assert!(w.skipped);
        assert!(w.reason.contains("outside the seeds folder"), "{w}");
        // The kind, not the wording, keeps the server's path out of what Discord is shown.
        assert_eq!(w.kind, WarningKind::OutsideSymlink, "{w}");
        assert!(!w.public(d).contains('/'), "{}", w.public(d));
    }
    let w = warning(&loaded, "broken.md");
    assert!(w.skipped && w.reason.contains("broken symlink"), "{w}");
    assert_eq!(w.kind, WarningKind::BrokenSymlink, "{w}");
    assert!(
        !loaded
            .library
            .talks()
            .iter()
            .any(|t| t.title == "Secret" || t.sections.iter().any(|s| s.body.contains("root:"))),
        "nothing from outside the folder loaded"
    );
}

#[cfg(unix)]
#[test]
fn a_seeds_folder_that_is_itself_a_symlink_loads() {
    let real = tempfile::tempdir().unwrap();
    fs::write(real.path().join("good.md"), GOOD).unwrap();
    std::os::unix::fs::symlink("good.md", real.path().join("alias.md")).unwrap();
    let holder = tempfile::tempdir().unwrap();
    let link = holder.path().join("seeds");
    std::os::unix::fs::symlink(real.path(), &link).unwrap();
    let loaded = load_dir(&link);
    assert_eq!(ids(&loaded), vec!["alias", "good"]);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn a_100_mb_file_is_skipped_by_its_size_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let huge = dir.path().join("huge.md");
    fs::write(&huge, GOOD).unwrap();
    // A sparse file: 100 MB long, next to nothing on disk, and never committed.
    fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let loaded = load_dir(dir.path());
    assert_eq!(ids(&loaded), vec!["good"]);
    let w = warning(&loaded, "huge.md");
    // The exact size in the message comes from the file's metadata: the check ran before
    // anything was read (a capped read would only know it passed the limit).
    assert!(w.skipped);
    assert_eq!(
        w.reason,
        "too large: 104857600 bytes, the limit is 4194304 (content.max_file_bytes)"
    );
}

#[test]
fn a_nul_byte_anywhere_makes_a_file_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = GOOD.repeat(1000).into_bytes();
    let middle = bytes.len() / 2;
    bytes.insert(middle, 0);
    fs::write(dir.path().join("nul.md"), bytes).unwrap();
    fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let loaded = load_dir(dir.path());
    assert_eq!(ids(&loaded), vec!["good"]);
    let w = warning(&loaded, "nul.md");
    assert!(w.skipped && w.reason.contains("NUL byte"), "{w}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_skipped_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let fifo = dir.path().join("pipe.md");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    // Reading a FIFO with no writer would block for ever; the load must not.
    let loaded = load_dir(dir.path());
    assert_eq!(ids(&loaded), vec!["good"]);
    let w = warning(&loaded, "pipe.md");
    assert!(w.skipped && w.reason.contains("not a regular file"), "{w}");
}

/// 10,000 levels of nesting of each kind, on one line and over many lines.
fn deeply_nested_documents() -> Vec<(&'static str, String)> {
    const LEVELS: usize = 10_000;
    let head = "# Deep\n\n## Only section\n\n";
    let mut many_lines = String::from(head);
    for _ in 0..50 {
        many_lines.push_str(&"> ".repeat(LEVELS));
        many_lines.push_str("“a quote at the bottom of the well”\n\n");
    }
    vec![
        (
            "quotes.md",
            format!("{head}{}deep text\n", "> ".repeat(LEVELS)),
        ),
        (
            "bullets.md",
            format!("{head}{}deep item\n", "- ".repeat(LEVELS)),
        ),
        (
            "ordered.md",
            format!("{head}{}deep item\n", "1. ".repeat(LEVELS)),
        ),
        (
            "mixed.md",
            format!("{head}{}deep **bold** text\n", "> - ".repeat(LEVELS / 2)),
        ),
        (
            "indented.md",
            // Indented lists grow with the square of the depth; 1,000 levels is 1 MB.
            (0..1_000).fold(String::from(head), |mut s, i| {
                s.push_str(&" ".repeat(2 * i));
                s.push_str("- item\n");
                s
            }),
        ),
        (
            "emphasis.md",
            format!(
                "{head}{}deep{}\n",
                "*_".repeat(LEVELS / 2),
                "_*".repeat(LEVELS / 2)
            ),
        ),
        (
            "links.md",
            format!("{head}{}x{}\n", "[".repeat(LEVELS), "](u)".repeat(LEVELS)),
        ),
        ("many-lines.md", many_lines),
    ]
}

#[test]
fn ten_thousand_levels_of_nesting_load_on_a_small_stack_with_bounded_output() {
    let dir = tempfile::tempdir().unwrap();
    let docs = deeply_nested_documents();
    for (name, src) in &docs {
        fs::write(dir.path().join(name), src).unwrap();
    }
    let loaded = load_on_small_stack(dir.path());
    assert!(
        loaded.warnings.iter().all(|w| !w.skipped),
        "{:?}",
        loaded.warnings
    );
    assert_eq!(loaded.library.talks().len(), docs.len());
    for (name, src) in &docs {
        let id = name.trim_end_matches(".md");
        let (_, talk) = loaded.library.talk_by_id(id).unwrap();
        assert_eq!(talk.sections.len(), 1, "{id}");
        // What is kept grows with the input, not with the square of the nesting: rendered
        // naively, the 20 KB line of 10,000 nested `- ` is 100 MB of indentation (5,000 times
        // its size). Capped, each item is a line with at most a few levels of indentation.
        let kept: usize = talk.sections.iter().map(|s| s.body.len()).sum();
        assert!(
            kept <= 32 * src.len(),
            "{id}: {kept} bytes kept from {} bytes of source",
            src.len()
        );
    }
    let (_, quotes) = loaded.library.talk_by_id("many-lines").unwrap();
    assert!(
        quotes
            .quotes
            .iter()
            .any(|q| q.text == "a quote at the bottom of the well"),
        "{:?}",
        quotes.quotes
    );
    assert_replies_within_limits(&loaded.library);
}

#[test]
fn a_file_full_of_quotes_and_highlights_loads() {
    // Tens of thousands of distinct quotes with bold inside, in one paragraph and in many:
    // finding and de-duplicating them must not take time quadratic in their number.
    let mut one_paragraph = String::from("# Quotes\n\n## All in one\n\n");
    let mut many = String::from("# Quotes\n\n## One per paragraph\n\n");
    for i in 0..30_000 {
        one_paragraph.push_str(&format!("“quote number **{i:06}** here” "));
        many.push_str(&format!("“quote number **{i:06}** here”\n\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("one.md"), &one_paragraph).unwrap();
    fs::write(dir.path().join("many.md"), &many).unwrap();
    let loaded = load_dir(dir.path());
    assert!(
        loaded.warnings.iter().all(|w| !w.skipped),
        "{:?}",
        loaded.warnings
    );
    for id in ["one", "many"] {
        let (_, talk) = loaded.library.talk_by_id(id).unwrap();
        // Each quotation gives one quote; the bold inside it is its emphasis (issue 12).
        assert_eq!(talk.quotes.len(), 30_000, "{id}");
    }
    assert_replies_within_limits(&loaded.library);
}

#[test]
fn a_half_million_character_heading_is_cut_and_queries_against_it_stay_cheap() {
    // Half a million characters, 1.5 MB, twice: within the 4 MB file limit.
    let title = "很长的标题".repeat(100_000);
    let src = format!("# {title}\n\n## {title}\n\ntext\n");
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("long.md"), &src).unwrap();
    let loaded = load_dir(dir.path());
    let talk = &loaded.library.talks()[0];
    assert_eq!(talk.title.chars().count(), lectern::parse::MAX_TITLE_CHARS);
    assert_eq!(
        talk.sections[0].title.chars().count(),
        lectern::parse::MAX_TITLE_CHARS
    );
    let w = warning(&loaded, "long.md");
    assert!(
        !w.skipped && w.reason.contains("heading longer than"),
        "{w}"
    );
    // Fuzzy matching compares a query with every title; with titles cut, a 6,000-character
    // query is cheap.
    let query = "很长的标题 ".repeat(1_000);
    let _ = lectern::search::autocomplete(&loaded.library, &query);
    let _ = lectern::search::resolve_section(&loaded.library, &query);
    assert_replies_within_limits(&loaded.library);
}

#[test]
fn a_file_that_changes_while_it_is_read_is_loaded_whole_or_skipped() {
    // One file keeps growing, and is now and then rewritten from the start, as fast as
    // possible while the folder is loaded again and again. Each load must finish, and the
    // file must either load (as some version of it) or be skipped with a warning naming it.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let path = dir.path().join("busy.md");
    let start = "# Busy\n\n## One\n\nstart\n".to_string();
    let more = "more text, ".repeat(1_000);
    fs::write(&path, &start).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicU64::new(0));
    let writer = {
        let stop = Arc::clone(&stop);
        let writes = Arc::clone(&writes);
        let path = path.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if n.is_multiple_of(100) {
                    // Truncate and write in place, as an editor without atomic saves does.
                    let _ = fs::write(&path, &start);
                } else if let Ok(mut f) = fs::File::options().append(true).open(&path) {
                    let _ = f.write_all(more.as_bytes());
                }
                n += 1;
                writes.store(n, Ordering::Relaxed);
            }
        })
    };
    // Load at least 30 times, and on until the writer has rewritten the file 100 times (it
    // may be scheduled late on a busy machine), but not for ever.
    let opts = LoadOptions::default();
    let (mut loads, mut whole, mut skipped) = (0, 0, 0);
    let mut reasons = std::collections::BTreeMap::new();
    while (loads < 30 || writes.load(Ordering::Relaxed) < 100) && loads < 100_000 {
        let loaded = Library::load(dir.path(), &opts);
        loads += 1;
        assert!(ids(&loaded).contains(&"good"));
        match loaded.library.talk_by_id("busy") {
            Some((_, talk)) => {
                assert_eq!(talk.title, "Busy");
                whole += 1;
            }
            None => {
                let w = warning(&loaded, "busy.md");
                assert!(w.skipped, "{w}");
                *reasons.entry(w.reason.clone()).or_insert(0) += 1;
                skipped += 1;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    assert!(
        writes.load(Ordering::Relaxed) >= 100,
        "the writer ran alongside the loads"
    );
    eprintln!("{loads} loads: {whole} whole, {skipped} skipped: {reasons:?}");
}
