//! `/admin`, the operator's dashboard: each load and reload with its report and warnings per
//! file (paths relative to the seeds folder, as `lectern check` names them), the counts,
//! readiness per shard, the per-server state (usage and knowledge gaps, read from the bot's state
//! database at each request, when it has one) and a reload button.
//!
//! Off (404) unless `web.admin_token_file` is set. `POST /admin/login` compares the token in
//! constant time (`subtle`) and sets a session cookie (`HttpOnly; SameSite=Strict; Path=/admin`,
//! `Secure` when `web.public_url` is https): a random session id, never the token. The reload
//! button's form carries the session's CSRF token, checked in constant time, and a POST whose
//! `Origin` is another site is refused. At most [`MAX_SESSIONS`] sessions are kept, the oldest
//! dropped first; nothing survives a restart.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use subtle::ConstantTimeEq;

use super::{PageQuery, Req, Web, cookie, html as page};

/// How many signed-in sessions are kept at once.
pub const MAX_SESSIONS: usize = 32;
const COOKIE: &str = "lectern_admin";

/// The dashboard's secret and its sessions.
pub struct Admin {
    token: String,
    secure: bool,
    sessions: Mutex<VecDeque<Session>>,
}

impl std::fmt::Debug for Admin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admin")
            .field("secure", &self.secure)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct Session {
    id: String,
    csrf: String,
}

fn random_hex() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

impl Admin {
    /// A dashboard opened by `token` (trimmed); `secure` marks its cookie `Secure`.
    pub fn new(token: String, secure: bool) -> Admin {
        Admin {
            token: token.trim().to_string(),
            secure,
            sessions: Mutex::new(VecDeque::new()),
        }
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, VecDeque<Session>> {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn session(&self, headers: &HeaderMap) -> Option<Session> {
        let id = cookie(headers, COOKIE)?;
        // Every session is compared, in constant time each.
        let mut found = None;
        for s in self.sessions().iter() {
            if same(&s.id, &id) {
                found = Some(s.clone());
            }
        }
        found
    }

    fn open(&self) -> Session {
        let s = Session {
            id: random_hex(),
            csrf: random_hex(),
        };
        let mut all = self.sessions();
        all.push_back(s.clone());
        while all.len() > MAX_SESSIONS {
            all.pop_front();
        }
        s
    }

    fn cookie(&self, value: &str, max_age: Option<u32>) -> HeaderValue {
        let mut c = format!("{COOKIE}={value}; Path=/admin; HttpOnly; SameSite=Strict");
        if let Some(a) = max_age {
            c.push_str(&format!("; Max-Age={a}"));
        }
        if self.secure {
            c.push_str("; Secure");
        }
        HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

pub(super) fn routes() -> Router<Web> {
    Router::new()
        .route("/admin", get(dashboard))
        .route("/admin/login", post(login))
        .route("/admin/logout", post(logout))
        .route("/admin/reload", post(reload))
}

fn off() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// A POST from another site's page: refused whatever it carries.
fn cross_site(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let bare = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or(origin);
    origin == "null" || bare != host
}

fn req(headers: &HeaderMap) -> Req {
    Req::new(&PageQuery::default(), headers, "/admin".into())
}

fn login_form(web: &Web, headers: &HeaderMap, status: StatusCode, wrong: bool) -> Response {
    let r = req(headers);
    let p = page::Page::new("Dashboard");
    let body = html! {
        h1 { "Dashboard" }
        @if wrong { p.warn role="alert" { "That token is not the dashboard's." } }
        form.login method="post" action="/admin/login" {
            label for="token" { "Token " }
            input #token type="password" name="token" autocomplete="current-password" required;
            " "
            button type="submit" { "Sign in" }
        }
    };
    let mut res = super::respond(&r, status, page::layout(web, &r, &p, &body));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn dashboard(State(web): State<Web>, headers: HeaderMap) -> Response {
    let Some(admin) = web.admin.clone() else {
        return off();
    };
    let Some(session) = admin.session(&headers) else {
        return login_form(&web, &headers, StatusCode::UNAUTHORIZED, false);
    };
    let r = req(&headers);
    let p = page::Page::new("Dashboard");
    let state = read_state(&web).await;
    let body = dashboard_html(&web, &session.csrf, &state);
    let mut res = super::respond(&r, StatusCode::OK, page::layout(&web, &r, &p, &body));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(Debug, serde::Deserialize)]
struct LoginForm {
    token: String,
}

async fn login(State(web): State<Web>, headers: HeaderMap, Form(f): Form<LoginForm>) -> Response {
    let Some(admin) = web.admin.clone() else {
        return off();
    };
    if cross_site(&headers) || admin.token.is_empty() || !same(f.token.trim(), &admin.token) {
        tracing::warn!("dashboard: a sign-in with a wrong token");
        return login_form(&web, &headers, StatusCode::UNAUTHORIZED, true);
    }
    let s = admin.open();
    let mut res = Redirect::to("/admin").into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, admin.cookie(&s.id, None));
    res
}

async fn logout(State(web): State<Web>, headers: HeaderMap) -> Response {
    let Some(admin) = web.admin.clone() else {
        return off();
    };
    if let Some(s) = admin.session(&headers) {
        admin.sessions().retain(|x| !same(&x.id, &s.id));
    }
    let mut res = Redirect::to("/admin").into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, admin.cookie("", Some(0)));
    res
}

#[derive(Debug, serde::Deserialize)]
struct ReloadForm {
    csrf: String,
    #[serde(default)]
    force: Option<String>,
}

async fn reload(State(web): State<Web>, headers: HeaderMap, Form(f): Form<ReloadForm>) -> Response {
    let Some(admin) = web.admin.clone() else {
        return off();
    };
    let Some(session) = admin.session(&headers) else {
        return (StatusCode::UNAUTHORIZED, "sign in first\n").into_response();
    };
    if cross_site(&headers) || !same(&f.csrf, &session.csrf) {
        return (StatusCode::FORBIDDEN, "a cross-site request: refused\n").into_response();
    }
    web.ops.reload(f.force.is_some(), "web").await;
    Redirect::to("/admin").into_response()
}

fn ago(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let ago = SystemTime::now()
        .duration_since(at)
        .map_or(0, |d| d.as_secs());
    format!("{secs} (unix), {ago} s ago")
}

/// How many lines of usage and of knowledge gaps the dashboard lists (the most first).
pub const STATE_ROWS: usize = 20;

/// What the dashboard shows of the per-server state.
enum StateView {
    /// This host has no state database (the pages without the bot).
    NotHere,
    /// The bot has none open: `state.enabled` is false, it failed to open (the log says why),
    /// or it is not open yet.
    NotOpen,
    /// Reading it failed; the log has the error (never shown: it may name the database).
    Failed,
    /// Usage per talk and section, and the searches that found nothing, most first.
    Read {
        usage: Vec<lectern_state::UsageRow>,
        gaps: Vec<lectern_state::GapRow>,
        retention_days: u32,
    },
}

async fn read_state(web: &Web) -> StateView {
    let Some(source) = &web.state else {
        return StateView::NotHere;
    };
    let Some(db) = (source.get)() else {
        return StateView::NotOpen;
    };
    let days = source.retention_days;
    match (db.usage().await, db.gaps(days).await) {
        (Ok(usage), Ok(gaps)) => StateView::Read {
            usage,
            gaps,
            retention_days: days,
        },
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "dashboard: reading usage and gaps failed");
            StateView::Failed
        }
    }
}

fn state_html(state: &StateView) -> Markup {
    html! {
        @match state {
            StateView::NotHere => p { "No state database in this process." },
            StateView::NotOpen => p.warn { "The state database is not open (state.enabled is false, or it failed to open: the log says why). Content is served without it." },
            StateView::Failed => p.warn { "Reading the state database failed; the log has the error." },
            StateView::Read { usage, gaps, retention_days } => {
                h3 { "Most used" }
                @if usage.is_empty() { p { "Nothing counted yet." } } @else {
                    table.dash #usage {
                        tr { th { "talk" } th { "section" } th { "opened" } th { "quoted" } th { "found" } }
                        @for u in usage.iter().take(STATE_ROWS) {
                            tr { td { (u.talk) } td { @if let Some(s) = u.section { "§" (s) } }
                                td { (u.opened) } td { (u.quoted) } td { (u.found) } }
                        }
                    }
                }
                h3 { "Knowledge gaps (searches that found nothing, last " (retention_days) " days)" }
                @if gaps.is_empty() { p { "None." } } @else {
                    table.dash #gaps {
                        tr { th { "query" } th { "times" } th { "last" } }
                        @for g in gaps.iter().take(STATE_ROWS) {
                            tr { td { (g.query) } td { (g.count) }
                                td { (lectern_state::jiff::Timestamp::from_second(g.last_seen).map(|t| t.to_string()).unwrap_or_default()) } }
                        }
                    }
                }
            }
        }
    }
}

/// The dashboard's body; `csrf` goes into the reload form.
fn dashboard_html(web: &Web, csrf: &str, state: &StateView) -> Markup {
    let lib = web.ops.content.library();
    let c = lib.counts();
    let (reasons, shards) = web.ops.readiness(Instant::now());
    let reloads = web.ops.reloads.list();
    html! {
        h1 { "Dashboard" }
        section #counts {
            h2 { "Library" }
            p { (c.talks) " talks · " (c.sections) " sections · " (c.quotes) " quotes · "
                (lib.speakers().len()) " speakers" }
        }
        section #readiness {
            h2 { "Readiness" }
            @if reasons.is_empty() { p.ok { "ready" } } @else {
                ul { @for r in &reasons { li.warn { (r) } } }
            }
            @if !shards.is_empty() {
                table.dash {
                    tr { th { "shard" } th { "stage" } th { "up" } th { "latency" } }
                    @for s in &shards {
                        tr { td { (s.id) } td { (s.stage) } td { (if s.up { "yes" } else { "no" }) }
                            td { @if let Some(l) = s.latency_ms { (l) " ms" } } }
                    }
                }
            }
        }
        section #reload {
            h2 { "Reload" }
            form method="post" action="/admin/reload" {
                input type="hidden" name="csrf" value=(csrf);
                label { input type="checkbox" name="force" value="1"; " force (put what loads in service even with skipped files)" }
                " "
                button #reload-button type="submit" { "Reload now" }
            }
        }
        section #reloads {
            h2 { "Loads and reloads (newest first)" }
            @if reloads.is_empty() { p { "None yet." } }
            @for e in &reloads {
                article.reload {
                    h3 { (e.report.verdict.as_str()) " · by " (e.by) " · " (ago(e.at)) " · "
                        (e.report.elapsed.as_millis()) " ms" }
                    p { "loaded " (e.report.loaded.talks) " talks, " (e.report.loaded.sections)
                        " sections, " (e.report.loaded.quotes) " quotes (before: "
                        (e.report.before.talks) " talks) · talks added "
                        (e.report.diff.talks_added.len()) ", removed " (e.report.diff.talks_removed.len())
                        ", sections changed " (e.report.diff.sections_changed.len()) }
                    @if e.report.warnings.is_empty() { p.ok { "no warnings" } } @else {
                        ul.warnings { @for w in &e.report.warnings { li.warn { code { (w) } } } }
                    }
                }
            }
        }
        section #state {
            h2 { "Usage and knowledge gaps" }
            (state_html(state))
        }
        form method="post" action="/admin/logout" { button type="submit" { "Sign out" } }
    }
}
