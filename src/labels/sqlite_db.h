// A thin RAII layer over SQLite for the label store: errors come back as Status values that
// name the database file, never as exceptions or error codes to check by hand.
// Neither class is thread-safe; use one connection per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace fundtrace {

class SqliteStatement;

class SqliteDb {
 public:
  // Opens (read_only) or opens/creates `path`. Sets a busy timeout so a second writer waits
  // for the first instead of failing at once.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, bool read_only);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  Result<std::unique_ptr<SqliteStatement>> Prepare(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  int64_t LastInsertRowid() const;
  const std::string& path() const { return path_; }
  // IOError "<path>: <what>: <sqlite message>".
  Status Error(const std::string& what) const;

 private:
  SqliteDb(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  std::string path_;
  sqlite3* db_;
  friend class SqliteStatement;
};

class SqliteStatement {
 public:
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are 1-based. Text and blobs are copied by SQLite.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& BindText(int index, std::string_view value);
  SqliteStatement& BindBlob(int index, std::string_view value);
  SqliteStatement& BindNull(int index);
  // Text, or NULL when empty.
  SqliteStatement& BindTextOrNull(int index, std::string_view value);

  // Returns true when a row is available, false when done. A bind error is reported here.
  Result<bool> Step();
  // Steps to completion (for statements without rows) and resets.
  Status Run();
  // Ready to run again; bindings are cleared.
  void Reset();

  // Columns are 0-based; views are valid until the next Step/Reset.
  int64_t Int(int column) const;
  std::string_view Text(int column) const;
  std::string_view Blob(int column) const;
  bool IsNull(int column) const;

 private:
  friend class SqliteDb;
  SqliteStatement(SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteDb* db_;
  sqlite3_stmt* stmt_;
  int bind_error_ = 0;
};

}  // namespace fundtrace
