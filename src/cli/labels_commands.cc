#include "cli/labels_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "chain/address.h"
#include "cli/chain_flag.h"
#include "cli/format.h"
#include "labels/entity_name.h"
#include "labels/label_import.h"
#include "labels/label_store.h"
#include "labels/screener.h"
#include "labels/source_file.h"
#include "labels/tagpack_writer.h"
#include "labels/taxonomy.h"
#include "util/file_util.h"

namespace fundtrace {
namespace {

using Json = nlohmann::json;

constexpr size_t kIssuesShown = 12;
constexpr int kRiskSeverity = 40;  // risks listed by show/screen: severity >= this

std::string Dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Every category and abuse type the tags state with severity >= kRiskSeverity, most severe
// first.
std::vector<std::string> RisksOf(const std::vector<Tag>& tags, const Taxonomy& tax) {
  std::map<std::string, int> found;
  for (const auto& t : tags) {
    for (const std::string* id : {&t.category, &t.abuse}) {
      const TaxonomyTerm* term = tax.Term(*id);
      if (term && term->severity >= kRiskSeverity) found[*id] = term->severity;
    }
  }
  std::vector<std::pair<int, std::string>> v;
  for (const auto& [id, s] : found) v.emplace_back(-s, id);
  std::sort(v.begin(), v.end());
  std::vector<std::string> out;
  for (const auto& [s, id] : v) out.push_back(id);
  return out;
}

Json TagJson(const Tag& t) {
  Json j = {{"id", t.id},
            {"chain", std::string(ChainName(t.chain))},
            {"address", FormatAddress(t.address)},
            {"label", t.label},
            {"entity", t.entity.empty() ? Json(nullptr) : Json(t.entity)},
            {"category", t.category},
            {"abuse", t.abuse.empty() ? Json(nullptr) : Json(t.abuse)},
            {"severity", t.severity},
            {"source", t.source},
            {"dataset", t.dataset},
            {"source_label", t.source_label},
            {"confidence", t.confidence},
            {"confidence_id", t.confidence_id},
            {"tag_type", std::string(TagTypeName(t.tag_type))},
            {"network", t.network},
            {"first_seen", t.first_seen ? Json(FormatDate(t.first_seen)) : Json(nullptr)},
            {"last_seen", t.last_seen ? Json(FormatDate(t.last_seen)) : Json(nullptr)},
            {"reference", t.reference},
            {"origin", t.origin}};
  if (!t.actor.empty()) j["actor"] = t.actor;
  if (!t.context.empty()) {
    auto c = Json::parse(t.context, nullptr, false);
    j["context"] = c.is_discarded() ? Json(t.context) : c;
  }
  return j;
}

// Parses ADDR for --chain (or the chain its form suggests).
Result<std::pair<Chain, std::string>> ParseUserAddress(const std::string& text,
                                                       const std::string& chain_name) {
  FT_ASSIGN_OR_RETURN(Chain chain, ChainOption(chain_name, text));
  FT_ASSIGN_OR_RETURN(std::string key, ParseAddress(chain, text));
  return std::make_pair(chain, key);
}

const Taxonomy* LoadTaxonomy(const std::string& path, std::unique_ptr<Taxonomy>* holder,
                             Status* error) {
  if (path.empty()) return &Taxonomy::Default();
  auto text = ReadFileToString(path);
  if (!text.ok()) {
    *error = text.status();
    return nullptr;
  }
  auto t = Taxonomy::Parse(*text, path);
  if (!t.ok()) {
    *error = t.status();
    return nullptr;
  }
  *holder = std::make_unique<Taxonomy>(std::move(t).value());
  return holder->get();
}

// ---------------------------------------------------------------------------------------------
// labels import

struct ImportArgs {
  std::string source;
  std::vector<std::string> paths;
  bool skip_bad = false;
  std::string as_of, network, dataset, confidence, taxonomy;
};

int RunImport(const GlobalOptions& g, const ImportArgs& a) {
  std::unique_ptr<Taxonomy> holder;
  Status error;
  const Taxonomy* tax = LoadTaxonomy(a.taxonomy, &holder, &error);
  if (!tax) return ReportError(error);
  LabelImportOptions opt;
  opt.source = a.source;
  opt.skip_bad = a.skip_bad;
  opt.network = a.network;
  opt.dataset = a.dataset;
  opt.taxonomy = tax;
  if (!a.confidence.empty()) {
    if (!tax->ConfidenceLevel(a.confidence)) {
      return ReportError(Status::InvalidArgument(
          "--confidence '" + a.confidence +
          "' is not a GraphSense confidence id (see `fundtrace labels taxonomy`)"));
    }
    opt.confidence_id = a.confidence;
  }
  if (!a.as_of.empty() && a.source == "auto") {
    return ReportError(
        Status::InvalidArgument("--as-of dates every undated tag of the import: name the one "
                                "source it is the date of, e.g. "
                                "`fundtrace labels import ofac DIR --as-of 2024-09-27`"));
  }
  if (!a.as_of.empty() && !ParseDate(a.as_of, &opt.as_of)) {
    return ReportError(
        Status::InvalidArgument("--as-of '" + a.as_of + "' is not a date (YYYY-MM-DD)"));
  }
  for (char& c : opt.network) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  LabelStoreOptions so;
  so.create = true;
  so.taxonomy = tax;
  auto store = LabelStore::Open(g.data_dir, so);
  if (!store.ok()) return ReportError(store.status());
  bool show_progress = g.progress && !g.json && ::isatty(2);
  ImportProgress progress;
  if (show_progress) {
    progress = [](const std::string& file, size_t i, size_t n) {
      std::string name = file.size() > 60 ? "…" + file.substr(file.size() - 59) : file;
      std::fprintf(stderr, "\r\033[K[%zu/%zu] %s", i + 1, n, name.c_str());
      std::fflush(stderr);
    };
  }
  auto report = ImportLabels(store->get(), a.paths, opt, progress);
  if (show_progress) std::fprintf(stderr, "\r\033[K");
  if (!report.ok()) return ReportError(report.status());
  const ImportReport& r = *report;
  auto stats = (*store)->Stats();
  if (!stats.ok()) return ReportError(stats.status());
  DatasetCounts total = r.Total();

  if (g.json) {
    Json datasets = Json::array();
    for (const auto& [k, c] : r.datasets) {
      datasets.push_back({{"source", k.first},
                          {"dataset", k.second},
                          {"records", c.records},
                          {"new", c.tags_new},
                          {"updated", c.tags_updated},
                          {"unchanged", c.tags_unchanged},
                          {"repeated", c.repeated},
                          {"invalid", c.invalid},
                          {"unsupported", c.unsupported},
                          {"skipped", c.skipped}});
    }
    Json issues = Json::array();
    for (const auto& i : r.issues) {
      issues.push_back({{"kind", i.kind},
                        {"source", i.source},
                        {"dataset", i.dataset},
                        {"origin", i.origin},
                        {"address", i.address},
                        {"reason", i.reason}});
    }
    Json unmapped = Json::array();
    for (const auto& [k, n] : r.unmapped)
      unmapped.push_back({{"source", k.first}, {"label", k.second}, {"tags", n}});
    Json unsupported = Json::object();
    for (const auto& [k, n] : r.unsupported) unsupported[k.first + "/" + k.second] = n;
    Json skipped = Json::array(), failed = Json::array();
    for (const auto& [p, why] : r.files_skipped) skipped.push_back({{"path", p}, {"reason", why}});
    for (const auto& [p, why] : r.files_failed) failed.push_back({{"path", p}, {"error", why}});
    Json j = {
        {"source", a.source},
        {"changed", r.changed},
        {"seconds", r.seconds},
        {"files", r.files.size()},
        {"files_skipped", skipped},
        {"files_failed", failed},
        {"records", total.records},
        {"new", total.tags_new},
        {"updated", total.tags_updated},
        {"unchanged", total.tags_unchanged},
        {"repeated", total.repeated},
        {"invalid", total.invalid},
        {"unsupported", total.unsupported},
        {"skipped", total.skipped},
        {"entities",
         {{"records", r.entity_records},
          {"new", r.entities_new},
          {"updated", r.entities_updated},
          {"unchanged", r.entities_unchanged},
          {"merged", r.entities_merged}}},
        {"trimmed_addresses", r.trimmed_addresses},
        {"notes", r.notes},
        {"datasets", datasets},
        {"unsupported_by_network", unsupported},
        {"unmapped", unmapped},
        {"issues", issues},
        {"store",
         {{"tags", stats->tags}, {"addresses", stats->addresses}, {"entities", stats->entities}}}};
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }

  double rate = r.seconds > 0 ? double(total.records) / r.seconds : 0;
  std::printf("Read %s records from %s files in %.2f s (%s records/s).\n",
              FormatCount(total.records).c_str(), FormatCount(r.files.size()).c_str(), r.seconds,
              FormatCount(uint64_t(rate)).c_str());
  if (!r.datasets.empty()) {
    Table t({"source", "dataset", "records", "new", "updated", "unchanged", "repeated", "invalid",
             "not supported", "skipped"},
            {2, 3, 4, 5, 6, 7, 8, 9});
    for (const auto& [k, c] : r.datasets) {
      t.Add({k.first, k.second, FormatCount(c.records), FormatCount(c.tags_new),
             FormatCount(c.tags_updated), FormatCount(c.tags_unchanged), FormatCount(c.repeated),
             FormatCount(c.invalid), FormatCount(c.unsupported), FormatCount(c.skipped)});
    }
    std::printf("\n%s", t.ToString().c_str());
    std::printf(
        "(repeated: the same tag again in this import, e.g. a list's .txt and .json copies)\n");
  }
  if (r.entity_records) {
    std::printf(
        "\nEntities: %s read, %s new, %s updated, %s unchanged, %s derived entities merged into "
        "actors.\n",
        FormatCount(r.entity_records).c_str(), FormatCount(r.entities_new).c_str(),
        FormatCount(r.entities_updated).c_str(), FormatCount(r.entities_unchanged).c_str(),
        FormatCount(r.entities_merged).c_str());
  }
  if (!r.unsupported.empty()) {
    std::map<std::string, std::vector<std::string>> by_source;
    for (const auto& [k, n] : r.unsupported)
      by_source[k.first].push_back(k.second + " " + FormatCount(n));
    std::printf("\nChain not supported (not stored, listed below), records by network:\n");
    for (const auto& [src, parts] : by_source)
      std::printf("  %s: %s\n", src.c_str(), Join(parts, ", ").c_str());
  }
  if (!r.unmapped.empty()) {
    std::vector<std::string> parts;
    for (const auto& [k, n] : r.unmapped)
      parts.push_back(k.first + ":" + k.second + " (" + FormatCount(n) + ")");
    std::printf(
        "\nUnmapped source labels (tags stored with category unknown; add them to the taxonomy):\n "
        " %s\n",
        Join(parts, ", ").c_str());
  }
  if (!r.issues.empty()) {
    std::map<std::pair<std::string, std::string>, uint64_t> kinds;
    for (const auto& is : r.issues) ++kinds[{is.kind, is.source}];
    std::vector<std::string> parts;
    for (const auto& [k, n] : kinds)
      parts.push_back(k.first + " (" + k.second + ") " + FormatCount(n));
    std::printf("\n%s records not stored: %s. The first %zu:\n",
                FormatCount(r.issues.size()).c_str(), Join(parts, ", ").c_str(),
                std::min(r.issues.size(), kIssuesShown));
    Table t({"kind", "where", "address", "reason"});
    for (size_t i = 0; i < r.issues.size() && i < kIssuesShown; ++i) {
      const auto& is = r.issues[i];
      t.Add({is.kind, is.origin,
             Dash(is.address.size() > 70 ? is.address.substr(0, 67) + "..." : is.address),
             is.reason.size() > 110 ? is.reason.substr(0, 107) + "..." : is.reason});
    }
    std::printf("%s", t.ToString().c_str());
    if (r.issues.size() > kIssuesShown) {
      std::printf("... and %s more: all with --json or `fundtrace labels stats --issues`\n",
                  FormatCount(r.issues.size() - kIssuesShown).c_str());
    }
  }
  if (!r.notes.empty() || r.trimmed_addresses) {
    std::printf("\nNotes:\n");
    if (r.trimmed_addresses) {
      std::printf("  %s addresses were written with surrounding whitespace (trimmed)\n",
                  FormatCount(r.trimmed_addresses).c_str());
    }
    for (size_t i = 0; i < r.notes.size() && i < kIssuesShown; ++i)
      std::printf("  %s\n", r.notes[i].c_str());
    if (r.notes.size() > kIssuesShown)
      std::printf("  ... and %zu more (--json lists all)\n", r.notes.size() - kIssuesShown);
  }
  if (!r.files_failed.empty()) {
    std::printf("\nMalformed files skipped (--skip-bad), nothing of them stored:\n");
    for (const auto& [p, why] : r.files_failed) std::printf("  %s\n", why.c_str());
  }
  if (!r.files_skipped.empty()) {
    std::printf("\nFiles skipped: ");
    std::vector<std::string> parts;
    for (size_t i = 0; i < r.files_skipped.size() && i < 5; ++i) {
      parts.push_back(BaseName(r.files_skipped[i].first) + " (" + r.files_skipped[i].second + ")");
    }
    std::printf("%s%s\n", Join(parts, ", ").c_str(),
                r.files_skipped.size() > 5
                    ? (", and " + FormatCount(r.files_skipped.size() - 5) + " more").c_str()
                    : "");
  }
  if (r.changed) {
    std::printf("\nStore %s: %s tags on %s addresses, %s entities; screening index rebuilt.\n",
                g.data_dir.c_str(), FormatCount(stats->tags).c_str(),
                FormatCount(stats->addresses).c_str(), FormatCount(stats->entities).c_str());
  } else {
    std::printf("\nNothing changed: every tag was already stored (store %s: %s tags).\n",
                g.data_dir.c_str(), FormatCount(stats->tags).c_str());
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// labels show

int RunShow(const GlobalOptions& g, const std::string& address, const std::string& chain_name) {
  auto parsed = ParseUserAddress(address, chain_name);
  if (!parsed.ok()) return ReportError(parsed.status());
  auto [chain, key] = *parsed;
  auto store = LabelStore::Open(g.data_dir);
  if (!store.ok()) return ReportError(store.status());
  auto tags = (*store)->TagsOf(chain, key);
  if (!tags.ok()) return ReportError(tags.status());
  const Taxonomy& tax = Taxonomy::Default();
  std::string text = FormatAddress(key);
  // The entity: of the best-ranked tag that names one.
  std::optional<EntityInfo> entity;
  for (const auto& t : *tags) {
    if (t.entity_key.empty()) continue;
    auto e = (*store)->FindEntity(t.entity_key);
    if (!e.ok()) return ReportError(e.status());
    entity = *e;
    break;
  }
  std::vector<std::string> risks = RisksOf(*tags, tax);
  std::set<std::string> sources;
  for (const auto& t : *tags) sources.insert(t.source);
  if (g.json) {
    Json arr = Json::array();
    for (size_t i = 0; i < tags->size(); ++i) {
      Json j = TagJson((*tags)[i]);
      j["winner"] = i == 0;
      if (i > 0) j["lost_because"] = RankReason((*tags)[0], (*tags)[i]);
      arr.push_back(j);
    }
    Json j = {{"address", text},
              {"chain", std::string(ChainName(chain))},
              {"tags", arr},
              {"risks", risks},
              {"sources", std::vector<std::string>(sources.begin(), sources.end())}};
    if (!tags->empty()) {
      j["shown"] = {{"category", (*tags)[0].category},
                    {"abuse", (*tags)[0].abuse.empty() ? Json(nullptr) : Json((*tags)[0].abuse)},
                    {"label", (*tags)[0].label},
                    {"source", (*tags)[0].source},
                    {"tag", (*tags)[0].id}};
    }
    if (entity) {
      j["entity"] = {{"name", entity->name},         {"key", entity->key},
                     {"category", entity->category}, {"categories", entity->categories},
                     {"uri", entity->uri},           {"jurisdictions", entity->jurisdictions},
                     {"source", entity->source},     {"actor", entity->actor},
                     {"tags", entity->tags}};
    }
    std::printf("%s\n", j.dump(2).c_str());
    return tags->empty() ? kExitNotFound : kExitOk;
  }
  if (tags->empty()) {
    return ReportError(Status::NotFound("no labels for " + text + " (" +
                                        std::string(ChainName(chain)) + ") in " + g.data_dir));
  }
  const Tag& w = (*tags)[0];
  std::string shown = w.category + (w.abuse.empty() ? "" : ", " + w.abuse);
  std::printf("Address   %s (%s)\n", text.c_str(), std::string(ChainName(chain)).c_str());
  std::printf("Shown as  %s: \"%s\" from %s/%s (confidence %d %s, %s)\n", shown.c_str(),
              w.label.c_str(), w.source.c_str(), w.dataset.c_str(), w.confidence,
              w.confidence_id.c_str(),
              w.last_seen ? ("as of " + FormatDate(w.last_seen)).c_str() : "no date");
  if (!risks.empty())
    std::printf("Risks     %s (stated by its tags; most severe first)\n",
                Join(risks, ", ").c_str());
  if (entity) {
    std::printf("Entity    %s", entity->name.c_str());
    if (!entity->category.empty()) std::printf(" (%s)", entity->category.c_str());
    if (!entity->actor.empty()) std::printf(", GraphSense actor %s", entity->actor.c_str());
    if (!entity->uri.empty()) std::printf(", %s", entity->uri.c_str());
    std::printf("; %s tags\n", FormatCount(entity->tags).c_str());
  }
  std::printf("Sources   %s\n\n",
              Join(std::vector<std::string>(sources.begin(), sources.end()), ", ").c_str());
  Table t({"#", "category", "abuse", "label", "entity", "source/dataset", "network", "confidence",
           "as of", "rank"},
          {0});
  for (size_t i = 0; i < tags->size(); ++i) {
    const Tag& x = (*tags)[i];
    std::string label = x.label.size() > 48 ? x.label.substr(0, 45) + "..." : x.label;
    t.Add({std::to_string(i + 1), x.category, Dash(x.abuse), label, Dash(x.entity),
           x.source + "/" + x.dataset, x.network,
           std::to_string(x.confidence) + " " + x.confidence_id, FormatDate(x.last_seen),
           i == 0 ? "winner" : "lost: " + RankReason(w, x)});
  }
  std::printf("%s", t.ToString().c_str());
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// labels search

int RunSearch(const GlobalOptions& g, const std::string& text, size_t limit) {
  auto store = LabelStore::Open(g.data_dir);
  if (!store.ok()) return ReportError(store.status());
  uint64_t total = 0;
  auto tags = (*store)->Search(text, limit, &total);
  if (!tags.ok()) return ReportError(tags.status());
  auto entity = (*store)->FindEntity(text);
  if (!entity.ok()) return ReportError(entity.status());
  if (g.json) {
    Json arr = Json::array();
    for (const auto& t : *tags) arr.push_back(TagJson(t));
    Json j = {{"query", text}, {"total", total}, {"shown", tags->size()}, {"tags", arr}};
    if (*entity) {
      const auto& e = **entity;
      j["entity"] = {{"name", e.name},         {"key", e.key},
                     {"category", e.category}, {"categories", e.categories},
                     {"uri", e.uri},           {"actor", e.actor},
                     {"source", e.source},     {"tags", e.tags}};
    }
    std::printf("%s\n", j.dump(2).c_str());
    return total ? kExitOk : kExitNotFound;
  }
  if (*entity) {
    const auto& e = **entity;
    std::printf("Entity %s", e.name.c_str());
    if (!e.category.empty()) std::printf(" (%s)", e.category.c_str());
    if (!e.actor.empty())
      std::printf(", GraphSense actor %s [%s]", e.actor.c_str(), e.categories.c_str());
    if (!e.uri.empty()) std::printf(", %s", e.uri.c_str());
    std::printf(": %s tags\n\n", FormatCount(e.tags).c_str());
  }
  if (total == 0)
    return ReportError(Status::NotFound("no label or entity name contains '" + text + "'"));
  Table t({"address", "chain", "label", "entity", "category", "abuse", "source", "conf"}, {7});
  for (const auto& x : *tags) {
    std::string label = x.label.size() > 48 ? x.label.substr(0, 45) + "..." : x.label;
    t.Add({FormatAddress(x.address), std::string(ChainName(x.chain)), label, Dash(x.entity),
           x.category, Dash(x.abuse), x.source, std::to_string(x.confidence)});
  }
  std::printf("%s", t.ToString().c_str());
  std::printf(
      "%s of %s matching tags (label or entity name contains '%s'; best first; --limit N for "
      "more)\n",
      FormatCount(tags->size()).c_str(), FormatCount(total).c_str(), text.c_str());
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// labels stats

int RunLabelStats(const GlobalOptions& g, bool issues, bool unmapped) {
  auto store = LabelStore::Open(g.data_dir);
  if (!store.ok()) return ReportError(store.status());
  auto s = (*store)->Stats();
  if (!s.ok()) return ReportError(s.status());
  std::vector<ImportIssue> issue_list;
  if (issues) {
    auto l = (*store)->Issues("");
    if (!l.ok()) return ReportError(l.status());
    issue_list = std::move(*l);
  }
  // Tag counts per (source, dataset) joined with what the last import read.
  std::map<std::pair<std::string, std::string>, const LabelStats::Row*> stored;
  for (const auto& r : s->by_dataset) stored[{r.key[0], r.key[1]}] = &r;
  if (g.json) {
    auto rows = [](const std::vector<LabelStats::Row>& v, const std::vector<std::string>& names) {
      Json a = Json::array();
      for (const auto& r : v) {
        Json j;
        for (size_t i = 0; i < names.size(); ++i) j[names[i]] = r.key[i];
        j["tags"] = r.tags;
        j["addresses"] = r.addresses;
        a.push_back(j);
      }
      return a;
    };
    Json imports = Json::array();
    for (const auto& d : s->imports) {
      auto it = stored.find({d.source, d.dataset});
      imports.push_back({{"source", d.source},
                         {"dataset", d.dataset},
                         {"imported", FormatTime(d.time)},
                         {"records", d.records},
                         {"invalid", d.invalid},
                         {"unsupported", d.unsupported},
                         {"skipped", d.skipped},
                         {"tags", it == stored.end() ? 0 : it->second->tags},
                         {"addresses", it == stored.end() ? 0 : it->second->addresses}});
    }
    Json um = Json::array();
    for (const auto& [src, label, n] : s->unmapped)
      um.push_back({{"source", src}, {"label", label}, {"tags", n}});
    Json j = {{"data_dir", g.data_dir},
              {"tags", s->tags},
              {"addresses", s->addresses},
              {"entities", s->entities},
              {"actor_entities", s->actor_entities},
              {"generation", s->generation},
              {"by_source", rows(s->by_source, {"source"})},
              {"by_dataset", imports},
              {"by_network", rows(s->by_network, {"source", "network"})},
              {"by_category", rows(s->by_category, {"category"})},
              {"by_abuse", rows(s->by_abuse, {"abuse"})},
              {"by_chain", rows(s->by_chain, {"chain"})},
              {"unmapped", um}};
    if (issues) {
      Json a = Json::array();
      for (const auto& i : issue_list) {
        a.push_back({{"kind", i.kind},
                     {"source", i.source},
                     {"dataset", i.dataset},
                     {"origin", i.origin},
                     {"address", i.address},
                     {"reason", i.reason}});
      }
      j["issues"] = a;
    }
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf(
      "Labels in %s: %s tags on %s addresses; %s entities (%s from the GraphSense actor pack)\n",
      g.data_dir.c_str(), FormatCount(s->tags).c_str(), FormatCount(s->addresses).c_str(),
      FormatCount(s->entities).c_str(), FormatCount(s->actor_entities).c_str());
  auto table = [](const char* title, const std::vector<LabelStats::Row>& v,
                  std::vector<std::string> header) {
    size_t keys = header.size();
    header.push_back("tags");
    header.push_back("addresses");
    Table t(header, {keys, keys + 1});
    for (const auto& r : v) {
      std::vector<std::string> row = r.key;
      for (auto& c : row) c = Dash(c);
      row.push_back(FormatCount(r.tags));
      row.push_back(FormatCount(r.addresses));
      t.Add(row);
    }
    std::printf("\n%s\n%s", title, t.ToString().c_str());
  };
  table("By source", s->by_source, {"source"});
  {
    Table t({"source", "dataset", "records read", "tags stored", "addresses", "invalid",
             "not supported", "skipped", "imported"},
            {2, 3, 4, 5, 6, 7});
    for (const auto& d : s->imports) {
      auto it = stored.find({d.source, d.dataset});
      t.Add({d.source, d.dataset, FormatCount(d.records),
             FormatCount(it == stored.end() ? 0 : it->second->tags),
             FormatCount(it == stored.end() ? 0 : it->second->addresses), FormatCount(d.invalid),
             FormatCount(d.unsupported), FormatCount(d.skipped), FormatTime(d.time)});
    }
    std::printf("\nBy dataset (records read by its last import; tags stored exclude repeats)\n%s",
                t.ToString().c_str());
  }
  table("By source and network", s->by_network, {"source", "network"});
  table("By category", s->by_category, {"category"});
  table("By abuse type", s->by_abuse, {"abuse"});
  table("By chain", s->by_chain, {"chain"});
  uint64_t um_tags = 0;
  for (const auto& [src, label, n] : s->unmapped) um_tags += n;
  std::printf("\nUnmapped source labels: %s (%s tags with category unknown)%s\n",
              FormatCount(s->unmapped.size()).c_str(), FormatCount(um_tags).c_str(),
              s->unmapped.empty() || unmapped ? "" : "; list them with --unmapped");
  if (unmapped) {
    for (const auto& [src, label, n] : s->unmapped) {
      std::printf("  %s: %s (%s)\n", src.c_str(), label.c_str(), FormatCount(n).c_str());
    }
  }
  uint64_t not_stored = 0;
  for (const auto& d : s->imports) not_stored += d.invalid + d.unsupported + d.skipped;
  std::printf("Records not stored by the last imports: %s%s\n", FormatCount(not_stored).c_str(),
              not_stored && !issues ? "; list them with --issues" : "");
  if (issues) {
    Table t({"kind", "source/dataset", "where", "address", "reason"});
    for (const auto& i : issue_list)
      t.Add({i.kind, i.source + "/" + i.dataset, i.origin, Dash(i.address), i.reason});
    std::printf("%s", t.ToString().c_str());
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// labels export

int RunExport(const GlobalOptions& g, bool tagpack, const std::string& source,
              const std::string& output) {
  if (!tagpack) {
    return ReportError(
        Status::InvalidArgument("choose an export format: --tagpack (GraphSense TagPack YAML)"));
  }
  auto store = LabelStore::Open(g.data_dir);
  if (!store.ok()) return ReportError(store.status());
  TagPackOptions opt;
  opt.source = source;
  opt.lastmod = std::time(nullptr);
  if (!source.empty()) opt.title = "fundtrace labels: " + source;
  std::string yaml;
  uint64_t n = 0;
  Status s = WriteTagPack(**store, Taxonomy::Default(), opt, &yaml, &n);
  if (!s.ok()) return ReportError(s);
  if (n == 0 && !source.empty())
    return ReportError(Status::NotFound("no tags of source '" + source + "'"));
  if (output.empty() || output == "-") {
    std::fwrite(yaml.data(), 1, yaml.size(), stdout);
  } else {
    s = WriteFileAtomic(output, yaml);
    if (!s.ok()) return ReportError(s);
  }
  if (g.json && !output.empty() && output != "-") {
    std::printf("%s\n",
                Json({{"path", output}, {"tags", n}, {"bytes", yaml.size()}}).dump(2).c_str());
  } else {
    std::fprintf(stderr, "Wrote %s tags (%s) as a GraphSense TagPack%s.\n", FormatCount(n).c_str(),
                 FormatBytes(yaml.size()).c_str(),
                 output.empty() || output == "-" ? "" : (" to " + output).c_str());
  }
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// labels taxonomy

int RunTaxonomy(const GlobalOptions& g) {
  const Taxonomy& t = Taxonomy::Default();
  if (!g.json) {
    std::string_view y = Taxonomy::DefaultYaml();
    std::fwrite(y.data(), 1, y.size(), stdout);
    return kExitOk;
  }
  auto terms = [](const std::vector<TaxonomyTerm>& v) {
    Json a = Json::array();
    for (const auto& x : v) {
      a.push_back({{"id", x.id},
                   {"severity", x.severity},
                   {"graphsense", x.graphsense},
                   {"description", x.description}});
    }
    return a;
  };
  Json conf = Json::object();
  for (const auto& [id, level] : t.confidence_levels()) conf[id] = level;
  Json sources = Json::object();
  for (const auto& [id, s] : t.sources()) {
    sources[id] = {{"name", s.name},
                   {"reference", s.reference},
                   {"confidence", s.confidence_id},
                   {"labels_mapped", s.map.size()}};
  }
  std::printf("%s\n", Json({{"categories", terms(t.categories())},
                            {"abuse", terms(t.abuses())},
                            {"confidence", conf},
                            {"sources", sources}})
                          .dump(2)
                          .c_str());
  return kExitOk;
}

// ---------------------------------------------------------------------------------------------
// screen

struct ScreenArgs {
  std::string input, chain;
  bool all = false, tsv = false;
  int min_confidence = 0;
};

int RunScreen(const GlobalOptions& g, const ScreenArgs& a) {
  auto flag = ChainFlag(a.chain);
  if (!flag.ok()) return ReportError(flag.status());
  const std::optional<Chain> chain = *flag;
  FILE* in = stdin;
  if (a.input != "-") {
    in = std::fopen(a.input.c_str(), "rb");
    if (!in)
      return ReportError(Status::NotFound(a.input + ": cannot open: " + std::strerror(errno)));
  }
  std::unique_ptr<FILE, int (*)(FILE*)> closer(in == stdin ? nullptr : in, &std::fclose);
  auto store = LabelStore::Open(g.data_dir);
  if (!store.ok()) return ReportError(store.status());
  auto index = (*store)->Index();
  if (!index.ok()) return ReportError(index.status());
  const ScreenIndex& idx = **index;
  Screener screener(idx, chain);

  static char out_buf[1 << 16];
  std::setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
  uint64_t lines = 0, screened = 0, hits = 0, invalid = 0, below = 0;
  std::map<std::string, uint64_t> by_risk;
  Table table({"line", "address", "chain", "category", "abuse", "risks", "entity", "label",
               "source", "conf", "tags"},
              {0, 9, 10});
  if (a.tsv)
    std::printf(
        "line\taddress\tchain\thit\tcategory\tabuse\trisks\tentity\tlabel\tsource\tnetwork\tconfide"
        "nce\ttags\n");
  // Lines are read in batches so that their index look-ups overlap (Screener::ScreenMany).
  constexpr size_t kBatch = 256;
  std::vector<std::string> batch(kBatch);
  std::vector<std::string_view> views(kBatch);
  std::vector<ScreenResult> results(kBatch);
  char* buf = nullptr;
  size_t cap = 0;
  bool eof = false;
  while (!eof) {
    size_t n = 0;
    while (n < kBatch) {
      ssize_t got = ::getline(&buf, &cap, in);
      if (got < 0) {
        eof = true;
        break;
      }
      batch[n].assign(buf, static_cast<size_t>(got));
      views[n] = batch[n];
      ++n;
    }
    screener.ScreenMany(std::span(views).first(n), results.data());
    for (size_t k = 0; k < n; ++k) {
      ++lines;
      const ScreenResult& r = results[k];
      if (r.kind == ScreenResult::Kind::kSkip) continue;
      if (r.kind == ScreenResult::Kind::kInvalid) {
        ++invalid;
        if (g.json) {
          std::printf("%s\n",
                      Json({{"line", lines}, {"input", std::string(r.input)}, {"error", r.error}})
                          .dump()
                          .c_str());
        } else {
          std::fprintf(stderr, "%s:%llu: %s\n", a.input == "-" ? "stdin" : a.input.c_str(),
                       static_cast<unsigned long long>(lines), r.error.c_str());
        }
        continue;
      }
      ++screened;
      bool hit = r.kind == ScreenResult::Kind::kHit;
      if (hit && r.entry->confidence < a.min_confidence) {
        hit = false;
        ++below;
      }
      if (!hit && !a.all) continue;
      std::vector<std::string_view> risks;
      if (hit) {
        ++hits;
        risks = idx.Risks(*r.entry, kRiskSeverity);
        for (auto rk : risks) ++by_risk[std::string(rk)];
      }
      std::string risk_text;
      for (auto rk : risks) risk_text += (risk_text.empty() ? "" : ",") + std::string(rk);
      const ScreenEntry* e = hit ? r.entry : nullptr;
      std::string category = e ? std::string(idx.TermName(e->category)) : "";
      std::string abuse = e && e->abuse != kNoTerm ? std::string(idx.TermName(e->abuse)) : "";
      if (g.json) {
        Json j = {{"line", lines},
                  {"address", std::string(r.input)},
                  {"chain", std::string(ChainName(r.chain))},
                  {"hit", hit}};
        if (e) {
          j["category"] = category;
          j["abuse"] = abuse.empty() ? Json(nullptr) : Json(abuse);
          j["risks"] = Json(std::vector<std::string>(risks.begin(), risks.end()));
          j["entity"] = idx.String(e->entity).empty() ? Json(nullptr)
                                                      : Json(std::string(idx.String(e->entity)));
          j["label"] = std::string(idx.String(e->label));
          j["source"] = std::string(idx.String(e->source));
          j["network"] = std::string(idx.String(e->network));
          j["confidence"] = e->confidence;
          j["tags"] = e->tags;
        }
        std::printf("%s\n", j.dump().c_str());
      } else if (a.tsv) {
        auto field = [&](uint32_t id) { return e ? idx.String(id) : std::string_view(); };
        std::string_view entity = field(e ? e->entity : 0), label = field(e ? e->label : 0),
                         source = field(e ? e->source : 0), network = field(e ? e->network : 0),
                         chain_name = ChainName(r.chain);
        std::printf("%llu\t%.*s\t%.*s\t%d\t%s\t%s\t%s\t%.*s\t%.*s\t%.*s\t%.*s\t%d\t%d\n",
                    static_cast<unsigned long long>(lines), int(r.input.size()), r.input.data(),
                    int(chain_name.size()), chain_name.data(), hit ? 1 : 0, category.c_str(),
                    abuse.c_str(), risk_text.c_str(), int(entity.size()), entity.data(),
                    int(label.size()), label.data(), int(source.size()), source.data(),
                    int(network.size()), network.data(), e ? e->confidence : 0, e ? e->tags : 0);
      } else {
        std::string label = e ? std::string(idx.String(e->label)) : "";
        if (label.size() > 40) label = label.substr(0, 37) + "...";
        table.Add({std::to_string(lines), std::string(r.input), std::string(ChainName(r.chain)),
                   Dash(category), Dash(abuse), Dash(risk_text),
                   e ? Dash(std::string(idx.String(e->entity))) : "-", Dash(label),
                   e ? std::string(idx.String(e->source)) : "-",
                   e ? std::to_string(e->confidence) : "-", e ? std::to_string(e->tags) : "-"});
      }
    }
  }
  bool read_error = std::ferror(in);
  std::free(buf);
  if (read_error) return ReportError(Status::IOError(a.input + ": read error"));
  if (!g.json && !a.tsv && !table.empty()) std::printf("%s\n", table.ToString().c_str());
  std::string risk_summary;
  for (const auto& [rk, c] : by_risk)
    risk_summary += (risk_summary.empty() ? "" : ", ") + rk + " " + FormatCount(c);
  FILE* summary = g.json || a.tsv ? stderr : stdout;
  std::fflush(stdout);
  std::fprintf(
      summary, "Screened %s addresses against %s labelled addresses (%s tags): %s hits%s%s",
      FormatCount(screened).c_str(), FormatCount(idx.addresses()).c_str(),
      FormatCount(idx.tags()).c_str(), FormatCount(hits).c_str(),
      risk_summary.empty() ? "" : (" (" + risk_summary + ")").c_str(),
      invalid ? (", " + FormatCount(invalid) + " invalid (listed on stderr)").c_str() : "");
  if (below) std::fprintf(summary, ", %s hits below --min-confidence", FormatCount(below).c_str());
  std::fprintf(summary, ".\n");
  return kExitOk;
}

}  // namespace

void AddLabelCommands(CLI::App& app, GlobalOptions& g, std::function<int()>* run) {
  auto* labels = app.add_subcommand("labels",
                                    "Address labels from OFAC, GraphSense, Etherscan, Forta, "
                                    "ScamSniffer, Tutela and your own lists");
  labels->require_subcommand(1);
  labels->footer(
      "Every tag keeps its source; the one shown for an address wins by confidence (GraphSense's\n"
      "0-100 levels), then recency, then severity, and `show` says why the others lost.\n"
      "Examples:\n"
      "  fundtrace labels import auto ../shared/data/labels\n"
      "  fundtrace labels import ofac ../shared/data/labels/ofac --as-of 2024-09-27   (the list's "
      "date)\n"
      "  fundtrace labels import csv my-list.csv --confidence forensic_investigation\n"
      "  fundtrace labels show 0x098b716b8aaf21512996dc57eb0615e2383e2f96\n"
      "  fundtrace labels search 'tornado'\n"
      "  fundtrace labels stats\n"
      "  fundtrace labels export --tagpack -o labels.yaml\n"
      "  fundtrace screen addresses.txt");

  auto ia = std::make_shared<ImportArgs>();
  auto* imp = labels->add_subcommand(
      "import",
      "Import label files or directories (importing the same data again changes nothing)");
  std::string sources = "auto";
  for (const auto& n : LabelSourceNames()) sources += ", " + n;
  imp->add_option(
         "source", ia->source,
         "Which source the files are from:\n"
         "  ofac               OFAC per-asset lists (sanctioned_addresses_<ASSET>.txt/.json)\n"
         "  graphsense         GraphSense TagPacks (*.yaml with tags:)\n"
         "  graphsense-actors  GraphSense ActorPacks (entities: Binance, Lazarus Group, ...)\n"
         "  etherscan          Etherscan/BscScan label dumps (<site>/accounts|tokens|combined) "
         "and\n"
         "                     Raphtory's etherscan_tags.csv\n"
         "  forta              Forta labelled-datasets CSVs\n"
         "  scamsniffer        ScamSniffer address.json / combined.json\n"
         "  tutela             Tutela known-address CSVs\n"
         "  csv                your own list: "
         "address[,chain,label,entity,category,abuse,confidence,...]\n"
         "  auto               recognise each file (directories may mix sources)")
      ->required()
      ->check(CLI::IsMember([] {
        std::vector<std::string> v = LabelSourceNames();
        v.push_back("auto");
        return v;
      }()));
  imp->add_option("paths", ia->paths, "Files or directories (searched recursively)")->required();
  imp->add_flag("--skip-bad", ia->skip_bad,
                "Skip malformed files (each listed with its file:line error) instead of failing");
  imp->add_option("--as-of", ia->as_of,
                  "Date (YYYY-MM-DD) for tags whose source gives none, e.g. an OFAC list's date");
  imp->add_option("--network", ia->network,
                  "Network code for files that do not say (csv rows without chain; dumps outside a "
                  "site folder)");
  imp->add_option("--dataset", ia->dataset, "csv: dataset name (default: the file name)");
  imp->add_option(
      "--confidence", ia->confidence,
      "GraphSense confidence id for every tag of this import (e.g. forensic_investigation = 70; see `labels taxonomy`)");
  imp->add_option("--taxonomy", ia->taxonomy,
                  "Use this taxonomy YAML instead of the built-in one (see `labels taxonomy`)");
  imp->callback([run, &g, ia] { *run = [&g, ia] { return RunImport(g, *ia); }; });

  auto address = std::make_shared<std::string>();
  auto chain = std::make_shared<std::string>();
  auto* show = labels->add_subcommand(
      "show", "All tags of an address, the winner first, and why the others lost");
  show->add_option(
          "address", *address,
          "0x… (EVM, any case; mixed case must match EIP-55), 1…/3…/bc1… (Bitcoin), T… (TRON)")
      ->required();
  show->add_option("--chain", *chain, "eth, btc or trx (default: from the address's form)");
  show->callback([run, &g, address, chain] {
    *run = [&g, address, chain] { return RunShow(g, *address, *chain); };
  });

  auto text = std::make_shared<std::string>();
  auto limit = std::make_shared<size_t>(50);
  auto* search = labels->add_subcommand(
      "search", "Find tags by label or entity name (case-insensitive substring)");
  search->add_option("text", *text, "Text to look for, e.g. binance, 'ronin bridge', tornado")
      ->required();
  search->add_option("--limit", *limit, "Most tags to list (default 50)");
  search->callback(
      [run, &g, text, limit] { *run = [&g, text, limit] { return RunSearch(g, *text, *limit); }; });

  auto issues = std::make_shared<bool>(false), unmapped = std::make_shared<bool>(false);
  auto* stats = labels->add_subcommand(
      "stats", "Counts by source, dataset, network, category, abuse type and chain");
  stats->add_flag("--issues", *issues,
                  "List every record the last imports could not store, with file:line");
  stats->add_flag("--unmapped", *unmapped, "List source labels the taxonomy does not map");
  stats->callback([run, &g, issues, unmapped] {
    *run = [&g, issues, unmapped] { return RunLabelStats(g, *issues, *unmapped); };
  });

  auto tagpack = std::make_shared<bool>(false);
  auto source = std::make_shared<std::string>(), output = std::make_shared<std::string>();
  auto* exp = labels->add_subcommand("export", "Write the tags in another format");
  exp->add_flag("--tagpack", *tagpack,
                "GraphSense TagPack YAML (validates with graphsense-tagpack-tool)");
  exp->add_option("--source", *source, "Only tags of this source");
  exp->add_option("-o,--output", *output, "File to write (default: stdout)");
  exp->callback([run, &g, tagpack, source, output] {
    *run = [&g, tagpack, source, output] { return RunExport(g, *tagpack, *source, *output); };
  });

  auto* tax = labels->add_subcommand(
      "taxonomy",
      "Print the taxonomy: categories, abuse types, confidence levels, source mappings");
  tax->callback([run, &g] { *run = [&g] { return RunTaxonomy(g); }; });

  auto sa = std::make_shared<ScreenArgs>();
  auto* screen = app.add_subcommand(
      "screen", "Screen a list of addresses (one per line) against all labels; print the hits");
  screen
      ->add_option("input", sa->input,
                   "File with one address per line (first field of a CSV line), or - for stdin")
      ->required();
  screen->add_option("--chain", sa->chain,
                     "eth, btc or trx for every line (default: from each address's form)");
  screen->add_flag("--all", sa->all, "Also print addresses without labels");
  screen->add_flag("--tsv", sa->tsv, "Tab-separated rows, streamed (for millions of lines)");
  screen->add_option("--min-confidence", sa->min_confidence,
                     "Ignore hits whose winning tag has a lower confidence (0-100)");
  screen->footer(
      "Output: category and abuse type of the winning tag, every risk any tag states (severity >= "
      "40),\n"
      "entity, label, source and confidence. --json prints one JSON object per line. Invalid "
      "addresses\n"
      "are listed on stderr with their line and do not stop the run. Answers come from the "
      "memory-mapped\n"
      "screening index (labels.idx), not from SQLite.");
  screen->callback([run, &g, sa] { *run = [&g, sa] { return RunScreen(g, *sa); }; });
}

}  // namespace fundtrace
