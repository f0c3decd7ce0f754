#!/usr/bin/env bash
# The JSON form's size on a large table (issue 11, point 11): generates a Markdown table of
# about 20 MB (five short cells a row), converts it to JSON and back, prints sizes, time and
# peak RSS, and fails when the JSON is 3x the Markdown or more, or does not read back.
#   benches/json_size.sh [QUIRE_BINARY] [MEGABYTES]   (default target/dev-opt/quire, 20)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
quire="${1:-$crate/target/dev-opt/quire}"
megabytes="${2:-20}"
[ -x "$quire" ] || { echo "no quire at $quire (cargo build --profile dev-opt)" >&2; exit 2; }

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
python3 - "$work/table.md" "$megabytes" <<'PY'
import sys
path, limit = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
with open(path, "w") as out:
    size = out.write("| id | name | city | score | note |\n|---|:---|:-:|--:|---|\n")
    i = 0
    while size < limit:
        size += out.write(f"| {i} | n{i} | c{i % 97} | {i % 1000} | ok |\n")
        i += 1
PY
/usr/bin/time -f "to json: %e s, peak %M KB" "$quire" convert "$work/table.md" --to json -o "$work/table.json" --quiet
/usr/bin/time -f "from json: %e s, peak %M KB" "$quire" convert "$work/table.json" --to md -o "$work/back.md" --quiet
markdown=$(stat -c %s "$work/table.md")
json=$(stat -c %s "$work/table.json")
rows_in=$(grep -c '^| [0-9]' "$work/table.md")
rows_back=$(grep -c '^| [0-9]' "$work/back.md")
echo "markdown $markdown bytes, json $json bytes ($(python3 -c "print(f'{$json/$markdown:.2f}')")x), rows $rows_in -> $rows_back"
[ "$rows_in" -eq "$rows_back" ] || { echo "FAIL: rows lost on the way back" >&2; exit 1; }
[ "$json" -lt $((markdown * 3)) ] || { echo "FAIL: JSON is 3x the Markdown or more" >&2; exit 1; }
