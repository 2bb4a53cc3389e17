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
mod transcripts;

use std::path::{Path, PathBuf};

use lectern::commands::Context;
use lectern::commands::quote::Quote;
use lectern::commands::topic::Topic;
use lectern::i18n::Lang;
use lectern::library::{Library, LoadOptions, Loaded, QuoteScope};
use lectern::reply::{AboutInfo, Reply};

/// `/topic` with `text` typed, answered as the bot answers it.
pub fn topic(lib: &Library, text: &str, lang: Lang) -> Reply {
    let about = AboutInfo::of_this_build();
    let cx = Context::with_random(lib, lang, &about);
    Topic {
        section: text.into(),
        ..Topic::default()
    }
    .answer(&cx)
    .reply
}

/// The scope `/quote topic:` draws from for `topic` typed.
pub fn quote_scope(lib: &Library, topic: &str, lang: Lang) -> Result<QuoteScope, Box<Reply>> {
    Quote {
        topic: Some(topic.into()),
        ..Quote::default()
    }
    .scope(lib, lang)
}

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
