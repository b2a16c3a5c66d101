#include "projections/coverage/coverage_index.h"

#include <algorithm>
#include <cassert>
#include <mutex>
#include <tuple>
#include <vector>

#include "events/codec_util.h"

namespace safetynet {
namespace {

// Each run of a timeline contributes +1 to its status from its start and -1
// from the next run's start.
struct Change {
  int32_t date;
  CoverageStatus status;
  int64_t delta;
};

void AppendChanges(const Timeline& t, int64_t sign, std::vector<Change>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].status == CoverageStatus::kNone) continue;
    out->push_back({t[i].from, t[i].status, sign});
    if (i + 1 < t.size()) out->push_back({t[i + 1].from, t[i].status, -sign});
  }
}

// Sums changes of the same (date, status) and drops those that cancel.
void Net(std::vector<Change>* changes) {
  std::sort(changes->begin(), changes->end(),
            [](const Change& a, const Change& b) { return std::tie(a.date, a.status) < std::tie(b.date, b.status); });
  size_t out = 0;
  for (size_t i = 0; i < changes->size();) {
    Change sum = (*changes)[i];
    size_t j = i + 1;
    for (; j < changes->size() && (*changes)[j].date == sum.date && (*changes)[j].status == sum.status; ++j) {
      sum.delta += (*changes)[j].delta;
    }
    if (sum.delta != 0) (*changes)[out++] = sum;
    i = j;
  }
  changes->resize(out);
}

}  // namespace

CoverageIndex::Prefix CoverageIndex::PackPrefix(std::string_view digits) {
  uint32_t value = 0;
  for (char ch : digits) value = value * 10 + static_cast<uint32_t>(ch - '0');
  return static_cast<uint32_t>(digits.size()) << 24 | value;
}

std::string CoverageIndex::UnpackPrefix(Prefix p) {
  const size_t len = p >> 24;
  std::string digits(len, '0');
  uint32_t value = p & 0xffffff;
  for (size_t i = len; i > 0; --i, value /= 10) digits[i - 1] = static_cast<char>('0' + value % 10);
  return digits;
}

std::string CoverageIndex::EncodeKey(const Key& k) {
  const std::string digits = UnpackPrefix(k.prefix);
  std::string out;
  out.push_back(static_cast<char>(digits.size()));
  out.append(digits);
  out.push_back(static_cast<char>(k.category));
  PutDate(&out, k.date);
  return out;
}

Status CoverageIndex::Load(const Store& store) {
  std::unique_lock lock(mu_);
  committed_.clear();
  auto it = store.NewIterator(Cf::kCoverage);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view k = it->key();
    if (k.empty() || k.size() != 1 + static_cast<size_t>(k[0]) + 1 + 4) return Status::Corruption("coverage key");
    const size_t n = static_cast<size_t>(k[0]);
    const auto cat = static_cast<uint8_t>(k[1 + n]);
    const auto date = static_cast<int32_t>(DecodeU32(k.substr(2 + n)));
    ByteReader r(it->value());
    CoverageCounts c{r.Signed(), r.Signed(), r.Signed()};
    if (!r.ok() || cat >= kCategoryCount) return Status::Corruption("coverage value");
    committed_[PackPrefix(k.substr(1, n))][cat][date] = c;
  }
  return it->status();
}

void CoverageIndex::Add(std::string_view region, Category c, int32_t date, CoverageStatus s, int64_t delta) {
  CoverageCounts d;
  (s == CoverageStatus::kCovered ? d.covered : s == CoverageStatus::kExcluded ? d.excluded : d.gaps) = delta;
  for (size_t len : {size_t{0}, size_t{2}, size_t{4}, size_t{6}}) {
    if (len > region.size()) break;
    pending_[Key{PackPrefix(region.substr(0, len)), static_cast<uint8_t>(c), date}] += d;
  }
}

void CoverageIndex::Replace(Category c, std::string_view old_region, const Timeline& old_t, std::string_view new_region,
                            const Timeline& new_t) {
  if (old_region == new_region && old_t == new_t) return;
  std::vector<Change> changes;
  if (old_region == new_region) {
    // Only the dates where the two timelines differ change the counts.
    AppendChanges(old_t, -1, &changes);
    AppendChanges(new_t, +1, &changes);
    Net(&changes);
    for (const Change& ch : changes) Add(new_region, c, ch.date, ch.status, ch.delta);
    return;
  }
  AppendChanges(old_t, -1, &changes);
  for (const Change& ch : changes) Add(old_region, c, ch.date, ch.status, ch.delta);
  changes.clear();
  AppendChanges(new_t, +1, &changes);
  for (const Change& ch : changes) Add(new_region, c, ch.date, ch.status, ch.delta);
}

void CoverageIndex::Flush(Txn& txn) {
  for (const auto& [key, delta] : pending_) {
    if (delta.zero()) continue;
    CoverageCounts total = delta;
    if (auto p = committed_.find(key.prefix); p != committed_.end()) {
      const auto& dates = p->second[key.category];
      if (auto d = dates.find(key.date); d != dates.end()) total += d->second;
    }
    for (const Deltas* stage : {&checkpointing_, &held_}) {
      if (auto f = stage->find(key); f != stage->end()) total += f->second;
    }
    for (const auto& batch : flushed_) {
      if (auto f = batch.find(key); f != batch.end()) total += f->second;
    }
    if (total.zero()) {
      txn.Delete(Cf::kCoverage, EncodeKey(key));
    } else {
      ByteWriter w;
      w.Signed(total.covered);
      w.Signed(total.excluded);
      w.Signed(total.gaps);
      txn.Put(Cf::kCoverage, EncodeKey(key), std::move(w.buffer()));
    }
  }
  flushed_.push_back(std::move(pending_));
  pending_.clear();
}

void CoverageIndex::AddDeltas(const Deltas& from, Deltas* to) {
  for (const auto& [key, delta] : from) (*to)[key] += delta;
}

void CoverageIndex::Committed() {
  assert(!flushed_.empty());
  AddDeltas(flushed_.front(), &held_);
  flushed_.pop_front();
}

void CoverageIndex::CheckpointBegun() {
  assert(checkpointing_.empty());
  checkpointing_ = std::move(held_);
  held_.clear();
}

void CoverageIndex::Checkpointed() {
  std::unique_lock lock(mu_);
  for (const auto& [key, delta] : checkpointing_) {
    if (delta.zero()) continue;
    auto& dates = committed_[key.prefix][key.category];
    CoverageCounts& c = dates[key.date];
    c += delta;
    if (c.zero()) dates.erase(key.date);
  }
  checkpointing_.clear();
}

std::vector<std::string> CoverageIndex::Subregions(std::string_view prefix) const {
  const Prefix parent = PackPrefix(prefix);
  const uint32_t child_len = static_cast<uint32_t>(prefix.size()) + 2;
  std::vector<std::string> out;
  std::shared_lock lock(mu_);
  // Prefixes sort by length, then by value: the children are one run.
  for (auto it = committed_.lower_bound(child_len << 24); it != committed_.end() && (it->first >> 24) == child_len;
       ++it) {
    if ((it->first & 0xffffff) / 100 == (parent & 0xffffff)) out.push_back(UnpackPrefix(it->first));
  }
  return out;
}

CoverageCounts CoverageIndex::Query(std::string_view prefix, Category c, int32_t date) const {
  std::shared_lock lock(mu_);
  CoverageCounts out;
  auto p = committed_.find(PackPrefix(prefix));
  if (p == committed_.end()) return out;
  for (const auto& [d, counts] : p->second[static_cast<size_t>(c)]) {
    if (d > date) break;
    out += counts;
  }
  return out;
}

}  // namespace safetynet
