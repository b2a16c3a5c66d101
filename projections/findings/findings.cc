#include "projections/findings/findings.h"

#include "events/codec_util.h"
#include "events/date.h"
#include "projections/core/record.h"
#include "projections/core/settlement_due.h"
#include "projections/findings/finding_counts.h"

namespace safetynet {

std::string CheckName(Check c) { return "C" + std::to_string(static_cast<int>(c)); }

std::optional<Check> CheckFromName(std::string_view name) {
  for (int i = 1; i <= kCheckCount; ++i) {
    if (name == CheckName(static_cast<Check>(i))) return static_cast<Check>(i);
  }
  return std::nullopt;
}

std::string FindingKey(Check check, std::string_view subject) {
  std::string k(1, static_cast<char>(check));
  k.append(subject);
  return k;
}

std::string FindingIndexKey(bool open, Check check, std::string_view region, std::string_view subject) {
  std::string k;
  k.reserve(2 + region.size() + subject.size());
  k.push_back(open ? 0 : 1);
  k.push_back(static_cast<char>(check));
  k.append(region);
  k.append(subject);
  return k;
}

bool FindingIndexSubject(std::string_view index_key, std::string_view* subject) {
  constexpr size_t kHead = 2 + 6;  // status, check, region
  if (index_key.size() < kHead) return false;
  *subject = index_key.substr(kHead);
  return true;
}

std::string FindingState::Encode() const {
  ByteWriter w;
  w.Varint(open ? 1 : 0);
  w.Bytes(region);
  w.Signed(measured);
  w.Signed(threshold);
  w.Varint(opened_seq);
  w.Signed(opened_on);
  w.Varint(cleared_seq);
  w.Signed(cleared_on);
  w.Varint(first_opened_seq);
  w.Signed(first_opened_on);
  w.Varint(openings);
  return std::move(w.buffer());
}

bool FindingState::Decode(std::string_view bytes, FindingState* out) {
  ByteReader r(bytes);
  FindingState f;
  f.open = r.Varint() != 0;
  f.region = std::string(r.Bytes());
  f.measured = r.Signed();
  f.threshold = r.Signed();
  f.opened_seq = r.Varint();
  f.opened_on = static_cast<int32_t>(r.Signed());
  f.cleared_seq = r.Varint();
  f.cleared_on = static_cast<int32_t>(r.Signed());
  f.first_opened_seq = r.Varint();
  f.first_opened_on = static_cast<int32_t>(r.Signed());
  f.openings = static_cast<uint32_t>(r.Varint());
  if (!r.ok() || !r.done()) return false;
  *out = std::move(f);
  return true;
}

std::string FindingChange::Encode() const {
  ByteWriter w;
  w.Varint(static_cast<uint8_t>(check));
  w.Bytes(subject);
  w.Varint(opened ? 1 : 0);
  w.Varint(seq);
  w.Signed(occurred_on);
  w.Bytes(region);
  w.Signed(measured);
  w.Signed(threshold);
  return std::move(w.buffer());
}

bool FindingChange::Decode(std::string_view bytes, FindingChange* out) {
  ByteReader r(bytes);
  FindingChange c;
  c.check = static_cast<Check>(r.Varint());
  c.subject = std::string(r.Bytes());
  c.opened = r.Varint() != 0;
  c.seq = r.Varint();
  c.occurred_on = static_cast<int32_t>(r.Signed());
  c.region = std::string(r.Bytes());
  c.measured = r.Signed();
  c.threshold = r.Signed();
  if (!r.ok() || !r.done()) return false;
  *out = std::move(c);
  return true;
}

Status LoadFinding(const Store& store, Check check, std::string_view subject, FindingState* out) {
  return LoadRecord(store, Cf::kFindings, FindingKey(check, subject), out);
}

Status Findings::Load(const Store& store) {
  auto it = store.NewIterator(Cf::kFindings);
  for (it->SeekToFirst(); it->Valid(); it->Next()) known_.Add(it->key());
  if (!it->status().ok()) return it->status();
  auto pending = store.NewIterator(Cf::kFindingsPending);
  for (pending->SeekToFirst(); pending->Valid(); pending->Next()) pending_.Add(pending->key());
  return pending->status();
}

bool Findings::IsOpen(const Txn& txn, Check check, std::string_view subject) const {
  const std::string key = FindingKey(check, subject);
  if (!known_.MayContain(key)) return false;
  FindingState f;
  return LoadRecord(txn, Cf::kFindings, key, &f).ok() && f.open;
}

bool Findings::MayBePending(Check check, std::string_view subject) const {
  return pending_.MayContain(FindingKey(check, subject));
}

std::optional<int32_t> Findings::Pending(const Txn& txn, const std::string& key) const {
  std::string v;
  if (!pending_.MayContain(key) || !txn.Get(Cf::kFindingsPending, key, &v).ok()) return std::nullopt;
  return static_cast<int32_t>(DecodeU32(v));
}

void Findings::DropPending(Txn& txn, const std::string& key) {
  if (Pending(txn, key)) txn.Delete(Cf::kFindingsPending, key);
}

std::vector<std::pair<Check, std::string>> Findings::TakeDue(Txn& txn, int32_t after, int32_t upto) {
  std::vector<std::pair<Check, std::string>> out;
  for (std::string& key : safetynet::TakeDue(txn, DueKind::kFinding, after, upto)) {
    out.emplace_back(static_cast<Check>(key[0]), key.substr(1));
  }
  return out;
}

void Findings::Record(Txn& txn, Check check, std::string_view subject, std::string_view region, const Evaluation& ev) {
  const uint64_t seq = cause_seq_;
  const int32_t occurred_on = cause_on_;
  const int32_t today = *ledger_date_;
  if (region.empty()) region = cause_region_;
  const std::string key = FindingKey(check, subject);
  // The filter never forgets a stored key: a key it does not know was never
  // stored, and needs no read.
  const bool may_exist = known_.MayContain(key);
  if (!ev.holds && !may_exist && !pending_.MayContain(key)) return;  // never held, still does not
  FindingState f;
  std::string v;
  const bool known = may_exist && txn.Get(Cf::kFindings, key, &v).ok() && FindingState::Decode(v, &f);
  const FindingState before = f;
  if (ev.holds == f.open) {
    // No change: a pending one is off; an open finding shows the latest measurement and region.
    DropPending(txn, key);
    if (!f.open) return;
    f.measured = ev.measured;
    f.threshold = ev.threshold;
    f.region.assign(region);
  } else {
    // A change takes effect once the day it was seen on is over (and, for a
    // C1 opening, the window after it).
    const std::optional<int32_t> pending = Pending(txn, key);
    const int32_t since = pending ? *pending : day_over_ ? state_date_ : today;
    const int32_t wait = ev.holds && check == Check::kC1 ? c1_opening_days_ : 0;
    if (!day_over_ || today <= AddDays(since, wait)) {
      if (!pending) {
        std::string d;
        PutDate(&d, since);
        txn.Put(Cf::kFindingsPending, key, std::move(d));
        pending_.Add(key);
      }
      MarkDue(txn, DueKind::kFinding, std::max(AddDays(since, wait + 1), AddDays(today, 1)), key);
      return;
    }
    if (pending) txn.Delete(Cf::kFindingsPending, key);
    if (ev.holds) {
      f.measured = ev.measured;
      f.threshold = ev.threshold;
      f.region.assign(region);
      f.open = true;
      f.opened_seq = seq;
      f.opened_on = occurred_on;
      f.cleared_seq = 0;
      f.cleared_on = 0;
      if (f.openings++ == 0) {
        f.first_opened_seq = seq;
        f.first_opened_on = occurred_on;
      }
    } else {
      f.open = false;
      f.cleared_seq = seq;
      f.cleared_on = occurred_on;
    }
  }
  const std::string encoded = f.Encode();
  if (known && encoded == v) return;
  if (!known || before.region != f.region || before.open != f.open) {
    if (known) txn.Delete(Cf::kFindingsByRegion, FindingIndexKey(before.open, check, before.region, subject));
    txn.Put(Cf::kFindingsByRegion, FindingIndexKey(f.open, check, f.region, subject), {});
    if (counts_ != nullptr) counts_->Replace(check, known ? &before : nullptr, f);
  }
  known_.Add(key);
  txn.Put(Cf::kFindings, key, encoded);
  if (f.open != before.open) {
    if (seq != change_seq_) change_seq_ = seq, change_index_ = 0;
    std::string change_key = EncodeU64(seq);
    PutU32(&change_key, change_index_++);
    const FindingChange c{check, std::string(subject), f.open, seq, occurred_on, f.region, f.measured, f.threshold};
    txn.Put(Cf::kFindingChanges, std::move(change_key), c.Encode());
    if (listener_ != nullptr) listener_->OnFindingChange(txn, c, f.open && f.openings == 1);
  }
}

}  // namespace safetynet
