//! Write-ups in other everyday layouts, judged against tables of their expected sections
//! (issue 11). Each `tests/fixtures/layouts/<name>.md` has a `<name>.tsv` written by hand before
//! the parser was changed: one row per section with its ordinal, its number (`-` for none), its
//! title and the first words of its body.

use lectern::library::Library;
use lectern::model::Talk;

use crate::root;

pub struct Row {
    ordinal: usize,
    number: Option<u32>,
    title: String,
    first_words: String,
}

fn table(name: &str) -> Vec<Row> {
    let path = root().join("tests/fixtures/layouts").join(name);
    let src = std::fs::read_to_string(&path).unwrap();
    src.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "{name}: bad row {l:?}");
            Row {
                ordinal: cols[0].parse().unwrap(),
                number: (cols[1] != "-").then(|| cols[1].parse().unwrap()),
                title: cols[2].to_string(),
                first_words: cols[3].to_string(),
            }
        })
        .collect()
}

/// Every fixture of the folder with its table, loaded as the bot loads it.
pub fn layouts() -> Vec<(String, Talk, Vec<Row>)> {
    let dir = root().join("tests/fixtures/layouts");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        })
        .collect();
    names.sort();
    assert!(names.len() >= 3, "{names:?}");
    names
        .into_iter()
        .map(|name| {
            let src = std::fs::read_to_string(dir.join(&name)).unwrap();
            let id = name.trim_end_matches(".md");
            let (talk, _) = lectern::parse::parse_talk(id, &src);
            let rows = table(&name.replace(".md", ".tsv"));
            (name, talk, rows)
        })
        .collect()
}

/// The differences between a talk's sections and its table, one line each.
fn compare(talk: &Talk, rows: &[Row]) -> Vec<String> {
    let mut errors = Vec::new();
    if talk.sections.len() != rows.len() {
        errors.push(format!(
            "{} sections, the table has {}: {:?}",
            talk.sections.len(),
            rows.len(),
            talk.sections
                .iter()
                .map(lectern::model::Section::label)
                .collect::<Vec<_>>()
        ));
    }
    for (s, row) in talk.sections.iter().zip(rows) {
        let got = (s.ordinal, s.number, s.title.as_str());
        let want = (row.ordinal, row.number, row.title.as_str());
        if got != want {
            errors.push(format!(
                "section {}: got {got:?}, want {want:?}",
                row.ordinal
            ));
        }
        if !s.body.starts_with(&row.first_words) {
            errors.push(format!(
                "section {}: body starts {:?}, want {:?}",
                row.ordinal,
                s.body.chars().take(40).collect::<String>(),
                row.first_words
            ));
        }
        if s.intro != (row.ordinal == 0 && row.number.is_none()) {
            errors.push(format!("section {}: intro is {}", row.ordinal, s.intro));
        }
    }
    errors
}

#[test]
fn every_layout_parses_as_its_table_says() {
    let mut failures = Vec::new();
    for (name, talk, rows) in layouts() {
        for e in compare(&talk, &rows) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_speaker_line_names_the_speaker() {
    let (talk, _) = lectern::parse::parse_talk(
        "notes",
        &std::fs::read_to_string(root().join("tests/fixtures/layouts/talk-notes.md")).unwrap(),
    );
    assert_eq!(talk.meta.speakers, ["Priya Raman"]);
    // The line is a container: its words are no section title and no text.
    assert!(
        talk.sections
            .iter()
            .all(|s| !s.title.contains("Priya Raman"))
    );
    assert!(!talk.sections[0].body.contains("Staff Engineer"));
}

#[test]
fn the_wrapped_talk_keeps_its_summary_and_intro_quote() {
    let (talk, _) = lectern::parse::parse_talk(
        "wrapped",
        &std::fs::read_to_string(root().join("tests/fixtures/layouts/english-talk-wrapper.md"))
            .unwrap(),
    );
    assert_eq!(talk.meta.speakers, ["Mira Okafor"]);
    assert_eq!(talk.summary.key_points.len(), 3);
    assert_eq!(talk.summary.risks.len(), 1);
    assert!(talk.summary.one_liner.is_some());
    let intro = &talk.sections[0];
    assert_eq!(
        intro.infographic.as_ref().map(|i| i.url.as_str()),
        Some("https://example.org/img/drill-timeline.png")
    );
    let pull = talk
        .quotes
        .iter()
        .find(|q| q.text.starts_with("A backup you have never restored"))
        .expect("the intro's pull quote");
    assert_eq!(pull.section, Some(0));
    // A sub-heading under a section stays in its text.
    assert!(talk.sections[1].body.contains("**What gets timed**"));
}

#[test]
fn a_chinese_interview_numbers_its_sections_so_topic_3_opens_the_third() {
    let (talk, _) = lectern::parse::parse_talk(
        "interview",
        &std::fs::read_to_string(
            root().join("tests/fixtures/layouts/chinese-podcast-interview.md"),
        )
        .unwrap(),
    );
    assert_eq!(talk.meta.speakers, ["陈默", "李然"]);
    let lib = Library::from_talks(vec![talk]);
    let r = lectern::search::resolve_section(&lib, "3").expect("section 3");
    assert_eq!(
        lib.section(r).map(|(_, s)| s.title.as_str()),
        Some("团队怎么分")
    );
}

/// Issue 23: in a talk whose sections have no numbers, `/topic 2` opens the second section
/// after the intro; a number a section has still wins, in the first talk that has it.
#[test]
fn topic_n_on_an_unnumbered_talk_opens_the_nth_section() {
    let (plain, _) = lectern::parse::parse_talk(
        "plain",
        "# Notes\n\nOpening words.\n\n## Alpha\n\na\n\n## Beta\n\nb\n\n## Gamma\n\nc\n",
    );
    let (numbered, _) =
        lectern::parse::parse_talk("numbered", "# N\n\n## 1. One\n\nx\n\n## 2. Two\n\ny\n");
    let lib = Library::from_talks(vec![plain, numbered]);
    let title = |q: &str| {
        let r = lectern::search::resolve_section(&lib, q).expect(q);
        lib.section(r).map(|(t, s)| (t.id.clone(), s.title.clone()))
    };
    assert_eq!(title("2"), Some(("numbered".into(), "Two".into())));
    assert_eq!(title("3"), Some(("plain".into(), "Gamma".into())));
    let r = lectern::search::resolve_section_in(&lib, Some(0), "2").unwrap();
    assert_eq!(lib.section(r).unwrap().1.title, "Beta");
}

/// Loads the layout fixtures as the bot does, with `media_base_url` or without.
fn load_layouts(media_base_url: Option<&str>) -> lectern::library::Loaded {
    Library::load(
        &root().join("tests/fixtures/layouts"),
        &lectern::library::LoadOptions {
            media_base_url: media_base_url.map(str::to_string),
            ..Default::default()
        },
    )
}

#[test]
fn no_reply_over_any_layout_carries_a_malformed_url() {
    for base in [None, Some("https://cdn.example.org/talks/")] {
        let loaded = load_layouts(base);
        let lib = &loaded.library;
        assert_eq!(lib.talks().len(), 3);
        let queries = ["陈默", "restore drill", "paging", "backups", "延迟"];
        for (what, reply) in lectern::commands::catalog::every_reply(lib, &queries) {
            let v = reply.limit_violations();
            assert!(v.is_empty(), "{base:?} {what}: {v:?}");
        }
    }
}

#[test]
fn relative_images_resolve_against_the_media_base_url_or_are_dropped_with_a_warning() {
    let interview = |loaded: &lectern::library::Loaded| {
        let (_, t) = loaded
            .library
            .talk_by_id("chinese-podcast-interview")
            .unwrap();
        t.sections
            .iter()
            .map(|s| s.infographic.as_ref().map(|i| i.url.clone()))
            .collect::<Vec<_>>()
    };
    let without = load_layouts(None);
    assert_eq!(interview(&without), vec![None; 6]);
    let dropped: Vec<&str> = without
        .warnings
        .iter()
        .filter(|w| w.file.ends_with("chinese-podcast-interview.md"))
        .map(|w| w.reason.as_str())
        .collect();
    assert_eq!(dropped.len(), 3, "{dropped:?}");
    assert!(
        dropped.iter().all(|r| r.contains("media_base_url")),
        "{dropped:?}"
    );
    assert!(dropped.iter().any(|r| r.contains("images/latency.png")));
    assert!(dropped.iter().any(|r| r.contains("diagram.png")));

    let with = load_layouts(Some("https://cdn.example.org/talks/"));
    assert!(with.warnings.is_empty(), "{:?}", with.warnings);
    let base = "https://cdn.example.org/talks/";
    assert_eq!(
        interview(&with),
        [
            Some(format!("{base}images/cover.png")),
            None,
            Some(format!("{base}images/latency.png")),
            Some(format!("{base}diagram.png")),
            None,
            None
        ]
    );
    // The source is no URL: shown as text, never as the embed's link.
    let (t, _) = with
        .library
        .talk_by_id("chinese-podcast-interview")
        .unwrap();
    let r = lectern::reply::section(
        &with.library,
        lectern::library::SectionRef {
            talk: t,
            section: 2,
        },
        0,
        lectern::i18n::Lang::Zh,
    );
    assert_eq!(r.url, None);
    assert_eq!(
        r.image.as_deref(),
        Some("https://cdn.example.org/talks/images/latency.png")
    );
    assert!(r.footer.unwrap().contains("某播客第 42 期"));
}

#[test]
fn about_shows_what_each_write_up_says_of_itself() {
    let lib = crate::seed_library();
    let info = lectern::reply::AboutInfo {
        version: "test".into(),
    };
    for lang in lectern::i18n::Lang::ALL {
        let r = lectern::reply::about(&lib, &info, lang);
        assert!(
            r.limit_violations().is_empty(),
            "{:?}",
            r.limit_violations()
        );
        let all: String = r
            .fields
            .iter()
            .map(|f| format!("{}\n{}\n", f.name, f.value))
            .collect();
        let t = &lib.talks()[0];
        assert!(all.contains(t.summary.one_liner.as_deref().unwrap()));
        for item in t.summary.key_points.iter().chain(&t.summary.risks) {
            assert!(all.contains(item.as_str()), "{item}");
        }
        for tag in ["OpenAI", "软件工程", "memory"] {
            assert!(all.contains(tag), "{tag}");
        }
    }
}

#[test]
fn tags_are_searchable_and_summary_hits_open_a_section() {
    let lib = crate::seed_library();
    for tag in ["memory", "security", "career"] {
        let out = lectern::search::search(&lib, tag, 5);
        assert!(!out.hits.is_empty(), "{tag}: no hits");
    }
    // `自嘲` is in the intro only: the intro is searchable.
    let out = lectern::search::search(&lib, "自嘲", 5);
    assert_eq!(out.hits.first().and_then(|h| h.section), Some(0));
    // A key-point hit opens the section that says what the key point says.
    let r = lectern::reply::search(&lib, "GPT-5 偏科", lectern::i18n::Lang::Zh);
    let lectern::reply::Component::Select { options, .. } = &r.components[0] else {
        panic!("a menu")
    };
    assert_eq!(options.len(), r.fields.len(), "every hit opens something");
    let key_point = options
        .iter()
        .find(|o| o.label.contains("核心要点"))
        .expect("the key point hit");
    let lectern::reply::Action::Section { section, .. } = &key_point.action else {
        panic!()
    };
    assert_eq!(
        lib.talks()[0].sections[*section].number,
        Some(5),
        "模型应该专精还是通用"
    );
}
