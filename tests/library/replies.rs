//! Replies: real content from the seed, within Discord's limits counted in characters.

use lectern::budget::DISCORD;
use lectern::commands;
use lectern::commands::catalog;
use lectern::commands::quote::Quote;
use lectern::commands::topics::Topics;
use lectern::i18n::Lang;
use lectern::library::{Library, QuoteScope, SectionRef};
use lectern::model::{Meta, Section, Summary, Talk};
use lectern::reply::{self, Action, Component, Reply};
use lectern::text::char_len;

use crate::seed_library;

fn assert_within_limits(what: &str, r: &Reply) {
    let v = r.limit_violations();
    assert!(v.is_empty(), "{what}: {v:?}");
}

/// The queries the seed's limit tests ask, besides every reply of the content itself.
const QUERIES: &[&str] = &[
    "生物安全",
    "Codex",
    "没有这个词的查询",
    "@everyone **x**",
    "x",
];

#[test]
fn every_reply_on_the_seed_is_within_limits() {
    let lib = seed_library();
    let all = catalog::every_reply(&lib, QUERIES);
    assert!(all.len() > 250);
    for (what, r) in &all {
        assert_within_limits(what, r);
    }
}

#[test]
fn section_reply_has_title_text_image_link_footer_and_buttons() {
    let lib = seed_library();
    let r = crate::topic(&lib, "13", Lang::Zh);
    assert_eq!(r.title.as_deref(), Some("13 · 生物安全与韧性策略"));
    assert!(r.description.starts_with("一位斯坦福学生在做生物安全创业"));
    assert!(
        r.image
            .as_deref()
            .unwrap()
            .ends_with("13-infographic-biosafety-resilience.png")
    );
    assert_eq!(
        r.url.as_deref(),
        Some("https://baoyu.io/blog/2026/01/27/sam-altman-developer-townhall-gpt5")
    );
    let footer = r.footer.as_deref().unwrap();
    assert!(footer.ends_with("· §13/23 · 2026-01-27"), "{footer}");
    let Component::Buttons { buttons } = &r.components[0] else {
        panic!("buttons expected")
    };
    let targets: Vec<&Action> = buttons.iter().map(|b| &b.action).collect();
    let talk = "2026-01-27-sam-altman-developer-townhall".to_string();
    assert_eq!(
        targets.first(),
        Some(&&Action::Section {
            talk: talk.clone(),
            section: 12,
            page: 0
        })
    );
    assert_eq!(
        targets.last(),
        Some(&&Action::Section {
            talk,
            section: 14,
            page: 0
        })
    );
    assert_eq!(buttons[0].label, "◀ 上一节");
    // The same section by fuzzy title, in English.
    let by_title = crate::topic(&lib, "生物安全", Lang::En);
    assert_eq!(by_title.title, r.title);
    assert_eq!(by_title.components.len(), 1);
}

#[test]
fn first_and_last_sections_disable_the_missing_neighbour() {
    let lib = seed_library();
    let first = reply::section(
        &lib,
        SectionRef {
            talk: 0,
            section: 0,
        },
        0,
        Lang::En,
    );
    let Component::Buttons { buttons } = &first.components[0] else {
        panic!()
    };
    assert!(buttons[0].disabled);
    assert!(!buttons.last().unwrap().disabled);
    // Section 0 is the intro (issue 11): it opens like any other.
    assert_eq!(first.title.as_deref(), Some("开场"));
    assert!(first.description.contains("自嘲"));
    let last = reply::section(
        &lib,
        SectionRef {
            talk: 0,
            section: 24,
        },
        0,
        Lang::En,
    );
    let Component::Buttons { buttons } = &last.components[0] else {
        panic!()
    };
    assert!(buttons.last().unwrap().disabled);
    assert!(last.footer.unwrap().contains("· 尾声 ·"));
}

#[test]
fn topics_lists_every_section_with_a_menu() {
    let lib = seed_library();
    let r = reply::topics(&lib, Lang::En);
    assert!(r.description.contains("开场\n1 · 软件工程的杰文斯悖论\n"));
    assert!(r.description.contains("23 · AI 时代最重要的技能\n尾声"));
    let Component::Select { options, .. } = &r.components[0] else {
        panic!()
    };
    assert_eq!(options.len(), 25);
    assert_eq!(options[0].label, "开场");
    assert_eq!(options[13].label, "13 · 生物安全与韧性策略");
}

#[test]
fn quote_reply_names_its_section_and_offers_another() {
    let lib = seed_library();
    let scope = crate::quote_scope(&lib, "13", Lang::En).unwrap();
    assert_eq!(
        scope,
        QuoteScope::Section(SectionRef {
            talk: 0,
            section: 13,
        })
    );
    let pool = scope.pool(&lib);
    assert!(pool.len() >= 5);
    let q = pool[0];
    let r = reply::quote(&lib, q, scope, Lang::En);
    let text = &lib.quote(q).unwrap().1.text;
    assert!(r.description.starts_with("> "));
    assert!(r.description.contains(text.as_str()));
    assert!(r.footer.unwrap().starts_with("13 · 生物安全与韧性策略 · "));
    let Component::Buttons { buttons } = &r.components[0] else {
        panic!()
    };
    assert_eq!(
        buttons[0].action,
        Action::Quote {
            talk: Some("2026-01-27-sam-altman-developer-townhall".into()),
            section: Some(13)
        }
    );
    // A topic that matches nothing is an error reply, not an empty pool.
    assert!(crate::quote_scope(&lib, "qqqqzzzz", Lang::En).is_err());
}

#[test]
fn search_echo_is_escaped() {
    let lib = seed_library();
    let r = reply::search(&lib, "@everyone **boom** <@123>", Lang::En);
    let shown = format!("{} {}", r.title.clone().unwrap_or_default(), r.description);
    assert!(!shown.contains("@everyone"), "{shown}");
    assert!(!shown.contains("**boom**"), "{shown}");
    assert!(!shown.contains("<@123>"), "{shown}");
    assert_within_limits("escaped search", &r);
    let empty = reply::search(&lib, "   ", Lang::Zh);
    assert!(empty.ephemeral);
    assert_eq!(empty.description, "请输入要搜索的内容。");
}

fn huge_talk() -> Talk {
    let long_title = "很长的标题".repeat(80);
    let sections = (0..60)
        .map(|i| Section {
            ordinal: i,
            number: Some(i as u32 + 1),
            title: format!("{long_title}{i}"),
            body: vec!["这是一段很长的中文段落，用来测试分页。".repeat(40); 12].join("\n\n"),
            infographic: None,
            intro: false,
        })
        .collect();
    Talk {
        id: "huge".repeat(30),
        title: long_title.clone(),
        meta: Meta {
            date: Some("2026-01-01".into()),
            ..Meta::default()
        },
        summary: Summary::default(),
        sections,
        quotes: Vec::new(),
        related: Vec::new(),
    }
}

#[test]
fn oversized_content_is_paged_and_cut_within_limits() {
    let lib = Library::from_talks(vec![huge_talk(), huge_talk()]);
    for (what, r) in catalog::every_reply(&lib, QUERIES) {
        assert_within_limits(&what, &r);
    }
    let body = &lib.talks()[0].sections[0].body;
    let pages = reply::pages(body);
    assert!(pages.len() > 3);
    assert!(pages.iter().all(|p| char_len(p) <= DISCORD.page_chars));
    // Pages split at paragraph boundaries: nothing is lost or reordered.
    assert_eq!(pages.join("\n\n"), *body);
    let last_page = reply::section(
        &lib,
        SectionRef {
            talk: 0,
            section: 0,
        },
        99,
        Lang::En,
    );
    assert!(
        last_page
            .footer
            .unwrap()
            .ends_with(&format!("page {}/{}", pages.len(), pages.len()))
    );
}

#[test]
fn rendered_section_snapshot() {
    let lib = seed_library();
    let r = crate::topic(&lib, "17", Lang::Zh);
    insta::assert_snapshot!(reply::to_text(&r));
}

/// Every fixed sentence of the replies, in both languages: the notices, the empty section, the
/// "and N more talks" line, a miss, and the reload report of each verdict.
#[test]
fn interface_strings_snapshot() {
    use lectern::library::Counts;
    use lectern::reload::{LibraryDiff, ReloadReport, Verdict};
    use std::time::Duration;

    let small_talk = |i: usize, body: &str| Talk {
        id: format!("t{i}"),
        title: format!("{} {i}", "Talk".repeat(20)),
        sections: vec![Section {
            ordinal: 0,
            number: Some(1),
            title: "S".repeat(50),
            body: body.into(),
            infographic: None,
            intro: false,
        }],
        ..huge_talk()
    };
    let many = Library::from_talks((0..40).map(|i| small_talk(i, "text")).collect());
    let empty_section = Library::from_talks(vec![small_talk(0, "")]);
    let empty = Library::from_talks(Vec::new());
    let list = |what: &str| vec![format!("{what} one"), format!("{what} two")];
    let mut out = String::new();
    for lang in [Lang::En, Lang::Zh] {
        let topics = reply::topics(&many, lang);
        fn unknown<T>(o: Result<T, Box<reply::Reply>>) -> Option<String> {
            o.err().map(|r| r.description)
        }
        let mut shown = vec![
            ("no talks", reply::topics(&empty, lang).description),
            ("more talks", topics.footer.clone().unwrap_or_default()),
            (
                "unknown talk",
                unknown(commands::talk_option(&many, Some("qqqq zzzz"), lang)).unwrap_or_default(),
            ),
            (
                "unknown tag",
                unknown(
                    Topics {
                        tag: Some("qqqq zzzz".into()),
                        ..Topics::default()
                    }
                    .resolve(&many, lang),
                )
                .unwrap_or_default(),
            ),
            (
                "unknown speaker",
                unknown(
                    Quote {
                        speaker: Some("qqqq zzzz".into()),
                        ..Quote::default()
                    }
                    .scope(&many, lang),
                )
                .unwrap_or_default(),
            ),
            (
                "unknown topic",
                crate::topic(&many, "qqqq zzzz", lang).description,
            ),
            (
                "empty section",
                crate::topic(&empty_section, "1", lang).description,
            ),
            (
                "no close match",
                reply::search(&many, "qqqq zzzz", lang).description,
            ),
        ];
        for verdict in [
            Verdict::Applied,
            Verdict::Forced,
            Verdict::KeptOld,
            Verdict::Failed,
        ] {
            let report = ReloadReport {
                verdict,
                diff: LibraryDiff {
                    talks_added: list("talk added"),
                    talks_removed: list("talk removed"),
                    sections_added: list("section added"),
                    sections_removed: list("section removed"),
                    sections_changed: list("section changed"),
                    quotes_before: 3,
                    quotes_after: 4,
                },
                warnings: list("warning"),
                before: Counts {
                    talks: 1,
                    sections: 2,
                    quotes: 3,
                },
                loaded: Counts {
                    talks: 5,
                    sections: 6,
                    quotes: 4,
                },
                elapsed: Duration::from_millis(7),
            };
            let r = reply::reload_report(&report, lang);
            // The whole report once; the other verdicts differ only in their headline.
            let text = match report.verdict {
                Verdict::Applied => reply::to_text(&r),
                _ => r.description.lines().next().unwrap_or_default().to_string(),
            };
            shown.push(("reload", text));
        }
        for (what, text) in shown {
            out.push_str(&format!("== {lang:?} {what}\n{}\n", text.trim_end()));
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn a_quote_names_its_speaker_bolds_its_emphasis_and_the_pool_holds_only_the_speakers_words() {
    let lib = seed_library();
    let pool = QuoteScope::All.pool(&lib);
    let speakers = &lib.talks()[0].meta.speakers;
    assert_eq!(speakers, &["Sam Altman"]);
    for &q in &pool {
        let (_, quote) = lib.quote(q).unwrap();
        assert_eq!(quote.speaker.as_ref(), Some(&speakers[0]), "{}", quote.text);
    }
    // The seed also quotes an OpenAI employee and a founder: listed, never drawn by /quote.
    let others: Vec<_> = lib
        .quote_refs()
        .filter(|q| !pool.contains(q))
        .map(|q| lib.quote(q).unwrap().1.speaker.clone())
        .collect();
    assert!(
        others.contains(&Some("OpenAI 员工".to_string())),
        "{others:?}"
    );
    let q = *pool
        .iter()
        .find(|q| lib.quote(**q).unwrap().1.text == "我认为工程师的含义会发生巨大变化。")
        .unwrap();
    let r = reply::quote(&lib, q, QuoteScope::All, Lang::En);
    assert_eq!(
        r.description,
        "> 我认为**工程师的含义会发生巨大变化**。\n— Sam Altman"
    );
}
