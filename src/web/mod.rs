//! The library on the web: read-only pages a link can point to, and the operator's dashboard,
//! on a listener of their own (`web.bind`; never the operations listener of [`crate::http`],
//! whose `/reload` trusts loopback).
//!
//! Pages: `/` (the talks), `/talks/{id}` (a talk: its summary and sections),
//! `/talks/{id}/{ordinal}` (a section: its text, infographic and quotes), `/speakers/{name}`
//! (a speaker's quotes), `/search?q=` (the same ranking as `/search`, pinyin included). They are
//! built by the core's command layer as the bot's answers are (the commands' resolution and
//! reply builders, within the web's [`WEB`] budget in place of Discord's) and rendered from
//! the [`crate::reply::Reply`] by [`mod@html`]: every action of a button or a menu becomes a link,
//! so the pages work without JavaScript. Write-ups' Markdown becomes HTML through
//! pulldown-cmark with raw HTML dropped, then ammonia ([`html::markdown`]): no script, event
//! handler or `javascript:` link of a write-up reaches a page.
//!
//! The reader's language: `?lang=` (the switch on every page, remembered in a cookie), else
//! the `lang` cookie, else `Accept-Language`; `zh-TW` and `zh-HK` get the whole page in
//! Traditional script ([`Lang::in_script`]).
//!
//! `/admin` ([`admin`]) is off unless `web.admin_token_file` is set.

pub mod admin;
pub mod html;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};

use crate::budget::{Budget, DISCORD};
use crate::commands::topic::find_topic;
use crate::i18n::{Lang, Msg};
use crate::library::{Library, Lookup, QuoteScope};
use crate::ops::Ops;
use crate::reply::{self, script};

/// A web page's budget: Discord's, with a section on one page of up to 60,000 characters.
pub const WEB: Budget = Budget {
    page_chars: 60_000,
    description: 60_000,
    embed_total: 200_000,
    ..DISCORD
};

/// How many hits a search page lists (a menu's 25 options at most).
pub const WEB_HITS: usize = 20;

/// What the pages read: the plugin's state (the library in service, readiness, reloads), the
/// public address and the dashboard's token.
#[derive(Clone)]
pub struct Web {
    /// The process's state, shared with the bot.
    pub ops: Ops,
    /// `web.public_url` without its trailing slash, when set.
    pub public_url: Option<String>,
    /// The dashboard, when a token is configured.
    pub admin: Option<Arc<admin::Admin>>,
    /// Where the dashboard reads usage and knowledge gaps, when the host has a state database.
    pub state: Option<StateSource>,
}

/// The state database as the dashboard finds it at each request: the bot opens it after the
/// pages start listening (or never, or it failed), so it is looked up, not held; with the
/// retention of the knowledge gaps (`state.gaps_retention_days`).
#[derive(Clone)]
pub struct StateSource {
    /// The database now, if open.
    pub get: Arc<dyn Fn() -> Option<lectern_state::State> + Send + Sync>,
    /// How many days a search that found nothing is kept.
    pub retention_days: u32,
}

impl std::fmt::Debug for Web {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Web")
            .field("public_url", &self.public_url)
            .field("admin", &self.admin.is_some())
            .field("state", &self.state.is_some())
            .finish_non_exhaustive()
    }
}

impl Web {
    /// The pages over `ops`; `admin_token` turns the dashboard on.
    pub fn new(ops: Ops, public_url: Option<&str>, admin_token: Option<String>) -> Web {
        let public_url = public_url
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty());
        let secure = public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        Web {
            ops,
            public_url,
            admin: admin_token.map(|t| Arc::new(admin::Admin::new(t, secure))),
            state: None,
        }
    }

    /// The same pages, with the dashboard reading usage and gaps from `source`.
    pub fn with_state(mut self, source: StateSource) -> Web {
        self.state = Some(source);
        self
    }
}

/// The pages of `config` over `ops`, or `None` when `web.bind` is empty. The dashboard's
/// token is read from `web.admin_token_file` here; an unreadable or empty file is an error
/// (naming the file, never its content).
pub fn from_config(ops: &Ops, config: &crate::config::WebConfig) -> anyhow::Result<Option<Web>> {
    use anyhow::Context as _;
    if config.bind.trim().is_empty() {
        return Ok(None);
    }
    if let Some(u) = &config.public_url
        && crate::text::web_url(u, 200).is_none()
    {
        anyhow::bail!("web.public_url is not an absolute http(s) URL of at most 200 characters");
    }
    let token = match &config.admin_token_file {
        None => None,
        Some(path) => {
            let t = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read web.admin_token_file {}", path.display()))?;
            if t.trim().is_empty() {
                anyhow::bail!("web.admin_token_file {} is empty", path.display());
            }
            Some(t)
        }
    };
    Ok(Some(Web::new(
        ops.clone(),
        config.public_url.as_deref(),
        token,
    )))
}

/// The first load as the dashboard lists it: what loaded, and each warning per file as a
/// reload reports it (relative to the seeds folder `dir`).
pub fn startup_report(
    loaded: &crate::library::Loaded,
    dir: &std::path::Path,
    elapsed: std::time::Duration,
) -> crate::changes::ReloadReport {
    use crate::changes::{LibraryDiff, ReloadReport, Verdict};
    let counts = loaded.library.counts();
    ReloadReport {
        // The first load serves whatever loaded: with skipped files, that is a forced one.
        verdict: if counts.talks == 0 {
            Verdict::Failed
        } else if loaded.is_degraded() {
            Verdict::Forced
        } else {
            Verdict::Applied
        },
        diff: LibraryDiff::default(),
        warnings: loaded.warnings.iter().map(|w| w.public(dir)).collect(),
        before: crate::library::Counts {
            talks: 0,
            sections: 0,
            quotes: 0,
        },
        loaded: counts,
        elapsed,
    }
}

/// The pages' routes.
pub fn router(web: Web) -> Router {
    Router::new()
        .route("/", get(talks_page))
        .route("/talks/{id}", get(talk_page))
        .route("/talks/{id}/{section}", get(section_page))
        .route("/speakers/{name}", get(speaker_page))
        .route("/search", get(search_page))
        .merge(admin::routes())
        .fallback(not_found)
        .with_state(web)
}

/// Serves the pages on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    web: Web,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(web))
        .with_graceful_shutdown(shutdown)
        .await
}

/// What every page's query string may carry.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    /// The language switch.
    pub lang: Option<String>,
    /// A page of a list or of a section.
    pub page: Option<usize>,
    /// The search query.
    pub q: Option<String>,
    /// A tag of the list of talks.
    pub tag: Option<String>,
}

/// The language code a [`Lang`] is switched to and written as in `<html lang>`.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
        Lang::ZhTw => "zh-TW",
        Lang::ZhHk => "zh-HK",
    }
}

/// The reader's language: the switch (`?lang=`), else the `lang` cookie, else the best
/// `Accept-Language` lectern speaks (by quality, then order), else English.
pub fn reader_lang(query: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(l) = query.filter(|l| !l.trim().is_empty()) {
        return Lang::from_locale(l);
    }
    if let Some(l) = cookie(headers, "lang") {
        return Lang::from_locale(&l);
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut tags: Vec<(f32, usize, &str)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.split(';');
            let tag = bits.next()?.trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((q, i, tag))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.iter()
        .find(|(_, _, t)| {
            let t = t.to_ascii_lowercase();
            t.starts_with("zh") || t.starts_with("en")
        })
        .map_or(Lang::En, |(_, _, t)| Lang::from_locale(t))
}

/// The value of cookie `name` in the request.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// One page as sent: its HTML (in the reader's script), status, and the language cookie when
/// the switch was used.
/// A whole page at `path` as sent to a reader of `lang`: the layout around `body`, in the
/// reader's script, with the language switch.
pub fn full_page(web: &Web, lang: Lang, path: &str, p: &html::Page, body: &Markup) -> String {
    let req = Req {
        lang,
        switched: false,
        path: path.to_string(),
    };
    in_script(&req, html::layout(web, &req, p, body))
}

fn in_script(req: &Req, page: Markup) -> String {
    req.lang.in_script(&page.into_string()).replacen(
        html::SWITCH_SLOT,
        &html::switch(&req.path, req.lang).into_string(),
        1,
    )
}

pub(crate) fn respond(req: &Req, status: StatusCode, page: Markup) -> Response {
    let (lang, switched) = (req.lang, req.switched);
    let body = in_script(req, page);
    let mut res = (status, axum::response::Html(body)).into_response();
    let h = res.headers_mut();
    if switched
        && let Ok(v) = HeaderValue::from_str(&format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang_code(lang)
        ))
    {
        h.insert(header::SET_COOKIE, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// What a page handler knows of its request.
pub(crate) struct Req {
    pub(crate) lang: Lang,
    pub(crate) switched: bool,
    pub(crate) path: String,
}

impl Req {
    fn new(q: &PageQuery, headers: &HeaderMap, path: String) -> Req {
        Req {
            lang: reader_lang(q.lang.as_deref(), headers),
            switched: q.lang.is_some(),
            path,
        }
    }
}

fn page(web: &Web, req: &Req, status: StatusCode, p: &html::Page, body: Markup) -> Response {
    respond(req, status, html::layout(web, req, p, &body))
}

fn notice(web: &Web, req: &Req, status: StatusCode, text: &str) -> Response {
    let reply = reply::Reply::notice(text);
    let p = html::Page::of(&reply, None);
    page(web, req, status, &p, html::reply(&reply, html::Show::All))
}

async fn not_found(State(web): State<Web>, headers: HeaderMap) -> Response {
    let req = Req::new(&PageQuery::default(), &headers, "/".into());
    notice(&web, &req, StatusCode::NOT_FOUND, Msg::Gone.get(req.lang))
}

/// `/`: the list of talks, a page of it (`?page=`), or those of one tag (`?tag=`).
async fn talks_page(
    State(web): State<Web>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let req = Req::new(&q, &headers, "/".into());
    let lib = web.ops.content.library();
    let reply = reply::talks(&lib, q.page.unwrap_or(0), q.tag.as_deref(), req.lang);
    let status = if reply.ephemeral {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let reply = script::in_script(reply, req.lang);
    let p = html::Page::of(&reply, None);
    page(
        &web,
        &req,
        status,
        &p,
        html::reply(&reply, html::Show::Menus),
    )
}

/// `/talks/{id}`: a talk's summary and sections.
async fn talk_page(
    State(web): State<Web>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let req = Req::new(&q, &headers, format!("/talks/{}", html::seg(&id)));
    let lib = web.ops.content.library();
    let Some((t, talk)) = lib.talk_by_id(&id) else {
        return notice(&web, &req, StatusCode::NOT_FOUND, Msg::Gone.get(req.lang));
    };
    let reply = script::in_script(
        reply::contents(&lib, t, q.page.unwrap_or(0), req.lang),
        req.lang,
    );
    let image = talk
        .sections
        .iter()
        .find_map(|s| s.infographic.as_ref())
        .and_then(|i| crate::text::web_url(&i.url, DISCORD.embed_url));
    let mut p = html::Page::of(&reply, image);
    p.title.clone_from(&talk.title);
    if let Some(one) = &talk.summary.one_liner {
        p.description = html::plain(one, 200);
    }
    let body = html! {
        (html::talk_head(&lib, t, req.lang))
        (html::reply(&reply, html::Show::Menus))
    };
    page(&web, &req, StatusCode::OK, &p, body)
}

/// `/talks/{id}/{ordinal}`: a section with its text, infographic and quotes.
async fn section_page(
    State(web): State<Web>,
    Path((id, section)): Path<(String, usize)>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let req = Req::new(&q, &headers, format!("/talks/{}/{section}", html::seg(&id)));
    let lib = web.ops.content.library();
    match section_html(&lib, &id, section, q.page.unwrap_or(0), req.lang) {
        Some((p, body)) => page(&web, &req, StatusCode::OK, &p, body),
        None => notice(&web, &req, StatusCode::NOT_FOUND, Msg::Gone.get(req.lang)),
    }
}

/// A section's page, as `section_page` renders it (the benches call it too): `None` when
/// the talk or the section is not in `lib`.
pub fn section_html(
    lib: &Library,
    id: &str,
    section: usize,
    page: usize,
    lang: Lang,
) -> Option<(html::Page, Markup)> {
    let (t, talk) = lib.talk_by_id(id)?;
    // The command layer's resolution, as `/topic` resolves a picked value.
    let pick = crate::library::Pick::Section(crate::key::TalkKey::of(&talk.id), section).value();
    let r = find_topic(lib, None, &pick, lang).ok()?;
    debug_assert_eq!(r.talk, t);
    let reply =
        script::in_script_within(reply::section_within(lib, r, page, lang, &WEB), lang, &WEB);
    let p = html::Page::of(&reply, reply.image.clone());
    let body = html! {
        (html::crumbs(lib, r, lang))
        (html::reply(&reply, html::Show::All))
        (html::quotes(lib, &QuoteScope::Section(r).pool(lib), lang, false))
    };
    Some((p, body))
}

/// `/speakers/{name}`: every quote given to a speaker.
async fn speaker_page(
    State(web): State<Web>,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let req = Req::new(&q, &headers, format!("/speakers/{}", html::seg(&name)));
    let lib = web.ops.content.library();
    let Lookup::Found(who) = lib.resolve_speaker(&name) else {
        return notice(&web, &req, StatusCode::NOT_FOUND, Msg::Gone.get(req.lang));
    };
    let scope = QuoteScope::Speaker {
        speaker: crate::key::SpeakerKey::of(&who.name),
        talk: None,
    };
    let pool = scope.pool(&lib);
    let title = format!("{} · {}", who.name, Msg::Quotes.get(req.lang));
    let mut p = html::Page::new(&title);
    if let Some((_, first)) = pool.first().and_then(|r| lib.quote(*r)) {
        p.description = html::plain(&first.text, 200);
    }
    let body = html! {
        h1 { (title) }
        (html::quotes(&lib, &pool, req.lang, true))
    };
    page(&web, &req, StatusCode::OK, &p, body)
}

/// `/search?q=`: the ranked hits of `/search`, or its honest miss.
async fn search_page(
    State(web): State<Web>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let query = q.q.clone().unwrap_or_default();
    let req = Req::new(&q, &headers, format!("/search?q={}", html::qs(&query)));
    let lib = web.ops.content.library();
    let (p, body) = search_html(&lib, &query, req.lang);
    page(&web, &req, StatusCode::OK, &p, body)
}

/// A search page, as `search_page` renders it (the benches call it too).
pub fn search_html(lib: &Library, query: &str, lang: Lang) -> (html::Page, Markup) {
    let body = html! { (html::search_form(query, lang)) };
    if query.trim().is_empty() {
        let p = html::Page::new(Msg::SearchTitle.get(lang));
        return (p, body);
    }
    // What `commands::search::Search::answer` builds, within the web's budget.
    let reply =
        script::in_script_within(reply::search_within(lib, query, lang, WEB_HITS), lang, &WEB);
    let p = html::Page::of(&reply, None);
    let body = html! {
        (body)
        (html::reply(&reply, html::Show::All))
    };
    (p, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn the_reader_s_language_comes_from_the_switch_then_the_cookie_then_accept_language() {
        let none = headers(&[]);
        assert_eq!(reader_lang(None, &none), Lang::En);
        let accept = headers(&[("accept-language", "fr-FR, zh-TW;q=0.8, en;q=0.9")]);
        assert_eq!(reader_lang(None, &accept), Lang::En, "by quality");
        let accept = headers(&[("accept-language", "fr, zh-Hant;q=0.5, de;q=0.9")]);
        assert_eq!(
            reader_lang(None, &accept),
            Lang::ZhTw,
            "the first lectern speaks"
        );
        let accept = headers(&[("accept-language", "zh-CN;q=0, zh-HK")]);
        assert_eq!(reader_lang(None, &accept), Lang::ZhHk, "q=0 is a refusal");
        let both = headers(&[("accept-language", "zh-CN"), ("cookie", "a=b; lang=zh-TW")]);
        assert_eq!(reader_lang(None, &both), Lang::ZhTw, "the cookie wins");
        assert_eq!(reader_lang(Some("en"), &both), Lang::En, "the switch wins");
    }

    #[test]
    fn markdown_keeps_formatting_and_drops_what_could_run() {
        let md = "**bold** [ok](https://e.org) [bad](javascript:alert(1)) [data](data:text/html,x) \
                  <script>alert(1)</script> <b onclick=\"x()\">b</b>\n\n<img src=x onerror=alert(1)>";
        let html = html::markdown(md).into_string();
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("href=\"https://e.org\""), "{html}");
        for bad in [
            "javascript:",
            "data:",
            "<script",
            "onclick",
            "onerror",
            "<img",
            "<b ",
        ] {
            assert!(!html.to_lowercase().contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn every_action_of_a_reply_has_a_page_or_is_left_out() {
        use crate::reply::Action;
        let section = Action::Section {
            talk: "a b".into(),
            section: 2,
            page: 1,
        };
        assert_eq!(
            html::href(&section).as_deref(),
            Some("/talks/a%20b/2?page=1")
        );
        let by = Action::QuoteBy {
            speaker: "苏林".into(),
            talk: None,
        };
        assert_eq!(
            html::href(&by).as_deref(),
            Some("/speakers/%E8%8B%8F%E6%9E%97")
        );
        let all = Action::Quote {
            talk: None,
            section: None,
        };
        assert_eq!(html::href(&all), None);
    }
}
