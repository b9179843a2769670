#include "server/api_call.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace fundtrace {
namespace {

constexpr const char* kJsonType = "application/json";

struct CoinName {
  const char* name;
  Chain chain;
  const char* token;
};
constexpr CoinName kCoins[] = {
    {"ETH", Chain::kEthereum, ""},
    {"BTC", Chain::kBitcoin, ""},
    {"TRX", Chain::kTron, ""},
    {"USDT-ERC20", Chain::kEthereum, "USDT"},
    {"USDC-ERC20", Chain::kEthereum, "USDC"},
    {"DAI-ERC20", Chain::kEthereum, "DAI"},
    {"WETH-ERC20", Chain::kEthereum, "WETH"},
    {"USDT-TRC20", Chain::kTron, "USDT"},
    {"USDC-TRC20", Chain::kTron, "USDC"},
};

}  // namespace

ApiCall::ApiCall(const httplib::Request& req, httplib::Response& res, bool misttrack)
    : req_(req), res_(res), misttrack_(misttrack) {
  if (!req.body.empty() && req.get_header_value("Content-Type").find("json") != std::string::npos) {
    body_ = nlohmann::json::parse(req.body, nullptr, false);
    if (body_.is_discarded()) {
      body_ = nullptr;
      body_invalid_ = true;
      Fail(400, kInvalidParameter, "the request body is not valid JSON");
    }
  }
}

std::optional<std::string> ApiCall::Param(const std::string& name) const {
  if (req_.has_param(name)) return req_.get_param_value(name);
  if (body_.is_object()) {
    auto it = body_.find(name);
    if (it != body_.end()) {
      if (it->is_string()) return it->get<std::string>();
      if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
      if (it->is_number() || it->is_boolean()) return it->dump();
    }
  }
  return std::nullopt;
}

std::string ApiCall::ParamOr(const std::string& name, const std::string& fallback) const {
  auto v = Param(name);
  return v ? *v : fallback;
}

std::optional<int64_t> ApiCall::IntParam(const std::string& name, int64_t fallback, int64_t lo,
                                         int64_t hi) {
  auto v = Param(name);
  if (!v || v->empty()) return fallback;
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc() || p != v->data() + v->size() || x < lo || x > hi) {
    Fail(400, kInvalidParameter,
         "parameter " + name + " must be an integer from " + std::to_string(lo) + " to " +
             std::to_string(hi));
    return std::nullopt;
  }
  return x;
}

void ApiCall::Ok(nlohmann::json data, const std::string& msg) {
  nlohmann::json j = {{"success", true}, {"msg", msg}, {"data", std::move(data)}};
  SendRaw(res_, 200, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJsonType);
  done_ = true;
}

void ApiCall::Fail(int http, const std::string& msg, const std::string& detail) {
  if (done_) return;
  nlohmann::json j = {{"success", false}, {"msg", msg}, {"detail", detail}};
  SendRaw(res_, misttrack_ && http != 429 && http != 504 ? 200 : http,
          j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJsonType);
  done_ = true;
}

void ApiCall::TimedOut(const std::string& async_hint) {
  Fail(504, kRequestTimeout,
       "the request did not finish within this server's time budget for synchronous work "
       "(fundtrace serve --request-timeout): " +
           async_hint);
}

void ApiCall::RateLimited(double retry_after) {
  double r = std::ceil(retry_after * 1000) / 1000;
  nlohmann::json j = {
      {"success", false},
      {"msg", kExceededRateLimit},
      {"retry_after", r},
      {"detail", "rate limit of this API key reached: retry after the given seconds"}};
  res_.set_header("Retry-After", std::to_string(static_cast<int64_t>(std::ceil(retry_after))));
  SendRaw(res_, 429, j.dump(), kJsonType);
  done_ = true;
}

void ApiCall::Raw(int http, std::string body, const char* content_type) {
  SendRaw(res_, http, std::move(body), content_type);
  done_ = true;
}

std::optional<Coin> ParseCoin(std::string_view coin) {
  std::string up;
  for (char c : coin) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const CoinName& c : kCoins) {
    if (up == c.name) return Coin{c.chain, c.token};
  }
  return std::nullopt;
}

nlohmann::json SupportedCoins() {
  nlohmann::json j = nlohmann::json::array();
  for (const CoinName& c : kCoins) j.push_back(c.name);
  return j;
}

void SendRaw(httplib::Response& res, int http, std::string body, const char* content_type) {
  res.status = http;
  res.set_content(std::move(body), content_type);
}

}  // namespace fundtrace
