// Explorer label dumps. Two layouts:
//  - brianleect/etherscan-labels: <site>/accounts/<label>.csv (",Address,Name Tag,Balance,Txn
//    Count") and .json ({address: name}), <site>/tokens/<label>.csv (",#,Contract Address,Token
//    Name,...") and .json, <site>/combined/combined{All,Account,Token}Labels.json ({address:
//    {name, labels[]}}). The site folder (etherscan, bscscan, ... in the taxonomy) gives the
//    network and the dataset; the label slug (file name or `labels` entry) gives the category.
//  - Raphtory/Data etherscan_tags.csv (2019): address,name,family,type,... with `family` as
//    the label slug; dataset etherscan-2019, network ETH.
// The same (address, label) in a csv, its json and the combined files is one tag.
#pragma once

#include "labels/label_importer.h"

namespace fundtrace {

class EtherscanImporter : public LabelImporter {
 public:
  std::string_view source() const override { return "etherscan"; }
  bool Accepts(const std::string& path) const override;
  Status ImportFile(const std::string& path, ImportContext* ctx) override;
};

}  // namespace fundtrace
