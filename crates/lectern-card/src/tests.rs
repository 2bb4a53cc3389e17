use super::*;

fn card(text: &str) -> Card {
    Card {
        text: text.into(),
        speaker: Some("Sam Altman".into()),
        title: "Sam Altman 与开发者的一小时：GPT-5 的坦白、招聘放缓、以及 2026 年最担心的事".into(),
        date: Some("2026-01-27".into()),
    }
}

/// Opening marks that must not end a line, closing marks that must not start one.
const NO_END: &[char] = &['「', '『', '（', '“', '‘', '《', '('];
const NO_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '」', '』', '）', '”', '’', '》', ',', '.', ';', ':',
    '?', '!', ')', '…',
];

fn check_lines(lines: &[String]) {
    for pair in lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let end = a.chars().last().unwrap();
        let start = b.chars().next().unwrap();
        assert!(!NO_END.contains(&end), "{a:?} ends with an opening mark");
        assert!(
            !NO_START.contains(&start),
            "{b:?} starts with a closing mark"
        );
    }
}

#[test]
fn chinese_breaks_between_characters_and_never_before_closing_punctuation() {
    let r = Renderer::bundled();
    let text = "我越来越相信我们是在工具的边界上思考。我们应该做工具来帮人想出好点子，「而不是替人想」，这才是软件真正的价值所在。";
    for size in [60.0, 48.0, 34.0] {
        // A width at which a line ends just before a comma or a full stop, if nothing stops it.
        for width in (300..820).step_by(7) {
            let lines = wrap(&r, text, size, width as f32);
            assert!(lines.len() > 1);
            assert_eq!(
                lines.concat(),
                text,
                "nothing lost or added at {size}/{width}"
            );
            for l in &lines {
                assert!(
                    r.width(l, size) <= width as f32 + 0.01,
                    "{l:?} wider than {width}"
                );
            }
            check_lines(&lines);
        }
    }
}

#[test]
fn latin_breaks_at_spaces_and_keeps_words_whole() {
    let r = Renderer::bundled();
    let text = "Software is going to get dramatically cheaper, and the people who win will be the ones who (still) know what is worth building.";
    let words: Vec<&str> = text.split(' ').collect();
    for width in (300..820).step_by(11) {
        let lines = wrap(&r, text, 40.0, width as f32);
        assert_eq!(lines.join(" "), text, "broken only at spaces at {width}");
        for l in &lines {
            assert!(r.width(l, 40.0) <= width as f32 + 0.01);
            assert!(!l.starts_with(' ') && !l.ends_with(' '));
            for w in l.split(' ') {
                assert!(words.contains(&w), "{w:?} is a piece of a word");
            }
        }
        check_lines(&lines);
    }
}

#[test]
fn mixed_text_keeps_latin_words_whole_inside_chinese() {
    let r = Renderer::bundled();
    let text = "我们在 OpenAI 内部用 Codex 写了大部分代码，GPT-5 让这件事变得“理所当然”。";
    for width in (200..700).step_by(13) {
        let lines = wrap(&r, text, 40.0, width as f32);
        let joined = lines.concat();
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
        for word in ["OpenAI", "Codex", "GPT-5"] {
            assert!(
                lines.iter().any(|l| l.contains(word)),
                "{word} split at {width}: {lines:?}"
            );
        }
        check_lines(&lines);
    }
}

#[test]
fn a_short_quote_is_set_large_and_a_long_one_smaller_then_cut() {
    let r = Renderer::bundled();
    let short = r.layout(&card("软件的成本会大幅下降。"));
    assert_eq!(short.quote_size, MAX_SIZE);
    assert!(!short.cut);
    let medium = r.layout(&card(&"我们应该做工具来帮人想出好点子。".repeat(5)));
    assert!(medium.quote_size < MAX_SIZE && medium.quote_size >= MIN_SIZE);
    assert!(!medium.cut);
    let long_text = "我们应该做工具来帮人想出好点子。".repeat(30);
    let long = r.layout(&card(&long_text));
    assert_eq!(long.quote_size, MIN_SIZE);
    assert!(long.cut);
    let last = &long.lines[long.quote_lines - 1];
    assert!(last.text.ends_with('…'), "{:?}", last.text);
    // Every line is on the card, inside its margins, and the words stay above the speaker.
    let width = WIDTH as f32 - TEXT_X - PAD;
    for l in &long.lines {
        assert!(r.width(&l.text, l.size) <= width + 0.01, "{:?}", l.text);
        assert!(l.y > 0.0 && l.y < HEIGHT as f32);
    }
    let speaker = &long.lines[long.quote_lines];
    assert!(speaker.text.starts_with("— Sam Altman"));
    assert!(last.y + last.size * 0.3 < speaker.y - speaker.size);
    // The date always shows, however long the title.
    let footer = long.lines.last().unwrap();
    assert!(footer.text.ends_with(" · 2026-01-27"), "{:?}", footer.text);
    assert!(footer.text.contains('…'));
}

#[test]
fn what_the_font_lacks_is_folded_or_left_out() {
    let r = Renderer::bundled();
    let (text, dropped) = r.prepare("ﬁne 🔥 work👍⼩\n心");
    assert_eq!(text, "fine work小 心");
    assert_eq!(dropped, vec!['🔥', '👍']);
    assert!(r.has('戶') && r.has('户') && r.has('é') && r.has('…'));
}

#[test]
fn a_card_is_a_png_of_its_size_with_the_words_drawn() {
    let r = Renderer::bundled();
    let png = r.render(&card("软件的成本会大幅下降。")).unwrap();
    let pixmap = tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert_eq!((pixmap.width(), pixmap.height()), (WIDTH, HEIGHT));
    let layout = r.layout(&card("软件的成本会大幅下降。"));
    let line = &layout.lines[0];
    // The ink colour is on the first line's band, and nowhere in the empty top margin.
    let band = |y0: f32, y1: f32| {
        let mut n = 0;
        for y in (y0.max(0.0) as u32)..(y1 as u32) {
            for x in 0..WIDTH {
                let p = pixmap.pixel(x, y).unwrap();
                if p.red() > 0xe0 && p.green() > 0xe0 {
                    n += 1;
                }
            }
        }
        n
    };
    assert!(band(line.y - line.size, line.y) > 500);
    assert_eq!(band(0.0, PAD - 10.0), 0);
}

#[test]
fn another_font_can_be_used_and_a_bad_one_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("lectern-card-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let font = dir.join("font.ttf");
    std::fs::write(&font, BUNDLED).unwrap();
    let r = Renderer::from_file(&font).unwrap();
    assert!(r.has('中'));
    let bad = dir.join("bad.ttf");
    std::fs::write(&bad, b"not a font").unwrap();
    let e = Renderer::from_file(&bad).unwrap_err().to_string();
    assert!(e.contains("bad.ttf") && e.contains("not a TrueType"), "{e}");
    let e = Renderer::from_file(&dir.join("missing.ttf"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("cannot read"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
