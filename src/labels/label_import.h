// Runs an import: expands directories, picks the importer of each file (the named source, or
// the first that recognises the file for "auto"), and reads every file into one label-store
// transaction. Either the whole import is committed or nothing is.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "labels/import_report.h"
#include "labels/label_importer.h"
#include "labels/label_store.h"
#include "util/status.h"

namespace fundtrace {

// Called before each file: (path, index, count).
using ImportProgress = std::function<void(const std::string&, size_t, size_t)>;

// Imports `paths` (files, or directories searched recursively in sorted order).
// Files inside a directory that the importer does not recognise (README.md, LICENSE) are listed
// in report.files_skipped; a file named explicitly must be one the source reads.
// Errors: InvalidArgument for an unknown source or a malformed file ("path:line: ..."; with
// options.skip_bad such files are listed in report.files_failed and the rest is imported);
// NotFound for a missing path; IOError/Corruption from the store. On any error nothing is
// stored.
Result<ImportReport> ImportLabels(LabelStore* store, const std::vector<std::string>& paths,
                                  const LabelImportOptions& options,
                                  const ImportProgress& progress = nullptr);

// Reads `paths` like ImportLabels but into `sink` (no store, no transaction): for tests and
// benchmarks of the importers alone.
Result<ImportReport> ReadLabels(TagSink* sink, const std::vector<std::string>& paths,
                                const LabelImportOptions& options);

}  // namespace fundtrace
