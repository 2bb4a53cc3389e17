//! Faults (issue 7, items 4–7): the gateway going away, Discord's REST API refusing or
//! failing, payloads lectern never asked for, and reloads while things go wrong. In each case
//! the bot keeps serving, and says what happened in its log.

use serde_json::{Value, json};

use super::fake_discord::Fault;
use super::*;

const S13: &str = "13 · 生物安全与韧性策略";

/// Runs `/topic 13` and checks that the answer is the section.
async fn answers(h: &Harness) {
    let reply = h.command(&ALICE, "topic", &[("section", "13")]).await;
    assert_eq!(embed(&reply)["title"], S13, "{reply:#}");
}

/// Waits until the fake has seen `n` gateway sessions (READY or RESUMED).
async fn sessions(h: &Harness, n: usize) {
    h.wait_for(&format!("gateway session {n}"), |f| {
        (f.sessions() >= n).then_some(())
    })
    .await;
}

// Item 4: the gateway closes mid-session.

/// Something the gateway does to a live session.
#[derive(Debug, Clone, Copy)]
enum GatewayFault {
    /// A Close frame with this code.
    Close(u16),
    /// The connection drops without a Close frame.
    Drop,
    /// Discord asks the bot to reconnect (op 7).
    Reconnect,
    /// The session is invalid and cannot be resumed (op 9, `d: false`).
    InvalidSession,
    /// The fake refuses every RESUME from now on, then closes with 4000.
    RefuseResumeAfterClose,
}

impl GatewayFault {
    fn inject(self, h: &Harness) {
        match self {
            GatewayFault::Close(code) => h.close_gateway(code),
            GatewayFault::Drop => h.drop_gateway(),
            GatewayFault::Reconnect => h.send_op(json!({"op": 7, "d": null})),
            GatewayFault::InvalidSession => h.send_op(json!({"op": 9, "d": false})),
            GatewayFault::RefuseResumeAfterClose => {
                h.refuse_resumes();
                h.close_gateway(4000);
            }
        }
    }

    /// The RESUMEs and IDENTIFYs the bot sends to recover.
    fn recovery(self) -> (usize, usize) {
        match self {
            GatewayFault::Close(_) | GatewayFault::Drop | GatewayFault::Reconnect => (1, 0),
            GatewayFault::InvalidSession => (0, 1),
            // It tries to resume, is refused, and identifies.
            GatewayFault::RefuseResumeAfterClose => (1, 1),
        }
    }
}

/// Each row: faults one after another in one session. After each, the bot resumes or
/// identifies again as the fault calls for, opens a new session, answers the next command, and
/// is ready again.
const GATEWAY_FAULTS: &[(&str, &[GatewayFault])] = &[
    // 4000 (unknown error) and 1001 (going away) are resumable; so is a plain drop.
    (
        "a resumable close",
        &[
            GatewayFault::Close(4000),
            GatewayFault::Close(1001),
            GatewayFault::Drop,
        ],
    ),
    ("a reconnect request", &[GatewayFault::Reconnect]),
    ("an invalid session", &[GatewayFault::InvalidSession]),
    ("a refused resume", &[GatewayFault::RefuseResumeAfterClose]),
];

#[tokio::test(flavor = "current_thread")]
async fn after_a_gateway_fault_the_bot_resumes_or_identifies_and_answers_the_next_command() {
    for (case, faults) in GATEWAY_FAULTS {
        let h = Harness::start().await;
        answers(&h).await;
        let (mut resumes, mut identifies) = (0, 1);
        for (n, fault) in faults.iter().enumerate() {
            fault.inject(&h);
            let (r, i) = fault.recovery();
            (resumes, identifies) = (resumes + r, identifies + i);
            h.wait_for(&format!("{case}: RESUME {resumes}"), |f| {
                (f.resumes().len() >= resumes).then_some(())
            })
            .await;
            h.wait_for(&format!("{case}: IDENTIFY {identifies}"), |f| {
                (f.identifies().len() >= identifies).then_some(())
            })
            .await;
            h.wait_for(&format!("{case}: gateway session {}", n + 2), |f| {
                (f.sessions() >= n + 2).then_some(())
            })
            .await;
            answers(&h).await;
            // Readiness follows (the stage update reaches the bot on its own task).
            let ready = tokio::time::timeout(super::fake_discord::PATIENCE, async {
                while !h.plugin.ops().status.gateway_connected() {
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            });
            assert!(ready.await.is_ok(), "{case}: ready again after {fault:?}");
        }
        let logs = if identifies == 1 {
            let resume = &h.resumes()[0];
            assert_eq!(resume["session_id"], "fake-session", "{case}");
            assert!(resume["seq"].as_u64().unwrap() >= 2, "{case}: {resume}");
            assert_eq!(
                h.identifies().len(),
                1,
                "{case}: resumed, not identified again"
            );
            h.stop().await
        } else {
            h.stop_after_reidentify().await
        };
        assert!(!logs.contains("panicked"), "{case}: {logs}");
    }
}

// Item 5: the REST API answers 429 or 500.

/// The callbacks of an interaction, with the status the fake answered.
fn callbacks(h: &Harness, payload: &Value) -> Vec<(u16, Value)> {
    let path = callback_path(payload);
    h.requests()
        .into_iter()
        .filter(|r| r.path == path)
        .map(|r| (r.status, r.body))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn a_429_on_a_callback_is_waited_out_and_the_reply_arrives_once() {
    let h = Harness::start().await;
    let payload = h.slash(&ALICE, "topic", &[("section", "13")]);
    let id = payload["id"].as_str().unwrap().to_string();
    h.fail_next(&id, 2, Fault::RateLimited { retry_after: 0.3 });
    let reply = h.interact(payload.clone()).await;
    assert_eq!(embed(&reply)["title"], S13);
    let statuses: Vec<u16> = callbacks(&h, &payload).iter().map(|c| c.0).collect();
    assert_eq!(statuses, [429, 429, 204]);

    // A button press too.
    let next = button(&reply, "Next ▶");
    let press = h.press_payload(&ALICE, &reply, next["custom_id"].as_str().unwrap());
    h.fail_next(
        press["id"].as_str().unwrap(),
        1,
        Fault::RateLimited { retry_after: 0.1 },
    );
    let pressed = h.interact(press.clone()).await;
    assert_eq!(pressed["type"], 7);
    let statuses: Vec<u16> = callbacks(&h, &press).iter().map(|c| c.0).collect();
    assert_eq!(statuses, [429, 204]);
    let logs = h.stop().await;
    assert!(logs.contains("rate limited by Discord"), "{logs}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_429_that_outlasts_the_interaction_is_logged_with_its_status_and_the_bot_goes_on() {
    let h = Harness::start().await;
    let payload = h.slash(&ALICE, "topic", &[("section", "13")]);
    let id = payload["id"].as_str().unwrap().to_string();
    h.fail_next(&id, usize::MAX, Fault::RateLimited { retry_after: 60.0 });
    h.dispatch("INTERACTION_CREATE", payload.clone());
    // The reply is tried until the first response's deadline, then the apology once.
    h.wait_log("could not send the apology").await;
    assert!(callbacks(&h, &payload).iter().all(|c| c.0 == 429));
    answers(&h).await;
    let logs = h.stop().await;
    assert_logged(&logs, &["command failed", &id, "http_status=429"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_500_on_a_callback_is_logged_with_the_interaction_id_and_the_bot_goes_on() {
    let h = Harness::start().await;
    let payload = h.slash(&ALICE, "topic", &[("section", "13")]);
    let id = payload["id"].as_str().unwrap().to_string();
    h.fail_next(&id, 1, Fault::ServerError);
    // The reply fails; the apology that follows is accepted.
    let apology = h.interact(payload.clone()).await;
    assert!(is_ephemeral(&apology));
    assert_eq!(
        description(&apology),
        "Sorry, something went wrong on our side. Please try again."
    );
    let statuses: Vec<u16> = callbacks(&h, &payload).iter().map(|c| c.0).collect();
    assert_eq!(statuses, [500, 204], "a 500 is not tried again");

    // A press whose answer fails is logged with its id too.
    let reply = h.command(&ALICE, "topic", &[("section", "13")]).await;
    let next = button(&reply, "Next ▶");
    let press = h.press_payload(&ALICE, &reply, next["custom_id"].as_str().unwrap());
    let press_id = press["id"].as_str().unwrap().to_string();
    h.fail_next(&press_id, 1, Fault::ServerError);
    h.dispatch("INTERACTION_CREATE", press);
    h.wait_log("could not answer a press").await;
    answers(&h).await;
    let logs = h.stop().await;
    assert_logged(&logs, &["command failed", &id, "http_status=500"]);
    assert_logged(
        &logs,
        &["could not answer a press", &press_id, "http_status=500"],
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_429_on_the_reload_report_is_waited_out() {
    let h = Harness::start().await;
    let token = reload_with_report_fault(&h, Fault::RateLimited { retry_after: 0.2 }).await;
    let edits = h
        .wait_for("the report, accepted", |f| {
            let edits: Vec<u16> = f
                .requests()
                .iter()
                .filter(|r| r.method == "PATCH" && r.path.contains(&token))
                .map(|r| r.status)
                .collect();
            (edits.last() == Some(&200)).then_some(edits)
        })
        .await;
    assert_eq!(edits, [429, 200]);
    h.stop().await;
}

// Item 6: payloads lectern never asked for.

#[tokio::test(flavor = "current_thread")]
async fn an_unknown_command_gets_a_polite_refusal_and_a_log_line() {
    let h = Harness::start().await;
    let payload = h.slash(&ALICE, "frobnicate", &[("x", "y")]);
    let id = payload["id"].as_str().unwrap().to_string();
    let answer = h.interact(payload).await;
    assert!(is_ephemeral(&answer));
    assert_eq!(
        description(&answer),
        "Sorry, something went wrong on our side. Please try again."
    );
    answers(&h).await;
    let logs = h.stop().await;
    assert_logged(&logs, &["command failed", &id, "frobnicate"]);
}

#[tokio::test(flavor = "current_thread")]
async fn unknown_or_mistyped_options_never_panic() {
    let h = Harness::start().await;
    // An extra option a newer registration might have: ignored.
    let extra = h
        .command(&ALICE, "topic", &[("section", "13"), ("colour", "blue")])
        .await;
    assert_eq!(embed(&extra)["title"], S13);
    // The option with another type than registered (an integer, a sub-command): an apology.
    for option in [
        json!({"name": "section", "type": 4, "value": 13}),
        json!({"name": "section", "type": 1, "options": []}),
    ] {
        let answer = h
            .interact(h.slash_with(&ALICE, "topic", vec![option]))
            .await;
        assert!(is_ephemeral(&answer), "{answer}");
    }
    // Values that do not fit their type: serenity cannot read the interaction and drops it
    // (logged by serenity at DEBUG only); Discord never sends these.
    for option in [
        json!({"name": "section", "type": 3, "value": {"nested": [1, 2]}}),
        json!({"name": "section", "type": 99, "value": null}),
    ] {
        h.dispatch(
            "INTERACTION_CREATE",
            h.slash_with(&ALICE, "topic", vec![option]),
        );
    }
    // Autocomplete for an option that does not exist, and for a command that does not.
    for (command, option) in [("topic", "nope"), ("nope", "section")] {
        let data = json!({"id": "1700000000000000001", "name": command, "type": 1,
            "options": [{"name": option, "type": 3, "value": "1", "focused": true}]});
        h.dispatch("INTERACTION_CREATE", {
            let mut p = h.slash(&ALICE, command, &[]);
            p["type"] = json!(4);
            p["data"] = data;
            p
        });
    }
    answers(&h).await;
    let logs = h.stop().await;
    assert!(!logs.contains("panicked"), "{logs}");
}

#[tokio::test(flavor = "current_thread")]
async fn forged_or_old_custom_ids_are_refused_politely() {
    let h = Harness::start().await;
    let reply = h.command(&ALICE, "topic", &[("section", "13")]).await;
    let long = "l2:b0:2001:".to_string() + &"9".repeat(5000);
    let forged = [
        // An older format, and a newer one.
        "l0:b0:2001:s.0123456789abcdef.0.0",
        "l3:b0:2001:q",
        // Numbers that overflow, negative, empty parts.
        "l2:b0:99999999999999999999999999:q",
        "l2:b0:2001:s.ffffffffffffffffff.0.0",
        "l2:b0:2001:s.0123456789abcdef.-1.0",
        "l2:b0:2001:s...",
        "l2:b:2001:q",
        "l2::::",
        "",
        long.as_str(),
        // Not ASCII.
        "l2:b0:2001:q.生物安全.0",
    ];
    assert_gone(&h, &ALICE, &reply, forged).await;
    // A select menu press whose value was forged, or that has no value at all.
    let topics = h.command(&ALICE, "topics", &[]).await;
    for values in [json!(["s.0123456789abcdef.0.0"]), json!([]), json!(["q.x"])] {
        let menu = select_menu(&topics);
        let mut p = h.slash(&ALICE, "x", &[]);
        p["type"] = json!(3);
        p["data"] = json!({"custom_id": menu["custom_id"], "component_type": 3, "values": values});
        p["message"] = super::fake_discord::message_json(&topics["data"]);
        let token = p["token"].as_str().unwrap().to_string();
        // The menu is reset (UPDATE_MESSAGE), the note follows, seen only by the picker.
        let first = h.interact(p).await;
        assert_eq!(first["type"], 7, "{values}: {first}");
        let path = format!("/webhooks/{}/{token}", super::fake_discord::APP_ID);
        let note = h
            .wait_request("the note", |r| r.method == "POST" && r.path == path)
            .await;
        assert_eq!(
            note.body["flags"].as_u64().unwrap_or(0) & 64,
            64,
            "{values}"
        );
    }
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn garbage_dispatches_are_dropped_and_the_bot_goes_on() {
    let h = Harness::start().await;
    h.dispatch("INTERACTION_CREATE", json!("nonsense"));
    h.dispatch("INTERACTION_CREATE", json!({"id": "1", "type": 2}));
    h.dispatch("NOT_AN_EVENT", json!({"x": 1}));
    // A ping (type 1) and a modal submit (type 5), which lectern never asks for.
    let mut ids = Vec::new();
    for kind in [1, 5] {
        let mut p = h.slash(&ALICE, "x", &[]);
        p["type"] = json!(kind);
        p["data"] = json!({"custom_id": "l1:b0:2001:q", "components": []});
        ids.push(p["id"].as_str().unwrap().to_string());
        h.dispatch("INTERACTION_CREATE", p);
    }
    answers(&h).await;
    let logs = h.stop().await;
    assert!(!logs.contains("panicked"), "{logs}");
    for id in &ids {
        assert_logged(&logs, &["never asks for", id]);
    }
}

// Item 7: reloads during faults.

#[tokio::test(flavor = "current_thread")]
async fn a_reload_that_cannot_read_a_file_keeps_the_old_library() {
    let seeds = seeds_copy();
    let h = Harness::start_on(seeds.path()).await;
    // A file that vanished between listing and reading (a dangling link), beside a new talk.
    std::os::unix::fs::symlink(
        seeds.path().join("gone.md"),
        seeds.path().join("dangling.md"),
    )
    .unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats/english-front-matter.md"),
        seeds.path().join("new.md"),
    )
    .unwrap();
    let report = reload_edit(&h, &ADMIN).await;
    assert!(report.contains("Not reloaded"), "{report}");
    assert!(report.contains("dangling.md"), "{report}");
    answers(&h).await;
    let search = h.command(&ALICE, "search", &[("query", "pager")]).await;
    assert!(
        !search.to_string().contains("Building Reliable Systems"),
        "{search}"
    );

    // The whole folder gone: nothing loads, the old library stays.
    let moved = seeds.path().with_extension("moved");
    std::fs::rename(seeds.path(), &moved).unwrap();
    let report = reload_edit(&h, &ADMIN).await;
    std::fs::rename(&moved, seeds.path()).unwrap();
    assert!(report.contains("Not reloaded"), "{report}");
    answers(&h).await;
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_failing_reload_while_the_gateway_drops_keeps_the_old_library() {
    let seeds = seeds_copy();
    let h = Harness::start_on(seeds.path()).await;
    std::fs::write(seeds.path().join("broken.md"), "").unwrap();
    let payload = h.slash(&ADMIN, "reload", &[]);
    let token = payload["token"].as_str().unwrap().to_string();
    let deferred = h.interact(payload).await;
    assert_eq!(deferred["type"], 5);
    // The reload runs between the deferral and the report: drop the gateway then.
    h.drop_gateway();
    let report = h
        .wait_for("the reload report", |f| {
            f.requests()
                .into_iter()
                .find(|r| r.method == "PATCH" && r.path.contains(&token))
        })
        .await;
    assert!(
        report.body.to_string().contains("broken.md"),
        "{}",
        report.body
    );
    sessions(&h, 2).await;
    answers(&h).await;
    assert!(
        h.plugin.ops().content.last_reload().is_none(),
        "never swapped"
    );
    h.stop().await;
}

/// Runs `/reload` as `user` and returns the report's text.
async fn reload_edit(h: &Harness, user: &User) -> String {
    let payload = h.slash(user, "reload", &[]);
    let token = payload["token"].as_str().unwrap().to_string();
    let deferred = h.interact(payload).await;
    assert_eq!(deferred["type"], 5);
    h.wait_for("the reload report", |f| {
        f.requests()
            .into_iter()
            .find(|r| r.method == "PATCH" && r.path.contains(&token))
    })
    .await
    .body
    .to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn a_429_on_an_autocomplete_is_waited_out() {
    let h = Harness::start().await;
    let payload = h.autocomplete_payload(&ALICE, "topic", "section", "1");
    // lectern sends the choices itself (poise would send them once, unretried).
    h.fail_next(
        payload["id"].as_str().unwrap(),
        1,
        Fault::RateLimited { retry_after: 0.1 },
    );
    let choices = h.interact(payload.clone()).await;
    assert_eq!(choices["type"], 8);
    assert!(!choices["data"]["choices"].as_array().unwrap().is_empty());
    let statuses: Vec<u16> = callbacks(&h, &payload).iter().map(|c| c.0).collect();
    assert_eq!(statuses, [429, 204]);
    h.stop().await;
}
