// Bitcoin raw blocks (blk*.dat with network magic, XOR-obfuscated files of Bitcoin Core 28+,
// or single serialised blocks) into the store. Each tx becomes utxo_in rows (one per spent
// output, with its address and value looked up from the output it spends), utxo_out rows (one
// per output) and a fee row (inputs minus outputs, when every input is resolved). An input
// whose spent output is in neither the store nor the files being read is stored as unresolved:
// no address, no amount, its outpoint kept; nothing is invented.
//
// Heights come from the chain of prev-hash links, or from the coinbase's height push (BIP 34)
// from height 227,931 on: a block whose parent is not known yet waits
// until the parent is read; one whose parent never appears is reported, not stored. A second
// block at a height already taken (a stale fork block) is reported and skipped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ingest/btc_block_reader.h"
#include "ingest/ingest_common.h"

namespace fundtrace {

Status IngestBtcBlocks(const std::vector<std::string>& paths, EmbeddedChainStore* store,
                       IngestBatch* batch, const BtcReaderOptions& reader_options,
                       const IngestOptions& options, IngestReport* report);

}  // namespace fundtrace
