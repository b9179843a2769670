// The importer interface, one implementation per source (ofac_importer.cc, ...), and the
// ImportContext they share: it resolves addresses per network, maps source labels through the
// taxonomy, fills defaults, counts, and lists every record it cannot store.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chain/chain.h"
#include "labels/import_report.h"
#include "labels/tag.h"
#include "labels/tag_sink.h"
#include "labels/taxonomy.h"
#include "util/status.h"

namespace fundtrace {

struct LabelImportOptions {
  // Importer name (LabelSourceNames()) or "auto" to pick one per file.
  std::string source = "auto";
  // Skip malformed files (each listed with its error) instead of failing the whole import.
  bool skip_bad = false;
  // Date (unix seconds) for tags whose source states none; 0 leaves them undated.
  int64_t as_of = 0;
  // Network code for files that do not say it (etherscan dumps outside a site folder; csv rows
  // without a chain column). "" = the source's own rule.
  std::string network;
  // Dataset name for csv files (default: the file's stem).
  std::string dataset;
  // GraphSense confidence id for every tag of this import, replacing the source's default.
  std::string confidence_id;
  // The mapping to use; nullptr = Taxonomy::Default().
  const Taxonomy* taxonomy = nullptr;
};

class ImportContext {
 public:
  ImportContext(const Taxonomy& taxonomy, const LabelImportOptions& options, TagSink* sink);

  const Taxonomy& taxonomy() const { return taxonomy_; }
  const LabelImportOptions& options() const { return options_; }

  // Where counts and issues go (the runner swaps in one report per file).
  void set_report(ImportReport* report) { report_ = report; }
  ImportReport* report() { return report_; }
  // Source and dataset of the records that follow.
  void SetDataset(std::string_view source, std::string_view dataset);
  const std::string& source() const { return source_; }
  const std::string& dataset() const { return dataset_; }

  // Counts one address record read from the source.
  void CountRecord() { ++counts().records; }

  // Resolves address text for a currency/network code. On success sets *chain and *key. On
  // failure counts the record as "chain not supported" (network unknown to the taxonomy) or
  // "invalid address" (the codec's message), lists it with `origin`, and returns false.
  // Surrounding whitespace is trimmed (and counted).
  bool ResolveAddress(std::string_view network, std::string_view text, const std::string& origin,
                      Chain* chain, std::string* key);

  // Maps one of the source's labels for `tag` (normalised; empty labels are ignored): applies
  // the mapping to tag->category/abuse and appends it to tag->source_label. An unmapped label
  // is counted in the report. Returns whether it mapped.
  bool MapLabel(std::string_view raw_label, Tag* tag);

  // Completes and stores a tag: source and dataset, confidence (option, dataset or source
  // default when tag->confidence_id is empty), category "unknown" when unset, severity,
  // last_seen from --as-of when the source gave none, a derived entity. Counts the outcome.
  Status Emit(Tag tag);
  Status EmitEntity(const EntityRecord& entity);

  // Lists a record that is not stored and counts it as skipped.
  void Skip(const std::string& origin, std::string_view address, const std::string& reason);

 private:
  DatasetCounts& counts() { return report_->datasets[{source_, dataset_}]; }
  void Issue(const std::string& kind, const std::string& origin, std::string_view address,
             const std::string& reason);

  const Taxonomy& taxonomy_;
  const LabelImportOptions& options_;
  TagSink* sink_;
  ImportReport* report_ = nullptr;
  std::string source_, dataset_;
};

class LabelImporter {
 public:
  virtual ~LabelImporter() = default;
  // The source name used on the command line and stored on its tags.
  virtual std::string_view source() const = 0;
  // Whether `path` is a file this importer reads (by its name, folder and first bytes). Other
  // files met in a directory (README.md, LICENSE) are listed as skipped.
  virtual bool Accepts(const std::string& path) const = 0;
  // Reads one file into ctx. A malformed file fails with InvalidArgument "path:line: ..." (what
  // it already emitted is dropped by the caller); bad records inside a well-formed file are
  // counted and listed through ctx and do not fail the call.
  virtual Status ImportFile(const std::string& path, ImportContext* ctx) = 0;
};

// The importer of a source name; nullptr for an unknown name.
std::unique_ptr<LabelImporter> MakeLabelImporter(std::string_view source);
// "ofac", "graphsense", "graphsense-actors", "etherscan", "forta", "scamsniffer", "tutela", "csv".
const std::vector<std::string>& LabelSourceNames();

}  // namespace fundtrace
