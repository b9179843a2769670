#!/usr/bin/env bash
# The synthetic-chain benchmark: one command that generates a chain with `fundtrace synth` and
# ingests it with `fundtrace ingest etl`, timing each step with /usr/bin/time -v (wall time,
# user+sys CPU, peak RSS), then checks that the store holds exactly the transfers written.
#
#   bench/synth.sh [BUILD_DIR]
#
# Steps:
#   1. generate SYNTH_TRANSFERS transfers in SYNTH_PARTS block ranges (etl/part-NNN);
#   2. ingest the whole export in one call, i.e. one batch (`ingest etl OUT/etl`), with the
#      process marked as the first one the kernel's OOM killer takes (oom_score_adj 1000), so a
#      batch too big for this machine fails alone; it is skipped, and said so, when the disk or
#      the estimated memory (SYNTH_BATCH_BYTES_PER_TRANSFER x transfers) is not there;
#   3. when step 2 did not succeed, or SYNTH_ALWAYS_PARTS=1: ingest part by part into a fresh
#      store, one call (batch) per part;
#   4. `stats` must report exactly the transfers synth wrote.
# The CSVs and stores are deleted at the end (SYNTH_KEEP=1 keeps them). A Markdown summary for
# bench/RESULTS.md goes to stdout and to $SYNTH_DIR/../synth-bench-<date>.md.
#
# Environment: SYNTH_TRANSFERS (100000000), SYNTH_SEED (42), SYNTH_PARTS (4),
# SYNTH_DIR (/tmp/fundtrace-synth-bench), SYNTH_KEEP (0), SYNTH_ALWAYS_PARTS (0),
# SYNTH_BATCH_BYTES_PER_TRANSFER (215: peak RSS of one ingest batch per transfer, measured at
# 10M and 20M synthetic transfers).
set -euo pipefail

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
FT="$BUILD/fundtrace"
N=${SYNTH_TRANSFERS:-100000000}
SEED=${SYNTH_SEED:-42}
PARTS=${SYNTH_PARTS:-4}
WORK=${SYNTH_DIR:-/tmp/fundtrace-synth-bench}
KEEP=${SYNTH_KEEP:-0}
ALWAYS_PARTS=${SYNTH_ALWAYS_PARTS:-0}
BATCH_BPT=${SYNTH_BATCH_BYTES_PER_TRANSFER:-215}
TIME=/usr/bin/time

die() { echo "synth bench: $*" >&2; exit 1; }
json_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval('d' + sys.argv[2]))" "$@"; }
gib() { awk -v k="$1" 'BEGIN { printf "%.2f GiB", k / 1048576 }'; }
mtps() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f M/s", n / s / 1e6; else print "-" }'; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[ -x "$FT" ] || die "$FT not found: build first (make build)"
[ -x "$TIME" ] || die "$TIME (GNU time) is needed for CPU and peak-memory accounting"
"$FT" --help | grep -q '^  synth' || die "$FT has no synth command"

# The work directory is ours alone (marker file), fresh, and removed at the end.
if [ -e "$WORK" ]; then
  [ -f "$WORK/.fundtrace-synth-bench" ] || die "$WORK exists and is not a synth bench directory"
  rm -rf "$WORK"
fi
mkdir -p "$WORK"
touch "$WORK/.fundtrace-synth-bench"
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

# Disk: ~180 bytes of CSV and ~85 bytes of store per transfer (measured), plus 10%.
avail_kb=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
need_kb=$(( N / 1024 * 290 ))
log "disk: $(gib "$avail_kb") free in $(df -P "$WORK" | awk 'NR == 2 { print $6 }'), need about $(gib "$need_kb")"
[ "$avail_kb" -gt "$need_kb" ] || die "not enough disk for $N transfers: $(gib "$avail_kb") free, about $(gib "$need_kb") needed"
mem_avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
mem_total_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)

# Runs "$@" under GNU time; sets T_WALL, T_CPU, T_RSS_KB, T_EXIT, T_OUT (stdout file).
timed() {
  local name=$1; shift
  T_OUT="$WORK/$name.out"
  local tv="$WORK/$name.time"
  set +e
  ( echo 1000 > /proc/self/oom_score_adj 2>/dev/null; exec "$TIME" -v "$@" ) >"$T_OUT" 2>"$tv"
  set -e
  T_WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + p[i]; print s }' "$tv")
  T_CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$tv")
  T_RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
  T_EXIT=$(awk -F': ' '/Exit status/ { print $2 }' "$tv")
  if grep -q 'Command terminated by signal' "$tv"; then
    T_EXIT="signal $(grep 'Command terminated by signal' "$tv" | awk '{ print $NF }')"
  fi
  T_EXIT=${T_EXIT:-?}
  grep -v '^\s' "$tv" | grep -v '^Command exited' >&2 || true
}


ROWS=()
row() { ROWS+=("| $1 | $2 | $3 s | $4 s | $5 | $6 | $7 |"); }

# 1. Generate.
OUT="$WORK/chain"
log "generating $N transfers (seed $SEED, $PARTS parts) into $OUT"
timed synth env FUNDTRACE_PROGRESS=1 "$FT" synth --transfers "$N" --seed "$SEED" \
  --parts "$PARTS" --out "$OUT"
[ "$T_EXIT" = 0 ] || die "synth failed ($T_EXIT): $(tail -5 "$WORK/synth.time")"
cat "$T_OUT" >&2
written=$(json_field "$OUT/synth.json" "['transfers']")
csv_bytes=$(du -sb "$OUT/etl" | awk '{ print $1 }')
[ "$written" = "$N" ] || die "synth wrote $written transfers, not $N"
row "synth: generate + write CSV" "$N" "$T_WALL" "$T_CPU" "$(gib "$T_RSS_KB")" "$(mtps "$N" "$T_WALL")" \
  "$(awk -v b="$csv_bytes" 'BEGIN { printf "%.1f GB of CSV", b / 1e9 }'), $PARTS parts"
log "wrote $written transfers, $(( csv_bytes / 1000000 )) MB of CSV in ${T_WALL}s"

check_store() {
  local store=$1
  "$FT" --data "$store" --json stats >"$WORK/stats.json"
  local got
  got=$(json_field "$WORK/stats.json" "['chains'][0]['transfers']")
  [ "$got" = "$N" ] || die "the store holds $got transfers, synth wrote $N"
  STORE_BYTES=$(du -sb "$store" | awk '{ print $1 }')
}

# 2. One batch.
batch_ok=0
need_mem_kb=$(( N / 1024 * BATCH_BPT ))
if [ "$need_mem_kb" -gt "$mem_total_kb" ]; then
  note="not run: needs about $(gib "$need_mem_kb") (${BATCH_BPT} B/transfer), machine has $(gib "$mem_total_kb")"
  row "ingest etl, one batch" "$N" "-" "-" "-" "-" "$note"
  log "one-batch ingest $note"
else
  log "ingesting in one batch (needs about $(gib "$need_mem_kb"); $(gib "$mem_avail_kb") available)"
  timed ingest-batch "$FT" --no-progress --data "$WORK/store-batch" --json ingest etl "$OUT/etl"
  if [ "$T_EXIT" = 0 ]; then
    check_store "$WORK/store-batch"
    batch_ok=1
    row "ingest etl, one batch" "$N" "$T_WALL" "$T_CPU" "$(gib "$T_RSS_KB")" "$(mtps "$N" "$T_WALL")" \
      "store $(awk -v b="$STORE_BYTES" 'BEGIN { printf "%.1f GB", b / 1e9 }'); stats: $N transfers"
  else
    err=$(tail -c 300 "$WORK/ingest-batch.time" | grep -v '^\s' | tail -2 | tr '\n' ' ')
    row "ingest etl, one batch" "$N" "$T_WALL" "$T_CPU" "$(gib "$T_RSS_KB")" "-" "FAILED ($T_EXIT) $err"
    log "one-batch ingest failed: $T_EXIT, peak RSS $(gib "$T_RSS_KB")"
  fi
  rm -rf "$WORK/store-batch"
fi

# 3. Part by part.
if [ "$batch_ok" = 0 ] || [ "$ALWAYS_PARTS" = 1 ]; then
  if [ "$PARTS" -le 1 ]; then
    log "no parts to ingest one by one (SYNTH_PARTS=1)"
  else
    total_wall=0; total_cpu=0; peak=0
    for part in "$OUT"/etl/part-*; do
      name=$(basename "$part")
      log "ingesting $name"
      timed "ingest-$name" "$FT" --no-progress --data "$WORK/store-parts" --json ingest etl "$part"
      [ "$T_EXIT" = 0 ] || die "ingest of $name failed ($T_EXIT)"
      added=$(json_field "$T_OUT" "['added']['transfers']")
      row "ingest etl, $name" "$added" "$T_WALL" "$T_CPU" "$(gib "$T_RSS_KB")" "$(mtps "$added" "$T_WALL")" ""
      total_wall=$(awk -v a="$total_wall" -v b="$T_WALL" 'BEGIN { print a + b }')
      total_cpu=$(awk -v a="$total_cpu" -v b="$T_CPU" 'BEGIN { print a + b }')
      [ "$T_RSS_KB" -gt "$peak" ] && peak=$T_RSS_KB
      [ "$KEEP" = 1 ] || rm -rf "$part"  # stream: the part's CSVs are no longer needed
    done
    check_store "$WORK/store-parts"
    row "ingest etl, all $PARTS parts" "$N" "$total_wall" "$total_cpu" "$(gib "$peak") (max)" \
      "$(mtps "$N" "$total_wall")" "store $(awk -v b="$STORE_BYTES" 'BEGIN { printf "%.1f GB", b / 1e9 }'); stats: $N transfers"
  fi
fi

REPORT="$(dirname "$WORK")/synth-bench-$(date +%Y%m%d-%H%M%S).md"
{
  echo "Machine: $(nproc) cores, $(gib "$mem_total_kb") RAM; $(uname -r); $(date -u +%Y-%m-%d)."
  echo "Command: bench/synth.sh (SYNTH_TRANSFERS=$N SYNTH_SEED=$SEED SYNTH_PARTS=$PARTS)."
  echo
  echo "| step | transfers | wall | CPU (user+sys) | peak RSS | rate (wall) | notes |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$REPORT"
log "summary also in $REPORT"
