//! The JSON form's version field (issue 12, point 6): written first, at the top of the
//! document object; JSON without one (as quire wrote it before, and the first form kept in
//! `tests/fixtures/json-v1`) still reads; a version newer than this quire knows is an error
//! that says so.

use quire::model::JSON_VERSION;
use quire::{
    Block, Document, Error, Inline, InputFormat, Meta, OutputFormat, ReadOptions, WriteOptions,
};
use std::path::Path;

fn from_json(json: &str) -> quire::Result<Document> {
    quire::read(json.as_bytes(), InputFormat::Json, &ReadOptions::default()).map(|r| r.document)
}

fn sample() -> Document {
    Document::new(
        Meta {
            title: Some("T".into()),
            ..Meta::default()
        },
        vec![Block::Paragraph(vec![Inline::text("x")])],
    )
}

fn to_json(document: &Document) -> String {
    let bytes = quire::write(document, OutputFormat::Json, &WriteOptions::default())
        .unwrap()
        .bytes;
    String::from_utf8(bytes).unwrap()
}

#[test]
fn the_version_is_the_first_field_and_reads_back() {
    let json = to_json(&sample());
    assert!(
        json.starts_with(&format!(
            "{{\n  \"version\": {JSON_VERSION},\n  \"meta\": {{"
        )),
        "{json}"
    );
    assert_eq!(JSON_VERSION, 2);
    assert_eq!(from_json(&json).unwrap(), sample());
}

#[test]
fn json_without_a_version_still_reads() {
    let json = to_json(&sample());
    let unversioned = json.replacen(&format!("\"version\": {JSON_VERSION},"), "", 1);
    assert!(!unversioned.contains("\"version\""));
    assert_eq!(from_json(&unversioned).unwrap(), sample());
    // The first form, as the fixtures keep it, has no version either.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json-v1");
    for fixture in ["essay.md.json", "note.md.json", "web-page.html.json"] {
        let old = std::fs::read_to_string(dir.join(fixture)).unwrap();
        assert!(!old.contains("\"version\""), "{fixture}");
        let document = from_json(&old).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        assert!(!document.blocks.is_empty(), "{fixture}");
    }
}

#[test]
fn the_known_versions_read_wherever_the_field_is() {
    for version in 1..=JSON_VERSION {
        let json = format!(
            r#"{{"blocks": [{{"type": "rule"}}], "version": {version}, "meta": {{"title": "T"}}}}"#
        );
        let document = from_json(&json).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(document.blocks, vec![Block::Rule]);
    }
}

#[test]
fn a_newer_version_is_an_error_that_says_so() {
    let newer = JSON_VERSION + 1;
    let json = to_json(&sample()).replacen(
        &format!("\"version\": {JSON_VERSION}"),
        &format!("\"version\": {newer}"),
        1,
    );
    let error = from_json(&json).unwrap_err();
    assert!(
        matches!(error, Error::NewerVersion { found, known } if found == newer && known == JSON_VERSION),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("newer quire") && message.contains(&newer.to_string()),
        "{message}"
    );
    // Even when the blocks are of a form this quire cannot read.
    let json = r#"{"version": 99, "meta": {}, "blocks": [{"type": "hologram"}]}"#;
    assert!(matches!(
        from_json(json),
        Err(Error::NewerVersion { found: 99, .. })
    ));
}

#[test]
fn a_version_that_is_not_a_number_is_someone_elses_field() {
    // A package.json: still "not a quire document", not a version error.
    let error = from_json(r#"{"name": "left-pad", "version": "1.0.0"}"#).unwrap_err();
    assert!(
        error.to_string().contains("not a quire document"),
        "{error}"
    );
}
