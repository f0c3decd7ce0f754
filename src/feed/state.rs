//! What earlier runs of `quire feed` delivered, and what each feed's server said last time:
//! the state file kept beside the output (`.quire-feed-state.json`).
//!
//! An item is known by any of three keys, since feeds change each of them: its GUID (within
//! its feed: JSON feeds number their items `1`, `2`… and two feeds' `1` are not one article),
//! its canonical URL ([`super::canonical_url`]) and the hash of its text
//! ([`super::text_hash`]).
//! Entries older than [`State::prune`]'s age are dropped, so the file stays small; a feed
//! that re-sends a months-old item after that gets it delivered again, which is rare and
//! harmless. The caller writes the bytes [`State::to_json`] gives atomically.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The state file's name, in the output folder.
pub const STATE_FILE: &str = ".quire-feed-state.json";

/// The state file's format version.
const VERSION: u32 = 1;

/// How long a delivered item is remembered by default: 90 days, in seconds.
pub const DEFAULT_MAX_AGE: i64 = 90 * 24 * 3600;

/// The state: items delivered, validators per feed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct State {
    version: u32,
    /// Every item delivered (oldest first).
    #[serde(default)]
    pub delivered: Vec<Delivered>,
    /// Per feed URL: what its server sent to validate the next request.
    #[serde(default)]
    pub feeds: BTreeMap<String, FeedRecord>,
    #[serde(skip)]
    index: Index,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Index {
    /// (feed, GUID).
    guids: HashSet<(String, String)>,
    urls: HashSet<String>,
    hashes: HashSet<String>,
}

/// One delivered item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Delivered {
    /// The item's GUID.
    pub guid: String,
    /// Its canonical URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The hash of its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_hash: Option<String>,
    /// The feed it came through.
    pub feed: String,
    /// When it was delivered (seconds since 1970, UTC).
    pub delivered_at: i64,
}

/// What a feed's server said about its last answer, sent back as a conditional request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FeedRecord {
    /// The `ETag` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// When the feed was last read (seconds since 1970, UTC).
    pub checked_at: i64,
}

impl State {
    /// An empty state (a first run).
    pub fn new() -> State {
        State {
            version: VERSION,
            ..State::default()
        }
    }

    /// Reads a state file's bytes; `path` names it in errors.
    pub fn from_json(bytes: &[u8], path: &str) -> Result<State> {
        let mut state: State = serde_json::from_slice(bytes).map_err(|e| Error::Parse {
            format: "quire feed state",
            message: format!("{path}: {e}"),
        })?;
        if state.version > VERSION {
            return Err(Error::Parse {
                format: "quire feed state",
                message: format!(
                    "{path}: written by a newer quire (version {}; this one knows {VERSION})",
                    state.version
                ),
            });
        }
        state.version = VERSION;
        state.reindex();
        Ok(state)
    }

    /// The state as the file holds it.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    fn reindex(&mut self) {
        let mut index = Index::default();
        for item in &self.delivered {
            index.add(item);
        }
        self.index = index;
    }

    /// Whether an item of `feed` with this GUID, or of any feed with this canonical URL, was
    /// delivered before.
    pub fn knows(&self, feed: &str, guid: &str, canonical_url: Option<&str>) -> bool {
        self.index
            .guids
            .contains(&(feed.to_string(), guid.to_string()))
            || canonical_url.is_some_and(|u| self.index.urls.contains(u))
    }

    /// Whether an item with this text hash was delivered before.
    pub fn knows_text(&self, text_hash: &str) -> bool {
        self.index.hashes.contains(text_hash)
    }

    /// Records an item as delivered.
    pub fn record(&mut self, item: Delivered) {
        self.index.add(&item);
        self.delivered.push(item);
    }

    /// Drops the items delivered more than `max_age` seconds before `now`, and the records
    /// of feeds not read for as long.
    pub fn prune(&mut self, now: i64, max_age: i64) {
        let oldest = now.saturating_sub(max_age);
        self.delivered.retain(|item| item.delivered_at >= oldest);
        self.feeds.retain(|_, feed| feed.checked_at >= oldest);
        self.reindex();
    }
}

impl Index {
    fn add(&mut self, item: &Delivered) {
        self.guids.insert((item.feed.clone(), item.guid.clone()));
        if let Some(url) = &item.url {
            self.urls.insert(url.clone());
        }
        if let Some(hash) = &item.text_hash {
            self.hashes.insert(hash.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(guid: &str, url: &str, hash: &str, at: i64) -> Delivered {
        Delivered {
            guid: guid.into(),
            url: Some(url.into()),
            text_hash: Some(hash.into()),
            feed: "https://f.example/rss".into(),
            delivered_at: at,
        }
    }

    #[test]
    fn items_are_known_by_any_key_and_survive_a_round_trip() {
        let mut state = State::new();
        state.record(item("g1", "https://a.example/1", "h1", 1000));
        state.feeds.insert(
            "https://f.example/rss".into(),
            FeedRecord {
                etag: Some("\"v1\"".into()),
                last_modified: None,
                checked_at: 1000,
            },
        );
        let read = State::from_json(&state.to_json(), "s.json").unwrap();
        assert_eq!(read, state);
        assert!(read.knows("https://f.example/rss", "g1", None));
        // Another feed's item "g1" is another article.
        assert!(!read.knows("https://other.example/feed.json", "g1", None));
        assert!(read.knows(
            "https://other.example/",
            "other",
            Some("https://a.example/1")
        ));
        assert!(read.knows_text("h1"));
        assert!(!read.knows("https://f.example/rss", "g2", Some("https://a.example/2")));
        assert!(!read.knows_text("h2"));
    }

    #[test]
    fn old_entries_are_pruned() {
        let mut state = State::new();
        state.record(item("old", "https://a.example/old", "h0", 0));
        state.record(item("new", "https://a.example/new", "h1", 100 * 24 * 3600));
        state.prune(100 * 24 * 3600, DEFAULT_MAX_AGE);
        assert!(!state.knows(
            "https://f.example/rss",
            "old",
            Some("https://a.example/old")
        ));
        assert!(!state.knows_text("h0"));
        assert!(state.knows("https://f.example/rss", "new", None));
        assert_eq!(state.delivered.len(), 1);
    }

    #[test]
    fn a_broken_or_newer_file_is_an_error_naming_it() {
        let e = State::from_json(b"{\"version\": 1, \"delivered\": [", "d/.s.json").unwrap_err();
        assert!(e.to_string().contains("d/.s.json"), "{e}");
        let e = State::from_json(b"{\"version\": 99}", "d/.s.json").unwrap_err();
        assert!(e.to_string().contains("newer quire"), "{e}");
    }
}
