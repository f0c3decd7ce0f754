//! Parsing HTML into a DOM (html5ever + RcDom) with a nesting cap.
//!
//! html5ever's tree builder scans its stack of open elements for many tokens, so deeply nested
//! input costs quadratic time (100,000 nested `<div>`s take most of a minute). Browsers stop
//! nesting at 512 elements; we do the same one step earlier, in a [`TokenSink`] between the
//! tokenizer and the tree builder: it keeps an estimate of the open elements and drops start
//! tags (and their matching end tags) that would go deeper than [`MAX_OPEN_ELEMENTS`]. Their
//! text still reaches the tree, so nothing readable is lost.
//!
//! The tree builder builds into [`CompactingDom`]: markup5ever_rcdom's `RcDom`, which also
//! compacts plain table rows as they close ([`compact`](super::compact)). The questions asked
//! of the tree's nodes are in [`node`](super::node).

use super::compact::CompactRows;
#[cfg(test)]
use super::node::{descendants, is, text_content};
use super::scan::Unsupported;
use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, EndTag, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{local_name, Attribute, ExpandedName, LocalName, QualName, TokenizerResult};
#[cfg(test)]
use markup5ever_rcdom::NodeData;
use markup5ever_rcdom::{Handle, RcDom};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

/// The deepest element nesting the parser builds.
pub const MAX_OPEN_ELEMENTS: usize = 500;

/// A parsed page: the tree, and the table rows compacted in it.
#[derive(Default)]
pub struct Page {
    pub dom: RcDom,
    pub rows: CompactRows,
}

/// Parses a whole HTML document (scripts, style sheets, drawings and comments emptied first:
/// see [`raw_text`]). The page is tokenized by the [`scan`] scanner, or by html5ever's
/// tokenizer when it holds something the scanner leaves to it; the tree is the same.
///
/// [`raw_text`]: super::raw_text
/// [`scan`]: super::scan
pub fn parse(html: &str) -> Page {
    parse_page(html, true)
}

fn parse_page(html: &str, compact_rows: bool) -> Page {
    let html = &*super::raw_text::without_unread_content(html);
    scanned(html, compact_rows).unwrap_or_else(|_| tokenized(html, CHUNK_LEN, compact_rows))
}

/// How much of the page html5ever's tokenizer is given at a time. Text nodes share the buffer
/// of the chunk they come from, so the parser never holds a second copy of the whole page,
/// only of the chunks whose text is still in the tree.
const CHUNK_LEN: usize = 64 * 1024;

/// The tree builder behind the depth cap, building into a fresh page.
fn new_sink(compact_rows: bool) -> DepthCappedSink {
    let dom = CompactingDom {
        page: Page::default(),
        compact_rows,
        rows: RefCell::default(),
    };
    DepthCappedSink {
        inner: TreeBuilder::new(dom, TreeBuilderOpts::default()),
        state: RefCell::new(CapState::default()),
    }
}

fn into_page(sink: DepthCappedSink) -> Page {
    let CompactingDom { mut page, rows, .. } = sink.inner.sink;
    page.rows = rows.into_inner();
    page
}

/// The page tokenized by the [`scan`](super::scan) scanner, or what it holds that the scanner
/// leaves to html5ever's tokenizer.
fn scanned(html: &str, compact_rows: bool) -> Result<Page, Unsupported> {
    // The reader has removed NULs; a page that still has one goes to html5ever, which knows
    // where each kind of NUL goes.
    if memchr::memchr(b'\0', html.as_bytes()).is_some() {
        return Err(Unsupported("a NUL"));
    }
    // The standard's input stream turns CR LF and lone CR into LF before tokenizing.
    let normalized;
    let html = if memchr::memchr(b'\r', html.as_bytes()).is_some() {
        normalized = html.replace("\r\n", "\n").replace('\r', "\n");
        &normalized
    } else {
        html
    };
    let sink = new_sink(compact_rows);
    super::scan::tokenize(html, &sink)?;
    sink.end();
    Ok(into_page(sink))
}

/// The page tokenized by html5ever's tokenizer, fed `chunk_len` bytes at a time (rounded up
/// to a character boundary). The tokenizer is incremental: a tag, a character reference or
/// a CR LF cut by a chunk boundary is finished from the next chunk, so the tree does not
/// depend on the size. `compact_rows` false keeps every row as parsed (tests compare the two).
fn tokenized(html: &str, chunk_len: usize, compact_rows: bool) -> Page {
    let tokenizer = Tokenizer::new(new_sink(compact_rows), TokenizerOpts::default());
    let queue = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() {
        let mut end = chunk_len.clamp(1, rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (chunk, after) = rest.split_at(end);
        rest = after;
        queue.push_back(StrTendril::from_slice(chunk));
        // `Done` means the queue is used up, or holds the start of something (a tag, a
        // character reference) that the next chunk completes. The tokenizer also pauses
        // after each `</script>` and at each `<meta charset>` (an encoding indicator, which
        // is moot: the input is decoded already); resume it then.
        while !matches!(tokenizer.feed(&queue), TokenizerResult::Done) {}
    }
    tokenizer.end();
    into_page(tokenizer.sink)
}

/// [`parse`] through html5ever's tokenizer, `chunk_len` bytes at a time (tests).
#[cfg(test)]
fn parse_in_chunks(html: &str, chunk_len: usize, compact_rows: bool) -> Page {
    let html = &*super::raw_text::without_unread_content(html);
    tokenized(html, chunk_len, compact_rows)
}

/// [`parse`] keeping every table row as parsed: what compacting must not change.
#[cfg(test)]
pub fn parse_without_compaction(html: &str) -> Page {
    parse_page(html, false)
}

/// The tree builder behind a depth cap (see the module docs).
struct DepthCappedSink {
    inner: TreeBuilder<Handle, CompactingDom>,
    state: RefCell<CapState>,
}

/// An estimate of the tree builder's open elements. It need not be exact: it only has to stay
/// close enough that the real stack never grows far beyond the cap.
#[derive(Default)]
struct CapState {
    open: Vec<LocalName>,
    /// How many start tags of each name were dropped and still wait for their end tag.
    dropped: HashMap<LocalName, usize>,
    /// How many `p` elements are in `open` (so most tags need no search for one to close).
    open_paragraphs: usize,
}

impl TokenSink for DepthCappedSink {
    type Handle = Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Handle> {
        if let TagToken(tag) = &token {
            if !self.state.borrow_mut().admit(tag) {
                return TokenSinkResult::Continue;
            }
        }
        self.inner.process_token(token, line_number)
    }

    fn end(&self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// `RcDom` with plain table rows compacted as the tree builder closes them. Every other call
/// goes to `RcDom` as it is, except parse errors, which nothing reads (a broken page can have
/// millions of them).
struct CompactingDom {
    page: Page,
    compact_rows: bool,
    rows: RefCell<CompactRows>,
}

impl TreeSink for CompactingDom {
    type Handle = Handle;
    type Output = Self;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn pop(&self, node: &Handle) {
        if self.compact_rows {
            self.rows.borrow_mut().compact(node);
        }
    }

    fn get_document(&self) -> Handle {
        self.page.dom.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        self.page.dom.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.page.dom.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> Handle {
        self.page.dom.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.page.dom.create_pi(target, data)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.page.dom.append(parent, child)
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        self.page
            .dom
            .append_based_on_parent_node(element, prev_element, child)
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.page
            .dom
            .append_doctype_to_document(name, public_id, system_id)
    }

    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.page.dom.get_template_contents(target)
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.page.dom.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.page.dom.set_quirks_mode(mode)
    }

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.page.dom.append_before_sibling(sibling, new_node)
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.page.dom.add_attrs_if_missing(target, attrs)
    }

    fn remove_from_parent(&self, target: &Handle) {
        self.page.dom.remove_from_parent(target)
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.page.dom.reparent_children(node, new_parent)
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        self.page
            .dom
            .is_mathml_annotation_xml_integration_point(handle)
    }

    fn maybe_clone_an_option_into_selectedcontent(&self, option: &Handle) {
        self.page
            .dom
            .maybe_clone_an_option_into_selectedcontent(option)
    }
}

impl CapState {
    /// Updates the estimate for a tag and says whether the tree builder should see it.
    fn admit(&mut self, tag: &Tag) -> bool {
        match tag.kind {
            StartTag => {
                if tag.self_closing || is_void(&tag.name) {
                    return true;
                }
                self.close_implied_by(&tag.name);
                // Raw-text elements switch the tokenizer's state: dropping one would let its
                // script or style text out as page text. They hold no elements, so keep them.
                if self.open.len() >= MAX_OPEN_ELEMENTS && !is_raw_text(&tag.name) {
                    *self.dropped.entry(tag.name.clone()).or_default() += 1;
                    return false;
                }
                if tag.name == local_name!("p") {
                    self.open_paragraphs += 1;
                }
                self.open.push(tag.name.clone());
                true
            }
            EndTag => {
                // An entry leaves when its count reaches 0: on most pages the map is empty
                // and end tags skip the lookup.
                if !self.dropped.is_empty() {
                    if let Some(count) = self.dropped.get_mut(&tag.name) {
                        *count -= 1;
                        if *count == 0 {
                            self.dropped.remove(&tag.name);
                        }
                        return false;
                    }
                }
                if !matches!(
                    tag.name,
                    local_name!("body") | local_name!("html") | local_name!("br")
                ) {
                    if let Some(at) = self.open.iter().rposition(|name| *name == tag.name) {
                        self.truncate(at);
                    }
                }
                true
            }
        }
    }

    /// Start tags that close an open element implicitly (`<li>` after `<li>`, a block after
    /// an open `<p>`, a cell after a cell).
    fn close_implied_by(&mut self, name: &LocalName) {
        let (targets, boundaries): (&[LocalName], &[LocalName]) = match *name {
            local_name!("li") => (
                &[local_name!("li")],
                &[local_name!("ul"), local_name!("ol")],
            ),
            local_name!("dt") | local_name!("dd") => (
                &[local_name!("dt"), local_name!("dd")],
                &[local_name!("dl")],
            ),
            local_name!("td") | local_name!("th") | local_name!("tr") => (
                if *name == local_name!("tr") {
                    &[local_name!("tr")]
                } else {
                    &[local_name!("td"), local_name!("th")]
                },
                &[local_name!("table")],
            ),
            local_name!("option") => (&[local_name!("option")], &[local_name!("select")]),
            _ => (&[], &[]),
        };
        if !targets.is_empty() {
            for at in (0..self.open.len()).rev() {
                let open = &self.open[at];
                if boundaries.contains(open) {
                    break;
                }
                if targets.contains(open) {
                    self.truncate(at);
                    break;
                }
            }
        }
        if self.open_paragraphs > 0 && closes_paragraph(name) {
            for at in (0..self.open.len()).rev() {
                let open = &self.open[at];
                if matches!(
                    *open,
                    local_name!("button") | local_name!("table") | local_name!("td")
                ) {
                    break;
                }
                if *open == local_name!("p") {
                    self.truncate(at);
                    break;
                }
            }
        }
    }

    fn truncate(&mut self, len: usize) {
        let closed = self.open.get(len..).unwrap_or_default();
        let paragraphs = closed.iter().filter(|n| **n == local_name!("p")).count();
        self.open_paragraphs = self.open_paragraphs.saturating_sub(paragraphs);
        self.open.truncate(len);
    }
}

fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("param")
            | local_name!("keygen")
            | local_name!("image")
    )
}

fn is_raw_text(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("title")
            | local_name!("textarea")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("plaintext")
    )
}

/// Start tags that close an open `<p>` (the HTML standard's list, most of it).
fn closes_paragraph(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("dl")
            | local_name!("li")
            | local_name!("dd")
            | local_name!("dt")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("blockquote")
            | local_name!("pre")
            | local_name!("table")
            | local_name!("section")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("nav")
            | local_name!("main")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("address")
            | local_name!("fieldset")
            | local_name!("form")
            | local_name!("details")
            | local_name!("summary")
            | local_name!("menu")
            | local_name!("hgroup")
            | local_name!("center")
    )
}

/// The tree as text, one node a line: what the chunking and scanner tests compare.
/// Namespaces, DOCTYPE identifiers, template contents and the quirks mode are in it too.
#[cfg(test)]
fn dump(dom: &RcDom) -> String {
    let mut out = format!("{:?}\n", dom.quirks_mode.get());
    let mut stack = vec![(dom.document.clone(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        out.push_str(&"  ".repeat(depth));
        match &node.data {
            NodeData::Document => out.push_str("#document"),
            NodeData::Doctype {
                name,
                public_id,
                system_id,
            } => out.push_str(&format!("<!DOCTYPE {name} {public_id:?} {system_id:?}>")),
            NodeData::Text { contents } => out.push_str(&format!("{:?}", &**contents.borrow())),
            NodeData::Comment { contents } => out.push_str(&format!("<!--{contents}-->")),
            NodeData::Element {
                name,
                attrs,
                template_contents,
                ..
            } => {
                out.push_str(&format!("<{} {}", name.local, name.ns));
                for a in attrs.borrow().iter() {
                    let prefix = a.name.prefix.as_deref().unwrap_or_default();
                    out.push_str(&format!(
                        " {prefix}:{}[{}]={:?}",
                        a.name.local, a.name.ns, &*a.value
                    ));
                }
                out.push('>');
                if let Some(contents) = &*template_contents.borrow() {
                    stack.push((contents.clone(), depth + 1));
                }
            }
            NodeData::ProcessingInstruction { target, .. } => out.push_str(&format!("<?{target}>")),
        }
        out.push('\n');
        for child in node.children.borrow().iter().rev() {
            stack.push((child.clone(), depth + 1));
        }
    }
    out
}

/// The trees of `html` (after the pre-pass) from the scanner and from html5ever's
/// tokenizer, every row kept; for the scanner, why it left the page to html5ever if it
/// did.
#[cfg(test)]
pub(crate) fn both_trees(html: &str) -> (Result<String, Unsupported>, String) {
    let html = &*crate::dom::raw_text::without_unread_content(html);
    both_trees_as_is(html)
}

/// [`both_trees`] without the pre-pass (comments, scripts and styles stay).
#[cfg(test)]
pub(crate) fn both_trees_as_is(html: &str) -> (Result<String, Unsupported>, String) {
    let scanner = scanned(html, false).map(|page| dump(&page.dom));
    (scanner, dump(&tokenized(html, CHUNK_LEN, false).dom))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_depth(root: &Handle) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(root.clone(), 0usize)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            for child in node.children.borrow().iter() {
                stack.push((child.clone(), depth + 1));
            }
        }
        deepest
    }

    #[test]
    fn caps_nesting_and_keeps_text() {
        let html = format!("{}deep{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let dom = parse(&html).dom;
        assert!(max_depth(&dom.document) <= MAX_OPEN_ELEMENTS + 8);
        assert!(text_content(&dom.document).contains("deep"));
    }

    /// Pages written to walk the tokenizer's states: each must give html5ever's tree.
    const SCANNED_PAGES: &[&str] = &[
        "<!DOCTYPE html><html><head><title>A &amp; B &notit; &notin; &copy &#169 &#xA9; &#x; &#; &# &am</title></head><body>x</body></html>",
        "<!doctype HTML><p>&lt;&gt;&quot;&apos;&nbsp;&NotANamedRef; &amp &ampx &amp= &AMP; &Aacute &aacute; &#0; &#128; &#x9f; &#xD800; &#1114112; &#99999999999; &#65 &#x41x &#X41;",
        "<p title=\"a&amp;b &copy=2 &copyx &copy; &amp\" data-x='&lt;q&gt; &#34;' alt=&lt;unquoted&amp;x= href=/a?b=1&c=2&copy=3&reg>t</p>",
        "<p CLASS=A class=b Id=\"X\" =eq a=b=c d=`e` f=\"g\"h i/j k = l m= >x</p><br/><br / ><img src=x/><p/>y<a/b>z</a>",
        "<div>a < b <3 </ c> </3> </> <? pi ?> <!x> <!-x> <!- <!DOCTYPEx> &</div>",
        "<p>a<!-->b<!--->c<!---->d<!----->e<!-- f --->g<!-- h --!>i<!-- j --!-->k<!-- <!-- l -->m<!--<!-->n</p>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\"><table><p>quirks?</table>",
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><p><table><tr><td>quirks</table>",
        "<!DOCTYPE html SYSTEM 'about:legacy-compat'><p>x",
        "<!DOCTYPE><p>no name",
        "<!DOCTYPE html   ><p>spaces",
        "<html><head><title>T &lt;b&gt; </titlex> </TITLE >after<textarea>\n<b>a &amp; b</b></textarea><style>p{} </stylex> </style x><xmp><b>&amp;</b></xmp><iframe><p>x</iframe><noscript><p>n</p></noscript>",
        "<script type=\"application/ld+json\">{\"a\": \"</b>&amp;\"}</script><script>var a = 1 < 2;</SCRIPT ><p>after",
        "<body><pre>\nfirst line\n</pre><pre>&#10;second</pre><textarea>\n\nthird</textarea><listing>\nl</listing>",
        "<table>stray<tr>text<td>cell</td>more</tr></table><table><tbody><tr><td>a<td>b<tr><td>c</table>",
        "<svg><title>t &amp;</title><style>s</style><foreignObject><p>f</p></foreignObject></svg><math><mi>x</mi><annotation-xml encoding=\"text/html\"><p>h</p></annotation-xml></math>",
        "<template><p>in template</p><td>cell</td></template><select><option>a<option>b</select><frameset>",
        "<P><B>Upper</B> <Ünïcode-tag attr=1>x</Ünïcode-tag> <a HREF=x xlink:href=y>l</a><svg viewBox=\"0 0 1 1\" xlink:href=z><path d=m/></svg>",
        "\u{feff}<p>bom</p>",
        "<p>line\r\nbreak\rcr\r\n\r\n</p><p title=\"a\r\nb\">t</p>\r\n",
        "<plaintext><p>all of this is &amp; text</p>",
        "text before any tag &amp; <b>bold <i>both</b> italic</i> end",
        "<p>unclosed <b>bold",
        "<ul><li>one<li>two</ul><dl><dt>t<dd>d</dl><h1>h<h2>x</h2></h1>",
        "<a href=\"x\">link <a href=\"y\">nested</a></a><button><button>b</button></button><form><form>f</form>",
        "<p>ends with an ampersand &",
        "<p>ends with a less-than <",
        "<p>ends with </",
        "<script>document.write('<!--');</script><p>x</p>",
        "<script><!-- document.write(\"<script>x</script>\"); --></script><p>after</p>",
        "<script><!--<script></script>--></script><p>after</p>",
        "<script><!-- a --> b </script><p>after",
        "<script>a<!--b<SCRIPT>c</Script >d</script>e-->f</script><p>x",
        "<script><!--<scriptx>--></script><p>y",
        "<script><!--</script><p>z",
        "<script><!-->--></script><p>w",
        "<script><!--- -<script/--<--></script-> ---></script><p>v",
        "<script><!--<script>-->unclosed",
        "<script><!--<script></scrip></script--></script><p>u",
        "<script>a<!-x<script>b</script><p>t",
        "<svg><![CDATA[x < y]]]></svg><p><![CDATA[bogus]]></p><math><mi><![CDATA[html]]></mi><![CDATA[m]]></math>",
        "<svg><desc>a</desc>b <![CDATA[c]]></svg><svg><![CDATA[unclosed",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\" junk><p>x<table>",
        "<!DOCTYPE html PUBLIC \"abrupt>\"><p>x<table>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\" 'sys>tem'><p>x<table>",
        "<!DOCTYPE html SYSTEM \"about:legacy-compat\" [internal]><p>x<table>",
        "<!DOCTYPE html PUBLIC><p>x<table>",
        "<!DOCTYPE html SYSTEM junk><p>x<table>",
        "<!DOCTYPE html OTHER><p>x<table>",
        "<!DOCTYPEhtml><p>x<table>",
        "<!DOCTYPE html PUBLIC'-//W3C//DTD HTML 4.01 Transitional//EN''http://www.w3.org/TR/html4/loose.dtd'><p>x<table>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\"\n  \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\"><p>x<table>",
        "<!DOCTYPE html><p>x<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [\n]><table>",
    ];

    #[test]
    fn the_scanner_builds_the_tree_html5ever_builds() {
        for (index, html) in SCANNED_PAGES.iter().enumerate() {
            // As parsing sees them (after the pre-pass), and as written, comments and all.
            for (scanner, html5ever) in [both_trees(html), both_trees_as_is(html)] {
                let scanner = scanner.unwrap_or_else(|why| panic!("page {index} left: {why:?}"));
                assert_eq!(scanner, html5ever, "page {index}: {html}");
            }
        }
        // Long text and long attribute values come from shared segments of the page.
        let long = format!(
            "<p title=\"{}\">{}</p>",
            "t".repeat(70_000),
            "word ".repeat(30_000)
        );
        let (scanner, html5ever) = both_trees(&long);
        assert_eq!(scanner.as_deref(), Ok(&*html5ever));
    }

    /// Markup made of the pieces the tokenizer's states turn on, in random orders: the
    /// scanner's tree is html5ever's whenever it takes the page (and it takes most).
    #[test]
    fn generated_markup_gets_html5evers_tree() {
        use proptest::strategy::{Strategy, ValueTree};
        use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
        const PIECES: &[&str] = &[
            "<",
            ">",
            "/",
            "/>",
            "!",
            "-",
            "--",
            "<!--",
            "-->",
            "--!>",
            "<!-",
            "&",
            "&amp",
            "&amp;",
            "&not",
            "&notin;",
            "&#",
            "&#x",
            "&#65",
            "&#x3c;",
            "&#128;",
            "&#10",
            "&#xa;",
            "&#0;",
            ";",
            "=",
            "\"",
            "'",
            "`",
            " ",
            "\n",
            "\r",
            "\r\n",
            "\t",
            "a",
            "B",
            "é",
            "東",
            "<p",
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<a href=",
            "<A HREF='x'>",
            "</a>",
            "<table>",
            "<tr>",
            "<td>",
            "</td>",
            "</table>",
            "<script>",
            "</script>",
            "<script",
            "</script",
            "<title>",
            "</title>",
            "<textarea>",
            "</textarea>",
            "<style>",
            "</style>",
            "<xmp>",
            "<noscript>",
            "</noscript>",
            "<plaintext>",
            "<svg>",
            "</svg>",
            "<math>",
            "<mi>",
            "<![CDATA[",
            "]]>",
            "<!DOCTYPE",
            "<!doctype html>",
            " PUBLIC ",
            " SYSTEM ",
            "\"-//W3C//DTD HTML 4.01//EN\"",
            "<template>",
            "</template>",
            "<pre>",
            "<li>",
            "<listing>",
            "<ul>",
            "<select>",
            "<option>",
            "<br>",
            "</br>",
            "<img src=x alt=y>",
            "<?",
            "</ ",
            "</>",
            "<div class=a class=b id=c>",
            "</div>",
            "<frameset>",
        ];
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]);
        let mut runner = TestRunner::new_with_rng(Config::default(), rng);
        let pages = proptest::collection::vec(proptest::sample::select(PIECES), 0..48)
            .prop_map(|pieces| pieces.concat());
        let (mut scanned, mut total) = (0, 0);
        for _ in 0..3000 {
            let html = pages.new_tree(&mut runner).expect("a page").current();
            for (scanner, html5ever) in [both_trees(&html), both_trees_as_is(&html)] {
                total += 1;
                if let Ok(scanner) = scanner {
                    scanned += 1;
                    assert!(scanner == html5ever, "{html:?}\n{scanner}\n{html5ever}");
                }
            }
        }
        assert!(scanned * 2 > total, "{scanned} of {total} scanned");
    }

    /// What the scanner leaves to html5ever: the tree is still html5ever's.
    #[test]
    fn pages_the_scanner_leaves_go_to_html5ever() {
        let pages = [
            (
                "<p>ends inside a tag <a href=\"x",
                "a tag that the page ends in",
            ),
            (
                "<p>ends inside a comment <!-- x",
                "a comment that the page ends in",
            ),
            (
                "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN",
                "a DOCTYPE that the page ends in",
            ),
            ("<p>a NUL \0 here</p>", "a NUL"),
        ];
        for (html, why) in pages {
            let (scanner, html5ever) = both_trees(html);
            assert_eq!(scanner, Err(Unsupported(why)), "{html}");
            assert_eq!(
                dump(&parse_without_compaction(html).dom),
                html5ever,
                "{html}"
            );
        }
    }

    #[test]
    fn chunk_boundaries_do_not_change_the_tree() {
        // Multi-byte characters (2, 3 and 4 bytes), character references, CR LF, comments,
        // attributes, a kept JSON-LD script, implied end tags and a table: at some chunk size
        // each of them is cut by a boundary.
        let page = "<!DOCTYPE html>\r\n<html lang=\"fr\"><head><title>Café — 東京 😀</title>\
            <script type=\"application/ld+json\">{\"headline\": \"Ça va</b>\"}</script>\
            <style>p { color: red }</style></head>\r\n<body class=\"a&amp;b\">\
            <!-- un commentaire: é --><p title='l&apos;été'>Première ligne\r\nDeuxième &eacute; \
            &#x1F600; &#233 &amp &lt;tag&gt; ß<br/>fin<p>Ελληνικά <a href=\"/x?a=1&b=2\">lien</a>\
            <table><tr><td>①<td>② ③</table><ul><li>один<li>два</ul><textarea><b>not a tag</b>\
            </textarea>Ωmega</body></html>\r\n";
        let whole = dump(&parse_in_chunks(page, usize::MAX, true).dom);
        assert!(
            whole.contains("ligne\\nDeuxième é 😀 é & <tag> ß\""),
            "{whole}"
        );
        for chunk_len in (1..=40).chain([64, 100, 333]) {
            let chunked = dump(&parse_in_chunks(page, chunk_len, true).dom);
            assert_eq!(chunked, whole, "chunks of {chunk_len} bytes");
        }
    }

    #[test]
    fn implied_closes_keep_siblings_flat() {
        let html = format!("<ul>{}</ul><p>end", "<li>x".repeat(2000));
        let dom = parse(&html).dom;
        let lis = descendants(&dom.document)
            .iter()
            .filter(|n| is(n, local_name!("li")))
            .count();
        assert_eq!(lis, 2000);
        assert!(max_depth(&dom.document) < 10);
    }

    /// Pages with plain rows (compacted) and rows that must stay (elements, comments, long or
    /// hidden cells, classes, foster-parented text), in the shapes parsers meet.
    const TABLES: &str = "<table>\n  <caption>Cities</caption>\n  <thead><tr><th>Name</th>\
        <th scope=col align=right>Size</th></tr></thead>\n  <tbody>\n    <tr>\n      \
        <td>Oslo</td>\n      <td colspan=2 style='text-align: center'>709 000</td>\n    \
        </tr>\n    <tr><td></td><td>   </td><td>é 東京 😀</td></tr>\n    <tr><td><b>bold</b>\
        </td><td>x</td></tr>\n    <tr><td>a<!-- c -->b</td></tr>\n    <tr><td class=ad>ad\
        </td></tr>\n    <tr><td hidden>h</td><td style='display:none'>n</td></tr>\n    \
        <tr><td>A sentence that is long enough, to be prose.</td></tr>\n    <tr>stray<td>s\
        </td></tr>\n  </tbody>\n</table>\n<table><tr><td>open<td>cells<tr><th>implied\
        </table><table><tr><td>1<table><tr><td>nested</td></tr></table></td></tr></table>\
        <table><tr><td>unclosed";

    #[test]
    fn compacted_rows_expand_to_the_tree_the_parser_made() {
        let plain = dump(&parse_in_chunks(TABLES, CHUNK_LEN, false).dom);
        let Page { dom, mut rows } = parse_in_chunks(TABLES, CHUNK_LEN, true);
        let compacted = dump(&dom);
        assert_ne!(compacted, plain, "some rows are compacted");
        // The text of the page is the same before expanding.
        assert_eq!(
            text_content(&dom.document),
            text_content(&parse_in_chunks(TABLES, CHUNK_LEN, false).dom.document)
        );
        let trs: Vec<Handle> = descendants(&dom.document)
            .into_iter()
            .filter(|n| is(n, local_name!("tr")))
            .collect();
        let mut count = 0;
        for tr in &trs {
            count += usize::from(rows.has_cells(tr));
            rows.expand(tr);
        }
        // The header row, Oslo, the empty cells, the row whose stray text went before the
        // table, the two implied rows, the nested table's row and the unclosed one.
        assert_eq!((count, trs.len()), (8, 14), "{compacted}");
        assert_eq!(dump(&dom), plain);
    }
}
