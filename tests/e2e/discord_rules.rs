//! Discord's rules that a fake on loopback shows only when taught (issue 25): an interaction
//! is answered once, within 3 s of its creation, with a callback of its kind; follow-ups and
//! edits come after the first response; a 429's `retry_after` holds, the global limit too; a
//! bucket the `X-RateLimit-*` headers say is empty is waited for, not hit. Each test fails on
//! a bot that breaks the rule (the fake answers as Discord would and records the problem).

use std::time::Duration;

use serde_json::{Value, json};

use super::fake_discord::Fault;
use super::*;
use super::{fake_discord, process};

/// The callbacks of an interaction, with the status the fake answered.
fn callbacks(h: &Harness, payload: &Value) -> Vec<u16> {
    let path = callback_path(payload);
    h.requests()
        .into_iter()
        .filter(|r| r.path == path)
        .map(|r| r.status)
        .collect()
}

/// Every request with `fragment` in its path, as `(method, status)`.
fn requests_to(h: &Harness, fragment: &str) -> Vec<(String, u16)> {
    h.requests()
        .into_iter()
        .filter(|r| r.path.contains(fragment))
        .map(|r| (r.method, r.status))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn an_autocomplete_the_bot_cannot_serve_is_answered_with_no_choices() {
    let h = Harness::start().await;
    // A command Discord still has (an older version's) and this process does not.
    let payload = h.autocomplete_payload(&ALICE, "chapters", "section", "1");
    let answer = h.interact(payload).await;
    assert_eq!(answer["type"], 8, "an autocomplete takes choices: {answer}");
    assert_eq!(answer["data"]["choices"], json!([]), "{answer}");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_callback_discord_gets_after_its_deadline_is_not_followed_by_an_apology() {
    let h = Harness::start().await;
    // Discord's clock runs ahead: the interaction, fresh to the bot, is 5 s old to Discord.
    let payload = h.slash(&ALICE, "about", &[]);
    h.advance_clock(Duration::from_secs(5));
    h.dispatch("INTERACTION_CREATE", payload.clone());
    h.wait_log("the interaction expired").await;
    answers_about(&h).await;
    // One try, refused as unknown (10062); a dead interaction gets nothing more.
    assert_eq!(callbacks(&h, &payload), [404]);
    let logs = h.stop().await;
    assert!(!logs.contains("could not send the apology"), "{logs}");
}

/// `/about` is answered (after a fault, the bot goes on).
async fn answers_about(h: &Harness) {
    let answer = h.command(&ALICE, "about", &[]).await;
    assert_eq!(answer["type"], 4, "{answer}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_429s_retry_after_is_waited_out_once() {
    let h = Harness::start().await;
    let payload = h.slash(&ALICE, "about", &[]);
    // Discord keeps the route closed for 1 s: a try before then is another 429.
    h.fail_next(
        payload["id"].as_str().unwrap(),
        1,
        Fault::RateLimited { retry_after: 1.0 },
    );
    let answer = h.interact(payload.clone()).await;
    assert_eq!(answer["type"], 4);
    assert_eq!(
        callbacks(&h, &payload),
        [429, 204],
        "retried once, after 1 s"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_global_429_is_waited_out_once() {
    let h = Harness::start().await;
    // Both scopes registered first (the operators' guild after the global set), so that the
    // global limit meets the answer and not the second registration.
    h.wait_for("both scopes registered", |f| {
        (f.requests().iter().filter(|r| r.method == "PUT").count() == 2).then_some(())
    })
    .await;
    h.global_limit(Duration::from_millis(800));
    let payload = h.slash(&ALICE, "about", &[]);
    let answer = h.interact(payload.clone()).await;
    assert_eq!(answer["type"], 4);
    assert_eq!(callbacks(&h, &payload), [429, 204]);
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_bucket_the_headers_say_is_empty_is_waited_for_not_hit() {
    let mut h = Harness::start().await;
    h.wait_for("both scopes registered", |f| {
        (f.requests().iter().filter(|r| r.method == "PUT").count() == 2).then_some(())
    })
    .await;
    // One request per 500 ms to each bucket of the commands: after the first of the removals
    // of the old global commands, the headers say the bucket is empty until its reset.
    h.rate_limit("/commands", 1, Duration::from_millis(500));
    h.restart_bot(|c| c.discord.guild_id = Some(GUILD)).await;
    h.wait_for("the old global commands removed", |f| {
        let removed = f
            .requests()
            .iter()
            .filter(|r| r.method == "DELETE" && r.status == 204)
            .count();
        (removed == 5).then_some(())
    })
    .await;
    let limited: Vec<_> = requests_to(&h, "/commands")
        .into_iter()
        .filter(|(_, status)| *status == 429)
        .collect();
    assert_eq!(limited, [], "no request the headers said would be refused");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn after_a_deferral_the_apology_edits_the_original() {
    let h = Harness::start().await;
    // The report fails; the apology must replace "thinking…", not come beside it.
    let token = reload_with_report_fault(&h, Fault::ServerError).await;
    let edits = h
        .wait_for("the apology", |f| {
            let edits: Vec<_> = f
                .requests()
                .into_iter()
                .filter(|r| r.path.contains(&token) && !r.path.ends_with("/callback"))
                .collect();
            (edits.len() == 2).then_some(edits)
        })
        .await;
    assert_eq!(edits[1].method, "PATCH", "{:?}", edits[1]);
    assert!(edits[1].path.ends_with("/messages/@original"));
    assert_eq!(edits[1].status, 200);
    assert_eq!(
        edits[1].body["embeds"][0]["description"],
        "Sorry, something went wrong on our side. Please try again."
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_500_after_discord_acted_ends_with_the_reply_it_delivered() {
    let h = Harness::start().await;
    let payload = h.slash(&ALICE, "about", &[]);
    h.fail_next(
        payload["id"].as_str().unwrap(),
        1,
        Fault::ServerErrorAfterActing,
    );
    h.dispatch("INTERACTION_CREATE", payload.clone());
    // The apology is tried as a first response, which Discord refuses: the reply got there.
    h.wait_log("already acknowledged").await;
    assert_eq!(callbacks(&h, &payload), [500, 400]);
    answers_about(&h).await;
    let logs = h.stop().await;
    assert!(!logs.contains("could not send the apology"), "{logs}");
}

#[tokio::test(flavor = "current_thread")]
async fn guild_commands_are_sent_without_global_only_fields() {
    let h = Harness::start().await;
    let put = h
        .wait_request("the guild's set", |r| {
            r.method == "PUT" && r.path.contains("/guilds/")
        })
        .await;
    for c in put.body.as_array().unwrap() {
        assert!(c.get("contexts").is_none(), "{c}");
        assert!(c.get("integration_types").is_none(), "{c}");
    }
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn two_processes_started_together_identify_in_turn() {
    // The `sharded` profile: shards 0 and 1 of 2 in two processes, started at once, against a
    // Discord that takes one IDENTIFY per 5 s (`max_concurrency` 1).
    let fake = fake_discord::FakeDiscord::start(TOKEN, fake_discord::Registration::Accept).await;
    fake.enforce_identify_concurrency(1);
    let mut second = process::Served::spawn(&fake, sharded_process("1"));
    let mut first = process::Served::spawn(&fake, sharded_process("0"));
    fake.wait_for("a session for each shard", |f| {
        let shards = f.shards();
        (shards.contains(&(0, 2)) && shards.contains(&(1, 2))).then_some(())
    })
    .await;
    assert_eq!(
        fake.identifies().len(),
        2,
        "one IDENTIFY each, none refused"
    );
    assert!(
        second.stderr().contains("turn to identify"),
        "{}",
        second.stderr()
    );
    for served in [&mut first, &mut second] {
        let status = served.terminate().await;
        assert_eq!(status.code(), Some(0), "{}", served.stderr());
    }
    assert_eq!(fake.problems(), Vec::<String>::new());
}

#[tokio::test(flavor = "current_thread")]
async fn with_no_session_starts_left_the_bot_waits_and_says_why() {
    let fake = fake_discord::FakeDiscord::start(TOKEN, fake_discord::Registration::Accept).await;
    fake.set_session_starts_left(0);
    let mut served = process::Served::spawn(&fake, [("DISCORD_TOKEN", TOKEN)]);
    let logged = tokio::time::timeout(fake_discord::PATIENCE, async {
        while !served.stderr().contains("SESSION START LIMIT IS SPENT") {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(logged.is_ok(), "{}", served.stderr());
    assert_eq!(
        fake.identifies().len(),
        0,
        "no IDENTIFY without a start left"
    );
    // Once the limit resets, it connects.
    fake.set_session_starts_left(1000);
    fake.wait_for("a session", |f| (f.sessions() == 1).then_some(()))
        .await;
    let status = served.terminate().await;
    assert_eq!(status.code(), Some(0), "{}", served.stderr());
    assert_eq!(fake.problems(), Vec::<String>::new());
}

#[tokio::test(flavor = "current_thread")]
async fn a_gateway_that_stops_is_connected_again_after_a_pause_and_readiness_says_why() {
    let h = Harness::start().await;
    answers_about(&h).await;
    // 4004 (authentication failed) is fatal: serenity stops every shard.
    h.close_gateway(4004);
    h.wait_log("THE GATEWAY STOPPED").await;
    let reasons = h.plugin.ops().not_ready_reasons();
    assert!(
        reasons.iter().any(|r| r.contains("the gateway stopped")),
        "{reasons:?}"
    );
    // After the pause, one new session: not a loop of them.
    h.wait_for("a second IDENTIFY", |f| {
        (f.identifies().len() == 2).then_some(())
    })
    .await;
    answers_about(&h).await;
    assert_eq!(h.identifies().len(), 2);
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_report_that_comes_after_the_tokens_15_minutes_is_not_followed_by_an_apology() {
    let h = Harness::start().await;
    // The report is held back by a 429 while Discord's clock passes the token's lifetime.
    let token = reload_with_report_fault(&h, Fault::RateLimited { retry_after: 0.5 }).await;
    h.advance_clock(fake_discord::TOKEN_LIFETIME + Duration::from_secs(60));
    h.wait_log("token expired").await;
    answers_about(&h).await;
    let edits: Vec<u16> = h
        .requests()
        .into_iter()
        .filter(|r| r.path.contains(&token) && !r.path.ends_with("/callback"))
        .map(|r| r.status)
        .collect();
    // The report, refused as an unknown webhook (10015); no apology to a dead token.
    assert_eq!(edits, [429, 404]);
    h.stop().await;
}
