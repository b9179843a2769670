#!/usr/bin/env bash
# Throughput and p99 latency of `fundtrace serve` with wrk: v1/address_labels and v2/risk_score
# against a baseline (v1/status: key check, rate limit and envelope, no data) measured in the
# same run, with 2 threads / 4 connections and with 100 connections. Real data: the demo's data
# directory (../shared/data when present, else the repo's fixtures), built once.
#   bench/serve_bench.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
secs=${2:-10}
bin=$build/fundtrace
data=${SERVE_BENCH_DATA:-$build/serve-bench-data}
command -v wrk >/dev/null || { echo "wrk is not installed (make deps)"; exit 2; }
[ -x "$bin" ] || { echo "no $bin: build first (make build)"; exit 2; }

if [ ! -f "$data/labels.sqlite" ]; then
  echo "Building the benchmark data in $data (once) ..."
  "$here/scripts/demo.sh" "$bin" "$data" > "$build/serve-bench-demo.log" 2>&1
fi
# Requests pick their address at random from lists of the real data: 2,000 labelled Ethereum
# addresses of the label store, and the Etherscan phishing accounts (1,262, with their history)
# for risk scores (without ../shared/data: one address of the bundled 3.3M-block extract).
lists=$(mktemp -d)
sqlite3 "$data/labels.sqlite" "SELECT DISTINCT '0x' || lower(substr(hex(address), 3)) FROM tags
  WHERE chain = 0 AND length(address) = 21 ORDER BY 1 LIMIT 2000" > "$lists/labels.txt"
phishing="$here/../shared/data/eth/phishing-accounts/phishing accounts/phishing-address.txt"
if [ -f "$phishing" ]; then
  tr -d '\r"' < "$phishing" | tr 'A-Z' 'a-z' | grep -oE '0x[0-9a-f]{40}' > "$lists/risk.txt"
else
  echo 0x942c4bc02dc8986215adc1ba2d27723fd4a98a8b > "$lists/risk.txt"
fi
cat > "$lists/pick.lua" <<'LUA'
local addrs = {}
for line in io.lines(os.getenv("ADDR_FILE")) do addrs[#addrs + 1] = line end
local prefix = os.getenv("URL_PREFIX")
local suffix = os.getenv("URL_SUFFIX")
function init(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end
function request() return wrk.format("GET", prefix .. addrs[math.random(#addrs)] .. suffix) end
LUA

key=$("$bin" --data "$data" apikey create "bench-$$" --rate 1000000000/s 2>/dev/null)
out=$(mktemp)
"$bin" --data "$data" serve --listen 127.0.0.1:0 --threads "${THREADS:-128}" --keep-alive "${KEEP_ALIVE:-100}" > "$out" &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$bin" --data "$data" apikey revoke "bench-$$" 2>/dev/null || true
  rm -rf "$out" "$lists"
}
trap cleanup EXIT
for _ in $(seq 50); do grep -q 'listening' "$out" && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$out" | head -1 | cut -d: -f2)
base="http://127.0.0.1:$port"
for a in $(head -3 "$lists/risk.txt"); do
  curl -sf "$base/v2/risk_score?coin=ETH&address=$a&api_key=$key" | grep -q '"success":true' ||
    { echo "risk_score failed for $a"; exit 1; }
done
for a in $(head -3 "$lists/labels.txt"); do
  curl -sf "$base/v1/address_labels?coin=ETH&address=$a&api_key=$key" | grep -q '"label_list":\["' ||
    { echo "address_labels found no labels for $a"; exit 1; }
done

# Prints "requests/s p99" of one wrk run; with a list, each request takes a random address of it.
run() {
  local conns=$1 url=$2 list=${3:-}
  local script=()
  if [ -n "$list" ]; then
    script=(-s "$lists/pick.lua")
    export ADDR_FILE=$list URL_PREFIX="/${url%%ADDR*}" URL_SUFFIX="${url##*ADDR}"
  fi
  wrk -t2 -c"$conns" -d"${secs}s" --latency "${script[@]}" "$base/${url/ADDR/}" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    / Non-2xx/ { bad = $NF }
    END { if (bad != "") print "NON-2XX " bad > "/dev/stderr"; print rps, p99 }'
}

echo "fundtrace serve on $(nproc) cores (wrk on the same cores), $secs s per run, wrk -t2, server --threads ${THREADS:-128} --keep-alive ${KEEP_ALIVE:-100}"
echo "data $data; addresses: $(wc -l < "$lists/labels.txt") labelled, $(wc -l < "$lists/risk.txt") for risk"
printf '%-26s %6s %12s %10s %10s\n' endpoint conns "requests/s" p99 "vs status"
for conns in 4 100; do
  read -r base_rps base_p99 < <(run "$conns" "v1/status?api_key=$key")
  printf '%-26s %6s %12s %10s %10s\n' "v1/status (baseline)" "$conns" "$base_rps" "$base_p99" "1.00"
  for ep in "v1/address_labels?coin=ETH&address=ADDR&api_key=$key|$lists/labels.txt" \
            "v2/risk_score?coin=ETH&address=ADDR&api_key=$key|$lists/risk.txt"; do
    read -r rps p99 < <(run "$conns" "${ep%%|*}" "${ep##*|}")
    ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
    printf '%-26s %6s %12s %10s %10s\n' "${ep%%\?*}" "$conns" "$rps" "$p99" "$ratio"
  done
done
