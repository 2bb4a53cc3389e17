//! Many talks: choosing the talk (by name, or by a picked stable id), same-titled sections in
//! two talks told apart, quotes from one talk and one speaker, a talk's sections paged past a
//! menu's 25 and the list of talks paged past one message.

use serde_json::{Value, json};

use super::*;

/// A small talk with front matter, `sections` sections (the first `first` titled, the rest
/// numbered `Part N`), each with a quote of its speaker.
fn talk(title: &str, speaker: &str, date: &str, tag: &str, first: &str, sections: usize) -> String {
    let mut md = format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nspeaker: {speaker}\ntags: [{tag}]\n---\n\nOpening words.\n\n"
    );
    for n in 1..=sections {
        let name = if n == 1 {
            first.to_string()
        } else {
            format!("Part {n}")
        };
        md.push_str(&format!(
            "## {n}. {name}\n\n{speaker} began part {n} of {title}.\n\n\"This is what {speaker} said in part {n}, and it stands alone.\"\n\n"
        ));
    }
    md
}

/// The seed, then two talks that share a section title: the second has 4 numbered sections, the
/// third 30, each after its opening (section 0).
fn three_talks() -> tempfile::TempDir {
    let dir = seeds_copy();
    let write = |name: &str, text: String| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "2026-02-01-reliable.md",
        talk(
            "Building Reliable Systems",
            "Ada Lovelace",
            "2026-02-01",
            "reliability",
            "Why reliability matters",
            4,
        ),
    );
    write(
        "2026-03-01-scale.md",
        talk(
            "Operating at Scale",
            "Grace Hopper",
            "2026-03-01",
            "ops",
            "Why reliability matters",
            30,
        ),
    );
    dir
}

/// The choices of an autocomplete callback, as `(name, value)`.
fn choices(callback: &Value) -> Vec<(String, String)> {
    callback["data"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn footer(callback: &Value) -> String {
    embed(callback)["footer"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn options(callback: &Value) -> Vec<Value> {
    select_menu(callback)["options"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "current_thread")]
async fn a_section_of_the_second_of_three_talks_opens_by_name_and_same_titles_are_told_apart() {
    let dir = three_talks();
    let h = Harness::start_on(dir.path()).await;
    // The talk option autocompletes over titles, speakers and dates, with stable ids.
    let talks = choices(&h.autocomplete(&ALICE, "topic", "talk", "reliable").await);
    assert!(
        talks[0]
            .0
            .starts_with("Building Reliable Systems · Ada Lovelace · 2026-02-01"),
        "{talks:?}"
    );
    assert!(talks[0].1.starts_with("#t."), "{talks:?}");
    let by_speaker = choices(&h.autocomplete(&ALICE, "topic", "talk", "Grace").await);
    assert!(
        by_speaker[0].0.starts_with("Operating at Scale"),
        "{by_speaker:?}"
    );

    // Across talks, two sections of the same title are two choices, each naming its talk.
    let same = choices(
        &h.autocomplete(&ALICE, "topic", "section", "Why reliability")
            .await,
    );
    let reliable = same
        .iter()
        .find(|c| c.0 == "1 · Why reliability matters · Building Reliable Systems");
    let scale = same
        .iter()
        .find(|c| c.0 == "1 · Why reliability matters · Operating at Scale");
    let (Some(reliable), Some(scale)) = (reliable, scale) else {
        panic!("{same:?}")
    };
    assert_ne!(reliable.1, scale.1);
    let opened = h.command(&ALICE, "topic", &[("section", &scale.1)]).await;
    assert!(
        footer(&opened).starts_with("Operating at Scale · §1/30"),
        "{opened:#}"
    );
    let opened = h
        .command(&ALICE, "topic", &[("section", &reliable.1)])
        .await;
    assert!(
        footer(&opened).starts_with("Building Reliable Systems · §1/4"),
        "{opened:#}"
    );

    // With the talk chosen, the section's choices are that talk's alone, unlabelled.
    let data = json!({"id": "1700000000000000001", "name": "topic", "type": 1, "options": [
        {"name": "section", "type": 3, "value": "Why", "focused": true},
        {"name": "talk", "type": 3, "value": talks[0].1},
    ]});
    let scoped = choices(&h.interact(h.payload(4, &ALICE, data)).await);
    assert_eq!(scoped.len(), 1, "{scoped:?}");
    assert_eq!(scoped[0].0, "1 · Why reliability matters");

    // Typed text resolves as before, within the talk typed by name.
    let typed = h
        .command(
            &ALICE,
            "topic",
            &[
                ("section", "Why reliability matters"),
                ("talk", "Building Reliable"),
            ],
        )
        .await;
    assert!(
        footer(&typed).starts_with("Building Reliable Systems · §1/4"),
        "{typed:#}"
    );
    let typed = h
        .command(
            &ALICE,
            "topic",
            &[("section", "2"), ("talk", "Operating at Scale")],
        )
        .await;
    assert_eq!(embed(&typed)["title"], "2 · Part 2");
    // Without a talk, a number is the first talk's, as it always was.
    let first = h.command(&ALICE, "topic", &[("section", "13")]).await;
    assert_eq!(embed(&first)["title"], "13 · 生物安全与韧性策略");

    // Ids that name nothing any more (a reload removed the talk) fail politely.
    for (option, value) in [
        ("section", "#s.0123456789abcdef.1"),
        ("talk", "#t.0123456789abcdef"),
    ] {
        let mut options = vec![("section", "1")];
        options.retain(|o| o.0 != option);
        options.push((option, value));
        let gone = h.command(&ALICE, "topic", &options).await;
        assert!(is_ephemeral(&gone));
        assert!(
            description(&gone).starts_with("That is no longer in the library"),
            "{gone:#}"
        );
    }
    let unknown = h
        .command(&ALICE, "topic", &[("section", "1"), ("talk", "qqqq zzzz")])
        .await;
    assert!(
        description(&unknown).starts_with("No talk matches"),
        "{unknown:#}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn quotes_are_drawn_from_one_talk_and_from_one_speaker() {
    let dir = three_talks();
    let h = Harness::start_on(dir.path()).await;
    let talk = choices(&h.autocomplete(&ALICE, "quote", "talk", "Operating").await)[0]
        .1
        .clone();
    let mut reply = h.command(&ALICE, "quote", &[("talk", &talk)]).await;
    for _ in 0..3 {
        assert!(footer(&reply).ends_with("Operating at Scale"), "{reply:#}");
        assert!(description(&reply).ends_with("— Grace Hopper"), "{reply:#}");
        let another = button(&reply, "Another quote");
        let id = another["custom_id"].as_str().unwrap().to_string();
        assert!(id.chars().count() <= 100);
        reply = h.press(&ALICE, &reply, &id).await;
        assert_eq!(reply["type"], 7, "the button updates its message");
    }

    let speakers = choices(&h.autocomplete(&ALICE, "quote", "speaker", "ada").await);
    assert_eq!(speakers[0].0, "Ada Lovelace");
    assert!(speakers[0].1.starts_with("#p."));
    for speaker in [speakers[0].1.as_str(), "Ada Lovelace", "lovelace"] {
        let mut reply = h.command(&ALICE, "quote", &[("speaker", speaker)]).await;
        for _ in 0..2 {
            assert!(description(&reply).ends_with("— Ada Lovelace"), "{reply:#}");
            assert!(
                footer(&reply).ends_with("Building Reliable Systems"),
                "{reply:#}"
            );
            let id = button(&reply, "Another quote")["custom_id"]
                .as_str()
                .unwrap()
                .to_string();
            reply = h.press(&ALICE, &reply, &id).await;
        }
    }
    let nobody = h
        .command(&ALICE, "quote", &[("speaker", "qqqq zzzz")])
        .await;
    assert!(
        description(&nobody).starts_with("No speaker matches"),
        "{nobody:#}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn topics_lists_the_talks_and_pages_a_talks_sections_past_25() {
    let dir = three_talks();
    let h = Harness::start_on(dir.path()).await;
    let list = h.command(&ALICE, "topics", &[]).await;
    let talks = options(&list);
    assert_eq!(talks.len(), 3);
    assert!(
        description(&list)
            .contains("Building Reliable Systems · Ada Lovelace · 2026-02-01 · 5 sections")
    );
    // Picking the third talk lists its sections; 31 (the opening and 30) do not fit one menu.
    let contents = h
        .choose(&ALICE, &list, talks[2]["value"].as_str().unwrap())
        .await;
    assert_eq!(options(&contents).len(), 25);
    assert!(footer(&contents).ends_with("page 1/2"), "{contents:#}");
    let next = button(&contents, "Page ▷");
    let second = h
        .press(&ALICE, &contents, next["custom_id"].as_str().unwrap())
        .await;
    assert_eq!(second["type"], 7);
    let rest = options(&second);
    assert_eq!(rest.len(), 6);
    assert!(footer(&second).ends_with("page 2/2"));
    assert!(button(&second, "Page ▷")["disabled"].as_bool().unwrap());
    let opened = h
        .choose(&ALICE, &second, rest[5]["value"].as_str().unwrap())
        .await;
    assert_eq!(embed(&opened)["title"], "30 · Part 30");
    // The talk option goes straight to its sections; a tag lists the talks carrying it.
    let direct = h
        .command(&ALICE, "topics", &[("talk", "Operating at Scale")])
        .await;
    assert_eq!(options(&direct), options(&contents));
    let tagged = h.command(&ALICE, "topics", &[("tag", "ops")]).await;
    assert_eq!(options(&tagged).len(), 1);
    let tags = choices(&h.autocomplete(&ALICE, "topics", "tag", "reli").await);
    assert_eq!(tags[0].0, "reliability");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn more_talks_than_fit_one_message_are_paged_with_buttons() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..45 {
        let text = talk(
            &format!("Talk number {i:02}"),
            "Speaker",
            "2026-01-01",
            "many",
            "Only part",
            1,
        );
        std::fs::write(dir.path().join(format!("{i:02}.md")), text).unwrap();
    }
    let h = Harness::start_on(dir.path()).await;
    let mut page = h.command(&ALICE, "topics", &[]).await;
    assert_eq!(options(&page).len(), 20);
    assert!(footer(&page).ends_with("page 1/3"), "{page:#}");
    for n in 2..=3 {
        let next = button(&page, "Page ▷");
        page = h
            .press(&ALICE, &page, next["custom_id"].as_str().unwrap())
            .await;
        assert!(footer(&page).ends_with(&format!("page {n}/3")), "{page:#}");
    }
    let last = options(&page);
    assert_eq!(last.len(), 5);
    assert_eq!(last[4]["label"], "Talk number 44");
    let back = button(&page, "◁ Page");
    let previous = h
        .press(&ALICE, &page, back["custom_id"].as_str().unwrap())
        .await;
    assert!(footer(&previous).ends_with("page 2/3"));
    let contents = h
        .choose(&ALICE, &page, last[4]["value"].as_str().unwrap())
        .await;
    assert!(
        description(&contents).starts_with("**Talk number 44**"),
        "{contents:#}"
    );
    h.stop().await;
}
