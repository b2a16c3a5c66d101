// The audit scenarios' fixture: a live ledger fed one event at a time (each
// waits until ingested, so ledger order is the order of the calls), with
// helpers that build the contract's events and read findings back.
#pragma once

#include <gtest/gtest.h>

#include "events/date.h"
#include "tests/harness.h"

namespace safetynet::test {

inline const std::string kX = "230102198505050011";  // REGISTERED_POOR from 20200101
inline const std::string kY = "230102198505050022";  // LOW_INCOME in 2019 only, then briefly in 2020

inline Json Segs(std::initializer_list<std::pair<int64_t, int>> s) {
  Json out = Json::array();
  for (auto [from, bp] : s) out.push_back({{"from", from}, {"ratio_bp", bp}});
  return out;
}

inline Json PolicyEvent(const std::string& event_id, const std::string& policy_id, const std::string& region,
                        Json fields) {
  Json p = {{"policy_id", policy_id}, {"year", 2020}, {"effective_from", 20200101}, {"effective_to", 20201231}};
  p.update(fields);
  return Event(event_id, 20200101, region, "", "PolicyPublished", p);
}

inline Json Claim(const std::string& id, const std::string& person, const std::string& claim_id, int discharged,
                  int64_t total, int64_t ooc, int64_t in_policy) {
  return Event(id, discharged, "230102", person, "ClaimSettled",
               {{"claim_id", claim_id},
                {"visit", "INPATIENT"},
                {"hospital_id", "H230102001"},
                {"county_internal", true},
                {"admitted_on", discharged},
                {"discharged_on", discharged},
                {"total", total},
                {"out_of_catalog", ooc},
                {"in_policy", in_policy}});
}

inline Json Pay(const std::string& id, const std::string& person, const std::string& claim_id, const char* tier,
                int64_t amount, int64_t deductible = 0) {
  return Event(id, 20200320, "230102", person, "ReimbursementPaid",
               {{"claim_id", claim_id},
                {"tier", tier},
                {"amount", amount},
                {"deductible_applied", deductible},
                {"one_stop", true}});
}

inline Json Unpay(const std::string& id, const std::string& person, const std::string& claim_id, const char* tier,
                  int64_t amount) {
  return Event(id, 20200325, "230102", person, "ReimbursementReversed",
               {{"claim_id", claim_id}, {"tier", tier}, {"amount", amount}, {"reason", "correction"}});
}

inline Json Roster(const std::string& id, int occurred_on, int period, const char* kind) {
  return Event(id, occurred_on, "230102", "", "RosterDelivered",
               {{"period", period}, {"kind", kind}, {"row_count", 10}});
}

// Findings are judged on complete days (projections/findings/findings.h): a change
// seen during a day takes effect with the first event of a later day, which
// EndDay() sends. The settlement window is 0 days here (the windows
// themselves are the subject of settlement_window_scenario_test.cc).
class AuditScenario : public LiveLedgerTest {
 protected:
  std::string ConfigToml() const override { return "[findings]\nsettlement_window_days = 0\n"; }
  // An event of no one (a step of an item that does not exist) that moves
  // the ledger's date to `date`; its event_id is "tick-" + date.
  void Tick(int date) {
    Step(Event("tick-" + std::to_string(date), date, "230102", "", "RectificationProgressed",
               {{"item_id", "tick"}, {"note", "time passes"}}));
  }
  // Ends the ledger's current day (a tick the day after the latest date
  // sent); returns the tick's seq.
  uint64_t EndDay() {
    const int date = NextDay(latest_);
    Tick(date);
    return SeqOf("tick-" + std::to_string(date));
  }
  int latest() const { return latest_; }
  // Sends one event and waits until the ledger has it (so ledger order = call order).
  void Step(const Json& event) {
    latest_ = std::max(latest_, event["occurred_on"].get<int>());
    producer_->SendEvent(event);
    producer_->Flush();
    ++sent_;
    ASSERT_TRUE(WaitUntil([&] { return Appended(daemon_->http_port()) == sent_; })) << event.dump();
  }
  // The finding (check, subject), or null when the ledger has none.
  Json Finding(const std::string& check, const std::string& subject) {
    const Json j = HttpGet(daemon_->http_port(), "/v1/findings?check=" + check + "&limit=1000").json();
    for (const auto& f : j["findings"]) {
      if (f["subject"] == subject) return f;
    }
    return nullptr;
  }
  std::string Status(const std::string& check, const std::string& subject) {
    const Json f = Finding(check, subject);
    return f.is_null() ? "none" : f["status"].get<std::string>();
  }
  uint64_t SeqOf(const std::string& event_id) {
    const Json j = HttpGet(daemon_->http_port(), "/v1/events?limit=1000").json();
    for (const auto& e : j["events"]) {
      if (e["event_id"] == event_id) return e["seq"];
    }
    return 0;
  }

  double sent_ = 0;
  int latest_ = 0;
};

}  // namespace safetynet::test
