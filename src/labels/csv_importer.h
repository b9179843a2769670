// fundtrace's own CSV format for users' lists (docs/labels.md). A header row names the
// columns, in any order, case-insensitive:
//   address      required
//   chain        eth | btc | trx, or a network code (ETH, BSC, XBT, ...)
//   network      a network code; wins over chain
//   label        the name to show (default: the category)
//   entity       the entity the address belongs to
//   category     a category or abuse type of the taxonomy (synonyms such as hack, ofac, scam
//                are accepted; see the csv section of the taxonomy)
//   abuse        an abuse type (same vocabulary)
//   confidence   a GraphSense confidence id, or 0-100 (rounded down to the nearest GraphSense
//                level); default: --confidence, else unknown
//   tag_type     actor | event | mention
//   first_seen, last_seen   YYYY-MM-DD
//   reference    a URL or document backing the tag
//   context      a JSON object
// Without chain/network the chain is taken from --network or from the address's form (0x...
// eth, T... trx, else btc). Rows with a bad value are listed as skipped; other columns are
// ignored. Dataset: --dataset, else the file's stem.
#pragma once

#include "labels/label_importer.h"

namespace fundtrace {

class CsvLabelImporter : public LabelImporter {
 public:
  std::string_view source() const override { return "csv"; }
  // A .csv file whose header has an `address` column.
  bool Accepts(const std::string& path) const override;
  Status ImportFile(const std::string& path, ImportContext* ctx) override;
};

}  // namespace fundtrace
