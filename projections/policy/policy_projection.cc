#include "projections/policy/policy_projection.h"

#include <algorithm>
#include <limits>

namespace safetynet {

Evaluation EvaluateC3(const Policy& p) {
  return {p.critical_deductible > kPoorDeductibleMaxFen, p.critical_deductible, kPoorDeductibleMaxFen};
}

Evaluation EvaluateC4(const Policy& p) {
  const auto& ordinary = p.critical_ordinary_segments;
  const auto& poor = p.critical_segments;
  Evaluation ev;
  ev.threshold = kPoorRatioTiltBp;
  // measured: the smallest tilt (poor - ordinary ratio) over the segments, or
  // -1 when the lists differ in length.
  if (ordinary.size() != poor.size()) {
    ev.holds = true;
    ev.measured = -1;
    return ev;
  }
  int64_t tilt = ordinary.empty() ? 0 : std::numeric_limits<int64_t>::max();
  for (size_t i = 0; i < ordinary.size(); ++i) tilt = std::min<int64_t>(tilt, poor[i].ratio_bp - ordinary[i].ratio_bp);
  ev.measured = tilt;
  const bool low_first = ordinary.empty() || ordinary[0].ratio_bp < kOrdinaryFirstRatioMinBp;
  ev.holds = low_first || tilt < kPoorRatioTiltBp;
  return ev;
}

Evaluation EvaluateC5(const Policy& p) {
  return {p.critical_cap != 0 && p.critical_cap < kPoorCapMinFen, p.critical_cap, kPoorCapMinFen};
}

void PolicyProjection::Reevaluate(Txn& txn, Check check, std::string_view policy_id) {
  const Policy* p = policies_->Find(policy_id);
  if (p == nullptr) return;
  if (check == Check::kC3) findings_->Record(txn, Check::kC3, p->policy_id, p->region, EvaluateC3(*p));
  if (check == Check::kC4) findings_->Record(txn, Check::kC4, p->policy_id, p->region, EvaluateC4(*p));
  if (check == Check::kC5) findings_->Record(txn, Check::kC5, p->policy_id, p->region, EvaluateC5(*p));
}

void PolicyProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  if (e.payload_type() != fb::Payload::PolicyPublished) return;
  const Policy& p = policies_->Publish(txn, e, ev.seq, ev.bytes);
  findings_->Record(txn, Check::kC3, p.policy_id, p.region, EvaluateC3(p));
  findings_->Record(txn, Check::kC4, p.policy_id, p.region, EvaluateC4(p));
  findings_->Record(txn, Check::kC5, p.policy_id, p.region, EvaluateC5(p));
}

}  // namespace safetynet
