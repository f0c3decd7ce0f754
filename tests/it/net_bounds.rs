//! Remote images within bounds: a per-image size cap, a byte budget and a deadline for all of
//! a book's downloads (issue 11, point 6). The limits are library options; these tests make
//! them small so that "150 images of 30 MB" and "36 slow images" run in a moment against the
//! local test server.

use crate::net::{Reply, TestServer};
use quire::model::{Block, Figure, Image};
use quire::net::ImageFetchOptions;
use quire::{Document, Meta, OutputFormat, WriteOptions};
use std::time::{Duration, Instant};

/// A PNG of noise (it does not compress), about `side * side * 3` bytes.
fn noise_png(side: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let image = image::RgbImage::from_fn(side, side, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        image::Rgb([a, b, c])
    });
    crate::support::encode_png(image)
}

/// A document of one figure per URL.
fn document(urls: &[String]) -> Document {
    let blocks = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: url.clone(),
                    alt: format!("picture {i}"),
                    title: None,
                    ..Default::default()
                },
                caption: vec![],
            }))
        })
        .collect();
    Document::new(
        Meta {
            title: Some("Pictures".into()),
            ..Meta::default()
        },
        blocks,
    )
}

/// Writes the book with remote images fetched under `limits` (private addresses allowed: the
/// server is on loopback).
fn book(doc: &Document, limits: ImageFetchOptions) -> quire::Rendered {
    let options = WriteOptions {
        timestamp: Some(1_700_000_000),
        fetch_images: true,
        remote_images: ImageFetchOptions {
            allow_private: true,
            ..limits
        },
        ..WriteOptions::default()
    };
    quire::write(doc, OutputFormat::Epub, &options).expect("the book is written")
}

fn embedded_images(rendered: &quire::Rendered) -> usize {
    crate::epub::unzip(&rendered.bytes)
        .iter()
        .filter(|(name, _)| name.starts_with("OEBPS/images/image-"))
        .count()
}

fn messages(rendered: &quire::Rendered) -> Vec<String> {
    rendered
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect()
}

#[test]
fn images_past_the_byte_budget_are_left_out_with_one_warning() {
    // 150 images, a budget for about 40 of them (the shape of 150 × 30 MB against 256 MiB).
    let png = noise_png(60, 7);
    let paths: Vec<String> = (0..150).map(|i| format!("/img/{i}.png")).collect();
    let server = TestServer::start(
        paths
            .iter()
            .map(|p| (p.as_str(), Reply::ok("image/png", png.clone())))
            .collect(),
    );
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    let budget = 40 * png.len() as u64;
    let rendered = book(
        &document(&urls),
        ImageFetchOptions {
            max_total_bytes: budget,
            ..ImageFetchOptions::default()
        },
    );
    let embedded = embedded_images(&rendered);
    assert!(embedded > 0, "{:?}", messages(&rendered));
    assert!(
        embedded as u64 * png.len() as u64 <= budget,
        "{embedded} images of {} bytes in a budget of {budget}",
        png.len()
    );
    let all = messages(&rendered);
    let budget_lines: Vec<&String> = all.iter().filter(|m| m.contains("budget")).collect();
    assert_eq!(budget_lines.len(), 1, "{all:?}");
    let left_out = 150 - embedded;
    assert!(
        budget_lines[0].starts_with(&format!("{left_out} remote images left as links")),
        "{all:?}"
    );
    // Once the budget is spent, the rest are not even asked for (a few may be under way).
    assert!(
        server.paths().len() < 60,
        "{} requests",
        server.paths().len()
    );
}

#[test]
fn an_image_over_the_size_cap_is_refused_naming_its_url() {
    let big = noise_png(200, 3);
    let small = noise_png(20, 4);
    let server = TestServer::start(vec![
        ("/big.png", Reply::ok("image/png", big.clone())),
        (
            "/big-streamed.png",
            Reply {
                no_length: true,
                ..Reply::ok("image/png", big.clone())
            },
        ),
        ("/small.png", Reply::ok("image/png", small.clone())),
    ]);
    let urls = ["/big.png", "/big-streamed.png", "/small.png"].map(|p| server.url(p));
    let cap = 4 * small.len() as u64;
    assert!((big.len() as u64) > cap);
    let rendered = book(
        &document(&urls),
        ImageFetchOptions {
            max_image_bytes: cap,
            ..ImageFetchOptions::default()
        },
    );
    let all = messages(&rendered);
    for url in &urls[..2] {
        assert!(
            all.iter()
                .any(|m| m.contains(url.as_str()) && m.contains("limit for one image")),
            "{url}: {all:?}"
        );
    }
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(embedded_images(&rendered), 1);
}

#[test]
fn slow_images_past_the_deadline_are_left_out_with_one_warning() {
    // 36 images that take a second each to start answering: without a deadline that is six
    // rounds of six downloads; with a deadline of 1.5 s, two rounds at most.
    let png = noise_png(10, 5);
    let paths: Vec<String> = (0..36).map(|i| format!("/slow/{i}.png")).collect();
    let server = TestServer::start(
        paths
            .iter()
            .map(|p| {
                (
                    p.as_str(),
                    Reply {
                        delay: Duration::from_secs(1),
                        ..Reply::ok("image/png", png.clone())
                    },
                )
            })
            .collect(),
    );
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    let started = Instant::now();
    let rendered = book(
        &document(&urls),
        ImageFetchOptions {
            deadline: Duration::from_millis(1500),
            ..ImageFetchOptions::default()
        },
    );
    let elapsed = started.elapsed();
    let all = messages(&rendered);
    let embedded = embedded_images(&rendered);
    assert!(embedded < 36, "{all:?}");
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        all[0].starts_with(&format!("{} remote images left as links", 36 - embedded))
            && all[0].contains("1.5 s limit"),
        "{all:?}"
    );
    assert!(
        server.paths().len() <= 18,
        "{} requests",
        server.paths().len()
    );
    // Generous: the point is that it stops near the deadline, not after every image.
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}
