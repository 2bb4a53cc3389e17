//! Property tests: the parser never panics on any input, search never panics on any query, and
//! every reply stays within Discord's limits whatever the content.
//!
//! Inputs are small (a seed-sized document is a few kilobytes), and case counts modest, so
//! that the whole run stays quick on two cores. Failures are not persisted to files: a case
//! that fails becomes a named regression test (see `regressions` below and `hostile.rs`).

use lectern::budget::DISCORD;
use std::time::Duration;

use lectern::commands::catalog;
use lectern::i18n::Lang;
use lectern::library::Library;
use lectern::model::{Image, Meta, Quote, QuoteKind, Section, Summary, Talk};
use lectern::parse::{MAX_QUOTE_CHARS, MAX_TITLE_CHARS, MIN_QUOTE_CHARS, parse_talk};
use lectern::reload::{LibraryDiff, ReloadReport, Verdict};
use lectern::reply::{self, Reply};
use lectern::search;
use lectern::text::char_len;
use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::seed_library;

/// The seed, loaded once for all cases.
fn seed() -> &'static Library {
    static SEED: std::sync::OnceLock<Library> = std::sync::OnceLock::new();
    SEED.get_or_init(seed_library)
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Text

/// Characters that break naive text handling: zero-width and joiners, combining marks,
/// right-to-left text and overrides, emoji and their modifiers, CJK, full-width punctuation,
/// the quotation marks the parser looks for, Markdown syntax, mentions and line breaks.
const TRICKY: &[char] = &[
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{0301}', '\u{0308}',
    '\u{20DD}', '\u{FE0F}', '\u{202E}', '\u{202D}', '\u{200F}', '\u{061C}', 'א', 'ב', 'ש', 'ع',
    'ر', 'ب', '😀', '👩', '🏽', '🧑', '🚀', '🇨', '🇳', '生', '物', '安', '全', '策', '略', '。',
    '，', '：', '？', '！', '、', '“', '”', '"', '「', '」', '『', '』', '‘', '’', '—', '–', '*',
    '_', '`', '~', '|', '\\', '#', '>', '-', '=', '[', ']', '(', ')', '!', '<', '&', ';', '@', '§',
    '.', ':', ' ', ' ', '\t', '\n', '\r', '\u{0}', '\u{7F}', '\u{FFFD}', 'İ', 'ß', 'ẞ', 'ﬃ', 'Σ',
];

/// Mostly tricky characters, then ASCII letters, CJK and any character at all. Drawn from one
/// number, which is much cheaper than a union of strategies when strings are long.
fn tricky_char() -> impl Strategy<Value = char> {
    any::<u32>().prop_map(|x| {
        let pick = x >> 4;
        match x % 10 {
            0..=3 => TRICKY[pick as usize % TRICKY.len()],
            4..=6 => char::from(b'a' + (pick % 26) as u8),
            7..=8 => char::from_u32(0x4E00 + pick % 0x5200).unwrap_or('中'),
            _ => char::from_u32(pick % 0x11_0000).unwrap_or('\u{FFFD}'),
        }
    })
}

fn text(max_chars: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..=max_chars).prop_map(|c| c.into_iter().collect())
}

/// A line of text for Markdown: no line breaks of its own.
fn words(max_chars: usize) -> impl Strategy<Value = String> {
    text(max_chars).prop_map(|s| s.replace(['\n', '\r'], " "))
}

/// A search query: any text, the JSON escape of a lone surrogate as Discord may send it (as
/// text, and as serde_json decodes it), or a very long query.
fn query() -> impl Strategy<Value = String> {
    let surrogate = prop::sample::select(vec![
        r"\ud800".to_string(),
        r"\udfff abc".to_string(),
        decoded_json(r#""\ud800""#),
        decoded_json(r#""x\udc00y\ud83d""#),
        decoded_json(r#""\ud83d\ude00 安全""#),
    ]);
    prop_oneof![
        6 => text(40),
        2 => any::<String>(),
        1 => surrogate,
        1 => prop::collection::vec(tricky_char(), 5_990..=6_010)
            .prop_map(|c| c.into_iter().collect::<String>()),
    ]
}

/// What a JSON string decodes to; serde_json refuses lone surrogates, and then the query is
/// the replacement character a lenient decoder would give.
fn decoded_json(json: &str) -> String {
    serde_json::from_str::<String>(json).unwrap_or_else(|_| "\u{FFFD}".into())
}

// ---------------------------------------------------------------------------------------------
// Markdown documents built from the constructs the seeds use

fn heading_title() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => words(30),
        1 => (1u32..30, words(20)).prop_map(|(n, t)| format!("{n}. {t}")),
        1 => prop::sample::select(vec![
            "摘要", "文档信息", "关联主题", "正文", "Summary", "Metadata", "Related",
            "一句话总结", "核心要点", "风险与不足", "Key points", "TL;DR",
        ])
        .prop_map(String::from),
    ]
}

fn inline() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        4 => words(20),
        1 => words(20).prop_map(|t| format!("“{t}”")),
        1 => words(20).prop_map(|t| format!("\"{t}\"")),
        1 => words(20).prop_map(|t| format!("「{t}」")),
        1 => words(12).prop_map(|t| format!("**{t}**")),
        1 => (words(10), words(10)).prop_map(|(a, b)| format!("“{a}**{b}**”")),
        1 => words(12).prop_map(|t| format!("*{t}*")),
        1 => words(8).prop_map(|t| format!("`{t}`")),
        1 => (words(8), words(8)).prop_map(|(a, u)| format!("![{a}](https://x.invalid/{u}.png)")),
        1 => (words(8), words(8)).prop_map(|(a, u)| format!("[{a}](https://x.invalid/{u})")),
        1 => words(8).prop_map(|t| format!("<span>{t}</span>")),
        1 => Just("<br>".to_string()),
        1 => words(8).prop_map(|t| format!("[^{t}]")),
    ];
    prop::collection::vec(atom, 1..6).prop_map(|a| a.join(" "))
}

fn list(depth: u32) -> BoxedStrategy<String> {
    let item = inline();
    if depth == 0 {
        return prop::collection::vec((any::<bool>(), item), 1..4)
            .prop_map(|items| {
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (ordered, t))| {
                        if ordered {
                            format!("{}. {t}\n", i + 1)
                        } else {
                            format!("- {t}\n")
                        }
                    })
                    .collect()
            })
            .boxed();
    }
    (item, list(depth - 1), any::<bool>())
        .prop_map(|(t, inner, ordered)| {
            let marker = if ordered { "1. " } else { "- " };
            let indent = " ".repeat(marker.len());
            let nested: String = inner.lines().map(|l| format!("{indent}{l}\n")).collect();
            format!("{marker}{t}\n{nested}")
        })
        .boxed()
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => inline().prop_map(|t| format!("{t}\n")),
        2 => (1usize..=6, heading_title()).prop_map(|(l, t)| format!("{} {t}\n", "#".repeat(l))),
        1 => (heading_title(), any::<bool>()).prop_map(|(t, eq)| {
            let line = if eq { "=" } else { "-" }.repeat(char_len(&t).clamp(2, 20));
            format!("{t}\n{line}\n")
        }),
        2 => (1u32..30, words(20), prop::sample::select(vec!["-----", "======", "--", "---", " ---"]))
            .prop_map(|(n, t, rule)| format!("{n}. {t}\n{rule}\n")),
        2 => (0u32..4).prop_flat_map(list),
        2 => (1usize..4, inline(), prop::option::of(words(10))).prop_map(|(depth, t, by)| {
            let q = "> ".repeat(depth);
            match by {
                Some(name) => format!("{q}“{t}”\n{q}— {name}\n"),
                None => format!("{q}{t}\n"),
            }
        }),
        1 => (words(8), text(80)).prop_map(|(lang, code)| format!("```{lang}\n{code}\n```\n")),
        1 => prop::collection::vec((words(8), words(8)), 1..4).prop_map(|rows| {
            let mut t = String::from("| a | b |\n|---|:-:|\n");
            for (a, b) in rows {
                t.push_str(&format!("| {a} | {b} |\n"));
            }
            t
        }),
        1 => words(20).prop_map(|t| format!("<div class=\"x\">\n{t}\n</div>\n")),
        1 => (prop::sample::select(vec!["来源", "日期", "作者", "source", "date", "tags", "标签", "other"]), words(20))
            .prop_map(|(k, v)| format!("- {k}：{v}\n")),
        1 => Just("---\n".to_string()),
        1 => words(10).prop_map(|t| format!("[^{t}]: {t}\n")),
        1 => words(10).prop_map(|t| format!("    indented {t}\n")),
    ]
}

fn front_matter() -> impl Strategy<Value = String> {
    prop::option::of((words(20), words(20), prop::collection::vec(words(8), 0..3))).prop_map(|fm| {
        match fm {
            Some((title, date, tags)) => {
                let tags: String = tags.iter().map(|t| format!("  - {t}\n")).collect();
                format!("---\ntitle: {title}\ndate: \"{date}\"\ntags:\n{tags}---\n\n")
            }
            None => String::new(),
        }
    })
}

fn markdown_document() -> impl Strategy<Value = String> {
    (
        front_matter(),
        prop::option::of(words(30)),
        prop::collection::vec(block(), 0..24),
        prop::sample::select(vec!["\n\n", "\n", "\r\n\r\n"]),
    )
        .prop_map(|(fm, title, blocks, sep)| {
            let mut doc = fm;
            if let Some(t) = title {
                doc.push_str(&format!("# {t}\n\n"));
            }
            doc.push_str(&blocks.join(sep));
            doc
        })
}

/// What the parser promises of every talk it returns.
fn check_talk(src: &str, talk: &Talk, warnings: &[lectern::parse::ParseWarning]) {
    assert!(!talk.title.is_empty() || talk.id.is_empty());
    assert!(char_len(&talk.title) <= MAX_TITLE_CHARS, "{}", talk.title);
    for (i, s) in talk.sections.iter().enumerate() {
        assert_eq!(s.ordinal, i);
        assert!(char_len(&s.title) <= MAX_TITLE_CHARS);
        assert_eq!(s.body, s.body.trim());
    }
    for q in &talk.quotes {
        let n = char_len(&q.text);
        assert!((MIN_QUOTE_CHARS..=MAX_QUOTE_CHARS).contains(&n), "{q:?}");
        assert!(q.section.is_none_or(|s| s < talk.sections.len()), "{q:?}");
    }
    for w in warnings {
        assert!(w.offset <= src.len(), "{w:?}");
    }
}

/// Fails on any reply over one of Discord's limits, naming it.
fn assert_within_limits(all: &[(String, Reply)]) {
    for (what, r) in all {
        let v = r.limit_violations();
        assert!(v.is_empty(), "{what}: {v:?}\n{r:#?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Talks built directly, with what the parser guarantees (titles and quotes within their
// limits) and arbitrary text everywhere else

fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => words(40),
        1 => words(MAX_TITLE_CHARS),
    ]
    .prop_map(|t| {
        let t = t.trim().to_string();
        if t.is_empty() { "t".into() } else { t }
    })
}

/// A section's text: short, or long enough for several pages (built by repetition, which is
/// much cheaper to generate than thousands of separate characters).
fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => text(200),
        1 => (prop::collection::vec(text(120), 1..6), 1usize..40)
            .prop_map(|(p, n)| p.join("\n\n").repeat(n)),
        1 => (text(60), 50usize..150).prop_map(|(t, n)| t.repeat(n)),
    ]
}

fn talk(id: usize) -> impl Strategy<Value = Talk> {
    (
        title(),
        prop::option::of(text(300)),
        prop::option::of(text(120)),
        prop::collection::vec(
            (
                prop::option::of(0u32..10_000),
                title(),
                body(),
                any::<bool>(),
            ),
            1..12,
        ),
        prop::collection::vec(
            (
                prop::collection::vec(tricky_char(), MIN_QUOTE_CHARS..=MAX_QUOTE_CHARS),
                any::<prop::sample::Index>(),
            ),
            0..8,
        ),
    )
        .prop_map(move |(title, source, date, sections, quotes)| {
            let sections: Vec<Section> = sections
                .into_iter()
                .enumerate()
                .map(|(ordinal, (number, title, body, image))| Section {
                    ordinal,
                    number,
                    title,
                    body: body.trim().to_string(),
                    infographic: image.then(|| Image {
                        url: "https://x.invalid/i.png".into(),
                        alt: String::new(),
                    }),
                    intro: false,
                })
                .collect();
            let quotes = quotes
                .into_iter()
                .map(|(chars, at)| Quote {
                    text: chars.into_iter().collect(),
                    section: Some(at.index(sections.len())),
                    speaker: None,
                    kind: QuoteKind::Quoted,
                    emphasis: Vec::new(),
                })
                .collect();
            Talk {
                id: format!("talk-{id}"),
                title,
                meta: Meta {
                    source,
                    date,
                    author: None,
                    speakers: Vec::new(),
                    tags: Vec::new(),
                },
                summary: Summary::default(),
                sections,
                quotes,
                related: Vec::new(),
            }
        })
}

fn library() -> impl Strategy<Value = Library> {
    (1usize..6)
        .prop_flat_map(|n| (0..n).map(talk).collect::<Vec<_>>())
        .prop_map(Library::from_talks)
}

fn reload_report() -> impl Strategy<Value = ReloadReport> {
    let item = || {
        prop_oneof![
            4 => words(60),
            1 => (words(20), 2usize..30).prop_map(|(t, n)| t.repeat(n)),
        ]
    };
    let list = move || prop::collection::vec(item(), 0..50);
    (
        prop::sample::select(vec![
            Verdict::Applied,
            Verdict::Forced,
            Verdict::KeptOld,
            Verdict::Failed,
        ]),
        (list(), list(), list(), list(), list(), list()),
        any::<(usize, usize, u64)>(),
    )
        .prop_map(
            |(verdict, (ta, tr, sa, sr, sc, warnings), (qb, qa, ms))| ReloadReport {
                verdict,
                diff: LibraryDiff {
                    talks_added: ta,
                    talks_removed: tr,
                    sections_added: sa,
                    sections_removed: sr,
                    sections_changed: sc,
                    quotes_before: qb,
                    quotes_after: qa,
                },
                warnings,
                before: lectern::library::Counts {
                    talks: qb,
                    sections: qa,
                    quotes: qb ^ qa,
                },
                loaded: lectern::library::Counts {
                    talks: qa,
                    sections: qb,
                    quotes: 0,
                },
                elapsed: Duration::from_millis(ms),
            },
        )
}

// ---------------------------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_parser_takes_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let src = String::from_utf8_lossy(&bytes);
        let (talk, warnings) = parse_talk("any", &src);
        check_talk(&src, &talk, &warnings);
    }

    #[test]
    fn the_parser_takes_any_markdown_punctuation(
        bytes in prop::collection::vec(
            prop::sample::select(b"#>-*_`[]()!|:=.1 \n\t\"<&~^\\".to_vec()),
            0..1024,
        )
    ) {
        let src = String::from_utf8_lossy(&bytes);
        let (talk, warnings) = parse_talk("punct", &src);
        check_talk(&src, &talk, &warnings);
    }

    #[test]
    fn the_parser_takes_any_document_of_the_seed_constructs(src in markdown_document()) {
        let (talk, warnings) = parse_talk("doc", &src);
        check_talk(&src, &talk, &warnings);
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn search_takes_any_query_on_the_seed(q in query()) {
        let lib = seed();
        let outcome = search::search(lib, &q, 5);
        prop_assert!(outcome.hits.len() <= 5);
        for hit in &outcome.hits {
            prop_assert!(lib.talks().get(hit.talk).is_some());
        }
        let choices = search::autocomplete(lib, &q);
        prop_assert!(choices.len() <= DISCORD.choices);
        for c in &choices {
            prop_assert!(char_len(&c.label) <= DISCORD.choice_label);
            prop_assert!(lib.section(c.section).is_some());
        }
        if let Some(r) = search::resolve_section(lib, &q) {
            prop_assert!(lib.section(r).is_some());
        }
        for (what, r) in catalog::query_replies(lib, &q) {
            let v = r.limit_violations();
            prop_assert!(v.is_empty(), "{}: {:?}", what, v);
        }
    }

    #[test]
    fn parsed_documents_answer_any_query_within_limits(
        docs in prop::collection::vec(markdown_document(), 1..4),
        q in query(),
    ) {
        let talks: Vec<Talk> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| parse_talk(&format!("doc-{i}"), d).0)
            .filter(|t| !t.sections.is_empty())
            .collect();
        let lib = Library::from_talks(talks);
        let _ = search::search(&lib, &q, 5);
        let _ = search::autocomplete(&lib, &q);
        let _ = search::resolve_section(&lib, &q);
        assert_within_limits(&catalog::every_reply(&lib, &[q.as_str(), "1", "§2"]));
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn every_reply_from_any_content_is_within_limits(lib in library(), q in query()) {
        assert_within_limits(&catalog::every_reply(&lib, &[q.as_str(), "", "1", "a"]));
    }

    #[test]
    fn the_reload_report_is_within_limits(report in reload_report()) {
        for lang in [Lang::En, Lang::Zh] {
            let r = reply::reload_report(&report, lang);
            let v = r.limit_violations();
            prop_assert!(v.is_empty(), "{:?}", v);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: cases the properties above found, kept as plain tests

fn one_section_library(body: &str) -> Library {
    Library::from_talks(vec![Talk {
        id: "t".into(),
        title: "T".into(),
        meta: Meta::default(),
        summary: Summary::default(),
        sections: vec![Section {
            ordinal: 0,
            number: Some(1),
            title: "S".into(),
            body: body.into(),
            infographic: None,
            intro: false,
        }],
        quotes: Vec::new(),
        related: Vec::new(),
    }])
}

/// Found by `every_reply_from_any_content_is_within_limits`: the snippet sliced the body at
/// offsets of its lower-cased copy, whose total length was the same (`İ` grows by a byte when
/// lower-cased, `ẞ` shrinks by one) but whose offsets were not: a panic inside a character.
#[test]
fn regression_search_snippet_where_lower_casing_moves_byte_offsets() {
    let lib = one_section_library("İxẞ and more text");
    let outcome = search::search(&lib, "more", 5);
    assert_eq!(outcome.hits.len(), 1);
    assert!(outcome.hits[0].snippet.contains("**more**"));
    let _ = search::search(&lib, "İxẞ", 5);
    let lib = one_section_library("İ abc ẞ");
    let outcome = search::search(&lib, "abc", 5);
    assert!(outcome.hits[0].snippet.contains("abc"));
    assert_within_limits(&catalog::every_reply(&lib, &["x", "ß", "i\u{307}"]));
}

/// Found by `the_reload_report_is_within_limits`: six lists, each cut to fit a field, added up
/// to more than the 6,000 characters an embed may hold in all.
#[test]
fn regression_reload_report_with_every_list_full_fits_the_embed_total() {
    let many: Vec<String> = (0..100)
        .map(|i| format!("talk {i}: {}", "节".repeat(40)))
        .collect();
    let report = ReloadReport {
        verdict: Verdict::KeptOld,
        diff: LibraryDiff {
            talks_added: many.clone(),
            talks_removed: many.clone(),
            sections_added: many.clone(),
            sections_removed: many.clone(),
            sections_changed: many.clone(),
            quotes_before: usize::MAX,
            quotes_after: usize::MAX,
        },
        warnings: many,
        before: lectern::library::Counts {
            talks: usize::MAX,
            sections: usize::MAX,
            quotes: usize::MAX,
        },
        loaded: lectern::library::Counts {
            talks: usize::MAX,
            sections: usize::MAX,
            quotes: usize::MAX,
        },
        elapsed: Duration::from_secs(u64::MAX),
    };
    for lang in [Lang::En, Lang::Zh] {
        let r = reply::reload_report(&report, lang);
        assert!(
            r.limit_violations().is_empty(),
            "{:?}",
            r.limit_violations()
        );
        // Every list is still there, cut with a count of what was left out.
        assert_eq!(r.fields.len(), 6);
        assert!(r.fields.iter().all(|f| f.value.contains("… +")));
    }
}
