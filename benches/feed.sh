#!/usr/bin/env bash
# `quire feed` against the one-by-one way: 20 feeds x 10 items, served from a local folder
# (python3 -m http.server), made into one EPUB
#   a) by `quire feed` (feeds and articles fetched in parallel, two at a time per host), and
#   b) by `quire convert URL -o N.md` for each of the 200 article pages, one after another, then
#      `quire bundle *.md --fetch-images --allow-private` (each article's image downloaded too),
# with the same binary, in the same run; prints both times and the ratio b/a. Each page is a
# generated article of 6 paragraphs and one PNG. The server adds no delay: what is measured is
# quire's own work and the requests' round trips on loopback, not a slow network (where the
# parallel fetch gains more).
#   benches/feed.sh [QUIRE_BINARY]   (default: target/release/quire, else target/debug/quire)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
quire="${1:-}"
if [ -z "$quire" ]; then
  quire="$crate/target/release/quire"
  [ -x "$quire" ] || quire="${CARGO_TARGET_DIR:-$crate/target}/debug/quire"
fi
[ -x "$quire" ] || { echo "no quire binary at $quire (cargo build first)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
python3 - "$work/site" "$base" "$crate/tests/data/feeds/img/pic.png" <<'PY'
import os, shutil, sys
site, base, png = sys.argv[1:4]
os.makedirs(f"{site}/img")
shutil.copy(png, f"{site}/img/pic.png")
words = ("The council met on Tuesday to discuss the harbour, the ferry timetable and the "
         "new market hall; residents asked questions for two hours and the vote was close. ")
for f in range(20):
    os.makedirs(f"{site}/f{f}")
    items = []
    for i in range(10):
        title = f"Feed {f} story {i}"
        body = "".join(f"<p>{title}, paragraph {p}. {words * 3}</p>\n" for p in range(6))
        with open(f"{site}/f{f}/a{i}.html", "w") as out:
            out.write(f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{title}"
                      f"</title></head><body><nav><a href=/>Home</a></nav><article><h1>{title}"
                      f"</h1>\n{body}<p><img src=/img/pic.png alt=Harbour></p></article>"
                      f"<footer>Site footer</footer></body></html>")
        items.append(f"<item><title>{title}</title><link>{base}/f{f}/a{i}.html</link>"
                     f"<guid>f{f}-a{i}</guid><description>Teaser.</description>"
                     f"<pubDate>Wed, 02 Dec 2026 {i:02d}:00:00 GMT</pubDate></item>")
    with open(f"{site}/f{f}/feed.xml", "w") as out:
        out.write(f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed {f}</title>"
                  f"<link>{base}/</link><description>d</description>{''.join(items)}"
                  f"</channel></rss>")
with open(f"{site}/feeds.txt", "w") as out:
    out.write("".join(f"{base}/f{f}/feed.xml\n" for f in range(20)))
with open(f"{site}/urls.txt", "w") as out:
    out.write("".join(f"{base}/f{f}/a{i}.html\n" for f in range(20) for i in range(10)))
PY
(cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server_pid=$!
for _ in $(seq 50); do curl -sf "$base/feeds.txt" >/dev/null 2>&1 && break; sleep 0.1; done

now() { python3 -c 'import time; print(time.monotonic())'; }

start=$(now)
"$quire" feed "$work/site/feeds.txt" -o "$work/paper/" --quiet
feed_seconds=$(python3 -c "print($(now) - $start)")
paper="$(ls "$work"/paper/*.epub)"

start=$(now)
mkdir -p "$work/one"
n=0
while read -r url; do
  n=$((n + 1))
  "$quire" convert "$url" -o "$work/one/$(printf %03d $n).md" --quiet
done <"$work/site/urls.txt"
"$quire" bundle "$work"/one/*.md --fetch-images --allow-private -o "$work/bundle.epub" --quiet
one_seconds=$(python3 -c "print($(now) - $start)")

chapters() { python3 -c "import sys,zipfile; print(sum(1 for n in zipfile.ZipFile(sys.argv[1]).namelist() if '/chapter-' in n))" "$1"; }
printf 'quire feed:            %6.2f s  %s chapters, %s bytes\n' "$feed_seconds" "$(chapters "$paper")" "$(stat -c %s "$paper")"
printf 'convert x200 + bundle: %6.2f s  %s chapters, %s bytes\n' "$one_seconds" "$(chapters "$work/bundle.epub")" "$(stat -c %s "$work/bundle.epub")"
python3 -c "print(f'ratio (one by one / quire feed): {$one_seconds / $feed_seconds:.2f}x')"
echo "binary: $quire"
