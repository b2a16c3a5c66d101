// Findings (审计发现): a finding is (check, subject); it is open while its
// condition holds on the ledger's current state and cleared when it stops
// holding; it reopens if the condition returns. Each opening and clearing
// records the sequence number and occurred_on of the event that caused it,
// and is appended to `finding_changes` (the source of the outbound topic).
//
// Column families (layouts in events/FORMAT.md):
//   findings            check(1) || subject -> FindingState
//   findings_by_region  region(6) || check(1) || subject -> ""
//   finding_changes     seq(8) || index(4) -> FindingChange
// Thread-safety: Findings is used by the ingest (or replay) thread only; the
// readers are free functions safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "events/store.h"
#include "projections/key_filter.h"

namespace safetynet {

enum class Check : uint8_t { kC1 = 1, kC2, kC3, kC4, kC5, kC6, kC7, kC8, kC9, kC10, kC11, kC12 };
inline constexpr int kCheckCount = 12;
std::string CheckName(Check c);  // "C8"
std::optional<Check> CheckFromName(std::string_view name);

struct FindingState {
  bool open = false;
  std::string region;
  int64_t measured = 0;
  int64_t threshold = 0;
  uint64_t opened_seq = 0;
  int32_t opened_on = 0;
  uint64_t cleared_seq = 0;  // 0 while open since the last opening
  int32_t cleared_on = 0;
  uint64_t first_opened_seq = 0;
  int32_t first_opened_on = 0;  // the automatic rectification item's opening date
  uint32_t openings = 0;

  std::string Encode() const;
  static bool Decode(std::string_view bytes, FindingState* out);
};

struct FindingChange {
  Check check = Check::kC1;
  std::string subject;
  bool opened = false;  // false: cleared
  uint64_t seq = 0;
  int32_t occurred_on = 0;
  std::string region;
  int64_t measured = 0;
  int64_t threshold = 0;

  std::string Encode() const;
  static bool Decode(std::string_view bytes, FindingChange* out);
};

// The condition of (check, subject) after the event at (seq, occurred_on).
struct Evaluation {
  bool holds = false;
  int64_t measured = 0;
  int64_t threshold = 0;
};

// Told of every opening and clearing as Findings records it, in the same Txn
// (the automatic rectification items follow their findings this way).
class FindingListener {
 public:
  virtual ~FindingListener() = default;
  // `first` is true for the finding's first opening.
  virtual void OnFindingChange(Txn& txn, const FindingChange& change, bool first) = 0;
};

class Findings {
 public:
  void set_listener(FindingListener* listener) { listener_ = listener; }
  // Learns which findings exist (most evaluations find nothing, and most
  // subjects never had a finding: the filter spares those a store read).
  Status Load(const Store& store);

  // The event being applied: every opening and clearing until the next call
  // is caused by it (its seq and occurred_on are recorded; its region is the
  // finding's where the evaluation names none).
  void BeginEvent(uint64_t seq, int32_t occurred_on, std::string_view region) {
    cause_seq_ = seq;
    cause_on_ = occurred_on;
    cause_region_.assign(region);
  }

  // Opens, clears or updates the finding as the evaluation says. A finding
  // that never held is not stored. `region` is the finding's (empty: the
  // causing event's, so that every finding is listed under some region).
  void Record(Txn& txn, Check check, std::string_view subject, std::string_view region, const Evaluation& ev);
  // Whether the finding is open, as this batch sees it.
  bool IsOpen(const Txn& txn, Check check, std::string_view subject) const;

 private:
  FindingListener* listener_ = nullptr;
  uint64_t cause_seq_ = 0;
  int32_t cause_on_ = 0;
  std::string cause_region_;
  KeyFilter known_;  // keys of every stored finding (and possibly a few more)
  uint64_t change_seq_ = 0;
  uint32_t change_index_ = 0;
};

std::string FindingKey(Check check, std::string_view subject);
Status LoadFinding(const Store& store, Check check, std::string_view subject, FindingState* out);

}  // namespace safetynet
