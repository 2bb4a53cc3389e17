//! Any bytes, read as (lossy) UTF-8, as a query against the bundled seed: search,
//! autocomplete, section lookup and the replies built on them.
//!
//! Crashes are panics: the query path must never panic, and its replies must stay within
//! Discord's limits.
#![no_main]

use lectern::budget::DISCORD;
use std::sync::OnceLock;

use lectern::library::Library;
use lectern::parse::parse_talk;
use lectern::commands::catalog;
use lectern::search;
use libfuzzer_sys::fuzz_target;

/// The seed, parsed once (from the source tree, so the fuzzer reads no files itself).
fn seed() -> &'static Library {
    static SEED: OnceLock<Library> = OnceLock::new();
    SEED.get_or_init(|| {
        let src = include_str!("../../seeds/2026-01-27-sam-altman-developer-townhall.md");
        let (talk, _) = parse_talk("seed", src);
        Library::from_talks(vec![talk])
    })
}

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data);
    let lib = seed();
    let outcome = search::search(lib, &q, 5);
    assert!(outcome.hits.len() <= 5);
    let choices = search::autocomplete(lib, &q);
    assert!(choices.len() <= DISCORD.choices);
    if let Some(r) = search::resolve_section(lib, &q) {
        assert!(lib.section(r).is_some());
    }
    for (what, r) in catalog::query_replies(lib, &q) {
        let v = r.limit_violations();
        assert!(v.is_empty(), "{what}: {v:?}");
    }
});
