//! A fake Discord on 127.0.0.1: the REST API (axum) and the gateway WebSocket
//! (tokio-tungstenite) that serenity and poise need, and nothing more.
//!
//! It records every request, checks the bot's token on REST and IDENTIFY, validates every body
//! the bot sends against Discord's OpenAPI description and Discord's limits (see
//! [`super::limits`]), and lets a test push `INTERACTION_CREATE` dispatches and wait for the
//! bot's answers. Anything it does not expect is answered 404 and recorded as a problem.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

use super::openapi::Spec;

pub const APP_ID: u64 = 1_100_000_000_000_000_001;
/// The application's owner, as `GET /oauth2/applications/@me` answers.
pub const OWNER_ID: u64 = 2010;
/// A member of the application's team (accepted, a developer); another, only invited, is
/// `TEAMMATE_ID + 1`; `TEAMMATE_ID + 2` is an accepted member with the read-only role.
pub const TEAMMATE_ID: u64 = 2011;
/// How long a test waits for anything before it fails (a guard, not a timing assertion).
pub const PATIENCE: Duration = Duration::from_secs(15);

/// Discord's epoch (2015-01-01T00:00:00Z), in Unix milliseconds.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Discord's deadline for an interaction's first response.
pub const FIRST_RESPONSE_DEADLINE: Duration = Duration::from_secs(3);
/// How long an interaction's token is valid (follow-ups and edits).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// What Discord remembers of an interaction it sent.
#[derive(Debug, Clone)]
struct Sent {
    /// The interaction's type (2 command, 3 component, 4 autocomplete, 5 modal).
    kind: u64,
    /// When it was made (its snowflake's timestamp), in Unix milliseconds.
    made_ms: u64,
    token: String,
    /// The status of the callback that acknowledged it, once one did.
    acknowledged: Option<u16>,
}

/// The callback types Discord accepts for an interaction of type `kind`.
fn callback_types(kind: u64) -> &'static [u64] {
    match kind {
        1 => &[1],
        // A command: a message, a deferral, a modal.
        2 => &[4, 5, 9],
        // A component: a message, a deferral (with or without "thinking"), an update, a modal.
        3 => &[4, 5, 6, 7, 9],
        // An autocomplete takes its choices, nothing else.
        4 => &[8],
        5 => &[4, 5, 6, 7],
        _ => &[],
    }
}

/// One request the bot made.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path without `/api/v10`.
    pub path: String,
    pub body: Value,
    /// The files uploaded with it (a multipart request's `files[n]` parts).
    pub files: Vec<super::uploads::Upload>,
    /// The status the fake answered with.
    pub status: u16,
}

/// A failure the REST API answers with instead of success, for tests of faults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// 429 with `retry_after` (seconds) in the body and Discord's rate-limit headers; every
    /// request to the same path fragment within `retry_after` gets a 429 too (without using up
    /// a fault), as Discord's limit holds until then.
    RateLimited { retry_after: f64 },
    /// 500 Internal Server Error.
    ServerError,
    /// 500, after Discord did act on the request (an interaction's callback is then
    /// acknowledged): what a proxy or a timeout on the way back shows.
    ServerErrorAfterActing,
}

/// How a channel takes a message the bot posts on its own (`POST /channels/{id}/messages`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelRule {
    /// The bot lacks Send Messages or Embed Links there: 403, code 50013.
    NoPermission,
    /// The channel is gone: 404, code 10003.
    Deleted,
}

/// What the fake's gateway does to the bot's connection.
#[derive(Debug, Clone)]
enum Frame {
    /// A text frame (a dispatch or another opcode).
    Text(String),
    /// A Close frame with this code, then the connection ends.
    Close(u16),
    /// The TCP connection ends without a Close frame.
    Drop,
}

/// What the REST API should do with command registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    Accept,
    Fail,
}

struct Shared {
    token: String,
    gateway_url: String,
    registration: Registration,
    spec: Spec,
    requests: Mutex<Vec<Request>>,
    identifies: Mutex<Vec<Value>>,
    problems: Mutex<Vec<String>>,
    /// Each session's connection, with the shard IDENTIFY named (`[id, total]`).
    sockets: Mutex<Vec<(u64, u64, mpsc::UnboundedSender<Frame>)>>,
    /// The commands registered in each scope (`None`: global), as Discord keeps them.
    commands: Mutex<std::collections::HashMap<Option<u64>, Vec<Value>>>,
    /// Select menus left on a picked option, per user: `(user, menu custom_id)` → the value.
    /// Discord sends nothing when that option is picked again, until the message is updated.
    menus: Mutex<std::collections::HashMap<(u64, String), String>>,
    /// Picks waiting for their answer: interaction id → `(user, menu custom_id)`.
    picks: Mutex<std::collections::HashMap<String, (u64, String)>>,
    /// The interaction tokens whose original message was deleted.
    deleted: Mutex<Vec<String>>,
    resumes: Mutex<Vec<Value>>,
    /// Every interaction dispatched to the bot, by id: what Discord remembers of it to judge
    /// its answers (the kind, when it was made, whether it was acknowledged).
    interactions: Mutex<std::collections::HashMap<String, Sent>>,
    /// How far the fake's clock is ahead of the machine's, in milliseconds: the deadlines of
    /// interactions (3 s for the first response, 15 minutes for the token) count on it.
    ahead_ms: AtomicU64,
    /// Rate limits: `(path fragment, limit, window)`; each bucket (the rule and the route's
    /// major parameter) admits `limit` requests per window, then answers 429.
    limits: Mutex<Vec<(String, u32, Duration)>>,
    /// The state of each bucket: `(rule, method, major parameter)` → (window start in ms,
    /// requests).
    buckets: Mutex<std::collections::HashMap<BucketKey, (u64, u32)>>,
    /// Until when (fake clock, ms) every request gets a global 429.
    global_until: AtomicU64,
    /// Identify concurrency Discord enforces (`max_concurrency`; 0: not enforced): within one
    /// bucket (`shard % max_concurrency`), one IDENTIFY per 5 s, the next refused with op 9.
    max_concurrency: AtomicU64,
    /// When (fake clock, ms) each bucket last took an IDENTIFY.
    last_identify: Mutex<std::collections::HashMap<u64, u64>>,
    /// Session starts left today (`session_start_limit.remaining`).
    starts_left: AtomicU64,
    /// Path fragments a 429 fault closed, until when (fake clock, ms).
    closed_paths: Mutex<Vec<(String, u64)>>,
    /// `(path fragment, times left, fault)`: the next requests whose path contains the
    /// fragment get the fault.
    faults: Mutex<Vec<(String, usize, Fault)>>,
    /// Answer RESUME with an invalid session (op 9, `d: false`) instead of RESUMED.
    refuse_resume: std::sync::atomic::AtomicBool,
    /// Close every new gateway connection before the WebSocket handshake (an outage).
    refuse_connections: std::sync::atomic::AtomicBool,
    /// Channels where a post is refused, and how (the default: posts are accepted).
    channel_rules: Mutex<std::collections::HashMap<u64, ChannelRule>>,
    /// A copy of every request, as it arrives (for the load benchmark).
    tap: Mutex<Option<mpsc::UnboundedSender<Request>>>,
    opened: AtomicUsize,
    closed: AtomicUsize,
    refused: AtomicUsize,
    seq: AtomicU64,
    ids: AtomicU64,
    changed: watch::Sender<u64>,
}

impl Shared {
    /// A snowflake with the current time, rising strictly.
    fn next_id(&self) -> u64 {
        let now_ms = self.now_ms();
        let made_now = (now_ms - 1_420_070_400_000) << 22;
        let previous = self
            .ids
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
                Some(made_now.max(last + 1))
            })
            .unwrap();
        made_now.max(previous + 1)
    }

    /// The fake's clock, in Unix milliseconds: the machine's, plus what the test advanced it by.
    fn now_ms(&self) -> u64 {
        let machine = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        machine + self.ahead_ms.load(Ordering::SeqCst)
    }

    /// Remembers an interaction sent to the bot, to judge its answers as Discord would.
    fn remember(&self, d: &Value) {
        let (Some(id), Some(kind)) = (d["id"].as_str(), d["type"].as_u64()) else {
            return;
        };
        let Ok(snowflake) = id.parse::<u64>() else {
            return;
        };
        self.interactions.lock().unwrap().insert(
            id.to_string(),
            Sent {
                kind,
                made_ms: (snowflake >> 22) + DISCORD_EPOCH_MS,
                token: d["token"].as_str().unwrap_or_default().to_string(),
                acknowledged: None,
            },
        );
    }

    fn bump(&self) {
        self.changed.send_modify(|n| *n += 1);
    }

    fn problem(&self, p: String) {
        self.problems.lock().unwrap().push(p);
    }
}

pub struct FakeDiscord {
    pub api_base: String,
    shared: Arc<Shared>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl FakeDiscord {
    pub async fn start(token: &str, registration: Registration) -> FakeDiscord {
        let rest = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gateway = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api_base = format!("http://{}", rest.local_addr().unwrap());
        // No query: serenity appends `?v=10`.
        let gateway_url = format!("ws://{}", gateway.local_addr().unwrap());
        let shared = Arc::new(Shared {
            token: token.to_string(),
            gateway_url,
            registration,
            spec: Spec::load(),
            requests: Mutex::default(),
            identifies: Mutex::default(),
            problems: Mutex::default(),
            sockets: Mutex::default(),
            commands: Mutex::default(),
            menus: Mutex::default(),
            picks: Mutex::default(),
            deleted: Mutex::default(),
            resumes: Mutex::default(),
            interactions: Mutex::default(),
            ahead_ms: AtomicU64::new(0),
            limits: Mutex::default(),
            buckets: Mutex::default(),
            global_until: AtomicU64::new(0),
            closed_paths: Mutex::default(),
            max_concurrency: AtomicU64::new(0),
            last_identify: Mutex::default(),
            starts_left: AtomicU64::new(999),
            faults: Mutex::default(),
            refuse_resume: std::sync::atomic::AtomicBool::new(false),
            refuse_connections: std::sync::atomic::AtomicBool::new(false),
            channel_rules: Mutex::default(),
            tap: Mutex::default(),
            opened: AtomicUsize::new(0),
            closed: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
            seq: AtomicU64::new(0),
            ids: AtomicU64::new(0),
            changed: watch::channel(0).0,
        });
        let app = axum::Router::new()
            .fallback(rest_api)
            .with_state(Arc::clone(&shared));
        let rest_task = tokio::spawn(async move {
            axum::serve(rest, app).await.unwrap();
        });
        let gw_shared = Arc::clone(&shared);
        let gateway_task = tokio::spawn(async move {
            while let Ok((tcp, _)) = gateway.accept().await {
                if gw_shared.refuse_connections.load(Ordering::SeqCst) {
                    drop(tcp);
                    gw_shared.refused.fetch_add(1, Ordering::SeqCst);
                    gw_shared.bump();
                    continue;
                }
                tokio::spawn(connection(tcp, Arc::clone(&gw_shared)));
            }
        });
        FakeDiscord {
            api_base,
            shared,
            tasks: vec![rest_task, gateway_task],
        }
    }

    /// A fresh snowflake, made now: its timestamp is the current time, as Discord's are (the
    /// bot's first-response deadline counts from it).
    pub fn next_id(&self) -> u64 {
        self.shared.next_id()
    }

    /// Waits until `find` returns something from the state of the fake.
    pub async fn wait_for<T>(&self, what: &str, mut find: impl FnMut(&Self) -> Option<T>) -> T {
        let mut changed = self.shared.changed.subscribe();
        let found = tokio::time::timeout(PATIENCE, async {
            loop {
                changed.borrow_and_update();
                if let Some(t) = find(self) {
                    return t;
                }
                changed.changed().await.unwrap();
            }
        })
        .await;
        match found {
            Ok(t) => t,
            Err(_) => panic!(
                "gave up waiting for {what}; requests so far: {:#?}",
                self.requests()
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.path))
                    .collect::<Vec<_>>()
            ),
        }
    }

    /// Waits for a request matching `pred` and returns the first one.
    pub async fn wait_request(&self, what: &str, pred: impl Fn(&Request) -> bool) -> Request {
        self.wait_for(what, |f| f.requests().into_iter().find(|r| pred(r)))
            .await
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub fn identifies(&self) -> Vec<Value> {
        self.shared.identifies.lock().unwrap().clone()
    }

    /// Every RESUME (op 6) the bot sent, the token redacted.
    pub fn resumes(&self) -> Vec<Value> {
        self.shared.resumes.lock().unwrap().clone()
    }

    /// Posts in `channel` are refused by `rule` from now on (`None`: accepted again).
    pub fn channel_rule(&self, channel: u64, rule: Option<ChannelRule>) {
        let mut rules = self.shared.channel_rules.lock().unwrap();
        match rule {
            Some(r) => rules.insert(channel, r),
            None => rules.remove(&channel),
        };
    }

    /// The messages the bot posted in `channel` on its own and Discord accepted, oldest first.
    pub fn posts(&self, channel: u64) -> Vec<Value> {
        let path = format!("/channels/{channel}/messages");
        self.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path && r.status < 300)
            .map(|r| r.body)
            .collect()
    }

    /// The next `times` requests whose path contains `path` get `fault` instead of success.
    pub fn fail_next(&self, path: &str, times: usize, fault: Fault) {
        self.shared
            .faults
            .lock()
            .unwrap()
            .push((path.to_string(), times, fault));
    }

    /// Moves the fake's clock `by` ahead: every interaction it sent is that much older in
    /// Discord's eyes (not in the bot's), and the ids it makes from now on are made later.
    pub fn advance_clock(&self, by: Duration) {
        self.shared
            .ahead_ms
            .fetch_add(by.as_millis() as u64, Ordering::SeqCst);
    }

    /// A snowflake made `ago` before the fake's now (an interaction that waited in a queue).
    pub fn id_made_ago(&self, ago: Duration) -> u64 {
        let made = self.shared.now_ms() - ago.as_millis() as u64;
        ((made - DISCORD_EPOCH_MS) << 22)
            | (self.shared.ids.fetch_add(1, Ordering::SeqCst) & 0x3f_ffff)
    }

    /// From now on each bucket of the requests whose path contains `path` admits `limit`
    /// requests per `window` (the bucket: the rule, the method and the route's major
    /// parameter, as Discord's), says so in its `X-RateLimit-*` headers, and answers 429
    /// beyond.
    pub fn rate_limit(&self, path: &str, limit: u32, window: Duration) {
        self.shared
            .limits
            .lock()
            .unwrap()
            .push((path.to_string(), limit, window));
    }

    /// From now on, IDENTIFYs are held to `max_concurrency` (and `GET /gateway/bot` says so):
    /// within one bucket (`shard % max_concurrency`) one per 5 s; another is refused with an
    /// invalid session (op 9), recorded as a problem.
    pub fn enforce_identify_concurrency(&self, max_concurrency: u64) {
        self.shared
            .max_concurrency
            .store(max_concurrency, Ordering::SeqCst);
    }

    /// Sets the session starts left today, as `GET /gateway/bot` reports them; an IDENTIFY
    /// past them is a problem (Discord resets the token).
    pub fn set_session_starts_left(&self, left: u64) {
        self.shared.starts_left.store(left, Ordering::SeqCst);
    }

    /// Every request in the next `for_` gets a global 429 (`"global": true`).
    pub fn global_limit(&self, for_: Duration) {
        let until = self.shared.now_ms() + for_.as_millis() as u64;
        self.shared.global_until.store(until, Ordering::SeqCst);
    }

    /// From now on, every request is also sent to the returned receiver as it arrives.
    pub fn tap(&self) -> mpsc::UnboundedReceiver<Request> {
        let (tx, rx) = mpsc::unbounded_channel();
        *self.shared.tap.lock().unwrap() = Some(tx);
        rx
    }

    /// From now on, a RESUME is answered with an invalid session (op 9, `d: false`).
    pub fn refuse_resumes(&self) {
        self.shared.refuse_resume.store(true, Ordering::SeqCst);
    }

    /// While `refuse` holds, every new gateway connection is closed before its handshake, as
    /// when Discord's gateway cannot be reached; [`FakeDiscord::refused_connections`] counts them.
    pub fn refuse_connections(&self, refuse: bool) {
        self.shared
            .refuse_connections
            .store(refuse, Ordering::SeqCst);
        self.shared.bump();
    }

    /// Gateway connections refused so far.
    pub fn refused_connections(&self) -> usize {
        self.shared.refused.load(Ordering::SeqCst)
    }

    /// Sends a raw frame (any opcode) over the bot's latest gateway connection.
    pub fn send_op(&self, frame: Value) {
        self.to_gateway(Frame::Text(frame.to_string()));
    }

    /// Closes the bot's latest gateway connection with a Close frame carrying `code`.
    pub fn close_gateway(&self, code: u16) {
        self.to_gateway(Frame::Close(code));
    }

    /// Drops the bot's latest gateway connection, with no Close frame.
    pub fn drop_gateway(&self) {
        self.to_gateway(Frame::Drop);
    }

    /// Gateway sessions (READY or RESUMED) started so far.
    pub fn sessions(&self) -> usize {
        self.shared.sockets.lock().unwrap().len()
    }

    fn to_gateway(&self, frame: Frame) {
        let sockets = self.shared.sockets.lock().unwrap();
        let (.., socket) = sockets.last().expect("the bot is connected");
        socket.send(frame).expect("the connection is open");
    }

    /// The shards (`[id, total]`) that have started sessions, in order.
    pub fn shards(&self) -> Vec<(u64, u64)> {
        let sockets = self.shared.sockets.lock().unwrap();
        sockets.iter().map(|(id, total, _)| (*id, *total)).collect()
    }

    /// The commands registered in a scope (`None`: global).
    pub fn commands_in(&self, guild: Option<u64>) -> Vec<Value> {
        let commands = self.shared.commands.lock().unwrap();
        commands.get(&guild).cloned().unwrap_or_default()
    }

    /// Adds a command to a scope as if registered earlier (by an older lectern, or by another
    /// of the application's commands); returns its id.
    pub fn add_command(&self, guild: Option<u64>, mut command: Value) -> String {
        let id = self.next_id().to_string();
        command["id"] = json!(id);
        command["application_id"] = json!(APP_ID.to_string());
        command["version"] = json!("1");
        command["type"] = json!(1);
        if let Some(g) = guild {
            command["guild_id"] = json!(g.to_string());
        }
        let mut commands = self.shared.commands.lock().unwrap();
        commands.entry(guild).or_default().push(command);
        id
    }

    /// A user picks `value` in the select menu `menu`, in interaction `interaction`: `false`
    /// when Discord would send nothing, because that user's menu still rests on that value
    /// (the message was not updated since the same pick).
    pub fn pick(&self, user: u64, menu: &str, value: &str, interaction: &str) -> bool {
        let key = (user, menu.to_string());
        let mut menus = self.shared.menus.lock().unwrap();
        if menus.get(&key).map(String::as_str) == Some(value) {
            return false;
        }
        menus.insert(key.clone(), value.to_string());
        self.shared
            .picks
            .lock()
            .unwrap()
            .insert(interaction.to_string(), key);
        true
    }

    /// Sends a dispatch over the connection of the shard Discord routes `guild` to
    /// (`(guild >> 22) % total`), the latest such session.
    pub fn dispatch_to_guild(&self, guild: u64, event: &str, d: Value) {
        if event == "INTERACTION_CREATE" {
            self.shared.remember(&d);
        }
        let s = self.shared.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let frame = json!({"op": 0, "t": event, "s": s, "d": d}).to_string();
        let sockets = self.shared.sockets.lock().unwrap();
        let (.., socket) = sockets
            .iter()
            .rev()
            .find(|(id, total, _)| (guild >> 22) % total.max(&1) == *id)
            .expect("a session for the guild's shard");
        socket
            .send(Frame::Text(frame))
            .expect("the connection is open");
    }

    /// Remembers an interaction about to be POSTed to an interactions endpoint (HTTP mode), to
    /// judge the bot's callbacks to it as for one sent over the gateway.
    pub fn remember_interaction(&self, d: &Value) {
        self.shared.remember(d);
    }

    /// Every schema, limit or protocol problem seen so far.
    /// Whether the message the press of interaction token `token` was on has been deleted.
    pub fn deleted_by(&self, token: &str) -> bool {
        self.shared
            .deleted
            .lock()
            .unwrap()
            .iter()
            .any(|t| t == token)
    }

    pub fn problems(&self) -> Vec<String> {
        self.shared.problems.lock().unwrap().clone()
    }

    /// Gateway connections that were opened (handshake done).
    pub fn opened_connections(&self) -> usize {
        self.shared.opened.load(Ordering::SeqCst)
    }

    /// Gateway connections that have ended.
    pub fn closed_connections(&self) -> usize {
        self.shared.closed.load(Ordering::SeqCst)
    }

    /// Sends a dispatch to the bot over its (latest) gateway connection.
    pub fn dispatch(&self, event: &str, d: Value) {
        if event == "INTERACTION_CREATE" {
            self.shared.remember(&d);
        }
        let s = self.shared.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let frame = json!({"op": 0, "t": event, "s": s, "d": d}).to_string();
        self.to_gateway(Frame::Text(frame));
    }
}

async fn rest_api(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri
        .path()
        .strip_prefix("/api/v10")
        .unwrap_or(uri.path())
        .to_string();
    let content_type = headers.get("content-type").and_then(|h| h.to_str().ok());
    let (body, files) = super::uploads::read(content_type, &body).unwrap_or_else(|e| {
        shared.problem(format!("{method} {path}: {e}"));
        (Value::Null, Vec::new())
    });
    let message = match path.contains("/callback") {
        true => &body["data"],
        false => &body,
    };
    for e in super::uploads::problems(message, &files) {
        shared.problem(format!("{method} {path}: {e}"));
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let m = method.as_str().to_ascii_lowercase();
    // Interaction callbacks and webhooks are authorised by their interaction token; the rest
    // must carry the bot's token.
    let by_interaction_token = matches!(segments.first(), Some(&"interactions" | &"webhooks"));
    if !by_interaction_token {
        let auth = headers
            .get("authorization")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if auth != format!("Bot {}", shared.token) {
            shared.problem(format!("{method} {path}: wrong or missing bot token"));
        }
    }
    let now = shared.now_ms();
    // A 429 holds until its `retry_after` has passed.
    let closed = {
        let closed = shared.closed_paths.lock().unwrap();
        closed
            .iter()
            .filter(|(fragment, until)| *until > now && path.contains(fragment.as_str()))
            .map(|(_, until)| until - now)
            .max()
    };
    let fault = if closed.is_some() {
        None
    } else {
        let mut faults = shared.faults.lock().unwrap();
        let found = faults
            .iter_mut()
            .find(|(fragment, left, _)| *left > 0 && path.contains(fragment.as_str()));
        let fault = found.map(|(fragment, left, fault)| {
            *left -= 1;
            (fragment.clone(), *fault)
        });
        drop(faults);
        if let Some((fragment, Fault::RateLimited { retry_after })) = &fault {
            let until = now + (retry_after * 1000.0) as u64;
            shared
                .closed_paths
                .lock()
                .unwrap()
                .push((fragment.clone(), until));
        }
        fault.map(|(_, f)| f)
    };
    // Discord's rate limits: the global one, then the route's bucket. A limited request is
    // not acted on.
    let global_until = shared.global_until.load(Ordering::SeqCst);
    let bucket = shared.take_bucket(&m, &segments, &path, now);
    let limited = if now < global_until {
        Some(RateLimited((global_until - now) as f64 / 1000.0, true))
    } else if let Some(left_ms) = closed {
        Some(RateLimited(left_ms as f64 / 1000.0, false))
    } else {
        bucket
            .as_ref()
            .err()
            .map(|&after| RateLimited(after, false))
    };
    let acting = limited.is_none() && matches!(fault, None | Some(Fault::ServerErrorAfterActing));
    // Every error is a problem for the test; a malformed URL also gets Discord's answer, 50035
    // for the whole message (nothing of it is shown).
    let check = |template: &str, body: &Value| -> Option<Answer> {
        let errors = shared.spec.check_request(&m, template, body);
        let bad_url = errors.iter().any(|e| e.contains(super::openapi::NOT_A_URL));
        for e in errors {
            shared.problem(format!("{method} {path}: {e}"));
        }
        bad_url.then(|| {
            Status(
                StatusCode::BAD_REQUEST,
                json!({"message": "Invalid Form Body", "code": 50035, "errors": {"embeds": {"0": {"url": {"_errors": [
                    {"code": "URL_TYPE_INVALID_URL", "message": "Not a well formed URL."}]}}}}}),
            )
        })
    };
    let answer = match (m.as_str(), segments.as_slice()) {
        ("get", ["gateway"]) => Json(json!({ "url": shared.gateway_url })),
        ("get", ["gateway", "bot"]) => Json(json!({
            "url": shared.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": shared.starts_left.load(Ordering::SeqCst),
                "reset_after": 2_000,
                "max_concurrency": shared.max_concurrency.load(Ordering::SeqCst).max(1)
            }
        })),
        ("get", ["oauth2", "applications", "@me"]) => Json(json!({
            "id": APP_ID.to_string(), "name": "lectern", "icon": null, "description": "",
            "bot_public": true, "bot_require_code_grant": false, "verify_key": "00", "flags": 0,
            "owner": {"id": OWNER_ID.to_string(), "username": "owner", "discriminator": "0", "avatar": null},
            "team": {
                "id": "1900000000000000001", "name": "lectern team", "icon": null,
                "owner_user_id": OWNER_ID.to_string(),
                "members": [
                    {"membership_state": 2, "team_id": "1900000000000000001", "role": "admin", "permissions": ["*"],
                     "user": {"id": TEAMMATE_ID.to_string(), "username": "teammate", "discriminator": "0", "avatar": null}},
                    {"membership_state": 1, "team_id": "1900000000000000001", "role": "read_only", "permissions": ["*"],
                     "user": {"id": (TEAMMATE_ID + 1).to_string(), "username": "invited", "discriminator": "0", "avatar": null}},
                    {"membership_state": 2, "team_id": "1900000000000000001", "role": "read_only", "permissions": ["*"],
                     "user": {"id": (TEAMMATE_ID + 2).to_string(), "username": "reader", "discriminator": "0", "avatar": null}}
                ]
            }
        })),
        ("put", ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"]) => {
            let template = if segments.len() == 3 {
                "/applications/{application_id}/commands"
            } else {
                "/applications/{application_id}/guilds/{guild_id}/commands"
            };
            // Discord's documented quirk: the spec says integer, Discord and serenity send a
            // string of digits. Check that it is one, then validate it as the number it means.
            let mut typed = body.clone();
            for c in typed.as_array_mut().into_iter().flatten() {
                if let Some(p) = c.get_mut("default_member_permissions")
                    && let Some(s) = p.as_str()
                {
                    match s.parse::<u64>() {
                        Ok(n) => *p = json!(n),
                        Err(_) => shared.problem(format!("permissions {s:?} are not digits")),
                    }
                }
            }
            let _ = check(template, &typed);
            if shared.registration == Registration::Fail {
                Status(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"message": "fake failure", "code": 0}),
                )
            } else {
                let echoed: Vec<Value> = body
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| {
                        let mut c = c.clone();
                        let id = shared.next_id();
                        c["id"] = json!(id.to_string());
                        c["application_id"] = json!(APP_ID.to_string());
                        c["version"] = json!("1");
                        if c.get("type").is_none() {
                            c["type"] = json!(1);
                        }
                        // A message menu has no description: Discord returns an empty one.
                        if c.get("description").is_none() {
                            c["description"] = json!("");
                        }
                        // `contexts` and `integration_types` exist for global commands only:
                        // Discord keeps and returns none for a guild's.
                        if segments.len() == 5
                            && let Some(o) = c.as_object_mut()
                        {
                            o.remove("contexts");
                            o.remove("integration_types");
                        }
                        c
                    })
                    .collect();
                let guild = segments.get(3).and_then(|g| g.parse::<u64>().ok());
                shared
                    .commands
                    .lock()
                    .unwrap()
                    .insert(guild, echoed.clone());
                Json(Value::Array(echoed))
            }
        }
        ("get", ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"]) => {
            let guild = segments.get(3).and_then(|g| g.parse::<u64>().ok());
            let commands = shared.commands.lock().unwrap();
            Json(Value::Array(
                commands.get(&guild).cloned().unwrap_or_default(),
            ))
        }
        (
            "delete",
            ["applications", _, "commands", id] | ["applications", _, "guilds", _, "commands", id],
        ) => {
            let guild = (segments.len() == 6)
                .then(|| segments[3].parse::<u64>().ok())
                .flatten();
            let mut commands = shared.commands.lock().unwrap();
            let scope = commands.entry(guild).or_default();
            let before = scope.len();
            scope.retain(|c| c["id"].as_str() != Some(id));
            if scope.len() == before {
                shared.problem(format!("{method} {path}: no such command"));
                Status(
                    StatusCode::NOT_FOUND,
                    json!({"message": "Unknown application command", "code": 10063}),
                )
            } else {
                Status(StatusCode::NO_CONTENT, Value::Null)
            }
        }
        ("post", ["interactions", _, _, "callback"]) => {
            let rejected = check(
                "/interactions/{interaction_id}/{interaction_token}/callback",
                &body,
            );
            for e in super::limits::callback(&body) {
                shared.problem(format!("{method} {path}: {e}"));
            }
            if matches!(body["type"].as_u64(), Some(4 | 7)) {
                no_pings(&shared, &method, &path, &body["data"]);
            }
            let status = if fault.is_some() { 500 } else { 204 };
            if let Some(refused) =
                shared.judge_callback(segments[1], &body, acting.then_some(status))
            {
                refused
            } else if let Some(rejected) = rejected {
                rejected
            } else {
                // UPDATE_MESSAGE re-sending a menu rebuilds it: the picker's menu rests on nothing.
                if let Some(key) = shared.picks.lock().unwrap().remove(segments[1]) {
                    let resent = body["type"] == 7
                        && body["data"]["components"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .flat_map(|row| {
                                row["components"].as_array().cloned().unwrap_or_default()
                            })
                            .any(|c| c["type"] == 3 && c["custom_id"].as_str() == Some(&key.1));
                    if resent {
                        shared.menus.lock().unwrap().remove(&key);
                    }
                }
                Status(StatusCode::NO_CONTENT, Value::Null)
            }
        }
        ("patch", ["webhooks", _, _, "messages", "@original"]) => {
            let rejected = check(
                "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                &body,
            );
            for e in super::limits::message(&body) {
                shared.problem(format!("{method} {path}: {e}"));
            }
            no_pings(&shared, &method, &path, &body);
            shared
                .judge_webhook(segments[2], &path)
                .or(rejected)
                .unwrap_or_else(|| Json(message_json(&body)))
        }
        ("post", ["channels", channel, "messages"]) => {
            let rejected = check("/channels/{channel_id}/messages", &body);
            for e in super::limits::message(&body) {
                shared.problem(format!("{method} {path}: {e}"));
            }
            no_pings(&shared, &method, &path, &body);
            let rule = channel
                .parse::<u64>()
                .ok()
                .and_then(|c| shared.channel_rules.lock().unwrap().get(&c).copied());
            match rule {
                Some(ChannelRule::NoPermission) => Status(
                    StatusCode::FORBIDDEN,
                    json!({"message": "Missing Permissions", "code": 50013}),
                ),
                Some(ChannelRule::Deleted) => Status(
                    StatusCode::NOT_FOUND,
                    json!({"message": "Unknown Channel", "code": 10003}),
                ),
                None => rejected.unwrap_or_else(|| Json(message_json(&body))),
            }
        }
        ("delete", ["webhooks", _, _, "messages", "@original"]) => {
            // A press's original message is the message its button is on: deleted by the
            // press's token, once the press is acknowledged.
            shared.judge_webhook(segments[2], &path).unwrap_or_else(|| {
                shared.deleted.lock().unwrap().push(segments[2].to_string());
                Status(StatusCode::NO_CONTENT, Value::Null)
            })
        }
        ("post", ["webhooks", _, _]) => {
            let rejected = check("/webhooks/{webhook_id}/{webhook_token}", &body);
            for e in super::limits::message(&body) {
                shared.problem(format!("{method} {path}: {e}"));
            }
            no_pings(&shared, &method, &path, &body);
            shared
                .judge_webhook(segments[2], &path)
                .or(rejected)
                .unwrap_or_else(|| Json(message_json(&body)))
        }
        _ => {
            shared.problem(format!("unexpected request: {method} {path}"));
            Status(
                StatusCode::NOT_FOUND,
                json!({"message": "404: Not Found", "code": 0}),
            )
        }
    };
    let answer = match (limited, fault) {
        (Some(limited), _) => limited,
        (None, None) => answer,
        (None, Some(Fault::ServerError | Fault::ServerErrorAfterActing)) => Status(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"message": "500: Internal Server Error", "code": 0}),
        ),
        (None, Some(Fault::RateLimited { retry_after })) => RateLimited(retry_after, false),
    };
    let status = match &answer {
        Json(_) => 200,
        Status(code, _) => code.as_u16(),
        RateLimited(..) => 429,
    };
    let request = Request {
        method: method.to_string(),
        path,
        body,
        files,
        status,
    };
    if let Some(tap) = shared.tap.lock().unwrap().as_ref() {
        let _ = tap.send(request.clone());
    }
    shared.requests.lock().unwrap().push(request);
    shared.bump();
    let mut response = answer.into_response();
    // Every success says where its bucket stands, as Discord's do.
    if let (true, Ok(b)) = (status < 300, &bucket) {
        let reset = (now as f64 + b.reset_after * 1000.0) / 1000.0;
        let headers = [
            ("x-ratelimit-limit", b.limit.to_string()),
            ("x-ratelimit-remaining", b.remaining.to_string()),
            ("x-ratelimit-reset", format!("{reset:.3}")),
            ("x-ratelimit-reset-after", format!("{:.3}", b.reset_after)),
            ("x-ratelimit-bucket", b.bucket.clone()),
        ];
        for (name, value) in headers {
            response.headers_mut().insert(name, value.parse().unwrap());
        }
    }
    response
}

/// A bucket of the fake's rate limits: the rule, the method, the route's major parameter.
type BucketKey = (usize, String, String);

/// Where a request's bucket stands after it, for the `X-RateLimit-*` headers.
struct BucketState {
    bucket: String,
    limit: u32,
    remaining: u32,
    reset_after: f64,
}

impl Shared {
    /// Counts a request in its bucket: where the bucket stands, or how many seconds until it
    /// admits one again. A route no rule names is in a roomy bucket of its own, never
    /// exhausted.
    fn take_bucket(
        &self,
        method: &str,
        segments: &[&str],
        path: &str,
        now: u64,
    ) -> Result<BucketState, f64> {
        // The major parameter: Discord keeps a bucket per interaction, per webhook token, per
        // guild.
        let major = match segments {
            ["interactions", id, ..] => id.to_string(),
            ["webhooks", _, token, ..] => token.to_string(),
            ["applications", _, "guilds", guild, ..] => guild.to_string(),
            _ => String::new(),
        };
        let limits = self.limits.lock().unwrap();
        let Some((rule, (_, limit, window))) = limits
            .iter()
            .enumerate()
            .find(|(_, (fragment, ..))| path.contains(fragment.as_str()))
        else {
            return Ok(BucketState {
                bucket: "fake-roomy".into(),
                limit: 1000,
                remaining: 999,
                reset_after: 1.0,
            });
        };
        let window_ms = window.as_millis() as u64;
        let mut buckets = self.buckets.lock().unwrap();
        let key = (rule, method.to_string(), major);
        let (start, count) = buckets.entry(key).or_insert((now, 0));
        if now >= *start + window_ms {
            (*start, *count) = (now, 0);
        }
        let reset_after = (*start + window_ms - now) as f64 / 1000.0;
        if *count >= *limit {
            return Err(reset_after);
        }
        *count += 1;
        Ok(BucketState {
            bucket: format!("fake-bucket-{rule}"),
            limit: *limit,
            remaining: *limit - *count,
            reset_after,
        })
    }

    /// Discord's identify rate limit, when enforced: one IDENTIFY per 5 s in each
    /// `max_concurrency` bucket. `Some(op 9)` for one that comes too soon.
    fn judge_identify(&self, d: &Value) -> Option<Value> {
        let max = self.max_concurrency.load(Ordering::SeqCst);
        if max == 0 {
            return None;
        }
        let shard = d["shard"][0].as_u64().unwrap_or(0);
        let now = self.now_ms();
        let mut last = self.last_identify.lock().unwrap();
        let bucket = shard % max;
        if let Some(&at) = last.get(&bucket)
            && now < at + 5_000
        {
            self.problem(format!(
                "IDENTIFY of shard {shard} {} ms after another of its bucket: op 9",
                now - at
            ));
            return Some(json!({"op": 9, "d": false}));
        }
        last.insert(bucket, now);
        None
    }

    /// Discord's rules on an interaction's callback: within 3 s of the interaction, once, of a
    /// type its kind takes. `None`: accepted (and, when `acting`, the interaction is now
    /// acknowledged); an interaction the fake never sent is not judged.
    fn judge_callback(&self, id: &str, body: &Value, acting: Option<u16>) -> Option<Answer> {
        let mut interactions = self.interactions.lock().unwrap();
        let sent = interactions.get_mut(id)?;
        let kind = body["type"].as_u64().unwrap_or(0);
        if self.now_ms() > sent.made_ms + FIRST_RESPONSE_DEADLINE.as_millis() as u64 {
            return Some(Status(
                StatusCode::NOT_FOUND,
                json!({"message": "Unknown interaction", "code": 10062}),
            ));
        }
        if let Some(status) = sent.acknowledged {
            // The bot knew it had answered (a success): a bug. After a 500 it could not know.
            if status < 300 {
                self.problem(format!(
                    "interaction {id} answered twice (the first callback got {status})"
                ));
            }
            return Some(Status(
                StatusCode::BAD_REQUEST,
                json!({"message": "Interaction has already been acknowledged.", "code": 40060}),
            ));
        }
        if !callback_types(sent.kind).contains(&kind) {
            self.problem(format!(
                "interaction {id} of type {} answered with a callback of type {kind}",
                sent.kind
            ));
            return Some(Status(
                StatusCode::BAD_REQUEST,
                json!({"message": "Invalid Form Body", "code": 50035, "errors": {"type": {"_errors": [
                    {"code": "INTERACTION_RESPONSE_TYPE_INVALID", "message": "Invalid interaction response type"}]}}}),
            ));
        }
        if acting.is_some() {
            sent.acknowledged = acting;
        }
        None
    }

    /// Discord's rules on a follow-up or an edit by an interaction's token: after the first
    /// response, within the token's 15 minutes.
    fn judge_webhook(&self, token: &str, path: &str) -> Option<Answer> {
        let interactions = self.interactions.lock().unwrap();
        let sent = interactions.values().find(|s| s.token == token)?;
        let unknown = Status(
            StatusCode::NOT_FOUND,
            json!({"message": "Unknown Webhook", "code": 10015}),
        );
        if self.now_ms() > sent.made_ms + TOKEN_LIFETIME.as_millis() as u64 {
            return Some(unknown);
        }
        if sent.acknowledged.is_none() {
            self.problem(format!(
                "{path}: a follow-up or edit before the first response"
            ));
            return Some(unknown);
        }
        None
    }
}

/// Every message the bot sends must ping no one but the user named in `for:`, whatever it
/// contains: `allowed_mentions` with `parse: []`, no roles, and at most one user, whose
/// mention the message's text begins with.
fn no_pings(shared: &Shared, method: &Method, path: &str, message: &Value) {
    if !super::limits::pings_only_the_addressee(message) {
        let am = &message["allowed_mentions"];
        shared.problem(format!(
            "{method} {path}: a message that could ping: allowed_mentions = {am}"
        ));
    }
}

enum Answer {
    Json(Value),
    Status(StatusCode, Value),
    /// 429 as Discord sends it: `retry_after` in the body and the headers; global or not.
    RateLimited(f64, bool),
}
use Answer::{Json, RateLimited, Status};

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self {
            Json(v) => axum::Json(v).into_response(),
            Status(StatusCode::NO_CONTENT, _) => StatusCode::NO_CONTENT.into_response(),
            Status(code, v) => (code, axum::Json(v)).into_response(),
            RateLimited(after, global) => {
                let body = json!({"message": "You are being rate limited.", "retry_after": after, "global": global});
                let mut headers = vec![("retry-after", format!("{}", after.ceil() as u64))];
                if global {
                    headers.push(("x-ratelimit-global", "true".to_string()));
                    headers.push(("x-ratelimit-scope", "global".to_string()));
                } else {
                    headers.extend([
                        ("x-ratelimit-limit", "5".to_string()),
                        ("x-ratelimit-remaining", "0".to_string()),
                        ("x-ratelimit-reset-after", format!("{after:.3}")),
                        ("x-ratelimit-bucket", "fake-bucket".to_string()),
                        ("x-ratelimit-scope", "user".to_string()),
                    ]);
                }
                let mut r = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
                for (name, value) in headers {
                    r.headers_mut().insert(name, value.parse().unwrap());
                }
                r
            }
        }
    }
}

/// A message as Discord returns it, with the fields serenity requires.
pub fn message_json(body: &Value) -> Value {
    json!({
        "id": "1300000000000000001",
        "channel_id": "1400000000000000001",
        "author": {"id": APP_ID.to_string(), "username": "lectern", "discriminator": "0", "avatar": null, "bot": true},
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "timestamp": "2026-01-27T00:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds").cloned().unwrap_or(json!([])),
        "components": body.get("components").cloned().unwrap_or(json!([])),
        "pinned": false,
        "type": 0,
        "flags": body.get("flags").cloned().unwrap_or(json!(0)),
    })
}

async fn connection(tcp: tokio::net::TcpStream, shared: Arc<Shared>) {
    // Frames go out as soon as they are written, as Discord's would (no Nagle delay on
    // loopback, which holds the tail of a large frame for the bot's delayed ACK).
    let _ = tcp.set_nodelay(true);
    let Ok(ws) = tokio_tungstenite::accept_async(tcp).await else {
        shared.problem("a gateway handshake failed".into());
        return;
    };
    shared.opened.fetch_add(1, Ordering::SeqCst);
    let (mut sink, mut stream) = ws.split();
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}}).to_string();
    if sink.send(Message::Text(hello)).await.is_err() {
        return;
    }
    let (out, mut outgoing) = mpsc::unbounded_channel::<Frame>();
    loop {
        tokio::select! {
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    match v["op"].as_u64() {
                        Some(2) => {
                            let d = &v["d"];
                            if d["token"].as_str() != Some(shared.token.as_str())
                                && d["token"].as_str() != Some(&format!("Bot {}", shared.token))
                            {
                                shared.problem("IDENTIFY without the bot's token".into());
                            }
                            let mut redacted = d.clone();
                            redacted["token"] = json!("[checked]");
                            shared.identifies.lock().unwrap().push(redacted);
                            let left = shared.starts_left.load(Ordering::SeqCst);
                            if left == 0 {
                                shared.problem("IDENTIFY past the daily session start limit".into());
                            }
                            shared.starts_left.store(left.saturating_sub(1), Ordering::SeqCst);
                            if let Some(refusal) = shared.judge_identify(d) {
                                shared.bump();
                                if sink.send(Message::Text(refusal.to_string())).await.is_err() {
                                    break;
                                }
                                continue;
                            }
                            // A new session: its dispatches count from 1 again.
                            shared.seq.store(1, Ordering::SeqCst);
                            let ready = json!({"op": 0, "t": "READY", "s": 1, "d": {
                                "v": 10,
                                "user": {"id": APP_ID.to_string(), "username": "lectern", "discriminator": "0", "avatar": null, "bot": true},
                                "guilds": [],
                                "session_id": "fake-session",
                                "resume_gateway_url": shared.gateway_url,
                                "shard": d.get("shard").cloned().unwrap_or(json!([0, 1])),
                                "application": {"id": APP_ID.to_string(), "flags": 0},
                            }});
                            if sink.send(Message::Text(ready.to_string())).await.is_err() {
                                break;
                            }
                            let shard = (d["shard"][0].as_u64().unwrap_or(0), d["shard"][1].as_u64().unwrap_or(1));
                            if shard.0 >= shard.1 {
                                shared.problem(format!("IDENTIFY with shard {shard:?}"));
                            }
                            shared.sockets.lock().unwrap().push((shard.0, shard.1, out.clone()));
                            shared.bump();
                        }
                        Some(6) => {
                            let d = &v["d"];
                            if d["token"].as_str() != Some(shared.token.as_str())
                                && d["token"].as_str() != Some(&format!("Bot {}", shared.token))
                            {
                                shared.problem("RESUME without the bot's token".into());
                            }
                            let mut redacted = d.clone();
                            redacted["token"] = json!("[checked]");
                            shared.resumes.lock().unwrap().push(redacted);
                            let answer = if shared.refuse_resume.load(Ordering::SeqCst) {
                                json!({"op": 9, "d": false})
                            } else {
                                let s = shared.seq.fetch_add(1, Ordering::SeqCst) + 1;
                                json!({"op": 0, "t": "RESUMED", "s": s, "d": {}})
                            };
                            if sink.send(Message::Text(answer.to_string())).await.is_err() {
                                break;
                            }
                            if !shared.refuse_resume.load(Ordering::SeqCst) {
                                let mut sockets = shared.sockets.lock().unwrap();
                                let shard = sockets.last().map_or((0, 1), |(id, total, _)| (*id, *total));
                                sockets.push((shard.0, shard.1, out.clone()));
                            }
                            shared.bump();
                        }
                        Some(1) => {
                            let ack = json!({"op": 11}).to_string();
                            if sink.send(Message::Text(ack)).await.is_err() {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                // tungstenite queues the answer to a Close frame; flushing sends it. Then keep
                // reading until the bot ends the connection.
                Some(Ok(Message::Close(_))) => {
                    let _ = sink.flush().await;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            Some(frame) = outgoing.recv() => match frame {
                Frame::Text(text) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        break;
                    }
                }
                Frame::Close(code) => {
                    let close = tokio_tungstenite::tungstenite::protocol::CloseFrame {
                        code: code.into(),
                        reason: "fake fault".into(),
                    };
                    let _ = sink.send(Message::Close(Some(close))).await;
                    break;
                }
                Frame::Drop => break,
            }
        }
    }
    shared.closed.fetch_add(1, Ordering::SeqCst);
    shared.bump();
}
