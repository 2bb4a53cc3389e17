//! The `custom_id`s of buttons and select menus: what a press means, carried in the message.
//!
//! Buttons must keep working after a restart or a reload, so nothing about them is kept in
//! memory: the id says who may press it and what pressing it does. Format, version 2:
//!
//! - a button: `<prefix>2:b<slot>:<invoker>:<action>`;
//! - a select menu: `<prefix>2:m<slot>:<invoker>`, and each of its options has the value
//!   `<action>`;
//! - `<prefix>` says whose component it is: `l` for the standalone bot (so its ids read
//!   `l2:…`), or what a host chose for its plugin
//!   ([`PluginOptions::custom_id_prefix`](super::plugin::PluginOptions::custom_id_prefix)):
//!   1 to [`MAX_PREFIX_LEN`] characters of `a-z`, `A-Z`, `0-9`, `-` and `_`, never `:`. An id
//!   is lectern's exactly when it starts with `<prefix>2:`; since the prefix holds no `:`, two
//!   different prefixes never claim the same id (the first `:` ends the tag), so two plugins,
//!   or lectern and the host's own components, cannot mistake each other's ids;
//! - `<action>` is what the button does, written by the core's codec
//!   ([`lectern_core::reply::codec`]): `s.<talk>.<section>.<page>`, `q`, `q.<talk>.<section>`,
//!   `q.<talk>`, `p.<speaker>[.<talk>]`, `l.<page>[.<tag>]` or `c.<talk>.<page>`, with talks,
//!   speakers and tags as their keys ([`lectern_core::key`], 64-bit FNV-1a in 16 hex digits:
//!   names can be long, a key is short and stays the same across restarts and reloads);
//! - `<slot>` is the component's position in its message: Discord rejects a message in which
//!   two components share a `custom_id`, and two disabled buttons can point at the same place;
//! - `<slot>`, `<section>` and `<page>` are lowercase hex, `<invoker>` is the user id in
//!   decimal; so even the largest numbers fit: the longest id has 93 characters after the
//!   prefix, so 94 with `l` and exactly 100 with a 7-character prefix.
//!
//! `<section>` is the section's ordinal, so the version changes whenever ordinals change
//! meaning. Version 1 (`<prefix>1:`) counted sections from the first heading; version 2 counts
//! from the intro, section 0, so a version 1 id would open the section before the one it
//! names. Old ids are not translated (a talk without an intro has no shift, and which talks had
//! one then is not known): [`Ids::is_retired`] recognises them (and [`Ids::owns`] claims them)
//! so that the press gets a note that the button is from an older version, never the wrong
//! section. A select menu carries the version
//! in its own id, so an old menu's values are never read.
//!
//! Invariants: whatever the input, an encoded id or value is at most [`MAX_LEN`] characters;
//! decoding never panics and rejects anything it did not write, including ids of older
//! versions; a talk hash that no loaded talk has any more resolves to `None`, and the caller
//! answers politely.

use lectern_core::reply::Action;
/// The `<action>` part, the core's codec ([`lectern_core::reply::codec`]).
pub use lectern_core::reply::codec::{
    Target, decode as decode_action, encode as encode_action, resolve,
};

/// Discord's limit for a `custom_id` and for a select option's value, in characters.
pub const MAX_LEN: usize = 100;

/// The longest `<prefix>`: the longest rest of an id, version included, is 93 characters.
pub const MAX_PREFIX_LEN: usize = 7;

/// The version of the format, written after the prefix.
const VERSION: &str = "2";

/// The versions of older releases, whose ordinals mean something else now.
const RETIRED: &[&str] = &["1"];

/// The ids of one lectern (the standalone bot or one plugin): its prefix and the format's
/// version, `<prefix>2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids {
    prefix: std::borrow::Cow<'static, str>,
    tag: std::borrow::Cow<'static, str>,
}

impl Ids {
    /// The standalone bot's ids: `l2:…`.
    pub const LECTERN: Ids = Ids {
        prefix: std::borrow::Cow::Borrowed("l"),
        tag: std::borrow::Cow::Borrowed("l2"),
    };

    /// The ids under `prefix`, or `None` when it is empty, longer than [`MAX_PREFIX_LEN`] or
    /// holds anything but ASCII letters, digits, `-` and `_`.
    pub fn new(prefix: &str) -> Option<Ids> {
        let ok = (1..=MAX_PREFIX_LEN).contains(&prefix.len())
            && prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Ids {
            prefix: prefix.to_string().into(),
            tag: format!("{prefix}{VERSION}").into(),
        })
    }

    /// Whether `custom_id` is one of these ids (well formed or not): it starts with
    /// `<prefix>2:`, or with the tag of an older version ([`Ids::is_retired`]), whose press
    /// lectern still answers, with a note.
    pub fn owns(&self, custom_id: &str) -> bool {
        custom_id
            .strip_prefix(&*self.tag)
            .is_some_and(|rest| rest.starts_with(':'))
            || self.is_retired(custom_id)
    }

    /// True for an id an older version of lectern wrote under this prefix: [`Ids::decode`]
    /// rejects it, and the press is answered with a note that the button is from an older
    /// version rather than "not in the library".
    pub fn is_retired(&self, custom_id: &str) -> bool {
        custom_id.split_once(':').is_some_and(|(tag, _)| {
            tag.strip_prefix(&*self.prefix)
                .is_some_and(|version| RETIRED.contains(&version))
        })
    }

    /// The id of a button.
    pub fn button(&self, slot: usize, invoker: u64, action: &Action) -> String {
        format!("{}:b{slot:x}:{invoker}:{}", self.tag, encode_action(action))
    }

    /// The id of a select menu.
    pub fn select(&self, slot: usize, invoker: u64) -> String {
        format!("{}:m{slot:x}:{invoker}", self.tag)
    }

    /// The id of the button `custom_id` with its action `from` replaced by `to` (same slot and
    /// invoker); `None` when `custom_id` is not a button of these ids doing `from`.
    pub fn retarget(&self, custom_id: &str, from: &Action, to: &Action) -> Option<String> {
        let press = self.decode(custom_id)?;
        let (head, action) = custom_id.rsplit_once(':')?;
        (press.target.is_some() && action == encode_action(from))
            .then(|| format!("{head}:{}", encode_action(to)))
    }

    /// Reads a `custom_id`; `None` for anything these ids did not write.
    pub fn decode(&self, custom_id: &str) -> Option<Press> {
        let mut parts = custom_id.splitn(4, ':');
        if parts.next()? != self.tag {
            return None;
        }
        let kind = parts.next()?;
        let invoker = parts.next()?.parse().ok()?;
        let slot_ok = |s: &str| lectern_core::key::hex(s).is_some();
        match (kind.split_at_checked(1)?, parts.next()) {
            (("b", slot), Some(action)) if slot_ok(slot) => Some(Press {
                invoker,
                target: Some(decode_action(action)?),
            }),
            (("m", slot), None) if slot_ok(slot) => Some(Press {
                invoker,
                target: None,
            }),
            _ => None,
        }
    }
}

impl Default for Ids {
    fn default() -> Ids {
        Ids::LECTERN
    }
}

/// A decoded `custom_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Press {
    /// The user who ran the command; only they may press.
    pub invoker: u64,
    /// What a button does; `None` for a select menu, whose options carry it.
    pub target: Option<Target>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use lectern_core::key::{SpeakerKey, TagKey, TalkKey};
    use lectern_core::text::char_len;

    fn button(slot: usize, invoker: u64, action: &Action) -> String {
        Ids::LECTERN.button(slot, invoker, action)
    }

    fn select(slot: usize, invoker: u64) -> String {
        Ids::LECTERN.select(slot, invoker)
    }

    fn is_retired(id: &str) -> bool {
        Ids::LECTERN.is_retired(id)
    }

    fn decode(id: &str) -> Option<Press> {
        Ids::LECTERN.decode(id)
    }

    fn section(talk: &str, section: usize, page: usize) -> Action {
        Action::Section {
            talk: talk.into(),
            section,
            page,
        }
    }

    #[test]
    fn buttons_round_trip() {
        let a = section("2026-01-27-sam-altman-developer-townhall", 12, 1);
        let id = button(3, 80351110224678912, &a);
        assert_eq!(
            id,
            format!(
                "l2:b3:80351110224678912:s.{}.c.1",
                TalkKey::of("2026-01-27-sam-altman-developer-townhall")
            )
        );
        assert_eq!(
            decode(&id),
            Some(Press {
                invoker: 80351110224678912,
                target: Some(Target::Section {
                    talk: TalkKey::of("2026-01-27-sam-altman-developer-townhall"),
                    section: 12,
                    page: 1
                })
            })
        );
        let q = Action::Quote {
            talk: Some("t".into()),
            section: Some(4),
        };
        let press = decode(&button(0, 7, &q)).unwrap();
        assert_eq!(
            press.target,
            Some(Target::Quote {
                within: Some((TalkKey::of("t"), 4))
            })
        );
        let all = Action::Quote {
            talk: None,
            section: None,
        };
        assert_eq!(
            decode(&button(1, 7, &all)).unwrap().target,
            Some(Target::Quote { within: None })
        );
    }

    #[test]
    fn the_kinds_added_for_many_talks_round_trip_and_fit() {
        let long = "演讲".repeat(500);
        let cases = [
            (
                Action::Quote {
                    talk: Some(long.clone()),
                    section: None,
                },
                Target::QuoteTalk {
                    talk: TalkKey::of(&long),
                },
            ),
            (
                Action::QuoteBy {
                    speaker: "Sam Altman".into(),
                    talk: Some(long.clone()),
                },
                Target::QuoteBy {
                    speaker: SpeakerKey::of("Sam Altman"),
                    talk: Some(TalkKey::of(&long)),
                },
            ),
            (
                Action::QuoteBy {
                    speaker: "Sam Altman".into(),
                    talk: None,
                },
                Target::QuoteBy {
                    speaker: SpeakerKey::of("Sam Altman"),
                    talk: None,
                },
            ),
            (
                Action::Talks {
                    page: usize::MAX,
                    tag: Some(long.clone()),
                },
                Target::Talks {
                    page: usize::MAX,
                    tag: Some(TagKey::of(&long)),
                },
            ),
            (
                Action::Talks { page: 3, tag: None },
                Target::Talks { page: 3, tag: None },
            ),
            (
                Action::Contents {
                    talk: long.clone(),
                    page: usize::MAX,
                },
                Target::Contents {
                    talk: TalkKey::of(&long),
                    page: usize::MAX,
                },
            ),
        ];
        let host = Ids::new("lectern").unwrap();
        for (action, target) in cases {
            let id = host.button(usize::MAX, u64::MAX, &action);
            assert!(char_len(&id) <= MAX_LEN, "{id}");
            assert_eq!(host.decode(&id).unwrap().target, Some(target), "{id}");
        }
    }

    #[test]
    fn select_menus_round_trip_and_carry_the_action_in_the_value() {
        assert_eq!(
            decode(&select(0, 42)),
            Some(Press {
                invoker: 42,
                target: None
            })
        );
        let value = encode_action(&section("x", 2, 0));
        assert_eq!(
            decode_action(&value),
            Some(Target::Section {
                talk: TalkKey::of("x"),
                section: 2,
                page: 0
            })
        );
    }

    #[test]
    fn ids_stay_within_100_characters_whatever_the_talk_id() {
        let long = "演讲".repeat(500);
        let worst = Action::Section {
            talk: long.clone(),
            section: usize::MAX,
            page: usize::MAX,
        };
        let id = button(usize::MAX, u64::MAX, &worst);
        assert_eq!(char_len(&id), 94, "{id}");
        assert!(char_len(&id) <= MAX_LEN);
        assert!(char_len(&select(usize::MAX, u64::MAX)) <= MAX_LEN);
        assert!(decode(&id).is_some());
        // The longest prefix a host may choose still fits.
        let host = Ids::new("lectern").unwrap();
        let id = host.button(usize::MAX, u64::MAX, &worst);
        assert_eq!(char_len(&id), MAX_LEN, "{id}");
        assert!(char_len(&host.select(usize::MAX, u64::MAX)) <= MAX_LEN);
        assert!(host.decode(&id).is_some());
    }

    #[test]
    fn a_prefix_is_short_and_plain() {
        for good in ["l", "talk", "a-b_C9", "lectern"] {
            assert!(Ids::new(good).is_some(), "{good}");
        }
        for bad in ["", "lectern2", "a:b", "a b", "é", "a.b"] {
            assert_eq!(Ids::new(bad), None, "{bad}");
        }
        assert_eq!(
            Ids::new("l"),
            Some(Ids::LECTERN),
            "the default is the standalone's `l`"
        );
    }

    #[test]
    fn each_lectern_reads_only_its_own_ids() {
        let q = Action::Quote {
            talk: None,
            section: None,
        };
        let ids = ["l", "l1", "l2", "talk", "talk1", "t"].map(|p| Ids::new(p).unwrap());
        for a in &ids {
            let button = a.button(0, 7, &q);
            let select = a.select(1, 7);
            for b in &ids {
                let same = a == b;
                assert_eq!(b.owns(&button), same, "{b:?} owns {button}");
                assert_eq!(b.owns(&select), same, "{b:?} owns {select}");
                assert_eq!(b.decode(&button).is_some(), same, "{b:?} reads {button}");
            }
        }
        // The host's own ids, and ids that merely look alike, are not lectern's.
        for foreign in [
            "",
            "l",
            "l1",
            "l1x:b0:7:q",
            "host:wave",
            "L1:b0:7:q",
            "l10:b0:7:q",
        ] {
            assert!(!Ids::LECTERN.owns(foreign), "{foreign}");
        }
        // A malformed id under lectern's prefix is still lectern's to answer (politely).
        assert!(Ids::LECTERN.owns("l2:garbage"));
        assert_eq!(Ids::LECTERN.decode("l2:garbage"), None);
    }

    #[test]
    fn a_post_button_becomes_a_delete_button_for_the_same_invoker() {
        let share = button(4, 42, &Action::Share);
        let delete = Ids::LECTERN
            .retarget(&share, &Action::Share, &Action::Delete)
            .unwrap();
        assert_eq!(delete, button(4, 42, &Action::Delete));
        assert_eq!(decode(&delete).unwrap().target, Some(Target::Delete));
        let other = button(0, 42, &section("t", 0, 0));
        assert_eq!(
            Ids::LECTERN.retarget(&other, &Action::Share, &Action::Delete),
            None
        );
    }

    #[test]
    fn the_same_action_in_two_slots_gets_two_ids() {
        let a = section("t", 0, 0);
        assert_ne!(button(0, 1, &a), button(1, 1, &a));
    }

    #[test]
    fn garbage_is_rejected_without_panicking() {
        for bad in [
            "",
            "l2",
            "l2:b0",
            "l2:b0:12",
            "l2:b0:abc:q",
            "l2:b:12:q",
            "l2:bx:12:q",
            "l2:m0:12:q",
            "l3:b0:12:q",
            "l2:b0:12:s.zz.1.2",
            "l2:b0:12:s.0123456789abcdef.1",
            "l2:b0:12:s.0123456789abcdef.-1.0",
            "l2:b0:12:s.0123456789abcdef.+1.0",
            "l2:b0:12:s.0123456789ABCDEF.1.0",
            "l2:b+0:12:q",
            "l2:b0:12:q.0123456789abcde",
            "l2:b0:12:p.0123456789abcdef.1",
            "l2:b0:12:l.-1",
            "l2:b0:12:l.1.abc",
            "l2:b0:12:c.0123456789abcdef",
            "l2:é:12:q",
            "l2:b0:99999999999999999999999:q",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn version_1_ids_are_retired_not_read() {
        // A version 1 button for the seed's section 13 (then ordinal 12, now 13 is section 12).
        let old = format!(
            "l1:b0:42:s.{}.c.0",
            TalkKey::of("2026-01-27-sam-altman-developer-townhall")
        );
        assert_eq!(decode(&old), None);
        assert!(is_retired(&old));
        assert!(is_retired("l1:m0:42"));
        assert!(!is_retired(&select(0, 42)));
        assert!(!is_retired(&button(0, 42, &section("t", 1, 0))));
        assert!(!is_retired("l10:b0:42:q"));
        assert!(!is_retired(""));
        // A plugin's own old ids are its to answer; another prefix's are not.
        let talk = Ids::new("talk").unwrap();
        assert!(talk.is_retired("talk1:b0:42:q") && talk.owns("talk1:b0:42:q"));
        assert!(!talk.is_retired("l1:b0:42:q") && !talk.owns("l1:b0:42:q"));
        assert!(talk.owns(&talk.button(
            0,
            42,
            &Action::Quote {
                talk: None,
                section: None
            }
        )));
    }

    #[test]
    fn the_talk_hash_is_stable() {
        // FNV-1a 64 test vectors: the hash must never change, or old buttons would break.
        assert_eq!(TalkKey::of("").get(), 0xcbf29ce484222325);
        assert_eq!(TalkKey::of("a").get(), 0xaf63dc4c8601ec8c);
        assert_eq!(TalkKey::of("foobar").get(), 0x85944171f73967e8);
    }

    #[test]
    fn a_stale_talk_resolves_to_nothing() {
        let lib = lectern_core::library::Library::from_talks(Vec::new());
        let t = Target::Section {
            talk: TalkKey::of("gone"),
            section: 0,
            page: 0,
        };
        assert_eq!(resolve(&lib, t), None);
        assert!(resolve(&lib, Target::Quote { within: None }).is_some());
    }

    #[test]
    fn ids_written_by_the_last_release_still_decode_and_are_written_the_same() {
        // Copied from the output of the encoder before the action codec moved to the core:
        // buttons on messages already posted must keep working.
        let talk = TalkKey::of("2026-01-27-sam-altman-developer-townhall");
        let written = [
            (
                "l2:b3:80351110224678912:s.ebbf124b7760b17e.c.1",
                Target::Section {
                    talk,
                    section: 12,
                    page: 1,
                },
            ),
            (
                "talk2:ba:7:p.0010f9c669f49f49.ebbf124b7760b17e",
                Target::QuoteBy {
                    speaker: SpeakerKey::of("Sam Altman"),
                    talk: Some(talk),
                },
            ),
            (
                "talk2:ba:7:l.11.09085b07b5a0de5f",
                Target::Talks {
                    page: 17,
                    tag: Some(TagKey::of("AI")),
                },
            ),
        ];
        let plugin = Ids::new("talk").unwrap();
        for (id, target) in written {
            let ids = if id.starts_with("l2:") {
                &Ids::LECTERN
            } else {
                &plugin
            };
            let press = ids.decode(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(press.target, Some(target), "{id}");
        }
        assert_eq!(
            Ids::LECTERN.button(
                3,
                80351110224678912,
                &section("2026-01-27-sam-altman-developer-townhall", 12, 1)
            ),
            written[0].0
        );
        assert_eq!(
            Ids::LECTERN.select(2, 80351110224678912),
            "l2:m2:80351110224678912"
        );
        assert_eq!(
            Ids::LECTERN.decode("l2:m2:80351110224678912"),
            Some(Press {
                invoker: 80351110224678912,
                target: None
            })
        );
    }
}
