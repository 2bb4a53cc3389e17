//! Issue 14: lectern safe to run for many servers. Reload is an operator's act (the
//! application's owner or team, listed users, managers of listed guilds), its report shows no
//! server path, flood control throttles one user without touching another, and `/readyz`
//! follows the gateway shards themselves.

use std::time::Duration;

use serde_json::{Value, json};

use super::bot::reload_report;
use super::fake_discord::{PATIENCE, Registration};
use super::*;

/// A guild the bot was invited to by someone: not in `admin.guild_ids`.
const FOREIGN_GUILD: u64 = 1_500_000_000_000_000_999;
/// ADMINISTRATOR | VIEW_CHANNEL | SEND_MESSAGES.
const ADMINISTRATOR: &str = "3080";

/// `payload` sent from [`FOREIGN_GUILD`] with `permissions`.
fn in_foreign_guild(mut payload: Value, permissions: &str) -> Value {
    payload["guild_id"] = json!(FOREIGN_GUILD.to_string());
    payload["member"]["permissions"] = json!(permissions);
    payload
}

#[tokio::test(flavor = "current_thread")]
async fn an_administrator_of_a_foreign_guild_is_refused_and_told_who_may() {
    let h = Harness::start().await;
    h.wait_log("application owner known").await;
    // ADMIN manages GUILD (an operators' guild), but in a guild of their own they are nobody.
    for user in [&ADMIN, &BOB] {
        let payload = in_foreign_guild(h.slash(user, "reload", &[]), ADMINISTRATOR);
        let answer = h.interact(payload).await;
        assert_eq!(answer["type"], 4, "{answer}");
        assert!(is_ephemeral(&answer));
        let text = description(&answer);
        assert!(text.starts_with("Only lectern's operators"), "{text}");
        assert!(text.contains("the bot's owner or team"), "{text}");
    }
    // In Chinese for a Chinese locale; an invited (not yet accepted) team member is nobody.
    let mut payload = in_foreign_guild(h.slash(&LI, "reload", &[]), ADMINISTRATOR);
    payload["member"]["user"]["id"] = json!((TEAMMATE.id + 1).to_string());
    let answer = h.interact(payload).await;
    assert!(description(&answer).contains("运营者"), "{answer}");
    // A team member with the read-only role may look, not act.
    let mut payload = in_foreign_guild(h.slash(&BOB, "reload", &[]), ADMINISTRATOR);
    payload["member"]["user"]["id"] = json!((TEAMMATE.id + 2).to_string());
    let answer = h.interact(payload).await;
    assert!(
        description(&answer).starts_with("Only lectern's operators"),
        "{answer}"
    );
    assert!(h.plugin.ops().content.last_reload().is_none());
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn reload_is_registered_only_in_the_operators_guilds_and_never_in_dms() {
    let h = Harness::start().await;
    let guild_set = h
        .wait_request("the guild's commands", |r| {
            r.method == "PUT" && r.path.contains(&format!("/guilds/{GUILD}/commands"))
        })
        .await;
    let global = h
        .wait_request("the global commands", |r| {
            r.method == "PUT" && !r.path.contains("/guilds/")
        })
        .await;
    let names = |r: &super::fake_discord::Request| -> Vec<String> {
        r.body
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&guild_set), ["reload"]);
    assert!(!names(&global).contains(&"reload".to_string()));
    assert!(names(&global).contains(&"topic".to_string()));
    // A guild's command exists in that guild alone, never in DMs: `contexts` and
    // `integration_types` are global-only fields, not sent.
    let reload = &guild_set.body[0];
    assert!(reload.get("contexts").is_none(), "{reload}");
    assert!(reload.get("integration_types").is_none(), "{reload}");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_owner_reloads_without_manage_server_and_the_report_hides_server_paths() {
    let root = tempfile::tempdir().unwrap();
    let seeds = root.path().join("seeds");
    std::fs::create_dir(&seeds).unwrap();
    for entry in std::fs::read_dir(super::seeds()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, seeds.join(path.file_name().unwrap())).unwrap();
    }
    let dir = seeds.clone();
    let h = Harness::start_with(Registration::Accept, move |c| {
        c.content.seeds_dir = dir;
        c.reload.min_interval_secs = 3600;
    })
    .await;
    h.wait_log("application owner known").await;
    // Files the load cannot use, whose reasons would name the server's paths and the OS's
    // words: a link outside the folder, a dangling link.
    let outside = root.path().join("secret-outside.md");
    std::fs::write(&outside, "# Secret\n\n## 1. S\n\ntext\n").unwrap();
    std::os::unix::fs::symlink(&outside, seeds.join("escape.md")).unwrap();
    std::os::unix::fs::symlink(root.path().join("nowhere.md"), seeds.join("dangling.md")).unwrap();
    // The owner, a plain member of a guild that is not an operators' guild.
    let payload = in_foreign_guild(h.slash(&OWNER, "reload", &[]), "3072");
    let edit = reload_report(&h, payload).await;
    let report = edit["embeds"][0].to_string();
    assert!(report.contains("Not reloaded"), "{report}");
    assert!(report.contains("escape.md"), "{report}");
    assert!(report.contains("dangling.md"), "{report}");
    let root_path = root.path().display().to_string();
    for leak in [
        root_path.as_str(),
        "secret-outside",
        "nowhere.md",
        "os error",
        "/tmp",
    ] {
        assert!(!report.contains(leak), "{leak:?} in {report}");
    }
    // The log keeps the detail for the host.
    assert!(h.logs.text().contains("secret-outside"));

    // reload.min_interval_secs: a second /reload, even by a team member, is asked to wait.
    let again = h.command(&TEAMMATE, "reload", &[]).await;
    assert_eq!(again["type"], 4, "{again}");
    assert!(is_ephemeral(&again));
    assert!(
        description(&again).starts_with("A reload just ran. Try again in"),
        "{again}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_team_member_reloads_and_nothing_changed_is_said_in_their_language() {
    let h = Harness::start().await;
    h.wait_log("application owner known").await;
    let mut payload = h.slash(&TEAMMATE, "reload", &[]);
    payload["locale"] = json!("zh-CN");
    let edit = reload_report(&h, payload).await;
    let description = edit["embeds"][0]["description"].as_str().unwrap();
    assert!(description.starts_with("没有变化"), "{description}");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_flood_is_throttled_while_another_user_is_served() {
    let h = Harness::start_with(Registration::Accept, |c| {
        c.cooldown.commands = 3;
        // Long enough that the window cannot pass during the test.
        c.cooldown.seconds = 3600;
    })
    .await;
    // Three answers in the window: two commands and a select menu choice.
    let section = h.command(&ALICE, "topic", &[("section", "13")]).await;
    let topics = h.command(&ALICE, "topics", &[]).await;
    let menu = select_menu(&topics);
    let value = menu["options"][0]["value"].as_str().unwrap().to_string();
    let chosen = h.choose(&ALICE, &topics, &value).await;
    assert!(!is_ephemeral(&chosen), "{chosen}");
    // The fourth command, and the next menu choice, are told to wait; nothing is done.
    for name in ["about", "search"] {
        let payload = h.slash(
            &ALICE,
            name,
            &[("query", "energy")][..usize::from(name == "search")],
        );
        let throttled = h.interact(payload).await;
        assert_eq!(throttled["type"], 4, "{throttled}");
        assert!(is_ephemeral(&throttled));
        let text = description(&throttled);
        assert!(
            text.starts_with("You are going a bit fast. Try again in"),
            "{text}"
        );
        assert!(text.ends_with(" s."), "{text}");
        assert!(
            throttled["data"]["components"]
                .as_array()
                .is_none_or(std::vec::Vec::is_empty)
        );
    }
    let throttled = h.choose(&ALICE, &topics, &value).await;
    assert!(description(&throttled).starts_with("You are going a bit fast"));
    // Chinese for a Chinese locale.
    for _ in 0..3 {
        h.command(&LI, "about", &[]).await;
    }
    let zh = h.command(&LI, "about", &[]).await;
    assert!(description(&zh).contains("秒后再试"), "{zh}");
    // Paging with buttons and autocompletes go on.
    let next = button(&section, "Next ▶");
    let paged = h
        .press(&ALICE, &section, next["custom_id"].as_str().unwrap())
        .await;
    assert_eq!(paged["type"], 7, "{paged}");
    let completions = h.autocomplete(&ALICE, "topic", "section", "1").await;
    assert_eq!(completions["type"], 8);
    // Another user is served, and so is an operator, however often.
    let about = h.command(&BOB, "about", &[]).await;
    assert_eq!(embed(&about)["title"], "About lectern");
    for _ in 0..5 {
        let about = h.command(&ADMIN, "about", &[]).await;
        assert_eq!(embed(&about)["title"], "About lectern");
    }
    let text = h.plugin.ops().metrics.encode(&h.plugin.ops().status);
    assert!(
        text.contains("lectern_throttled_total{kind=\"command\"} 3"),
        "{text}"
    );
    assert!(
        text.contains("lectern_throttled_total{kind=\"component\"} 1"),
        "{text}"
    );
    h.stop().await;
}

/// Polls `/readyz` until its status is `want`; returns the body (the timeout is a guard).
async fn readyz_until(base: &str, want: u16) -> Value {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let found = tokio::time::timeout(PATIENCE, async {
        loop {
            let r = client.get(format!("{base}/readyz")).send().await.unwrap();
            if r.status().as_u16() == want {
                return r.json::<Value>().await.unwrap();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("/readyz never answered {want}"))
}

#[tokio::test(flavor = "current_thread")]
async fn readyz_is_503_while_the_gateway_is_refused_and_200_once_it_accepts() {
    let h = Harness::start_with(Registration::Accept, |c| {
        c.ops.readiness_grace_secs = 0;
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let ops = h.plugin.ops().clone();
    tokio::spawn(lectern::http::serve(listener, ops, async {
        let _ = stopped.await;
    }));

    let ready = readyz_until(&base, 200).await;
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["reasons"], json!([]));
    assert_eq!(ready["shards"][0]["id"], 0);
    assert_eq!(ready["shards"][0]["stage"], "connected");

    // An outage: the connection drops and every reconnect is refused.
    h.refuse_connections(true);
    h.drop_gateway();
    h.wait_for("a refused reconnect", |f| {
        (f.refused_connections() >= 1).then_some(())
    })
    .await;
    let down = readyz_until(&base, 503).await;
    assert_eq!(down["ready"], false);
    assert_eq!(down["reasons"], json!(["gateway not connected"]), "{down}");
    assert_ne!(down["shards"][0]["stage"], "connected", "{down}");
    let metrics = h.plugin.ops().metrics.encode(&h.plugin.ops().status);
    assert!(
        metrics.contains("lectern_gateway_connected{shard=\"0\"} 0"),
        "{metrics}"
    );

    // Discord is back: the bot reconnects, answers, and is ready again.
    h.refuse_connections(false);
    let ready = readyz_until(&base, 200).await;
    assert_eq!(ready["shards"][0]["stage"], "connected", "{ready}");
    let bot = h.plugin.clone();
    assert!(bot.ops().status.gateway_connected());
    let about = h.command(&ALICE, "about", &[]).await;
    assert_eq!(embed(&about)["title"], "About lectern");
    let _ = stop.send(());
    h.stop_after_reidentify().await;
}
