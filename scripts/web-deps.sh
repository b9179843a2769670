#!/usr/bin/env bash
# Installs the web UI's npm packages (web/package-lock.json) into a build directory, without
# prompts: `npm ci` reproduces exactly the locked versions. Called by the build (src/CMakeLists.txt)
# to vendor Cytoscape.js into the binary; the end-to-end test uses the playwright-core it installs.
#   scripts/web-deps.sh WEB_DIR OUT_DIR
set -euo pipefail
web=$1
out=$2
mkdir -p "$out"
cp "$web/package.json" "$web/package-lock.json" "$out/"
cd "$out"
CI=true npm ci --no-audit --no-fund --loglevel=error </dev/null
touch "$out/npm-ci.stamp"
