#!/usr/bin/env bash
# quire against pandoc, page by page: HTML → EPUB and HTML → Markdown, one process per page for
# both tools, the same pages, one thread each, the network off for both, in the same run.
#
#   benches/pandoc.sh [PAGE_OR_FOLDER...]
#
# With no argument the pages are a fixed sample of the corpus: every 6th page of
# ../shared/corpus/aeb/html and every 4th source.html of ../shared/corpus/readability (about 40
# news and blog pages, the kind of page the targets were measured on). A folder given stands
# for every .html file under it.
#
# How it is run, and why:
# - The network is off for both (the whole run moves into a new network namespace with
#   `unshare -n`, which needs root or user namespaces): pandoc tries to fetch every remote
#   image of a page for an EPUB, and with the network on its time is mostly waiting on servers,
#   which made it look slower than it is (the old benches/epub.sh figure, 236×). quire fetches
#   nothing unless asked. Set NETWORK=on to measure with the network anyway (never for the
#   targets).
# - One process per page for both, as pandoc converts one document per run; quire with
#   `--jobs 1`. The pages alternate (quire, pandoc, next page) so that load elsewhere on the
#   machine falls on both alike.
# - Time is CPU time (user + system) of each process, which a busy machine inflates less than
#   wall-clock time; wall time is printed too. Each page is converted RUNS times by each tool
#   (default 3) and its fastest run counts, for both tools alike.
# - Outputs go to a RAM disk when there is one, for both tools (SCRATCH=folder to choose).
#
# Exits non-zero when a ratio (pandoc's CPU time over quire's) is under its target:
#   MIN_EPUB=50 MIN_MD=100 (set them to change the targets).
# Other settings: FORMATS="epub md" (which outputs), RUNS=3, QUIRE=/path/to/quire (measure that
# build; otherwise the release build is built and used), PROFILE=dev-opt (build and use that
# profile instead of release), PANDOC=/path/to/pandoc, CORPUS=folder (default ../shared/corpus),
# CHECK=1 (also run EPUBCheck on quire's books; fails unless every one is clean).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
corpus="${CORPUS:-$crate/../shared/corpus}"

# Build before leaving the network: cargo may want it.
if [ -z "${QUIRE_BENCH_INSIDE:-}" ]; then
    if [ -z "${QUIRE:-}" ]; then
        profile="${PROFILE:-release}"
        echo "building quire ($profile)..." >&2
        cargo build --profile "$profile" --quiet --manifest-path "$crate/Cargo.toml"
        export QUIRE="$crate/target/$profile/quire"
    fi
    if [ "${NETWORK:-off}" = on ]; then
        echo "NOTE: the network is ON for this run: pandoc's EPUB times include fetching images" >&2
        exec env QUIRE_BENCH_INSIDE=1 "$0" "$@"
    fi
    unshare -n true 2>/dev/null || {
        echo "cannot turn the network off (unshare -n failed: needs root or user namespaces)" >&2
        exit 1
    }
    exec unshare -n env QUIRE_BENCH_INSIDE=1 "$0" "$@"
fi

pandoc="${PANDOC:-$(command -v pandoc || true)}"
[ -n "$pandoc" ] || { echo "pandoc is not installed" >&2; exit 1; }
[ -x "$QUIRE" ] || { echo "no quire binary at $QUIRE" >&2; exit 1; }

pages=()
if [ $# -eq 0 ]; then
    [ -d "$corpus/aeb/html" ] && [ -d "$corpus/readability" ] || {
        echo "no corpus at $corpus (give pages or folders)" >&2
        exit 1
    }
    mapfile -t aeb < <(find "$corpus/aeb/html" -name '*.html' | sort)
    mapfile -t readability < <(find "$corpus/readability" -name source.html | sort)
    for i in "${!aeb[@]}"; do [ $((i % 6)) = 0 ] && pages+=("${aeb[$i]}"); done
    for i in "${!readability[@]}"; do [ $((i % 4)) = 0 ] && pages+=("${readability[$i]}"); done
else
    for arg in "$@"; do
        if [ -d "$arg" ]; then
            mapfile -t found < <(find "$arg" -name '*.html' | sort)
            pages+=("${found[@]}")
        else
            pages+=("$arg")
        fi
    done
fi
[ "${#pages[@]}" -gt 0 ] || { echo "no pages" >&2; exit 1; }

# SCRATCH=folder puts the outputs there instead (a disk, say, to see wall times with a real
# file system; neither tool flushes its output to disk unless asked).
scratch="${SCRATCH:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}"
work="$(mktemp -d "$scratch/quire-pandoc.XXXXXX")"
trap 'rm -rf "$work"' EXIT

printf '%s\n' "${pages[@]}" > "$work/pages"
cat "${pages[@]}" > /dev/null # into the file cache

python3 - "$QUIRE" "$pandoc" "$work" "${FORMATS:-epub md}" "${RUNS:-3}" \
    "${MIN_EPUB:-50}" "${MIN_MD:-100}" "${CHECK:-0}" <<'PY'
import os, resource, subprocess, sys, time

quire, pandoc, work, formats, runs = sys.argv[1:6]
targets = {"epub": float(sys.argv[6]), "md": float(sys.argv[7])}
check = sys.argv[8] == "1"
formats = formats.split()
runs = int(runs)
pages = open(os.path.join(work, "pages")).read().split("\n")[:-1]
pandoc_to = {"epub": "epub", "md": "gfm"}
extension = {"epub": "epub", "md": "md"}


def timed(command):
    """Runs `command` RUNS times; returns (cpu, wall, ok) of the run with the least CPU time."""
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if best is None or cpu < best[0]:
            best = (cpu, wall, done.returncode == 0)
    return best


def made(path):
    return os.path.isfile(path) and os.path.getsize(path) > 0


print(f"pages: {len(pages)}; runs per page and tool: {runs} (fastest counts); "
      f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}")
print(f"quire: {quire}\npandoc: {pandoc} "
      f"({subprocess.run([pandoc, '--version'], capture_output=True, text=True).stdout.splitlines()[0]})")
# /proc/net/dev lists the interfaces of this process's network namespace.
interfaces = sorted(line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:])
print(f"network: {'off' if interfaces == ['lo'] else 'ON'} (interfaces: {' '.join(interfaces)})")

# quire's fixed cost per process: a one-line page.
floor_page = os.path.join(work, "floor.html")
with open(floor_page, "w") as f:
    f.write("<p>One line.</p>\n")

failed = False
print()
print(f"{'format':<7}{'tool':<8}{'made':>9}{'CPU s':>10}{'wall s':>10}{'ms/page':>10}{'ratio':>9}{'target':>8}")
for fmt in formats:
    qdir = os.path.join(work, "quire-" + fmt)
    pdir = os.path.join(work, "pandoc-" + fmt)
    os.makedirs(qdir)
    os.makedirs(pdir)
    floor_cpu, _, _ = timed([quire, "convert", floor_page, "--to", fmt, "-o", qdir + "/floor/",
                             "--quiet", "--force", "--jobs", "1"])
    totals = {"quire": [0.0, 0.0, 0], "pandoc": [0.0, 0.0, 0]}
    for index, page in enumerate(pages):
        name = f"{index:03d}"
        # quire names the output after the input; a folder per page keeps names apart.
        qout = os.path.join(qdir, name) + "/"
        cpu, wall, ok = timed([quire, "convert", page, "--to", fmt, "-o", qout,
                               "--quiet", "--force", "--jobs", "1"])
        produced = os.listdir(qout) if os.path.isdir(qout) else []
        q = totals["quire"]
        q[0] += cpu; q[1] += wall; q[2] += int(ok and any(made(os.path.join(qout, p)) for p in produced))
        pout = os.path.join(pdir, f"{name}.{extension[fmt]}")
        cpu, wall, ok = timed([pandoc, "-f", "html", "-t", pandoc_to[fmt], "-o", pout, page])
        p = totals["pandoc"]
        p[0] += cpu; p[1] += wall; p[2] += int(ok and made(pout))
    q, p = totals["quire"], totals["pandoc"]
    ratio = p[0] / q[0] if q[0] > 0 else float("inf")
    wall_ratio = p[1] / q[1] if q[1] > 0 else float("inf")
    target = targets.get(fmt, 0.0)
    for tool, (cpu, wall, count) in totals.items():
        shown = f"{ratio:8.1f}x" if tool == "quire" else ""
        goal = f"{target:7.0f}x" if tool == "quire" else ""
        print(f"{fmt:<7}{tool:<8}{count:>4}/{len(pages):<4}{cpu:>10.3f}{wall:>10.3f}"
              f"{1000 * cpu / len(pages):>10.2f}{shown:>9}{goal:>8}")
    print(f"{'':<7}quire's fixed cost per process (a one-line page): {1000 * floor_cpu:.2f} ms CPU; "
          f"wall-time ratio {wall_ratio:.1f}x")
    if q[2] < len(pages):
        print(f"{'':<7}NOTE: quire made {q[2]} of {len(pages)} outputs")
        failed = True
    if ratio < target:
        print(f"{'':<7}FAIL: {fmt} at {ratio:.1f}x pandoc, target {target:.0f}x")
        failed = True
    if fmt == "epub" and check:
        books = sorted(os.path.join(root, f) for root, _, files in os.walk(qdir)
                       for f in files if f.endswith(".epub") and "/floor" not in root)
        clean = sum(subprocess.run(["epubcheck", book], capture_output=True, text=True)
                    .stdout.count("No errors or warnings detected") > 0 for book in books)
        print(f"{'':<7}epubcheck: {clean} of {len(books)} of quire's books clean")
        failed |= clean < len(books)
sys.exit(1 if failed else 0)
PY
