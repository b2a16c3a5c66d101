// ExchangeProjection: C11, the monthly data exchange on time (Jilin 三(一)).
// For each (region, period, kind) the latest RosterDelivered in ledger order
// is late when delivered after the 10th (ROSTER_TO_INSURANCE) or the 20th
// (COMPARED_TO_HEALTH) of the month `period`; and once a region has delivered
// a kind for some period, every later period whose due day has passed on the
// ledger's date without a delivery is missing (judged once the settlement
// window after the due day has passed, see docs/decisions.md). Subject: region/period/kind
// (the same for a late and a missing delivery).
//
// Column family `exchanges` (layout in events/FORMAT.md): kind u8 ||
// region(6) -> the periods delivered, each with its latest delivery's date.
// A region's missing periods are evaluated when it delivers and as the
// ledger's date passes due days.
// Thread-safety: see projection.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "projections/core/projection.h"
#include "projections/findings/findings.h"

namespace safetynet {

// The deliveries of one region and kind.
struct Exchange {
  struct Delivery {
    int32_t period = 0;        // YYYYMM
    int32_t delivered_on = 0;  // occurred_on of the latest delivery (ledger order)
  };
  std::vector<Delivery> deliveries;  // by period

  const Delivery* Find(int32_t period) const;
  void Deliver(int32_t period, int32_t on);
  std::string Encode() const;
  static bool Decode(std::string_view bytes, Exchange* out);
};

class ExchangeProjection final : public Projection {
 public:
  // `ledger_date` is the ledger's date after the event being applied.
  // A missing delivery is judged once the settlement window after its due
  // day has passed (a delivery made on time may arrive late).
  ExchangeProjection(Findings* findings, const int32_t* ledger_date, int32_t window_days)
      : findings_(findings), ledger_date_(ledger_date), window_days_(window_days) {}
  // Periods whose missing delivery is judged from a date the ledger's date now passed.
  void PassDate(Txn& txn, int32_t previous) override;
  void Reevaluate(Txn& txn, Check check, std::string_view subject) override;
  void Apply(const AppliedEvent& ev, Txn& txn) override;

 private:
  // C11 for one period of a region and kind: late, missing, or neither.
  void Evaluate(Txn& txn, std::string_view kind, std::string_view region, const Exchange& x, int32_t period);

  Findings* findings_;
  // The first ledger date on which a period's missing delivery is judged.
  int32_t JudgedFrom(std::string_view kind, int32_t period) const;

  const int32_t* ledger_date_;
  int32_t window_days_;
};

}  // namespace safetynet
