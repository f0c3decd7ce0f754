//! Paragraphs: inline pieces → shaped fragments → Knuth–Plass items → set lines, with
//! hyphenation, soft hyphens, emergency breaks, CJK breaks and bidi reordering.

use super::super::linebreak::FORBID;
use super::*;
use crate::write::breaks::{self, is_wide};
use std::ops::Range;

impl Layouter<'_, '_, '_> {
    /// Sets a paragraph and appends its lines as boxes. `keep` keeps every line with the
    /// next box (headings, title block); otherwise orphan and widow lines are kept with
    /// their neighbours.
    pub(super) fn paragraph_boxes(
        &mut self,
        pieces: &[Piece],
        mut para: ParaStyle,
        space_before: f32,
        keep: bool,
    ) {
        if !self.direction_explicit {
            // Unless the document states its direction, each paragraph takes the direction
            // of its first strong character (UAX #9 rules P2–P3).
            let text: String = pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Text(t, _) => Some(t.as_str()),
                    Piece::Image(..) | Piece::Break => None,
                })
                .collect();
            let rtl = match unicode_bidi::get_base_direction(text.as_str()) {
                unicode_bidi::Direction::Rtl => true,
                unicode_bidi::Direction::Ltr => false,
                unicode_bidi::Direction::Mixed => para.rtl,
            };
            if rtl != para.rtl {
                para.rtl = rtl;
                para.align = match para.align {
                    Align::Left => Align::Right,
                    Align::Right => Align::Left,
                    other => other,
                };
            }
        }
        let lines = self.set_paragraph(pieces, &para);
        let count = lines.len();
        // Links to a very long URI that already have an area in this paragraph.
        let mut long_uris_placed = std::collections::HashSet::new();
        for (i, mut line) in lines.into_iter().enumerate() {
            let (ascent, descent) = (para.size * 0.95, para.size * 0.3);
            // An inline image taller than the text's ascent makes its line taller.
            let above = line
                .fragments
                .iter()
                .filter_map(|(_, f)| f.image.map(|i| i.height + f.style.rise * para.size))
                .fold(ascent, f32::max);
            let baseline = (para.leading - (ascent + descent)) / 2.0 + above;
            let mut items = Vec::new();
            let offset = match para.align {
                Align::Justify | Align::Left => 0.0,
                Align::Center => (para.width - line.width) / 2.0,
                Align::Right => para.width - line.width,
            };
            let offset = if para.align == Align::Justify && para.rtl {
                para.width - line.width
            } else {
                offset
            };
            let mut link_rects: Vec<(usize, f32, f32, f32)> = Vec::new();
            for (fx, frag) in std::mem::take(&mut line.fragments) {
                let x = para.x + offset + fx;
                let rise = frag.style.rise * para.size;
                if let Some(image) = frag.image {
                    items.push(Item::Image {
                        index: image.index,
                        x,
                        y: baseline - rise - image.height,
                        w: image.width,
                        h: image.height,
                    });
                    if let Some(link) = frag.style.link {
                        link_rects.push((link, x, x + frag.width, 0.0));
                    }
                    continue;
                }
                let run = TextRun {
                    x,
                    y: baseline - rise,
                    face: frag.face,
                    size: frag.size,
                    color: frag.style.color,
                    glyphs: frag.glyphs,
                };
                if frag.style.strike {
                    let y = baseline - rise - frag.size * 0.3;
                    items.push(Item::Line {
                        x1: x,
                        y1: y,
                        x2: x + frag.width,
                        y2: y,
                        width: frag.size * 0.06,
                        color: frag.style.color,
                    });
                }
                if let Some(link) = frag.style.link {
                    match link_rects.last_mut() {
                        Some((l, _, x2, _)) if *l == link && x - *x2 < para.size * 1.5 => {
                            *x2 = x + frag.width
                        }
                        _ => link_rects.push((link, x, x + frag.width, 0.0)),
                    }
                }
                items.push(Item::Text(run));
            }
            for (link, x1, x2, _) in link_rects {
                // Each area carries its own copy of the URI into the PDF: a URI of 100,000
                // characters set over a thousand lines would cost lines × length. A long
                // one gets an area on its first line only.
                let long = matches!(self.links.get(link),
                    Some(LinkTarget::Uri(uri)) if uri.len() > MAX_REPEATED_URI);
                if long && !long_uris_placed.insert(link) {
                    continue;
                }
                if let Some(target) = self.links.get(link) {
                    items.push(Item::Link {
                        x: x1,
                        y: baseline - para.size * 0.9,
                        w: x2 - x1,
                        h: para.size * 1.2,
                        target: target.clone(),
                    });
                }
            }
            let keep_with_next = keep || (count > 1 && (i == 0 || i + 2 == count));
            self.boxes.push(VBox {
                height: para.leading + (above - ascent),
                space_before: if i == 0 { space_before } else { 0.0 },
                items,
                keep_with_next,
                weak_keep: line.hyphenated,
                notes: line.notes,
                bars: self.bars.clone(),
                ..VBox::default()
            });
        }
    }

    /// Breaks a paragraph into lines: shaping, hyphenation, total-fit breaking, bidi order.
    pub(super) fn set_paragraph(&mut self, pieces: &[Piece], para: &ParaStyle) -> Vec<SetLine> {
        // 1. Plain text with style spans, note markers replaced by their numbers.
        let mut text = String::new();
        let mut spans: Vec<(usize, usize, RunStyle)> = Vec::new();
        let mut forced: Vec<usize> = Vec::new();
        let mut note_at: Vec<(usize, usize)> = Vec::new();
        let mut soft_hyphens: Vec<usize> = Vec::new();
        // Inline images by where they are in `text`, in order.
        let mut images_at: Vec<(usize, InlineImage)> = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Image(image, style) => {
                    // The object replacement character: line breaking treats it as the
                    // object it stands for. It is never shaped: `images_at` says where it is.
                    let start = text.len();
                    images_at.push((start, *image));
                    text.push(OBJECT);
                    spans.push((start, text.len(), *style));
                }
                Piece::Text(t, style) => {
                    let start = text.len();
                    if let Some(rest) = t.strip_prefix(NOTE_MARK) {
                        let (index, number) = rest.split_once(NOTE_MARK).unwrap_or(("0", rest));
                        note_at.push((start, index.parse().unwrap_or(0)));
                        text.push_str(number);
                    } else {
                        for c in t.chars() {
                            // Collapse what the model guarantees is collapsed; drop controls.
                            // A soft hyphen is the author's hyphenation point, not a glyph.
                            if c == '\n' || c == '\t' {
                                text.push(' ');
                            } else if c == '\u{AD}' {
                                soft_hyphens.push(text.len());
                            } else if !c.is_control() {
                                text.push(c);
                            }
                        }
                    }
                    if text.len() > start {
                        spans.push((start, text.len(), *style));
                    }
                }
                Piece::Break => forced.push(text.len()),
            }
        }
        if text.trim().is_empty() {
            return Vec::new();
        }
        let levels = bidi_levels(&text, para.rtl);
        // 2. Items: boxes for shaped fragments, glue for spaces, penalties for breaks.
        let mut items: Vec<KpItem> = Vec::new();
        let mut contents: Vec<Option<Fragment>> = Vec::new();
        let mut notes_of_item: Vec<(usize, usize)> = Vec::new();
        // The bidi level of each space's glue, by item: a space between a left-to-right
        // and a right-to-left word takes the paragraph's level (UAX #9 rule N2), which
        // decides on which side of the pair it is set.
        let mut space_levels: Vec<(usize, u8)> = Vec::new();
        let hyphen_penalty = 50;
        if para.indent > 0.0 {
            items.push(KpItem::Box { width: para.indent });
            contents.push(None);
        }
        let mut opportunities = breaks::opportunities(&text);
        for &f in &forced {
            if f < text.len() && f > 0 {
                opportunities.push((f, true));
            }
        }
        // Inside a URL, only its own separators are breaks (Unicode's rules miss most).
        let urls = url_ranges(&text, &spans, &self.links);
        if !urls.is_empty() {
            opportunities.retain(|&(at, mandatory)| mandatory || !inside(&urls, at));
            for url in &urls {
                opportunities
                    .extend(url_breaks(&text[url.clone()]).map(|at| (url.start + at, false)));
            }
        }
        // A no-break space between two words is a space a line may not break at, but that
        // stretches and shrinks with the others when the line is justified (CSS Text: it
        // separates words): its word ends there, and the glue after it forbids a break.
        let no_break_spaces: Vec<usize> = text
            .match_indices('\u{A0}')
            .map(|(at, nbsp)| at + nbsp.len())
            .filter(|&after| {
                text[after..]
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_whitespace())
            })
            .filter(|&after| !inside(&urls, after))
            .collect();
        opportunities.extend(no_break_spaces.iter().map(|&after| (after, false)));
        opportunities.sort_by_key(|&(i, m)| (i, !m));
        opportunities.dedup_by_key(|o| o.0);
        let mut seg_start = 0;
        for &(end, mandatory) in &opportunities {
            if end <= seg_start && end != text.len() {
                continue;
            }
            let segment = &text[seg_start..end];
            let word_len = segment.trim_end().len();
            let word_end = seg_start + word_len;
            // The word: one fragment per style span (and per bidi level) it crosses.
            // The word's pieces: one per style span (and per bidi level) it crosses.
            let mut word_pieces: Vec<(usize, usize, RunStyle, u8)> = Vec::new();
            let mut pos = seg_start;
            while pos < word_end {
                let (span_end, style) = span_at(&spans, pos)
                    .map(|(_, e, st)| (e, st))
                    .unwrap_or((word_end, RunStyle::plain(FontStyle::BODY, BLACK)));
                let level = levels.get(pos).copied().unwrap_or(0);
                let mut piece_end = span_end.min(word_end);
                if let Some(change) = (pos..piece_end).find(|&i| {
                    text.is_char_boundary(i) && levels.get(i).copied().unwrap_or(0) != level
                }) {
                    piece_end = change;
                }
                word_pieces.push((pos, piece_end, style, level));
                pos = piece_end.max(pos + 1);
                while pos < word_end && !text.is_char_boundary(pos) {
                    pos += 1;
                }
            }
            // A word wider than the line (a URL, words joined by no-break spaces) may be
            // broken anywhere, whichever of its pieces is wide.
            let image_at = |from: usize| {
                sorted_within(&images_at, from, from + 1, |&(at, _)| at)
                    .first()
                    .map(|&(_, image)| image)
            };
            let word_width: f32 = word_pieces
                .iter()
                .map(|&(from, to, style, _)| {
                    if let Some(image) = image_at(from) {
                        return image.width;
                    }
                    let face = self.shaper.fonts.face_for(style.font);
                    self.shaper.width(text.get(from..to).unwrap_or(""), face)
                        * para.size
                        * style.scale
                })
                .sum();
            let too_wide = word_width > para.width;
            for (k, &(from, to, style, level)) in word_pieces.iter().enumerate() {
                let piece = text.get(from..to).unwrap_or("");
                for (_, index) in sorted_within(&note_at, from, to, |&(at, _)| at) {
                    notes_of_item.push((items.len(), *index));
                }
                if k > 0 && too_wide {
                    items.push(KpItem::Penalty {
                        width: 0.0,
                        penalty: 500,
                        flagged: false,
                    });
                    contents.push(None);
                }
                if let Some(image) = image_at(from) {
                    // The image is one box, as wide as it is set (never wider than the line).
                    let scale = (para.width / image.width).min(1.0);
                    let image = InlineImage {
                        width: image.width * scale,
                        height: image.height * scale,
                        ..image
                    };
                    items.push(KpItem::Box { width: image.width });
                    contents.push(Some(Fragment {
                        glyphs: Vec::new(),
                        face: self.shaper.fonts.face_for(style.font),
                        size: para.size * style.scale,
                        style,
                        width: image.width,
                        level,
                        image: Some(image),
                    }));
                    continue;
                }
                let soft: Vec<usize> = sorted_within(&soft_hyphens, from + 1, to, |&at| at)
                    .iter()
                    .map(|at| at - from)
                    .collect();
                self.push_word(
                    piece,
                    style,
                    level,
                    para,
                    &mut items,
                    &mut contents,
                    (too_wide, &soft, !inside_or_at(&urls, from)),
                );
            }
            let is_end = end >= text.len();
            if mandatory || is_end {
                // The fill glue that lets the line end short is no break itself (TeX's
                // \parfillskip after \penalty10000): a break there would justify the
                // line and leave an empty one after it.
                items.push(KpItem::Penalty {
                    width: 0.0,
                    penalty: FORBID,
                    flagged: false,
                });
                contents.push(None);
                items.push(KpItem::Glue {
                    width: 0.0,
                    stretch: 1e5,
                    shrink: 0.0,
                });
                contents.push(None);
                items.push(KpItem::Penalty {
                    width: 0.0,
                    penalty: FORCE,
                    flagged: false,
                });
                contents.push(None);
            } else if word_len < segment.len() {
                let style = span_at(&spans, word_end)
                    .map(|(_, _, st)| st)
                    .unwrap_or(RunStyle::plain(FontStyle::BODY, BLACK));
                let size = para.size * style.scale;
                let face = self.shaper.fonts.face_for(style.font);
                // As wide as the spaces there: one, or two for a no-break space and a space
                // (`&nbsp; `, as a browser shows them).
                let spaces = segment[word_len..].chars().count() as f32;
                let space = self.shaper.width(" ", face) * size * spaces;
                let (stretch, shrink) = if para.align == Align::Justify {
                    (space * 0.6, space * 0.3)
                } else {
                    (0.0, 0.0)
                };
                if no_break_spaces.binary_search(&end).is_ok() {
                    // Glue after a penalty is no break: the words stay on one line.
                    items.push(KpItem::Penalty {
                        width: 0.0,
                        penalty: FORBID,
                        flagged: false,
                    });
                    contents.push(None);
                }
                space_levels.push((items.len(), levels.get(word_end).copied().unwrap_or(0)));
                items.push(KpItem::Glue {
                    width: space,
                    stretch,
                    shrink,
                });
                contents.push(None);
            } else if word_len > 0
                && (is_ideographic_break(&text[..end], &text[end..])
                    || is_dictionary_break(&text[..end], &text[end..]))
            {
                // Between CJK characters, or between two words of Thai, Lao, Khmer or
                // Myanmar: no space, but a line may break and, when justified, stretch a
                // little here (as much as between the characters inside a word, so all
                // of a justified line's characters are evenly spaced).
                let stretch = if para.align != Align::Justify {
                    0.0
                } else if is_dictionary_break(&text[..end], &text[end..]) {
                    para.size * CLUSTER_STRETCH
                } else {
                    para.size * CJK_STRETCH
                };
                items.push(KpItem::Glue {
                    width: 0.0,
                    stretch,
                    shrink: 0.0,
                });
                contents.push(None);
            } else if word_len > 0 && inside_or_at(&urls, seg_start) {
                // A break in a URL (no hyphen: its own hyphens are characters of it). A line
                // that ends here may end short, as a ragged line does (Knuth and Plass's
                // ragged-right glue, kept from being a break itself): the URL's pieces have
                // no spaces to stretch, and without this a line of URL alone could not be
                // set and the lines around it would open wide gaps instead.
                let rag = para.size * URL_RAG;
                let penalty = |penalty| KpItem::Penalty {
                    width: 0.0,
                    penalty,
                    flagged: false,
                };
                let glue = |stretch| KpItem::Glue {
                    width: 0.0,
                    stretch,
                    shrink: 0.0,
                };
                for item in [penalty(FORBID), glue(rag), penalty(URL_PENALTY), glue(-rag)] {
                    items.push(item);
                    contents.push(None);
                }
            } else if word_len > 0 {
                // A break inside a word (after a hyphen or dash).
                let flagged = segment.ends_with(['-', '\u{2010}', '\u{2013}', '\u{2014}']);
                items.push(KpItem::Penalty {
                    width: 0.0,
                    penalty: if flagged { hyphen_penalty } else { 100 },
                    flagged,
                });
                contents.push(None);
            }
            seg_start = end;
            if is_end {
                break;
            }
        }
        // 3. Breaks.
        let widths = [para.width];
        let breaks = if para.align == Align::Justify {
            // Tight first; looser only when the words leave no choice (long words, no
            // hyphenation patterns); first-fit, stretched, when even that fails.
            [2.0, 5.0, 1e6]
                .iter()
                .find_map(|&tolerance| {
                    let params = Params {
                        tolerance,
                        ..Params::default()
                    };
                    linebreak::break_lines(&items, &widths, &params)
                })
                .unwrap_or_else(|| {
                    let mut breaks = linebreak::break_greedy(&items, &widths);
                    linebreak::set_ratios(&items, &mut breaks, &widths);
                    breaks
                })
        } else {
            linebreak::break_greedy(&items, &widths)
        };
        // 4. Lines. Notes are claimed in item order: `notes_of_item` is sorted by item.
        let mut lines = Vec::new();
        let mut start = 0;
        let mut next_note = 0;
        let has_rtl = levels.iter().any(|l| l % 2 == 1);
        for brk in &breaks {
            let mut line = SetLine::default();
            let mut x = 0.0f32;
            let mut placed: Vec<(f32, Fragment)> = Vec::new();
            let mut gaps_after: Vec<Gap> = Vec::new();
            let end = brk.at.min(items.len());
            for (i, item) in items.iter().enumerate().take(end).skip(start) {
                match *item {
                    KpItem::Box { width } => {
                        // Each item belongs to one line: move its fragment out.
                        if let Some(frag) = contents.get_mut(i).and_then(Option::take) {
                            placed.push((x, frag));
                            gaps_after.push(Gap::default());
                        }
                        x += width;
                    }
                    KpItem::Glue {
                        width,
                        stretch,
                        shrink,
                    } => {
                        let w = if stretch >= 1e4 {
                            width
                        } else if brk.ratio >= 0.0 {
                            width + brk.ratio * stretch
                        } else {
                            width + brk.ratio * shrink
                        };
                        if let Some(g) = gaps_after.last_mut() {
                            g.width += w;
                            if let Ok(k) = space_levels.binary_search_by_key(&i, |s| s.0) {
                                g.level = Some(space_levels[k].1);
                            }
                        }
                        x += w;
                    }
                    KpItem::Penalty { .. } => {}
                }
                // (A note on an item that no line holds, a discarded break, is dropped.)
                while notes_of_item
                    .get(next_note)
                    .is_some_and(|&(item, _)| item < i)
                {
                    next_note += 1;
                }
                while let Some(&(_, note)) = notes_of_item.get(next_note).filter(|n| n.0 == i) {
                    line.notes.push(note);
                    next_note += 1;
                }
            }
            // A hyphen where the line ends inside a word.
            if let Some(KpItem::Penalty { width, .. }) = items.get(brk.at) {
                if *width > 0.0 {
                    if let Some((_, last)) = placed.last() {
                        let hyphen = self.hyphen_fragment(last.style, last.level, para);
                        placed.push((x, hyphen));
                        gaps_after.push(Gap::default());
                        x += width;
                        line.hyphenated = true;
                    }
                }
            }
            // Only a line that ends where the paragraph may break is stretched to the measure:
            // the last line, and one before a forced break, keep their natural width.
            let forced = matches!(items.get(brk.at),
                Some(KpItem::Penalty { penalty, .. }) if *penalty <= FORCE);
            line.width = if para.align == Align::Justify && !forced {
                para.width
            } else {
                x
            };
            if has_rtl {
                placed = reorder_visual(placed, &gaps_after);
            }
            line.fragments = placed;
            lines.push(line);
            start = brk.at + 1;
            while start < items.len() && !matches!(items[start], KpItem::Box { .. }) {
                if let KpItem::Penalty { penalty, .. } = items[start] {
                    if penalty <= FORCE {
                        break;
                    }
                }
                start += 1;
            }
        }
        lines
    }

    pub(super) fn hyphen_fragment(
        &mut self,
        style: RunStyle,
        level: u8,
        para: &ParaStyle,
    ) -> Fragment {
        let size = para.size * style.scale;
        let face = self.shaper.fonts.face_for(style.font);
        let glyphs = self.shaper.shape("-", face, false);
        let placed = place_glyphs("-", &glyphs, size);
        let width = placed.iter().map(|g| g.advance).sum();
        Fragment {
            glyphs: placed,
            face: glyphs.first().map_or(face, |g| g.face),
            size,
            style,
            width,
            level,
            image: None,
        }
    }

    /// Shapes a word (or the part of one in one style) into boxes, with hyphenation
    /// penalties between its syllables and emergency breaks if it is wider than the line.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_word(
        &mut self,
        word: &str,
        style: RunStyle,
        level: u8,
        para: &ParaStyle,
        items: &mut Vec<KpItem>,
        contents: &mut Vec<Option<Fragment>>,
        (word_too_wide, soft_hyphens, hyphenate): (bool, &[usize], bool),
    ) {
        let hyphen_penalty = 50;
        if word.is_empty() {
            return;
        }
        let size = para.size * style.scale;
        let face = self.shaper.fonts.face_for(style.font);
        let rtl = level % 2 == 1;
        let glyphs = self.shaper.shape(word, face, rtl);
        let total: f32 = glyphs.iter().map(|g| g.advance).sum::<f32>() * size;
        // (Right-to-left words come in visual order and are not split.)
        let emergency = (total > para.width || word_too_wide) && !rtl;
        let mut points: Vec<usize> = Vec::new();
        if emergency {
            // Break between grapheme clusters rather than run off the page (the word's
            // hyphenation points are not needed then: it is not looked up). A cluster (an
            // Indic conjunct, a letter and its marks) is never cut.
            points = breaks::grapheme_boundaries(word).collect();
        }
        // Split points: hyphenation inside alphabetic runs (left-to-right text only).
        if !emergency
            && hyphenate
            && para.hyphenate
            && !rtl
            && para.align == Align::Justify
            && style.font.family != Family::Mono
        {
            if !soft_hyphens.is_empty() {
                // The author's soft hyphens replace the patterns (as in TeX).
                points.extend_from_slice(soft_hyphens);
            } else if let Some(h) = self.hyphenation {
                let mut run_start = None;
                for (i, c) in word
                    .char_indices()
                    .chain(std::iter::once((word.len(), ' ')))
                {
                    if c.is_alphabetic() {
                        run_start.get_or_insert(i);
                    } else if let Some(s) = run_start.take() {
                        let syllables = &word[s..i];
                        let found = match self.hyphen_cache.get(syllables) {
                            Some(found) => found.clone(),
                            None => {
                                let found = h.points(syllables);
                                self.hyphen_cache
                                    .insert(syllables.to_string(), found.clone());
                                found
                            }
                        };
                        points.extend(found.into_iter().map(|p| s + p));
                    }
                }
            }
        }
        // A justified CJK line reaches the measure by spacing all its characters alike,
        // also those no line may break between (before "。", after "「"): glue that is no
        // break (it follows a penalty, not a box) between two CJK characters. Thai, Lao,
        // Khmer and Myanmar lines are spaced between their grapheme clusters too, less
        // than at their spaces (CSS Text's clustered scripts), so a line without spaces
        // can be justified without gaps that read as spaces.
        let spaced = |c: char| is_wide(c) || breaks::is_complex_context(c);
        let spacing: Vec<(usize, f32)> = if para.align == Align::Justify && word.chars().any(spaced)
        {
            breaks::grapheme_boundaries(word)
                .filter_map(|at| {
                    let before = word[..at].chars().next_back()?;
                    let after = word[at..].chars().next()?;
                    if is_wide(before) && is_wide(after) {
                        Some((at, para.size * CJK_STRETCH))
                    } else if breaks::is_complex_context(before)
                        && breaks::is_complex_context(after)
                    {
                        Some((at, para.size * CLUSTER_STRETCH))
                    } else {
                        None
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        // Only points that fall on a cluster boundary (not inside a ligature).
        let mut boundaries: Vec<usize> = glyphs.iter().map(|g| g.cluster).collect();
        boundaries.sort_unstable();
        points.retain(|p| boundaries.binary_search(p).is_ok());
        let hyphen_width = if points.is_empty() || emergency {
            0.0
        } else {
            self.shaper.width("-", face) * size
        };
        let mut cut_start = 0usize;
        let mut glyph_start = 0usize;
        let mut cuts: Vec<usize> = points.clone();
        cuts.extend(
            spacing
                .iter()
                .map(|&(at, _)| at)
                .filter(|p| boundaries.binary_search(p).is_ok()),
        );
        cuts.sort_unstable();
        cuts.dedup();
        cuts.push(word.len());
        for (k, &cut) in cuts.iter().enumerate() {
            // Clusters grow along a left-to-right word (only those get points), so the
            // search goes on from the last cut: one pass over the glyphs for all the cuts.
            let glyph_end = if cut >= word.len() {
                glyphs.len()
            } else {
                glyphs[glyph_start..]
                    .iter()
                    .position(|g| g.cluster >= cut)
                    .map_or(glyphs.len(), |p| glyph_start + p)
            };
            if glyph_end <= glyph_start {
                continue;
            }
            let slice = &glyphs[glyph_start..glyph_end];
            let part = &word[cut_start..cut.min(word.len())];
            let texts = cluster_texts(part, &rebase(slice, cut_start));
            let placed: Vec<PlacedGlyph> = slice
                .iter()
                .zip(texts)
                .map(|(g, t)| PlacedGlyph {
                    gid: g.gid,
                    advance: g.advance * size,
                    x_offset: g.x_offset * size,
                    y_offset: g.y_offset * size,
                    text: t.text,
                    actual_text: t.actual,
                })
                .collect();
            // A fallback face may set part of the word: one fragment per face.
            for (f, glyphs) in split_by_face(slice, placed, rtl) {
                let width = glyphs.iter().map(|g| g.advance).sum();
                items.push(KpItem::Box { width });
                contents.push(Some(Fragment {
                    glyphs,
                    face: f,
                    size,
                    style,
                    width,
                    level,
                    image: None,
                }));
            }
            if k + 1 < cuts.len() {
                let breaks_here = points.binary_search(&cut).is_ok();
                items.push(KpItem::Penalty {
                    width: if breaks_here { hyphen_width } else { 0.0 },
                    penalty: match (breaks_here, emergency) {
                        (false, _) => FORBID,
                        (true, true) => 500,
                        (true, false) => hyphen_penalty,
                    },
                    flagged: breaks_here && !emergency,
                });
                contents.push(None);
                if let Ok(i) = spacing.binary_search_by_key(&cut, |&(at, _)| at) {
                    items.push(KpItem::Glue {
                        width: 0.0,
                        stretch: spacing[i].1,
                        shrink: 0.0,
                    });
                    contents.push(None);
                }
            }
            cut_start = cut;
            glyph_start = glyph_end;
        }
    }
}

/// How far a line that ends inside a URL may fall short of the measure, in ems, before
/// its spaces stretch as much as the rag does: such a line is nearly ragged, since the URL's
/// next part, often long, did not fit.
const URL_RAG: f32 = 6.0;

/// The cost of a break inside a URL: as a hyphen's, a little more.
const URL_PENALTY: i32 = 60;

/// Stands for an inline image in a paragraph's text while its lines are broken.
const OBJECT: char = '\u{FFFC}';

/// The byte ranges of `text` that are URLs, in order: words that look like one, and link
/// texts that spell out (part of) their link's URI. Quotes and brackets around a word and
/// the punctuation after it are not part of it.
fn url_ranges(
    text: &str,
    spans: &[(usize, usize, RunStyle)],
    links: &[LinkTarget],
) -> Vec<Range<usize>> {
    let mut urls = Vec::new();
    let mut offset = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        let start = offset;
        offset += token.len();
        let word = token.trim_end();
        let core = word.trim_start_matches(['(', '[', '<', '"', '\'', '“', '‘', '«']);
        let lead = word.len() - core.len();
        let core = core.trim_end_matches([
            '.', ',', ';', ':', '!', '?', ')', ']', '>', '"', '\'', '”', '’', '»',
        ]);
        if core.len() < 4 {
            continue;
        }
        let from = start + lead;
        let spelled_link = || {
            let uri = span_at(spans, from)
                .and_then(|(_, _, style)| style.link)
                .and_then(|link| links.get(link));
            matches!(uri, Some(LinkTarget::Uri(uri)) if core.contains(['.', '/']) && uri.contains(core))
        };
        if looks_like_url(core) || spelled_link() {
            urls.push(from..from + core.len());
        }
    }
    urls
}

/// A word with a scheme (`https://…`), a `www.` host, or a dotted host and a path
/// (`example.org/page`).
fn looks_like_url(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    if let Some((scheme, rest)) = lower.split_once("://") {
        return !rest.is_empty()
            && !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    }
    if lower.starts_with("www.") && lower.len() > 4 {
        return true;
    }
    let (host, path) = lower.split_once('/').unwrap_or((&lower, ""));
    let labels: Vec<&str> = host.split('.').collect();
    !path.is_empty()
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// The byte offsets in a URL where a line may end: after `/`, `.`, `-`, `?`, `&` and `=`,
/// and before `#`. Not inside `//`, nor between two separators, nor inside a number
/// (`v1.2`), nor at either end.
fn url_breaks(url: &str) -> impl Iterator<Item = usize> + '_ {
    const AFTER: &[char] = &['/', '.', '-', '?', '&', '='];
    url.char_indices().skip(1).filter_map(move |(at, after)| {
        let before = url[..at].chars().next_back()?;
        let before_that = url[..at - before.len_utf8()].chars().next_back();
        let in_number = before_that.is_some_and(|c| c.is_ascii_digit()) && after.is_ascii_digit();
        let breaks =
            AFTER.contains(&before) && !AFTER.contains(&after) && after != '#' && !in_number
                || after == '#' && !AFTER.contains(&before);
        breaks.then_some(at)
    })
}

/// Is `at` strictly inside one of the `ranges` (sorted, not overlapping)?
fn inside(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= at);
    ranges.get(i).is_some_and(|r| r.start < at)
}

/// Does one of the `ranges` (sorted, not overlapping) hold byte `at`?
fn inside_or_at(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= at);
    ranges.get(i).is_some_and(|r| r.start <= at)
}

/// The longest URI whose link area is repeated on every line the link covers.
const MAX_REPEATED_URI: usize = 2048;

/// The style span that holds byte `pos`. Spans are in text order and do not overlap, so
/// this is a binary search (a paragraph can have a span per word).
fn span_at(spans: &[(usize, usize, RunStyle)], pos: usize) -> Option<(usize, usize, RunStyle)> {
    let i = spans.partition_point(|&(_, end, _)| end <= pos);
    spans.get(i).copied().filter(|&(start, _, _)| start <= pos)
}

/// The entries of `sorted` (in order of `key`) whose key is in `from..to`.
fn sorted_within<T>(sorted: &[T], from: usize, to: usize, key: impl Fn(&T) -> usize) -> &[T] {
    let first = sorted.partition_point(|t| key(t) < from);
    let end = first + sorted[first..].partition_point(|t| key(t) < to);
    &sorted[first..end]
}

pub(super) fn rebase(glyphs: &[ShapedGlyph], by: usize) -> Vec<ShapedGlyph> {
    glyphs
        .iter()
        .map(|g| ShapedGlyph {
            cluster: g.cluster.saturating_sub(by),
            ..g.clone()
        })
        .collect()
}

pub(super) fn place_glyphs(text: &str, glyphs: &[ShapedGlyph], size: f32) -> Vec<PlacedGlyph> {
    let texts = cluster_texts(text, glyphs);
    glyphs
        .iter()
        .zip(texts)
        .map(|(g, t)| PlacedGlyph {
            gid: g.gid,
            advance: g.advance * size,
            x_offset: g.x_offset * size,
            y_offset: g.y_offset * size,
            text: t.text,
            actual_text: t.actual,
        })
        .collect()
}

pub(super) fn make_run(
    text: &str,
    glyphs: &[ShapedGlyph],
    face: FaceId,
    size: f32,
    color: Color,
    x: f32,
    y: f32,
) -> TextRun {
    // A run is drawn in one face: glyphs from another would be drawn as the wrong letters
    // (their ids mean nothing in this face). Text that may need other faces is set with
    // [`visual_runs`].
    debug_assert!(
        glyphs.iter().all(|g| g.face == glyphs[0].face),
        "a run of one face: {text:?}"
    );
    TextRun {
        x,
        y,
        face: glyphs.first().map_or(face, |g| g.face),
        size,
        color,
        glyphs: place_glyphs(text, glyphs, size),
    }
}

/// Bidi embedding level of every byte of `text` (UAX #9), the paragraph's base level
/// right-to-left if `rtl`; empty when every level is 0 (left-to-right text alone, the
/// common case, costs no bidi analysis).
pub(super) fn bidi_levels(text: &str, rtl: bool) -> Vec<u8> {
    use unicode_bidi::BidiClass::{AL, AN, FSI, LRE, LRI, LRO, R, RLE, RLI, RLO};
    // Only these classes can raise a level above a left-to-right paragraph's 0.
    let raises = |c| {
        matches!(
            unicode_bidi::bidi_class(c),
            R | AL | AN | RLE | RLO | RLI | LRE | LRO | LRI | FSI
        )
    };
    // (No ASCII character raises one: most text needs no table look-up.)
    if !rtl && !text.chars().any(|c| !c.is_ascii() && raises(c)) {
        return Vec::new();
    }
    let base = if rtl {
        unicode_bidi::Level::rtl()
    } else {
        unicode_bidi::Level::ltr()
    };
    let info = unicode_bidi::BidiInfo::new(text, Some(base));
    info.levels.iter().map(|l| l.number()).collect()
}

/// The glyphs of a run shaped in one direction (`glyphs`, and as placed), split where the
/// face changes, the pieces in logical order: the shaper gives right-to-left glyphs in
/// visual order (a Hebrew word and the comma after it in another face: comma first), and
/// a line keeps its pieces in logical order until it is reordered as a whole (UAX #9 L2).
fn split_by_face(
    glyphs: &[ShapedGlyph],
    placed: Vec<PlacedGlyph>,
    rtl: bool,
) -> Vec<(FaceId, Vec<PlacedGlyph>)> {
    // Nearly always one face: the glyphs go on as they are.
    match glyphs.first() {
        None => return Vec::new(),
        Some(first) if glyphs.iter().all(|g| g.face == first.face) => {
            return vec![(first.face, placed)]
        }
        Some(_) => {}
    }
    let mut pieces: Vec<(FaceId, Vec<PlacedGlyph>)> = Vec::new();
    for (g, p) in glyphs.iter().zip(placed) {
        match pieces.last_mut() {
            Some((face, run)) if *face == g.face => run.push(p),
            _ => pieces.push((g.face, vec![p])),
        }
    }
    if rtl {
        pieces.reverse();
    }
    pieces
}

/// A line of plain text (a running header, a line of code, a contents title) set in runs,
/// in visual order from x = 0, not yet placed on the page.
pub(super) struct VisualLine {
    runs: Vec<TextRun>,
    /// From the left edge of the first run to the right edge of the last.
    pub(super) width: f32,
}

impl VisualLine {
    /// The line's runs as page items, its left edge at `x` and on the baseline `baseline`.
    pub(super) fn at(self, x: f32, baseline: f32) -> impl Iterator<Item = Item> {
        self.runs.into_iter().map(move |mut run| {
            run.x += x;
            run.y = baseline;
            Item::Text(run)
        })
    }
}

/// A line of plain text as runs in visual order, with bidi levels from a paragraph in the
/// direction `rtl` and each level's runs shaped in their own direction (so brackets are
/// mirrored in right-to-left runs), each run in a face that has its characters.
pub(super) fn visual_runs(
    shaper: &mut Shaper<'_, '_>,
    text: &str,
    face: FaceId,
    size: f32,
    color: Color,
    rtl: bool,
) -> VisualLine {
    let levels = bidi_levels(text, rtl);
    let level_at = |i: usize| levels.get(i).copied().unwrap_or(0);
    let mut fragments: Vec<(f32, Fragment)> = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let level = level_at(start);
        let end = text[start..]
            .char_indices()
            .map(|(i, _)| start + i)
            .find(|&i| level_at(i) != level)
            .unwrap_or(text.len());
        let piece = &text[start..end];
        let odd = level % 2 == 1;
        let glyphs = shaper.shape(piece, face, odd);
        let placed = place_glyphs(piece, &glyphs, size);
        for (face, glyphs) in split_by_face(&glyphs, placed, odd) {
            let width = glyphs.iter().map(|g| g.advance).sum();
            let fragment = Fragment {
                glyphs,
                face,
                size,
                style: RunStyle::plain(FontStyle::BODY, color),
                width,
                level,
                image: None,
            };
            fragments.push((0.0, fragment));
        }
        start = end;
    }
    let gaps = vec![Gap::default(); fragments.len()];
    let runs: Vec<TextRun> = reorder_visual(fragments, &gaps)
        .into_iter()
        .map(|(x, f)| TextRun {
            x,
            y: 0.0,
            face: f.face,
            size,
            color,
            glyphs: f.glyphs,
        })
        .collect();
    let width = runs.last().map_or(0.0, |run| run.x + run.width());
    VisualLine { runs, width }
}

/// The space a line sets after one of its fragments (the glue up to the next fragment),
/// and the bidi level of the space character it stands for, if it stands for one.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Gap {
    pub(super) width: f32,
    pub(super) level: Option<u8>,
}

/// Puts a line's fragments (logical order, x positions) in visual order, UAX #9 rule L2
/// over the whole line: fragments and the spaces between them are runs of levels, and
/// every maximal run at level ≥ k is reversed, for k from the highest level down to the
/// lowest odd one. A space goes with the fragments its level joins it to (`gaps_after[i]`
/// follows fragment `i`); a gap that stands for no space character (between the pieces of
/// a word, or CJK glue) is as deep as the shallower of its neighbours, so it never parts
/// them. The line's trailing spaces are not in it (rule L1: they end the line, at the
/// paragraph's level, where the break discards them).
pub(super) fn reorder_visual(
    placed: Vec<(f32, Fragment)>,
    gaps_after: &[Gap],
) -> Vec<(f32, Fragment)> {
    if placed.is_empty() {
        return placed;
    }
    // The line as runs: Ok(fragment index) or Err(gap index), each with its level.
    let mut runs: Vec<(Result<usize, usize>, u8)> = Vec::with_capacity(placed.len() * 2);
    for (i, (_, frag)) in placed.iter().enumerate() {
        runs.push((Ok(i), frag.level));
        let Some(next) = placed.get(i + 1) else { break };
        let gap = gaps_after.get(i).copied().unwrap_or_default();
        if gap.width != 0.0 {
            let level = gap.level.unwrap_or(frag.level.min(next.1.level));
            runs.push((Err(i), level));
        }
    }
    let max = runs.iter().map(|r| r.1).max().unwrap_or(0);
    let min_odd = runs
        .iter()
        .map(|r| r.1)
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(max + 1);
    let mut k = max;
    while k >= min_odd {
        let mut i = 0;
        while i < runs.len() {
            if runs[i].1 >= k {
                let j = runs[i..]
                    .iter()
                    .position(|r| r.1 < k)
                    .map_or(runs.len(), |p| i + p);
                runs[i..j].reverse();
                i = j;
            } else {
                i += 1;
            }
        }
        k -= 1;
    }
    let mut slots: Vec<Option<Fragment>> = placed.into_iter().map(|(_, f)| Some(f)).collect();
    let mut x = 0.0;
    let mut out = Vec::with_capacity(slots.len());
    for (run, _) in runs {
        match run {
            Ok(i) => {
                if let Some(frag) = slots[i].take() {
                    let width = frag.width;
                    out.push((x, frag));
                    x += width;
                }
            }
            Err(i) => x += gaps_after[i].width,
        }
    }
    out
}

/// Is the break between `before` and `after` one between CJK characters (which are set
/// without spaces)?
pub(super) fn is_ideographic_break(before: &str, after: &str) -> bool {
    before.chars().next_back().is_some_and(is_wide) || after.chars().next().is_some_and(is_wide)
}

/// Is the break between `before` and `after` one between two words of a script written
/// without spaces (Thai, Lao, Khmer, Myanmar), found by the dictionary? It takes no hyphen.
fn is_dictionary_break(before: &str, after: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(breaks::is_complex_context)
        && after.chars().next().is_some_and(breaks::is_complex_context)
}

/// How much the space between two CJK characters of a justified line may stretch, in ems.
const CJK_STRETCH: f32 = 0.15;

/// How much the space between two grapheme clusters (or two words) of a justified Thai,
/// Lao, Khmer or Myanmar line may stretch, in ems: a fraction of a space's stretch, so the
/// spaces between phrases take most of it.
const CLUSTER_STRETCH: f32 = 0.03;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::pdf::fonts::UserFonts;

    /// Sets one paragraph of `pieces` in the full measure of A4 and returns its lines
    /// (their text) and the measure.
    fn set(pieces: &[Piece], language: Option<&str>) -> (Vec<SetLine>, f32) {
        with_layouter(language, |layouter| {
            let para = layouter.para_style(layouter.geo.left, layouter.geo.measure());
            (layouter.set_paragraph(pieces, &para), para.width)
        })
    }

    /// Sets one paragraph of `pieces` in a measure of `width` points.
    fn set_in(pieces: &[Piece], language: Option<&str>, width: f32) -> Vec<SetLine> {
        with_layouter(language, |layouter| {
            let para = layouter.para_style(layouter.geo.left, width);
            layouter.set_paragraph(pieces, &para)
        })
    }

    /// Runs `f` with a layouter for an A4 page in `language`.
    fn with_layouter<R>(language: Option<&str>, f: impl FnOnce(&mut Layouter) -> R) -> R {
        let user = UserFonts::default();
        let fonts = FontSet::new(&user, &mut Vec::new());
        let mut shaper = Shaper::new(&fonts);
        let images = ImageInfo::default();
        let geo = Geometry::from_options(&PdfOptions::default());
        let meta = Meta {
            language: language.map(str::to_string),
            ..Meta::default()
        };
        let mut layouter = Layouter::new(&mut shaper, geo, &meta, false, &images);
        f(&mut layouter)
    }

    fn text_of(line: &SetLine) -> String {
        line.fragments
            .iter()
            .flat_map(|(_, f)| f.glyphs.iter().map(|g| g.reading_text()))
            .collect()
    }

    fn plain(text: String) -> Piece {
        Piece::Text(text, RunStyle::plain(FontStyle::BODY, BLACK))
    }

    #[test]
    fn a_word_of_300_kb_is_cut_into_lines_that_fit_the_measure() {
        let word: String = "abcdefghijklmnopqrstuvwxyz"
            .chars()
            .cycle()
            .take(300_000)
            .collect();
        let (lines, measure) = set(&[plain(format!("Before {word} after."))], Some("en"));
        assert!(lines.len() > 2_000, "{} lines", lines.len());
        for line in &lines {
            let right = line
                .fragments
                .iter()
                .map(|(x, f)| x + f.width)
                .fold(0.0f32, f32::max);
            assert!(right <= measure + 0.01, "{right} > {measure}");
        }
        // Nothing lost, nothing added (an emergency break sets no hyphen).
        let all: String = lines.iter().map(text_of).collect();
        assert_eq!(all, format!("Before{word}after."));
    }

    #[test]
    fn a_line_break_after_each_of_80_000_words_gives_80_000_lines() {
        // A hundred different words (shaping each costs much in a debug build), in order.
        let word = |i: usize| format!("w{}", i % 100);
        let mut pieces = Vec::new();
        for i in 0..80_000 {
            pieces.push(plain(word(i)));
            pieces.push(Piece::Break);
        }
        let (lines, _) = set(&pieces, Some("en"));
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        let expected: Vec<String> = (0..80_000).map(word).collect();
        assert_eq!(texts, expected);
    }

    #[test]
    fn a_link_to_a_uri_of_100_000_characters_has_one_area_and_a_short_one_one_per_line() {
        let areas = |uri: String, text: String| {
            with_layouter(Some("en"), |layouter| {
                let mut style = RunStyle::plain(FontStyle::BODY, BLACK);
                style.link = Some(layouter.add_link(LinkTarget::Uri(uri)));
                let para = layouter.para_style(layouter.geo.left, layouter.geo.measure());
                layouter.paragraph_boxes(&[Piece::Text(text, style)], para, 0.0, false);
                let lines = layouter.boxes.len();
                let links = layouter.boxes.iter().flat_map(|b| &b.items);
                (
                    lines,
                    links.filter(|i| matches!(i, Item::Link { .. })).count(),
                )
            })
        };
        let long = format!("https://example.org/{}", "a".repeat(100_000));
        let (lines, links) = areas(long.clone(), long);
        assert!(lines > 500, "{lines}");
        assert_eq!(links, 1);
        let words = "a link over several lines ".repeat(20);
        let (lines, links) = areas("https://example.org/".into(), words);
        assert!(lines > 2, "{lines}");
        assert_eq!(links, lines);
    }

    #[test]
    fn notes_go_with_the_line_that_holds_their_marker() {
        // 3,000 words, a note marker after every tenth: each note on the line of its word.
        let mut pieces = Vec::new();
        for i in 0..3_000 {
            pieces.push(plain(format!("word{i}")));
            if i % 10 == 9 {
                pieces.push(plain(format!(
                    "{NOTE_MARK}{}{NOTE_MARK}{}",
                    i / 10,
                    i / 10 + 1
                )));
            }
            pieces.push(plain(" ".to_string()));
        }
        let (lines, _) = set(&pieces, Some("en"));
        let mut claimed = Vec::new();
        for line in &lines {
            let text = text_of(line);
            for &note in &line.notes {
                assert!(
                    text.contains(&format!("word{}{}", note * 10 + 9, note + 1)),
                    "note {note} on the line {text:?}"
                );
                claimed.push(note);
            }
        }
        assert_eq!(claimed, (0..300).collect::<Vec<_>>());
    }

    /// The widest space between two pieces on a line but the last.
    fn widest_gap(lines: &[SetLine]) -> f32 {
        let mut widest = 0.0f32;
        for line in &lines[..lines.len().saturating_sub(1)] {
            for pair in line.fragments.windows(2) {
                widest = widest.max(pair[1].0 - (pair[0].0 + pair[0].1.width));
            }
        }
        widest
    }

    /// A URL is never hyphenated, breaks only after its own separators, and its breaks keep
    /// the spaces of the lines around it near their natural width (issue 13, point 3).
    #[test]
    fn urls_break_after_their_separators_without_hyphens_or_wide_gaps() {
        let url = "https://data.example.org/stations/porthaven/longitudinal-measurements\
                   /archive?year=2019&station=porthaven";
        let bare = "www.example.org/harbour/tidal-predictions/yearly";
        let text = format!(
            "The readings are kept at {url} for anyone who asks, and the tables at {bare} \
             where the harbour office puts them every spring."
        );
        // From an e-reader's measure to A4's.
        for width in [150.0, 220.0, 330.0, 425.0] {
            let (lines, space, size) = with_layouter(Some("en"), |layouter| {
                let mut linked = RunStyle::plain(FontStyle::BODY, BLACK);
                linked.link = Some(layouter.add_link(LinkTarget::Uri(url.to_string())));
                let (before, after) = text.split_once(url).expect("the url");
                let pieces = [
                    plain(before.to_string()),
                    Piece::Text(url.to_string(), linked),
                    plain(after.to_string()),
                ];
                let para = layouter.para_style(layouter.geo.left, width);
                let face = layouter.shaper.fonts.face_for(FontStyle::BODY);
                let space = layouter.shaper.width(" ", face) * para.size;
                (layouter.set_paragraph(&pieces, &para), space, para.size)
            });
            let texts: Vec<String> = lines.iter().map(text_of).collect();
            // No hyphen went into the URLs (words around them may be hyphenated).
            let joined = texts.concat();
            let url_ranges: Vec<Range<usize>> = [url, bare]
                .iter()
                .map(|u| {
                    let at = joined.find(u);
                    let at = at.unwrap_or_else(|| panic!("{width}: {u} changed: {texts:?}"));
                    at..at + u.len()
                })
                .collect();
            // Where a line ends inside a URL, it ends after one of the URL's separators.
            let mut end = 0;
            for line in &texts[..texts.len() - 1] {
                end += line.len();
                if url_ranges.iter().any(|u| u.start < end && end < u.end) {
                    let last = joined[..end].chars().next_back().unwrap_or(' ');
                    assert!(
                        ['/', '.', '-', '?', '&', '='].contains(&last),
                        "{width}: a line ends inside a URL after {last:?}: {texts:?}"
                    );
                }
            }
            // On a page's measure the URLs leave no wide gaps.
            let widest = widest_gap(&lines);
            if width > 300.0 {
                assert!(
                    widest < space + size * 0.35,
                    "{width}: a gap of {widest} (a space is {space}): {texts:?}"
                );
            }
        }
    }

    /// The last line of a paragraph, and a line that ends at a forced break, are set at their
    /// natural width, and no line is empty: whatever the measure, also where the last line
    /// only just fits (issue 13, point 5).
    #[test]
    fn last_lines_keep_natural_spaces_and_no_line_is_empty() {
        let sentence = "The Cold War ended decades ago, but somehow NATO continues to work \
                        against us in a climate of confrontation, he continued in an interview \
                        with RT.";
        let pieces = [
            plain(sentence.to_string()),
            Piece::Break,
            plain(sentence.to_string()),
        ];
        let space = with_layouter(Some("en"), |layouter| {
            let face = layouter.shaper.fonts.face_for(FontStyle::BODY);
            layouter.shaper.width(" ", face) * layouter.geo.size
        });
        // Measures a quarter point apart, from an e-reader's to A4's: some make a loose
        // line followed by a last line that just fits.
        for step in 0..1200 {
            let width = 150.0 + step as f32 * 0.25;
            let lines = set_in(&pieces, Some("en"), width);
            let texts: Vec<String> = lines.iter().map(text_of).collect();
            assert!(
                lines.iter().all(|l| !l.fragments.is_empty()),
                "{width}: an empty line: {texts:?}"
            );
            let ends_sentence: Vec<&SetLine> = lines
                .iter()
                .filter(|l| text_of(l).ends_with("RT."))
                .collect();
            assert_eq!(ends_sentence.len(), 2, "{width}: {texts:?}");
            for line in ends_sentence {
                for pair in line.fragments.windows(2) {
                    let gap = pair[1].0 - (pair[0].0 + pair[0].1.width);
                    assert!(
                        gap <= space + 0.01,
                        "{width}: a gap of {gap} (a space is {space}) in {:?}",
                        text_of(line)
                    );
                }
            }
        }
    }
}
