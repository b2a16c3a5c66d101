#include "daemon/http_reply.h"

#include <httplib.h>

#include "daemon/region_names.h"

namespace safetynet {

void Reply(httplib::Response& res, int status, Json body) {
  if (status == 200) AddRegionNames(body);
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json; charset=utf-8");
}

void ReplyJsonText(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json; charset=utf-8");
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

Status ParseU64Param(const httplib::Request& req, const char* name, uint64_t fallback, uint64_t* out) {
  *out = fallback;
  if (!req.has_param(name)) return Status::Ok();
  const std::string s = req.get_param_value(name);
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Invalid(std::string(name) + " must be a non-negative integer");
  }
  *out = std::stoull(s);
  return Status::Ok();
}

}  // namespace safetynet
