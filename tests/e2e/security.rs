//! Security (issue 7, item 9): the token stays secret, admin actions stay with admins, no reply
//! pings anyone, and a `custom_id` cannot reach outside the library.
//!
//! Every test here also relies on what the harness checks for all tests: every message the bot
//! sends has `allowed_mentions` with `parse: []` (the fake records anything else as a problem),
//! and the token is not in the log.

use std::path::PathBuf;

use lectern::key::TalkKey;
use serde_json::{Value, json};

use super::fake_discord::{Fault, Registration};
use super::*;

#[tokio::test(flavor = "current_thread")]
async fn the_token_is_not_in_logs_errors_or_about_even_with_every_crate_at_debug() {
    let h = Harness::start_logging("debug", Registration::Accept, |_| {}).await;
    let about = h.command(&ALICE, "about", &[]).await;
    assert!(!about.to_string().contains(TOKEN), "{about}");
    // An error from the REST API (logged with the error) and a gateway RESUME (which carries
    // the token to the gateway).
    let payload = h.slash(&ALICE, "about", &[]);
    h.fail_next(payload["id"].as_str().unwrap(), 1, Fault::ServerError);
    h.interact(payload).await;
    h.close_gateway(4000);
    h.wait_for("a RESUME", |f| (!f.resumes().is_empty()).then_some(()))
        .await;
    let logs = h.stop().await;
    assert!(logs.contains("command failed"), "{logs}");
    for part in TOKEN.split('.') {
        assert!(!logs.contains(part), "a part of the token is in the log");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_token_is_not_in_the_errors_of_a_failed_start() {
    // Registration fails with an error from Discord: the error is logged, without the token.
    let h = Harness::start_with(Registration::Fail, |_| {}).await;
    let logs = h.stop().await;
    assert!(logs.contains("COMMAND REGISTRATION FAILED"), "{logs}");
    assert!(!logs.contains(TOKEN));
}

#[tokio::test(flavor = "current_thread")]
async fn reload_is_refused_to_members_without_manage_server_even_when_discord_delivers_it() {
    let seeds = seeds_copy();
    let h = Harness::start_on(seeds.path()).await;
    // A server admin widened `/reload` to everyone: Discord delivers it from these members.
    // Manage Messages | Manage Channels | Manage Roles | Kick | Ban, but not Manage Server.
    let powerful = 0x2000u64 | 0x10 | 0x1000_0000 | 0x2 | 0x4;
    let perms = ["0".to_string(), "3072".to_string(), powerful.to_string()];
    // A new file, so that a reload would show.
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/english-front-matter.md"),
        seeds.path().join("extra.md"),
    )
    .unwrap();
    for p in &perms {
        let mut payload = h.slash(&BOB, "reload", &[]);
        payload["member"]["permissions"] = json!(p);
        assert_refused(&h, payload).await;
    }
    // No permissions at all in the payload.
    let mut payload = h.slash(&BOB, "reload", &[]);
    payload["member"]
        .as_object_mut()
        .unwrap()
        .remove("permissions");
    assert_refused(&h, payload).await;
    // force:true changes nothing.
    let force = vec![json!({"name": "force", "type": 5, "value": true})];
    assert_refused(&h, h.slash_with(&BOB, "reload", force)).await;

    assert!(
        h.plugin.ops().content.last_reload().is_none(),
        "nothing was reloaded"
    );
    assert_eq!(h.plugin.library().talks().len(), 1);
    let metrics = h.plugin.ops().metrics.encode(&h.plugin.ops().status);
    assert!(
        !metrics
            .lines()
            .any(|l| l.starts_with("lectern_reloads_total{")),
        "{metrics}"
    );
    h.stop().await;
}

/// The refusal with `admin.guild_ids` set (as the harness does) and no `admin.user_ids`.
const REFUSAL: &str = "Only lectern's operators can reload the talks, since every server shares them: the bot's owner or team, members who manage the host's own servers.";

/// Sends a `/reload` and checks that it is refused, with no deferral and no report.
async fn assert_refused(h: &Harness, payload: Value) {
    let token = payload["token"].as_str().unwrap().to_string();
    let answer = h.interact(payload).await;
    assert_eq!(answer["type"], 4, "{answer}");
    assert!(is_ephemeral(&answer));
    assert_eq!(description(&answer), REFUSAL);
    assert!(
        !h.requests()
            .iter()
            .any(|r| r.path.contains(&format!("{token}/")) && r.path.starts_with("/webhooks")),
        "no report follows"
    );
}

fn mentions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fixtures/mentions")
}

/// Whether a message body could ping: anything in `content`, or `allowed_mentions` that is not
/// `parse: []` (the fake also records the latter as a problem).
fn could_ping(message: &Value) -> bool {
    let am = &message["allowed_mentions"];
    let content = message["content"].as_str().unwrap_or("");
    am["parse"] != json!([])
        || am["users"].as_array().is_some_and(|a| !a.is_empty())
        || am["roles"].as_array().is_some_and(|a| !a.is_empty())
        || ["@everyone", "@here", "<@"]
            .iter()
            .any(|m| content.contains(m))
}

#[tokio::test(flavor = "current_thread")]
async fn no_reply_pings_anyone_whatever_the_content_or_the_query() {
    let h = Harness::start_with(Registration::Accept, |c| {
        c.content.seeds_dir = mentions_dir();
    })
    .await;
    assert_eq!(h.plugin.library().talks().len(), 1, "the fixture loads");
    let mut replies = vec![
        h.command(&ALICE, "topics", &[]).await,
        h.command(&ALICE, "topic", &[("section", "1")]).await,
        h.command(&ALICE, "topic", &[("section", "2")]).await,
        h.command(&ALICE, "topic", &[("section", "@everyone")])
            .await,
        h.command(&ALICE, "quote", &[]).await,
        h.command(&ALICE, "quote", &[("topic", "1")]).await,
        h.command(&ALICE, "search", &[("query", "@everyone")]).await,
        h.command(&ALICE, "search", &[("query", "<@2004> @here")])
            .await,
        h.command(&ALICE, "search", &[("query", "<@&3001>")]).await,
        h.command(&ALICE, "about", &[]).await,
    ];
    let quote = replies[5].clone();
    if let Some(b) = buttons(&quote).first() {
        let id = b["custom_id"].as_str().unwrap().to_string();
        replies.push(h.press(&ALICE, &quote, &id).await);
    }
    let menu = select_menu(&replies[0]);
    let value = menu["options"][0]["value"].as_str().unwrap().to_string();
    replies.push(h.choose(&ALICE, &replies[0], &value).await);
    let completions = h.autocomplete(&ALICE, "topic", "section", "@every").await;
    for c in completions["data"]["choices"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert!(!c["name"].as_str().unwrap().is_empty());
    }
    for r in &replies {
        assert!(!could_ping(&r["data"]), "{r:#}");
    }
    // The seed's mentions did reach the replies (so the check above checked something).
    assert!(replies.iter().any(|r| r.to_string().contains("3001")));
    // Every message of every kind the bot sent (callbacks, edits, follow-ups).
    for r in h.requests() {
        let message = match r.body["type"].as_u64() {
            Some(4 | 7) => &r.body["data"],
            _ if r.path.starts_with("/webhooks") => &r.body,
            _ => continue,
        };
        assert!(!could_ping(message), "{} {}: {message}", r.method, r.path);
    }
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_custom_id_cannot_open_a_path_outside_the_library() {
    let root = tempfile::tempdir().unwrap();
    let library = root.path().join("seeds");
    std::fs::create_dir(&library).unwrap();
    for entry in std::fs::read_dir(seeds()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, library.join(path.file_name().unwrap())).unwrap();
    }
    // A talk next to the library, and one at an absolute path: neither may be served.
    let secret = "---\ntitle: \"Outside\"\n---\n\n## 1. Secret\n\n\"OUTSIDE-SECRET words.\"\n";
    let outside = root.path().join("outside.md");
    std::fs::write(&outside, secret).unwrap();
    let h = Harness::start_on(&library).await;
    let reply = h.command(&ALICE, "topic", &[("section", "13")]).await;
    let abs = outside.display().to_string();
    let names = [
        "../outside.md".to_string(),
        "../outside".to_string(),
        "outside".to_string(),
        abs.clone(),
        abs.trim_end_matches(".md").to_string(),
        "/etc/passwd".to_string(),
        "../../../../../../etc/passwd".to_string(),
    ];
    let mut ids = Vec::new();
    for name in &names {
        let key = TalkKey::of(name).to_string();
        ids.push(format!("l2:b0:{}:s.{key}.0.0", ALICE.id));
        ids.push(format!("l2:b0:{}:q.{key}.0", ALICE.id));
        // The path itself where the hash goes.
        ids.push(format!("l2:b0:{}:s.{name}.0.0", ALICE.id));
        ids.push(format!("l2:b0:{}:q.{name}.0", ALICE.id));
    }
    assert_gone(&h, &ALICE, &reply, ids.iter().map(String::as_str)).await;
    // And as a select menu value.
    let topics = h.command(&ALICE, "topics", &[]).await;
    for name in &names {
        let answer = h.choose(&ALICE, &topics, &format!("s.{name}.0.0")).await;
        assert!(is_ephemeral(&answer), "{name}: {answer}");
    }
    assert!(
        !h.requests()
            .iter()
            .any(|r| r.body.to_string().contains("OUTSIDE-SECRET")),
        "something outside the library was served"
    );
    assert_eq!(h.plugin.library().talks().len(), 1);
    h.stop().await;
}
