//! Fuzz target: pipeline mode (`quire convert --jsonl`) over any bytes. It must never panic,
//! hang or stop early, and it keeps its promise: one answer line per non-blank input line, in
//! order, each a JSON object with an `id` and an `error` (null when the item converted).
//!
//! The command line is not part of the library, so this target compiles `src/cli` itself.
//! Lines that name a `url` are left out: a fuzzer must not send requests anywhere (run.sh also
//! runs it without a network).
#![no_main]

#[allow(dead_code)]
#[path = "../../src/cli/mod.rs"]
mod cli;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let kept: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|line| !names_a_url(line))
        .collect();
    let input = kept.join(&b'\n');
    // The pipeline reads lines as the standard input would give them.
    let expected = input
        .split(|&b| b == b'\n')
        .filter(|line| !String::from_utf8_lossy(line).trim().is_empty())
        .count();
    let output = cli::fuzz_jsonl(&input);
    let text = std::str::from_utf8(&output).expect("the answers are UTF-8");
    let answers: Vec<&str> = text.lines().collect();
    assert_eq!(answers.len(), expected, "one answer per line:\n{text}");
    for answer in answers {
        let value: Value = serde_json::from_str(answer).expect("each answer is JSON");
        let object = value.as_object().expect("each answer is an object");
        assert!(object.contains_key("id") && object.contains_key("error"), "{answer}");
    }
});

/// Whether a line is a JSON object with a `url` key (however the key is spelled in JSON),
/// read as the pipeline reads it (invalid UTF-8 replaced).
fn names_a_url(line: &[u8]) -> bool {
    match serde_json::from_str::<Value>(&String::from_utf8_lossy(line)) {
        Ok(Value::Object(item)) => item.contains_key("url"),
        _ => false,
    }
}
