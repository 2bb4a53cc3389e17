//! Replies: real content from the seed, within Discord's limits counted in characters.

use lectern::i18n::Lang;
use lectern::library::{Library, SectionRef};
use lectern::model::{Meta, Section, Summary, Talk};
use lectern::reply::{self, AboutInfo, Action, Component, PAGE_CHARS, Reply};
use lectern::text::char_len;

use crate::seed_library;

fn assert_within_limits(what: &str, r: &Reply) {
    let v = r.limit_violations();
    assert!(v.is_empty(), "{what}: {v:?}");
}

fn every_reply(lib: &Library) -> Vec<(String, Reply)> {
    let mut all = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        all.push(("topics".into(), reply::topics(lib, lang)));
        all.push((
            "about".into(),
            reply::about(
                lib,
                &AboutInfo {
                    version: "test".into(),
                },
                lang,
            ),
        ));
        for r in lib.section_refs() {
            let n = reply::pages(&lib.section(r).unwrap().1.body).len();
            for page in 0..n {
                all.push((format!("{r:?} p{page}"), reply::section(lib, r, page, lang)));
            }
        }
        for q in lib.quote_refs() {
            all.push((format!("{q:?}"), reply::quote(lib, q, None, lang)));
        }
        for query in [
            "生物安全",
            "Codex",
            "没有这个词的查询",
            "@everyone **x**",
            "x",
        ] {
            all.push((query.into(), reply::search(lib, query, lang)));
        }
    }
    all
}

#[test]
fn every_reply_on_the_seed_is_within_limits() {
    let lib = seed_library();
    let all = every_reply(&lib);
    assert!(all.len() > 250);
    for (what, r) in &all {
        assert_within_limits(what, r);
    }
}

#[test]
fn section_reply_has_title_text_image_link_footer_and_buttons() {
    let lib = seed_library();
    let r = reply::topic(&lib, "13", Lang::Zh);
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
            section: 11,
            page: 0
        })
    );
    assert_eq!(
        targets.last(),
        Some(&&Action::Section {
            talk,
            section: 13,
            page: 0
        })
    );
    assert_eq!(buttons[0].label, "◀ 上一节");
    // The same section by fuzzy title, in English.
    let by_title = reply::topic(&lib, "生物安全", Lang::En);
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
    let last = reply::section(
        &lib,
        SectionRef {
            talk: 0,
            section: 23,
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
    assert!(r.description.contains("1 · 软件工程的杰文斯悖论\n"));
    assert!(r.description.contains("23 · AI 时代最重要的技能\n尾声"));
    let Component::Select { options, .. } = &r.components[0] else {
        panic!()
    };
    assert_eq!(options.len(), 24);
    assert_eq!(options[12].label, "13 · 生物安全与韧性策略");
}

#[test]
fn quote_reply_names_its_section_and_offers_another() {
    let lib = seed_library();
    let pool = reply::quote_pool(&lib, Some("13"), Lang::En).unwrap();
    assert!(pool.len() >= 5);
    let q = pool[0];
    let from = Some(SectionRef {
        talk: 0,
        section: 12,
    });
    let r = reply::quote(&lib, q, from, Lang::En);
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
            section: Some(12)
        }
    );
    // A topic that matches nothing is an error reply, not an empty pool.
    assert!(reply::quote_pool(&lib, Some("qqqqzzzz"), Lang::En).is_err());
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
        intro: String::new(),
        sections,
        quotes: Vec::new(),
        related: Vec::new(),
    }
}

#[test]
fn oversized_content_is_paged_and_cut_within_limits() {
    let lib = Library::from_talks(vec![huge_talk(), huge_talk()]);
    for (what, r) in every_reply(&lib) {
        assert_within_limits(&what, &r);
    }
    let body = &lib.talks()[0].sections[0].body;
    let pages = reply::pages(body);
    assert!(pages.len() > 3);
    assert!(pages.iter().all(|p| char_len(p) <= PAGE_CHARS));
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
    let r = reply::topic(&lib, "17", Lang::Zh);
    insta::assert_snapshot!(reply::to_text(&r));
}
