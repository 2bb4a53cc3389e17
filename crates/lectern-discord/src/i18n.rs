//! Localized names and descriptions of the slash commands and their options.
//!
//! Discord shows these in the command picker by the user's client language. Simplified Chinese
//! (`zh-CN`) and Traditional Chinese (`zh-TW`) are given; everything else sees the English
//! defaults written in the `///` docs of `commands.rs`. Invariants (tested): every command and
//! every option has both locales, names are 1–32 characters, descriptions 1–100.

use std::collections::HashMap;

/// One name or description in the two Chinese locales: `(zh-CN, zh-TW)`.
type Pair = (&'static str, &'static str);

/// `(command, name, description, [(option, name, description)])`.
type Entry = (
    &'static str,
    Pair,
    Pair,
    &'static [(&'static str, Pair, Pair)],
);

/// The `talk` option of `/topic` and `/quote`.
const TALK: (&str, Pair, Pair) = (
    "talk",
    ("演讲", "演講"),
    (
        "哪个演讲：标题、讲者或日期（可自动补全，可选）",
        "哪個演講：標題、講者或日期（可自動補全，可選）",
    ),
);

const TABLE: &[Entry] = &[
    (
        "topics",
        ("话题", "話題"),
        ("列出演讲及其章节", "列出演講及其章節"),
        &[
            (
                "talk",
                ("演讲", "演講"),
                (
                    "只看这个演讲的章节：标题、讲者或日期（可自动补全）",
                    "只看這個演講的章節：標題、講者或日期（可自動補全）",
                ),
            ),
            (
                "tag",
                ("标签", "標籤"),
                (
                    "只列出带这个标签的演讲（可自动补全）",
                    "只列出帶這個標籤的演講（可自動補全）",
                ),
            ),
        ],
    ),
    (
        "topic",
        ("章节", "章節"),
        ("打开一节内容", "打開一節內容"),
        &[
            (
                "section",
                ("章节", "章節"),
                ("节号或标题（可自动补全）", "節號或標題（可自動補全）"),
            ),
            TALK,
        ],
    ),
    (
        "quote",
        ("引语", "引語"),
        (
            "随机一句引语，可限定演讲、章节或讲者",
            "隨機一句引語，可限定演講、章節或講者",
        ),
        &[
            (
                "topic",
                ("章节", "章節"),
                ("只从这一节抽取（可选）", "只從這一節抽取（可選）"),
            ),
            TALK,
            (
                "speaker",
                ("讲者", "講者"),
                ("只抽这位讲者的话（可选）", "只抽這位講者的話（可選）"),
            ),
        ],
    ),
    (
        "search",
        ("搜索", "搜尋"),
        ("搜索讲过的内容", "搜尋講過的內容"),
        &[("query", ("关键词", "關鍵詞"), ("要找的词句", "要找的詞句"))],
    ),
    (
        "about",
        ("关于", "關於"),
        ("lectern 提供什么、怎么用", "lectern 提供什麼、怎麼用"),
        &[],
    ),
    (
        "reload",
        ("重新加载", "重新載入"),
        ("重新加载内容（仅管理员）", "重新載入內容（僅管理員）"),
        &[(
            "force",
            ("强制", "強制"),
            (
                "即使有文件失败，也换上已加载的内容",
                "即使有檔案失敗，也換上已載入的內容",
            ),
        )],
    ),
];

fn pair(p: Pair) -> HashMap<String, String> {
    HashMap::from([
        ("zh-CN".to_string(), p.0.to_string()),
        ("zh-TW".to_string(), p.1.to_string()),
    ])
}

/// Adds the Chinese names and descriptions to commands and their options.
pub fn localize<U, E>(commands: &mut [poise::Command<U, E>]) {
    for command in commands {
        let Some((_, name, description, options)) = TABLE.iter().find(|(n, ..)| *n == command.name)
        else {
            continue;
        };
        command.name_localizations = pair(*name);
        command.description_localizations = pair(*description);
        for param in &mut command.parameters {
            if let Some((_, name, description)) = options.iter().find(|(n, ..)| *n == param.name) {
                param.name_localizations = pair(*name);
                param.description_localizations = pair(*description);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lectern_core::text::char_len;

    #[test]
    fn every_command_and_option_has_both_chinese_locales() {
        let mut commands: Vec<poise::Command<(), ()>> =
            crate::commands::all().into_iter().map(|(_, c)| c).collect();
        localize(&mut commands);
        for c in &commands {
            let ok = |m: &HashMap<String, String>, max: usize| {
                ["zh-CN", "zh-TW"]
                    .iter()
                    .all(|l| m.get(*l).is_some_and(|s| (1..=max).contains(&char_len(s))))
            };
            assert!(ok(&c.name_localizations, 32), "{} name", c.name);
            assert!(
                ok(&c.description_localizations, 100),
                "{} description",
                c.name
            );
            for p in &c.parameters {
                assert!(ok(&p.name_localizations, 32), "{} {}", c.name, p.name);
                assert!(
                    ok(&p.description_localizations, 100),
                    "{} {}",
                    c.name,
                    p.name
                );
            }
        }
    }
}
