// Etherscan account-history exports ("normal transactions", one CSV per account, columns
// TxHash, BlockHeight, TimeStamp, From, To, Value, ContractAddress, Input, isError; Value in
// decimal ETH). The same tx appears in the file of each of its accounts and is stored once.
// A failed tx (isError=1) is stored with amount 0: it moved no value. A contract creation
// (empty/NULL To) pays the created ContractAddress. The export has no gas columns, so no fee
// transfers, and no tx index, so txs of one block are ordered by hash (types.h).
#pragma once

#include <string>
#include <vector>

#include "ingest/ingest_common.h"

namespace fundtrace {

Status IngestEtherscanCsv(const std::vector<std::string>& paths, IngestBatch* batch,
                          const IngestOptions& options, IngestReport* report);

}  // namespace fundtrace
