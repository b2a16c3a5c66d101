// Source positions: where the ledger stands in each partition of its inbound
// topics, tied to the broker incarnation they belong to.
//
// A partition's offsets only mean something on the broker that assigned
// them. The embedded broker (an in-process mock cluster) is new at every
// start, so its offsets begin at 0 again; a real cluster keeps them, and is
// known by its cluster id. Every broker the ledger has consumed from is an
// incarnation, numbered 1, 2, … in column family `brokers`; the positions
// (`offsets`) and the anomalies seen in them (`offset_jumps`) are keyed by
// incarnation, so a new incarnation starts new positions and the old ones
// stay on record. Byte layouts in events/FORMAT.md.
// Thread-safety: pure functions over a Store (safe from any thread).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/status.h"
#include "events/store.h"

namespace safetynet {

// The broker a daemon consumes from, as far as it can tell.
struct BrokerIdentity {
  bool embedded = false;   // the in-process broker: a new one at every start
  std::string cluster_id;  // a real cluster's id; empty when unknown (or embedded)

  std::string Describe() const;
};

struct BrokerIncarnation {
  uint32_t number = 0;  // 0: none recorded yet
  BrokerIdentity identity;
  uint64_t since_seq = 0;  // the log head when the incarnation began
};

// Whether a daemon now connected to `now` must begin a new incarnation after
// `current`: always for an embedded broker (it is new), for the first one,
// and when a real cluster's id changed. An unknown cluster id keeps the
// current incarnation (the broker could not say; its offsets are still
// checked, see offset rewinds).
bool IsNewIncarnation(const BrokerIncarnation& current, const BrokerIdentity& now);

std::string IncarnationKey(uint32_t number);
std::string EncodeIncarnation(const BrokerIncarnation& inc);
// The latest incarnation (number 0 when none is recorded).
Result<BrokerIncarnation> ReadCurrentIncarnation(const Store& store);
std::vector<BrokerIncarnation> ReadIncarnations(const Store& store);

// Key in `offsets`: incarnation u32 || topic || 0x00 || partition u32.
std::string PositionKey(uint32_t incarnation, std::string_view topic, int32_t partition);
// Key in `offset_jumps`: PositionKey || expected u64.
std::string OffsetAnomalyKey(uint32_t incarnation, std::string_view topic, int32_t partition, int64_t expected);

using SourcePositions = std::map<std::pair<std::string, int32_t>, int64_t>;
// The next offsets stored for the incarnation, per (topic, partition).
SourcePositions ReadOffsets(const Store& store, uint32_t incarnation);

// A partition whose offsets did not continue where the ledger stood:
//  - a jump (got > expected): messages expected..got-1 never arrived (gone
//    from the broker, e.g. past its retention);
//  - a rewind (got < expected): the partition went back below what the
//    ledger had read (a recreated topic, or a broker that lost data). The
//    messages from `got` on are ingested; those already in the ledger are
//    recognised as duplicates by their event_id.
struct OffsetJump {
  uint32_t incarnation = 0;
  std::string topic;
  int32_t partition = 0;
  int64_t expected = 0;  // the offset the ledger expected next
  int64_t got = 0;       // the offset that came instead
  bool rewind() const { return got < expected; }
};
// Every recorded jump and rewind, by incarnation, topic, partition, expected.
std::vector<OffsetJump> ReadOffsetJumps(const Store& store);

// Ledgers written before incarnations existed keyed positions without one:
// stages (into `txn`) their move to incarnation 1, recorded with an unknown
// identity, so that a daemon on the same cluster continues where it stood.
// Returns whether there was anything to move.
bool StageUnversionedPositions(const Store& store, Txn& txn);

}  // namespace safetynet
