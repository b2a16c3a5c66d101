// PrefixDeltas: N additive counters per (region prefix, category, date), so
// that counts for a province, a city or a county on any date are a sum over a
// few hundred dates instead of a walk over persons or items. A change of one
// subject is added under every prefix of its region ("" for everything, 2, 4
// and 6 digits); counts on d are the sum of the deltas dated <= d (Query), or
// the deltas dated exactly d when the date is a period that is not cumulative
// (At: a month's openings, say).
//
// Persisted in one column family (key `u8 len ‖ prefix ‖ u8 category ‖ date
// u32`, value N svarints: the total delta at that key; events/FORMAT.md) and
// held in memory whole: prefixes x categories x distinct dates, each
// (prefix, category) a sorted series that a checkpoint replaces by a merged
// copy, so that queries never wait for a merge. The writes of
// a batch follow the batch lifecycle (events/batch_pipeline.h): Flush writes
// the batch's keys with their new totals into its Txn; a key whose total is
// zero is deleted, so the bytes do not depend on where batches were cut; the
// queries see the state of the last checkpoint.
//
// The coverage index, the findings' counts, the rectification items' counts
// and the monthly report's claim sums are instances (coverage_index.h,
// finding_counts.h, rectification_counts.h, claim_months.h).
// Thread-safety: one writer (the ingest or replay thread: Load, Add, Flush
// and the lifecycle) and any number of concurrent readers (Query, At,
// Subregions).
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/batch_pipeline.h"
#include "events/codec_util.h"
#include "events/store.h"

namespace safetynet {

// One change of a subject's contribution: `delta` to counter `counter` from
// `date` on. A subject replaced by a new version adds its old changes
// negated and its new ones; NetChanges sums those of the same (date,
// counter) and drops what cancels, so only real differences are staged.
struct DatedChange {
  int32_t date = 0;
  size_t counter = 0;
  int64_t delta = 0;
  auto operator<=>(const DatedChange&) const = default;
};
inline void NetChanges(std::vector<DatedChange>* changes) {
  std::sort(changes->begin(), changes->end(), [](const DatedChange& a, const DatedChange& b) {
    return a.date != b.date ? a.date < b.date : a.counter < b.counter;
  });
  size_t out = 0;
  for (size_t i = 0; i < changes->size();) {
    DatedChange sum = (*changes)[i];
    size_t j = i + 1;
    for (; j < changes->size() && (*changes)[j].date == sum.date && (*changes)[j].counter == sum.counter; ++j) {
      sum.delta += (*changes)[j].delta;
    }
    if (sum.delta != 0) (*changes)[out++] = sum;
    i = j;
  }
  changes->resize(out);
}

// Calls fn(prefix) for each prefix a region counts under: "", then 2, 4 and
// 6 digits, as far as the region goes.
template <typename Fn>
void ForEachRegionPrefix(std::string_view region, Fn&& fn) {
  for (size_t len : {size_t{0}, size_t{2}, size_t{4}, size_t{6}}) {
    if (len <= region.size()) fn(region.substr(0, len));
  }
}

// What ProjectionSet drives for every such index besides the lifecycle.
class StagedIndex : public BatchListener {
 public:
  virtual Status Load(const Store& store) = 0;
  virtual void Flush(Txn& txn) = 0;
};

template <size_t N>
class PrefixDeltas final : public StagedIndex {
 public:
  using Counts = std::array<int64_t, N>;

  explicit PrefixDeltas(Cf cf) : cf_(cf) {}

  Status Load(const Store& store) override {
    std::map<SeriesKey, std::shared_ptr<Series>> loaded;
    auto it = store.NewIterator(cf_);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      Key key;
      if (!DecodeKey(it->key(), &key)) return Status::Corruption(std::string(CfName(cf_)) + " key");
      ByteReader r(it->value());
      Counts c{};
      for (int64_t& v : c) v = r.Signed();
      if (!r.ok() || !r.done()) return Status::Corruption(std::string(CfName(cf_)) + " value");
      auto& series = loaded[{key.prefix, key.category}];
      if (!series) series = std::make_shared<Series>();
      series->emplace_back(key.date, c);  // keys sort by date within a series
    }
    if (!it->status().ok()) return it->status();
    std::unique_lock lock(mu_);
    committed_.clear();
    for (auto& [key, series] : loaded) committed_.emplace(key, std::move(series));
    return Status::Ok();
  }

  // Adds `delta` to counter `counter` from `date` on, under every prefix of
  // `region` (a division code of up to 6 digits).
  void Add(std::string_view region, uint8_t category, int32_t date, size_t counter, int64_t delta) {
    assert(counter < N);
    if (delta == 0) return;
    ForEachRegionPrefix(region, [&](std::string_view p) { AddAt(p, category, date, counter, delta); });
  }
  // Stages a subject's change from its old contribution (`removed`, already
  // negated, under `old_region`) to its new one (`added`, under
  // `new_region`); under one region only their net differences.
  void Replace(uint8_t category, std::string_view old_region, std::vector<DatedChange> removed,
               std::string_view new_region, std::vector<DatedChange> added) {
    if (old_region == new_region) {
      removed.insert(removed.end(), added.begin(), added.end());
      added.clear();
      NetChanges(&removed);
    }
    for (const DatedChange& c : removed) Add(old_region, category, c.date, c.counter, c.delta);
    for (const DatedChange& c : added) Add(new_region, category, c.date, c.counter, c.delta);
  }
  // Adds every counter of `delta` at once.
  void Add(std::string_view region, uint8_t category, int32_t date, const Counts& delta) {
    if (Zero(delta)) return;
    ForEachRegionPrefix(region, [&](std::string_view p) {
      Accumulate(delta, &pending_[Key{PackPrefix(p), category, date}]);
    });
  }
  // The same under `prefix` alone (a count of distinct subjects, which does
  // not add up from the regions below).
  void AddAt(std::string_view prefix, uint8_t category, int32_t date, size_t counter, int64_t delta) {
    assert(counter < N);
    if (delta != 0) pending_[Key{PackPrefix(prefix), category, date}][counter] += delta;
  }

  void Flush(Txn& txn) override {
    for (const auto& [key, delta] : pending_) {
      if (Zero(delta)) continue;
      Counts total = delta;
      // committed_ changes on this thread only (Checkpointed): no lock to read it here.
      if (auto p = committed_.find({key.prefix, key.category}); p != committed_.end()) {
        if (const Counts* d = AtDate(*p->second, key.date)) Accumulate(*d, &total);
      }
      for (const Deltas* stage : {&checkpointing_, &held_}) {
        if (auto f = stage->find(key); f != stage->end()) Accumulate(f->second, &total);
      }
      for (const Deltas& batch : flushed_) {
        if (auto f = batch.find(key); f != batch.end()) Accumulate(f->second, &total);
      }
      if (Zero(total)) {
        txn.Delete(cf_, EncodeKey(key));
      } else {
        ByteWriter w;
        for (int64_t v : total) w.Signed(v);
        txn.Put(cf_, EncodeKey(key), std::move(w.buffer()));
      }
    }
    flushed_.push_back(std::move(pending_));
    pending_.clear();
  }

  void Committed() override {
    assert(!flushed_.empty());
    for (const auto& [key, delta] : flushed_.front()) Accumulate(delta, &held_[key]);
    flushed_.pop_front();
  }
  void CheckpointBegun() override {
    assert(checkpointing_.empty());
    checkpointing_ = std::move(held_);
    held_.clear();
  }
  // The checkpoint's deltas become visible to queries all at once: each
  // series they touch is merged into a new copy outside the lock, and the
  // copies replace the old ones under it (a pointer each), so that queries
  // never wait for the merge.
  void Checkpointed() override {
    std::vector<std::pair<SeriesKey, std::shared_ptr<const Series>>> merged;
    for (auto run = checkpointing_.begin(); run != checkpointing_.end();) {
      const SeriesKey key{run->first.prefix, run->first.category};
      auto end = run;
      while (end != checkpointing_.end() && SeriesKey{end->first.prefix, end->first.category} == key) ++end;
      auto old = committed_.find(key);  // changes on this thread only: no lock to read it
      merged.emplace_back(key, Merge(old == committed_.end() ? nullptr : old->second.get(), run, end));
      run = end;
    }
    checkpointing_.clear();
    std::vector<std::shared_ptr<const Series>> replaced;  // freed after the lock
    replaced.reserve(merged.size());
    std::unique_lock lock(mu_);
    for (auto& [key, series] : merged) {
      auto at = committed_.find(key);
      if (at != committed_.end()) {
        replaced.push_back(std::move(at->second));
        if (series->empty()) {
          committed_.erase(at);
        } else {
          at->second = std::move(series);
        }
      } else if (!series->empty()) {
        committed_.emplace(key, std::move(series));
      }
    }
  }
  void Abandon() override {
    pending_.clear();
    flushed_.clear();
    held_.clear();
    checkpointing_.clear();
  }

  // The sums of the deltas dated <= `date` for a prefix of 0, 2, 4 or 6 digits.
  Counts Query(std::string_view prefix, uint8_t category, int32_t date) const {
    Counts out{};
    std::shared_lock lock(mu_);
    auto p = committed_.find({PackPrefix(prefix), category});
    if (p == committed_.end()) return out;
    for (const auto& [d, counts] : *p->second) {
      if (d > date) break;
      Accumulate(counts, &out);
    }
    return out;
  }
  // The deltas dated exactly `date`.
  Counts At(std::string_view prefix, uint8_t category, int32_t date) const {
    std::shared_lock lock(mu_);
    auto p = committed_.find({PackPrefix(prefix), category});
    if (p == committed_.end()) return Counts{};
    const Counts* d = AtDate(*p->second, date);
    return d == nullptr ? Counts{} : *d;
  }
  // The regions one level below `prefix` (2 more digits) that have ever had a
  // delta, in code order; none below a county.
  std::vector<std::string> Subregions(std::string_view prefix) const {
    const Prefix parent = PackPrefix(prefix);
    const uint32_t child_len = static_cast<uint32_t>(prefix.size()) + 2;
    std::vector<std::string> out;
    std::shared_lock lock(mu_);
    // Prefixes sort by length, then by value: the children are one run.
    for (auto it = committed_.lower_bound({child_len << 24, 0});
         it != committed_.end() && (it->first.first >> 24) == child_len; ++it) {
      if ((it->first.first & 0xffffff) / 100 != (parent & 0xffffff)) continue;
      std::string child = UnpackPrefix(it->first.first);
      if (out.empty() || out.back() != child) out.push_back(std::move(child));
    }
    return out;
  }

 private:
  // A region prefix packed as (length << 24 | numeric value): cheap to compare.
  using Prefix = uint32_t;
  struct Key {
    Prefix prefix = 0;
    uint8_t category = 0;
    int32_t date = 0;
    auto operator<=>(const Key&) const = default;
  };
  using Deltas = std::map<Key, Counts>;
  // One (prefix, category)'s totals by date, in date order, none zero.
  using SeriesKey = std::pair<Prefix, uint8_t>;
  using Series = std::vector<std::pair<int32_t, Counts>>;

  static const Counts* AtDate(const Series& series, int32_t date) {
    auto at = std::lower_bound(series.begin(), series.end(), date,
                               [](const std::pair<int32_t, Counts>& e, int32_t d) { return e.first < d; });
    return at != series.end() && at->first == date ? &at->second : nullptr;
  }
  // `old` (may be null) with the deltas of [from, to) (one series, in date
  // order) added; dates whose totals become zero are left out.
  static std::shared_ptr<const Series> Merge(const Series* old, typename Deltas::const_iterator from,
                                             typename Deltas::const_iterator to) {
    auto out = std::make_shared<Series>();
    static const Series kNone;
    const Series& was = old != nullptr ? *old : kNone;
    out->reserve(was.size() + static_cast<size_t>(std::distance(from, to)));
    size_t o = 0;
    while (o < was.size() || from != to) {
      if (from == to || (o < was.size() && was[o].first < from->first.date)) {
        out->push_back(was[o++]);
        continue;
      }
      Counts c = from->second;
      if (o < was.size() && was[o].first == from->first.date) Accumulate(was[o++].second, &c);
      if (!Zero(c)) out->emplace_back(from->first.date, c);
      ++from;
    }
    return out;
  }

  static bool Zero(const Counts& c) {
    for (int64_t v : c) {
      if (v != 0) return false;
    }
    return true;
  }
  static void Accumulate(const Counts& from, Counts* to) {
    for (size_t i = 0; i < N; ++i) (*to)[i] += from[i];
  }
  static Prefix PackPrefix(std::string_view digits) {
    uint32_t value = 0;
    for (char ch : digits) value = value * 10 + static_cast<uint32_t>(ch - '0');
    return static_cast<uint32_t>(digits.size()) << 24 | value;
  }
  static std::string UnpackPrefix(Prefix p) {
    const size_t len = p >> 24;
    std::string digits(len, '0');
    uint32_t value = p & 0xffffff;
    for (size_t i = len; i > 0; --i, value /= 10) digits[i - 1] = static_cast<char>('0' + value % 10);
    return digits;
  }
  static std::string EncodeKey(const Key& k) {
    const std::string digits = UnpackPrefix(k.prefix);
    std::string out;
    out.push_back(static_cast<char>(digits.size()));
    out.append(digits);
    out.push_back(static_cast<char>(k.category));
    PutDate(&out, k.date);
    return out;
  }
  static bool DecodeKey(std::string_view k, Key* out) {
    if (k.empty() || k.size() != 1 + static_cast<size_t>(k[0]) + 1 + 4) return false;
    const size_t n = static_cast<size_t>(k[0]);
    if (n > 6) return false;
    out->prefix = PackPrefix(k.substr(1, n));
    out->category = static_cast<uint8_t>(k[1 + n]);
    out->date = static_cast<int32_t>(DecodeU32(k.substr(2 + n)));
    return true;
  }

  const Cf cf_;
  mutable std::shared_mutex mu_;
  std::map<SeriesKey, std::shared_ptr<const Series>> committed_;  // the last checkpoint's
  // The writer's thread only, each stage newer than the next:
  Deltas pending_;              // this batch
  std::deque<Deltas> flushed_;  // staged batches, not yet committed
  Deltas held_;                 // committed, not yet in a checkpoint
  Deltas checkpointing_;        // in the checkpoint being written
};

}  // namespace safetynet
