// The projection interface: a deterministic fold of the event log.
//
// Apply() sees events in ledger order and stages its state changes in the
// batch's Txn (reads go through the Txn, so they see earlier events of the
// same batch and every write not yet in the store: events/batch_pipeline.h).
// A projection keeps no state of its own between events, only what it
// stages. It must depend on nothing but the events: no wall clock, no
// randomness, no hash-map iteration order, and its stored bytes must not
// depend on where batches or checkpoints were cut.
// Thread-safety: the ingest (or replay) thread only; query functions
// document their own.
#pragma once

#include <cstdint>
#include <string_view>

#include "events/event_generated.h"
#include "events/store.h"
#include "projections/findings/findings.h"

namespace safetynet {

struct AppliedEvent {
  uint64_t seq = 0;
  const fb::Event* event = nullptr;  // verified, canonical, pseudonymised
  std::string_view bytes;            // the stored bytes of `event`
};

class Projection {
 public:
  virtual ~Projection() = default;
  // The ledger's date has moved past `previous` (the event that moved it is
  // not applied yet): evaluates what waits for dates to pass (settlement
  // windows, gap edges, due days) on the state the day ended with.
  virtual void PassDate(Txn& /*txn*/, int32_t /*previous*/) {}
  // Evaluates one of this projection's findings again (a pending change
  // falls due: findings.h).
  virtual void Reevaluate(Txn& /*txn*/, Check /*check*/, std::string_view /*subject*/) {}
  virtual void Apply(const AppliedEvent& ev, Txn& txn) = 0;
};

}  // namespace safetynet
