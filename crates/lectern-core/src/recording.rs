//! A talk's recording and the link that opens it at a moment (issue 24).
//!
//! The recording is a URL the write-up gives (`Meta::recording`). A link to a moment exists
//! for the pages whose players read a start time from the URL:
//! - YouTube (`youtube.com/watch`, `/live/`, `/shorts/`, `youtu.be/<id>`): the query's `t=<s>s`;
//! - Bilibili (`bilibili.com/video/…`): `t=<s>`, its `p=` (the part of a multi-part upload) kept;
//! - Vimeo (`vimeo.com/<id>`): the fragment `#t=<s>s`;
//! - a direct audio or video file (`.mp3`, `.m4a`, `.mp4`, `.ogg`, `.webm`, `.wav`, …): the
//!   Media Fragments form `#t=<s>`.
//!
//! An existing `t=` is replaced. Any other page gets no link. Only an absolute http(s) URL
//! within the limit the caller names goes out (Discord's: 512 characters for a link button,
//! 2,048 for an embed; [`crate::text::web_url`] checks and normalises it).

use url::Url;

use crate::text::web_url;

/// File extensions of audio and video a browser plays at a Media Fragments time.
const MEDIA_FILES: &[&str] = &[
    "mp3", "m4a", "m4b", "aac", "ogg", "oga", "opus", "wav", "flac", "mp4", "m4v", "webm", "ogv",
    "mov",
];

/// What kind of recording a URL is, by the player that opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Player {
    YouTube,
    Bilibili,
    Vimeo,
    File,
}

fn player(url: &Url) -> Option<Player> {
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = host.strip_prefix("m.").unwrap_or(host);
    let path = url.path();
    let first = url.path_segments().and_then(|mut s| s.next()).unwrap_or("");
    match host {
        "youtube.com" | "music.youtube.com" => match first {
            "watch" if url.query_pairs().any(|(k, v)| k == "v" && !v.is_empty()) => {
                Some(Player::YouTube)
            }
            "live" | "shorts" if path.len() > first.len() + 2 => Some(Player::YouTube),
            _ => None,
        },
        "youtu.be" if !first.is_empty() => Some(Player::YouTube),
        "bilibili.com" if first == "video" => Some(Player::Bilibili),
        "vimeo.com" if first.chars().all(|c| c.is_ascii_digit()) && !first.is_empty() => {
            Some(Player::Vimeo)
        }
        _ => {
            let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
            MEDIA_FILES.contains(&ext.as_str()).then_some(Player::File)
        }
    }
}

/// Whether `url` is a recording lectern can link to a moment of (a page a source may be).
pub fn is_recording(url: &str) -> bool {
    Url::parse(url.trim())
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && player(&u).is_some())
}

/// The link that opens `recording` at `seconds`, within `max` characters, or `None` when the
/// page takes no time or the link would be no URL Discord accepts.
pub fn watch_link(recording: &str, seconds: u32, max: usize) -> Option<String> {
    let mut url = Url::parse(recording.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    match player(&url)? {
        Player::YouTube => set_query(&mut url, &format!("{seconds}s")),
        Player::Bilibili => set_query(&mut url, &seconds.to_string()),
        Player::Vimeo => url.set_fragment(Some(&format!("t={seconds}s"))),
        Player::File => url.set_fragment(Some(&format!("t={seconds}"))),
    }
    web_url(url.as_str(), max)
}

/// Sets the query's `t` (replacing any), keeping every other pair in its place.
fn set_query(url: &mut Url, t: &str) {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "t")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("t", t);
}

/// `seconds` as a clock, the way video sites show it: `0:31`, `12:34`, `1:02:03`.
pub fn format_clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::DISCORD;
    const MAX_EMBED_URL: usize = DISCORD.embed_url;
    const MAX_LINK_BUTTON_URL: usize = DISCORD.link_url;

    fn link(url: &str, s: u32) -> Option<String> {
        watch_link(url, s, MAX_LINK_BUTTON_URL)
    }

    #[test]
    fn each_player_gets_its_form_and_an_old_time_is_replaced() {
        assert_eq!(
            link("https://www.youtube.com/watch?v=abc&t=99&list=L", 754).as_deref(),
            Some("https://www.youtube.com/watch?v=abc&list=L&t=754s")
        );
        assert_eq!(
            link("https://youtu.be/abc?t=5", 31).as_deref(),
            Some("https://youtu.be/abc?t=31s")
        );
        assert_eq!(
            link("https://www.bilibili.com/video/BV1xx411c7mD?p=2&t=30", 760).as_deref(),
            Some("https://www.bilibili.com/video/BV1xx411c7mD?p=2&t=760")
        );
        assert_eq!(
            link("https://vimeo.com/123456789#t=10s", 270).as_deref(),
            Some("https://vimeo.com/123456789#t=270s")
        );
        assert_eq!(
            link("https://media.example.org/a/talk.MP3", 942).as_deref(),
            Some("https://media.example.org/a/talk.MP3#t=942")
        );
    }

    #[test]
    fn other_pages_and_bad_urls_get_no_link() {
        assert_eq!(link("https://example.org/talks/42", 10), None);
        assert_eq!(link("https://www.youtube.com/channel/UC1", 10), None);
        assert_eq!(link("https://vimeo.com/channels/staffpicks", 10), None);
        assert_eq!(link("talks/intro.mp3", 10), None);
        assert_eq!(link("ftp://example.org/a.mp3", 10), None);
        assert_eq!(link("某播客第 42 期", 10), None);
        let long = format!("https://youtu.be/abc?x={}", "a".repeat(490));
        assert!(link(&long, 10).is_none());
        assert!(watch_link(&long, 10, MAX_EMBED_URL).is_some());
    }

    #[test]
    fn clocks_are_shown_as_video_sites_show_them() {
        assert_eq!(format_clock(31), "0:31");
        assert_eq!(format_clock(754), "12:34");
        assert_eq!(format_clock(3723), "1:02:03");
    }
}
