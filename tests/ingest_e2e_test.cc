// End-to-end ingest through Kafka into the real daemon: duplicates, every kind
// of malformed input rejected with its reason while ingest goes on, payloads
// on the wrong topic, restarts after SIGTERM and SIGKILL with nothing lost or
// doubled, offset jumps reported, raw person IDs never on disk, and kcat.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "daemon/base64.h"
#include "events/codec.h"
#include "tests/harness.h"

namespace safetynet::test {
namespace {

constexpr const char* kRoster = "safetynet.roster";
constexpr const char* kClaims = "safetynet.claims";

Json Grant(const std::string& id, const std::string& person, int from) {
  return Event(id, from, "230102", person, "IdentityGranted",
               {{"identity", "REGISTERED_POOR"}, {"valid_from", from}, {"valid_to", 0}});
}

Json Claim(const std::string& id, const std::string& person, int64_t total, int64_t ooc, int64_t in_policy) {
  return Event(id, 20200310, "230102", person, "ClaimSettled",
               {{"claim_id", "C-" + id},
                {"visit", "INPATIENT"},
                {"hospital_id", "H230102001"},
                {"county_internal", true},
                {"admitted_on", 20200301},
                {"discharged_on", 20200310},
                {"total", total},
                {"out_of_catalog", ooc},
                {"in_policy", in_policy},
                {"diagnosis", "I63.9"}});
}

std::string Binary(const Json& event) {
  EventCodec codec;
  std::string bin;
  EXPECT_TRUE(codec.JsonToBinary(event.dump(), &bin).ok());
  return bin;
}

class IngestE2E : public LiveLedgerTest {
 protected:
  double M(const char* name) const { return Metric(port(), name); }
  // Waits until the daemon accounted for `n` messages in total.
  void WaitAccounted(double n) {
    ASSERT_TRUE(WaitUntil([&] { return Accounted(port()) >= n; }))
        << "appended " << M("safetynet_events_appended_total") << " duplicates "
        << M("safetynet_events_duplicate_total") << " rejected " << M("safetynet_events_rejected_total");
  }
  std::map<std::string, std::string> ReasonsByValue() {
    std::map<std::string, std::string> out;
    const Json j = HttpGet(port(), "/v1/deadletters?limit=1000").json();
    for (const auto& d : j["deadletters"]) out[d["value_base64"].get<std::string>()] = d["reason"];
    return out;
  }
};

TEST_F(IngestE2E, DuplicatesAreCountedAndConflictsDeadLettered) {
  const Json e = Grant("dup-1", "230102199001010011", 20200101);
  producer_->SendEvent(e);
  producer_->SendEvent(e);                                    // identical: duplicate
  producer_->Send(kRoster, "230102199001010011", Binary(e));  // same content, binary: duplicate
  Json changed = e;
  changed["payload"]["valid_from"] = 20200201;
  producer_->SendEvent(changed);  // same id, other content: dead letter
  producer_->Flush();
  WaitAccounted(4);
  EXPECT_EQ(M("safetynet_events_appended_total"), 1);
  EXPECT_EQ(M("safetynet_events_duplicate_total"), 2);
  EXPECT_EQ(M("safetynet_events_rejected_total"), 1);
  const auto reasons = ReasonsByValue();
  ASSERT_EQ(reasons.count(Base64Encode(changed.dump())), 1u);
  EXPECT_NE(reasons.at(Base64Encode(changed.dump())).find("event_id reused with different content"), std::string::npos);
}

TEST_F(IngestE2E, MalformedMessagesAreRejectedWithReasonsWhileIngestGoesOn) {
  const std::string person = "230102199001010022";
  Json missing_id = Grant("x", person, 20200101);
  missing_id.erase("event_id");
  Json missing_date = Grant("m-date", person, 20200101);
  missing_date.erase("occurred_on");
  Json missing_person = Grant("m-person", person, 20200101);
  missing_person.erase("person_id");
  Json unknown_field = Grant("m-field", person, 20200101);
  unknown_field["payload"]["colour"] = "red";
  Json unknown_enum = Grant("m-enum", person, 20200101);
  unknown_enum["payload"]["identity"] = "RICH";
  Json bad_region = Grant("m-region", person, 20200101);
  bad_region["region"] = "2301";
  Json bad_date = Grant("m-date2", person, 20190231);
  Json long_id = Grant(std::string(100, 'x'), person, 20200101);
  Json negative = Claim("m-neg", person, -5, 0, 0);
  Json inconsistent = Claim("m-sum", person, 1000, 600, 600);
  std::string good_bin = Binary(Grant("m-trunc", person, 20200101));
  std::string wrong_ident = good_bin;
  wrong_ident.replace(4, 4, "XXXX");
  std::string bad_utf8 = Grant("m-utf8", person, 20200101).dump();
  bad_utf8.replace(bad_utf8.find("\"test\""), 6, "\"te\xff\xfe\"");

  struct Case {
    std::string topic, value, reason;
  };
  const std::vector<Case> cases = {
      {kRoster, R"({"event_id":"m-1","occurred_on":2020)", "invalid JSON event"},
      {kRoster, "hello, not an event", "neither JSON nor a FlatBuffer"},
      {kRoster, wrong_ident, "neither JSON nor a FlatBuffer with identifier SNEV"},
      {kRoster, good_bin.substr(0, good_bin.size() / 2), "verification failed"},
      {kRoster, missing_id.dump(), "event_id"},
      {kRoster, missing_date.dump(), "missing required field occurred_on"},
      {kRoster, missing_person.dump(), "missing required field person_id"},
      {kRoster, unknown_field.dump(), "unknown field"},
      {kRoster, unknown_enum.dump(), "RICH"},
      {kRoster, bad_region.dump(), "region must be a 6-digit division code"},
      {kRoster, bad_date.dump(), "is not a calendar date YYYYMMDD: 20190231"},
      {kRoster, long_id.dump(), "event_id longer than 64 bytes"},
      {kClaims, negative.dump(), "ClaimSettled.total is negative"},
      {kClaims, inconsistent.dump(), "in_policy + out_of_catalog exceeds total"},
      {kRoster, bad_utf8, "invalid JSON event"},
      {kRoster, Grant("m-control", person, 20200101).dump(), ""},  // valid: appended among the garbage
      {kClaims, Grant("m-topic", person, 20200101).dump(), "IdentityGranted is not allowed on this topic"},
      {kRoster, "", "empty message"},
  };
  for (const auto& c : cases) producer_->Send(c.topic, person, c.value);
  const Json after = Grant("m-after", person, 20200301);
  producer_->SendEvent(after);
  producer_->Flush();
  WaitAccounted(static_cast<double>(cases.size() + 1));

  EXPECT_EQ(M("safetynet_events_appended_total"), 2);  // the control and the event after the garbage
  EXPECT_EQ(M("safetynet_events_rejected_total"), static_cast<double>(cases.size() - 1));
  const auto reasons = ReasonsByValue();
  for (const auto& c : cases) {
    if (c.reason.empty()) continue;
    SCOPED_TRACE(c.reason);
    auto it = reasons.find(Base64Encode(c.value));
    ASSERT_NE(it, reasons.end()) << "not in the dead letters";
    EXPECT_NE(it->second.find(c.reason), std::string::npos) << it->second;
    EXPECT_EQ(it->second.find('\n'), std::string::npos) << "reason is one line";
  }
  const Json events = HttpGet(port(), "/v1/events").json();
  ASSERT_EQ(events["events"].size(), 2u);
  EXPECT_EQ(events["events"][1]["event_id"], "m-after");
}

TEST_F(IngestE2E, BinaryInvalidUtf8IsRejected) {
  // A FlatBuffer whose source string is not UTF-8 (JSON cannot even carry it).
  Json e = Grant("bin-utf8", "230102199001010033", 20200101);
  e["source"] = "SRCSRC";
  std::string bin = Binary(e);
  const size_t at = bin.find("SRCSRC");
  ASSERT_NE(at, std::string::npos);
  bin[at] = '\xff';
  producer_->Send(kRoster, "230102199001010033", bin);
  producer_->Flush();
  WaitAccounted(1);
  const auto reasons = ReasonsByValue();
  ASSERT_EQ(reasons.count(Base64Encode(bin)), 1u);
  EXPECT_NE(reasons.at(Base64Encode(bin)).find("source is not valid UTF-8"), std::string::npos);
}

// Sends `n` grants for distinct persons, ids prefixed.
void SendGrants(Producer& p, const std::string& prefix, int n) {
  for (int i = 0; i < n; ++i) {
    char person[32];
    std::snprintf(person, sizeof(person), "2301021990%08d", i);
    p.SendEvent(Grant(prefix + std::to_string(i), person, 20200101 + (i % 28)));
  }
  p.Flush();
}

TEST_F(IngestE2E, RestartAfterCleanStopAndAfterSigkillLosesAndDoublesNothing) {
  SendGrants(*producer_, "a-", 500);
  WaitAccounted(500);
  EXPECT_EQ(daemon_->Stop(), 0);
  SendGrants(*producer_, "b-", 500);  // while the daemon is down
  daemon_->Start();
  WaitAccounted(1000);
  EXPECT_EQ(M("safetynet_events_appended_total"), 1000);

  // Kill it in the middle of a larger ingest, several times.
  SendGrants(*producer_, "c-", 40000);
  for (int kill = 0; kill < 5; ++kill) {
    const double before = M("safetynet_events_appended_total");
    WaitUntil([&] { return M("safetynet_events_appended_total") > before; }, std::chrono::seconds(10));
    daemon_->Kill();
    daemon_->Start();
  }
  WaitAccounted(41000);
  EXPECT_EQ(M("safetynet_events_appended_total"), 41000);
  EXPECT_EQ(M("safetynet_events_duplicate_total"), 0);
  EXPECT_EQ(M("safetynet_events_rejected_total"), 0);
  EXPECT_EQ(M("safetynet_log_seq"), 41000);
  EXPECT_EQ(M("safetynet_offset_jumps_total"), 0);
  EXPECT_EQ(daemon_->Stop(), 0);

  std::string out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + data_dir(), &out), 0) << out;
  EXPECT_NE(out.find("chain intact: 41000 records"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " replay --quiet --data " + data_dir(), &out), 0) << out;
  EXPECT_NE(out.find("live projections equal the replay"), std::string::npos) << out;
}

// Checkpoints only when ingest is idle: a kill during a long burst leaves
// the projections far behind the log.
class CatchUpE2E : public IngestE2E {
 protected:
  std::string ConfigToml() const override {
    return "[projections]\ncheckpoint_interval_ms = 0\ncheckpoint_entries = 1073741824\n";
  }
};

TEST_F(CatchUpE2E, AfterAKillQueriesAnswerFromTheCheckpointAtOnceAndHealthzSaysCatchingUpUntilTheLogIsFolded) {
  SendGrants(*producer_, "a-", 60000);
  ASSERT_TRUE(WaitUntil([&] { return M("safetynet_events_appended_total") >= 30000; }, std::chrono::seconds(60)));
  daemon_->Kill();
  daemon_->Start();
  // The first answers: the log is longer than what the projections reflect.
  const Json first = HttpGet(port(), "/healthz").json();
  EXPECT_EQ(HttpGet(port(), "/v1/coverage?region=23").status, 200) << "queries answer from the checkpoint";
  ASSERT_EQ(first.value("status", ""), "catching_up") << first.dump();
  EXPECT_LT(first["projections_seq"].get<uint64_t>(), first["log_seq"].get<uint64_t>()) << first.dump();
  EXPECT_GE(first["log_seq"].get<uint64_t>(), 30000u) << first.dump();
  ASSERT_TRUE(WaitUntil([&] { return HttpGet(port(), "/healthz").json().value("status", "") == "ok"; },
                        std::chrono::seconds(60)));
  WaitAccounted(60000);
  EXPECT_EQ(M("safetynet_events_appended_total"), 60000);
  EXPECT_EQ(M("safetynet_events_duplicate_total"), 0);
  const Json coverage = HttpGet(port(), "/v1/coverage?region=23&date=20200131").json();
  EXPECT_EQ(coverage["population"], 60000) << coverage.dump();
}

TEST_F(IngestE2E, OffsetJumpIsRecordedAndCounted) {
  EXPECT_EQ(daemon_->Stop(), 0);
  // More than the broker's 5 MiB retention into one partition (one key).
  const std::string pad(400, 'p');
  for (int i = 0; i < 20000; ++i) {
    Json e = Grant("j-" + std::to_string(i), "230102199001019999", 20200101);
    e["source"] = "jump";
    e["payload"]["valid_to"] = 0;
    std::string v = e.dump();
    v.insert(v.size() - 1, ",\"pad\":\"" + pad + "\"");  // makes it big (and rejected: unknown field)
    producer_->Send(kRoster, "230102199001019999", v);
  }
  producer_->Flush();
  daemon_->Start();
  ASSERT_TRUE(WaitUntil([&] { return M("safetynet_offset_jumps_total") >= 1; })) << M("safetynet_offset_jumps_total");
  EXPECT_GT(M("safetynet_messages_skipped_total"), 0);
  // An auditor sees where: the roster partition of the key, from the offset
  // the ledger expected to the one that came, as many as the counter says.
  // (The endpoint reads the store, the counters follow each durable batch: wait for both to agree.)
  Json jumps;
  ASSERT_TRUE(WaitUntil([&] {
    const auto r = HttpGet(port(), "/v1/offset-jumps");
    jumps = r.json()["offset_jumps"];
    return r.status == 200 && jumps.size() == static_cast<size_t>(M("safetynet_offset_jumps_total"));
  })) << jumps;
  int64_t skipped = 0;
  for (const Json& j : jumps) {
    EXPECT_EQ(j["topic"], kRoster);
    EXPECT_GE(j["expected"].get<int64_t>(), 0);
    EXPECT_GT(j["got"].get<int64_t>(), j["expected"].get<int64_t>());
    EXPECT_EQ(j["skipped"].get<int64_t>(), j["got"].get<int64_t>() - j["expected"].get<int64_t>());
    skipped += j["skipped"].get<int64_t>();
  }
  EXPECT_EQ(skipped, static_cast<int64_t>(M("safetynet_messages_skipped_total")));
}

TEST_F(IngestE2E, RawPersonIdNeverReachesTheDisk) {
  const std::string raw = "230102195403120231";
  producer_->SendEvent(Grant("raw-1", raw, 20200101));
  producer_->Send(kRoster, raw, "{\"person_id\":\"" + raw + "\", broken");  // dead letter holding the raw ID
  producer_->Flush();
  WaitAccounted(2);
  EXPECT_EQ(daemon_->Stop(), 0);
  bool raw_found = false, control_found = false;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    raw_found |= bytes.find(raw) != std::string::npos;
    control_found |= bytes.find("raw-1") != std::string::npos;  // the event_id is stored in clear
  }
  EXPECT_TRUE(control_found) << "the search does not see stored bytes; it would prove nothing";
  EXPECT_FALSE(raw_found) << "raw person ID found in the data directory";
}

TEST_F(IngestE2E, KcatCanPublishJsonEvents) {
  const std::string file = dir_.path() + "/kcat.jsonl";
  {
    std::ofstream out(file);
    for (int i = 0; i < 3; ++i) {
      const std::string person = "23010219900101005" + std::to_string(i);
      out << person << "\t" << Grant("kcat-" + std::to_string(i), person, 20200101).dump() << "\n";
    }
  }
  std::string out;
  const int rc =
      RunCommand("kcat -P -b " + broker_->bootstrap() + " -t " + kRoster + " -K '\t' -l " + file + " 2>&1", &out);
  ASSERT_EQ(rc, 0) << "kcat failed (is the kcat package installed?): " << out;
  WaitAccounted(3);
  EXPECT_EQ(M("safetynet_events_appended_total"), 3);
  const Json j = HttpGet(port(), "/v1/persons/230102199001010051/ledger").json();
  EXPECT_EQ(j["events"].size(), 1u) << j.dump();
}

}  // namespace
}  // namespace safetynet::test
