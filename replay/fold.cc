#include "replay/fold.h"

#include <string>

#include "events/codec.h"
#include "events/codec_util.h"
#include "events/ledger.h"

namespace safetynet {

Result<uint64_t> FoldLog(const Store& source, ProjectionSet& set, BatchPipeline& pipeline, const FoldOptions& opts) {
  uint64_t folded = 0, in_batch = 0;
  const uint64_t total = opts.until_seq > opts.after_seq ? opts.until_seq - opts.after_seq : 0;
  const auto submit = [&]() -> Status {
    opts.finish_batch(pipeline.staged());
    Status st = pipeline.Submit();
    in_batch = 0;
    if (st.ok() && opts.progress) opts.progress(folded, total);
    return st;
  };
  LogRecord rec;
  auto it = source.NewIterator(Cf::kLog);
  for (it->Seek(LogKey(opts.after_seq + 1)); it->Valid() && folded < total; it->Next()) {
    const uint64_t seq = DecodeU64(it->key());
    if (seq != opts.after_seq + folded + 1)
      return Status::Corruption("log record " + std::to_string(seq) + " out of sequence");
    Status st = ParseLogValue(seq, it->value(), &rec);
    if (!st.ok()) return st;
    if (!VerifyEventBuffer(rec.event)) return Status::Corruption("log record " + std::to_string(seq) + " invalid");
    set.Apply(seq, rec.event, pipeline.staged());
    ++folded;
    if (++in_batch == opts.batch_events) {
      if (st = submit(); !st.ok()) return st;
      if (opts.cancelled && opts.cancelled()) return Status::Retryable("the fold was cancelled");
    }
  }
  if (!it->status().ok()) return it->status();
  if (folded < total) return Status::Corruption("the log ends at seq " + std::to_string(opts.after_seq + folded));
  if (in_batch > 0) {
    if (Status st = submit(); !st.ok()) return st;
  }
  if (Status st = pipeline.Drain(); !st.ok()) return st;
  return folded;
}

}  // namespace safetynet
