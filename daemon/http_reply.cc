#include "daemon/http_reply.h"

#include <httplib.h>

namespace safetynet {

void Reply(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json; charset=utf-8");
}

void ReplyError(httplib::Response& res, const Status& st) {
  const int code = st.IsInvalid() ? 400 : st.IsNotFound() ? 404 : st.code() == Status::Code::kRetryable ? 503 : 500;
  Reply(res, code, Json{{"error", st.message()}});
}

void ReplyResult(httplib::Response& res, const Result<Json>& r) {
  if (r.ok()) {
    Reply(res, 200, r.value());
  } else {
    ReplyError(res, r.status());
  }
}

}  // namespace safetynet
