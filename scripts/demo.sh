#!/usr/bin/env bash
# The demo behind `make demo`: ingests the real data bundled with the repo (tests/data) and,
# when it is beside the repo, the larger real data of ../shared/data, then shows what it found.
set -euo pipefail
bin=${1:-build/fundtrace}
data=${2:-fundtrace-data}
here=$(cd "$(dirname "$0")/.." && pwd)
shared="$here/../shared/data"
ft() { echo; echo "\$ fundtrace $*"; "$bin" --data "$data" "$@"; }

echo "fundtrace demo: data directory $data (delete it to start over)"
ft ingest btc "$here/tests/data/btc/blk00000_first200.dat"
ft ingest etl "$here/tests/data/eth/etl_transactions_3300k.csv"
if [ -d "$shared" ]; then
  ft ingest btc "$shared/btc/blk00000.dat"
  ft ingest btc --no-merkle-check "$shared/btc/block413567.raw"
  ft ingest etherscan "$shared/eth/phishing-accounts"
  ft ingest etl "$shared/eth/etl-samples/transactions.csv" "$shared/eth/etl-samples/token_transfers.csv" \
     "$shared/eth/etl-samples/traces.csv" "$shared/eth/etl-samples/tokens.csv" \
     "$shared/eth/etl-blocks-3.3M/transactions_03300000_03399999_small.csv.gz"
else
  echo; echo "(../shared/data not found: showing the bundled extracts only)"
fi
if [ -d "$shared" ]; then
  ft labels import auto "$shared/labels"
fi
ft stats
if [ -d "$shared" ]; then
  ft address 0x002f0c8119c16d310342d869ca8bf6ace34d9c39 --top 3
else
  ft address 0x942c4bc02dc8986215adc1ba2d27723fd4a98a8b --top 3
fi
ft address 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S --top 3
ft tx f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16
# Where did block 9's 50 BTC go? (Satoshi paid 10 of them to Hal Finney in block 170.)
ft trace 0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0 --policy fifo --rows 5
if [ -d "$shared" ]; then
  # From the 1,262 phishing accounts of the real Etherscan data to labelled exchanges (one
  # address in the list fails its EIP-55 checksum, hence the lower-casing).
  echo; echo "\$ tr A-Z a-z < phishing-address.txt | fundtrace trace --seeds-file - --rows 5"
  tr 'A-Z' 'a-z' < "$shared/eth/phishing-accounts/phishing accounts/phishing-address.txt" |
    "$bin" --data "$data" trace --seeds-file - --rows 5
fi
echo
echo "Try: $bin --data $data address <ADDR>   ($bin --help for everything)"
