#include "chain/address.h"
#include "labels/entity_name.h"
#include "labels/label_importer.h"

namespace fundtrace {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

ImportContext::ImportContext(const Taxonomy& taxonomy, const LabelImportOptions& options,
                             TagSink* sink)
    : taxonomy_(taxonomy), options_(options), sink_(sink) {}

void ImportContext::SetDataset(std::string_view source, std::string_view dataset) {
  source_ = std::string(source);
  dataset_ = std::string(dataset);
}

void ImportContext::Issue(const std::string& kind, const std::string& origin,
                          std::string_view address, const std::string& reason) {
  report_->issues.push_back({kind, source_, dataset_, origin, std::string(address), reason});
}

bool ImportContext::ResolveAddress(std::string_view network, std::string_view text,
                                   const std::string& origin, Chain* chain, std::string* key) {
  std::string_view trimmed = Trim(text);
  if (trimmed.size() != text.size()) ++report_->trimmed_addresses;
  auto c = taxonomy_.ChainFor(network, trimmed);
  if (!c) {
    ++counts().unsupported;
    ++report_->unsupported[{source_, std::string(network)}];
    Issue("chain not supported", origin, trimmed,
          "chain not supported: " +
              (network.empty() ? std::string("(no network)") : std::string(network)));
    return false;
  }
  if (trimmed.empty()) {
    ++counts().invalid;
    Issue("invalid address", origin, trimmed, "empty address");
    return false;
  }
  auto k = ParseAddress(*c, trimmed);
  if (!k.ok() && *c == Chain::kBitcoin && taxonomy_.IsToken(network)) {
    // A token address that is neither EVM, TRON nor Bitcoin: the token on another chain
    // (Solana, Algorand, Tezos, ...), not a broken Bitcoin address.
    ++counts().unsupported;
    ++report_->unsupported[{source_, std::string(network)}];
    Issue(
        "chain not supported", origin, trimmed,
        "chain not supported: " + std::string(network) + " on a chain other than eth, trx or btc");
    return false;
  }
  if (!k.ok()) {
    ++counts().invalid;
    std::string hint;
    for (Chain other : {Chain::kEthereum, Chain::kBitcoin, Chain::kTron}) {
      if (other != *c && ParseAddress(other, trimmed).ok()) {
        hint = "; it is a valid " + std::string(ChainName(other)) +
               " address, listed under the wrong asset?";
        break;
      }
    }
    Issue("invalid address", origin, trimmed,
          k.status().message() + " (network " + std::string(network) + ")" + hint);
    return false;
  }
  *chain = *c;
  *key = std::move(k).value();
  return true;
}

bool ImportContext::MapLabel(std::string_view raw_label, Tag* tag) {
  std::string norm = NormalizeLabel(raw_label);
  if (norm.empty()) return false;
  if (!tag->source_label.empty()) tag->source_label += ",";
  tag->source_label += norm;
  const LabelMapping* m = taxonomy_.Map(source_, norm);
  if (!m) {
    ++report_->unmapped[{source_, norm}];
    return false;
  }
  ApplyMapping(taxonomy_, *m, &tag->category, &tag->abuse);
  return true;
}

Status ImportContext::Emit(Tag tag) {
  tag.source = source_;
  if (tag.dataset.empty()) tag.dataset = dataset_;
  if (!options_.confidence_id.empty()) {
    tag.confidence_id = options_.confidence_id;
  } else if (tag.confidence_id.empty()) {
    const SourceInfo* info = taxonomy_.Source(source_);
    if (info) {
      auto d = info->dataset_confidence.find(tag.dataset);
      tag.confidence_id = d != info->dataset_confidence.end() ? d->second : info->confidence_id;
    } else {
      tag.confidence_id = "unknown";
    }
  }
  tag.confidence = taxonomy_.ConfidenceLevel(tag.confidence_id).value_or(5);
  if (tag.category.empty()) tag.category = "unknown";
  tag.severity = taxonomy_.Severity(tag.category, tag.abuse);
  if (tag.last_seen == 0) tag.last_seen = options_.as_of;
  if (tag.reference.empty()) {
    if (const SourceInfo* info = taxonomy_.Source(source_)) tag.reference = info->reference;
  }
  AssignDerivedEntity(&tag);
  FT_ASSIGN_OR_RETURN(AddResult r, sink_->AddTag(tag));
  DatasetCounts& c = counts();
  switch (r) {
    case AddResult::kNew:
      ++c.tags_new;
      break;
    case AddResult::kUpdated:
      ++c.tags_updated;
      break;
    case AddResult::kUnchanged:
      ++c.tags_unchanged;
      break;
    case AddResult::kRepeated:
      ++c.repeated;
      break;
  }
  return Status::OK();
}

Status ImportContext::EmitEntity(const EntityRecord& entity) {
  ++report_->entity_records;
  FT_ASSIGN_OR_RETURN(AddResult r, sink_->AddEntity(entity));
  switch (r) {
    case AddResult::kNew:
      ++report_->entities_new;
      break;
    case AddResult::kUpdated:
      ++report_->entities_updated;
      break;
    case AddResult::kUnchanged:
    case AddResult::kRepeated:
      ++report_->entities_unchanged;
      break;
  }
  return Status::OK();
}

void ImportContext::Skip(const std::string& origin, std::string_view address,
                         const std::string& reason) {
  ++counts().skipped;
  Issue("skipped", origin, address, reason);
}

}  // namespace fundtrace
