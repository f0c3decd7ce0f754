//! Helpers shared by the integration tests: finding the external validators.
//!
//! A test that drives an external tool (pandoc, the Nu Html Checker, poppler, qpdf, EPUBCheck,
//! Chromium) fails when the tool is missing and `CI` is set (CI installs them all); elsewhere
//! it says loudly that it skipped, so a developer without the tools can still run `cargo test`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether a missing tool is a failure (in CI) or a skip (on a developer's machine).
fn tool_missing(what: &str, how: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is not installed ({how}); CI must install it");
    }
    eprintln!("\n!!! SKIPPED: {what} is not installed ({how}) !!!\n");
}

/// The path of a program on PATH, or `None` after reporting it (see the module docs).
pub fn program(name: &str, package: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        tool_missing(name, &format!("Debian package {package}"));
    }
    found
}

fn find_vnu() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("QUIRE_VNU_JAR").map(PathBuf::from),
        Some(PathBuf::from(
            "/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
        )),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// Runs the Nu Html Checker on a file or directory and returns its messages (empty when
/// valid), or `None` when no checker is installed and this is not CI.
pub fn nu_html_check(path: &Path) -> Option<String> {
    let Some(jar) = find_vnu() else {
        tool_missing(
            "the Nu Html Checker (vnu.jar)",
            "npm vnu-jar; set QUIRE_VNU_JAR",
        );
        return None;
    };
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg("--errors-only")
        .arg(path)
        .output()
        .expect("java runs");
    let messages = String::from_utf8_lossy(&output.stderr).to_string()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() || !messages.trim().is_empty(),
        "vnu failed without a message"
    );
    Some(messages)
}

/// The words of a text as the AEB metric and our comparisons count them: runs of letters,
/// digits and underscores.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// `image` encoded as a PNG.
pub fn encode_png(image: image::RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// A small real PNG: a gradient of `width` × `height` pixels.
pub fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    encode_png(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 5) as u8, 128])
    }))
}
