#!/usr/bin/env bash
# Article extraction benchmark: converts every page of the article-extraction-benchmark
# corpus (../shared/corpus/aeb, 121 pages) to text with quire, scores it against the human
# ground truth (../shared/tools/aeb_eval.py: token precision, recall, F1 of 4-word shingles),
# and does the same with the peers in the same run, each in one process:
#   - trafilatura (Python; `pip install trafilatura lxml_html_clean`), comments off;
#   - dom_smoothie (a Rust port of Readability.js), the bench-only program in benches/peers/.
# Then prints the speed ratios. Peers that are not installed are skipped.
#
# Speed is CPU time (user + system), which a busy machine does not inflate the way it does
# wall-clock time: quire and dom_smoothie as whole processes (reading and writing files
# included); trafilatura as the extraction loop inside its process (interpreter start,
# imports and file reads left out), which favours trafilatura. Wall times are shown too.
# quire runs on one thread (`--jobs 1`), as the peers do. Each tool runs RUNS times (default
# 3) with the pages in the file cache, and its best run counts, so that neither a cold disk
# nor a moment of load elsewhere decides the ratio.
#
# quire converts with `--body-only --no-images`: the benchmark's truth is the article's words,
# without the title/byline header or image alt texts.
#
# Then the same for the traf-dev set (../shared/corpus/traf-dev, 487 pages of a wide web mix:
# blogs, recipes, product and service pages, forums, news in several languages), scored with
# ../shared/tools/snippet_eval.py (snippets a good extraction keeps and drops): quire
# `--to txt --body-only --no-images`, trafilatura with tables on and comments off (and, as by
# its default, images off), readability-lxml (its article's text); F1 side by side and the
# CPU-time speed ratios, one thread each and best of RUNS as above: loop against loop, whole
# process against whole process, and quire's process against trafilatura's loop (the one
# that favours trafilatura most). Images off on both sides: with images, quire's text writes each figure's caption and
# credit ("Foto: …", "Getty Images"), which the set counts as chrome and trafilatura leaves
# out with its images; quire's score with images is printed too.
#
# Usage: benches/extract.sh [--no-peers] [--no-traf-dev] [--keep DIR]
#   --no-peers     score quire alone
#   --no-traf-dev  the AEB set alone
#   --keep DIR     write the predictions under DIR (default: a temporary folder, removed)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
# QUIRE_SHARED: the shared folder when the crate is not beside it (a git worktree elsewhere).
shared="${QUIRE_SHARED:-$crate/../shared}"
aeb="$shared/corpus/aeb"
eval_py="$shared/tools/aeb_eval.py"
peers=1
traf_dev=1
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --no-peers) peers=0 ;;
        --no-traf-dev) traf_dev=0 ;;
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

runs=${RUNS:-3}
cat "$aeb"/html/*.html > /dev/null  # into the file cache

# Runs a command RUNS times; prints "WALL CPU" in seconds of the run with the least CPU time
# (CPU = the child's user + system time).
timed() {
    python3 - "$runs" "$@" <<'EOF'
import resource, subprocess, sys, time
best = None
for _ in range(int(sys.argv[1])):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(done.returncode)
    if best is None or cpu < best[1]:
        best = (wall, cpu)
print(f"{best[0]:.3f} {best[1]:.3f}")
EOF
}

echo "building quire (release)..." >&2
cargo build --release --quiet --manifest-path "$crate/Cargo.toml"
quire="$crate/target/release/quire"

# quire: one process for all pages. Outputs go to a RAM disk when there is one: quire
# syncs every file it writes, and disk syncs are not conversion time.
scratch="$out"
[ -d /dev/shm ] && [ -w /dev/shm ] && scratch="$(mktemp -d /dev/shm/quire-bench.XXXXXX)"
mkdir -p "$scratch/quire"
read -r quire_wall quire_s < <(timed "$quire" convert "$aeb"/html/*.html --to txt --body-only --no-images --quiet --force --jobs 1 -o "$scratch/quire")
if [ "$scratch" != "$out" ]; then
    rm -rf "$out/quire"; mv "$scratch/quire" "$out/quire"; rmdir "$scratch"
fi
echo "quire: $pages pages, CPU $quire_s s, wall $quire_wall s (one process, one thread, files included)"
# The same conversion through the library with the pages already in memory: the like-for-like
# match for trafilatura's extraction loop (benches/extract_loop.rs).
read -r _ loop_s loop_wall < <(cargo bench --quiet --manifest-path "$crate/Cargo.toml" --bench extract_loop -- "$aeb/html" "$runs" 2>/dev/null)
echo "quire (library loop): $pages pages, CPU $loop_s s, wall $loop_wall s (pages in memory, one thread)"

trafilatura_s=""
smoothie_s=""
if [ "$peers" = 1 ]; then
    if python3 -c 'import trafilatura' 2>/dev/null; then
        rm -rf "$out/trafilatura"; mkdir -p "$out/trafilatura"
        # Timed inside the process, extraction only (imports and file reads left out):
        # the comparison favours trafilatura.
        # A fresh process per run: a second pass over the same pages inside one process
        # was about a sixth faster than the first (warm caches), which favours
        # trafilatura beyond what converting new pages would see.
        best_trafilatura=""
        for _ in $(seq "$runs"); do
            run=$(python3 - "$aeb/html" "$out/trafilatura" <<'EOF'
import pathlib, resource, sys, time
import trafilatura
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
cpu = wall = 0.0
for page in sorted(src.glob("*.html")):
    html = page.read_text(encoding="utf8", errors="replace")
    start, start_cpu = time.perf_counter(), time.process_time()
    text = trafilatura.extract(html, include_comments=False) or ""
    cpu += time.process_time() - start_cpu
    wall += time.perf_counter() - start
    (dst / (page.stem + ".txt")).write_text(text, encoding="utf8")
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{cpu:.3f} {wall:.3f} {usage.ru_utime + usage.ru_stime:.3f}")
EOF
)
            if [ -z "$best_trafilatura" ] || awk -v a="${run%% *}" -v b="${best_trafilatura%% *}" 'BEGIN { exit !(a < b) }'; then
                best_trafilatura=$run
            fi
        done
        read -r trafilatura_s trafilatura_wall trafilatura_process <<< "$best_trafilatura"
        echo "trafilatura $(python3 -c 'import trafilatura; print(trafilatura.__version__)'): $pages pages, CPU $trafilatura_s s, wall $trafilatura_wall s (extraction loop only); whole process CPU $trafilatura_process s"
    else
        echo "trafilatura: not installed, skipped" >&2
    fi
    if cargo build --release --quiet --manifest-path "$here/peers/Cargo.toml" 2>/dev/null; then
        rm -rf "$out/dom_smoothie"
        read -r smoothie_wall smoothie_s < <(timed "$here/peers/target/release/extract-peers" "$aeb/html" "$out/dom_smoothie")
        echo "dom_smoothie $(grep -A1 'name = "dom_smoothie"' "$here/peers/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p'): $pages pages, CPU $smoothie_s s, wall $smoothie_wall s (one process, files included)"
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
    python3 -c "print(f'speed (CPU): quire\'s loop is {$trafilatura_s / $loop_s:.1f}x faster than trafilatura\'s loop; quire\'s process {$trafilatura_process / $quire_s:.1f}x faster than trafilatura\'s process; quire\'s process {$trafilatura_s / $quire_s:.1f}x faster than trafilatura\'s loop')"
    python3 -c "print(f'speed (wall): quire is {$trafilatura_wall / $quire_wall:.1f}x faster than trafilatura (its extraction loop)')"
fi
if [ -n "$smoothie_s" ]; then
    python3 -c "print(f'speed (CPU): quire is {$smoothie_s / $quire_s:.1f}x faster than dom_smoothie')"
    python3 -c "print(f'speed (wall): quire is {$smoothie_wall / $quire_wall:.1f}x faster than dom_smoothie')"
fi

[ "$traf_dev" = 1 ] || exit 0
td="$shared/corpus/traf-dev"
snippet_py="$shared/tools/snippet_eval.py"
if [ ! -d "$td/pages" ]; then
    echo "no corpus at $td, traf-dev skipped" >&2
    exit 0
fi
echo
echo "== traf-dev ($(ls "$td"/pages/*.html | wc -l) pages, snippet F1)"
cat "$td"/pages/*.html > /dev/null
rm -rf "$out/td-quire-raw" "$out/td-quire"; mkdir -p "$out/td-quire-raw" "$out/td-quire"
read -r td_quire_wall td_quire_s < <(timed "$quire" convert "$td"/pages/*.html --to txt --body-only --no-images --quiet --force --jobs 1 -o "$out/td-quire-raw")
# quire names an output after its input's stem; the scorer wants '<page file>.txt'.
for f in "$out"/td-quire-raw/*.txt; do
    mv "$f" "$out/td-quire/$(basename "$f" .txt).html.txt"
done
rm -rf "$out/td-quire-raw"
echo "quire: CPU $td_quire_s s, wall $td_quire_wall s (one process, one thread, files included)"
read -r _ td_loop_s td_loop_wall < <(cargo bench --quiet --manifest-path "$crate/Cargo.toml" --bench extract_loop -- "$td/pages" "$runs" 2>/dev/null)
echo "quire (library loop): CPU $td_loop_s s, wall $td_loop_wall s (pages in memory, one thread)"
printf '%-28s %s\n' "quire" "$(python3 "$snippet_py" "$out/td-quire" --data "$td" | tail -1)"
# The same with images (captions and credits in the text), scored for reference.
rm -rf "$out/td-quire-images-raw" "$out/td-quire-images"; mkdir -p "$out/td-quire-images-raw" "$out/td-quire-images"
"$quire" convert "$td"/pages/*.html --to txt --body-only --quiet --force --jobs 1 -o "$out/td-quire-images-raw"
for f in "$out"/td-quire-images-raw/*.txt; do
    mv "$f" "$out/td-quire-images/$(basename "$f" .txt).html.txt"
done
rm -rf "$out/td-quire-images-raw"
printf '%-28s %s\n' "quire (with images)" "$(python3 "$snippet_py" "$out/td-quire-images" --data "$td" | tail -1)"
if [ "$peers" = 1 ]; then
    # Each peer in its own process, its extraction loop timed inside (imports and file reads
    # left out, which favours it), and the whole process too; prints "CPU WALL PROCESS_CPU" of
    # the run (of RUNS, each a fresh process) with the least loop CPU, as for AEB above.
    peer() {
        local best="" run
        for _ in $(seq "$runs"); do
            run=$(peer_once "$@")
            if [ -z "$best" ] || awk -v a="${run%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
                best=$run
            fi
        done
        echo "$best"
    }
    peer_once() {
        python3 - "$1" "$td/pages" "$2" <<'EOF'
import pathlib, resource, sys, time
which, src, dst = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
dst.mkdir(parents=True, exist_ok=True)
if which == "trafilatura":
    import trafilatura
    def extract(html):
        return trafilatura.extract(html, include_comments=False, include_tables=True) or ""
else:
    import lxml.html
    from readability import Document
    def extract(html):
        summary = Document(html).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""
cpu = wall = 0.0
for page in sorted(src.glob("*.html")):
    html = page.read_text(encoding="utf8", errors="replace")
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        text = extract(html)
    except Exception:
        text = ""
    cpu += time.process_time() - start_cpu
    wall += time.perf_counter() - start
    (dst / (page.name + ".txt")).write_text(text, encoding="utf8")
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{cpu:.3f} {wall:.3f} {usage.ru_utime + usage.ru_stime:.3f}")
EOF
    }
    td_traf_s=""
    td_read_s=""
    if python3 -c 'import trafilatura' 2>/dev/null; then
        read -r td_traf_s _ td_traf_process < <(peer trafilatura "$out/td-trafilatura")
        printf '%-28s %s\n' "trafilatura $(python3 -c 'import trafilatura; print(trafilatura.__version__)')" \
            "$(python3 "$snippet_py" "$out/td-trafilatura" --data "$td" | tail -1)"
    else
        echo "trafilatura: not installed, skipped" >&2
    fi
    if python3 -c 'import readability, lxml.html' 2>/dev/null; then
        read -r td_read_s _ < <(peer readability "$out/td-readability")
        printf '%-28s %s\n' "readability-lxml" \
            "$(python3 "$snippet_py" "$out/td-readability" --data "$td" | tail -1)"
    else
        echo "readability-lxml: not installed, skipped" >&2
    fi
    if [ -n "$td_traf_s" ]; then
        python3 -c "print(f'traf-dev speed (CPU): quire\'s loop is {$td_traf_s / $td_loop_s:.1f}x faster than trafilatura\'s loop; quire\'s process {$td_traf_process / $td_quire_s:.1f}x faster than trafilatura\'s process ($td_quire_s s vs $td_traf_process s); quire\'s process {$td_traf_s / $td_quire_s:.1f}x faster than trafilatura\'s loop ($td_traf_s s)')"
    fi
    if [ -n "$td_read_s" ]; then
        python3 -c "print(f'traf-dev speed (CPU): quire\'s process is {$td_read_s / $td_quire_s:.1f}x faster than readability-lxml\'s loop')"
    fi
fi
