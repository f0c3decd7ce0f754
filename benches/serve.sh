#!/usr/bin/env bash
# `quire serve` under load: 200 concurrent clients for 30 s on 127.0.0.1 against a library of
# 1,000 articles (20 sites, added over 100 days), fetching a mix of OPDS catalog pages (the
# root, Newest pages, By date and By site feeds), searches and EPUB downloads. Reports
# requests/s, errors (must be 0), p50/p99 latency, and the server's RSS sampled every second
# ("flat": the last sample no more than 10% above the sample at 5 s; it may fall, as the
# allocator hands memory back). Exits 1 on an error or growth.
#
# The library is laid out as the library's folder format says (src/cli/library): each article
# written once by `quire convert` from its own Markdown as its model (article.json) and its
# EPUB (article.epub, the file the download route serves), so every download is a real book.
#   benches/serve.sh [QUIRE_BINARY]   (default: builds and uses target/release/quire)
# Needs wrk (Debian's wrk) and python3. DURATION, CLIENTS and ARTICLES override 30, 200, 1000.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
quire="${1:-}"
if [ -z "$quire" ]; then
  (cd "$crate" && cargo build --release --quiet)
  quire="${CARGO_TARGET_DIR:-$crate/target}/release/quire"
fi
[ -x "$quire" ] || { echo "no quire binary at $quire" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
duration="${DURATION:-30}"
clients="${CLIENTS:-200}"
articles="${ARTICLES:-1000}"

work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo "== making $articles articles"
python3 - "$work" "$articles" <<'PY'
import os, sys
work, count = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{work}/src")
words = ("The council met on Tuesday to discuss the harbour, the ferry timetable and the "
         "new market hall; residents asked questions for two hours and the vote was close. ")
for n in range(count):
    site = f"site{n % 20}.example"
    with open(f"{work}/src/a{n:04d}.md", "w") as f:
        f.write(f"---\ntitle: Article {n} from {site}\nauthor: Writer {n % 37}\nlang: en\n---\n\n")
        for p in range(8):
            f.write(f"Paragraph {p} of article {n}, topic{n}end. {words * 3}\n\n")
PY
start=$(date +%s%N)
"$quire" convert "$work/src" --to json -o "$work/json/" --quiet
"$quire" convert "$work/src" --to epub -o "$work/epub/" --quiet
echo "converted $articles articles to JSON and EPUB in $(( ($(date +%s%N) - start) / 1000000 )) ms"

python3 - "$work" "$articles" <<'PY'
import json, os, shutil, sys
work, count = sys.argv[1], int(sys.argv[2])
lib = f"{work}/library"
os.makedirs(lib)
ids = []
months, sites = [], []
for n in range(count):
    site = f"site{n % 20}.example"
    entry_id = f"article-{n}-from-{site.split('.')[0]}-{n * 7919 % 65536:04x}"
    d = f"{lib}/{entry_id}"
    os.makedirs(d)
    shutil.copy(f"{work}/json/a{n:04d}.json", f"{d}/article.json")
    shutil.copy(f"{work}/epub/a{n:04d}.epub", f"{d}/article.epub")
    with open(f"{work}/src/a{n:04d}.md") as f:
        text = f.read()
    with open(f"{d}/text.txt", "w") as f:
        f.write(text)
    day = n % 100
    added = f"2026-{9 + day // 30:02d}-{1 + day % 30:02d}T{n % 24:02d}:{n % 60:02d}:00.000Z"
    meta = {"id": entry_id, "kind": "article", "title": f"Article {n} from {site}",
            "site": site, "source_url": f"https://{site}/{n}", "authors": [f"Writer {n % 37}"],
            "language": "en", "published": added[:10], "added": added,
            "words": len(text.split()), "description": f"What article {n} says.",
            "formats": ["epub", "kepub", "pdf", "markdown", "html"]}
    with open(f"{d}/meta.json", "w") as f:
        json.dump(meta, f)
    ids.append(entry_id)
    months += [added[:7]] if added[:7] not in months else []
    sites += [site] if site not in sites else []
# The request mix: 4 in 10 catalog pages, 1 in 10 searches, 5 in 10 EPUB downloads.
paths = []
for i in range(400):
    kind = i % 4
    if kind == 0:
        pages = (count + 49) // 50
        paths.append("/opds" if i % 8 == 0 else f"/opds/new?page={1 + i % pages}")
    elif kind == 1:
        paths.append(f"/opds/sites/{sites[i % len(sites)]}")
    elif kind == 2:
        paths.append("/opds/dates" if i % 8 == 2 else f"/opds/dates/{months[i % len(months)]}")
    else:
        paths.append("/opds/sites")
for i in range(100):
    paths.append(f"/opds/search?q=topic{(i * 37) % count}end")
for i in range(500):
    paths.append(f"/library/{ids[(i * 131) % count]}/download/epub")
with open(f"{work}/paths.lua", "w") as f:
    f.write("paths = {\n" + ",\n".join(f'  "{p}"' for p in paths) + "\n}\n")
PY
echo "library: $(du -sh "$work/library" | cut -f1) in $(ls "$work/library" | wc -l) entries"

"$quire" serve --library "$work/library" --bind 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
address=""
for _ in $(seq 100); do
  address="$(sed -n 's|^quire: listening on http://\(.*\)/$|\1|p' "$work/serve.log")"
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { cat "$work/serve.log" >&2; echo "the server did not start" >&2; exit 1; }
# Warm up: the index read once, as a server that has been running has it.
curl -sf "http://$address/opds" >/dev/null

cat > "$work/mix.lua" <<LUA
dofile("$work/paths.lua")
counter = 0
request = function()
  counter = counter + 1
  local path = paths[(counter * 7919) % #paths + 1]
  return wrk.format("GET", path)
end
LUA

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
echo "== $clients clients for $duration s on http://$address"
( for _ in $(seq "$duration"); do rss_kb; sleep 1; done ) >"$work/rss.txt" &
sampler=$!
wrk -t2 -c"$clients" -d"${duration}s" --timeout 10s --latency -s "$work/mix.lua" "http://$address" \
  | tee "$work/wrk.txt"
wait "$sampler" || true

python3 - "$work/wrk.txt" "$work/rss.txt" <<'PY'
import re, sys
out = open(sys.argv[1]).read()
rss = [int(x) for x in open(sys.argv[2]).read().split()]
def grab(pattern):
    m = re.search(pattern, out)
    return m.group(1) if m else None
rps = grab(r"Requests/sec:\s+([\d.]+)")
total = grab(r"(\d+) requests in")
p50 = grab(r"\s50%\s+([\d.]+\w+)")
p99 = grab(r"\s99%\s+([\d.]+\w+)")
non2xx = int(grab(r"Non-2xx or 3xx responses: (\d+)") or 0)
socket = grab(r"Socket errors: (.*)")
socket_errors = sum(int(n) for n in re.findall(r"\d+", socket)) if socket else 0
print("== summary")
print(f"requests: {total}, {rps} requests/s")
print(f"errors: {non2xx} non-2xx answers, {socket_errors} socket errors (connect, read, write, timeout)")
print(f"latency: p50 {p50}, p99 {p99}")
print("RSS (MiB, every second): " + " ".join(f"{k / 1024:.0f}" for k in rss))
flat = None
if len(rss) > 5:
    at5, last = rss[4], rss[-1]
    # A leak grows; memory handed back to the system (jemalloc purges) is no failure.
    flat = last <= 1.10 * at5
    change = (last - at5) / at5 * 100
    print(f"RSS at 5 s {at5 / 1024:.1f} MiB, last {last / 1024:.1f} MiB ({change:+.0f}%), "
          f"peak {max(rss) / 1024:.1f} MiB: " + ("flat (no growth)" if flat else "GREW"))
if non2xx or socket_errors or flat is False:
    sys.exit(1)
PY
