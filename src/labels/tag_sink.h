// Where importers put what they read: the label store's import transaction, or a vector in
// tests. Importers never touch storage themselves.
#pragma once

#include <string>
#include <vector>

#include "labels/tag.h"
#include "util/status.h"

namespace fundtrace {

// An entity from a source that describes actors (GraphSense actor pack).
struct EntityRecord {
  std::string key;         // NormalizeEntityKey of the actor id, e.g. "binance"
  std::string actor;       // the source's actor id as written ("internet_archive")
  std::string name;        // "Binance"
  std::string category;    // our category of its first mappable category
  std::string categories;  // the source's categories, comma-separated
  std::string uri;
  std::string jurisdictions;         // comma-separated country codes
  std::vector<std::string> aliases;  // other names/ids that mean this entity
  std::string context;               // JSON object text
  std::string source;                // "graphsense-actors"
  std::string origin;                // "path:line"
};

enum class AddResult { kNew, kUpdated, kUnchanged, kRepeated };

class TagSink {
 public:
  virtual ~TagSink() = default;
  // Stores one tag (REQUIRES: address key, label, category, source set). kRepeated: the same
  // tag was already added in this import; kUnchanged: it was stored by an earlier import.
  // A tag's identity is (chain, address, source, dataset, network, label, source label); the
  // other fields of a stored tag are replaced, except first/last seen, which only widen.
  virtual Result<AddResult> AddTag(const Tag& tag) = 0;
  virtual Result<AddResult> AddEntity(const EntityRecord& entity) = 0;
  // Everything added since the last BeginFile is kept (EndFile(true)) or dropped (false).
  virtual Status BeginFile() { return Status::OK(); }
  virtual Status EndFile(bool keep) {
    (void)keep;
    return Status::OK();
  }
};

}  // namespace fundtrace
