//! The words of the interface, in English and Chinese.
//!
//! The interface's Chinese is written once, in Simplified script. Readers of Traditional script
//! (`zh-TW`, `zh-HK`) get the whole reply, interface and content, converted by
//! [`Lang::in_script`] (OpenCC's tables, in `chinese.rs`, with Taiwan's phrases for `zh-TW`);
//! otherwise content is shown as written and only the interface around it is translated. The
//! language comes from the Discord interaction's locale or the CLI's `--lang`.

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English, for every locale that is not Chinese; the default.
    #[default]
    En,
    /// Chinese in Simplified script (`zh-CN`, `zh`).
    Zh,
    /// Chinese in Traditional script with Taiwan's vocabulary (`zh-TW`).
    ZhTw,
    /// Chinese in Traditional script as written in Hong Kong (`zh-HK`, `zh-MO`).
    ZhHk,
}

impl Lang {
    /// Every language of the interface.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Zh, Lang::ZhTw, Lang::ZhHk];

    /// `zh-TW` (and `zh-Hant`) get Taiwan's Traditional script, `zh-HK` and `zh-MO` Hong Kong's,
    /// any other `zh` Simplified; everything else English.
    pub fn from_locale(locale: &str) -> Lang {
        let l = locale.trim().to_ascii_lowercase().replace('_', "-");
        if !l.starts_with("zh") {
            Lang::En
        } else if l.starts_with("zh-tw") || l.starts_with("zh-hant") {
            Lang::ZhTw
        } else if l.starts_with("zh-hk") || l.starts_with("zh-mo") {
            Lang::ZhHk
        } else {
            Lang::Zh
        }
    }

    /// Picks the English or the Chinese text (Simplified; see [`Lang::in_script`]).
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh | Lang::ZhTw | Lang::ZhHk => zh,
        }
    }

    /// Whether this is Chinese, in either script.
    pub fn is_chinese(self) -> bool {
        self != Lang::En
    }

    /// `text` in this language's script: converted to Traditional for `zh-TW` (with Taiwan's
    /// phrases: 软件 → 軟體) and `zh-HK`, unchanged otherwise. Text already in Traditional
    /// script stays as it is.
    pub fn in_script(self, text: &str) -> String {
        match self {
            Lang::ZhTw => crate::chinese::s2twp(text),
            Lang::ZhHk => crate::chinese::s2hk(text),
            Lang::En | Lang::Zh => text.to_string(),
        }
    }

    /// Whether [`Lang::in_script`] changes anything.
    pub fn converts_script(self) -> bool {
        matches!(self, Lang::ZhTw | Lang::ZhHk)
    }
}

/// Every string of the interface. A string that takes values has a helper that fills them in
/// (`Msg::n_sections`, `Msg::unknown`, `Msg::unknown_topic`, `Msg::no_close_match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// The title of the list of one talk's sections (`/topics`).
    Topics,
    /// The note of `/topics` when no talk is loaded.
    NoTalks,
    /// The placeholder of the menu that opens a section (`/topics`, `/search`).
    OpenSection,
    /// The button of a section that opens the section before it.
    PrevSection,
    /// The button of a section that opens the section after it.
    NextSection,
    /// The button that shows the previous page of a section or a list.
    PrevPage,
    /// The button that shows the next page of a section or a list.
    NextPage,
    /// The word before `n/m` in the footer of a section or a list with several pages.
    Page,
    /// The button under a quote that draws another from the same pool.
    AnotherQuote,
    /// The button under a quote that posts it as a card (an image).
    QuoteCard,
    /// The note of `/quote` when the pool it draws from is empty.
    NoQuotes,
    /// The title of `/search`'s answer, before the query.
    SearchTitle,
    /// The start of `/search`'s answer when nothing matches well (see [`Msg::no_close_match`]).
    NoCloseMatch,
    /// The line before the sections `/search` suggests after a miss.
    DidYouMean,
    /// The note of `/search` when the query is empty.
    EmptyQuery,
    /// The start of the note for a section name that matches nothing ([`Msg::unknown_topic`]).
    UnknownTopic,
    /// The hint that ends the notes for a name that matches nothing.
    TryTopics,
    /// The text shown for a section that has none of its own.
    NoText,
    /// The note for a picked value or a button whose target a reload removed.
    Gone,
    /// The title of `/about`.
    AboutTitle,
    /// The first paragraph of `/about`: what lectern serves.
    AboutIntro,
    /// The line of `/about` that lists the commands.
    Usage,
    /// The label of a talk's source in `/about`, when it is text rather than a link.
    Source,
    /// The word for talks: a field of `/about`, the list of talks, the `/reload` counts.
    Talks,
    /// The word for sections: a field of `/about`, the list of sections, the `/reload` counts.
    Sections,
    /// The word for quotes: a field of `/about`, the `/reload` counts.
    Quotes,
    /// The field of `/about` that names lectern's version.
    Version,
    /// The note for someone who presses the buttons of another person's reply.
    NotYours,
    /// The apology shown when something fails inside lectern.
    InternalError,
    /// The headline of `/reload` when the load is in service and nothing changed.
    NothingChanged,
    /// The label of a `/search` hit in a talk's one-line summary.
    Summary,
    /// The field of a talk's key points in `/about`, and the label of a hit in them.
    KeyPoints,
    /// The field of a talk's risks in `/about`, and the label of a hit in them.
    Risks,
    /// The title of `/reload`'s report.
    ReloadTitle,
    /// `/reload` refused by the host's own check (a plugin whose host decides who may).
    NotAllowedToReload,
    /// The headline of `/reload` when the new content is in service.
    Reloaded,
    /// The headline of `/reload` when files failed but `force` put what loaded in service.
    ReloadForced,
    /// The headline of `/reload` when files failed and the old content stays.
    ReloadKeptOld,
    /// The headline of `/reload` when nothing loaded and the old content stays.
    ReloadFailed,
    /// The list of talks a reload added, in `/reload`'s report.
    TalksAdded,
    /// The list of talks a reload removed, in `/reload`'s report.
    TalksRemoved,
    /// The list of sections a reload added, in `/reload`'s report.
    SectionsAdded,
    /// The list of sections a reload removed, in `/reload`'s report.
    SectionsRemoved,
    /// The list of sections whose content a reload changed, in `/reload`'s report.
    SectionsChanged,
    /// The list of the load's warnings, in `/reload`'s report.
    Problems,
    /// The title of section 0, made of a talk's introduction, in the talk's language.
    Opening,
    /// The note for a button of an older version of lectern, whose targets meant other sections.
    OldButton,
    /// The field of a talk's tags and related topics in `/about`.
    Related,
    /// The placeholder of the menu that opens a talk in the list of talks (`/topics`).
    OpenTalk,
    /// The link button to an answer's web page (`web.public_url`).
    OpenOnWeb,
    /// The start of the note for a `talk:` that matches no talk ([`Msg::unknown`]).
    UnknownTalk,
    /// The start of the note for a `speaker:` that matches no one ([`Msg::unknown`]).
    UnknownSpeaker,
    /// The start of the note for a `tag:` that matches no tag ([`Msg::unknown`]).
    UnknownTag,
    /// The button under a private answer that posts it to the channel.
    PostToChannel,
    /// The button under a public answer that deletes it.
    Delete,
    /// The note of a private answer given `for:` someone: it pinged nobody.
    PrivateForNote,
    /// The refusal for someone who presses the delete button of another person's answer.
    NotYoursToDelete,
    /// The note for a shared post whose private message had nothing left to copy.
    NothingToShare,
    /// The answer of the "Quote card" menu on a message that is not one of lectern's quotes.
    NotALecternQuote,
}

impl Msg {
    /// The string in `lang`: English, or Chinese in Simplified script (to be converted with
    /// [`Lang::in_script`] for Traditional readers).
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
            QuoteCard => ("Card", "卡片"),
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
            NothingChanged => (
                "Nothing changed: the seeds folder holds what is already in service.",
                "没有变化：种子文件夹里的内容与正在使用的相同。",
            ),
            Summary => ("Summary", "一句话总结"),
            KeyPoints => ("Key points", "核心要点"),
            Risks => ("Risks", "风险"),
            ReloadTitle => ("Reload", "重新加载"),
            NotAllowedToReload => (
                "You are not allowed to reload the talks here.",
                "你没有在这里重新加载演讲内容的权限。",
            ),
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
            OpenTalk => ("Open a talk…", "打开一个演讲…"),
            OpenOnWeb => ("Open on the web", "在网页上打开"),
            UnknownTalk => ("No talk matches", "没有匹配的演讲："),
            UnknownSpeaker => ("No speaker matches", "没有匹配的讲者："),
            UnknownTag => ("No tag matches", "没有匹配的标签："),
            PostToChannel => ("Post to channel", "发到频道"),
            Delete => ("Delete", "删除"),
            PrivateForNote => (
                "Only you can see this, so nobody was mentioned. Post it to the channel, or run the command without private, to address it.",
                "这条回复只有你能看到，所以没有提及任何人。可以发到频道，或不加 private 再运行一次来指定对象。",
            ),
            NotYoursToDelete => (
                "Only the person who asked for or shared this answer, or someone who may manage messages here, can delete it.",
                "只有请求或分享这条回复的人，或在这里可以管理消息的成员，才能删除它。",
            ),
            NothingToShare => (
                "There is nothing left to post from this message.",
                "这条消息里没有可以发送的内容了。",
            ),
            NotALecternQuote => (
                "This message is not one of lectern's quotes: \"Quote card\" makes a card of a quote lectern posted (one with a Card button).",
                "这条消息不是 lectern 发出的引语：“引语卡片”只能用在 lectern 发出的引语上（带有“卡片”按钮的那种）。",
            ),
        };
        lang.pick(en, zh)
    }

    /// Nothing matches `shown` (the user's words, already escaped): `what` is
    /// [`Msg::UnknownTalk`], [`Msg::UnknownSpeaker`] or [`Msg::UnknownTag`].
    pub fn unknown(what: Msg, shown: &str, lang: Lang) -> String {
        format!("{} “{shown}”. {}", what.get(lang), Msg::TryTopics.get(lang))
    }

    /// `n` sections.
    pub fn n_sections(n: usize, lang: Lang) -> String {
        match (lang.is_chinese(), n) {
            (true, _) => format!("{n} 节"),
            (false, 1) => "1 section".to_string(),
            (false, _) => format!("{n} sections"),
        }
    }

    /// The last line of `/about` when `n` talks did not fit.
    pub fn more_talks(n: usize, lang: Lang) -> String {
        if lang.is_chinese() {
            format!("……还有 {n} 个演讲，请使用 /topics 或 /search。")
        } else {
            format!("…and {n} more talks: use /topics or /search.")
        }
    }

    /// The line above a shared post: who shared it, as a mention that pings no one (the
    /// message's `allowed_mentions` lists nobody).
    pub fn shared_by(mention: &str, lang: Lang) -> String {
        if lang.is_chinese() {
            format!("{mention} 分享了这条回复")
        } else {
            format!("Shared by {mention}")
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

    /// Why someone may not reload, and who may: the owner always, and whoever the host listed.
    pub fn not_operator(users_listed: bool, guilds_listed: bool, lang: Lang) -> String {
        let (head, owner, users, guilds) = match lang {
            Lang::En => (
                "Only lectern's operators can reload the talks, since every server shares them: ",
                "the bot's owner or team",
                "the users its host named",
                "members who manage the host's own servers",
            ),
            Lang::Zh | Lang::ZhTw | Lang::ZhHk => (
                "演讲内容由所有服务器共享，只有 lectern 的运营者可以重新加载：",
                "机器人的所有者或团队",
                "托管者指定的用户",
                "托管者自己服务器的管理成员",
            ),
        };
        let mut who = vec![owner];
        if users_listed {
            who.push(users);
        }
        if guilds_listed {
            who.push(guilds);
        }
        let end = lang.pick(".", "。");
        let sep = lang.pick(", ", "、");
        format!("{head}{}{end}", who.join(sep))
    }

    /// Flood control: try again in `secs` seconds.
    pub fn slow_down(secs: u64, lang: Lang) -> String {
        match lang {
            Lang::En => format!("You are going a bit fast. Try again in {secs} s."),
            Lang::Zh | Lang::ZhTw | Lang::ZhHk => format!("操作有点太快了，请 {secs} 秒后再试。"),
        }
    }

    /// `/reload` asked again within `reload.min_interval_secs`.
    pub fn reload_too_soon(secs: u64, lang: Lang) -> String {
        match lang {
            Lang::En => format!("A reload just ran. Try again in {secs} s."),
            Lang::Zh | Lang::ZhTw | Lang::ZhHk => format!("刚刚重新加载过，请 {secs} 秒后再试。"),
        }
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
    fn chinese_locales_get_chinese_in_their_script() {
        assert_eq!(Lang::from_locale("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh-TW"), Lang::ZhTw);
        assert_eq!(Lang::from_locale("zh_Hant"), Lang::ZhTw);
        assert_eq!(Lang::from_locale("zh-HK"), Lang::ZhHk);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("fr"), Lang::En);
        assert_eq!(Msg::NextSection.get(Lang::Zh), "下一节 ▶");
        // Interface strings are written once, in Simplified script, and converted on the way out.
        assert_eq!(Msg::NextSection.get(Lang::ZhTw), "下一节 ▶");
        assert_eq!(Lang::ZhTw.in_script("下一节 ▶"), "下一節 ▶");
    }
}
