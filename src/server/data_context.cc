#include "server/data_context.h"

#include <map>

namespace fundtrace {

DataContext::DataContext(std::string data_dir, std::chrono::milliseconds recheck)
    : data_dir_(std::move(data_dir)), recheck_(recheck) {}

void DataContext::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  labels_checked_ = {};
  chain_checked_ = {};
}

Status DataContext::RefreshLabelsLocked(std::chrono::steady_clock::time_point now) {
  if (labels_looked_ && now - labels_checked_ < recheck_) return Status::OK();
  labels_checked_ = now;
  const std::string sqlite = data_dir_ + "/labels.sqlite", idx = data_dir_ + "/labels.idx";
  LabelsVersion v{VersionOf(idx), VersionOf(sqlite)};
  if (labels_looked_ && v == labels_version_) return Status::OK();
  labels_looked_ = true;
  if (!v.sqlite.exists()) {
    labels_.reset();
    labels_version_ = v;
    return Status::OK();
  }
  // Let the label store rebuild a stale or missing index first, then map our own copy.
  {
    auto ls = LabelStore::Open(data_dir_);
    if (!ls.ok()) return ls.status();
    auto built = (*ls)->Index();
    if (!built.ok()) return built.status();
  }
  auto opened = ScreenIndex::Open(idx);
  if (!opened.ok()) return opened.status();
  labels_ = std::shared_ptr<const ScreenIndex>(std::move(opened).value());
  labels_version_ = {VersionOf(idx), VersionOf(sqlite)};
  return Status::OK();
}

Result<std::shared_ptr<const ScreenIndex>> DataContext::Labels() {
  std::lock_guard<std::mutex> lock(mu_);
  FT_RETURN_IF_ERROR(RefreshLabelsLocked(std::chrono::steady_clock::now()));
  return labels_;
}

Result<std::shared_ptr<const ChainView>> DataContext::View(Chain chain) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  const size_t c = static_cast<size_t>(chain);
  ChainSlot& slot = chains_[c];
  if (slot.view && now - chain_checked_[c] < recheck_ && now - labels_checked_ < recheck_) {
    return slot.view;
  }
  FT_RETURN_IF_ERROR(RefreshLabelsLocked(now));
  chain_checked_[c] = now;
  const std::string manifest = data_dir_ + "/" + std::string(ChainName(chain)) + "/MANIFEST";
  const FileVersion m = VersionOf(manifest);
  const LabelsVersion li = labels_version_;
  if (slot.view && m == slot.manifest && li == slot.labels) return slot.view;

  auto view = std::make_shared<ChainView>();
  view->chain = chain;
  if (slot.view && m == slot.manifest) {
    view->store = slot.view->store;
  } else if (m.exists()) {
    auto st = EmbeddedChainStore::OpenReadOnly(data_dir_, chain);
    if (st.ok()) {
      view->store = std::shared_ptr<const EmbeddedChainStore>(std::move(st).value());
    } else if (!st.status().IsNotFound()) {
      return st.status();
    }
  }
  if (view->store) view->bounded = std::make_unique<const DeadlineChainStore>(*view->store);
  view->labels = labels_;
  const RiskWeights& w = RiskWeights::Default();
  view->scorer = std::make_unique<RiskScorer>(view->bounded.get(), view->labels.get(), w);
  view->risk_options = RiskOptions::From(w);
  slot.view = view;
  slot.manifest = m;
  slot.labels = li;
  return slot.view;
}

namespace {

// Per thread: data directory -> its label store connection.
Result<LabelStore*> ThreadStore(const std::string& dir, bool create) {
  thread_local std::map<std::string, std::unique_ptr<LabelStore>> stores;
  auto& slot = stores[dir + (create ? "\x01w" : "")];
  if (!slot) {
    LabelStoreOptions o;
    o.create = create;
    auto s = LabelStore::Open(dir, o);
    if (!s.ok()) return s.status();
    slot = std::move(s).value();
  }
  return slot.get();
}

}  // namespace

Result<LabelStore*> DataContext::ThreadLabelStore() { return ThreadStore(data_dir_, false); }
Result<LabelStore*> DataContext::ThreadWritableLabelStore() { return ThreadStore(data_dir_, true); }

}  // namespace fundtrace
