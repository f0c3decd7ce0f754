//! Dates are read once into the model's calendar (issue 12, point 4): a leap day is a date in a
//! leap year and not otherwise, whichever reader it comes through, and writers show it from
//! the model's `Date` (`datetime` attribute, "29 February 2024").

use quire::{Document, InputFormat, OutputFormat, ReadOptions, WriteOptions};

const BODY: &str = "The harbour wall was finished a week before the spring tides, and the water \
    that came over it in the storm of the previous winter did not come this time. The engineers \
    who built it had measured a year of water levels before they drew a single line.";

fn read(bytes: &[u8], format: InputFormat) -> Document {
    quire::read(bytes, format, &ReadOptions::default())
        .expect("the input reads")
        .document
}

fn write(document: &Document, format: OutputFormat) -> String {
    String::from_utf8(
        quire::write(document, format, &WriteOptions::default())
            .expect("the document writes")
            .bytes,
    )
    .expect("text output is UTF-8")
}

fn text_with_date_line(date: &str) -> Document {
    let text = format!("The Harbour Wall\n\nBy Jane Doe\n{date}\n\n{BODY}\n");
    read(text.as_bytes(), InputFormat::Text)
}

#[test]
fn the_text_reader_knows_leap_days_from_the_calendar() {
    for line in [
        "February 29, 2024",
        "29 February 2024",
        "29.02.2024",
        "2024-02-29",
    ] {
        let doc = text_with_date_line(line);
        assert_eq!(
            doc.meta.published.map(|d| d.to_iso()).as_deref(),
            Some("2024-02-29"),
            "{line}"
        );
    }
    for line in [
        "February 29, 2023",
        "29 February 2023",
        "29.02.2023",
        "2023-02-29",
    ] {
        let doc = text_with_date_line(line);
        assert_eq!(doc.meta.published, None, "{line}");
    }
}

/// quire JSON whose `published` is `date` as written, read back.
fn json_with_published(date: &str) -> (String, Document) {
    let mut document = Document::default();
    document.meta.title = Some("The Harbour Wall".into());
    let json = write(&document, OutputFormat::Json);
    assert!(json.contains("\"published\": null"), "{json}");
    let json = json.replace("\"published\": null", &format!("\"published\": \"{date}\""));
    let read_back = read(json.as_bytes(), InputFormat::Json);
    (json, read_back)
}

#[test]
fn a_leap_day_read_from_json_is_a_date_for_the_writers() {
    for stamp in [
        "2024-02-29",
        "2024-02-29T10:00:00Z",
        "2024-02-29T10:00:00.250+02:00",
    ] {
        let (json, document) = json_with_published(stamp);
        let date = document.meta.published.expect("a leap day is a date");
        assert_eq!(date.to_iso(), stamp);
        assert_eq!(date.day().unwrap().to_string(), "2024-02-29");
        // Written again, the JSON form is the same bytes.
        assert_eq!(write(&document, OutputFormat::Json), json);
        let html = write(&document, OutputFormat::Html);
        assert!(html.contains(&format!("datetime=\"{stamp}\"")), "{html}");
        assert!(html.contains("29 February 2024"), "{html}");
    }
}

/// What is not an ISO date in JSON (a day the calendar lacks, or the free text older quire
/// passed through from front matter) still reads, as no date: see `deserialize_lenient`.
#[test]
fn text_that_is_not_a_date_in_json_reads_as_no_date() {
    for text in ["2023-02-29", "Spring 2024", "2024-05-01T25:00"] {
        let (_, document) = json_with_published(text);
        assert_eq!(document.meta.published, None, "{text}");
        assert_eq!(document.meta.title.as_deref(), Some("The Harbour Wall"));
        let html = write(&document, OutputFormat::Html);
        assert!(!html.contains("datetime="), "{html}");
    }
}

#[test]
fn front_matter_dates_are_read_once_and_other_text_is_a_warning() {
    let read_markdown = |date: &str| {
        let markdown = format!("---\ntitle: The Harbour Wall\ndate: {date}\n---\n\n{BODY}\n");
        quire::read(
            markdown.as_bytes(),
            InputFormat::Markdown,
            &ReadOptions::default(),
        )
        .expect("Markdown always reads")
    };
    let leap = read_markdown("2024-02-29");
    assert_eq!(
        leap.document.meta.published.map(|d| d.to_iso()).as_deref(),
        Some("2024-02-29")
    );
    assert!(leap.warnings.is_empty(), "{:?}", leap.warnings);
    for text in ["2023-02-29", "Spring 2024"] {
        let reading = read_markdown(text);
        assert_eq!(reading.document.meta.published, None, "{text}");
        assert!(
            reading
                .warnings
                .iter()
                .any(|w| w.message.contains(text) && w.message.contains("not an ISO 8601 date")),
            "{:?}",
            reading.warnings
        );
    }
}
