#!/usr/bin/env bash
# `quire feed` against the one-by-one way: 20 feeds x 10 items, served from a local folder
# (python3 -m http.server, one per site address), made into one EPUB
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
server_pids=()
cleanup() { [ ${#server_pids[@]} -gt 0 ] && kill "${server_pids[@]}" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# Twenty sites, as a reader's feeds are: feed f is served from its own address 127.0.0.(f+1)
# (all of 127.0.0.0/8 is loopback on Linux), so that the limit of two requests at a time
# per host applies per site, as it would on the web.
base="http://127.0.0.1:$port"
python3 - "$work/site" "$port" "$crate/tests/data/feeds/img/pic.png" <<'PY'
import os, shutil, sys
site, port, png = sys.argv[1:4]
os.makedirs(f"{site}/img")
shutil.copy(png, f"{site}/img/pic.png")
words = ("The council met on Tuesday to discuss the harbour, the ferry timetable and the "
         "new market hall; residents asked questions for two hours and the vote was close. ")
for f in range(20):
    base = f"http://127.0.0.{f + 1}:{port}"
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
    out.write("".join(f"http://127.0.0.{f + 1}:{port}/f{f}/feed.xml\n" for f in range(20)))
with open(f"{site}/urls.txt", "w") as out:
    out.write("".join(f"http://127.0.0.{f + 1}:{port}/f{f}/a{i}.html\n" for f in range(20) for i in range(10)))
PY
for host in $(seq 1 20); do
  (cd "$work/site" && exec python3 -m http.server "$port" --bind "127.0.0.$host" >/dev/null 2>&1) &
  server_pids+=($!)
done
for host in $(seq 1 20); do
  for _ in $(seq 50); do curl -sf "http://127.0.0.$host:$port/feeds.txt" >/dev/null 2>&1 && break; sleep 0.1; done
done

# Wall time (what a reader waits) and CPU time (user + system, children included, which a
# busy machine inflates less), each side measured by /usr/bin/time.
measure() { /usr/bin/time -o "$1" -f '%e %U %S' "${@:2}"; }

measure "$work/feed.time" "$quire" feed "$work/site/feeds.txt" -o "$work/paper/" --quiet
paper="$(ls "$work"/paper/*.epub)"

mkdir -p "$work/one"
measure "$work/one.time" bash -c '
  quire=$1 work=$2 n=0
  while read -r url; do
    n=$((n + 1))
    "$quire" convert "$url" -o "$work/one/$(printf %03d $n).md" --quiet
  done <"$work/site/urls.txt"
  "$quire" bundle "$work"/one/*.md --fetch-images --allow-private -o "$work/bundle.epub" --quiet
' one-by-one "$quire" "$work"
read -r feed_seconds feed_user feed_system <"$work/feed.time"
read -r one_seconds one_user one_system <"$work/one.time"
feed_cpu=$(python3 -c "print($feed_user + $feed_system)")
one_cpu=$(python3 -c "print($one_user + $one_system)")

chapters() { python3 -c "import sys,zipfile; print(sum(1 for n in zipfile.ZipFile(sys.argv[1]).namelist() if '/chapter-' in n))" "$1"; }
printf 'quire feed:            %6.2f s wall, %6.2f s CPU  %s chapters, %s bytes\n' "$feed_seconds" "$feed_cpu" "$(chapters "$paper")" "$(stat -c %s "$paper")"
printf 'convert x200 + bundle: %6.2f s wall, %6.2f s CPU  %s chapters, %s bytes\n' "$one_seconds" "$one_cpu" "$(chapters "$work/bundle.epub")" "$(stat -c %s "$work/bundle.epub")"
python3 -c "print(f'ratio (one by one / quire feed): wall {$one_seconds / $feed_seconds:.2f}x, CPU {$one_cpu / $feed_cpu:.2f}x')"
echo "binary: $quire"
