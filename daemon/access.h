// Access control for the HTTP API (R5): every call but /healthz and the
// dashboard page itself carries `Authorization: Bearer <token>`. A token maps
// to a principal: an `auditor` sees everything; an `inspector` reads only
// within its region prefixes. Missing or unknown token: 401; a call outside
// the principal's scope: 403.
//
// Tokens are never stored: the daemon keeps their SHA-256. They come from
// the config file ([[access.tokens]]: name, sha256, role, regions), from the
// environment (SAFETYNET_AUDITOR_TOKEN: one auditor token), or, when neither
// names any, from auditor.token in the secrets directory (daemon/secrets.h),
// generated once (0600).
//
// Which routes need what is decided by the route table (daemon/http_routes.h), in one place.
// Thread-safety: read-only after construction; any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"

namespace safetynet {

enum class Role { kAuditor, kInspector };

struct Principal {
  std::string name;
  Role role = Role::kInspector;
  std::vector<std::string> regions;  // inspector: region prefixes it may read
};

// A configured token: the hex SHA-256 of the token, never the token.
struct AccessToken {
  std::string name;
  std::string sha256_hex;
  std::string role;  // "auditor" or "inspector"
  std::vector<std::string> regions;
};

// What a path needs beyond a valid token.
enum class AccessScope {
  kOpen,            // no token: /healthz, the dashboard page
  kAuditor,         // auditors only: the raw ledger, dead letters, metrics...
  kRegionParam,     // the `region` query parameter must lie within the principal's prefixes
  kResourceRegion,  // the answer's "region" must lie within them (persons, claims, items)
  kAnyPrincipal,    // any valid token (/v1/whoami)
};

// The hex SHA-256 of a token, as the config file holds it.
std::string TokenSha256Hex(std::string_view token);

class AccessControl {
 public:
  // Validates roles, hashes and region prefixes; Invalid names the bad entry.
  static Result<AccessControl> Make(const std::vector<AccessToken>& tokens);

  // The principal of an Authorization header value ("Bearer <token>"), or
  // null when it is missing, malformed or unknown.
  const Principal* Authenticate(std::string_view authorization) const;
  // Whether the principal may read region (prefix) `region` ("" = all).
  static bool Covers(const Principal& p, std::string_view region);

 private:
  std::map<std::string, Principal> by_hash_;  // raw SHA-256 of the token -> principal
};

}  // namespace safetynet
