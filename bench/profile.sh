#!/usr/bin/env bash
# CPU profile of `fundtrace ingest` on a synthetic file (not part of `make bench`).
#
#   bench/profile.sh BUILD_DIR [etherscan|etl] [ROWS=10000000] [SEED=42]
#
# Uses perf (software cpu-clock event, so it works in VMs without a PMU) twice:
#   1. the whole ingest of ROWS rows, self time per function (flat profile, no call graphs:
#      cheap enough for 10M rows);
#   2. the ingest of min(ROWS, 1M) rows with DWARF call graphs, inclusive ("children") time,
#      which attributes kernel time (page faults, copies, fsync) to the user code causing it.
# Falls back to valgrind --tool=callgrind on 200k rows when perf is missing or not permitted.
# Data lives in BENCH_DIR (default /tmp/fundtrace-profile) and is removed at the end.
set -euo pipefail
BUILD=${1:-build}
FORMAT=${2:-etherscan}
ROWS=${3:-10000000}
SEED=${4:-42}
WORK=${BENCH_DIR:-/tmp/fundtrace-profile}
FT="$BUILD/fundtrace"
GEN="$BUILD/bench/gen_csv"
[ -x "$FT" ] && [ -x "$GEN" ] || { echo "profile: build first ($FT, $GEN)" >&2; exit 1; }
if [ -e "$WORK" ]; then
  [ -f "$WORK/.fundtrace-bench" ] || { echo "profile: $WORK exists and is not ours" >&2; exit 1; }
  rm -rf "$WORK"
fi
mkdir -p "$WORK"
touch "$WORK/.fundtrace-bench"
trap 'rm -rf "$WORK"' EXIT

# First N sample lines of a perf report, read to the end (an early exit would SIGPIPE perf).
top() { grep -E '^ +[0-9.]+%' | sed -E 's/ {2,}/  /g; s/ +- +- *$//' | awk -v n="${1:-25}" 'NR <= n'; }

if command -v perf >/dev/null && perf record -e cpu-clock -o "$WORK/probe.data" true >/dev/null 2>&1; then
  "$GEN" "$FORMAT" "$ROWS" "$SEED" "$WORK/in.csv"
  echo "== flat profile: fundtrace ingest $FORMAT, $ROWS rows (self time, % of all samples)"
  perf record -q -e cpu-clock -F 499 -o "$WORK/flat.data" "$FT" --data "$WORK/store" ingest "$FORMAT" "$WORK/in.csv" >/dev/null
  perf report -i "$WORK/flat.data" --no-children --sort dso,symbol --stdio 2>/dev/null | top 30
  small=$(( ROWS < 1000000 ? ROWS : 1000000 ))
  head -n $((small + 1)) "$WORK/in.csv" >"$WORK/small.csv"
  rm -f "$WORK/in.csv"
  rm -rf "$WORK/store"
  echo
  echo "== inclusive profile: $small rows with DWARF call graphs (children = self + callees)"
  perf record -q -e cpu-clock -F 999 --call-graph dwarf,32768 -o "$WORK/cg.data" \
    "$FT" --data "$WORK/store" ingest "$FORMAT" "$WORK/small.csv" >/dev/null
  perf report -i "$WORK/cg.data" --children --sort symbol --stdio -g none 2>/dev/null | top 45
else
  small=$(( ROWS < 200000 ? ROWS : 200000 ))
  echo "== perf unavailable: callgrind on $small rows (inclusive Ir)"
  "$GEN" "$FORMAT" "$small" "$SEED" "$WORK/small.csv"
  valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
    "$FT" --data "$WORK/store" ingest "$FORMAT" "$WORK/small.csv" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes "$WORK/cg.out" | head -60
fi
