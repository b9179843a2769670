// What the server reads, kept current while it runs: each chain's store (opened read-only, so
// `fundtrace ingest` may write beside it; reopened when its MANIFEST changes), the screening
// index of the labels (reopened when labels.idx changes) and a risk scorer over both. Requests
// take a ChainView, an immutable snapshot that stays valid for as long as they hold it.
//
// Thread-safety: all methods may be called concurrently. Checks for changes on disk happen at
// most once per `recheck` interval (and at once after Invalidate()).
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "chain/chain.h"
#include "labels/label_store.h"
#include "labels/screen_index.h"
#include "risk/risk_score.h"
#include "server/deadline_store.h"
#include "store/embedded_store.h"
#include "util/file_util.h"

namespace fundtrace {

struct ChainView {
  Chain chain = Chain::kEthereum;
  std::shared_ptr<const EmbeddedChainStore> store;  // null: no data of this chain
  // `store` as requests read it: reads give up when the calling thread's request deadline has
  // passed (deadline_store.h). Null when store is.
  std::unique_ptr<const DeadlineChainStore> bounded;
  std::shared_ptr<const ScreenIndex> labels;  // null: no labels imported
  std::unique_ptr<RiskScorer> scorer;         // over `bounded` and labels (either may be null)
  RiskOptions risk_options;
};

class DataContext {
 public:
  explicit DataContext(std::string data_dir,
                       std::chrono::milliseconds recheck = std::chrono::milliseconds(1000));
  DataContext(const DataContext&) = delete;
  DataContext& operator=(const DataContext&) = delete;

  // The current snapshot of `chain`. Errors: IOError/Corruption of a damaged store or index
  // (a missing one is not an error: its pointer is null).
  Result<std::shared_ptr<const ChainView>> View(Chain chain);
  // The current screening index (null when no labels were imported).
  Result<std::shared_ptr<const ScreenIndex>> Labels();
  // Makes the next View/Labels call look at the disk (after the server changed labels).
  void Invalidate();

  // This thread's own connection to the label store (LabelStore is not thread-safe), opened on
  // first use. NotFound when the data directory has no labels yet.
  Result<LabelStore*> ThreadLabelStore();
  // A label store that may be written (created when absent); one per thread as well.
  Result<LabelStore*> ThreadWritableLabelStore();

  const std::string& data_dir() const { return data_dir_; }

 private:
  // The label files a view was made from.
  struct LabelsVersion {
    FileVersion idx, sqlite;
    bool operator==(const LabelsVersion&) const = default;
  };
  struct ChainSlot {
    std::shared_ptr<const ChainView> view;  // null: never looked
    FileVersion manifest;
    LabelsVersion labels;
  };
  Status RefreshLabelsLocked(std::chrono::steady_clock::time_point now);
  std::string data_dir_;
  std::chrono::milliseconds recheck_;
  std::mutex mu_;
  std::shared_ptr<const ScreenIndex> labels_;
  bool labels_looked_ = false;
  LabelsVersion labels_version_;
  std::chrono::steady_clock::time_point labels_checked_{};
  std::array<ChainSlot, kNumChains> chains_;
  std::array<std::chrono::steady_clock::time_point, kNumChains> chain_checked_{};
};

}  // namespace fundtrace
