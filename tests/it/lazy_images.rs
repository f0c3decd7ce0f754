//! Images in HTML input (issue 15, point 3): lazy-loading attributes, placeholders, `srcset`,
//! `<picture>` and `<noscript>` fallbacks give the real picture, once, the largest every
//! output can use; captions and photo credits stay with their figure, and a credit whose
//! figure is not shown is not left behind as a paragraph.
//!
//! Each page is read as a web page (the article extracted), so these also check that
//! extraction keeps the figures.

use quire::model::{Figure, Image};
use quire::{Block, Document, Inline, InputFormat, OutputFormat, ReadOptions, WriteOptions};

/// A page whose article holds `figures` among paragraphs of prose, under a menu.
fn page(figures: &str) -> String {
    let prose = |n: usize| -> String {
        (0..n)
            .map(|i| {
                format!(
                    "<p>Paragraph {i} tells of the harbour, the ferries and the weather over \
                     the bay, in sentences long enough to read as an article, with commas, \
                     clauses and a full stop.</p>"
                )
            })
            .collect()
    };
    format!(
        "<!doctype html><html><head><title>Harbour</title></head><body>\
         <nav><a href=/>Home</a> <a href=/news>News</a> <a href=/sport>Sport</a></nav>\
         <article><h1>Harbour</h1>{}{figures}{}</article>\
         <footer><a href=/about>About</a></footer></body></html>",
        prose(3),
        prose(3)
    )
}

fn read(html: &str) -> Document {
    let options = ReadOptions {
        source_url: Some("https://news.example/2025/harbour.html".into()),
        ..ReadOptions::default()
    };
    quire::read(html.as_bytes(), InputFormat::Html, &options)
        .expect("reads")
        .document
}

/// Every image of the document, figures with their captions as text (inline images with
/// `None`), in order.
fn images(document: &Document) -> Vec<(Image, Option<String>)> {
    fn text(inlines: &[Inline]) -> String {
        inlines
            .iter()
            .map(|inline| match inline {
                Inline::Text(t) => t.clone(),
                Inline::Emphasis(c) | Inline::Strong(c) => text(c),
                Inline::Link(link) => text(&link.content),
                _ => String::new(),
            })
            .collect()
    }
    fn inline_images(inlines: &[Inline], out: &mut Vec<(Image, Option<String>)>) {
        for inline in inlines {
            match inline {
                Inline::Image(image) => out.push(((**image).clone(), None)),
                Inline::Link(link) => inline_images(&link.content, out),
                Inline::Emphasis(c) | Inline::Strong(c) => inline_images(c, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<&Block> = document.blocks.iter().rev().collect();
    while let Some(block) = stack.pop() {
        match block {
            Block::Figure(figure) => {
                let Figure { image, caption } = &**figure;
                out.push((image.clone(), Some(text(caption))));
            }
            Block::Paragraph(inlines) => inline_images(inlines, &mut out),
            Block::Container { blocks, .. } | Block::Quote(blocks) => {
                stack.extend(blocks.iter().rev())
            }
            _ => {}
        }
    }
    out
}

fn srcs(document: &Document) -> Vec<String> {
    images(document).into_iter().map(|(i, _)| i.src).collect()
}

/// The document's text paragraphs.
fn paragraphs(document: &Document) -> Vec<String> {
    document
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Paragraph(inlines) => Some(
                inlines
                    .iter()
                    .filter_map(|i| match i {
                        Inline::Text(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect()
}

const GIF_1X1: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
const SVG_PLACEHOLDER: &str =
    "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%20800%20600'%3E%3C/svg%3E";
const BASE: &str = "https://news.example/2025/";

#[test]
fn each_lazy_loading_attribute_gives_the_real_picture() {
    for (attribute, value, expected) in [
        ("data-src", "ferry.jpg", "ferry.jpg"),
        ("data-lazy-src", "ferry.jpg", "ferry.jpg"),
        ("data-original", "ferry.jpg", "ferry.jpg"),
        (
            "data-srcset",
            "ferry-400.jpg 400w, ferry-1600.jpg 1600w, ferry-800.jpg 800w",
            "ferry-1600.jpg",
        ),
        (
            "data-lazy-srcset",
            "ferry-1x.jpg 1x, ferry-2x.jpg 2x",
            "ferry-2x.jpg",
        ),
    ] {
        for placeholder in [GIF_1X1, SVG_PLACEHOLDER, "/img/lazy.gif", "/img/blank.gif"] {
            let html = page(&format!(
                "<figure><img class=lazyload src=\"{placeholder}\" {attribute}=\"{value}\" \
                 alt=\"The ferry\"><figcaption>The evening ferry</figcaption></figure>"
            ));
            let found = images(&read(&html));
            assert_eq!(found.len(), 1, "{attribute} with {placeholder}: {found:?}");
            let (image, caption) = &found[0];
            assert_eq!(image.src, format!("{BASE}{expected}"), "{attribute}");
            assert_eq!(image.alt, "The ferry");
            assert_eq!(caption.as_deref(), Some("The evening ferry"));
        }
    }
}

#[test]
fn a_lazy_loading_attribute_of_a_name_of_its_own_is_read_behind_a_placeholder() {
    let html = page(
        "<figure><img src=/c/js/placeholder.gif srcset=/c/js/placeholder.gif \
         data-m-lazyloader-srcset='g-400.png 400w, g-1200.png 1200w' alt=G></figure>\
         <figure><img src=/css/lazy.svg data-td-src-property='/media/h.jpg' alt=H></figure>",
    );
    assert_eq!(
        srcs(&read(&html)),
        vec![
            format!("{BASE}g-1200.png"),
            "https://news.example/media/h.jpg".to_string()
        ]
    );
    // A real `src` is not second-guessed by an attribute that is not a known lazy one.
    let html = page("<figure><img src=k.jpg data-zoom-src=k-zoom.jpg alt=K></figure>");
    assert_eq!(srcs(&read(&html)), vec![format!("{BASE}k.jpg")]);
}

#[test]
fn a_blurred_preview_in_src_gives_way_to_the_lazy_picture() {
    let html = page(
        "<figure><img src=ferry-tiny.jpg data-src=ferry-full.jpg alt=x width=800 height=600>\
         </figure>",
    );
    let found = images(&read(&html));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0.src, format!("{BASE}ferry-full.jpg"));
    assert_eq!(
        (found[0].0.width, found[0].0.height),
        (Some(800), Some(600))
    );
}

#[test]
fn srcset_gives_the_largest_candidate_by_width_or_density() {
    let cases = [
        // Widths: the widest (no output uses more than about 2000 pixels, so of two beyond
        // that the smaller).
        (
            "<img src=s.jpg srcset='s.jpg 480w, l.jpg 1440w, m.jpg 960w' alt=a>",
            "l.jpg",
        ),
        (
            "<img src=s.jpg srcset='s.jpg 480w, xl.jpg 2400w, xxl.jpg 6000w' alt=a>",
            "xl.jpg",
        ),
        // Densities: the densest, `src` counting as 1x.
        (
            "<img src=a.jpg srcset='b.jpg 2x, c.jpg 1.5x' alt=a>",
            "b.jpg",
        ),
        // A stated width makes densities widths: 3 × 300 beats 600w.
        (
            "<img src=a.jpg width=300 srcset='d.jpg 3x, w.jpg 600w' alt=a>",
            "d.jpg",
        ),
        // `src` as large as it is shown beats a smaller srcset entry.
        (
            "<img src=large.jpg width=1024 srcset='t.jpg 300w, m.jpg 768w' alt=a>",
            "large.jpg",
        ),
    ];
    for (img, expected) in cases {
        let found = srcs(&read(&page(&format!("<figure>{img}</figure>"))));
        assert_eq!(found, vec![format!("{BASE}{expected}")], "{img}");
    }
}

#[test]
fn picture_sources_give_the_largest_candidate_every_output_can_use() {
    // AVIF is the largest offered but no writer can show it; WebP and JPEG come in the same
    // sizes, and JPEG every writer embeds as it is.
    let html = page(
        "<figure><picture>\
         <source type=image/avif srcset='p-800.avif 800w, p-3000.avif 3000w'>\
         <source type=image/webp srcset='p-800.webp 800w, p-1600.webp 1600w'>\
         <source media='(prefers-color-scheme: dark)' srcset='p-dark.jpg 4000w'>\
         <source media='(max-width: 600px)' srcset='p-crop-600.jpg 600w'>\
         <img src=p-800.jpg srcset='p-800.jpg 800w, p-1600.jpg 1600w' alt='The quay'>\
         </picture><figcaption>The quay at noon</figcaption></figure>",
    );
    let found = images(&read(&html));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0.src, format!("{BASE}p-1600.jpg"));
    assert_eq!(found[0].1.as_deref(), Some("The quay at noon"));

    // A larger WebP beats a smaller JPEG; a lazy `data-srcset` on a source counts too.
    let html = page(
        "<figure><picture><source type=image/webp data-srcset='q-2000.webp 2000w'>\
         <img src=q-800.jpg alt=q></picture></figure>",
    );
    assert_eq!(srcs(&read(&html)), vec![format!("{BASE}q-2000.webp")]);

    // Only AVIF: that, rather than nothing.
    let html = page(
        "<figure><picture><source type=image/avif srcset=r.avif><img alt=r></picture></figure>",
    );
    assert_eq!(srcs(&read(&html)), vec![format!("{BASE}r.avif")]);
}

#[test]
fn a_noscript_fallback_is_used_once() {
    // A placeholder with nothing else: the fallback's picture (and the alt text of either).
    let html = page(&format!(
        "<figure><img class=lazy src='{GIF_1X1}' alt='The lighthouse'>\
         <noscript><img src=lighthouse.jpg></noscript>\
         <figcaption>The lighthouse</figcaption></figure>"
    ));
    let found = images(&read(&html));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0.src, format!("{BASE}lighthouse.jpg"));
    assert_eq!(found[0].0.alt, "The lighthouse");
    assert_eq!(found[0].1.as_deref(), Some("The lighthouse"));

    // The same outside a figure, the placeholder in a link.
    let html = page(
        "<div class=photo><a href=big.jpg><img src='/img/blank.gif' alt=L></a>\
         <noscript><img src=lighthouse.jpg alt=L></noscript></div>",
    );
    assert_eq!(srcs(&read(&html)), vec![format!("{BASE}lighthouse.jpg")]);

    // A lazy image that names its picture: the fallback beside it is not a second copy.
    let html = page(
        "<p><img class=lazy data-src=lighthouse.jpg alt=L><noscript><img src=lighthouse.jpg \
         alt=L></noscript></p>\
         <figure><img data-src=quay.jpg alt=Q><noscript><img src=quay-small.jpg alt=Q>\
         </noscript></figure>",
    );
    assert_eq!(
        srcs(&read(&html)),
        vec![format!("{BASE}lighthouse.jpg"), format!("{BASE}quay.jpg")]
    );

    // A fallback with no image beside it (a script fills a `<div>`) is the picture, with
    // its figure's caption; a tracking pixel in one is not.
    let html = page(
        "<figure><div class=lazy-frame data-id=7></div><noscript><img src=dunes.jpg \
         alt=Dunes></noscript><figcaption>The dunes</figcaption></figure>\
         <noscript><img height=1 width=1 style=display:none \
         src='https://tracker.example/px?id=1'></noscript>",
    );
    let found = images(&read(&html));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0.src, format!("{BASE}dunes.jpg"));
    assert_eq!(found[0].1.as_deref(), Some("The dunes"));

    // The fallback of an ad server's script, which writes its banner into the page, is that
    // banner (an empty paragraph between, as the parser leaves one).
    let html = page(
        "<p>The harbour.</p><script>document.write(\"<script src='https://ads.example/ajs.js'>\
         <\\/script>\");</script><p></p><noscript><a href='https://ads.example/ck'>\
         <img src='https://ads.example/avw.php?zoneid=2' alt=''></a></noscript>",
    );
    assert_eq!(srcs(&read(&html)), Vec::<String>::new());
}

#[test]
fn captions_and_credits_stay_with_their_figure() {
    // A credit inside the figure but outside its caption; one inside the caption, set
    // against its text; one right after the figure.
    let html = page(
        "<figure><img src=a.jpg alt=A><figcaption>Boats at the quay</figcaption>\
         <span class=image-attribution>A. Lee</span></figure>\
         <figure><img src=b.jpg alt=B><figcaption>Nets drying<span class=credit>Photograph: \
         B. Moss</span></figcaption></figure>\
         <figure><img src=c.jpg alt=C><figcaption>The fish market</figcaption></figure>\
         <p class=photo-credit>Photo: C. Dunn/Harbour Press</p>\
         <div><span><img src=e.jpg alt=E></span><em class=caption>Gulls over the pier</em>\
         <em class=copyright>© E. Finch</em></div>",
    );
    let document = read(&html);
    let captions: Vec<Option<String>> = images(&document).into_iter().map(|(_, c)| c).collect();
    assert_eq!(
        captions,
        vec![
            Some("Boats at the quay A. Lee".to_string()),
            Some("Nets drying Photograph: B. Moss".to_string()),
            Some("The fish market Photo: C. Dunn/Harbour Press".to_string()),
            Some("Gulls over the pier © E. Finch".to_string()),
        ]
    );
    assert!(
        !paragraphs(&document)
            .iter()
            .any(|p| p.contains("Photo") || p.contains("Photograph")),
        "{:?}",
        paragraphs(&document)
    );

    // A WordPress-style caption box: the image and its caption text in a `div`.
    let html = page(
        "<div class='wp-caption aligncenter'><img src=d.jpg alt=D width=640 height=480>\
         <p class=wp-caption-text>Dawn over the breakwater</p></div>",
    );
    let found = images(&read(&html));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.as_deref(), Some("Dawn over the breakwater"));
}

#[test]
fn a_credit_whose_figure_is_not_shown_is_not_left_behind() {
    // The figure's image cannot be had (a script URL): the figure goes, and its credit too.
    let html = page(
        "<figure><img src='javascript:load()' alt=''></figure>\
         <p class=credit>Photo: Getty Images</p>\
         <div class=photo><img src='/img/lazy.gif'></div><p>Photograph: D. Ray</p>",
    );
    let document = read(&html);
    assert!(images(&document).is_empty(), "{:?}", images(&document));
    let texts = paragraphs(&document);
    assert!(
        !texts
            .iter()
            .any(|p| p.contains("Getty") || p.contains("D. Ray")),
        "{texts:?}"
    );
    // A reporters' attribution outside any figure is no photo credit: it stays.
    let html =
        page("<div class=attribution><p>Reporting by A. Writer; editing by B. Editor</p></div>");
    assert!(paragraphs(&read(&html))
        .iter()
        .any(|p| p.contains("Reporting by A. Writer")));
    // Prose that merely mentions a photographer stays.
    let html = page(
        "<p>The photographer waited for the light, as the credit line under every one of \
         her pictures says.</p>",
    );
    assert!(paragraphs(&read(&html))
        .iter()
        .any(|p| p.contains("The photographer waited")));
}

#[test]
fn no_picture_is_given_twice() {
    // Copies for other layouts and a fallback beside a lazy image: one figure each.
    let html = page(
        "<figure><img class=desktop src=harbour.jpg alt=H><img class=mobile src=harbour.jpg \
         alt=H><figcaption>The harbour</figcaption></figure>\
         <div><img data-src=pier.jpg src='/img/lazy.gif' alt=P></div>\
         <div><img src=pier.jpg alt=P></div>",
    );
    assert_eq!(
        srcs(&read(&html)),
        vec![format!("{BASE}harbour.jpg"), format!("{BASE}pier.jpg")]
    );
}

#[test]
fn the_chosen_picture_reaches_html_and_epub() {
    // Local files: the page's srcset names three, of which the largest is taken and
    // embedded by both writers; the placeholder never is.
    let dir = tempfile::tempdir().unwrap();
    let small = crate::support::png_bytes(40, 30);
    let large = crate::support::png_bytes(160, 120);
    std::fs::write(dir.path().join("small.png"), &small).unwrap();
    std::fs::write(dir.path().join("large.png"), &large).unwrap();
    std::fs::write(dir.path().join("lazy.gif"), crate::support::png_bytes(1, 1)).unwrap();
    let html = page(
        "<figure><img src=lazy.gif data-srcset='small.png 400w, large.png 1600w' alt=Harbour>\
         <noscript><img src=small.png alt=Harbour></noscript>\
         <figcaption>The harbour</figcaption><small class=credit>Photo: E. Kay</small>\
         </figure>",
    );
    let options = ReadOptions::default();
    let reading = quire::read(html.as_bytes(), InputFormat::Html, &options).unwrap();
    let document = reading.document;
    assert_eq!(srcs(&document), vec!["large.png".to_string()]);
    let write = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let html_out = quire::write(&document, OutputFormat::Html, &write).unwrap();
    let html_out = String::from_utf8(html_out.bytes).unwrap();
    assert_eq!(html_out.matches("<img").count(), 1, "{html_out}");
    assert!(html_out.contains("The harbour Photo: E. Kay"), "{html_out}");
    let epub = quire::write(&document, OutputFormat::Epub, &write).unwrap();
    let pictures: Vec<Vec<u8>> = crate::epub::unzip(&epub.bytes)
        .into_iter()
        .filter(|(name, _)| name.starts_with("OEBPS/images/image-"))
        .map(|(_, bytes)| bytes)
        .collect();
    assert_eq!(pictures, vec![large]);
}
