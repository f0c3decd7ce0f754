#!/usr/bin/env bash
# Two quire builds against each other, in one run: an old build (say, the commit before a merge)
# and a new one, on
#   1. the extraction benchmark: the AEB corpus pages to text, one process, one thread, as
#      benches/extract.sh runs quire (`--to txt --body-only --no-images --jobs 1`);
#   2. the batch benchmark: the AEB corpus folder to Markdown, `--jobs 1` and `--jobs 2`, as
#      benches/batch.sh runs it;
#   3. one process per page (the benches/pandoc.sh sample), to EPUB and to Markdown;
#   4. peak memory (RSS) on benches/memory.sh's hostile inputs, each build in turn.
#
#   benches/compare.sh OLD_QUIRE NEW_QUIRE
#
# Time is CPU time (user + system), the fastest of RUNS runs (default 5), the two builds taking
# turns run by run so that load elsewhere falls on both alike. The ratio is old over new: above
# 1 the new build is faster. It prints, for 1–3, whether the two builds' outputs are the same.
# Exits non-zero when the new build is slower than SLOWER (default 0.95, i.e. more than 5%
# slower: the machine's noise) on 1 or 2, or its peak RSS exceeds the old one's by more than
# 5% plus 1 MB on an input of 4. SKIP_MEMORY=1 leaves out 4 (it writes about 300 MB of inputs).
# CORPUS=folder: where aeb/ and readability/ are (default ../shared/corpus).
set -euo pipefail

[ $# -eq 2 ] || { sed -n '2,20p' "$0" >&2; exit 2; }
old="$(realpath "$1")"
new="$(realpath "$2")"
[ -x "$old" ] && [ -x "$new" ] || { echo "both builds must be executables" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
corpus="${CORPUS:-$crate/../shared/corpus}"
[ -d "$corpus/aeb/html" ] || { echo "no corpus at $corpus" >&2; exit 1; }

work="$(mktemp -d "$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/quire-compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The per-page sample of benches/pandoc.sh.
mapfile -t aeb < <(find "$corpus/aeb/html" -name '*.html' | sort)
mapfile -t readability < <(find "$corpus/readability" -name source.html 2>/dev/null | sort)
sample=()
for i in "${!aeb[@]}"; do [ $((i % 6)) = 0 ] && sample+=("${aeb[$i]}"); done
for i in "${!readability[@]}"; do [ $((i % 4)) = 0 ] && sample+=("${readability[$i]}"); done
printf '%s\n' "${sample[@]}" > "$work/sample"
cat "${aeb[@]}" "${sample[@]}" > /dev/null # into the file cache

status=0
python3 - "$old" "$new" "$work" "$corpus/aeb/html" "${RUNS:-5}" "${SLOWER:-0.95}" <<'PY' || status=1
import filecmp, os, resource, shutil, subprocess, sys, time

old, new, work, aeb, runs, slower = sys.argv[1:7]
runs, slower = int(runs), float(slower)
sample = open(os.path.join(work, "sample")).read().split("\n")[:-1]
pages = sorted(os.path.join(aeb, p) for p in os.listdir(aeb) if p.endswith(".html"))


def cpu_of(commands):
    """Runs the commands in turn; returns their summed CPU seconds and wall seconds."""
    cpu = wall = 0.0
    for command in commands:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall += time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):  # 1: some inputs failed, which both builds may do
            sys.exit(f"{' '.join(command[:3])}... exited {done.returncode}")
    return cpu, wall


def same_outputs(a, b):
    """Counts the files under `a` that `b` has byte for byte, and the files in all."""
    same = total = 0
    for root, _, files in os.walk(a):
        for name in files:
            total += 1
            mine = os.path.join(root, name)
            theirs = os.path.join(b, os.path.relpath(mine, a))
            same += os.path.isfile(theirs) and filecmp.cmp(mine, theirs, shallow=False)
    return same, total


def bench(label, commands_for, gate, compare_outputs=True):
    """commands_for(binary, out_dir) -> the commands of one run."""
    best = {}
    for _ in range(runs):
        for name, binary in (("old", old), ("new", new)):
            out = os.path.join(work, name)
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            cpu, wall = cpu_of(commands_for(binary, out))
            if name not in best or cpu < best[name][0]:
                best[name] = (cpu, wall)
    ratio = best["old"][0] / best["new"][0]
    note = ""
    if compare_outputs:
        same, total = same_outputs(os.path.join(work, "old"), os.path.join(work, "new"))
        note = f"  outputs: {same} of {total} the same"
    verdict = ""
    failed = gate and ratio < slower
    if gate:
        verdict = "  SLOWER" if failed else "  ok"
    print(f"{label:<34}{best['old'][0]:>9.3f}{best['new'][0]:>9.3f}{ratio:>8.2f}x{verdict}{note}")
    return failed


def quiet(binary, *args):
    return [binary, "convert", *args, "--quiet", "--force"]


print(f"old: {old}\nnew: {new}")
print(f"runs: {runs} each, taking turns (fastest counts); "
      f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}")
print()
print(f"{'benchmark (CPU seconds)':<34}{'old':>9}{'new':>9}{'old/new':>9}")
failed = False
failed |= bench(f"extraction: {len(pages)} pages to txt",
                lambda b, out: [quiet(b, *pages, "--to", "txt", "--body-only", "--no-images",
                                      "--jobs", "1", "-o", out + "/")], gate=True)
for jobs in (1, 2):
    failed |= bench(f"batch: folder to md, --jobs {jobs}",
                    lambda b, out, jobs=jobs: [quiet(b, aeb, "--to", "md", "--jobs", str(jobs),
                                                     "-o", out + "/")], gate=True)
for fmt in ("epub", "md"):
    # EPUBs carry the time they were made: compared by content they would always differ.
    bench(f"per page: {len(sample)} processes to {fmt}",
          lambda b, out, fmt=fmt: [quiet(b, page, "--to", fmt, "--jobs", "1",
                                         "-o", f"{out}/{i:03d}/") for i, page in enumerate(sample)],
          gate=False, compare_outputs=(fmt != "epub"))
sys.exit(1 if failed else 0)
PY

if [ -z "${SKIP_MEMORY:-}" ]; then
    echo
    echo "peak memory (benches/memory.sh), old then new:"
    QUIRE="$old" "$here/memory.sh" > "$work/memory-old" 2>&1 || true
    QUIRE="$new" "$here/memory.sh" > "$work/memory-new" 2>&1 || true
    # Rows with a peak RSS column: "name size peak ..." (the inputs) and the jsonl line.
    python3 - "$work/memory-old" "$work/memory-new" <<'PY' || status=1
import re, sys

def rows(path):
    found = {}
    section = ""
    for line in open(path):
        parts = line.split()
        if line.startswith("pdf input"):
            section = "pdf: "
        if len(parts) >= 3 and re.fullmatch(r"[\w.-]+\.(html|md|txt)", parts[0]):
            try:
                found[section + parts[0]] = float(parts[2])
            except ValueError:
                pass
        if line.startswith("base footprint"):
            found["base footprint"] = float(re.search(r"(\d+\.\d) MB", line).group(1))
        elif line.startswith("pdf base footprint"):
            found["pdf: base footprint"] = float(re.search(r"(\d+\.\d) MB", line).group(1))
        elif line.startswith("jsonl:"):
            found["jsonl (200,000 lines)"] = float(re.search(r"peak RSS (\d+\.\d) MB", line).group(1))
    return found

old, new = rows(sys.argv[1]), rows(sys.argv[2])
if not old or not new:
    sys.exit("memory.sh printed no figures: " + open(sys.argv[2]).read()[-500:])
print(f"{'input':<26}{'old MB':>9}{'new MB':>9}")
failed = False
for name in old:
    if name not in new:
        print(f"{name:<26}{old[name]:>9.1f}{'missing':>9}  FAIL")
        failed = True
        continue
    worse = new[name] > old[name] * 1.05 + 1.0
    failed |= worse
    print(f"{name:<26}{old[name]:>9.1f}{new[name]:>9.1f}{'  HIGHER' if worse else ''}")
sys.exit(1 if failed else 0)
PY
fi
exit "$status"
