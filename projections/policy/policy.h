// Policies (政策参数) and the policy in force, as ../shared/spec/domain.md
// defines them: a later PolicyPublished with the same policy_id replaces the
// earlier one everywhere; the policy in force for a person in region r with a
// set of identities on a date is, among policies whose scope contains r and
// whose [effective_from, effective_to] contains the date, the one with the
// longest scope, then one naming an identity the person holds over one naming
// none, then the latest in ledger order. Without one the defaults apply.
// Latest versions are kept in column family `policies` (policy_id -> seq ||
// event bytes) and whole in memory (a province has tens to hundreds).
// Thread-safety: PolicyRegistry is used by the ingest thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_generated.h"
#include "events/store.h"

namespace safetynet {

struct Segment {
  int64_t from = 0;
  int32_t ratio_bp = 0;
};

struct Policy {
  std::string policy_id;
  uint64_t seq = 0;    // ledger order of this version
  std::string region;  // as published, 6 digits
  std::string scope;   // region without trailing "00" pairs: 230000 -> 23
  int32_t year = 0;
  std::optional<fb::Identity> identity;  // none: applies to everyone
  int32_t effective_from = 0;
  int32_t effective_to = 0;  // 0: open
  int64_t critical_deductible = 0;
  int64_t critical_ordinary_deductible = 0;
  std::vector<Segment> critical_segments;
  std::vector<Segment> critical_ordinary_segments;
  int64_t critical_cap = 0;  // 0: no cap
  int32_t assistance_ratio_bp = 7000;
  int64_t assistance_annual_limit = 0;     // 0: no limit
  int32_t max_total_reimbursement_bp = 0;  // 0: no ceiling
  int32_t out_of_catalog_max_bp = 1000;

  bool InEffect(int32_t date) const {
    return (effective_from == 0 || effective_from <= date) && (effective_to == 0 || date <= effective_to);
  }
  static Policy FromEvent(const fb::Event& e, uint64_t seq);
};

// The parameters the checks use, from the policy in force or the defaults.
struct PolicyTerms {
  const Policy* policy = nullptr;  // null: defaults
  int32_t assistance_ratio_bp = 7000;
  int64_t assistance_annual_limit = 0;
  int32_t max_total_reimbursement_bp = 0;
  int32_t out_of_catalog_max_bp = 1000;
  int64_t critical_ordinary_deductible = 0;
};

std::string ScopeOf(std::string_view region);

class PolicyRegistry {
 public:
  Status Load(const Store& store);
  // Records a published version (replacing an earlier one with its policy_id)
  // and stages it into `txn`.
  const Policy& Publish(Txn& txn, const fb::Event& e, uint64_t seq, std::string_view event_bytes);
  // The version the last Publish() replaced (none for a new policy_id), for
  // the projections that follow the same event.
  const std::optional<Policy>& last_replaced() const { return last_replaced_; }
  // The latest version of `policy_id`, or null.
  const Policy* Find(std::string_view policy_id) const;

  const Policy* InForce(std::string_view region, std::span<const fb::Identity> identities, int32_t date) const;
  PolicyTerms TermsFor(std::string_view region, std::span<const fb::Identity> identities, int32_t date) const;

 private:
  std::map<std::string, Policy> by_id_;
  std::optional<Policy> last_replaced_;
};

}  // namespace safetynet
