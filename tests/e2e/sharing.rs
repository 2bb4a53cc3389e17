//! Sharing answers (issue 27): `private:` answers with a "Post to channel" button that posts
//! the pressed message as it is; `for:`, which pings only the user it names; the delete button
//! and who may press it; the message menus; answers where the app is installed on a user's
//! account only.

use serde_json::{Value, json};

use super::fake_discord::{FakeDiscord, Registration, message_json};
use super::{
    ALICE, BOB, CHANNEL, GUILD, Harness, User, button, buttons, description, embed, is_ephemeral,
};

/// A member who may manage messages in the channel (and nothing else of note).
const MODERATOR: User = User {
    id: 2006,
    name: "moderator",
    locale: "en-US",
    permissions: "11264",
};

/// `/name` with `options`, given as Discord sends them: strings, booleans and users (a user
/// option comes with the user in `resolved`).
fn slash(h: &FakeDiscord, user: &User, name: &str, options: &[(&str, Value)]) -> Value {
    let mut users = serde_json::Map::new();
    let options: Vec<Value> = options
        .iter()
        .map(|(n, v)| match v {
            Value::Bool(_) => json!({"name": n, "type": 5, "value": v}),
            Value::Number(id) => {
                users.insert(
                    id.to_string(),
                    json!({"id": id.to_string(), "username": "someone", "discriminator": "0", "avatar": null, "global_name": null}),
                );
                json!({"name": n, "type": 6, "value": id.to_string()})
            }
            _ => json!({"name": n, "type": 3, "value": v}),
        })
        .collect();
    let mut p = h.slash_with(user, name, options);
    if !users.is_empty() {
        p["data"]["resolved"] = json!({ "users": users });
    }
    p
}

fn labels(callback: &Value) -> Vec<String> {
    buttons(callback)
        .iter()
        .map(|b| b["label"].as_str().unwrap().to_string())
        .collect()
}

fn id_of(callback: &Value, label: &str) -> String {
    button(callback, label)["custom_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn a_private_answer_is_posted_as_it_is_by_its_button_and_counts_for_flood_control() {
    let h = Harness::start_with(Registration::Accept, |c| {
        c.cooldown = lectern::config::CooldownConfig {
            commands: 3,
            seconds: 600,
        };
    })
    .await;
    let private = h
        .interact(slash(
            &h,
            &ALICE,
            "topic",
            &[("section", json!("13")), ("private", json!(true))],
        ))
        .await;
    assert!(is_ephemeral(&private), "{private}");
    assert_eq!(
        labels(&private),
        ["◀ Previous", "Next ▶", "Post to channel"]
    );
    assert!(private["data"].get("content").is_none(), "{private}");

    let post = h
        .press(&ALICE, &private, &id_of(&private, "Post to channel"))
        .await;
    assert_eq!(post["type"], 4, "a new message: {post}");
    assert!(!is_ephemeral(&post), "posted in the channel: {post}");
    // Copied from the pressed message, not drawn again: the same embed.
    assert_eq!(embed(&post)["title"], embed(&private)["title"]);
    assert_eq!(description(&post), description(&private));
    assert_eq!(embed(&post)["footer"], embed(&private)["footer"]);
    assert_eq!(embed(&post)["image"], embed(&private)["image"]);
    // Says who shared it, with a mention that pings no one.
    assert_eq!(
        post["data"]["content"],
        format!("Shared by <@{}>", ALICE.id)
    );
    assert_eq!(post["data"]["allowed_mentions"]["parse"], json!([]));
    assert_eq!(post["data"]["allowed_mentions"]["users"], json!([]));
    // Its paging buttons stay; the post button became the sharer's delete button.
    assert_eq!(labels(&post), ["◀ Previous", "Next ▶", "Delete"]);
    assert_eq!(
        button(&post, "Next ▶")["custom_id"],
        button(&private, "Next ▶")["custom_id"]
    );
    assert!(id_of(&post, "Delete").contains(&format!(":{}:", ALICE.id)));

    // The command and the post were two of three; the third passes, the fourth waits.
    let quote = h
        .interact(slash(&h, &ALICE, "quote", &[("private", json!(true))]))
        .await;
    assert!(is_ephemeral(&quote));
    let again = h
        .press(&ALICE, &quote, &id_of(&quote, "Post to channel"))
        .await;
    assert!(is_ephemeral(&again), "throttled: {again}");
    assert!(description(&again).contains("going a bit fast"), "{again}");

    // A private list's pick opens the section privately too, with its post button.
    h.stop().await;
    let h = Harness::start().await;
    let topics = h
        .interact(slash(&h, &ALICE, "topics", &[("private", json!(true))]))
        .await;
    assert!(is_ephemeral(&topics));
    let menu = super::select_menu(&topics);
    let value = menu["options"][1]["value"].as_str().unwrap().to_string();
    let section = h.choose(&ALICE, &topics, &value).await;
    assert!(is_ephemeral(&section), "{section}");
    assert!(labels(&section).contains(&"Post to channel".to_string()));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn for_pings_only_the_user_it_names_and_a_private_answer_pings_no_one() {
    let h = Harness::start().await;
    let public = h
        .interact(slash(&h, &ALICE, "quote", &[("for", json!(BOB.id))]))
        .await;
    assert!(!is_ephemeral(&public));
    let content = public["data"]["content"].as_str().unwrap();
    assert!(content.starts_with(&format!("<@{}>", BOB.id)), "{content}");
    assert_eq!(
        public["data"]["allowed_mentions"],
        json!({"parse": [], "users": [BOB.id.to_string()], "roles": []})
    );
    let search = h
        .interact(slash(
            &h,
            &ALICE,
            "search",
            &[("query", json!("生物安全")), ("for", json!(BOB.id))],
        ))
        .await;
    assert!(
        search["data"]["content"]
            .as_str()
            .unwrap()
            .starts_with("<@2004>")
    );

    let private = h
        .interact(slash(
            &h,
            &ALICE,
            "topic",
            &[
                ("section", json!("13")),
                ("for", json!(BOB.id)),
                ("private", json!(true)),
            ],
        ))
        .await;
    assert!(is_ephemeral(&private));
    let note = private["data"]["content"].as_str().unwrap();
    assert!(
        note.contains("nobody was mentioned") && !note.contains("<@"),
        "{note}"
    );
    assert_eq!(private["data"]["allowed_mentions"]["users"], json!([]));
    // The fake holds every message to the rule (checked by `stop`): nothing else pinged.
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn only_the_asker_the_sharer_and_moderators_may_delete_an_answer() {
    let h = Harness::start().await;
    let answer = h.interact(slash(&h, &ALICE, "about", &[])).await;
    let delete = id_of(&answer, "Delete");
    // Someone else: a polite refusal, and the message stays.
    let refused = h.press_payload(&BOB, &answer, &delete);
    let token = refused["token"].as_str().unwrap().to_string();
    let refusal = h.interact(refused).await;
    assert!(is_ephemeral(&refusal));
    assert!(
        description(&refusal).contains("Only the person who asked"),
        "{refusal}"
    );
    assert!(!h.deleted_by(&token));
    // The asker: acknowledged without a change, then the message is deleted.
    for who in [&ALICE, &MODERATOR] {
        let answer = h.interact(slash(&h, &ALICE, "quote", &[])).await;
        let press = h.press_payload(who, &answer, &id_of(&answer, "Delete"));
        let token = press["token"].as_str().unwrap().to_string();
        let ack = h.interact(press).await;
        assert_eq!(ack["type"], 6, "{}: {ack}", who.name);
        h.wait_for("the message deleted", |f| {
            f.deleted_by(&token).then_some(())
        })
        .await;
    }
    // A shared post: its sharer may delete it, the person it was shared to may not.
    let private = h
        .interact(slash(&h, &BOB, "quote", &[("private", json!(true))]))
        .await;
    let post = h
        .press(&BOB, &private, &id_of(&private, "Post to channel"))
        .await;
    let refusal = h.press(&ALICE, &post, &id_of(&post, "Delete")).await;
    assert!(is_ephemeral(&refusal));
    let press = h.press_payload(&BOB, &post, &id_of(&post, "Delete"));
    let token = press["token"].as_str().unwrap().to_string();
    assert_eq!(h.interact(press).await["type"], 6);
    h.wait_for("the shared post deleted", |f| {
        f.deleted_by(&token).then_some(())
    })
    .await;
    h.stop().await;
}

/// A message menu used on `message` (a message as Discord sends it).
pub(super) fn menu(h: &FakeDiscord, user: &User, name: &str, message: &Value) -> Value {
    let id = message["id"].as_str().unwrap().to_string();
    let data = json!({"id": "1700000000000000009", "name": name, "type": 3, "target_id": id,
        "resolved": {"messages": {id.clone(): message}}});
    let mut p = h.slash_with(user, name, Vec::new());
    p["data"] = data;
    p
}

#[tokio::test(flavor = "current_thread")]
async fn the_message_menus_search_a_message_privately() {
    let h = Harness::start().await;
    let mut message = message_json(&json!({"content": "what did they say about 生物安全?"}));
    message["author"] =
        json!({"id": BOB.id.to_string(), "username": "bob", "discriminator": "0", "avatar": null});
    let found = h
        .interact(menu(&h, &ALICE, "Search the talks", &message))
        .await;
    assert!(is_ephemeral(&found), "answered privately: {found}");
    let direct = h
        .interact(slash(
            &h,
            &ALICE,
            "search",
            &[("query", json!("what did they say about 生物安全?"))],
        ))
        .await;
    assert_eq!(
        description(&found),
        description(&direct),
        "the message's text, searched"
    );
    assert!(labels(&found).contains(&"Post to channel".to_string()));
    // A message of embeds (lectern's own) is searched by its embed's text.
    let answer = h
        .interact(slash(&h, &ALICE, "topic", &[("section", json!("13"))]))
        .await;
    let own = message_json(&answer["data"]);
    let again = h.interact(menu(&h, &ALICE, "Search the talks", &own)).await;
    assert!(is_ephemeral(&again));
    assert!(!description(&again).contains("Type something"), "{again}");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn installed_on_a_users_account_only_it_answers_privately() {
    let h = Harness::start().await;
    // Used in a server that did not install the app: only the user's installation is named.
    let mut p = slash(&h, &ALICE, "quote", &[]);
    p["authorizing_integration_owners"] = json!({"1": ALICE.id.to_string()});
    p["context"] = json!(0);
    let answer = h.interact(p).await;
    assert!(is_ephemeral(&answer), "{answer}");
    assert!(labels(&answer).contains(&"Post to channel".to_string()));
    // In a server that installed it: public, as always.
    let mut p = slash(&h, &ALICE, "quote", &[]);
    p["authorizing_integration_owners"] =
        json!({"0": GUILD.to_string(), "1": ALICE.id.to_string()});
    p["context"] = json!(0);
    let answer = h.interact(p).await;
    assert!(!is_ephemeral(&answer), "{answer}");
    // A private channel (a group DM) without the bot: private.
    let mut p = FakeDiscord::in_dm(slash(&h, &ALICE, "about", &[]));
    p["authorizing_integration_owners"] = json!({"1": ALICE.id.to_string()});
    p["context"] = json!(2);
    p["channel_id"] = json!(CHANNEL.to_string());
    let answer = h.interact(p).await;
    assert!(is_ephemeral(&answer), "{answer}");
    h.stop().await;
}
