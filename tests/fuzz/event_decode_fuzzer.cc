// libFuzzer target for the inbound event decoder (R3): any bytes, as JSON or
// as a FlatBuffer, go through EventCodec::DecodeInbound on the topic their
// payload belongs to (so that validation, not the topic check, is explored).
// Built twice: FUZZ_JSON feeds only inputs that start like JSON, otherwise
// only inputs that do not, so that each fuzzer's corpus stays on one path.
//
// Must hold for every input, or the process aborts (a finding):
//  - rejected: a one-line, non-empty reason;
//  - accepted: the stored bytes verify and validate, the person is
//    pseudonymised (64 hex digits), and the stored event renders as contract
//    JSON that parses back.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "events/codec.h"
#include "events/crypto.h"
#include "events/topics.h"
#include "events/validate.h"

namespace {

using namespace safetynet;

[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "invariant broken: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

bool LooksLikeJson(std::string_view in) {
  const size_t first = in.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && in[first] == '{';
}

// The topic the input's payload belongs on, when it parses at all.
TopicKind TopicFor(EventCodec& codec, std::string_view in) {
  std::string binary;
  std::string_view bytes = in;
  if (LooksLikeJson(in)) {
    if (!codec.JsonToBinary(in, &binary).ok()) return TopicKind::kRoster;
    bytes = binary;
  }
  if (!VerifyEventBuffer(bytes)) return TopicKind::kRoster;
  return TopicOfPayload(ReadEvent(bytes)->payload_type());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static PersonHasher hasher(std::string(32, 'k'));
  static EventCodec codec(&hasher);
  const std::string_view in(reinterpret_cast<const char*>(data), size);
#ifdef FUZZ_JSON
  if (!LooksLikeJson(in)) return -1;  // not in this fuzzer's corpus
#else
  if (LooksLikeJson(in)) return -1;
#endif
  std::string stored;
  const Status st = codec.DecodeInbound(in, TopicFor(codec, in), &stored);
  if (!st.ok()) {
    if (st.message().empty()) Fail("empty reason", in);
    if (st.message().find('\n') != std::string::npos) Fail("reason spans lines", st.message());
    return 0;
  }
  if (!VerifyEventBuffer(stored)) Fail("stored bytes do not verify", in);
  const fb::Event* event = ReadEvent(stored);
  if (!ValidateEvent(*event).ok()) Fail("stored event does not validate", in);
  if (event->person_id() != nullptr && event->person_id()->size() > 0) {
    const std::string_view person = event->person_id()->string_view();
    if (person.size() != 64 || person.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
      Fail("person not pseudonymised", person);
    }
  }
  std::string json, again;
  if (!codec.ToJson(stored, &json).ok()) Fail("stored event has no JSON form", in);
  if (!codec.JsonToBinary(json, &again).ok()) Fail("JSON form does not parse back", json);
  return 0;
}
