// Replies of the query API, and the one parameter parser the ledger's
// routes share: JSON bodies, and errors as {"error": "..."}
// with the status that fits the Status (400 invalid, 404 not found, 503
// retryable (e.g. the daemon is stopping), 500 otherwise: storage trouble is never a short or empty answer).
// Thread-safety: functions.
#pragma once

#include <string>

#include "daemon/json_out.h"
#include "events/status.h"
#include "projections/read/queries.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace safetynet {

// Every 200 answer gets the names of the regions it names: a typed answer
// as it is written (json_out.h), a JSON value by region_names.h.
void Reply(httplib::Response& res, int status, Json body);
void ReplyError(httplib::Response& res, const Status& st);
void ReplyResult(httplib::Response& res, const Result<Json>& r);
// JSON text as the body (of a 200: an answer, region names and links in it).
void ReplyJsonText(httplib::Response& res, int status, std::string body);
// A typed answer of the read side (projections/read/described.h), or its error.
template <typename T>
void ReplyAnswer(httplib::Response& res, const Result<T>& r) {
  if (!r.ok()) return ReplyError(res, r.status());
  ReplyJsonText(res, 200, ToJson(*r));
}

// ?name= as an unsigned integer (1 to 19 digits): `fallback` when absent,
// Invalid naming it otherwise.
Status ParseU64Param(const httplib::Request& req, const char* name, uint64_t fallback, uint64_t* out);

}  // namespace safetynet
