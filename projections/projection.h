// The projection interface: a deterministic fold of the event log.
//
// Apply() sees events in ledger order and stages its state changes in the
// batch's Txn (reads go through the Txn, so they see earlier events of the
// same batch). Flush() stages state held in memory across the batch; the
// caller then writes the Txn with the log records and offsets it covers, and
// calls Committed() (or Abandon()). Batches may be pipelined: the next batch
// is applied and flushed before the previous one is durable, so Flush() and
// Committed() pair up in FIFO order. A projection must depend on nothing but
// the events: no wall clock, no randomness, no hash-map iteration order, and
// its stored bytes must not depend on where batches were cut.
// Thread-safety: Apply/Flush/Committed/Abandon on the ingest (or replay)
// thread only; query methods document their own.
#pragma once

#include <cstdint>
#include <string_view>

#include "events/event_generated.h"
#include "events/store.h"
#include "projections/findings.h"

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
  virtual void Flush(Txn& /*txn*/) {}
  virtual void Committed() {}
  virtual void Abandon() {}
};

}  // namespace safetynet
