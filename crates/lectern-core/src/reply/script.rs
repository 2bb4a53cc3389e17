//! A reply in its reader's script: Traditional Chinese for `zh-TW` and `zh-HK`.
//!
//! Replies are built in Simplified script (the interface's strings and, for the bundled seed,
//! the content). [`in_script`] converts every text a reader sees, interface and content alike,
//! then fits each one to the budget again ([`Reply::fit`]): conversion can lengthen a text (a
//! phrase of Taiwan's vocabulary may be longer than the one it replaces), so the limits are
//! applied to what is sent, after the conversion. Nothing but text changes: URLs and the actions behind
//! buttons (talk ids) stay as they are.

use super::Reply;
use crate::budget::{Budget, DISCORD};
use crate::i18n::Lang;

/// `reply` in `lang`'s script, within Discord's limits. Unchanged for English and Simplified.
pub fn in_script(reply: Reply, lang: Lang) -> Reply {
    in_script_within(reply, lang, &DISCORD)
}

/// [`in_script`] within the limits of `budget`, a front end's.
pub fn in_script_within(reply: Reply, lang: Lang, budget: &Budget) -> Reply {
    if !lang.converts_script() {
        return reply;
    }
    reply
        .map_texts(budget, |s, _| lang.in_script(s))
        .fit(budget)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Component;
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
        let long = "程序员".repeat(DISCORD.description / 3);
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
            title: Some("软".repeat(DISCORD.title)),
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
