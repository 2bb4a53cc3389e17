//! Every quote of the bundled seed and of the test fixtures, drawn as a card in both scripts
//! (as written, and converted for zh-TW readers): no character may fall back to the font's
//! missing glyph. Emoji, which the font has none of, are the only characters left out.

use std::path::{Path, PathBuf};

use lectern_card::Renderer;
use lectern_core::i18n::Lang;
use lectern_core::library::{Library, LoadOptions};
use lectern_core::reply::{Card, script};

/// Emoji and their joiners, selectors and skin tones: what may be left out.
fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE00..=0xFE0F | 0x200D | 0x20E3
        | 0xE0020..=0xE007F)
}

fn folders() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = vec![root.join("seeds")];
    for sub in ["formats", "layouts", "real", "quotes"] {
        dirs.push(root.join("tests/fixtures").join(sub));
    }
    dirs.into_iter().filter(|d| d.is_dir()).collect()
}

#[test]
fn every_quote_of_the_seed_and_the_fixtures_is_drawn_with_the_fonts_own_glyphs() {
    let r = Renderer::bundled();
    let mut cards = 0;
    let mut emoji = 0;
    for dir in folders() {
        let lib = Library::load(&dir, &LoadOptions::default()).library;
        for q in lib.quote_refs() {
            let card = Card::of(&lib, q).expect("a quote of the library");
            for lang in [Lang::Zh, Lang::ZhTw] {
                let reply = script::in_script(
                    lectern_core::reply::with_card(
                        lectern_core::reply::Reply::default(),
                        card.clone(),
                    ),
                    lang,
                );
                let shown = reply.card.expect("the card survives the script");
                let layout = r.layout(&shown);
                for c in &layout.dropped {
                    assert!(
                        is_emoji(*c),
                        "{}: U+{:04X} {c:?} has no glyph in {:?}",
                        dir.display(),
                        *c as u32,
                        shown.text
                    );
                    emoji += 1;
                }
                for line in &layout.lines {
                    for c in line.text.chars().filter(|c| !c.is_whitespace()) {
                        assert!(r.has(c), "{c:?} drawn as .notdef in {:?}", line.text);
                    }
                }
                // Drawn, not only laid out: the painting is what is sent.
                let pixmap = r.render_pixmap(&shown);
                assert_eq!(pixmap.width(), lectern_card::WIDTH);
                cards += 1;
            }
        }
    }
    assert!(cards > 100, "only {cards} cards: the fixtures moved?");
    println!("{cards} cards, {emoji} emoji left out");
}
