//! Stable keys: a talk, a speaker or a tag named by the 64-bit FNV-1a hash of its name, and the
//! one place that writes and reads them (and the other numbers ids carry) as text.
//!
//! Buttons and autocomplete values carry keys, since names can be long; a key never changes, so
//! what a message or a choice names survives restarts and reloads. Each kind of key is its own
//! type, so a speaker's key cannot be looked up as a talk's.
//!
//! Invariants: a key is written as exactly 16 lowercase hex digits and read back only from
//! that; every other number (an ordinal, a page) is written in lowercase hex and read from 1 to
//! 16 lowercase hex digits, never with a sign (`from_str_radix` alone would take one).

use std::fmt;

/// The 64-bit FNV-1a hash of `name`: what every key is.
pub fn hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A number written in lowercase hex (1 to 16 digits, no sign), read back.
pub fn hex(s: &str) -> Option<u64> {
    let digits = s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    (digits && (1..=16).contains(&s.len()))
        .then(|| u64::from_str_radix(s, 16).ok())
        .flatten()
}

/// An ordinal or a page written in lowercase hex, read back.
pub fn index(s: &str) -> Option<usize> {
    usize::try_from(hex(s)?).ok()
}

macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u64);

        impl $name {
            /// The key of `name`.
            pub fn of(name: &str) -> $name {
                $name(hash(name))
            }

            /// The key whose hash is `raw` (as a [`crate::library::Name`] keeps it).
            pub fn from_raw(raw: u64) -> $name {
                $name(raw)
            }

            /// The hash itself.
            pub fn get(self) -> u64 {
                self.0
            }

            /// Reads a key [`Display`](fmt::Display) wrote: exactly 16 lowercase hex digits.
            pub fn parse(s: &str) -> Option<$name> {
                (s.len() == 16).then(|| hex(s).map($name)).flatten()
            }
        }

        impl fmt::Display for $name {
            /// 16 lowercase hex digits.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:016x}", self.0)
            }
        }
    )*};
}

keys! {
    /// A talk, by its id (the file name without its extension).
    TalkKey,
    /// A speaker, by their name as the library spells it.
    SpeakerKey,
    /// A tag, by its name as the library spells it.
    TagKey,
    /// A quote, by its talk's key and its words ([`QuoteKey::of_quote`]).
    QuoteKey,
}

impl QuoteKey {
    /// The key of the quote `text` of the talk `talk`: the hash of the talk's key and the
    /// quote's words with their whitespace collapsed, so it names the same quote after a
    /// reload, a restart or an edit elsewhere in the write-up (its position in the talk may
    /// change; its words and its talk do not).
    pub fn of_quote(talk: TalkKey, text: &str) -> QuoteKey {
        let words: Vec<&str> = text.split_whitespace().collect();
        QuoteKey::of(&format!("{talk}\u{1f}{}", words.join(" ")))
    }
}

impl serde::Serialize for QuoteKey {
    /// As text, the 16 hex digits [`Display`](fmt::Display) writes.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fnv1a_in_16_hex_digits_and_read_back_only_from_that() {
        // FNV-1a's published test vectors.
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        let k = TalkKey::of("2026-01-27-sam-altman-developer-townhall");
        assert_eq!(k.to_string(), "ebbf124b7760b17e");
        assert_eq!(TalkKey::parse("ebbf124b7760b17e"), Some(k));
        assert_eq!(SpeakerKey::of("Sam Altman").to_string(), "0010f9c669f49f49");
        for bad in [
            "",
            "ebbf124b7760b17",
            "EBBF124B7760B17E",
            "+bbf124b7760b17e",
            "ebbf124b7760b17e0",
        ] {
            assert_eq!(TalkKey::parse(bad), None, "{bad}");
        }
        assert_eq!(hex("c"), Some(12));
        assert_eq!(index("+1"), None);
        assert_eq!(index(""), None);
        assert_eq!(hex("10000000000000000"), None);
    }

    #[test]
    fn a_quotes_key_is_its_talk_and_its_words_whatever_their_spacing() {
        let talk = TalkKey::of("2026-01-27-sam-altman-developer-townhall");
        let k = QuoteKey::of_quote(talk, "软件 的成本\n会 下降");
        assert_eq!(k, QuoteKey::of_quote(talk, "  软件 的成本 会\t下降 "));
        assert_ne!(k, QuoteKey::of_quote(talk, "软件的成本会下降"));
        assert_ne!(
            k,
            QuoteKey::of_quote(TalkKey::of("other"), "软件 的成本 会 下降")
        );
        assert_eq!(QuoteKey::parse(&k.to_string()), Some(k));
    }
}
