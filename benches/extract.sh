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
# quire runs on one thread (`--jobs 1`), as the peers do. The pages are in the file cache.
# The tools run in rounds (RUNS, default 5): each tool once per round, one after the other,
# so that every tool sees the same moments of the machine (run one tool's repeats minutes
# before the other's, and a shared machine's load moved the ratio by a fifth). Each tool's
# best round counts, so that neither a cold disk nor a moment of load elsewhere decides the
# ratio; the per-round ratios are printed as well, with their median.
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

# Each tool's timings, one line per round.
times="$(mktemp -d)"
if [ -n "$keep" ]; then
    out="$keep"; mkdir -p "$out"
    trap 'rm -rf "$times"' EXIT
else
    out="$(mktemp -d)"
    trap 'rm -rf "$out" "$times"' EXIT
fi
pages=$(ls "$aeb"/html/*.html | wc -l)

runs=${RUNS:-5}
# Puts the pages into the file cache. Run before every timed run of every tool: a machine
# may evict pages unread for a minute or two (here a DAMON pageout scheme did, between rounds), and
# then a tool pays for reading from disk, which is not extraction time (about 3% of quire's
# time on traf-dev, in a profile where the pages had been evicted).
warm() {
    cat "$@" > /dev/null
}
warm "$aeb"/html/*.html

# Every tool writes its outputs of the timed rounds to a RAM disk when there is one, each to
# a folder emptied before each round (they are moved to the output folder after the rounds):
# - quire syncs every file it writes, and disk syncs are not conversion time;
# - on a disk file system, making a file costs more right after many were deleted (ext4
#   without a journal skips every inode freed in the last seconds when it allocates one: in a
#   profile of a traf-dev batch written to a just-emptied folder, 6% of quire's time was that
#   scan, and 0.1 s of system time that the same batch does not spend on a RAM disk). That
#   cost belongs to the file system, not to the tool, and it weighs ten times more on the
#   faster tool.
scratch="$out/scratch"
[ -d /dev/shm ] && [ -w /dev/shm ] && scratch="$(mktemp -d /dev/shm/quire-bench.XXXXXX)"
mkdir -p "$scratch"
trap 'rm -rf "$times" "$scratch"; [ -n "$keep" ] || rm -rf "$out"' EXIT

# Runs a command once; prints "WALL CPU" in seconds (CPU = the child's user + system time).
timed_once() {
    python3 - "$@" <<'EOF'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
if done.returncode != 0:
    sys.exit(done.returncode)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{wall:.3f} {cpu:.3f}")
EOF
}

# The least value in column COLUMN of FILE (one line per run).
least() {
    sort -g -k"$2" "$1" | head -1 | awk -v c="$2" '{ print $c }'
}

# Per-round ratios of two timings taken in the same rounds: column A_COL of file A over
# column B_COL of file B; prints them and their median ("9.8x 10.4x 10.1x, median 10.1x").
round_ratios() {
    paste -d' ' <(awk -v c="$2" '{ print $c }' "$1") <(awk -v c="$4" '{ print $c }' "$3") | python3 -c '
import statistics, sys
ratios = [float(a) / float(b) for a, b in (line.split() for line in sys.stdin)]
print(" ".join(f"{r:.1f}x" for r in ratios) + f", median {statistics.median(ratios):.1f}x")'
}

echo "building quire (release)..." >&2
cargo build --release --quiet --manifest-path "$crate/Cargo.toml"
cargo bench --no-run --quiet --manifest-path "$crate/Cargo.toml" --bench extract_loop 2>/dev/null
quire="${CARGO_TARGET_DIR:-$crate/target}/release/quire"
have_trafilatura=0
have_smoothie=0
if [ "$peers" = 1 ]; then
    if python3 -c 'import trafilatura' 2>/dev/null; then
        have_trafilatura=1
    else
        echo "trafilatura: not installed, skipped" >&2
    fi
    if cargo build --release --quiet --manifest-path "$here/peers/Cargo.toml" 2>/dev/null; then
        have_smoothie=1
    else
        echo "dom_smoothie: could not build benches/peers, skipped" >&2
    fi
fi

# trafilatura over the AEB pages once, in a fresh process: prints "LOOP_CPU LOOP_WALL
# PROCESS_CPU", the extraction loop timed inside (imports and file reads left out, which
# favours trafilatura) and the whole process. A fresh process per run: a second pass over
# the same pages inside one process was about a sixth faster than the first (warm caches),
# which favours trafilatura beyond what converting new pages would see.
trafilatura_aeb_once() {
    python3 - "$aeb/html" "$scratch/trafilatura" <<'EOF'
import pathlib, resource, sys, time
import trafilatura
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
dst.mkdir(parents=True, exist_ok=True)
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
}

# Rounds: each tool runs once per round, one after the other, so that every tool sees the
# same moments of the machine; a tool's best round counts, and the per-round ratios show
# how far a moment of load elsewhere moved them.
# quire: one process for all pages.
for _ in $(seq "$runs"); do
    rm -rf "$scratch/quire" "$scratch/trafilatura" "$scratch/dom_smoothie"
    mkdir -p "$scratch/quire"
    warm "$aeb"/html/*.html
    timed_once "$quire" convert "$aeb"/html/*.html --to txt --body-only --no-images --quiet --force --jobs 1 -o "$scratch/quire" >> "$times/quire"
    # The same conversion through the library with the pages already in memory: the
    # like-for-like match for trafilatura's extraction loop (benches/extract_loop.rs).
    warm "$aeb"/html/*.html
    cargo bench --quiet --manifest-path "$crate/Cargo.toml" --bench extract_loop -- "$aeb/html" 1 2>/dev/null >> "$times/loop"
    warm "$aeb"/html/*.html
    [ "$have_trafilatura" = 1 ] && trafilatura_aeb_once >> "$times/trafilatura"
    warm "$aeb"/html/*.html
    [ "$have_smoothie" = 1 ] && timed_once "$here/peers/target/release/extract-peers" "$aeb/html" "$scratch/dom_smoothie" >> "$times/smoothie"
done
for tool in quire trafilatura dom_smoothie; do
    rm -rf "${out:?}/$tool"
    if [ -d "$scratch/$tool" ]; then mv "$scratch/$tool" "$out/$tool"; fi
done
quire_s=$(least "$times/quire" 2); quire_wall=$(least "$times/quire" 1)
loop_s=$(least "$times/loop" 2); loop_wall=$(least "$times/loop" 3)
echo "quire: $pages pages, CPU $quire_s s, wall $quire_wall s (one process, one thread, files included; best of $runs)"
echo "quire (library loop): $pages pages, CPU $loop_s s, wall $loop_wall s (pages in memory, one thread)"
trafilatura_s=""
smoothie_s=""
if [ "$have_trafilatura" = 1 ]; then
    trafilatura_s=$(least "$times/trafilatura" 1); trafilatura_wall=$(least "$times/trafilatura" 2)
    trafilatura_process=$(least "$times/trafilatura" 3)
    echo "trafilatura $(python3 -c 'import trafilatura; print(trafilatura.__version__)'): $pages pages, CPU $trafilatura_s s, wall $trafilatura_wall s (extraction loop only); whole process CPU $trafilatura_process s"
fi
if [ "$have_smoothie" = 1 ]; then
    smoothie_s=$(least "$times/smoothie" 2); smoothie_wall=$(least "$times/smoothie" 1)
    echo "dom_smoothie $(grep -A1 'name = "dom_smoothie"' "$here/peers/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p'): $pages pages, CPU $smoothie_s s, wall $smoothie_wall s (one process, files included)"
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
    echo "speed (CPU) round by round, trafilatura's process over quire's: $(round_ratios "$times/trafilatura" 3 "$times/quire" 2)"
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
warm "$td"/pages/*.html
# Each peer in its own fresh process, its extraction loop timed inside (imports and file
# reads left out, which favours it), and the whole process too; prints "LOOP_CPU LOOP_WALL
# PROCESS_CPU".
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
have_readability=0
if [ "$peers" = 1 ]; then
    if python3 -c 'import readability, lxml.html' 2>/dev/null; then
        have_readability=1
    else
        echo "readability-lxml: not installed, skipped" >&2
    fi
fi
# Rounds, as for AEB above.
for _ in $(seq "$runs"); do
    rm -rf "$scratch/td-quire-raw" "$scratch/td-trafilatura" "$scratch/td-readability"
    mkdir -p "$scratch/td-quire-raw"
    warm "$td"/pages/*.html
    timed_once "$quire" convert "$td"/pages/*.html --to txt --body-only --no-images --quiet --force --jobs 1 -o "$scratch/td-quire-raw" >> "$times/td-quire"
    warm "$td"/pages/*.html
    cargo bench --quiet --manifest-path "$crate/Cargo.toml" --bench extract_loop -- "$td/pages" 1 2>/dev/null >> "$times/td-loop"
    warm "$td"/pages/*.html
    [ "$have_trafilatura" = 1 ] && peer_once trafilatura "$scratch/td-trafilatura" >> "$times/td-trafilatura"
    warm "$td"/pages/*.html
    [ "$have_readability" = 1 ] && peer_once readability "$scratch/td-readability" >> "$times/td-readability"
done
for tool in td-quire-raw td-trafilatura td-readability; do
    rm -rf "${out:?}/$tool"
    if [ -d "$scratch/$tool" ]; then mv "$scratch/$tool" "$out/$tool"; fi
done
# quire names an output after its input's stem; the scorer wants '<page file>.txt'.
rm -rf "$out/td-quire"; mkdir -p "$out/td-quire"
for f in "$out"/td-quire-raw/*.txt; do
    mv "$f" "$out/td-quire/$(basename "$f" .txt).html.txt"
done
rm -rf "$out/td-quire-raw"
td_quire_s=$(least "$times/td-quire" 2); td_quire_wall=$(least "$times/td-quire" 1)
td_loop_s=$(least "$times/td-loop" 2); td_loop_wall=$(least "$times/td-loop" 3)
echo "quire: CPU $td_quire_s s, wall $td_quire_wall s (one process, one thread, files included; best of $runs)"
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
td_traf_s=""
td_read_s=""
if [ "$have_trafilatura" = 1 ]; then
    td_traf_s=$(least "$times/td-trafilatura" 1); td_traf_process=$(least "$times/td-trafilatura" 3)
    printf '%-28s %s\n' "trafilatura $(python3 -c 'import trafilatura; print(trafilatura.__version__)')" \
        "$(python3 "$snippet_py" "$out/td-trafilatura" --data "$td" | tail -1)"
fi
if [ "$have_readability" = 1 ]; then
    td_read_s=$(least "$times/td-readability" 1)
    printf '%-28s %s\n' "readability-lxml" \
        "$(python3 "$snippet_py" "$out/td-readability" --data "$td" | tail -1)"
fi
if [ -n "$td_traf_s" ]; then
    python3 -c "print(f'traf-dev speed (CPU): quire\'s loop is {$td_traf_s / $td_loop_s:.1f}x faster than trafilatura\'s loop; quire\'s process {$td_traf_process / $td_quire_s:.1f}x faster than trafilatura\'s process ($td_quire_s s vs $td_traf_process s); quire\'s process {$td_traf_s / $td_quire_s:.1f}x faster than trafilatura\'s loop ($td_traf_s s)')"
    echo "traf-dev speed (CPU) round by round, trafilatura's process over quire's: $(round_ratios "$times/td-trafilatura" 3 "$times/td-quire" 2)"
fi
if [ -n "$td_read_s" ]; then
    python3 -c "print(f'traf-dev speed (CPU): quire\'s process is {$td_read_s / $td_quire_s:.1f}x faster than readability-lxml\'s loop')"
fi
