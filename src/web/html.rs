//! The pages' HTML (maud templates): the layout with its OpenGraph tags and language switch, a
//! [`Reply`] rendered with its actions as links, and write-ups' Markdown as sanitised HTML.
//!
//! Invariant: text reaches a page either escaped by maud or through [`markdown`], which drops
//! raw HTML before rendering and passes the result through ammonia (no `<script>`, no `on…`
//! attribute, only http(s), mailto and relative links).

use std::sync::LazyLock;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{Req, Web, lang_code};
use crate::i18n::{Lang, Msg};
use crate::library::Library;
use crate::model::{QuoteRef, SectionRef};
use crate::reply::{Action, Component, Reply};

pub use crate::reply::web::{query_value as qs, segment as seg};

/// A page's head: its title and what OpenGraph says of it.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// `<title>` and `og:title`.
    pub title: String,
    /// `og:description` and `<meta name=description>`: plain text.
    pub description: String,
    /// `og:image`: an absolute http(s) URL.
    pub image: Option<String>,
}

impl Page {
    /// A page titled `title`.
    pub fn new(title: &str) -> Page {
        Page {
            title: title.to_string(),
            ..Page::default()
        }
    }

    /// The head of a page showing `reply`.
    pub fn of(reply: &Reply, image: Option<String>) -> Page {
        let text = if reply.description.trim().is_empty() {
            reply.fields.first().map_or("", |f| f.value.as_str())
        } else {
            reply.description.as_str()
        };
        Page {
            title: reply.title.clone().unwrap_or_else(|| "lectern".into()),
            description: plain(text, 200),
            image,
        }
    }
}

/// Markdown as plain text of at most `max` characters (for `og:description`).
pub fn plain(markdown: &str, max: usize) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for ev in Parser::new(markdown) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    let squeezed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::text::truncate_chars(&squeezed, max)
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some("noopener noreferrer nofollow ugc"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    b
});

/// A write-up's Markdown (or a reply's) as sanitised HTML: raw HTML is dropped before
/// rendering, and ammonia removes whatever else could run (scripts, event attributes,
/// `javascript:` and `data:` links).
pub fn markdown(md: &str) -> PreEscaped<String> {
    use pulldown_cmark::{Event, Options, Parser};
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(md, opts).filter_map(|ev| match ev {
        Event::Html(_) | Event::InlineHtml(_) => None,
        other => Some(other),
    });
    let mut raw = String::new();
    pulldown_cmark::html::push_html(&mut raw, events);
    PreEscaped(CLEANER.clean(&raw).to_string())
}

/// Where an action of a button or a menu leads on the web; `None` for what has no page
/// (another random quote of everything, posting or deleting a message).
pub fn href(action: &Action) -> Option<String> {
    Some(match action {
        Action::Section {
            talk,
            section,
            page,
        } => match page {
            0 => format!("/talks/{}/{section}", seg(talk)),
            p => format!("/talks/{}/{section}?page={p}", seg(talk)),
        },
        Action::Contents { talk, page } => match page {
            0 => format!("/talks/{}", seg(talk)),
            p => format!("/talks/{}?page={p}", seg(talk)),
        },
        Action::Talks { page, tag } => {
            let mut u = format!("/?page={page}");
            if let Some(t) = tag {
                u.push_str(&format!("&tag={}", qs(t)));
            }
            u
        }
        Action::QuoteBy { speaker, .. } => format!("/speakers/{}", seg(speaker)),
        Action::Quote {
            talk: Some(talk),
            section,
        } => match section {
            Some(s) => format!("/talks/{}/{s}#quotes", seg(talk)),
            None => format!("/talks/{}", seg(talk)),
        },
        Action::Card { talk, .. } => format!("/talks/{}#quotes", seg(talk)),
        // Sharing and deleting are Discord's: a page has nothing to post or delete.
        Action::Quote { talk: None, .. } | Action::Share | Action::Delete => return None,
    })
}

/// What of a reply a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Everything.
    All,
    /// A list's menus as its links, without the description that lists the same (the lists
    /// of talks and sections).
    Menus,
}

/// A reply as HTML: title, text, fields, image, footer, and each button and menu choice as a
/// link.
pub fn reply(reply: &Reply, show: Show) -> Markup {
    html! {
        article.reply {
            @if let Some(t) = &reply.title {
                h1 {
                    @match &reply.url {
                        Some(u) => a href=(u) rel="noopener noreferrer nofollow" { (t) },
                        None => (t),
                    }
                }
            }
            @if show == Show::All && !reply.description.trim().is_empty() {
                div.text { (markdown(&reply.description)) }
            }
            @if let Some(img) = &reply.image {
                figure { img.infographic src=(img) alt="" loading="lazy"; }
            }
            @for f in &reply.fields {
                section.field {
                    h2 { (f.name) }
                    div.text { (markdown(&f.value)) }
                }
            }
            @for c in &reply.components {
                @match c {
                    Component::Buttons { buttons } => nav.buttons {
                        @for b in buttons {
                            @match (b.disabled, href(&b.action)) {
                                (false, Some(u)) => a.button href=(u) { (b.label) },
                                (true, Some(_)) => span.button.disabled aria-disabled="true" { (b.label) },
                                _ => {}
                            }
                        }
                    },
                    Component::Select { placeholder, options } => nav.menu aria-label=(placeholder) {
                        ul {
                            @for o in options {
                                @if let Some(u) = href(&o.action) {
                                    li {
                                        a href=(u) { (o.label) }
                                        @if let Some(d) = &o.description { " " small { (d) } }
                                    }
                                }
                            }
                        }
                    },
                }
            }
            @if let Some(f) = &reply.footer {
                footer { (markdown(f)) }
            }
        }
    }
}

/// A talk's head on its page: speakers (each a link to their quotes), date, tags, source and
/// summary.
pub fn talk_head(lib: &Library, t: usize, lang: Lang) -> Markup {
    let talk = &lib.talks()[t];
    let source = talk
        .meta
        .source
        .as_deref()
        .and_then(|s| crate::text::web_url(s, crate::budget::DISCORD.embed_url));
    html! {
        header.talk {
            p.title { strong { (talk.title) } }
            p.meta {
                @for (i, s) in talk.meta.speakers.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/speakers/" (seg(s)) } { (s) }
                }
                @if let Some(d) = &talk.meta.date { " · " (d) }
                @if let Some(u) = source { " · " a href=(u) rel="noopener noreferrer nofollow" { (Msg::Source.get(lang)) } }
            }
            @let tags: Vec<&str> = talk.tags().collect();
            @if !tags.is_empty() {
                p.tags { @for tag in tags { a.tag href={ "/?tag=" (qs(tag)) } { (tag) } " " } }
            }
            @if let Some(one) = &talk.summary.one_liner {
                section.summary { h2 { (Msg::Summary.get(lang)) } div.text { (markdown(one)) } }
            }
            @if !talk.summary.key_points.is_empty() {
                section.summary { h2 { (Msg::KeyPoints.get(lang)) }
                    ul { @for k in &talk.summary.key_points { li { (markdown(k)) } } } }
            }
            @if !talk.summary.risks.is_empty() {
                section.summary { h2 { (Msg::Risks.get(lang)) }
                    ul { @for k in &talk.summary.risks { li { (markdown(k)) } } } }
            }
        }
    }
}

/// The path to a section: the list, its talk.
pub fn crumbs(lib: &Library, r: SectionRef, lang: Lang) -> Markup {
    let talk = &lib.talks()[r.talk];
    html! {
        nav.crumbs {
            a href="/" { (Msg::Talks.get(lang)) } " › "
            a href={ "/talks/" (seg(&talk.id)) } { (talk.title) }
        }
    }
}

/// A list of quotes, each with its speaker (a link to their quotes) and, with `where_said`,
/// the section it was said in (a link).
pub fn quotes(lib: &Library, pool: &[QuoteRef], lang: Lang, where_said: bool) -> Markup {
    html! {
        @if !pool.is_empty() {
            section #quotes {
                h2 { (Msg::Quotes.get(lang)) " (" (pool.len()) ")" }
                @for r in pool {
                    @if let Some((talk, q)) = lib.quote(*r) {
                        blockquote.quote {
                            p { "“" (q.text) "”" }
                            footer {
                                @if let Some(s) = &q.speaker {
                                    "— " a href={ "/speakers/" (seg(s)) } { (s) }
                                }
                                @if where_said {
                                    @if let Some(s) = q.section.and_then(|o| talk.sections.get(o)) {
                                        " · " a href={ "/talks/" (seg(&talk.id)) "/" (s.ordinal) } { (talk.title) " · " (s.label()) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The search box, as every page has it.
pub fn search_form(query: &str, lang: Lang) -> Markup {
    html! {
        form.search action="/search" method="get" role="search" {
            input type="search" name="q" value=(query) aria-label=(Msg::SearchTitle.get(lang))
                placeholder=(Msg::SearchTitle.get(lang));
            button type="submit" { (Msg::SearchTitle.get(lang)) }
        }
    }
}

const STYLE: &str = "
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fdfdfb;--mute:#6b6b70;--line:#ddd;--acc:#2456a6}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e6;--bg:#17181a;--mute:#a0a0a6;--line:#333;--acc:#8fb3ff}}
*{box-sizing:border-box}body{margin:0;font:17px/1.6 system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;color:var(--fg);background:var(--bg)}
header.site,main,footer.site{max-width:46rem;margin:0 auto;padding:0 1rem}
header.site{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding-top:.75rem;padding-bottom:.75rem;border-bottom:1px solid var(--line)}
header.site .home{font-weight:700;text-decoration:none;color:var(--fg)}
nav.lang{margin-left:auto;font-size:.9rem}nav.lang a,nav.lang strong{margin-left:.5rem}
a{color:var(--acc)}h1{font-size:1.5rem;line-height:1.3;margin:1.2rem 0 .6rem}h2{font-size:1.15rem;margin:1.2rem 0 .4rem}h3{font-size:1rem;margin:1rem 0 .3rem}
form.search{display:flex;gap:.5rem;margin:1rem 0}form.search input{flex:1;min-width:0;font:inherit;padding:.45rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:transparent;color:inherit}
form.search button,a.button,span.button{font:inherit;padding:.4rem .8rem;border:1px solid var(--line);border-radius:.4rem;background:transparent;color:var(--acc);text-decoration:none;display:inline-block}
span.button.disabled{color:var(--mute);opacity:.6}nav.buttons{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
nav.menu ul{padding-left:1.2rem}nav.menu li{margin:.35rem 0}small,footer,.meta{color:var(--mute)}
img.infographic{max-width:100%;height:auto;border-radius:.3rem}figure{margin:1rem 0}
blockquote{margin:1rem 0;padding:.2rem 1rem;border-left:3px solid var(--line)}blockquote p{margin:.3rem 0}
.text{overflow-wrap:anywhere}.text table{border-collapse:collapse;display:block;overflow-x:auto}.text td,.text th{border:1px solid var(--line);padding:.2rem .5rem}
pre{overflow-x:auto}a.tag{font-size:.9rem}article.reply>footer{font-size:.9rem;margin-top:1rem}
table.dash{border-collapse:collapse;width:100%;font-size:.95rem}table.dash td,table.dash th{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top}
.warn{color:#b35c00}.ok{color:#2a7a2a}
";

/// Where `layout` leaves the language switch, which `respond` fills in after the
/// page is converted to the reader's script (each language's name stays in its own script).
pub const SWITCH_SLOT: &str = "<!--lang-switch-->";

/// The language switch of the page at `path` read in `lang`.
pub fn switch(path: &str, lang: Lang) -> Markup {
    let sep = if path.contains('?') { '&' } else { '?' };
    let langs = [
        (Lang::En, "English"),
        (Lang::Zh, "简体中文"),
        (Lang::ZhTw, "繁體中文"),
    ];
    html! {
        nav.lang aria-label="Language" {
            @for (l, name) in langs {
                @if l == lang {
                    strong lang=(lang_code(l)) { (name) }
                } @else {
                    a lang=(lang_code(l)) hreflang=(lang_code(l)) href={ (path) (sep) "lang=" (lang_code(l)) } { (name) }
                }
            }
        }
    }
}

/// The whole page: head (title, viewport, OpenGraph), the site's bar with the language switch
/// and the search box, then `body`.
pub(crate) fn layout(web: &Web, req: &Req, page: &Page, body: &Markup) -> Markup {
    let lang = req.lang;
    let url = web.public_url.as_ref().map(|u| format!("{u}{}", req.path));
    let title = if page.title == "lectern" {
        page.title.clone()
    } else {
        format!("{} · lectern", page.title)
    };
    html! {
        (DOCTYPE)
        html lang=(lang_code(lang)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                @if !page.description.is_empty() {
                    meta name="description" content=(page.description);
                }
                meta property="og:site_name" content="lectern";
                meta property="og:type" content="article";
                meta property="og:title" content=(page.title);
                @if !page.description.is_empty() {
                    meta property="og:description" content=(page.description);
                }
                @if let Some(u) = &url { meta property="og:url" content=(u); link rel="canonical" href=(u); }
                @if let Some(i) = &page.image {
                    meta property="og:image" content=(i);
                    meta name="twitter:card" content="summary_large_image";
                }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.site {
                    a.home href="/" { "lectern" }
                    a href="/" { (Msg::Talks.get(lang)) }
                    (PreEscaped(SWITCH_SLOT))
                }
                main {
                    @if !req.path.starts_with("/search") && !req.path.starts_with("/admin") {
                        (search_form("", lang))
                    }
                    (body)
                }
                footer.site { p { small { "lectern" } } }
            }
        }
    }
}
