// Tutela known addresses (pareto-xyz/tutela-app; no licence stated: read from ../shared/data,
// never copied), recognised by header:
//   known_addresses.csv  address,name,account_type,entity,legitimacy,tags
//   kaggle.csv           Address,Name,Account Type,Contract Type,Entity,Label,Tags,,,,,
//                        (tags continue in the unnamed columns)
//   etherscan.csv        address,name,account_type,entity,labels,tags
//   etherclust.csv       address,name,account_type,type
//   tornado.csv          address,name,account_type,type,legitimacy,tags
//   tcash/tornadocontracts.csv  headerless: address,asset,denomination,id
// `entity`/`type` and the tags map through the shared explorer vocabulary. Ethereum only; the
// dataset is the file's stem.
#pragma once

#include "labels/label_importer.h"

namespace fundtrace {

class TutelaImporter : public LabelImporter {
 public:
  std::string_view source() const override { return "tutela"; }
  bool Accepts(const std::string& path) const override;
  Status ImportFile(const std::string& path, ImportContext* ctx) override;
};

}  // namespace fundtrace
