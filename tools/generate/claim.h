// Internal to the generator: a claim and the tier payments on it, shared by
// claims.cc (what is claimed, what each tier pays) and settlement.cc (how it
// is written out and what happens to it later). Not thread-safe: the
// functions draw from the caller's Rng.

#ifndef SAFETYNET_TOOLS_GENERATE_CLAIM_H_
#define SAFETYNET_TOOLS_GENERATE_CLAIM_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tools/generate/province.h"
#include "tools/generate/random.h"

namespace safetynet::gen::internal {

// One settled stay or visit (ClaimSettled); the views point into static
// tables or the caller's strings.
struct Claim {
  std::string claim_id;
  std::string hospital_id;
  std::string_view county;
  std::string_view person_id;
  std::string_view diagnosis;
  Visit visit;
  bool county_internal;
  int admitted_on;
  int discharged_on;
  int64_t total;
  int64_t out_of_catalog;
  int64_t in_policy;
};

// One tier's payment on a claim (ReimbursementPaid).
struct Payment {
  Tier tier;
  int64_t amount;
  int64_t deductible;
  int paid_on = 0;
};

// What the tiers pay on one claim.
struct TierPayments {
  std::array<Payment, 5> paid;
  size_t count = 0;
  int64_t assistance_due = 0;  // what C6 asks of medical assistance

  std::span<Payment> all() { return std::span(paid.data(), count); }
  void Add(Tier tier, int64_t amount, int64_t deductible) {
    if (amount > 0) paid[count++] = Payment{tier, amount, deductible};
  }
};

// Draws where and why `p` was treated and what it cost, discharged on `date`:
// everything but claim_id and person_id.
Claim DrawClaim(Rng& rng, const Person& p, Visit visit, int date);

// What each tier pays on `c`, in settlement order (basic, critical illness,
// assistance, waiver, supplementary), for a person `poor` or not under
// `policy`; adds to the person's running totals of the year.
TierPayments PayTiers(Rng& rng, Person& p, Tier basic_tier, const Claim& c, const Policy& policy, bool poor);

}  // namespace safetynet::gen::internal

#endif  // SAFETYNET_TOOLS_GENERATE_CLAIM_H_
