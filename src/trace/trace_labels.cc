#include "trace/trace_labels.h"

#include "labels/screen_index.h"

namespace fundtrace {

TraceLabels::TraceLabels(const ChainStore& store, const TraceOptions& options)
    : store_(store), options_(options) {
  const ScreenIndex* idx = options.labels;
  if (!idx) return;
  stop_term_.assign(idx->term_count(), false);
  for (size_t i = 0; i < idx->term_count(); ++i) {
    std::string name(idx->TermName(static_cast<uint16_t>(i)));
    const bool stop = options.stop_categories.count(name) > 0;
    stop_term_[i] = stop;
    if (i < kMaxRiskTerms && stop) stop_mask_ |= uint64_t{1} << i;
    if (name == "exchange") {
      exchange_term_ = static_cast<uint16_t>(i);
      if (i < kMaxRiskTerms) exchange_mask_ |= uint64_t{1} << i;
    }
  }
}

const AddressLabel& TraceLabels::Of(AddressId id) {
  auto [it, inserted] = cache_.try_emplace(id);
  AddressLabel& l = it->second;
  if (!inserted) return l;
  if (options_.stop_addresses.count(id)) {
    l.stop = true;
    l.category = "stop";
  }
  const ScreenIndex* idx = options_.labels;
  if (!idx || id == kNoAddress) return l;
  const ScreenEntry* e = idx->Find(store_.AddressKey(id));
  if (!e || e->chain != static_cast<uint8_t>(store_.chain())) return l;
  l.labelled = true;
  l.label = std::string(idx->String(e->label));
  l.entity = std::string(idx->String(e->entity));
  l.category = std::string(idx->TermName(e->category));
  const bool category_stops = e->category < stop_term_.size() && stop_term_[e->category];
  if (category_stops || (e->risk_mask & stop_mask_)) {
    l.stop = true;
    // Name the stop category that applies when the winning tag's category is another one
    // (a Tornado Cash pool whose winning tag says "sanctioned" stops as a mixer).
    if (!category_stops) {
      for (size_t i = 0; i < kMaxRiskTerms && i < stop_term_.size(); ++i) {
        if ((e->risk_mask >> i & 1) && stop_term_[i]) {
          l.category = std::string(idx->TermName(static_cast<uint16_t>(i)));
          break;
        }
      }
    }
  }
  l.exchange = e->category == exchange_term_ || (e->risk_mask & exchange_mask_);
  return l;
}

}  // namespace fundtrace
