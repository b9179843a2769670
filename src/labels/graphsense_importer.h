// GraphSense TagPacks (graphsense/graphsense-tagpacks, schema: graphsense-tagpack-tool
// tagpack_schema.yaml): a YAML header whose tag fields (label, source, currency, network,
// confidence, category, abuse, actor, lastmod, context, ...) every tag inherits unless it sets
// its own, and a `tags` list. Tags without an address (tx_hash tags) are listed as skipped.
// `category` and `abuse` map through the taxonomy's graphsense section (plus its pack
// overrides); `actor` names the entity; `lastmod` dates the tag; the network is `network`, or
// `currency` when the pack gives none (as tagpack-tool does).
#pragma once

#include "labels/label_importer.h"

namespace fundtrace {

class GraphSenseImporter : public LabelImporter {
 public:
  std::string_view source() const override { return "graphsense"; }
  // *.yaml / *.yml files with a top-level `tags:` key, except actor packs.
  bool Accepts(const std::string& path) const override;
  Status ImportFile(const std::string& path, ImportContext* ctx) override;
};

// GraphSense ActorPacks (actors/*.actorpack.yaml): `actors:` with id, label, categories, uri,
// jurisdictions, aliases, context. Each actor becomes an entity; tags whose `actor` is its id
// (or whose derived entity name is one of its aliases) are grouped under it.
class GraphSenseActorImporter : public LabelImporter {
 public:
  std::string_view source() const override { return "graphsense-actors"; }
  bool Accepts(const std::string& path) const override;
  Status ImportFile(const std::string& path, ImportContext* ctx) override;
};

}  // namespace fundtrace
