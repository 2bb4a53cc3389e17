//! End-to-end tests: the real bot (`lectern::discord::run_bot`) against a fake Discord on
//! 127.0.0.1, with the bundled seed.
//!
//! Each test starts its own fake and its own bot on a current-thread runtime, so that the
//! log subscriber it sets catches everything the bot logs. Every body the bot sends is checked
//! against Discord's OpenAPI description and limits as it arrives ([`fake_discord`]); every
//! test ends with [`Harness::stop`], which asserts a clean shutdown, no problem seen by the
//! fake, and no token in the logs. What only the binary shows (the token from the
//! environment, exit codes, SIGTERM) runs `lectern serve` itself, through [`process`].
//! Timeouts are only guards against hanging.

mod bot;
mod cards;
mod discord_rules;
mod fake_discord;
mod faults;
mod interactions;
mod limits;
mod many;
mod moments;
mod openapi;
mod operators;
mod plugin;
mod process;
mod registration;
mod replicas;
mod security;
mod sharing;
mod state;
mod uploads;
mod weblinks;

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use fake_discord::{APP_ID, FakeDiscord, PATIENCE, Registration};
use lectern::config::Config;
use lectern::discord::{Plugin, Token};
use lectern::library::{Library, LoadOptions};
use lectern::reload::Content;
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub const TOKEN: &str = "MTEwMDAw.fake-bot-token.only-for-these-tests";
pub const GUILD: u64 = 1_500_000_000_000_000_001;
pub const CHANNEL: u64 = 1_600_000_000_000_000_001;

/// Someone using the bot.
pub struct User {
    pub id: u64,
    pub name: &'static str,
    pub locale: &'static str,
    /// `member.permissions`: what Discord resolved for them in the channel.
    pub permissions: &'static str,
}

/// VIEW_CHANNEL | SEND_MESSAGES.
const MEMBER: &str = "3072";
/// VIEW_CHANNEL | SEND_MESSAGES | MANAGE_GUILD.
const MANAGER: &str = "3104";

pub const ALICE: User = User {
    id: 2001,
    name: "alice",
    locale: "en-US",
    permissions: MEMBER,
};
pub const LI: User = User {
    id: 2002,
    name: "li",
    locale: "zh-CN",
    permissions: MEMBER,
};
pub const MEI: User = User {
    id: 2003,
    name: "mei",
    locale: "zh-TW",
    permissions: MEMBER,
};
pub const BOB: User = User {
    id: 2004,
    name: "bob",
    locale: "en-US",
    permissions: MEMBER,
};
/// Manages [`GUILD`], which the harness lists in `admin.guild_ids`: an operator.
pub const ADMIN: User = User {
    id: 2005,
    name: "admin",
    locale: "en-US",
    permissions: MANAGER,
};
/// The application's owner, as the fake's `GET /oauth2/applications/@me` says; a plain member
/// of [`GUILD`].
pub const OWNER: User = User {
    id: fake_discord::OWNER_ID,
    name: "owner",
    locale: "en-US",
    permissions: MEMBER,
};
/// A member of the application's team.
pub const TEAMMATE: User = User {
    id: fake_discord::TEAMMATE_ID,
    name: "teammate",
    locale: "en-US",
    permissions: MEMBER,
};

pub fn seeds() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A temporary copy of the bundled seeds, for tests that change them.
pub fn seeds_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(seeds()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// The bundled seed, as the bot loads it.
pub fn seed_library() -> Library {
    Library::load(&seeds(), &LoadOptions::default()).library
}

/// Everything the bot logged in one test.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A running bot and its fake Discord.
pub struct Harness {
    pub fake: FakeDiscord,
    /// The bot's shared state: its content, readiness status and metrics.
    pub plugin: Plugin,
    pub logs: Logs,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// The bot's state database and test clock (`state.test_clock_file`), kept across
    /// [`Harness::restart_bot`].
    pub state: Arc<StateDir>,
    _log_guard: tracing::subscriber::DefaultGuard,
}

/// Sets GUILD's quote of the day to 10:00 in Berlin (09:00 UTC in winter) in `db`, then closes
/// it: the daily-quote tests of one process and of replicas start from this.
pub async fn schedule_daily_quote_at_ten_in_berlin(db: lectern_state::State) {
    let settings = lectern_state::GuildSettings {
        quote: Some(lectern_state::QuoteSchedule {
            channel: CHANNEL,
            time: lectern_state::parse_time("10:00").unwrap(),
            zone: "Europe/Berlin".into(),
        }),
        ..Default::default()
    };
    db.save_settings(GUILD, &settings).await.unwrap();
    db.close().await;
}

/// A folder with the state database and the test clock's file, which starts at the
/// machine's time.
pub struct StateDir {
    dir: tempfile::TempDir,
}

impl Default for StateDir {
    fn default() -> StateDir {
        StateDir::new()
    }
}

impl StateDir {
    pub fn new() -> StateDir {
        let s = StateDir {
            dir: tempfile::tempdir().unwrap(),
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        s.set_clock(&now.to_string());
        s
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("lectern.sqlite3")
    }

    pub fn clock(&self) -> PathBuf {
        self.dir.path().join("now")
    }

    /// Sets the bot's clock to `instant` (RFC 3339 or Unix seconds).
    pub fn set_clock(&self, instant: &str) {
        // Written aside and renamed: the bot never reads half a file.
        let aside = self.dir.path().join("now.new");
        std::fs::write(&aside, instant).unwrap();
        std::fs::rename(&aside, self.clock()).unwrap();
    }

    /// The bot's configuration of this state.
    pub fn apply(&self, config: &mut Config) {
        config.state.path = self.db();
        config.state.test_clock_file = Some(self.clock());
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- the bot's log ---\n{}", self.logs.text());
        }
    }
}

impl Harness {
    pub async fn start() -> Harness {
        Harness::start_with(Registration::Accept, |_| {}).await
    }

    /// Like [`Harness::start`], serving the seeds folder `seeds` (a copy a test changes).
    pub async fn start_on(seeds: &std::path::Path) -> Harness {
        let seeds = seeds.to_path_buf();
        Harness::start_with(Registration::Accept, move |c| c.content.seeds_dir = seeds).await
    }

    /// Starts the fake, then the bot with the default configuration changed by `tweak`, and
    /// waits until the bot has registered its commands.
    pub async fn start_with(
        registration: Registration,
        tweak: impl FnOnce(&mut Config),
    ) -> Harness {
        // The default filter of the configuration, with lectern's debug lines: the token must
        // not appear even there.
        let filter = format!("{},lectern=debug", Config::default().log.filter);
        Harness::start_logging(&filter, registration, tweak).await
    }

    /// Like [`Harness::start_with`], logging what `filter` lets through.
    pub async fn start_logging(
        filter: &str,
        registration: Registration,
        tweak: impl FnOnce(&mut Config),
    ) -> Harness {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let log_guard = tracing::subscriber::set_default(subscriber);
        let fake = FakeDiscord::start(TOKEN, registration).await;
        let state = Arc::new(StateDir::new());
        let (plugin, tx, task) = Harness::spawn_bot(&fake, &state, tweak);
        let h = Harness {
            fake,
            plugin,
            logs,
            shutdown: Some(tx),
            task: Some(task),
            state,
            _log_guard: log_guard,
        };
        h.fake
            .wait_request("command registration", |r| {
                r.method == "PUT" && r.path.ends_with("/commands")
            })
            .await;
        h
    }

    /// Starts a bot on `fake` with the harness's configuration changed by `tweak`.
    #[allow(clippy::type_complexity)]
    fn spawn_bot(
        fake: &FakeDiscord,
        state: &StateDir,
        tweak: impl FnOnce(&mut Config),
    ) -> (
        Plugin,
        oneshot::Sender<()>,
        tokio::task::JoinHandle<anyhow::Result<()>>,
    ) {
        let mut config = Config::default();
        config.discord.api_base = Some(fake.api_base.clone());
        config.content.seeds_dir = seeds();
        // Members who manage the test guild are operators.
        config.admin.guild_ids = vec![GUILD];
        // Most tests send many commands as one user, and several reloads: flood control and
        // the reload interval are off unless a test turns them on.
        config.cooldown = lectern::config::CooldownConfig::off();
        config.reload.min_interval_secs = 0;
        state.apply(&mut config);
        tweak(&mut config);
        let library =
            Library::load(&config.content.seeds_dir, &config.content.load_options()).library;
        let content = Content::new(
            library,
            config.content.seeds_dir.clone(),
            config.content.load_options(),
        );
        let plugin = Plugin::new(content, &config, lectern::PluginOptions::default())
            .expect("the default options are valid");
        let (tx, rx) = oneshot::channel::<()>();
        let serving = plugin.clone();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = rx.await;
            };
            lectern::discord::run_bot(&config, &Token::new(TOKEN), serving, shutdown).await
        });
        (plugin, tx, task)
    }

    /// Stops the bot (cleanly) and starts another on the same fake Discord, with the
    /// configuration changed by `tweak`, as a restart of the process would; waits until it
    /// has a gateway session.
    pub async fn restart_bot(&mut self, tweak: impl FnOnce(&mut Config)) {
        let _ = self.shutdown.take().unwrap().send(());
        tokio::time::timeout(PATIENCE, self.task.take().unwrap())
            .await
            .expect("the bot stops in time")
            .expect("the bot's task does not panic")
            .expect("the bot stops cleanly");
        let sessions = self.fake.sessions();
        let (plugin, tx, task) = Harness::spawn_bot(&self.fake, &self.state, tweak);
        (self.plugin, self.shutdown, self.task) = (plugin, Some(tx), Some(task));
        self.fake
            .wait_for("a new gateway session", |f| {
                (f.sessions() > sessions).then_some(())
            })
            .await;
    }

    /// Waits until the bot's log has a line containing `text`.
    pub async fn wait_log(&self, text: &str) {
        let found = tokio::time::timeout(PATIENCE, async {
            while !self.logs.text().contains(text) {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
        .await;
        assert!(found.is_ok(), "gave up waiting for {text:?} in the log");
    }

    /// Asks the bot to stop and checks that it did, cleanly; returns the log.
    pub async fn stop(self) -> String {
        self.stop_checked(true).await
    }

    /// Like [`Harness::stop`], after a re-identify (an invalid session): serenity 0.12.5 then
    /// restarts the shard from inside its own runner, waits 5 s for that runner to stop
    /// ("Failed to cleanly shutdown shard 0"), and the old runner, as it ends, removes the new
    /// one from the shard manager: `shutdown_all` no longer reaches the new connection, which
    /// stays open until the process exits. So neither is checked here.
    pub async fn stop_after_reidentify(self) -> String {
        self.stop_checked(false).await
    }

    async fn stop_checked(mut self, strict: bool) -> String {
        let _ = self.shutdown.take().unwrap().send(());
        let ended = tokio::time::timeout(PATIENCE, self.task.take().unwrap())
            .await
            .expect("the bot stops in time")
            .expect("the bot's task does not panic");
        if let Err(e) = ended {
            panic!("run returned an error: {e:#}");
        }
        self.fake
            .wait_for("every gateway connection to close", |f| {
                let closed = f.closed_connections();
                (closed >= 1 && (!strict || closed >= f.opened_connections())).then_some(())
            })
            .await;
        assert_eq!(self.fake.problems(), Vec::<String>::new());
        let logs = self.logs.text();
        assert!(!logs.contains(TOKEN), "the token is in the log");
        assert!(logs.contains("gateway closed"), "{logs}");
        assert!(
            !strict || !logs.contains("Failed to cleanly shutdown"),
            "{logs}"
        );
        logs
    }
}

/// The bot's gateway and API stay reachable through the harness: `h.command(…)`.
impl std::ops::Deref for Harness {
    type Target = FakeDiscord;
    fn deref(&self) -> &FakeDiscord {
        &self.fake
    }
}

/// Interactions as Discord sends them, and waiting for the bot's answers.
impl FakeDiscord {
    fn payload(&self, kind: u64, user: &User, data: Value) -> Value {
        let id = self.next_id();
        json!({
            "id": id.to_string(),
            "application_id": APP_ID.to_string(),
            "type": kind,
            "data": data,
            "guild_id": GUILD.to_string(),
            "channel_id": CHANNEL.to_string(),
            "member": {
                "user": {"id": user.id.to_string(), "username": user.name, "discriminator": "0", "avatar": null, "global_name": null},
                "roles": [], "deaf": false, "mute": false, "flags": 0,
                "permissions": user.permissions,
                "joined_at": "2025-06-01T00:00:00.000000+00:00"
            },
            "token": format!("interaction-token-{id}"),
            "version": 1,
            "locale": user.locale,
            "guild_locale": "en-US",
            "app_permissions": "3072",
            "entitlements": [],
            "attachment_size_limit": 10485760,
        })
    }

    /// The same interaction sent from a direct message: no guild, no member, a `user`.
    pub fn in_dm(mut payload: Value) -> Value {
        let o = payload.as_object_mut().unwrap();
        let user = o.remove("member").unwrap()["user"].clone();
        o.remove("guild_id");
        o.remove("guild_locale");
        o.insert("user".into(), user);
        o.insert("channel_id".into(), json!("1600000000000000777"));
        payload
    }

    /// A slash command invocation; `options` are `(name, string value)`.
    pub fn slash(&self, user: &User, name: &str, options: &[(&str, &str)]) -> Value {
        let options: Vec<Value> = options
            .iter()
            .map(|(n, v)| json!({"name": n, "type": 3, "value": v}))
            .collect();
        self.slash_with(user, name, options)
    }

    /// A slash command invocation with options as Discord sends them (`name`, `type`, `value`).
    pub fn slash_with(&self, user: &User, name: &str, options: Vec<Value>) -> Value {
        self.payload(
            2,
            user,
            json!({"id": "1700000000000000001", "name": name, "type": 1, "options": options}),
        )
    }

    /// Runs a slash command and returns the body of the bot's callback.
    pub async fn command(&self, user: &User, name: &str, options: &[(&str, &str)]) -> Value {
        self.interact(self.slash(user, name, options)).await
    }

    /// Autocomplete of the string option `option` with `partial` typed.
    pub async fn autocomplete(
        &self,
        user: &User,
        name: &str,
        option: &str,
        partial: &str,
    ) -> Value {
        self.interact(self.autocomplete_payload(user, name, option, partial))
            .await
    }

    /// The interaction of an autocomplete of `option` of the command `name`, `partial` typed.
    pub fn autocomplete_payload(
        &self,
        user: &User,
        name: &str,
        option: &str,
        partial: &str,
    ) -> Value {
        let data = json!({"id": "1700000000000000001", "name": name, "type": 1,
            "options": [{"name": option, "type": 3, "value": partial, "focused": true}]});
        self.payload(4, user, data)
    }

    /// Presses the button `custom_id` on the message a callback created.
    pub async fn press(&self, user: &User, on: &Value, custom_id: &str) -> Value {
        self.interact(self.press_payload(user, on, custom_id)).await
    }

    /// The interaction of a press of the button `custom_id` on the message a callback created.
    pub fn press_payload(&self, user: &User, on: &Value, custom_id: &str) -> Value {
        let mut p = self.payload(
            3,
            user,
            json!({"custom_id": custom_id, "component_type": 2}),
        );
        p["message"] = fake_discord::message_json(&on["data"]);
        p
    }

    /// Picks `value` in the select menu of the message a callback created, and returns the
    /// answer: the follow-up after the pick's UPDATE_MESSAGE, as `{"type": "follow-up", "data":
    /// <message>}`. Checks that the first response re-sent the menu (which resets it). Fails
    /// if Discord would send nothing: the user's menu still rests on `value` ([`FakeDiscord::pick`]).
    pub async fn choose(&self, user: &User, on: &Value, value: &str) -> Value {
        let menu = select_menu(on);
        let mut p = self.payload(
            3,
            user,
            json!({"custom_id": menu["custom_id"], "component_type": 3, "values": [value]}),
        );
        p["message"] = fake_discord::message_json(&on["data"]);
        let interaction = p["id"].as_str().unwrap().to_string();
        let custom_id = menu["custom_id"].as_str().unwrap();
        assert!(
            self.pick(user.id, custom_id, value, &interaction),
            "Discord sends nothing: the menu still rests on {value}"
        );
        let token = p["token"].as_str().unwrap().to_string();
        let first = self.interact(p).await;
        assert_eq!(first["type"], 7, "a pick updates its message: {first}");
        assert_eq!(
            select_menu(&first)["custom_id"],
            menu["custom_id"],
            "the menu is sent again"
        );
        let path = format!("/webhooks/{APP_ID}/{token}");
        let follow_up = self
            .wait_request("the pick's follow-up", |r| {
                r.method == "POST" && r.path == path && r.status < 300
            })
            .await;
        assert_eq!(self.problems(), Vec::<String>::new());
        json!({"type": "follow-up", "data": follow_up.body})
    }

    /// Sends an interaction and waits for its first callback the fake accepted; fails on any
    /// problem the fake saw.
    pub async fn interact(&self, payload: Value) -> Value {
        let path = callback_path(&payload);
        self.dispatch("INTERACTION_CREATE", payload);
        let request = self
            .wait_request(&format!("the callback {path}"), |r| {
                r.path == path && r.status < 300
            })
            .await;
        assert_eq!(self.problems(), Vec::<String>::new());
        request.body
    }
}

/// Sends an operator's `/reload` whose report (the edit of the deferred answer) first meets
/// `fault`; checks that it was deferred, and returns the interaction's token.
pub async fn reload_with_report_fault(h: &Harness, fault: fake_discord::Fault) -> String {
    let payload = h.slash(&ADMIN, "reload", &[]);
    let token = payload["token"].as_str().unwrap().to_string();
    h.fail_next(&format!("{token}/messages/@original"), 1, fault);
    let deferred = h.interact(payload).await;
    assert_eq!(deferred["type"], 5);
    token
}

/// The environment of one process of the `sharded` profile: shard `shard` of 2.
pub fn sharded_process(shard: &str) -> Vec<(&'static str, String)> {
    vec![
        ("DISCORD_TOKEN", TOKEN.to_string()),
        ("LECTERN__DISCORD__SHARD_START", shard.to_string()),
        ("LECTERN__DISCORD__SHARD_RUN", "1".to_string()),
        ("LECTERN__DISCORD__SHARD_TOTAL", "2".to_string()),
    ]
}

/// Checks that one line of `logs` contains every one of `parts`.
pub fn assert_logged(logs: &str, parts: &[&str]) {
    assert!(
        logs.lines().any(|l| parts.iter().all(|p| l.contains(p))),
        "no line with all of {parts:?} in the log:\n{logs}"
    );
}

/// Presses each of `custom_ids` on `on` as `user`, and checks that each is refused politely,
/// as something the library does not have.
pub async fn assert_gone<'a>(
    h: &FakeDiscord,
    user: &User,
    on: &Value,
    custom_ids: impl IntoIterator<Item = &'a str>,
) {
    for id in custom_ids {
        let answer = h.press(user, on, id).await;
        assert!(is_ephemeral(&answer), "{id}: {answer}");
        assert!(
            description(&answer).contains("no longer in the library"),
            "{id}: {answer}"
        );
    }
}

/// The path of an interaction's callback.
pub fn callback_path(payload: &Value) -> String {
    format!(
        "/interactions/{}/{}/callback",
        payload["id"].as_str().unwrap(),
        payload["token"].as_str().unwrap()
    )
}

/// The embed of a callback.
pub fn embed(callback: &Value) -> &Value {
    &callback["data"]["embeds"][0]
}

/// The embed's description of a callback.
pub fn description(callback: &Value) -> String {
    embed(callback)["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

pub fn is_ephemeral(callback: &Value) -> bool {
    callback["data"]["flags"].as_u64().unwrap_or(0) & 64 != 0
}

/// Every button of a callback's message.
pub fn buttons(callback: &Value) -> Vec<Value> {
    callback["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 2)
        .collect()
}

/// The button labelled `label`.
pub fn button(callback: &Value, label: &str) -> Value {
    buttons(callback)
        .into_iter()
        .find(|b| b["label"] == label)
        .unwrap_or_else(|| panic!("no button {label:?} in {callback:#}"))
}

/// The select menu of a callback's message.
pub fn select_menu(callback: &Value) -> Value {
    callback["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["type"] == 3)
        .unwrap_or_else(|| panic!("no select menu in {callback:#}"))
}
