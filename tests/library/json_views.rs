//! Snapshots of `lectern ask --json` over the bundled seed: the README's "`--json` output"
//! contract as it is printed. Quotes are drawn at random, so the quote views are taken for
//! given quotes rather than from a draw.

use lectern::cli::json::{self, View};
use lectern::cli::{Question, answer};
use lectern::i18n::Lang;
use lectern::library::{Library, QuoteRef};

use crate::seed_library;

/// What `lectern ask <question> --json` prints.
fn printed(lib: &Library, q: Question) -> String {
    let (_, view) = answer(lib, &q, Lang::En);
    json::render(&view).unwrap()
}

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(String::from).collect()
}

#[test]
fn topics_json() {
    let lib = seed_library();
    let all = Question::Topics {
        talk: None,
        tag: None,
        page: 1,
    };
    insta::assert_snapshot!(printed(&lib, all));
}

#[test]
fn topics_json_of_one_talk_has_the_same_shape_with_that_talk_alone() {
    let lib = crate::load_dir(&crate::root().join("tests/fixtures/formats")).library;
    let one = |talk: &str| {
        let q = Question::Topics {
            talk: Some(talk.into()),
            tag: None,
            page: 1,
        };
        let v: serde_json::Value = serde_json::from_str(&printed(&lib, q)).unwrap();
        let talks = v["talks"].as_array().unwrap().clone();
        talks
            .iter()
            .map(|t| t["id"].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(one("english-front-matter"), ["\"english-front-matter\""]);
    assert_eq!(one("building reliable"), ["\"english-front-matter\""]);
    // A talk that matches nothing lists nothing.
    assert_eq!(one("qqqq zzzz"), Vec::<String>::new());
}

#[test]
fn topic_json_of_a_section_and_of_no_match() {
    let lib = seed_library();
    let section = Question::Topic {
        section: words("13"),
        talk: None,
        page: 1,
    };
    insta::assert_snapshot!("topic_13", printed(&lib, section));
    let none = Question::Topic {
        section: words("qqqq zzzz"),
        talk: None,
        page: 1,
    };
    assert_eq!(printed(&lib, none), "{\n  \"section\": null\n}\n");
}

#[test]
fn quotes_json_lists_every_quote() {
    let lib = seed_library();
    let text = printed(&lib, Question::Quotes);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["quotes"].as_array().unwrap().len(), lib.counts().quotes);
    insta::assert_snapshot!(text);
}

#[test]
fn quote_json_with_and_without_a_section() {
    let lib = seed_library();
    let view = |q| json::render(&View::Quote(json::quote(&lib, Some(q)))).unwrap();
    let refs: Vec<QuoteRef> = lib.quote_refs().collect();
    let in_section = refs
        .iter()
        .find(|q| lib.quote(**q).unwrap().1.section == Some(13))
        .unwrap();
    insta::assert_snapshot!("quote_in_section_13", view(*in_section));
    let before_sections = refs
        .iter()
        // What stands before the first section heading is the intro, section 0 (issue 11).
        .find(|q| lib.quote(**q).unwrap().1.section == Some(0))
        .unwrap();
    insta::assert_snapshot!("quote_before_the_sections", view(*before_sections));
    // A topic that matches nothing draws nothing.
    let none = Question::Quote {
        topic: words("qqqq zzzz"),
        talk: None,
        speaker: None,
        card: None,
    };
    assert_eq!(printed(&lib, none), "{\n  \"quote\": null\n}\n");
}

#[test]
fn search_json_with_hits_and_with_suggestions() {
    let lib = seed_library();
    let hits = Question::Search {
        query: words("生物安全"),
    };
    insta::assert_snapshot!("search_hits", printed(&lib, hits));
    let miss = Question::Search {
        query: words("生物 qqqq zzzz wwww"),
    };
    insta::assert_snapshot!("search_suggestions", printed(&lib, miss));
}

#[test]
fn about_json() {
    let lib = seed_library();
    let text = printed(&lib, Question::About);
    // The version is the crate's: keep the snapshot from changing with every release.
    let text = text.replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!(text);
}

#[test]
fn ask_topic_and_quote_take_a_talk_and_a_speaker() {
    let lib = crate::load_dir(&crate::root().join("tests/fixtures/formats")).library;
    let value = |q| serde_json::from_str::<serde_json::Value>(&printed(&lib, q)).unwrap();
    let topic = value(Question::Topic {
        section: words("1"),
        talk: Some("building reliable".into()),
        page: 1,
    });
    assert_eq!(topic["talk"], "english-front-matter");
    for _ in 0..5 {
        let quote = value(Question::Quote {
            topic: Vec::new(),
            talk: Some("english-front-matter".into()),
            speaker: None,
            card: None,
        });
        assert_eq!(quote["quote"]["talk"], "english-front-matter", "{quote}");
        let by = value(Question::Quote {
            topic: Vec::new(),
            talk: None,
            speaker: Some("Ada Lovelace".into()),
            card: None,
        });
        assert_eq!(by["quote"]["speaker"], "Ada Lovelace", "{by}");
    }
}

/// Issue 24: the `at` of sections and quotes, over the labelled transcripts: seconds and the
/// deep link where the talk has a recording (YouTube, Bilibili, Vimeo, a media file).
#[test]
fn topics_and_quotes_json_of_transcripts_carry_their_moments() {
    let lib = crate::load_dir(&crate::root().join("tests/fixtures/transcripts")).library;
    let topics = printed(
        &lib,
        Question::Topics {
            talk: Some("podcast-en".into()),
            tag: None,
            page: 1,
        },
    );
    insta::assert_snapshot!("transcript_topics_json", topics);
    let quotes = printed(&lib, Question::Quotes);
    let v: serde_json::Value = serde_json::from_str(&quotes).unwrap();
    let quotes = v["quotes"].as_array().unwrap();
    assert!(quotes.iter().all(|q| q.get("at").is_some()), "{v}");
    let at = |snippet: &str| {
        quotes
            .iter()
            .find(|q| q["text"].as_str().unwrap().contains(snippet))
            .map(|q| q["at"].clone())
            .unwrap()
    };
    assert_eq!(
        at("Paper on a wall gets read."),
        serde_json::json!({"seconds": 760, "watch": "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL123&t=760s"})
    );
    assert_eq!(
        at("企业愿意为这种经验付钱"),
        serde_json::json!({"seconds": 778, "watch": "https://www.bilibili.com/video/BV1xx411c7mD?p=2&t=778"})
    );
    assert_eq!(
        at("I have not looked at a dashboard"),
        serde_json::Value::Null
    );
}
