//! Painting a laid-out card: the background and its accent bar with tiny-skia, each glyph's
//! coverage (rasterised by ab_glyph) blended onto it.

use ab_glyph::{Font, PxScale, ScaleFont, point};
use tiny_skia::{Color, Paint, Pixmap, Rect, Transform};

use crate::{HEIGHT, Layout, PAD, Renderer, WIDTH};

const BACKGROUND: [u8; 3] = [0x1f, 0x23, 0x2b];
const BAR: [u8; 3] = [0xe8, 0xa3, 0x3d];

/// `layout` painted on a new card.
pub(crate) fn paint(r: &Renderer, layout: &Layout) -> Pixmap {
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).expect("a card's size is not zero");
    let [br, bg, bb] = BACKGROUND;
    pixmap.fill(Color::from_rgba8(br, bg, bb, 255));
    // The bar beside the words, as a blockquote's.
    if let (Some(first), Some(last)) = (
        layout.lines.first(),
        layout.lines.get(layout.quote_lines.saturating_sub(1)),
    ) {
        let top = first.y - first.size * 0.9;
        let bottom = last.y + last.size * 0.2;
        if let Some(rect) = Rect::from_ltrb(PAD, top, PAD + 6.0, bottom) {
            let mut paint = Paint::default();
            let [r, g, b] = BAR;
            paint.set_color_rgba8(r, g, b, 255);
            pixmap.fill_rect(rect, &paint, Transform::identity(), None);
        }
    }
    for line in &layout.lines {
        draw_line(r, &mut pixmap, line);
    }
    pixmap
}

/// One line's glyphs, from its baseline's start.
fn draw_line(r: &Renderer, pixmap: &mut Pixmap, line: &crate::Line) {
    let font = r.font().as_scaled(PxScale::from(line.size));
    let (w, h) = (pixmap.width(), pixmap.height());
    let data = pixmap.data_mut();
    let mut x = line.x;
    let mut last = None;
    for c in line.text.chars() {
        let id = font.glyph_id(c);
        if let Some(prev) = last {
            x += font.kern(prev, id);
        }
        last = Some(id);
        let glyph = id.with_scale_and_position(line.size, point(x, line.y));
        x += font.h_advance(id);
        let Some(outline) = r.font().outline_glyph(glyph) else {
            continue; // a space
        };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            if px < 0 || py < 0 || px >= i64::from(w) || py >= i64::from(h) {
                return;
            }
            // Over an opaque background, premultiplied or not is the same: a plain mix.
            let at = ((py as usize) * (w as usize) + px as usize) * 4;
            let c = coverage.clamp(0.0, 1.0);
            for (k, ink) in line.color.iter().enumerate() {
                let d = f32::from(data[at + k]);
                data[at + k] = (d + (f32::from(*ink) - d) * c).round() as u8;
            }
        });
    }
}
