#include "daemon/access.h"

#include "events/crypto.h"

namespace safetynet {
namespace {

std::string TokenHash(std::string_view token) {
  Sha256 sha;
  sha.Begin();
  sha.Update(token);
  const Digest d = sha.Finish();
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

bool IsRegionPrefix(std::string_view r) {
  if (r.size() != 2 && r.size() != 4 && r.size() != 6) return false;
  return r.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::string TokenSha256Hex(std::string_view token) { return ToHex(TokenHash(token)); }

Result<AccessControl> AccessControl::Make(const std::vector<AccessToken>& tokens) {
  AccessControl ac;
  for (const AccessToken& t : tokens) {
    const std::string what = "access token \"" + t.name + "\": ";
    std::string raw;
    if (!FromHex(t.sha256_hex, &raw) || raw.size() != 32) {
      return Status::Invalid(what + "sha256 must be 64 hex characters (the SHA-256 of the token)");
    }
    Principal p{t.name, Role::kInspector, t.regions};
    if (t.role == "auditor") {
      p.role = Role::kAuditor;
      if (!t.regions.empty()) return Status::Invalid(what + "an auditor has no regions");
    } else if (t.role == "inspector") {
      if (t.regions.empty()) return Status::Invalid(what + "an inspector needs at least one region prefix");
      for (const std::string& r : t.regions) {
        if (!IsRegionPrefix(r)) return Status::Invalid(what + "region \"" + r + "\" is not a 2, 4 or 6 digit prefix");
      }
    } else {
      return Status::Invalid(what + "role must be \"auditor\" or \"inspector\"");
    }
    if (!ac.by_hash_.emplace(raw, std::move(p)).second) return Status::Invalid(what + "the same token twice");
  }
  return ac;
}

const Principal* AccessControl::Authenticate(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization.starts_with(kBearer)) return nullptr;
  const std::string_view token = authorization.substr(kBearer.size());
  if (token.empty()) return nullptr;
  auto it = by_hash_.find(TokenHash(token));
  return it == by_hash_.end() ? nullptr : &it->second;
}

bool AccessControl::Covers(const Principal& p, std::string_view region) {
  if (p.role == Role::kAuditor) return true;
  for (const std::string& prefix : p.regions) {
    if (region.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace safetynet
