#!/usr/bin/env bash
# PDF benchmark: quire's own typesetting against headless Chromium printing quire's HTML.
#
# 1. `cargo bench --bench pdf -- --emit DIR` generates a 5,000-word article with three
#    images as quire JSON (and prints the library-level timings).
# 2. The CLI converts it: `quire convert article.json --to html` and `--to pdf`, timed over
#    RUNS runs each (wall clock, process start included).
# 3. Chromium prints the HTML to PDF, timed the same way, in the same run.
# Prints both medians, the ratio (target ≥ 20×) and the size of the text-only PDF
# (target < 150 KB).
#
# Usage: benches/pdf.sh [RUNS]   (needs chromium on PATH; CHROMIUM and QUIRE override the
# browser and the quire binary)
set -euo pipefail

RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}

cd "$ROOT"
cargo build --release --quiet
QUIRE=${QUIRE:-"$ROOT/target/release/quire"}
cargo bench --quiet --bench pdf -- --emit "$WORK" | sed 's/^/library /'

# Median of N timings (seconds) of a command.
median() {
  local times=() start end
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

if ! "$QUIRE" convert "$WORK/article.json" --to html -o "$WORK/article.html" 2>"$WORK/err" \
   || [ ! -s "$WORK/article.html" ]; then
  echo "quire convert --to html did not work yet (CLI or HTML writer missing):" >&2
  cat "$WORK/err" >&2
  exit 1
fi

quire_s=$(median "$QUIRE" convert "$WORK/article.json" --to pdf -o "$WORK/article.pdf")
"$QUIRE" convert "$WORK/article-text.json" --to pdf -o "$WORK/text.pdf"
text_kb=$(( $(stat -c %s "$WORK/text.pdf") / 1024 ))

if [ -z "$CHROMIUM" ]; then
  echo "quire: ${quire_s}s per PDF; text-only PDF ${text_kb} KB; chromium not found, no ratio" >&2
  exit 1
fi
chrome_s=$(median "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --no-first-run --print-to-pdf="$WORK/chromium.pdf" "file://$WORK/article.html")

ratio=$(echo "$chrome_s / $quire_s" | bc -l)
printf 'quire convert --to pdf : %.3f s (median of %d)\n' "$quire_s" "$RUNS"
printf 'chromium --print-to-pdf: %.3f s (median of %d)\n' "$chrome_s" "$RUNS"
printf 'ratio                  : %.1fx (target >= 20x)\n' "$ratio"
printf 'text-only 5,000 words  : %d KB (target < 150 KB)\n' "$text_kb"
