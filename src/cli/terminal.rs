//! Everything quire says on standard error goes through [`say`], one line at a time.
//!
//! Messages quote what inputs contain (an image's `src`, a file name, a page's class names):
//! printed raw, an ESC sequence, a carriage return or a line feed in such a value could
//! erase or forge lines on the user's terminal ("0 failed, all good"), and a bidi override
//! could make a name read backwards. [`escape_controls`] shows those characters as escapes
//! instead, and because it is applied where lines are printed, no message can bypass it.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// Prints one message line on standard error, control characters escaped.
pub fn say(line: &str) {
    eprintln!("{}", escape_controls(line));
}

/// Prints one line of a command's answer (`quire send --dry-run`'s list) on standard
/// output, control characters escaped as [`say`] escapes them.
pub fn show(line: &str) {
    println!("{}", escape_controls(line));
}

/// Panic messages go through [`say`] too (they may quote input); with `RUST_BACKTRACE` set,
/// the standard hook prints them with their backtrace, for a developer.
pub fn install_panic_hook() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("<unnamed>");
        say(&format!("quire: thread '{name}' {info}"));
    }));
}

/// `text` with every character that could move the cursor, change colours or reorder what
/// follows shown as an escape: `\n`, `\r`, `\t`, `\e` (ESC), `\u{..}` for the other C0 and
/// C1 controls, DEL, and the bidi formatting characters. Text without them is borrowed.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            '\u{1b}' => escaped.push_str("\\e"),
            c if needs_escape(c) => {
                let _ = write!(escaped, "\\u{{{:x}}}", c as u32);
            }
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// JSON text (serde's, which escapes only C0 controls) with the rest of what
/// [`escape_controls`] escapes written as `\uXXXX` too: the same value to a JSON reader, and
/// harmless when the report is shown on a terminal. Such characters can only be inside
/// strings, where the escape means the same character.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    if !json.chars().any(needs_escape) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // Line breaks and tabs outside strings are the pretty printer's layout.
        if needs_escape(c) && !matches!(c, '\n' | '\t' | '\r') {
            let _ = write!(escaped, "\\u{:04x}", c as u32);
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The characters that change the direction of the text around them (Unicode's
/// Bidi_Control property): embeddings, overrides, isolates and the marks.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// An I/O error as users read it: `No such file or directory`, without `(os error 2)`.
pub fn io_error(error: io::Error) -> anyhow::Error {
    anyhow::Error::msg(io_message(&error))
}

/// The text of [`io_error`].
pub fn io_message(error: &io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_untouched() {
        let text = "quire: a.html: warning: image 'café.png' not found — «ok»";
        assert!(matches!(escape_controls(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn controls_cannot_forge_lines() {
        assert_eq!(
            escape_controls("x.png\u{1b}[2K\r0 failed, all good\n"),
            "x.png\\e[2K\\r0 failed, all good\\n"
        );
        assert_eq!(
            escape_controls("a\u{0}b\u{7f}c\u{9b}d"),
            "a\\u{0}b\\u{7f}c\\u{9b}d"
        );
        assert_eq!(
            escape_controls("evil\u{202e}gpj.exe"),
            "evil\\u{202e}gpj.exe"
        );
        assert_eq!(escape_controls("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    /// Every line the command line prints goes through [`say`]: a direct print anywhere
    /// else in `src/cli` could show input's control characters raw.
    #[test]
    fn the_command_line_prints_only_through_say() {
        let mut folders = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/cli"
        ))];
        let mut files = Vec::new();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        let mut offenders = Vec::new();
        for path in files {
            if path.file_name().is_some_and(|n| n == "terminal.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (number, line) in source.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if ["eprintln!", "eprint!", "println!", "print!("]
                    .iter()
                    .any(|m| code.contains(m))
                {
                    offenders.push(format!("{}:{}: {line}", path.display(), number + 1));
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "print through terminal::say:\n{}",
            offenders.join("\n")
        );
    }

    #[test]
    fn json_keeps_its_value_with_invisibles_escaped() {
        let value = serde_json::json!({"path": "a\u{1b}[2K\u{9b}\u{202e}b\u{7f}"});
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let escaped = escape_json_controls(&pretty);
        assert!(
            !escaped.contains(['\u{1b}', '\u{9b}', '\u{202e}', '\u{7f}']),
            "{escaped}"
        );
        assert!(escaped.contains("\\u202e"), "{escaped}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn io_errors_lose_the_os_error_number() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(io_error(e).to_string(), "No such file or directory");
    }
}
