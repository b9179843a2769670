#include "labels/screen_index.h"

#include <algorithm>
#include <cstring>

namespace fundtrace {
namespace {

constexpr char kMagic[8] = {'F', 'T', 'L', 'A', 'B', 'I', 'X', '1'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 64;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t entry_size;
  uint64_t generation;
  uint64_t tags;
  uint64_t fixed_offset, var_offset, strings_offset, terms_offset;
};
static_assert(sizeof(Header) == kHeaderBytes);

}  // namespace

ScreenIndexWriter::ScreenIndexWriter(const std::vector<std::pair<std::string, int>>& terms)
    : terms_(terms) {
  Intern("");
  for (size_t i = 0; i < terms_.size() && i < kNoTerm; ++i) {
    term_index_[terms_[i].first] = static_cast<uint16_t>(i);
    Intern(terms_[i].first);
  }
}

uint32_t ScreenIndexWriter::Intern(std::string_view s) {
  auto it = string_ids_.find(std::string(s));
  if (it != string_ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  string_ids_.emplace(std::string(s), id);
  return id;
}

uint16_t ScreenIndexWriter::TermIndex(std::string_view id) const {
  auto it = term_index_.find(std::string(id));
  return it == term_index_.end() ? kNoTerm : it->second;
}

void ScreenIndexWriter::Reserve(size_t fixed_keys, size_t other_keys) {
  fixed_.Reserve(fixed_keys, 21);
  fixed_entries_.reserve(fixed_keys);
  var_.Reserve(other_keys, 34);
  var_entries_.reserve(other_keys);
}

void ScreenIndexWriter::Add(const ScreenEntryInput& in) {
  ScreenEntry e{};
  e.label = Intern(in.label);
  e.entity = Intern(in.entity);
  e.source = Intern(in.source);
  e.network = Intern(in.network);
  e.category = TermIndex(in.category);
  e.abuse = in.abuse.empty() ? kNoTerm : TermIndex(in.abuse);
  e.confidence = static_cast<uint8_t>(std::clamp(in.confidence, 0, 100));
  e.chain = static_cast<uint8_t>(in.chain);
  e.tags = static_cast<uint16_t>(std::min<size_t>(in.tags, 0xFFFF));
  for (auto t : in.terms) {
    uint16_t i = TermIndex(t);
    if (i < kMaxRiskTerms) e.risk_mask |= uint64_t{1} << i;
  }
  bool inserted = false;
  if (in.key.size() == 21) {
    fixed_.Insert(in.key, &inserted);
    fixed_entries_.push_back(e);
  } else {
    var_.Insert(in.key, &inserted);
    var_entries_.push_back(e);
  }
}

Status ScreenIndexWriter::Write(const std::string& path, uint64_t generation, uint64_t tags) const {
  // The key indexes and entry arrays go to the file from where they are (no copy of the large
  // parts). The header is referenced too, and completed once the section offsets are known.
  FileAssembler file;
  Header h{};
  std::memcpy(h.magic, kMagic, 8);
  h.version = kVersion;
  h.entry_size = sizeof(ScreenEntry);
  h.generation = generation;
  h.tags = tags;
  file.Add({reinterpret_cast<const uint8_t*>(&h), sizeof h});
  h.fixed_offset = file.size();
  fixed_.AppendTo(&file);
  file.AddArray(fixed_entries_);
  h.var_offset = file.size();
  var_.AppendTo(&file);
  file.AddArray(var_entries_);
  h.strings_offset = file.size();
  std::vector<uint64_t> offsets;
  offsets.reserve(strings_.size() + 2);
  offsets.push_back(strings_.size());
  uint64_t off = 0;
  offsets.push_back(off);
  std::string blob;
  for (const auto& s : strings_) {
    off += s.size();
    offsets.push_back(off);
    blob += s;
  }
  file.AddArray(offsets);
  file.Add({reinterpret_cast<const uint8_t*>(blob.data()), blob.size()});
  file.Pad8();
  h.terms_offset = file.size();
  std::vector<uint32_t> term_words;
  for (const auto& [id, severity] : terms_) {
    auto it = string_ids_.find(id);
    term_words.push_back(it == string_ids_.end() ? 0 : it->second);
    term_words.push_back(static_cast<uint32_t>(severity));
  }
  file.AddU64(terms_.size());
  file.AddArray(term_words);
  file.Pad8();
  return file.Write(path);
}

Result<std::unique_ptr<ScreenIndex>> ScreenIndex::Open(const std::string& path) {
  if (!FileExists(path)) return Status::NotFound(path + ": no screening index");
  FT_ASSIGN_OR_RETURN(auto file, MappedFile::Open(path));
  auto corrupt = [&](const std::string& why) { return Status::Corruption(path + ": " + why); };
  const uint8_t* data = file->data();
  size_t size = file->size();
  if (size < kHeaderBytes) return corrupt("truncated header");
  Header h;
  std::memcpy(&h, data, sizeof h);
  if (std::memcmp(h.magic, kMagic, 8) != 0) return corrupt("not a fundtrace screening index");
  if (h.version != kVersion) {
    return corrupt("screening index version " + std::to_string(h.version) +
                   " is not supported (expected " + std::to_string(kVersion) +
                   "); re-import to rebuild it");
  }
  if (h.entry_size != sizeof(ScreenEntry)) return corrupt("unexpected entry size");
  if (!(h.fixed_offset <= h.var_offset && h.var_offset <= h.strings_offset &&
        h.strings_offset <= h.terms_offset && h.terms_offset + 8 <= size) ||
      h.fixed_offset % 8 || h.var_offset % 8 || h.strings_offset % 8 || h.terms_offset % 8) {
    return corrupt("section offsets out of range");
  }
  auto idx = std::unique_ptr<ScreenIndex>(new ScreenIndex());
  idx->generation_ = h.generation;
  idx->tags_ = h.tags;
  auto section = [&](uint64_t begin, uint64_t end, KeyIndexView* view, const ScreenEntry** entries,
                     const char* what) -> Status {
    size_t consumed = 0;
    FT_ASSIGN_OR_RETURN(
        *view, KeyIndexView::Parse(data + begin, end - begin, path + " " + what, &consumed));
    if (consumed + view->size() * sizeof(ScreenEntry) != end - begin) {
      return corrupt(std::string(what) + " entries do not fill their section");
    }
    *entries = reinterpret_cast<const ScreenEntry*>(data + begin + consumed);
    return Status::OK();
  };
  FT_RETURN_IF_ERROR(section(h.fixed_offset, h.var_offset, &idx->fixed_, &idx->fixed_entries_,
                             "fixed-width keys"));
  {
    // The documented KeyIndex layout: four u64 (count, key width, blob size, capacity), the
    // blob padded to 8, then capacity u64 slots. Used only to prefetch; checked against the
    // size the KeyIndexView parsed.
    uint64_t w[4];
    std::memcpy(w, data + h.fixed_offset, sizeof w);
    uint64_t table_at = 32 + ((w[2] + 7) & ~uint64_t{7});
    uint64_t entries_at =
        reinterpret_cast<const uint8_t*>(idx->fixed_entries_) - (data + h.fixed_offset);
    if (w[1] == 21 && w[0] == idx->fixed_.size() && w[3] >= 16 && (w[3] & (w[3] - 1)) == 0 &&
        table_at + w[3] * 8 == entries_at) {
      idx->fixed_layout_.table =
          reinterpret_cast<const uint64_t*>(data + h.fixed_offset + table_at);
      idx->fixed_layout_.mask = w[3] - 1;
      idx->fixed_layout_.blob = reinterpret_cast<const char*>(data + h.fixed_offset + 32);
      idx->fixed_layout_.width = 21;
    }
  }
  FT_RETURN_IF_ERROR(section(h.var_offset, h.strings_offset, &idx->var_, &idx->var_entries_,
                             "variable-width keys"));
  // Strings.
  uint64_t pos = h.strings_offset;
  std::memcpy(&idx->string_count_, data + pos, 8);
  pos += 8;
  if (idx->string_count_ == 0 || (h.terms_offset - pos) / 8 < idx->string_count_ + 1) {
    return corrupt("string table truncated");
  }
  idx->string_offsets_ = reinterpret_cast<const uint64_t*>(data + pos);
  pos += (idx->string_count_ + 1) * 8;
  idx->string_blob_ = reinterpret_cast<const char*>(data + pos);
  idx->blob_size_ = idx->string_offsets_[idx->string_count_];
  if (idx->string_offsets_[0] != 0 || pos + idx->blob_size_ > h.terms_offset) {
    return corrupt("string table offsets out of range");
  }
  for (uint64_t i = 0; i < idx->string_count_; ++i) {
    if (idx->string_offsets_[i] > idx->string_offsets_[i + 1])
      return corrupt("string offsets not ascending");
  }
  // Terms.
  uint64_t nterms;
  std::memcpy(&nterms, data + h.terms_offset, 8);
  if (nterms > kNoTerm || h.terms_offset + 8 + nterms * 8 > size)
    return corrupt("term table truncated");
  for (uint64_t i = 0; i < nterms; ++i) {
    uint32_t w[2];
    std::memcpy(w, data + h.terms_offset + 8 + i * 8, 8);
    if (w[0] >= idx->string_count_) return corrupt("term names a missing string");
    idx->terms_.emplace_back(w[0], w[1]);
  }
  for (uint16_t i = 0; i < idx->terms_.size() && i < kMaxRiskTerms; ++i)
    idx->by_severity_.push_back(i);
  std::stable_sort(idx->by_severity_.begin(), idx->by_severity_.end(), [&](uint16_t a, uint16_t b) {
    return idx->terms_[a].second > idx->terms_[b].second;
  });
  idx->file_ = std::move(file);
  return idx;
}

void ScreenIndex::FindMany(std::span<const std::string_view> keys, const ScreenEntry** out) const {
  constexpr size_t kGroup = 32;
  const Layout& L = fixed_layout_;
  uint64_t hashes[kGroup];
  for (size_t base = 0; base < keys.size(); base += kGroup) {
    size_t n = std::min(kGroup, keys.size() - base);
    if (L.table) {
      for (size_t j = 0; j < n; ++j) {
        std::string_view k = keys[base + j];
        if (k.size() != 21) continue;
        hashes[j] = KeyHash(k);
        __builtin_prefetch(&L.table[hashes[j] & L.mask]);
      }
      for (size_t j = 0; j < n; ++j) {
        if (keys[base + j].size() != 21) continue;
        uint64_t slot = L.table[hashes[j] & L.mask];
        uint32_t index = static_cast<uint32_t>(slot);
        if (index != 0 && (slot >> 32) == (hashes[j] >> 32) && index <= fixed_.size()) {
          __builtin_prefetch(L.blob + size_t{index - 1} * L.width);
          __builtin_prefetch(&fixed_entries_[index - 1]);
        }
      }
    }
    for (size_t j = 0; j < n; ++j) {
      std::string_view k = keys[base + j];
      if (L.table && k.size() == 21) {
        int64_t i = fixed_.Find(k, hashes[j]);
        out[base + j] = i < 0 ? nullptr : &fixed_entries_[i];
      } else {
        out[base + j] = Find(k);
      }
    }
  }
}

std::string_view ScreenIndex::String(uint32_t id) const {
  if (id >= string_count_) return "<bad string>";
  return {string_blob_ + string_offsets_[id], string_offsets_[id + 1] - string_offsets_[id]};
}

std::string_view ScreenIndex::TermName(uint16_t term) const {
  if (term >= terms_.size()) return "";
  return String(terms_[term].first);
}

int ScreenIndex::TermSeverity(uint16_t term) const {
  return term < terms_.size() ? static_cast<int>(terms_[term].second) : 0;
}

std::vector<std::string_view> ScreenIndex::Risks(const ScreenEntry& entry, int min_severity) const {
  std::vector<std::string_view> out;
  for (uint16_t i : by_severity_) {
    if (static_cast<int>(terms_[i].second) < min_severity) break;
    if ((entry.risk_mask >> i) & 1) out.push_back(String(terms_[i].first));
  }
  return out;
}

}  // namespace fundtrace
