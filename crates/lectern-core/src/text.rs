//! Small text helpers shared by the parser, search and replies.
//!
//! Discord counts its limits in characters (Unicode scalar values), not bytes: a Chinese
//! character is one character and three bytes. Everything here counts with `chars()` and never
//! cuts inside a character.

/// True when Discord accepts `s` as a URL of at most `max` characters: an absolute `http` or
/// `https` URL with a host, written out as it is sent (no spaces, no control characters, nothing
/// a parser would have to repair). Anything else — a relative path, a bare title, a space —
/// makes Discord reject the whole message (50035 "Not a well formed URL").
pub fn is_web_url(s: &str, max: usize) -> bool {
    if char_len(s) > max || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    url::Url::parse(s).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// `s` as Discord should get it, when [`is_web_url`] accepts it: the URL parser's normalised,
/// ASCII form (`https:\\host\a` → `https://host/a`, a host in punycode, the path
/// percent-encoded), within `max` characters once normalised. A lenient parser repairs what
/// Discord's may refuse: what is sent is what was checked.
pub fn web_url(s: &str, max: usize) -> Option<String> {
    if !is_web_url(s, max) {
        return None;
    }
    let normalised = url::Url::parse(s).ok()?.to_string();
    (char_len(&normalised) <= max).then_some(normalised)
}

/// Number of characters, as Discord counts them.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Cuts `s` to at most `max` characters, ending with `…` when it had to cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    if char_len(s) <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    // Do not leave a dangling bold marker or a lone half of `**`.
    if out.matches("**").count() % 2 == 1
        && let Some(pos) = out.rfind("**")
    {
        out.truncate(pos);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    out
}

/// Escapes user text so that Discord shows it literally: no formatting, no mentions, no links
/// that embed.
///
/// `allowed_mentions` already stops pings; this also stops `@everyone` from *looking* like one
/// and keeps Markdown in a query from breaking the layout of a reply.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '(' | ')' | '<' | ':'
            | '-' => {
                out.push('\\');
                out.push(c);
            }
            '@' => {
                // A zero-width space after `@` breaks `@everyone`, `@here` and `<@id>` forms.
                out.push('@');
                out.push('\u{200B}');
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// True for characters of the CJK scripts that are written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2FA1F  // extensions B and beyond
        | 0x3040..=0x30FF    // kana
        | 0xAC00..=0xD7AF // hangul
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn urls_go_out_in_the_parsers_normalised_form() {
        assert_eq!(
            web_url("https:\\\\example.com\\a.png", DISCORD.embed_url).as_deref(),
            Some("https://example.com/a.png")
        );
        assert_eq!(
            web_url("https://例子.cn/图.png", DISCORD.embed_url).as_deref(),
            Some("https://xn--fsqu00a.cn/%E5%9B%BE.png")
        );
        assert_eq!(web_url("images/a.png", DISCORD.embed_url), None);
        // Within the limit once normalised: percent-encoding lengthens a path.
        let long = format!("https://example.com/{}", "图".repeat(100));
        assert!(is_web_url(&long, 200));
        assert_eq!(web_url(&long, 200), None);
    }

    use super::*;
    use crate::budget::DISCORD;

    #[test]
    fn truncation_counts_characters_not_bytes() {
        let s = "生物安全与韧性策略";
        assert_eq!(truncate_chars(s, 100), s);
        let cut = truncate_chars(s, 5);
        assert_eq!(char_len(&cut), 5);
        assert_eq!(cut, "生物安全…");
    }

    #[test]
    fn truncation_never_leaves_an_open_bold_marker() {
        let cut = truncate_chars("前面 **加粗的一长段文字** 后面", 10);
        assert_eq!(cut.matches("**").count() % 2, 0, "{cut}");
        assert!(char_len(&cut) <= 10);
    }

    #[test]
    fn escaping_defuses_mentions_and_markdown() {
        let e = escape_markdown("@everyone **bold** <@123> `x`");
        assert!(!e.contains("@everyone"));
        assert!(!e.contains("**"));
        assert!(!e.contains("<@1"), "a user mention stays inert: {e}");
        assert!(e.contains("\\*\\*bold\\*\\*"));
    }
}
