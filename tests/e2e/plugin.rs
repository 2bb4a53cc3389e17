//! lectern mounted in someone else's bot (issue 17): the poise host of
//! `examples/poise_host.rs` as it is, and a plain serenity host with no poise, each against the
//! fake Discord. What is the host's reaches the host untouched; what is lectern's, lectern
//! answers, once.

use std::sync::Arc;

use lectern::{Plugin, PluginOptions, Slash};
use poise::serenity_prelude as serenity;
use serde_json::{Value, json};
use serenity::async_trait;

use super::fake_discord::{APP_ID, FakeDiscord, Registration};
use super::*;

#[allow(dead_code)]
#[path = "../../examples/poise_host.rs"]
mod poise_host;

/// A host bot running against its own fake Discord, with the log it wrote.
struct Host {
    fake: FakeDiscord,
    shards: Arc<serenity::ShardManager>,
    task: tokio::task::JoinHandle<serenity::Result<()>>,
    logs: Logs,
    _log_guard: tracing::subscriber::DefaultGuard,
}

impl Host {
    /// Starts `client` (built against `fake`) and waits for its command registration.
    async fn start(
        fake: FakeDiscord,
        client: serenity::Client,
        logs: Logs,
        guard: tracing::subscriber::DefaultGuard,
    ) -> Host {
        let mut client = client;
        let shards = Arc::clone(&client.shard_manager);
        let task = tokio::spawn(async move { client.start().await });
        fake.wait_request("command registration", |r| {
            r.method == "PUT" && r.path.ends_with("/commands")
        })
        .await;
        Host {
            fake,
            shards,
            task,
            logs,
            _log_guard: guard,
        }
    }

    /// Stops the host; checks that the fake saw no problem and the token is in no log line.
    async fn stop(self) {
        self.shards.shutdown_all().await;
        let ended = tokio::time::timeout(super::fake_discord::PATIENCE, self.task)
            .await
            .expect("the host stops in time")
            .expect("the host's task does not panic");
        ended.expect("the host's client ends cleanly");
        assert_eq!(self.fake.problems(), Vec::<String>::new());
        assert!(!self.logs.text().contains(TOKEN), "the token is in the log");
    }

    /// The callbacks sent so far.
    fn callbacks(&self) -> Vec<Value> {
        self.fake
            .requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/callback"))
            .map(|r| r.body)
            .collect()
    }
}

impl std::ops::Deref for Host {
    type Target = FakeDiscord;
    fn deref(&self) -> &FakeDiscord {
        &self.fake
    }
}

/// The log of one test, and its fake Discord.
async fn fake_and_logs() -> (FakeDiscord, Logs, tracing::subscriber::DefaultGuard) {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info,lectern=debug"))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (
        FakeDiscord::start(TOKEN, Registration::Accept).await,
        logs,
        guard,
    )
}

fn names(registered: &Value) -> Vec<&str> {
    registered
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn the_example_poise_host_serves_its_own_command_and_lecterns() {
    let (fake, logs, guard) = fake_and_logs().await;
    let lectern = Plugin::from_folder(seeds(), poise_host::options()).unwrap();
    let client = poise_host::client(TOKEN, Some(&fake.api_base), lectern)
        .await
        .unwrap();
    let h = Host::start(fake, client, logs, guard).await;

    // The host registered its command and lectern's, once, all together.
    let put = h.wait_request("registration", |r| r.method == "PUT").await;
    assert_eq!(put.path, format!("/applications/{APP_ID}/commands"));
    assert_eq!(
        names(&put.body),
        [
            "hello",
            "talk-topics",
            "talk-topic",
            "talk-quote",
            "talk-search",
            "talk-about"
        ]
    );
    let topics = &put.body[1];
    assert_eq!(topics["name_localizations"]["zh-CN"], "talk-话题");

    // The host's own command reaches the host.
    let hello = h.command(&ALICE, "hello", &[]).await;
    assert_eq!(hello["data"]["content"], "Hello from the host, alice!");

    // lectern's commands, autocomplete and buttons, under the host's names and prefix.
    let found = h
        .command(&ALICE, "talk-search", &[("query", "生物安全")])
        .await;
    assert_eq!(found["type"], 4);
    assert!(embed(&found)["title"].is_string(), "{found}");
    let choices = h.autocomplete(&LI, "talk-topic", "section", "生物").await;
    assert_eq!(choices["type"], 8);
    assert!(
        choices["data"]["choices"][0]["name"]
            .as_str()
            .unwrap()
            .contains("生物"),
        "{choices}"
    );
    let section = h.command(&ALICE, "talk-topic", &[("section", "13")]).await;
    assert!(
        embed(&section)["title"]
            .as_str()
            .unwrap()
            .starts_with("13 · ")
    );
    let next = button(&section, "Next ▶");
    let id = next["custom_id"].as_str().unwrap();
    assert!(id.starts_with("talk2:b"), "{id}");
    let pressed = h.press(&ALICE, &section, id).await;
    assert_eq!(pressed["type"], 7, "lectern pages in place");
    assert!(
        embed(&pressed)["title"]
            .as_str()
            .unwrap()
            .starts_with("14 · ")
    );

    // The host's button is not lectern's: the host answers it, and nothing else does.
    let before = h.callbacks().len();
    let wave = h.press(&BOB, &hello, poise_host::WAVE).await;
    assert_eq!(wave["data"]["content"], "bob waves back.");
    // A standalone lectern's id is not this plugin's either (another prefix): not answered.
    let standalone = format!("l2:b0:{}:q", ALICE.id);
    h.dispatch(
        "INTERACTION_CREATE",
        h.press_payload(&ALICE, &section, &standalone),
    );
    let after_wave = h.command(&ALICE, "hello", &[]).await;
    assert_eq!(after_wave["data"]["content"], "Hello from the host, alice!");
    assert_eq!(
        h.callbacks().len(),
        before + 2,
        "one answer to the wave and one to /hello: {:#?}",
        &h.callbacks()[before..]
    );
    h.stop().await;
}

/// A serenity host without poise: its `/ping` and its autocomplete are its own, everything
/// else goes to the plugin first.
struct PlainHost {
    lectern: Plugin,
}

#[async_trait]
impl serenity::EventHandler for PlainHost {
    async fn ready(&self, ctx: serenity::Context, _ready: serenity::Ready) {
        let mut commands = vec![serenity::CreateCommand::new("ping").description("Pong")];
        commands.extend(self.lectern.create_commands());
        if let Err(e) = serenity::Command::set_global_commands(&ctx.http, commands).await {
            tracing::error!(error = %e, "registration failed");
        }
    }

    async fn interaction_create(&self, ctx: serenity::Context, interaction: serenity::Interaction) {
        if self.lectern.handle(&ctx, &interaction).await {
            return;
        }
        if let serenity::Interaction::Command(i) = &interaction {
            let message = serenity::CreateInteractionResponseMessage::new()
                .content(format!("pong: /{}", i.data.name))
                .allowed_mentions(serenity::CreateAllowedMentions::new());
            let answer = serenity::CreateInteractionResponse::Message(message);
            if let Err(e) = i.create_response(&ctx.http, answer).await {
                tracing::error!(error = %e, "the host could not answer");
            }
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_serenity_host_without_poise_mounts_lectern_with_its_own_policy() {
    let (fake, logs, guard) = fake_and_logs().await;
    let options = PluginOptions::default()
        .rename(Slash::Topics, "talks")
        .custom_id_prefix("t")
        // The host's rule for /reload: only BOB's account, whatever his permissions.
        .reload_check(|i| i.user.id.get() == BOB.id);
    let lectern = Plugin::from_folder(seeds(), options).unwrap();
    let http = serenity::HttpBuilder::new(TOKEN)
        .proxy(&fake.api_base)
        .ratelimiter_disabled(true)
        .build();
    let client = serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::empty())
        .event_handler(PlainHost {
            lectern: lectern.clone(),
        })
        .await
        .unwrap();
    let h = Host::start(fake, client, logs, guard).await;
    let put = h.wait_request("registration", |r| r.method == "PUT").await;
    assert_eq!(
        names(&put.body),
        [
            "ping", "talks", "topic", "quote", "search", "about", "reload", "settings"
        ]
    );

    let ping = h.command(&ALICE, "ping", &[]).await;
    assert_eq!(ping["data"]["content"], "pong: /ping");
    let talks = h.command(&ALICE, "talks", &[]).await;
    assert!(
        select_menu(&talks)["custom_id"]
            .as_str()
            .unwrap()
            .starts_with("t2:m")
    );
    let choices = h.autocomplete(&ALICE, "quote", "topic", "13").await;
    assert!(
        choices["data"]["choices"][0]["name"]
            .as_str()
            .unwrap()
            .starts_with("13 · "),
        "{choices}"
    );
    let section = h.command(&ALICE, "topic", &[("section", "13")]).await;
    let id = button(&section, "Next ▶")["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    let pressed = h.press(&ALICE, &section, &id).await;
    assert_eq!(pressed["type"], 7);
    assert!(
        embed(&pressed)["title"]
            .as_str()
            .unwrap()
            .starts_with("14 · ")
    );

    // The host decides who reloads: a server manager (whom lectern's own rule would let in)
    // is refused, the host's chosen member is not.
    let refused = h.command(&ADMIN, "reload", &[]).await;
    assert!(is_ephemeral(&refused));
    assert_eq!(
        description(&refused),
        "You are not allowed to reload the talks here."
    );
    let force = vec![json!({"name": "force", "type": 5, "value": false})];
    let chosen = h.interact(h.slash_with(&BOB, "reload", force)).await;
    assert_eq!(chosen["type"], 5, "deferred while it loads");
    h.wait_request("the reload report", |r| {
        r.method == "PATCH" && r.path.ends_with("/messages/@original")
    })
    .await;
    h.stop().await;
}
