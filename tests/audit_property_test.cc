// Property: whatever order Kafka delivers a claim's settlement and payments
// in (they travel on different topics), as long as no topic lags the others
// by as much as the settlement window, the ledger ends with the same open
// findings and the same monthly reports, and the same findings have opened
// at some point (so the same rectification items exist): a claim paid within
// its window opens nothing in any such order. Random scenarios from printed
// seeds; projections run over an in-memory store, no broker.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "events/codec.h"
#include "events/date.h"
#include "projections/core/projection_set.h"
#include "projections/read/monthly_report.h"
#include "projections/read/rectification_queries.h"
#include "tests/answers_json.h"
#include "tests/mem_store.h"

namespace safetynet {
namespace {

using namespace safetynet::testing_answers;

using nlohmann::json;

struct Msg {
  std::string json;
  TopicKind topic;
};

json Ev(const std::string& id, int on, const std::string& person, const std::string& type, json payload) {
  json e = {{"event_id", id}, {"occurred_on", on}, {"source", "prop"}, {"region", "230102"}};
  if (!person.empty()) e["person_id"] = person;
  e["payload_type"] = type;
  e["payload"] = std::move(payload);
  return e;
}

int OccurredOn(const Msg& m) { return json::parse(m.json)["occurred_on"].get<int>(); }

// A scenario: fixed preamble, then per claim its settlement and payment events.
struct Scenario {
  std::vector<Msg> preamble;
  std::vector<std::vector<Msg>> claims;  // [0] is the settlement, the rest payments in order
};

Scenario MakeScenario(uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto below = [&](uint64_t n) { return static_cast<int64_t>(rng() % n); };
  Scenario s;
  s.preamble.push_back({Ev("pol", 20200101, "", "PolicyPublished",
                           {{"policy_id", "P"},
                            {"year", 2020},
                            {"effective_from", 20200101},
                            {"max_total_reimbursement_bp", 9500},
                            {"assistance_annual_limit", 300000},
                            {"critical_ordinary_deductible", 50000}})
                            .dump(),
                        TopicKind::kPolicy});
  const int persons = 4;
  for (int p = 0; p < persons; ++p) {
    const std::string person = "23010219800101000" + std::to_string(p);
    const bool poor = p != persons - 1;  // the last person is never poor (C9)
    if (poor) {
      s.preamble.push_back({Ev("g" + std::to_string(p), 20200101, person, "IdentityGranted",
                               {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}})
                                .dump(),
                            TopicKind::kRoster});
    }
  }
  int id = 0;
  for (int c = 0; c < 12; ++c) {
    const std::string person = "23010219800101000" + std::to_string(below(persons));
    const std::string claim_id = "PC" + std::to_string(c);
    const int discharged = 20200100 + 100 * static_cast<int>(below(3) + 1) + 10 + static_cast<int>(below(15));
    const int64_t total = 10000 + below(200000);
    const int64_t ooc = below(total / 5);
    std::vector<Msg> msgs;
    msgs.push_back({Ev("e" + std::to_string(id++), discharged, person, "ClaimSettled",
                       {{"claim_id", claim_id},
                        {"visit", below(4) == 0 ? "OUTPATIENT" : "INPATIENT"},
                        {"hospital_id", "H" + std::to_string(below(2))},
                        {"county_internal", below(3) != 0},
                        {"admitted_on", discharged},
                        {"discharged_on", discharged},
                        {"total", total},
                        {"out_of_catalog", ooc},
                        {"in_policy", total - ooc}})
                        .dump(),
                    TopicKind::kClaims});
    const char* tiers[] = {"BASIC_RESIDENT", "CRITICAL_ILLNESS", "MEDICAL_ASSISTANCE"};
    const int payments = 1 + static_cast<int>(below(4));
    for (int k = 0; k < payments; ++k) {
      const char* tier = tiers[below(3)];
      const int64_t amount = below(total * 2 / payments + 1);
      const bool reverse = below(5) == 0;
      msgs.push_back({Ev("e" + std::to_string(id++), discharged + 1, person,
                         reverse ? "ReimbursementReversed" : "ReimbursementPaid",
                         reverse ? json{{"claim_id", claim_id}, {"tier", tier}, {"amount", amount / 3}}
                                 : json{{"claim_id", claim_id},
                                        {"tier", tier},
                                        {"amount", amount},
                                        {"deductible_applied", below(100000)},
                                        {"one_stop", below(2) == 0}})
                          .dump(),
                      TopicKind::kReimbursements});
    }
    if (below(4) == 0) {
      msgs.push_back({Ev("e" + std::to_string(id++), discharged + 2, person, "ClaimReversed",
                         {{"claim_id", claim_id}, {"reason", "r"}})
                          .dump(),
                      TopicKind::kClaims});
    }
    s.claims.push_back(std::move(msgs));
  }
  // Upstream systems publish in business-date order: each person's stream on
  // a topic is (about) date-ordered, which Deliver's lag bound relies on.
  std::stable_sort(s.claims.begin(), s.claims.end(),
                   [](const auto& a, const auto& b) { return OccurredOn(a.front()) < OccurredOn(b.front()); });
  return s;
}

// Days after the oldest undelivered message's date that a delivered message
// may be dated: well inside the 30-day settlement window.
constexpr int kLagDays = 20;

// A day after every claim's window: the scenario ends with it, so that every
// window has passed.
Msg Tick() {
  return {Ev("tick", 20200901, "", "RectificationProgressed", {{"item_id", "tick"}, {"note", "time passes"}}).dump(),
          TopicKind::kRectification};
}

// One delivery order Kafka could produce: messages are keyed by person, so
// each (person, topic) stream keeps its order; streams interleave at random
// (claims and payments travel on different topics), none running more than
// kLagDays ahead of the oldest message not yet delivered.
std::vector<Msg> Deliver(const Scenario& s, std::mt19937_64& rng) {
  std::map<std::pair<std::string, TopicKind>, std::vector<Msg>> streams;
  for (const auto& claim : s.claims) {
    for (const auto& m : claim) {
      streams[{json::parse(m.json)["person_id"].get<std::string>(), m.topic}].push_back(m);
    }
  }
  std::vector<std::vector<Msg>> queues;
  for (auto& [key, q] : streams) queues.push_back(std::move(q));
  std::vector<Msg> out = s.preamble;
  std::vector<size_t> next(queues.size(), 0);
  size_t left = 0;
  for (const auto& q : queues) left += q.size();
  std::vector<std::vector<int>> dates(queues.size());
  for (size_t i = 0; i < queues.size(); ++i) {
    for (const Msg& m : queues[i]) dates[i].push_back(OccurredOn(m));
  }
  while (left > 0) {
    int oldest = 99991231;
    for (size_t i = 0; i < queues.size(); ++i) {
      if (next[i] < queues[i].size()) oldest = std::min(oldest, dates[i][next[i]]);
    }
    const size_t i = rng() % queues.size();
    if (next[i] == queues[i].size() || dates[i][next[i]] > AddDays(oldest, kLagDays)) continue;
    out.push_back(queues[i][next[i]++]);
    --left;
  }
  out.push_back(Tick());
  return out;
}

struct Outcome {
  json open_findings = json::object();
  json reports = json::array();          // without the rectification items (see below)
  json unsettled_items = json::array();  // automatic items open or overdue on the ledger's date
  json items = json::array();            // every item's id
  std::vector<std::string> changes;      // every opening and clearing: check, subject, kind (sorted)
};

Outcome Fold(const std::vector<Msg>& msgs) {
  test::MemStore store;
  auto set = ProjectionSet::Open(store);
  EXPECT_TRUE(set.ok());
  PersonHasher hasher(std::string(32, 'h'));
  EventCodec codec(&hasher);
  BatchPipeline pipeline(store, {.sync = false, .checkpoint_interval = std::chrono::milliseconds(0)}, {set->get()});
  uint64_t seq = 0;
  std::vector<std::string> stored(msgs.size());
  for (size_t i = 0; i < msgs.size(); ++i) {
    EXPECT_TRUE(codec.DecodeInbound(msgs[i].json, msgs[i].topic, &stored[i]).ok()) << msgs[i].json;
    (*set)->Apply(++seq, stored[i], pipeline.staged());
  }
  (*set)->FinishBatch(pipeline.staged());
  EXPECT_TRUE(pipeline.Submit().ok());
  EXPECT_TRUE(pipeline.Checkpoint().ok());
  Outcome o;
  auto it = store.NewIterator(Cf::kFindings);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    FindingState f;
    EXPECT_TRUE(FindingState::Decode(it->value(), &f));
    if (!f.open) continue;
    o.open_findings[CheckName(static_cast<Check>(it->key()[0])) + " " + std::string(it->key().substr(1))] =
        json{f.measured, f.threshold, f.region};
  }
  for (const char* region : {"23", "230102"}) {
    for (int month : {202002, 202003, 202004}) {
      auto r = MonthlyReportJson(**set, region, std::to_string(month));
      EXPECT_TRUE(r.ok());
      json report = json::parse(r->dump());
      // A finding that opens as a window passes is dated by the event that
      // moved the ledger's date past it, which depends on the order: the
      // month an item counts in may too (the items themselves do not).
      // So in the rows below too, and in the year to date.
      const auto without_items = [](json& row) {
        EXPECT_TRUE(row.contains("rectification_items"));
        row.erase("rectification_items");
        row["year_to_date"].erase("rectification_items");
      };
      without_items(report);
      for (json& sub : report["subregions"]) without_items(sub);
      o.reports.push_back(std::move(report));
    }
  }
  // What does not depend on the order: the items still to be rectified are
  // exactly the open findings.
  auto items = RectificationsJson(store, **set, "", "", "", "", Page{1000, ""});
  EXPECT_TRUE(items.ok());
  for (const auto& item : (*items)["items"]) {
    if (item["status"] == "open" || item["status"] == "overdue")
      o.unsettled_items.push_back(item["item_id"].get<std::string>());
    // (Their statuses depend on the order through their deadlines, which
    // follow the opening date: see the reports above.)
    o.items.push_back(item["item_id"].get<std::string>());
  }
  auto ci = store.NewIterator(Cf::kFindingChanges);
  for (ci->SeekToFirst(); ci->Valid(); ci->Next()) {
    FindingChange c;
    EXPECT_TRUE(FindingChange::Decode(ci->value(), &c));
    o.changes.push_back(CheckName(c.check) + " " + c.subject + (c.opened ? " opened" : " cleared"));
  }
  std::sort(o.changes.begin(), o.changes.end());
  return o;
}

TEST(AuditProperty, DeliveryOrderDoesNotChangeFindingsOrReports) {
  size_t items_checked = 0;
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Scenario s = MakeScenario(seed);
    std::vector<Msg> in_order = s.preamble;
    for (const auto& c : s.claims) in_order.insert(in_order.end(), c.begin(), c.end());
    in_order.push_back(Tick());
    const Outcome expected = Fold(in_order);
    ASSERT_EQ(expected.unsettled_items.size(), expected.open_findings.size());
    items_checked += expected.unsettled_items.size();
    std::mt19937_64 rng(seed * 7919);
    for (int shuffle = 0; shuffle < 4; ++shuffle) {
      const Outcome got = Fold(Deliver(s, rng));
      ASSERT_EQ(got.open_findings, expected.open_findings) << "shuffle " << shuffle;
      ASSERT_EQ(got.reports, expected.reports) << "shuffle " << shuffle;
      ASSERT_EQ(got.unsettled_items, expected.unsettled_items) << "shuffle " << shuffle;
      ASSERT_EQ(got.items, expected.items) << "shuffle " << shuffle;
      ASSERT_EQ(got.changes, expected.changes) << "shuffle " << shuffle;
    }
  }
  EXPECT_GT(items_checked, 0u);  // the scenarios do open findings
}

}  // namespace
}  // namespace safetynet
