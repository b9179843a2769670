#!/usr/bin/env bash
# Installs the Debian packages fundtrace needs to build, test and run. Idempotent: installs only
# what is missing, never prompts, uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  nettle-dev libssl-dev zlib1g-dev libsqlite3-dev sqlite3
  libfmt-dev nlohmann-json3-dev libcli11-dev libboost-dev libyaml-cpp-dev
  python3
  graphviz  # `trace --svg` renders the flow graph with dot
  python3-networkx  # the Python baseline of bench/trace_baseline.sh
  libcpp-httplib-dev  # `fundtrace serve` (HTTP server)
  wrk  # bench/serve_bench.sh
  chromium nodejs  # the web UI: npm ci of web/ by the build, its browser test in headless Chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm ships inside NodeSource's nodejs; with Debian's nodejs it is a package of its own.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
