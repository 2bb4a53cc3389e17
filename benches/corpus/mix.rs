//! The benchmarks' query mixes, shared by `benches/search.rs` and the peer benchmark in
//! `peer/` so that both run exactly the same queries.

/// The fixed query mix: (kind, query, title of the section it must find first, or none for a
/// query that must miss). Every generated talk has the seed's section titles, so the check
/// holds at any size.
pub const MIX: &[(&str, &str, Option<&str>)] = &[
    ("exact", "生物安全", Some("生物安全与韧性策略")),
    (
        "exact",
        "卡斯帕罗夫",
        Some("AI 做科研：从无限博士后到自动湿实验室"),
    ),
    ("exact", "Paul Graham", Some("帮人想出好点子的工具")),
    ("exact", "护城河", Some("创业公司的护城河")),
    ("exact", "GPT-6", Some("创业公司的护城河")),
    ("typo", "Grahm", Some("帮人想出好点子的工具")),
    ("typo", "Photshop", Some("创意身份与 AI 生成艺术")),
    ("typo", "杰文斯悖轮", Some("软件工程的杰文斯悖论")),
    ("typo", "生物安荃", Some("生物安全与韧性策略")),
    ("typo", "Voychek", Some("生物安全与韧性策略")),
    ("mixed", "token 预算", Some("身份认证与个性化")),
    ("mixed", "3D 推理", Some("3D 推理与生物医药")),
    (
        "mixed",
        "深蓝 卡斯帕罗夫",
        Some("AI 做科研：从无限博士后到自动湿实验室"),
    ),
    (
        "mixed",
        "Agent 失败模式",
        Some("Agent 在生产环境的失败模式"),
    ),
    ("miss", "量子计算", None),
    ("miss", "kubernetes", None),
    ("miss", "Elon Musk", None),
    ("miss", "天气预报", None),
];

/// Issue 16's kinds of query (English, questions, synonyms, Taiwan vocabulary), timed apart
/// from [`MIX`] so that the before/after comparison of the mix stays like for like.
pub const ASKED_MIX: &[&str] = &[
    "Jevons",
    "kindergarten",
    "soft skills",
    "should I drop out of college",
    "AI 会取代程序员吗",
    "编程的未来",
    "降价",
    "軟體工程師",
    "recipe for pizza",
];
