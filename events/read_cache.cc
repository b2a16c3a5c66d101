#include "events/read_cache.h"

namespace safetynet {

bool ReadCache::Cached(Cf cf) {
  switch (cf) {
    case Cf::kPersons:
    case Cf::kClaims:
    case Cf::kPersonClaims:
    case Cf::kAssistanceYears:
    case Cf::kFindings:
    case Cf::kRectifications:
    case Cf::kContributions:
    case Cf::kHospitalMonths: return true;
    default: return false;
  }
}

void ReadCache::Reserve(Generations& g, size_t bytes) {
  if (g.current_bytes + bytes <= generation_bytes_ || g.current.empty()) return;
  g.old = std::move(g.current);
  g.current = Map();
  g.current_bytes = 0;
}

void ReadCache::Insert(Generations& g, std::string key, std::optional<std::string> value) {
  if (auto it = g.current.find(key); it != g.current.end()) {
    g.current_bytes = g.current_bytes - Cost(it->first, it->second) + Cost(it->first, value);
    it->second = std::move(value);
    return;
  }
  const size_t cost = Cost(key, value);
  Reserve(g, cost);
  if (auto it = g.old.find(key); it != g.old.end()) g.old.erase(it);
  g.current_bytes += cost;
  g.current.emplace(std::move(key), std::move(value));
}

bool ReadCache::Lookup(Cf cf, std::string_view key, std::optional<std::string>* value) {
  if (!Cached(cf)) return false;
  Generations& g = cfs_[static_cast<size_t>(cf)];
  if (auto it = g.current.find(key); it != g.current.end()) {
    *value = it->second;
    return true;
  }
  auto it = g.old.find(key);
  if (it == g.old.end()) return false;
  *value = it->second;
  auto node = g.old.extract(it);  // back into the current generation
  const size_t cost = Cost(node.key(), node.mapped());
  Reserve(g, cost);
  g.current_bytes += cost;
  g.current.insert(std::move(node));
  return true;
}

void ReadCache::Remember(Cf cf, std::string_view key, std::optional<std::string> value) {
  if (Cached(cf)) Insert(cfs_[static_cast<size_t>(cf)], std::string(key), std::move(value));
}

void ReadCache::Absorb(Txn& txn) {
  for (size_t i = 0; i < kCfCount; ++i) {
    const Cf cf = static_cast<Cf>(i);
    if (!Cached(cf)) continue;
    txn.mutable_pending(cf).Drain(
        [&](std::string&& key, PendingWrites::Value&& value) { Insert(cfs_[i], std::move(key), std::move(value)); });
  }
}

void ReadCache::Clear() {
  for (Generations& g : cfs_) g = Generations();
}

}  // namespace safetynet
