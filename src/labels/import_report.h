// What an import did, counted per source and dataset, with every record it could not store
// listed (never dropped silently). Plain data; merged file by file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fundtrace {

struct DatasetCounts {
  uint64_t records = 0;         // address records read (one per tag the source states)
  uint64_t tags_new = 0;        // stored, not in the store before
  uint64_t tags_updated = 0;    // in the store, some field changed (e.g. a new taxonomy)
  uint64_t tags_unchanged = 0;  // already in the store exactly so (importing twice)
  uint64_t repeated = 0;        // the same tag again within this import (json + csv copies, dups)
  uint64_t invalid = 0;         // address not valid for its chain (listed in issues)
  uint64_t unsupported = 0;     // chain not supported (listed in issues)
  uint64_t skipped = 0;         // other records not stored (listed in issues)
  uint64_t tags_deleted = 0;    // removed (LabelStore::DeleteTag; imports never delete)
  void Add(const DatasetCounts& o);
  uint64_t stored() const { return tags_new + tags_updated + tags_unchanged + repeated; }
};

struct ImportIssue {
  std::string kind;  // "invalid address", "chain not supported", "skipped"
  std::string source;
  std::string dataset;
  std::string origin;   // "path:line"
  std::string address;  // as the source wrote it
  std::string reason;
};

struct ImportReport {
  using Key = std::pair<std::string, std::string>;  // (source, dataset)
  std::map<Key, DatasetCounts> datasets;
  std::map<Key, uint64_t> unmapped;     // (source, normalised label) -> tags
  std::map<Key, uint64_t> unsupported;  // (source, network code) -> records
  std::vector<ImportIssue> issues;
  std::vector<std::string> files;                                  // files read
  std::vector<std::pair<std::string, std::string>> files_skipped;  // path, why
  std::vector<std::pair<std::string, std::string>> files_failed;   // path, error (--skip-bad)
  uint64_t entities_new = 0, entities_updated = 0, entities_unchanged = 0, entities_merged = 0;
  uint64_t entity_records = 0;
  uint64_t trimmed_addresses = 0;  // addresses written with surrounding whitespace
  std::vector<std::string> notes;  // oddities of the input that were handled
  bool changed = false;            // whether the store changed (set at commit)
  double seconds = 0;

  void Merge(const ImportReport& other);
  DatasetCounts Total() const;
};

}  // namespace fundtrace
