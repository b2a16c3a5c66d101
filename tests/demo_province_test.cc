// The demo's province (ops/demo.sh: seed 7, 20,000 persons, 24 months) fed
// through the ingest path (decode, validate, deduplicate, append, fold) in
// two delivery orders Kafka could produce — the events day by day, with the
// streams of one day (one key on one topic, each kept in its order)
// interleaved differently — must give the same findings and the same
// rectification counts, and automatic items must be a small share of what
// happens: before the settlement window, 283,747 finding changes and 141,195
// automatic items, almost all opened and cleared by delivery order alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "daemon/ingest.h"
#include "events/date.h"
#include "projections/read/audit_queries.h"
#include "projections/read/monthly_report.h"
#include "projections/read/rectification_queries.h"
#include "projections/rectification/rectification_item.h"
#include "tests/answers_json.h"
#include "tests/prefix_counts.h"
#include "tools/generate/generate.h"

namespace safetynet {
namespace {

using namespace safetynet::testing_answers;

using nlohmann::json;

struct Msg {
  std::string topic, key, value;
  int date = 0;  // occurred_on (a malformed line takes its predecessor's)
};

std::vector<Msg> DemoProvince() {
  gen::GenerateOptions opts;
  opts.seed = 7;
  opts.persons = 20000;
  opts.months = 24;
  std::ostringstream out;
  gen::GenerateProvince(opts, out);
  const TopicNames topics;
  std::vector<Msg> msgs;
  std::istringstream in(out.str());
  int date = 0;
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line, nullptr, false);
    Msg m;
    if (j.is_object() && j.contains("payload_type")) {
      const auto type = j["payload_type"].get<std::string>();
      for (size_t t = 1; t <= static_cast<size_t>(fb::Payload::MAX); ++t) {
        if (type == fb::EnumNamesPayload()[t]) m.topic = topics.NameOf(TopicOfPayload(static_cast<fb::Payload>(t)));
      }
      if (j.contains("person_id") && j["person_id"].is_string()) m.key = j["person_id"];
      if (j.contains("occurred_on") && j["occurred_on"].is_number_integer()) date = j["occurred_on"];
      m.value = line;
    } else {
      m.topic = j["topic"];
      m.key = j["key"];
      m.value = j["value"];
    }
    if (m.topic.empty()) m.topic = topics.roster;  // an unknown payload type: rejected on any topic
    m.date = date;
    msgs.push_back(std::move(m));
  }
  return msgs;
}

// Day by day; within a day the streams (topic, key) interleave at random
// (seed 0: as the file has them), each keeping its order.
std::vector<Msg> DeliverByDay(std::vector<Msg> msgs, uint64_t seed) {
  std::stable_sort(msgs.begin(), msgs.end(), [](const Msg& a, const Msg& b) { return a.date < b.date; });
  if (seed == 0) return msgs;
  std::mt19937_64 rng(seed);
  std::vector<Msg> out;
  out.reserve(msgs.size());
  for (size_t begin = 0; begin < msgs.size();) {
    size_t end = begin;
    std::map<std::pair<std::string, std::string>, std::vector<size_t>> streams;
    while (end < msgs.size() && msgs[end].date == msgs[begin].date) {
      streams[{msgs[end].topic, msgs[end].key}].push_back(end);
      ++end;
    }
    std::vector<std::pair<std::vector<size_t>*, size_t>> queues;
    for (auto& [k, q] : streams) queues.push_back({&q, 0});
    for (size_t left = end - begin; left > 0; --left) {
      size_t i = rng() % queues.size();
      while (queues[i].second == queues[i].first->size()) i = (i + 1) % queues.size();
      out.push_back(std::move(msgs[(*queues[i].first)[queues[i].second++]]));
    }
    begin = end;
  }
  return out;
}

struct Outcome {
  json findings;                           // counts per check, all and open
  json changes;                            // openings and clearings per check
  json items;                              // rectification counts per month end, and the monthly reports' item counts
  std::map<std::string, int> per_finding;  // openings and clearings of every finding (to tell which differ)
  int64_t automatic = 0;
  int64_t self_rectified = 0;  // automatic items rectified by their own finding, no inspector step
  uint64_t events = 0;
};

Outcome Ingest(const std::vector<Msg>& msgs, const std::string& dir) {
  std::filesystem::create_directories(dir);
  auto store = OpenRocksStore(dir);
  EXPECT_TRUE(store.ok());
  auto writer = LedgerWriter::Open(**store, Sealer(std::string(32, 'd')));
  EXPECT_TRUE(writer.ok());
  EXPECT_TRUE((*writer)->AdoptBroker(**store, {.embedded = true}).ok());
  auto set = ProjectionSet::Open(**store);
  EXPECT_TRUE(set.ok());
  PersonHasher hasher(std::string(32, 'p'));
  const TopicNames topics;
  Metrics metrics;
  {
    Ingestor ingestor(**store, **writer, **set, hasher, topics, metrics, PipelineOptions{.sync = false},
                      /*future_margin_days=*/1);
    std::map<std::pair<std::string, int32_t>, int64_t> next_offset;
    std::vector<KafkaMessage> batch;
    for (size_t i = 0; i < msgs.size(); ++i) {
      const Msg& m = msgs[i];
      const auto partition = static_cast<int32_t>(std::hash<std::string>()(m.key) % 4);
      batch.push_back({m.topic, partition, next_offset[{m.topic, partition}]++, m.key, m.value});
      if (batch.size() == 20000 || i + 1 == msgs.size()) {
        EXPECT_TRUE(ingestor.Process(batch).ok());
        batch.clear();
      }
    }
    EXPECT_TRUE(ingestor.Checkpoint().ok());
    EXPECT_EQ((*set)->applied_seq(), (*writer)->head().seq);  // the last checkpoint has landed
  }
  Outcome o;
  o.events = (*writer)->head().seq;
  const Store& s = **store;
  const ProjectionSet& p = **set;
  {
    // The counts kept as the ledger went are what the stored findings and items say.
    const test::Walked walked = test::Walk(s);
    std::vector<int32_t> months;
    for (int32_t m = 201901; m <= 202103; m = NextMonth(m)) months.push_back(m);
    const std::set<std::string> prefixes = {"", "23", "2301", "230102"};
    EXPECT_EQ(test::FromCounts(p, prefixes, months), test::FromWalk(walked, prefixes, months));
    for (const std::string& region : prefixes) {
      for (int32_t m : months) {
        EXPECT_EQ(test::ReportMonthClaims(p, region, m), test::WalkMonthClaims(s, region, m));
        EXPECT_EQ(test::ReportMonthSubsidies(p, region, m), test::WalkMonthSubsidies(s, region, m));
      }
    }
  }
  o.findings = {{"all", (*FindingsJson(s, p, "", "", "", Page{1, ""}))["counts"]},
                {"open", (*FindingsJson(s, p, "", "", "open", Page{1, ""}))["counts"]}};
  o.changes = json::object();
  auto it = s.NewIterator(Cf::kFindingChanges);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    FindingChange c;
    EXPECT_TRUE(FindingChange::Decode(it->value(), &c));
    ++o.per_finding[CheckName(c.check) + " " + c.subject];
    auto& n = o.changes[CheckName(c.check) + (c.opened ? " opened" : " cleared")];
    n = n.is_null() ? 1 : n.get<int>() + 1;
  }
  o.items = json::object();
  for (int month = 201901; month <= 202103; month = NextMonth(month)) {
    const int last_day = LastDayOfMonth(month);
    o.items[std::to_string(month)] = {
        (*RectificationsJson(s, p, "23", "", "", std::to_string(last_day), Page{1, ""}))["counts"],
        (*MonthlyReportJson(p, "23", std::to_string(month)))["rectification_items"]};
  }
  auto items = s.NewIterator(Cf::kRectifications);
  for (items->SeekToFirst(); items->Valid(); items->Next()) {
    RectificationItem item;
    EXPECT_TRUE(RectificationItem::Decode(items->value(), &item));
    if (!item.automatic) continue;
    ++o.automatic;
    o.self_rectified += !item.manual && item.StatusOn(p.ledger_date()) == ItemStatus::kRectified ? 1 : 0;
  }
  return o;
}

TEST(DemoProvince, DeliveryOrderChangesNoFindingOrItemAndAutomaticItemsAreFew) {
  const std::vector<Msg> msgs = DemoProvince();
  const std::string dir = std::filesystem::temp_directory_path() / ("safetynet-demo-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  const Outcome file_order = Ingest(DeliverByDay(msgs, 0), dir + "/a");
  const Outcome shuffled = Ingest(DeliverByDay(msgs, 42), dir + "/b");
  std::filesystem::remove_all(dir);

  std::printf(
      "demo province: %llu events, %lld automatic items (%.2f%% of events), %lld of them rectified by "
      "their own finding; finding changes %s\n",
      static_cast<unsigned long long>(file_order.events), static_cast<long long>(file_order.automatic),
      100.0 * static_cast<double>(file_order.automatic) / static_cast<double>(file_order.events),
      static_cast<long long>(file_order.self_rectified), file_order.changes.dump().c_str());
  ASSERT_GT(file_order.events, 580000u);
  EXPECT_EQ(shuffled.events, file_order.events);
  EXPECT_EQ(shuffled.findings, file_order.findings);
  EXPECT_EQ(shuffled.changes, file_order.changes);
  std::vector<std::pair<std::string, int>> differ;
  std::set_symmetric_difference(shuffled.per_finding.begin(), shuffled.per_finding.end(),
                                file_order.per_finding.begin(), file_order.per_finding.end(),
                                std::back_inserter(differ));
  EXPECT_TRUE(differ.empty()) << "findings that changed differently: " << json(differ).dump();
  EXPECT_EQ(shuffled.items, file_order.items);
  EXPECT_EQ(shuffled.automatic, file_order.automatic);
  // Automatic items: a small share of what happens (141,195 of 588,487 events, 24%, before the window).
  EXPECT_GT(file_order.automatic, 0);
  EXPECT_LT(file_order.automatic * 100, static_cast<int64_t>(file_order.events) * 2);
  EXPECT_LT(file_order.self_rectified * 100, static_cast<int64_t>(file_order.events));
}

}  // namespace
}  // namespace safetynet
