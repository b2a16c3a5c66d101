// ProjectionSet: every projection of the ledger, applied together, plus the
// projection metadata (the sequence number applied and the ledger's current
// date, i.e. the greatest occurred_on seen). Live ingest and offline replay
// drive the same object, which is what makes replay reproduce the live
// projections byte for byte.
// FinishBatch() and Committed() pair up in FIFO order, so a batch may be
// staged while the previous one is being written (see projection.h); the
// accessors tell the state of the last checkpoint, which is what queries
// read in the store (events/batch_pipeline.h).
// Thread-safety: Apply, FinishBatch and the BatchListener calls on one
// thread; the accessors (applied_seq, ledger_date, coverage) from any thread.
#pragma once

#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <vector>

#include "events/batch_pipeline.h"
#include "events/store.h"
#include "projections/claims/claim_months.h"
#include "projections/core/projection.h"
#include "projections/coverage/coverage_index.h"
#include "projections/findings/finding_counts.h"
#include "projections/findings/findings.h"
#include "projections/policy/policy.h"
#include "projections/rectification/rectification_counts.h"

namespace safetynet {

// Settings the projections depend on besides the log. They are recorded in
// `proj_meta` with the projections, so that a replay uses the same ones.
struct ProjectionOptions {
  int32_t auto_deadline_days = 30;      // automatic rectification items: opening date + this
  int32_t settlement_window_days = 30;  // C6, C7, C10 wait this long after their date (domain.md)
};

// The version of the projections' semantics and byte formats, recorded with
// them: projections of another version are rebuilt from the log.
inline constexpr uint32_t kProjectionsVersion = 4;

class ProjectionSet final : public BatchListener {
 public:
  // Loads the checkpointed state from `store`, with the options recorded
  // there. `requested` (may be null) must agree with them: Invalid otherwise,
  // naming the setting, since the stored projections were built with the
  // recorded ones. A store without projections takes `requested`, else the
  // defaults.
  static Result<std::unique_ptr<ProjectionSet>> Open(const Store& store, const ProjectionOptions* requested = nullptr);
  // The options recorded in `store` (the defaults for those not recorded).
  static ProjectionOptions RecordedOptions(const Store& store);
  // The last event the projections of `store` reflect (their checkpoint).
  static uint64_t RecordedAppliedSeq(const Store& store);
  // The version recorded with the projections of `store`: 0 when it holds
  // none, 1 for projections older than versions.
  static uint32_t RecordedVersion(const Store& store);

  // `bytes` must be a verified canonical event; seq must follow applied_seq().
  void Apply(uint64_t seq, std::string_view bytes, Txn& txn);
  void FinishBatch(Txn& txn);
  void Committed() override;
  void CheckpointBegun() override;
  void Checkpointed() override;
  void Abandon() override;

  // The last event applied (staged, perhaps not yet durable).
  uint64_t staged_seq() const { return pending_seq_; }
  // The state of the last checkpoint: the last event it reflects, and the
  // ledger's date then.
  uint64_t applied_seq() const { return applied_seq_.load(std::memory_order_acquire); }
  int32_t ledger_date() const { return ledger_date_.load(std::memory_order_acquire); }
  const CoverageIndex& coverage() const { return coverage_; }
  const FindingCounts& finding_counts() const { return finding_counts_; }
  const RectificationCounts& rectification_counts() const { return rectification_counts_; }
  const ClaimMonths& claim_months() const { return claim_months_; }
  // The monthly report's subsidised persons and subsidy amount per region
  // prefix and month (contribution_projection.h).
  const PrefixDeltas<2>& subsidies() const { return subsidies_; }

 private:
  explicit ProjectionSet(const ProjectionOptions& options);

  ProjectionOptions options_;
  CoverageIndex coverage_;
  FindingCounts finding_counts_;
  RectificationCounts rectification_counts_;
  ClaimMonths claim_months_;
  PrefixDeltas<2> subsidies_{Cf::kSubsidyMonths};
  std::vector<StagedIndex*> indexes_;  // the five above, whose state follows the batches
  PolicyRegistry policies_;            // ingest thread only
  Findings findings_;                  // ingest thread only
  std::vector<std::unique_ptr<Projection>> projections_;
  std::array<Projection*, kCheckCount + 1> owner_{};  // by check: the projection that evaluates its findings
  uint64_t pending_seq_ = 0;
  int32_t pending_date_ = 0;                   // the ledger's date after the last event applied
  using Point = std::pair<uint64_t, int32_t>;  // (seq, ledger date) after a batch
  std::deque<Point> finished_;                 // batches staged, not yet committed
  Point committed_{}, checkpointing_{};
  std::atomic<uint64_t> applied_seq_{0};
  std::atomic<int32_t> ledger_date_{0};
};

}  // namespace safetynet
