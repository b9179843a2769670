#include "synth/etl_writer.h"

#include <cassert>
#include <cstring>

namespace fundtrace::synth {
namespace {

// Selectors of the calls in `input`. ERC-20, Uniswap V2 router and Tornado-style mixer
// selectors are the real ones; bridge, wallet and exploit selectors are synthetic.
constexpr const char* kSelTransfer = "a9059cbb";
constexpr const char* kSelApprove = "095ea7b3";
constexpr const char* kSelSwapEthIn = "7ff36ab5";    // swapExactETHForTokens
constexpr const char* kSelSwapTokenIn = "18cbafe5";  // swapExactTokensForETH
constexpr const char* kSelMixerDeposit = "b214faa5";
constexpr const char* kSelMixerWithdraw = "21a0adb6";
constexpr const char* kSelBridgeLock = "b1a1a882";
constexpr const char* kSelBridgeLockToken = "838b2520";
constexpr const char* kSelBridgeRelease = "e9f1e8c4";
constexpr const char* kSelWalletExecute = "b61d27f6";
constexpr const char* kSelDisperse = "e63d38ed";
constexpr const char* kInitCode = "6080604052";

constexpr const char* kTxHeader =
    "hash,nonce,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,"
    "block_timestamp,transaction_type,receipt_cumulative_gas_used,receipt_gas_used,"
    "receipt_contract_address,receipt_status,receipt_effective_gas_price\n";
constexpr const char* kTokenTransferHeader =
    "token_address,from_address,to_address,value,transaction_hash,log_index,block_timestamp,"
    "block_number\n";
constexpr const char* kTraceHeader =
    "transaction_hash,transaction_index,from_address,to_address,value,trace_type,call_type,"
    "subtraces,trace_address,error,status,block_timestamp,block_number,trace_id\n";
constexpr const char* kBlockHeader =
    "number,hash,parent_hash,miner,gas_limit,gas_used,timestamp,transaction_count,"
    "base_fee_per_gas\n";
constexpr const char* kTokenHeader = "address,symbol,name,decimals,total_supply,block_number\n";

constexpr uint64_t kBlockGasLimit = 30000000;

// 64 hex digits of v.
void Word128(char* out, Uint128 v) {
  std::memset(out, '0', 32);
  Hex64(static_cast<uint64_t>(v >> 64), out + 32);
  Hex64(static_cast<uint64_t>(v), out + 48);
}

}  // namespace

Result<std::unique_ptr<EtlWriter>> EtlWriter::Open(const std::string& dir, const Namer* namer,
                                                   const World* world, uint64_t first_block) {
  std::unique_ptr<EtlWriter> w(new EtlWriter(namer, world, first_block));
  FT_RETURN_IF_ERROR(w->OpenFiles(dir));
  return w;
}

Status EtlWriter::OpenFiles(const std::string& dir) {
  std::unique_ptr<TextSink>* files[5] = {&blocks_file_, &tokens_file_, &txs_file_, &transfers_file_,
                                         &traces_file_};
  const char* headers[5] = {kBlockHeader, kTokenHeader, kTxHeader, kTokenTransferHeader,
                            kTraceHeader};
  for (int i = 0; i < 5; ++i) {
    FT_ASSIGN_OR_RETURN(*files[i], TextSink::Create(dir + "/" + kFileNames[i]));
    (*files[i])->Put(headers[i]);
  }
  WriteTokens();
  return Status::OK();
}

Status EtlWriter::NextPart(const std::string& dir) {
  assert(!block_open_);
  const uint64_t done = bytes();
  FT_RETURN_IF_ERROR(Finish());
  finished_bytes_ = done;
  return OpenFiles(dir);
}

uint64_t EtlWriter::bytes() const {
  return finished_bytes_ + blocks_file_->bytes() + tokens_file_->bytes() + txs_file_->bytes() +
         transfers_file_->bytes() + traces_file_->bytes();
}

void EtlWriter::Addr(TextSink* s, SynthAddr a) {
  namer_->Address(a, s->Reserve(kAddressTextLen));
  s->Commit(kAddressTextLen);
}

// An address as a 32-byte ABI word: 24 zeros and the 40 address digits.
void EtlWriter::AddrWord(char* out, SynthAddr a) {
  std::memset(out, '0', 24);
  char text[kAddressTextLen];
  namer_->Address(a, text);
  std::memcpy(out + 24, text + 2, 40);
}

void EtlWriter::WriteTokens() {
  TextSink* s = tokens_file_.get();
  for (const auto& t : world_->tokens()) {
    Addr(s, t.address);
    s->Put(',');
    s->Put(t.symbol);
    s->Put(',');
    s->Put(t.name);
    s->Put(',');
    s->Uint(static_cast<uint64_t>(t.decimals));
    s->Put(',');
    s->Uint(t.total_supply);
    s->Put(',');
    s->Uint(first_block_);
    s->Put('\n');
  }
}

void EtlWriter::BeginBlock(uint64_t number, uint64_t timestamp, uint64_t base_fee) {
  assert(!block_open_);
  block_open_ = true;
  block_ = number;
  time_ = timestamp;
  base_fee_ = base_fee;
  block_txs_ = 0;
  block_gas_ = 0;
  log_index_ = 0;
  block_text_len_ = FormatUint(number, block_text_);
  time_text_len_ = FormatUint(timestamp, time_text_);
}

void EtlWriter::EndBlock(SynthAddr miner) {
  assert(block_open_);
  TextSink* s = blocks_file_.get();
  s->Put(std::string_view(block_text_, static_cast<size_t>(block_text_len_)));
  s->Put(',');
  namer_->BlockHash(block_, s->Reserve(kHashTextLen));
  s->Commit(kHashTextLen);
  s->Put(',');
  namer_->BlockHash(block_ - 1, s->Reserve(kHashTextLen));
  s->Commit(kHashTextLen);
  s->Put(',');
  Addr(s, miner);
  s->Put(',');
  s->Uint(kBlockGasLimit);
  s->Put(',');
  s->Uint(block_gas_);
  s->Put(',');
  s->Put(std::string_view(time_text_, static_cast<size_t>(time_text_len_)));
  s->Put(',');
  s->Uint(uint64_t{block_txs_});
  s->Put(',');
  s->Uint(base_fee_);
  s->Put('\n');
  block_open_ = false;
  ++blocks_;
}

void EtlWriter::WriteInput(const TxSpec& tx, uint64_t serial) {
  TextSink* s = txs_file_.get();
  char* o = s->Reserve(2 + 8 + 4 * 64);
  size_t n = 2;
  o[0] = '0';
  o[1] = 'x';
  auto sel = [&](const char* selector) {
    std::memcpy(o + n, selector, 8);
    n += 8;
  };
  auto addr = [&](SynthAddr a) {
    AddrWord(o + n, a);
    n += 64;
  };
  auto num = [&](Uint128 v) {
    Word128(o + n, v);
    n += 64;
  };
  switch (tx.call) {
    case CallKind::kPlain:
      break;
    case CallKind::kTokenTransfer:
      sel(kSelTransfer);
      addr(tx.arg_addr);
      num(tx.arg_amount);
      break;
    case CallKind::kApprove:
      sel(kSelApprove);
      addr(tx.arg_addr);
      std::memset(o + n, 'f', 64);
      n += 64;
      break;
    case CallKind::kAppCall:
    case CallKind::kExploit: {
      char selector[16];
      Hex64(tx.arg_number, selector);
      sel(selector + 8);
      num(tx.arg_amount);
      break;
    }
    case CallKind::kCreate:
      std::memcpy(o + n, kInitCode, 10);
      n += 10;
      namer_->Word(serial, o + n);
      n += 64;
      break;
    case CallKind::kSwapEthIn:
      sel(kSelSwapEthIn);
      num(tx.arg_amount);
      break;
    case CallKind::kSwapTokenIn:
      sel(kSelSwapTokenIn);
      num(tx.arg_amount);
      break;
    case CallKind::kMixerDeposit:
      sel(kSelMixerDeposit);
      namer_->Word(serial, o + n);
      n += 64;
      break;
    case CallKind::kMixerWithdraw:
      sel(kSelMixerWithdraw);
      addr(tx.arg_addr);
      num(tx.arg_amount);
      break;
    case CallKind::kBridgeLock:
      if (tx.tokens.empty()) {
        sel(kSelBridgeLock);
      } else {
        sel(kSelBridgeLockToken);
        addr(world_->tokens()[tx.tokens[0].token].address);
        num(tx.tokens[0].amount);
      }
      num(tx.arg_number);
      addr(tx.arg_addr);
      break;
    case CallKind::kBridgeRelease:
      sel(kSelBridgeRelease);
      num(tx.arg_number);
      num(tx.arg_amount);
      break;
    case CallKind::kWalletExecute:
      sel(kSelWalletExecute);
      addr(tx.arg_addr);
      num(tx.arg_amount);
      break;
    case CallKind::kDisperse:
      sel(kSelDisperse);
      num(tx.internals.size());
      break;
  }
  s->Commit(n);
}

void EtlWriter::WriteTrace(const char* hash, const TxPosition& pos, SynthAddr from, SynthAddr to,
                           Uint128 value, uint32_t subtraces, const uint32_t* path, int depth) {
  TextSink* s = traces_file_.get();
  s->Put(std::string_view(hash, kHashTextLen));
  s->Put(',');
  s->Uint(uint64_t{pos.index});
  s->Put(',');
  Addr(s, from);
  s->Put(',');
  Addr(s, to);
  s->Put(',');
  s->Uint(value);
  s->Put(",call,call,");
  s->Uint(uint64_t{subtraces});
  s->Put(',');
  if (depth > 1) s->Put('"');
  for (int i = 0; i < depth; ++i) {
    if (i > 0) s->Put(',');
    s->Uint(uint64_t{path[i]});
  }
  if (depth > 1) s->Put('"');
  s->Put(",,1,");
  s->Put(std::string_view(time_text_, static_cast<size_t>(time_text_len_)));
  s->Put(',');
  s->Put(std::string_view(block_text_, static_cast<size_t>(block_text_len_)));
  s->Put(",call_");
  s->Put(std::string_view(hash, kHashTextLen));
  for (int i = 0; i < depth; ++i) {
    s->Put('_');
    s->Uint(uint64_t{path[i]});
  }
  s->Put('\n');
}

TxPosition EtlWriter::WriteTx(const TxSpec& tx, uint32_t nonce) {
  assert(block_open_ && tx.gas_price > 0 && tx.gas_used >= 21000);
  TxPosition pos{serial_++, block_, block_txs_++, time_};
  block_gas_ += tx.gas_used;
  char hash[kHashTextLen];
  namer_->TxHash(pos.serial, hash);

  TextSink* s = txs_file_.get();
  s->Put(std::string_view(hash, kHashTextLen));
  s->Put(',');
  s->Uint(uint64_t{nonce});
  s->Put(',');
  s->Put(std::string_view(block_text_, static_cast<size_t>(block_text_len_)));
  s->Put(',');
  s->Uint(uint64_t{pos.index});
  s->Put(',');
  Addr(s, tx.from);
  s->Put(',');
  if (tx.to != kNoAddr) Addr(s, tx.to);
  s->Put(',');
  s->Uint(tx.value);
  s->Put(',');
  s->Uint(tx.gas_limit);
  s->Put(',');
  s->Uint(tx.gas_price);
  s->Put(',');
  WriteInput(tx, pos.serial);
  s->Put(',');
  s->Put(std::string_view(time_text_, static_cast<size_t>(time_text_len_)));
  // Legacy (type 0) txs name their price; EIP-1559 (type 2) ones pay base fee + tip. Either
  // way gas_price and receipt_effective_gas_price are the price paid.
  s->Put(tx.gas_price % 7 == 0 ? ",0," : ",2,");
  s->Uint(block_gas_);
  s->Put(',');
  s->Uint(tx.gas_used);
  s->Put(',');
  if (tx.created != kNoAddr) Addr(s, tx.created);
  s->Put(tx.failed ? ",0," : ",1,");
  s->Uint(tx.gas_price);
  s->Put('\n');

  ++counts_.native;
  ++counts_.fee;
  if (tx.failed) {
    ++failed_;
    return pos;
  }

  for (const TokenMove& m : tx.tokens) {
    TextSink* t = transfers_file_.get();
    Addr(t, world_->tokens()[m.token].address);
    t->Put(',');
    Addr(t, m.from);
    t->Put(',');
    Addr(t, m.to);
    t->Put(',');
    t->Uint(m.amount);
    t->Put(',');
    t->Put(std::string_view(hash, kHashTextLen));
    t->Put(',');
    t->Uint(uint64_t{log_index_++});
    t->Put(',');
    t->Put(std::string_view(time_text_, static_cast<size_t>(time_text_len_)));
    t->Put(',');
    t->Put(std::string_view(block_text_, static_cast<size_t>(block_text_len_)));
    t->Put('\n');
    ++counts_.token;
  }

  if (!tx.internals.empty()) {
    // The call tree: the tx's own call at the root (the same value as the transactions row),
    // then the internal moves as its children, or as grandchildren under one zero-value call.
    const uint32_t n = static_cast<uint32_t>(tx.internals.size());
    uint32_t path[2] = {0, 0};
    WriteTrace(hash, pos, tx.from, tx.to, tx.value, tx.via != kNoAddr ? 1 : n, path, 0);
    int depth = 1;
    if (tx.via != kNoAddr) {
      WriteTrace(hash, pos, tx.to, tx.via, 0, n, path, 1);
      depth = 2;
    }
    for (uint32_t i = 0; i < n; ++i) {
      assert(tx.internals[i].value != 0);
      path[depth - 1] = i;
      WriteTrace(hash, pos, tx.internals[i].from, tx.internals[i].to, tx.internals[i].value, 0,
                 path, depth);
      ++counts_.internal;
    }
  }
  return pos;
}

Status EtlWriter::Finish() {
  Status first;
  for (auto* f : {&blocks_file_, &tokens_file_, &txs_file_, &transfers_file_, &traces_file_}) {
    Status s = (*f)->Finish();
    if (first.ok() && !s.ok()) first = s;
  }
  return first;
}

}  // namespace fundtrace::synth
