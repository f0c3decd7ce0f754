//! A measuring harness for extraction alone, before the HTML reader exists: converts every
//! page in `$EXTRACT_AEB/html` to rough text in `$EXTRACT_OUT` (`cargo test --lib
//! extract::bench -- --ignored`).

use super::dom::{is_hidden, is_inline_tag, is_invisible_tag};
use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::collections::HashSet;
use std::rc::Rc;

pub fn parse(html: &str) -> RcDom {
    html5ever::parse_document(RcDom::default(), Default::default()).one(html)
}

/// Rough text of the extracted article: blocks on their own lines.
pub fn article_text(html: &str) -> String {
    let dom = parse(html);
    let page = super::metadata::read(&super::dom::descendants(&dom.document), &|u| u.to_string());
    let extraction = super::extract(&dom.document, page.article_body.as_deref(), false);
    let pruned: HashSet<usize> = extraction
        .pruned
        .iter()
        .map(|(h, _)| Rc::as_ptr(h) as usize)
        .collect();
    let mut out = String::new();
    let mut stack: Vec<Handle> = vec![extraction.root.clone()];
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } => {
                // The HTML reader leaves out the title header (an h1 repeating the title).
                if is_invisible_tag(&name.local)
                    || &*name.local == "h1"
                    || is_hidden(&node)
                    || pruned.contains(&(Rc::as_ptr(&node) as usize))
                {
                    continue;
                }
                if !is_inline_tag(&name.local) || &*name.local == "br" {
                    out.push('\n');
                }
                stack.extend(node.children.borrow().iter().rev().cloned());
            }
            _ => {}
        }
    }
    out
}

#[test]
#[ignore]
fn aeb_dump() {
    let (Ok(src), Ok(out)) = (std::env::var("EXTRACT_AEB"), std::env::var("EXTRACT_OUT")) else {
        return;
    };
    let _ = std::fs::create_dir_all(&out);
    let mut total = std::time::Duration::ZERO;
    for entry in std::fs::read_dir(format!("{src}/html")).into_iter().flatten().flatten() {
        let path = entry.path();
        let Some(id) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let html = std::fs::read_to_string(&path).unwrap_or_default();
        let start = std::time::Instant::now();
        let text = article_text(&html);
        total += start.elapsed();
        let _ = std::fs::write(format!("{out}/{id}.txt"), text);
        if std::env::var("EXTRACT_EXPLAIN").is_ok() {
            let dom = parse(&html);
            let _ = std::fs::write(format!("{out}/{id}.explain"), super::extract(&dom.document, None, true).explanation);
        }
    }
    eprintln!("extraction total {:?}", total);
}

#[test]
#[ignore]
fn rows_dump() {
    let Ok(path) = std::env::var("EXTRACT_PAGE") else {
        return;
    };
    let html = std::fs::read_to_string(path).unwrap_or_default();
    let dom = parse(&html);
    let table = super::score::Table::measure(&dom.document);
    for (i, r) in table.rows.iter().enumerate() {
        let min: f32 = std::env::var("MIN").ok().and_then(|s| s.parse().ok()).unwrap_or(200.0);
        if r.good > min || r.noise > min * 1.5 {
            eprintln!(
                "{}{} {} good={:.0} noise={:.0} net={:.0} ld={:.2} dense={:.0}{}",
                "  ".repeat(r.depth as usize),
                i,
                table.describe(i),
                r.good,
                r.noise,
                r.value(),
                r.link_density(),
                table.density_score(i),
                if r.in_chrome { " CHROME" } else { "" }
            );
        }
    }
}

#[test]
#[ignore]
fn readability_meta() {
    let Ok(dir) = std::env::var("EXTRACT_READABILITY") else {
        return;
    };
    let norm = |s: &str| {
        let s = crate::model::collapse_whitespace(s).trim().to_lowercase();
        let s = s.strip_prefix("by ").unwrap_or(&s).to_string();
        s
    };
    let (mut titles, mut title_ok, mut bylines, mut byline_ok) = (0, 0, 0, 0);
    let mut entries: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        let Ok(expected) = std::fs::read_to_string(path.join("expected-metadata.json")) else {
            continue;
        };
        let expected: serde_json::Value = serde_json::from_str(&expected).unwrap_or_default();
        let html = std::fs::read_to_string(path.join("source.html")).unwrap_or_default();
        let dom = parse(&html);
        let page = super::metadata::read(&super::dom::descendants(&dom.document), &|u| u.to_string());
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        if let Some(t) = expected["title"].as_str().filter(|t| !t.is_empty()) {
            titles += 1;
            let got = page.meta.title.clone().unwrap_or_default();
            if norm(&got) == norm(t) {
                title_ok += 1;
            } else {
                eprintln!("TITLE {name}: got {got:?} want {t:?}");
            }
        }
        if let Some(want) = expected["publishedTime"].as_str().filter(|t| t.len() >= 10) {
            let got = page.meta.published.clone().unwrap_or_default();
            if got.get(..10) != want.get(..10) {
                eprintln!("DATE {name}: got {got:?} want {want:?}");
            }
        }
        if let Some(b) = expected["byline"].as_str().filter(|t| !t.is_empty()) {
            bylines += 1;
            let got = page.meta.authors.join(", ");
            if norm(&got) == norm(b) {
                byline_ok += 1;
            } else {
                eprintln!("BYLINE {name}: got {got:?} want {b:?}");
            }
        }
    }
    eprintln!("titles {title_ok}/{titles}, bylines {byline_ok}/{bylines}");
}

#[test]
#[ignore]
fn readability_dump() {
    let (Ok(dir), Ok(out)) = (std::env::var("EXTRACT_READABILITY"), std::env::var("EXTRACT_OUT")) else {
        return;
    };
    let _ = std::fs::create_dir_all(&out);
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(html) = std::fs::read_to_string(path.join("source.html")) else {
            continue;
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        let _ = std::fs::write(format!("{out}/{name}.txt"), article_text(&html));
    }
}

#[test]
#[ignore]
fn aeb_timing() {
    let Ok(src) = std::env::var("EXTRACT_AEB") else {
        return;
    };
    let pages: Vec<String> = std::fs::read_dir(format!("{src}/html"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let (mut parse_t, mut meta_t, mut measure_t, mut extract_t) = Default::default();
    for html in &pages {
        let t = std::time::Instant::now();
        let dom = parse(html);
        parse_t += t.elapsed();
        let t = std::time::Instant::now();
        let page = super::metadata::read(&super::dom::descendants(&dom.document), &|u| u.to_string());
        meta_t += t.elapsed();
        let t = std::time::Instant::now();
        let _table = super::score::Table::measure(&dom.document);
        measure_t += t.elapsed();
        let t = std::time::Instant::now();
        let _ = super::extract(&dom.document, page.article_body.as_deref(), false);
        extract_t += t.elapsed();
    }
    let (p, m, s, e): (std::time::Duration, std::time::Duration, std::time::Duration, std::time::Duration) =
        (parse_t, meta_t, measure_t, extract_t);
    eprintln!("parse {p:?} metadata {m:?} measure {s:?} extract(all) {e:?}");
}
