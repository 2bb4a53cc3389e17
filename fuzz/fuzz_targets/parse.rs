//! Any bytes, read as (lossy) UTF-8, through the parser, then into every reply the talk gives
//! (`commands::catalog::every_reply`, in both languages) with two queries: what follows a 0xFF
//! byte in the input, if any (0xFF is never part of UTF-8 text), and a few characters of the
//! talk's own text.
//!
//! Crashes are panics: the parser must never panic, the model must keep its invariants, and
//! every reply must stay within Discord's limits.
#![no_main]

use lectern::library::Library;
use lectern::parse::{MAX_QUOTE_CHARS, MAX_TITLE_CHARS, MIN_QUOTE_CHARS, parse_talk};
use lectern::commands::catalog;
use lectern::search;
use lectern::text::char_len;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (doc, query) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let src = String::from_utf8_lossy(doc);
    let (talk, warnings) = parse_talk("fuzz", &src);
    assert!(char_len(&talk.title) <= MAX_TITLE_CHARS);
    for (i, s) in talk.sections.iter().enumerate() {
        assert_eq!(s.ordinal, i);
        assert!(char_len(&s.title) <= MAX_TITLE_CHARS);
    }
    for q in &talk.quotes {
        assert!((MIN_QUOTE_CHARS..=MAX_QUOTE_CHARS).contains(&char_len(&q.text)));
        assert!(q.section.is_none_or(|s| s < talk.sections.len()));
    }
    assert!(warnings.iter().all(|w| w.offset <= src.len()));
    if talk.sections.is_empty() {
        return;
    }
    let lib = Library::from_talks(vec![talk]);
    let own: String = {
        let body = &lib.talks()[0].sections[0].body;
        let n = body.chars().count();
        body.chars().skip(n / 2).take(3).collect()
    };
    let queries = [String::from_utf8_lossy(query).into_owned(), own];
    for q in &queries {
        let _ = search::autocomplete(&lib, q);
        let _ = search::resolve_section(&lib, q);
    }
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    for (what, r) in catalog::every_reply(&lib, &queries) {
        let v = r.limit_violations();
        assert!(v.is_empty(), "{what}: {v:?}");
    }
});
