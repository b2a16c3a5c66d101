// HttpApi: serves the route table of daemon/http_routes.h over cpp-httplib,
// with the access decision of each route (daemon/access.h) and the limits
// that keep the API answering: only GET and HEAD (405 otherwise, nothing of
// the body read); request line and header lines bounded by cpp-httplib
// (8 KiB each), at most kHeadersMax headers (431), no request body (413,
// and none beyond kBodyMaxBytes is ever read); read and write timeouts and a short keep-alive, so
// that a few slow or idle connections hold a pool thread for seconds at most.
// Nothing thrown escapes a handler: errors become {"error": "..."}.
// Thread-safety: handlers run on the server's pool threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "daemon/http_routes.h"

namespace httplib {
class Server;
}

namespace safetynet {

struct HttpLimits {
  int threads = 64;              // pool threads (each open connection holds one); 1..256
  int read_timeout_s = 5;        // a request's parts must arrive within this
  int keep_alive_timeout_s = 2;  // an idle kept-alive connection is closed after this
};

class HttpApi {
 public:
  static constexpr size_t kHeadersMax = 64;
  static constexpr size_t kBodyMaxBytes = 4096;

  explicit HttpApi(HttpContext ctx);
  ~HttpApi();
  // Binds and starts serving on a background thread; port 0 picks a free one.
  Status Start(const std::string& host, int port, const HttpLimits& limits);
  int port() const { return port_; }
  void Stop();

 private:
  void Register();

  HttpContext ctx_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace safetynet
