//! Cutting a long document into pieces that pulldown-cmark parses one after another into
//! the events it makes of the whole, so that its tree never holds more than a piece.

/// The length up to which a document that can hold footnotes keeps all its events (some
/// megabytes of them) rather than be parsed twice.
pub(super) const KEEP_EVENTS_LEN: usize = 512 * 1024;

/// The length past which a document is cut into pieces, where it can be.
pub(super) const PIECE_LEN: usize = 64 * 1024;

/// A document cut into pieces that pulldown-cmark parses one after another into the events
/// it makes of the whole, so that its tree never holds more than a piece.
///
/// A cut goes before a line that starts a new top-level block for certain: it follows a
/// blank line (which ends paragraphs, tables, block quotes and HTML blocks of kinds 6 and 7)
/// and starts in column 0 with neither a list marker (which could continue the list before)
/// nor indentation (which could continue a list item or indented code), and outside fenced
/// code (see [`Fences`]). Documents with what reaches across blank lines or across the whole
/// document are not cut at all: link reference definitions and footnotes (`]:`, `[^`), the
/// HTML blocks that end only at their end tag (comments, `<!…>`, `<?…>`, `pre`, `script`,
/// `style`, `textarea`), and fenced code where its fences cannot be told for certain.
pub(super) struct Pieces<'a> {
    pub(super) rest: &'a str,
    /// The length a piece grows to before it is cut; `usize::MAX` when cutting is unsafe.
    pub(super) min_len: usize,
}

impl<'a> Pieces<'a> {
    pub(super) fn new(text: &'a str, min_len: usize) -> Pieces<'a> {
        let min_len = if can_be_cut(text) {
            min_len.max(1)
        } else {
            usize::MAX
        };
        Pieces {
            rest: text,
            min_len,
        }
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let cut = if self.rest.len() > self.min_len {
            cut_point(self.rest, self.min_len)
        } else {
            None
        };
        let (piece, rest) = self.rest.split_at(cut.unwrap_or(self.rest.len()));
        self.rest = rest;
        Some(piece)
    }
}

/// Whether nothing in the text reaches across blank lines at the top level or across the
/// whole document (see [`Pieces`]); conservative: it looks for the markers anywhere.
pub(super) fn can_be_cut(text: &str) -> bool {
    if ["]:", "[^", "<!", "<?"]
        .iter()
        .any(|marker| text.contains(marker))
    {
        return false;
    }
    let bytes = text.as_bytes();
    if (text.contains("```") || text.contains("~~~")) && !fences_are_certain(bytes) {
        return false;
    }
    !bytes.iter().enumerate().any(|(at, &b)| {
        b == b'<'
            && ["pre", "script", "style", "textarea"].iter().any(|name| {
                bytes
                    .get(at + 1..at + 1 + name.len())
                    .is_some_and(|tag| tag.eq_ignore_ascii_case(name.as_bytes()))
            })
    })
}

/// Whether [`Fences`] sees every fence as pulldown-cmark does: not when a line could start
/// an HTML block (whose lines are not fences, though they may look like one) and not when a
/// lone CR ends lines (the scan splits lines at LF).
pub(super) fn fences_are_certain(bytes: &[u8]) -> bool {
    let lone_cr = bytes
        .iter()
        .enumerate()
        .any(|(at, &b)| b == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
    let html_line = bytes.split(|&b| b == b'\n').any(|line| {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        indent <= 3 && line.get(indent) == Some(&b'<')
    });
    !lone_cr && !html_line
}

/// Where a scan from the start of a piece stands with fenced code, line by line.
///
/// A fence in column 0 is always a top-level one: a list item or a block quote cannot take an
/// unindented fence as a lazy line, and an HTML block is ruled out by [`fences_are_certain`].
/// Inside it nothing but its closing fence counts. A fence indented 1 to 3 spaces may belong
/// to a list item, which can end before the fence closes; the scan cannot follow that, so it
/// stops cutting there. One indented 4 or more spaces is code or inside a list item, which
/// the next cut line (unindented, after a blank line) ends anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fences {
    Outside,
    /// In fenced code opened by this many of this character.
    Inside(u8, usize),
    Unknown,
}

impl Fences {
    pub(super) fn after_line(self, line: &[u8]) -> Fences {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let rest = line.get(indent..).unwrap_or_default();
        let fence_char = match rest.first() {
            Some(&c @ (b'`' | b'~')) if indent <= 3 => c,
            _ => return self,
        };
        let run = rest.iter().take_while(|&&b| b == fence_char).count();
        if run < 3 {
            return self;
        }
        let after = rest.get(run..).unwrap_or_default();
        match self {
            Fences::Unknown => self,
            Fences::Inside(c, len) => {
                let closes = c == fence_char
                    && run >= len
                    && after.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
                if closes {
                    Fences::Outside
                } else {
                    self
                }
            }
            Fences::Outside => {
                // A backtick fence's info string has no backtick (else it is inline code).
                if fence_char == b'`' && after.contains(&b'`') {
                    self
                } else if indent == 0 {
                    Fences::Inside(fence_char, run)
                } else {
                    Fences::Unknown
                }
            }
        }
    }
}

/// The start of the first line at or after byte `from` that a piece may start with (see
/// [`Pieces`]), if any.
pub(super) fn cut_point(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // From the start of the text (which starts a top-level block, outside any fence), so
    // that the fences before `from` are seen.
    let mut line_start = 0;
    let mut after_blank = false;
    let mut fences = Fences::Outside;
    while line_start < bytes.len() {
        let line_end = bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |at| line_start + at);
        let line = &bytes[line_start..line_end];
        // A line of spaces and tabs is blank; CR ends a line too, so CR LF and lone CRs in
        // it leave blank lines only.
        let blank = line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
        if fences == Fences::Unknown {
            return None;
        }
        if after_blank && line_start >= from && fences == Fences::Outside {
            if let Some(&first) = line.first() {
                if !blank && !matches!(first, b' ' | b'\t' | b'-' | b'+' | b'*' | b'0'..=b'9') {
                    return Some(line_start);
                }
            }
        }
        fences = fences.after_line(line);
        // A blank line inside fenced code does not end what it is in.
        after_blank = blank && fences == Fences::Outside;
        line_start = line_end + 1;
    }
    None
}
