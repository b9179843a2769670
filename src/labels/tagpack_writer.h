// Writes tags as a GraphSense TagPack (YAML) that graphsense-tagpack-tool's schema accepts:
// header title/creator/description/lastmod, and per tag the mandatory label, source, currency,
// network and confidence (a confidence.csv id), with category/abuse as GraphSense concepts
// (taxonomy `graphsense:`), actor for entities of the GraphSense actor pack, lastmod, tag_type
// and context (JSON text, with our own category, abuse, source and dataset under "fundtrace").
// Every string is double-quoted so that labels like "2021" stay text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "labels/label_store.h"
#include "labels/taxonomy.h"
#include "util/status.h"

namespace fundtrace {

struct TagPackOptions {
  std::string source;  // only tags of this source ("" = all)
  std::string title = "fundtrace labels";
  std::string creator = "fundtrace";
  int64_t lastmod = 0;  // header date (unix seconds); 0 = none
};

// Appends the TagPack to *out; *tags gets the number of tags written.
Status WriteTagPack(const LabelStore& store, const Taxonomy& taxonomy,
                    const TagPackOptions& options, std::string* out, uint64_t* tags);

// The GraphSense currency and network of a tag (e.g. USDT on TRON: "USDT", "TRX").
void TagPackCurrency(const Tag& tag, std::string* currency, std::string* network);

}  // namespace fundtrace
