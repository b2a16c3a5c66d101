#include "replay/replay.h"

#include "events/codec.h"
#include "events/codec_util.h"
#include "events/ledger.h"
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

Result<ReplayResult> Rebuild(const Store& source, Store& target, const ReplayOptions& opts) {
  auto head = ReadHead(source);
  if (!head.ok()) return head.status();
  const uint64_t last = opts.until_seq == 0 ? head->seq : std::min(opts.until_seq, head->seq);
  const ProjectionOptions options = ProjectionSet::RecordedOptions(source);
  auto set = ProjectionSet::Open(target, &options);
  if (!set.ok()) return set.status();
  if ((*set)->applied_seq() != 0) return Status::Invalid("replay target is not empty");

  ReplayResult out;
  Txn txn(target);
  size_t in_batch = 0;
  auto flush = [&]() -> Status {
    (*set)->FinishBatch(txn);
    Status st = target.Write(txn, /*sync=*/false);
    if (!st.ok()) return st;
    (*set)->Committed();
    txn.Clear();
    in_batch = 0;
    if (opts.progress) opts.progress(out.events, last);
    return Status::Ok();
  };
  LogRecord rec;
  auto it = source.NewIterator(Cf::kLog);
  for (it->SeekToFirst(); it->Valid() && out.events < last; it->Next()) {
    const uint64_t seq = DecodeU64(it->key());
    Status st = ParseLogValue(seq, it->value(), &rec);
    if (!st.ok()) return st;
    if (!VerifyEventBuffer(rec.event)) return Status::Corruption("log record " + std::to_string(seq) + " invalid");
    (*set)->Apply(seq, rec.event, txn);
    ++out.events;
    if (++in_batch == opts.batch_events) {
      st = flush();
      if (!st.ok()) return st;
    }
  }
  if (!it->status().ok()) return it->status();
  Status st = flush();
  if (!st.ok()) return st;
  out.digest = ProjectionDigestHex(target);
  return out;
}

}  // namespace safetynet
