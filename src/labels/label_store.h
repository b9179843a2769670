// The label store of a data directory: every tag of every source in SQLite
// (<data>/labels.sqlite, WAL), and the screening index rebuilt from it after each import
// (<data>/labels.idx, see screen_index.h). Tags are never merged: each source's statement is
// kept; readers get them ranked by TagOutranks (winner first).
//
// Writes happen in imports: one SQLite transaction per import, so a failed import changes
// nothing; an import that changes no tag writes nothing. Readers see the state of the last
// committed import. The screening index carries the store's generation; when it does not match
// (a crash between the two writes) Index() rebuilds it.
//
// A LabelStore is not thread-safe; open one per thread (SQLite connections are cheap). The
// ScreenIndex it hands out is immutable and may be shared.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "labels/import_report.h"
#include "labels/screen_index.h"
#include "labels/sqlite_db.h"
#include "labels/tag.h"
#include "labels/tag_sink.h"
#include "labels/taxonomy.h"
#include "util/status.h"

namespace fundtrace {

struct LabelStoreOptions {
  // Create labels.sqlite (and the data directory) when absent. Default: NotFound when absent.
  bool create = false;
  // Taxonomy used to rank risks in the screening index; nullptr = Taxonomy::Default().
  const Taxonomy* taxonomy = nullptr;
};

struct EntityInfo {
  int64_t id = 0;
  std::string key, name, category, categories, uri, jurisdictions, context, source, actor;
  uint64_t tags = 0;
};

// Counts for `labels stats`.
struct LabelStats {
  struct Row {
    std::vector<std::string> key;  // the grouping values
    uint64_t tags = 0, addresses = 0;
  };
  uint64_t tags = 0, addresses = 0, entities = 0, actor_entities = 0;
  std::vector<Row> by_source, by_dataset, by_network, by_category, by_abuse, by_chain;
  // What the last import of each (source, dataset) read and could not store.
  struct DatasetImport {
    std::string source, dataset;
    int64_t time = 0;
    uint64_t records = 0, invalid = 0, unsupported = 0, skipped = 0;
  };
  std::vector<DatasetImport> imports;
  // Unmapped source labels of the last import of each source: (source, label, tags).
  std::vector<std::tuple<std::string, std::string, uint64_t>> unmapped;
  uint64_t generation = 0;
};

class LabelStore;

// One import: a write transaction that is a TagSink. Commit() makes it durable and rebuilds
// the screening index; destroying it without Commit() rolls everything back.
class LabelImportTxn : public TagSink {
 public:
  ~LabelImportTxn() override;
  Result<AddResult> AddTag(const Tag& tag) override;
  Result<AddResult> AddEntity(const EntityRecord& entity) override;
  Status BeginFile() override;
  Status EndFile(bool keep) override;
  // Records the report (per-dataset counts, issues, unmapped labels) and commits. When nothing
  // changed, rolls back instead and sets report->changed = false.
  Status Commit(ImportReport* report, const std::string& source,
                const std::vector<std::string>& paths);
  // Deletes the tag `id` and what only it kept: its entity when that entity was derived from
  // tag labels (not described by a source such as an actor pack) and no other tag names it,
  // with the entity's aliases. `only_source` (when not empty): the tag must come from that
  // source. Returns the deleted tag; counts, the generation and the screening index follow at
  // Commit like any other change. Errors: NotFound (no tag `id`), InvalidArgument (another
  // source), IOError.
  Result<Tag> DeleteTag(int64_t id, std::string_view only_source = "");

 private:
  friend class LabelStore;
  explicit LabelImportTxn(LabelStore* store) : store_(store) {}
  Result<int64_t> EntityId(const Tag& tag);
  LabelStore* store_;
  bool open_ = false, in_file_ = false, changed_ = false, changed_before_file_ = false;
  uint64_t merged_ = 0;
  std::unordered_map<std::string, int64_t> entity_cache_;
  std::unordered_set<std::string> seen_;
  std::vector<std::string> file_seen_;
  std::unordered_set<std::string> seen_entities_;
  std::unique_ptr<SqliteStatement> insert_, select_, update_, alias_, insert_entity_, insert_alias_,
      entity_by_key_, entity_full_, update_entity_, entity_source_;
};

class LabelStore {
 public:
  // Opens <data_dir>/labels.sqlite. Errors: NotFound "no labels in <dir> yet: ..." when absent
  // and !options.create; IOError/Corruption naming the file.
  static Result<std::unique_ptr<LabelStore>> Open(const std::string& data_dir,
                                                  const LabelStoreOptions& options = {});
  ~LabelStore();
  LabelStore(const LabelStore&) = delete;
  LabelStore& operator=(const LabelStore&) = delete;

  // All tags of one address (binary key, chain/address.h), winner first; empty when none.
  Result<std::vector<Tag>> TagsOf(Chain chain, std::string_view address_key) const;
  // TagsOf for many addresses with one prepared statement: result[i] belongs to keys[i].
  Result<std::vector<std::vector<Tag>>> TagsOfMany(Chain chain,
                                                   std::span<const std::string> keys) const;
  // Tags whose label or entity name contains `text` (case-insensitive), best first (confidence,
  // then severity), at most `limit`; *total gets the number of matches.
  Result<std::vector<Tag>> Search(std::string_view text, size_t limit, uint64_t* total) const;
  // The entity with this key or alias (NormalizeEntityKey of a name); nullopt when none.
  Result<std::optional<EntityInfo>> FindEntity(std::string_view name) const;
  Result<LabelStats> Stats() const;
  // Issues listed by the last import of each dataset (optionally of one source).
  Result<std::vector<ImportIssue>> Issues(std::string_view source) const;
  // Calls fn for every tag (of `source` when not empty), ordered by source, dataset, id.
  Status ForEachTag(std::string_view source, const std::function<Status(const Tag&)>& fn) const;

  // The screening index, opened on first use and rebuilt when it is missing or stale.
  Result<const ScreenIndex*> Index();

  // Starts an import (BEGIN IMMEDIATE: waits for another importer to finish).
  Result<std::unique_ptr<LabelImportTxn>> BeginImport();

  // Deletes one tag in its own transaction (LabelImportTxn::DeleteTag, then Commit: an entry in
  // the import log, the generation bumped, labels.idx rebuilt before the commit, so readers see
  // the tag, the entity it alone kept and their index entries gone together or not at all).
  // Returns the deleted tag. Errors as LabelImportTxn::DeleteTag.
  Result<Tag> DeleteTag(int64_t id, std::string_view only_source = "");

  const std::string& data_dir() const { return data_dir_; }
  std::string sqlite_path() const { return data_dir_ + "/labels.sqlite"; }
  std::string index_path() const { return data_dir_ + "/labels.idx"; }
  Result<uint64_t> Generation() const;

 private:
  friend class LabelImportTxn;
  LabelStore(std::string data_dir, std::unique_ptr<SqliteDb> db, const Taxonomy& taxonomy);
  Status InitSchema();
  // Builds labels.idx from the tags as this connection sees them (inside a transaction: its
  // uncommitted writes).
  Status BuildIndex(uint64_t generation);
  Result<std::vector<Tag>> ReadTags(SqliteStatement* stmt) const;

  std::string data_dir_;
  std::unique_ptr<SqliteDb> db_;
  const Taxonomy& taxonomy_;
  std::unique_ptr<ScreenIndex> index_;
  mutable std::unique_ptr<SqliteStatement> tags_of_;
};

}  // namespace fundtrace
