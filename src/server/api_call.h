// One API request as the handlers see it: its parameters (query string, form fields or the
// top-level fields of a JSON body, in that order), the parsed JSON body, and the answer in
// MistTrack's envelope {"success": bool, "msg": str, "data": ...}. Errors keep MistTrack's msg
// values (InvalidApiKey, ExceededRateLimit, InvalidAddress, UnsupportedToken, TaskNotFound)
// and add "detail", a sentence for people.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "chain/chain.h"
#include "util/deadline.h"

namespace fundtrace {

// The msg values of errors.
inline constexpr char kInvalidApiKey[] = "InvalidApiKey";
inline constexpr char kExceededRateLimit[] = "ExceededRateLimit";
inline constexpr char kInvalidAddress[] = "InvalidAddress";
inline constexpr char kUnsupportedToken[] = "UnsupportedToken";
inline constexpr char kTaskNotFound[] = "TaskNotFound";
inline constexpr char kInvalidParameter[] = "InvalidParameter";
inline constexpr char kNotFound[] = "NotFound";
inline constexpr char kInternalError[] = "InternalError";
inline constexpr char kBusy[] = "ServerBusy";
inline constexpr char kRequestTimeout[] = "RequestTimeout";

class ApiCall {
 public:
  // `misttrack`: errors other than rate limits are HTTP 200 as MistTrack answers them (clients
  // look at `success`); native endpoints use the matching HTTP status.
  ApiCall(const httplib::Request& req, httplib::Response& res, bool misttrack);

  const httplib::Request& req() const { return req_; }
  httplib::Response& res() { return res_; }
  // Whether the body was JSON that did not parse (then Fail has been called).
  bool body_invalid() const { return body_invalid_; }
  const nlohmann::json& body() const { return body_; }
  // A parameter as text: query/form parameter, else a string or number field of the JSON body.
  std::optional<std::string> Param(const std::string& name) const;
  std::string ParamOr(const std::string& name, const std::string& fallback) const;
  // An integer parameter within [lo, hi]; fallback when absent. Fails (and returns nullopt)
  // for text that is not an integer in range.
  std::optional<int64_t> IntParam(const std::string& name, int64_t fallback, int64_t lo,
                                  int64_t hi);

  // Sends {"success": true, "msg": msg, "data": data}.
  void Ok(nlohmann::json data, const std::string& msg = "");
  // Sends {"success": false, "msg": msg, "detail": detail} with `http` (MistTrack calls: 200
  // unless http is 429 or 504: a client's retry logic needs those).
  void Fail(int http, const std::string& msg, const std::string& detail);
  void RateLimited(double retry_after);
  // Answers with `body` as it is (exports): no envelope.
  void Raw(int http, std::string body, const char* content_type);
  bool done() const { return done_; }
  bool misttrack() const { return misttrack_; }

  // The time budget of the request's synchronous work (risk, traces, graph, address pages),
  // counted from when its handler started (ServeOptions::request_timeout_seconds).
  const Deadline& deadline() const { return deadline_; }
  void set_deadline(Deadline d) { deadline_ = d; }
  // Answers 504 RequestTimeout; `async_hint` says which route runs the work without the budget.
  void TimedOut(const std::string& async_hint);

 private:
  const httplib::Request& req_;
  httplib::Response& res_;
  bool misttrack_;
  bool done_ = false;
  bool body_invalid_ = false;
  nlohmann::json body_;
  Deadline deadline_;
};

// MistTrack's `coin` parameter: the chain it names and the token symbol ("" = native asset).
// ETH, BTC, TRX and the stablecoins of those chains (USDT-ERC20, USDC-ERC20, USDT-TRC20, ...).
struct Coin {
  Chain chain;
  std::string token;
};
std::optional<Coin> ParseCoin(std::string_view coin);
nlohmann::json SupportedCoins();

// Sends `body` with its content type (no envelope): exports, web assets, the OpenAPI document.
void SendRaw(httplib::Response& res, int http, std::string body, const char* content_type);

}  // namespace fundtrace
