// Labels written through the API: tags of source "user" (dataset "api") in the label store, so
// they rank, screen and stop traces like any imported tag (docs/labels.md). Only user tags may be
// changed or deleted; imported ones are the sources' statements.
//
// Each change is one label-store transaction (LabelImportTxn) that also bumps the store's
// generation and rebuilds the screening index before it commits; readers see the change once it
// commits.
// Thread-safety: functions may be called from any thread (each uses that thread's connection).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "server/data_context.h"
#include "util/status.h"

namespace fundtrace {

struct UserLabel {
  Chain chain = Chain::kEthereum;
  std::string address;  // as written; parsed on save
  std::string label, entity, category, abuse, reference;
  int confidence = 50;
};

// Parses {chain, address, label, entity, category, abuse, confidence, reference}.
// Errors: InvalidArgument naming the field (unknown category or abuse: the valid ids).
Result<UserLabel> ParseUserLabel(const nlohmann::json& body);
// Stores the label; returns the new tag's id. Errors: InvalidArgument (bad address), IOError.
Result<int64_t> CreateUserLabel(DataContext& data, const UserLabel& label);
// Replaces the user tag `id` by `label` in one transaction (readers see the old tag or the new
// one, never neither); returns the new tag's id. Errors as DeleteUserLabel and CreateUserLabel.
Result<int64_t> ReplaceUserLabel(DataContext& data, int64_t id, const UserLabel& label);
// Deletes the user tag `id` through LabelStore::DeleteTag (with the entity only it named, and
// the screening index rebuilt). NotFound when no such tag, InvalidArgument when it is not a
// user tag.
Status DeleteUserLabel(DataContext& data, int64_t id);

// The tags of an address as the API shows them: [{id, label, entity, category, abuse, source,
// dataset, confidence, reference}], winner first.
Result<nlohmann::json> TagsJson(DataContext& data, Chain chain, std::string_view key);

}  // namespace fundtrace
