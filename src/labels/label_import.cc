#include "labels/label_import.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace fundtrace {
namespace {

struct PlannedFile {
  std::string path;
  LabelImporter* importer = nullptr;  // nullptr: skipped
  std::string skip_reason;
};

// Detection order for "auto": specific names and headers first, the generic CSV last.
constexpr const char* kAutoOrder[] = {
    "ofac",   "graphsense-actors", "graphsense", "scamsniffer", "forta",
    "tutela", "etherscan",         "csv"};

Result<std::vector<PlannedFile>> Plan(const std::vector<std::string>& paths,
                                      const std::string& source,
                                      std::vector<std::unique_ptr<LabelImporter>>* importers) {
  if (source == "auto") {
    for (const char* name : kAutoOrder) importers->push_back(MakeLabelImporter(name));
  } else {
    auto imp = MakeLabelImporter(source);
    if (!imp) {
      std::string names;
      for (const auto& n : LabelSourceNames()) names += (names.empty() ? "" : ", ") + n;
      return Status::InvalidArgument("unknown label source '" + source + "': use one of " + names +
                                     ", or auto");
    }
    importers->push_back(std::move(imp));
  }
  auto pick = [&](const std::string& file) -> LabelImporter* {
    for (const auto& imp : *importers) {
      if (imp->Accepts(file)) return imp.get();
    }
    return nullptr;
  };
  namespace fs = std::filesystem;
  std::vector<PlannedFile> out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) found.push_back(it->path().string());
      }
      if (ec) return Status::IOError("cannot list " + path + ": " + ec.message());
      std::sort(found.begin(), found.end());
      for (auto& f : found) {
        PlannedFile p{f, pick(f), ""};
        if (!p.importer) {
          p.skip_reason = source == "auto" ? "not a label file of any known source"
                                           : "not a file of source '" + source + "'";
        }
        out.push_back(std::move(p));
      }
    } else if (fs::exists(path, ec)) {
      LabelImporter* imp = pick(path);
      if (!imp && source == "auto") {
        return Status::InvalidArgument(
            path +
            ": cannot tell which source this file is from: name it, e.g. "
            "`fundtrace labels import csv " +
            path + "`");
      }
      // A file named explicitly goes to the source's importer, which explains what it expects.
      out.push_back({path, imp ? imp : importers->front().get(), ""});
    } else {
      return Status::NotFound(path + ": no such file or directory");
    }
  }
  return out;
}

Status ReadAll(TagSink* sink, const std::vector<PlannedFile>& plan,
               const LabelImportOptions& options, ImportReport* report,
               const ImportProgress& progress) {
  const Taxonomy& taxonomy = options.taxonomy ? *options.taxonomy : Taxonomy::Default();
  ImportContext ctx(taxonomy, options, sink);
  for (size_t i = 0; i < plan.size(); ++i) {
    const PlannedFile& f = plan[i];
    if (!f.importer) {
      report->files_skipped.emplace_back(f.path, f.skip_reason);
      continue;
    }
    if (progress) progress(f.path, i, plan.size());
    ImportReport file_report;
    ctx.set_report(&file_report);
    FT_RETURN_IF_ERROR(sink->BeginFile());
    Status s = f.importer->ImportFile(f.path, &ctx);
    if (s.ok()) {
      FT_RETURN_IF_ERROR(sink->EndFile(true));
      file_report.files.push_back(f.path);
      report->Merge(file_report);
      continue;
    }
    FT_RETURN_IF_ERROR(sink->EndFile(false));
    if (options.skip_bad && s.code() == Status::Code::kInvalidArgument) {
      report->files_failed.emplace_back(f.path, s.message());
      continue;
    }
    if (s.code() == Status::Code::kInvalidArgument) {
      return Status::InvalidArgument(s.message() +
                                     " (nothing was stored; --skip-bad skips malformed files)");
    }
    return s;
  }
  return Status::OK();
}

}  // namespace

Result<ImportReport> ImportLabels(LabelStore* store, const std::vector<std::string>& paths,
                                  const LabelImportOptions& options,
                                  const ImportProgress& progress) {
  auto started = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<LabelImporter>> importers;
  FT_ASSIGN_OR_RETURN(auto plan, Plan(paths, options.source, &importers));
  ImportReport report;
  FT_ASSIGN_OR_RETURN(auto txn, store->BeginImport());
  FT_RETURN_IF_ERROR(ReadAll(txn.get(), plan, options, &report, progress));
  FT_RETURN_IF_ERROR(txn->Commit(&report, options.source, paths));
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

Result<ImportReport> ReadLabels(TagSink* sink, const std::vector<std::string>& paths,
                                const LabelImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<LabelImporter>> importers;
  FT_ASSIGN_OR_RETURN(auto plan, Plan(paths, options.source, &importers));
  ImportReport report;
  FT_RETURN_IF_ERROR(ReadAll(sink, plan, options, &report, nullptr));
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace fundtrace
