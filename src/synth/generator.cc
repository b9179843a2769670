#include "synth/generator.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <queue>

#include "synth/background.h"
#include "synth/ground_truth.h"
#include "synth/hack_planner.h"
#include "synth/names.h"
#include "synth/text_sink.h"
#include "synth/world.h"

namespace fundtrace::synth {
namespace {

namespace fs = std::filesystem;

// Block shape: 100..220 txs, 12 s apart (1% of slots missed), base fee a random walk around
// 20 gwei within [3, 80] gwei.
constexpr uint64_t kMinBlockTxs = 100, kMaxBlockTxs = 220;
constexpr uint64_t kSlotSeconds = 12;
constexpr uint64_t kBaseFeeCenter = 20 * kGwei, kBaseFeeMin = 3 * kGwei, kBaseFeeMax = 80 * kGwei;
// Transfers per tx on average (measured; only used to size hacks and their time scale).
constexpr uint64_t kTransfersPerBlockEstimate = 160 * 24 / 10;
// A hack's follow-ups reach about this many ticks after its start.
constexpr uint64_t kHackSpanTicks = 3000;

constexpr const char* kBridgeHeader =
    "transaction_hash,block_number,direction,local_chain_id,remote_chain_id,deposit_id,asset,"
    "amount,local_address,remote_address,remote_transaction_hash\n";
constexpr const char* kLabelHeader =
    "address,chain,label,entity,category,abuse,source,confidence\n";
constexpr uint64_t kLocalChainId = 1;

std::string Dec(Uint128 v) {
  char buf[40];
  return std::string(buf, static_cast<size_t>(FormatUint(v, buf)));
}

class Generator {
 public:
  Generator(const SynthOptions& o, const SynthProgress& progress)
      : o_(o),
        progress_(progress),
        namer_(o.seed),
        world_(o.seed, std::clamp<uint64_t>(o.transfers / 50, 1000, 2000000)),
        background_(&world_, o.seed),
        clock_(o.seed, /*stream=*/0x636c6f636b) {}

  Status Run(SynthReport* report);

 private:
  struct Event {
    uint64_t due = 0;  // block
    uint64_t seq = 0;  // order among events due in the same block
    int hack = -1;     // >= 0: tx `tx` of hack `hack`; else `bg`
    uint32_t tx = 0;
    BackgroundEvent bg;
  };
  struct EventAfter {
    bool operator()(const Event& a, const Event& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };

  Status Prepare();
  // Directory of part p of the export: etl/, or etl/part-NNN/ when there are several.
  std::string PartDir(int p) const;
  void OpenBlock();
  void CloseBlock();
  uint64_t Remaining() const { return o_.transfers - writer_->counts().total() - reserved_; }
  // Whether `transfers` more can be written and still end at exactly o_.transfers: the rest
  // must be 0 or at least 2 (the smallest tx makes two transfers).
  bool Fits(uint64_t transfers) const {
    const uint64_t r = Remaining();
    return transfers == r || transfers + 2 <= r;
  }
  TxPosition Write(const TxSpec& tx, uint64_t* bridge_deposit_id = nullptr);
  void WriteUnit(const TxUnit& unit);
  void ScheduleLater();
  void StartHack(int index);
  void WriteHackTx(const Event& e);
  void ReportProgress();
  Status Finish(SynthReport* report);

  const SynthOptions& o_;
  SynthProgress progress_;
  Namer namer_;
  World world_;
  Background background_;
  Rng clock_;
  std::unique_ptr<EtlWriter> writer_;
  std::unique_ptr<TextSink> bridge_file_;
  std::priority_queue<Event, std::vector<Event>, EventAfter> queue_;
  uint64_t seq_ = 0;
  uint64_t reserved_ = 0;  // transfers of hack txs planned but not written
  TxUnit unit_;
  Later later_;
  uint64_t block_ = 0;
  uint64_t time_ = 0;
  uint64_t base_fee_ = kBaseFeeCenter;
  uint64_t block_target_ = 0;
  int hacks_ = 0;
  std::vector<uint64_t> hack_starts_;  // transfers written before hack i starts
  uint64_t hack_max_txs_ = 0;
  uint64_t blocks_per_tick_ = 1;
  std::vector<HackPlan> plans_;
  int hacks_skipped_ = 0;
  std::vector<uint64_t> lock_ids_;  // next bridge deposit id per remote chain
  uint64_t bridge_events_ = 0;
  uint64_t progress_step_ = 0;
  int part_ = 0;
  Status error_;  // the first error of a step that cannot return one
};

std::string Generator::PartDir(int p) const {
  if (o_.parts == 1) return o_.out_dir + "/etl";
  char name[32];
  std::snprintf(name, sizeof name, "/etl/part-%03d", p);
  return o_.out_dir + name;
}

Status Generator::Prepare() {
  if (o_.transfers < kMinTransfers) {
    return Status::InvalidArgument("--transfers must be at least " + std::to_string(kMinTransfers) +
                                   ", got " + std::to_string(o_.transfers));
  }
  if (o_.out_dir.empty()) return Status::InvalidArgument("--out is required");
  if (o_.parts < 1 || static_cast<uint64_t>(o_.parts) > o_.transfers / kMinTransfers) {
    return Status::InvalidArgument("--parts must be between 1 and transfers / " +
                                   std::to_string(kMinTransfers));
  }
  std::error_code ec;
  const bool had_chain = fs::exists(o_.out_dir + "/synth.json", ec) ||
                         fs::exists(o_.out_dir + "/etl/transactions.csv", ec) ||
                         fs::exists(o_.out_dir + "/etl/part-000", ec);
  if (had_chain && !o_.overwrite) {
    return Status::AlreadyExists(o_.out_dir +
                                 " already holds a synthetic chain (use --force to "
                                 "replace it)");
  }
  if (had_chain) {
    // Remove the old export, so no file of a differently split run stays beside the new one.
    std::vector<fs::path> old_files, old_dirs;
    for (auto it = fs::recursive_directory_iterator(o_.out_dir + "/etl", ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      if (it->is_regular_file() && p.extension() == ".csv") old_files.push_back(p);
      if (it->is_directory() && p.filename().string().rfind("part-", 0) == 0) old_dirs.push_back(p);
    }
    for (const auto& p : old_files) fs::remove(p, ec);
    for (const auto& p : old_dirs) fs::remove(p, ec);  // only if now empty
    ec.clear();
  }
  for (const char* sub : {"", "/etl", "/hacks"}) {
    fs::create_directories(o_.out_dir + sub, ec);
    if (ec) return Status::IOError("cannot create " + o_.out_dir + sub + ": " + ec.message());
  }
  // A previous run's ground truth that this run will not overwrite must not linger.
  for (auto it = fs::directory_iterator(o_.out_dir + "/hacks", ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".json") fs::remove(it->path(), ec);
  }
  for (int p = 0; p < o_.parts; ++p) {
    fs::create_directories(PartDir(p), ec);
    if (ec) return Status::IOError("cannot create " + PartDir(p) + ": " + ec.message());
  }
  FT_ASSIGN_OR_RETURN(writer_, EtlWriter::Open(PartDir(0), &namer_, &world_, o_.first_block));
  FT_ASSIGN_OR_RETURN(bridge_file_, TextSink::Create(o_.out_dir + "/bridge_events.csv"));
  bridge_file_->Put(kBridgeHeader);
  lock_ids_.assign(world_.remote_chains().size(), 0);

  hacks_ = o_.hacks >= 0 ? o_.hacks
                         : static_cast<int>(std::min<uint64_t>(20, 3 + o_.transfers / 10000000));
  Rng plan_rng(o_.seed, /*stream=*/0x7363686564);
  for (int i = 0; i < hacks_; ++i) {
    // Spread over 5%..55% of the chain, so most follow-ups happen inside it.
    const uint64_t per_mille =
        50 + (500 * static_cast<uint64_t>(i) + plan_rng.Below(500)) / static_cast<uint64_t>(hacks_);
    hack_starts_.push_back(o_.transfers / 1000 * per_mille);
  }
  // Together the hacks take about 8% of the transfers of a small chain, at most 4000 txs each.
  hack_max_txs_ =
      hacks_ == 0 ? 0
                  : std::clamp<uint64_t>(
                        o_.transfers * 8 / 100 / 24 * 10 / static_cast<uint64_t>(hacks_), 40, 4000);
  const uint64_t expected_blocks = o_.transfers / kTransfersPerBlockEstimate;
  blocks_per_tick_ = std::max<uint64_t>(1, expected_blocks * 4 / 10 / kHackSpanTicks);
  block_ = o_.first_block;
  time_ = o_.first_time;
  progress_step_ = std::max<uint64_t>(1, o_.transfers / 1000);
  return Status::OK();
}

void Generator::OpenBlock() {
  // EIP-1559-like: at most 12.5% per block, drifting back towards the center.
  const uint64_t up = base_fee_ < kBaseFeeCenter ? 70 : 55;
  const uint64_t step = base_fee_ / 8 * clock_.Below(1000) / 1000;
  base_fee_ = clock_.Below(125) < up ? base_fee_ + step : base_fee_ - step;
  base_fee_ = std::clamp(base_fee_, kBaseFeeMin, kBaseFeeMax);
  base_fee_ += clock_.Below(1000);  // not a round number
  block_target_ = clock_.Between(kMinBlockTxs, kMaxBlockTxs);
  writer_->BeginBlock(block_, time_, base_fee_);
  background_.set_base_fee(base_fee_);
}

void Generator::CloseBlock() {
  writer_->EndBlock(world_.PickMiner(clock_));
  ++block_;
  time_ += kSlotSeconds * (clock_.Chance(10) ? 2 : 1);
  if (part_ + 1 < o_.parts && writer_->counts().total() >= o_.transfers /
                                                               static_cast<uint64_t>(o_.parts) *
                                                               static_cast<uint64_t>(part_ + 1)) {
    const Status s = writer_->NextPart(PartDir(++part_));
    if (error_.ok()) error_ = s;
  }
}

TxPosition Generator::Write(const TxSpec& tx, uint64_t* bridge_deposit_id) {
  const TxPosition pos = writer_->WriteTx(tx, world_.TakeNonce(tx.from));
  if (tx.failed || (tx.call != CallKind::kBridgeLock && tx.call != CallKind::kBridgeRelease)) {
    return pos;
  }
  // bridge_events.csv: this chain's side and the other chain's.
  size_t chain = 0;
  while (world_.remote_chains()[chain].chain_id != tx.arg_number) ++chain;
  const bool lock = tx.call == CallKind::kBridgeLock;
  uint64_t deposit_id;
  if (lock) {
    deposit_id = lock_ids_[chain]++;
    if (bridge_deposit_id != nullptr) *bridge_deposit_id = deposit_id;
  } else {
    deposit_id = static_cast<uint64_t>(tx.arg_amount);
  }
  const bool token = !tx.tokens.empty();
  const Uint128 amount = token ? tx.tokens[0].amount : lock ? tx.value : tx.internals[0].value;
  const SynthAddr local = lock ? tx.from : token ? tx.tokens[0].to : tx.internals[0].to;
  TextSink* s = bridge_file_.get();
  namer_.TxHash(pos.serial, s->Reserve(kHashTextLen));
  s->Commit(kHashTextLen);
  s->Put(',');
  s->Uint(pos.block);
  s->Put(lock ? ",lock," : ",release,");
  s->Uint(kLocalChainId);
  s->Put(',');
  s->Uint(tx.arg_number);
  s->Put(',');
  s->Uint(deposit_id);
  s->Put(',');
  if (token) {
    namer_.Address(world_.tokens()[tx.tokens[0].token].address, s->Reserve(kAddressTextLen));
    s->Commit(kAddressTextLen);
  } else {
    s->Put("ETH");
  }
  s->Put(',');
  s->Uint(amount);
  s->Put(',');
  namer_.Address(local, s->Reserve(kAddressTextLen));
  s->Commit(kAddressTextLen);
  s->Put(',');
  namer_.Address(tx.arg_addr, s->Reserve(kAddressTextLen));
  s->Commit(kAddressTextLen);
  s->Put(',');
  const uint64_t incoming = lock ? 0 : uint64_t{1} << 39;
  namer_.RemoteTxHash((uint64_t{chain} << 40) | incoming | deposit_id, s->Reserve(kHashTextLen));
  s->Commit(kHashTextLen);
  s->Put('\n');
  ++bridge_events_;
  return pos;
}

void Generator::WriteUnit(const TxUnit& unit) {
  for (size_t i = 0; i < unit.size(); ++i) Write(unit[i]);
  ReportProgress();
}

void Generator::ScheduleLater() {
  for (const auto& [delay, e] : later_) {
    Event ev;
    ev.due = block_ + delay;
    ev.seq = seq_++;
    ev.bg = e;
    queue_.push(ev);
  }
  later_.clear();
}

void Generator::StartHack(int index) {
  uint64_t max_txs = hack_max_txs_;
  for (int attempt = 0; attempt < 6; ++attempt, max_txs /= 2) {
    HackPlan plan = HackPlanner(world_, o_.seed, index + 1, max_txs).Plan();
    if (!Fits(plan.transfers)) continue;
    plan.first_block = block_;
    plan.blocks_per_tick = blocks_per_tick_;
    const int h = static_cast<int>(plans_.size());
    for (size_t i = 0; i < plan.txs.size(); ++i) {
      Event ev;
      ev.due = block_ + plan.txs[i].tick * blocks_per_tick_;
      ev.seq = seq_++;
      ev.hack = h;
      ev.tx = static_cast<uint32_t>(i);
      queue_.push(ev);
    }
    reserved_ += plan.transfers;
    plans_.push_back(std::move(plan));
    return;
  }
  ++hacks_skipped_;
}

void Generator::WriteHackTx(const Event& e) {
  HackPlan& plan = plans_[static_cast<size_t>(e.hack)];
  PlannedTx& tx = plan.txs[e.tx];
  tx.pos = Write(tx.spec, &tx.bridge_deposit_id);
  tx.written = true;
  reserved_ -= tx.spec.TransferCount();
  if (tx.swap >= 0 && !tx.spec.failed) {
    const SwapRecord& s = plan.truth.swaps[static_cast<size_t>(tx.swap)];
    world_.pools()[s.pool].ApplyTokenIn(s.amount_in, s.amount_out);
  }
  ReportProgress();
}

void Generator::ReportProgress() {
  if (!progress_) return;
  const uint64_t done = writer_->counts().total();
  if (done / progress_step_ != (done - 1) / progress_step_ || done == o_.transfers) {
    progress_(done, o_.transfers);
  }
}

Status Generator::Run(SynthReport* report) {
  FT_RETURN_IF_ERROR(Prepare());
  OpenBlock();
  int next_hack = 0;
  // 1. The chain's life: follow-ups when due, else new background actions, until the rest of
  //    the budget is what the planned hack txs need (plus a small remainder).
  for (;;) {
    if (next_hack < hacks_ &&
        writer_->counts().total() >= hack_starts_[static_cast<size_t>(next_hack)]) {
      StartHack(next_hack++);
      continue;
    }
    if (!queue_.empty() && queue_.top().due <= block_) {
      const Event e = queue_.top();
      if (e.hack >= 0) {
        queue_.pop();
        WriteHackTx(e);
        continue;
      }
      background_.Due(e.bg, &unit_, &later_);
      if (!Fits(unit_.TransferCount())) {
        later_.clear();
        break;
      }
      queue_.pop();
      WriteUnit(unit_);
      ScheduleLater();
      continue;
    }
    if (writer_->block_txs() >= block_target_) {
      CloseBlock();
      OpenBlock();
      continue;
    }
    background_.Next(&unit_, &later_);
    if (!Fits(unit_.TransferCount())) {
      later_.clear();
      break;
    }
    WriteUnit(unit_);
    ScheduleLater();
  }
  // 2. Planned hack txs still waiting, in order, one due block after another (quiet blocks
  //    between them are left out); background follow-ups still waiting are dropped.
  while (!queue_.empty()) {
    const Event e = queue_.top();
    queue_.pop();
    if (e.hack < 0) continue;
    if (e.due > block_ && writer_->block_txs() > 0) {
      CloseBlock();
      OpenBlock();
    }
    WriteHackTx(e);
  }
  // 3. Plain payments to end at exactly the requested number of transfers.
  while (Remaining() > 0) {
    const uint64_t r = Remaining();
    background_.Filler(r % 2 == 1 ? 3 : 2, &unit_);
    if (writer_->block_txs() >= block_target_) {
      CloseBlock();
      OpenBlock();
    }
    WriteUnit(unit_);
  }
  writer_->EndBlock(world_.PickMiner(clock_));
  FT_RETURN_IF_ERROR(error_);
  return Finish(report);
}

Status Generator::Finish(SynthReport* report) {
  FT_RETURN_IF_ERROR(writer_->Finish());
  FT_RETURN_IF_ERROR(bridge_file_->Finish());
  *report = SynthReport{};
  report->counts = writer_->counts();
  report->txs = writer_->txs();
  report->failed_txs = writer_->failed_txs();
  report->blocks = writer_->blocks();
  report->first_block = o_.first_block;
  report->last_block = o_.first_block + writer_->blocks() - 1;
  report->users = world_.users();
  report->bridge_events = bridge_events_;
  report->hacks_skipped = hacks_skipped_;

  std::vector<LabelRow> labels;
  world_.AppendLabels(&labels);
  for (size_t h = 0; h < plans_.size(); ++h) {
    const HackPlan& plan = plans_[h];
    FT_RETURN_IF_ERROR(CheckBalances(plan));
    char name[64];
    std::snprintf(name, sizeof name, "hacks/hack-%02zu.json", h + 1);
    FT_RETURN_IF_ERROR(WriteGroundTruth(plan, namer_, world_, o_.seed, o_.out_dir + "/" + name));
    HackSummary s;
    s.name = plan.truth.name;
    s.file = name;
    s.txs = plan.txs.size();
    s.transfers = plan.transfers;
    for (const auto& [asset, amount] : plan.truth.stolen) {
      if (asset == kEthAsset) {
        s.stolen.push_back({"ETH", Dec(amount), 18});
      } else {
        const TokenInfo& t = world_.tokens()[asset - 1];
        s.stolen.push_back({t.symbol, Dec(amount), t.decimals});
      }
    }
    report->hacks.push_back(s);
    labels.insert(labels.end(), plan.labels.begin(), plan.labels.end());
  }

  {
    FT_ASSIGN_OR_RETURN(auto sink, TextSink::Create(o_.out_dir + "/labels.csv"));
    sink->Put(kLabelHeader);
    for (const auto& l : labels) {
      namer_.Address(l.address, sink->Reserve(kAddressTextLen));
      sink->Commit(kAddressTextLen);
      sink->Put(",eth,");
      sink->Put(l.label);
      sink->Put(',');
      sink->Put(l.entity);
      sink->Put(',');
      sink->Put(l.category);
      sink->Put(',');
      sink->Put(l.abuse);
      sink->Put(',');
      sink->Put(l.source);
      sink->Put(',');
      sink->Uint(static_cast<uint64_t>(l.confidence));
      sink->Put('\n');
    }
    FT_RETURN_IF_ERROR(sink->Finish());
    report->labels = labels.size();
  }

  std::vector<std::string> files;
  for (int p = 0; p < o_.parts; ++p) {
    const std::string dir = PartDir(p).substr(o_.out_dir.size() + 1);
    for (const char* f : EtlWriter::kFileNames) files.push_back(dir + "/" + f);
  }
  files.push_back("bridge_events.csv");
  files.push_back("labels.csv");
  for (const auto& h : report->hacks) files.push_back(h.file);
  for (const auto& f : files) {
    std::error_code ec;
    const uint64_t size = fs::file_size(o_.out_dir + "/" + f, ec);
    if (ec) return Status::IOError(o_.out_dir + "/" + f + ": " + ec.message());
    report->files.push_back({f, size});
    report->bytes += size;
  }

  nlohmann::ordered_json j;
  j["format"] = "fundtrace-synth";
  j["version"] = 1;
  j["seed"] = o_.seed;
  j["transfers_requested"] = o_.transfers;
  j["transfers"] = report->counts.total();
  j["parts"] = o_.parts;
  j["by_kind"] = {{"native", report->counts.native},
                  {"fee", report->counts.fee},
                  {"internal", report->counts.internal},
                  {"token", report->counts.token}};
  j["txs"] = report->txs;
  j["failed_txs"] = report->failed_txs;
  j["blocks"] = report->blocks;
  j["first_block"] = report->first_block;
  j["last_block"] = report->last_block;
  j["users"] = report->users;
  j["labels"] = report->labels;
  j["bridge_events"] = report->bridge_events;
  nlohmann::ordered_json hacks = nlohmann::ordered_json::array();
  for (const auto& h : report->hacks) {
    nlohmann::ordered_json stolen = nlohmann::ordered_json::object();
    for (const auto& st : h.stolen) stolen[st.asset] = st.amount;
    hacks.push_back({{"name", h.name},
                     {"file", h.file},
                     {"txs", h.txs},
                     {"transfers", h.transfers},
                     {"stolen", stolen}});
  }
  j["hacks"] = hacks;
  j["hacks_skipped"] = report->hacks_skipped;
  nlohmann::ordered_json file_sizes = nlohmann::ordered_json::object();
  for (const auto& [f, size] : report->files) file_sizes[f] = size;
  j["files"] = file_sizes;
  FT_ASSIGN_OR_RETURN(auto sink, TextSink::Create(o_.out_dir + "/synth.json"));
  sink->Put(j.dump(2));
  sink->Put('\n');
  FT_RETURN_IF_ERROR(sink->Finish());
  report->files.push_back({"synth.json", sink->bytes()});
  report->bytes += sink->bytes();
  return Status::OK();
}

}  // namespace

Status GenerateChain(const SynthOptions& options, SynthReport* report,
                     const SynthProgress& progress) {
  Generator g(options, progress);
  return g.Run(report);
}

}  // namespace fundtrace::synth
