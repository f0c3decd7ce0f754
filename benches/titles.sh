#!/usr/bin/env bash
# Titles and metadata against Mozilla Readability's test pages (../shared/corpus/readability,
# the pages with an expected-metadata.json): prints the share of exact titles (whitespace
# normalised; a title that is Readability's less the site name it kept counts), and how many
# bylines, dates and languages agree, with every miss. It runs the shared test
# `readability_meta`, which also fails when exact titles fall under 97%.
#
# Usage: benches/titles.sh [SHARED_DIR]   (default: ../shared beside the crate)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
export QUIRE_SHARED="${1:-${QUIRE_SHARED:-$crate/../shared}}"
if [ ! -d "$QUIRE_SHARED/corpus/readability" ]; then
    echo "titles.sh: no readability corpus under $QUIRE_SHARED (give the shared folder)" >&2
    exit 2
fi
cd "$crate"
cargo test --quiet --features shared-tests --test shared readability_meta -- --nocapture 2>&1 |
    grep -E '^(title|byline|date|lang) |^exact titles|panicked|test result'
