#!/usr/bin/env bash
# Remote images within bounds (issue 11, point 6): serves pages of many large or slow images
# from a local server and makes an EPUB of each page with quire, printing wall time and peak
# RSS (GNU time). The page is on 127.0.0.1, which the user typed, so its images there are
# allowed (quire's rule for private pages).
#   big     150 images of 30 MB: each is over the 20 MiB cap, refused by its Content-Length
#   budget  150 images of 15 MB: under the cap; about 17 fit the 256 MiB budget, the rest stay
#           links (one warning); downloads go to temporary files, not memory
#   slow    36 images that each wait 25 s before answering: the 60 s deadline for all downloads
#           stops the run after about a minute (it took 124 s before the deadline)
# Measured (dev-opt build; slow with the debug build, it is waiting, not work):
#   big 0.28 s, 19 MB peak; budget 2.97 s, 261 MB peak (17 embedded: the book of ~100 MB of
#   incompressible images is built in memory by the EPUB writer); slow 62 s, 37 MB peak.
#   benches/remote_images.sh [big|budget|slow|all]   (default: all)
#   QUIRE=/path/to/quire benches/remote_images.sh    measures that build instead
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
if [ -n "${QUIRE:-}" ]; then
  quire=$QUIRE
else
  cargo build --profile dev-opt --quiet
  quire=$PWD/target/dev-opt/quire
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The images: PNGs of noise (they do not compress), written with zlib level 0.
python3 - "$work" <<'PY'
import os, struct, sys, zlib
w = sys.argv[1]
def png(path, side):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = side * 3
    raw = b"".join(b"\0" + os.urandom(row) for _ in range(side))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 0)))
        f.write(chunk(b"IEND", b""))
png(os.path.join(w, "30mb.png"), 3162)
png(os.path.join(w, "15mb.png"), 2236)
png(os.path.join(w, "small.png"), 64)
PY

cat > "$work/server.py" <<'PY'
import os, sys, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
w = sys.argv[1]
def page(kind, count):
    imgs = "".join('<figure><img src="/%s/%d.png" alt="p%d"></figure><p>Words after picture %d '
                   'about the harbour and its boats, enough to read as an article.</p>' % (kind, i, i, i)
                   for i in range(count))
    return ("<html><head><title>Pictures</title></head><body><article><h1>Pictures</h1>"
            "<p>The harbour master reports calm seas and a busy week of ferries.</p>%s"
            "</article></body></html>" % imgs).encode()
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if parts[0].startswith("page-"):
            kind = parts[0][5:].split(".")[0]
            body, kind_type = page(kind, 36 if kind == "slow" else 150), "text/html"
        elif parts[0] in ("big", "budget", "slow"):
            if parts[0] == "slow":
                time.sleep(25)
            name = {"big": "30mb.png", "budget": "15mb.png", "slow": "small.png"}[parts[0]]
            kind_type = "image/png"
            path = os.path.join(w, name)
            self.send_response(200)
            self.send_header("Content-Type", kind_type)
            self.send_header("Content-Length", str(os.path.getsize(path)))
            self.end_headers()
            try:
                with open(path, "rb") as f:
                    while True:
                        chunk = f.read(1 << 20)
                        if not chunk: break
                        self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        else:
            self.send_error(404); return
        self.send_response(200)
        self.send_header("Content-Type", kind_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
PY
python3 "$work/server.py" "$work" > "$work/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

printf '%-8s %10s %12s %s\n' shape seconds peak_MB "result"
for shape in big budget slow; do
  [ "$which" = all ] || [ "$which" = "$shape" ] || continue
  /usr/bin/time -f '%e %M' -o "$work/time" \
    "$quire" convert "http://127.0.0.1:$port/page-$shape.html" --to epub -o "$work/$shape.epub" \
    2> "$work/$shape.err" || true
  read -r seconds kb < <(tail -1 "$work/time")
  capped=$(grep -c 'limit for one image' "$work/$shape.err" || true)
  links=$(grep -o '[0-9]* remote images left as links: [A-Za-z0-9. ]*' "$work/$shape.err" | tr '\n' ';' || true)
  embedded=$(python3 -c 'import sys, zipfile; print(sum(n.startswith("OEBPS/images/image-") for n in zipfile.ZipFile(sys.argv[1]).namelist()))' "$work/$shape.epub" 2>/dev/null || echo none)
  summary="embedded $embedded, over the cap $capped; $links"
  printf '%-8s %10s %12s %s\n' "$shape" "$seconds" "$((kb / 1024))" "$summary"
done
