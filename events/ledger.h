// The append-only event log: gap-free sequence numbers from 1, each record
// hash-chained (SHA-256 over previous hash, sequence number, event bytes),
// deduplicated by event_id, indexed by person, under a Merkle tree
// (events/merkle_store.h); the dead-letter store; the
// Kafka offsets that the same write covers; the counters. Byte layouts are in
// events/FORMAT.md.
//
// LedgerWriter stages everything of one batch into a Txn; the batch pipeline
// (batch_pipeline.h) writes the Txn durably and then calls Committed() (or
// Abandon() on failure, after which the writer must not be used: storage
// failures are sticky). Batches may be pipelined: the next batch can be
// staged (its Txn reading through the one being written) before the
// previous one is durable; FinishBatch() and Committed() pair up in FIFO
// order.
// Thread-safety: LedgerWriter is single-threaded (the ingest thread). The
// free reader functions are safe from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/batch_pipeline.h"
#include "events/crypto.h"
#include "events/event_generated.h"
#include "events/merkle_store.h"
#include "events/positions.h"
#include "events/status.h"
#include "events/store.h"

namespace safetynet {

struct LogHead {
  uint64_t seq = 0;  // last appended sequence number, 0 when empty
  Digest hash{};     // chain hash of that record; zeros when empty
};

struct LedgerCounters {
  uint64_t appended = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;          // dead letters written
  uint64_t offset_jumps = 0;      // partitions found skipping offsets
  uint64_t skipped_messages = 0;  // messages lost to those jumps
  uint64_t offset_rewinds = 0;    // partitions found going back below the stored offset
};

// Where a Kafka message came from.
struct MessagePosition {
  std::string_view topic;
  int32_t partition = 0;
  int64_t kafka_offset = 0;
};

// chain_hash(seq) = SHA-256(chain_hash(seq-1) || seq as u64 big-endian || event bytes)
Digest ChainHash(Sha256& sha, const Digest& prev, uint64_t seq, std::string_view event);

class LedgerWriter final : public BatchListener {
 public:
  enum class Outcome { kAppended, kDuplicate, kConflict };

  // Reads the head, counters and broker incarnation; `sealer` encrypts dead
  // letters. Moves positions of a ledger older than incarnations under
  // incarnation 1 (see positions.h), durably, before returning.
  static Result<std::unique_ptr<LedgerWriter>> Open(Store& store, Sealer sealer);

  enum class Adoption { kSame, kLearned, kNew };
  // Ties the positions to the broker the daemon is connected to (see
  // positions.h): records, durably in `store`, a new incarnation when `now`
  // is one (kNew: positions start afresh), or the cluster id the current one
  // lacked (kLearned). Call before the first batch.
  Result<Adoption> AdoptBroker(Store& store, const BrokerIdentity& now);
  uint32_t incarnation() const { return incarnation_.number; }

  // Appends canonical `stored` bytes of `event` with the next sequence number,
  // unless its event_id is already in the ledger: identical bytes are a
  // duplicate, different bytes a conflict (the caller dead-letters it).
  Outcome Append(Txn& txn, std::string_view stored, const fb::Event& event, uint64_t* seq);
  // Keeps a rejected message, whole and encrypted, with its position and reason.
  void DeadLetter(Txn& txn, const MessagePosition& pos, std::string_view value, std::string_view reason);
  // The next Kafka offset to consume for a partition, stored with this batch.
  void SetNextOffset(Txn& txn, std::string_view topic, int32_t partition, int64_t next_offset);
  // Records that a partition did not continue at `expected` but at `got`:
  // a jump (messages gone) or a rewind (got < expected; see positions.h).
  void RecordJump(Txn& txn, std::string_view topic, int32_t partition, int64_t expected, int64_t got);
  void CountDuplicate() { ++pending_.duplicates; }
  // Stages head and counters, and the head as the last seq ingested on
  // `ingest_day` (YYYYMMDD, UTC; 0: not recorded); call once per batch
  // before Store::Write.
  void FinishBatch(Txn& txn, int32_t ingest_day = 0);
  // The oldest finished batch is durable: its head and counters become the
  // committed ones.
  void Committed() override;
  // A write failed: forget every batch not yet committed.
  void Abandon() override;

  const LogHead& head() const { return committed_head_; }
  // The Merkle tree of the durable log (events/merkle_store.h).
  const merkle::Frontier& tree() const { return committed_tree_; }
  const LedgerCounters& counters() const { return committed_; }

 private:
  explicit LedgerWriter(Sealer sealer) : sealer_(std::move(sealer)) {}

  struct Snapshot {
    LogHead head;
    LedgerCounters counters;
    uint64_t next_deadletter_id = 1;
    merkle::Frontier tree;
  };

  Sealer sealer_;
  Sha256 sha_;
  BrokerIncarnation incarnation_;
  LogHead head_, committed_head_;
  MerkleWriter tree_;
  merkle::Frontier committed_tree_;
  LedgerCounters pending_, committed_;
  uint64_t next_deadletter_id_ = 1, committed_deadletter_id_ = 1;
  std::deque<Snapshot> finished_;  // batches staged, not yet durable
};

// --- readers -----------------------------------------------------------------

struct LogRecord {
  uint64_t seq = 0;
  Digest hash{};
  std::string event;  // canonical FlatBuffer bytes
};

std::string LogKey(uint64_t seq);
Status ParseLogValue(uint64_t seq, std::string_view value, LogRecord* out);
// The log's record of event `seq`; NotFound when the log holds none.
Result<LogRecord> ReadLogRecord(const Store& store, uint64_t seq);
Result<LogHead> ReadHead(const Store& store);
Result<LedgerCounters> ReadCounters(const Store& store);
// The last seq ingested on or before the UTC day `day` (YYYYMMDD); 0 when
// nothing was (known_on= of the query API).
Result<uint64_t> SeqIngestedBy(const Store& store, int32_t day);
struct DeadLetter {
  uint64_t id = 0;
  std::string topic;
  int32_t partition = 0;
  int64_t kafka_offset = 0;
  std::string reason;
  std::string value;
};
Status OpenDeadLetter(const Sealer& sealer, uint64_t id, std::string_view sealed, DeadLetter* out);

}  // namespace safetynet
