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

#include "events/codec_util.h"
#include "events/date.h"
#include "projections/claims/claim_state.h"
#include "projections/core/projection_set.h"
#include "projections/core/record.h"
#include "projections/coverage/person_projection.h"
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
      const int32_t last = LastDayOfMonth(month);
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
      const int32_t last = LastDayOfMonth(month);
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

// The monthly report's claim figures by definition (docs/reports.md): a walk
// over the month's claims through `claims_by_month`, as JSON with the
// report's names.
inline nlohmann::json WalkMonthClaims(const Store& store, std::string_view region, int32_t month) {
  int64_t claims = 0, person_times = 0, total = 0, in_policy = 0, ooc = 0, one_stop = 0;
  std::array<int64_t, kTierCount> paid{};
  std::set<std::string> inpatients;
  std::string prefix;
  PutU32(&prefix, static_cast<uint32_t>(month));
  prefix += region;
  auto it = store.NewIterator(Cf::kClaimsByMonth);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ClaimState c;
    PersonState person;
    bool found = false;
    EXPECT_TRUE(LoadIfPresent(store, Cf::kClaims, it->key().substr(10), &c, &found).ok());
    if (!found || !c.live) continue;
    EXPECT_TRUE(LoadIfPresent(store, Cf::kPersons, PersonKey(c.person), &person, &found).ok());
    if (!found || !person.PoorOn(c.discharged_on)) continue;
    ++claims;
    if (c.visit == fb::Visit::INPATIENT) ++person_times, inpatients.insert(c.person);
    total += c.total, in_policy += c.in_policy, ooc += c.out_of_catalog;
    for (size_t t = 0; t < kTierCount; ++t) paid[t] += c.net[t];
    one_stop += c.one_stop ? 1 : 0;
  }
  return {{"claims", claims},
          {"inpatient_person_times", person_times},
          {"inpatient_persons", inpatients.size()},
          {"total", total},
          {"in_policy", in_policy},
          {"out_of_catalog", ooc},
          {"one_stop_settlements", one_stop},
          {"paid", paid}};
}

// Subsidised persons and amount of the month by definition: the latest
// payment per person and year paid in the month with a subsidy, under the
// person's region.
inline nlohmann::json WalkMonthSubsidies(const Store& store, std::string_view region, int32_t month) {
  int64_t persons = 0, amount = 0;
  std::string month_prefix;
  PutU32(&month_prefix, static_cast<uint32_t>(month));
  auto it = store.NewIterator(Cf::kContributionsByMonth);
  for (it->Seek(month_prefix); it->Valid() && it->key().starts_with(month_prefix); it->Next()) {
    const std::string_view key = it->key().substr(month_prefix.size());  // person || year
    std::string v;
    if (!store.Get(Cf::kContributions, key, &v).ok()) continue;
    ByteReader r(v);
    r.Signed();  // occurred_on
    r.Signed();  // personal_due
    const int64_t subsidy = r.Signed();
    PersonState person;
    bool found = false;
    EXPECT_TRUE(LoadIfPresent(store, Cf::kPersons, key.substr(0, 32), &person, &found).ok());
    if (subsidy <= 0 || !found || person.region.empty() || !person.region.starts_with(region)) continue;
    ++persons;
    amount += subsidy;
  }
  return {persons, amount};
}

// The same figures from the monthly report (its `paid` from the kept sums).
inline nlohmann::json ReportMonthClaims(const ProjectionSet& set, std::string_view region, int32_t month) {
  const ClaimMonths::Sums m = set.claim_months().Month(region, month);
  return {{"claims", m.claims},
          {"inpatient_person_times", m.inpatient_person_times},
          {"inpatient_persons", m.inpatient_persons},
          {"total", m.total},
          {"in_policy", m.in_policy},
          {"out_of_catalog", m.out_of_catalog},
          {"one_stop_settlements", m.one_stop},
          {"paid", m.paid}};
}

inline nlohmann::json ReportMonthSubsidies(const ProjectionSet& set, std::string_view region, int32_t month) {
  const auto n = set.subsidies().At(region, 0, month);
  return {n[0], n[1]};
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
