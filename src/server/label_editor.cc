#include "server/label_editor.h"

#include "chain/address.h"
#include "labels/entity_name.h"
#include "labels/taxonomy.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

constexpr char kUserSource[] = "user";
constexpr char kUserDataset[] = "api";
constexpr size_t kMaxText = 512;

Result<std::string> TextField(const Json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(std::string(name) + " is required");
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument(std::string(name) + " must be a string");
  std::string s = it->get<std::string>();
  if (s.size() > kMaxText) {
    return Status::InvalidArgument(std::string(name) + " is longer than 512 bytes");
  }
  if (required && s.empty()) return Status::InvalidArgument(std::string(name) + " is required");
  return s;
}

}  // namespace

Result<UserLabel> ParseUserLabel(const Json& body) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  UserLabel l;
  FT_ASSIGN_OR_RETURN(l.address, TextField(body, "address", true));
  FT_ASSIGN_OR_RETURN(std::string chain, TextField(body, "chain", false));
  if (chain.empty()) {
    l.chain = l.address.rfind("0x", 0) == 0 || l.address.rfind("0X", 0) == 0 ? Chain::kEthereum
              : l.address[0] == 'T'                                          ? Chain::kTron
                                                                             : Chain::kBitcoin;
  } else {
    auto c = ChainFromName(chain);
    if (!c) return Status::InvalidArgument("chain must be eth, btc or trx");
    l.chain = *c;
  }
  FT_ASSIGN_OR_RETURN(l.label, TextField(body, "label", true));
  FT_ASSIGN_OR_RETURN(l.entity, TextField(body, "entity", false));
  FT_ASSIGN_OR_RETURN(l.category, TextField(body, "category", true));
  FT_ASSIGN_OR_RETURN(l.abuse, TextField(body, "abuse", false));
  FT_ASSIGN_OR_RETURN(l.reference, TextField(body, "reference", false));
  const Taxonomy& tax = Taxonomy::Default();
  if (!tax.Category(l.category)) {
    return Status::InvalidArgument("category '" + l.category +
                                   "' is not a category of the taxonomy (docs/labels.md)");
  }
  if (!l.abuse.empty() && !tax.Abuse(l.abuse)) {
    return Status::InvalidArgument("abuse '" + l.abuse +
                                   "' is not an abuse type of the taxonomy (docs/labels.md)");
  }
  if (auto c = body.find("confidence"); c != body.end() && !c->is_null()) {
    if (!c->is_number_integer() || c->get<int64_t>() < 0 || c->get<int64_t>() > 100) {
      return Status::InvalidArgument("confidence must be an integer from 0 to 100");
    }
    l.confidence = static_cast<int>(c->get<int64_t>());
  }
  return l;
}

namespace {

// The stored form of a user label.
Tag UserTag(const UserLabel& l, const std::string& key) {
  const Taxonomy& tax = Taxonomy::Default();
  Tag t;
  t.chain = l.chain;
  t.address = key;
  t.label = l.label;
  t.entity = l.entity;
  t.entity_key = l.entity.empty() ? "" : NormalizeEntityKey(l.entity);
  t.category = l.category;
  t.abuse = l.abuse;
  t.severity = tax.Severity(l.category, l.abuse);
  t.source = kUserSource;
  t.dataset = kUserDataset;
  t.source_label = l.category;
  t.confidence = l.confidence;
  t.confidence_id = tax.ConfidenceIdFor(l.confidence);
  t.network = std::string(NativeSymbol(l.chain));
  t.reference = l.reference;
  t.origin = "api";
  return t;
}

// Deletes `replace` (when not 0, a user tag) and stores `l` in one transaction; returns the id
// of the stored tag.
Result<int64_t> SaveUserLabel(DataContext& data, const UserLabel& l, int64_t replace) {
  FT_ASSIGN_OR_RETURN(std::string key, ParseAddress(l.chain, l.address));
  FT_ASSIGN_OR_RETURN(LabelStore * store, data.ThreadWritableLabelStore());
  const Tag t = UserTag(l, key);
  FT_ASSIGN_OR_RETURN(auto txn, store->BeginImport());
  ImportReport report;
  DatasetCounts& c = report.datasets[{kUserSource, kUserDataset}];
  if (replace != 0) {
    FT_ASSIGN_OR_RETURN(Tag old, txn->DeleteTag(replace, kUserSource));
    (void)old;
    c.tags_deleted = 1;
  }
  FT_ASSIGN_OR_RETURN(AddResult added, txn->AddTag(t));
  c.records = 1;
  if (added == AddResult::kNew)
    c.tags_new = 1;
  else if (added == AddResult::kUpdated)
    c.tags_updated = 1;
  else
    c.tags_unchanged = 1;
  FT_RETURN_IF_ERROR(txn->Commit(&report, kUserSource, {"api"}));
  data.Invalidate();
  FT_ASSIGN_OR_RETURN(auto tags, store->TagsOf(l.chain, key));
  for (const Tag& s : tags) {
    if (s.source == kUserSource && s.dataset == kUserDataset && s.label == l.label) return s.id;
  }
  return Status::IOError("the new label was not found after it was stored");
}

}  // namespace

Result<int64_t> CreateUserLabel(DataContext& data, const UserLabel& l) {
  return SaveUserLabel(data, l, 0);
}

Result<int64_t> ReplaceUserLabel(DataContext& data, int64_t id, const UserLabel& l) {
  return SaveUserLabel(data, l, id);
}

Status DeleteUserLabel(DataContext& data, int64_t id) {
  FT_ASSIGN_OR_RETURN(LabelStore * store, data.ThreadWritableLabelStore());
  FT_ASSIGN_OR_RETURN(Tag deleted, store->DeleteTag(id, kUserSource));
  (void)deleted;
  data.Invalidate();
  return Status::OK();
}

Result<Json> TagsJson(DataContext& data, Chain chain, std::string_view key) {
  Json out = Json::array();
  auto store = data.ThreadLabelStore();
  if (!store.ok()) {
    if (store.status().IsNotFound()) return out;
    return store.status();
  }
  FT_ASSIGN_OR_RETURN(auto tags, (*store)->TagsOf(chain, key));
  for (const Tag& t : tags) {
    out.push_back({{"id", t.id},
                   {"label", t.label},
                   {"entity", t.entity},
                   {"category", t.category},
                   {"abuse", t.abuse},
                   {"source", t.source},
                   {"dataset", t.dataset},
                   {"confidence", t.confidence},
                   {"reference", t.reference}});
  }
  return out;
}

}  // namespace fundtrace
