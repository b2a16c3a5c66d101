// Findings (审计发现): a finding is (check, subject); it is open while its
// condition holds on the ledger's current state and cleared when it stops
// holding; it reopens if the condition returns. Each opening and clearing
// records the sequence number and occurred_on of the event that caused it,
// and is appended to `finding_changes` (the source of the outbound topic).
//
// Column families (layouts in events/FORMAT.md):
//   findings            check(1) || subject -> FindingState
//   findings_by_region  status(1: 0 open, 1 cleared) || check(1) || region(6)
//                       || subject -> "" (FindingIndexKey: a list filtered by
//                       status, check and region prefix is a few key ranges)
//   finding_counts      per region prefix and check: open, cleared (finding_counts.h)
//   finding_changes     seq(8) || index(4) -> FindingChange
// Thread-safety: Findings is used by the ingest (or replay) thread only; the
// readers are free functions safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/store.h"
#include "projections/core/key_filter.h"

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

// Findings are judged on complete days. Kafka orders messages only within a
// partition, so within one business day the facts of several topics arrive
// in any order, and the state between them is no state anyone lived in (a
// claim reversed on one topic, its payments reversed on another). A change of
// a finding — opening or clearing — seen while a day is in progress is kept
// pending (column family `findings_pending`: key -> the date since which the
// change is seen) and takes effect once the ledger's date has moved past
// that day with the change still there: the owning projection evaluates the
// finding again at the first event of a later day (Reevaluate), on the
// state the day ended with (BeginDate), and that evaluation decides. C1
// openings wait a further `c1_opening_days` (the settlement window: a gap
// must last). Updates of an open finding's measurements take effect at once.
class FindingCounts;

class Findings {
 public:
  void set_listener(FindingListener* listener) { listener_ = listener; }
  void set_counts(FindingCounts* counts) { counts_ = counts; }
  // `ledger_date` is the ledger's date after the event being applied.
  void Configure(const int32_t* ledger_date, int32_t c1_opening_days) {
    ledger_date_ = ledger_date;
    c1_opening_days_ = c1_opening_days;
  }
  // Learns which findings exist and which changes are pending (most
  // evaluations find nothing, and most subjects never had a finding: the
  // filters spare those a store read).
  Status Load(const Store& store);

  // The ledger's date has just moved past `previous`, with the event (seq,
  // occurred_on, region) not yet applied: until BeginEvent, evaluations see
  // the state at the end of `previous`, and their changes take effect.
  void BeginDate(uint64_t seq, int32_t occurred_on, std::string_view region, int32_t previous) {
    SetCause(seq, occurred_on, region);
    day_over_ = true;
    state_date_ = previous;
  }
  // The event being applied: every opening and clearing until the next call
  // is caused by it (its seq and occurred_on are recorded; its region is the
  // finding's where the evaluation names none); changes wait for the day's end.
  void BeginEvent(uint64_t seq, int32_t occurred_on, std::string_view region) {
    SetCause(seq, occurred_on, region);
    day_over_ = false;
  }

  // Opens, clears or updates the finding as the evaluation says (subject to
  // the confirmation above). A finding that never held is not stored.
  // `region` is the finding's (empty: the causing event's, so that every
  // finding is listed under some region).
  void Record(Txn& txn, Check check, std::string_view subject, std::string_view region, const Evaluation& ev);
  // Whether the finding is open, as this batch sees it.
  bool IsOpen(const Txn& txn, Check check, std::string_view subject) const;
  // The day the current evaluations judge: the ledger's date while an event
  // is applied, the day that ended after BeginDate.
  int32_t judged_date() const { return day_over_ ? state_date_ : *ledger_date_; }
  // Whether a change of the finding may be pending (no false negatives).
  bool MayBePending(Check check, std::string_view subject) const;
  // The findings whose pending change falls due on a date in (after, upto],
  // in key order, each once; their due entries are taken out.
  std::vector<std::pair<Check, std::string>> TakeDue(Txn& txn, int32_t after, int32_t upto);

 private:
  void SetCause(uint64_t seq, int32_t occurred_on, std::string_view region) {
    cause_seq_ = seq;
    cause_on_ = occurred_on;
    cause_region_.assign(region);
  }
  // The pending change's date, if any.
  std::optional<int32_t> Pending(const Txn& txn, const std::string& key) const;
  void DropPending(Txn& txn, const std::string& key);

  FindingListener* listener_ = nullptr;
  FindingCounts* counts_ = nullptr;
  const int32_t* ledger_date_ = nullptr;
  int32_t c1_opening_days_ = 0;
  bool day_over_ = false;   // evaluations see a complete day (BeginDate)
  int32_t state_date_ = 0;  // that day
  uint64_t cause_seq_ = 0;
  int32_t cause_on_ = 0;
  std::string cause_region_;
  KeyFilter known_;    // keys of every stored finding (and possibly a few more)
  KeyFilter pending_;  // keys of every pending change (and possibly a few more)
  uint64_t change_seq_ = 0;
  uint32_t change_index_ = 0;
};

std::string FindingKey(Check check, std::string_view subject);
// The finding's key in `findings_by_region`.
std::string FindingIndexKey(bool open, Check check, std::string_view region, std::string_view subject);
// The subject of a `findings_by_region` key (regions are 6 digits); false
// when the key is too short to be one.
bool FindingIndexSubject(std::string_view index_key, std::string_view* subject);
Status LoadFinding(const Store& store, Check check, std::string_view subject, FindingState* out);

}  // namespace safetynet
