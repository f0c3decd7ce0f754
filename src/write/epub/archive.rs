//! The book's zip, written here rather than through the `zip` crate's writer.
//!
//! An EPUB's zip is the simplest kind there is: a few dozen entries, each stored or deflated,
//! no encryption, no ZIP64 (a book over 4 GiB is refused), no comment (Kobo takes a comment
//! for DRM). What made the crate's writer costly for it is that each entry gets a new
//! compressor, and a deflate compressor's state is hundreds of kilobytes to allocate and clear:
//! for a one-page book that was a large share of the whole conversion. Here one compressor is
//! reset between entries.
//!
//! The bytes depend only on what is written and the one time given for every entry.

use std::io;

use flate2::{Compress, Compression, FlushCompress, Status};

/// How an entry's bytes are kept in the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    /// As they are: for `mimetype` (which must be) and for images, compressed already.
    Stored,
    /// Deflated.
    Deflated,
}

impl Method {
    fn code(self) -> u16 {
        match self {
            Method::Stored => 0,
            Method::Deflated => 8,
        }
    }
}

/// A zip being written into memory, entry after entry.
pub(super) struct ZipOut {
    bytes: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
    /// The MS-DOS time and date every entry is stamped with.
    time: u16,
    date: u16,
    compressor: Compress,
    /// Compressed bytes of the entry being written (kept to reuse its allocation).
    deflated: Vec<u8>,
}

/// The error for a zip too large for the plain (not ZIP64) format.
fn too_large(what: &str) -> io::Error {
    io::Error::other(format!(
        "the EPUB is too large: {what} passes the zip format's 4 GiB limit"
    ))
}

impl ZipOut {
    /// An empty zip whose entries all carry `time`.
    pub(super) fn new(time: zip::DateTime) -> ZipOut {
        ZipOut {
            bytes: Vec::new(),
            central: Vec::new(),
            entries: 0,
            time: time.timepart(),
            date: time.datepart(),
            // Level 6, zlib's default and what the zip crate used: for XHTML the higher
            // levels gain a few bytes for twice the time.
            compressor: Compress::new(Compression::new(6), false),
            deflated: Vec::new(),
        }
    }

    /// Adds `name` with `data`, kept as `method` says.
    pub(super) fn add(&mut self, name: &str, data: &[u8], method: Method) -> io::Result<()> {
        let crc = crc32fast::hash(data);
        match method {
            Method::Stored => self.add_raw(name, Method::Stored, crc, data.len() as u64, data),
            Method::Deflated => {
                let mut deflated = std::mem::take(&mut self.deflated);
                self.deflate(data, &mut deflated)?;
                let result =
                    self.add_raw(name, Method::Deflated, crc, data.len() as u64, &deflated);
                self.deflated = deflated;
                result
            }
        }
    }

    /// Adds `name` whose bytes are `raw`, already kept as `method` says, with the CRC and
    /// length of the bytes they stand for (an entry copied from another zip).
    pub(super) fn add_raw(
        &mut self,
        name: &str,
        method: Method,
        crc: u32,
        size: u64,
        raw: &[u8],
    ) -> io::Result<()> {
        let offset = u32::try_from(self.bytes.len()).map_err(|_| too_large("its size"))?;
        let size = u32::try_from(size).map_err(|_| too_large(name))?;
        let compressed = u32::try_from(raw.len()).map_err(|_| too_large(name))?;
        let name_length = u16::try_from(name.len()).map_err(|_| {
            io::Error::other(format!("a file name in the EPUB is too long: {name}"))
        })?;
        self.entries = self
            .entries
            .checked_add(1)
            .ok_or_else(|| io::Error::other("the EPUB has more than 65,535 files"))?;
        // Bit 11: the name is UTF-8 (only said when it is not plain ASCII, as zip tools do).
        let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
        // What every header says alike: version needed (2.0), flags, method, time, date,
        // CRC, sizes, name length.
        let mut common = Vec::with_capacity(26);
        common.extend_from_slice(&20u16.to_le_bytes());
        common.extend_from_slice(&flags.to_le_bytes());
        common.extend_from_slice(&method.code().to_le_bytes());
        common.extend_from_slice(&self.time.to_le_bytes());
        common.extend_from_slice(&self.date.to_le_bytes());
        common.extend_from_slice(&crc.to_le_bytes());
        common.extend_from_slice(&compressed.to_le_bytes());
        common.extend_from_slice(&size.to_le_bytes());
        common.extend_from_slice(&name_length.to_le_bytes());

        // Local file header, then the name and the data.
        self.bytes.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        self.bytes.extend_from_slice(&common);
        self.bytes.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.extend_from_slice(raw);

        // Central directory record: made by version 2.0 on MS-DOS (no Unix permissions to
        // carry), no extra field, no comment, no attributes.
        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&20u16.to_le_bytes());
        self.central.extend_from_slice(&common);
        self.central.extend_from_slice(&[0; 12]); // extra, comment, disk, internal, external
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name.as_bytes());
        Ok(())
    }

    /// Deflates `data` whole into `out` (cleared first), with the one compressor.
    fn deflate(&mut self, data: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
        self.compressor.reset();
        out.clear();
        // Deflate never grows data by more than a few bytes a block; a little over is one
        // allocation in almost every case, and the loop below grows it if not.
        out.reserve(data.len() + data.len() / 100 + 64);
        loop {
            let consumed = self.compressor.total_in() as usize;
            let status = self
                .compressor
                .compress_vec(&data[consumed..], out, FlushCompress::Finish)
                .map_err(io::Error::other)?;
            match status {
                Status::StreamEnd => return Ok(()),
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(1024)),
            }
        }
    }

    /// The zip's bytes: the entries, the central directory and its end record.
    pub(super) fn finish(mut self) -> io::Result<Vec<u8>> {
        let start = u32::try_from(self.bytes.len()).map_err(|_| too_large("its size"))?;
        let length = u32::try_from(self.central.len()).map_err(|_| too_large("its size"))?;
        self.bytes.extend_from_slice(&self.central);
        self.bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.bytes.extend_from_slice(&[0; 4]); // this disk, the directory's disk
        self.bytes.extend_from_slice(&self.entries.to_le_bytes());
        self.bytes.extend_from_slice(&self.entries.to_le_bytes());
        self.bytes.extend_from_slice(&length.to_le_bytes());
        self.bytes.extend_from_slice(&start.to_le_bytes());
        self.bytes.extend_from_slice(&0u16.to_le_bytes()); // no comment
        Ok(self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    fn time() -> zip::DateTime {
        zip::DateTime::from_date_and_time(2024, 5, 1, 10, 30, 0).unwrap()
    }

    /// What the `zip` crate's reader (a different implementation) makes of a written zip:
    /// every entry, in order, with its method, time and bytes.
    #[test]
    fn the_zip_crate_reads_back_every_entry() {
        let long: String = (0..20_000).map(|i| format!("word{i} ")).collect();
        let mut out = ZipOut::new(time());
        out.add("mimetype", b"application/epub+zip", Method::Stored)
            .unwrap();
        out.add("OEBPS/chapter.xhtml", long.as_bytes(), Method::Deflated)
            .unwrap();
        out.add("OEBPS/empty.css", b"", Method::Deflated).unwrap();
        out.add(
            "OEBPS/images/été.png",
            &[0x89, b'P', 0, 1, 2],
            Method::Stored,
        )
        .unwrap();
        let bytes = out.finish().unwrap();

        // No comment: the end record is the last 22 bytes.
        assert_eq!(&bytes[bytes.len() - 22..bytes.len() - 18], b"PK\x05\x06");
        // `mimetype` first, stored, with its name at byte 30: what readers sniff.
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], b"application/epub+zip");

        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let expected: [(&str, &[u8], zip::CompressionMethod); 4] = [
            (
                "mimetype",
                b"application/epub+zip",
                zip::CompressionMethod::Stored,
            ),
            (
                "OEBPS/chapter.xhtml",
                long.as_bytes(),
                zip::CompressionMethod::Deflated,
            ),
            ("OEBPS/empty.css", b"", zip::CompressionMethod::Deflated),
            (
                "OEBPS/images/été.png",
                &[0x89, b'P', 0, 1, 2],
                zip::CompressionMethod::Stored,
            ),
        ];
        assert_eq!(archive.len(), expected.len());
        for (index, (name, data, method)) in expected.into_iter().enumerate() {
            let mut file = archive.by_index(index).unwrap();
            assert_eq!(file.name(), name);
            assert_eq!(file.compression(), method);
            assert_eq!(file.last_modified(), Some(time()));
            let mut read = Vec::new();
            file.read_to_end(&mut read).unwrap();
            assert_eq!(read, data, "{name}");
        }
        // The long text was compressed, not stored.
        let chapter = archive.by_index_raw(1).unwrap();
        assert!(chapter.compressed_size() < long.len() as u64 / 4);
    }

    /// The compressor is reused: an entry after a large one is compressed from a clean start.
    #[test]
    fn each_entry_is_compressed_on_its_own() {
        let first = "a".repeat(100_000);
        let mut out = ZipOut::new(time());
        out.add("a", first.as_bytes(), Method::Deflated).unwrap();
        out.add("b", b"hello, hello, hello", Method::Deflated)
            .unwrap();
        let bytes = out.finish().unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name("b")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "hello, hello, hello");
    }
}
