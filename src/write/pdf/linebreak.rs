//! Total-fit line breaking (Knuth and Plass, "Breaking Paragraphs into Lines", 1981).
//!
//! A paragraph is a list of [`Item`]s: boxes (unbreakable material), glue (stretchable
//! space) and penalties (possible breaks with a cost, e.g. a hyphen). [`break_lines`] picks
//! the breaks that minimise the total demerits of the paragraph, so a bad line later can be
//! avoided by choices earlier. [`break_greedy`] is first-fit, for ragged-right setting and as
//! the last resort when no set of breaks fits.

/// Forced break.
pub const FORCE: i32 = -10_000;
/// A penalty this high forbids the break.
pub const FORBID: i32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    Box {
        width: f32,
    },
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    Penalty {
        width: f32,
        penalty: i32,
        flagged: bool,
    },
}

/// A chosen break: the index of the glue or penalty item the line ends at, and how much
/// its glue was stretched (positive) or shrunk (negative), as a fraction of what it allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub at: usize,
    pub ratio: f32,
}

/// Settings for the total-fit search.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// The largest adjustment ratio a line may have.
    pub tolerance: f32,
    pub line_penalty: f32,
    /// Extra demerits for two hyphenated lines in a row.
    pub double_hyphen_demerits: f32,
    /// Extra demerits when a tight line meets a loose one.
    pub fitness_demerits: f32,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            // Demerits as plain TeX sets them. The tolerance is a ratio (badness is
            // 100·r³, so 2.0 is badness 800): looser than TeX's 200, because nobody
            // hand-tunes an article, and the caller retries looser still before giving up.
            tolerance: 2.0,
            line_penalty: 10.0,
            double_hyphen_demerits: 10_000.0,
            fitness_demerits: 10_000.0,
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Sums {
    width: f32,
    stretch: f32,
    shrink: f32,
}

struct Node {
    at: usize,
    line: usize,
    fitness: usize,
    flagged: bool,
    /// Sums from the start of the paragraph to just after this break (discardable items
    /// that follow a break do not count).
    after: Sums,
    demerits: f32,
    ratio: f32,
    previous: Option<usize>,
}

/// Total-fit breaking. `widths[i]` is the measure of line `i` (the last one repeats).
/// The items must end with a forced break. Returns `None` when no breaks within
/// `params.tolerance` exist.
pub fn break_lines(items: &[Item], widths: &[f32], params: &Params) -> Option<Vec<Break>> {
    let width_of =
        |line: usize| -> f32 { widths.get(line).or(widths.last()).copied().unwrap_or(0.0) };
    let mut prefix = Vec::with_capacity(items.len() + 1);
    let mut running = Sums::default();
    prefix.push(running);
    for item in items {
        match *item {
            Item::Box { width } => running.width += width,
            Item::Glue {
                width,
                stretch,
                shrink,
            } => {
                running.width += width;
                running.stretch += stretch;
                running.shrink += shrink;
            }
            Item::Penalty { .. } => {}
        }
        prefix.push(running);
    }
    // Sums from the paragraph start up to item `b`, skipping the discardable items after it.
    let after_break = |b: usize| -> Sums {
        let mut sums = prefix[b];
        for (i, item) in items.iter().enumerate().skip(b) {
            match item {
                Item::Box { .. } => break,
                Item::Penalty { penalty, .. } if *penalty <= FORCE && i > b => break,
                _ => sums = prefix[i + 1],
            }
        }
        sums
    };

    let mut nodes: Vec<Node> = vec![Node {
        at: 0,
        line: 0,
        fitness: 1,
        flagged: false,
        after: Sums::default(),
        demerits: 0.0,
        ratio: 0.0,
        previous: None,
    }];
    let mut active: Vec<usize> = vec![0];

    for (b, item) in items.iter().enumerate() {
        let (penalty, penalty_width, flagged) = match *item {
            Item::Penalty {
                width,
                penalty,
                flagged,
            } if penalty < FORBID => (penalty, width, flagged),
            Item::Glue { .. } if b > 0 && matches!(items[b - 1], Item::Box { .. }) => {
                (0, 0.0, false)
            }
            _ => continue,
        };
        let forced = penalty <= FORCE;
        // Best candidate per fitness class: (demerits, active node, ratio).
        let mut best: [Option<(f32, usize, f32)>; 4] = [None; 4];
        let mut still_active = Vec::with_capacity(active.len());
        for &a in &active {
            let node = &nodes[a];
            let target = width_of(node.line);
            let natural = prefix[b].width - node.after.width + penalty_width;
            let ratio = if natural < target {
                let stretch = prefix[b].stretch - node.after.stretch;
                if stretch > 0.0 {
                    (target - natural) / stretch
                } else {
                    f32::INFINITY
                }
            } else if natural > target {
                let shrink = prefix[b].shrink - node.after.shrink;
                if shrink > 0.0 {
                    (target - natural) / shrink
                } else {
                    f32::NEG_INFINITY
                }
            } else {
                0.0
            };
            if ratio >= -1.0 && !forced {
                still_active.push(a);
            }
            if ratio >= -1.0 && (ratio <= params.tolerance || forced && ratio.is_finite())
                || forced && ratio == f32::INFINITY && natural <= target
            {
                let badness = if ratio.is_finite() {
                    100.0 * ratio.abs().powi(3)
                } else {
                    0.0
                };
                let base = (params.line_penalty + badness).powi(2);
                let mut demerits = if penalty >= 0 {
                    base + (penalty as f32).powi(2)
                } else if !forced {
                    base - (penalty as f32).powi(2)
                } else {
                    base
                };
                if flagged && node.flagged {
                    demerits += params.double_hyphen_demerits;
                }
                let fitness: usize = if ratio < -0.5 {
                    0
                } else if ratio <= 0.5 || forced && !ratio.is_finite() {
                    1
                } else if ratio <= 1.0 {
                    2
                } else {
                    3
                };
                if fitness.abs_diff(node.fitness) > 1 {
                    demerits += params.fitness_demerits;
                }
                let total = node.demerits + demerits;
                let ratio = if ratio.is_finite() { ratio } else { 0.0 };
                if best[fitness].is_none_or(|(d, _, _)| total < d) {
                    best[fitness] = Some((total, a, ratio));
                }
            }
        }
        active = still_active;
        let after = after_break(b);
        for (fitness, candidate) in best.iter().enumerate() {
            if let Some((demerits, from, ratio)) = *candidate {
                nodes.push(Node {
                    at: b,
                    line: nodes[from].line + 1,
                    fitness,
                    flagged,
                    after,
                    demerits,
                    ratio,
                    previous: Some(from),
                });
                active.push(nodes.len() - 1);
            }
        }
        if active.is_empty() {
            return None;
        }
    }
    let last = items.len().checked_sub(1)?;
    let best = active
        .iter()
        .copied()
        .filter(|&a| nodes[a].at == last)
        .min_by(|&x, &y| nodes[x].demerits.total_cmp(&nodes[y].demerits))?;
    let mut breaks = Vec::new();
    let mut cursor = Some(best);
    while let Some(n) = cursor {
        if nodes[n].previous.is_some() {
            breaks.push(Break {
                at: nodes[n].at,
                ratio: nodes[n].ratio,
            });
        }
        cursor = nodes[n].previous;
    }
    breaks.reverse();
    Some(breaks)
}

/// First-fit breaking: each line takes as much as fits. Glue is not stretched (ratio 0),
/// except that a line with nothing breakable overflows rather than loops.
pub fn break_greedy(items: &[Item], widths: &[f32]) -> Vec<Break> {
    let width_of =
        |line: usize| -> f32 { widths.get(line).or(widths.last()).copied().unwrap_or(0.0) };
    let mut breaks = Vec::new();
    let mut line_width = 0.0f32;
    let mut last_fit: Option<usize> = None;
    let mut line_start = 0usize;
    let mut i = 0usize;
    while i < items.len() {
        let target = width_of(breaks.len());
        match items[i] {
            Item::Box { width } => {
                if line_width + width > target && last_fit.is_some() {
                    let at = last_fit.take().unwrap_or(i);
                    breaks.push(Break { at, ratio: 0.0 });
                    i = skip_discardable(items, at + 1);
                    line_start = i;
                    line_width = 0.0;
                    continue;
                }
                line_width += width;
            }
            Item::Glue { width, .. } => {
                if i > line_start && matches!(items[i - 1], Item::Box { .. }) {
                    last_fit = Some(i);
                }
                line_width += width;
            }
            Item::Penalty { penalty, width, .. } => {
                if penalty <= FORCE {
                    breaks.push(Break { at: i, ratio: 0.0 });
                    i = skip_discardable(items, i + 1);
                    line_start = i;
                    line_width = 0.0;
                    last_fit = None;
                    continue;
                }
                if penalty < FORBID && line_width + width <= target {
                    last_fit = Some(i);
                }
            }
        }
        i += 1;
    }
    breaks
}

/// Fills in the adjustment ratio of each line but the last, so that breaks found by
/// [`break_greedy`] can still be justified. Overfull lines shrink at most fully.
pub fn set_ratios(items: &[Item], breaks: &mut [Break], widths: &[f32]) {
    let mut start = 0;
    let count = breaks.len();
    for (n, brk) in breaks.iter_mut().enumerate() {
        let target = widths.get(n).or(widths.last()).copied().unwrap_or(0.0);
        let (mut width, mut stretch, mut shrink) = (0.0f32, 0.0f32, 0.0f32);
        for item in items.iter().take(brk.at).skip(start) {
            match *item {
                Item::Box { width: w } => width += w,
                Item::Glue {
                    width: w,
                    stretch: st,
                    shrink: sh,
                } => {
                    width += w;
                    stretch += st;
                    shrink += sh;
                }
                Item::Penalty { .. } => {}
            }
        }
        if let Some(Item::Penalty { width: w, .. }) = items.get(brk.at) {
            width += w;
        }
        let forced =
            matches!(items.get(brk.at), Some(Item::Penalty { penalty, .. }) if *penalty <= FORCE);
        brk.ratio = if n + 1 == count || forced {
            0.0
        } else if width < target && stretch > 0.0 {
            (target - width) / stretch
        } else if width > target && shrink > 0.0 {
            ((target - width) / shrink).max(-1.0)
        } else {
            0.0
        };
        start = skip_discardable(items, brk.at + 1);
    }
}

fn skip_discardable(items: &[Item], mut i: usize) -> usize {
    while i < items.len() {
        match items[i] {
            Item::Box { .. } => break,
            Item::Penalty { penalty, .. } if penalty <= FORCE => break,
            _ => i += 1,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(lengths: &[f32]) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, &w) in lengths.iter().enumerate() {
            if i > 0 {
                items.push(Item::Glue {
                    width: 1.0,
                    stretch: 0.5,
                    shrink: 0.33,
                });
            }
            items.push(Item::Box { width: w });
        }
        items.push(Item::Glue {
            width: 0.0,
            stretch: 1000.0,
            shrink: 0.0,
        });
        items.push(Item::Penalty {
            width: 0.0,
            penalty: FORCE,
            flagged: false,
        });
        items
    }

    fn line_widths(items: &[Item], breaks: &[Break]) -> Vec<f32> {
        let mut start = 0;
        let mut out = Vec::new();
        for b in breaks {
            let w: f32 = items[start..b.at]
                .iter()
                .map(|i| match i {
                    Item::Box { width } | Item::Glue { width, .. } => *width,
                    _ => 0.0,
                })
                .sum();
            out.push(w);
            start = skip_discardable(items, b.at + 1);
        }
        out
    }

    #[test]
    fn every_line_but_the_last_is_near_the_measure() {
        let lens: Vec<f32> = (0..60).map(|i| 2.0 + (i * 7 % 5) as f32).collect();
        let items = words(&lens);
        let breaks = break_lines(&items, &[30.0], &Params::default()).expect("feasible");
        assert!(breaks.len() > 5);
        assert_eq!(breaks.last().map(|b| b.at), Some(items.len() - 1));
        for b in &breaks[..breaks.len() - 1] {
            assert!(b.ratio >= -1.0 && b.ratio <= 2.0, "{b:?}");
        }
        let widths = line_widths(&items, &breaks);
        for w in &widths[..widths.len() - 1] {
            assert!(*w > 24.0 && *w < 36.0, "{w}");
        }
    }

    #[test]
    fn impossible_paragraphs_return_none_and_greedy_still_breaks() {
        let items = words(&[50.0, 3.0, 3.0]);
        assert!(break_lines(&items, &[10.0], &Params::default()).is_none());
        let greedy = break_greedy(&items, &[10.0]);
        assert_eq!(greedy.len(), 2);
    }

    #[test]
    fn forced_breaks_are_taken() {
        let mut items = words(&[3.0, 3.0]);
        let tail = words(&[4.0]);
        items.extend(tail);
        let breaks = break_lines(&items, &[100.0], &Params::default()).expect("feasible");
        assert_eq!(breaks.len(), 2);
    }
}
