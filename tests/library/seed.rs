//! The bundled seed: structure, summary, sections, infographics and quotes.

use lectern::model::{QuoteKind, Talk};
use lectern::parse::{MAX_QUOTE_CHARS, MIN_QUOTE_CHARS};

use crate::{root, seed_library};

const TITLES: [&str; 23] = [
    "软件工程的杰文斯悖论",
    "AI 时代的 GTM 挑战",
    "多 Agent 编排与界面愿景",
    "AI 能缩小经济差距吗？",
    "模型应该专精还是通用？",
    "成本下降路线图",
    "个性化软件与微应用",
    "创业公司的护城河",
    "自主 Agent 时间线",
    "帮人想出好点子的工具",
    "让模型适应新技术",
    "AI 做科研：从无限博士后到自动湿实验室",
    "生物安全与韧性策略",
    "教育与人机协作",
    "Agent 在生产环境的失败模式",
    "幼儿与技术",
    "3D 推理与生物医药",
    "给辍学创业者的建议",
    "身份认证与个性化",
    "招聘与面试的未来",
    "创意身份与 AI 生成艺术",
    "个性化与数字生活访问",
    "AI 时代最重要的技能",
];

fn talk() -> Talk {
    let lib = seed_library();
    assert_eq!(lib.talks().len(), 1);
    lib.talks()[0].clone()
}

#[test]
fn title_and_metadata() {
    let t = talk();
    assert_eq!(t.id, "2026-01-27-sam-altman-developer-townhall");
    assert_eq!(
        t.title,
        "Sam Altman 与开发者的一小时：GPT-5 的坦白、招聘放缓、以及 2026 年最担心的事"
    );
    assert_eq!(
        t.meta.source.as_deref(),
        Some("https://baoyu.io/blog/2026/01/27/sam-altman-developer-townhall-gpt5")
    );
    assert_eq!(t.meta.date.as_deref(), Some("2026-01-27"));
    assert_eq!(t.meta.author.as_deref(), Some("宝玉"));
}

#[test]
fn summary_has_one_liner_seven_key_points_and_three_risks() {
    let s = talk().summary;
    let one = s.one_liner.expect("one-line summary");
    assert!(one.starts_with("在 2026 年 1 月的开发者大会上"), "{one}");
    assert_eq!(s.key_points.len(), 7, "{:#?}", s.key_points);
    assert!(s.key_points[0].starts_with("**承认 GPT-5 偏科失误**"));
    assert!(s.key_points[6].contains("AI 时代的技能与教育"));
    assert_eq!(s.risks.len(), 3, "{:#?}", s.risks);
    assert!(s.risks[0].contains("生物安全威胁"));
    assert!(s.risks[2].contains("财富与权力集中"));
}

#[test]
fn all_23_numbered_sections_in_order_then_the_closing_section() {
    let t = talk();
    let numbered: Vec<(u32, &str)> = t
        .sections
        .iter()
        .filter_map(|s| s.number.map(|n| (n, s.title.as_str())))
        .collect();
    let expected: Vec<(u32, &str)> = (1..=23).zip(TITLES).collect();
    assert_eq!(numbered, expected);
    // The intro is section 0 (issue 11), then the 23 numbered sections and the closing.
    assert_eq!(t.sections.len(), 25);
    let first = &t.sections[0];
    assert_eq!(
        (first.number, first.title.as_str(), first.intro),
        (None, "开场", true)
    );
    assert!(t.sections[1..].iter().all(|s| !s.intro));
    let last = t.sections.last().unwrap();
    assert_eq!((last.number, last.title.as_str()), (None, "尾声"));
    assert_eq!(t.sections[13].label(), "13 · 生物安全与韧性策略");
    for (i, s) in t.sections.iter().enumerate() {
        assert_eq!(s.ordinal, i);
    }
}

#[test]
fn each_section_has_its_own_text_and_infographic() {
    let t = talk();
    for (i, s) in t.sections.iter().enumerate() {
        assert!(!s.body.trim().is_empty(), "section {} has text", s.label());
        assert!(!s.body.contains("!["), "images removed from {}", s.label());
        assert!(!s.body.contains("s.baoyu.io/imgs"), "{}", s.label());
        let img = s.infographic.as_ref().expect("infographic");
        // Section 0 is the intro, with the opening infographic (`00-…`).
        let n = i;
        assert!(
            img.url.contains(&format!("/{n:02}-infographic-")),
            "section {} has its own image, got {}",
            s.label(),
            img.url
        );
    }
    let s13 = &t.sections[13];
    assert_eq!(
        s13.infographic.as_ref().unwrap().alt,
        "Image 15: 生物安全与韧性策略"
    );
    assert!(s13.body.starts_with("一位斯坦福学生在做生物安全创业"));
    assert!(s13.body.contains("\"**我不认为这能持续太久。**\""));
    assert!(!s13.body.contains("一位参加过 ChatGPT 教育实验室"));
    assert!(
        t.sections[1]
            .body
            .starts_with("Altman 以一个 Twitter 问题开场")
    );
    assert!(t.sections[24].body.contains("100 倍更强的模型"));
}

#[test]
fn intro_and_related_topics() {
    let t = talk();
    let intro = &t.sections[0];
    assert!(
        intro
            .body
            .contains("这是 Sam Altman 在 OpenAI 开发者 Town Hall 上的自嘲")
    );
    assert!(!intro.body.contains("!["));
    // The cover stands before any text; the opening infographic is the intro's image.
    assert!(
        intro
            .infographic
            .as_ref()
            .is_some_and(|i| i.url.ends_with("/00-infographic-opening.png"))
    );
    assert_eq!(t.related.len(), 13, "{:?}", t.related);
    assert_eq!(&t.related[..3], ["OpenAI", "ChatGPT", "Codex"]);
    assert!(t.related.contains(&"软件工程".to_string()));
}

fn quote_texts(t: &Talk) -> Vec<&str> {
    t.quotes.iter().map(|q| q.text.as_str()).collect()
}

#[test]
fn known_quotes_are_in_the_pool_with_their_section() {
    let t = talk();
    let find = |text: &str| {
        t.quotes
            .iter()
            .find(|q| q.text == text)
            .unwrap_or_else(|| panic!("quote missing: {text}\n{:#?}", quote_texts(&t)))
    };
    let cases: [(&str, Option<u32>); 9] = [
        ("我不认为这能持续太久。", Some(13)),
        ("我觉得我们就是搞砸了。", Some(5)),
        ("结果我大概撑了两个小时。", Some(15)),
        ("都是软技能。", Some(23)),
        (
            "每次跟他们聊完都带着一堆点子离开。他们特别擅长提问，或者给你种子让你发展。Paul Graham 在这方面简直惊人。",
            Some(10),
        ),
        ("这很吓人。", Some(19)),
        ("现在做东西变得容易太多，这种落差感更强烈了。", Some(2)),
        (
            "告诉我们你们想要我们做什么。我们是为你们做的，我们想做对。",
            None,
        ),
        (
            "我原本坚决认为绝对不会给 Codex 无监督访问我的电脑。结果大概撑了两个小时就放弃了。",
            None,
        ),
    ];
    for (text, number) in cases {
        let q = find(text);
        let section = q.section.map(|s| &t.sections[s]);
        match number {
            Some(n) => assert_eq!(section.and_then(|s| s.number), Some(n), "{text}"),
            None if text.starts_with("告诉我们") => {
                assert_eq!(section.map(|s| s.title.as_str()), Some("尾声"));
            }
            // The intro's pull quote belongs to section 0 (issue 11).
            None => assert_eq!(q.section, Some(0), "{text}"),
        }
    }
    let pull =
        find("我原本坚决认为绝对不会给 Codex 无监督访问我的电脑。结果大概撑了两个小时就放弃了。");
    assert_eq!(pull.kind, QuoteKind::PullQuote);
    assert_eq!(pull.speaker.as_deref(), Some("Sam Altman"));
    // A bold highlight is emphasis inside its quote, not a quote of its own.
    let q = find(
        "但我觉得这会一直很难，因为即使在极度富足的世界里，人类注意力依然是稀缺品。你永远在和其他人竞争。",
    );
    assert_eq!(q.kind, QuoteKind::Quoted);
    assert_eq!(
        q.emphasis,
        ["即使在极度富足的世界里，人类注意力依然是稀缺品"]
    );
    assert!(!quote_texts(&t).contains(&"即使在极度富足的世界里，人类注意力依然是稀缺品"));
}

#[test]
fn non_quotes_stay_out_of_the_pool() {
    let t = talk();
    let texts = quote_texts(&t);
    // Scare quotes, editor's notes, alt text, questions from the audience.
    for bad in [
        "写作冰冷",
        "盖火",
        "叮当作响的金属",
        "搞砸了",
        "板上钉钉",
        "大部分是好消息",
        "整个数字生活",
        "公司有很多 AI 同事但人也不少",
        "Sam Altman 开发者 Town Hall",
    ] {
        assert!(!texts.contains(&bad), "{bad} is not a quote");
    }
    for q in &texts {
        assert!(!q.contains("Altman 说"), "attribution inside a quote: {q}");
        assert!(!q.contains("http"), "URL in a quote: {q}");
        assert!(!q.contains("Image "), "alt text in a quote: {q}");
        assert!(!q.contains("Curfew 来自古法语"), "editor's note: {q}");
        assert!(
            !q.contains("GPT-5 于 2025 年 8 月发布后"),
            "editor's note: {q}"
        );
        assert!(!q.contains("现实的时间线是什么"), "audience question: {q}");
        assert!(
            !q.chars().any(|c| matches!(c, '"' | '“' | '”')),
            "fragment with a quotation mark: {q}"
        );
        let n = q.chars().count();
        assert!(
            (MIN_QUOTE_CHARS..=MAX_QUOTE_CHARS).contains(&n),
            "length {n}: {q}"
        );
        let first = q.chars().next().unwrap();
        assert!(
            !matches!(first, '，' | '。' | '、' | '：' | ',' | ':' | ' '),
            "stray punctuation: {q}"
        );
    }
}

#[test]
fn every_quote_is_written_in_the_document() {
    let src =
        std::fs::read_to_string(root().join("seeds/2026-01-27-sam-altman-developer-townhall.md"))
            .unwrap()
            .replace("**", "");
    let t = talk();
    assert!(t.quotes.len() >= 100, "pool size {}", t.quotes.len());
    for q in &t.quotes {
        assert!(src.contains(&q.text), "not in the document: {}", q.text);
    }
}
