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
        .filter(|n| n.ends_with(".md"))
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
            talk.sections.iter().map(|s| s.label()).collect::<Vec<_>>()
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
