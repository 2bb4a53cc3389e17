//! Any bytes, read as (lossy) UTF-8, through the parser and into every reply a talk gives.
//!
//! Crashes are panics: the parser must never panic, the model must keep its invariants, and
//! every reply must stay within Discord's limits.
#![no_main]

use lectern::i18n::Lang;
use lectern::library::Library;
use lectern::parse::{MAX_QUOTE_CHARS, MAX_TITLE_CHARS, MIN_QUOTE_CHARS, parse_talk};
use lectern::reply;
use lectern::text::char_len;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
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
    let lang = Lang::Zh;
    let mut replies = vec![reply::topics(&lib, lang)];
    for r in lib.section_refs() {
        let n = reply::pages(&lib.section(r).unwrap().1.body).len();
        replies.push(reply::section(&lib, r, 0, lang));
        replies.push(reply::section(&lib, r, n - 1, lang));
    }
    for q in lib.quote_refs() {
        replies.push(reply::quote(&lib, q, None, lang));
    }
    for r in &replies {
        let v = r.limit_violations();
        assert!(v.is_empty(), "{v:?}");
    }
});
