#!/usr/bin/env bash
# Peak memory on hostile inputs: generates them (a 100 MB HTML page, a 10,000 x 100 table,
# 100,000-level nesting, large Markdown and text), converts each with the release build and
# prints input size, peak RSS (GNU time's %M) and their ratio. Target: peak RSS < 10x input.
#
# Any run of quire has a fixed footprint (the binary, its libraries, the thread stacks'
# touched pages, the allocator's arenas): about 8 MB. The script measures it on a one-line
# page first and also prints the ratio of what the input adds above it ("above base"),
# which is the honest figure for small inputs (a 0.1 MB input can never be under 10x of its
# whole RSS) and makes no difference for the large ones.
#   benches/memory.sh [FORMATS]     (default: md,html,txt)
#   QUIRE=/path/to/quire benches/memory.sh   measures that build instead (before/after runs)
#   PDF_ONLY=1 benches/memory.sh    only the PDF shapes (at the end), which pass or fail
set -euo pipefail
cd "$(dirname "$0")/.."
formats=${1:-md,html,txt}
if [ -n "${QUIRE:-}" ]; then
  quire=$QUIRE
else
  cargo build --release --quiet
  quire=$PWD/target/release/quire
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import sys, os
w = sys.argv[1]
para = "<p>The harbour master writes about the tides and the boats, the fish market and the weather, every single day of the year.</p>\n"
with open(os.path.join(w, "big-100mb.html"), "w") as f:
    f.write("<html><head><title>Big</title></head><body><article><h1>Big</h1>")
    n = 0
    while n < 100 * 1024 * 1024:
        f.write(para); n += len(para)
    f.write("</article></body></html>")
with open(os.path.join(w, "table-10000x100.html"), "w") as f:
    f.write("<html><body><h1>Table</h1><table>")
    for r in range(10000):
        f.write("<tr>" + "".join("<td>r%dc%d</td>" % (r, c) for c in range(100)) + "</tr>")
    f.write("</table></body></html>")
with open(os.path.join(w, "nested-100000.html"), "w") as f:
    f.write("<p>Before.</p>" + "<div>" * 100000 + "deep" + "</div>" * 100000)
with open(os.path.join(w, "inline-100000.html"), "w") as f:
    f.write("<p>Before.</p><p>" + "<b><i>" * 50000 + "deep</p>")
with open(os.path.join(w, "big-20mb.md"), "w") as f:
    n = 0
    i = 0
    while n < 20 * 1024 * 1024:
        s = "## Section %d\n\nSome *emphasis*, a [link](https://example.org/%d) and `code`.\n\n- item one\n- item two\n\n" % (i, i)
        f.write(s); n += len(s); i += 1
with open(os.path.join(w, "code-20mb.md"), "w") as f:
    # Fenced code, as technical notes have it (a fence used to stop the reader cutting).
    n = 0
    i = 0
    while n < 20 * 1024 * 1024:
        s = "## Step %d\n\nRun this, then check the *output*:\n\n```sh\nquire convert page-%d.html --to md\n\nls out/\n```\n\n" % (i, i)
        f.write(s); n += len(s); i += 1
with open(os.path.join(w, "quotes-100000.md"), "w") as f:
    f.write("Before.\n\n" + ">" * 100000 + " deep\n")
with open(os.path.join(w, "big-20mb.txt"), "w") as f:
    f.write("A title\n\n")
    n = 0
    while n < 20 * 1024 * 1024:
        s = "A plain paragraph about the tides and the boats, written on a grey morning.\n\n"
        f.write(s); n += len(s)
PY

if [ -z "${PDF_ONLY:-}" ]; then
# The fixed footprint: the same formats from a page of one paragraph.
echo '<p>Base.</p>' > "$work/base.html"
/usr/bin/time -f '%M' -o "$work/time" "$quire" convert "$work/base.html" --to "$formats" -o "$work/out-base/" --quiet
base_kb=$(tail -n 1 "$work/time")
rm "$work/base.html"
awk -v b="$base_kb" 'BEGIN { printf "base footprint (a one-line page): %.1f MB\n", b / 1024 }'

printf '%-24s %10s %12s %8s %11s %8s %8s\n' input "size MB" "peak RSS MB" ratio "above base" seconds status
for input in "$work"/*.html "$work"/*.md "$work"/*.txt; do
  size=$(stat -c %s "$input")
  out="$work/out-$(basename "$input")"
  set +e
  /usr/bin/time -f '%M %e' -o "$work/time" "$quire" convert "$input" --to "$formats" -o "$out/" --quiet 2>"$work/err"
  status=$?
  set -e
  # GNU time puts "Command exited with non-zero status N" first when the command fails.
  read -r rss_kb secs < <(tail -n 1 "$work/time")
  awk -v n="$(basename "$input")" -v s="$size" -v r="$rss_kb" -v b="$base_kb" -v t="$secs" -v st="$status" 'BEGIN {
    printf "%-24s %10.1f %12.1f %7.1fx %10.1fx %8s %8s\n", n, s / 1048576, r / 1024, (r * 1024) / s, ((r - b) * 1024) / s, t, st }'
  [ "$status" = 0 ] || sed 's/^/    /' "$work/err" | head -3
done
echo "formats: $formats"

# Pipeline mode streams: 200,000 lines (about 300 MB) through --jsonl must stay small.
set +e
python3 -c '
import json, sys
page = "<h1>Page %d</h1>" + "<p>The harbour master writes about the tides and the boats.</p>" * 20
out = sys.stdout
for i in range(200000):
    out.write(json.dumps({"id": i, "html": page % i}) + "\n")
' | /usr/bin/time -f '%M %e' -o "$work/time" "$quire" convert --jsonl --to md > "$work/answers.jsonl"
set -e
read -r rss_kb secs < <(tail -n 1 "$work/time")
size=$(stat -c %s "$work/answers.jsonl")
awk -v r="$rss_kb" -v t="$secs" -v a="$size" -v n="$(wc -l < "$work/answers.jsonl")" 'BEGIN {
  printf "jsonl: 200000 lines in, %d answers (%.0f MB) out, peak RSS %.1f MB, %.1f s\n", n, a / 1048576, r / 1024, t }'
fi

# PDF: memory must not grow with the document's laid-out length, and images are decoded and
# shrunk one at a time. Each shape passes when its peak RSS is within its bound:
#   20 MB of plain text          peak < base + 10 x input
#   a page of 5 9000x9000 images  peak < base + 1.5 x one image's decoded pixels (324 MB)
# where base is a one-line page converted to PDF (fonts, binary, allocator).
pdf_failed=0
printf '%s\n' '<p>Base.</p>' > "$work/pdf-base.html"
/usr/bin/time -f '%M' -o "$work/time" "$quire" convert "$work/pdf-base.html" --to pdf -o "$work/out-pdf-base/" --quiet
pdf_base_kb=$(tail -n 1 "$work/time")
python3 - "$work" <<'PY'
import os, struct, sys, zlib
w = sys.argv[1]
# A 9000 x 9000 translucent RGBA gradient PNG (Sub filter: a small file that decodes to
# 324 MB; the alpha makes the writer decode it, as photos that are not JPEG need).
width = height = 9000
tail = bytes([1, 0, 0, 0]) * (width - 1)
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
z = zlib.compressobj(1)
data = []
for y in range(height):
    data.append(z.compress(bytes([1, 0, y * 255 // height, 128, 200]) + tail))
data.append(z.flush())
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", b"".join(data)) + chunk(b"IEND", b"")
os.makedirs(os.path.join(w, "images"), exist_ok=True)
with open(os.path.join(w, "images", "photos-5x9000.md"), "w") as f:
    f.write("# Five photos\n\n")
    for i in range(5):
        with open(os.path.join(w, "images", "photo-%d.png" % i), "wb") as img:
            img.write(png)
        f.write("![Photo %d](photo-%d.png)\n\n" % (i, i))
PY
awk -v b="$pdf_base_kb" 'BEGIN { printf "pdf base footprint (a one-line page): %.1f MB\n", b / 1024 }'
printf '%-24s %10s %12s %12s %8s %8s\n' "pdf input" "size MB" "peak RSS MB" "bound MB" seconds status
for shape in text images; do
  if [ "$shape" = text ]; then
    input="$work/big-20mb.txt"
    bound_kb=$(( pdf_base_kb + 10 * $(stat -c %s "$input") / 1024 ))
  else
    input="$work/images/photos-5x9000.md"
    bound_kb=$(( pdf_base_kb + 3 * 9000 * 9000 * 4 / 2 / 1024 ))
  fi
  set +e
  /usr/bin/time -f '%M %e' -o "$work/time" "$quire" convert "$input" --to pdf -o "$work/out-pdf-$shape/" --quiet 2>"$work/err"
  status=$?
  set -e
  read -r rss_kb secs < <(tail -n 1 "$work/time")
  verdict=PASS
  if [ "$status" != 0 ] || [ "$rss_kb" -ge "$bound_kb" ]; then verdict=FAIL; pdf_failed=1; fi
  awk -v n="$(basename "$input")" -v s="$(stat -c %s "$input")" -v r="$rss_kb" -v b="$bound_kb" -v t="$secs" -v v="$verdict" 'BEGIN {
    printf "%-24s %10.1f %12.1f %12.1f %8s %8s\n", n, s / 1048576, r / 1024, b / 1024, t, v }'
  [ "$status" = 0 ] || sed 's/^/    /' "$work/err" | head -3
done
exit "$pdf_failed"
