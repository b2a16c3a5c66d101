// ExchangeProjection: C11, the monthly data exchange on time (Jilin 三(一)):
// for each (region, period, kind) the latest RosterDelivered in ledger order
// is late when delivered after the 10th (ROSTER_TO_INSURANCE) or the 20th
// (COMPARED_TO_HEALTH) of the month `period`. Subject: region/period/kind.
// Thread-safety: see projection.h.
#pragma once

#include "projections/findings.h"
#include "projections/projection.h"

namespace safetynet {

class ExchangeProjection final : public Projection {
 public:
  explicit ExchangeProjection(Findings* findings) : findings_(findings) {}
  void Apply(const AppliedEvent& ev, Txn& txn) override;

 private:
  Findings* findings_;
};

}  // namespace safetynet
