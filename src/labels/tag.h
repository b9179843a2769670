// The tag: one source's statement that an address (on a chain) is something. Tags are never
// merged: every source's tag is kept, and the one shown for an address (the "winner") is chosen
// by TagOutranks: confidence, then recency, then severity. See docs/labels.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "chain/chain.h"

namespace fundtrace {

// GraphSense's tag types (graphsense-tagpack-tool tag_types.csv).
enum class TagType : uint8_t {
  kActor = 0,    // says who controls the address
  kEvent = 1,    // says something happened at the address (a hack, a ransom payment)
  kMention = 2,  // the address was mentioned somewhere
};
std::string_view TagTypeName(TagType type);
bool TagTypeFromName(std::string_view name, TagType* type);

struct Tag {
  int64_t id = 0;  // row id in the label store; 0 before it is stored
  Chain chain = Chain::kEthereum;
  std::string address;        // binary address key (chain/address.h)
  std::string label;          // the source's name for the address, e.g. "Binance 14"
  std::string entity;         // display name of the grouping entity ("Binance"); "" if none
  std::string entity_key;     // the entity's key (NormalizeEntityKey of its name or actor id)
  std::string actor;          // GraphSense actor id of the entity when the actor pack defines it
  std::string category;       // taxonomy category id; "unknown" when the source gives none
  std::string abuse;          // taxonomy abuse id; "" when none
  int severity = 0;           // max severity of category and abuse (taxonomy), for ranking
  std::string source;         // importer: "ofac", "graphsense", "etherscan", ...
  std::string dataset;        // part of the source: pack, explorer site, file ("ronin_bridge")
  std::string source_label;   // the source's own label(s) the category came from, normalised
  int confidence = 5;         // GraphSense level, 0-100
  std::string confidence_id;  // GraphSense confidence id, e.g. "authority_data"
  TagType tag_type = TagType::kActor;
  std::string network;     // the source's currency/network code, upper case: ETH, BSC, XBT
  int64_t first_seen = 0;  // unix seconds; 0 = the source does not say
  int64_t last_seen = 0;   // unix seconds; 0 = the source does not say
  std::string reference;   // URL or document the source cites
  std::string context;     // JSON object text with source-specific details; "" if none
  std::string origin;      // where it was read: "path:line"
};

// True when `a` should be shown before `b`: higher confidence; then the later last_seen (a date
// beats no date); then higher severity; then source, dataset, label and id, so that the order
// is total and stable.
bool TagOutranks(const Tag& a, const Tag& b);

// Why `loser` ranks below `winner`, for people: "lower confidence (50 < 60)", "same confidence,
// older (2022-04-05 < 2024-02-26)", "same confidence and date, less severe (10 < 100)", ...
// REQUIRES: TagOutranks(winner, loser).
std::string RankReason(const Tag& winner, const Tag& loser);

// "2024-02-26" for unix seconds; "-" for 0.
std::string FormatDate(int64_t unix_seconds);
// Parses "YYYY-MM-DD" with an optional time part ("YYYY-MM-DD HH:MM:SS", "...T...Z") into unix
// seconds (UTC). Returns false for anything else.
bool ParseDate(std::string_view text, int64_t* unix_seconds);

}  // namespace fundtrace
