#!/usr/bin/env bash
# Trace speed against a plain Python/networkx implementation of the same haircut rules, in one
# run: generates a synthetic chain (TRACE_TRANSFERS, default 1M), ingests it with its labels,
# exports its transfers for Python, then for every hack runs a forward haircut trace from the
# drain txs (6 hops) with fundtrace and with bench/trace_baseline.py, checks that both give the
# same endpoint amounts, and prints the times (trace only, after loading) and the ratio.
#
#   bench/trace_baseline.sh [BUILD_DIR]
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
FT="$BUILD/fundtrace"
N=${TRACE_TRANSFERS:-1000000}
HOPS=${TRACE_HOPS:-6}
WORK=${TRACE_DIR:-/tmp/fundtrace-trace-baseline}
PY=/usr/bin/python3  # Debian's, with python3-networkx
[ -x "$FT" ] && [ -x "$BUILD/bench/trace_export" ] || { echo "build first: make build" >&2; exit 1; }
"$PY" -c 'import networkx' 2>/dev/null || { echo "needs Debian's python3-networkx" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
"$FT" --no-progress synth --transfers "$N" --seed 42 --out "$WORK/s" >/dev/null
"$FT" --no-progress --data "$WORK/d" ingest etl "$WORK/s/etl" >/dev/null
"$FT" --no-progress --data "$WORK/d" labels import csv "$WORK/s/labels.csv" >/dev/null
"$BUILD/bench/trace_export" "$WORK/d" >"$WORK/transfers.csv"
for h in "$WORK"/s/hacks/*.json; do
  seeds=$("$PY" -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["seed_txs"]))' "$h")
  # shellcheck disable=SC2086
  "$FT" --data "$WORK/d" --json trace $seeds --policy haircut --hops "$HOPS" >"$WORK/ft-$(basename "$h")"
done
"$PY" "$ROOT/bench/trace_baseline.py" "$WORK/transfers.csv" "$WORK/s/labels.csv" \
  "$WORK"/s/hacks/*.json --hops "$HOPS" >"$WORK/py.jsonl"
"$PY" - "$WORK" "$N" "$HOPS" <<'EOF'
import glob, json, sys
work, n, hops = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [json.loads(l) for l in open(work + "/py.jsonl")]
load = lines[0]
py = {l["hack"]: l for l in lines[1:]}
print(f"chain: {n:,} transfers; Python graph build {load['load_seconds']:.1f} s (not counted); haircut, {hops} hops\n")
print("| hack | fundtrace s | Python s | ratio | endpoints | identical |")
print("|---|---:|---:|---:|---:|---|")
ratios, same_all = [], True
for path in sorted(glob.glob(work + "/s/hacks/*.json")):
    h = json.load(open(path))
    ft = json.load(open(work + "/ft-" + path.rsplit("/", 1)[1]))
    ours = {}
    for e in ft["endpoints"]:
        k = e["address"].lower() + "/" + e["asset"].lower()
        ours[k] = str(int(ours.get(k, "0")) + int(e["amount"]))
    p = py[h["name"]]
    same = ours == p["endpoints"]
    same_all &= same
    r = p["seconds"] / max(ft["stats"]["seconds"], 1e-9)
    ratios.append(r)
    print(f"| {h['name']} | {ft['stats']['seconds']:.4f} | {p['seconds']:.3f} | {r:.0f}x | {len(ours)} | {'yes' if same else 'NO'} |")
ratios.sort()
print(f"\nmedian ratio {ratios[len(ratios)//2]:.0f}x, smallest {ratios[0]:.0f}x (target >= 100x); endpoint amounts identical: {'yes' if same_all else 'NO'}")
sys.exit(0 if same_all else 1)
EOF
