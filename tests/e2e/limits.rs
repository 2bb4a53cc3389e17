//! Discord's limits on what the bot sends, counted in characters, and the no-ping rule.
//!
//! The OpenAPI description covers most single-field limits; this adds what it does not encode
//! (the 6,000-character total of a message's embeds, unique `custom_id`s within a message,
//! unique option values within a menu) and lectern's own rule that every message carries
//! `allowed_mentions` with an empty `parse`, no roles, and no user but the one named in `for:`
//! ([`pings_only_the_addressee`]).

use std::collections::HashSet;

use serde_json::Value;

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// Problems with an interaction callback body.
pub fn callback(body: &Value) -> Vec<String> {
    match body["type"].as_u64() {
        Some(4 | 7) => message(&body["data"]),
        Some(5 | 6) => Vec::new(),
        Some(8) => {
            let mut e = Vec::new();
            let choices = body["data"]["choices"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if choices.len() > 25 {
                e.push(format!("{} autocomplete choices", choices.len()));
            }
            for c in &choices {
                if !(1..=100).contains(&chars(&c["name"])) {
                    e.push(format!("choice name of {} characters", chars(&c["name"])));
                }
                if chars(&c["value"]) > 100 {
                    e.push(format!("choice value of {} characters", chars(&c["value"])));
                }
            }
            e
        }
        other => vec![format!("unexpected callback type {other:?}")],
    }
}

/// lectern's rule on pings: a message pings no one but the user named in `for:`.
/// `allowed_mentions` has an empty `parse`, no roles, and no users or one user, whose mention
/// the message's text begins with.
pub fn pings_only_the_addressee(m: &Value) -> bool {
    let am = &m["allowed_mentions"];
    let users = am["users"].as_array().cloned().unwrap_or_default();
    let addressed = match users.as_slice() {
        [] => true,
        [one] => one.as_str().is_some_and(|id| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.starts_with(&format!("<@{id}>")))
        }),
        _ => false,
    };
    am["parse"].as_array().is_some_and(Vec::is_empty)
        && am["roles"].as_array().is_none_or(Vec::is_empty)
        && addressed
}

/// Problems with a message body (a callback's data, a follow-up, an edit).
pub fn message(m: &Value) -> Vec<String> {
    let mut e = Vec::new();
    if !pings_only_the_addressee(m) {
        let am = &m["allowed_mentions"];
        e.push(format!(
            "allowed_mentions must ping no one but the user named in for:, found {am}"
        ));
    }
    if chars(&m["content"]) > 2000 {
        e.push(format!("content of {} characters", chars(&m["content"])));
    }
    let embeds = m["embeds"].as_array().cloned().unwrap_or_default();
    if embeds.len() > 10 {
        e.push(format!("{} embeds", embeds.len()));
    }
    let mut total = 0;
    for embed in &embeds {
        let mut limit = |what: &str, v: &Value, max: usize| {
            let n = chars(v);
            total += n;
            if n > max {
                e.push(format!("embed {what} of {n} characters, limit {max}"));
            }
        };
        limit("title", &embed["title"], 256);
        limit("description", &embed["description"], 4096);
        limit("footer", &embed["footer"]["text"], 2048);
        let fields = embed["fields"].as_array().cloned().unwrap_or_default();
        for f in &fields {
            limit("field name", &f["name"], 256);
            limit("field value", &f["value"], 1024);
        }
        if fields.len() > 25 {
            e.push(format!("{} fields", fields.len()));
        }
        for f in &fields {
            if chars(&f["name"]) == 0 || chars(&f["value"]) == 0 {
                e.push("empty field name or value".into());
            }
        }
    }
    if total > 6000 {
        e.push(format!("embeds total {total} characters, limit 6000"));
    }
    let rows = m["components"].as_array().cloned().unwrap_or_default();
    if rows.len() > 5 {
        e.push(format!("{} component rows", rows.len()));
    }
    let mut ids = HashSet::new();
    for row in &rows {
        let parts = row["components"].as_array().cloned().unwrap_or_default();
        if parts.is_empty() || parts.len() > 5 {
            e.push(format!("a row of {} components", parts.len()));
        }
        for c in &parts {
            // A link button (style 5) has a URL and no custom_id; every other component has a
            // custom_id and no URL (Discord refuses the message otherwise, 50035).
            if c["type"] == 2 && c["style"] == 5 {
                if c.get("custom_id").is_some_and(|v| !v.is_null()) {
                    e.push("a link button with a custom_id".into());
                }
                if !c["url"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"))
                {
                    e.push(format!("a link button without a URL: {c}"));
                }
            } else {
                let id = c["custom_id"].as_str().unwrap_or_default();
                if id.is_empty() || id.chars().count() > 100 {
                    e.push(format!("custom_id of {} characters", id.chars().count()));
                }
                if !ids.insert(id.to_string()) {
                    e.push(format!("custom_id {id} twice in one message"));
                }
                if c.get("url").is_some_and(|v| !v.is_null()) {
                    e.push("a button with both a custom_id and a URL".into());
                }
            }
            if chars(&c["label"]) > 80 {
                e.push(format!("button label of {} characters", chars(&c["label"])));
            }
            if c["type"] == 3 {
                let options = c["options"].as_array().cloned().unwrap_or_default();
                if options.is_empty() || options.len() > 25 {
                    e.push(format!("a select menu with {} options", options.len()));
                }
                let mut values = HashSet::new();
                for o in &options {
                    for k in ["label", "value", "description"] {
                        if chars(&o[k]) > 100 {
                            e.push(format!("option {k} of {} characters", chars(&o[k])));
                        }
                    }
                    if !values.insert(o["value"].to_string()) {
                        e.push(format!("option value {} twice", o["value"]));
                    }
                }
                if chars(&c["placeholder"]) > 150 {
                    e.push("placeholder over 150 characters".into());
                }
            }
        }
    }
    e
}

/// Every reply of the seed, as the bot sends it: checked against Discord's limits and the
/// no-ping rule here, not only as the commands of the other tests happen to reach it.
#[test]
fn every_reply_of_the_seed_as_sent_is_within_discords_limits() {
    use lectern::commands::catalog;
    use lectern::discord::convert;
    use poise::serenity_prelude::{CreateInteractionResponse, UserId};

    let lib = crate::seed_library();
    let all = catalog::every_reply(&lib, &["生物安全", "qqqq zzzz", "@everyone **x**", "13"]);
    assert!(all.len() > 300, "{} replies", all.len());
    for (what, reply) in &all {
        // With the pages' address: the "Open on the web" links are held to the schema too.
        let web = convert::WebLink {
            base: "https://talks.example.org",
            lang: lectern::i18n::Lang::En,
        };
        let message = convert::message(
            reply,
            UserId::new(crate::ALICE.id),
            &lectern::discord::custom_id::Ids::LECTERN,
            Some(web),
        );
        let body = serde_json::to_value(CreateInteractionResponse::Message(message)).unwrap();
        let problems = callback(&body);
        assert!(problems.is_empty(), "{what}: {problems:?}\n{body:#}");
    }
}
