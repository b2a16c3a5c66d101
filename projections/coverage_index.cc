#include "projections/coverage_index.h"

#include <cassert>
#include <mutex>

#include "events/codec_util.h"

namespace safetynet {

std::string CoverageIndex::EncodeKey(const Key& k) {
  const auto& [prefix, cat, date] = k;
  std::string out;
  out.push_back(static_cast<char>(prefix.size()));
  out.append(prefix);
  out.push_back(static_cast<char>(cat));
  PutDate(&out, date);
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
    const std::string prefix(k.substr(1, n));
    const auto cat = static_cast<uint8_t>(k[1 + n]);
    const auto date = static_cast<int32_t>(DecodeU32(k.substr(2 + n)));
    ByteReader r(it->value());
    CoverageCounts c{r.Signed(), r.Signed(), r.Signed()};
    if (!r.ok() || cat >= kCategoryCount) return Status::Corruption("coverage value");
    committed_[prefix][cat][date] = c;
  }
  return it->status();
}

void CoverageIndex::AddRun(std::string_view region, Category c, int32_t date, CoverageStatus s, int64_t delta) {
  if (s == CoverageStatus::kNone) return;
  CoverageCounts d;
  (s == CoverageStatus::kCovered ? d.covered : s == CoverageStatus::kExcluded ? d.excluded : d.gaps) = delta;
  for (size_t len : {size_t{0}, size_t{2}, size_t{4}, size_t{6}}) {
    if (len > region.size()) break;
    pending_[Key{std::string(region.substr(0, len)), static_cast<uint8_t>(c), date}] += d;
  }
}

void CoverageIndex::Replace(Category c, std::string_view old_region, const Timeline& old_t, std::string_view new_region,
                            const Timeline& new_t) {
  if (old_region == new_region && old_t == new_t) return;
  // A timeline adds +1 to its status where a run starts and -1 where it ends.
  auto add = [&](std::string_view region, const Timeline& t, int64_t sign) {
    for (size_t i = 0; i < t.size(); ++i) {
      AddRun(region, c, t[i].from, t[i].status, sign);
      if (i + 1 < t.size()) AddRun(region, c, t[i + 1].from, t[i].status, -sign);
    }
  };
  add(old_region, old_t, -1);
  add(new_region, new_t, +1);
}

void CoverageIndex::Flush(Txn& txn) {
  for (const auto& [key, delta] : pending_) {
    if (delta.zero()) continue;
    const auto& [prefix, cat, date] = key;
    CoverageCounts total = delta;
    if (auto p = committed_.find(prefix); p != committed_.end()) {
      if (auto d = p->second[cat].find(date); d != p->second[cat].end()) total += d->second;
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

void CoverageIndex::Committed() {
  std::unique_lock lock(mu_);
  assert(!flushed_.empty());
  for (const auto& [key, delta] : flushed_.front()) {
    if (delta.zero()) continue;
    const auto& [prefix, cat, date] = key;
    auto& dates = committed_[prefix][cat];
    CoverageCounts& c = dates[date];
    c += delta;
    if (c.zero()) dates.erase(date);
  }
  flushed_.pop_front();
}

CoverageCounts CoverageIndex::Query(std::string_view prefix, Category c, int32_t date) const {
  std::shared_lock lock(mu_);
  CoverageCounts out;
  auto p = committed_.find(prefix);
  if (p == committed_.end()) return out;
  for (const auto& [d, counts] : p->second[static_cast<size_t>(c)]) {
    if (d > date) break;
    out += counts;
  }
  return out;
}

}  // namespace safetynet
