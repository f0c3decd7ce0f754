#!/usr/bin/env bash
# Time complexity on hostile inputs: every reader and writer must be linear (or n·log n) in
# its input. Each shape below is generated at two sizes, n and 2n, and converted; the script
# prints shape, size, seconds, peak RSS (GNU time's %M) and the ratio of the two times, and
# exits non-zero when any shape's time grows more than 2.5x for 2x input (a quadratic loop
# gives about 4x).
#
# Sizes are picked so that the larger run takes a second or two on a dev-opt build; SCALE
# multiplies all of them (SCALE=0.25 for a quick look; small runs are mostly process start,
# so their ratios say little). Times under MIN_SECONDS (default 0.15) are counted as that, so
# noise on a run that is fast at both sizes cannot fail the check. Each time is the fastest of
# RUNS runs (default 3).
#   benches/hostile.sh                 builds with --profile dev-opt and measures that build
#   QUIRE=/path/to/quire benches/hostile.sh   measures another build (before/after runs)
#   benches/hostile.sh word meta       only the shapes named
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${QUIRE:-}" ]; then
  quire=$QUIRE
else
  cargo build --profile dev-opt --quiet
  quire=$PWD/target/dev-opt/quire
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }
scale=${SCALE:-1}
min_seconds=${MIN_SECONDS:-0.15}
runs=${RUNS:-3}
limit=${TIME_LIMIT:-120}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shape, base size n (in the generator's unit), input extension, formats to convert to, what
# the shape is. Text shapes also go through the other writers where that is cheap.
shapes=(
  "word|150000|txt|pdf,md,html,txt,epub|one unbroken word of n letters"
  "url|100000|md|pdf,md,html,txt,epub|a link whose URL is n characters"
  "cell|100000|md|pdf,html,txt|a table cell of n unbroken characters"
  "br|80000|html|pdf,md,html,txt,epub|a paragraph of n <br>"
  "lines|250000|txt|pdf,md,html,txt,epub|n lines of \"a\""
  "meta|100000|html|md|n <meta name=author> with different names"
  "attrs|200000|html|md|one tag with n attributes"
  "nested-lists|4000000|md|pdf,html|Markdown lists nested as deep as n bytes allow"
  "nested-quotes|2000|html|pdf,md|block quotes nested n deep"
  "row|20000|md|pdf,html|one table row of n cells"
  "long-line|4000000|txt|md,html,txt|one line of n characters of words"
  "footnotes|5000|md|pdf,html,epub|a paragraph with n footnotes"
  "spans|20000|md|pdf|a paragraph of n differently styled words"
)

only=("$@")
selected() {
  [ ${#only[@]} = 0 ] && return 0
  local s
  for s in "${only[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# generate SHAPE N FILE
generate() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
shape, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
letters = "abcdefghijklmnopqrstuvwxyz"
def word(k):
    return (letters * (k // 26 + 1))[:k]
with open(path, "w") as f:
    if shape == "word":
        f.write("Before.\n\n" + word(n) + "\n\nAfter.\n")
    elif shape == "url":
        f.write("See [this](https://example.org/" + word(n) + ") and <https://example.org/" + word(n) + ">.\n")
    elif shape == "cell":
        f.write("| a | b |\n|---|---|\n| " + word(n) + " | short |\n")
    elif shape == "br":
        f.write("<html><body><p>" + "line<br>" * n + "end</p></body></html>")
    elif shape == "lines":
        f.write("a\n" * n)
    elif shape == "meta":
        f.write("<html><head><title>Meta</title>")
        for i in range(n):
            f.write('<meta name="author" content="Author %d">' % i)
        f.write("</head><body><article><h1>Meta</h1><p>" + "Some text of the article. " * 40 + "</p></article></body></html>")
    elif shape == "attrs":
        f.write("<html><body><article><h1>Attributes</h1><p ")
        f.write(" ".join("a%d=\"%d\"" % (i, i) for i in range(n)))
        f.write(">" + "Some text of the article. " * 40 + "</p></article></body></html>")
    elif shape == "nested-lists":
        # Each level indents two more spaces, so d levels take about d*d bytes: n is the
        # input's size, not its depth, or doubling the depth would quadruple the input.
        depth = int(n ** 0.5)
        for i in range(depth):
            f.write("  " * i + "- item %d\n" % i)
    elif shape == "nested-quotes":
        f.write("<html><body>" + "<blockquote><p>quoted</p>" * n + "</blockquote>" * n + "</body></html>")
    elif shape == "row":
        f.write("|" + "|".join("h%d" % i for i in range(n)) + "|\n")
        f.write("|" + "|".join("-" for i in range(n)) + "|\n")
        f.write("|" + "|".join("c%d" % i for i in range(n)) + "|\n")
    elif shape == "long-line":
        s = "the tides and the boats, "
        f.write((s * (n // len(s) + 1))[:n] + "\n")
    elif shape == "footnotes":
        f.write(" ".join("Word[^%d]" % i for i in range(n)) + ".\n\n")
        for i in range(n):
            f.write("[^%d]: Note %d.\n" % (i, i))
    elif shape == "spans":
        f.write(" ".join(("*w%d*" if i % 2 else "**w%d**") % i for i in range(n)) + "\n")
PY
}

failed=0
printf '%-14s %-22s %10s %9s %12s %7s  %s\n' shape formats size seconds "peak RSS MB" ratio status
for spec in "${shapes[@]}"; do
  IFS='|' read -r shape base ext formats what <<<"$spec"
  selected "$shape" || continue
  n=$(awk -v b="$base" -v s="$scale" 'BEGIN { printf "%d", b * s }')
  times=()
  for size in "$n" $((2 * n)); do
    input="$work/$shape-$size.$ext"
    generate "$shape" "$size" "$input"
    # The fastest of RUNS runs: on a shared machine the others measure the neighbours.
    secs="" rss_kb=0 status=ok
    for _ in $(seq "$runs"); do
      set +e
      timeout "$limit" /usr/bin/time -f '%M %e' -o "$work/time" \
        "$quire" convert "$input" --to "$formats" -o "$work/out-$shape-$size/" --quiet --force \
        2>"$work/err"
      code=$?
      set -e
      if [ "$code" = 124 ]; then
        rss_kb=0 secs=$limit status="timeout"
        break
      fi
      read -r run_kb run_secs < <(tail -n 1 "$work/time")
      [ "$code" = 0 ] || status="exit $code"
      rss_kb=$run_kb
      secs=$(awk -v a="$secs" -v b="$run_secs" 'BEGIN { print (a == "" || b < a) ? b : a }')
    done
    times+=("$secs")
    ratio=""
    if [ ${#times[@]} = 2 ]; then
      ratio=$(awk -v a="${times[0]}" -v b="${times[1]}" -v m="$min_seconds" 'BEGIN {
        if (a < m) a = m; if (b < m) b = m; printf "%.2fx", b / a }')
    fi
    printf '%-14s %-22s %10s %9s %12.1f %7s  %s\n' "$shape" "$formats" "$size" "$secs" \
      "$(awk -v r="$rss_kb" 'BEGIN { print r / 1024 }')" "$ratio" "$status"
    [ "$status" = ok ] || { sed 's/^/    /' "$work/err" | head -3; failed=1; }
    rm -rf "$input" "$work/out-$shape-$size"
  done
  if awk -v a="${times[0]}" -v b="${times[1]}" -v m="$min_seconds" 'BEGIN {
      if (a < m) a = m; if (b < m) b = m; exit !(b / a > 2.5) }'; then
    echo "  FAIL: $shape ($what) grows faster than 2.5x for 2x input"
    failed=1
  fi
done
[ "$failed" = 0 ] && echo "all shapes within 2.5x for 2x input" || echo "some shapes failed"
exit "$failed"
