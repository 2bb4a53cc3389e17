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

/// Every fixed string of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Topics,
    SectionsCount,
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
}

impl Msg {
    pub fn get(self, lang: Lang) -> &'static str {
        use Msg::*;
        let (en, zh) = match self {
            Topics => ("Topics", "话题"),
            SectionsCount => ("sections", "节"),
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
        };
        lang.pick(en, zh)
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
