// The OpenAPI document is made from the route table: every route is in it
// with a summary, its path parameters match the route's pattern, the query
// parameters are documented in one dictionary (known_at and known_on where
// the route answers for the past), open routes need no token; a route naming
// an undocumented parameter makes no document.
#include "daemon/openapi.h"

#include <gtest/gtest.h>

#include <regex>

namespace safetynet {
namespace {

TEST(OpenApiTest, EveryRouteIsDocumentedAndItsTemplateMatchesItsPattern) {
  const auto routes = ApiRoutes();
  auto doc = OpenApiDocument(routes);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["openapi"], "3.1.0");
  EXPECT_EQ((*doc)["paths"].size(), routes.size());
  for (const Route& r : routes) {
    const std::string path(OpenApiPath(r));
    ASSERT_TRUE((*doc)["paths"].contains(path)) << path;
    const Json& op = (*doc)["paths"][path]["get"];
    EXPECT_FALSE(op["summary"].get<std::string>().empty()) << path;
    // The template with its parameters filled in is a path the route serves.
    const std::string filled = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "1");
    EXPECT_TRUE(std::regex_match(filled, std::regex(r.pattern))) << path << " vs " << r.pattern;
    std::vector<std::string> names;
    for (const Json& p : op["parameters"]) names.push_back(p["name"]);
    const bool asks_past = std::find(names.begin(), names.end(), "known_at") != names.end();
    EXPECT_EQ(asks_past, r.known_at) << path;
    EXPECT_EQ(op.contains("security"), r.scope == AccessScope::kOpen) << path;
    EXPECT_TRUE(op["responses"].contains("200")) << path;
    EXPECT_EQ(op["responses"].contains("401"), r.scope != AccessScope::kOpen) << path;
  }
  const Json& gaps = (*doc)["paths"]["/v1/coverage/gaps"]["get"]["parameters"];
  ASSERT_FALSE(gaps.empty());
  EXPECT_EQ(gaps[0]["name"], "region");
  EXPECT_EQ(gaps[0]["schema"]["pattern"], "^([0-9]{2}|[0-9]{4}|[0-9]{6})?$");
  const Json& claim = (*doc)["paths"]["/v1/claims/{claim_id}"]["get"]["parameters"];
  ASSERT_EQ(claim.size(), 1u);
  EXPECT_EQ(claim[0]["in"], "path");
  EXPECT_EQ(claim[0]["required"], true);
}

void Nothing(const HttpContext&, const Principal*, const httplib::Request&, httplib::Response&) {}

TEST(OpenApiTest, AnUndocumentedParameterOrSummaryMakesNoDocument) {
  const Route unknown[] = {
      {.pattern = "/x", .scope = AccessScope::kAuditor, .handler = Nothing, .summary = "x", .params = "region,colour"}};
  auto doc = OpenApiDocument(unknown);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("colour"), std::string::npos);
  const Route bare[] = {{.pattern = "/y", .scope = AccessScope::kAuditor, .handler = Nothing}};
  EXPECT_FALSE(OpenApiDocument(bare).ok());
  const Route capture[] = {
      {.pattern = R"(/z/([^/]+))", .scope = AccessScope::kAuditor, .handler = Nothing, .summary = "z"}};
  EXPECT_FALSE(OpenApiDocument(capture).ok()) << "a capture needs its template";
}

}  // namespace
}  // namespace safetynet
