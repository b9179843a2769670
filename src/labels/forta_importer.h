// Forta Network labelled datasets (forta-network/labelled-datasets), recognised by header:
//  - etherscan_malicious_labels.csv: banned_address, wallet_tag, data_source
//    (etherscan-phish-hack-list / -exploit-list / -heist-list);
//  - malicious_smart_contracts.csv: a malicious contract and its creator, both tagged, with the
//    creator's Etherscan label (phish-hack / exploit / heist; none for exploit contracts from
//    DeFiHackLabs and the like);
//  - phishing_scams.csv: address, etherscan_tag, etherscan_labels, is_contract.
// All are Ethereum addresses; the dataset is the file's stem.
#pragma once

#include "labels/label_importer.h"

namespace fundtrace {

class FortaImporter : public LabelImporter {
 public:
  std::string_view source() const override { return "forta"; }
  bool Accepts(const std::string& path) const override;
  Status ImportFile(const std::string& path, ImportContext* ctx) override;
};

}  // namespace fundtrace
