//! Issue 24 against the fake Discord: `/topic` and `/quote` of a transcript show "▶ 12:34"
//! linked to the recording at that moment (the embed's author line), and every link the bot
//! sends is one Discord accepts: the fake checks each URL field against the API's schema
//! (`format: uri` as Discord applies it, `maxLength` 2,048 for an embed's, 512 for a link
//! button's) and answers a bad one with 50035, as Discord does.

use crate::{Harness, LI, embed};

/// Turns with times, under a recording given in the front matter.
fn transcript(recording: &str) -> String {
    let mut out = format!("---\ntitle: Moments\nvideo: {recording}\n---\n\nIntro.\n\n");
    for (i, who) in ["Ada Park", "Ben Cole"].iter().cycle().take(6).enumerate() {
        out.push_str(&format!(
            "**{who}:** [00:{:02}:{:02}] Turn {i} of the transcript, long enough to quote here.\n\n",
            i * 2,
            i * 7
        ));
    }
    out
}

#[tokio::test(flavor = "current_thread")]
async fn moments_link_the_recording_and_every_link_sent_is_one_discord_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/transcripts/podcast-en.md");
    std::fs::copy(&fixture, dir.path().join("podcast-en.md")).unwrap();
    // A recording of 2,045 characters whose deep link would pass the embed's 2,048, one that is no
    // absolute URL, and one that is no page a time opens in.
    let long = format!(
        "https://www.youtube.com/watch?v=abc&pad={}",
        "a".repeat(2005)
    );
    for (name, recording) in [
        ("long", long.as_str()),
        ("relative", "recordings/intro.mp4"),
        ("page", "https://example.org/talks/moments"),
    ] {
        std::fs::write(dir.path().join(format!("{name}.md")), transcript(recording)).unwrap();
    }
    let h = Harness::start_on(dir.path()).await;

    let part = h
        .command(
            &LI,
            "topic",
            &[("section", "2"), ("talk", "Shipping Small")],
        )
        .await;
    let author = &embed(&part)["author"];
    assert_eq!(author["name"], "▶ 12:34", "{part}");
    assert_eq!(
        author["url"],
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL123&t=754s"
    );
    let quote = h.command(&LI, "quote", &[("talk", "Shipping Small")]).await;
    let author = &embed(&quote)["author"];
    assert!(
        author["name"].as_str().unwrap().starts_with("▶ "),
        "{quote}"
    );
    assert!(
        author["url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL123&t="),
        "{quote}"
    );

    // The others show their time as text: no link goes out that Discord would refuse.
    for talk in ["long", "relative", "page"] {
        for reply in [
            h.command(&LI, "topic", &[("section", "1"), ("talk", talk)])
                .await,
            h.command(&LI, "quote", &[("talk", talk)]).await,
        ] {
            let author = &embed(&reply)["author"];
            assert!(
                author["name"].as_str().unwrap().starts_with("⏱ "),
                "{talk}: {reply}"
            );
            assert!(author["url"].is_null(), "{talk}: {reply}");
        }
    }
    // `stop` asserts the fake saw no problem: no URL it would have refused.
    h.stop().await;
}
