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
///
/// Byte by byte: a character is decoded only where its lead byte can start a non-ASCII
/// space, comma or stop (C2, D8, E1, E2, E3, EF); any other character counts as one visible
/// character without being decoded, so accents and curly quotes cost no more than ASCII.
pub fn count_text(text: &str) -> (f32, f32, f32) {
    let mut chars = 0u32;
    let mut commas = 0u32;
    let mut stops = 0u32;
    let mut in_space = true;
    let bytes = text.as_bytes();
    let mut at = 0;
    // Printable ASCII that is no comma or stop: one visible character a byte.
    let plain = |b: u8| b > b' ' && b < 0x7f && !matches!(b, b',' | b'.' | b'!' | b'?');
    while let Some(&b) = bytes.get(at) {
        // Most of a text is runs of such bytes between single spaces: count a run in a
        // tight loop.
        if plain(b) {
            let start = at;
            at += 1;
            while bytes.get(at).copied().is_some_and(plain) {
                at += 1;
            }
            chars += (at - start) as u32;
            in_space = false;
            continue;
        }
        let (c, len) = match b {
            0..=0x7f => (b as char, 1),
            0xc2 | 0xd8 | 0xe1 | 0xe2 | 0xe3 | 0xef => {
                let c = text[at..].chars().next().unwrap_or('x');
                (c, c.len_utf8())
            }
            // A letter or sign that is no space, comma or stop.
            0xf0.. => ('x', 4),
            0xe0.. => ('x', 3),
            _ => ('x', 2),
        };
        at += len;
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

    #[test]
    fn counting_matches_the_rule_character_by_character() {
        // The rule, one character at a time: what the byte-wise count must equal.
        fn by_chars(text: &str) -> (f32, f32, f32) {
            let (mut chars, mut commas, mut stops, mut in_space) = (0.0, 0.0, 0.0, true);
            for c in text.chars() {
                if c.is_whitespace() {
                    if !in_space {
                        chars += 1.0;
                    }
                    in_space = true;
                    continue;
                }
                in_space = false;
                chars += 1.0;
                match c {
                    ',' | '，' | '、' | '،' => commas += 1.0,
                    '.' | '!' | '?' | '。' | '！' | '？' | '؟' => stops += 1.0,
                    _ => {}
                }
            }
            (chars, commas, stops)
        }
        let pieces = [
            " ", "\n\t", "a", ",", ".", "é", "“", "\u{a0}", "\u{85}", "\u{2003}", "\u{3000}", "，",
            "、", "،", "。", "！", "？", "؟", "日", "🙂", "\u{ff10}", "\u{600}", "\u{1680}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}x{c}{b}{a}");
                    assert_eq!(count_text(&text), by_chars(&text), "{text:?}");
                }
            }
        }
    }
}
