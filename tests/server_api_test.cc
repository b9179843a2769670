// End to end: `fundtrace serve` as a client sees it, on a store built from the repo's real
// fixtures (OFAC and GraphSense labels, the Ronin-exploiter payout): MistTrack's endpoints and
// errors, keys and rate limits, traces and their exports, label CRUD, screening, CORS.
#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "cli_util.h"
#include "server_util.h"

namespace fundtrace::testing {
namespace {

using Json = nlohmann::json;

const std::string kRonin = "0x098b716b8aaf21512996dc57eb0615e2383e2f96";
const std::string kReceiver = "0x00000000000000000000000000000000000f1000";

class ServeApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    data_ = *dir_ / "data";
    std::vector<std::string> steps = RoninSteps();
    steps.push_back("labels import graphsense " + TestData("labels/graphsense-tagpacks/packs"));
    steps.push_back("ingest etl " + TestData("eth/etl_transactions_3300k.csv"));
    ASSERT_TRUE(PrepareData(data_, steps));
    key_ = NewApiKey(data_, "tests", "100000/s");
    slow_key_ = NewApiKey(data_, "slow", "2/s");
    ASSERT_FALSE(key_.empty() || slow_key_.empty());
    server_ = new ServerProcess(data_, {"--threads", "16"});
    ASSERT_GT(server_->port(), 0) << server_->first_line();
  }
  static void TearDownTestSuite() {
    int status = server_->Stop();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "server exit status " << status;
    delete server_;
    delete dir_;
  }
  static httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(120, 0);
    return c;
  }
  // GET path?query&api_key=KEY; checks the envelope and returns the body.
  static Json Get(const std::string& path, int* status = nullptr, const std::string& key = key_) {
    auto c = Client();
    std::string sep = path.find('?') == std::string::npos ? "?" : "&";
    auto res = c.Get(path + (key.empty() ? "" : sep + "api_key=" + key));
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    if (status) *status = res->status;
    Json j = Json::parse(res->body, nullptr, false);
    EXPECT_TRUE(j.is_object() && j["success"].is_boolean() && j["msg"].is_string())
        << path << ": " << res->body;
    return j;
  }
  static Json Send(const char* method, const std::string& path, const Json& body,
                   int* status = nullptr) {
    auto c = Client();
    httplib::Headers h = {{"X-Api-Key", key_}};
    auto res = std::string(method) == "POST"  ? c.Post(path, h, body.dump(), "application/json")
               : std::string(method) == "PUT" ? c.Put(path, h, body.dump(), "application/json")
                                              : c.Delete(path, h);
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    if (status) *status = res->status;
    return Json::parse(res->body, nullptr, false);
  }
  static TempDir* dir_;
  static std::string data_, key_, slow_key_;
  static ServerProcess* server_;
};
TempDir* ServeApi::dir_ = nullptr;
std::string ServeApi::data_, ServeApi::key_, ServeApi::slow_key_;
ServerProcess* ServeApi::server_ = nullptr;

TEST_F(ServeApi, StatusListsCoinsAndNeedsAKey) {
  Json j = Get("/v1/status");
  EXPECT_TRUE(j["success"].get<bool>());
  EXPECT_NE(std::find(j["data"]["support_coin"].begin(), j["data"]["support_coin"].end(), "ETH"),
            j["data"]["support_coin"].end());
  int status = 0;
  Json no = Get("/v1/status", &status, "");
  EXPECT_FALSE(no["success"].get<bool>());
  EXPECT_EQ(no["msg"], "InvalidApiKey");
  EXPECT_EQ(status, 200) << "MistTrack answers errors with HTTP 200";
  Json bad = Get("/v1/status", &status, "ft_0000000000000000000000000000000000000000");
  EXPECT_EQ(bad["msg"], "InvalidApiKey");
  Json native = Get("/api/v1/search?q=binance", &status, "");
  EXPECT_EQ(native["msg"], "InvalidApiKey");
  EXPECT_EQ(status, 401);
}

TEST_F(ServeApi, AddressLabelsOfTheRoninExploiter) {
  Json j = Get("/v1/address_labels?coin=ETH&address=" + kRonin);
  ASSERT_TRUE(j["success"].get<bool>()) << j.dump();
  EXPECT_FALSE(j["data"]["label_list"].empty()) << j.dump();
  EXPECT_FALSE(j["data"]["label_type"].get<std::string>().empty()) << j.dump();
  Json none = Get("/v1/address_labels?coin=ETH&address=" + kReceiver);
  EXPECT_TRUE(none["data"]["label_list"].empty());
  EXPECT_EQ(none["data"]["label_type"], "");
}

TEST_F(ServeApi, MistTrackErrors) {
  EXPECT_EQ(Get("/v1/address_labels?coin=ETH&address=0x12")["msg"], "InvalidAddress");
  EXPECT_EQ(Get("/v1/address_labels?coin=DOGE&address=" + kRonin)["msg"], "UnsupportedToken");
  EXPECT_EQ(Get("/v1/address_labels?address=" + kRonin)["msg"], "UnsupportedToken");
  EXPECT_EQ(
      Get("/v2/risk_score_query_task?coin=ETH&address=0x00000000000000000000000000000000000f2000")
          ["msg"],
      "TaskNotFound");
  int status = 0;
  Json nf = Get("/v1/nothing", &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(nf["msg"], "PageNotFound");
}

TEST_F(ServeApi, RiskScoreV2AndV3AndTheAsyncTask) {
  Json r = Get("/v2/risk_score?coin=ETH&address=" + kRonin);
  ASSERT_TRUE(r["success"].get<bool>()) << r.dump();
  EXPECT_EQ(r["data"]["risk_level"], "Severe");
  EXPECT_GE(r["data"]["score"].get<int>(), 91);
  Json r3 = Get("/v3/risk_score?coin=ETH&address=" + kReceiver);
  ASSERT_TRUE(r3["success"].get<bool>()) << r3.dump();
  EXPECT_GE(r3["data"]["score"].get<int>(), 71) << r3.dump(1);
  Json t =
      Get("/v3/"
          "risk_score?coin=ETH&txid="
          "0x00000000000000000000000000000000000000000000000000000000000f1001");
  EXPECT_TRUE(t["success"].get<bool>()) << t.dump();

  Json created = Send("POST", "/v2/risk_score_create_task",
                      {{"coin", "ETH"}, {"address", kReceiver}, {"api_key", key_}});
  ASSERT_TRUE(created["success"].get<bool>()) << created.dump();
  Json q;
  for (int i = 0; i < 200; ++i) {
    q = Get("/v2/risk_score_query_task?coin=ETH&address=" + kReceiver);
    if (q["msg"] != "TaskUnderRunning") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(q["success"].get<bool>()) << q.dump();
  EXPECT_EQ(q["data"]["score"], r3["data"]["score"]);
  EXPECT_GT(q["data"]["scanned_ts"].get<int64_t>(), 0);
  Json again = Send("POST", "/v2/risk_score_create_task",
                    {{"coin", "ETH"}, {"address", kReceiver}, {"api_key", key_}});
  EXPECT_TRUE(again["data"]["has_result"].get<bool>()) << again.dump();
  Json both = Send("POST", "/v2/risk_score_create_task",
                   {{"coin", "ETH"}, {"address", kReceiver}, {"txid", "0x00"}, {"api_key", key_}});
  EXPECT_FALSE(both["success"].get<bool>());
}

TEST_F(ServeApi, AddressAnalysisEndpoints) {
  Json o = Get("/v1/address_overview?coin=ETH&address=" + kReceiver);
  ASSERT_TRUE(o["success"].get<bool>()) << o.dump();
  EXPECT_EQ(o["data"]["total_received"], "5");
  EXPECT_EQ(o["data"]["received_count"], 2);
  EXPECT_EQ(o["data"]["history_incomplete"], false);
  EXPECT_EQ(o["data"]["balance_note"], "");
  // The exploiter pays 2.5 ETH it received before the data window: no balance can be known.
  Json x = Get("/v1/address_overview?coin=ETH&address=" + kRonin);
  ASSERT_TRUE(x["success"].get<bool>()) << x.dump();
  EXPECT_EQ(x["data"]["balance"], "-2.5") << "MistTrack's field keeps its old value";
  EXPECT_EQ(x["data"]["history_incomplete"], true) << x.dump();
  EXPECT_EQ(x["data"]["net_flow"], "-2.5");
  EXPECT_GT(x["data"]["data_from_block"].get<int64_t>(), 0);
  EXPECT_NE(x["data"]["balance_note"].get<std::string>().find("not ingested"), std::string::npos);
  Json c = Get("/v1/address_counterparty?coin=ETH&address=" + kReceiver);
  ASSERT_TRUE(c["success"].get<bool>());
  EXPECT_EQ(c["data"]["address_counterparty_list"].size(), 2u) << c.dump();
  Json a = Get("/v1/address_action?coin=ETH&address=" + kReceiver);
  ASSERT_TRUE(a["success"].get<bool>());
  EXPECT_TRUE(a["data"]["action_dic"].contains("received_txs")) << a.dump();
  EXPECT_EQ(a["action_dic"], a["data"]["action_dic"]) << "MistTrack puts action_dic beside data";
  Json p = Get("/v1/address_trace?coin=ETH&address=" + kReceiver);
  ASSERT_TRUE(p["success"].get<bool>()) << p.dump();
  Json inv = Get("/v1/transactions_investigation?coin=ETH&address=" + kReceiver);
  ASSERT_TRUE(inv["success"].get<bool>()) << inv.dump();
  EXPECT_EQ(inv["data"]["in"].size(), 2u) << inv.dump();
  EXPECT_EQ(inv["data"]["transactions_on_page"], 2);
  bool labelled = false;
  for (const auto& row : inv["data"]["in"]) labelled |= !row["label"].get<std::string>().empty();
  EXPECT_TRUE(labelled) << "the exploiter's payment carries its label: " << inv.dump();
  Json window =
      Get("/v1/transactions_investigation?coin=ETH&type=in&end_timestamp=1648243500&address=" +
          kReceiver);
  EXPECT_EQ(window["data"]["transactions_on_page"], 1) << window.dump();
  EXPECT_EQ(Get("/v1/transactions_investigation?coin=ETH&page=-1&address=" + kReceiver)["success"],
            false);
}

TEST_F(ServeApi, RateLimitAnswersExceededRateLimitWithRetryAfter) {
  int limited = 0;
  double retry_after = 0;
  int status = 0;
  for (int i = 0; i < 10; ++i) {
    Json j = Get("/v1/status", &status, slow_key_);
    if (j["msg"] == "ExceededRateLimit") {
      ++limited;
      retry_after = j["retry_after"].get<double>();
      EXPECT_EQ(status, 429);
    }
  }
  EXPECT_GE(limited, 7);
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 0.5);
}

TEST_F(ServeApi, TraceSyncWithGraphAndExports) {
  int status = 0;
  // The analyst marks the receiver as an exchange deposit: the trace then ends there.
  Json made = Send("POST", "/api/v1/labels",
                   {{"address", kReceiver},
                    {"label", "Deposit"},
                    {"entity", "Test Exchange"},
                    {"category", "exchange"}});
  ASSERT_TRUE(made["success"].get<bool>()) << made.dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // labels are re-read each second
  Json t = Send("POST", "/api/v1/trace", {{"seeds", {kRonin}}, {"policy", "fifo"}, {"hops", 3}},
                &status);
  ASSERT_TRUE(t["success"].get<bool>()) << t.dump();
  EXPECT_EQ(status, 200);
  const std::string id = t["data"]["id"];
  EXPECT_EQ(t["data"]["status"], "done");
  EXPECT_TRUE(t["data"]["result"]["balanced"].get<bool>());
  ASSERT_EQ(t["data"]["result"]["endpoints"].size(), 1u) << t.dump();
  EXPECT_EQ(t["data"]["result"]["endpoints"][0]["entity"], "Test Exchange");
  EXPECT_EQ(t["data"]["result"]["endpoints"][0]["amount"], "2.5");
  EXPECT_EQ(t["data"]["result"]["endpoints_count"], 1);
  EXPECT_EQ(t["data"]["result"]["held_count"], 0) << "all of it reached the endpoint";
  Json g = Get("/api/v1/trace/" + id + "/graph");
  ASSERT_TRUE(g["success"].get<bool>());
  ASSERT_EQ(g["data"]["edges"].size(), 1u) << g.dump();
  EXPECT_EQ(g["data"]["edges"][0]["amount"], "2.5");
  auto c = Client();
  auto csv = c.Get("/api/v1/trace/" + id + "/export?format=csv&api_key=" + key_);
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  std::string lower = csv->body;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_NE(lower.find(kReceiver + ",test exchange,exchange"), std::string::npos) << csv->body;
  auto json = c.Get("/api/v1/trace/" + id + "/export?format=json&api_key=" + key_);
  ASSERT_TRUE(json);
  EXPECT_TRUE(Json::parse(json->body, nullptr, false)["balanced"].get<bool>());
  auto svg = c.Get("/api/v1/trace/" + id + "/export?format=svg&api_key=" + key_);
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->status, 200) << svg->body;
  EXPECT_NE(svg->body.find("<svg"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/trace/" + id + "/export?format=exe")["success"], false);
  EXPECT_EQ(Get("/api/v1/trace/ffffffffffffffff")["msg"], "TaskNotFound");
  // Async on request: a task id, then the same answer.
  Json a =
      Send("POST", "/api/v1/trace", {{"seeds", {kRonin}}, {"hops", 3}, {"async", true}}, &status);
  ASSERT_TRUE(a["success"].get<bool>()) << a.dump();
  EXPECT_EQ(status, 202);
  Json done;
  for (int i = 0; i < 200; ++i) {
    done = Get("/api/v1/trace/" + a["data"]["id"].get<std::string>());
    if (done["data"]["status"] == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(done["data"]["result"]["endpoints"], t["data"]["result"]["endpoints"]);
  Json bad = Send("POST", "/api/v1/trace", {{"seeds", {"0xnothex"}}}, &status);
  EXPECT_EQ(bad["msg"], "InvalidAddress");
  EXPECT_EQ(status, 400);
  Json hops = Send("POST", "/api/v1/trace", {{"seeds", {kRonin}}, {"hops", 100000}}, &status);
  EXPECT_EQ(hops["msg"], "InvalidParameter");
}

TEST_F(ServeApi, UserLabelsCreateReadUpdateDelete) {
  const std::string addr = "0x00000000000000000000000000000000000f2000";
  int status = 0;
  Json made = Send("POST", "/api/v1/labels",
                   {{"address", addr},
                    {"label", "Suspect payer"},
                    {"entity", "Case 7"},
                    {"category", "exchange"}},
                   &status);
  ASSERT_TRUE(made["success"].get<bool>()) << made.dump();
  EXPECT_EQ(status, 201);
  const int64_t id = made["data"]["id"];
  Json got = Get("/api/v1/labels?address=" + addr);
  ASSERT_EQ(got["data"]["labels"].size(), 1u) << got.dump();
  EXPECT_EQ(got["data"]["labels"][0]["source"], "user");
  // The MistTrack endpoint and screening see it within the server's re-check interval.
  Json ml;
  for (int i = 0; i < 40; ++i) {
    ml = Get("/v1/address_labels?coin=ETH&address=" + addr);
    if (!ml["data"]["label_list"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(ml["data"]["label_type"], "exchange") << ml.dump();
  Json put = Send("PUT", "/api/v1/labels/" + std::to_string(id),
                  {{"address", addr}, {"label", "Suspect payer"}, {"category", "gambling"}});
  ASSERT_TRUE(put["success"].get<bool>()) << put.dump();
  const int64_t id2 = put["data"]["id"];
  EXPECT_EQ(Get("/api/v1/labels?address=" + addr)["data"]["labels"][0]["category"], "gambling");
  Json del = Send("DELETE", "/api/v1/labels/" + std::to_string(id2), nullptr);
  ASSERT_TRUE(del["success"].get<bool>()) << del.dump();
  EXPECT_TRUE(Get("/api/v1/labels?address=" + addr)["data"]["labels"].empty());
  // Imported tags cannot be deleted; unknown ids are NotFound; bad fields are named.
  Json ronin = Get("/api/v1/labels?address=" + kRonin);
  ASSERT_FALSE(ronin["data"]["labels"].empty());
  Json no =
      Send("DELETE", "/api/v1/labels/" + ronin["data"]["labels"][0]["id"].dump(), nullptr, &status);
  EXPECT_FALSE(no["success"].get<bool>());
  EXPECT_EQ(status, 400);
  EXPECT_EQ(Send("DELETE", "/api/v1/labels/999999999", nullptr, &status)["msg"], "NotFound");
  Json badcat =
      Send("POST", "/api/v1/labels", {{"address", addr}, {"label", "x"}, {"category", "nonsense"}});
  EXPECT_NE(badcat["detail"].get<std::string>().find("category"), std::string::npos);
}

TEST_F(ServeApi, ScreenNeighboursSearchAndAddressPage) {
  Json s = Send("POST", "/api/v1/screen",
                {{"addresses", {kRonin, "0x00000000000000000000000000000000000f9999", "0x12", 7}}});
  ASSERT_TRUE(s["success"].get<bool>()) << s.dump();
  EXPECT_EQ(s["data"]["hits"], 1);
  EXPECT_EQ(s["data"]["invalid"], 2);
  EXPECT_EQ(s["data"]["results"][0]["hit"], true);
  Json n = Get("/api/v1/neighbors?address=" + kReceiver);
  ASSERT_TRUE(n["success"].get<bool>());
  EXPECT_EQ(n["data"]["nodes"].size(), 3u) << n.dump();
  EXPECT_EQ(n["data"]["edges"].size(), 2u);
  Json q = Get("/api/v1/search?q=" + kReceiver);
  EXPECT_EQ(q["data"]["kind"], "address");
  Json tx =
      Get("/api/v1/search?q=0x00000000000000000000000000000000000000000000000000000000000f1001");
  EXPECT_EQ(tx["data"]["kind"], "tx");
  Json text = Get("/api/v1/search?q=ronin");
  EXPECT_EQ(text["data"]["kind"], "labels");
  EXPECT_GT(text["data"]["total"].get<int>(), 0);
  Json page = Get("/api/v1/address?address=" + kReceiver);
  ASSERT_TRUE(page["success"].get<bool>()) << page.dump();
  EXPECT_TRUE(page["data"]["in_store"].get<bool>());
  EXPECT_GE(page["data"]["risk"]["score"].get<int>(), 71);
  EXPECT_FALSE(page["data"]["overview"].is_null());
}

TEST_F(ServeApi, WebUiAndOpenApiAreServedWithoutKeyAndCorsIsOff) {
  auto c = Client();
  auto index = c.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<script src=\"/app.js\">"), std::string::npos);
  EXPECT_FALSE(index->has_header("Access-Control-Allow-Origin"));
  auto cy = c.Get("/vendor/cytoscape.min.js");
  ASSERT_TRUE(cy);
  EXPECT_GT(cy->body.size(), 100000u) << "Cytoscape.js is vendored by the build";
  auto doc = c.Get("/openapi.json");
  ASSERT_TRUE(doc);
  EXPECT_TRUE(Json::parse(doc->body, nullptr, false).contains("paths"));
  auto api = c.Get("/v1/status?api_key=" + key_, {{"Origin", "https://evil.example"}});
  ASSERT_TRUE(api);
  EXPECT_FALSE(api->has_header("Access-Control-Allow-Origin"));
}

// A request over the time budget (--request-timeout) gets 504 RequestTimeout in the envelope,
// pointing to the async route, and the server goes on answering: here a budget of 1 µs, which
// every trace, risk score and graph expansion exceeds at its first check.
TEST(ServeBudget, WorkOverTheBudgetIs504AndTheServerGoesOn) {
  TempDir dir;
  const std::string data = dir / "data";
  ASSERT_TRUE(PrepareData(data, RoninSteps()));
  const std::string key = NewApiKey(data, "budget", "1000/s");
  ASSERT_FALSE(key.empty());
  ServerProcess s(data, {"--request-timeout", "0.000001"});
  ASSERT_GT(s.port(), 0) << s.first_line();
  EXPECT_NE(s.first_line().find("request budget 1e-06 s"), std::string::npos) << s.first_line();
  httplib::Client c("127.0.0.1", s.port());
  c.set_read_timeout(60, 0);
  const httplib::Headers h = {{"X-Api-Key", key}};
  const std::string trace = Json{{"seeds", {kRonin}}, {"policy", "fifo"}, {"hops", 3}}.dump();

  auto sync = c.Post("/api/v1/trace", h, trace, "application/json");
  ASSERT_TRUE(sync);
  EXPECT_EQ(sync->status, 504) << sync->body;
  Json j = Json::parse(sync->body, nullptr, false);
  EXPECT_EQ(j["success"], false);
  EXPECT_EQ(j["msg"], "RequestTimeout");
  EXPECT_NE(j["detail"].get<std::string>().find("\"async\": true"), std::string::npos) << j.dump();

  auto risk = c.Get("/v2/risk_score?coin=ETH&address=" + kRonin + "&api_key=" + key);
  ASSERT_TRUE(risk);
  EXPECT_EQ(risk->status, 504) << "MistTrack routes keep 504 for a timeout: " << risk->body;
  Json rj = Json::parse(risk->body, nullptr, false);
  EXPECT_EQ(rj["msg"], "RequestTimeout");
  EXPECT_NE(rj["detail"].get<std::string>().find("risk_score_create_task"), std::string::npos);
  for (const std::string& path :
       {"/api/v1/neighbors?address=" + kReceiver, "/api/v1/address?address=" + kReceiver,
        "/v1/address_overview?coin=ETH&address=" + kReceiver}) {
    auto r = c.Get(path, h);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 504) << path << ": " << r->body;
  }

  // The server goes on: unbudgeted routes answer, and the same trace runs as a task.
  auto status = c.Get("/v1/status", h);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  auto queued =
      c.Post("/api/v1/trace", h,
             Json{{"seeds", {kRonin}}, {"policy", "fifo"}, {"hops", 3}, {"async", true}}.dump(),
             "application/json");
  ASSERT_TRUE(queued);
  ASSERT_EQ(queued->status, 202) << queued->body;
  const std::string id = Json::parse(queued->body)["data"]["id"];
  Json done;
  for (int i = 0; i < 200; ++i) {
    auto r = c.Get("/api/v1/trace/" + id, h);
    ASSERT_TRUE(r);
    done = Json::parse(r->body, nullptr, false);
    if (done["data"]["status"] == "done" || done["data"]["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(done["data"]["status"], "done") << done.dump();
  EXPECT_TRUE(done["data"]["result"]["balanced"].get<bool>()) << done.dump();
  EXPECT_TRUE(s.Alive());
  int st = s.Stop();
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
}

TEST(ServeCors, OnlyTheGivenOriginWhenAsked) {
  TempDir dir;
  ServerProcess s(dir / "data", {"--no-auth", "--cors", "https://ui.example"});
  ASSERT_GT(s.port(), 0) << s.first_line();
  httplib::Client c("127.0.0.1", s.port());
  auto res = c.Get("/v1/status");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << "--no-auth needs no key";
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), "https://ui.example");
  auto pre = c.Options("/v2/risk_score");
  ASSERT_TRUE(pre);
  EXPECT_EQ(pre->status, 204);
  EXPECT_NE(pre->get_header_value("Access-Control-Allow-Headers").find("X-Api-Key"),
            std::string::npos);
  int status = s.Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

}  // namespace
}  // namespace fundtrace::testing
