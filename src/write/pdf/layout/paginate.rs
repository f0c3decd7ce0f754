//! Pages: the vertical list cut into pages (keeps, floats, footnotes, repeated table
//! headers), positions fixed, links resolved; then the running header and page numbers.

use super::*;

/// Cuts the vertical list into pages.
pub(super) fn paginate(
    geo: &Geometry,
    mut boxes: Vec<VBox>,
    notes: &[Vec<VBox>],
    heads: &[Vec<VBox>],
) -> Laid {
    let body_top = geo.top;
    let body_bottom = geo.height - geo.bottom;
    let note_gap = geo.leading * 0.8;
    let note_height = |n: usize| -> f32 {
        notes
            .get(n)
            .map_or(0.0, |b| b.iter().map(|x| x.height + x.space_before).sum())
    };
    // A note too long for any page foot is set in the text instead, after the paragraph
    // that calls it, so it can run over pages like the text does.
    let body_height = body_bottom - body_top;
    if boxes
        .iter()
        .any(|b| b.notes.iter().any(|&n| note_height(n) > body_height * 0.5))
    {
        let flow_notes = |waiting: &mut Vec<usize>, flowed: &mut Vec<VBox>| {
            for n in waiting.drain(..) {
                for (k, nb) in notes.get(n).into_iter().flatten().enumerate() {
                    let mut nb = nb.clone();
                    if k == 0 {
                        nb.note_start = Some(n);
                        nb.space_before = geo.leading * 0.5;
                    }
                    flowed.push(nb);
                }
            }
        };
        let mut flowed: Vec<VBox> = Vec::with_capacity(boxes.len());
        let mut waiting: Vec<usize> = Vec::new();
        for mut b in boxes {
            let (long, short): (Vec<usize>, Vec<usize>) = b
                .notes
                .iter()
                .partition(|&&n| note_height(n) > body_height * 0.5);
            b.notes = short;
            waiting.extend(long);
            let paragraph_ends = !b.keep_with_next && !b.weak_keep;
            flowed.push(b);
            if paragraph_ends {
                flow_notes(&mut waiting, &mut flowed);
            }
        }
        flow_notes(&mut waiting, &mut flowed);
        boxes = flowed;
    }
    // Phase 1: which boxes go on which page. `seq` is the order boxes are placed in: the
    // document's, except that a figure that does not fit may float to the next page while
    // the text after it fills this one.
    let mut seq: Vec<usize> = (0..boxes.len()).collect();
    let mut floated: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let extra_notes_for = |b: &VBox, notes_used: f32| -> f32 {
        let extra: f32 = b.notes.iter().map(|&n| note_height(n)).sum();
        if extra > 0.0 && notes_used == 0.0 {
            extra + note_gap
        } else {
            extra
        }
    };
    let mut pages: Vec<(Vec<usize>, Option<usize>)> = Vec::new(); // (box indices, repeated head)
    let mut k = 0;
    while k < seq.len() {
        let page_start = k;
        let head = boxes[seq[k]].table_head;
        let mut used = head.map_or(0.0, |h| {
            heads
                .get(h)
                .map_or(0.0, |hb| hb.iter().map(|b| b.height).sum())
        });
        let mut notes_used = 0.0f32;
        let mut members = Vec::new();
        while k < seq.len() {
            let b = &boxes[seq[k]];
            if b.page_break && k > page_start {
                break;
            }
            let space = if members.is_empty() && head.is_none() {
                0.0
            } else {
                b.space_before
            };
            let extra_notes = extra_notes_for(b, notes_used);
            let fits =
                body_top + used + space + b.height + notes_used + extra_notes <= body_bottom + 0.01;
            if !fits && !members.is_empty() {
                if b.float && floated.insert(seq[k]) {
                    // The figure and its caption go to the next page; the text after them
                    // (up to a clean break, within the section) fills this one.
                    let mut group = 1;
                    while k + group < seq.len() && boxes[seq[k + group - 1]].keep_with_next {
                        group += 1;
                    }
                    let mut room = body_bottom - (body_top + used + notes_used);
                    let mut fill = 0;
                    let mut clean = 0;
                    let mut notes_so_far = notes_used;
                    while k + group + fill < seq.len() {
                        let next = &boxes[seq[k + group + fill]];
                        if next.float || next.outline.is_some() || next.page_break {
                            break;
                        }
                        let extra = extra_notes_for(next, notes_so_far);
                        let need = next.space_before + next.height + extra;
                        if need > room + 0.01 {
                            break;
                        }
                        room -= need;
                        notes_so_far += extra;
                        fill += 1;
                        if !next.keep_with_next && !next.weak_keep {
                            clean = fill;
                        }
                    }
                    if clean > 0 {
                        seq[k..k + group + clean].rotate_left(group);
                        continue;
                    }
                }
                // Move the chain of kept boxes that ends here to the next page, unless the
                // chain fills the whole page.
                let mut j = k;
                while j > page_start && boxes[seq[j - 1]].keep_with_next {
                    j -= 1;
                }
                // Avoid a word split across pages by giving one more line to the next
                // page, if that line is free to go (TeX's \brokenpenalty).
                if j > page_start + 1 && boxes[seq[j - 1]].weak_keep {
                    let before = &boxes[seq[j - 2]];
                    if !before.keep_with_next && !before.weak_keep {
                        j -= 1;
                    }
                }
                if j > page_start {
                    members.truncate(j - page_start);
                    k = j;
                }
                break;
            }
            used += space + b.height;
            notes_used += extra_notes;
            members.push(seq[k]);
            k += 1;
        }
        if members.is_empty() {
            // A box taller than the page: it gets a page of its own.
            members.push(seq[k]);
            k += 1;
        }
        pages.push((members, head));
    }
    // Phase 2: positions.
    let mut laid = Laid {
        width: geo.width,
        height: geo.height,
        pages: Vec::new(),
        outline: Vec::new(),
    };
    let mut note_places: HashMap<usize, (usize, f32)> = HashMap::new();
    let mut anchors: HashMap<String, (usize, f32)> = HashMap::new();
    for (page_index, (members, head)) in pages.iter().enumerate() {
        let mut page = Page::default();
        let mut y = body_top;
        let mut page_notes: Vec<usize> = Vec::new();
        let mut previous_bars: Vec<f32> = Vec::new();
        if let Some(h) = head {
            if let Some(first) = members.first() {
                if boxes[*first].table_head.is_some() {
                    for hb in heads.get(*h).map(|v| v.as_slice()).unwrap_or(&[]) {
                        for item in &hb.items {
                            let mut item = item.clone();
                            item.shift(y);
                            page.items.push(item);
                        }
                        y += hb.height;
                    }
                }
            }
        }
        for (k, &bi) in members.iter().enumerate() {
            let b = &boxes[bi];
            let space = if k == 0 && head.is_none() {
                0.0
            } else {
                b.space_before
            };
            let bar_top = y;
            y += space;
            for &bx in &b.bars {
                let from = if previous_bars.contains(&bx) {
                    bar_top
                } else {
                    y
                };
                page.items.push(Item::Line {
                    x1: bx,
                    y1: from,
                    x2: bx,
                    y2: y + b.height,
                    width: 1.5,
                    color: LIGHT,
                });
            }
            previous_bars.clone_from(&b.bars);
            let height = b.height;
            // Each box is on one page: its items move there (no copy of the document's
            // glyphs is made).
            for mut item in std::mem::take(&mut boxes[bi].items) {
                item.shift(y);
                page.items.push(item);
            }
            let b = &boxes[bi];
            if let Some(anchor) = &b.anchor {
                anchors.entry(anchor.clone()).or_insert((page_index, y));
            }
            if let Some((level, title)) = &b.outline {
                laid.outline.push(OutlineEntry {
                    level: *level,
                    title: title.clone(),
                    page: page_index,
                    y,
                });
            }
            page_notes.extend(b.notes.iter().copied());
            if let Some(n) = b.note_start {
                note_places.insert(n, (page_index, y));
            }
            y += height;
        }
        if !page_notes.is_empty() {
            let total: f32 = page_notes.iter().map(|&n| note_height(n)).sum();
            let mut ny = body_bottom - total;
            let rule_y = ny - note_gap * 0.5;
            page.items.push(Item::Line {
                x1: geo.left,
                y1: rule_y,
                x2: geo.left + geo.measure() * 0.3,
                y2: rule_y,
                width: 0.5,
                color: GREY,
            });
            for n in page_notes {
                note_places.insert(n, (page_index, ny));
                for (k, nb) in notes
                    .get(n)
                    .map(|v| v.as_slice())
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    if k > 0 {
                        ny += nb.space_before;
                    }
                    for item in &nb.items {
                        let mut item = item.clone();
                        item.shift(ny);
                        page.items.push(item);
                    }
                    ny += nb.height;
                }
            }
        }
        laid.pages.push(page);
    }
    // Footnote markers point at their notes, `#id` links at their headings; a link whose
    // target is not in the document is dropped (its text stays).
    for page in &mut laid.pages {
        page.items.retain_mut(|item| {
            let Item::Link { target, .. } = item else {
                return true;
            };
            let place = match target {
                LinkTarget::Note(n) => note_places.get(n),
                LinkTarget::Anchor(id) => anchors.get(id),
                _ => return true,
            };
            match place {
                Some(&(page, y)) => {
                    *target = LinkTarget::Internal { page, y };
                    true
                }
                None => false,
            }
        });
    }
    laid
}

/// Adds the running header (the title, from page 2 on) and page numbers.
pub(super) fn page_furniture(
    laid: &mut Laid,
    geo: &Geometry,
    meta: &Meta,
    shaper: &mut Shaper<'_, '_>,
) {
    // Running header (the title, from page 2) and page numbers.
    let size = geo.size * 0.75;
    let face = shaper.fonts.face_for(FontStyle {
        family: Family::Sans,
        bold: false,
        italic: false,
    });
    let title: String = meta
        .title
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(90)
        .collect();
    let page_count = laid.pages.len();
    for (n, page) in laid.pages.iter_mut().enumerate() {
        let number = (n + 1).to_string();
        let glyphs = shaper.shape(&number, face, false);
        let mut run = make_run(
            &number,
            &glyphs,
            face,
            size,
            GREY,
            0.0,
            geo.height - geo.bottom * 0.45,
        );
        run.x = (geo.width - run.width()) / 2.0;
        page.items.push(Item::Text(run));
        if n > 0 && !title.trim().is_empty() && page_count > 1 {
            let header = fit_with_ellipsis(shaper, &title, face, size, geo.measure());
            let glyphs = shaper.shape(&header, face, false);
            let run = make_run(&header, &glyphs, face, size, GREY, geo.left, geo.top * 0.55);
            page.items.push(Item::Text(run));
            let y = geo.top * 0.55 + size * 0.5;
            page.items.push(Item::Line {
                x1: geo.left,
                y1: y,
                x2: geo.width - geo.right,
                y2: y,
                width: 0.3,
                color: LIGHT,
            });
        }
    }
}

/// `text`, cut at a word and ended with an ellipsis if it is wider than `limit`.
pub(super) fn fit_with_ellipsis(
    shaper: &mut Shaper<'_, '_>,
    text: &str,
    face: FaceId,
    size: f32,
    limit: f32,
) -> String {
    if shaper.width(text, face) * size <= limit {
        return text.to_string();
    }
    let mut cut = text.len();
    while let Some(space) = text[..cut].rfind(' ') {
        cut = space;
        let candidate = format!("{}…", text[..cut].trim_end());
        if shaper.width(&candidate, face) * size <= limit {
            return candidate;
        }
    }
    String::new()
}
