// OFAC SDN digital-currency addresses as published per asset by
// 0xB10C/ofac-sanctioned-digital-currency-addresses: sanctioned_addresses_<ASSET>.txt (one
// address per line) and .json (an array of strings). The asset code is the tag's network; XBT
// is Bitcoin, ETH/USDT/USDC/ARB/BSC/ETC are EVM addresses, TRX and Tron USDT are TRON; assets
// without a supported chain (XMR, LTC, ...) are counted and listed as "chain not supported".
#pragma once

#include "labels/label_importer.h"

namespace fundtrace {

class OfacImporter : public LabelImporter {
 public:
  std::string_view source() const override { return "ofac"; }
  bool Accepts(const std::string& path) const override;
  Status ImportFile(const std::string& path, ImportContext* ctx) override;
};

}  // namespace fundtrace
