#include "projections/exchange_projection.h"

#include <string>

namespace safetynet {

void ExchangeProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  if (e.payload_type() != fb::Payload::RosterDelivered) return;
  const auto* p = e.payload_as_RosterDelivered();
  const int32_t day = p->kind()->string_view() == "ROSTER_TO_INSURANCE" ? 10 : 20;
  const int32_t due = p->period() * 100 + day;
  const std::string region = e.region()->str();
  const std::string subject = region + "/" + std::to_string(p->period()) + "/" + p->kind()->str();
  const Evaluation late{*e.occurred_on() > due, *e.occurred_on(), due};
  findings_->Record(txn, Check::kC11, subject, region, late, ev.seq, *e.occurred_on());
}

}  // namespace safetynet
