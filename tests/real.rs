//! The parser judged on real write-ups (issue 23): fifty documents nobody on the project wrote,
//! labelled by reading them before the parser was changed.
//!
//! The documents stay outside the repository, in `../shared/corpus/real/` (its README); the
//! labels are ours, one table per document under `tests/fixtures/real/<zh|en>/<repo>/<name>.tsv`
//! in the format `tests/fixtures/real/README.md` describes. Each labelled document is loaded as
//! the bot loads it (`Library::load` on a folder holding that one file) and scored on:
//!
//! - **sections**: a labelled section matches a parsed non-intro section when their titles are
//!   equal, normalised (whitespace collapsed, emphasis removed, case ignored; the label keeps
//!   its enumerator, the parser splits it off into the number) and their numbers are equal; a
//!   document scores matched / max(labelled, parsed). Documents labelled `headings no` are left
//!   out (issue 24 cuts them into sections).
//! - **speakers**: labelled people (not the `audience`) whose name or an alias is among the
//!   talk's speakers; **invented**: the talk's speakers who match no labelled name or alias.
//! - **attribution**: a labelled quotation with a speaker is right when some quote of the talk
//!   contains its snippet (compared without whitespace and `**`) and gives it to that person, by
//!   name or alias.
//! - **not-quotes served**: a snippet labelled `-` that some quote of the talk contains. How
//!   many of them are served only as a term in its quotation marks inside a sentence served as
//!   someone's (`a “one size fits all” solution`) is printed beside the total, not discounted.
//!
//! A document that does not load counts as 0 right for every label it has (its not-quotes as
//! served). Run `cargo test --test real -- --nocapture` for the table per document and per
//! kind, and what is misread; `LECTERN_REAL_LABELS=<folder>` reads the labels from elsewhere.
//! The figures reached are asserted as floors, and the issue's thresholds by a test of their
//! own (both run in CI). Without the corpus the tests fail in
//! CI (`CI=true`) and elsewhere say loudly that they skipped.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::AddAssign;
use std::path::{Path, PathBuf};

use lectern::library::{Library, LoadOptions};
use lectern::model::Talk;

/// The corpus, beside the repository as on the project's machines and in CI.
fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/real"
    ))
}

fn labels_dir() -> PathBuf {
    match std::env::var_os("LECTERN_REAL_LABELS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/real")),
    }
}

/// The labels of one document.
#[derive(Debug)]
struct Labels {
    /// The label file, for messages.
    file: PathBuf,
    /// The document's path under the corpus folder.
    doc: String,
    kind: String,
    title: String,
    headings: bool,
    sections: Vec<(Option<u32>, String)>,
    people: Vec<Person>,
    quotes: Vec<Labelled>,
}

#[derive(Debug)]
struct Person {
    name: String,
    role: String,
    aliases: Vec<String>,
}

impl Person {
    /// Whether `who` (a parsed speaker) is this person, by name or alias.
    fn is(&self, who: &str) -> bool {
        let who = fold_name(who);
        fold_name(&self.name) == who || self.aliases.iter().any(|a| fold_name(a) == who)
    }
}

#[derive(Debug)]
struct Labelled {
    snippet: String,
    /// `None`: not a quote a bot should serve.
    speaker: Option<String>,
    why: String,
}

fn read_labels(file: &Path) -> Labels {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut l = Labels {
        file: file.to_path_buf(),
        doc: String::new(),
        kind: String::new(),
        title: String::new(),
        headings: true,
        sections: Vec::new(),
        people: Vec::new(),
        quotes: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        let at = || format!("{}:{}: {line:?}", file.display(), n + 1);
        let col = |i: usize| -> &str { cols.get(i).copied().unwrap_or("") };
        match cols[0] {
            "doc" => l.doc = col(1).to_string(),
            "kind" => l.kind = col(1).to_string(),
            "title" => l.title = col(1).to_string(),
            "headings" => l.headings = col(1) != "no",
            "section" => {
                let number = match col(1) {
                    "-" | "" => None,
                    n => Some(
                        n.parse()
                            .unwrap_or_else(|_| panic!("bad number at {}", at())),
                    ),
                };
                l.sections.push((number, col(2).to_string()));
            }
            "speaker" => l.people.push(Person {
                name: col(1).to_string(),
                role: col(2).to_string(),
                aliases: match col(3) {
                    "-" | "" => Vec::new(),
                    a => a.split('|').map(|s| s.trim().to_string()).collect(),
                },
            }),
            "quote" => {
                assert!(!col(1).is_empty(), "empty snippet at {}", at());
                l.quotes.push(Labelled {
                    snippet: col(1).to_string(),
                    speaker: match col(2) {
                        "-" | "" => None,
                        s => Some(s.to_string()),
                    },
                    why: col(3).to_string(),
                });
            }
            other => panic!("unknown row {other:?} at {}", at()),
        }
    }
    assert!(!l.doc.is_empty(), "{}: no doc line", file.display());
    l
}

/// Every label file under `dir`, in path order.
fn label_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "tsv") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The document loaded as the bot loads it: alone in a folder, through `Library::load`.
fn load(doc: &Path) -> Option<Talk> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(doc, dir.path().join(doc.file_name()?)).ok()?;
    let loaded = Library::load(dir.path(), &LoadOptions::default());
    loaded.library.talks().first().cloned()
}

/// A name compared: case and spacing ignored.
fn fold_name(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A section title compared: emphasis markers removed, whitespace collapsed, case ignored.
fn fold_title(s: &str) -> String {
    fold_name(&s.replace(['*', '`'], "").replace("__", ""))
}

/// Quote text compared: `**` and all whitespace removed (a hard-wrapped line of Chinese reads
/// with a space where the line broke; a snippet copied from it has none).
fn fold_text(s: &str) -> String {
    s.replace("**", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether a labelled section is the parsed one. The label keeps the heading's enumerator
/// (`三、技术选型`, `A. Foo`), the parser gives it as the number: equal numbers, and the label's
/// title is the parsed one or the parsed one after a short enumerator.
fn same_section(label: &(Option<u32>, String), number: Option<u32>, title: &str) -> bool {
    if label.0 != number {
        return false;
    }
    let (want, got) = (fold_title(&label.1), fold_title(title));
    if want == got {
        return true;
    }
    number.is_some()
        && !got.is_empty()
        && want.ends_with(&got)
        && want[..want.len() - got.len()].chars().count() <= 8
}

/// Role words that name the audience in a parsed talk (the labels call every questioner from
/// the audience `audience`).
const AUDIENCE: &[&str] = &[
    "audience",
    "观众",
    "听众",
    "提问者",
    "学生",
    "questioner",
    "attendee",
];

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    docs: usize,
    loaded: usize,
    sections_right: usize,
    sections_of: usize,
    speakers_found: usize,
    speakers_of: usize,
    invented: usize,
    quotes_right: usize,
    quotes_of: usize,
    served_wrongly: usize,
    /// Of `served_wrongly`: served only as a term kept in its quotation marks inside a
    /// sentence served as someone's (`we can't take a “one size fits all” solution`).
    in_marks: usize,
    not_quotes: usize,
}

impl AddAssign for Score {
    fn add_assign(&mut self, o: Score) {
        self.docs += o.docs;
        self.loaded += o.loaded;
        self.sections_right += o.sections_right;
        self.sections_of += o.sections_of;
        self.speakers_found += o.speakers_found;
        self.speakers_of += o.speakers_of;
        self.invented += o.invented;
        self.quotes_right += o.quotes_right;
        self.quotes_of += o.quotes_of;
        self.served_wrongly += o.served_wrongly;
        self.in_marks += o.in_marks;
        self.not_quotes += o.not_quotes;
    }
}

fn pct(n: usize, of: usize) -> f64 {
    if of == 0 {
        100.0
    } else {
        100.0 * n as f64 / of as f64
    }
}

impl Score {
    fn sections(&self) -> f64 {
        pct(self.sections_right, self.sections_of)
    }
    fn speakers(&self) -> f64 {
        pct(self.speakers_found, self.speakers_of)
    }
    fn attribution(&self) -> f64 {
        pct(self.quotes_right, self.quotes_of)
    }
    fn served(&self) -> f64 {
        if self.not_quotes == 0 {
            0.0
        } else {
            pct(self.served_wrongly, self.not_quotes)
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:>3}/{:<3} {:>4}/{:<4} {:>5.1}%  {:>3}/{:<3} {:>5.1}% {:>3}  {:>3}/{:<3} {:>5.1}%  {:>3}/{:<3} {:>5.1}%",
            self.loaded,
            self.docs,
            self.sections_right,
            self.sections_of,
            self.sections(),
            self.speakers_found,
            self.speakers_of,
            self.speakers(),
            self.invented,
            self.quotes_right,
            self.quotes_of,
            self.attribution(),
            self.served_wrongly,
            self.not_quotes,
            self.served(),
        )
    }
}

const HEADER: &str =
    "loaded    sections          speakers      inv attributed         not-quotes served";

/// One document's score, and a line for each thing it got wrong.
fn judge(l: &Labels, talk: Option<&Talk>) -> (Score, Vec<String>) {
    let mut s = Score {
        docs: 1,
        loaded: usize::from(talk.is_some()),
        ..Score::default()
    };
    let mut misses = Vec::new();
    let Some(talk) = talk else {
        if l.headings {
            s.sections_of = l.sections.len();
        }
        s.speakers_of = l.people.iter().filter(|p| p.role != "audience").count();
        s.quotes_of = l.quotes.iter().filter(|q| q.speaker.is_some()).count();
        s.not_quotes = l.quotes.len() - s.quotes_of;
        s.served_wrongly = s.not_quotes;
        misses.push("not loaded".to_string());
        return (s, misses);
    };

    if !l.headings {
        // Issue 24 cuts headingless transcripts into sections; they are not judged here.
    } else {
        let parsed: Vec<_> = talk.sections.iter().filter(|x| !x.intro).collect();
        let mut used = vec![false; parsed.len()];
        for label in &l.sections {
            let hit = (0..parsed.len())
                .find(|&i| !used[i] && same_section(label, parsed[i].number, &parsed[i].title));
            match hit {
                Some(i) => {
                    used[i] = true;
                    s.sections_right += 1;
                }
                None => misses.push(format!("section missed: {:?} {}", label.0, label.1)),
            }
        }
        for (x, u) in parsed.iter().zip(&used) {
            if !u {
                misses.push(format!("section extra: {:?} {}", x.number, x.title));
            }
        }
        s.sections_of = l.sections.len().max(parsed.len());
    }

    for p in l.people.iter().filter(|p| p.role != "audience") {
        s.speakers_of += 1;
        if talk.meta.speakers.iter().any(|who| p.is(who)) {
            s.speakers_found += 1;
        } else {
            misses.push(format!("speaker missed: {} ({})", p.name, p.role));
        }
    }
    for who in &talk.meta.speakers {
        if !l.people.iter().any(|p| p.is(who)) {
            s.invented += 1;
            misses.push(format!("speaker invented: {who}"));
        }
    }

    let served: Vec<(String, Option<&str>)> = talk
        .quotes
        .iter()
        .map(|q| (fold_text(&q.text), q.speaker.as_deref()))
        .collect();
    for q in &l.quotes {
        let snippet = fold_text(&q.snippet);
        let holding: Vec<Option<&str>> = served
            .iter()
            .filter(|(text, _)| text.contains(&snippet))
            .map(|&(_, who)| who)
            .collect();
        match &q.speaker {
            Some(want) => {
                s.quotes_of += 1;
                let person = l
                    .people
                    .iter()
                    .find(|p| fold_name(&p.name) == fold_name(want));
                let right = |who: &str| match person {
                    Some(p) if p.is(who) => true,
                    _ if fold_name(want) == "audience" => {
                        AUDIENCE.contains(&fold_name(who).as_str())
                    }
                    None => fold_name(who) == fold_name(want),
                    Some(_) => false,
                };
                if holding.iter().any(|w| w.is_some_and(right)) {
                    s.quotes_right += 1;
                } else if holding.is_empty() {
                    misses.push(format!("quote not served: {} ({want})", q.snippet));
                } else {
                    misses.push(format!(
                        "quote misattributed: {} to {:?}, is {want}",
                        q.snippet, holding
                    ));
                }
            }
            None => {
                s.not_quotes += 1;
                if !holding.is_empty() {
                    s.served_wrongly += 1;
                    let term = served
                        .iter()
                        .filter(|(text, _)| text.contains(&snippet))
                        .all(|(text, _)| in_marks(text, &snippet));
                    s.in_marks += usize::from(term);
                    let how = if term { ", as a term in its marks" } else { "" };
                    misses.push(format!("not-quote served{how}: {} ({})", q.snippet, q.why));
                }
            }
        }
    }
    (s, misses)
}

/// Whether every place `snippet` stands in `text` is inside quotation marks that the served
/// text keeps (`'open science'`, `“one size fits all”`, `《…》`): a term the speaker's sentence
/// uses, not a quotation served as one.
fn in_marks(text: &str, snippet: &str) -> bool {
    const OPEN: &[char] = &['"', '“', '”', '\'', '‘', '「', '《'];
    const CLOSE: &[char] = &['"', '“', '”', '\'', '’', '」', '》'];
    text.match_indices(snippet).all(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + snippet.len()..]
            .trim_start_matches([',', '.', '，', '。', '?', '？', '!'])
            .chars()
            .next();
        before.is_some_and(|c| OPEN.contains(&c)) && after.is_some_and(|c| CLOSE.contains(&c))
    })
}

/// The whole corpus judged: the total, per kind, and over the documents that load.
struct Report {
    total: Score,
}

/// The corpus folder, or `None` (with a loud line) when it is missing outside CI.
fn corpus() -> Option<PathBuf> {
    let corpus = corpus_dir();
    if corpus.is_dir() {
        return Some(corpus);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(!ci, "the real corpus is missing at {}", corpus.display());
    eprintln!(
        "\n==========\nSKIPPED: the real corpus is not at {}; issue 23's figures are NOT checked\n==========\n",
        corpus.display()
    );
    None
}

/// The corpus judged once for all the tests of this binary, printing the tables.
fn report() -> Option<&'static Report> {
    static REPORT: std::sync::OnceLock<Option<Report>> = std::sync::OnceLock::new();
    REPORT.get_or_init(|| corpus().map(|c| run(&c))).as_ref()
}

fn run(corpus: &Path) -> Report {
    let files = label_files(&labels_dir());
    assert!(
        !files.is_empty(),
        "no labels under {}",
        labels_dir().display()
    );
    let mut total = Score::default();
    let mut loaded = Score::default();
    let mut by_kind: BTreeMap<String, Score> = BTreeMap::new();
    let mut out = format!("{:<60} {:<10} {HEADER}\n", "document", "kind");
    let mut details = Vec::new();
    for file in files {
        let l = read_labels(&file);
        let doc = corpus.join(&l.doc);
        assert!(doc.is_file(), "{}: no document {}", l.file.display(), l.doc);
        let talk = load(&doc);
        let (s, misses) = judge(&l, talk.as_ref());
        let name: String = l.doc.chars().take(60).collect();
        out.push_str(&format!("{name:<60} {:<10} {s}\n", l.kind));
        let mut title = String::new();
        if let Some(t) = &talk {
            if fold_title(&t.title) != fold_title(&l.title) {
                title = format!("  title: {:?}, labelled {:?}\n", t.title, l.title);
            }
            title.push_str(&format!("  speakers: {:?}\n", t.meta.speakers));
        }
        details.push(format!(
            "{}\n{title}{}",
            l.doc,
            misses
                .iter()
                .map(|m| format!("  {m}\n"))
                .collect::<String>()
        ));
        total += s;
        if talk.is_some() {
            loaded += s;
        }
        *by_kind.entry(l.kind.clone()).or_default() += s;
    }
    out.push_str(&format!("\n{:<71} {HEADER}\n", "kind"));
    for (kind, s) in &by_kind {
        out.push_str(&format!("{kind:<71} {s}\n"));
    }
    out.push_str(&format!("{:<71} {loaded}\n", "documents that load"));
    out.push_str(&format!("{:<71} {total}\n", "TOTAL"));
    out.push_str(&format!(
        "of the not-quotes served, {} only as a term kept in its quotation marks inside a \
         sentence served as someone's (served otherwise: {}/{} = {:.1}%)\n",
        total.in_marks,
        total.served_wrongly - total.in_marks,
        total.not_quotes,
        pct(total.served_wrongly - total.in_marks, total.not_quotes),
    ));
    println!("{out}\nWhat is misread:\n{}", details.concat());
    Report { total }
}

/// Every write-up of the corpus has its labels, and every label file its write-up.
#[test]
fn every_document_of_the_corpus_is_labelled() {
    let Some(corpus) = corpus() else { return };
    let mut docs = Vec::new();
    for lang in ["zh", "en"] {
        for repo in std::fs::read_dir(corpus.join(lang)).unwrap().flatten() {
            if !repo.path().is_dir() {
                continue;
            }
            for f in std::fs::read_dir(repo.path()).unwrap().flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                let is_doc = std::path::Path::new(&name).extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
                });
                let not_doc = ["SOURCES", "README", "LICENSE"]
                    .iter()
                    .any(|n| name.starts_with(n));
                if is_doc && !not_doc {
                    docs.push(format!(
                        "{lang}/{}/{name}",
                        repo.file_name().to_string_lossy()
                    ));
                }
            }
        }
    }
    docs.sort();
    let labelled: Vec<String> = label_files(&labels_dir())
        .iter()
        .map(|f| read_labels(f).doc)
        .collect();
    let missing: Vec<&String> = docs.iter().filter(|d| !labelled.contains(d)).collect();
    let stray: Vec<&String> = labelled.iter().filter(|d| !docs.contains(d)).collect();
    assert!(missing.is_empty(), "write-ups without labels: {missing:?}");
    assert!(stray.is_empty(), "labels of no write-up: {stray:?}");
    assert_eq!(docs.len(), 50);
}

/// The figures the parser reached on the real corpus (issue 23), as floors: a change that
/// reads the corpus worse fails here. `cargo test --test real -- --nocapture` prints them.
///
/// Sections and speakers are at the issue's thresholds (≥ 90%, none invented); attribution
/// and not-quotes served are at the figures reached, past the thresholds (≥ 85%, ≤ 5%;
/// `real_corpus_meets_the_issue_23_thresholds`): raise them as the figures rise.
#[test]
fn real_corpus_stays_at_or_above_the_figures_reached() {
    let Some(r) = report() else { return };
    let t = r.total;
    let failed = [
        (t.sections() >= FLOORS.sections, "sections", t.sections()),
        (t.speakers() >= FLOORS.speakers, "speakers", t.speakers()),
        // None invented, as the issue asks.
        (t.invented == 0, "invented", t.invented as f64),
        (
            t.attribution() >= FLOORS.attribution,
            "attribution",
            t.attribution(),
        ),
        (t.served() <= FLOORS.served, "not-quotes served", t.served()),
    ];
    let failed: Vec<String> = failed
        .iter()
        .filter(|(ok, ..)| !ok)
        .map(|(_, what, got)| format!("{what} {got:.1}"))
        .collect();
    assert!(
        failed.is_empty(),
        "below the floors {FLOORS:?}: {}",
        failed.join("; ")
    );
}

/// The floors of [`real_corpus_stays_at_or_above_the_figures_reached`].
#[derive(Debug)]
struct Floors {
    sections: f64,
    speakers: f64,
    attribution: f64,
    served: f64,
}

const FLOORS: Floors = Floors {
    sections: 90.0,
    speakers: 90.0,
    attribution: 85.3,
    served: 4.7,
};

/// Issue 23's thresholds on the real corpus: sections ≥ 90%, speakers ≥ 90% with none
/// invented, attribution ≥ 85%, not-quotes served ≤ 5%. Reached (total): sections 98.0%,
/// speakers 91.2% (none invented), attribution 85.4% (269/315), not-quotes served 4.7%
/// (13/277: 6 of them the not-quotes of the headingless prose report that does not load,
/// counted as served; 5 terms kept in their quotation marks inside a sentence served as the
/// speaker's, printed beside the total).
#[test]
fn real_corpus_meets_the_issue_23_thresholds() {
    let Some(r) = report() else { return };
    let t = r.total;
    let mut failed = Vec::new();
    if t.sections() < 90.0 {
        failed.push(format!("sections {:.1}% < 90%", t.sections()));
    }
    if t.speakers() < 90.0 || t.invented > 0 {
        failed.push(format!(
            "speakers {:.1}% (< 90%?) with {} invented",
            t.speakers(),
            t.invented
        ));
    }
    if t.attribution() < 85.0 {
        failed.push(format!("attribution {:.1}% < 85%", t.attribution()));
    }
    if t.served() > 5.0 {
        failed.push(format!("not-quotes served {:.1}% > 5%", t.served()));
    }
    assert!(failed.is_empty(), "{}", failed.join("; "));
}
