#!/usr/bin/env bash
# Accessibility of quire's EPUBs, checked by DAISY Ace: converts every sample to EPUB and fails
# when Ace reports any critical or serious violation (moderate and minor ones are listed).
#
# Needs Debian's chromium and Ace from npm, installed without downloading a browser:
#   ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix DIR @daisy/ace
# Usage: benches/ace.sh [ACE_DIR]   (default /opt/quire-tools/ace)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
ace_dir="${1:-/opt/quire-tools/ace}"
ace="$ace_dir/node_modules/.bin/ace-puppeteer"
[ -x "$ace" ] || { echo "no Ace at $ace (see the header of this script)" >&2; exit 2; }
export PUPPETEER_EXECUTABLE_PATH="${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}"

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cargo build --quiet --manifest-path "$crate/Cargo.toml"
"$crate/target/debug/quire" convert "$crate"/samples/*.txt "$crate"/samples/*.md \
  "$crate"/samples/*.html --to epub -o "$work/books/" --quiet
status=0
for book in "$work"/books/*.epub; do
  name="$(basename "$book" .epub)"
  "$ace" -f -o "$work/report/$name" "$book" >"$work/$name.log" 2>&1 || {
    echo "$name: Ace did not run (see below)"; cat "$work/$name.log"; status=1; continue; }
  python3 - "$work/report/$name/report.json" "$name" <<'PY' || status=1
import json, sys
report, name = json.load(open(sys.argv[1])), sys.argv[2]
counts, bad = {}, []
for doc in report.get("assertions", []):
    for a in doc.get("assertions", []):
        impact = a["earl:test"].get("earl:impact")
        counts[impact] = counts.get(impact, 0) + 1
        if impact in ("critical", "serious"):
            bad.append(f'{impact}: {a["earl:test"].get("dct:title")} in {doc.get("earl:testSubject", {}).get("url")}')
print(f"{name}: " + (", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no findings"))
for line in bad:
    print("  " + line)
sys.exit(1 if bad else 0)
PY
done
exit $status
