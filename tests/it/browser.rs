//! HTML and EPUB as a browser lays them out: quire's output loaded in headless Chromium at
//! desktop (1280 px) and phone (360 px) width, and the boxes of what a reader must see checked
//! against the viewport.
//!
//! Each page is shown in two iframes of a small harness page (headless Chromium makes no
//! window narrower than 500 px, but an iframe can be any width); a script in the harness
//! measures the framed pages once they have loaded and writes what it found into the
//! harness's DOM as JSON, which `--dump-dom` prints. The EPUB is unpacked and its chapter's
//! XHTML loaded with the book's own stylesheet, as an e-reader built on a browser engine would.
//!
//! Without Chromium the tests skip with a note, and fail when `CI` is set (see `support`).
//! With `QUIRE_BROWSER_SHOTS=DIR`, screenshots of every harness are written there to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use quire::{Document, InputFormat, OutputFormat, ReadOptions, WriteOptions};
use serde_json::Value;

use crate::support::program;

/// The widths every page is measured at: a desktop window and a phone.
const WIDTHS: [u32; 2] = [1280, 360];

/// What the harness measures in each framed page: the page's own width against the viewport,
/// every table cell's text (visible in the viewport, or in a box that scrolls sideways and is
/// itself in the viewport), the headings above the first paragraph of text, the standfirst's
/// style, and each list item's marker, box and text.
const PROBE: &str = r#"
function measure(frame) {
  var w = frame.contentWindow, d = w.document, vw = w.innerWidth;
  var out = { width: vw, pageWidth: d.documentElement.scrollWidth, cells: [], lists: [] };
  function scroller(node) {
    for (var n = node.parentElement; n && n !== d.body && n !== d.documentElement; n = n.parentElement) {
      var o = w.getComputedStyle(n).overflowX;
      if (o === 'auto' || o === 'scroll') return n;
    }
    return null;
  }
  function clipped(node, rect) {
    for (var n = node.parentElement; n && n !== d.body; n = n.parentElement) {
      var o = w.getComputedStyle(n).overflowX;
      if (o === 'hidden' || o === 'clip') {
        var b = n.getBoundingClientRect();
        if (rect.left < b.left - 0.5 || rect.right > b.right + 0.5) return true;
      }
    }
    return false;
  }
  var cells = d.querySelectorAll('td, th');
  for (var i = 0; i < cells.length; i++) {
    var cell = cells[i], text = cell.textContent.trim();
    if (!text) continue;
    var range = d.createRange();
    range.selectNodeContents(cell);
    var rects = range.getClientRects(), left = 1e9, right = -1e9;
    for (var k = 0; k < rects.length; k++) {
      if (rects[k].width === 0) continue;
      left = Math.min(left, rects[k].left);
      right = Math.max(right, rects[k].right);
    }
    var s = scroller(cell), from = 0, to = vw, inView = true;
    if (s) {
      var b = s.getBoundingClientRect();
      from = b.left - s.scrollLeft;
      to = from + s.scrollWidth;
      inView = b.left >= -0.5 && b.right <= vw + 0.5;
    }
    var cut = clipped(cell, { left: left, right: right });
    out.cells.push({ text: text, left: left, right: right, scrolls: !!s,
      reachable: inView && !cut && left >= from - 0.5 && right <= to + 0.5 });
  }
  var paragraphs = d.querySelectorAll('p');
  var first = null;
  for (var i = 0; i < paragraphs.length; i++) {
    if (!/\b(subtitle|byline|dateline)\b/.test(paragraphs[i].className)) { first = paragraphs[i]; break; }
  }
  if (first) {
    var headings = d.querySelectorAll('h1, h2, h3, h4, h5, h6'), above = 0;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].compareDocumentPosition(first) & 4) above++;
    }
    out.headingsAboveText = above;
    out.firstTextTop = first.getBoundingClientRect().top;
    out.bodyFontSize = parseFloat(w.getComputedStyle(first).fontSize);
  }
  var standfirst = d.querySelector('.subtitle');
  if (standfirst) {
    var st = w.getComputedStyle(standfirst);
    out.standfirst = { tag: standfirst.tagName.toLowerCase(), text: standfirst.textContent.trim(),
      fontStyle: st.fontStyle, fontSize: parseFloat(st.fontSize) };
  }
  var lists = d.querySelectorAll('ul, ol');
  for (var i = 0; i < lists.length; i++) {
    var items = [], list = lists[i];
    for (var c = list.firstElementChild; c; c = c.nextElementSibling) {
      if (c.tagName.toLowerCase() !== 'li') continue;
      var box = c.querySelector('input, .task-box'), textNode = null;
      var walker = d.createTreeWalker(c, 4);
      while (walker.nextNode()) {
        var n = walker.currentNode;
        if (n.textContent.trim() && !(box && box.contains(n))) { textNode = n; break; }
      }
      var textLeft = null;
      if (textNode) {
        // The first letter's box: a space after the box is not where the text starts.
        var r = d.createRange(), at = textNode.textContent.search(/\S/);
        r.setStart(textNode, at);
        r.setEnd(textNode, at + 1);
        var rs = r.getClientRects();
        if (rs.length) textLeft = rs[0].left;
      }
      var item = { task: /\btask-list-item\b/.test(c.className),
        marker: w.getComputedStyle(c).listStyleType, textLeft: textLeft };
      if (box) {
        var br = box.getBoundingClientRect();
        item.boxLeft = br.left;
        item.boxRight = br.right;
      }
      items.push(item);
    }
    out.lists.push(items);
  }
  return out;
}
"#;

/// The harness's own script, after a probe that defines `measure(frame)`: measures every
/// framed page once all have loaded and writes the results into the harness's DOM as JSON.
const HARNESS: &str = r#"
window.addEventListener('load', function () {
  var frames = document.querySelectorAll('iframe'), found = [];
  for (var i = 0; i < frames.length; i++) found.push(measure(frames[i]));
  var json = JSON.stringify(found).replace(/[<>&]/g, function (c) {
    return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
  // The marker is put together here, so that the script's own text does not hold it.
  var marker = 'QUIRE-' + 'PROBE', pre = document.createElement('pre');
  pre.textContent = marker + json + marker;
  document.body.appendChild(pre);
});
"#;

/// One framed page as the harness measured it, at one width.
pub(crate) struct Measured {
    pub(crate) label: String,
    pub(crate) found: Value,
}

impl Measured {
    fn number(&self, key: &str) -> f64 {
        self.found[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{}: no {key} in {}", self.label, self.found))
    }
}

/// A headless Chromium run with the flags that keep it quiet, offline and self-contained.
pub(crate) fn chromium(binary: &Path, window: (u32, u32)) -> Command {
    let mut command = Command::new("timeout");
    command.arg("120").arg(binary).args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
        "--hide-scrollbars",
    ]);
    command.arg(format!("--window-size={},{}", window.0, window.1));
    command
}

/// Loads `page` (a file in `dir`) at every width of [`WIDTHS`] and returns what [`PROBE`]
/// found at each, named `label@width`.
fn measure(binary: &Path, dir: &Path, page: &str, label: &str) -> Vec<Measured> {
    measure_with(binary, dir, page, label, PROBE)
}

/// Loads `page` (a file in `dir`) at every width of [`WIDTHS`] and returns what `probe` (a
/// script defining `measure(frame)`, which returns what it found as a JSON value) found at
/// each, named `label@width`. Writes screenshots when `QUIRE_BROWSER_SHOTS` is set.
pub(crate) fn measure_with(
    binary: &Path,
    dir: &Path,
    page: &str,
    label: &str,
    probe: &str,
) -> Vec<Measured> {
    let frames: String = WIDTHS
        .iter()
        .map(|width| {
            format!(
                "<iframe src=\"{page}\" style=\"display:block;width:{width}px;height:1400px;border:0;margin-bottom:8px;background:#fff\"></iframe>\n"
            )
        })
        .collect();
    let harness = dir.join(format!("harness-{label}.html"));
    std::fs::write(
        &harness,
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\
             <body style=\"margin:0;background:#888\">\n{frames}<script>{probe}{HARNESS}</script></body></html>\n"
        ),
    )
    .unwrap();
    let url = format!("file://{}", harness.display());
    let window = (WIDTHS[0] + 20, 1400 * 2 + 40);
    let user_data = tempfile::tempdir().unwrap();
    let output = chromium(binary, window)
        .arg(format!("--user-data-dir={}", user_data.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    let json = dom.split("QUIRE-PROBE").nth(1).unwrap_or_else(|| {
        panic!(
            "{label}: no measurements in Chromium's DOM (exit {:?}):\n{}\n{}",
            output.status,
            dom,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let found: Vec<Value> = serde_json::from_str(json).expect("the probe's JSON");
    assert_eq!(
        found.len(),
        WIDTHS.len(),
        "{label}: one measurement a frame"
    );
    if let Some(shots) = std::env::var_os("QUIRE_BROWSER_SHOTS") {
        let shot = PathBuf::from(shots).join(format!("{label}.png"));
        let user_data = tempfile::tempdir().unwrap();
        let status = chromium(binary, window)
            .arg(format!("--user-data-dir={}", user_data.path().display()))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&url)
            .output()
            .expect("chromium runs")
            .status;
        assert!(status.success(), "{label}: screenshot");
    }
    WIDTHS
        .iter()
        .zip(found)
        .map(|(width, found)| Measured {
            label: format!("{label}@{width}"),
            found,
        })
        .collect()
}

/// The document read from `input` in `format`, the way the command line reads a file.
fn read(input: &str, format: InputFormat) -> Document {
    quire::read(input.as_bytes(), format, &ReadOptions::default())
        .expect("reads")
        .document
}

/// `document` written as a standalone HTML page and as an EPUB unpacked beside it, each
/// measured at every width: the HTML page's measurements, then the EPUB chapter's.
fn measure_both(binary: &Path, document: &Document, label: &str) -> Vec<Measured> {
    let dir = tempfile::tempdir().unwrap();
    let options = WriteOptions {
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let html = quire::write(document, OutputFormat::Html, &options).expect("HTML written");
    std::fs::write(dir.path().join("page.html"), &html.bytes).unwrap();
    let epub = quire::write(document, OutputFormat::Epub, &options).expect("EPUB written");
    let book = dir.path().join("book");
    for (name, bytes) in crate::epub::unzip(&epub.bytes) {
        let path = book.join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let chapter = "book/OEBPS/chapter-1.xhtml";
    assert!(dir.path().join(chapter).is_file(), "{label}: the chapter");
    let mut measured = measure(binary, dir.path(), "page.html", &format!("{label}-html"));
    measured.extend(measure(
        binary,
        dir.path(),
        chapter,
        &format!("{label}-epub"),
    ));
    // Whatever the page holds, it never runs wider than the screen: an e-reader cuts off
    // what does, and a phone browser makes the whole page slide sideways.
    for measured in &measured {
        let width = measured.number("width");
        assert!(
            measured.number("pageWidth") <= width + 1.0,
            "{}: the page is {} px wide in a {width} px viewport",
            measured.label,
            measured.number("pageWidth")
        );
    }
    measured
}

pub(crate) fn chromium_binary() -> Option<PathBuf> {
    program("chromium", "chromium")
}

/// A page of measurements from radiation stations: nine columns of names, coordinates,
/// instruments and a data address, wider than a phone and wider than most e-readers.
const WIDE_TABLE_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Where the radiation stations stand</title></head>
<body><article>
<h1>Where the radiation stations stand</h1>
<p>Each station of the network measures the sunlight that reaches the ground and the heat the sky
sends back down. The table lists where they stand, what they measure with, and where their records
can be had. Longitudes are east of Greenwich; the record starts on the day of the first calibration.</p>
<table>
<caption>Stations of the surface radiation network</caption>
<thead><tr><th>Station</th><th>Latitude</th><th>Longitude</th><th>Elevation</th><th>Pyrgeometer</th>
<th>Pyranometer</th><th>Surface albedo</th><th>Record starts</th><th>Data</th></tr></thead>
<tbody>
<tr><td>Lindenberg-Falkenberg</td><td>52.1663°N</td><td>14.1244°E</td><td>73 m</td><td>Kipp &amp; Zonen CGR4</td>
<td>CMP22 (ventilated)</td><td>0.21</td><td>1994-10-01</td><td>https://data.example.org/bsrn/lindenberg/radiation-fluxes.csv</td></tr>
<tr><td>Ny-Ålesund</td><td>78.9227°N</td><td>11.9273°E</td><td>11 m</td><td>Eppley PIR</td>
<td>Kipp &amp; Zonen CM11</td><td>0.78</td><td>1992-08-01</td><td>https://data.example.org/bsrn/ny-alesund/radiation-fluxes.csv</td></tr>
<tr><td>Payerne</td><td>46.8123°N</td><td>6.9422°E</td><td>491 m</td><td>Kipp &amp; Zonen CG4</td>
<td>CMP21 (heated)</td><td>0.24</td><td>1992-10-01</td><td>https://data.example.org/bsrn/payerne/radiation-fluxes.csv</td></tr>
</tbody></table>
<p>Two stations changed their pyrgeometers during the record; the table gives the instrument in use
today, and the station files say when each was replaced.</p>
</article></body></html>
"#;

/// Every table cell's text can be seen at desktop and at phone width, in the page and in the
/// book: inside the viewport, or in a box that scrolls sideways and fits the viewport itself.
/// The page as a whole never runs wider than the screen, where an e-reader cuts it off.
#[test]
fn wide_table_text_stays_reachable_at_phone_width() {
    let Some(binary) = chromium_binary() else {
        return;
    };
    let document = read(WIDE_TABLE_PAGE, InputFormat::Html);
    for measured in measure_both(&binary, &document, "wide-table") {
        let cells = measured.found["cells"].as_array().expect("cells");
        assert_eq!(
            cells.len(),
            9 * 4,
            "{}: every cell measured",
            measured.label
        );
        let lost: Vec<&Value> = cells
            .iter()
            .filter(|c| c["reachable"] != Value::Bool(true))
            .collect();
        assert!(
            lost.is_empty(),
            "{}: cells out of reach: {lost:?}",
            measured.label
        );
    }
}

/// The standfirst of a page that sets it as an `<h2>` under its `<h1>`: one headline above the
/// text, not three, and the standfirst set as a lead paragraph (italic, larger than the text).
#[test]
fn a_standfirst_is_set_as_one_not_as_a_second_headline() {
    let Some(binary) = chromium_binary() else {
        return;
    };
    let standfirst = "For a century the town lived on herring; now the quay is a car park, \
                      the boats are gone and the sea is something people drive out to see.";
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>The harbour that forgot the sea</title></head><body><article>\
         <h1>The harbour that forgot the sea</h1><h2>{standfirst}</h2>\
         <p>The last trawler left in the spring of 1987. Nobody on the quay that morning thought \
         it would be the last; the harbour master logged it out as he had logged out a thousand \
         others, and went home for his lunch.</p>\
         <h2>The last boats</h2><p>By the summer the ice plant had closed, and the chandlery \
         sold its rope to a garden centre two towns away. The quay was quiet for the first \
         time in a hundred and forty years.</p></article></body></html>"
    );
    let document = read(&page, InputFormat::Html);
    for measured in measure_both(&binary, &document, "standfirst") {
        let label = &measured.label;
        assert_eq!(
            measured.number("headingsAboveText"),
            1.0,
            "{label}: headlines above the first paragraph"
        );
        let found = &measured.found["standfirst"];
        assert_eq!(found["tag"], "p", "{label}: {found}");
        assert_eq!(found["text"], standfirst, "{label}");
        assert_eq!(found["fontStyle"], "italic", "{label}");
        let size = found["fontSize"].as_f64().expect("a size");
        assert!(
            size > measured.number("bodyFontSize"),
            "{label}: the standfirst ({size} px) is no larger than the text"
        );
    }
}

/// Task items show their box where other items show a bullet, and no bullet beside it: the
/// box sits left of the text, inside the screen, and the item's text lines up with the text
/// of an item without a box. (An item's long address wraps instead of running off the page.)
#[test]
fn task_items_show_a_box_and_no_bullet() {
    let Some(binary) = chromium_binary() else {
        return;
    };
    let markdown = "# Packing for the field trip\n\nWhat is ready and what is not.\n\n\
                    - [x] Pyrgeometer calibrated\n- [ ] Spare cables bought\n\
                    - [ ] Drawings online at <https://example.org/porthaven/breakwater-drawings>\n\
                    - Notes from last year\n\n\
                    Loose items:\n\n- [x] Tent dried\n\n  It was still damp in May.\n\n\
                    - [ ] Stove fixed\n";
    let document = read(markdown, InputFormat::Markdown);
    for measured in measure_both(&binary, &document, "tasks") {
        let label = &measured.label;
        let lists = measured.found["lists"].as_array().expect("lists");
        assert_eq!(lists.len(), 2, "{label}: {lists:?}");
        for items in lists {
            let items = items.as_array().expect("items");
            let plain_text_left = items
                .iter()
                .find(|i| i["task"] == false)
                .map(|i| i["textLeft"].as_f64().expect("text"));
            for item in items.iter().filter(|i| i["task"] == true) {
                assert_eq!(item["marker"], "none", "{label}: {item}");
                let box_left = item["boxLeft"].as_f64().expect("a box");
                let box_right = item["boxRight"].as_f64().expect("a box");
                let text_left = item["textLeft"].as_f64().expect("text");
                assert!(
                    box_left >= 0.0,
                    "{label}: the box is off the screen: {item}"
                );
                assert!(
                    box_right <= text_left + 0.5,
                    "{label}: the box overlaps the text: {item}"
                );
                if let Some(plain) = plain_text_left {
                    assert!(
                        (text_left - plain).abs() <= 3.0,
                        "{label}: task text at {text_left}, other items' text at {plain}"
                    );
                }
            }
            for item in items.iter().filter(|i| i["task"] == false) {
                assert_eq!(item["marker"], "disc", "{label}: {item}");
            }
        }
    }
}
