#include "daemon/http_api.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "daemon/http_reply.h"

namespace safetynet {
namespace {

void ReplyUnauthenticated(httplib::Response& res) {
  res.set_header("WWW-Authenticate", "Bearer");
  Reply(res, 401, Json{{"error", "missing or unknown token (Authorization: Bearer <token>)"}});
}

// The ledger as it stood at ?known_at=SEQ or ?known_on=YYYYMMDD (daemon/history.h).
Result<std::shared_ptr<const History::View>> ViewOf(const HttpContext& ctx, const httplib::Request& req) {
  if (ctx.history == nullptr) return Status::Invalid("this daemon keeps no history");
  if (req.has_param("known_at") && req.has_param("known_on"))
    return Status::Invalid("give known_at or known_on, not both");
  uint64_t seq = 0;
  if (req.has_param("known_at")) {
    Status st = ParseU64Param(req, "known_at", 0, &seq);
    if (!st.ok()) return st;
  } else {
    int32_t day = 0;
    Status st = ParseDate(req.get_param_value("known_on"), 0, &day);
    if (!st.ok() || day == 0) return Status::Invalid("known_on must be a date YYYYMMDD");
    auto known = ctx.history->SeqKnownOn(day);
    if (!known.ok()) return known.status();
    seq = *known;
  }
  return ctx.history->At(seq);
}

// Who may call `route`; replies 401 or 403 and returns false when the caller may not.
bool Admit(const HttpContext& ctx, const Route& route, const httplib::Request& req, httplib::Response& res,
           const Principal** who) {
  *who = nullptr;
  if (route.scope == AccessScope::kOpen) return true;
  *who = ctx.access.Authenticate(req.get_header_value("Authorization"));
  if (*who == nullptr) {
    ReplyUnauthenticated(res);
    return false;
  }
  switch (route.scope) {
    case AccessScope::kAuditor:
      if ((*who)->role == Role::kAuditor) return true;
      Reply(res, 403, Json{{"error", "auditors only"}});
      return false;
    case AccessScope::kRegionParam: {
      const std::string region = req.has_param("region") ? req.get_param_value("region") : std::string();
      if (AccessControl::Covers(**who, region)) return true;
      Reply(res, 403, Json{{"error", "region outside this token's regions"}});
      return false;
    }
    default: return true;  // any principal; resources check their region themselves
  }
}

}  // namespace

HttpApi::HttpApi(HttpContext ctx) : ctx_(std::move(ctx)), server_(std::make_unique<httplib::Server>()) {}

HttpApi::~HttpApi() { Stop(); }

void HttpApi::Register() {
  auto& s = *server_;
  const HttpContext* ctx = &ctx_;
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("HTTP handler failed: {}", what);
    Reply(res, 500, Json{{"error", what}});
  });
  // Before anything of the body is read: only GET and HEAD, bounded headers.
  s.set_pre_routing_handler([ctx](const httplib::Request& req, httplib::Response& res) {
    ctx->metrics->http_requests.fetch_add(1, std::memory_order_relaxed);
    if (req.method != "GET" && req.method != "HEAD") {
      res.set_header("Allow", "GET, HEAD");
      res.set_header("Connection", "close");
      Reply(res, 405, Json{{"error", "method " + req.method + " not allowed: the API is read-only (GET, HEAD)"}});
      return httplib::Server::HandlerResponse::Handled;
    }
    // A body is never read: a GET announcing one is refused (and the connection closed).
    if ((req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0") ||
        req.has_header("Transfer-Encoding")) {
      res.set_header("Connection", "close");
      Reply(res, 413, Json{{"error", "requests of this API carry no body"}});
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.headers.size() > kHeadersMax) {
      res.set_header("Connection", "close");
      Reply(res, 431, Json{{"error", "more than " + std::to_string(kHeadersMax) + " request headers"}});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // A path in no route: 401 to a caller without a valid token, else 404.
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [ctx](const httplib::Request& req, httplib::Response& res) -> httplib::Server::HandlerResponse {
        if (res.status != 404 || !res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (ctx->access.Authenticate(req.get_header_value("Authorization")) == nullptr) {
          ReplyUnauthenticated(res);
        } else {
          Reply(res, 404, Json{{"error", "no such path: " + req.path}});
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  for (const Route& route : ApiRoutes()) {
    s.Get(route.pattern, [ctx, &route](const httplib::Request& req, httplib::Response& res) {
      const Principal* who = nullptr;
      if (!Admit(*ctx, route, req, res, &who)) return;
      if (!req.has_param("known_at") && !req.has_param("known_on")) return route.handler(*ctx, who, req, res);
      if (!route.known_at)
        return ReplyError(res, Status::Invalid("known_at and known_on are not answered on " + req.path));
      auto view = ViewOf(*ctx, req);
      if (!view.ok()) return ReplyError(res, view.status());
      HttpContext then = *ctx;  // the same caller and keys, the ledger as it stood
      then.store = (*view)->store.get();
      then.projections = (*view)->projections.get();
      route.handler(then, who, req, res);
    });
  }
}

Status HttpApi::Start(const std::string& host, int port, const HttpLimits& limits) {
  if (limits.threads < 1 || limits.threads > 256) return Status::Invalid("http.threads must be between 1 and 256");
  Register();
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(100000);
  server_->set_keep_alive_timeout(limits.keep_alive_timeout_s);
  server_->set_read_timeout(limits.read_timeout_s, 0);
  server_->set_write_timeout(limits.read_timeout_s, 0);
  server_->set_payload_max_length(kBodyMaxBytes);
  const int threads = limits.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
    if (port_ < 0) return Status::Io("cannot bind HTTP on " + host);
  } else {
    if (!server_->bind_to_port(host, port))
      return Status::Io("cannot bind HTTP on " + host + ":" + std::to_string(port));
    port_ = port;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return Status::Ok();
}

void HttpApi::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace safetynet
