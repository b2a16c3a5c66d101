#include "daemon/openapi.h"

#include <map>
#include <sstream>

namespace safetynet {
namespace {

struct ParamDoc {
  const char* key;   // the name routes use
  const char* name;  // as sent
  bool required;
  const char* schema;  // JSON
  const char* description;
};

constexpr ParamDoc kParams[] = {
    {"region", "region", false, R"({"type":"string","pattern":"^([0-9]{2}|[0-9]{4}|[0-9]{6})?$"})",
     "Region prefix: 2, 4 or 6 digits of the division code; absent: the whole ledger."},
    {"date", "date", false, R"({"type":"string","pattern":"^[0-9]{8}$"})",
     "Business date YYYYMMDD; default: the latest occurred_on seen."},
    {"tier", "tier", true, R"({"type":"string","enum":["basic","critical_illness","medical_assistance"]})",
     "Protection tier."},
    {"check", "check", false, R"({"type":"string","pattern":"^C([1-9]|1[0-2])$"})", "Audit check, C1 to C12."},
    {"finding_status", "status", false, R"({"type":"string","enum":["open","cleared"]})", "Finding status."},
    {"item_status", "status", false, R"({"type":"string","enum":["open","overdue","rectified","closed"]})",
     "Rectification item status on the date."},
    {"late", "late", false, R"({"type":"string","enum":["true","false"]})",
     "Only items late (C12) or not late on the date."},
    {"month", "month", true, R"({"type":"string","pattern":"^[0-9]{6}$"})", "Month YYYYMM."},
    {"from_month", "from", false, R"({"type":"string","pattern":"^[0-9]{6}$"})",
     "First month YYYYMM; default: eleven months before `to`."},
    {"to_month", "to", false, R"({"type":"string","pattern":"^[0-9]{6}$"})",
     "Last month YYYYMM; default: the month of the latest occurred_on seen."},
    {"quarter", "quarter", false, R"({"type":"string","pattern":"^[0-9]{4}Q[1-4]$"})",
     "Quarter YYYYQn; default: the quarter of the latest occurred_on seen."},
    {"format", "format", false, R"({"type":"string","enum":["json","csv","xlsx"]})",
     "Answer as JSON (default), or as the file that is filed: CSV (UTF-8 with BOM) or XLSX, a title row, Chinese "
     "headers, yuan and percent."},
    {"limit", "limit", false, R"({"type":"integer","minimum":1,"maximum":1000,"default":100})", "Page size."},
    {"cursor", "cursor", false, R"({"type":"string"})", "The `next` of the previous page."},
    {"after", "after", false, R"({"type":"integer","minimum":0})", "List the records after this id or seq."},
    {"tree_seq", "seq", false, R"({"type":"integer","minimum":0})", "Tree size; default: the durable log's."},
    {"event_seq", "seq", true, R"({"type":"integer","minimum":1})", "The event (its seq)."},
    {"tree_size", "tree_size", false, R"({"type":"integer","minimum":1})",
     "Size of the tree the proof is for; default: the durable log's."},
    {"from", "from", true, R"({"type":"integer","minimum":1})", "The older tree size."},
    {"to", "to", false, R"({"type":"integer","minimum":1})", "The newer tree size; default: the durable log's."},
    {"known_at", "known_at", false, R"({"type":"integer","minimum":0})",
     "Answer as the ledger stood after this event (seq)."},
    {"known_on", "known_on", false, R"({"type":"string","pattern":"^[0-9]{8}$"})",
     "Answer as the ledger stood at the end of this UTC day of ingest (YYYYMMDD)."},
    {"event", "event", true, R"({"type":"integer","minimum":1})", "An event (its seq)."},
    {"person", "person", true, R"({"type":"string"})", "A person: raw ID or pseudonym (64 hex characters)."},
    {"map", "map", true, R"({"type":"string","pattern":"^(china|[0-9]{2})$"})", "china, or a province's 2 digits."},
    {"claim_id", "claim_id", true, R"({"type":"string"})", "A claim."},
    {"item_id", "item_id", true, R"({"type":"string"})",
     "A rectification item (automatic ones contain '/': send it as %2F)."},
};

const ParamDoc* FindParam(std::string_view key) {
  for (const ParamDoc& p : kParams) {
    if (key == p.key) return &p;
  }
  return nullptr;
}

std::vector<std::string> Split(std::string_view list) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in{std::string(list)};
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// The names in braces of a path template.
std::vector<std::string> PathParams(std::string_view path) {
  std::vector<std::string> out;
  for (size_t open = path.find('{'); open != std::string_view::npos; open = path.find('{', open + 1)) {
    out.emplace_back(path.substr(open + 1, path.find('}', open) - open - 1));
  }
  return out;
}

Json ParamJson(const ParamDoc& p, const char* in) {
  return Json{{"name", p.name},
              {"in", in},
              {"required", std::string_view(in) == "path" || p.required},
              {"description", p.description},
              {"schema", Json::parse(p.schema)}};
}

// A typed answer's schema (daemon/json_schema.h); else any object, or a string.
Json Content(const Route& r) {
  const std::string_view type = r.produces;
  const Json schema = r.schema != nullptr          ? r.schema()
                      : type == "application/json" ? Json{{"type", "object"}}
                                                   : Json{{"type", "string"}};
  return Json{{std::string(type), Json{{"schema", schema}}}};
}

Json ErrorResponse(const char* description) {
  return Json{{"description", description},
              {"content", Json{{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

std::string_view OpenApiPath(const Route& route) {
  return route.openapi_path != nullptr ? route.openapi_path : route.pattern;
}

Result<Json> OpenApiDocument(std::span<const Route> routes) {
  Json paths = Json::object();
  for (const Route& r : routes) {
    const std::string path(OpenApiPath(r));
    if (r.summary == nullptr || *r.summary == '\0') return Status::Invalid("route " + path + " has no summary");
    if (path.find('(') != std::string::npos)
      return Status::Invalid("route " + path + " needs an OpenAPI path template");
    Json params = Json::array();
    for (const std::string& name : PathParams(path)) {
      const ParamDoc* p = FindParam(name);
      if (p == nullptr) return Status::Invalid("route " + path + " names an undocumented path parameter " + name);
      params.push_back(ParamJson(*p, "path"));
    }
    std::vector<std::string> query = Split(r.params);
    if (r.known_at) query.insert(query.end(), {"known_at", "known_on"});
    for (const std::string& name : query) {
      const ParamDoc* p = FindParam(name);
      if (p == nullptr) return Status::Invalid("route " + path + " names an undocumented parameter " + name);
      params.push_back(ParamJson(*p, "query"));
    }
    Json responses{{"200", Json{{"description", "OK"}, {"content", Content(r)}}},
                   {"400", ErrorResponse("A bad parameter, named in the error.")},
                   {"500", ErrorResponse("Storage trouble; never a short answer.")}};
    if (r.scope != AccessScope::kOpen) {
      responses["401"] = ErrorResponse("No valid bearer token.");
      responses["403"] = ErrorResponse("Outside the token's regions or role.");
    }
    if (!PathParams(path).empty()) responses["404"] = ErrorResponse("Unknown, or outside the caller's regions.");
    std::string id = path == "/" ? "dashboard" : path.substr(1);
    for (char& c : id) {
      if (c == '/' || c == '{' || c == '}' || c == '-' || c == '.') c = '_';
    }
    Json op{{"summary", r.summary},
            {"operationId", id},
            {"parameters", std::move(params)},
            {"responses", std::move(responses)}};
    if (r.scope == AccessScope::kOpen) op["security"] = Json::array();
    paths[path] = Json{{"get", std::move(op)}};
  }
  return Json{
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "safetynet query API"},
        {"version", "1"},
        {"description",
         "The ledger of medical security for poverty alleviation: coverage, findings, rectification items, "
         "reports and the verifiable log. Amounts in fen, ratios in basis points, dates YYYYMMDD."}}},
      {"security", Json::array({Json{{"bearer", Json::array()}}})},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"}, {"required", {"error"}}, {"properties", {{"error", {{"type", "string"}}}}}}}}}}},
      {"paths", std::move(paths)}};
}

}  // namespace safetynet
