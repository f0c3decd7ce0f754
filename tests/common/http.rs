//! The reading side of the small HTTP servers the tests start on 127.0.0.1: a request's
//! path and headers, which each server then answers in its own way.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;

/// A request's head: its path, and its headers with the names lowercased, in order.
pub struct RequestHead {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

/// Reads a request's head from `stream`; `None` when the client closed it first.
pub fn read_request_head(stream: &TcpStream) -> Option<RequestHead> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut first = String::new();
    if reader.read_line(&mut first).ok()? == 0 {
        return None;
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    Some(RequestHead { path, headers })
}
