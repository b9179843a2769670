#include "labels/source_file.h"

#include <algorithm>
#include <fstream>

namespace fundtrace {

std::string BaseName(const std::string& path) {
  size_t p = path.find_last_of('/');
  return p == std::string::npos ? path : path.substr(p + 1);
}

std::string FileStem(const std::string& path) {
  std::string b = BaseName(path);
  size_t p = b.find_last_of('.');
  return p == std::string::npos || p == 0 ? b : b.substr(0, p);
}

std::vector<std::string> PathParts(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t p = path.find('/', start);
    if (p == std::string::npos) p = path.size();
    if (p > start) parts.push_back(path.substr(start, p - start));
    start = p + 1;
  }
  return parts;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string ReadHead(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::string buf(n, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(n));
  buf.resize(static_cast<size_t>(in.gcount()));
  return buf;
}

std::string_view FirstLine(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t p = text.find('\n');
  std::string_view line = text.substr(0, p);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

Result<nlohmann::json> ParseJson(const std::string& path, const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) return j;
  // Parse again with exceptions only to learn where it failed; caught here, never escapes.
  try {
    auto again = nlohmann::json::parse(text);
    (void)again;
  } catch (const nlohmann::json::parse_error& e) {
    size_t byte = e.byte == 0 ? 0 : std::min<size_t>(e.byte - 1, text.size());
    size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + byte, '\n'));
    std::string what = e.what();
    size_t p = what.find("syntax error");
    if (p != std::string::npos) what = what.substr(p);
    return Status::InvalidArgument(path + ":" + std::to_string(line) + ": JSON " + what);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path + ": JSON error: " + e.what());
  }
  return Status::InvalidArgument(path + ": not valid JSON");
}

std::unordered_map<std::string, size_t> TopLevelKeyLines(const std::string& text) {
  std::unordered_map<std::string, size_t> lines;
  size_t line = 1, depth = 0, i = 0, n = text.size();
  while (i < n) {
    char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;
    } else if (c == '"') {
      size_t start = ++i, start_line = line;
      bool escaped = false;
      while (i < n && text[i] != '"') {
        if (text[i] == '\\') {
          escaped = true;
          ++i;
        } else if (text[i] == '\n') {
          ++line;
        }
        ++i;
      }
      if (depth == 1 && !escaped && i < n) {
        size_t j = i + 1;
        while (j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n'))
          ++j;
        if (j < n && text[j] == ':') lines.emplace(text.substr(start, i - start), start_line);
      }
    }
    ++i;
  }
  return lines;
}

size_t LineFinder::LineOf(std::string_view needle) {
  if (needle.empty()) return 0;
  size_t p = text_.find(needle, pos_);
  if (p == std::string::npos) {
    p = text_.find(needle);
    if (p == std::string::npos) return 0;
    pos_ = 0;
    line_ = 1;
  }
  line_ += static_cast<size_t>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                          text_.begin() + static_cast<std::ptrdiff_t>(p), '\n'));
  pos_ = p;
  return line_;
}

std::string Origin(const std::string& path, size_t line) {
  return line == 0 ? path : path + ":" + std::to_string(line);
}

}  // namespace fundtrace
