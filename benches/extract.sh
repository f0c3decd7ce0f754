#!/usr/bin/env bash
# Article extraction benchmark: converts every page of the article-extraction-benchmark
# corpus (../shared/corpus/aeb, 121 pages) to text with quire, scores it against the human
# ground truth (../shared/tools/aeb_eval.py: token precision, recall, F1 of 4-word shingles),
# and does the same with the peers in the same run, each in one process:
#   - trafilatura (Python; `pip install trafilatura lxml_html_clean`), comments off;
#   - dom_smoothie (a Rust port of Readability.js), the bench-only program in benches/peers/.
# Then prints the speed ratios. Peers that are not installed are skipped.
#
# Usage: benches/extract.sh [--no-peers] [--keep DIR]
#   --no-peers   score quire alone
#   --keep DIR   write the predictions under DIR (default: a temporary folder, removed)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
shared="$crate/../shared"
aeb="$shared/corpus/aeb"
eval_py="$shared/tools/aeb_eval.py"
peers=1
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --no-peers) peers=0 ;;
        --keep) keep="$2"; shift ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done
[ -d "$aeb/html" ] || { echo "no corpus at $aeb" >&2; exit 1; }

if [ -n "$keep" ]; then
    out="$keep"; mkdir -p "$out"
else
    out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
fi
pages=$(ls "$aeb"/html/*.html | wc -l)

now() { python3 -c 'import time; print(time.perf_counter())'; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

echo "building quire (release)..." >&2
cargo build --release --quiet --manifest-path "$crate/Cargo.toml"
quire="$crate/target/release/quire"

# quire: one process for all pages, wall clock including reading and writing the files.
rm -rf "$out/quire"; mkdir -p "$out/quire"
t0=$(now)
"$quire" convert "$aeb"/html/*.html --to txt --body-only --quiet -o "$out/quire"
t1=$(now)
quire_s=$(elapsed "$t0" "$t1")
echo "quire: $pages pages in $quire_s s (one process, files included)"

trafilatura_s=""
smoothie_s=""
if [ "$peers" = 1 ]; then
    if python3 -c 'import trafilatura' 2>/dev/null; then
        rm -rf "$out/trafilatura"; mkdir -p "$out/trafilatura"
        # Timed inside the process, extraction only (imports and file reads left out):
        # the comparison favours trafilatura.
        trafilatura_s=$(python3 - "$aeb/html" "$out/trafilatura" <<'EOF'
import pathlib, sys, time
import trafilatura
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
total = 0.0
for page in sorted(src.glob("*.html")):
    html = page.read_text(encoding="utf8", errors="replace")
    start = time.perf_counter()
    text = trafilatura.extract(html, include_comments=False) or ""
    total += time.perf_counter() - start
    (dst / (page.stem + ".txt")).write_text(text, encoding="utf8")
print(f"{total:.3f}")
EOF
)
        echo "trafilatura $(python3 -c 'import trafilatura; print(trafilatura.__version__)'): $pages pages in $trafilatura_s s (extraction only)"
    else
        echo "trafilatura: not installed, skipped" >&2
    fi
    if cargo build --release --quiet --manifest-path "$here/peers/Cargo.toml" 2>/dev/null; then
        rm -rf "$out/dom_smoothie"
        line=$("$here/peers/target/release/extract-peers" "$aeb/html" "$out/dom_smoothie")
        echo "$line"
        smoothie_s=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s.*/\1/')
    else
        echo "dom_smoothie: could not build benches/peers, skipped" >&2
    fi
fi

echo
predictions=("$out/quire")
[ -d "$out/trafilatura" ] && predictions+=("$out/trafilatura")
[ -d "$out/dom_smoothie" ] && predictions+=("$out/dom_smoothie")
python3 "$eval_py" "${predictions[@]}" --n-bootstrap 200 --seed 1

echo
if [ -n "$trafilatura_s" ]; then
    python3 -c "print(f'speed: quire is {$trafilatura_s / $quire_s:.1f}x faster than trafilatura')"
fi
if [ -n "$smoothie_s" ]; then
    python3 -c "print(f'speed: quire is {$smoothie_s / $quire_s:.1f}x faster than dom_smoothie')"
fi
