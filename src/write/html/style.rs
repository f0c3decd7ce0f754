//! The stylesheet embedded in every standalone page.

/// The one embedded stylesheet: a readable measure, serif body type, light and dark schemes,
/// and print rules. No flexbox, grid or custom properties: e-readers choke on them.
///
/// A table scrolls sideways in its `.table-wrap` when it is wider than the screen (its cells
/// hyphenate first), so the page itself never does. A task item's box hangs where a bullet
/// would be, so that its text lines up with that of the items around it. The standfirst
/// (`.subtitle`) is a larger italic lead, not a headline. Sides are logical (`inline-start`,
/// `text-align: start`), so that a right-to-left page (`dir="rtl"`) has its quote bar, list
/// indents and captions on the right.
pub const STYLESHEET: &str = r#"html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  padding: 2em 1.25em 4em;
  background: #fdfcf8;
  color: #1d1d1b;
  font-family: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "Noto Serif", "DejaVu Serif", serif;
  font-size: 1.125em;
  line-height: 1.6;
  overflow-wrap: break-word;
  hyphens: auto;
}
article { max-width: 34em; margin: 0 auto; }
h1, h2, h3, h4, h5, h6 {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  line-height: 1.25;
  margin: 1.8em 0 0.6em;
  hyphens: manual;
}
h1 { font-size: 1.9em; }
h2 { font-size: 1.45em; }
h3 { font-size: 1.2em; }
h4, h5, h6 { font-size: 1em; }
.article-header { margin-bottom: 2.2em; border-bottom: 1px solid #d8d4c8; padding-bottom: 1em; }
.article-header h1 { margin: 0 0 0.3em; }
.subtitle { font-size: 1.2em; font-style: italic; color: #555; margin: 0 0 0.8em; line-height: 1.4; }
.byline, .dateline {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  font-size: 0.85em;
  color: #5c5c58;
  margin: 0.2em 0;
}
p { margin: 0 0 1em; }
a { color: #1a55a8; text-decoration-thickness: 0.06em; text-underline-offset: 0.15em; }
a:visited { color: #6b3fa0; }
blockquote {
  margin: 1.4em 0;
  padding: 0.1em 0;
  padding-inline-start: 1.1em;
  border-inline-start: 3px solid #c9c2b0;
  color: #3d3d3a;
  font-style: italic;
}
blockquote em { font-style: normal; }
ul, ol { padding-inline-start: 1.6em; margin: 0 0 1em; }
li { margin: 0.25em 0; }
li > p { margin: 0.3em 0; }
li.task-list-item { list-style: none; }
li.task-list-item > input:first-child, li.task-list-item > p:first-child > input:first-child {
  margin: 0;
  margin-inline-start: -1.55em;
  margin-inline-end: 0.2em;
  vertical-align: middle;
}
code, pre, kbd {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono", "DejaVu Sans Mono", monospace;
  font-size: 0.86em;
}
code { background: #f0ede4; padding: 0.08em 0.3em; border-radius: 3px; }
pre {
  background: #f3f1ea;
  border: 1px solid #e2ded2;
  border-radius: 4px;
  padding: 0.8em 1em;
  overflow-x: auto;
  line-height: 1.45;
  margin: 0 0 1.2em;
  hyphens: none;
}
pre code { background: none; padding: 0; font-size: 1em; border-radius: 0; }
hr { border: 0; border-top: 1px solid #d8d4c8; margin: 2em 0; }
.table-wrap { margin: 1.4em 0; max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9em; line-height: 1.4; }
caption { caption-side: top; text-align: start; font-style: italic; padding-bottom: 0.4em; }
th, td {
  border: 1px solid #d8d4c8;
  padding: 0.35em 0.7em;
  vertical-align: top;
  overflow-wrap: break-word;
  hyphens: auto;
}
th { background: #f0ede4; font-weight: bold; }
td > p, th > p { margin: 0; }
figure { margin: 1.6em 0; text-align: center; }
img { max-width: 100%; }
img[width] { height: auto; }
figure img { display: block; margin: 0 auto; }
figcaption { font-size: 0.85em; color: #5c5c58; margin-top: 0.5em; line-height: 1.4; text-align: start; }
sup, sub { line-height: 0; font-size: 0.75em; }
.footnote-ref a { text-decoration: none; padding: 0 0.1em; }
.footnotes { font-size: 0.85em; line-height: 1.5; margin-top: 3em; color: #3d3d3a; }
.footnotes hr { margin: 0 0 1em; width: 30%; }
.footnotes li { margin: 0.4em 0; }
.footnote-back { text-decoration: none; }
@media (max-width: 32em) {
  body { padding: 1.2em 1em 3em; font-size: 1.0625em; }
  h1 { font-size: 1.55em; }
  h2 { font-size: 1.3em; }
}
@media (prefers-color-scheme: dark) {
  body { background: #1b1c1e; color: #dcd9d2; }
  a { color: #8ab4f0; }
  a:visited { color: #c3a6ee; }
  .subtitle, .byline, .dateline, figcaption { color: #a9a69e; }
  .article-header, hr, th, td { border-color: #3d3e42; }
  blockquote { border-inline-start-color: #55565c; color: #c8c5bd; }
  code { background: #2a2b2f; }
  pre { background: #232427; border-color: #34353a; }
  th { background: #26272b; }
  .footnotes { color: #c8c5bd; }
}
@media print {
  body { background: #fff; color: #000; font-size: 11pt; padding: 0; }
  article { max-width: none; }
  a, a:visited { color: #000; }
  .subtitle, .byline, .dateline, figcaption, blockquote, .footnotes { color: #000; }
  code, pre, th { background: none; }
  pre { border-color: #999; overflow-x: visible; white-space: pre-wrap; }
  .table-wrap { overflow-x: visible; }
  h1, h2, h3, h4, h5, h6 { page-break-after: avoid; break-after: avoid; }
  figure, pre, blockquote, tr, img { page-break-inside: avoid; break-inside: avoid; }
  p { orphans: 3; widows: 3; }
  a[href^="http"]:after { content: " (" attr(href) ")"; font-size: 0.85em; word-break: break-all; }
  .footnote-ref a:after, .footnote-back:after, .dateline a:after { content: ""; }
}
"#;
