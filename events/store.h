// Store: the ledger's key-value storage behind a small interface, so that
// nothing but events/rocks_store.cc includes RocksDB and a test can swap in a
// fault-injecting store. Txn: one atomic batch under construction, with
// read-your-writes over the store. The byte layout of every column family is
// in events/FORMAT.md.
//
// Thread-safety: Store implementations allow concurrent Get, NewIterator and
// Write from many threads (the ingest writer and the outbound publisher's
// cursor). A Txn belongs to one thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "events/pending_writes.h"
#include "events/status.h"

namespace safetynet {

// Column families. The order is part of the digest; every family from
// kPersons on holds projections (IsProjectionCf).
enum class Cf : uint8_t {
  kLog,                     // seq -> hash || event
  kEventIds,                // event_id -> seq
  kPersonEvents,            // person || seq -> ""
  kDeadLetters,             // id -> sealed dead letter
  kOffsets,                 // incarnation/topic/partition -> next kafka_offset
  kOffsetJumps,             // incarnation/topic/partition/expected -> got
  kBrokers,                 // incarnation -> the broker it is (positions.h)
  kMeta,                    // log head and counters
  kMerkle,                  // level/index -> hash of a complete subtree of the log's Merkle tree
  kPersons,                 // projection: person -> PersonState
  kCoverage,                // projection: prefix/category/date -> coverage deltas
  kCoverageGaps,            // projection: category/region/person -> gap runs
  kProjMeta,                // projection: ledger date, applied seq
  kClaims,                  // projection: claim_id -> ClaimState
  kPolicies,                // projection: policy_id -> latest PolicyPublished
  kFindings,                // projection: check/subject -> FindingState
  kFindingsByRegion,        // projection: region/check/subject -> ""
  kFindingChanges,          // projection: seq/index -> FindingChange (openings and clearings)
  kPersonClaims,            // projection: person -> claim_ids
  kContributions,           // projection: person/year -> latest ContributionPaid
  kGapEdges,                // projection: date/category/person -> "" where a gap run starts or ends
  kHospitalMonths,          // projection: hospital/month -> C7 sums
  kClaimsByMonth,           // projection: month/region/claim_id -> ""
  kAssistanceYears,         // projection: person/year -> C6 working set
  kContributionsByMonth,    // projection: month/person/year -> ""
  kRectifications,          // projection: item_id -> RectificationItem
  kRectificationsByRegion,  // projection: region/item_id -> ""
  kSettlementDue,           // projection: date/kind/subject -> "" where a settlement window passes
  kExchanges,               // projection: kind/region -> the periods delivered (C11)
  kFindingsPending,         // projection: check/subject -> since when a change of the finding is seen
  kFindingCounts,           // projection: prefix/check -> findings open, cleared
  kRectificationCounts,     // projection: prefix/date -> items per status and late (deltas)
  kRectificationMonths,     // projection: prefix/month -> items opened, rectified, closed in the month
  kClaimMonths,             // projection: prefix/month -> the monthly report's sums over counted claims
  kInpatientMonths,         // projection: person/month -> claim regions with the person's counted inpatient claims
  kSubsidyMonths,           // projection: prefix/month -> subsidised persons, subsidy amount
  kCount
};
inline constexpr size_t kCfCount = static_cast<size_t>(Cf::kCount);
const char* CfName(Cf cf);
// Column families that hold projections: rebuilt by replay, hashed by the digest.
inline bool IsProjectionCf(Cf cf) { return cf >= Cf::kPersons && cf < Cf::kCount; }
// Column families the projections scan by key range while they stage a batch
// (Txn::ScanRange): a Txn keeps their writes sorted; the others hashed.
bool IsRangeScannedCf(Cf cf);

class StoreIterator {
 public:
  virtual ~StoreIterator() = default;
  virtual void Seek(std::string_view key) = 0;
  virtual void SeekToFirst() = 0;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual Status status() const = 0;
};

class Txn;
class ReadCache;

class Store {
 public:
  virtual ~Store() = default;
  // NotFound when absent.
  virtual Status Get(Cf cf, std::string_view key, std::string* value) const = 0;
  virtual std::unique_ptr<StoreIterator> NewIterator(Cf cf) const = 0;
  // An iterator that ends before `upper_bound` (empty: no bound); a store may
  // use the bound to skip deleted records past it (RocksDB does).
  virtual std::unique_ptr<StoreIterator> NewIterator(Cf cf, std::string_view /*upper_bound*/) const {
    return NewIterator(cf);
  }
  // Applies every pending write of `txn` atomically; durable before return
  // when `sync`. An error is sticky for the caller: stop consuming.
  virtual Status Write(const Txn& txn, bool sync) = 0;
  // A read-only view of the store as it is now, unchanged by later writes;
  // it must not outlive the store (null: this store cannot give one).
  virtual std::unique_ptr<const Store> Snapshot() const { return nullptr; }
  // Removes every record of `cf` at once (projections being rebuilt).
  virtual Status Clear(Cf cf) = 0;
  // Writes a consistent copy of the whole store, as of now, into `dir` (which
  // must not exist): a backup taken while writes go on.
  virtual Status Checkpoint(const std::string& dir) = 0;
};

// Pending writes of one batch, per column family (see pending_writes.h).
// Reads see this batch's writes first, then those of `parent` and its own
// parents (earlier writes not yet in the store, possibly being written by
// another thread: they must not change while this Txn reads through them),
// then the cache, then the store.
class Txn {
 public:
  using Pending = PendingWrites;

  // `cache` (may be null) is consulted after the parent and fed what is read
  // from the store (see read_cache.h).
  explicit Txn(const Store& store, const Txn* parent = nullptr, ReadCache* cache = nullptr);

  void Put(Cf cf, std::string key, std::string value) { Target(cf).Set(std::move(key), std::move(value)); }
  void Delete(Cf cf, std::string key) { Target(cf).Set(std::move(key), std::nullopt); }
  Status Get(Cf cf, std::string_view key, std::string* value) const;
  // Calls fn(key, value) for every key starting with `prefix`, in key order,
  // as this Txn sees them (its writes over its parent's over the store).
  void ScanPrefix(Cf cf, std::string_view prefix,
                  const std::function<void(std::string_view key, std::string_view value)>& fn) const;
  // The same for keys in [begin, end).
  void ScanRange(Cf cf, std::string_view begin, std::string_view end,
                 const std::function<void(std::string_view key, std::string_view value)>& fn) const;
  // The Txn read after this one's own writes (null: the cache and the store).
  void SetParent(const Txn* parent) { parent_ = parent; }
  // Writes to the projection families go to `sink` (a Txn of earlier
  // writes, which must be this one's parent or one of its parents, so that
  // reads see them) instead of this one; null: here (see BatchPipeline).
  void RedirectProjectionWrites(Txn* sink) { sink_ = sink; }
  // Writes redirected to the sink since the last ResetRedirected().
  size_t redirected() const { return redirected_; }
  void ResetRedirected() { redirected_ = 0; }
  // Writes staged, over every family.
  size_t entries() const;
  // The first read error the Txn met (a Get that failed other than with
  // NotFound, an iterator that failed, a record that did not decode): a
  // batch staged with it must not be written. Readers that treat any error
  // as absence (RecordOr) stay correct because the whole batch is refused.
  const Status& read_status() const { return read_status_; }
  void NoteReadError(const Status& st) const {
    if (read_status_.ok() && !st.ok() && !st.IsNotFound()) read_status_ = st;
  }
  const Pending& pending(Cf cf) const { return pending_[static_cast<size_t>(cf)]; }
  Pending& mutable_pending(Cf cf) { return pending_[static_cast<size_t>(cf)]; }
  void Clear();

 private:
  Pending& Target(Cf cf) {
    if (sink_ != nullptr && IsProjectionCf(cf)) {
      ++redirected_;
      return sink_->pending_[static_cast<size_t>(cf)];
    }
    return pending_[static_cast<size_t>(cf)];
  }

  const Store* store_;
  const Txn* parent_;
  ReadCache* cache_;
  Txn* sink_ = nullptr;
  size_t redirected_ = 0;
  std::array<Pending, kCfCount> pending_;
  mutable Status read_status_;
};

// How a RocksDB store is opened: its memory budgets, and faults for tests of
// storage failure (R4), none by default.
struct StoreOptions {
  size_t memtable_bytes = size_t{128} << 20;     // every column family's write buffers together
  size_t block_cache_bytes = size_t{128} << 20;  // blocks read, with their indexes and filters
  uint64_t disk_full_after_bytes = 0;  // > 0: writes fail with "no space left" once this many bytes were written
};
// Opens (creating if needed) the RocksDB store in `dir`.
Result<std::unique_ptr<Store>> OpenRocksStore(const std::string& dir, bool read_only = false,
                                              const StoreOptions& options = {});

// Digest of every projection column family, in order: SHA-256 over
// (cf name, key length, key, value length, value) of each record.
std::string ProjectionDigestHex(const Store& store);

}  // namespace safetynet
