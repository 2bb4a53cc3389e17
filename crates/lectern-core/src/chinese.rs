//! Conversion between Simplified and Traditional script, with OpenCC's tables (the
//! `ferrous-opencc` crate, its dictionaries embedded in the binary). Each converter is built once,
//! on first use, and shared.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// One lazily built converter per OpenCC configuration lectern uses.
struct Converter(LazyLock<Option<OpenCC>>);

impl Converter {
    const fn new(build: fn() -> Option<OpenCC>) -> Self {
        Self(LazyLock::new(build))
    }

    /// `text` converted; unchanged if the embedded configuration failed to load, which only a
    /// broken build of the crate could cause (logged once, at first use).
    fn convert(&self, text: &str) -> String {
        match &*self.0 {
            Some(opencc) => opencc.convert(text),
            None => text.to_string(),
        }
    }
}

fn build(config: BuiltinConfig) -> Option<OpenCC> {
    match OpenCC::from_config(config) {
        Ok(opencc) => Some(opencc),
        Err(err) => {
            tracing::error!(%err, ?config, "OpenCC configuration failed to load; text is left as it is");
            None
        }
    }
}

static S2TWP: Converter = Converter::new(|| build(BuiltinConfig::S2twp));
static S2HK: Converter = Converter::new(|| build(BuiltinConfig::S2hk));
// Only the test that derives the fold table again uses these two (search::normalize).
#[cfg(test)]
static T2S: Converter = Converter::new(|| build(BuiltinConfig::T2s));
#[cfg(test)]
static TW2S: Converter = Converter::new(|| build(BuiltinConfig::Tw2s));
static TW2SP: Converter = Converter::new(|| build(BuiltinConfig::Tw2sp));
static HK2S: Converter = Converter::new(|| build(BuiltinConfig::Hk2s));

/// Simplified to Taiwan's Traditional, with Taiwan's phrases (软件 → 軟體).
pub(crate) fn s2twp(text: &str) -> String {
    S2TWP.convert(text)
}

/// Simplified to Hong Kong's Traditional.
pub(crate) fn s2hk(text: &str) -> String {
    S2HK.convert(text)
}

/// Traditional (OpenCC's standard) to Simplified.
#[cfg(test)]
pub(crate) fn t2s(text: &str) -> String {
    T2S.convert(text)
}

/// Taiwan's Traditional to Simplified, character by character.
#[cfg(test)]
pub(crate) fn tw2s(text: &str) -> String {
    TW2S.convert(text)
}

/// Taiwan's Traditional to Simplified, with mainland phrases (軟體 → 软件).
pub(crate) fn tw2sp(text: &str) -> String {
    TW2SP.convert(text)
}

/// Hong Kong's Traditional to Simplified.
pub(crate) fn hk2s(text: &str) -> String {
    HK2S.convert(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways_with_regional_phrases() {
        assert_eq!(s2twp("软件开发"), "軟體開發");
        assert_eq!(tw2sp("軟體開發"), "软件开发");
        assert_eq!(t2s("開發者大會"), "开发者大会");
        assert_ne!(s2hk("开发"), "开发");
        assert_eq!(hk2s(&s2hk("开发者")), "开发者");
    }
}
