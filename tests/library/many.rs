//! A library that grows stays usable: over the benchmarks' 1,000-talk corpus, every command
//! answers within Discord's limits, and what the talk, section, speaker and tag options offer
//! and resolve is right. No timing is asserted; `--nocapture` prints what was measured.

use std::time::Instant;

use lectern::commands::catalog;
use lectern::commands::quote::Quote;
use lectern::i18n::Lang;
use lectern::library::{Library, Lookup, Pick, QuoteScope};
use lectern::parse::parse_talk;
use lectern::reply::{self, Reply};
use lectern::search;

#[path = "../../benches/corpus/mod.rs"]
#[allow(dead_code)]
mod corpus;

fn corpus_library(n: usize) -> Library {
    let seed = std::fs::read_to_string(
        crate::root().join("seeds/2026-01-27-sam-altman-developer-townhall.md"),
    )
    .unwrap();
    let talks = corpus::generate(&seed, n)
        .into_iter()
        .map(|(file, md)| parse_talk(file.trim_end_matches(".md"), &md).0)
        .collect();
    Library::from_talks(talks)
}

fn assert_fits(what: &str, r: &Reply) {
    assert_eq!(r.limit_violations(), Vec::<String>::new(), "{what}");
}

#[test]
fn every_command_answers_within_discords_limits_with_1000_talks() {
    let started = Instant::now();
    let lib = corpus_library(1000);
    let loaded = started.elapsed();
    assert_eq!(lib.talks().len(), 1000);
    let started = Instant::now();
    let mut n = 0;
    for lang in [Lang::En, Lang::Zh] {
        // Every page of the list of talks and of every talk's sections.
        for (what, r) in catalog::lists(&lib, lang) {
            assert_fits(&what, &r);
            n += 1;
        }
        for (what, r) in catalog::query_replies(&lib, "生物安全") {
            assert_fits(&what, &r);
            n += 1;
        }
        let topics = reply::topics(&lib, lang);
        assert_fits("topics", &topics);
        assert!(topics.footer.unwrap().contains("1/50"));
        let about = reply::about(&lib, &reply::AboutInfo::default(), lang);
        assert_fits("about", &about);
        // /quote from all, one talk, one speaker.
        let scopes = [
            QuoteScope::All,
            QuoteScope::Talk(500),
            Quote {
                speaker: Some("Lisa Su".into()),
                ..Quote::default()
            }
            .scope(&lib, lang)
            .unwrap(),
        ];
        for scope in scopes {
            let pool = scope.pool(&lib);
            assert!(!pool.is_empty(), "{scope:?}");
            assert_fits(
                "quote",
                &reply::quote(&lib, pool[pool.len() / 2], scope, lang),
            );
            n += 1;
        }
    }
    let replies = started.elapsed();
    // Autocomplete of every option: at most 25 choices, labels and values of at most 100
    // characters.
    let started = Instant::now();
    let check = |label: &str, value: &str| {
        assert!((1..=100).contains(&label.chars().count()), "{label}");
        assert!((1..=100).contains(&value.chars().count()), "{value}");
    };
    for typed in ["", "Lisa", "第 500 期", "2026", "生物安全", "qqqq"] {
        for c in lib
            .talk_choices(typed, 25)
            .iter()
            .chain(&lib.speaker_choices(typed, 25))
            .chain(&lib.tag_choices(typed, 25))
        {
            check(&c.label, &c.value);
        }
        for within in [None, Some(500)] {
            let choices = search::autocomplete_in(&lib, within, typed);
            assert!(choices.len() <= 25);
            for c in &choices {
                check(
                    &c.label,
                    &Pick::Section(lectern::key::TalkKey::from_raw(0), c.section.section).value(),
                );
                assert!(within.is_none_or(|t| c.section.talk == t), "{c:?}");
            }
        }
    }
    let completed = started.elapsed();
    // The 501st talk by the end of its title (its issue number), and its section by title
    // within it.
    let full = &lib.talks()[500].title;
    let issue = &full[full.find('（').unwrap()..];
    let Lookup::Found(t) = lib.resolve_talk(issue) else {
        panic!("no talk {issue}")
    };
    assert_eq!(lib.talks()[t].id, "0500-talk", "{issue}");
    let title = &lib.talks()[t].sections[3].title;
    let r = lectern::commands::topic::find_topic(&lib, Some(issue), title, Lang::En).unwrap();
    assert_eq!((r.talk, r.section), (t, 3));
    println!(
        "1,000 talks: built in {loaded:?}; {n} list, query and quote replies in {replies:?}; \
         6 typed texts autocompleted in every option in {completed:?}"
    );
}
