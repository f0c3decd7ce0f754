//! Code blocks: monospaced lines on a tinted panel. A source line wider than the panel is
//! wrapped: its continuation lines start under the line's own text plus a hanging indent,
//! after a drawn continuation mark, so a wrapped comment never reads as a new line of code.

use super::super::fonts::{Family, FontStyle};
use super::paragraph::visual_runs;
use super::{Item, Layouter, Prev, VBox, BLACK, CODE_BACKGROUND, GREY};
use std::ops::Range;

/// How much further than the code's own indent its continuation lines start, in columns.
const HANG: usize = 2;

/// Characters after which a code line may be wrapped when there is no space to wrap at.
const BREAK_AFTER: &[char] = &[',', ';', '(', '[', '{', '=', ':', '.', '/', '&', '|', '+'];

/// Characters that, next to each other, make one operator (`==`, `=>`, `::`, `//`, `&&`):
/// a line is not wrapped between two of them.
const OPERATOR: &[char] = &[
    '=', '<', '>', '!', '&', '|', ':', '+', '-', '*', '/', '%', '.', '^', '~', '?',
];

/// A source line of code cut into the lines it is set on.
#[derive(Debug, PartialEq)]
pub(super) struct WrappedCode {
    /// The characters of the line (leading spaces past half the panel taken off).
    pub chars: Vec<char>,
    /// The part of `chars` set on each line, in order. The spaces a line was wrapped at are
    /// in no part: they would only push the continuation line to the right.
    pub parts: Vec<Range<usize>>,
    /// The column continuation lines start at: the line's own indent plus [`HANG`].
    pub hang: usize,
}

/// Wraps one source line (tabs expanded, no newline) to `columns` columns. Breaks go at
/// spaces where there are any in the second half of the line, else after punctuation there
/// (never inside a number such as `0.06` or `1,000`, never inside an operator), else at the
/// last space or punctuation anywhere; a line is cut inside a token only when the token
/// alone is wider than the line.
pub(super) fn wrap_code_line(line: &str, columns: usize) -> WrappedCode {
    let columns = columns.max(2 * HANG + 4);
    let mut chars: Vec<char> = line.trim_end().chars().collect();
    let lead = chars.iter().take_while(|&&c| c == ' ').count();
    // An indent deeper than half the panel is shown as half the panel: the code still fits.
    let shown_lead = lead.min(columns / 2);
    chars.drain(..lead - shown_lead);
    let hang = (shown_lead + HANG).min(columns / 2);
    let mut parts = Vec::new();
    let mut start = 0;
    let mut room = columns;
    while start < chars.len() {
        if chars.len() - start <= room {
            parts.push(start..chars.len());
            break;
        }
        let cut = code_break(&chars, start, room);
        parts.push(start..cut);
        start = cut;
        while chars.get(start) == Some(&' ') {
            start += 1;
        }
        room = columns - hang;
    }
    WrappedCode { chars, parts, hang }
}

/// Where to end the line that starts at `start` and holds at most `room` characters (the
/// line is longer than that).
fn code_break(chars: &[char], start: usize, room: usize) -> usize {
    let limit = start + room;
    // The line's own indent is never a break: a line holds some of the code.
    let text_start = (start..limit)
        .find(|&i| chars[i] != ' ')
        .unwrap_or(limit - 1);
    // Not after a token of operators alone (`#`, `//`, `=`, `+`): a comment's marker stays
    // with its text, and an operator goes to the line it begins (`x` / `+ y`).
    let is_space_break = |cut: usize| {
        let token_start = chars[..cut]
            .iter()
            .rposition(|&c| c == ' ')
            .map_or(0, |i| i + 1);
        let token = &chars[token_start..cut];
        chars[cut] == ' '
            && !token.is_empty()
            && !token.iter().all(|c| OPERATOR.contains(c) || *c == '#')
    };
    let is_punctuation_break = |cut: usize| {
        let (before, after) = (chars[cut - 1], chars[cut]);
        let in_number = cut >= 2
            && chars[cut - 2].is_ascii_digit()
            && after.is_ascii_digit()
            && matches!(before, '.' | ',' | '_' | ':' | '/');
        BREAK_AFTER.contains(&before) && after != ' ' && !OPERATOR.contains(&after) && !in_number
    };
    let candidates = (text_start + 1..=limit).rev();
    let half = start + room / 2;
    let latest = |test: &dyn Fn(usize) -> bool, from: usize| {
        candidates
            .clone()
            .filter(|&cut| cut > from)
            .find(|&cut| test(cut))
    };
    latest(&is_space_break, half)
        .or_else(|| latest(&is_punctuation_break, half))
        .or_else(|| latest(&|cut| is_space_break(cut) || is_punctuation_break(cut), 0))
        .unwrap_or(limit)
}

impl Layouter<'_, '_, '_> {
    pub(super) fn code(&mut self, text: &str, x: f32, width: f32) {
        let size = self.geo.size * 0.85;
        let leading = size * 1.35;
        let face = self.shaper.fonts.face_for(FontStyle {
            family: Family::Mono,
            bold: false,
            italic: false,
        });
        let pad = size * 0.6;
        let inner = (width - 2.0 * pad).max(size * 4.0);
        let char_width = self.shaper.width("0", face) * size;
        let columns = ((inner / char_width.max(0.1)).floor() as usize).max(8);
        // Each set line: its text and the column it starts at (0 for a source line's first).
        let mut lines: Vec<(String, Option<usize>)> = Vec::new();
        for source in text.split('\n') {
            let wrapped = wrap_code_line(&source.replace('\t', "    "), columns);
            if wrapped.parts.is_empty() {
                lines.push((String::new(), None));
            }
            for (k, part) in wrapped.parts.iter().enumerate() {
                let piece: String = wrapped.chars[part.clone()].iter().collect();
                lines.push((piece, (k > 0).then_some(wrapped.hang)));
            }
        }
        let total = lines.len();
        for (i, (line, hang)) in lines.iter().enumerate() {
            let top_pad = if i == 0 { pad * 0.8 } else { 0.0 };
            let bottom_pad = if i + 1 == total { pad * 0.8 } else { 0.0 };
            let height = leading + top_pad + bottom_pad;
            let mut items = vec![Item::Rect {
                x,
                y: 0.0,
                w: width,
                h: height,
                fill: Some(CODE_BACKGROUND),
                stroke: None,
            }];
            let baseline = top_pad + leading * 0.75;
            let left = x + pad + hang.unwrap_or(0) as f32 * char_width;
            if let Some(hang) = *hang {
                let mark_x = x + pad + (hang - HANG) as f32 * char_width;
                items.extend(continuation_mark(mark_x, baseline, char_width, size));
            }
            if !line.is_empty() {
                // A line of code may hold other scripts (a comment in Chinese, a string in
                // Hebrew): each piece in a face that has it, in the order a reader sees it.
                items.extend(
                    visual_runs(self.shaper, line, face, size, BLACK, false).at(left, baseline),
                );
            }
            self.boxes.push(VBox {
                height,
                space_before: if i == 0 { self.geo.leading * 0.5 } else { 0.0 },
                items,
                keep_with_next: i == 0 || i + 2 == total,
                bars: self.bars.clone(),
                ..VBox::default()
            });
        }
        self.prev = Prev::Other;
    }
}

/// The mark before a continuation line, a hooked arrow (↳) drawn in the [`HANG`] columns
/// from `x`. Drawn, not set: the bundled fonts have no ↪ or ↳, and a drawn mark is not
/// copied with the code.
fn continuation_mark(x: f32, baseline: f32, char_width: f32, size: f32) -> Vec<Item> {
    let stroke = size * 0.06;
    let left = x + char_width * 0.35;
    let tip = x + char_width * (HANG as f32 - 0.3);
    let (top, arm) = (baseline - size * 0.62, baseline - size * 0.28);
    let head = size * 0.16;
    let line = |x1: f32, y1: f32, x2: f32, y2: f32| Item::Line {
        x1,
        y1,
        x2,
        y2,
        width: stroke,
        color: GREY,
    };
    vec![
        line(left, top, left, arm),
        line(left, arm, tip, arm),
        line(tip - head, arm - head, tip, arm),
        line(tip - head, arm + head, tip, arm),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(line: &str, columns: usize) -> Vec<String> {
        let wrapped = wrap_code_line(line, columns);
        wrapped
            .parts
            .iter()
            .map(|p| wrapped.chars[p.clone()].iter().collect())
            .collect()
    }

    #[test]
    fn code_wraps_at_spaces_then_punctuation_and_never_inside_a_number() {
        assert_eq!(
            parts(
                "    x = f(albedo=0.06, emissivity=0.95)  # the grey body",
                24
            ),
            [
                "    x = f(albedo=0.06,",
                "emissivity=0.95)",
                "# the grey body"
            ]
        );
        // A comment's marker stays with its text.
        assert_eq!(parts("x = 1  # comment", 12), ["x = 1", "# comment"]);
        // No space in reach: after punctuation, but not inside 0.06 or ==.
        assert_eq!(
            parts("call(albedo=0.06,k==1)", 15),
            ["call(albedo=", "0.06,k==1)"]
        );
        // A token longer than the line is cut where the line ends.
        assert_eq!(parts("abcdefghijklmnop", 10), ["abcdefghij", "klmnop"]);
        assert_eq!(wrap_code_line("    abc", 40).hang, 6);
        assert!(wrap_code_line("", 40).parts.is_empty());
    }
}
