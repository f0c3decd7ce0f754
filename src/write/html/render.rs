//! The renderer's state: the output so far, the notes met, warnings, the
//! nesting guard and where finished output goes. The markup itself is written by the files
//! beside this one (blocks, inlines, notes, the header, attributes).

use std::io;

use super::hooks::Hooks;
use crate::error::Warning;
use crate::locale::Labels;
use crate::model::{Block, MAX_DEPTH};

/// What takes the output as it is made: called with what was made so far, it takes out of
/// the string what it sends on.
pub(super) type Outlet<'a> = dyn FnMut(&mut String) -> io::Result<()> + 'a;

/// Renders one document's article, collecting notes and warnings on the way.
pub(super) struct Renderer<'a> {
    pub(super) out: String,
    /// XHTML for an EPUB ([`Hooks::xhtml`], asked once).
    pub(super) xhtml: bool,
    /// What the flavour decides: note markup, images, the source link.
    pub(super) hooks: &'a mut dyn Hooks,
    /// Notes in number order (number = index + 1); rendering a note may append more.
    pub(super) notes: Vec<&'a [Block]>,
    pub(super) warnings: Vec<Warning>,
    /// Current nesting of blocks and inlines: a guard for models that skipped the readers'
    /// depth limit (writers are public API).
    pub(super) depth: usize,
    /// Inside an `<a>`: nested links lose their `<a>` and note references wait until it
    /// closes (HTML does not nest links).
    pub(super) in_link: bool,
    pub(super) deferred_note_refs: Vec<usize>,
    /// Inside a header cell, where HTML allows no headings.
    pub(super) in_table_head: bool,
    /// The headings open above what comes next, outermost first: each heading's level in
    /// the document and the level it was written at (the page title is level 0 written as
    /// 1). Keeps written levels from skipping while same-level headings stay level.
    pub(super) outline: Vec<(u8, u8)>,
    /// Where the output goes as it is made, if anywhere: called with `out` between a table's
    /// rows (a table may be larger than the rest of the page), it takes what it sends out.
    pub(super) send: Option<&'a mut Outlet<'a>>,
    /// The error `send` failed with; nothing is sent (or rendered in a table) after it.
    pub(super) send_error: Option<io::Error>,
    /// What an image left out of the page is called when its alternative text says
    /// nothing: the word for an image in the document's language ("Bild").
    pub(super) image_label: &'static str,
    /// The image being written is a figure's whose caption already says what its
    /// alternative text does (repeats it, maybe with a credit after it): it is written as
    /// the label, or not at all, so that a reader meets the words once.
    pub(super) image_told_by_caption: bool,
}

/// How deep the renderer descends before it stops: well beyond what readers allow.
pub(super) const DEPTH_GUARD: usize = MAX_DEPTH * 4;

impl<'a> Renderer<'a> {
    /// A renderer for a document in `language` (its words for what the page leaves out).
    pub(super) fn new(hooks: &'a mut dyn Hooks, language: Option<&str>) -> Renderer<'a> {
        Renderer {
            out: String::new(),
            xhtml: hooks.xhtml(),
            hooks,
            notes: Vec::new(),
            warnings: Vec::new(),
            depth: 0,
            in_link: false,
            deferred_note_refs: Vec::new(),
            in_table_head: false,
            // The header's title, when there is one, is the page's first heading.
            outline: Vec::new(),
            send: None,
            send_error: None,
            image_label: Labels::for_language(language).image,
            image_told_by_caption: false,
        }
    }

    /// Hands the output so far to `send`, if there is one; returns the error it failed with
    /// (now or at an earlier call).
    pub(super) fn send_out(&mut self) -> io::Result<()> {
        if let Some(error) = self.send_error.take() {
            return Err(error);
        }
        match self.send.as_mut() {
            Some(send) => send(&mut self.out),
            None => Ok(()),
        }
    }

    /// [`Renderer::send_out`] where the error cannot be returned yet (inside a table): it is
    /// kept for the next [`Renderer::send_out`]. False once sending has failed.
    pub(super) fn send_row(&mut self) -> bool {
        if self.send_error.is_none() {
            if let Some(Err(error)) = self.send.as_mut().map(|send| send(&mut self.out)) {
                self.send_error = Some(error);
            }
        }
        self.send_error.is_none()
    }

    pub(super) fn warn(&mut self, message: String) {
        self.warnings.push(Warning { message });
    }

    /// Enters one level of nesting; false (with a warning) when the guard is reached.
    pub(super) fn enter(&mut self) -> bool {
        if self.depth >= DEPTH_GUARD {
            if !self
                .warnings
                .iter()
                .any(|w| w.message.starts_with("content nested deeper"))
            {
                self.warn(format!(
                    "content nested deeper than {DEPTH_GUARD} levels was left out"
                ));
            }
            return false;
        }
        self.depth += 1;
        true
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}
