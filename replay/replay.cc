#include "replay/replay.h"

#include <future>
#include <memory>

#include "events/codec.h"
#include "events/codec_util.h"
#include "events/ledger.h"
#include "events/read_cache.h"
#include "projections/projection_set.h"

namespace safetynet {

Result<VerifyResult> VerifyChain(const Store& store) {
  VerifyResult out;
  auto head = ReadHead(store);
  if (!head.ok()) return head.status();
  Sha256 sha;
  Digest prev{};
  uint64_t expected = 1;
  LogRecord rec;
  auto it = store.NewIterator(Cf::kLog);
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected) {
    const uint64_t seq = DecodeU64(it->key());
    auto fail = [&](uint64_t at, std::string why) {
      out.first_bad_seq = at;
      out.problem = std::move(why);
      return out;
    };
    if (it->key().size() != 8 || seq != expected) return fail(expected, "sequence number missing");
    if (!ParseLogValue(seq, it->value(), &rec).ok()) return fail(seq, "record unreadable");
    if (!VerifyEventBuffer(rec.event)) return fail(seq, "event bytes are not a valid event");
    const Digest h = ChainHash(sha, prev, seq, rec.event);
    if (h != rec.hash) return fail(seq, "hash does not chain");
    prev = h;
    ++out.records;
  }
  if (!it->status().ok()) return it->status();
  if (head->seq != out.records || head->hash != prev) {
    out.first_bad_seq = out.records + 1;
    out.problem = "log head does not match the last record";
  }
  return out;
}

Result<ReplayResult> RebuildInPlace(Store& store, const ReplayOptions& opts) {
  ReplayOptions o = opts;
  const ProjectionOptions recorded = ProjectionSet::RecordedOptions(store);
  if (o.projection_options == nullptr) o.projection_options = &recorded;
  for (size_t i = 0; i < kCfCount; ++i) {
    if (!IsProjectionCf(static_cast<Cf>(i))) continue;
    Status st = store.Clear(static_cast<Cf>(i));
    if (!st.ok()) return st;
  }
  return Rebuild(store, store, o);
}

Result<ReplayResult> Rebuild(const Store& source, Store& target, const ReplayOptions& opts) {
  auto head = ReadHead(source);
  if (!head.ok()) return head.status();
  const uint64_t last = opts.until_seq == 0 ? head->seq : std::min(opts.until_seq, head->seq);
  const ProjectionOptions options =
      opts.projection_options != nullptr ? *opts.projection_options : ProjectionSet::RecordedOptions(source);
  auto set = ProjectionSet::Open(target, &options);
  if (!set.ok()) return set.status();
  if ((*set)->applied_seq() != 0) return Status::Invalid("replay target is not empty");

  ReplayResult out;
  // Writes are pipelined one batch deep, as in live ingest: batch N+1 is
  // folded (reading through N's Txn) while N is written on another thread.
  ReadCache cache;
  auto staged = std::make_unique<Txn>(target, nullptr, &cache);
  std::unique_ptr<Txn> in_flight;
  std::future<Status> written;
  uint64_t in_flight_events = 0;
  size_t in_batch = 0;
  auto settle = [&]() -> Status {
    if (!in_flight) return Status::Ok();
    Status st = written.get();
    if (!st.ok()) return st;
    (*set)->Committed();
    cache.Absorb(*in_flight);
    in_flight.reset();
    if (opts.progress) opts.progress(in_flight_events, last);
    return Status::Ok();
  };
  auto flush = [&]() -> Status {
    if (!staged->read_status().ok()) return staged->read_status();
    (*set)->FinishBatch(*staged);
    Status st = settle();
    if (!st.ok()) return st;
    staged->DetachParent();  // the previous batch is durable now
    in_flight = std::move(staged);
    in_flight_events = out.events;
    written = std::async(std::launch::async, [&target, txn = in_flight.get()] { return target.Write(*txn, false); });
    staged = std::make_unique<Txn>(target, in_flight.get(), &cache);
    in_batch = 0;
    return Status::Ok();
  };
  LogRecord rec;
  auto it = source.NewIterator(Cf::kLog);
  for (it->SeekToFirst(); it->Valid() && out.events < last; it->Next()) {
    const uint64_t seq = DecodeU64(it->key());
    Status st = ParseLogValue(seq, it->value(), &rec);
    if (!st.ok()) return st;
    if (!VerifyEventBuffer(rec.event)) return Status::Corruption("log record " + std::to_string(seq) + " invalid");
    (*set)->Apply(seq, rec.event, *staged);
    ++out.events;
    if (++in_batch == opts.batch_events) {
      st = flush();
      if (!st.ok()) return st;
    }
  }
  Status st = it->status().ok() ? flush() : it->status();
  // Never leave a write running on a Txn about to be destroyed.
  const Status last_write = settle();
  if (!st.ok()) return st;
  if (!last_write.ok()) return last_write;
  out.digest = ProjectionDigestHex(target);
  return out;
}

}  // namespace safetynet
