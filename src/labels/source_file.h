// Small helpers the importers share for reading source files: names and folders, the first
// bytes, JSON with errors that name the line, and the line of a record found by its text.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/status.h"

namespace fundtrace {

// "dir/sub/file.csv" -> "file.csv" / "file" / {"dir", "sub", "file.csv"}.
std::string BaseName(const std::string& path);
std::string FileStem(const std::string& path);
std::vector<std::string> PathParts(const std::string& path);
bool EndsWith(std::string_view s, std::string_view suffix);

// Up to `n` bytes from the start of the file ("" if it cannot be read).
std::string ReadHead(const std::string& path, size_t n = 4096);
// The first line of `text` without its line ending (and without a UTF-8 byte order mark).
std::string_view FirstLine(std::string_view text);

// Parses a whole JSON document (objects come back sorted by key). Errors: InvalidArgument
// "<path>:<line>: JSON syntax error: ..." (the line of the offending byte).
Result<nlohmann::json> ParseJson(const std::string& path, const std::string& text);

// The line of every key of the top-level object of a JSON text, in one pass (keys written with
// escapes are left out). Empty when the text is not an object.
std::unordered_map<std::string, size_t> TopLevelKeyLines(const std::string& text);

// Finds the lines of records in a text in document order: LineOf(s) is the line of the next
// occurrence of `s` at or after the previous match (searching again from the start when it is
// not found there); 0 when `s` does not occur.
class LineFinder {
 public:
  explicit LineFinder(const std::string& text) : text_(text) {}
  size_t LineOf(std::string_view needle);

 private:
  const std::string& text_;
  size_t pos_ = 0;
  size_t line_ = 1;  // line at pos_
};

// "path:line", or "path" when line is 0.
std::string Origin(const std::string& path, size_t line);

}  // namespace fundtrace
