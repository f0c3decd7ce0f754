#!/usr/bin/env bash
# HTML → EPUB speed: quire against pandoc on the AEB corpus pages, in the same run.
#
#   benches/epub.sh                 all pages
#   LIMIT=20 benches/epub.sh        the first 20 pages only
#   CHECK=1 benches/epub.sh         also run EPUBCheck on quire's books and count the clean ones
#
# Prints pages/second for each tool and the ratio (target: quire at least 50x pandoc).
# Offline, pandoc's attempts to fetch remote images fail fast (no DNS); quire does not fetch
# unless asked. (pandoc 2.17's --sandbox cannot find its own EPUB stylesheet, so it is not used.)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus/aeb/html}"
limit="${LIMIT:-0}"
epubcheck_jar="${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}"

command -v pandoc >/dev/null || { echo "pandoc is not installed" >&2; exit 1; }
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
quire="$root/target/release/quire"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/quire" "$work/pandoc"

mapfile -t pages < <(find "$corpus" -maxdepth 1 -name '*.html' | sort)
if [ "$limit" -gt 0 ] && [ "${#pages[@]}" -gt "$limit" ]; then
    pages=("${pages[@]:0:$limit}")
fi
count=${#pages[@]}
[ "$count" -gt 0 ] || { echo "no pages in $corpus" >&2; exit 1; }
echo "pages: $count (from $corpus)"

now() { date +%s.%N; }

# quire: one batch run, as a user would convert a folder.
start=$(now)
"$quire" convert "${pages[@]}" --to epub -o "$work/quire" >"$work/quire.log" 2>&1 || true
quire_seconds=$(echo "$(now) - $start" | bc -l)
quire_books=$(find "$work/quire" -name '*.epub' | wc -l)

# pandoc: one process per page (it converts one document per run).
start=$(now)
pandoc_books=0
for page in "${pages[@]}"; do
    name="$(basename "$page" .html)"
    if pandoc -f html -t epub -o "$work/pandoc/$name.epub" "$page" 2>/dev/null; then
        pandoc_books=$((pandoc_books + 1))
    fi
done
pandoc_seconds=$(echo "$(now) - $start" | bc -l)

rate() { echo "scale=2; $1 / $2" | bc -l; }
quire_rate=$(rate "$count" "$quire_seconds")
pandoc_rate=$(rate "$count" "$pandoc_seconds")
printf 'quire : %3d books in %7.2f s  %9.2f pages/s\n' "$quire_books" "$quire_seconds" "$quire_rate"
printf 'pandoc: %3d books in %7.2f s  %9.2f pages/s\n' "$pandoc_books" "$pandoc_seconds" "$pandoc_rate"
printf 'ratio : %.1fx (target >= 50x)\n' "$(echo "$pandoc_seconds / $quire_seconds" | bc -l)"
if [ "$quire_books" -lt "$count" ]; then
    echo "NOTE: quire made $quire_books of $count books, so the ratio above is not a fair one; its log:" >&2
    head -20 "$work/quire.log" >&2
    [ "$quire_books" -gt 0 ] || exit 1
fi

if [ "${CHECK:-0}" = 1 ] && [ -f "$epubcheck_jar" ]; then
    clean=0
    for book in "$work"/quire/*.epub; do
        [ -e "$book" ] || continue
        if java -jar "$epubcheck_jar" "$book" 2>&1 | grep -q 'No errors or warnings detected'; then
            clean=$((clean + 1))
        fi
    done
    echo "epubcheck: $clean of $quire_books quire books clean"
fi
