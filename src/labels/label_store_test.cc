// The label store's delete: a tag goes with what only it kept (its derived entity, its entry in
// the screening index), in one transaction that readers see whole, and only when its source
// matches.
#include "labels/label_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "chain/address.h"
#include "labels/entity_name.h"

namespace fundtrace {
namespace {

class TempStoreDir {
 public:
  TempStoreDir() {
    static int counter = 0;
    path_ =
        std::filesystem::temp_directory_path() /
        ("fundtrace-labelstore-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
  }
  ~TempStoreDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

std::string Key(const char* address) { return *ParseAddress(Chain::kEthereum, address); }

Tag MakeTag(const char* address, const std::string& source, const std::string& label,
            const std::string& entity, const std::string& category) {
  Tag t;
  t.chain = Chain::kEthereum;
  t.address = Key(address);
  t.label = label;
  t.entity = entity;
  t.entity_key = entity.empty() ? "" : NormalizeEntityKey(entity);
  t.category = category;
  t.source = source;
  t.dataset = source == "user" ? "api" : "test";
  t.source_label = category;
  t.confidence = 50;
  t.network = "ETH";
  return t;
}

constexpr char kX[] = "0x00000000000000000000000000000000000f1000";
constexpr char kY[] = "0x00000000000000000000000000000000000f2000";
constexpr char kZ[] = "0x00000000000000000000000000000000000f3000";

int64_t IdOf(LabelStore& store, const char* address, const std::string& label) {
  auto tags = store.TagsOf(Chain::kEthereum, Key(address));
  EXPECT_TRUE(tags.ok()) << tags.status().message();
  for (const Tag& t : *tags) {
    if (t.label == label) return t.id;
  }
  ADD_FAILURE() << "no tag " << label << " at " << address;
  return 0;
}

class LabelStoreDelete : public ::testing::Test {
 protected:
  void SetUp() override {
    LabelStoreOptions o;
    o.create = true;
    auto s = LabelStore::Open(dir_.path(), o);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    auto txn = store_->BeginImport();
    ASSERT_TRUE(txn.ok()) << txn.status().message();
    // An actor a source describes, and tags naming it, a derived entity and a shared one.
    EntityRecord actor;
    actor.key = NormalizeEntityKey("Known Actor");
    actor.name = "Known Actor";
    actor.category = "exchange";
    actor.source = "graphsense-actors";
    ASSERT_TRUE((*txn)->AddEntity(actor).ok());
    for (const Tag& t : {MakeTag(kX, "user", "Deposit (case 7)", "Case Seven Desk", "exchange"),
                         MakeTag(kY, "ofac", "Sanctioned", "", "sanctioned"),
                         MakeTag(kY, "user", "Shared one", "Shared Group", "mixer"),
                         MakeTag(kZ, "ofac", "Shared two", "Shared Group", "mixer"),
                         MakeTag(kZ, "user", "Actor's wallet", "Known Actor", "exchange")}) {
      auto r = (*txn)->AddTag(t);
      ASSERT_TRUE(r.ok()) << r.status().message();
    }
    ImportReport report;
    report.datasets[{"user", "api"}].records = 5;
    ASSERT_TRUE((*txn)->Commit(&report, "user", {"test"}).ok());
  }

  TempStoreDir dir_;
  std::unique_ptr<LabelStore> store_;
};

TEST_F(LabelStoreDelete, RemovesTheTagItsDerivedEntityAndItsIndexEntry) {
  auto before = store_->Stats();
  ASSERT_TRUE(before.ok());
  auto idx = store_->Index();
  ASSERT_TRUE(idx.ok());
  ASSERT_NE((*idx)->Find(Key(kX)), nullptr);
  const uint64_t gen = (*idx)->generation();
  ASSERT_TRUE(store_->FindEntity("Case Seven Desk")->has_value());

  const int64_t id = IdOf(*store_, kX, "Deposit (case 7)");
  auto deleted = store_->DeleteTag(id, "user");
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(deleted->label, "Deposit (case 7)");
  EXPECT_TRUE(store_->TagsOf(Chain::kEthereum, Key(kX))->empty());
  EXPECT_FALSE(store_->FindEntity("Case Seven Desk")->has_value())
      << "an entity derived from the deleted tag alone goes with it";
  auto after = store_->Stats();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->tags, before->tags - 1);
  EXPECT_EQ(after->addresses, before->addresses - 1);
  EXPECT_EQ(after->entities, before->entities - 1);
  EXPECT_GT(after->generation, before->generation);
  idx = store_->Index();
  ASSERT_TRUE(idx.ok());
  EXPECT_GT((*idx)->generation(), gen);
  EXPECT_EQ((*idx)->Find(Key(kX)), nullptr) << "the screening index no longer lists it";
  EXPECT_EQ((*idx)->tags(), after->tags);
}

TEST_F(LabelStoreDelete, KeepsEntitiesOthersStillNameOrASourceDescribes) {
  ASSERT_TRUE(store_->DeleteTag(IdOf(*store_, kY, "Shared one"), "user").ok());
  auto shared = store_->FindEntity("Shared Group");
  ASSERT_TRUE(shared.ok() && shared->has_value()) << "the ofac tag on Z still names it";
  EXPECT_EQ((*shared)->tags, 1u);
  ASSERT_TRUE(store_->DeleteTag(IdOf(*store_, kZ, "Actor's wallet"), "user").ok());
  auto actor = store_->FindEntity("Known Actor");
  ASSERT_TRUE(actor.ok() && actor->has_value()) << "an actor from a source stays without tags";
  EXPECT_EQ((*actor)->tags, 0u);
  // Y keeps its other tag, and its index entry counts one tag now.
  auto idx = store_->Index();
  ASSERT_TRUE(idx.ok());
  const ScreenEntry* y = (*idx)->Find(Key(kY));
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->tags, 1);
  EXPECT_EQ((*idx)->TermName(y->category), "sanctioned");
}

TEST_F(LabelStoreDelete, RefusesOtherSourcesAndUnknownIdsAndChangesNothing) {
  const uint64_t gen = *store_->Generation();
  const int64_t ofac = IdOf(*store_, kY, "Sanctioned");
  auto wrong = store_->DeleteTag(ofac, "user");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("ofac"), std::string::npos) << wrong.status().message();
  auto missing = store_->DeleteTag(999999, "user");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_EQ(*store_->Generation(), gen) << "a refused delete commits nothing";
  EXPECT_EQ(store_->TagsOf(Chain::kEthereum, Key(kY))->size(), 2u);
  // Without a source restriction any tag can go (the CLI's or an operator's choice).
  EXPECT_TRUE(store_->DeleteTag(ofac).ok());
  EXPECT_EQ(store_->TagsOf(Chain::kEthereum, Key(kY))->size(), 1u);
}

TEST_F(LabelStoreDelete, ReplaceInOneTransactionAndSurviveAReopen) {
  const int64_t id = IdOf(*store_, kX, "Deposit (case 7)");
  {
    auto txn = store_->BeginImport();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->DeleteTag(id, "user").ok());
    auto added =
        (*txn)->AddTag(MakeTag(kX, "user", "Deposit (case 7)", "Case Seven Desk", "gambling"));
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(*added, AddResult::kNew);
    ImportReport report;
    report.datasets[{"user", "api"}].tags_deleted = 1;
    report.datasets[{"user", "api"}].tags_new = 1;
    ASSERT_TRUE((*txn)->Commit(&report, "user", {"test"}).ok());
  }
  auto tags = store_->TagsOf(Chain::kEthereum, Key(kX));
  ASSERT_EQ(tags->size(), 1u);
  EXPECT_NE((*tags)[0].id, id);
  EXPECT_EQ((*tags)[0].category, "gambling");
  EXPECT_EQ((*tags)[0].entity, "Case Seven Desk");
  // A second connection (another process, a server thread) sees the same, index included.
  auto again = LabelStore::Open(dir_.path());
  ASSERT_TRUE(again.ok()) << again.status().message();
  auto idx = (*again)->Index();
  ASSERT_TRUE(idx.ok());
  const ScreenEntry* x = (*idx)->Find(Key(kX));
  ASSERT_NE(x, nullptr);
  EXPECT_EQ((*idx)->TermName(x->category), "gambling");
  EXPECT_EQ(*(*again)->Generation(), *store_->Generation());
}

}  // namespace
}  // namespace fundtrace
