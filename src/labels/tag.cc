#include "labels/tag.h"

#include <cstdio>
#include <ctime>
#include <tuple>

namespace fundtrace {

std::string_view TagTypeName(TagType type) {
  switch (type) {
    case TagType::kActor:
      return "actor";
    case TagType::kEvent:
      return "event";
    case TagType::kMention:
      return "mention";
  }
  return "actor";
}

bool TagTypeFromName(std::string_view name, TagType* type) {
  if (name == "actor")
    *type = TagType::kActor;
  else if (name == "event")
    *type = TagType::kEvent;
  else if (name == "mention")
    *type = TagType::kMention;
  else
    return false;
  return true;
}

bool TagOutranks(const Tag& a, const Tag& b) {
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  if (a.last_seen != b.last_seen) return a.last_seen > b.last_seen;  // 0 (no date) sorts last
  if (a.severity != b.severity) return a.severity > b.severity;
  return std::tie(a.source, a.dataset, a.label, a.id) <
         std::tie(b.source, b.dataset, b.label, b.id);
}

std::string RankReason(const Tag& winner, const Tag& loser) {
  if (winner.confidence != loser.confidence) {
    return "lower confidence (" + std::to_string(loser.confidence) + " < " +
           std::to_string(winner.confidence) + ")";
  }
  if (winner.last_seen != loser.last_seen) {
    if (loser.last_seen == 0) return "same confidence, no date";
    return "same confidence, older (" + FormatDate(loser.last_seen) + " < " +
           FormatDate(winner.last_seen) + ")";
  }
  if (winner.severity != loser.severity) {
    return "same confidence and date, less severe (" + std::to_string(loser.severity) + " < " +
           std::to_string(winner.severity) + ")";
  }
  return "tie, ordered by source and label";
}

std::string FormatDate(int64_t unix_seconds) {
  if (unix_seconds == 0) return "-";
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

bool ParseDate(std::string_view text, int64_t* unix_seconds) {
  int y, m, d, hh = 0, mm = 0, ss = 0;
  if (!Digits(text, 0, 4, &y) || text.size() < 10 || text[4] != '-' || !Digits(text, 5, 2, &m) ||
      text[7] != '-' || !Digits(text, 8, 2, &d)) {
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  if (text.size() > 10) {
    if (text[10] != ' ' && text[10] != 'T') return false;
    if (!Digits(text, 11, 2, &hh) || text.size() < 16 || text[13] != ':' ||
        !Digits(text, 14, 2, &mm)) {
      return false;
    }
    if (text.size() >= 19 && text[16] == ':') Digits(text, 17, 2, &ss);
    if (hh > 23 || mm > 59 || ss > 60) return false;
  }
  *unix_seconds = DaysFromCivil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
  return true;
}

}  // namespace fundtrace
