#include "labels/entity_name.h"

#include <array>

#include "labels/tag.h"

namespace fundtrace {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Prefixes that say what happened to an address, not whose it is ("Compromised: Upbit Hack
// Funds", "Fake_Phishing: ...").
bool IsStatusWord(std::string_view head) {
  std::string lower;
  for (char c : head) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  for (std::string_view w : {"compromised", "fake", "fake_phishing", "scam", "phishing", "hacker",
                             "exploiter", "deprecated", "old", "blocked", "suspicious", "spam"}) {
    if (lower == w) return true;
  }
  return false;
}

}  // namespace

std::string EntityGroupName(std::string_view label) {
  label = Trim(label);
  for (std::string_view sep : {std::string_view(": "), std::string_view(" - ")}) {
    size_t p = label.find(sep);
    if (p != std::string_view::npos) {
      std::string_view head = Trim(label.substr(0, p));
      if (!head.empty() && !IsStatusWord(head)) return std::string(head);
      if (!head.empty()) return "";
    }
  }
  size_t end = label.size();
  size_t p = end;
  while (p > 0 && label[p - 1] >= '0' && label[p - 1] <= '9') --p;
  if (p < end && p > 0) {
    if (label[p - 1] == '#') --p;
    if (p > 0 && label[p - 1] == ' ') {
      std::string_view head = Trim(label.substr(0, p));
      if (!head.empty()) return std::string(head);
    }
  }
  return "";
}

std::string NormalizeEntityKey(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z')
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out.push_back(c);
  }
  return out;
}

bool IsServiceCategory(std::string_view category) {
  static constexpr std::array<std::string_view, 13> kServices = {
      "exchange",       "dex",        "defi",        "bridge",
      "mixer",          "gambling",   "miner",       "payment_service",
      "wallet_service", "nft_market", "marketplace", "ico",
      "organization"};
  for (auto s : kServices) {
    if (s == category) return true;
  }
  return false;
}

void AssignDerivedEntity(Tag* tag) {
  if (!tag->entity_key.empty()) return;
  std::string name = EntityGroupName(tag->label);
  if (name.empty() && IsServiceCategory(tag->category)) name = std::string(Trim(tag->label));
  std::string key = NormalizeEntityKey(name);
  if (key.empty()) return;
  tag->entity = name;
  tag->entity_key = key;
}

}  // namespace fundtrace
