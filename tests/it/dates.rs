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
        assert_eq!(doc.meta.published.as_deref(), Some("2024-02-29"), "{line}");
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

fn json_with_published(date: &str) -> Document {
    let mut document = Document::default();
    document.meta.title = Some("The Harbour Wall".into());
    document.meta.published = Some(date.into());
    let json = write(&document, OutputFormat::Json);
    assert!(
        json.contains(&format!("\"published\": \"{date}\"")),
        "{json}"
    );
    let read_back = read(json.as_bytes(), InputFormat::Json);
    assert_eq!(read_back.meta.published.as_deref(), Some(date));
    // Written again, the JSON form is the same bytes.
    assert_eq!(write(&read_back, OutputFormat::Json), json);
    read_back
}

#[test]
fn a_leap_day_read_from_json_is_a_date_for_the_writers() {
    for stamp in [
        "2024-02-29",
        "2024-02-29T10:00:00Z",
        "2024-02-29T10:00:00.250+02:00",
    ] {
        let html = write(&json_with_published(stamp), OutputFormat::Html);
        assert!(html.contains(&format!("datetime=\"{stamp}\"")), "{html}");
        assert!(html.contains("29 February 2024"), "{html}");
    }
}

#[test]
fn the_29th_of_february_2023_read_from_json_is_not_a_date() {
    let html = write(&json_with_published("2023-02-29"), OutputFormat::Html);
    assert!(!html.contains("datetime="), "{html}");
    assert!(!html.contains("February 2023"), "{html}");
    // Shown as the text it is, not dropped and not turned into another day.
    assert!(html.contains("2023-02-29"), "{html}");
    assert!(!html.contains("2023-03-01"), "{html}");
}
