#include "daemon/http_routes.h"

#include <httplib.h>

#include <array>
#include <functional>
#include <memory>

#include "daemon/base64.h"
#include "daemon/http_reply.h"
#include "daemon/json_schema.h"
#include "daemon/ledger_routes.h"
#include "daemon/openapi.h"
#include "daemon/report_files.h"
#include "daemon/web_assets.h"
#include "events/codec.h"
#include "events/codec_util.h"
#include "events/ledger.h"
#include "projections/read/audit_queries.h"
#include "projections/read/monthly_report.h"
#include "projections/read/person_ledger.h"
#include "projections/read/policy_survey.h"
#include "projections/read/queries.h"
#include "projections/read/rectification_queries.h"
#include "projections/read/trends.h"

namespace safetynet {
namespace {

using Req = httplib::Request;
using Res = httplib::Response;

EventCodec& LocalCodec() {
  thread_local std::unique_ptr<EventCodec> codec;
  if (!codec) codec = std::make_unique<EventCodec>();
  return *codec;
}

std::string HashRaw(const HttpContext& ctx, std::string_view raw) {
  thread_local std::unique_ptr<PersonHasher> hasher;
  if (!hasher) hasher = std::make_unique<PersonHasher>(ctx.person_key);
  return hasher->HashHex(raw);
}

std::string Param(const Req& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

// ?limit= and ?cursor= of a paged list.
Status ParsePageParams(const Req& req, Page* page) {
  return ParsePage(Param(req, "limit"), Param(req, "cursor"), page);
}

// A person, claim or item answers with its region: an inspector is shown
// only those inside its regions, and others are as unknown to it as those
// that do not exist (404 with the same message, no existence oracle).
template <typename T>
void ReplyInRegion(const Principal* who, Res& res, const Result<T>& r, const std::string& unknown,
                   const std::string* (*region_of)(const T&)) {
  if (r.ok() && who->role != Role::kAuditor) {
    const std::string* region = region_of(*r);
    if (region == nullptr || !AccessControl::Covers(*who, *region)) return ReplyError(res, Status::NotFound(unknown));
  }
  ReplyAnswer(res, r);
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

// The records of a column family keyed by u64 (1, 2, ...) after ?after=,
// at most ?limit=, rendered; `next` is the last id when more follow.
template <typename T>
Status U64Page(const Req& req, const Store& store, Cf cf,
               const std::function<Result<T>(uint64_t id, std::string_view value)>& render, std::vector<T>* items,
               std::optional<uint64_t>* next) {
  uint64_t after = 0;
  Page page;
  Status st = ParseAfter(Param(req, "after"), &after);
  if (st.ok()) st = ParsePage(Param(req, "limit"), "", &page);
  if (!st.ok()) return st;
  auto it = store.NewIterator(cf);
  uint64_t last = after;
  for (it->Seek(EncodeU64(after + 1)); it->Valid(); it->Next()) {
    if (items->size() == page.limit) {
      *next = last;
      break;
    }
    last = DecodeU64(it->key());
    auto item = render(last, it->value());
    if (!item.ok()) return item.status();
    items->push_back(std::move(*item));
  }
  return it->status();
}

struct EventsPage {
  std::vector<LoggedEvent> events;
  std::optional<uint64_t> next;
  template <typename V>
  void Describe(V& v) const {
    v("events", events, "In ledger order, with their chain hashes.");
    v("next", next, "The last seq of the page when more follow (?after= of the next); null on the last.");
  }
};

struct EventWithProof {
  LoggedEvent event;
  std::string proof_url;
  template <typename V>
  void Describe(V& v) const {
    event.Describe(v);
    v("proof_url", proof_url, "Its inclusion proof in the durable log's tree.");
  }
};

Result<LoggedEvent> ReadLogged(const Store& store, uint64_t seq) {
  auto rec = ReadLogRecord(store, seq);
  if (!rec.ok()) return rec.status();
  return EventOf(LocalCodec(), seq, rec->event, &rec->hash);
}

void Dashboard(const HttpContext&, const Principal*, const Req&, Res& res) {
  const std::string_view page = DashboardHtml();
  res.set_content(page.data(), page.size(), "text/html; charset=utf-8");
}

// The page's files never change while the daemon runs: a day in the cache.
void ReplyAsset(Res& res, std::string_view body, const char* type) {
  res.set_header("Cache-Control", "public, max-age=86400");
  res.set_content(body.data(), body.size(), type);
}

void Echarts(const HttpContext&, const Principal*, const Req&, Res& res) {
  ReplyAsset(res, EchartsJs(), "application/javascript; charset=utf-8");
}

void Map(const HttpContext&, const Principal*, const Req& req, Res& res) {
  const std::string_view outline = MapOutline(req.matches[1].str());
  if (outline.empty()) return ReplyError(res, Status::NotFound("no map outline for " + req.matches[1].str()));
  ReplyAsset(res, outline, "application/json");
}

void Health(const HttpContext& ctx, const Principal*, const Req&, Res& res) {
  const Metrics& m = *ctx.metrics;
  const std::vector<std::string> problems = m.health.problems();
  Json out{{"status", !problems.empty() ? "degraded" : m.catching_up.load() ? "catching_up" : "ok"}};
  if (!problems.empty()) out["problems"] = problems;
  if (m.catching_up.load()) {
    // Queries answer from the projections' last checkpoint until they have caught up with the log.
    out["projections_seq"] = m.applied_seq.load();
    out["log_seq"] = m.log_seq.load();
  }
  Reply(res, 200, out);
}

void OpenApi(const HttpContext&, const Principal*, const Req&, Res& res);

void WhoAmI(const HttpContext&, const Principal* who, const Req&, Res& res) {
  Reply(res, 200,
        Json{{"name", who->name},
             {"role", who->role == Role::kAuditor ? "auditor" : "inspector"},
             {"regions", who->regions}});
}

void MetricsText(const HttpContext& ctx, const Principal*, const Req&, Res& res) {
  res.set_content(ctx.metrics->Render(), "text/plain; version=0.0.4");
}

void GetCoverage(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  auto at = ParseRegionDate(*ctx.projections, Param(req, "region"), Param(req, "date"));
  if (!at.ok()) return ReplyError(res, at.status());
  ReplyJsonText(res, 200, ToJson(Coverage(*ctx.projections, *at)));
}

void GetCoverageRegions(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  auto at = ParseRegionDate(*ctx.projections, Param(req, "region"), Param(req, "date"));
  if (!at.ok()) return ReplyError(res, at.status());
  ReplyJsonText(res, 200, ToJson(CoverageRegions(*ctx.projections, *at)));
}

void GetTrend(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  ReplyAnswer(res, TrendOf(*ctx.projections, Param(req, "region"), Param(req, "from"), Param(req, "to")));
}

void GetGaps(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  Page page;
  if (Status st = ParsePageParams(req, &page); !st.ok()) return ReplyError(res, st);
  auto request = ParseGapsRequest(*ctx.projections, Param(req, "region"), Param(req, "tier"), Param(req, "date"), page);
  if (!request.ok()) return ReplyError(res, request.status());
  ReplyAnswer(res, ListGaps(*ctx.store, *request));
}

const std::string* RegionOfPerson(const PersonLedger& p) { return p.region ? &p.region->code : nullptr; }
const std::string* RegionOfClaim(const ClaimAnswer& c) { return c.facts.region ? &c.facts.region->code : nullptr; }
const std::string* RegionOfItem(const ItemDetail& i) { return &i.item.region.code; }

void GetPersonLedger(const HttpContext& ctx, const Principal* who, const Req& req, Res& res) {
  constexpr const char* kUnknown = "the ledger has no event of this person";
  auto key = ResolvePerson(*ctx.store, req.matches[1].str(), [&](std::string_view raw) { return HashRaw(ctx, raw); });
  if (!key.ok()) return ReplyError(res, key.status().IsNotFound() ? Status::NotFound(kUnknown) : key.status());
  ReplyInRegion(who, res, PersonLedgerOf(*ctx.store, *ctx.projections, LocalCodec(), *key), kUnknown, RegionOfPerson);
}

void Claim(const HttpContext& ctx, const Principal* who, const Req& req, Res& res) {
  ReplyInRegion(who, res, ClaimOf(*ctx.store, req.matches[1].str()), "unknown claim", RegionOfClaim);
}

void FindingChanges(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  Page page;
  if (Status st = ParsePageParams(req, &page); !st.ok()) return ReplyError(res, st);
  ReplyResult(res, FindingChangesJson(*ctx.store, page));
}

void FindingsList(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  Page page;
  if (Status st = ParsePageParams(req, &page); !st.ok()) return ReplyError(res, st);
  auto request = ParseFindingsRequest(Param(req, "region"), Param(req, "check"), Param(req, "status"), page);
  if (!request.ok()) return ReplyError(res, request.status());
  ReplyAnswer(res, ListFindings(*ctx.store, *ctx.projections, *request));
}

void GetRectifications(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  Page page;
  if (Status st = ParsePageParams(req, &page); !st.ok()) return ReplyError(res, st);
  auto request = ParseItemsRequest(*ctx.projections, Param(req, "region"), Param(req, "status"), Param(req, "late"),
                                   Param(req, "date"), page);
  if (!request.ok()) return ReplyError(res, request.status());
  ReplyAnswer(res, ListRectifications(*ctx.store, *ctx.projections, *request));
}

void Rectification(const HttpContext& ctx, const Principal* who, const Req& req, Res& res) {
  const std::string id = req.matches[1].str();
  ReplyInRegion(who, res, RectificationOf(*ctx.store, *ctx.projections, id, Param(req, "date")),
                "no rectification item " + id, RegionOfItem);
}

// A filed report: JSON, or the table as the file named `name`.ext.
void ReplyReport(const Req& req, Res& res, const Result<Json>& report, ReportTable (*table)(const Json&),
                 const std::string& name) {
  if (!report.ok()) return ReplyError(res, report.status());
  const std::string format = Param(req, "format");
  if (format.empty() || format == "json") return Reply(res, 200, *report);
  auto file = MakeReportFile(table(*report), format);
  if (!file.ok()) return ReplyError(res, file.status());
  res.set_header("Content-Disposition", "attachment; filename=\"" + name + "." + file->extension + "\"");
  res.set_content(file->body, file->content_type);
}

void PolicySurvey(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  auto survey = PolicySurveyJson(*ctx.store, *ctx.projections, Param(req, "region"), Param(req, "quarter"));
  const std::string name = survey.ok() ? "policy-survey-" + (*survey)["region"].get<std::string>() + "-" +
                                             (*survey)["quarter"].get<std::string>()
                                       : "";
  ReplyReport(req, res, survey, PolicySurveyTable, name);
}

void MonthlyReport(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  auto report = MonthlyReportJson(*ctx.projections, Param(req, "region"), Param(req, "month"));
  const std::string name = report.ok() ? "monthly-report-" + (*report)["region"].get<std::string>() + "-" +
                                             std::to_string((*report)["month"].get<int32_t>())
                                       : "";
  ReplyReport(req, res, report, MonthlyReportTable, name);
}

void Events(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  EventsPage page;
  const Status st = U64Page<LoggedEvent>(
      req, *ctx.store, Cf::kLog,
      [](uint64_t seq, std::string_view value) -> Result<LoggedEvent> {
        LogRecord rec;
        Status st = ParseLogValue(seq, value, &rec);
        if (!st.ok()) return st;
        return EventOf(LocalCodec(), seq, rec.event, &rec.hash);
      },
      &page.events, &page.next);
  if (!st.ok()) return ReplyError(res, st);
  ReplyJsonText(res, 200, ToJson(page));
}

// One event of the log with its chain hash and the link to its inclusion proof.
void OneEvent(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  const std::string s = req.matches[1].str();
  auto event = s.size() > 19 ? Status::NotFound("") : ReadLogged(*ctx.store, std::stoull(s));
  if (event.status().IsNotFound()) return ReplyError(res, Status::NotFound("no event " + s));
  if (!event.ok()) return ReplyError(res, event.status());
  ReplyJsonText(res, 200, ToJson(EventWithProof{std::move(*event), "/v1/ledger/proof/inclusion?seq=" + s}));
}

void OffsetJumps(const HttpContext& ctx, const Principal*, const Req&, Res& res) {
  Json jumps = Json::array();
  for (const OffsetJump& j : ReadOffsetJumps(*ctx.store)) {
    jumps.push_back({{"incarnation", j.incarnation},
                     {"topic", j.topic},
                     {"partition", j.partition},
                     {"kind", j.rewind() ? "rewind" : "jump"},
                     {"expected", j.expected},
                     {"got", j.got},
                     {"skipped", j.rewind() ? 0 : j.got - j.expected}});
  }
  Reply(res, 200, Json{{"offset_jumps", std::move(jumps)}});
}

void DeadLetters(const HttpContext& ctx, const Principal*, const Req& req, Res& res) {
  const Sealer sealer(ctx.deadletter_key);
  std::vector<Json> letters;
  std::optional<uint64_t> next;
  const Status st = U64Page<Json>(
      req, *ctx.store, Cf::kDeadLetters,
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
      },
      &letters, &next);
  if (!st.ok()) return ReplyError(res, st);
  Reply(res, 200, Json{{"deadletters", std::move(letters)}, {"next", next ? Json(*next) : Json(nullptr)}});
}

using S = AccessScope;
// Item ids of automatic items contain '/' (auto:C1:person/basic); clients
// may send it as %2F.
constexpr Route kRoutes[] = {
    {.pattern = "/",
     .scope = S::kOpen,
     .handler = Dashboard,
     .summary = "The inspectors' dashboard (HTML).",
     .produces = "text/html"},
    {.pattern = "/assets/echarts.min.js",
     .scope = S::kOpen,
     .handler = Echarts,
     .summary = "Apache ECharts, for the dashboard's charts.",
     .produces = "application/javascript"},
    {.pattern = R"(/assets/maps/([a-z0-9]+)\.json)",
     .scope = S::kOpen,
     .handler = Map,
     .summary = "A map outline for the dashboard: china (its provinces) or a province's 2 digits (its cities).",
     .openapi_path = "/assets/maps/{map}.json"},
    {.pattern = "/healthz",
     .scope = S::kOpen,
     .handler = Health,
     .summary = "ok, catching_up (with both seqs) or degraded (with the problems)."},
    {.pattern = "/openapi.json", .scope = S::kOpen, .handler = OpenApi, .summary = "This document."},
    {.pattern = "/v1/whoami",
     .scope = S::kAnyPrincipal,
     .handler = WhoAmI,
     .summary = "The caller's name, role and regions."},
    {.pattern = "/metrics",
     .scope = S::kAuditor,
     .handler = MetricsText,
     .summary = "Prometheus metrics.",
     .produces = "text/plain"},
    {.pattern = "/v1/coverage",
     .scope = S::kRegionParam,
     .handler = GetCoverage,
     .known_at = true,
     .summary = "Coverage per tier of the poor population of a region on a date.",
     .params = "region,date",
     .schema = JsonSchemaOf<CoverageAnswer>},
    {.pattern = "/v1/coverage/regions",
     .scope = S::kRegionParam,
     .handler = GetCoverageRegions,
     .known_at = true,
     .summary = "Coverage of a region and of each region one level below it.",
     .params = "region,date",
     .schema = JsonSchemaOf<CoverageBreakdown>},
    {.pattern = "/v1/trends",
     .scope = S::kRegionParam,
     .handler = GetTrend,
     .known_at = true,
     .summary = "Month by month: coverage per tier, findings open per check, items per status and late.",
     .params = "region,from_month,to_month",
     .schema = JsonSchemaOf<Trend>},
    {.pattern = "/v1/coverage/gaps",
     .scope = S::kRegionParam,
     .handler = GetGaps,
     .known_at = true,
     .summary = "The persons counted as gaps of a tier, with reasons and since when.",
     .params = "region,tier,date,limit,cursor",
     .schema = JsonSchemaOf<GapsPage>},
    {.pattern = R"(/v1/persons/([^/]+)/ledger)",
     .scope = S::kResourceRegion,
     .handler = GetPersonLedger,
     .summary = "Everything the ledger knows of one person, and the person's events in order.",
     .openapi_path = "/v1/persons/{person}/ledger",
     .schema = JsonSchemaOf<PersonLedger>},
    {.pattern = R"(/v1/claims/([^/]+))",
     .scope = S::kResourceRegion,
     .handler = Claim,
     .summary = "One claim: cost parts, payments per tier, findings.",
     .openapi_path = "/v1/claims/{claim_id}",
     .schema = JsonSchemaOf<ClaimAnswer>},
    {.pattern = "/v1/findings/changes",
     .scope = S::kAuditor,
     .handler = FindingChanges,
     .summary = "Every opening and clearing of a finding, in ledger order.",
     .params = "limit,cursor"},
    {.pattern = "/v1/findings",
     .scope = S::kRegionParam,
     .handler = FindingsList,
     .known_at = true,
     .summary = "Audit findings (C1-C11) with counts per check.",
     .params = "region,check,finding_status,limit,cursor",
     .schema = JsonSchemaOf<FindingsPage>},
    {.pattern = "/v1/rectifications",
     .scope = S::kRegionParam,
     .handler = GetRectifications,
     .known_at = true,
     .summary = "Rectification items with their status and lateness on a date, and counts.",
     .params = "region,item_status,late,date,limit,cursor",
     .schema = JsonSchemaOf<ItemsPage>},
    {.pattern = R"(/v1/rectifications/(.+))",
     .scope = S::kResourceRegion,
     .handler = Rectification,
     .summary = "One rectification item with its whole history.",
     .params = "date",
     .openapi_path = "/v1/rectifications/{item_id}",
     .schema = JsonSchemaOf<ItemDetail>},
    {.pattern = "/v1/reports/policy-survey",
     .scope = S::kRegionParam,
     .handler = PolicySurvey,
     .known_at = true,
     .summary = "The quarterly policy survey: the policies in force for a region and each region below it.",
     .params = "region,quarter,format"},
    {.pattern = "/v1/reports/monthly",
     .scope = S::kRegionParam,
     .handler = MonthlyReport,
     .known_at = true,
     .summary = "The monthly dispatch report: the region's total and one row per region below.",
     .params = "region,month,format"},
    {.pattern = "/v1/events",
     .scope = S::kAuditor,
     .handler = Events,
     .summary = "The raw ledger in order, with each event's chain hash.",
     .params = "after,limit",
     .schema = JsonSchemaOf<EventsPage>},
    {.pattern = R"(/v1/events/([0-9]+))",
     .scope = S::kAuditor,
     .handler = OneEvent,
     .summary = "One event with its chain hash and the link to its inclusion proof.",
     .openapi_path = "/v1/events/{event}",
     .schema = JsonSchemaOf<EventWithProof>},
    {.pattern = "/v1/ledger/root",
     .scope = S::kAuditor,
     .handler = LedgerRoot,
     .summary = "The signed tree head of the log at a size.",
     .params = "tree_seq"},
    {.pattern = "/v1/ledger/proof/inclusion",
     .scope = S::kAuditor,
     .handler = InclusionProof,
     .summary = "RFC 9162 audit path of an event in a tree, with the signed head.",
     .params = "event_seq,tree_size"},
    {.pattern = "/v1/ledger/proof/consistency",
     .scope = S::kAuditor,
     .handler = ConsistencyProof,
     .summary = "RFC 9162 consistency proof between two tree sizes, with both signed heads.",
     .params = "from,to"},
    {.pattern = "/v1/ledger/digest",
     .scope = S::kAuditor,
     .handler = LedgerDigest,
     .summary = "Seq, chain head, Merkle root and projections' digest at the projections' checkpoint."},
    {.pattern = "/v1/offset-jumps",
     .scope = S::kAuditor,
     .handler = OffsetJumps,
     .summary = "Partitions found skipping or rewinding offsets."},
    {.pattern = "/v1/deadletters",
     .scope = S::kAuditor,
     .handler = DeadLetters,
     .summary = "Rejected messages with their reasons.",
     .params = "after,limit"},
};

void OpenApi(const HttpContext&, const Principal*, const Req&, Res& res) {
  static const Result<Json> doc = OpenApiDocument(kRoutes);
  ReplyResult(res, doc);
}

}  // namespace

std::span<const Route> ApiRoutes() { return kRoutes; }

}  // namespace safetynet
