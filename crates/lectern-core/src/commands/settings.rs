//! `/settings`: a server's own settings, for members who may manage it. Like `/reload`, its
//! work belongs to the service that keeps state (the Discord adapter, over `lectern-state`);
//! this is what the command offers, how its options are read, and how the current values and
//! its refusals read in each language.
//!
//! Every option is optional; `/settings` alone shows the current values. `reset:True` deletes
//! the server's rows. A change is applied whole or not at all: one option that does not read
//! (an unknown language, a time that is not `HH:MM`, a zone the embedded database lacks) is
//! the whole answer.

use super::{Opt, OptKind, Options, Spec, nonempty, shown};
use crate::i18n::Lang;
use crate::reply::{Field, Reply};
use crate::text::truncate_chars;

const fn text(
    name: &'static str,
    name_zh: (&'static str, &'static str),
    description: &'static str,
    description_zh: (&'static str, &'static str),
) -> Opt {
    Opt {
        name,
        name_zh,
        description,
        description_zh,
        kind: OptKind::Text,
        required: false,
        autocomplete: false,
    }
}

const fn flag(
    name: &'static str,
    name_zh: (&'static str, &'static str),
    description: &'static str,
    description_zh: (&'static str, &'static str),
) -> Opt {
    Opt {
        kind: OptKind::Flag,
        ..text(name, name_zh, description, description_zh)
    }
}

pub(crate) const SPEC: Spec = Spec {
    name: "settings",
    name_zh: ("设置", "設定"),
    description: "This server's settings: language, talks, quote of the day (Manage Server)",
    description_zh: (
        "本服务器的设置：语言、演讲、每日一句（需管理服务器权限）",
        "本伺服器的設定：語言、演講、每日一句（需管理伺服器權限）",
    ),
    options: &[
        text(
            "language",
            ("语言", "語言"),
            "Language of public replies: en, zh-CN, zh-TW, zh-HK, or user (each user's)",
            (
                "公开回复的语言：en、zh-CN、zh-TW、zh-HK，或 user（按各人）",
                "公開回覆的語言：en、zh-CN、zh-TW、zh-HK，或 user（依各人）",
            ),
        ),
        text(
            "talks",
            ("演讲", "演講"),
            "Which talks this server sees: all, tag:NAME, or talks separated by ;",
            (
                "本服务器能看到哪些演讲：all、tag:标签，或用 ; 分隔的演讲",
                "本伺服器能看到哪些演講：all、tag:標籤，或用 ; 分隔的演講",
            ),
        ),
        flag(
            "private",
            ("私密", "私密"),
            "Answers only the asker sees, unless asked otherwise",
            ("默认只让提问者看到回复", "預設只讓提問者看到回覆"),
        ),
        text(
            "quote_time",
            ("每日一句时间", "每日一句時間"),
            "Post a quote of the day in this channel at HH:MM (off: stop)",
            (
                "每天 HH:MM 在本频道发一句（off：停止）",
                "每天 HH:MM 在本頻道發一句（off：停止）",
            ),
        ),
        text(
            "timezone",
            ("时区", "時區"),
            "The quote of the day's time zone, e.g. Europe/Berlin (default UTC)",
            (
                "每日一句的时区，例如 Asia/Shanghai（默认 UTC）",
                "每日一句的時區，例如 Asia/Taipei（預設 UTC）",
            ),
        ),
        flag(
            "announce",
            ("新演讲通知", "新演講通知"),
            "Announce new talks in this channel after a reload (False: stop)",
            (
                "重新加载后在本频道通知新演讲（False：停止）",
                "重新載入後在本頻道通知新演講（False：停止）",
            ),
        ),
        flag(
            "reset",
            ("重置", "重置"),
            "Delete every setting of this server",
            ("删除本服务器的所有设置", "刪除本伺服器的所有設定"),
        ),
    ],
    operators_only: false,
};

/// `/settings [language:] [talks:] [private:] [quote_time:] [timezone:] [announce:] [reset:]`,
/// as given (checked by the service that applies them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// `language:` as typed.
    pub language: Option<String>,
    /// `talks:` as typed.
    pub talks: Option<String>,
    /// `private:`.
    pub private: Option<bool>,
    /// `quote_time:` as typed (`HH:MM` or `off`).
    pub quote_time: Option<String>,
    /// `timezone:` as typed.
    pub timezone: Option<String>,
    /// `announce:`.
    pub announce: Option<bool>,
    /// `reset:`.
    pub reset: bool,
}

impl Settings {
    pub(crate) fn read(options: &dyn Options) -> Settings {
        let text = |name| nonempty(options.text(name).as_deref()).map(str::to_string);
        Settings {
            language: text("language"),
            talks: text("talks"),
            private: options.flag("private"),
            quote_time: text("quote_time"),
            timezone: text("timezone"),
            announce: options.flag("announce"),
            reset: options.flag("reset").unwrap_or(false),
        }
    }

    /// Whether it changes nothing (it only shows the values).
    pub fn is_show(&self) -> bool {
        *self
            == Settings {
                reset: false,
                ..Settings::default()
            }
    }
}

/// The language `language:` names: `Some(None)` for `user` (each user's own), `None` when it
/// names none lectern speaks.
pub fn read_language(text: &str) -> Option<Option<&'static str>> {
    match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "user" | "users" | "default" => Some(None),
        "en" | "en-us" | "en-gb" | "english" => Some(Some("en-US")),
        "zh" | "zh-cn" | "zh-hans" => Some(Some("zh-CN")),
        "zh-tw" | "zh-hant" => Some(Some("zh-TW")),
        "zh-hk" | "zh-mo" => Some(Some("zh-HK")),
        _ => None,
    }
}

/// Which talks `talks:` names, before they are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TalksOption {
    /// `all`.
    All,
    /// `tag:NAME`.
    Tag(String),
    /// Talks, by what was typed for each.
    Talks(Vec<String>),
}

/// Reads `talks:`.
pub fn read_talks(text: &str) -> TalksOption {
    let t = text.trim();
    if t.eq_ignore_ascii_case("all") {
        return TalksOption::All;
    }
    if let Some(tag) = t.strip_prefix("tag:").or_else(|| t.strip_prefix("tag=")) {
        return TalksOption::Tag(tag.trim().to_string());
    }
    TalksOption::Talks(
        t.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// What `/settings` shows: the server's current values, ready to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// The language of public replies (a locale), `None`: each user's.
    pub language: Option<String>,
    /// The talks it sees, described (`None`: all).
    pub talks: Option<TalksView>,
    /// Private by default.
    pub private: bool,
    /// The quote of the day: channel id, `HH:MM`, zone.
    pub quote: Option<(u64, String, String)>,
    /// Paused after failures in a row.
    pub paused: bool,
    /// Why the last quote of the day failed, if it did.
    pub last_error: Option<String>,
    /// The channel of new-talk announcements.
    pub announce: Option<u64>,
}

/// The talks a server sees, as `/settings` names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TalksView {
    /// The talks with this tag.
    Tag(String),
    /// These talks' titles.
    Talks(Vec<String>),
}

/// A string of `/settings` in the four languages: English, Simplified, Taiwan, Hong Kong.
struct Text(&'static str, &'static str, &'static str);

impl Text {
    fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.0,
            Lang::Zh => self.1,
            Lang::ZhTw | Lang::ZhHk => self.2,
        }
    }
}

const TITLE: Text = Text(
    "Settings of this server",
    "本服务器的设置",
    "本伺服器的設定",
);
const LANGUAGE: Text = Text(
    "Language of public replies",
    "公开回复的语言",
    "公開回覆的語言",
);
const EACH_USERS: Text = Text("each user's own", "按各人的语言", "依各人的語言");
const TALKS: Text = Text("Talks", "演讲", "演講");
const ALL: Text = Text("all", "全部", "全部");
const TAGGED: Text = Text("tagged", "标签", "標籤");
const PRIVATE: Text = Text("Private by default", "默认私密", "預設私密");
const YES: Text = Text("yes", "是", "是");
const NO: Text = Text("no", "否", "否");
const QUOTE: Text = Text("Quote of the day", "每日一句", "每日一句");
const OFF: Text = Text("off", "关闭", "關閉");
const PAUSED: Text = Text(
    "PAUSED after 3 failures in a row; set quote_time again to resume. Last failure",
    "连续失败 3 次，已暂停；重新设置 quote_time 即可恢复。上次失败原因",
    "連續失敗 3 次，已暫停；重新設定 quote_time 即可恢復。上次失敗原因",
);
const FAILED: Text = Text(
    "The last quote of the day could not be posted",
    "上一次每日一句未能发出",
    "上一次每日一句未能發出",
);
const ANNOUNCE: Text = Text("New-talk announcements", "新演讲通知", "新演講通知");
const SAVED: Text = Text("Saved.", "已保存。", "已儲存。");

/// `/settings`'s answer: the current values (after a change, `changed`), ephemeral.
pub fn view(v: &View, changed: bool, lang: Lang) -> Reply {
    let channel = |c: u64| format!("<#{c}>");
    let talks = match &v.talks {
        None => ALL.get(lang).to_string(),
        Some(TalksView::Tag(t)) => format!("{} {}", TAGGED.get(lang), shown(t)),
        Some(TalksView::Talks(titles)) => truncate_chars(
            &titles
                .iter()
                .map(|t| shown(t))
                .collect::<Vec<_>>()
                .join("; "),
            1000,
        ),
    };
    let quote = match &v.quote {
        None => OFF.get(lang).to_string(),
        Some((c, time, zone)) => format!("{} · {time} · {}", channel(*c), shown(zone)),
    };
    let mut fields = vec![
        field(
            LANGUAGE.get(lang),
            v.language.as_deref().unwrap_or(EACH_USERS.get(lang)),
        ),
        field(TALKS.get(lang), &talks),
        field(
            PRIVATE.get(lang),
            if v.private {
                YES.get(lang)
            } else {
                NO.get(lang)
            },
        ),
        field(QUOTE.get(lang), &quote),
        field(
            ANNOUNCE.get(lang),
            &v.announce
                .map_or_else(|| OFF.get(lang).to_string(), channel),
        ),
    ];
    if let Some(e) = &v.last_error {
        let name = if v.paused {
            PAUSED.get(lang)
        } else {
            FAILED.get(lang)
        };
        fields.push(field(name, &shown(e)));
    }
    Reply {
        title: Some(TITLE.get(lang).to_string()),
        description: if changed {
            SAVED.get(lang).to_string()
        } else {
            String::new()
        },
        fields,
        ephemeral: true,
        ..Reply::default()
    }
}

fn field(name: &str, value: &str) -> Field {
    Field {
        name: name.to_string(),
        value: truncate_chars(value, crate::budget::DISCORD.field_value),
        inline: false,
    }
}

/// Why `/settings` did nothing, in the asker's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The asker may not manage this server.
    NotManager,
    /// Outside a server (a direct message).
    NotInServer,
    /// The database is not there (missing, corrupt, or turned off).
    Unavailable,
    /// `language:` names no language lectern speaks.
    Language(String),
    /// `quote_time:` is neither `HH:MM` nor `off`.
    Time(String),
    /// `timezone:` is not in the embedded time-zone database.
    Zone(String),
    /// `talks:` names a tag no talk has.
    Tag(String),
    /// `talks:` names a talk the library does not have.
    Talk(String),
}

/// The refusal's note.
pub fn refusal(r: &Refusal, lang: Lang) -> Reply {
    let t = |e: &'static str, s: &'static str, tw: &'static str| Text(e, s, tw).get(lang);
    let text = match r {
        Refusal::NotManager => t(
            "Only members who may manage this server can change its settings.",
            "只有可以管理本服务器的成员才能更改设置。",
            "只有可以管理本伺服器的成員才能變更設定。",
        )
        .to_string(),
        Refusal::NotInServer => t(
            "Settings belong to a server: use /settings there.",
            "设置属于服务器：请在服务器中使用 /settings。",
            "設定屬於伺服器：請在伺服器中使用 /settings。",
        )
        .to_string(),
        Refusal::Unavailable => t(
            "Settings are unavailable: lectern has no database right now (the operators' log says why). Content is still served.",
            "设置暂不可用：lectern 目前没有数据库（原因见运维日志）。内容照常提供。",
            "設定暫不可用：lectern 目前沒有資料庫（原因見維運日誌）。內容照常提供。",
        )
        .to_string(),
        Refusal::Language(s) => format!(
            "{} {}",
            t("No such language:", "没有这种语言：", "沒有這種語言："),
            shown(s)
        ) + t(" (en, zh-CN, zh-TW, zh-HK, user)", "（en、zh-CN、zh-TW、zh-HK、user）", "（en、zh-CN、zh-TW、zh-HK、user）"),
        Refusal::Time(s) => format!(
            "{} {}",
            t("Not a time of day (HH:MM, or off):", "不是时间（HH:MM 或 off）：", "不是時間（HH:MM 或 off）："),
            shown(s)
        ),
        Refusal::Zone(s) => format!(
            "{} {}",
            t("No such time zone (e.g. Europe/Berlin):", "没有这个时区（例如 Asia/Shanghai）：", "沒有這個時區（例如 Asia/Taipei）："),
            shown(s)
        ),
        Refusal::Tag(s) => format!(
            "{} {}",
            t("No talk has the tag", "没有演讲带有标签", "沒有演講帶有標籤"),
            shown(s)
        ),
        Refusal::Talk(s) => format!(
            "{} {}",
            t("No such talk:", "没有这个演讲：", "沒有這個演講："),
            shown(s)
        ),
    };
    Reply::notice(&text)
}

/// The quote of the day as posted: the quote's reply, titled, without buttons (no one
/// invoked it, so no one could press them).
pub fn quote_of_the_day(mut quote: Reply, lang: Lang) -> Reply {
    const T: Text = Text("Quote of the day", "每日一句", "每日一句");
    let title = match quote.title.take() {
        Some(t) => format!("{} · {t}", T.get(lang)),
        None => T.get(lang).to_string(),
    };
    quote.title = Some(truncate_chars(&title, crate::budget::DISCORD.title));
    quote.components.clear();
    quote.ephemeral = false;
    quote
}

/// The announcement of new talks (their titles), posted where a server asked for it.
pub fn new_talks(titles: &[String], lang: Lang) -> Reply {
    const T: Text = Text("New talks", "新演讲", "新演講");
    const HOW: Text = Text(
        "Open one with /topics.",
        "用 /topics 打开。",
        "用 /topics 開啟。",
    );
    let list: Vec<String> = titles.iter().map(|t| format!("• {}", shown(t))).collect();
    Reply {
        title: Some(T.get(lang).to_string()),
        description: truncate_chars(
            &format!("{}\n\n{}", list.join("\n"), HOW.get(lang)),
            crate::budget::DISCORD.description,
        ),
        ..Reply::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_as_typed_and_languages_and_talks_parse() {
        assert_eq!(read_language("zh_cn"), Some(Some("zh-CN")));
        assert_eq!(read_language("user"), Some(None));
        assert_eq!(read_language("klingon"), None);
        assert_eq!(read_talks(" ALL "), TalksOption::All);
        assert_eq!(read_talks("tag: ai"), TalksOption::Tag("ai".into()));
        assert_eq!(
            read_talks("a; b ;;"),
            TalksOption::Talks(vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn the_view_is_within_discords_limits_in_every_language() {
        let v = View {
            language: Some("zh-CN".into()),
            talks: Some(TalksView::Talks(vec!["x".repeat(500); 10])),
            private: true,
            quote: Some((1, "09:00".into(), "Asia/Shanghai".into())),
            paused: true,
            last_error: Some("missing permission".into()),
            announce: Some(2),
        };
        for lang in [Lang::En, Lang::Zh, Lang::ZhTw, Lang::ZhHk] {
            let r = view(&v, true, lang);
            assert!(
                r.limit_violations().is_empty(),
                "{:?}",
                r.limit_violations()
            );
            assert!(r.ephemeral);
        }
        assert!(
            view(&v, false, Lang::En)
                .fields
                .iter()
                .any(|f| f.name.starts_with("PAUSED"))
        );
    }
}
