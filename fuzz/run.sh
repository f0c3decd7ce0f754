#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 600) on one core, at low priority,
# seeded from samples/ and, when present, ../shared/corpus (read-only: libFuzzer only adds new
# inputs to the first corpus folder, fuzz/corpus/TARGET, which git ignores).
#   fuzz/run.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz 0.13 (`cargo install cargo-fuzz`); stable Rust runs it with --sanitizer none.
# A crash is saved under fuzz/artifacts/TARGET/ and reproduced with
#   cargo fuzz run --sanitizer none TARGET fuzz/artifacts/TARGET/crash-…
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read_html html_is_safe read_markdown read_text read_json write_pdf write_epub jsonl)
# No target may reach the network (jsonl skips `url` lines; this makes sure): run without one
# where we can make a network namespace (root, or unprivileged user namespaces).
isolate=()
if unshare -n true 2>/dev/null; then isolate=(unshare -n)
elif unshare -rn true 2>/dev/null; then isolate=(unshare -rn)
else echo "warning: cannot run without a network (unshare -n); jsonl still skips url lines" >&2
fi
shared=../../shared/corpus
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  seeds=()
  case $target in
    read_html|html_is_safe)
      cp -n ../samples/*.html "corpus/$target/" 2>/dev/null || true
      [ -d "$shared/aeb/html" ] && seeds+=("$shared/aeb/html")
      ;;
    read_markdown) cp -n ../samples/*.md "corpus/$target/" 2>/dev/null || true ;;
    read_text) cp -n ../samples/*.txt "corpus/$target/" 2>/dev/null || true ;;
    read_json) ;;
    write_pdf|write_epub)
      # The first byte picks the reader (0 Markdown, 1 JSON, 2 HTML, 3 text).
      for sample in ../samples/*.*; do
        case $sample in
          *.md) selector='\x00' ;; *.json) selector='\x01' ;; *.html) selector='\x02' ;;
          *.txt) selector='\x03' ;; *) continue ;;
        esac
        seed="corpus/$target/seed-$(basename "$sample")"
        [ -e "$seed" ] || { printf "$selector"; cat "$sample"; } >"$seed"
      done
      ;;
    jsonl)
      [ -e "corpus/jsonl/seed" ] || python3 - ../samples >"corpus/jsonl/seed" <<'PY'
import json, pathlib, sys
keys = {".md": "markdown", ".html": "html", ".txt": "text", ".json": "json"}
for i, path in enumerate(sorted(pathlib.Path(sys.argv[1]).glob("*.*"))):
    if path.suffix in keys:
        to = ["markdown", "text", "html", "json"][i % 4]
        print(json.dumps({"id": i, keys[path.suffix]: path.read_text(), "options": {"to": to}}))
PY
      ;;
  esac
  echo "== $target for ${seconds}s"
  # Built first, with the network (crates may need fetching); then run without one.
  nice -n 19 cargo fuzz build --sanitizer none -O "$target" >/dev/null 2>&1 ||
    nice -n 19 cargo fuzz build --sanitizer none -O "$target"
  nice -n 19 "${isolate[@]}" cargo fuzz run --sanitizer none -O "$target" "corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    2>&1 | grep -E '^(#[0-9]+.*DONE|Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|thread .* panicked|.*Test unit written)' || true
done
