//! Issue 30, item 2, against the fake Discord: with `web.public_url` set, the real bot's section,
//! quote and search answers carry an "Open on the web" link button, and each link opens the page
//! of that answer on the web pages (served here on 127.0.0.1 over the same seeds, as
//! `lectern serve` serves them beside the bot).

use std::sync::Arc;

use lectern::library::Library;
use lectern::ops::Ops;
use lectern::reload::Content;
use lectern::web::{self, Web};
use serde_json::Value;

use crate::fake_discord::Registration;
use crate::{Harness, LI, buttons, embed, seeds};

/// The link buttons (style 5) of an answer.
fn links(answer: &Value) -> Vec<String> {
    buttons(answer)
        .iter()
        .filter(|b| b["style"] == 5)
        .filter_map(|b| b["url"].as_str().map(String::from))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn answers_link_to_their_page_on_the_web_and_the_page_is_that_answer() {
    // The pages, over the seeds the bot serves.
    let opts = lectern::library::LoadOptions::default();
    let loaded = Library::load(&seeds(), &opts);
    let ops = Ops::new(Arc::new(Content::new(loaded.library, seeds(), opts)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(web::serve(
        listener,
        Web::new(ops, Some(&base), None),
        std::future::pending(),
    ));
    let public = format!("{base}/");
    let h = Harness::start_with(Registration::Accept, move |c| {
        c.web.public_url = Some(public);
    })
    .await;
    let http = reqwest::Client::new();
    let page = |url: String| {
        let http = http.clone();
        async move {
            let res = http.get(&url).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 200, "{url}");
            res.text().await.unwrap()
        }
    };

    // A section: one link, under the public address, to a page with the section's title.
    let section = h.command(&LI, "topic", &[("section", "13")]).await;
    let title = embed(&section)["title"].as_str().unwrap().to_string();
    let urls = links(&section);
    assert_eq!(urls.len(), 1, "{section}");
    assert!(urls[0].starts_with(&format!("{base}/talks/")), "{urls:?}");
    let html = page(urls[0].clone()).await;
    let heading = title.split_once(' ').map_or(title.as_str(), |(_, t)| t);
    assert!(
        html.contains(heading.trim()),
        "{heading} not on {}",
        urls[0]
    );

    // A quote: its section's page, which holds the quote's words.
    let quote = h.command(&LI, "quote", &[("section", "13")]).await;
    let urls = links(&quote);
    assert_eq!(urls.len(), 1, "{quote}");
    let words = embed(&quote)["description"].as_str().unwrap();
    // Its first word run (Markdown's marks become tags on the page; a run stops at them).
    let first: String = words
        .chars()
        .skip_while(|c| !c.is_alphanumeric())
        .take_while(|c| c.is_alphanumeric())
        .take(4)
        .collect();
    assert!(!first.is_empty(), "{quote}");
    let html = page(urls[0].clone()).await;
    assert!(html.contains(&first), "{first:?} not on {}", urls[0]);

    // A search: the search page of the same query (escaped in the URL, the hits on the page).
    let search = h.command(&LI, "search", &[("query", "生物安全")]).await;
    let urls = links(&search);
    assert_eq!(urls.len(), 1, "{search}");
    assert!(urls[0].starts_with(&format!("{base}/search?")), "{urls:?}");
    assert!(
        !urls[0].contains("生物"),
        "the query is percent-encoded: {urls:?}"
    );
    let html = page(urls[0].clone()).await;
    assert!(html.contains("生物安全"), "{}", urls[0]);

    // Without the address (the default), no answer links anywhere.
    h.stop().await;
    let h = Harness::start().await;
    for answer in [
        h.command(&LI, "topic", &[("section", "13")]).await,
        h.command(&LI, "search", &[("query", "生物安全")]).await,
    ] {
        assert!(links(&answer).is_empty(), "{answer}");
    }
    h.stop().await;
}
