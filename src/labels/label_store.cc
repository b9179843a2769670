#include "labels/label_store.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "chain/hash.h"
#include "labels/entity_name.h"
#include "labels/sqlite_db.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

constexpr int kFormatVersion = 1;

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  categories TEXT NOT NULL DEFAULT '',
  uri TEXT NOT NULL DEFAULT '',
  jurisdictions TEXT NOT NULL DEFAULT '',
  context TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entity_aliases(
  alias TEXT PRIMARY KEY,
  entity_id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tags(
  id INTEGER PRIMARY KEY,
  chain INTEGER NOT NULL,
  address BLOB NOT NULL,
  source TEXT NOT NULL,
  dataset TEXT NOT NULL,
  network TEXT NOT NULL,
  label TEXT NOT NULL,
  source_label TEXT NOT NULL,
  category TEXT NOT NULL,
  abuse TEXT NOT NULL,
  severity INTEGER NOT NULL,
  confidence INTEGER NOT NULL,
  confidence_id TEXT NOT NULL,
  tag_type INTEGER NOT NULL,
  entity_id INTEGER,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  reference TEXT NOT NULL,
  context TEXT NOT NULL,
  origin TEXT NOT NULL,
  ident BLOB NOT NULL UNIQUE);
CREATE INDEX IF NOT EXISTS tags_address ON tags(chain, address);
CREATE INDEX IF NOT EXISTS tags_entity ON tags(entity_id);
CREATE TABLE IF NOT EXISTS imports(
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, source TEXT NOT NULL, paths TEXT NOT NULL,
  summary TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dataset_imports(
  source TEXT NOT NULL, dataset TEXT NOT NULL, import_id INTEGER NOT NULL, time INTEGER NOT NULL,
  records INTEGER NOT NULL, invalid INTEGER NOT NULL, unsupported INTEGER NOT NULL,
  skipped INTEGER NOT NULL, PRIMARY KEY(source, dataset));
CREATE TABLE IF NOT EXISTS import_issues(
  source TEXT NOT NULL, dataset TEXT NOT NULL, kind TEXT NOT NULL, origin TEXT NOT NULL,
  address TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS import_issues_dataset ON import_issues(source, dataset);
CREATE TABLE IF NOT EXISTS unmapped(
  source TEXT NOT NULL, label TEXT NOT NULL, tags INTEGER NOT NULL, PRIMARY KEY(source, label));
)sql";

constexpr char kTagColumns[] =
    "SELECT t.id, t.chain, t.address, t.label, COALESCE(e.name, ''), COALESCE(e.key, ''), "
    "t.category, "
    "t.abuse, t.severity, t.source, t.dataset, t.source_label, t.confidence, t.confidence_id, "
    "t.tag_type, t.network, t.first_seen, t.last_seen, t.reference, t.context, t.origin, "
    "COALESCE(e.actor, '') FROM tags t LEFT JOIN entities e ON e.id = t.entity_id ";

Tag TagFromRow(const SqliteStatement& s) {
  Tag t;
  t.id = s.Int(0);
  t.chain = static_cast<Chain>(s.Int(1));
  t.address = std::string(s.Blob(2));
  t.label = std::string(s.Text(3));
  t.entity = std::string(s.Text(4));
  t.entity_key = std::string(s.Text(5));
  t.category = std::string(s.Text(6));
  t.abuse = std::string(s.Text(7));
  t.severity = static_cast<int>(s.Int(8));
  t.source = std::string(s.Text(9));
  t.dataset = std::string(s.Text(10));
  t.source_label = std::string(s.Text(11));
  t.confidence = static_cast<int>(s.Int(12));
  t.confidence_id = std::string(s.Text(13));
  t.tag_type = static_cast<TagType>(s.Int(14));
  t.network = std::string(s.Text(15));
  t.first_seen = s.Int(16);
  t.last_seen = s.Int(17);
  t.reference = std::string(s.Text(18));
  t.context = std::string(s.Text(19));
  t.origin = std::string(s.Text(20));
  t.actor = std::string(s.Text(21));
  return t;
}

std::string TagKey(const Tag& t) {
  std::string k;
  k.push_back(static_cast<char>(t.chain));
  for (const std::string* f :
       {&t.address, &t.source, &t.dataset, &t.network, &t.label, &t.source_label}) {
    k.append(*f);
    k.push_back('\0');
  }
  return k;
}

// The tag's identity as a 16-byte digest: a small unique index instead of one over seven text
// columns. A match is still checked field by field.
std::string Ident(const std::string& key) {
  Digest32 d = Sha256(AsBytes(key));
  return std::string(reinterpret_cast<const char*>(d.data()), 16);
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LabelStore::LabelStore(std::string data_dir, std::unique_ptr<SqliteDb> db, const Taxonomy& taxonomy)
    : data_dir_(std::move(data_dir)), db_(std::move(db)), taxonomy_(taxonomy) {}

LabelStore::~LabelStore() = default;

Result<std::unique_ptr<LabelStore>> LabelStore::Open(const std::string& data_dir,
                                                     const LabelStoreOptions& options) {
  std::string path = data_dir + "/labels.sqlite";
  if (!FileExists(path)) {
    if (!options.create) {
      return Status::NotFound("no labels in " + data_dir +
                              " yet: import some with `fundtrace labels import` (see --help)");
    }
    FT_RETURN_IF_ERROR(CreateDirs(data_dir));
  }
  FT_ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path, /*read_only=*/false));
  const Taxonomy& tax = options.taxonomy ? *options.taxonomy : Taxonomy::Default();
  auto store = std::unique_ptr<LabelStore>(new LabelStore(data_dir, std::move(db), tax));
  FT_RETURN_IF_ERROR(store->InitSchema());
  return store;
}

Status LabelStore::InitSchema() {
  // A large page cache keeps an import's dirty pages in memory until commit instead of spilling
  // them to the WAL one by one (the default cache is 2 MB).
  FT_RETURN_IF_ERROR(
      db_->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-262144; "
                "PRAGMA temp_store=MEMORY;"));
  FT_ASSIGN_OR_RETURN(
      auto has_meta,
      db_->Prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"));
  FT_ASSIGN_OR_RETURN(bool exists, has_meta->Step());
  has_meta->Reset();
  if (exists) {
    FT_ASSIGN_OR_RETURN(auto v, db_->Prepare("SELECT value FROM meta WHERE key='format_version'"));
    FT_ASSIGN_OR_RETURN(bool row, v->Step());
    if (row) {
      if (v->Text(0) != std::to_string(kFormatVersion)) {
        return Status::Corruption(
            sqlite_path() + ": label store format version " + std::string(v->Text(0)) +
            " is not supported (this build reads version " + std::to_string(kFormatVersion) + ")");
      }
      return Status::OK();
    }
  }
  FT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  Status s = db_->Exec(kSchema);
  if (s.ok()) {
    s = db_->Exec("INSERT OR IGNORE INTO meta VALUES('format_version', '" +
                  std::to_string(kFormatVersion) +
                  "'); INSERT OR IGNORE INTO meta VALUES('generation', '0');");
  }
  if (!s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  return db_->Exec("COMMIT");
}

Result<uint64_t> LabelStore::Generation() const {
  FT_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT value FROM meta WHERE key='generation'"));
  FT_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return Status::Corruption(sqlite_path() + ": no generation in meta");
  return static_cast<uint64_t>(std::stoull(std::string(st->Text(0))));
}

Result<std::vector<Tag>> LabelStore::ReadTags(SqliteStatement* stmt) const {
  std::vector<Tag> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) {
      stmt->Reset();
      return row.status();
    }
    if (!*row) break;
    out.push_back(TagFromRow(*stmt));
  }
  stmt->Reset();
  std::sort(out.begin(), out.end(), TagOutranks);
  return out;
}

Result<std::vector<Tag>> LabelStore::TagsOf(Chain chain, std::string_view address_key) const {
  if (!tags_of_) {
    FT_ASSIGN_OR_RETURN(
        tags_of_, db_->Prepare(std::string(kTagColumns) + "WHERE t.chain = ?1 AND t.address = ?2"));
  }
  tags_of_->Bind(1, static_cast<int64_t>(chain)).BindBlob(2, address_key);
  return ReadTags(tags_of_.get());
}

Result<std::vector<std::vector<Tag>>> LabelStore::TagsOfMany(
    Chain chain, std::span<const std::string> keys) const {
  std::vector<std::vector<Tag>> out;
  out.reserve(keys.size());
  for (const auto& k : keys) {
    FT_ASSIGN_OR_RETURN(auto tags, TagsOf(chain, k));
    out.push_back(std::move(tags));
  }
  return out;
}

Result<std::vector<Tag>> LabelStore::Search(std::string_view text, size_t limit,
                                            uint64_t* total) const {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern += "%";
  const std::string where = "WHERE t.label LIKE ?1 ESCAPE '\\' OR e.name LIKE ?1 ESCAPE '\\' ";
  FT_ASSIGN_OR_RETURN(
      auto count,
      db_->Prepare("SELECT COUNT(*) FROM tags t LEFT JOIN entities e ON e.id = t.entity_id " +
                   where));
  count->BindText(1, pattern);
  FT_ASSIGN_OR_RETURN(bool row, count->Step());
  *total = row ? static_cast<uint64_t>(count->Int(0)) : 0;
  FT_ASSIGN_OR_RETURN(
      auto st, db_->Prepare(std::string(kTagColumns) + where +
                            "ORDER BY t.confidence DESC, t.severity DESC, t.label, t.id LIMIT ?2"));
  st->BindText(1, pattern).Bind(2, static_cast<int64_t>(limit));
  std::vector<Tag> out;
  for (;;) {
    FT_ASSIGN_OR_RETURN(bool r, st->Step());
    if (!r) break;
    out.push_back(TagFromRow(*st));
  }
  return out;
}

Result<std::optional<EntityInfo>> LabelStore::FindEntity(std::string_view name) const {
  FT_ASSIGN_OR_RETURN(
      auto st,
      db_->Prepare(
          "SELECT e.id, e.key, e.name, e.category, e.categories, e.uri, e.jurisdictions, "
          "e.context, e.source, "
          "(SELECT COUNT(*) FROM tags t WHERE t.entity_id = e.id), e.actor "
          "FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE a.alias = ?"));
  st->BindText(1, NormalizeEntityKey(name));
  FT_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<EntityInfo>();
  EntityInfo e;
  e.id = st->Int(0);
  e.key = std::string(st->Text(1));
  e.name = std::string(st->Text(2));
  e.category = std::string(st->Text(3));
  e.categories = std::string(st->Text(4));
  e.uri = std::string(st->Text(5));
  e.jurisdictions = std::string(st->Text(6));
  e.context = std::string(st->Text(7));
  e.source = std::string(st->Text(8));
  e.tags = static_cast<uint64_t>(st->Int(9));
  e.actor = std::string(st->Text(10));
  return std::optional<EntityInfo>(std::move(e));
}

Result<LabelStats> LabelStore::Stats() const {
  LabelStats s;
  FT_ASSIGN_OR_RETURN(s.generation, Generation());
  auto rows = [&](const std::string& group, int keys, std::vector<LabelStats::Row>* out,
                  const std::string& where = "") -> Status {
    FT_ASSIGN_OR_RETURN(
        auto st, db_->Prepare("SELECT " + group + ", COUNT(*), COUNT(DISTINCT address) FROM tags " +
                              where + " GROUP BY " + group + " ORDER BY COUNT(*) DESC, " + group));
    for (;;) {
      FT_ASSIGN_OR_RETURN(bool r, st->Step());
      if (!r) break;
      LabelStats::Row row;
      for (int i = 0; i < keys; ++i) row.key.emplace_back(st->Text(i));
      row.tags = static_cast<uint64_t>(st->Int(keys));
      row.addresses = static_cast<uint64_t>(st->Int(keys + 1));
      out->push_back(std::move(row));
    }
    return Status::OK();
  };
  FT_RETURN_IF_ERROR(rows("source", 1, &s.by_source));
  FT_RETURN_IF_ERROR(rows("source, dataset", 2, &s.by_dataset));
  FT_RETURN_IF_ERROR(rows("source, network", 2, &s.by_network));
  FT_RETURN_IF_ERROR(rows("category", 1, &s.by_category));
  FT_RETURN_IF_ERROR(rows("abuse", 1, &s.by_abuse, "WHERE abuse <> ''"));
  FT_RETURN_IF_ERROR(rows("chain", 1, &s.by_chain));
  for (auto& r : s.by_chain) {
    auto c = static_cast<Chain>(std::stoi(r.key[0]));
    r.key[0] = std::string(ChainName(c));
  }
  FT_ASSIGN_OR_RETURN(
      auto totals,
      db_->Prepare(
          "SELECT (SELECT COUNT(*) FROM tags), (SELECT COUNT(DISTINCT address) FROM tags), "
          "(SELECT COUNT(*) FROM entities), (SELECT COUNT(*) FROM entities WHERE source = "
          "'graphsense-actors')"));
  FT_ASSIGN_OR_RETURN(bool row, totals->Step());
  if (row) {
    s.tags = static_cast<uint64_t>(totals->Int(0));
    s.addresses = static_cast<uint64_t>(totals->Int(1));
    s.entities = static_cast<uint64_t>(totals->Int(2));
    s.actor_entities = static_cast<uint64_t>(totals->Int(3));
  }
  FT_ASSIGN_OR_RETURN(auto imports,
                      db_->Prepare("SELECT source, dataset, time, records, invalid, unsupported, "
                                   "skipped FROM dataset_imports ORDER BY source, dataset"));
  for (;;) {
    FT_ASSIGN_OR_RETURN(bool r, imports->Step());
    if (!r) break;
    s.imports.push_back(
        {std::string(imports->Text(0)), std::string(imports->Text(1)), imports->Int(2),
         static_cast<uint64_t>(imports->Int(3)), static_cast<uint64_t>(imports->Int(4)),
         static_cast<uint64_t>(imports->Int(5)), static_cast<uint64_t>(imports->Int(6))});
  }
  FT_ASSIGN_OR_RETURN(
      auto unmapped,
      db_->Prepare("SELECT source, label, tags FROM unmapped ORDER BY source, tags DESC, label"));
  for (;;) {
    FT_ASSIGN_OR_RETURN(bool r, unmapped->Step());
    if (!r) break;
    s.unmapped.emplace_back(std::string(unmapped->Text(0)), std::string(unmapped->Text(1)),
                            static_cast<uint64_t>(unmapped->Int(2)));
  }
  return s;
}

Result<std::vector<ImportIssue>> LabelStore::Issues(std::string_view source) const {
  FT_ASSIGN_OR_RETURN(
      auto st,
      db_->Prepare("SELECT kind, source, dataset, origin, address, reason FROM import_issues "
                   "WHERE ?1 = '' OR source = ?1 ORDER BY rowid"));
  st->BindText(1, source);
  std::vector<ImportIssue> out;
  for (;;) {
    FT_ASSIGN_OR_RETURN(bool r, st->Step());
    if (!r) break;
    out.push_back({std::string(st->Text(0)), std::string(st->Text(1)), std::string(st->Text(2)),
                   std::string(st->Text(3)), std::string(st->Text(4)), std::string(st->Text(5))});
  }
  return out;
}

Status LabelStore::ForEachTag(std::string_view source,
                              const std::function<Status(const Tag&)>& fn) const {
  FT_ASSIGN_OR_RETURN(
      auto st, db_->Prepare(std::string(kTagColumns) +
                            "WHERE ?1 = '' OR t.source = ?1 ORDER BY t.source, t.dataset, t.id"));
  st->BindText(1, source);
  for (;;) {
    FT_ASSIGN_OR_RETURN(bool r, st->Step());
    if (!r) break;
    FT_RETURN_IF_ERROR(fn(TagFromRow(*st)));
  }
  return Status::OK();
}

Status LabelStore::BuildIndex(uint64_t generation) {
  std::vector<std::pair<std::string, int>> terms;
  for (const auto& t : taxonomy_.categories()) terms.emplace_back(t.id, t.severity);
  for (const auto& t : taxonomy_.abuses()) terms.emplace_back(t.id, t.severity);
  ScreenIndexWriter writer(terms);
  FT_ASSIGN_OR_RETURN(
      auto st,
      db_->Prepare(
          "SELECT t.id, t.chain, t.address, t.label, COALESCE(e.name, ''), t.category, t.abuse, "
          "t.severity, "
          "t.source, t.dataset, t.confidence, t.last_seen, t.network "
          "FROM tags t LEFT JOIN entities e ON e.id = t.entity_id ORDER BY t.chain, t.address"));
  uint64_t tag_count = 0;
  std::vector<Tag> group;
  auto flush = [&] {
    if (group.empty()) return;
    const Tag* win = &group[0];
    for (const auto& t : group) {
      if (TagOutranks(t, *win)) win = &t;
    }
    // The entity: the winner's, else that of the best-ranked tag naming one.
    const Tag* named = nullptr;
    for (const auto& t : group) {
      if (!t.entity.empty() && (!named || TagOutranks(t, *named))) named = &t;
    }
    ScreenEntryInput in;
    in.key = win->address;
    in.chain = win->chain;
    in.label = win->label;
    in.entity = !win->entity.empty() ? std::string_view(win->entity)
                : named              ? std::string_view(named->entity)
                                     : std::string_view();
    in.source = win->source;
    in.network = win->network;
    in.category = win->category;
    in.abuse = win->abuse;
    in.confidence = win->confidence;
    in.tags = group.size();
    for (const auto& t : group) {
      in.terms.push_back(t.category);
      if (!t.abuse.empty()) in.terms.push_back(t.abuse);
    }
    writer.Add(in);
    group.clear();
  };
  for (;;) {
    FT_ASSIGN_OR_RETURN(bool r, st->Step());
    if (!r) break;
    ++tag_count;
    Tag t;
    t.id = st->Int(0);
    t.chain = static_cast<Chain>(st->Int(1));
    t.address = std::string(st->Blob(2));
    if (!group.empty() && (group[0].address != t.address || group[0].chain != t.chain)) flush();
    t.label = std::string(st->Text(3));
    t.entity = std::string(st->Text(4));
    t.category = std::string(st->Text(5));
    t.abuse = std::string(st->Text(6));
    t.severity = static_cast<int>(st->Int(7));
    t.source = std::string(st->Text(8));
    t.dataset = std::string(st->Text(9));
    t.confidence = static_cast<int>(st->Int(10));
    t.last_seen = st->Int(11);
    t.network = std::string(st->Text(12));
    group.push_back(std::move(t));
  }
  flush();
  return writer.Write(index_path(), generation, tag_count);
}

Result<const ScreenIndex*> LabelStore::Index() {
  FT_ASSIGN_OR_RETURN(uint64_t gen, Generation());
  if (index_ && index_->generation() == gen) return index_.get();
  index_.reset();
  auto idx = ScreenIndex::Open(index_path());
  if (idx.ok() && (*idx)->generation() == gen) {
    index_ = std::move(idx).value();
    return index_.get();
  }
  if (!idx.ok() && !idx.status().IsNotFound() && idx.status().code() != Status::Code::kCorruption) {
    return idx.status();
  }
  // Missing, damaged or stale: rebuild under the write lock.
  FT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  auto g = Generation();
  Status s = g.ok() ? BuildIndex(*g) : g.status();
  Status end = db_->Exec(s.ok() ? "COMMIT" : "ROLLBACK");
  FT_RETURN_IF_ERROR(s);
  FT_RETURN_IF_ERROR(end);
  FT_ASSIGN_OR_RETURN(index_, ScreenIndex::Open(index_path()));
  return index_.get();
}

Result<Tag> LabelStore::DeleteTag(int64_t id, std::string_view only_source) {
  FT_ASSIGN_OR_RETURN(auto txn, BeginImport());
  FT_ASSIGN_OR_RETURN(Tag tag, txn->DeleteTag(id, only_source));
  ImportReport report;
  report.datasets[{tag.source, tag.dataset}].tags_deleted = 1;
  FT_RETURN_IF_ERROR(txn->Commit(&report, tag.source, {"delete " + std::to_string(id)}));
  return tag;
}

Result<std::unique_ptr<LabelImportTxn>> LabelStore::BeginImport() {
  index_.reset();
  auto txn = std::unique_ptr<LabelImportTxn>(new LabelImportTxn(this));
  FT_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  txn->open_ = true;
  SqliteDb& db = *db_;
  FT_ASSIGN_OR_RETURN(txn->insert_,
                      db.Prepare("INSERT INTO tags(chain, address, source, dataset, network, "
                                 "label, source_label, category, abuse, "
                                 "severity, confidence, confidence_id, tag_type, entity_id, "
                                 "first_seen, last_seen, reference, context, origin, "
                                 "ident) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                 "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
                                 "ON CONFLICT(ident) DO NOTHING"));
  FT_ASSIGN_OR_RETURN(txn->select_,
                      db.Prepare("SELECT id, category, abuse, severity, confidence, confidence_id, "
                                 "tag_type, COALESCE(entity_id, 0), "
                                 "first_seen, last_seen, reference, context, chain, address, "
                                 "source, dataset, network, label, source_label "
                                 "FROM tags WHERE ident = ?1"));
  FT_ASSIGN_OR_RETURN(txn->update_,
                      db.Prepare("UPDATE tags SET category = ?2, abuse = ?3, severity = ?4, "
                                 "confidence = ?5, confidence_id = ?6, "
                                 "tag_type = ?7, entity_id = ?8, first_seen = ?9, last_seen = ?10, "
                                 "reference = ?11, context = ?12, "
                                 "origin = ?13 WHERE id = ?1"));
  FT_ASSIGN_OR_RETURN(txn->alias_,
                      db.Prepare("SELECT entity_id FROM entity_aliases WHERE alias = ?1"));
  FT_ASSIGN_OR_RETURN(
      txn->insert_entity_,
      db.Prepare("INSERT INTO entities(key, name, category, categories, uri, jurisdictions, "
                 "context, source, actor) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(key) DO NOTHING"));
  FT_ASSIGN_OR_RETURN(txn->insert_alias_,
                      db.Prepare("INSERT INTO entity_aliases(alias, entity_id) VALUES(?1, ?2) ON "
                                 "CONFLICT(alias) DO NOTHING"));
  FT_ASSIGN_OR_RETURN(txn->entity_by_key_, db.Prepare("SELECT id FROM entities WHERE key = ?1"));
  FT_ASSIGN_OR_RETURN(txn->entity_full_,
                      db.Prepare("SELECT id, name, category, categories, uri, jurisdictions, "
                                 "context, source, actor FROM entities WHERE key = ?1"));
  FT_ASSIGN_OR_RETURN(txn->update_entity_,
                      db.Prepare("UPDATE entities SET name = ?2, category = ?3, categories = ?4, "
                                 "uri = ?5, jurisdictions = ?6, "
                                 "context = ?7, source = ?8, actor = ?9 WHERE id = ?1"));
  FT_ASSIGN_OR_RETURN(txn->entity_source_, db.Prepare("SELECT source FROM entities WHERE id = ?1"));
  return txn;
}

LabelImportTxn::~LabelImportTxn() {
  insert_.reset();
  select_.reset();
  update_.reset();
  alias_.reset();
  insert_entity_.reset();
  insert_alias_.reset();
  entity_by_key_.reset();
  entity_full_.reset();
  update_entity_.reset();
  entity_source_.reset();
  if (open_) (void)store_->db_->Exec("ROLLBACK");
}

Status LabelImportTxn::BeginFile() {
  FT_RETURN_IF_ERROR(store_->db_->Exec("SAVEPOINT file"));
  in_file_ = true;
  changed_before_file_ = changed_;
  file_seen_.clear();
  return Status::OK();
}

Status LabelImportTxn::EndFile(bool keep) {
  in_file_ = false;
  if (keep) return store_->db_->Exec("RELEASE file");
  for (const auto& k : file_seen_) {
    seen_.erase(k);
    seen_entities_.erase(k);
  }
  file_seen_.clear();
  entity_cache_.clear();
  changed_ = changed_before_file_;
  FT_RETURN_IF_ERROR(store_->db_->Exec("ROLLBACK TO file"));
  return store_->db_->Exec("RELEASE file");
}

Result<int64_t> LabelImportTxn::EntityId(const Tag& tag) {
  if (tag.entity_key.empty()) return int64_t{0};
  auto it = entity_cache_.find(tag.entity_key);
  if (it != entity_cache_.end()) return it->second;
  alias_->BindText(1, tag.entity_key);
  FT_ASSIGN_OR_RETURN(bool found, alias_->Step());
  int64_t id = found ? alias_->Int(0) : 0;
  alias_->Reset();
  if (!found) {
    std::string name = tag.entity.empty() ? tag.entity_key : tag.entity;
    insert_entity_->BindText(1, tag.entity_key)
        .BindText(2, name)
        .BindText(3, tag.category)
        .BindText(4, "")
        .BindText(5, "")
        .BindText(6, "")
        .BindText(7, "")
        .BindText(8, "derived")
        .BindText(9, "");
    FT_RETURN_IF_ERROR(insert_entity_->Run());
    if (store_->db_->Changes() > 0) changed_ = true;
    entity_by_key_->BindText(1, tag.entity_key);
    FT_ASSIGN_OR_RETURN(bool row, entity_by_key_->Step());
    id = row ? entity_by_key_->Int(0) : 0;
    entity_by_key_->Reset();
    if (id == 0) return store_->db_->Error("entity '" + tag.entity_key + "' vanished");
    insert_alias_->BindText(1, tag.entity_key).Bind(2, id);
    FT_RETURN_IF_ERROR(insert_alias_->Run());
  }
  entity_cache_[tag.entity_key] = id;
  return id;
}

Result<AddResult> LabelImportTxn::AddTag(const Tag& tag) {
  std::string key = TagKey(tag);
  if (!seen_.insert(key).second) return AddResult::kRepeated;
  if (in_file_) file_seen_.push_back(key);
  FT_ASSIGN_OR_RETURN(int64_t entity_id, EntityId(tag));
  SqliteStatement& ins = *insert_;
  ins.Bind(1, static_cast<int64_t>(tag.chain))
      .BindBlob(2, tag.address)
      .BindText(3, tag.source)
      .BindText(4, tag.dataset)
      .BindText(5, tag.network)
      .BindText(6, tag.label)
      .BindText(7, tag.source_label)
      .BindText(8, tag.category)
      .BindText(9, tag.abuse)
      .Bind(10, tag.severity)
      .Bind(11, tag.confidence)
      .BindText(12, tag.confidence_id)
      .Bind(13, static_cast<int64_t>(tag.tag_type));
  if (entity_id)
    ins.Bind(14, entity_id);
  else
    ins.BindNull(14);
  std::string ident = Ident(key);
  ins.Bind(15, tag.first_seen)
      .Bind(16, tag.last_seen)
      .BindText(17, tag.reference)
      .BindText(18, tag.context)
      .BindText(19, tag.origin)
      .BindBlob(20, ident);
  FT_RETURN_IF_ERROR(ins.Run());
  if (store_->db_->Changes() > 0) {
    changed_ = true;
    return AddResult::kNew;
  }
  SqliteStatement& sel = *select_;
  sel.BindBlob(1, ident);
  FT_ASSIGN_OR_RETURN(bool row, sel.Step());
  if (!row) {
    sel.Reset();
    return store_->db_->Error("tag conflict without a stored row");
  }
  if (sel.Int(12) != static_cast<int64_t>(tag.chain) || sel.Blob(13) != tag.address ||
      sel.Text(14) != tag.source || sel.Text(15) != tag.dataset || sel.Text(16) != tag.network ||
      sel.Text(17) != tag.label || sel.Text(18) != tag.source_label) {
    sel.Reset();
    return Status::Corruption(store_->sqlite_path() +
                              ": two tags share an identity digest (label '" + tag.label + "')");
  }
  int64_t id = sel.Int(0);
  // Seen dates only widen: an import without a date does not erase the date another gave.
  int64_t first_seen = sel.Int(8), last_seen = std::max(sel.Int(9), tag.last_seen);
  if (tag.first_seen && (!first_seen || tag.first_seen < first_seen)) first_seen = tag.first_seen;
  bool same = sel.Text(1) == tag.category && sel.Text(2) == tag.abuse &&
              sel.Int(3) == tag.severity && sel.Int(4) == tag.confidence &&
              sel.Text(5) == tag.confidence_id &&
              sel.Int(6) == static_cast<int64_t>(tag.tag_type) && sel.Int(7) == entity_id &&
              sel.Int(8) == first_seen && sel.Int(9) == last_seen &&
              sel.Text(10) == tag.reference && sel.Text(11) == tag.context;
  sel.Reset();
  if (same) return AddResult::kUnchanged;
  SqliteStatement& up = *update_;
  up.Bind(1, id)
      .BindText(2, tag.category)
      .BindText(3, tag.abuse)
      .Bind(4, tag.severity)
      .Bind(5, tag.confidence)
      .BindText(6, tag.confidence_id)
      .Bind(7, static_cast<int64_t>(tag.tag_type));
  if (entity_id)
    up.Bind(8, entity_id);
  else
    up.BindNull(8);
  up.Bind(9, first_seen)
      .Bind(10, last_seen)
      .BindText(11, tag.reference)
      .BindText(12, tag.context)
      .BindText(13, tag.origin);
  FT_RETURN_IF_ERROR(up.Run());
  changed_ = true;
  return AddResult::kUpdated;
}

Result<AddResult> LabelImportTxn::AddEntity(const EntityRecord& e) {
  if (!seen_entities_.insert(e.key).second) return AddResult::kRepeated;
  if (in_file_) file_seen_.push_back(e.key);
  SqliteDb& db = *store_->db_;
  AddResult result;
  entity_full_->BindText(1, e.key);
  FT_ASSIGN_OR_RETURN(bool exists, entity_full_->Step());
  int64_t id = 0;
  if (exists) {
    id = entity_full_->Int(0);
    bool same = entity_full_->Text(1) == e.name && entity_full_->Text(2) == e.category &&
                entity_full_->Text(3) == e.categories && entity_full_->Text(4) == e.uri &&
                entity_full_->Text(5) == e.jurisdictions && entity_full_->Text(6) == e.context &&
                entity_full_->Text(7) == e.source && entity_full_->Text(8) == e.actor;
    entity_full_->Reset();
    if (same) {
      result = AddResult::kUnchanged;
    } else {
      update_entity_->Bind(1, id)
          .BindText(2, e.name)
          .BindText(3, e.category)
          .BindText(4, e.categories)
          .BindText(5, e.uri)
          .BindText(6, e.jurisdictions)
          .BindText(7, e.context)
          .BindText(8, e.source)
          .BindText(9, e.actor);
      FT_RETURN_IF_ERROR(update_entity_->Run());
      result = AddResult::kUpdated;
      changed_ = true;
    }
  } else {
    entity_full_->Reset();
    insert_entity_->BindText(1, e.key)
        .BindText(2, e.name)
        .BindText(3, e.category)
        .BindText(4, e.categories)
        .BindText(5, e.uri)
        .BindText(6, e.jurisdictions)
        .BindText(7, e.context)
        .BindText(8, e.source)
        .BindText(9, e.actor);
    FT_RETURN_IF_ERROR(insert_entity_->Run());
    id = db.LastInsertRowid();
    result = AddResult::kNew;
    changed_ = true;
  }
  // Aliases: claim free ones; absorb entities that were only derived from tag labels.
  std::vector<std::string> aliases = {e.key};
  for (const auto& a : e.aliases) aliases.push_back(NormalizeEntityKey(a));
  for (const auto& a : aliases) {
    if (a.empty()) continue;
    alias_->BindText(1, a);
    FT_ASSIGN_OR_RETURN(bool found, alias_->Step());
    int64_t owner = found ? alias_->Int(0) : 0;
    alias_->Reset();
    if (owner == id) continue;
    if (!found) {
      insert_alias_->BindText(1, a).Bind(2, id);
      FT_RETURN_IF_ERROR(insert_alias_->Run());
      changed_ = true;
      continue;
    }
    entity_source_->Bind(1, owner);
    FT_ASSIGN_OR_RETURN(bool has, entity_source_->Step());
    bool derived = has && entity_source_->Text(0) == "derived";
    entity_source_->Reset();
    if (!derived) continue;  // another actor's alias: the first actor keeps it
    std::string o = std::to_string(owner), t = std::to_string(id);
    FT_RETURN_IF_ERROR(db.Exec("UPDATE tags SET entity_id = " + t + " WHERE entity_id = " + o +
                               "; UPDATE entity_aliases SET entity_id = " + t +
                               " WHERE entity_id = " + o +
                               "; DELETE FROM entities WHERE id = " + o + ";"));
    ++merged_;
    changed_ = true;
    entity_cache_.clear();
  }
  return result;
}

Result<Tag> LabelImportTxn::DeleteTag(int64_t id, std::string_view only_source) {
  SqliteDb& db = *store_->db_;
  FT_ASSIGN_OR_RETURN(auto sel, db.Prepare(std::string(kTagColumns) + "WHERE t.id = ?1"));
  sel->Bind(1, id);
  FT_ASSIGN_OR_RETURN(bool row, sel->Step());
  if (!row) return Status::NotFound("no label with id " + std::to_string(id));
  Tag tag = TagFromRow(*sel);
  sel->Reset();
  if (!only_source.empty() && tag.source != only_source) {
    return Status::InvalidArgument("label " + std::to_string(id) + " comes from source '" +
                                   tag.source + "': only " + std::string(only_source) +
                                   " labels can be deleted");
  }
  FT_ASSIGN_OR_RETURN(auto entity, db.Prepare("SELECT entity_id FROM tags WHERE id = ?1"));
  entity->Bind(1, id);
  FT_ASSIGN_OR_RETURN(bool has_row, entity->Step());
  const int64_t entity_id = has_row ? entity->Int(0) : 0;
  entity->Reset();
  FT_ASSIGN_OR_RETURN(auto del, db.Prepare("DELETE FROM tags WHERE id = ?1"));
  del->Bind(1, id);
  FT_RETURN_IF_ERROR(del->Run());
  if (entity_id != 0) {
    // An entity made up from tag labels lives only as long as a tag names it; one a source
    // described (an actor) stays.
    FT_ASSIGN_OR_RETURN(auto orphan,
                        db.Prepare("SELECT 1 FROM entities e WHERE e.id = ?1 AND e.source = "
                                   "'derived' AND NOT EXISTS (SELECT 1 FROM tags t WHERE "
                                   "t.entity_id = e.id)"));
    orphan->Bind(1, entity_id);
    FT_ASSIGN_OR_RETURN(bool is_orphan, orphan->Step());
    orphan->Reset();
    if (is_orphan) {
      FT_ASSIGN_OR_RETURN(auto aliases,
                          db.Prepare("DELETE FROM entity_aliases WHERE entity_id = ?1"));
      aliases->Bind(1, entity_id);
      FT_RETURN_IF_ERROR(aliases->Run());
      FT_ASSIGN_OR_RETURN(auto ent, db.Prepare("DELETE FROM entities WHERE id = ?1"));
      ent->Bind(1, entity_id);
      FT_RETURN_IF_ERROR(ent->Run());
    }
  }
  // A tag added again later in this transaction is new, and its entity may be made anew.
  seen_.erase(TagKey(tag));
  entity_cache_.clear();
  changed_ = true;
  return tag;
}

Status LabelImportTxn::Commit(ImportReport* report, const std::string& source,
                              const std::vector<std::string>& paths) {
  SqliteDb& db = *store_->db_;
  report->entities_merged += merged_;
  bool new_dataset = false;
  {
    FT_ASSIGN_OR_RETURN(
        auto st, db.Prepare("SELECT 1 FROM dataset_imports WHERE source = ?1 AND dataset = ?2"));
    for (const auto& [k, c] : report->datasets) {
      st->BindText(1, k.first).BindText(2, k.second);
      FT_ASSIGN_OR_RETURN(bool row, st->Step());
      st->Reset();
      if (!row) new_dataset = true;
    }
  }
  if (!changed_ && !new_dataset) {
    open_ = false;
    report->changed = false;
    return db.Exec("ROLLBACK");
  }
  int64_t now = NowSeconds();
  DatasetCounts total = report->Total();
  nlohmann::json summary = {{"records", total.records},         {"new", total.tags_new},
                            {"updated", total.tags_updated},    {"unchanged", total.tags_unchanged},
                            {"repeated", total.repeated},       {"invalid", total.invalid},
                            {"unsupported", total.unsupported}, {"skipped", total.skipped},
                            {"deleted", total.tags_deleted},    {"files", report->files.size()}};
  nlohmann::json path_list = paths;
  FT_ASSIGN_OR_RETURN(
      auto log,
      db.Prepare("INSERT INTO imports(time, source, paths, summary) VALUES(?1, ?2, ?3, ?4)"));
  log->Bind(1, now).BindText(2, source).BindText(3, path_list.dump()).BindText(4, summary.dump());
  FT_RETURN_IF_ERROR(log->Run());
  int64_t import_id = db.LastInsertRowid();
  FT_ASSIGN_OR_RETURN(auto ds,
                      db.Prepare("INSERT OR REPLACE INTO dataset_imports(source, dataset, "
                                 "import_id, time, records, invalid, unsupported, skipped) "
                                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  FT_ASSIGN_OR_RETURN(auto del_issues,
                      db.Prepare("DELETE FROM import_issues WHERE source = ?1 AND dataset = ?2"));
  for (const auto& [k, c] : report->datasets) {
    ds->BindText(1, k.first)
        .BindText(2, k.second)
        .Bind(3, import_id)
        .Bind(4, now)
        .Bind(5, static_cast<int64_t>(c.records))
        .Bind(6, static_cast<int64_t>(c.invalid))
        .Bind(7, static_cast<int64_t>(c.unsupported))
        .Bind(8, static_cast<int64_t>(c.skipped));
    FT_RETURN_IF_ERROR(ds->Run());
    del_issues->BindText(1, k.first).BindText(2, k.second);
    FT_RETURN_IF_ERROR(del_issues->Run());
  }
  FT_ASSIGN_OR_RETURN(auto issue,
                      db.Prepare("INSERT INTO import_issues(source, dataset, kind, origin, "
                                 "address, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
  for (const auto& i : report->issues) {
    issue->BindText(1, i.source)
        .BindText(2, i.dataset)
        .BindText(3, i.kind)
        .BindText(4, i.origin)
        .BindText(5, i.address)
        .BindText(6, i.reason);
    FT_RETURN_IF_ERROR(issue->Run());
  }
  std::map<std::string, bool> sources;
  for (const auto& [k, c] : report->datasets) sources[k.first] = true;
  FT_ASSIGN_OR_RETURN(auto del_unmapped, db.Prepare("DELETE FROM unmapped WHERE source = ?1"));
  for (const auto& [s, unused] : sources) {
    del_unmapped->BindText(1, s);
    FT_RETURN_IF_ERROR(del_unmapped->Run());
  }
  FT_ASSIGN_OR_RETURN(
      auto um, db.Prepare("INSERT INTO unmapped(source, label, tags) VALUES(?1, ?2, ?3) "
                          "ON CONFLICT(source, label) DO UPDATE SET tags = tags + excluded.tags"));
  for (const auto& [k, n] : report->unmapped) {
    um->BindText(1, k.first).BindText(2, k.second).Bind(3, static_cast<int64_t>(n));
    FT_RETURN_IF_ERROR(um->Run());
  }
  FT_ASSIGN_OR_RETURN(uint64_t gen, store_->Generation());
  ++gen;
  FT_RETURN_IF_ERROR(
      db.Exec("UPDATE meta SET value = '" + std::to_string(gen) + "' WHERE key = 'generation'"));
  FT_RETURN_IF_ERROR(store_->BuildIndex(gen));
  FT_RETURN_IF_ERROR(db.Exec("COMMIT"));
  open_ = false;
  report->changed = true;
  return Status::OK();
}

}  // namespace fundtrace
