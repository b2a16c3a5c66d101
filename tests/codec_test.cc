// EventCodec: both encodings, canonical form, pseudonymisation, and one test
// per validation rule of the contract.
#include "events/codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "events/validate.h"

namespace safetynet {
namespace {

using nlohmann::json;

json Grant() {
  return {{"event_id", "e-1"},
          {"occurred_on", 20200101},
          {"source", "poverty-office-230102"},
          {"region", "230102"},
          {"person_id", "230102195403120231"},
          {"payload_type", "IdentityGranted"},
          {"payload", {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}, {"valid_to", 0}}}};
}

json Claim() {
  return {{"event_id", "c-1"},
          {"occurred_on", 20200310},
          {"source", "hospital"},
          {"region", "230102"},
          {"person_id", "230102195403120231"},
          {"payload_type", "ClaimSettled"},
          {"payload",
           {{"claim_id", "C1"},
            {"visit", "INPATIENT"},
            {"hospital_id", "H1"},
            {"admitted_on", 20200301},
            {"discharged_on", 20200310},
            {"total", 10000},
            {"out_of_catalog", 1000},
            {"in_policy", 9000}}}};
}

class CodecTest : public ::testing::Test {
 protected:
  Status Decode(const json& j, TopicKind topic, std::string* out = nullptr) {
    std::string tmp;
    return codec_.DecodeInbound(j.dump(), topic, out ? out : &tmp);
  }
  std::string Reason(const json& j, TopicKind topic) { return Decode(j, topic).message(); }
  PersonHasher hasher_{std::string(32, 'k')};
  EventCodec codec_{&hasher_};
};

TEST_F(CodecTest, JsonAndBinaryGiveTheSameCanonicalBytes) {
  std::string from_json, from_binary, binary;
  ASSERT_TRUE(Decode(Grant(), TopicKind::kRoster, &from_json).ok());
  ASSERT_TRUE(codec_.JsonToBinary(Grant().dump(), &binary).ok());
  ASSERT_TRUE(codec_.DecodeInbound(binary, TopicKind::kRoster, &from_binary).ok());
  EXPECT_EQ(from_json, from_binary);
  // Key order and whitespace do not matter either.
  json reordered = json::parse(R"({ "payload": {"valid_to":0,"valid_from":20200101,"identity":"REGISTERED_POOR"},
    "payload_type":"IdentityGranted","person_id":"230102195403120231","region":"230102",
    "source":"poverty-office-230102","occurred_on":20200101,"event_id":"e-1"})");
  std::string from_reordered;
  ASSERT_TRUE(Decode(reordered, TopicKind::kRoster, &from_reordered).ok());
  EXPECT_EQ(from_json, from_reordered);
}

TEST_F(CodecTest, PersonIdIsReplacedByItsHmac) {
  std::string stored;
  ASSERT_TRUE(Decode(Grant(), TopicKind::kRoster, &stored).ok());
  const fb::Event* e = ReadEvent(stored);
  EXPECT_EQ(e->person_id()->str(), hasher_.HashHex("230102195403120231"));
  EXPECT_EQ(stored.find("230102195403120231"), std::string::npos);
  PersonHasher other(std::string(32, 'x'));
  EXPECT_NE(other.HashHex("230102195403120231"), hasher_.HashHex("230102195403120231"));
}

TEST_F(CodecTest, ToJsonRoundTrips) {
  std::string stored, text;
  ASSERT_TRUE(Decode(Claim(), TopicKind::kClaims, &stored).ok());
  ASSERT_TRUE(codec_.ToJson(stored, &text).ok());
  const json j = json::parse(text);
  EXPECT_EQ(j["payload"]["total"], 10000);
  EXPECT_EQ(j["payload"]["visit"], "INPATIENT");
  EXPECT_EQ(j["payload_type"], "ClaimSettled");
}

TEST_F(CodecTest, RejectsEachMalformedKindWithAOneLineReason) {
  struct Case {
    json event;
    TopicKind topic;
    std::string reason;
  };
  std::vector<Case> cases;
  auto add = [&](json e, TopicKind t, std::string r) { cases.push_back({std::move(e), t, std::move(r)}); };
  json e;
  e = Grant(), e["payload"]["identity"] = "RICH", add(e, TopicKind::kRoster, "RICH");
  e = Grant(), e["payload"]["colour"] = 1, add(e, TopicKind::kRoster, "unknown field");
  e = Grant(), e.erase("occurred_on"), add(e, TopicKind::kRoster, "missing required field occurred_on");
  e = Grant(), e.erase("source"), add(e, TopicKind::kRoster, "source");
  e = Grant(), e.erase("person_id"), add(e, TopicKind::kRoster, "missing required field person_id");
  e = Grant(), e["payload"].erase("identity"),
  add(e, TopicKind::kRoster, "missing required field IdentityGranted.identity");
  e = Grant(), e["payload"]["valid_from"] = 20200230, add(e, TopicKind::kRoster, "valid_from is not a calendar date");
  e = Grant(), e["payload"]["valid_to"] = 20191231, add(e, TopicKind::kRoster, "valid_to before valid_from");
  e = Grant(), e["region"] = "23010x", add(e, TopicKind::kRoster, "region must be a 6-digit division code");
  e = Grant(), e["event_id"] = std::string(65, 'a'), add(e, TopicKind::kRoster, "event_id longer than 64 bytes");
  e = Grant(), e["person_id"] = std::string(65, '1'), add(e, TopicKind::kRoster, "person_id longer than 64 bytes");
  e = Grant(), add(e, TopicKind::kClaims, "IdentityGranted is not allowed on this topic");
  e = Claim(), e["payload"]["total"] = -1, add(e, TopicKind::kClaims, "ClaimSettled.total is negative");
  e = Claim(), e["payload"]["in_policy"] = 9001, add(e, TopicKind::kClaims, "exceeds total");
  e = Claim(), e["payload"]["discharged_on"] = 20200228, add(e, TopicKind::kClaims, "discharged_on before admitted_on");
  e = Claim(), e["payload"].erase("claim_id"), add(e, TopicKind::kClaims, "claim_id");
  e = Claim(), e["payload"].erase("visit"), add(e, TopicKind::kClaims, "missing required field ClaimSettled.visit");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.event.dump());
    const Status st = Decode(c.event, c.topic);
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(st.IsInvalid());
    EXPECT_NE(st.message().find(c.reason), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find('\n'), std::string::npos);
  }
}

TEST_F(CodecTest, RejectsBrokenBytes) {
  std::string out, binary;
  EXPECT_NE(codec_.DecodeInbound("", TopicKind::kRoster, &out).message().find("empty"), std::string::npos);
  EXPECT_NE(codec_.DecodeInbound("{\"event_id\":", TopicKind::kRoster, &out).message().find("invalid JSON"),
            std::string::npos);
  ASSERT_TRUE(codec_.JsonToBinary(Grant().dump(), &binary).ok());
  EXPECT_NE(codec_.DecodeInbound(binary.substr(0, 20), TopicKind::kRoster, &out).message().find("verification"),
            std::string::npos);
  std::string wrong = binary;
  wrong.replace(4, 4, "ABCD");
  EXPECT_NE(codec_.DecodeInbound(wrong, TopicKind::kRoster, &out).message().find("identifier SNEV"), std::string::npos);
  // The codec keeps working after errors.
  EXPECT_TRUE(codec_.DecodeInbound(Grant().dump(), TopicKind::kRoster, &out).ok());
}

// A policy whose critical segments are built by hand, `pad` bytes of event
// id shifting where the vector lands: FlatBuffers 2.0 verifies a vector of
// structs for the alignment of its length only.
std::string PolicyWithHandBuiltSegments(size_t pad, size_t* segments_offset) {
  flatbuffers::FlatBufferBuilder fbb;
  const fb::Segment segs[] = {fb::Segment(0, 5000), fb::Segment(1000000, 6000)};
  fbb.StartVector(sizeof(segs), 1);  // aligned as bytes, not as the structs
  fbb.PushBytes(reinterpret_cast<const uint8_t*>(segs), sizeof(segs));
  const flatbuffers::Offset<flatbuffers::Vector<const fb::Segment*>> vec(fbb.EndVector(2));
  const auto policy =
      fb::CreatePolicyPublished(fbb, fbb.CreateString("P-2020"), 2020, flatbuffers::nullopt, 20200101, 0, 0, 0, vec);
  const auto event = fb::CreateEvent(fbb, fbb.CreateString("p-" + std::string(pad, 'x')), 20200101,
                                     fbb.CreateString("medical-security"), fbb.CreateString("230000"), 0,
                                     fb::Payload::PolicyPublished, policy.Union());
  fb::FinishEventBuffer(fbb, event);
  std::string out(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  const auto* p = ReadEvent(out)->payload_as_PolicyPublished();
  *segments_offset = reinterpret_cast<const char*>(p->critical_segments()->Data()) - out.data();
  return out;
}

TEST_F(CodecTest, RejectsMisalignedStructsAndAcceptsAMessageAtAnyAddress) {
  bool saw_misaligned = false, saw_aligned = false;
  for (size_t pad = 0; pad < 8; ++pad) {
    size_t offset = 0;
    const std::string binary = PolicyWithHandBuiltSegments(pad, &offset);
    ASSERT_TRUE(VerifyEventBuffer(binary)) << pad;
    std::string out;
    const Status st = codec_.DecodeInbound(binary, TopicKind::kPolicy, &out);
    if (offset % alignof(fb::Segment) != 0) {
      saw_misaligned = true;
      EXPECT_NE(st.message().find("critical_segments is not aligned"), std::string::npos) << st.message();
      continue;
    }
    saw_aligned = true;
    ASSERT_TRUE(st.ok()) << st.message();
    // The same bytes at every address of a larger buffer decode alike.
    for (size_t shift = 1; shift < 8; ++shift) {
      std::string holder(shift, '\0');
      holder += binary;
      std::string shifted;
      ASSERT_TRUE(codec_.DecodeInbound(std::string_view(holder).substr(shift), TopicKind::kPolicy, &shifted).ok());
      EXPECT_EQ(shifted, out);
    }
  }
  EXPECT_TRUE(saw_misaligned);
  EXPECT_TRUE(saw_aligned);
}

TEST(Utf8, AcceptsValidAndRejectsInvalid) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("黑龙江省"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe9\xbb"));      // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
}

TEST(Topics, EveryPayloadHasExactlyOneTopic) {
  for (size_t t = 1; t <= static_cast<size_t>(fb::Payload::MAX); ++t) {
    const auto type = static_cast<fb::Payload>(t);
    EXPECT_NE(TopicOfPayload(type), TopicKind::kUnknown) << PayloadName(type);
  }
  EXPECT_EQ(TopicOfPayload(fb::Payload::ReimbursementReversed), TopicKind::kReimbursements);
  EXPECT_EQ(TopicOfPayload(fb::Payload::RectificationReopened), TopicKind::kRectification);
  EXPECT_EQ(TopicOfPayload(fb::Payload::RosterDelivered), TopicKind::kRoster);
}

}  // namespace
}  // namespace safetynet
