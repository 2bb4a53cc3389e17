//! Integration tests of the talk library: the bundled seed, fixture documents, loading bad
//! files, reply limits and the command line. One test binary, a module per concern.

mod architecture;
mod cli;
mod fixtures;
mod hostile;
mod json_views;
mod layouts;
mod loading;
mod many;
mod props;
mod quotes;
mod reload_ops;
mod replies;
mod seed;

use std::path::{Path, PathBuf};

use lectern::library::{Library, LoadOptions, Loaded};

/// The project's own folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled seeds, loaded as the bot loads them.
pub fn seed_library() -> Library {
    let loaded = Library::load(&root().join("seeds"), &LoadOptions::default());
    assert!(
        loaded.warnings.is_empty(),
        "the bundled seed loads cleanly: {:?}",
        loaded.warnings
    );
    loaded.library
}

/// Loads one fixture file alone, from a temporary folder.
pub fn load_fixture(name: &str) -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("tests/fixtures/formats").join(name);
    std::fs::copy(&src, dir.path().join(name)).unwrap();
    load_dir(dir.path())
}

pub fn load_dir(dir: &Path) -> Loaded {
    Library::load(dir, &LoadOptions::default())
}
