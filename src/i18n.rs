//! The words of the interface, in English and Simplified Chinese.
//!
//! Content is shown as written; only the interface around it is translated. The language comes
//! from the Discord interaction's locale (`zh-CN` and `zh-TW` get Chinese) or the CLI's `--lang`.

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Every language of the interface.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// `zh`, `zh-CN`, `zh-TW` and the like get Chinese; everything else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Picks the English or the Chinese text.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// Every string of the interface. A string that takes values has a helper that fills them in
/// (`Msg::more_talks`, `Msg::unknown_topic`, `Msg::no_close_match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Topics,
    NoTalks,
    OpenSection,
    PrevSection,
    NextSection,
    PrevPage,
    NextPage,
    Page,
    AnotherQuote,
    NoQuotes,
    SearchTitle,
    NoCloseMatch,
    DidYouMean,
    EmptyQuery,
    UnknownTopic,
    TryTopics,
    NoText,
    Gone,
    AboutTitle,
    AboutIntro,
    Usage,
    Source,
    Talks,
    Sections,
    Quotes,
    Version,
    NotYours,
    InternalError,
    NotAdmin,
    Summary,
    KeyPoints,
    Risks,
    ReloadTitle,
    Reloaded,
    ReloadForced,
    ReloadKeptOld,
    ReloadFailed,
    TalksAdded,
    TalksRemoved,
    SectionsAdded,
    SectionsRemoved,
    SectionsChanged,
    Problems,
    Opening,
    OldButton,
    Related,
}

impl Msg {
    pub fn get(self, lang: Lang) -> &'static str {
        use Msg::*;
        let (en, zh) = match self {
            Topics => ("Topics", "话题"),
            NoTalks => ("No talks are loaded.", "还没有加载任何演讲。"),
            OpenSection => ("Open a section…", "打开一节…"),
            PrevSection => ("◀ Previous", "◀ 上一节"),
            NextSection => ("Next ▶", "下一节 ▶"),
            PrevPage => ("◁ Page", "◁ 上一页"),
            NextPage => ("Page ▷", "下一页 ▷"),
            Page => ("page", "页"),
            AnotherQuote => ("Another quote", "再来一句"),
            NoQuotes => ("No quotes here yet.", "这里还没有引语。"),
            SearchTitle => ("Search", "搜索"),
            NoCloseMatch => ("No close match for", "没有找到足够接近的结果："),
            DidYouMean => ("Did you mean", "你是不是想找"),
            EmptyQuery => ("Type something to search for.", "请输入要搜索的内容。"),
            UnknownTopic => ("No section matches", "没有匹配的章节："),
            TryTopics => ("Try /topics.", "试试 /topics。"),
            NoText => ("(This section has no text.)", "（本节没有正文。）"),
            Gone => (
                "That is no longer in the library (it was reloaded). Run the command again.",
                "内容已经更新，原来的条目不存在了。请重新运行命令。",
            ),
            AboutTitle => ("About lectern", "关于 lectern"),
            AboutIntro => (
                "lectern serves excerpts of talks: read a section, draw a quote, or search what was said, in Chinese or English.",
                "lectern 提供演讲内容的摘录：阅读章节、随机引语、搜索讲过的内容，中英文皆可。",
            ),
            Usage => (
                "`/topics` list · `/topic` open a section · `/quote` a random quote · `/search` find · `/about`",
                "`/topics` 目录 · `/topic` 打开一节 · `/quote` 随机引语 · `/search` 搜索 · `/about` 关于",
            ),
            Source => ("Source", "来源"),
            Talks => ("Talks", "演讲"),
            Sections => ("Sections", "章节"),
            Quotes => ("Quotes", "引语"),
            Version => ("Version", "版本"),
            NotYours => (
                "These buttons belong to the person who ran the command. Run it yourself to browse.",
                "这些按钮属于运行命令的人。请自己运行一次命令来浏览。",
            ),
            InternalError => (
                "Sorry, something went wrong on our side. Please try again.",
                "抱歉，出了点问题。请稍后再试。",
            ),
            NotAdmin => (
                "Only server admins can do that.",
                "只有服务器管理员可以这样做。",
            ),
            Summary => ("Summary", "一句话总结"),
            KeyPoints => ("Key points", "核心要点"),
            Risks => ("Risks", "风险"),
            ReloadTitle => ("Reload", "重新加载"),
            Reloaded => ("Reloaded.", "已重新加载。"),
            ReloadForced => (
                "Reloaded with problems (forced): what loaded is in service.",
                "已强制重新加载：有文件被跳过，已加载的内容已生效。",
            ),
            ReloadKeptOld => (
                "Not reloaded: some files failed, so the old content stays in service. Fix them, or use force:true.",
                "未重新加载：部分文件有问题，旧内容继续生效。请修正，或使用 force:true。",
            ),
            ReloadFailed => (
                "Not reloaded: nothing could be loaded, so the old content stays in service.",
                "未重新加载：没有加载到任何内容，旧内容继续生效。",
            ),
            TalksAdded => ("Talks added", "新增演讲"),
            TalksRemoved => ("Talks removed", "移除演讲"),
            SectionsAdded => ("Sections added", "新增章节"),
            SectionsRemoved => ("Sections removed", "移除章节"),
            SectionsChanged => ("Sections changed", "修改章节"),
            Problems => ("Problems", "问题"),
            // The title of a talk's section 0, in the talk's language (the parser's one word).
            Opening => ("Opening", "开场"),
            OldButton => (
                "This button is from an older version of lectern and is gone. Run the command again.",
                "这个按钮来自旧版本的 lectern，已经失效。请重新运行命令。",
            ),
            Related => ("Related topics", "关联主题"),
        };
        lang.pick(en, zh)
    }

    /// The last line of `/topics` when `n` talks did not fit.
    pub fn more_talks(n: usize, lang: Lang) -> String {
        match lang {
            Lang::En => format!("…and {n} more talks: use /search or /topic."),
            Lang::Zh => format!("……还有 {n} 个演讲，请使用 /search 或 /topic。"),
        }
    }

    /// No section matches `shown` (the user's words, already escaped).
    pub fn unknown_topic(shown: &str, lang: Lang) -> String {
        format!(
            "{} “{shown}”. {}",
            Msg::UnknownTopic.get(lang),
            Msg::TryTopics.get(lang)
        )
    }

    /// Nothing matches the query `shown` (already escaped) well.
    pub fn no_close_match(shown: &str, lang: Lang) -> String {
        format!("{} “{shown}”.", Msg::NoCloseMatch.get(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_locales_get_chinese() {
        assert_eq!(Lang::from_locale("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh-TW"), Lang::Zh);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("fr"), Lang::En);
        assert_eq!(Msg::NextSection.get(Lang::Zh), "下一节 ▶");
    }
}
