//! Line breaking: where a text may break (UAX #14, by `unicode-linebreak`), and the greedy
//! choice of those breaks that fills each line.
//!
//! UAX #14 is what makes both scripts right: a break is allowed between two CJK ideographs,
//! after a space in Latin text, and never before closing punctuation (`，。、」』）”` are
//! classes CL, CP, and QU, which stay on the line before) nor after opening punctuation
//! (`「『（“`, OP and QU, which go to the line after), nor inside `……` or `——`. A word wider than
//! a whole line (a long URL) is the one thing broken between any two characters.

use unicode_linebreak::{BreakOpportunity, linebreaks};

use crate::Renderer;

/// `text` broken into lines no wider than `width` at `size` pixels. Spaces at a break are
/// dropped; a mandatory break (a newline) always breaks.
pub fn wrap(r: &Renderer, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut start = 0;
    for (end, kind) in linebreaks(text) {
        let segment = &text[start..end];
        start = end;
        let candidate = format!("{line}{segment}");
        if r.width(candidate.trim_end(), size) <= width {
            line = candidate;
        } else {
            if !line.trim_end().is_empty() {
                lines.push(line.trim_end().to_string());
            }
            line = String::new();
            // A segment wider than the line on its own: broken between characters.
            for c in segment.chars() {
                let next = format!("{line}{c}");
                if !line.is_empty() && r.width(next.trim_end(), size) > width {
                    lines.push(line.trim_end().to_string());
                    line = c.to_string();
                } else {
                    line = next;
                }
            }
        }
        if kind == BreakOpportunity::Mandatory && end < text.len() {
            lines.push(line.trim_end().to_string());
            line = String::new();
        }
    }
    if !line.trim_end().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}
