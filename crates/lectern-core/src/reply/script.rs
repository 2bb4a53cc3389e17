//! A reply in its reader's script: Traditional Chinese for `zh-TW` and `zh-HK`.
//!
//! Replies are built in Simplified script (the interface's strings and, for the bundled seed,
//! the content). [`in_script`] converts every text a reader sees, interface and content alike,
//! then fits each one to Discord's limits again: conversion can lengthen a text (a phrase of
//! Taiwan's vocabulary may be longer than the one it replaces), so the limits are applied to
//! what is sent, after the conversion. Nothing but text changes: URLs and the actions behind
//! buttons (talk ids) stay as they are.

use super::{Component, Reply, limits};
use crate::i18n::Lang;
use crate::text::{char_len, truncate_chars};

/// `reply` in `lang`'s script, within Discord's limits. Unchanged for English and Simplified.
pub fn in_script(mut reply: Reply, lang: Lang) -> Reply {
    if !lang.converts_script() {
        return reply;
    }
    let convert = |s: &str, max: usize| truncate_chars(&lang.in_script(s), max);
    reply.title = reply.title.map(|t| convert(&t, limits::TITLE));
    reply.description = convert(&reply.description, limits::DESCRIPTION);
    reply.footer = reply.footer.map(|f| convert(&f, limits::FOOTER));
    for f in &mut reply.fields {
        f.name = convert(&f.name, limits::FIELD_NAME);
        f.value = convert(&f.value, limits::FIELD_VALUE);
    }
    for c in &mut reply.components {
        match c {
            Component::Buttons { buttons } => {
                for b in buttons {
                    b.label = convert(&b.label, limits::BUTTON_LABEL);
                }
            }
            Component::Select {
                placeholder,
                options,
            } => {
                *placeholder = convert(placeholder, limits::SELECT_PLACEHOLDER);
                for o in options {
                    o.label = convert(&o.label, limits::SELECT_LABEL);
                    o.description = o
                        .description
                        .as_deref()
                        .map(|d| convert(d, limits::SELECT_DESCRIPTION));
                }
            }
        }
    }
    if let Some(card) = &mut reply.card {
        card.in_script(lang);
    }
    fit_embed_total(&mut reply);
    reply
}

/// Cuts what is over the embed's 6,000-character total after conversion: off the description
/// first, then the footer, then the fields from the last (a field whose value would be left
/// empty goes whole: Discord refuses an empty value). The title stays: it names what is shown.
fn fit_embed_total(reply: &mut Reply) {
    let total = reply.title.as_deref().map_or(0, char_len)
        + char_len(&reply.description)
        + reply.footer.as_deref().map_or(0, char_len)
        + reply
            .fields
            .iter()
            .map(|f| char_len(&f.name) + char_len(&f.value))
            .sum::<usize>();
    let mut over = total.saturating_sub(limits::EMBED_TOTAL);
    cut(&mut reply.description, &mut over);
    if let Some(footer) = &mut reply.footer {
        cut(footer, &mut over);
        if footer.is_empty() {
            reply.footer = None;
        }
    }
    while over > 0 {
        let Some(last) = reply.fields.last_mut() else {
            break;
        };
        // Keep at least the value's first character and its cut mark.
        if char_len(&last.value) > over + 1 {
            cut(&mut last.value, &mut over);
        } else {
            over = over.saturating_sub(char_len(&last.name) + char_len(&last.value));
            reply.fields.pop();
        }
    }
}

/// Shortens `s` by up to `over` characters (taking them off `over`).
fn cut(s: &mut String, over: &mut usize) {
    if *over == 0 {
        return;
    }
    let len = char_len(s);
    let keep = len.saturating_sub(*over);
    let cut = truncate_chars(s, keep);
    *over -= len - char_len(&cut);
    *s = cut;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{Action, Button, Field};

    fn sample(description: &str) -> Reply {
        Reply {
            title: Some("软件工程的未来".into()),
            url: Some("https://example.com/软件".into()),
            description: description.into(),
            fields: vec![Field {
                name: "核心要点".into(),
                value: "人工智能与程序员".into(),
                inline: false,
            }],
            footer: Some("话题 · 下一节".into()),
            components: vec![Component::Buttons {
                buttons: vec![Button {
                    label: "再来一条".into(),
                    action: Action::Quote {
                        talk: Some("软件".into()),
                        section: None,
                    },
                    disabled: false,
                }],
            }],
            ..Reply::default()
        }
    }

    #[test]
    fn taiwan_readers_get_traditional_script_and_taiwan_vocabulary() {
        let r = in_script(sample("这个软件的信息"), Lang::ZhTw);
        assert_eq!(r.title.as_deref(), Some("軟體工程的未來"));
        assert_eq!(r.description, "這個軟體的資訊");
        assert_eq!(r.fields[0].value, "人工智慧與程式設計師");
        assert_eq!(r.footer.as_deref(), Some("話題 · 下一節"));
        let Component::Buttons { buttons } = &r.components[0] else {
            panic!("{r:?}")
        };
        assert_eq!(buttons[0].label, "再來一條");
        // What is not shown to the reader stays as it was.
        assert_eq!(r.url.as_deref(), Some("https://example.com/软件"));
        assert_eq!(
            buttons[0].action,
            Action::Quote {
                talk: Some("软件".into()),
                section: None
            }
        );
    }

    #[test]
    fn hong_kong_readers_get_traditional_script_and_others_get_the_reply_unchanged() {
        let r = in_script(sample("这个软件"), Lang::ZhHk);
        assert_eq!(r.description, "這個軟件");
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(in_script(sample("这个软件"), lang), sample("这个软件"));
        }
    }

    #[test]
    fn the_limits_hold_after_a_conversion_that_lengthens_the_text() {
        // 信息 → 資訊 keeps the length, 程序员 → 程式設計師 adds two characters each time.
        let long = "程序员".repeat(limits::DESCRIPTION / 3);
        let r = in_script(sample(&long), Lang::ZhTw);
        assert!(
            r.limit_violations().is_empty(),
            "{:?}",
            r.limit_violations()
        );
        assert!(r.description.starts_with("程式設計師"));
    }

    #[test]
    fn a_reply_whose_fields_and_footer_alone_grow_past_the_total_is_cut_to_fit() {
        // Within every limit in Simplified script, over the total once converted: the
        // description cannot give back enough.
        // 程序员 (3 characters) becomes 程式設計師 (5) for a Taiwan reader.
        let value = "程序员".repeat(300);
        let r = Reply {
            title: Some("软".repeat(limits::TITLE)),
            description: "信息".into(),
            fields: (0..5)
                .map(|n| Field {
                    name: format!("字段{n}"),
                    value: value.clone(),
                    inline: false,
                })
                .collect(),
            footer: Some("程序员".repeat(200)),
            ..Reply::default()
        };
        assert_eq!(r.limit_violations(), Vec::<String>::new());
        let shown = in_script(r, Lang::ZhTw);
        assert_eq!(shown.limit_violations(), Vec::<String>::new(), "{shown:?}");
        assert!(shown.fields.iter().all(|f| !f.value.is_empty()));
        assert!(shown.title.as_deref().unwrap().starts_with('軟'));
    }
}
