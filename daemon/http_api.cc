#include "daemon/http_api.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <functional>

#include "daemon/base64.h"
#include "events/codec.h"
#include "events/codec_util.h"
#include "events/ledger.h"
#include "projections/audit_queries.h"
#include "projections/monthly_report.h"
#include "projections/policy_survey.h"
#include "projections/queries.h"
#include "projections/rectification_queries.h"

namespace safetynet {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

void Reply(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), kJson);
}

void ReplyError(httplib::Response& res, const Status& st) {
  const int code = st.IsInvalid() ? 400 : st.IsNotFound() ? 404 : 500;
  Reply(res, code, Json{{"error", st.message()}});
}

void ReplyResult(httplib::Response& res, const Result<Json>& r) {
  if (r.ok()) {
    Reply(res, 200, r.value());
  } else {
    ReplyError(res, r.status());
  }
}

// A person, claim or item answers with its region: an inspector (daemon/access.h)
// is shown only those inside its regions.
void ReplyInRegion(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res, const Result<Json>& r) {
  if (r.ok()) {
    const Principal* who = ctx.access.Authenticate(req.get_header_value("Authorization"));
    const Json region = r.value().contains("region") ? r.value()["region"] : Json();
    const bool auditor = who != nullptr && who->role == Role::kAuditor;
    if (!auditor &&
        (who == nullptr || !region.is_string() || !AccessControl::Covers(*who, region.get<std::string>()))) {
      return Reply(res, 403, Json{{"error", "region outside this token's regions"}});
    }
  }
  ReplyResult(res, r);
}

std::string Param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

// ?limit= and ?cursor= of a paged list.
Status ParsePageParams(const httplib::Request& req, Page* page) {
  return ParsePage(Param(req, "limit"), Param(req, "cursor"), page);
}

Status ParseAfter(const std::string& s, uint64_t* out) {
  *out = 0;
  if (s.empty()) return Status::Ok();
  try {
    size_t used = 0;
    *out = std::stoull(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
  } catch (...) {
    return Status::Invalid("after must be a non-negative integer");
  }
  return Status::Ok();
}

// Lists the records of a column family keyed by u64 (1, 2, ...) after
// ?after=, at most ?limit=: {"<name>": [...], "next": last id or null}.
void ReplyU64Page(const httplib::Request& req, httplib::Response& res, const Store& store, Cf cf, const char* name,
                  const std::function<Result<Json>(uint64_t id, std::string_view value)>& render) {
  uint64_t after = 0;
  Page page;
  Status st = ParseAfter(Param(req, "after"), &after);
  if (st.ok()) st = ParsePage(Param(req, "limit"), "", &page);
  if (!st.ok()) return ReplyError(res, st);
  Json items = Json::array();
  auto it = store.NewIterator(cf);
  uint64_t last = after;
  bool more = false;
  for (it->Seek(EncodeU64(after + 1)); it->Valid(); it->Next()) {
    if (items.size() == page.limit) {
      more = true;
      break;
    }
    last = DecodeU64(it->key());
    auto item = render(last, it->value());
    if (!item.ok()) return ReplyError(res, item.status());
    items.push_back(std::move(*item));
  }
  Reply(res, 200, Json{{name, std::move(items)}, {"next", more ? Json(last) : Json(nullptr)}});
}

}  // namespace

HttpApi::HttpApi(HttpContext ctx) : ctx_(std::move(ctx)), server_(std::make_unique<httplib::Server>()) {}

HttpApi::~HttpApi() { Stop(); }

void HttpApi::Routes() {
  auto& s = *server_;
  const HttpContext* ctx = &ctx_;
  thread_local std::unique_ptr<EventCodec> codec;
  thread_local std::unique_ptr<PersonHasher> hasher;
  auto local_codec = []() -> EventCodec& {
    if (!codec) codec = std::make_unique<EventCodec>();
    return *codec;
  };
  auto hash_raw = [ctx](std::string_view raw) {
    if (!hasher) hasher = std::make_unique<PersonHasher>(ctx->person_key);
    return hasher->HashHex(raw);
  };

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
  // Access control (daemon/access.h): the token, then what the path needs.
  s.set_pre_routing_handler([ctx](const httplib::Request& req, httplib::Response& res) {
    ctx->metrics->http_requests.fetch_add(1, std::memory_order_relaxed);
    const AccessScope scope = AccessScopeOf(req.path);
    if (scope == AccessScope::kOpen) return httplib::Server::HandlerResponse::Unhandled;
    const Principal* who = ctx->access.Authenticate(req.get_header_value("Authorization"));
    if (who == nullptr) {
      res.set_header("WWW-Authenticate", "Bearer");
      Reply(res, 401, Json{{"error", "missing or unknown token (Authorization: Bearer <token>)"}});
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool allowed = scope == AccessScope::kAuditor       ? who->role == Role::kAuditor
                         : scope == AccessScope::kRegionParam ? AccessControl::Covers(*who, Param(req, "region"))
                                                              : true;  // resources: ReplyInRegion
    if (!allowed) {
      Reply(res, 403,
            Json{{"error", scope == AccessScope::kAuditor ? "auditors only" : "region outside this token's regions"}});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  s.Get("/", [](const httplib::Request&, httplib::Response& res) {
    const std::string_view page = DashboardHtml();
    res.set_content(page.data(), page.size(), "text/html; charset=utf-8");
  });
  s.Get("/v1/whoami", [ctx](const httplib::Request& req, httplib::Response& res) {
    const Principal* who = ctx->access.Authenticate(req.get_header_value("Authorization"));
    Reply(res, 200,
          Json{{"name", who->name},
               {"role", who->role == Role::kAuditor ? "auditor" : "inspector"},
               {"regions", who->regions}});
  });
  s.Get("/healthz", [ctx](const httplib::Request&, httplib::Response& res) {
    const std::vector<std::string> problems = ctx->metrics->health.problems();
    if (problems.empty()) return Reply(res, 200, Json{{"status", "ok"}});
    Reply(res, 200, Json{{"status", "degraded"}, {"problems", problems}});
  });
  s.Get("/metrics", [ctx](const httplib::Request&, httplib::Response& res) {
    res.set_content(ctx->metrics->Render(), "text/plain; version=0.0.4");
  });
  s.Get("/v1/coverage", [ctx](const httplib::Request& req, httplib::Response& res) {
    ReplyResult(res, CoverageJson(*ctx->projections, Param(req, "region"), Param(req, "date")));
  });
  s.Get("/v1/coverage/regions", [ctx](const httplib::Request& req, httplib::Response& res) {
    ReplyResult(res, CoverageBreakdownJson(*ctx->projections, Param(req, "region"), Param(req, "date")));
  });
  s.Get("/v1/coverage/gaps", [ctx](const httplib::Request& req, httplib::Response& res) {
    Page page;
    Status st = ParsePageParams(req, &page);
    if (!st.ok()) return ReplyError(res, st);
    ReplyResult(res, GapsJson(*ctx->store, *ctx->projections, Param(req, "region"), Param(req, "tier"),
                              Param(req, "date"), page));
  });
  s.Get(R"(/v1/persons/([^/]+)/ledger)",
        [ctx, local_codec, hash_raw](const httplib::Request& req, httplib::Response& res) {
          auto key = ResolvePerson(*ctx->store, req.matches[1].str(), hash_raw);
          if (!key.ok()) return ReplyError(res, key.status());
          ReplyInRegion(*ctx, req, res, PersonLedgerJson(*ctx->store, *ctx->projections, local_codec(), *key));
        });
  s.Get(R"(/v1/claims/([^/]+))", [ctx](const httplib::Request& req, httplib::Response& res) {
    ReplyInRegion(*ctx, req, res, ClaimJson(*ctx->store, req.matches[1].str()));
  });
  s.Get("/v1/findings/changes", [ctx](const httplib::Request& req, httplib::Response& res) {
    Page page;
    Status st = ParsePageParams(req, &page);
    if (!st.ok()) return ReplyError(res, st);
    ReplyResult(res, FindingChangesJson(*ctx->store, page));
  });
  s.Get("/v1/findings", [ctx](const httplib::Request& req, httplib::Response& res) {
    Page page;
    Status st = ParsePageParams(req, &page);
    if (!st.ok()) return ReplyError(res, st);
    ReplyResult(res, FindingsJson(*ctx->store, Param(req, "region"), Param(req, "check"), Param(req, "status"), page));
  });
  s.Get("/v1/rectifications", [ctx](const httplib::Request& req, httplib::Response& res) {
    Page page;
    Status st = ParsePageParams(req, &page);
    if (!st.ok()) return ReplyError(res, st);
    ReplyResult(res, RectificationsJson(*ctx->store, *ctx->projections, Param(req, "region"), Param(req, "status"),
                                        Param(req, "late"), Param(req, "date"), page));
  });
  // Item ids of automatic items contain '/' (auto:C1:person/basic); clients
  // may send it as %2F.
  s.Get(R"(/v1/rectifications/(.+))", [ctx](const httplib::Request& req, httplib::Response& res) {
    ReplyInRegion(*ctx, req, res,
                  RectificationJson(*ctx->store, *ctx->projections, req.matches[1].str(), Param(req, "date")));
  });
  s.Get("/v1/reports/policy-survey", [ctx](const httplib::Request& req, httplib::Response& res) {
    ReplyResult(res, PolicySurveyJson(*ctx->store, *ctx->projections, Param(req, "region"), Param(req, "date")));
  });
  s.Get("/v1/reports/monthly", [ctx](const httplib::Request& req, httplib::Response& res) {
    auto report = MonthlyReportJson(*ctx->store, *ctx->projections, Param(req, "region"), Param(req, "month"));
    if (!report.ok()) return ReplyError(res, report.status());
    const std::string format = Param(req, "format");
    if (format == "csv") {
      res.set_header("Content-Disposition", "attachment; filename=\"report.csv\"");
      return res.set_content(MonthlyReportCsv(*report), "text/csv; charset=utf-8");
    }
    if (!format.empty() && format != "json") return ReplyError(res, Status::Invalid("format must be json or csv"));
    Reply(res, 200, *report);
  });
  s.Get("/v1/events", [ctx, local_codec](const httplib::Request& req, httplib::Response& res) {
    ReplyU64Page(req, res, *ctx->store, Cf::kLog, "events", [&](uint64_t seq, std::string_view value) -> Result<Json> {
      LogRecord rec;
      Status st = ParseLogValue(seq, value, &rec);
      if (!st.ok()) return st;
      return EventJson(local_codec(), seq, rec.event, &rec.hash);
    });
  });
  s.Get("/v1/offset-jumps", [ctx](const httplib::Request&, httplib::Response& res) {
    Json jumps = Json::array();
    for (const OffsetJump& j : ReadOffsetJumps(*ctx->store)) {
      jumps.push_back({{"incarnation", j.incarnation},
                       {"topic", j.topic},
                       {"partition", j.partition},
                       {"kind", j.rewind() ? "rewind" : "jump"},
                       {"expected", j.expected},
                       {"got", j.got},
                       {"skipped", j.rewind() ? 0 : j.got - j.expected}});
    }
    Reply(res, 200, Json{{"offset_jumps", std::move(jumps)}});
  });
  s.Get("/v1/deadletters", [ctx](const httplib::Request& req, httplib::Response& res) {
    const Sealer sealer(ctx->deadletter_key);
    ReplyU64Page(req, res, *ctx->store, Cf::kDeadLetters, "deadletters",
                 [&](uint64_t id, std::string_view value) -> Result<Json> {
                   DeadLetter dl;
                   Status st = OpenDeadLetter(sealer, id, value, &dl);
                   if (!st.ok()) return st;
                   return Json{{"id", dl.id},
                               {"topic", dl.topic},
                               {"partition", dl.partition},
                               {"offset", dl.kafka_offset},
                               {"reason", dl.reason},
                               {"value_base64", Base64Encode(dl.value)}};
                 });
  });
}

Status HttpApi::Start(const std::string& host, int port, int threads) {
  Routes();
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(100000);
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
