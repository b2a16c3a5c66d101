// Replies of the query API: JSON bodies, and errors as {"error": "..."}
// with the status that fits the Status (400 invalid, 404 not found, 503
// retryable (e.g. the daemon is stopping), 500 otherwise: storage trouble is never a short or empty answer).
// Thread-safety: functions.
#pragma once

#include "events/status.h"
#include "projections/read/queries.h"

namespace httplib {
struct Response;
}

namespace safetynet {

void Reply(httplib::Response& res, int status, const Json& body);
void ReplyError(httplib::Response& res, const Status& st);
void ReplyResult(httplib::Response& res, const Result<Json>& r);

}  // namespace safetynet
