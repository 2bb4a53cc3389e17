//! The bot as people use it: registration, every command, buttons, menus, languages,
//! admin rights, sharding and shutdown.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Value, json};

use lectern::key::TalkKey;

use super::fake_discord::{APP_ID, FakeDiscord, Registration};
use super::process::Served;
use super::*;

const SOURCE: &str = "https://baoyu.io/blog/2026/01/27/sam-altman-developer-townhall-gpt5";
const S13: &str = "13 · 生物安全与韧性策略";

fn command<'a>(commands: &'a [Value], name: &str) -> &'a Value {
    commands
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no command {name}"))
}

#[tokio::test(flavor = "current_thread")]
async fn registration_sends_every_command_with_chinese_localizations_and_an_admin_only_reload() {
    // Without admin.guild_ids, /reload is registered with the other commands.
    let h = Harness::start_with(Registration::Accept, |c| c.admin.guild_ids.clear()).await;
    let put = h
        .fake
        .wait_request("registration", |r| r.method == "PUT")
        .await;
    assert_eq!(
        put.path,
        format!("/applications/{APP_ID}/commands"),
        "global by default"
    );
    let commands = put.body.as_array().unwrap().clone();
    // Never in direct messages, nor where the bot is not installed.
    assert_eq!(command(&commands, "reload")["contexts"], json!([0]));
    assert_eq!(
        command(&commands, "reload")["integration_types"],
        json!([0])
    );
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "topics",
            "topic",
            "quote",
            "search",
            "about",
            "reload",
            "settings",
            "Search the talks",
            "Quote card"
        ]
    );
    // `/settings` is for a server's managers: in servers only, installed to a server only.
    assert_eq!(command(&commands, "settings")["contexts"], json!([0]));
    assert_eq!(
        command(&commands, "settings")["integration_types"],
        json!([0])
    );
    // Every read-only command and menu can be installed on a user's account and used
    // wherever its user is (servers, the bot's DM, private channels).
    for c in commands
        .iter()
        .filter(|c| c["name"] != "reload" && c["name"] != "settings")
    {
        assert_eq!(c["integration_types"], json!([0, 1]), "{c}");
        assert_eq!(c["contexts"], json!([0, 1, 2]), "{c}");
    }
    for (menu, zh_cn, zh_tw) in [
        ("Search the talks", "搜索演讲", "搜尋演講"),
        ("Quote card", "引语卡片", "引語卡片"),
    ] {
        let m = command(&commands, menu);
        assert_eq!(m["type"], 3, "a message menu: {m}");
        assert_eq!(m["name_localizations"]["zh-CN"], zh_cn);
        assert_eq!(m["name_localizations"]["zh-TW"], zh_tw);
        assert!(
            m.get("options")
                .is_none_or(|o| o.as_array().is_none_or(Vec::is_empty)),
            "{m}"
        );
    }
    for c in commands.iter().filter(|c| c["type"] != 3) {
        let description = c["description"].as_str().unwrap();
        assert!((1..=100).contains(&description.chars().count()), "{c}");
        for locale in ["zh-CN", "zh-TW"] {
            assert!(
                c["name_localizations"][locale].is_string(),
                "{} {locale}",
                c["name"]
            );
            assert!(
                c["description_localizations"][locale].is_string(),
                "{} {locale}",
                c["name"]
            );
        }
        for o in c["options"].as_array().into_iter().flatten() {
            assert!(o["name_localizations"]["zh-CN"].is_string(), "{o}");
            assert!(o["description_localizations"]["zh-TW"].is_string(), "{o}");
        }
    }
    assert_eq!(
        command(&commands, "topics")["name_localizations"]["zh-CN"],
        "话题"
    );
    assert_eq!(
        command(&commands, "topics")["name_localizations"]["zh-TW"],
        "話題"
    );
    assert_eq!(
        command(&commands, "search")["name_localizations"]["zh-TW"],
        "搜尋"
    );

    let section = &command(&commands, "topic")["options"][0];
    assert_eq!(section["name"], "section");
    assert_eq!(section["type"], 3, "a string option");
    assert_eq!(section["required"], true);
    assert_eq!(section["autocomplete"], true);
    assert_eq!(section["name_localizations"]["zh-CN"], "章节");
    let topic = &command(&commands, "quote")["options"][0];
    assert_eq!(
        (topic["name"].as_str(), topic["required"].as_bool()),
        (Some("topic"), Some(false))
    );
    assert_eq!(topic["autocomplete"], true);
    // The options added for many talks: optional, autocompleted, after the older ones; then
    // how the answer is delivered (`private:`, a flag, and `for:`, a user).
    for (name, options, delivery) in [
        ("topics", ["talk", "tag"].as_slice(), ["private"].as_slice()),
        ("topic", &["section", "talk"], &["private", "for"]),
        (
            "quote",
            &["topic", "talk", "speaker", "card"],
            &["private", "for"],
        ),
        ("search", &["query"], &["private", "for"]),
    ] {
        let found = command(&commands, name)["options"]
            .as_array()
            .unwrap()
            .clone();
        let names: Vec<&str> = found.iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(names, [options, delivery].concat(), "{name}");
        let (picked, delivered) = found.split_at(options.len());
        if name != "search" {
            // The text options are autocompleted; `card:` is a flag.
            for o in picked {
                if o["name"] == "card" {
                    assert_eq!(o["type"], 5, "card: is a flag");
                } else {
                    assert_eq!(o["autocomplete"], true, "{name}");
                }
            }
        }
        assert_eq!(delivered[0]["type"], 5, "private: is a flag");
        if let Some(whom) = delivered.get(1) {
            assert_eq!(whom["type"], 6, "for: is a user");
        }
        assert!(delivered.iter().all(|o| o["required"] != true), "{name}");
    }
    let query = &command(&commands, "search")["options"][0];
    assert_eq!(
        (query["name"].as_str(), query["required"].as_bool()),
        (Some("query"), Some(true))
    );

    // Manage Server (1 << 5), sent as a string as Discord documents it.
    assert_eq!(
        command(&commands, "reload")["default_member_permissions"],
        "32"
    );
    for name in ["topics", "topic", "quote", "search", "about"] {
        let p = &command(&commands, name)["default_member_permissions"];
        assert!(p.is_null(), "{name} is for everyone, found {p}");
    }
    assert_eq!(
        command(&commands, "settings")["default_member_permissions"],
        "32",
        "/settings is for members who manage the server"
    );
    // Automatic sharding asks Discord how many shards to run; no privileged intents: GUILDS
    // (1 << 0) alone, for GUILD_DELETE.
    assert!(h.fake.requests().iter().any(|r| r.path == "/gateway/bot"));
    assert_eq!(h.fake.identifies()[0]["intents"], 1);
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_configured_guild_gets_guild_commands() {
    let h = Harness::start_with(Registration::Accept, |c| c.discord.guild_id = Some(GUILD)).await;
    let put = h
        .fake
        .wait_request("registration", |r| r.method == "PUT")
        .await;
    assert_eq!(
        put.path,
        format!("/applications/{APP_ID}/guilds/{GUILD}/commands")
    );
    let commands = put.body.as_array().unwrap();
    assert_eq!(
        commands.len(),
        9,
        "six slash commands, /settings and two message menus"
    );
    // User install is for global commands only: a guild's set says nothing of it.
    for c in commands {
        assert!(c.get("integration_types").is_none(), "{c}");
        assert!(c.get("contexts").is_none(), "{c}");
    }
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_shard_range_identifies_as_those_shards() {
    let h = Harness::start_with(Registration::Accept, |c| {
        c.discord.shard_start = Some(1);
        c.discord.shard_run = Some(1);
        c.discord.shard_total = Some(2);
    })
    .await;
    assert_eq!(h.fake.identifies()[0]["shard"], json!([1, 2]));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_registration_is_logged_loudly_and_the_bot_still_answers() {
    let h = Harness::start_with(Registration::Fail, |_| {}).await;
    let about = h.command(&ALICE, "about", &[]).await;
    assert_eq!(embed(&about)["title"], "About lectern");
    let logs = h.stop().await;
    assert!(
        logs.contains("ERROR") && logs.contains("COMMAND REGISTRATION FAILED"),
        "{logs}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn topics_lists_the_sections_with_a_menu_in_the_users_language() {
    let h = Harness::start().await;
    let lib = seed_library();
    let talk = &lib.talks()[0];

    let en = h.command(&ALICE, "topics", &[]).await;
    assert_eq!(en["type"], 4);
    assert!(!is_ephemeral(&en));
    let e = embed(&en);
    assert_eq!(e["title"], "Topics");
    let description = e["description"].as_str().unwrap();
    assert!(description.contains(&talk.title), "{description}");
    for s in &talk.sections {
        assert!(description.contains(&s.label()), "{} missing", s.label());
    }
    let menu = select_menu(&en);
    assert_eq!(menu["placeholder"], "Open a section…");
    let options = menu["options"].as_array().unwrap();
    assert_eq!(options.len(), talk.sections.len());
    // Section 0 is the intro (issue 11).
    assert_eq!(options[0]["label"], "开场");
    assert_eq!(options[13]["label"], S13);

    let zh = h.command(&LI, "topics", &[]).await;
    assert_eq!(embed(&zh)["title"], "话题");
    assert_eq!(select_menu(&zh)["placeholder"], "打开一节…");
    // zh-TW users read Traditional script with Taiwan's wording, interface and content.
    let tw = h.command(&MEI, "topics", &[]).await;
    assert_eq!(embed(&tw)["title"], "話題");
    assert_eq!(select_menu(&tw)["placeholder"], "開啟一節…");
    assert_eq!(
        select_menu(&tw)["options"][13]["label"],
        "13 · 生物安全與韌性策略"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn topic_opens_a_section_with_image_link_footer_and_buttons() {
    let h = Harness::start().await;
    let zh = h.command(&LI, "topic", &[("section", "13")]).await;
    assert_eq!(zh["type"], 4);
    let e = embed(&zh);
    assert_eq!(e["title"], S13);
    assert_eq!(e["url"], SOURCE);
    assert!(
        e["description"]
            .as_str()
            .unwrap()
            .contains("生物是一个合理的押注")
    );
    assert!(
        e["image"]["url"]
            .as_str()
            .unwrap()
            .ends_with("13-infographic-biosafety-resilience.png")
    );
    let footer = e["footer"]["text"].as_str().unwrap();
    assert!(
        footer.contains("§13/23") && footer.contains("2026-01-27"),
        "{footer}"
    );
    let labels: Vec<String> = buttons(&zh)
        .iter()
        .map(|b| b["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        labels,
        ["◀ 上一节", "下一节 ▶", "删除"],
        "a public answer can be deleted"
    );

    // English, and a fuzzy title instead of the number.
    let en = h.command(&ALICE, "topic", &[("section", "生物安全")]).await;
    assert_eq!(embed(&en)["title"], S13);
    assert_eq!(button(&en, "Next ▶")["disabled"], false);
    // The first section (the intro, 开场) cannot go back; the closing one (尾声) cannot go on.
    let first = h.command(&ALICE, "topic", &[("section", "开场")]).await;
    assert_eq!(embed(&first)["title"], "开场");
    assert_eq!(button(&first, "◀ Previous")["disabled"], true);
    let one = h.command(&ALICE, "topic", &[("section", "1")]).await;
    assert_eq!(button(&one, "◀ Previous")["disabled"], false);
    let last = h.command(&ALICE, "topic", &[("section", "尾声")]).await;
    assert_eq!(embed(&last)["title"], "尾声");
    assert_eq!(button(&last, "Next ▶")["disabled"], true);

    let unknown = h
        .command(&ALICE, "topic", &[("section", "qqqq xxxx zzzz")])
        .await;
    assert!(is_ephemeral(&unknown));
    assert!(description(&unknown).starts_with("No section matches"));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn every_section_of_the_seed_opens_within_discords_limits() {
    let h = Harness::start().await;
    let lib = seed_library();
    for s in &lib.talks()[0].sections {
        // `interact` fails on any limit or schema problem the fake sees.
        let reply = h.command(&LI, "topic", &[("section", &s.label())]).await;
        assert_eq!(embed(&reply)["title"], s.label());
        assert!(!description(&reply).is_empty());
    }
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn autocomplete_offers_at_most_25_short_choices_that_open_the_section() {
    let h = Harness::start().await;
    let all = h.autocomplete(&ALICE, "topic", "section", "").await;
    assert_eq!(all["type"], 8);
    let choices = all["data"]["choices"].as_array().unwrap();
    assert!(
        !choices.is_empty() && choices.len() <= 25,
        "{} choices",
        choices.len()
    );
    for c in choices {
        let n = c["name"].as_str().unwrap().chars().count();
        assert!((1..=100).contains(&n), "{c}");
    }
    let typed = h.autocomplete(&LI, "topic", "section", "生物").await;
    let choices = typed["data"]["choices"].as_array().unwrap();
    let s13 = choices.iter().find(|c| c["name"] == S13);
    let value = s13.unwrap_or_else(|| panic!("{choices:?}"))["value"]
        .as_str()
        .unwrap()
        .to_string();
    let opened = h.command(&LI, "topic", &[("section", &value)]).await;
    assert_eq!(embed(&opened)["title"], S13);

    let quote_topic = h.autocomplete(&ALICE, "quote", "topic", "13").await;
    assert_eq!(quote_topic["data"]["choices"][0]["name"], S13);
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn buttons_answer_the_invoker_and_turn_everyone_else_away() {
    let h = Harness::start().await;
    let reply = h.command(&ALICE, "topic", &[("section", "13")]).await;
    let next = button(&reply, "Next ▶");
    let id = next["custom_id"].as_str().unwrap();
    assert!(id.contains(&ALICE.id.to_string()), "{id}");

    let other = h.press(&BOB, &reply, id).await;
    assert_eq!(other["type"], 4, "a new message, the original stays");
    assert!(is_ephemeral(&other));
    assert!(
        description(&other).starts_with("These buttons belong to the person who ran the command")
    );

    let pressed = h.press(&ALICE, &reply, id).await;
    assert_eq!(pressed["type"], 7, "the message is updated in place");
    assert!(
        embed(&pressed)["title"]
            .as_str()
            .unwrap()
            .starts_with("14 · ")
    );
    let back = h
        .press(
            &ALICE,
            &pressed,
            button(&pressed, "◀ Previous")["custom_id"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert_eq!(embed(&back)["title"], S13);

    // A Chinese user pressing their own button gets Chinese labels back.
    let zh = h.command(&LI, "topic", &[("section", "13")]).await;
    let zh_next = h
        .press(
            &LI,
            &zh,
            button(&zh, "下一节 ▶")["custom_id"].as_str().unwrap(),
        )
        .await;
    assert!(buttons(&zh_next).iter().any(|b| b["label"] == "◀ 上一节"));
    let refused = h
        .press(
            &MEI,
            &zh,
            button(&zh, "下一节 ▶")["custom_id"].as_str().unwrap(),
        )
        .await;
    assert!(description(&refused).starts_with("這些按鈕屬於執行命令的人"));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_topics_menu_opens_a_section_for_its_invoker_only() {
    let h = Harness::start().await;
    let topics = h.command(&ALICE, "topics", &[]).await;
    let options = select_menu(&topics)["options"].as_array().unwrap().clone();
    // Option 0 is the intro; option 5 is section 5.
    let fifth = options[5]["value"].as_str().unwrap();
    let opened = h.choose(&ALICE, &topics, fifth).await;
    // `choose` checked that the list was re-sent (its menu reset); the section follows.
    assert_eq!(opened["type"], "follow-up");
    assert!(!buttons(&opened).is_empty(), "the section can be paged");
    assert!(!is_ephemeral(&opened));
    assert!(
        embed(&opened)["title"]
            .as_str()
            .unwrap()
            .starts_with("5 · ")
    );
    let other = h.choose(&BOB, &topics, fifth).await;
    assert!(is_ephemeral(&other));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_menu_picked_twice() {
    let h = Harness::start().await;
    let topics = h.command(&ALICE, "topics", &[]).await;
    let options = select_menu(&topics)["options"].as_array().unwrap().clone();
    // The options start with the opening (section 0): the sixth is section 5.
    let fifth = options[5]["value"].as_str().unwrap();
    // The fake sends a pick of the option a menu rests on only if the message was updated
    // since: `choose` fails otherwise.
    let first = h.choose(&ALICE, &topics, fifth).await;
    let second = h.choose(&ALICE, &topics, fifth).await;
    for opened in [&first, &second] {
        assert!(!is_ephemeral(opened));
        let title = embed(opened)["title"].as_str().unwrap();
        assert!(title.starts_with("5 · "), "{title}");
    }
    assert_eq!(embed(&first), embed(&second));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn stale_or_foreign_buttons_fail_politely() {
    let h = Harness::start().await;
    let reply = h.command(&ALICE, "topic", &[("section", "13")]).await;
    // A talk that is no longer loaded (after a reload that removed it).
    let gone = format!("l2:b0:{}:s.0123456789abcdef.0.0", ALICE.id);
    let answer = h.press(&ALICE, &reply, &gone).await;
    assert!(is_ephemeral(&answer));
    assert!(description(&answer).contains("no longer in the library"));
    // A button posted by version 1, before the intro became section 0 (issue 11): its
    // ordinal 12 meant section 13 then and means section 12 now. It must not open either.
    let talk = h.plugin.library().talks()[0].id.clone();
    let old = format!("l1:b0:{}:s.{}.c.0", ALICE.id, TalkKey::of(&talk));
    let answer = h.press(&ALICE, &reply, &old).await;
    assert!(is_ephemeral(&answer), "{answer}");
    assert!(
        description(&answer).contains("older version of lectern"),
        "{answer}"
    );
    assert!(
        embed(&answer)["title"].is_null(),
        "no section opened: {answer}"
    );
    let old_menu = format!("l1:m0:{}", ALICE.id);
    let answer = h.press(&LI, &reply, &old_menu).await;
    assert!(description(&answer).contains("旧版本"), "{answer}");
    // Something this version never wrote.
    let answer = h.press(&LI, &reply, "some-other-bot:42").await;
    assert!(is_ephemeral(&answer));
    assert!(description(&answer).contains("内容已经更新"));
    h.stop().await;
}

fn quote_text(callback: &Value) -> String {
    embed(callback)["description"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn quotes_do_not_repeat_in_a_channel_until_the_pool_is_used_up() {
    let h = Harness::start().await;
    let lib = seed_library();
    // `/quote` draws the speakers' own words, not every quote of the talk.
    let pool = lectern::library::QuoteScope::All.pool(&lib).len();
    assert!(pool > 25, "the seed has a real pool ({pool})");
    let mut seen = HashSet::new();
    for _ in 0..pool {
        let q = h.command(&ALICE, "quote", &[]).await;
        assert!(!is_ephemeral(&q));
        assert!(quote_text(&q).starts_with("> "), "{q}");
        assert!(
            seen.insert(quote_text(&q)),
            "a quote came twice before the pool ran out"
        );
    }
    // Another channel has its own round.
    let mut p = h.slash(&BOB, "quote", &[]);
    p["channel_id"] = json!("1600000000000000099");
    let other = h.interact(p).await;
    assert!(seen.contains(&quote_text(&other)));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_topics_quotes_come_from_that_section_and_the_button_draws_another() {
    let h = Harness::start().await;
    let lib = seed_library();
    let r = lectern::search::resolve_section(&lib, "13").unwrap();
    let pool = lectern::library::QuoteScope::Section(r).pool(&lib).len();
    assert!(pool >= 2, "section 13 has quotes");
    let first = h.command(&LI, "quote", &[("topic", "13")]).await;
    let footer = embed(&first)["footer"]["text"].as_str().unwrap();
    assert!(footer.starts_with(S13), "{footer}");
    let mut seen = HashSet::from([quote_text(&first)]);
    let mut last = first;
    for _ in 1..pool {
        let id = button(&last, "再来一句")["custom_id"]
            .as_str()
            .unwrap()
            .to_string();
        let next = h.press(&LI, &last, &id).await;
        assert_eq!(next["type"], 7);
        assert!(
            embed(&next)["footer"]["text"]
                .as_str()
                .unwrap()
                .starts_with(S13)
        );
        assert!(
            seen.insert(quote_text(&next)),
            "repeated within the section's pool"
        );
        last = next;
    }
    // The section button opens where the quote was said.
    let open = button(&last, &format!("§ {S13}"));
    let section = h
        .press(&LI, &last, open["custom_id"].as_str().unwrap())
        .await;
    assert_eq!(embed(&section)["title"], S13);
    let unknown = h
        .command(&ALICE, "quote", &[("topic", "qqqq xxxx zzzz")])
        .await;
    assert!(is_ephemeral(&unknown));
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn search_ranks_hits_opens_them_and_admits_when_nothing_matches() {
    let h = Harness::start().await;
    let hits = h.command(&ALICE, "search", &[("query", "生物安全")]).await;
    let e = embed(&hits);
    assert_eq!(e["title"], "Search: 生物安全");
    let fields = e["fields"].as_array().unwrap();
    assert!(!fields.is_empty());
    assert!(
        fields
            .iter()
            .any(|f| f["name"].as_str().unwrap().contains("生物安全与韧性策略")),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|f| f["value"].as_str().unwrap().contains("生物安全"))
    );
    let menu = select_menu(&hits);
    let first = menu["options"][0]["value"].as_str().unwrap();
    let opened = h.choose(&ALICE, &hits, first).await;
    assert!(embed(&opened)["title"].is_string());
    assert!(!is_ephemeral(&opened));

    let miss = h
        .command(&LI, "search", &[("query", "量子纠缠火星殖民")])
        .await;
    let d = description(&miss);
    assert!(d.starts_with("没有找到足够接近的结果"), "{d}");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_query_with_everyone_and_markdown_is_shown_literally_and_pings_no_one() {
    let h = Harness::start().await;
    let query = "@everyone **bold** <@2004> [link](https://example.invalid) `code`";
    let reply = h.command(&ALICE, "search", &[("query", query)]).await;
    assert_eq!(reply["data"]["allowed_mentions"]["parse"], json!([]));
    let e = embed(&reply);
    let shown = format!(
        "{} {}",
        e["title"].as_str().unwrap(),
        e["description"].as_str().unwrap_or("")
    );
    assert!(!shown.contains("@everyone"), "{shown}");
    assert!(!shown.contains("<@2004>"), "{shown}");
    assert!(
        !shown.contains("**bold**") && shown.contains("\\*\\*bold\\*\\*"),
        "{shown}"
    );
    assert!(
        !shown.contains("[link](") && !shown.contains("`code`"),
        "{shown}"
    );
    assert!(
        reply["data"]["content"].is_null(),
        "nothing outside the embed"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn about_tells_what_is_served_in_english_and_chinese() {
    let h = Harness::start().await;
    let counts = seed_library().counts();
    let en = h.command(&ALICE, "about", &[]).await;
    let e = embed(&en);
    assert_eq!(e["title"], "About lectern");
    let field = |name: &str| {
        e["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no field {name}"))["value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(field("Talks"), counts.talks.to_string());
    assert_eq!(field("Sections"), counts.sections.to_string());
    assert_eq!(field("Quotes"), counts.quotes.to_string());
    // Each talk: a field named after it with its source and one-line summary, then its key
    // points, risks and related topics (issue 11).
    let seed = seed_library();
    assert!(field(&seed.talks()[0].title).contains(SOURCE));
    assert!(field("Key points").contains("承认 GPT-5 偏科失误"));
    assert!(field("Risks").contains("生物安全威胁"));
    assert!(field("Related topics").contains("memory"));
    assert_eq!(
        field("Version"),
        format!("lectern {}", env!("CARGO_PKG_VERSION"))
    );
    assert!(e["description"].as_str().unwrap().contains("/topic"));
    let zh = h.command(&LI, "about", &[]).await;
    assert_eq!(embed(&zh)["title"], "关于 lectern");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn reload_is_for_operators_only_and_keeps_the_old_library_when_a_file_is_broken() {
    let seeds = seeds_copy();
    let dir = seeds.path().to_path_buf();
    let h = Harness::start_with(Registration::Accept, move |c| {
        c.content.seeds_dir = dir;
        c.admin.user_ids = vec![MEI.id];
    })
    .await;

    let refused = h.command(&ALICE, "reload", &[]).await;
    assert_eq!(refused["type"], 4);
    assert!(is_ephemeral(&refused));
    assert_eq!(
        embed(&refused)["description"],
        "Only lectern's operators can reload the talks, since every server shares them: the bot's owner or team, the users its host named, members who manage the host's own servers."
    );

    // A member with Manage Server of an operators' guild: deferred (ephemeral), then the
    // report edits the answer. Nothing changed in the folder, and the report says so.
    let edit = reload_report(&h, h.slash(&ADMIN, "reload", &[])).await;
    let report = &edit["embeds"][0];
    assert_eq!(report["title"], "Reload");
    assert!(
        report["description"]
            .as_str()
            .unwrap()
            .starts_with("Nothing changed"),
        "{report}"
    );
    assert_eq!(edit["allowed_mentions"]["parse"], json!([]));

    // A user listed in admin.user_ids, without the permission; a broken file keeps the old
    // library in service and the report names it.
    std::fs::write(seeds.path().join("broken.md"), "").unwrap();
    let edit = reload_report(&h, h.slash(&MEI, "reload", &[])).await;
    let report = &edit["embeds"][0];
    assert!(
        report["description"]
            .as_str()
            .unwrap()
            .starts_with("未重新載入：部分檔案有問題"),
        "{report}"
    );
    assert!(report.to_string().contains("broken.md"), "{report}");
    let still = h.command(&ALICE, "topic", &[("section", "13")]).await;
    assert_eq!(embed(&still)["title"], S13);

    // force:true (a boolean option) puts what did load in service.
    let force = vec![json!({"name": "force", "type": 5, "value": true})];
    let edit = reload_report(&h, h.slash_with(&ADMIN, "reload", force)).await;
    let report = &edit["embeds"][0];
    assert!(
        report["description"]
            .as_str()
            .unwrap()
            .starts_with("Reloaded with problems (forced)"),
        "{report}"
    );
    let metrics = h.plugin.ops().metrics.encode(&h.plugin.ops().status);
    assert!(metric(&metrics, "lectern_reloads_total", &["outcome=\"applied\""]) == Some(1.0));
    assert!(metric(&metrics, "lectern_reloads_total", &["outcome=\"kept_old\""]) == Some(1.0));
    assert!(metric(&metrics, "lectern_reloads_total", &["outcome=\"forced\""]) == Some(1.0));
    h.stop().await;
}

/// Sends a `/reload`, checks that it is deferred ephemerally, and returns the edit that
/// carries the report.
pub async fn reload_report(h: &Harness, payload: Value) -> Value {
    let before = h.fake.requests().len();
    let deferred = h.interact(payload).await;
    assert_eq!(deferred["type"], 5);
    assert!(is_ephemeral(&deferred));
    let edit = h
        .fake
        .wait_for("the reload report", |f| {
            f.requests()[before..]
                .iter()
                .find(|r| r.method == "PATCH" && r.path.ends_with("/messages/@original"))
                .cloned()
        })
        .await;
    edit.body
}

/// The value of the sample of `name` whose labels include all of `labels`.
fn metric(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")))
        .find(|l| labels.iter().all(|want| l.contains(want)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test(flavor = "current_thread")]
async fn readiness_follows_the_gateway_and_metrics_count_the_interactions() {
    let h = Harness::start().await;
    let status = Arc::clone(&h.plugin.ops().status);
    tokio::time::timeout(super::fake_discord::PATIENCE, async {
        while !status.gateway_connected() {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the bot reports the gateway connected");
    assert!(h.plugin.ops().not_ready_reasons().is_empty());

    let reply = h.command(&ALICE, "topic", &[("section", "13")]).await;
    h.command(&ALICE, "topic", &[("section", "1")]).await;
    h.command(&ALICE, "topic", &[("section", "qqqq xxxx zzzz")])
        .await;
    h.autocomplete(&ALICE, "topic", "section", "生物").await;
    h.press(
        &BOB,
        &reply,
        button(&reply, "Next ▶")["custom_id"].as_str().unwrap(),
    )
    .await;
    // The bot counts an interaction once its answer is sent, which is just after the fake
    // has seen it: wait until the last one is counted (the timeout is only a guard).
    let text = tokio::time::timeout(super::fake_discord::PATIENCE, async {
        loop {
            let text = h.plugin.ops().metrics.encode(&status);
            if text.contains("command=\"component\"") {
                return text;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the press is counted");
    let count = |labels: &[&str]| metric(&text, "lectern_commands_total", labels);
    assert_eq!(
        count(&["command=\"topic\"", "outcome=\"ok\""]),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        count(&["command=\"topic\"", "outcome=\"user_error\""]),
        Some(1.0)
    );
    assert_eq!(
        count(&["command=\"component\"", "outcome=\"user_error\""]),
        Some(1.0)
    );
    assert_eq!(
        count(&["command=\"autocomplete\"", "outcome=\"ok\""]),
        Some(1.0)
    );
    let seen = |kind: &str| {
        metric(
            &text,
            "lectern_interaction_duration_seconds_count",
            &[&format!("kind=\"{kind}\"")],
        )
    };
    assert_eq!(seen("command"), Some(3.0));
    assert_eq!(seen("autocomplete"), Some(1.0));
    assert_eq!(seen("component"), Some(1.0));
    assert_eq!(
        metric(&text, "lectern_gateway_connected", &["shard=\"0\""]),
        Some(1.0),
        "a gauge per shard: {text}"
    );

    let bot = h.plugin.clone();
    h.stop().await;
    assert!(!bot.ops().status.gateway_connected());
    assert_eq!(bot.ops().not_ready_reasons(), ["gateway not connected"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_failing_command_gets_an_ephemeral_apology_and_the_log_gets_its_id() {
    let h = Harness::start().await;
    // Discord never sends this (the option is required), so poise cannot parse it.
    let payload = h.slash(&LI, "topic", &[]);
    let id = payload["id"].as_str().unwrap().to_string();
    let apology = h.interact(payload).await;
    assert_eq!(apology["type"], 4);
    assert!(is_ephemeral(&apology));
    assert_eq!(description(&apology), "抱歉，出了点问题。请稍后再试。");
    let logs = h.stop().await;
    assert!(
        logs.lines()
            .any(|l| l.contains("command failed") && l.contains(&id)),
        "{logs}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn commands_work_in_direct_messages_and_reload_there_needs_the_admin_list() {
    let h = Harness::start().await;
    let topic = h
        .interact(FakeDiscord::in_dm(h.slash(
            &LI,
            "topic",
            &[("section", "13")],
        )))
        .await;
    assert_eq!(embed(&topic)["title"], S13);
    let next = button(&topic, "下一节 ▶");
    let mut press = FakeDiscord::in_dm(h.slash(&LI, "x", &[]));
    press["type"] = json!(3);
    press["data"] = json!({"custom_id": next["custom_id"], "component_type": 2});
    press["message"] = super::fake_discord::message_json(&topic["data"]);
    let pressed = h.interact(press).await;
    assert_eq!(pressed["type"], 7);
    // No member, so no permissions: only admin.user_ids could reload from a DM.
    let refused = h
        .interact(FakeDiscord::in_dm(h.slash(&ADMIN, "reload", &[])))
        .await;
    assert!(is_ephemeral(&refused));
    assert!(
        description(&refused).starts_with("Only lectern's operators"),
        "{refused}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn long_sections_page_and_a_second_talk_has_its_own_buttons() {
    let seeds = seeds_copy();
    let paragraphs: Vec<String> = (1..=6)
        .map(|i| {
            format!(
                "第{i}段。{}",
                "这是一段很长的演讲记录，用来检验分页。".repeat(40)
            )
        })
        .collect();
    let long = format!(
        "# 一场很长的演讲\n\n## 1. 很长的一节\n\n{}\n\n## 2. 下一节\n\n短短的正文。\n",
        paragraphs.join("\n\n")
    );
    std::fs::write(
        seeds
            .path()
            .join("z-long-talk-with-a-rather-long-file-name-to-hash.md"),
        long,
    )
    .unwrap();
    let h = Harness::start_on(seeds.path()).await;
    let first = h
        .command(&ALICE, "topic", &[("section", "很长的一节")])
        .await;
    assert_eq!(embed(&first)["title"], "1 · 很长的一节");
    let footer = embed(&first)["footer"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(footer.contains("page 1/"), "{footer}");
    assert_eq!(button(&first, "◁ Page")["disabled"], true);
    let second = h
        .press(
            &ALICE,
            &first,
            button(&first, "Page ▷")["custom_id"].as_str().unwrap(),
        )
        .await;
    assert_eq!(second["type"], 7);
    assert!(
        embed(&second)["footer"]["text"]
            .as_str()
            .unwrap()
            .contains("page 2/")
    );
    assert!(description(&first).starts_with("第1段"));
    assert!(
        description(&second).starts_with("第3段"),
        "{}",
        description(&second)
    );
    let next = h
        .press(
            &ALICE,
            &second,
            button(&second, "Next ▶")["custom_id"].as_str().unwrap(),
        )
        .await;
    assert_eq!(embed(&next)["title"], "2 · 下一节");
    // Two talks: the menu of /topics names the talk of each option.
    let topics = h.command(&ALICE, "topics", &[]).await;
    let options = select_menu(&topics)["options"].as_array().unwrap().clone();
    assert!(options.len() <= 25);
    assert!(
        options.iter().all(|o| o["description"].is_string()),
        "{options:?}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn interactions_are_logged_with_who_where_and_how_and_never_the_token() {
    let h = Harness::start().await;
    h.command(&LI, "topic", &[("section", "13")]).await;
    let logs = h.stop().await;
    let line = logs
        .lines()
        .find(|l| l.contains("interaction answered") && l.contains("command=\"topic\""))
        .unwrap_or_else(|| panic!("no interaction line in {logs}"));
    for field in [
        "user_id=2002",
        &format!("guild_id={GUILD}"),
        "locale=\"zh-CN\"",
        "latency_ms=",
        "outcome=\"ok\"",
    ] {
        assert!(line.contains(field), "{field} missing in {line}");
    }
    assert!(
        !line.contains("生物"),
        "no message content in the log: {line}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn shutdown_closes_the_gateway_and_run_returns() {
    let h = Harness::start().await;
    let logs = h.stop().await;
    assert!(logs.contains("shutting down"), "{logs}");
}

#[test]
fn serve_without_a_token_exits_2_with_a_one_line_hint() {
    let out = super::process::lectern_serve().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("DISCORD_TOKEN") && lines[0].contains("DISCORD_TOKEN_FILE"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_binary_serves_with_a_token_file_and_exits_0_on_sigterm() {
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let secrets = tempfile::tempdir().unwrap();
    let token_file = secrets.path().join("discord_token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let mut served = Served::start(
        &fake,
        [
            ("DISCORD_TOKEN_FILE", token_file.as_os_str()),
            (
                "LECTERN__LOG__FILTER",
                "info,lectern=debug,serenity=warn,poise=warn".as_ref(),
            ),
        ],
    )
    .await;
    let about = fake.command(&MEI, "about", &[]).await;
    assert_eq!(embed(&about)["title"], "關於 lectern");

    let status = served.terminate().await;
    let stderr = served.stderr();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("library loaded") && stderr.contains("gateway closed"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN), "the token is in the log");
    assert!(!stderr.contains("Failed to cleanly shutdown"), "{stderr}");
    fake.wait_for("the gateway connection to close", |f| {
        (f.closed_connections() >= 1).then_some(())
    })
    .await;
    assert_eq!(fake.problems(), Vec::<String>::new());
}

/// Discord rejects a whole message with 50035 "Not a well formed URL" when one embed URL is no
/// absolute http(s) URL (issue 11); the fake does the same, so a bad URL cannot pass a test.
#[tokio::test(flavor = "current_thread")]
async fn the_fake_rejects_a_malformed_url_as_discord_does() {
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let client = reqwest::Client::new();
    let post = |url: &str, image: &str| {
        let body = json!({"type": 4, "data": {
            "embeds": [{"title": "t", "url": url, "image": {"url": image}}],
            "allowed_mentions": {"parse": []}
        }});
        client
            .post(format!(
                "{}/api/v10/interactions/1/t/callback",
                fake.api_base
            ))
            .json(&body)
            .send()
    };
    let ok = post("https://example.org/a", "https://example.org/i.png")
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 204);
    assert_eq!(fake.problems(), Vec::<String>::new());
    for (url, image) in [
        ("某播客第 42 期", "https://example.org/i.png"),
        ("https://example.org/a", "images/latency.png"),
    ] {
        let bad = post(url, image).await.unwrap();
        assert_eq!(bad.status().as_u16(), 400);
        let answer: Value = bad.json().await.unwrap();
        assert_eq!(answer["code"], 50035, "{answer}");
    }
    assert_eq!(fake.problems().len(), 2, "{:?}", fake.problems());
}

/// The interview with relative images and a source that is no URL: every section opens, and
/// Discord (the fake) accepts every message.
#[tokio::test(flavor = "current_thread")]
async fn a_write_up_with_relative_images_and_a_text_source_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let name = "chinese-podcast-interview.md";
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/layouts")
            .join(name),
        dir.path().join(name),
    )
    .unwrap();
    let h = Harness::start_on(dir.path()).await;
    for s in ["开场", "1", "2", "3", "4", "结语"] {
        let reply = h.command(&LI, "topic", &[("section", s)]).await;
        let e = embed(&reply);
        assert!(e["url"].is_null(), "{s}: {reply}");
        assert!(e["image"].is_null(), "{s}: {reply}");
        assert!(
            e["footer"]["text"]
                .as_str()
                .unwrap()
                .contains("某播客第 42 期"),
            "{s}: {reply}"
        );
    }
    let quote = h.command(&LI, "quote", &[]).await;
    assert!(embed(&quote)["url"].is_null(), "{quote}");
    h.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn two_processes_with_shard_ranges_serve_one_deployment() {
    let fake = FakeDiscord::start(TOKEN, Registration::Accept).await;
    let seeds = seeds_copy();
    let seeds_dir = seeds.path().to_str().unwrap().to_string();
    let process = |shard: &'static str| {
        let mut env = super::sharded_process(shard);
        env.push(("LECTERN__CONTENT__SEEDS_DIR", seeds_dir.clone()));
        env.push(("LECTERN__CONTENT__WATCH", "true".to_string()));
        env
    };
    let mut first = Served::start(&fake, process("0")).await;
    let mut second = Served::start(&fake, process("1")).await;
    fake.wait_for("a session for each shard", |f| {
        let shards = f.shards();
        (shards.contains(&(0, 2)) && shards.contains(&(1, 2))).then_some(())
    })
    .await;
    // Discord routes a guild to shard (guild_id >> 22) % 2: one guild for each process.
    for shard in [0u64, 1] {
        let guild = ((((GUILD >> 22) & !1) | shard) << 22) | (GUILD & ((1 << 22) - 1));
        assert_eq!((guild >> 22) % 2, shard);
        let mut p = fake.slash(&ALICE, "about", &[]);
        p["guild_id"] = json!(guild.to_string());
        let path = super::callback_path(&p);
        fake.dispatch_to_guild(guild, "INTERACTION_CREATE", p);
        fake.wait_request(&format!("the answer on shard {shard}"), |r| {
            r.path == path && r.status < 300
        })
        .await;
    }
    // One seeds folder, watched by both: an edit reloads both.
    let file = std::fs::read_dir(seeds.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n")).unwrap();
    let reloaded = tokio::time::timeout(PATIENCE, async {
        while !(first.stderr().contains("content reloaded")
            && second.stderr().contains("content reloaded"))
        {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(
        reloaded.is_ok(),
        "both reload: {}\n---\n{}",
        first.stderr(),
        second.stderr()
    );
    for served in [&mut first, &mut second] {
        let status = served.terminate().await;
        assert_eq!(status.code(), Some(0), "{}", served.stderr());
    }
    assert_eq!(fake.problems(), Vec::<String>::new());
}
