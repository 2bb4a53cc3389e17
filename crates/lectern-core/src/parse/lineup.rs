//! Who gives each talk of a write-up that reports several: the lineup.
//!
//! A report of a conference or a meetup names each talk's speaker once, where the talk is
//! introduced, in one of a few ways people write:
//!
//! - a field line under the talk's title: `演讲人：平安科技 柴锋、高云`, `分享者：吴翱翔`,
//!   `演讲人是来自百度的雷志兴(berg)` (the affiliation before the name is dropped);
//! - the talk's title with its author: `《Whoops! I Rewrote It in Rust》 - 作者 ：Brian Martin,
//!   Twitter 软件工程师` (the author of a talk is its speaker);
//! - an invitation: `我们有幸邀请到Rust中文社区的苏林老师分享一下`;
//! - a bold title line that leads with the name: `第一场**敖小剑（蚂蚁金服）：大规模微服务…**`
//!   (a layout only when two lines or more do it; see [`Cast`](super::roster::Cast));
//! - at a section's opening, the subject of a verb of presenting: `Google Engineer Sugu
//!   Sougoumarane described how…`, `In this talk, Brad Fitzpatrick and Mathieu Lonjaret explain
//!   why…`.
//!
//! The people found go on the roster as speakers, and each becomes the speaker of the words
//! that follow until the next talk or section (`作者说到…`, `He said: "…"`).

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::roster::{GROUP_NOUNS, clean_name, is_han, is_name};

/// Keys of a field that names a talk's giver, in the body of a report.
const GIVER_KEYS: &[&str] = &[
    "演讲人",
    "演讲者",
    "分享者",
    "分享人",
    "主讲人",
    "主讲",
    "讲师",
    "分享嘉宾",
    "受访嘉宾",
    "受访者",
];

/// Verbs of presenting a talk, after its giver at a section's opening.
const PRESENTS: &[&str] = &[
    " described",
    " describes",
    " explains",
    " explain",
    " explained",
    " presented",
    " presents",
    " present",
    " talks about",
    " talked about",
    " demonstrated",
    " demonstrates",
    " showed",
    " shows",
    " gave a talk",
    " spoke",
];

/// Job titles before a name (`Google Engineer Sugu Sougoumarane`), which are not the name.
const JOB_WORDS: &[&str] = &[
    "Engineer",
    "Developer",
    "Manager",
    "Director",
    "Designer",
    "Researcher",
    "Founder",
    "CEO",
    "CTO",
    "Professor",
    "Dr",
    "Google",
    "Team",
    "Lead",
    "Member",
];

/// The givers a paragraph names by a field, a talk's author or an invitation (the strong
/// forms: one is enough), or, with `opening`, by a verb of presenting.
pub(super) fn givers(text: &str, opening: bool) -> Vec<String> {
    let t = text.trim().trim_start_matches('*').trim_start();
    if let Some(found) = field(t)
        .or_else(|| authored_title(t))
        .or_else(|| invitation(t))
        && !found.is_empty()
    {
        return found;
    }
    if let Some(h) = handle_after_title(t) {
        return vec![h];
    }
    if opening {
        return presenter(t);
    }
    Vec::new()
}

/// A talk's title with its giver's handle after it: `实际面试经验分享 （@ huangjj ）`.
fn handle_after_title(t: &str) -> Option<String> {
    let t = t.trim_end();
    let inner = t
        .strip_suffix('）')
        .and_then(|x| x.rsplit_once('（'))
        .or_else(|| t.strip_suffix(')').and_then(|x| x.rsplit_once('(')))?;
    let (title, handle) = inner;
    let handle = handle.trim().strip_prefix('@')?.trim();
    if title.trim().is_empty() || title.chars().count() > 60 || handle.contains(' ') {
        return None;
    }
    clean_name(handle).map(|(n, _)| n)
}

/// `演讲人：…`, `演讲人是来自…的Name`, `演讲人为Name`.
fn field(t: &str) -> Option<Vec<String>> {
    let key = GIVER_KEYS.iter().find(|k| t.starts_with(**k))?;
    let rest = t[key.len()..].trim_start_matches(['*', ' ']);
    let (value, described) = if let Some(v) = rest.strip_prefix(['：', ':']) {
        (v, false)
    } else if let Some(v) = rest.strip_prefix("是").or_else(|| rest.strip_prefix("为")) {
        (v, true)
    } else {
        return None;
    };
    let end = value.find(['。', '；', ';', '\n']).unwrap_or(value.len());
    let mut value = value[..end].trim();
    if described {
        // `来自百度的雷志兴`: the name after the last `的`.
        value = value.strip_prefix("来自").unwrap_or(value);
        if let Some(i) = value.rfind('的') {
            value = &value[i + '的'.len_utf8()..];
        }
        let end = value.find(['，', ',']).unwrap_or(value.len());
        value = &value[..end];
    }
    Some(names(value))
}

/// `《Title》 - 作者 ：Name, Role`: the author of a talk in a report of talks is its speaker.
fn authored_title(t: &str) -> Option<Vec<String>> {
    let rest = t.strip_prefix('《')?;
    let close = rest.find('》')?;
    let rest = rest[close + '》'.len_utf8()..].trim_start();
    let rest = rest
        .strip_prefix(['-', '—', '–', '|'])
        .unwrap_or(rest)
        .trim_start();
    let rest = rest.strip_prefix("作者")?.trim_start();
    let value = rest.strip_prefix(['：', ':'])?;
    let end = value.find(['。', '\n']).unwrap_or(value.len());
    Some(names(&value[..end]))
}

/// `…邀请到Rust中文社区的苏林老师分享…`.
fn invitation(t: &str) -> Option<Vec<String>> {
    // `memmem`, not `str::find`: most paragraphs hold neither word, and are read whole.
    let at = memchr::memmem::find(t.as_bytes(), "邀请".as_bytes())?;
    let rest = t[at + "邀请".len()..].trim_start_matches('到');
    let end = memchr::memmem::find(rest.as_bytes(), "分享".as_bytes())?;
    let mut who = &rest[..end];
    who = who.trim_end_matches(['来', '为', '给']);
    if let Some(i) = who.rfind('的') {
        who = &who[i + '的'.len_utf8()..];
    }
    if who.chars().count() > 12 {
        return None;
    }
    let (name, _) = clean_name(who)?;
    Some(vec![name])
}

/// The names of a field's value: the first clause (`Kevin Goldsmith，Spotify公司的技术主管` is
/// Kevin Goldsmith), its names separated by `、`, `&` or `and`; an affiliation before a Chinese
/// name is dropped (`平安科技 柴锋`, `MediaV 聚效CTO 胡宁`).
fn names(value: &str) -> Vec<String> {
    let end = value.find(['，', ',', '(', '（']).unwrap_or(value.len());
    let first = value[..end].trim();
    let mut out = Vec::new();
    // `字节跳动 CloudWeGo 技术专家罗广明、杨芮、马子昂`: the description names them together
    // (the text gives words to `字节跳动 CloudWeGo 技术专家`), the names follow.
    let mut first = first;
    if let Some((at, noun)) = GROUP_NOUNS
        .iter()
        .filter_map(|n| first.rfind(n).map(|i| (i, *n)))
        .max()
        && first[at + noun.len()..].chars().next().is_some_and(is_han)
        && first[..at].chars().count() >= 2
    {
        out.push(first[..at + noun.len()].trim().to_string());
        first = &first[at + noun.len()..];
    }
    for part in first.split(['、', '&', '/']).flat_map(|p| p.split(" and ")) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        // An affiliation before a Chinese name: the name is the last word.
        let last = part.rsplit(char::is_whitespace).next().unwrap_or(part);
        let han_last = last != part && last.chars().all(is_han) && is_name(last);
        let name = if han_last {
            Some(last.to_string())
        } else {
            clean_name(part).map(|(n, _)| n)
        };
        match name {
            Some(n) => out.push(n),
            None => return Vec::new(),
        }
    }
    out
}

/// At a section's opening, the subjects of a verb of presenting: `Sugu Sougoumarane
/// described`, `Brad Fitzpatrick and Mathieu Lonjaret explain`. Full names only.
fn presenter(t: &str) -> Vec<String> {
    // The earliest verb that ends a word. Every verb starts with a space, so none stands over
    // itself: the overlapping search sees each place each one stands.
    static VERBS: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(PRESENTS).expect("fixed phrases"));
    let Some(i) = VERBS
        .find_overlapping_iter(t)
        .filter(|m| {
            !t[m.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        })
        .map(|m| m.start())
        .min()
    else {
        return Vec::new();
    };
    // The clause before the verb, after its last comma (`In this talk, …`).
    let clause = t[..i]
        .rsplit([',', '.', ';', ':'])
        .next()
        .unwrap_or("")
        .trim();
    let mut out = Vec::new();
    for part in clause.split(" and ") {
        let words: Vec<&str> = part
            .split_whitespace()
            .skip_while(|w| {
                JOB_WORDS.contains(w) || w.chars().next().is_some_and(char::is_lowercase)
            })
            .collect();
        let capitalised = words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        let name = words.join(" ");
        if !(2..=3).contains(&words.len()) || !capitalised || !is_name(&name) {
            return Vec::new();
        }
        out.push(name);
    }
    out
}

/// A bold title line that leads with its giver: `第一场**敖小剑（蚂蚁金服）：大规模…**`. The
/// bold span (byte range in `text`) must open the line, after at most a short ordinal.
pub(super) fn title_line_giver(text: &str, bold: &[(usize, usize)]) -> Option<String> {
    let &(bs, be) = bold.first()?;
    let lead = text[..bs].trim();
    if lead.chars().count() > 4 || !text[be..].trim().is_empty() {
        return None;
    }
    let inner = text[bs..be].trim();
    let colon = inner.find(['：', ':'])?;
    // A Latin word before an ASCII colon and a Latin title is a topic (`Privacy: The next…`).
    if !inner[colon..].starts_with('：') && !inner[colon..].chars().any(is_han) {
        return None;
    }
    // A title, not a sentence: no question, no clause (`**JAXenter：…，…？**` is a turn).
    let title = &inner[colon..];
    if title.chars().count() > 60 || title.contains(['。', '，', '？', '?', '！', ',', '；']) {
        return None;
    }
    let before = inner[..colon].trim();
    // The name, with at most an affiliation in parentheses.
    let bare = before.split(['（', '(']).next().unwrap_or(before).trim();
    let rest = &before[bare.len()..];
    if !(rest.is_empty() || rest.starts_with(['（', '(']) && rest.ends_with(['）', ')'])) {
        return None;
    }
    let (name, _) = clean_name(bare)?;
    (name == bare).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn givers_are_read_from_fields_titles_invitations_and_openings() {
        let cases: [(&str, bool, &[&str]); 12] = [
            ("演讲人：平安科技 柴锋、高云", false, &["柴锋", "高云"]),
            (
                "演讲人：Kevin Goldsmith，Spotify公司的技术主管(Director of Engineering)",
                false,
                &["Kevin Goldsmith"],
            ),
            ("演讲人是来自百度的雷志兴(berg)", false, &["雷志兴"]),
            ("演讲人：MediaV 聚效CTO 胡宁", false, &["胡宁"]),
            ("演讲人：eBay 汪兴朗", false, &["汪兴朗"]),
            ("实际面试经验分享 （@ huangjj ）", false, &["huangjj"]),
            (
                "受访嘉宾: 字节跳动 CloudWeGo 技术专家罗广明、杨芮",
                false,
                &["字节跳动 CloudWeGo 技术专家", "罗广明", "杨芮"],
            ),
            (
                "《Whoops! I Rewrote It in Rust》 - 作者 ：Brian Martin,  Twitter 软件工程师",
                false,
                &["Brian Martin"],
            ),
            (
                "我们有幸邀请到Rust中文社区的苏林老师分享一下:",
                false,
                &["苏林"],
            ),
            (
                "Google Engineer Sugu Sougoumarane described how he and his team built",
                true,
                &["Sugu Sougoumarane"],
            ),
            (
                "In this talk, Brad Fitzpatrick and Mathieu Lonjaret explain why they built it",
                true,
                &["Brad Fitzpatrick", "Mathieu Lonjaret"],
            ),
            (
                "The talk covers some history, and the team described it",
                true,
                &[],
            ),
        ];
        for (text, opening, want) in cases {
            assert_eq!(givers(text, opening), want, "{text}");
        }
        assert!(givers("Sugu Sougoumarane described it", false).is_empty());
    }

    #[test]
    fn a_bold_title_line_may_lead_with_its_giver() {
        let text = "第一场**敖小剑（蚂蚁金服）：大规模微服务架构下的 Service Mesh 探索之路**";
        let bs = text.find("**").unwrap();
        let be = text.rfind("**").unwrap();
        // Bold ranges are of the plain text, without the markers.
        let plain = text.replace("**", "");
        let bold = [(bs, be - 2)];
        assert_eq!(title_line_giver(&plain, &bold).as_deref(), Some("敖小剑"));
        let topic = "**Privacy: The next frontier**".replace("**", "");
        assert_eq!(title_line_giver(&topic, &[(0, topic.len())]), None);
        let turn = "JAXenter：Istio可能相对较新，但…增长背后的原因是什么？";
        assert_eq!(title_line_giver(turn, &[(0, turn.len())]), None);
    }
}
