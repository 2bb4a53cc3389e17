//! Other write-ups: front matter, ATX and setext headings, unnumbered sections, code blocks,
//! tables, nested lists, raw HTML, Chinese and English.

use crate::load_fixture;

fn section_titles(talk: &lectern::model::Talk) -> Vec<(Option<u32>, &str)> {
    talk.sections
        .iter()
        .map(|s| (s.number, s.title.as_str()))
        .collect()
}

#[test]
fn english_with_front_matter_code_tables_lists_and_html() {
    let loaded = load_fixture("english-front-matter.md");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let t = &loaded.library.talks()[0];
    assert_eq!(t.title, "Building Reliable Systems");
    // `speaker:` names who speaks; the writer is someone else (issue 12).
    assert_eq!(t.meta.speakers, ["Ada Lovelace"]);
    assert_eq!(t.meta.author, None);
    assert_eq!(t.meta.date.as_deref(), Some("2025-11-03"));
    assert_eq!(
        t.meta.source.as_deref(),
        Some("https://example.com/talks/reliable-systems")
    );
    assert_eq!(t.meta.tags, ["reliability", "rust", "ops"]);
    assert_eq!(
        section_titles(t),
        [
            (None, "Opening"),
            (Some(1), "Why reliability matters"),
            (Some(2), "Tools of the trade"),
            (None, "Closing thoughts")
        ]
    );
    assert_eq!(
        t.sections[0].body,
        "Opening remarks before the first section."
    );

    let s1 = &t.sections[1];
    assert!(
        s1.body
            .contains("- clear ownership\n  - one team per service\n  - a named on-call person"),
        "nested list kept:\n{}",
        s1.body
    );
    assert!(s1.body.contains("- **postmortems without blame**"));
    let img = s1.infographic.as_ref().unwrap();
    assert_eq!(img.url, "https://example.com/img/pyramid.png");
    assert_eq!(img.alt, "Reliability pyramid");
    assert!(!s1.body.contains("pyramid.png"));

    let s2 = &t.sections[2];
    assert!(s2.body.contains("```rust\nfn main() {"), "{}", s2.body);
    assert!(s2.body.contains("| tracing | logs |"), "table kept as text");
    assert!(!s2.body.contains("<div"), "raw HTML dropped");
    assert!(
        s2.body.contains("**A deeper heading**"),
        "sub-heading stays inside"
    );
    assert!(s2.infographic.is_none());

    let s3 = &t.sections[3];
    assert!(s3.body.contains("[the slides](https://example.com/slides)"));

    let quotes: Vec<(&str, Option<usize>)> = t
        .quotes
        .iter()
        .map(|q| (q.text.as_str(), q.section))
        .collect();
    assert!(quotes.contains(&(
        "Every outage is a lesson you paid for in advance, so write the lesson down.",
        Some(1)
    )));
    assert!(quotes.contains(&("Simplicity is prerequisite for reliability.", Some(2))));
    let dashboards = t
        .quotes
        .iter()
        .find(|q| q.text.starts_with("Dashboards are where hope goes to die"))
        .expect("the quote with a bold highlight");
    assert_eq!(dashboards.emphasis, ["alerts are where it lives"]);
    assert_eq!(dashboards.speaker.as_deref(), Some("Ada Lovelace"));
    assert!(
        !quotes
            .iter()
            .any(|(q, _)| *q == "alerts are where it lives")
    );
    let dijkstra = t
        .quotes
        .iter()
        .find(|q| q.text.starts_with("Simplicity"))
        .unwrap();
    assert_eq!(dijkstra.speaker.as_deref(), Some("Edsger Dijkstra"));
    assert!(
        !quotes.iter().any(|(q, _)| q.contains("not a quote")),
        "code is not quoted speech"
    );
    assert!(!quotes.iter().any(|(q, _)| q.contains("Editor's note")));
}

#[test]
fn chinese_setext_headings_with_metadata_lines_and_corner_brackets() {
    let loaded = load_fixture("chinese-setext.md");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let t = &loaded.library.talks()[0];
    assert_eq!(t.title, "深度学习的未来");
    assert_eq!(t.meta.author.as_deref(), Some("张三"));
    assert_eq!(t.meta.date.as_deref(), Some("2025-06-01"));
    assert_eq!(
        section_titles(t),
        [(None, "开场"), (None, "模型的规模"), (None, "结语")]
    );
    assert!(
        t.sections[1]
            .body
            .contains("1. 数据清洗\n2. 数据去重\n   1. 近似去重")
    );
    let texts: Vec<&str> = t.quotes.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "我们正处在一个转折点，而且变化来得比预期快。",
            "参数越多不等于越聪明，数据的质量才是关键。",
            // A complete utterance, however short.
            "谢谢大家。"
        ]
    );
}

#[test]
fn sections_marked_by_h1_take_the_title_from_the_file_name() {
    let loaded = load_fixture("h1-sections.md");
    let t = &loaded.library.talks()[0];
    assert_eq!(t.title, "h1-sections");
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.reason.contains("no title")),
        "{:?}",
        loaded.warnings
    );
    assert_eq!(
        section_titles(t),
        [(None, "Introduction"), (None, "Methods"), (None, "Results")]
    );
    assert!(!loaded.is_degraded(), "a warning, not a skip");
}

#[test]
fn numbered_headings_underlined_with_dashes_or_equals() {
    let loaded = load_fixture("numbered-underlined.md");
    let t = &loaded.library.talks()[0];
    assert_eq!(t.title, "编号标题的演讲");
    assert_eq!(
        section_titles(t),
        [
            (Some(1), "第一部分：起点"),
            (Some(2), "第二部分"),
            (Some(10), "第十部分")
        ]
    );
    assert_eq!(t.sections[2].body, "第十部分的内容。");
}

#[test]
fn a_document_without_headings_is_skipped_with_a_reason() {
    let loaded = load_fixture("no-sections.md");
    assert!(loaded.library.talks().is_empty());
    assert!(loaded.is_degraded());
    let w = &loaded.warnings[0];
    assert!(w.skipped);
    assert!(w.file.ends_with("no-sections.md"));
    assert!(w.reason.contains("no sections"));
}

#[test]
fn front_matter_strict_yaml_rejects_is_read_line_by_line_with_a_warning() {
    let loaded = load_fixture("loose-front-matter.md");
    assert!(!loaded.is_degraded(), "a warning, not a skip");
    let t = &loaded.library.talks()[0];
    assert_eq!(t.title, "Rust: the good parts");
    assert_eq!(t.meta.date.as_deref(), Some("2024-05-02"));
    assert_eq!(t.meta.tags, ["rust", "language design"]);
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| !w.skipped && w.reason.contains("front matter is not valid YAML")),
        "{:?}",
        loaded.warnings
    );
}
