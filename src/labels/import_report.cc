#include "labels/import_report.h"

namespace fundtrace {

void DatasetCounts::Add(const DatasetCounts& o) {
  records += o.records;
  tags_new += o.tags_new;
  tags_updated += o.tags_updated;
  tags_unchanged += o.tags_unchanged;
  repeated += o.repeated;
  invalid += o.invalid;
  unsupported += o.unsupported;
  skipped += o.skipped;
  tags_deleted += o.tags_deleted;
}

void ImportReport::Merge(const ImportReport& o) {
  for (const auto& [k, c] : o.datasets) datasets[k].Add(c);
  for (const auto& [k, n] : o.unmapped) unmapped[k] += n;
  for (const auto& [k, n] : o.unsupported) unsupported[k] += n;
  issues.insert(issues.end(), o.issues.begin(), o.issues.end());
  files.insert(files.end(), o.files.begin(), o.files.end());
  files_skipped.insert(files_skipped.end(), o.files_skipped.begin(), o.files_skipped.end());
  files_failed.insert(files_failed.end(), o.files_failed.begin(), o.files_failed.end());
  entities_new += o.entities_new;
  entities_updated += o.entities_updated;
  entities_unchanged += o.entities_unchanged;
  entities_merged += o.entities_merged;
  entity_records += o.entity_records;
  trimmed_addresses += o.trimmed_addresses;
  notes.insert(notes.end(), o.notes.begin(), o.notes.end());
  changed = changed || o.changed;
}

DatasetCounts ImportReport::Total() const {
  DatasetCounts t;
  for (const auto& [k, c] : datasets) t.Add(c);
  return t;
}

}  // namespace fundtrace
