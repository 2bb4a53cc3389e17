//! Quote cards: one quote typeset as a PNG, for Discord's attachments and `lectern ask quote
//! --card`.
//!
//! A card shows the quote's words, who said them, and the talk's title and date
//! ([`lectern_core::reply::Card`]), on a 960 × 540 canvas: at the 400 pixels Discord shows an
//! embed's image across, the smallest quote text (34 px) is still 14 px high. The words are set
//! as large as they fit (60 px down to 34 px, in steps of 2), then, if they still do not fit,
//! cut at the last line that does, which ends in "…".
//!
//! Mechanism: [`Renderer`] holds one font (the bundled subset of WenQuanYi Micro Hei, or the
//! operator's `card.font_path`); text is cleaned by [`Renderer::prepare`] (a character the font
//! lacks is folded to its compatibility form when the font has that, as `ﬁ` → `fi` or `⼩` →
//! `小`, and left out otherwise: emoji), broken into lines by [`wrap`] (the break opportunities
//! of Unicode's line breaking algorithm, UAX #14: between CJK characters, at spaces in Latin
//! text, never before a closing mark such as `，` `。` `」` `”` or after an opening one such as
//! `「` `“`), laid out by [`Renderer::layout`], then painted with tiny-skia.
//!
//! Invariants: every glyph drawn is one the font has (never its missing glyph, `.notdef`);
//! a card is always [`WIDTH`] × [`HEIGHT`] and every line fits its width.

mod paint;
mod wrap;

use std::path::Path;

use ab_glyph::{Font, FontArc, FontVec, GlyphId, PxScale, ScaleFont};
use lectern_core::reply::Card;
use unicode_normalization::UnicodeNormalization;

pub use wrap::wrap;

/// The card's width, in pixels.
pub const WIDTH: u32 = 960;
/// The card's height, in pixels.
pub const HEIGHT: u32 = 540;
/// The largest size of the quote's words, in pixels.
pub const MAX_SIZE: f32 = 60.0;
/// The smallest size of the quote's words; below it, the words are cut.
pub const MIN_SIZE: f32 = 34.0;

/// The bundled font: WenQuanYi Micro Hei (Apache-2.0), cut to GB2312, Big5 level 1 and Latin by
/// `font/subset.sh` (NOTICE says where it came from).
static BUNDLED: &[u8] = include_bytes!("../font/wqy-microhei-card.ttf");

/// What went wrong loading a font.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The font file could not be read.
    #[error("cannot read the card font {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a font ab_glyph can read (TrueType or OpenType, or a collection).
    #[error("the card font {path} is not a TrueType or OpenType font")]
    Font {
        /// The file.
        path: String,
    },
    /// The PNG could not be written.
    #[error("cannot write the card's PNG: {0}")]
    Png(String),
}

/// Renders cards with one font.
#[derive(Clone)]
pub struct Renderer {
    font: FontArc,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("glyphs", &self.font.glyph_count())
            .finish()
    }
}

impl Default for Renderer {
    fn default() -> Renderer {
        Renderer::bundled()
    }
}

/// One line of text at its place on the card.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text.
    pub text: String,
    /// The size, in pixels.
    pub size: f32,
    /// Where its baseline starts.
    pub x: f32,
    /// The baseline's height from the top.
    pub y: f32,
    /// Its colour, as RGB.
    pub color: [u8; 3],
}

/// A card laid out: every line, and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The quote's lines, then the speaker's, then the talk's.
    pub lines: Vec<Line>,
    /// How many of [`Layout::lines`] are the quote's words.
    pub quote_lines: usize,
    /// The size the words were set at.
    pub quote_size: f32,
    /// Whether the words were cut (the last quote line ends in "…").
    pub cut: bool,
    /// The characters left out because the font has no glyph for them (emoji).
    pub dropped: Vec<char>,
}

const PAD: f32 = 56.0;
const TEXT_X: f32 = PAD + 34.0;
const SPEAKER_SIZE: f32 = 34.0;
const FOOTER_SIZE: f32 = 27.0;
const LINE_HEIGHT: f32 = 1.45;
const INK: [u8; 3] = [0xf4, 0xf1, 0xea];
const ACCENT: [u8; 3] = [0xe8, 0xa3, 0x3d];
const MUTED: [u8; 3] = [0xa9, 0xae, 0xb8];

impl Renderer {
    /// The bundled font's renderer.
    pub fn bundled() -> Renderer {
        let font = FontArc::try_from_slice(BUNDLED).expect("the bundled font is a font");
        Renderer { font }
    }

    /// A renderer with the font at `path` (TrueType, OpenType, or the first font of a
    /// collection), for `card.font_path`.
    pub fn from_file(path: &Path) -> Result<Renderer, CardError> {
        let shown = path.display().to_string();
        let data = std::fs::read(path).map_err(|source| CardError::Read {
            path: shown.clone(),
            source,
        })?;
        let font = FontVec::try_from_vec_and_index(data, 0)
            .map_err(|_| CardError::Font { path: shown })?;
        Ok(Renderer {
            font: FontArc::new(font),
        })
    }

    /// The renderer `font_path` asks for: that font, or the bundled one when `None`.
    pub fn from_config(font_path: Option<&Path>) -> Result<Renderer, CardError> {
        font_path.map_or_else(|| Ok(Renderer::bundled()), Renderer::from_file)
    }

    /// Whether the font has a glyph for `c` (other than its missing glyph).
    pub fn has(&self, c: char) -> bool {
        self.font.glyph_id(c) != GlyphId(0)
    }

    /// `text` as the card sets it: whitespace and control characters collapsed to single
    /// spaces; a character the font lacks replaced by its compatibility decomposition (NFKC)
    /// when the font has every character of that, else left out and returned in the second
    /// list.
    pub fn prepare(&self, text: &str) -> (String, Vec<char>) {
        let mut out = String::with_capacity(text.len());
        let mut dropped = Vec::new();
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() {
                space = !out.is_empty();
                continue;
            }
            let mut push = |c: char, out: &mut String| {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(c);
            };
            if self.has(c) {
                push(c, &mut out);
                continue;
            }
            let folded: String = std::iter::once(c).nfkc().collect();
            if folded != c.to_string() && !folded.is_empty() && folded.chars().all(|f| self.has(f))
            {
                for f in folded.chars() {
                    push(f, &mut out);
                }
            } else {
                dropped.push(c);
            }
        }
        (out, dropped)
    }

    /// The width of `text` set at `size` pixels, kerning included.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let font = self.font.as_scaled(PxScale::from(size));
        let mut w = 0.0;
        let mut last = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(prev) = last {
                w += font.kern(prev, id);
            }
            w += font.h_advance(id);
            last = Some(id);
        }
        w
    }

    /// `text` as one line at `size`, cut with "…" if it is wider than `width`.
    fn one_line(&self, text: &str, size: f32, width: f32) -> String {
        if self.width(text, size) <= width {
            return text.to_string();
        }
        self.ellipsis(text, size, width)
    }

    /// `text` shortened until it and a final "…" fit `width`.
    fn ellipsis(&self, text: &str, size: f32, width: f32) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        loop {
            let kept: String = chars.iter().collect();
            let kept = kept.trim_end_matches(|c: char| c.is_whitespace() || is_soft_end(c));
            let line = format!("{kept}…");
            if chars.is_empty() || self.width(&line, size) <= width {
                return line;
            }
            chars.pop();
        }
    }

    /// Where every line of `card` goes.
    pub fn layout(&self, card: &Card) -> Layout {
        let width = WIDTH as f32 - TEXT_X - PAD;
        let (text, mut dropped) = self.prepare(&card.text);
        let mut lines = Vec::new();
        // The bottom: the talk's title and date, and above it who spoke.
        let footer_y = HEIGHT as f32 - PAD + 8.0;
        let (title, more) = self.prepare(&card.title);
        dropped.extend(more);
        // The date always shows: a long title is cut to leave it room.
        let footer = match card.date.as_deref().map(|d| self.prepare(d)) {
            Some((date, more)) if !date.is_empty() => {
                dropped.extend(more);
                let date = format!(" · {date}");
                let room = width - self.width(&date, FOOTER_SIZE);
                format!("{}{date}", self.one_line(&title, FOOTER_SIZE, room))
            }
            _ => self.one_line(&title, FOOTER_SIZE, width),
        };
        let mut bottom = vec![Line {
            text: footer,
            size: FOOTER_SIZE,
            x: TEXT_X,
            y: footer_y,
            color: MUTED,
        }];
        let mut words_bottom = footer_y - FOOTER_SIZE - 22.0;
        if let Some(speaker) = &card.speaker {
            let (speaker, more) = self.prepare(speaker);
            dropped.extend(more);
            let speaker_y = footer_y - FOOTER_SIZE - 24.0;
            bottom.insert(
                0,
                Line {
                    text: self.one_line(&format!("— {speaker}"), SPEAKER_SIZE, width),
                    size: SPEAKER_SIZE,
                    x: TEXT_X,
                    y: speaker_y,
                    color: ACCENT,
                },
            );
            words_bottom = speaker_y - SPEAKER_SIZE - 30.0;
        }
        // The words: the largest size at which they fit, else the smallest, cut.
        let area = words_bottom - PAD;
        let mut size = MAX_SIZE;
        let (mut words, cut) = loop {
            let step = size * LINE_HEIGHT;
            let wrapped = wrap(self, &text, size, width);
            let fits = wrapped.len() as f32 * step - (step - size) <= area;
            if fits {
                break (wrapped, false);
            }
            if size - 2.0 < MIN_SIZE {
                // Lines that fit: n lines take (n - 1) steps and one size.
                let n = (((area - size) / step).floor() as usize + 1).max(1);
                let mut kept: Vec<String> = wrapped.into_iter().take(n).collect();
                if let Some(last) = kept.last_mut() {
                    *last = self.ellipsis(last, size, width);
                }
                break (kept, true);
            }
            size -= 2.0;
        };
        if words.is_empty() {
            words.push(String::new());
        }
        let step = size * LINE_HEIGHT;
        let height = words.len() as f32 * step - (step - size);
        // Centred in the space above the speaker.
        let top = PAD + (area - height).max(0.0) / 2.0;
        let quote_lines = words.len();
        for (i, w) in words.into_iter().enumerate() {
            lines.push(Line {
                text: w,
                size,
                x: TEXT_X,
                // A CJK glyph's top stands about 0.88 of the size above its baseline.
                y: top + size * 0.88 + i as f32 * step,
                color: INK,
            });
        }
        lines.extend(bottom);
        Layout {
            lines,
            quote_lines,
            quote_size: size,
            cut,
            dropped,
        }
    }

    /// The card of `card`, painted.
    pub fn render_pixmap(&self, card: &Card) -> tiny_skia::Pixmap {
        paint::paint(self, &self.layout(card))
    }

    /// The card of `card`, as a PNG file's bytes.
    pub fn render(&self, card: &Card) -> Result<Vec<u8>, CardError> {
        self.render_pixmap(card)
            .encode_png()
            .map_err(|e| CardError::Png(e.to_string()))
    }

    fn font(&self) -> &FontArc {
        &self.font
    }
}

/// Punctuation a cut line should not end on before its "…" (a comma, a colon, a dash).
fn is_soft_end(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '，' | '、' | '；' | '：' | '—' | '-')
}

#[cfg(test)]
mod tests;
