// The query API's routes (../shared/spec/interface.md): one table that both
// routes requests and decides who may make them. Every route names its
// access scope (daemon/access.h); a path in no route is answered 404 (401
// without a valid token), so nothing is reachable by omission.
// Thread-safety: the table is immutable; handlers run on the server's pool
// threads and keep their codec and hasher per thread.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "daemon/access.h"
#include "daemon/history.h"
#include "daemon/metrics.h"
#include "events/crypto.h"
#include "events/store.h"
#include "projections/core/projection_set.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace safetynet {

struct HttpContext {
  const Store* store = nullptr;
  const ProjectionSet* projections = nullptr;
  Metrics* metrics = nullptr;
  std::string person_key;                       // raw bytes, for hashing raw IDs in queries
  std::string deadletter_key;                   // raw bytes, to show dead letters
  AccessControl access;                         // who may call what (daemon/access.h)
  std::shared_ptr<const Ed25519Signer> signer;  // signs tree heads
  History* history = nullptr;                   // the ledger as it stood (known_at, known_on)
};

// `who` is the caller (null only on open routes).
using RouteHandler = void (*)(const HttpContext& ctx, const Principal* who, const httplib::Request& req,
                              httplib::Response& res);

struct Route {
  const char* pattern;  // cpp-httplib's regular expression of the path (GET and HEAD)
  AccessScope scope;
  RouteHandler handler;
  // Answers ?known_at=SEQ / ?known_on=YYYYMMDD as the ledger stood then
  // (the handler is given that ledger's store and projections); other
  // routes refuse the parameters.
  bool known_at = false;
  // Its OpenAPI description (daemon/openapi.h): what it answers, its query
  // parameters by their names in the dictionary there ("region,date"), its
  // path template where the pattern captures ("/v1/claims/{claim_id}"), and
  // the content type of a 200.
  const char* summary = nullptr;
  const char* params = "";
  const char* openapi_path = nullptr;
  const char* produces = "application/json";
  // The schema of a 200's JSON, for a route that answers a typed answer
  // (daemon/json_schema.h): JsonSchemaOf<Answer>.
  nlohmann::ordered_json (*schema)() = nullptr;
};

// Every route of the API.
std::span<const Route> ApiRoutes();

}  // namespace safetynet
