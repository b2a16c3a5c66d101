#include "replay/replay.h"

#include <algorithm>
#include <memory>

#include "events/codec.h"
#include "events/codec_util.h"
#include "events/ledger.h"
#include "events/merkle_store.h"
#include "projections/core/projection_set.h"
#include "replay/fold.h"

namespace safetynet {

Result<VerifyResult> VerifyLedger(const Store& store, std::vector<TreeHead> heads) {
  VerifyResult out;
  auto head = ReadHead(store);
  if (!head.ok()) return head.status();
  std::sort(heads.begin(), heads.end(), [](const TreeHead& a, const TreeHead& b) { return a.tree_size < b.tree_size; });
  auto next_head = heads.begin();
  uint64_t last_good_head = 0;
  Sha256 sha;
  Digest prev{};
  merkle::Frontier tree;
  Status node_status = Status::Ok();
  uint64_t bad_node_seq = 0;
  std::string stored;
  // A ledger no daemon of this version has opened has no tree stored yet
  // (it is built on the next start): its nodes are not checked; the chain
  // and the heads are.
  const bool tree_stored = MerkleTreeStored(store, head->seq);
  out.tree_stored = tree_stored;
  const auto check_node = [&](merkle::NodeId id, const Digest& h) {
    if (!tree_stored || id.level < kMerkleStoredLevel || bad_node_seq != 0) return;
    Status st = store.Get(Cf::kMerkle, MerkleNodeKey(id), &stored);
    if (!st.ok() && !st.IsNotFound()) {
      node_status = st;
      bad_node_seq = 1;
      return;
    }
    ++out.nodes_checked;
    if (st.ok() && stored.size() == 32 &&
        std::equal(h.begin(), h.end(), reinterpret_cast<const uint8_t*>(stored.data()))) {
      return;
    }
    bad_node_seq = (id.index << id.level) + 1;
    out.problem = "Merkle node " + std::to_string(id.level) + "/" + std::to_string(id.index) +
                  (st.IsNotFound() ? " is missing" : " differs from the one the log gives");
  };
  uint64_t expected = 1;
  LogRecord rec;
  const auto fail = [&](uint64_t at, std::string why) {
    out.first_bad_seq = at;
    out.problem = std::move(why);
    return out;
  };
  for (; next_head != heads.end() && next_head->tree_size == 0; ++next_head) {
    if (next_head->root != merkle::EmptyRoot()) return fail(1, "a signed head of the empty log has another root");
    ++out.heads_checked;
  }
  auto it = store.NewIterator(Cf::kLog);
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected) {
    const uint64_t seq = DecodeU64(it->key());
    if (it->key().size() != 8 || seq != expected) return fail(expected, "sequence number missing");
    if (!ParseLogValue(seq, it->value(), &rec).ok()) return fail(seq, "record unreadable");
    if (!VerifyEventBuffer(rec.event)) return fail(seq, "event bytes are not a valid event");
    const Digest h = ChainHash(sha, prev, seq, rec.event);
    if (h != rec.hash) return fail(seq, "hash does not chain");
    prev = h;
    ++out.records;
    tree.Append(merkle::LeafHash(h), check_node);
    if (!node_status.ok()) return node_status;
    if (bad_node_seq != 0) return fail(bad_node_seq, out.problem);
    for (; next_head != heads.end() && next_head->tree_size == seq; ++next_head) {
      if (tree.Root() != next_head->root) {
        return fail(last_good_head + 1, "the log's first " + std::to_string(seq) +
                                            " events are not those of the signed head of that size (the last head "
                                            "they match is of size " +
                                            std::to_string(last_good_head) + ")");
      }
      last_good_head = seq;
      ++out.heads_checked;
    }
  }
  if (!it->status().ok()) return it->status();
  if (next_head != heads.end()) {
    return fail(out.records + 1, "the log ends at seq " + std::to_string(out.records) + " but a signed head covers " +
                                     std::to_string(heads.back().tree_size) + " events: it was cut short");
  }
  if (head->seq != out.records || head->hash != prev) {
    out.first_bad_seq = out.records + 1;
    out.problem = "log head does not match the last record";
  }
  return out;
}

Result<uint64_t> FoldForward(const Store& source, Store& target, uint64_t until_seq, const ReplayOptions& opts) {
  const ProjectionOptions options =
      opts.projection_options != nullptr ? *opts.projection_options : ProjectionSet::RecordedOptions(source);
  auto set = ProjectionSet::Open(target, &options);
  if (!set.ok()) return set.status();
  const uint64_t from = (*set)->applied_seq();
  if (from > until_seq) {
    return Status::Invalid("the projections stand at seq " + std::to_string(from) + ", past " +
                           std::to_string(until_seq));
  }
  BatchPipeline pipeline(target, opts.pipeline, {set->get()});
  FoldOptions fold;
  fold.after_seq = from;
  fold.until_seq = until_seq;
  fold.batch_events = opts.batch_events;
  fold.finish_batch = [&](Txn& txn) { (*set)->FinishBatch(txn); };
  fold.progress = opts.progress;
  fold.cancelled = opts.cancelled;
  auto folded = FoldLog(source, **set, pipeline, fold);
  if (!folded.ok()) return folded.status();
  Status st = pipeline.Checkpoint();
  if (!st.ok()) return st;
  return *folded;
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
  if (opts.until_seq > head->seq) {
    return Status::Invalid("the log ends at seq " + std::to_string(head->seq) + ": it cannot be replayed to seq " +
                           std::to_string(opts.until_seq));
  }
  const uint64_t last = opts.until_seq == 0 ? head->seq : opts.until_seq;
  const ProjectionOptions options =
      opts.projection_options != nullptr ? *opts.projection_options : ProjectionSet::RecordedOptions(source);
  auto set = ProjectionSet::Open(target, &options);
  if (!set.ok()) return set.status();
  if ((*set)->applied_seq() != 0) return Status::Invalid("replay target is not empty");

  // The fold runs in memory; the state reaches the target in checkpoints of
  // opts.pipeline.checkpoint_entries writes, written while the fold goes on.
  BatchPipeline pipeline(target, opts.pipeline, {set->get()});
  FoldOptions fold;
  fold.batch_events = opts.batch_events;
  fold.finish_batch = [&](Txn& txn) { (*set)->FinishBatch(txn); };
  fold.progress = opts.progress;
  ReplayResult out;
  const auto fold_until = [&](uint64_t seq) -> Status {
    fold.until_seq = seq;
    auto folded = FoldLog(source, **set, pipeline, fold);
    if (!folded.ok()) return folded.status();
    out.events += *folded;
    fold.after_seq = seq;
    return pipeline.Checkpoint();
  };
  if (opts.digest_at > 0 && opts.digest_at < last) {
    if (Status st = fold_until(opts.digest_at); !st.ok()) return st;
    out.digest_at = ProjectionDigestHex(target);
  }
  if (Status st = fold_until(last); !st.ok()) return st;
  out.digest = ProjectionDigestHex(target);
  return out;
}

}  // namespace safetynet
