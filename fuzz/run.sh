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
[ ${#targets[@]} -gt 0 ] || targets=(read_html html_is_safe read_markdown read_text read_json)
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
  esac
  echo "== $target for ${seconds}s"
  nice -n 19 cargo fuzz run --sanitizer none -O "$target" "corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    2>&1 | grep -E '^(#[0-9]+.*DONE|Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|thread .* panicked|.*Test unit written)' || true
done
