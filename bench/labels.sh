#!/usr/bin/env bash
# Label benchmarks: `bench/labels.sh [BUILD_DIR]` prints Markdown tables for bench/RESULTS.md.
#
#   1. import of every file under ../shared/data/labels (`fundtrace labels import auto`): wall
#      and CPU time, records and tags per second, peak RSS; then the same import again (nothing
#      changes: the idempotence check's cost);
#   2. screening against all imported tags (labels_bench real): look-ups per second on one core
#      through the screening index, one key at a time and in batches, from binary keys and from
#      text lines; baselines in the same process: std::unordered_set and SQLite's index;
#   3. `fundtrace screen` end to end on a generated file of LABELS_LINES addresses (half
#      labelled), streamed as TSV;
#   4. scale (labels_bench scale): LABELS_SCALE generated addresses (default 100,000,000) as a
#      screening index on disk, queried like 2; baseline std::unordered_set of the same keys.
#      Needs about 80 bytes per address on disk and 95 in RAM; checks `df` and /proc/meminfo
#      first and scales down (saying so) when there is not enough.
#
# Environment: SHARED (../shared/data), LABELS_DIR (/tmp/fundtrace-labels-bench; deleted at the
# end unless BENCH_KEEP=1), LABELS_QUERIES (4,000,000), LABELS_LINES (4,000,000), LABELS_SCALE.
set -euo pipefail

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
SHARED=${SHARED:-$ROOT/../shared/data}
WORK=${LABELS_DIR:-/tmp/fundtrace-labels-bench}
QUERIES=${LABELS_QUERIES:-4000000}
LINES=${LABELS_LINES:-4000000}
SCALE=${LABELS_SCALE:-100000000}
FT="$BUILD/fundtrace"
LB="$BUILD/bench/labels_bench"
TIME=/usr/bin/time

die() { echo "labels.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
[ -x "$FT" ] || die "$FT not found: build first (make build)"
[ -x "$LB" ] || cmake --build "$BUILD" --target labels_bench >/dev/null || die "cannot build labels_bench"
[ -d "$SHARED/labels" ] || die "$SHARED/labels is absent: the label sources are needed"
[ -x "$TIME" ] || die "$TIME (GNU time) is needed"
command -v python3 >/dev/null || die "python3 is needed to write the screening input"
rm -rf "$WORK"
mkdir -p "$WORK"
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
fmt() { python3 -c "print(f'{int(float(\"$1\")):,}')"; }

# 1. Import.
log "importing $SHARED/labels"
DATA="$WORK/data"
$TIME -f "%e %U %S %M" -o "$WORK/import.time" "$FT" --no-progress --data "$DATA" --json labels import auto \
  "$SHARED/labels" > "$WORK/import.json"
$TIME -f "%e %U %S %M" -o "$WORK/reimport.time" "$FT" --no-progress --data "$DATA" --json labels import auto \
  "$SHARED/labels" > "$WORK/reimport.json"
read -r IW IU IS IM < "$WORK/import.time"
read -r RW RU RS RM < "$WORK/reimport.time"
python3 - "$WORK/import.json" "$WORK/reimport.json" "$IW" "$IU" "$IS" "$IM" "$RW" "$RU" "$RS" "$RM" \
  "$(du -b "$DATA/labels.sqlite" | cut -f1)" "$(du -b "$DATA/labels.idx" | cut -f1)" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
iw, iu, isy, im, rw, ru, rs, rm = map(float, sys.argv[3:11]); db, idx = int(sys.argv[11]), int(sys.argv[12])
stored = a["new"]
print("### Import of every label source\n")
print("| run | files | records read | tags stored | wall s | CPU s | records/s (wall) | tags/s (wall) | peak RSS |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
print(f"| first import | {a['files']:,} | {a['records']:,} | {stored:,} | {iw:.2f} | {iu+isy:.2f} | {a['records']/iw:,.0f} | {stored/iw:,.0f} | {im/1024:,.0f} MB |")
print(f"| same files again (changed: {str(b['changed']).lower()}) | {b['files']:,} | {b['records']:,} | {b['new']:,} new, {b['updated']:,} updated | {rw:.2f} | {ru+rs:.2f} | {b['records']/rw:,.0f} | - | {rm/1024:,.0f} MB |")
print(f"\nStore: labels.sqlite {db/1e6:,.1f} MB, labels.idx {idx/1e6:,.1f} MB; {a['entities']['records']:,} actors read as entities.\n")
PY

# 2. Screening against the real tags.
log "screening look-ups against the imported tags"
"$LB" real "$DATA" "$QUERIES" > "$WORK/real.txt"
R="$WORK/real.txt"
cat <<EOF2
### Screening look-ups against all imported tags ($(fmt "$(val labelled_addresses "$R")") addresses, $(fmt "$(val tags "$R")") tags), one core

$(fmt "$QUERIES") queries, half labelled addresses (drawn uniformly: about two thirds are Bitcoin, whose
base58check decoding with its double SHA-256 dominates the text paths), half random unlabelled EVM addresses.

| path | look-ups/s | vs unordered_set |
|---|---:|---:|
| \`ScreenIndex::Find\`, binary key, one at a time | $(fmt "$(val idx_find "$R")") | $(python3 -c "print(f'{$(val idx_find "$R")/$(val uset_find "$R"):.2f}x')") |
| \`ScreenIndex::FindMany\`, binary keys, 256 per call | $(fmt "$(val idx_find_batch "$R")") | $(python3 -c "print(f'{$(val idx_find_batch "$R")/$(val uset_find "$R"):.2f}x')") |
| \`Screener::Screen\`, text line (EVM lower case), one at a time | $(fmt "$(val idx_screen_lc "$R")") | - |
| \`Screener::ScreenMany\`, text lines, 256 per call (what \`screen\` does) | $(fmt "$(val idx_screen_lc_batch "$R")") | - |
| \`Screener::ScreenMany\`, EVM-only lower-case lines, 256 per call | $(fmt "$(val idx_screen_evm_batch "$R")") | - |
| \`Screener::Screen\`, text line with EIP-55 mixed case (Keccak per line) | $(fmt "$(val idx_screen_cs "$R")") | - |
| baseline: \`std::unordered_set<std::string>\` of the keys | $(fmt "$(val uset_find "$R")") | 1.00x |
| baseline: SQLite \`SELECT 1 FROM tags WHERE chain=? AND address=?\` (indexed) | $(fmt "$(val sqlite_find "$R")") | $(python3 -c "print(f'{$(val sqlite_find "$R")/$(val uset_find "$R"):.3f}x')") |

EOF2

# 3. The command end to end.
log "fundtrace screen on $LINES lines"
python3 - "$WORK/lines.txt" "$LINES" "$WORK/real_hits.txt" <<'PY'
import random, sys
random.seed(7)
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write("0x%040x\n" % random.getrandbits(160))
PY
cp "$WORK/lines.txt" "$WORK/random.txt"
# Half the lines: labelled addresses from the store (all chains), the rest random.
"$FT" --no-progress --data "$DATA" labels export --tagpack 2>/dev/null | awk -F'"' '/  - address: / { print $2 }' \
  | awk 'NR % 2 == 0 { if (substr($0, 1, 2) == "0x") print tolower($0); else print }' > "$WORK/labelled.txt"
python3 - "$WORK/lines.txt" "$WORK/labelled.txt" <<'PY'
import random, sys
random.seed(8)
lines = open(sys.argv[1]).read().split("\n")[:-1]
lab = open(sys.argv[2]).read().split("\n")[:-1]
for i in range(0, len(lines), 2):
    lines[i] = lab[random.randrange(len(lab))]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
$TIME -f "%e %U %S %M" -o "$WORK/screen.time" "$FT" --no-progress --data "$DATA" screen --tsv "$WORK/lines.txt" \
  > "$WORK/screen.tsv" 2> "$WORK/screen.err"
read -r SW SU SS SM < "$WORK/screen.time"
$TIME -f "%e %U %S %M" -o "$WORK/screen2.time" "$FT" --no-progress --data "$DATA" screen "$WORK/random.txt" \
  > "$WORK/screen2.out" 2>&1
read -r XW XU XS XM < "$WORK/screen2.time"
cat <<EOF2
### \`fundtrace screen\` end to end

$(fmt "$LINES") lines (half labelled addresses of every chain, EVM in lower case as chain exports write them; half random EVM addresses), hits written as TSV:
$(fmt "$(($(wc -l < "$WORK/screen.tsv") - 1))") rows out in $SW s wall, $(python3 -c "print(f'{$SU+$SS:.2f}')") s CPU: **$(python3 -c "print(f'{$LINES/$SW:,.0f}')") lines/s**, peak RSS $((SM / 1024)) MB. ($(tail -1 "$WORK/screen.err"))
The same number of random lower-case EVM addresses (no hits, the usual case of a deposit screen): $XW s wall,
**$(python3 -c "print(f'{$LINES/$XW:,.0f}')") lines/s**.

EOF2

# 4. Scale.
need_disk=$((SCALE * 80))
need_mem=$((SCALE * 95))
free_disk=$(df -B1 --output=avail "$WORK" | tail -1)
free_mem=$(($(awk '/MemAvailable/ { print $2 }' /proc/meminfo) * 1024))
while [ "$SCALE" -gt 1000000 ] && { [ $need_disk -gt $((free_disk * 8 / 10)) ] || [ $need_mem -gt $((free_mem * 8 / 10)) ]; }; do
  log "not enough room for $SCALE addresses (disk $free_disk, memory $free_mem bytes free): trying a tenth"
  SCALE=$((SCALE / 10)); need_disk=$((SCALE * 80)); need_mem=$((SCALE * 95))
done
log "scale: $SCALE generated addresses (df: $(df -h --output=avail "$WORK" | tail -1 | tr -d ' ') free)"
$TIME -f "%e %M" -o "$WORK/scale.time" "$LB" scale "$SCALE" "$QUERIES" "$WORK" > "$WORK/scale.txt"
S="$WORK/scale.txt"
cat <<EOF2
### Screening index with $(fmt "$SCALE") generated addresses, one core

Index file $(python3 -c "print(f'{$(val index_bytes "$S")/1e9:.2f}')") GB ($(python3 -c "print(f'{$(val index_bytes "$S")/$SCALE:.0f}')") bytes per address), built in $(val idx_build_s "$S") s and written in $(val idx_write_s "$S") s (peak RSS of the run $(python3 -c "print(f'{$(val idx_build_rss_kb "$S")/1024/1024:.1f}')") GB);
$(fmt "$QUERIES") queries, half labelled.

| path | look-ups/s | vs unordered_set |
|---|---:|---:|
| \`ScreenIndex::Find\`, one at a time | $(fmt "$(val idx_find "$S")") | $(python3 -c "print(f'{$(val idx_find "$S")/$(val uset_find "$S"):.2f}x')") |
| \`ScreenIndex::FindMany\`, 256 per call | $(fmt "$(val idx_find_batch "$S")") | $(python3 -c "print(f'{$(val idx_find_batch "$S")/$(val uset_find "$S"):.2f}x')") |
| \`Screener::Screen\`, text line, one at a time | $(fmt "$(val idx_screen_lc "$S")") | - |
| \`Screener::ScreenMany\`, text lines, 256 per call (\`screen\`) | $(fmt "$(val idx_screen_lc_batch "$S")") | - |
| baseline: \`std::unordered_set\` of the 21-byte keys (built in $(val uset_build_s "$S") s, RSS $(python3 -c "print(f'{$(val uset_rss_kb "$S")/1024/1024:.1f}')") GB) | $(fmt "$(val uset_find "$S")") | 1.00x |

EOF2
log "done"
