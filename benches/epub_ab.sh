#!/usr/bin/env bash
# HTML → EPUB speed of two quire builds, old against new, in the same run: one process per
# page, as pandoc is run in benches/epub.sh. For changes to the EPUB writer (issue 12: chapters
# rendered straight from the prepared model instead of re-reading the HTML writer's output).
#
#   OLD=/tmp/quire-old NEW=target/dev-opt/quire benches/epub_ab.sh
#   LIMIT=40 ROUNDS=3 OLD=… NEW=… benches/epub_ab.sh
#
# Build each binary with `cargo build --profile dev-opt` at the commit to compare and copy it
# aside. Prints seconds per round for each and the ratio old/new (above 1: the new is faster).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus/aeb/html}"
limit="${LIMIT:-0}"
rounds="${ROUNDS:-3}"
old="${OLD:?set OLD to the old quire binary}"
new="${NEW:?set NEW to the new quire binary}"

[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }
mapfile -t pages < <(find "$corpus" -maxdepth 1 -name '*.html' | sort)
if [ "$limit" -gt 0 ] && [ "${#pages[@]}" -gt "$limit" ]; then
    pages=("${pages[@]:0:$limit}")
fi
echo "pages: ${#pages[@]} (from $corpus), rounds: $rounds"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }

# Seconds for one round of one binary over every page.
round() {
    local binary="$1" start
    start=$(now)
    for page in "${pages[@]}"; do
        "$binary" convert "$page" --to epub -o "$work/book.epub" >/dev/null 2>&1 || true
    done
    echo "$(now) - $start" | bc -l
}

old_total=0
new_total=0
for r in $(seq "$rounds"); do
    # Alternate the order, so neither build always runs on a warmer machine.
    if [ $((r % 2)) -eq 1 ]; then
        o=$(round "$old"); n=$(round "$new")
    else
        n=$(round "$new"); o=$(round "$old")
    fi
    printf 'round %d: old %7.2f s  new %7.2f s\n' "$r" "$o" "$n"
    old_total=$(echo "$old_total + $o" | bc -l)
    new_total=$(echo "$new_total + $n" | bc -l)
done
printf 'total  : old %7.2f s  new %7.2f s  ratio old/new %.2f\n' \
    "$old_total" "$new_total" "$(echo "$old_total / $new_total" | bc -l)"
