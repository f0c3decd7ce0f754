//! The format table's claims about writers hold: a format marked as streaming sends a large
//! document out in several writes, as it makes it.

use quire::format::OUTPUTS;
use quire::{InputFormat, ReadOptions, WriteOptions};
use std::io;

/// A sink that counts the writes it receives.
#[derive(Default)]
struct CountingSink {
    writes: usize,
    bytes: usize,
}

impl io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writes += 1;
        self.bytes += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn formats_marked_as_streaming_write_as_they_go() {
    let paragraph = "A paragraph of some length, so that the document grows past a chunk. ";
    let markdown: String = (0..3000)
        .map(|i| format!("{i}. {}\n\n", paragraph.repeat(2)))
        .collect::<String>();
    let markdown = format!("# Title\n\n{}", markdown.replace(". A", ", a"));
    let reading = quire::read(
        markdown.as_bytes(),
        InputFormat::Markdown,
        &ReadOptions::default(),
    )
    .unwrap();
    let mut checked = 0;
    for spec in OUTPUTS.iter().filter(|spec| spec.streams) {
        let mut sink = CountingSink::default();
        quire::write_to(
            &reading.document,
            spec.format,
            &WriteOptions::default(),
            &mut sink,
        )
        .unwrap();
        assert!(
            sink.bytes > 256 * 1024,
            "{}: {} bytes",
            spec.name,
            sink.bytes
        );
        assert!(sink.writes > 2, "{}: {} writes", spec.name, sink.writes);
        checked += 1;
    }
    assert!(checked >= 4, "{checked} streaming formats");
}
