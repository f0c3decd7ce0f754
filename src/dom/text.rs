//! Measures of text shared by the parser's table compaction and the extraction: how much
//! visible text a string holds, and a case-insensitive search for class names.

/// A block shorter than the extraction's prose length is prose if it has this many characters
/// and sentence punctuation. Table compaction keeps only cells shorter than this, which the
/// extraction therefore judges as fragments.
pub const SENTENCE_CHARS: f32 = 25.0;

/// `needle` (lowercase ASCII) in `haystack`, ignoring ASCII case; allocates only for a
/// haystack with capitals (rare in class names).
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    if haystack.len() < needle.len() {
        return false;
    }
    if haystack.bytes().any(|b| b.is_ascii_uppercase()) {
        haystack.to_ascii_lowercase().contains(needle)
    } else {
        haystack.contains(needle)
    }
}

/// Visible characters (whitespace runs count once), commas and sentence stops in a text.
pub fn count_text(text: &str) -> (f32, f32, f32) {
    let mut chars = 0u32;
    let mut commas = 0u32;
    let mut stops = 0u32;
    let mut in_space = true;
    if text.is_ascii() {
        // Most text: the same count byte by byte.
        for &b in text.as_bytes() {
            if matches!(b, b'\t'..=b'\r' | b' ') {
                if !in_space {
                    chars += 1;
                }
                in_space = true;
                continue;
            }
            in_space = false;
            chars += 1;
            match b {
                b',' => commas += 1,
                b'.' | b'!' | b'?' => stops += 1,
                _ => {}
            }
        }
        return (chars as f32, commas as f32, stops as f32);
    }
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                chars += 1;
            }
            in_space = true;
            continue;
        }
        in_space = false;
        chars += 1;
        match c {
            ',' | '，' | '、' | '،' => commas += 1,
            '.' | '!' | '?' | '。' | '！' | '？' | '؟' => stops += 1,
            _ => {}
        }
    }
    (chars as f32, commas as f32, stops as f32)
}

#[cfg(test)]
mod tests {
    use super::count_text;

    #[test]
    fn ascii_and_other_text_count_alike() {
        for text in ["Hello, world. Fine!", "  a \t\n b  ", "", "x,y,z?"] {
            let (chars, commas, stops) = count_text(&format!("{text}é"));
            assert_eq!(count_text(text), (chars - 1.0, commas, stops), "{text:?}");
        }
        assert_eq!(count_text(" one,  two. "), (10.0, 1.0, 1.0));
    }
}
