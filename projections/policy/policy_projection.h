// PolicyProjection: keeps the latest version of every policy (PolicyRegistry)
// and judges each against the programme's floors (C3-C5 judge the latest
// version of each policy_id):
//   C3  critical-illness deductible for the poor above 6,000 yuan;
//   C4  ordinary first-segment ratio below 55%, segment lists of different
//       lengths, or a poor ratio below the ordinary one at that index + 5 points;
//   C5  a critical-illness cap below 300,000 yuan (0 = no cap is fine).
// Thread-safety: see projection.h.
#pragma once

#include "projections/core/projection.h"
#include "projections/findings/findings.h"
#include "projections/policy/policy.h"

namespace safetynet {

inline constexpr int64_t kPoorDeductibleMaxFen = 600000;   // C3: 6,000 yuan
inline constexpr int32_t kOrdinaryFirstRatioMinBp = 5500;  // C4: 55%
inline constexpr int32_t kPoorRatioTiltBp = 500;           // C4: +5 points
inline constexpr int64_t kPoorCapMinFen = 30000000;        // C5: 300,000 yuan

class PolicyProjection final : public Projection {
 public:
  PolicyProjection(PolicyRegistry* policies, Findings* findings) : policies_(policies), findings_(findings) {}
  void Apply(const AppliedEvent& ev, Txn& txn) override;
  void Reevaluate(Txn& txn, Check check, std::string_view subject) override;

 private:
  PolicyRegistry* policies_;
  Findings* findings_;
};

// The evaluations of C3, C4 and C5 for one policy version.
Evaluation EvaluateC3(const Policy& p);
Evaluation EvaluateC4(const Policy& p);
Evaluation EvaluateC5(const Policy& p);

}  // namespace safetynet
