//! The quote finder judged against labelled tables (issue 12).
//!
//! Each table under `tests/fixtures/quotes/` lists every quotation of one write-up, labelled by
//! hand before the finder was written: its text, and its speaker or `-` when it is not a quote
//! (a term, a scare quote, a clause of the writer's sentence, the options of a question, an
//! editor's note). The finder's quotes are matched to the rows by their text; a found quote
//! with no row counts as a false positive. Run with `-- --nocapture` to see the counts.

use lectern::model::{QuoteKind, Talk};

use crate::{load_fixture, root, seed_library};

/// One labelled quotation.
#[derive(Debug)]
struct Row {
    section: String,
    text: String,
    /// `None`: not a quote.
    speaker: Option<String>,
    kind: Option<QuoteKind>,
}

fn table(name: &str) -> Vec<Row> {
    let path = root().join("tests/fixtures/quotes").join(name);
    let src = std::fs::read_to_string(&path).unwrap();
    src.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 3, "{name}: bad row {l:?}");
            let kind = match cols.get(3).copied().unwrap_or("") {
                "quoted" => Some(QuoteKind::Quoted),
                "pull_quote" => Some(QuoteKind::PullQuote),
                "transcript" => Some(QuoteKind::Transcript),
                "" => None,
                k => panic!("{name}: unknown kind {k}"),
            };
            Row {
                section: cols[0].to_string(),
                text: cols[1].to_string(),
                speaker: (cols[2] != "-").then(|| cols[2].to_string()),
                kind,
            }
        })
        .collect()
}

/// Text compared without bold markers and without punctuation or spaces at either end.
fn norm(s: &str) -> String {
    s.replace("**", "")
        .trim_matches(|c: char| {
            c.is_whitespace()
                || (c.is_ascii_punctuation())
                || "，。：；！？“”‘’「」『』、…".contains(c)
        })
        .to_string()
}

#[derive(Debug, Default)]
struct Confusion {
    tp: usize,
    /// Found, labelled "not a quote".
    fp_labelled: usize,
    /// Found, in no row of the table.
    fp_unlabelled: usize,
    fn_: usize,
    tn: usize,
    wrong_speaker: Vec<String>,
    wrong_kind: Vec<String>,
    errors: Vec<String>,
}

impl Confusion {
    fn precision(&self) -> f64 {
        let found = self.tp + self.fp_labelled + self.fp_unlabelled;
        if found == 0 {
            1.0
        } else {
            self.tp as f64 / found as f64
        }
    }
    fn recall(&self) -> f64 {
        let want = self.tp + self.fn_;
        if want == 0 {
            1.0
        } else {
            self.tp as f64 / want as f64
        }
    }
}

fn judge(doc: &str, talk: &Talk, rows: &[Row]) -> Confusion {
    let mut c = Confusion::default();
    let mut matched = vec![false; rows.len()];
    for q in &talk.quotes {
        let n = norm(&q.text);
        match rows.iter().position(|r| norm(&r.text) == n) {
            Some(i) => {
                matched[i] = true;
                let r = &rows[i];
                match &r.speaker {
                    Some(want) => {
                        c.tp += 1;
                        if q.speaker.as_deref() != Some(want.as_str()) {
                            c.wrong_speaker
                                .push(format!("{:?} → {:?}, want {want}", q.text, q.speaker));
                        }
                        if Some(q.kind) != r.kind {
                            c.wrong_kind
                                .push(format!("{:?} → {:?}, want {:?}", q.text, q.kind, r.kind));
                        }
                    }
                    None => {
                        c.fp_labelled += 1;
                        c.errors.push(format!("FP [{}] {}", r.section, q.text));
                    }
                }
            }
            None => {
                c.fp_unlabelled += 1;
                c.errors.push(format!("FP (no row) {}", q.text));
            }
        }
    }
    for (r, m) in rows.iter().zip(&matched) {
        match (&r.speaker, m) {
            (Some(_), false) => {
                c.fn_ += 1;
                c.errors.push(format!("FN [{}] {}", r.section, r.text));
            }
            (None, false) => c.tn += 1,
            _ => {}
        }
    }
    println!(
        "{doc}: tp {} fp {} (labelled {}, unlabelled {}) fn {} tn {}; precision {:.3} recall {:.3}; \
         wrong speaker {}, wrong kind {}",
        c.tp,
        c.fp_labelled + c.fp_unlabelled,
        c.fp_labelled,
        c.fp_unlabelled,
        c.fn_,
        c.tn,
        c.precision(),
        c.recall(),
        c.wrong_speaker.len(),
        c.wrong_kind.len()
    );
    for e in c.errors.iter().chain(&c.wrong_speaker).chain(&c.wrong_kind) {
        println!("  {e}");
    }
    c
}

/// Thresholds: on the seed, precision ≥ 95% and recall ≥ 90% for "is a quote"; on the
/// fixtures, written for the layouts they show, every quotation right.
fn check(doc: &str, talk: &Talk, table_name: &str, min_precision: f64, min_recall: f64) {
    let c = judge(doc, talk, &table(table_name));
    assert!(
        c.precision() >= min_precision,
        "{doc}: precision {:.3} < {min_precision}",
        c.precision()
    );
    assert!(
        c.recall() >= min_recall,
        "{doc}: recall {:.3} < {min_recall}",
        c.recall()
    );
    assert!(c.wrong_speaker.is_empty(), "{doc}: {:#?}", c.wrong_speaker);
    assert!(c.wrong_kind.is_empty(), "{doc}: {:#?}", c.wrong_kind);
}

#[test]
fn seed_quotes_match_the_labelled_table() {
    let lib = seed_library();
    check("seed", &lib.talks()[0], "seed.tsv", 0.95, 0.90);
}

/// A fixture `NAME.md` against its table `NAME.tsv`: every quotation right.
fn check_fixture(name: &str) {
    let loaded = load_fixture(&format!("{name}.md"));
    check(
        name,
        &loaded.library.talks()[0],
        &format!("{name}.tsv"),
        1.0,
        1.0,
    );
}

#[test]
fn english_talk_quotes_match_the_labelled_table() {
    check_fixture("english-quotes");
}

#[test]
fn chinese_interview_quotes_match_the_labelled_table() {
    check_fixture("chinese-interview");
}

#[test]
fn no_quote_is_contained_in_another() {
    let lib = seed_library();
    for talk in lib.talks() {
        for a in &talk.quotes {
            for b in &talk.quotes {
                if !std::ptr::eq(a, b) {
                    assert!(
                        !b.text.contains(&a.text),
                        "{:?} inside {:?}",
                        a.text,
                        b.text
                    );
                }
            }
        }
    }
}
