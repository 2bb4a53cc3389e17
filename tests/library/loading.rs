//! Loading a folder never fails as a whole: bad files are skipped with a warning naming them.

use std::fs;

use lectern::library::{Library, LoadOptions};

use crate::{load_dir, root};

fn copy_seed(dir: &std::path::Path) {
    let name = "2026-01-27-sam-altman-developer-townhall.md";
    fs::copy(root().join("seeds").join(name), dir.join(name)).unwrap();
}

#[test]
fn bad_files_are_skipped_and_the_rest_load() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_seed(d);
    fs::write(d.join("empty.md"), "  \n\n").unwrap();
    fs::write(d.join("binary.md"), b"# Title\n\n## A\n\0\x01\x02").unwrap();
    fs::write(d.join("latin1.md"), b"# Caf\xe9\n\n## Men\xfa\n").unwrap();
    fs::write(d.join("notes.md"), "just text, no headings\n").unwrap();
    fs::write(d.join("ignored.txt"), "# Not markdown\n\n## A\n").unwrap();
    fs::create_dir(d.join("folder.md")).unwrap();
    let loaded = load_dir(d);
    assert_eq!(loaded.library.talks().len(), 1);
    assert!(loaded.is_degraded());
    let reason = |file: &str| {
        loaded
            .warnings
            .iter()
            .find(|w| w.file.ends_with(file))
            .map_or_else(
                || panic!("no warning for {file}: {:?}", loaded.warnings),
                |w| (w.skipped, w.reason.clone()),
            )
    };
    assert_eq!(reason("empty.md"), (true, "empty file".to_string()));
    assert!(reason("binary.md").1.contains("binary"));
    assert!(reason("latin1.md").1.contains("not UTF-8"));
    assert!(reason("notes.md").1.contains("no sections"));
    assert!(reason("folder.md").1.contains("not a regular file"));
    assert!(
        !loaded
            .warnings
            .iter()
            .any(|w| w.file.ends_with("ignored.txt"))
    );
    // The message names the file, for the admin.
    let shown = loaded.warnings[0].to_string();
    assert!(shown.contains(".md: skipped: "), "{shown}");
}

#[test]
fn files_over_the_size_limit_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    copy_seed(dir.path());
    let loaded = Library::load(
        dir.path(),
        &LoadOptions {
            max_file_bytes: 1000,
            ..LoadOptions::default()
        },
    );
    assert!(loaded.library.talks().is_empty());
    assert!(loaded.warnings[0].reason.contains("too large"));
}

#[test]
fn a_missing_folder_is_a_warning_not_a_crash() {
    let loaded = load_dir(&root().join("does-not-exist"));
    assert!(loaded.library.talks().is_empty());
    assert!(loaded.is_degraded());
    assert!(loaded.warnings[0].reason.contains("cannot read the folder"));
}

#[test]
fn two_files_with_the_same_id_keep_the_first() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.markdown"), "# One\n\n## S\n\ntext\n").unwrap();
    fs::write(dir.path().join("a.md"), "# Two\n\n## S\n\ntext\n").unwrap();
    let loaded = load_dir(dir.path());
    assert_eq!(loaded.library.talks().len(), 1);
    assert!(loaded.warnings[0].reason.contains("already loaded"));
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bom.md"),
        "\u{FEFF}# Title\n\n## Part\n\ntext\n",
    )
    .unwrap();
    let loaded = load_dir(dir.path());
    assert_eq!(loaded.library.talks()[0].title, "Title");
}
