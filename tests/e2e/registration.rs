//! Command registration: off the event path, waiting out 429s, skipped when Discord already
//! has the same commands, and the old scope cleaned when the configured one changes.

use serde_json::json;

use super::fake_discord::Fault;
use super::{ALICE, GUILD, Harness, description};

/// lectern's public commands.
const PUBLIC: [&str; 6] = ["about", "quote", "search", "settings", "topic", "topics"];

fn names(commands: &[serde_json::Value]) -> Vec<String> {
    let mut n: Vec<String> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

#[tokio::test(flavor = "current_thread")]
async fn every_command_says_where_it_exists() {
    let h = Harness::start().await;
    for c in h.commands_in(None) {
        // Servers and the bot's DMs (`/settings`: servers only); installed to a server only
        // (no user install).
        let contexts = if c["name"] == "settings" {
            json!([0])
        } else {
            json!([0, 1])
        };
        assert_eq!(c["contexts"], contexts, "{c}");
        assert_eq!(c["integration_types"], json!([0]), "{c}");
    }
    // A guild's commands exist in that guild only: Discord keeps no contexts or integration
    // types for them (see `discord_rules.rs`).
    for c in h.commands_in(Some(GUILD)) {
        assert_eq!(c["name"], "reload");
        assert!(c.get("contexts").is_none(), "{c}");
        assert!(c.get("integration_types").is_none(), "{c}");
    }
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn unchanged_commands_are_not_re_put() {
    let mut h = Harness::start().await;
    h.wait_for("both scopes registered", |f| {
        (f.requests().iter().filter(|r| r.method == "PUT").count() == 2).then_some(())
    })
    .await;
    h.restart_bot(|_| {}).await;
    // Both scopes read and found the same.
    let compared = tokio::time::timeout(super::fake_discord::PATIENCE, async {
        while h.logs.text().matches("slash commands unchanged").count() < 2 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(compared.is_ok(), "both scopes compared");
    let answer = h.command(&ALICE, "about", &[]).await;
    assert!(!description(&answer).is_empty());
    let puts = h.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 2, "only the first run wrote the commands");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_429_on_registration_while_commands_are_answered() {
    let mut h = Harness::start().await;
    h.wait_for("both scopes registered", |f| {
        (f.requests().iter().filter(|r| r.method == "PUT").count() == 2).then_some(())
    })
    .await;
    // From now on every command registration request is rate limited.
    h.fail_next(
        "/commands",
        10_000,
        Fault::RateLimited { retry_after: 30.0 },
    );
    h.restart_bot(|c| c.discord.guild_id = Some(GUILD)).await;
    h.wait_request("a rate-limited registration", |r| {
        r.path.ends_with("/commands") && r.status == 429
    })
    .await;
    // Registration waits; commands do not.
    for name in ["about", "topics"] {
        let answer = h.command(&ALICE, name, &[]).await;
        assert_eq!(answer["type"], 4, "{answer}");
    }
    super::assert_logged(
        &h.logs.text(),
        &[
            "command registration",
            "rate limited by Discord",
            "waiting, then trying again",
        ],
    );
    let written = h
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.status < 300)
        .count();
    assert_eq!(
        written, 2,
        "nothing registered since the restart: rate limited"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn switching_scope_removes_the_old_set() {
    let mut h = Harness::start().await;
    h.wait_for("both scopes registered", |f| {
        (f.requests().iter().filter(|r| r.method == "PUT").count() == 2).then_some(())
    })
    .await;
    assert_eq!(names(&h.commands_in(None)), PUBLIC);
    // Another command of the same application, not lectern's: it stays.
    h.add_command(
        None,
        json!({"name": "ping", "description": "Someone else's", "options": []}),
    );
    // A guild the configuration does not name: untouched.
    let elsewhere = GUILD + 1;
    h.add_command(
        Some(elsewhere),
        json!({"name": "topics", "description": "An old set", "options": []}),
    );
    h.restart_bot(|c| c.discord.guild_id = Some(GUILD)).await;
    h.wait_for("lectern's global commands removed", |f| {
        (f.requests().iter().filter(|r| r.method == "DELETE").count() == PUBLIC.len()).then_some(())
    })
    .await;
    assert_eq!(names(&h.commands_in(None)), ["ping"]);
    let mut in_guild: Vec<&str> = PUBLIC.to_vec();
    in_guild.push("reload");
    in_guild.sort_unstable();
    assert_eq!(names(&h.commands_in(Some(GUILD))), in_guild);
    assert_eq!(names(&h.commands_in(Some(elsewhere))), ["topics"]);
    h.stop().await;
}
