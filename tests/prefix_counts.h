// Test helpers: the incrementally kept counts (findings per check and
// status, rectification items per status and lateness on a date, their
// monthly figures) next to the same figures by definition, from a walk over
// the stored findings and items.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "events/date.h"
#include "projections/core/projection_set.h"
#include "projections/findings/finding_counts.h"
#include "projections/rectification/rectification_counts.h"
#include "projections/rectification/rectification_item.h"

namespace safetynet::test {

struct Walked {
  std::map<std::pair<std::string, int>, FindingCounts::Counts> findings;  // (prefix, check)
  std::vector<std::pair<std::string, RectificationItem>> items;           // (region, item)
};

inline std::vector<std::string> Prefixes(std::string_view region) {
  std::vector<std::string> out;
  for (size_t len : {0, 2, 4, 6}) {
    if (len <= region.size()) out.emplace_back(region.substr(0, len));
  }
  return out;
}

inline Walked Walk(const Store& store) {
  Walked w;
  auto it = store.NewIterator(Cf::kFindings);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    FindingState f;
    EXPECT_TRUE(FindingState::Decode(it->value(), &f));
    for (const std::string& p : Prefixes(f.region)) {
      auto& c = w.findings[{p, it->key()[0]}];
      ++(f.open ? c.open : c.cleared);
    }
  }
  auto items = store.NewIterator(Cf::kRectifications);
  for (items->SeekToFirst(); items->Valid(); items->Next()) {
    RectificationItem item;
    EXPECT_TRUE(RectificationItem::Decode(items->value(), &item));
    if (item.is_item()) w.items.emplace_back(item.region, std::move(item));
  }
  return w;
}

// Every figure the counts give, for the prefixes and dates given, as JSON.
inline nlohmann::json FromCounts(const ProjectionSet& set, const std::set<std::string>& prefixes,
                                 const std::vector<int32_t>& months) {
  nlohmann::json out;
  for (const std::string& p : prefixes) {
    for (int c = 1; c <= kCheckCount; ++c) {
      const auto n = set.finding_counts().Query(p, static_cast<Check>(c));
      out["findings"][p][CheckName(static_cast<Check>(c))] = {n.open, n.cleared};
    }
    for (int32_t month : months) {
      const int32_t last = month * 100 + DaysInMonth(month / 100, month % 100);
      const auto n = set.rectification_counts().Query(p, last);
      const auto m = set.rectification_counts().Month(p, month);
      out["items"][p][std::to_string(month)] = {n.open, n.overdue, n.rectified, n.closed,
                                                n.late, m.opened,  m.rectified, m.closed};
    }
  }
  return out;
}

// The same figures by definition (rectification_item.h, docs/reports.md).
inline nlohmann::json FromWalk(const Walked& w, const std::set<std::string>& prefixes,
                               const std::vector<int32_t>& months) {
  nlohmann::json out;
  for (const std::string& p : prefixes) {
    for (int c = 1; c <= kCheckCount; ++c) {
      auto it = w.findings.find({p, c});
      const FindingCounts::Counts n = it == w.findings.end() ? FindingCounts::Counts{} : it->second;
      out["findings"][p][CheckName(static_cast<Check>(c))] = {n.open, n.cleared};
    }
    for (int32_t month : months) {
      const int32_t last = month * 100 + DaysInMonth(month / 100, month % 100);
      int64_t by_status[5] = {}, late = 0, opened = 0, rectified = 0, closed = 0;
      for (const auto& [region, item] : w.items) {
        if (!region.starts_with(p)) continue;
        ++by_status[static_cast<int>(item.StatusOn(last))];
        late += item.LateOn(last) ? 1 : 0;
        opened += item.opened_on / 100 == month ? 1 : 0;
        bool r = false, v = false;
        for (const RectificationStep& s : item.steps) {
          if (s.occurred_on / 100 != month) continue;
          r |= s.kind == StepKind::kRectified || s.kind == StepKind::kFindingCleared;
          v |= s.kind == StepKind::kVerified;
        }
        rectified += r ? 1 : 0;
        closed += v ? 1 : 0;
      }
      out["items"][p][std::to_string(month)] = {by_status[1], by_status[2], by_status[3], by_status[4],
                                                late,         opened,       rectified,    closed};
    }
  }
  return out;
}

// Every prefix of every finding's and item's region.
inline std::set<std::string> AllPrefixes(const Walked& w) {
  std::set<std::string> prefixes;
  for (const auto& [key, counts] : w.findings) prefixes.insert(key.first);
  for (const auto& [region, item] : w.items) {
    for (const std::string& p : Prefixes(region)) prefixes.insert(p);
  }
  return prefixes;
}

}  // namespace safetynet::test
