// The registry of importers by source name.
#include "labels/csv_importer.h"
#include "labels/etherscan_importer.h"
#include "labels/forta_importer.h"
#include "labels/graphsense_importer.h"
#include "labels/label_importer.h"
#include "labels/ofac_importer.h"
#include "labels/scamsniffer_importer.h"
#include "labels/tutela_importer.h"

namespace fundtrace {

std::unique_ptr<LabelImporter> MakeLabelImporter(std::string_view source) {
  if (source == "ofac") return std::make_unique<OfacImporter>();
  if (source == "graphsense") return std::make_unique<GraphSenseImporter>();
  if (source == "graphsense-actors") return std::make_unique<GraphSenseActorImporter>();
  if (source == "etherscan") return std::make_unique<EtherscanImporter>();
  if (source == "forta") return std::make_unique<FortaImporter>();
  if (source == "scamsniffer") return std::make_unique<ScamSnifferImporter>();
  if (source == "tutela") return std::make_unique<TutelaImporter>();
  if (source == "csv") return std::make_unique<CsvLabelImporter>();
  return nullptr;
}

const std::vector<std::string>& LabelSourceNames() {
  static const std::vector<std::string> kNames = {"ofac",      "graphsense", "graphsense-actors",
                                                  "etherscan", "forta",      "scamsniffer",
                                                  "tutela",    "csv"};
  return kNames;
}

}  // namespace fundtrace
