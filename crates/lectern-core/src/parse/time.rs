//! Timestamps in a write-up's text: where a turn, a line or a chapter starts in the recording.
//!
//! The forms read: `[00:31]`, `\[00:31\]` (the backslashes are gone once Markdown is read),
//! `(12:34)`, `【00:03:15】`, `［00:31］`, `[1:02:03]`, `[0:47:06.4]` (a fraction is dropped),
//! and bare `00:12:34` / `12:34` / `1:02:03`. A timestamp counts only where a caller looks
//! for one: at the start of a turn or of a line (bare or bracketed), or in brackets. Seconds
//! (and minutes, after hours) always have two digits, so `16:9` and `3:2` are never times;
//! `14:30` in the middle of a sentence is not at the start of anything and is not read.

/// A timestamp found at the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    /// Seconds from the start of the recording.
    pub seconds: u32,
    /// Byte offset where the stamp starts (after leading spaces).
    pub start: usize,
    /// Byte offset where it ends, spaces after it included.
    pub end: usize,
    /// Whether it stands in brackets.
    pub bracketed: bool,
}

/// The clock `h:mm:ss`, `mm:ss` or `m:ss` (an optional fraction after `.` or `,`) at the start of
/// `s`, with the bytes it takes; `None` unless the whole run of digits and colons is a clock.
pub(super) fn clock(s: &str) -> Option<(u32, usize)> {
    let bytes = s.as_bytes();
    let mut parts: Vec<(u32, usize)> = Vec::new();
    let mut i = 0;
    loop {
        let from = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - from;
        if digits == 0 || digits > 3 {
            return None;
        }
        parts.push((s[from..i].parse().ok()?, digits));
        if i < bytes.len() && bytes[i] == b':' && parts.len() < 3 {
            i += 1;
            continue;
        }
        break;
    }
    // A fraction of a second.
    if i + 1 < bytes.len() && matches!(bytes[i], b'.' | b',') && bytes[i + 1].is_ascii_digit() {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    // Glued to a letter or a digit (`12:34pm`, `3:2x`): no clock.
    if s[i..].chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let seconds = match parts.as_slice() {
        [(m, md), (sec, 2)] if *md <= 3 && *sec < 60 => m * 60 + sec,
        [(h, hd), (m, 2), (sec, 2)] if *hd <= 2 && *m < 60 && *sec < 60 => h * 3600 + m * 60 + sec,
        _ => return None,
    };
    Some((seconds, i))
}

/// Brackets a timestamp may stand in, opening and closing.
const BRACKETS: &[(char, char)] = &[
    ('[', ']'),
    ('(', ')'),
    ('【', '】'),
    ('［', '］'),
    ('（', '）'),
];

/// A timestamp at the start of `text` (after spaces): bracketed (`[00:31]`, `(12:34)`,
/// `【00:03:15】`; stray `*` inside are allowed, as in `[0:47:06.4**]`) or bare (`00:12:34`),
/// followed by a space, punctuation or the end.
pub(super) fn leading(text: &str) -> Option<Stamp> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let first = rest.chars().next()?;
    let (len, seconds, bracketed) =
        if let Some(&(open, close)) = BRACKETS.iter().find(|(o, _)| *o == first) {
            let inner_from = open.len_utf8();
            let inner = rest[inner_from..].trim_start_matches('*');
            let skipped = rest.len() - inner_from - inner.len();
            let (seconds, n) = clock(inner)?;
            let after = inner[n..].trim_start_matches('*');
            if !after.starts_with(close) {
                return None;
            }
            let len = inner_from + skipped + n + (inner.len() - n - after.len()) + close.len_utf8();
            (len, seconds, true)
        } else {
            let (seconds, n) = clock(rest)?;
            // A bare clock must stand apart: a space, a dash or the end after it (`00:12 Intro`,
            // `00:12 - Intro`), not a colon (`12:34:` is a label) or a unit.
            let next = rest[n..].chars().next();
            if next.is_some_and(|c| !c.is_whitespace() && !matches!(c, '-' | '–' | '—' | '|' | '·'))
            {
                return None;
            }
            (n, seconds, false)
        };
    let after = &rest[len..];
    let spaces = after.len() - after.trim_start().len();
    Some(Stamp {
        seconds,
        start,
        end: start + len + spaces,
        bracketed,
    })
}

/// One entry of a chapter list: `00:00 Intro`, `[05:12] Hiring`, `- 12:40 – Q&A`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chapter {
    /// Where the chapter starts, in seconds.
    pub seconds: u32,
    /// Its title, as written.
    pub title: String,
}

/// A line of a chapter list: a list marker or not, a timestamp at its start, then a title.
pub(super) fn chapter_line(line: &str) -> Option<Chapter> {
    let line = line.trim();
    let line = line
        .strip_prefix(['-', '*', '+'])
        .map_or(line, str::trim_start);
    // The Markdown escape of `\[00:00\]`, read from the source.
    // Most lines have no backslash: they are read as they stand, without a copy.
    let unescaped = if line.contains('\\') {
        std::borrow::Cow::Owned(line.replace("\\[", "[").replace("\\]", "]"))
    } else {
        std::borrow::Cow::Borrowed(line)
    };
    let stamp = leading(&unescaped)?;
    if stamp.start != 0 {
        return None;
    }
    let title = unescaped[stamp.end..]
        .trim_start_matches(['-', '–', '—', '|', '·', ':', '：'])
        .trim();
    // A title, not a sentence: a line of a chapter list is short.
    if title.is_empty() || title.chars().count() > 80 {
        return None;
    }
    Some(Chapter {
        seconds: stamp.seconds,
        title: title.to_string(),
    })
}

/// The chapter list in `text`: the first run of two or more consecutive chapter lines whose
/// times rise, starting within the first minute (a list of moments from the start, not a
/// few timestamped sentences). Empty when there is none.
pub(super) fn chapter_list(text: &str) -> Vec<Chapter> {
    // Every clock has a colon (`m:ss`, `h:mm:ss`): a text without one is no list, and most
    // write-ups have none, which were read line by line for it.
    if memchr::memchr(b':', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut run: Vec<Chapter> = Vec::new();
    let done = |run: &[Chapter]| run.len() >= 2 && run[0].seconds < 60;
    for line in text.lines() {
        match chapter_line(line) {
            Some(c) if run.last().is_none_or(|l| c.seconds > l.seconds) => run.push(c),
            found => {
                if done(&run) {
                    return run;
                }
                run.clear();
                if let Some(c) = found {
                    run.push(c);
                }
            }
        }
    }
    if done(&run) { run } else { Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Option<u32> {
        leading(text).map(|s| s.seconds)
    }

    #[test]
    fn every_form_is_read_at_the_start() {
        assert_eq!(secs("[00:31] Welcome"), Some(31));
        assert_eq!(secs("(12:34) And"), Some(754));
        assert_eq!(secs("00:12:34 You"), Some(754));
        assert_eq!(secs("[1:02:03] We"), Some(3723));
        assert_eq!(secs("【00:03:15】主持人：…"), Some(195));
        assert_eq!(secs("[0:47:06.4**] Jen"), Some(2826));
        assert_eq!(secs("  12:34"), Some(754));
        assert_eq!(secs("00:00 - Intro"), Some(0));
    }

    #[test]
    fn non_times_are_not_read() {
        assert_eq!(secs("16:9 dashboards"), None);
        assert_eq!(secs("3:2 frame"), None);
        assert_eq!(secs("at 14:30 in a sentence"), None);
        assert_eq!(secs("12:34pm"), None);
        assert_eq!(secs("1:60"), None);
        assert_eq!(secs("[16:9]"), None);
        assert_eq!(secs("10:30: a label"), None);
        assert_eq!(secs("1:2:3"), None);
        assert_eq!(secs("2024:10"), None);
    }

    #[test]
    fn a_chapter_list_is_a_rising_run_from_the_start() {
        let text = "Chapters:\n00:00 Intro\n05:12 Hiring\n[1:10:05] Questions\n\nText.";
        let list = chapter_list(text);
        assert_eq!(
            list.iter().map(|c| c.seconds).collect::<Vec<_>>(),
            vec![0, 312, 4205]
        );
        assert_eq!(list[1].title, "Hiring");
        assert!(chapter_list("12:00 one\n13:00 two").is_empty());
        assert!(chapter_list("00:00 one\n00:00 two").is_empty());
        assert!(chapter_list("00:00 only one").is_empty());
    }
}
