//! Pages: the vertical list cut into pages (keeps, floats, footnotes, repeated table
//! headers), positions fixed; then the running header and page numbers.
//!
//! The [`Paginator`] takes boxes as blocks are laid out and makes a page as soon as enough
//! boxes follow it that nothing later can change it (a page only ever looks a page ahead:
//! to fill itself, and to let a figure float past text). So only a few pages' worth of
//! boxes are held at a time, whatever the document's length; links to notes and headings
//! are resolved once every page is made ([`Places`]).

use super::*;
use crate::write::breaks;
use std::collections::VecDeque;

/// Where the pages put what links point at, known once every page is made.
#[derive(Debug, Default)]
pub struct Places {
    pub outline: Vec<OutlineEntry>,
    note_places: HashMap<usize, (usize, f32)>,
    anchors: HashMap<String, (usize, f32)>,
}

impl Places {
    /// Where a link goes: footnote markers to their notes, `#id` links to their headings;
    /// `None` for a link whose target is not in the document (its text stays).
    pub fn resolve(&self, target: LinkTarget) -> Option<LinkTarget> {
        let place = match &target {
            LinkTarget::Note(n) => self.note_places.get(n),
            LinkTarget::Anchor(id) => self.anchors.get(id),
            _ => return Some(target),
        };
        place.map(|&(page, y)| LinkTarget::Internal { page, y })
    }

    /// The page number (from 1, as printed) each anchor is on.
    pub(super) fn anchor_pages(&self) -> HashMap<String, usize> {
        self.anchors
            .iter()
            .map(|(id, &(page, _))| (id.clone(), page + 1))
            .collect()
    }
}

/// Resolves the links of laid-out pages in place (see [`Places::resolve`]).
pub(super) fn resolve_links(pages: &mut [Page], places: &Places) {
    for page in pages {
        page.items.retain_mut(|item| {
            let Item::Link { target, .. } = item else {
                return true;
            };
            let resolved = places.resolve(std::mem::replace(target, LinkTarget::Note(0)));
            match resolved {
                Some(t) => {
                    *target = t;
                    true
                }
                None => false,
            }
        });
    }
}

/// Cuts the vertical list into pages as it grows.
pub(super) struct Paginator {
    geo: Geometry,
    queue: VecDeque<VBox>,
    /// Height of the queued boxes, their space above included.
    queued: f32,
    /// Footnotes too long for a page foot, set in the text after the paragraph that
    /// calls them.
    waiting: Vec<usize>,
    pages_made: usize,
    pub places: Places,
    /// The pages are right-to-left: the footnote rule starts at the right.
    pub(super) rtl: bool,
}

impl Paginator {
    pub(super) fn new(geo: Geometry) -> Paginator {
        Paginator {
            geo,
            queue: VecDeque::new(),
            queued: 0.0,
            waiting: Vec::new(),
            pages_made: 0,
            places: Places::default(),
            rtl: false,
        }
    }

    fn body_height(&self) -> f32 {
        self.geo.height - self.geo.bottom - self.geo.top
    }

    fn enqueue(&mut self, b: VBox) {
        self.queued += b.height + b.space_before;
        self.queue.push_back(b);
    }

    /// Takes the next boxes of the vertical list, in order.
    pub(super) fn push(&mut self, boxes: impl IntoIterator<Item = VBox>, notes: &[Vec<VBox>]) {
        let long_note = self.body_height() * 0.5;
        for mut b in boxes {
            // A note too long for any page foot is set in the text instead, after the
            // paragraph that calls it, so it can run over pages like the text does.
            let (long, short): (Vec<usize>, Vec<usize>) = b
                .notes
                .iter()
                .partition(|&&n| note_height(notes, n) > long_note);
            b.notes = short;
            self.waiting.extend(long);
            let paragraph_ends = !b.keep_with_next && !b.weak_keep;
            self.enqueue(b);
            if paragraph_ends {
                self.flow_notes(notes);
            }
        }
    }

    fn flow_notes(&mut self, notes: &[Vec<VBox>]) {
        for n in std::mem::take(&mut self.waiting) {
            for (k, nb) in notes.get(n).into_iter().flatten().enumerate() {
                let mut nb = nb.clone();
                if k == 0 {
                    nb.note_start = Some(n);
                    nb.space_before = self.geo.leading * 0.5;
                }
                self.enqueue(nb);
            }
        }
    }

    /// The next page, if it is ready: when `last` (the list is complete) or when enough
    /// boxes follow it that no later box can change it.
    pub(super) fn next_page(
        &mut self,
        notes: &[Vec<VBox>],
        heads: &[Vec<VBox>],
        last: bool,
    ) -> Option<Page> {
        if last {
            self.flow_notes(notes);
        }
        let ready = if last {
            !self.queue.is_empty()
        } else {
            // A page looks at most a page ahead (filling itself, floating a figure
            // past text); three pages queued leave room to spare.
            self.queued > 3.0 * self.body_height() + 1.0
        };
        if !ready {
            return None;
        }
        let (count, head) = self.page_members(notes, heads);
        let members: Vec<VBox> = self.queue.drain(..count).collect();
        for b in &members {
            self.queued -= b.height + b.space_before;
        }
        if self.queue.is_empty() {
            self.queued = 0.0;
        }
        let page = self.place(members, head, notes, heads);
        self.pages_made += 1;
        Some(page)
    }

    /// How many pages have been made.
    pub(super) fn pages_made(&self) -> usize {
        self.pages_made
    }

    /// Phase 1: how many boxes from the front of the queue go on the next page (the queue
    /// is reordered when a figure floats past text), and the table head it repeats.
    fn page_members(&mut self, notes: &[Vec<VBox>], heads: &[Vec<VBox>]) -> (usize, Option<usize>) {
        let geo = self.geo;
        let body_top = geo.top;
        let body_bottom = geo.height - geo.bottom;
        let note_gap = geo.leading * 0.8;
        let extra_notes_for = |b: &VBox, notes_used: f32| -> f32 {
            let extra: f32 = b.notes.iter().map(|&n| note_height(notes, n)).sum();
            if extra > 0.0 && notes_used == 0.0 {
                extra + note_gap
            } else {
                extra
            }
        };
        let body_height = self.body_height();
        let mut q = self.queue.make_contiguous();
        let head = q[0].table_head;
        let mut used = head.map_or(0.0, |h| {
            heads
                .get(h)
                .map_or(0.0, |hb| hb.iter().map(|b| b.height).sum())
        });
        let mut notes_used = 0.0f32;
        let mut members = 0;
        let mut k = 0;
        while k < q.len() {
            let b = &q[k];
            if b.page_break && k > 0 {
                break;
            }
            let space = if members == 0 && head.is_none() {
                0.0
            } else {
                b.space_before
            };
            let extra_notes = extra_notes_for(b, notes_used);
            let fits =
                body_top + used + space + b.height + notes_used + extra_notes <= body_bottom + 0.01;
            if !fits && members > 0 {
                let gap = body_bottom - (body_top + used + notes_used);
                // A figure that does not fit goes to the next page. Where that leaves only a
                // little of this page blank it goes in its place, so the text after it (which
                // may say "the figure above") still follows it. Else, as books do, the text
                // after it fills this page, after a line in the figure's place that says
                // where it went.
                if b.float && !b.floated && gap > body_height * BLANK_GAP {
                    q[k].floated = true;
                    let notice = q[k].float_notice.take();
                    let notice_height = notice.as_ref().map_or(0.0, |n| n.space_before + n.height);
                    let mut group = 1;
                    while k + group < q.len() && q[k + group - 1].keep_with_next {
                        group += 1;
                    }
                    let mut room = gap - notice_height;
                    let mut fill = 0;
                    let mut clean = 0;
                    let mut notes_so_far = notes_used;
                    while k + group + fill < q.len() {
                        let next = &q[k + group + fill];
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
                        q[k..k + group + clean].rotate_left(group);
                        if let Some(notice) = notice {
                            self.queued += notice.space_before + notice.height;
                            self.queue.insert(k, *notice);
                            q = self.queue.make_contiguous();
                        }
                        continue;
                    }
                }
                // Move the chain of kept boxes that ends here to the next page, unless the
                // chain fills the whole page.
                let mut j = k;
                while j > 0 && q[j - 1].keep_with_next {
                    j -= 1;
                }
                // Avoid a word split across pages by giving one more line to the next
                // page, if that line is free to go (TeX's \brokenpenalty).
                if j > 1 && q[j - 1].weak_keep {
                    let before = &q[j - 2];
                    if !before.keep_with_next && !before.weak_keep {
                        j -= 1;
                    }
                }
                if j > 0 {
                    members = j;
                }
                break;
            }
            used += space + b.height;
            notes_used += extra_notes;
            members += 1;
            k += 1;
        }
        // A box taller than the page gets a page of its own.
        (members.max(1), head)
    }

    /// Phase 2: positions on the page, its notes at the foot.
    fn place(
        &mut self,
        members: Vec<VBox>,
        head: Option<usize>,
        notes: &[Vec<VBox>],
        heads: &[Vec<VBox>],
    ) -> Page {
        let geo = self.geo;
        let page_index = self.pages_made;
        let body_top = geo.top;
        let body_bottom = geo.height - geo.bottom;
        let note_gap = geo.leading * 0.8;
        let mut page = Page::default();
        let mut y = body_top;
        let mut page_notes: Vec<usize> = Vec::new();
        let mut previous_bars: Vec<f32> = Vec::new();
        if let Some(h) = head {
            if members.first().is_some_and(|b| b.table_head.is_some()) {
                for hb in heads.get(h).map(|v| v.as_slice()).unwrap_or(&[]) {
                    for item in &hb.items {
                        let mut item = item.clone();
                        item.shift(y);
                        page.items.push(item);
                    }
                    y += hb.height;
                }
            }
        }
        for (k, b) in members.into_iter().enumerate() {
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
            // Each box is on one page: its items move there.
            for mut item in b.items {
                item.shift(y);
                page.items.push(item);
            }
            for anchor in b.anchors {
                self.places.anchors.entry(anchor).or_insert((page_index, y));
            }
            if let Some((level, title)) = b.outline {
                self.places.outline.push(OutlineEntry {
                    level,
                    title,
                    page: page_index,
                    y,
                });
            }
            page_notes.extend(b.notes.iter().copied());
            if let Some(n) = b.note_start {
                self.places.note_places.insert(n, (page_index, y));
            }
            y += b.height;
        }
        if !page_notes.is_empty() {
            let total: f32 = page_notes.iter().map(|&n| note_height(notes, n)).sum();
            let mut ny = body_bottom - total;
            let rule_y = ny - note_gap * 0.5;
            let rule_start = if self.rtl {
                geo.left + geo.measure() * 0.7
            } else {
                geo.left
            };
            page.items.push(Item::Line {
                x1: rule_start,
                y1: rule_y,
                x2: rule_start + geo.measure() * 0.3,
                y2: rule_y,
                width: 0.5,
                color: GREY,
            });
            for n in page_notes {
                self.places.note_places.insert(n, (page_index, ny));
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
        page
    }
}

/// The most of a page's body a figure may leave blank by moving to the next page in its
/// place (else it floats and the text after it fills the page).
const BLANK_GAP: f32 = 0.15;

/// The height a footnote takes at a page foot.
fn note_height(notes: &[Vec<VBox>], n: usize) -> f32 {
    notes
        .get(n)
        .map_or(0.0, |b| b.iter().map(|x| x.height + x.space_before).sum())
}

/// How far above its baseline the furniture's type reaches, and below it, as fractions of
/// its size (the body's lines use 0.95 and 0.3; figures and a title need less).
const FURNITURE_ASCENT: f32 = 0.8;
const FURNITURE_DESCENT: f32 = 0.25;
/// The least air between the furniture and the page's edge or its text, as a fraction of the
/// furniture's size.
const FURNITURE_AIR: f32 = 0.25;

/// Where the running header's baseline goes in a top margin of `top` points, for type of
/// `size`: at 55% of the margin, as far as it fits with air above it and above the rule under
/// it (half the size below the baseline); `None` when the margin has no room for it (small
/// `--margins`), which leaves it out rather than have it overprint the text or leave the page.
pub(super) fn header_baseline(top: f32, size: f32) -> Option<f32> {
    let air = size * FURNITURE_AIR;
    let highest = air + size * FURNITURE_ASCENT;
    let lowest = top - size * 0.5 - air;
    (highest <= lowest).then(|| (top * 0.55).clamp(highest, lowest))
}

/// Where the page number's baseline goes, measured up from the page's foot, in a bottom
/// margin of `bottom` points: at 45% of the margin, as far as it fits with air around it;
/// `None` when the margin has no room for it.
pub(super) fn number_baseline_from_foot(bottom: f32, size: f32) -> Option<f32> {
    let air = size * FURNITURE_AIR;
    let lowest = air + size * FURNITURE_DESCENT;
    let highest = bottom - air - size * FURNITURE_ASCENT;
    (lowest <= highest).then(|| (bottom * 0.45).clamp(lowest, highest))
}

/// Adds the running header (the title, from page 2 on, at the start edge: the right one
/// on a right-to-left page) and the page number to page `n` (from 0), each where its margin
/// has room for it.
pub(super) fn page_furniture(
    page: &mut Page,
    n: usize,
    geo: &Geometry,
    meta: &Meta,
    shaper: &mut Shaper<'_, '_>,
    rtl: bool,
) {
    let size = geo.size * 0.75;
    let face = shaper.fonts.face_for(FontStyle {
        family: Family::Sans,
        bold: false,
        italic: false,
    });
    if let Some(from_foot) = number_baseline_from_foot(geo.bottom, size) {
        let number = (n + 1).to_string();
        let glyphs = shaper.shape(&number, face, false);
        let mut run = make_run(
            &number,
            &glyphs,
            face,
            size,
            GREY,
            0.0,
            geo.height - from_foot,
        );
        run.x = (geo.width - run.width()) / 2.0;
        page.items.push(Item::Text(run));
    }
    let title = meta.title.as_deref().unwrap_or("").trim();
    // From page 2 on (so the document has more than one page).
    let header_at = header_baseline(geo.top, size);
    if let Some(baseline) = header_at.filter(|_| n > 0 && !title.is_empty()) {
        let header = fit_with_ellipsis(shaper, title, face, size, geo.measure());
        let line = visual_runs(shaper, &header, face, size, GREY, rtl);
        let start = if rtl {
            geo.width - geo.right - line.width
        } else {
            geo.left
        };
        page.items.extend(line.at(start, baseline));
        let y = baseline + size * 0.5;
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

/// `text` as it fits in `limit` points in `face` at `size`: whole, or shortened with "…"
/// (see [`breaks::fit_with_ellipsis`]).
pub(super) fn fit_with_ellipsis(
    shaper: &mut Shaper<'_, '_>,
    text: &str,
    face: FaceId,
    size: f32,
    limit: f32,
) -> String {
    breaks::fit_with_ellipsis(text, limit, |s| shaper.width(s, face) * size)
}
