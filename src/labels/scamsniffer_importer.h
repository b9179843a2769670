// ScamSniffer scam database (scamsniffer/scam-database, GPL-3.0: read from ../shared/data, never
// copied into the repo): address.json (an array of phishing addresses) and combined.json
// ({domain: [addresses]}). Every address.json entry is a phishing tag. A combined.json pair
// becomes a phishing tag labelled with the domain only when the address is also in address.json
// beside it: the sites also name the token contracts they drain (USDT, DAI, USDC), and those
// are listed as skipped rather than tagged as phishing.
#pragma once

#include "labels/label_importer.h"

namespace fundtrace {

class ScamSnifferImporter : public LabelImporter {
 public:
  std::string_view source() const override { return "scamsniffer"; }
  // address.json or combined.json in a folder whose path mentions scamsniffer or scam-database.
  bool Accepts(const std::string& path) const override;
  Status ImportFile(const std::string& path, ImportContext* ctx) override;
};

}  // namespace fundtrace
