// The verifiable log end to end: events in through Kafka; tree heads,
// inclusion and consistency proofs and the digest out through the API; the
// signed heads read back from the outbound topic with a plain consumer; the
// proofs checked offline by `safetynet verify-proof` with the key
// `safetynet ledger-key` prints; and `safetynet verify` given the published
// heads finds a changed event, a cut log with its head rewritten and a
// swapped pair, each at its first bad seq.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "daemon/ledger_json.h"
#include "events/codec_util.h"
#include "events/ledger.h"
#include "events/merkle.h"
#include "events/tree_head.h"
#include "tests/harness.h"

namespace safetynet::test {
namespace {

namespace fs = std::filesystem;
constexpr int kEvents = 300;

Json Grant(int i) {
  char person[32];
  std::snprintf(person, sizeof(person), "2301021966%08d", i);
  return Event("v-" + std::to_string(i), 20200101 + i % 28, "230102", person, "IdentityGranted",
               {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}});
}

class LedgerProofsE2E : public LiveLedgerTest {
 protected:
  std::string ConfigToml() const override { return "[ledger]\nheads_interval_ms = 200\n"; }

  void Ingest() {
    for (int i = 0; i < kEvents; ++i) producer_->SendEvent(Grant(i));
    producer_->Flush();
    ASSERT_TRUE(WaitUntil([&] { return Appended(port()) == kEvents; }));
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  int VerifyProof(const Json& doc, std::string* out) {
    const std::string path = Write("proof.json", doc.dump());
    return RunCommand(SafetynetPath() + " verify-proof " + path + " --key " + key_path_ + " 2>&1", out);
  }
  // The heads published so far, as the topic holds them.
  std::vector<Json> PublishedHeads() {
    std::vector<std::pair<std::string, std::string>> msgs;
    reader_->Poll(std::chrono::milliseconds(300), &msgs);
    for (auto& [k, v] : msgs) heads_.push_back(Json::parse(v));
    return heads_;
  }

  std::string key_path_;
  std::unique_ptr<TopicReader> reader_;
  std::vector<Json> heads_;
};

TEST_F(LedgerProofsE2E, ProofsAndSignedHeadsVerifyOfflineAndVerifyFindsTamperingGivenThePublishedHeads) {
  reader_ = std::make_unique<TopicReader>(broker_->bootstrap(), "safetynet.ledger-heads", 4);
  Ingest();
  std::string out;
  ASSERT_EQ(RunCommand(SafetynetPath() + " ledger-key --data " + data_dir() + " 2>/dev/null", &out), 0) << out;
  ASSERT_NE(out.find("BEGIN PUBLIC KEY"), std::string::npos) << out;
  key_path_ = Write("ledger.pem", out);
  auto key = *Ed25519Verifier::FromPem(out);

  // The tree head of the API is signed by that key.
  const Json root = HttpGet(port(), "/v1/ledger/root").json();
  ASSERT_EQ(root["tree_size"], kEvents) << root.dump();
  auto head = ParseTreeHead(safetynet::Json::parse(root.dump()));
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_TRUE(CheckTreeHead(*key, *head).ok());
  EXPECT_EQ(HttpGet(port(), "/v1/ledger/root?seq=" + std::to_string(kEvents + 1)).status, 400);

  // Inclusion proofs of random events in random tree sizes verify offline;
  // the leaf is the event's chain hash as /v1/events shows it.
  std::mt19937 rng(3);
  for (int round = 0; round < 5; ++round) {
    const int size = 1 + static_cast<int>(rng() % kEvents), seq = 1 + static_cast<int>(rng() % size);
    const HttpReply r =
        HttpGet(port(), "/v1/ledger/proof/inclusion?seq=" + std::to_string(seq) + "&tree_size=" + std::to_string(size));
    ASSERT_EQ(r.status, 200) << r.body;
    const Json proof = r.json();
    const Json ev = HttpGet(port(), "/v1/events?after=" + std::to_string(seq - 1) + "&limit=1").json();
    auto chain = merkle::ParseHex(ev["events"][0]["hash"].get<std::string>());
    ASSERT_TRUE(chain.ok());
    EXPECT_EQ(proof["leaf_hash"], merkle::Hex(merkle::LeafHash(*chain)));
    EXPECT_EQ(VerifyProof(proof, &out), 0) << out;
    EXPECT_NE(out.find("verified: event " + std::to_string(seq)), std::string::npos) << out;
    // A flipped bit in the leaf is rejected with its reason.
    Json bad = proof;
    std::string leaf = bad["leaf_hash"];
    leaf[5] = leaf[5] == 'f' ? 'e' : 'f';
    bad["leaf_hash"] = leaf;
    EXPECT_EQ(VerifyProof(bad, &out), 1) << out;
    EXPECT_NE(out.find("REJECTED: inclusion of seq"), std::string::npos) << out;
  }
  const HttpReply c = HttpGet(port(), "/v1/ledger/proof/consistency?from=100&to=" + std::to_string(kEvents));
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(VerifyProof(c.json(), &out), 0) << out;
  EXPECT_NE(out.find("is a prefix of"), std::string::npos) << out;
  EXPECT_EQ(HttpGet(port(), "/v1/ledger/proof/inclusion?seq=5&tree_size=4").status, 400);
  EXPECT_EQ(HttpGet(port(), "/v1/ledger/proof/consistency?from=0&to=4").status, 400);
  EXPECT_EQ(HttpGetAs("", port(), "/v1/ledger/root").status, 401);
  // From a person's ledger to the event behind a number, and on to its proof.
  const Json ledger = HttpGet(port(), "/v1/persons/" + PseudonymOf("230102196600000007") + "/ledger").json();
  ASSERT_TRUE(ledger.contains("identities")) << ledger.dump();
  const std::string url = ledger["identities"][0]["seq_url"];
  const Json one = HttpGet(port(), url).json();
  EXPECT_EQ(one["seq"], ledger["identities"][0]["seq"]) << one.dump();
  EXPECT_EQ(one["event"]["person_id"], PseudonymOf("230102196600000007"));
  const HttpReply linked = HttpGet(port(), one["proof_url"].get<std::string>());
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(VerifyProof(linked.json(), &out), 0) << out;
  EXPECT_EQ(HttpGet(port(), "/v1/events/" + std::to_string(kEvents + 1)).status, 404);
  const HttpReply api = HttpGetAs("", port(), "/openapi.json");
  ASSERT_EQ(api.status, 200);
  EXPECT_TRUE(api.json()["paths"].contains("/v1/ledger/proof/consistency")) << api.body.substr(0, 300);

  // The signed heads on the outbound topic, read by a plain consumer.
  ASSERT_TRUE(WaitUntil(
      [&] {
        const auto hs = PublishedHeads();
        return !hs.empty() && hs.back()["tree_size"] == kEvents;
      },
      std::chrono::seconds(20)));
  std::string lines;
  for (const Json& h : heads_) {
    auto parsed = ParseTreeHead(safetynet::Json::parse(h.dump()));
    ASSERT_TRUE(parsed.ok()) << h.dump();
    EXPECT_TRUE(CheckTreeHead(*key, *parsed).ok()) << h.dump();
    lines += h.dump() + "\n";
  }
  const std::string heads_file = Write("heads.jsonl", lines);

  // The digest: at the projections' checkpoint, equal to a replay to that seq.
  ASSERT_TRUE(WaitUntil([&] { return HttpGet(port(), "/v1/ledger/digest").json()["seq"] == kEvents; }));
  const Json digest = HttpGet(port(), "/v1/ledger/digest").json();
  EXPECT_EQ(digest["root"], root["root"]);
  ASSERT_EQ(daemon_->Stop(), 0);
  ASSERT_EQ(RunCommand(SafetynetPath() + " replay --quiet --data " + data_dir() + " --until-seq " +
                           std::to_string(kEvents) + " --out " + dir_.path() + "/replay 2>&1",
                       &out),
            0)
      << out;
  const size_t at = out.find("ledger digest: ");
  ASSERT_NE(at, std::string::npos) << out;
  Json replayed = Json::parse(out.substr(at + 15, out.find('\n', at) - at - 15));
  Json live = digest;
  live.erase("log_seq");
  EXPECT_EQ(replayed, live);

  // verify: given the heads from the file or from the topic.
  EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + data_dir() + " --heads " + heads_file + " 2>&1", &out), 0)
      << out;
  EXPECT_NE(out.find(std::to_string(heads_.size()) + " signed heads match"), std::string::npos) << out;
  EXPECT_EQ(
      RunCommand(SafetynetPath() + " verify --data " + data_dir() + " --brokers " + broker_->bootstrap() + " 2>&1",
                 &out),
      0)
      << out;

  // Tampering, each on its own copy of the data directory.
  const auto tampered = [&](const std::string& name, const std::function<void(Store&)>& tamper) {
    const std::string copy = dir_.path() + "/" + name;
    fs::copy(data_dir(), copy, fs::copy_options::recursive);
    fs::copy(data_dir() + "-secrets", copy + "-secrets", fs::copy_options::recursive);
    {
      auto store = OpenRocksStore(copy + "/ledger");
      EXPECT_TRUE(store.ok());
      tamper(**store);
    }
    std::string o;
    EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + copy + " --heads " + heads_file + " 2>&1", &o), 1) << o;
    return o;
  };
  const auto put = [](Store& s, Cf cf, const std::string& k, const std::string& v) {
    Txn t(s);
    t.Put(cf, k, v);
    EXPECT_TRUE(s.Write(t, true).ok());
  };
  const auto get = [](Store& s, uint64_t seq) {
    std::string v;
    EXPECT_TRUE(s.Get(Cf::kLog, LogKey(seq), &v).ok());
    return v;
  };
  // A changed byte in a stored event.
  out = tampered("changed", [&](Store& s) {
    std::string v = get(s, 120);
    v[v.size() - 3] ^= 1;
    put(s, Cf::kLog, LogKey(120), v);
  });
  EXPECT_NE(out.find("broken at seq 120"), std::string::npos) << out;
  // The tail deleted and the stored head rewritten to the new last record:
  // the chain alone verifies, the published heads do not.
  const auto cut = [&](Store& s) {
    Txn t(s);
    for (uint64_t q = 201; q <= kEvents; ++q) t.Delete(Cf::kLog, LogKey(q));
    std::string head = EncodeU64(200);
    head.append(get(s, 200).substr(0, 32));
    t.Put(Cf::kMeta, "head", head);
    EXPECT_TRUE(s.Write(t, true).ok());
  };
  out = tampered("cut", cut);
  EXPECT_NE(out.find("broken at seq 201"), std::string::npos) << out;
  EXPECT_NE(out.find("cut short"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + dir_.path() + "/cut 2>&1", &out), 0)
      << "without the heads the cut log passes: " << out;
  // A swapped pair of events.
  out = tampered("swapped", [&](Store& s) {
    const std::string a = get(s, 50), b = get(s, 51);
    put(s, Cf::kLog, LogKey(50), b);
    put(s, Cf::kLog, LogKey(51), a);
  });
  EXPECT_NE(out.find("broken at seq 50"), std::string::npos) << out;

  // A head signed by another key is refused before anything else.
  const std::string forged_file = Write("forged.jsonl", [&] {
    auto other = *Ed25519Signer::Make(std::string(32, 'x'));
    TreeHead forged = SignTreeHead(*other, head->tree_size, head->root);
    forged.key_id = head->key_id;
    return TreeHeadJson(forged).dump() + "\n";
  }());
  EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + data_dir() + " --heads " + forged_file + " 2>&1", &out), 1)
      << out;
  EXPECT_NE(out.find("signed head rejected"), std::string::npos) << out;
}

TEST_F(LedgerProofsE2E, AnEvidenceBundleOfAPersonVerifiesOfflineAndATamperedOneIsRejectedWithItsReason) {
  // One person's events among others'.
  const std::string person = "230102196601010011";
  for (int i = 0; i < 60; ++i) {
    producer_->SendEvent(Grant(i));
    if (i % 10 == 0) {
      producer_->SendEvent(
          Event("own-" + std::to_string(i), 20200101 + i / 10, "230102", person, "IdentityGranted",
                {{"identity", i % 20 == 0 ? "REGISTERED_POOR" : "LOW_INCOME"}, {"valid_from", 20200101 + i / 10}}));
    }
  }
  producer_->Flush();
  ASSERT_TRUE(WaitUntil([&] { return Appended(port()) == 66; }));
  ASSERT_EQ(daemon_->Stop(), 0);
  std::string out;
  ASSERT_EQ(RunCommand(SafetynetPath() + " ledger-key --data " + data_dir() + " 2>/dev/null", &out), 0) << out;
  key_path_ = Write("ledger.pem", out);

  const std::string bundle_path = dir_.path() + "/bundle.json";
  ASSERT_EQ(RunCommand(std::string("SAFETYNET_PERSON_KEY=") + kPersonKeyHex + " " + SafetynetPath() +
                           " export --data " + data_dir() + " --person " + person + " --out " + bundle_path + " 2>&1",
                       &out),
            0)
      << out;
  EXPECT_NE(out.find("evidence bundle of 6 events"), std::string::npos) << out;
  const Json bundle = Json::parse(ReadFile(bundle_path));
  EXPECT_EQ(bundle["selection"]["person"], PseudonymOf(person));
  EXPECT_EQ(bundle["head"]["tree_size"], 66);
  for (const Json& e : bundle["events"]) {
    EXPECT_EQ(e["event"]["person_id"], PseudonymOf(person)) << "pseudonymised, never raw";
  }
  EXPECT_EQ(bundle.dump().find(person), std::string::npos);
  ASSERT_EQ(VerifyProof(bundle, &out), 0) << out;
  EXPECT_NE(out.find("verified: 6 events, each in the signed tree of 66 events"), std::string::npos) << out;

  const auto rejected = [&](const Json& doc, const std::string& why) {
    std::string o;
    EXPECT_EQ(VerifyProof(doc, &o), 1) << o;
    EXPECT_NE(o.find(why), std::string::npos) << why << " / " << o;
  };
  Json b = bundle;
  std::swap(b["events"][1], b["events"][2]);
  rejected(b, "out of order");
  b = bundle;
  std::string bytes = b["events"][3]["event_base64"];
  bytes[20] = bytes[20] == 'A' ? 'B' : 'A';
  b["events"][3]["event_base64"] = bytes;
  rejected(b, "event " + std::to_string(b["events"][3]["seq"].get<int>()));
  b = bundle;
  b["events"][0]["event"]["region"] = "230103";
  rejected(b, "its JSON form is not that of its bytes");
  b = bundle;
  b["events"][4]["path"].erase(0);
  rejected(b, "not in the signed tree");
  b = bundle;
  b["events"][2]["seq"] = b["events"][2]["seq"].get<int>() + 1;  // claimed at another seq
  rejected(b, "do not give its hash");
  b = bundle;
  b["head"]["tree_size"] = 65;
  rejected(b, "does not verify");
  b = bundle;
  b["events"] = Json::array();
  rejected(b, "no events");

  // A region's events over dates: every event of the window, and only those.
  ASSERT_EQ(RunCommand(SafetynetPath() + " export --data " + data_dir() +
                           " --region 2301 --from 20200101 --to 20200103 --out " + bundle_path + " 2>&1",
                       &out),
            0)
      << out;
  const Json region = Json::parse(ReadFile(bundle_path));
  for (const Json& e : region["events"]) EXPECT_LE(e["event"]["occurred_on"].get<int>(), 20200103);
  EXPECT_EQ(VerifyProof(region, &out), 0) << out;
  EXPECT_EQ(
      RunCommand(SafetynetPath() + " export --data " + data_dir() + " --claim nope --out " + bundle_path + " 2>&1",
                 &out),
      2)
      << out;
}

}  // namespace
}  // namespace safetynet::test
