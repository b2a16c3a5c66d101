// HttpApi: the query API of ../shared/spec/interface.md over cpp-httplib.
// Handlers read the store and the in-memory coverage index; they never write.
// Nothing thrown escapes a handler: errors become {"error": "..."} with 400
// (bad parameter), 404 (unknown person, claim or item) or 500.
// Thread-safety: handlers run on the server's pool threads; each thread has
// its own EventCodec and PersonHasher.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "daemon/access.h"
#include "daemon/metrics.h"
#include "events/crypto.h"
#include "events/status.h"
#include "events/store.h"
#include "projections/projection_set.h"

namespace httplib {
class Server;
}

namespace safetynet {

// The dashboard served at GET /: daemon/dashboard.html, embedded at build time.
std::string_view DashboardHtml();

struct HttpContext {
  const Store* store = nullptr;
  const ProjectionSet* projections = nullptr;
  Metrics* metrics = nullptr;
  std::string person_key;      // raw bytes, for hashing raw IDs in queries
  std::string deadletter_key;  // raw bytes, to show dead letters
  AccessControl access;        // who may call what (daemon/access.h)
};

class HttpApi {
 public:
  explicit HttpApi(HttpContext ctx);
  ~HttpApi();
  // Binds and starts serving on a background thread; port 0 picks a free one.
  Status Start(const std::string& host, int port, int threads);
  int port() const { return port_; }
  void Stop();

 private:
  void Routes();

  HttpContext ctx_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace safetynet
