//! Transcripts and time (issue 24), judged against labels written before the code: each
//! `tests/fixtures/transcripts/<name>.md` has a `<name>.tsv` (its format in the file's comments)
//! giving the recording, a deep link, the sections with their start times, the speakers, the
//! quotations with speaker and time, and numbers that look like times and must not be read as
//! any (`14:30` in a sentence, `16:9`, `3:2`). Each document is loaded as the bot loads it.

use lectern::library::{Library, LoadOptions};
use lectern::model::Talk;

use crate::root;

fn fixtures() -> Vec<(String, String)> {
    let dir = root().join("tests/fixtures/transcripts");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "md")
        })
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    names
        .into_iter()
        .map(|n| {
            let labels = std::fs::read_to_string(dir.join(n.replace(".md", ".tsv"))).unwrap();
            (n, labels)
        })
        .collect()
}

fn load(name: &str) -> Talk {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/transcripts").join(name),
        dir.path().join(name),
    )
    .unwrap();
    let loaded = Library::load(dir.path(), &LoadOptions::default());
    assert!(!loaded.is_degraded(), "{name}: {:?}", loaded.warnings);
    loaded.library.talks()[0].clone()
}

fn seconds(col: &str) -> Option<u32> {
    (col != "-").then(|| col.parse().unwrap())
}

fn fold(s: &str) -> String {
    s.replace("**", "").split_whitespace().collect()
}

#[test]
fn labelled_transcripts_load_with_their_sections_speakers_quotes_and_times() {
    let mut wrong = Vec::new();
    for (name, labels) in fixtures() {
        let talk = load(&name);
        let mut sections = Vec::new();
        let mut not_times = Vec::new();
        for line in labels
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let c: Vec<&str> = line.split('\t').collect();
            match c[0] {
                "recording" => {
                    if talk.meta.recording.as_deref() != Some(c[1]) {
                        wrong.push(format!("{name}: recording {:?}", talk.meta.recording));
                    }
                }
                "watch" => {
                    let got = lectern::reply::watch(&talk, c[1].parse().unwrap());
                    if got.as_deref() != Some(c[2]) {
                        wrong.push(format!("{name}: watch {} gives {got:?}", c[1]));
                    }
                }
                "section" => sections.push((c[1], c[2], seconds(c[3]))),
                "speaker" => {
                    if !talk.meta.speakers.iter().any(|s| s == c[1]) {
                        wrong.push(format!(
                            "{name}: speaker {} not in {:?}",
                            c[1], talk.meta.speakers
                        ));
                    }
                }
                "quote" => {
                    let found = talk
                        .quotes
                        .iter()
                        .find(|q| fold(&q.text).contains(&fold(c[1])));
                    match found {
                        None => wrong.push(format!("{name}: quote not found: {}", c[1])),
                        Some(q) => {
                            if q.speaker.as_deref() != Some(c[2]) || q.start != seconds(c[3]) {
                                wrong.push(format!(
                                    "{name}: {:?} is {:?} at {:?}, labelled {} at {}",
                                    c[1], q.speaker, q.start, c[2], c[3]
                                ));
                            }
                        }
                    }
                }
                "not-time" => not_times.push(c[1].parse::<u32>().unwrap()),
                other => panic!("{name}: unknown row {other}"),
            }
        }
        let has_intro = sections.first().is_some_and(|s| s.0 == "intro");
        if talk.sections.first().is_some_and(|s| s.intro) != has_intro {
            wrong.push(format!("{name}: intro is {}", !has_intro));
        }
        let got: Vec<_> = talk.sections.iter().collect();
        if got.len() != sections.len() {
            wrong.push(format!(
                "{name}: {} sections, labelled {}: {:?}",
                got.len(),
                sections.len(),
                got.iter().map(|s| (&s.title, s.start)).collect::<Vec<_>>()
            ));
        }
        for (s, (number, title, start)) in got.iter().zip(&sections) {
            let number_ok = match *number {
                "intro" => s.intro,
                "-" => s.number.is_none(),
                n => s.number == n.parse().ok(),
            };
            let title_ok = *title == "-" || s.title.contains(title);
            if !number_ok || !title_ok || s.start != *start {
                wrong.push(format!(
                    "{name}: section {:?} {:?} at {:?}, labelled {number} {title} at {start:?}",
                    s.number, s.title, s.start
                ));
            }
        }
        for t in not_times {
            if talk.sections.iter().any(|s| s.start == Some(t))
                || talk.quotes.iter().any(|q| q.start == Some(t))
            {
                wrong.push(format!("{name}: {t} s was read as a time"));
            }
        }
        // No text lost: every line of the document's body is in some section.
        let bodies: String = talk.sections.iter().map(|s| fold(&s.body)).collect();
        let src =
            std::fs::read_to_string(root().join("tests/fixtures/transcripts").join(&name)).unwrap();
        let body = src.strip_prefix("---\n").map_or(src.as_str(), |fm| {
            fm.split_once("\n---\n").map_or(fm, |(_, b)| b)
        });
        for line in body
            .lines()
            .filter(|l| l.len() > 40 && !l.starts_with(['#', '-', ' ']))
        {
            let words: String = fold(line)
                .chars()
                .filter(|c| c.is_alphanumeric())
                .take(12)
                .collect();
            let plain: String = bodies.chars().filter(|c| c.is_alphanumeric()).collect();
            if !plain.contains(&words) {
                wrong.push(format!("{name}: text lost: {line}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
