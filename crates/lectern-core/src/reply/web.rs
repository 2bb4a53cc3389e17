//! Where an answer lives on the web pages (issue 30): the path, under the pages' public
//! address, of a talk, a section, a speaker's quotes or a search. The pages (`lectern::web`)
//! route these paths; the Discord adapter puts `web.public_url` before [`Reply::web_path`] in
//! an "Open on the web" link button.
//!
//! [`Reply::web_path`]: super::Reply::web_path

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a path segment keeps unencoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// `s` as one path segment, percent-encoded.
pub fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// `s` as a query-string value, percent-encoded.
pub fn query_value(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// `/talks/{id}`.
pub fn talk(id: &str) -> String {
    format!("/talks/{}", segment(id))
}

/// `/talks/{id}/{ordinal}`.
pub fn section(id: &str, ordinal: usize) -> String {
    format!("/talks/{}/{ordinal}", segment(id))
}

/// `/speakers/{name}`.
pub fn speaker(name: &str) -> String {
    format!("/speakers/{}", segment(name))
}

/// `/search?q={query}`.
pub fn search(query: &str) -> String {
    format!("/search?q={}", query_value(query.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_encode_what_a_url_cannot_hold() {
        assert_eq!(section("2026-01 a b", 3), "/talks/2026-01%20a%20b/3");
        assert_eq!(speaker("苏林"), "/speakers/%E8%8B%8F%E6%9E%97");
        assert_eq!(search(" a&b=c#d "), "/search?q=a%26b%3Dc%23d");
        assert_eq!(talk("../x"), "/talks/..%2Fx");
    }
}
