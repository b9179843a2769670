#include "ingest/csv_reader.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fundtrace {
namespace {

namespace fs = std::filesystem;

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("csv_reader_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `content` to a file in the test's directory and returns its path.
  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    EXPECT_TRUE(out.good()) << path;
    return path;
  }

  // Writes `content` gzip-compressed with zlib's gzopen (the reader must detect it by content,
  // so the name has no .gz suffix unless given one).
  std::string WriteGzip(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr) << path;
    if (f == nullptr) return path;
    size_t done = 0;
    while (done < content.size()) {
      const unsigned chunk =
          static_cast<unsigned>(std::min<size_t>(content.size() - done, 1 << 20));
      EXPECT_EQ(gzwrite(f, content.data() + done, chunk), static_cast<int>(chunk));
      done += chunk;
    }
    EXPECT_EQ(gzclose(f), Z_OK);
    return path;
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  static std::unique_ptr<CsvReader> OpenOk(const std::string& path) {
    Result<std::unique_ptr<CsvReader>> r = CsvReader::Open(path);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(*r) : nullptr;
  }

  // All records as strings, failing the test on an error.
  static std::vector<std::vector<std::string>> ReadAll(CsvReader* reader) {
    std::vector<std::vector<std::string>> rows;
    for (;;) {
      Result<bool> r = reader->Next();
      EXPECT_TRUE(r.ok()) << r.status().message();
      if (!r.ok() || !*r) break;
      rows.emplace_back(reader->fields().begin(), reader->fields().end());
    }
    return rows;
  }

  // Reads until the first error and returns its message ("" if none).
  static std::string FirstError(CsvReader* reader) {
    for (;;) {
      Result<bool> r = reader->Next();
      if (!r.ok()) return r.status().message();
      if (!*r) return "";
    }
  }

  fs::path dir_;
};

using Rows = std::vector<std::vector<std::string>>;

TEST_F(CsvReaderTest, PlainRecords) {
  const std::string path = Write("a.csv", "hash,from,value\n0xaa,0x01,10\n0xbb,0x02,20\n");
  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"hash", "from", "value"}));
  EXPECT_EQ(reader->Column("from"), 1);
  EXPECT_EQ(reader->Column("value"), 2);
  EXPECT_EQ(reader->Column("nope"), -1);
  EXPECT_EQ(reader->line(), 1u);
  EXPECT_FALSE(reader->is_gzip());
  EXPECT_EQ(reader->path(), path);

  Result<bool> r = reader->Next();
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_EQ(reader->line(), 2u);
  EXPECT_EQ(reader->fields()[0], "0xaa");
  EXPECT_EQ(reader->fields()[2], "10");
  r = reader->Next();
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_EQ(reader->line(), 3u);
  EXPECT_EQ(reader->fields()[1], "0x02");
  r = reader->Next();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  r = reader->Next();  // stays at the end
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_EQ(reader->file_size(), ReadFile(path).size());
  EXPECT_EQ(reader->bytes_consumed(), reader->file_size());
}

TEST_F(CsvReaderTest, EmptyFieldsAndNoFinalNewline) {
  auto reader = OpenOk(Write("a.csv", "a,b,c\n,,\n1,,3\n,2,"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(reader.get()), (Rows{{"", "", ""}, {"1", "", "3"}, {"", "2", ""}}));
}

TEST_F(CsvReaderTest, EtherscanHeaderWithEmptyIndexName) {
  auto reader =
      OpenOk(Write("0xabc.csv",
                   ",TxHash,BlockHeight,TimeStamp,From,To,Value,ContractAddress,Input,isError\n"
                   "0,0x8ce1,5659116,1527017753,0xd551,0x002b,0.586269480000000000,NULL,0x,0\n"
                   "1,0x8ae1,5679819,1527335634,0x002b,0x6ab5,0E-18,NULL,0x,0\n"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->header().size(), 10u);
  EXPECT_EQ(reader->Column(""), 0);
  EXPECT_EQ(reader->Column("Value"), 6);
  Rows rows = ReadAll(reader.get());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][6], "0E-18");
}

TEST_F(CsvReaderTest, QuotedFields) {
  auto reader = OpenOk(Write("t.csv",
                             "id,trace_address,note\n"
                             "1,\"0,0,1\",\"say \"\"hi\"\"\"\n"
                             "2,\"\",\"multi\nline\r\nfield\"\n"
                             "3,\"\"\"\",\"a\"\"b\"\"c\"\n"
                             "4,plain\"quote,\"x\"\n"
                             "5,\"last, no newline\",\"\"\"\""));
  ASSERT_NE(reader, nullptr);
  std::vector<uint64_t> lines;
  Rows rows;
  for (;;) {
    Result<bool> r = reader->Next();
    ASSERT_TRUE(r.ok()) << r.status().message();
    if (!*r) break;
    rows.emplace_back(reader->fields().begin(), reader->fields().end());
    lines.push_back(reader->line());
  }
  EXPECT_EQ(rows, (Rows{{"1", "0,0,1", "say \"hi\""},
                        {"2", "", "multi\nline\r\nfield"},
                        {"3", "\"", "a\"b\"c"},
                        {"4", "plain\"quote", "x"},
                        {"5", "last, no newline", "\""}}));
  // Record 2 spans lines 3-5, so record 3 starts on line 6.
  EXPECT_EQ(lines, (std::vector<uint64_t>{2, 3, 6, 7, 8}));
}

TEST_F(CsvReaderTest, QuotedHeader) {
  auto reader = OpenOk(Write("h.csv", "\"a\",\"b,c\",\"d\"\"\"\n1,2,3\n"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"a", "b,c", "d\""}));
  EXPECT_EQ(ReadAll(reader.get()), (Rows{{"1", "2", "3"}}));
}

TEST_F(CsvReaderTest, CrlfAndBom) {
  auto reader = OpenOk(Write("w.csv", "\xEF\xBB\xBFhash,value\r\n0x1,5\r\n\"0x2\",6\r\n0x3,7"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"hash", "value"}));
  EXPECT_EQ(reader->Column("hash"), 0);
  EXPECT_EQ(ReadAll(reader.get()), (Rows{{"0x1", "5"}, {"0x2", "6"}, {"0x3", "7"}}));
}

TEST_F(CsvReaderTest, LoneCarriageReturnIsData) {
  auto reader = OpenOk(Write("cr.csv", "a,b\nx\ry,z\r\n1,2\r"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(reader.get()), (Rows{{"x\ry", "z"}, {"1", "2"}}));
  // A CR alone on the last line is a blank line.
  reader = OpenOk(Write("cr2.csv", "a,b\n1,2\n\r"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(reader.get()), (Rows{{"1", "2"}}));
}

TEST_F(CsvReaderTest, BlankLinesSkippedAndCounted) {
  auto reader = OpenOk(Write("b.csv", "\na,b\n1,2\n\n\r\n3,4\n\n"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->line(), 2u);
  Result<bool> r = reader->Next();
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_EQ(reader->line(), 3u);
  r = reader->Next();
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_EQ(reader->line(), 6u);
  EXPECT_EQ(reader->fields()[1], "4");
  r = reader->Next();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
}

TEST_F(CsvReaderTest, HeaderOnly) {
  auto reader = OpenOk(Write("h.csv", "a,b\n"));
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(ReadAll(reader.get()).empty());
}

TEST_F(CsvReaderTest, WrongFieldCountNamesLineAndCanContinue) {
  const std::string path = Write("bad.csv", "a,b,c\n1,2,3\n\"x\ny\",2,3\n4,5\n6,7,8\n9,10,11,12\n");
  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(*reader->Next());
  ASSERT_TRUE(*reader->Next());
  EXPECT_EQ(reader->line(), 3u);
  Result<bool> r = reader->Next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), path + ":5: expected 3 fields, found 2");
  r = reader->Next();  // the bad record was consumed
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_EQ(reader->fields()[0], "6");
  r = reader->Next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), path + ":7: expected 3 fields, found 4");
  r = reader->Next();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
}

TEST_F(CsvReaderTest, TenFieldMessage) {
  const std::string path =
      Write("ten.csv", "a,b,c,d,e,f,g,h,i,j\n1,2,3,4,5,6,7,8,9,10\n1,2,3,4,5,6,7\n");
  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(FirstError(reader.get()), path + ":3: expected 10 fields, found 7");
}

TEST_F(CsvReaderTest, UnterminatedQuote) {
  const std::string path = Write("u.csv", "a,b\n1,2\n3,\"abc\n4,5\n6,7\n");
  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(FirstError(reader.get()), path + ":3: unterminated quoted field");
  Result<bool> r = reader->Next();  // final
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), path + ":3: unterminated quoted field");
}

TEST_F(CsvReaderTest, CharacterAfterClosingQuote) {
  const std::string path = Write("q.csv", "a,b\n\"x\"y,2\n");
  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(FirstError(reader.get()), path + ":2: unexpected character after closing quote");
}

TEST_F(CsvReaderTest, NulByte) {
  const std::string path = Write("n.csv", std::string("a,b\n1,2\n3,x\0y\n", 14));
  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(FirstError(reader.get()), path + ":3: NUL byte in record");
  const std::string quoted = Write("nq.csv", std::string("a,b\n1,\"x\0\"\n", 11));
  reader = OpenOk(quoted);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(FirstError(reader.get()), quoted + ":2: NUL byte in record");
}

TEST_F(CsvReaderTest, OpenErrors) {
  Result<std::unique_ptr<CsvReader>> r = CsvReader::Open((dir_ / "missing.csv").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIOError);
  EXPECT_NE(r.status().message().find((dir_ / "missing.csv").string() + ": cannot open"),
            std::string::npos)
      << r.status().message();

  r = CsvReader::Open(dir_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIOError);

  const std::string empty = Write("empty.csv", "");
  r = CsvReader::Open(empty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), empty + ": empty file");

  const std::string blank = Write("blank.csv", "\xEF\xBB\xBF\n\r\n");
  r = CsvReader::Open(blank);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), blank + ": empty file");

  const std::string bad_header = Write("badheader.csv", "a,\"b\n");
  r = CsvReader::Open(bad_header);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), bad_header + ":1: unterminated quoted field");
}

TEST_F(CsvReaderTest, GzipRoundTrip) {
  std::string content = "block,hash,trace_address\n";
  for (int i = 0; i < 50000; ++i) {
    content += std::to_string(i) + ",0x" + std::to_string(i * 7919) + ",\"0," +
               std::to_string(i % 5) + "\"\n";
  }
  // The name does not end in .gz: detection is by content.
  const std::string path = WriteGzip("traces.csv", content);
  const std::string compressed = ReadFile(path);
  ASSERT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);
  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(reader->is_gzip());
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"block", "hash", "trace_address"}));
  int n = 0;
  for (;;) {
    Result<bool> r = reader->Next();
    ASSERT_TRUE(r.ok()) << r.status().message();
    if (!*r) break;
    ASSERT_EQ(reader->fields()[0], std::to_string(n));
    ASSERT_EQ(reader->fields()[2], "0," + std::to_string(n % 5));
    ++n;
  }
  EXPECT_EQ(n, 50000);
  EXPECT_EQ(reader->file_size(), compressed.size());
  EXPECT_EQ(reader->bytes_consumed(), compressed.size());

  // And a plain file named .gz is read as plain.
  auto plain = OpenOk(Write("plain.csv.gz", "a\n1\n"));
  ASSERT_NE(plain, nullptr);
  EXPECT_FALSE(plain->is_gzip());
  EXPECT_EQ(ReadAll(plain.get()), (Rows{{"1"}}));
}

TEST_F(CsvReaderTest, GzipConcatenatedMembers) {
  const std::string a = ReadFile(WriteGzip("a.gz", "x,y\n1,2\n"));
  const std::string b = ReadFile(WriteGzip("b.gz", "3,4\n"));
  auto reader = OpenOk(Write("ab.gz", a + b));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(reader.get()), (Rows{{"1", "2"}, {"3", "4"}}));
}

TEST_F(CsvReaderTest, TruncatedGzip) {
  std::string content = "a,b\n";
  for (int i = 0; i < 20000; ++i) content += std::to_string(i) + "," + std::to_string(i * i) + "\n";
  const std::string full = ReadFile(WriteGzip("full.gz", content));
  for (size_t keep : {full.size() - 4, full.size() / 2, size_t{12}}) {
    const std::string path = Write("cut.gz", full.substr(0, keep));
    Result<std::unique_ptr<CsvReader>> opened = CsvReader::Open(path);
    std::string message;
    if (!opened.ok()) {
      message = opened.status().message();
    } else {
      message = FirstError(opened->get());
    }
    EXPECT_NE(message.find(path + ": truncated gzip stream"), std::string::npos)
        << keep << ": " << message;
  }
}

TEST_F(CsvReaderTest, CorruptGzip) {
  std::string gz = ReadFile(WriteGzip("c.gz", std::string(100000, 'a') + "\n"));
  gz = gz.substr(0, 10) + std::string(gz.size() - 10, '\x55');
  const std::string path = Write("corrupt.gz", gz);
  Result<std::unique_ptr<CsvReader>> r = CsvReader::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_NE(r.status().message().find(path + ": corrupt gzip data"), std::string::npos)
      << r.status().message();
}

// Records that straddle buffer refills, including quoted fields with escapes split at every
// offset, and a record larger than the initial buffer.
TEST_F(CsvReaderTest, RecordsAcrossBufferBoundaries) {
  std::string content = "id,data,q\n";
  Rows expected;
  for (int i = 0; i < 60000; ++i) {
    std::string data(static_cast<size_t>(i % 97), static_cast<char>('a' + i % 26));
    content += std::to_string(i) + "," + data + ",\"p\"\"" + std::to_string(i) + "\r\nz\"\r\n";
    expected.push_back({std::to_string(i), data, "p\"" + std::to_string(i) + "\r\nz"});
  }
  const std::string huge(5 << 20, 'h');  // larger than the 4 MiB default buffer
  content += "big," + huge + ",\"" + huge + "\"\"\"\n";
  expected.push_back({"big", huge, huge + "\""});
  content += "end,1,2";
  expected.push_back({"end", "1", "2"});

  for (bool gzip : {false, true}) {
    const std::string path = gzip ? WriteGzip("big.gz", content) : Write("big.csv", content);
    auto reader = OpenOk(path);
    ASSERT_NE(reader, nullptr);
    size_t i = 0;
    uint64_t expected_line = 2;
    for (;; ++i) {
      Result<bool> r = reader->Next();
      ASSERT_TRUE(r.ok()) << r.status().message();
      if (!*r) break;
      ASSERT_LT(i, expected.size());
      ASSERT_EQ(reader->line(), expected_line) << i;
      expected_line += i < 60000 ? 2 : 1;
      ASSERT_EQ(reader->fields().size(), 3u);
      for (size_t f = 0; f < 3; ++f) {
        ASSERT_EQ(reader->fields()[f], expected[i][f]) << i << " " << f;
      }
    }
    EXPECT_EQ(i, expected.size());
  }
}

// Reads every record with their lines, or the first error as a final row {"error", message}.
std::pair<Rows, std::vector<uint64_t>> ReadWithLines(const std::string& path, size_t buffer_bytes) {
  Rows rows;
  std::vector<uint64_t> lines;
  Result<std::unique_ptr<CsvReader>> opened = CsvReader::Open(path, buffer_bytes);
  if (!opened.ok()) return {{{"error", opened.status().message()}}, {}};
  CsvReader& reader = **opened;
  rows.push_back(reader.header());
  lines.push_back(reader.line());
  for (;;) {
    Result<bool> r = reader.Next();
    if (!r.ok()) {
      rows.push_back({"error", r.status().message()});
      break;
    }
    if (!*r) break;
    rows.emplace_back(reader.fields().begin(), reader.fields().end());
    lines.push_back(reader.line());
  }
  return {rows, lines};
}

// Tiny buffers split every construct (CRLF, "" escapes, BOM, blank lines) across refills at
// every offset; the result must not depend on the buffer size.
TEST_F(CsvReaderTest, TinyBuffersGiveSameResult) {
  const std::string content =
      "\xEF\xBB\xBFid,q,r\r\n"
      "1,\"a\"\"b\",\"\"\r\n"
      "\r\n"
      "2,\"x\r\ny\nz\",\"\"\"\"\"\"\"\"\r\n"
      "3,lone\rcr,\"0,0,1\"\n"
      "\n"
      "4,,\n"
      "5,\"long quoted field with \"\"escapes\"\" that spans many tiny buffers\",end\r\n"
      "6,\"\",\"last\"";
  const Rows expected = {
      {"id", "q", "r"},
      {"1", "a\"b", ""},
      {"2", "x\r\ny\nz", "\"\"\""},
      {"3", "lone\rcr", "0,0,1"},
      {"4", "", ""},
      {"5", "long quoted field with \"escapes\" that spans many tiny buffers", "end"},
      {"6", "", "last"}};
  const std::vector<uint64_t> expected_lines = {1, 2, 4, 7, 9, 10, 11};
  const std::string plain = Write("tiny.csv", content);
  const std::string gz = WriteGzip("tiny.gz", content);
  for (const std::string& path : {plain, gz}) {
    for (size_t buffer = 1; buffer <= 100; ++buffer) {
      auto [rows, lines] = ReadWithLines(path, buffer);
      ASSERT_EQ(rows, expected) << path << " buffer " << buffer;
      ASSERT_EQ(lines, expected_lines) << path << " buffer " << buffer;
    }
  }

  // Errors too: the field-count error is recoverable, the unterminated quote final.
  const std::string bad =
      Write("bad.csv", "a,b\r\n1,\"\"\"\r\n\"\"x\"\r\nlonely\r\n2,3\r\n4,\"unterminated\r\n");
  for (size_t buffer = 1; buffer <= 64; ++buffer) {
    Result<std::unique_ptr<CsvReader>> opened = CsvReader::Open(bad, buffer);
    ASSERT_TRUE(opened.ok());
    CsvReader& reader = **opened;
    Result<bool> r = reader.Next();
    ASSERT_TRUE(r.ok() && *r);
    ASSERT_EQ(reader.fields()[1], "\"\r\n\"x") << buffer;
    r = reader.Next();
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.status().message(), bad + ":4: expected 2 fields, found 1") << buffer;
    r = reader.Next();
    ASSERT_TRUE(r.ok() && *r);
    ASSERT_EQ(reader.fields()[0], "2");
    r = reader.Next();
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.status().message(), bad + ":6: unterminated quoted field") << buffer;
  }
}

// A deliberately simple character-at-a-time parser of the same format, as a reference.
// Returns one entry per event: {"<line>", fields...} for a record, or {"error", message} for
// an error (the reader's messages, without the path), like the reader's output below.
Rows ReferenceParse(const std::string& s) {
  Rows out;
  size_t i = s.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const size_t n = s.size();
  uint64_t line = 1;
  size_t header_size = 0;
  auto error = [&](uint64_t at, const std::string& what) {
    out.push_back({"error", ":" + std::to_string(at) + ": " + what});
    return out;
  };
  for (;;) {
    while (i < n) {
      if (s[i] == '\n') {
        i += 1;
      } else if (s[i] == '\r' && (i + 1 == n || s[i + 1] == '\n')) {
        i += i + 1 == n ? 1 : 2;
      } else {
        break;
      }
      ++line;
    }
    if (i == n) break;
    const uint64_t start = line;
    std::vector<std::string> fields;
    bool record_done = false;
    while (!record_done) {
      std::string value;
      if (s[i] == '"') {
        ++i;
        for (;;) {
          if (i == n) return error(start, "unterminated quoted field");
          const char c = s[i];
          if (c == '\0') return error(start, "NUL byte in record");
          if (c == '"') {
            if (i + 1 < n && s[i + 1] == '"') {
              value += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          value += c;
          ++i;
        }
        fields.push_back(value);
        if (i == n) break;
        const char c = s[i];
        if (c == ',') {
          ++i;
        } else if (c == '\n') {
          ++i;
          record_done = true;
        } else if (c == '\r' && (i + 1 == n || s[i + 1] == '\n')) {
          i += i + 1 == n ? 1 : 2;
          record_done = true;
        } else if (c == '\0') {
          return error(start, "NUL byte in record");
        } else {
          return error(start, "unexpected character after closing quote");
        }
        if (i == n && !record_done) {  // a trailing ',' at the end of the data
          fields.push_back("");
          break;
        }
      } else {
        for (;;) {
          if (i == n) {
            record_done = true;
            break;
          }
          const char c = s[i];
          if (c == ',') {
            ++i;
            if (i == n) {  // a trailing ',' at the end of the data: one more empty field
              fields.push_back(value);
              value.clear();
              record_done = true;
            }
            break;
          }
          if (c == '\n' || (c == '\r' && (i + 1 == n || s[i + 1] == '\n'))) {
            i += (c == '\r' && i + 1 < n) ? 2 : 1;
            record_done = true;
            break;
          }
          if (c == '\0') return error(start, "NUL byte in record");
          value += c;
          ++i;
        }
        fields.push_back(value);
      }
    }
    ++line;
    if (out.empty()) {
      header_size = fields.size();
    } else if (fields.size() != header_size) {
      out.push_back({"error", ":" + std::to_string(start) + ": expected " +
                                  std::to_string(header_size) + " fields, found " +
                                  std::to_string(fields.size())});
      continue;
    }
    fields.insert(fields.begin(), std::to_string(start));
    out.push_back(fields);
  }
  if (out.empty()) out.push_back({"error", ": empty file"});
  return out;
}

// The reader's output in ReferenceParse's form, with the path removed from messages.
Rows ReaderEvents(const std::string& path, size_t buffer_bytes) {
  Rows out;
  auto message = [&](const Status& s) {
    std::string m = s.message();
    if (m.compare(0, path.size(), path) == 0) m.erase(0, path.size());
    return std::vector<std::string>{"error", m};
  };
  Result<std::unique_ptr<CsvReader>> opened = CsvReader::Open(path, buffer_bytes);
  if (!opened.ok()) return {message(opened.status())};
  CsvReader& reader = **opened;
  std::vector<std::string> header = reader.header();
  header.insert(header.begin(), std::to_string(reader.line()));
  out.push_back(header);
  for (;;) {
    Result<bool> r = reader.Next();
    if (!r.ok()) {
      out.push_back(message(r.status()));
      if (r.status().message().find("fields, found") != std::string::npos) continue;
      break;
    }
    if (!*r) break;
    std::vector<std::string> row = {std::to_string(reader.line())};
    row.insert(row.end(), reader.fields().begin(), reader.fields().end());
    out.push_back(row);
  }
  return out;
}

// Random text over the characters that matter, read with random tiny buffers, plain or gzip,
// gives exactly what the reference parser gives.
TEST_F(CsvReaderTest, MatchesReferenceParser) {
  int case_number = 0;
  rc::detail::checkGTest([&] {
    const std::string body = *rc::gen::container<std::string>(rc::gen::weightedElement<char>(
        {{6, 'a'}, {2, 'b'}, {4, ','}, {3, '"'}, {3, '\n'}, {2, '\r'}, {1, '\0'}}));
    const bool bom = *rc::gen::weightedElement<bool>({{1, true}, {4, false}});
    const std::string content = (bom ? "\xEF\xBB\xBF" : "") + body;
    const size_t buffer = *rc::gen::inRange<size_t>(1, 40);
    const bool gzip = *rc::gen::weightedElement<bool>({{1, true}, {3, false}});
    const std::string name = "case" + std::to_string(case_number++);
    const std::string path = gzip ? WriteGzip(name, content) : Write(name, content);
    const Rows expected = ReferenceParse(content);
    const Rows actual = ReaderEvents(path, buffer);
    fs::remove(path);
    RC_ASSERT(actual == expected);
  });
}

TEST_F(CsvReaderTest, RecordTooLong) {
  // An unterminated quote early in a big file stops at the record limit instead of reading
  // the whole file into memory.
  std::string content = "a,b\n1,\"";
  content.append(CsvReader::kMaxRecordBytes + 1000, 'x');
  const std::string path = Write("long.csv", content);
  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(FirstError(reader.get()), path + ":2: record longer than 64 MiB (unterminated quote?)");
}

}  // namespace
}  // namespace fundtrace
