//! Who speaks in a talk: the roster, built before any quote is read.
//!
//! A write-up names its people in many places: the metadata (`speaker`, `guests`, `主持人`,
//! `讨论嘉宾` …), the author when the write-up says the talk is theirs, the title (`"Title" by
//! Jane Roe, Acme`, `对话林静：…`, `Title -- Name`), a line under the title, the first mention
//! that defines initials or a short name (`王磊（WL）`, `**Qiir** 表示的是前海`), and the labels
//! of its turns (`**林静**：`, `**Matt Klein**:`). The parser gathers all of them into one
//! [`Roster`] first; then every attribution the quote finder reads (`Klein 说`, `WL：`, `he
//! said`) is resolved against it and the role words (host, audience, Q/A). A candidate that is
//! neither a person of the roster nor a role is never a speaker: clause fragments (`也就是`,
//! `你可以`) stay the writer's words.
//!
//! Names are compared folded (case and spacing ignored). A person is found by a name or alias,
//! by one word of a Latin name (`Klein` for `Matt Klein`, when only one person has it), by a
//! Chinese name inside the candidate or the candidate inside it (`苏林老师`, `Robert教授`), or by
//! initials (`MK` for `Melody Kramer`, when only one person has them).

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::render::PlainText;

/// What a person does in the talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Gives the talk, or is interviewed: the main speaker is the first of them.
    Speaker,
    /// Asks the questions, moderates, hosts.
    Host,
}

/// One person of the roster.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Person {
    pub name: String,
    pub role: Role,
    /// Other forms the write-up uses: initials, a short name, the label as written.
    pub aliases: Vec<String>,
}

/// The people of one talk, in the order the write-up names them (the main speaker first).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Roster {
    people: Vec<Person>,
}

/// A candidate name folded for comparison.
fn fold(s: &str) -> String {
    // One buffer for the joined words; an ASCII one is lower-cased where it stands.
    let mut joined = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(w);
    }
    if joined.is_ascii() {
        joined.make_ascii_lowercase();
        joined
    } else {
        joined.to_lowercase()
    }
}

pub(super) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 || !words.iter().all(|w| w.chars().all(char::is_alphabetic)) {
        return None;
    }
    Some(
        words
            .iter()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect(),
    )
}

impl Roster {
    pub(super) fn people(&self) -> &[Person] {
        &self.people
    }

    /// Adds a person, or gives an existing one (found by name) the role `Speaker` when a
    /// speaker line names them; the name is cleaned first ([`clean_name`]). Returns the person's
    /// index, or `None` when the text is no name.
    pub(super) fn add(&mut self, raw: &str, role: Role) -> Option<usize> {
        let (name, alias) = clean_name(raw)?;
        let i = match self.find_exact(&name) {
            Some(i) => i,
            None => {
                self.people.push(Person {
                    name,
                    role,
                    aliases: Vec::new(),
                });
                self.people.len() - 1
            }
        };
        if let Some(a) = alias {
            self.alias(i, &a);
        }
        Some(i)
    }

    /// Another form of person `i`'s name.
    pub(super) fn alias(&mut self, i: usize, alias: &str) {
        let alias = alias.trim();
        let p = &mut self.people[i];
        if alias.is_empty()
            || fold(alias) == fold(&p.name)
            || p.aliases.iter().any(|a| fold(a) == fold(alias))
        {
            return;
        }
        p.aliases.push(alias.to_string());
    }

    fn find_exact(&self, name: &str) -> Option<usize> {
        let f = fold(name);
        self.people
            .iter()
            .position(|p| fold(&p.name) == f || p.aliases.iter().any(|a| fold(a) == f))
    }

    /// The person a candidate names (see the module header), or `None`.
    pub(super) fn find(&self, candidate: &str) -> Option<usize> {
        let c = candidate.trim().trim_start_matches('@').trim();
        if c.is_empty() {
            return None;
        }
        if let Some(i) = self.find_exact(c) {
            return Some(i);
        }
        let f = fold(c);
        let unique = |hits: Vec<usize>| match hits.as_slice() {
            [i] => Some(*i),
            _ => None,
        };
        // One word of a Latin name: `Klein`, `Okafor`, `Kate`.
        if c.chars().all(|ch| ch.is_alphabetic() && !is_han(ch)) {
            let hits = self
                .people
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    std::iter::once(&p.name)
                        .chain(&p.aliases)
                        .any(|n| fold(n).split([' ', '-']).any(|w| w == f))
                })
                .map(|(i, _)| i)
                .collect();
            if let Some(i) = unique(hits) {
                return Some(i);
            }
            if c.chars().all(|ch| ch.is_ascii_uppercase()) && (2..=4).contains(&c.len()) {
                let hits = self
                    .people
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| initials(&p.name).as_deref() == Some(c))
                    .map(|(i, _)| i)
                    .collect();
                return unique(hits);
            }
            return None;
        }
        // A Chinese name inside the candidate (`苏林老师`, `「开源之道」·适兕`), or the
        // candidate inside a name (`Robert` of `Robert教授`).
        let hits = self
            .people
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                std::iter::once(&p.name).chain(&p.aliases).any(|n| {
                    let n = fold(n);
                    let has_han = n.chars().any(is_han) || f.chars().any(is_han);
                    has_han
                        && n.chars().count() >= 2
                        && f.chars().count() >= 2
                        && (f.contains(&n) || n.contains(&f))
                })
            })
            .map(|(i, _)| i)
            .collect();
        unique(hits)
    }

    pub(super) fn name(&self, i: usize) -> &str {
        &self.people[i].name
    }

    /// The main speaker: the first speaker, else the first person.
    pub(super) fn main(&self) -> Option<&str> {
        self.people
            .iter()
            .find(|p| p.role == Role::Speaker)
            .or(self.people.first())
            .map(|p| p.name.as_str())
    }

    /// The host: the first person with that role.
    pub(super) fn host(&self) -> Option<&str> {
        self.people
            .iter()
            .find(|p| p.role == Role::Host)
            .map(|p| p.name.as_str())
    }

    /// The talk's speakers for `Meta::speakers`: the speakers, then the hosts.
    pub(super) fn names(&self) -> Vec<String> {
        let speakers = self.people.iter().filter(|p| p.role == Role::Speaker);
        let hosts = self.people.iter().filter(|p| p.role == Role::Host);
        speakers.chain(hosts).map(|p| p.name.clone()).collect()
    }
}

/// Nouns that end a description of people (`字节跳动 CloudWeGo 技术专家罗广明、杨芮`): the
/// description is how the write-up names them together, the names follow it.
pub(super) const GROUP_NOUNS: &[&str] = &[
    "专家",
    "工程师",
    "负责人",
    "创始人",
    "架构师",
    "总监",
    "研究员",
];

/// Whether a giver is a description of people (`字节跳动 CloudWeGo 技术专家`), not a name.
fn is_group(giver: &str) -> bool {
    GROUP_NOUNS.iter().any(|n| giver.ends_with(n)) && giver.chars().count() > 4
}

/// Words for a questioner from the floor; the quote keeps the word as written.
pub(super) const AUDIENCE: &[&str] = &[
    "观众",
    "听众",
    "提问者",
    "现场观众",
    "学生",
    "学生提问",
    "audience",
    "attendee",
    "questioner",
    "student",
];
pub(super) const HOSTS: &[&str] = &[
    "主持人",
    "主持",
    "主播",
    "采访者",
    "host",
    "moderator",
    "interviewer",
];

/// Whether a label or subject is a role rather than a name: the host's, the audience's, or
/// `Q`/`A` (`问`/`答`).
pub(super) fn is_role_word(label: &str) -> bool {
    let lower = label.trim().to_lowercase();
    HOSTS.contains(&lower.as_str())
        || AUDIENCE.contains(&lower.as_str())
        || matches!(lower.as_str(), "q" | "a" | "问" | "答" | "回答" | "问题")
}

/// Honorifics and titles after a Chinese name (`苏林老师`, `Robert教授`): the name is the part
/// before them, the whole is an alias.
const HONORIFICS: &[&str] = &["老师", "教授", "先生", "女士", "博士", "同学", "总"];

/// A name as a roster keeps it, and the text as written when that differs: links and HTML
/// removed (`[Jane Roe](url)`, `<a …>Felix021</a>`), an affiliation after a comma or in
/// parentheses dropped (`Jane Roe, Acme`, `敖小剑（蚂蚁金服）`), a nickname in quotation marks
/// dropped (`“红胡子”Brian Harrington`), a handle's `@` removed, an honorific cut off.
/// `None` when what is left is no name ([`is_name`]).
pub(super) fn clean_name(raw: &str) -> Option<(String, Option<String>)> {
    let written = strip_markup(raw);
    let written = written
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace())
        .trim_end_matches([':', '：'])
        .trim();
    let mut name = written.to_string();
    let mut nickname = None;
    // A nickname in parentheses inside the name: `Yukihiro (Matz) Matsumoto`.
    if let (Some(open), Some(close)) = (name.find('('), name.find(')')) {
        let after = name[close + 1..].trim();
        if open < close && !after.is_empty() && is_name(after) {
            nickname = Some(name[open + 1..close].trim().to_string());
            name = format!("{} {after}", name[..open].trim());
        }
    }
    // Initials the first mention defines: `王磊（WL）`, `Jane Roe (JR)`.
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let (Some(a), Some(b)) = (name.find(open), name.rfind(close)) {
            let Some(inner) = name.get(a + open.len_utf8()..b).map(str::trim) else {
                continue;
            };
            if a > 0
                && (1..=4).contains(&inner.len())
                && inner.chars().all(|c| c.is_ascii_uppercase())
            {
                nickname = Some(inner.to_string());
            }
        }
    }
    // An affiliation: `Jane Roe, Acme`, `Jane Roe (Acme)`, `敖小剑（蚂蚁金服）`, `Name - Role`.
    for sep in [",", "，", "(", "（", " - ", " – ", " — ", "|", "｜"] {
        if let Some(i) = name.find(sep)
            && i > 0
        {
            name.truncate(i);
        }
    }
    // A nickname in quotation marks before the name.
    for (open, close) in [('“', '”'), ('"', '"'), ('「', '」')] {
        if name.starts_with(open)
            && let Some(end) = name[open.len_utf8()..].find(close)
        {
            name = name[open.len_utf8() + end + close.len_utf8()..].to_string();
        }
    }
    // A series' prefix: `「开源之道」·适兕`.
    if let Some(i) = name.rfind('·') {
        let after = &name[i + '·'.len_utf8()..];
        if after.chars().count() >= 2 && name[..i].contains(['」', '』']) {
            name = after.to_string();
        }
    }
    let handle = name.trim().starts_with('@');
    let mut name = name
        .trim()
        .trim_start_matches(['@', '·'])
        .trim()
        .to_string();
    // `@最帅的物理课代表`: a handle is a name as it is.
    if handle
        && !name.is_empty()
        && name.chars().count() <= 20
        && !name.contains(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
    {
        let alias = (fold(&name) != fold(written)).then(|| written.to_string());
        return Some((name, alias));
    }
    for h in HONORIFICS {
        if let Some(stem) = name.strip_suffix(h)
            && stem.chars().count() >= 2
        {
            name = stem.trim().to_string();
        }
    }
    if !is_name(&name) {
        return None;
    }
    let alias = nickname.or_else(|| (fold(&name) != fold(written)).then(|| written.to_string()));
    Some((name, alias))
}

/// Markdown links keep their text, HTML tags are removed.
fn strip_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            rest = &rest[end + 1..];
            continue;
        }
        if c == ']'
            && rest[1..].starts_with('(')
            && let Some(end) = rest.find(')')
        {
            rest = &rest[end + 1..];
            continue;
        }
        if c != '[' {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Words that open a bold label like a name but are not one.
const NOT_NAMES: &[&str] = &[
    "note",
    "notes",
    "tip",
    "update",
    "summary",
    "warning",
    "edit",
    "slide",
    "slides",
    "video",
    "audio",
    "source",
    "link",
    "links",
    "q",
    "a",
    "qa",
    "q&a",
    "transcript",
    "agenda",
    "demo",
    "tl;dr",
    "abstract",
    "bio",
    "event",
    "here",
    "the",
    "this",
    "what",
    "why",
    "how",
    "and",
    "speaker",
    "speakers",
    "host",
    "guest",
    "moderator",
    "panel",
    "all",
];

/// Chinese words a label may hold that make it no name.
const NOT_NAME_PARTS: &[&str] = &[
    "问题",
    "回答",
    "题目",
    "内容",
    "主题",
    "地址",
    "回放",
    "视频",
    "链接",
    "时间",
    "地点",
    "注",
    // An organisation or a series, not a person (`InfiniteHistoryProject MIT`).
    "Project",
    "提示",
    "更新",
    "背景",
    "总结",
    "编者",
    "编注",
    "备注",
    "参考",
    "简介",
    "介绍",
    "议程",
    "会议",
    "提问",
    "观众",
    "主持",
    "嘉宾",
    "讲师",
    "演讲",
    "主讲",
    "本期",
    "文档",
    "来源",
    "作者",
    "整理",
    "翻译",
    "校对",
    "审校",
    "摘要",
    "要点",
    "结论",
    "说明",
    "官方",
    "社区",
    "我们",
    "大家",
    "什么",
    "如何",
    "为什么",
    "的",
    "编辑",
    "点评",
    "参见",
    "参会",
    "必读",
    "讨论",
    "预告",
    "公开课",
    "升级",
    "第",
    "访谈",
    "采访",
    "对话",
    "专访",
    "原文",
];

/// Last words of an organisation's name, which is no person (`U.S. Web Design System`).
const ORGANISATIONS: &[&str] = &[
    "system",
    "team",
    "university",
    "inc",
    "inc.",
    "foundation",
    "group",
    "lab",
    "labs",
    "community",
    "project",
    "conference",
    "summit",
    "meetup",
    "institute",
    "company",
    "corp",
    "society",
    "association",
    "council",
    "office",
    "department",
    "agency",
    "eu",
    "conf",
];

/// A person's name: up to four Latin words, each capitalised or all in capitals (`Mira
/// Okafor`, `TYLER YAHN`, `Yukihiro Matsumoto`) or one handle (`Nugine`, `huangjj`); or two to
/// four Chinese characters (a `·` allowed), possibly mixed with a Latin handle; never a word of
/// [`NOT_NAMES`] or holding a part of [`NOT_NAME_PARTS`], never with digits.
pub(super) fn is_name(s: &str) -> bool {
    let s = s.trim();
    // A handle with digits: `Felix021`.
    let handle = !s.contains(' ')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.chars().filter(char::is_ascii_alphabetic).count() >= 3
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if s.is_empty() || (s.chars().any(|c| c.is_ascii_digit()) && !handle) {
        return false;
    }
    let lower = s.to_lowercase();
    if NOT_NAMES.contains(&lower.as_str())
        || lower
            .split(' ')
            .next()
            .is_some_and(|w| NOT_NAMES.contains(&w))
        || NOT_NAME_PARTS.iter().any(|p| s.contains(p))
    {
        return false;
    }
    if handle {
        return true;
    }
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    let latin_word = |w: &&str| {
        w.chars()
            .all(|c| c.is_alphabetic() && !is_han(c) || matches!(c, '.' | '-' | '\'' | '’'))
            && w.chars().next().is_some_and(char::is_alphabetic)
    };
    if words.len() > 1
        && words
            .last()
            .is_some_and(|w| ORGANISATIONS.contains(&w.to_lowercase().as_str()))
    {
        return false;
    }
    if words.iter().all(latin_word) {
        let capitalised = words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        // A handle: one word, letters only (`huangjj`, `Nugine`).
        let handle = words.len() == 1 && words[0].chars().all(char::is_alphanumeric);
        return (1..=4).contains(&words.len()) && (capitalised || handle);
    }
    let han = s.chars().filter(|&c| is_han(c)).count();
    let other_ok = s
        .chars()
        .all(|c| is_han(c) || c == '·' || c.is_ascii_alphabetic() || c == ' ');
    other_ok && (2..=4).contains(&han) && s.chars().count() <= 12
}

/// What a paragraph comes after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum After {
    Title,
    Heading,
    Text,
}

/// A turn's label at the start of a paragraph: `**林静**：…`, `**Q:** …`, `Robert教授：…`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Label<'a> {
    /// The label as written, without its bold markers.
    pub text: &'a str,
    pub bold: bool,
    /// Byte offset in the paragraph where the turn's words start.
    pub words: usize,
}

/// The label a paragraph opens with, if it opens with one: a short run before a colon that is
/// no sentence (bold or not; the caller decides what a plain one may be).
pub(super) fn label_of(p: &PlainText) -> Option<Label<'_>> {
    let text = p.text.as_str();
    // A timestamp before a turn (`\[0:00:31.9\] **Safia Abdalla** I’m Safia.`) is skipped.
    let from = timestamp_end(text);
    let bold_at = |at: usize| {
        p.bold
            .iter()
            .find(|&&(bs, be)| bs == at && be > bs)
            .copied()
    };
    // After a timestamp, a bold name with no colon after it: `**Adam Garrett-Harris** text`.
    if let Some((bs, be)) = bold_at(from).filter(|_| from > 0) {
        let name = text[bs..be].trim();
        let after = text[be..].trim_start();
        if !after.starts_with([':', '：']) && !after.is_empty() && is_name(name) {
            let words = be + text[be..].len() - after.len();
            return Some(Label {
                text: name,
                bold: true,
                words,
            });
        }
    }
    // After a timestamp, a name whose bold markers the Markdown did not read as bold (a
    // space inside, `** Adam** text`, or a marker left in the stamp, `\[0:47:06.4**\] Jen**
    // text`): the same label.
    if from > 0 && bold_at(from).is_none() {
        let rest = &text[from..];
        let inner = rest.strip_prefix("**").unwrap_or(rest);
        if let Some(close) = inner.find("**").filter(|&c| c <= 40) {
            let name = inner[..close].trim();
            let after = inner[close + 2..].trim_start();
            if !after.is_empty() && !after.starts_with([':', '：']) && is_name(name) {
                return Some(Label {
                    text: name,
                    bold: true,
                    words: text.len() - after.len(),
                });
            }
        }
    }
    let colon = from + first_colon(&text[from..])?;
    if text[colon..].starts_with("://") {
        return None;
    }
    let raw = text[from..colon].trim();
    // Bold up to the colon, or up to a role in parentheses before it (`**适兕**（主持人）：`).
    let bold = bold_at(from).is_some_and(|(_, be)| {
        let between = text.get(be..colon).unwrap_or("").trim();
        be + 4 >= colon
            || between.starts_with(['（', '('])
                && between.ends_with(['）', ')'])
                && between.chars().count() <= 8
    });
    let label = raw.trim_matches('*').trim();
    // A nickname in quotation marks may open a label: `“红胡子”Brian Harrington：`.
    let checked = match label.strip_prefix(['“', '"']) {
        Some(rest) => rest.split_once(['”', '"']).map_or(label, |(_, name)| name),
        None => label,
    };
    if label.is_empty()
        || label.chars().count() > 24
        || checked.contains(|c: char| {
            matches!(
                c,
                '。' | '！' | '？' | '!' | '?' | '…' | '；' | ';' | '“' | '”' | '"' | '，' | ','
            )
        })
    {
        return None;
    }
    let start = colon + text[colon..].chars().next().map_or(1, char::len_utf8);
    let words = start + text[start..].len()
        - text[start..]
            .trim_start_matches(|c: char| c.is_whitespace() || c == '*')
            .len();
    Some(Label {
        text: label,
        bold,
        words,
    })
}

/// Where the first `:` or `：` of `text` stands, as `text.find([':', '：'])` says, with
/// `memchr`'s vector search for the two bytes that can start one (a label's colon is sought
/// in every paragraph, and most paragraphs have none).
fn first_colon(text: &str) -> Option<usize> {
    const WIDE: &[u8] = "：".as_bytes();
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b':', WIDE[0], bytes)
        .find(|&at| bytes[at] == b':' || bytes[at..].starts_with(WIDE))
}

/// Where a leading timestamp (`[0:00:14.3]`, `\[12:34\]`, `(12:34)`) and the spaces after it
/// end; 0 when the text opens with none.
fn timestamp_end(text: &str) -> usize {
    let Some(open) = text
        .chars()
        .next()
        .filter(|c| matches!(c, '[' | '(' | '【'))
    else {
        return 0;
    };
    let inner_start = open.len_utf8();
    let Some(close) = text.find([']', ')', '】']) else {
        return 0;
    };
    let inner = &text[inner_start..close];
    let stamp = !inner.is_empty()
        && inner.contains(':')
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '*'));
    if !stamp {
        return 0;
    }
    let end = close + text[close..].chars().next().map_or(1, char::len_utf8);
    end + text[end..].len() - text[end..].trim_start().len()
}

/// A label seen in the body, how often, and how often its words were a question.
#[derive(Debug, Clone, Default)]
struct Seen {
    label: String,
    /// Seen in a part that introduces the people: a person, whatever the form.
    introduced: bool,
    bold: usize,
    plain: usize,
    /// Of those, in list items.
    items: usize,
    questions: usize,
}

/// What the whole body says about who speaks, read before any quote is (the parser feeds it
/// every paragraph; [`Cast::roster`] then builds the roster with the metadata).
#[derive(Debug, Clone, Default)]
pub(super) struct Cast {
    labels: Vec<Seen>,
    /// Names the headings give (`## Title - Speaker`, `## 1. Niko：Title`), with the level;
    /// kept only where two headings or more of a level, and half of them, name someone (a
    /// layout, not a coincidence).
    heading_names: Vec<(u32, String)>,
    /// How many headings of each level there are (index: level).
    headings: [usize; 7],
    /// Speaker lines standing alone after a heading (`**Stuart Frisby (Booking.com)**`).
    lines: Vec<String>,
    /// Short names the text defines (`**Qiir** 表示的是前海，**适兕**就是…`).
    defined: Vec<String>,
    /// People named by metadata fields in the body (`**主讲人**：苏林`).
    fields: Vec<(String, Role)>,
    /// The speaker a source note names (`本文整理自罗广明在…的演讲分享`).
    source: Option<String>,
    /// The opening speaks to an audience in the first person (`今天的分享`, `my keynote`).
    speaks: bool,
    first_person: usize,
    third_person: usize,
    /// Questions standing alone in bold or labelled `Q:`: an interview whose answers carry no
    /// label.
    questions: usize,
    /// Headings that are questions (`## 1. What components did you use?`).
    question_headings: usize,
    /// The full names the opening mentions (the guest of such an interview among them).
    opening_names: Vec<String>,
    /// Every full Latin name the text mentions, in order.
    full_names: Vec<String>,
    /// Paragraphs of the opening that list three full names or more (`Robert Griesemer, Rob
    /// Pike, … took questions`).
    opening_lists: Vec<Vec<String>>,
    /// The subjects of English speech verbs (`Jacob says`, `Sugu Sougoumarane described`), as
    /// often as they occur.
    subjects: Vec<String>,
    /// The givers of a report's talks (see `parse/lineup.rs`).
    givers: Vec<String>,
    /// The opening says the writers present the talk (`In …, we cover …`), without the body
    /// being its words.
    presented: bool,
    /// The person who introduces themself in the first person (`My name is Dan Williams`).
    self_named: Option<String>,
    /// Givers that bold title lines lead with: a layout from two lines on.
    title_givers: Vec<String>,
    /// The body is the main speaker's own words (set by [`Cast::roster`]).
    pub monologue: bool,
    /// The paragraphs read now stand in a part that introduces the people (`本期人物`).
    in_people: bool,
}

/// Phrases of a talk given in the first person to an audience, in the opening of a write-up.
const SPEAKS: &[&str] = &[
    "今天的分享",
    "今天给大家",
    "给大家分享",
    "和大家分享",
    "和大家交流",
    "跟大家分享",
    "大家好",
    "我今天",
    "今天我",
    "my talk",
    "my keynote",
    "my opening keynote",
    "keynote i gave",
    "talk i gave",
    "text of my",
    "transcript of my",
    "thank you all for",
    "in this talk",
];

/// Phrases of writers presenting a talk or a recording of their own (`In Implementing HTTPS,
/// we cover …`): its writers are its speakers.
const PRESENTED: &[&str] = &[
    ", we cover",
    "we present ",
    "we walk through",
    "in our talk",
    "in our presentation",
    "in our webinar",
    "我们的分享",
    "我们的演讲",
];

/// Words a first-person talk uses outside quotations.
fn is_first_person(text: &str) -> bool {
    if text.contains('我') {
        return true;
    }
    // Each word below holds one of these letters: a text without them has none (most of a
    // Chinese talk), and is not split into words.
    if !text
        .bytes()
        .any(|b| matches!(b, b'I' | b'w' | b'W' | b'o' | b'O' | b'm' | b'M'))
    {
        return false;
    }
    text.split(|c: char| !c.is_alphabetic())
        .any(|w| matches!(w, "I" | "we" | "We" | "our" | "Our" | "my" | "My"))
}

/// The writer reporting what someone said: `他说`, `she said` (the English in any case).
fn is_reported(text: &str) -> bool {
    static REPORTING: LazyLock<AhoCorasick> = LazyLock::new(|| {
        // ASCII case folding leaves the Chinese phrases' bytes as they are.
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "他说",
                "她说",
                "他表示",
                "她表示",
                "他认为",
                "她认为",
                "他提到",
                "她提到",
                " he said",
                " she said",
                " he says",
                " she says",
                " he explained",
                " she explained",
            ])
            .expect("fixed phrases")
    });
    REPORTING.is_match(text)
}

/// The text outside quotation marks (the text itself when it has none).
fn outside_quotes(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '“', '”', '「', '」']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut inside = false;
    let mut corner = 0usize;
    for c in text.chars() {
        match c {
            '"' | '“' | '”' => inside = !inside,
            '「' => corner += 1,
            '」' => corner = corner.saturating_sub(1),
            _ if !inside && corner == 0 => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

impl Cast {
    /// Whether the body is a transcript: two labelled turns or more of people (not of a
    /// metadata field), or two questions standing alone in bold.
    pub(super) fn has_turns(&self) -> bool {
        let turns: usize = self
            .labels
            .iter()
            .filter(|s| s.bold > s.items || s.plain >= 2)
            .map(|s| s.bold + s.plain)
            .sum();
        turns >= 2 || self.questions >= 2
    }

    /// The givers a report names for its talks (see `parse/lineup.rs`).
    pub(super) fn givers(&mut self, names: Vec<String>) {
        self.givers.extend(names);
    }

    /// A giver a bold title line leads with (a layout from two such lines on).
    pub(super) fn title_giver(&mut self, name: String) {
        self.title_givers.push(name);
    }

    /// A section heading: the speaker it names, if any (`## Title - Speaker`, `## Niko：Title`).
    pub(super) fn heading(&mut self, level: u32, title: &str) {
        self.in_people = super::is_people_section(title);
        if title.trim_end().ends_with(['?', '？']) {
            self.question_headings += 1;
        }
        let level = level.min(6);
        self.headings[level as usize] += 1;
        self.heading_names
            .extend(heading_speakers(title).into_iter().map(|n| (level, n)));
    }

    /// The names of the headings, where a level of headings names speakers.
    fn heading_speakers(&self) -> Vec<String> {
        let mut out = Vec::new();
        for level in 1..=6u32 {
            let named: Vec<&String> = self
                .heading_names
                .iter()
                .filter(|(l, _)| *l == level)
                .map(|(_, n)| n)
                .collect();
            let giving = named.len();
            if giving >= 2 && giving * 2 >= self.headings[level as usize] {
                out.extend(named.into_iter().cloned());
            }
        }
        // Full names (`Title - David Mitchell`) are a layout wherever they stand, from two on.
        let full: Vec<&String> = self
            .heading_names
            .iter()
            .map(|(_, n)| n)
            .filter(|n| n.contains(' '))
            .collect();
        if full.len() >= 2 {
            out.extend(
                full.into_iter()
                    .filter(|n| !out.contains(n))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
        out
    }

    /// One paragraph of the body, in document order. `after_heading`: it stands right after a
    /// heading; `opening`: it is among the first blocks of the write-up; `quoted`: it stands in a
    /// block quote.
    pub(super) fn paragraph(&mut self, p: &PlainText, after: After, opening: bool, quoted: bool) {
        let text = p.text.trim();
        let own = outside_quotes(text);
        if !quoted && self.self_named.is_none() {
            self.self_named = self_introduction(&own);
        }
        if let Some(l) = label_of(p) {
            // `**主讲人**：苏林老师`: a metadata field in the body, when its value is names.
            let value = &p.text[l.words..];
            let role = match super::meta_key(l.text) {
                Some(super::MetaKey::Speaker) => Some(Role::Speaker),
                Some(super::MetaKey::Host) => Some(Role::Host),
                _ => None,
            };
            let names = match role {
                Some(_) if value.chars().count() <= 60 => split_people(value),
                _ => Vec::new(),
            };
            // A label already seen opening a turn is a turn's (`INTERVIEWER: Well, we can…`
            // after `INTERVIEWER: Today is…`), not a field naming people.
            let turn = self.labels.iter().any(|s| s.label == l.text);
            match super::meta_key(l.text) {
                Some(super::MetaKey::Speaker | super::MetaKey::Host)
                    if !names.is_empty() && !turn =>
                {
                    let role = role.unwrap_or(Role::Speaker);
                    self.fields.extend(names.into_iter().map(|n| (n, role)));
                }
                Some(m) if !matches!(m, super::MetaKey::Speaker | super::MetaKey::Host) => {}
                _ => {
                    let question = p.text[l.words..].trim_end().ends_with(['?', '？']);
                    let i = match self.labels.iter().position(|s| s.label == l.text) {
                        Some(i) => i,
                        None => {
                            self.labels.push(Seen {
                                label: l.text.to_string(),
                                ..Seen::default()
                            });
                            self.labels.len() - 1
                        }
                    };
                    let seen = &mut self.labels[i];
                    if l.bold {
                        seen.bold += 1;
                    } else {
                        seen.plain += 1;
                    }
                    seen.questions += usize::from(question);
                    seen.items += usize::from(p.item);
                    seen.introduced |= self.in_people;
                    if matches!(fold(l.text).as_str(), "q" | "问") {
                        self.questions += 1;
                    }
                }
            }
            return;
        }
        let whole_bold = p.is_all_bold();
        if whole_bold && text.ends_with(['?', '？']) {
            self.questions += 1;
        }
        let names = full_names(text);
        if opening {
            self.opening_names.extend(names.iter().cloned());
            self.opening_lists.extend(listed_names(text));
        }
        self.full_names.extend(names);
        self.subjects.extend(speech_subjects(text));
        // A speaker line: a bold line of full names under a heading (`**Stuart Frisby
        // (Booking.com)**`), or a line that is nothing but a name under the title.
        let line = match after {
            After::Title => whole_bold || is_name(text),
            After::Heading => whole_bold,
            After::Text => false,
        };
        if line && !quoted && text.chars().count() <= 80 {
            let names = split_people(text);
            let full = |n: &String| n.contains(' ') || n.chars().any(is_han);
            if !names.is_empty() && names.iter().all(full) {
                self.lines.extend(names);
                return;
            }
        }
        // Short names a key defines: `**Qiir** 表示的是前海`.
        for &(bs, be) in &p.bold {
            let after = p.text[be..].trim_start();
            if ["表示", "就是", "代表", "即"]
                .iter()
                .any(|w| after.starts_with(w))
                && let Some(name) = p.text.get(bs..be).filter(|n| is_name(n))
            {
                self.defined.push(name.trim().to_string());
            }
        }
        if opening && self.source.is_none() {
            self.source = source_note_speaker(text);
            // A note saying whose talk this is says the text is the talk.
            self.speaks |= self.source.is_some();
        }
        if opening && !quoted && !self.presented {
            let lower = own.to_lowercase();
            self.presented = PRESENTED.iter().any(|w| lower.contains(w));
        }
        if opening && !self.speaks {
            let lower = own.to_lowercase();
            self.speaks = SPEAKS.iter().any(|w| lower.contains(w));
        }
        if !quoted {
            self.first_person += usize::from(is_first_person(&own));
            self.third_person += usize::from(is_reported(text));
        }
    }

    /// The roster: the people the metadata names (`named`, in order), then those of the body's
    /// metadata fields, the section headings, the title, a source note, the author when the
    /// talk is theirs (the opening speaks in the first person and no one else gives it), the
    /// speaker lines, the short names a key defines, and the labels of the turns (a label
    /// whose words are mostly questions is a host). A label that names someone already there
    /// becomes their alias. Also decides whether the body is a monologue.
    pub(super) fn roster(
        &mut self,
        named: &[(String, Role)],
        role_keys: &[(String, String)],
        title: &str,
        authors: &[String],
    ) -> Roster {
        let mut r = Roster::default();
        for (n, role) in named.iter().chain(&self.fields) {
            r.add(&unslug(n), *role);
        }
        // `主持人：王芳` in the metadata: turns labelled `主持人：` are 王芳's.
        for (key, n) in role_keys {
            if is_role_word(key)
                && let Some(i) = r.find(&unslug(n))
            {
                r.alias(i, key);
            }
        }
        for n in self.heading_speakers().iter().chain(&title_speakers(title)) {
            r.add(n, Role::Speaker);
        }
        if let Some(n) = &self.source {
            r.add(n, Role::Speaker);
        }
        let title_givers = if self.title_givers.len() >= 2 {
            &self.title_givers[..]
        } else {
            &[]
        };
        for n in self.givers.iter().chain(title_givers) {
            if r.add(n, Role::Speaker).is_none() && is_group(n) && r.find_exact(n).is_none() {
                // A description the write-up gives words to, as a person of the talk.
                r.people.push(Person {
                    name: n.clone(),
                    role: Role::Speaker,
                    aliases: Vec::new(),
                });
            }
        }
        // `My name is Dan Williams`: the person who introduces themself gives the talk, and
        // when they are one of its writers, the talk is the writers'.
        if let Some(n) = &self.self_named {
            let writers: Vec<String> = authors
                .iter()
                .flat_map(|a| split_people(&unslug(a)))
                .collect();
            if writers.iter().any(|w| fold(w) == fold(n)) {
                self.speaks = true;
                r.add(n, Role::Speaker);
            } else if r.people.iter().all(|p| p.role != Role::Speaker) {
                r.add(n, Role::Speaker);
            }
        }
        let has_speaker = r.people.iter().any(|p| p.role == Role::Speaker);
        let theirs = self
            .self_named
            .as_ref()
            .and_then(|n| r.find_exact(n))
            .is_some_and(|i| {
                authors
                    .iter()
                    .flat_map(|a| split_people(&unslug(a)))
                    .any(|w| fold(&w) == fold(&r.people[i].name))
            });
        if theirs || (self.speaks || self.presented) && !has_speaker {
            for a in authors.iter().flat_map(|a| split_people(&unslug(a))) {
                r.add(&a, Role::Speaker);
            }
        }
        for n in self.lines.iter().chain(&self.defined) {
            r.add(n, Role::Speaker);
        }
        // People the writer reports speaking (`Jacob says`, twice or more): a full name as
        // written, a first or last name as the full name the text mentions.
        for s in &self.subjects {
            if self.subjects.iter().filter(|x| *x == s).count() < 2 || r.find(s).is_some() {
                continue;
            }
            let full = if s.contains(' ') {
                Some(s.clone())
            } else {
                self.full_names
                    .iter()
                    .find(|n| n.split(' ').any(|w| w == s))
                    .cloned()
            };
            if let Some(n) = full.filter(|n| is_name(n)) {
                r.add(&n, Role::Speaker);
            }
        }
        let mut labelled = 0;
        let mut labelled_people = std::collections::HashSet::new();
        for seen in &self.labels {
            // A bold label is a turn's; a plain one, or one in list items (a term and its
            // definition, `- **Linux**：…`), only when it comes back.
            let bold_outside_items = seen.bold > 0 && seen.items < seen.bold;
            let new_person = bold_outside_items
                || seen.bold >= 2
                || (seen.plain >= 2 && seen.items == 0)
                || (seen.introduced && seen.bold > 0);
            if is_role_word(&seen.label) {
                // `**Moderator:**` turns where the write-up names no host: the person is the
                // role as written.
                let host_word = HOSTS.contains(&fold(&seen.label).as_str());
                // (Once is enough for a bold label in a transcript of labelled turns.)
                let turns = seen.bold + seen.plain >= 2 || seen.bold >= 1 && self.has_turns();
                // A host of the metadata who labels no turn (`host: Plain Language`, the
                // organiser) is no voice: the role as written is.
                let voiced_host = r
                    .people
                    .iter()
                    .position(|p| p.role == Role::Host)
                    .is_some_and(|h| self.labels.iter().any(|s| r.find(&s.label) == Some(h)));
                if host_word && !voiced_host && turns {
                    r.people.push(Person {
                        name: seen.label.clone(),
                        role: Role::Host,
                        aliases: Vec::new(),
                    });
                    labelled_people.insert(r.people.len() - 1);
                }
                continue;
            }
            if !new_person {
                // A label that names someone already there is their alias all the same.
                if let Some(i) = r.find(&seen.label) {
                    r.alias(i, &seen.label);
                }
                continue;
            }
            let person = match r.find(&seen.label) {
                Some(i) => {
                    r.alias(i, &seen.label);
                    // And what the label defines: `王磊（WL）` gives `WL`.
                    if let Some((_, Some(a))) = clean_name(&seen.label) {
                        r.alias(i, &a);
                    }
                    Some(i)
                }
                None => {
                    // `**适兕**（主持人）：…` says the role.
                    let asks = seen.questions * 2 > seen.bold + seen.plain
                        || HOSTS.iter().any(|h| seen.label.contains(h));
                    r.add(&seen.label, if asks { Role::Host } else { Role::Speaker })
                }
            };
            labelled += usize::from(person.is_some());
            labelled_people.extend(person);
        }
        let has_speaker = r.people.iter().any(|p| p.role == Role::Speaker);
        if self.questions >= 3 && !has_speaker {
            // The guest: of the full names the opening mentions, the one the text mentions most.
            let count = |n: &String| self.full_names.iter().filter(|x| *x == n).count();
            let guest = self
                .opening_names
                .iter()
                .fold(None::<&String>, |best, n| match best {
                    Some(b) if count(b) >= count(n) => Some(b),
                    _ => Some(n),
                });
            if let Some(n) = guest {
                r.add(n, Role::Speaker);
            }
        }
        // An interview whose questions name no asker was held by its writer.
        let asked = self.questions + self.question_headings;
        if asked >= 3 && r.host().is_none() && r.main().is_some() {
            for a in authors.iter().flat_map(|a| split_people(&unslug(a))) {
                if r.find(&a).is_none() {
                    r.add(&a, Role::Host);
                }
            }
        }
        // A first name that labels turns is the full name the text mentions (`**Rob:**` and
        // `Rob Pike`), when only one full name has it; the people listed with a labelled
        // person in the opening are on the panel too.
        for i in 0..r.people.len() {
            let name = r.people[i].name.clone();
            if name.contains(' ') || !name.chars().all(|c| c.is_alphabetic() && !is_han(c)) {
                continue;
            }
            let mut full: Vec<&String> = self
                .full_names
                .iter()
                .filter(|n| n.split(' ').next() == Some(name.as_str()))
                .collect();
            full.dedup();
            if let [one] = full.as_slice()
                && r.find_exact(one).is_none()
            {
                r.people[i].name = (*one).clone();
                r.alias(i, &name);
            }
        }
        for list in &self.opening_lists {
            if list.iter().any(|n| r.find_exact(n).is_some()) {
                for n in list {
                    r.add(n, Role::Speaker);
                }
            }
        }
        // `Q:` and `A:` turns in a write-up that names nobody: the asker and the answerer are
        // the labels as written (an unnamed moderator and panel).
        if r.people.is_empty() {
            let turns = |words: &[&str]| {
                self.labels
                    .iter()
                    .filter(|s| words.contains(&fold(&s.label).as_str()) && s.bold + s.plain >= 2)
                    .map(|s| s.label.clone())
                    .next()
            };
            if let (Some(q), Some(a)) = (turns(&["q", "问"]), turns(&["a", "答"])) {
                r.people.push(Person {
                    name: a,
                    role: Role::Speaker,
                    aliases: Vec::new(),
                });
                r.people.push(Person {
                    name: q,
                    role: Role::Host,
                    aliases: Vec::new(),
                });
            }
        }
        // In a transcript of two labelled people or more, a host of the metadata who never
        // labels a turn is the organiser (`host: U.S. Web Design System`), not a voice.
        if labelled_people.len() >= 2 {
            let hosts = named.iter().filter(|(_, role)| *role == Role::Host);
            let silent: Vec<usize> = hosts
                .filter_map(|(n, _)| r.find(n))
                .filter(|i| !labelled_people.contains(i))
                .collect();
            let mut k = 0;
            r.people.retain(|_| {
                k += 1;
                !silent.contains(&(k - 1))
            });
        }
        // The body is the main speaker's monologue when the opening says it is a talk in the
        // first person, or when one person alone labels turns (a lecture with questions from
        // the floor) and the paragraphs are in the first person throughout.
        let lecture = labelled == 1
            && self.questions < 2
            && self.first_person >= 5
            && self.first_person >= 3 * self.third_person;
        self.monologue = (self.speaks || lecture)
            && labelled < 2
            && self.first_person >= 3
            && self.first_person >= 2 * self.third_person;
        r
    }
}

/// The full name a speaker gives themself: `My name is Dan Williams, and I'm…`.
fn self_introduction(text: &str) -> Option<String> {
    let find = |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes());
    let at = find("My name is ").or_else(|| find("my name is "))?;
    let rest = &text[at + "my name is ".len()..];
    let words: Vec<&str> = rest
        .split_whitespace()
        .take(3)
        .map(|w| w.trim_end_matches([',', '.', ';', '!']))
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    // Up to the word a comma or a full stop ends.
    let mut name = Vec::new();
    for (k, w) in rest.split_whitespace().take(words.len()).enumerate() {
        name.push(words[k]);
        if w.ends_with([',', '.', ';', '!']) {
            break;
        }
    }
    let name = name.join(" ");
    (name.contains(' ') && is_name(&name)).then_some(name)
}

/// English verbs of speech after their subject.
const SAYS: &[&str] = &[
    " says",
    " said",
    " explains",
    " explained",
    " adds",
    " added",
    " notes",
    " noted",
    " told",
    " tells",
    " recalls",
    " recalled",
    " points out",
    " pointed out",
    " replied",
    " describes",
    " described",
    " argues",
    " argued",
    " remembers",
    " remarked",
    " continued",
    " continues",
];

/// The subjects of English speech verbs in a text: the one to three capitalised words right
/// before the verb (`Jacob says`, `Sugu Sougoumarane described`), verb by verb in [`SAYS`]
/// order and each verb's in text order.
fn speech_subjects(text: &str) -> Vec<String> {
    static VERBS: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(SAYS).expect("fixed phrases"));
    // One pass finds every verb; no verb overlaps itself, so these are each verb's matches.
    let mut found: Vec<(usize, usize)> = VERBS
        .find_overlapping_iter(text)
        .map(|m| (m.pattern().as_usize(), m.start()))
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    found.sort_unstable();
    let mut out = Vec::new();
    for (verb, i) in found {
        let verb = SAYS[verb];
        let after = text[i + verb.len()..].chars().next();
        if after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let before: Vec<&str> = text[..i]
            .split(' ')
            .rev()
            .take(3)
            .take_while(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().all(|c| c.is_alphabetic() || c == '-')
            })
            .collect();
        let pronoun = |w: &&str| {
            matches!(
                *w,
                "He" | "She" | "They" | "It" | "We" | "I" | "You" | "This" | "That" | "There"
            )
        };
        if !before.is_empty() && !before.iter().any(pronoun) {
            let name: Vec<&str> = before.into_iter().rev().collect();
            out.push(name.join(" "));
        }
    }
    out
}

/// Full Latin names in a text: runs of two or three capitalised words that make a name
/// (`Michael Fey`).
fn full_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // A name starts with a capital: a text without one has none (most of a Chinese talk). The
    // CJK blocks hold no upper-case letter and are not asked.
    let may_be_upper = |c: char| {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            !('\u{3000}'..='\u{9FFF}').contains(&c) && c.is_uppercase()
        }
    };
    if !text.chars().any(may_be_upper) {
        return out;
    }
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if (2..=3).contains(&run.len()) {
            let name = run.join(" ");
            if is_name(&name) {
                out.push(name);
            }
        }
        run.clear();
    };
    let words = text
        // A Han character first, by its range: `is_alphabetic` looks each one up in a table.
        .split(|c: char| !(c == ' ' || c == '-' || c == '.' || !is_han(c) && c.is_alphabetic()))
        .flat_map(|chunk| chunk.split(' ').chain(std::iter::once("")));
    for w in words {
        // A word ending a sentence ends the run, as its last word (an initial, `L.`, does not).
        let ends = w.ends_with('.') && w.chars().count() > 2;
        let w = if ends { w.trim_end_matches('.') } else { w };
        let capital = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase);
        if !capital || run.len() == 3 {
            flush(&mut run, &mut out);
        }
        if capital {
            run.push(w);
        }
        if ends {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Lists of three full names or more in a text, each a run of names between commas
/// (`Robert Griesemer, Rob Pike, …, and Nigel Tao took questions`).
fn listed_names(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for sentence in text.split(['.', ';', '。', '；']) {
        let parts: Vec<&str> = sentence
            .split(',')
            .flat_map(|p| p.split(" and "))
            .map(|p| p.trim().trim_start_matches("and ").trim())
            .filter(|p| !p.is_empty())
            .collect();
        let mut run: Vec<String> = Vec::new();
        for (k, part) in parts.iter().enumerate() {
            let lead: Vec<&str> = part
                .split_whitespace()
                .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
                .take(3)
                .collect();
            let whole = lead.len() == part.split_whitespace().count();
            let last = k + 1 == parts.len() || !whole;
            let name = lead.join(" ");
            if lead.len() >= 2 && (whole || last) && is_name(&name) {
                run.push(name);
                if whole {
                    continue;
                }
            }
            if run.len() >= 3 {
                out.push(std::mem::take(&mut run));
            }
            run.clear();
        }
        if run.len() >= 3 {
            out.push(run);
        }
    }
    out
}

/// A name written as a slug (`james-mejia`) as a name (`James Mejia`); anything else as it is.
fn unslug(s: &str) -> String {
    let s = s.trim();
    if !s.contains('-') || !s.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
        return s.to_string();
    }
    s.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The speaker a source note names: `本文整理自罗广明在…的演讲`, `本文是根据…布道师敖小剑在…
/// 分享的…`.
fn source_note_speaker(text: &str) -> Option<String> {
    let from = ["整理自", "根据", "来自"]
        .iter()
        .filter_map(|w| memchr::memmem::find(text.as_bytes(), w.as_bytes()).map(|i| i + w.len()))
        .min()?;
    let rest = &text[from..];
    let end = rest.find('在')?;
    let before = rest[..end].trim();
    if !["演讲", "分享", "讲座", "报告", "talk"]
        .iter()
        .any(|w| rest.contains(w))
    {
        return None;
    }
    // The name is the last word, or the last Chinese characters after a title
    // (`布道师敖小剑`, `我司 CTO 王磊`).
    let last = before.rsplit(char::is_whitespace).next()?;
    let han: Vec<char> = last.chars().collect();
    for take in [3, 2] {
        if han.len() >= take {
            let tail: String = han[han.len() - take..].iter().collect();
            let head: String = han[..han.len() - take].iter().collect();
            let title_before = head.is_empty()
                || ["师", "家", "员", "官", "监", "理", "长", "总", "人", "者"]
                    .iter()
                    .any(|t| head.ends_with(t));
            if title_before && is_name(&tail) {
                return Some(tail);
            }
        }
    }
    None
}

/// People a line names: `Ninh Bui (Phusion), Hongli Lai (Phusion)`, `Rob Napier`, `Jane Roe
/// and John Doe, Acme`. Empty unless every part is a name.
pub(super) fn split_people(text: &str) -> Vec<String> {
    let text = strip_markup(text);
    let mut out = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    // Commas inside parentheses belong to the affiliation.
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth -= 1,
            _ => {}
        }
        if depth == 0 && matches!(c, ',' | '，' | '、' | '&' | '/') {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    let parts: Vec<String> = parts
        .iter()
        .flat_map(|p| p.split(" and ").map(str::to_string).collect::<Vec<_>>())
        .filter(|p| !p.trim().is_empty())
        .collect();
    for (k, part) in parts.iter().enumerate() {
        match clean_name(part) {
            Some((n, _)) => out.push(n),
            // `Jane Roe, Acme`: a trailing affiliation after the names.
            None if k > 0 && k == parts.len() - 1 => {}
            None => return Vec::new(),
        }
    }
    out
}

/// The speakers a title names: `对话林静：…`, `Interview with Jane Roe`, `Sam Altman 与…`,
/// `Mira Okafor at Systems Summit: …`, `"Title" by Jane Roe, Acme`, `by [Jane Roe](url) and
/// John Doe`, `Title -- Adam Culp`, `Viet Thanh Nguyen's Keynote`, `Jan David Nose,
/// Infrastructure Team`.
pub(super) fn title_speakers(title: &str) -> Vec<String> {
    let t = strip_markup(title.trim());
    let t = t.trim();
    // ASCII lower case keeps the byte offsets, which index `t` below.
    let lower = t.to_ascii_lowercase();
    for lead in [
        "对话",
        "专访",
        "访谈",
        "in conversation with ",
        "an interview with ",
        "interview with ",
    ] {
        let at = lower.find(lead).filter(|&i| i == 0 || lead.is_ascii());
        if let Some(i) = at {
            let rest = &t[i + lead.len()..];
            let end = rest
                .find(['：', ':', '，', '|', '｜', '—', '(', '（'])
                .unwrap_or(rest.len());
            let names = split_people(&rest[..end]);
            if !names.is_empty() {
                return names;
            }
        }
    }
    if let Some(i) = lower.rfind(" by ") {
        let names = split_people(&t[i + 4..]);
        if !names.is_empty() {
            return names;
        }
    }
    for sep in [" -- ", " — ", " – ", " - "] {
        if let Some(i) = t.rfind(sep) {
            let names = split_people(&t[i + sep.len()..]);
            if !names.is_empty() {
                return names;
            }
        }
    }
    for suffix in ["'s keynote", "’s keynote", "'s talk", "’s talk"] {
        if let Some(stem) = lower.strip_suffix(suffix)
            && let Some((n, _)) = clean_name(&t[..stem.len()])
        {
            return vec![n];
        }
    }
    for sep in [" 与", "与", " 和", "和", "：", " at ", " on ", ": ", ", "] {
        if let Some(i) = t.find(sep) {
            // Latin words before an ASCII colon and a Latin title are a topic or a show's
            // name (`Shipping Small: a conversation about release trains`), as in headings.
            if sep == ": " && !t[i..].chars().any(is_han) {
                continue;
            }
            let full =
                |n: &String| fold(n) == fold(t[..i].trim()) && (sep != ", " || n.contains(' '));
            if let Some((n, _)) = clean_name(&t[..i]).filter(|(n, _)| full(n)) {
                return vec![n];
            }
        }
    }
    Vec::new()
}

/// The speakers a section heading names, in a report of several talks: `Title - Speaker`,
/// `Niko：Title`.
pub(super) fn heading_speakers(title: &str) -> Vec<String> {
    let t = title.trim();
    // `议程 1 ：topic @presenter`.
    if let Some((_, handle)) = t.rsplit_once(" @")
        && let Some((n, _)) = clean_name(handle)
    {
        return vec![n];
    }
    for sep in [" -- ", " — ", " – ", " - "] {
        if let Some(i) = t.rfind(sep) {
            let names = split_people(&t[i + sep.len()..]);
            if !names.is_empty() {
                return names;
            }
        }
    }
    // `Niko：Title`, `Mara Bos: 以改进…`; a Latin word before an ASCII colon and a Latin title
    // is a topic (`Privacy: The next frontier`).
    if let Some(i) = t.find(['：', ':']) {
        let wide = t[i..].starts_with('：');
        let han_after = t[i..].chars().any(is_han);
        if (wide || han_after)
            && let Some((n, _)) =
                clean_name(&t[..i]).filter(|(n, _)| fold(n) == fold(t[..i].trim()))
        {
            return vec![n];
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_colon_is_the_one_find_gives() {
        for text in [
            "",
            "无",
            "a:b：c",
            "主持人：好的: 是",
            "东西：",
            "：",
            "a",
            "全角Ｚ：x",
            "ｚ:y",
            "\u{FF00}\u{FF1B}",
        ] {
            assert_eq!(first_colon(text), text.find([':', '：']), "{text:?}");
        }
    }

    #[test]
    fn names_are_cleaned_of_links_affiliations_and_nicknames() {
        let cases = [
            ("[Jane Roe](https://x.org)", Some("Jane Roe")),
            ("Jane Roe, Acme", Some("Jane Roe")),
            ("敖小剑（蚂蚁金服）", Some("敖小剑")),
            ("“红胡子”Brian Harrington", Some("Brian Harrington")),
            (
                "<a href=\"https://github.com/felix021\">Felix021</a>",
                Some("Felix021"),
            ),
            ("@Nugine", Some("Nugine")),
            ("苏林老师", Some("苏林")),
            ("「开源之道」·适兕", Some("适兕")),
            ("也就是说", Some("也就是说")),
            ("Slide 3", None),
            ("视频回放", None),
            ("The Internet of Postal Things.", None),
        ];
        for (raw, want) in cases {
            assert_eq!(clean_name(raw).map(|n| n.0).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn candidates_resolve_by_word_initials_and_containment() {
        let mut r = Roster::default();
        r.add("Matt Klein", Role::Speaker);
        r.add("Melody Kramer", Role::Host);
        r.add("Amanda Weaver", Role::Speaker);
        r.add("苏林", Role::Speaker);
        assert_eq!(r.find("Klein").map(|i| r.name(i)), Some("Matt Klein"));
        assert_eq!(r.find("AW").map(|i| r.name(i)), Some("Amanda Weaver"));
        assert_eq!(r.find("MK"), None, "two people have these initials");
        assert_eq!(r.find("苏林老师").map(|i| r.name(i)), Some("苏林"));
        assert_eq!(r.find("也就是"), None);
        assert_eq!(r.find("Matt"), Some(0));
        assert_eq!(r.main(), Some("Matt Klein"));
        assert_eq!(r.host(), Some("Melody Kramer"));
    }

    /// Issue 23: after a timestamp, a name whose bold the Markdown did not read (`** Adam**`,
    /// a marker left in the stamp) still labels the turn.
    #[test]
    fn a_malformed_bold_name_after_a_timestamp_labels_the_turn() {
        for (text, name, words) in [
            (
                "[0:43:36.9] ** Adam** Is that the author’s initials?",
                "Adam",
                "Is that",
            ),
            ("[0:47:06.4**] Jen** It really has.", "Jen", "It really"),
        ] {
            let p = PlainText {
                text: text.to_string(),
                bold: Vec::new(),
                item: false,
                links: Vec::new(),
            };
            let l = label_of(&p).unwrap_or_else(|| panic!("no label in {text}"));
            assert_eq!(l.text, name);
            assert!(text[l.words..].starts_with(words), "{text}");
        }
    }

    /// Issue 23: Latin words before an ASCII colon in a title are its topic or a show's name.
    #[test]
    fn a_title_before_a_colon_names_no_one() {
        assert!(title_speakers("Shipping Small: a conversation about release trains").is_empty());
        assert_eq!(
            title_speakers("林静：开源的下一个十年"),
            vec!["林静".to_string()]
        );
        assert_eq!(
            title_speakers("Mira Okafor at Systems Summit: shipping small"),
            vec!["Mira Okafor".to_string()]
        );
    }
}
